//! Parallel steps whose results and errors do not depend on the number of threads.

use rayon::prelude::*;

/// `f(0..n)` on all cores, results in input order. On failure the error reported is the first
/// in input order, so that a run says the same whatever the number of threads.
///
/// The results are written in place (an indexed collect), not gathered in per-thread lists
/// and copied: a large ente's rows are hundreds of bytes each.
pub fn in_order<T: Send, E: Send>(
    n: usize,
    f: impl Fn(usize) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E> {
    let mut all: Vec<Result<T, E>> = Vec::with_capacity(n);
    (0..n).into_par_iter().map(&f).collect_into_vec(&mut all);
    let mut out = Vec::with_capacity(n);
    for r in all {
        out.push(r?);
    }
    Ok(out)
}
