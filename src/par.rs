//! Parallel steps whose results and errors do not depend on the number of threads.

use rayon::prelude::*;

/// `f(0..n)` on all cores, results in input order. On failure the error reported is the first
/// in input order (found again on one thread: failures are rare), so that a run says the same
/// whatever the number of threads; on success nothing is collected twice.
pub fn in_order<T: Send, E: Send>(
    n: usize,
    f: impl Fn(usize) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E> {
    (0..n)
        .into_par_iter()
        .map(&f)
        .collect::<Result<Vec<T>, E>>()
        .map_err(|any| (0..n).find_map(|k| f(k).err()).unwrap_or(any))
}
