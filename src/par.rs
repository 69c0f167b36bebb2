//! Parallel steps whose results and errors do not depend on the number of threads.

use rayon::prelude::*;

/// `f(0..n)` on all cores, results in input order. On failure the error reported is the first
/// in input order (the failed ones run again on one thread: failures are rare), so that a
/// run says the same whatever the number of threads.
///
/// The results are written in place (an indexed collect), not gathered in per-thread lists
/// and copied: a large ente's rows are hundreds of bytes each. An `Option` of a row holding
/// a reference or an `Arc` is the row's size, so the last step reuses the same memory.
pub fn in_order<T: Send, E: Send>(
    n: usize,
    f: impl Fn(usize) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E> {
    let mut all: Vec<Option<T>> = Vec::with_capacity(n);
    (0..n)
        .into_par_iter()
        .map(|k| f(k).ok())
        .collect_into_vec(&mut all);
    if all.iter().any(Option::is_none) {
        // Failures are rare: the missing results again on one thread, in input order, so
        // that the error returned is the first.
        let mut out = Vec::with_capacity(n);
        for (k, r) in all.into_iter().enumerate() {
            out.push(match r {
                Some(t) => t,
                None => f(k)?,
            });
        }
        return Ok(out);
    }
    // Every result is present (just checked); mapped one to one, the list keeps its memory.
    Ok(all
        .into_iter()
        .map(|r| r.expect("every result is present"))
        .collect())
}
