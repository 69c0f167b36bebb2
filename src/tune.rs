//! Process tuning, the binary's only (and the benchmark's, which includes this file): the
//! allocator and when freed memory goes back to the system. The library never touches a
//! process-wide setting; the CLI tells this room when a run changes phase
//! ([`ccdi::cli::Phases`]), and a batch of entes, computed in parallel, tells it nothing.
//!
//! What each setting bought, measured, is in BENCHMARKS.md.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

/// Many small strings and rows: mimalloc allocates and frees them much faster than the
/// system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (mimalloc.h); the Rust bindings
/// do not name it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The purge delay set by [`start`], in milliseconds.
const PROMPT_PURGE_DELAY: i64 = 10;

/// Input folders from this size on (CSV bytes) are read with mimalloc's own purge delay, and
/// the loading's freed memory is kept for the computation ([`reading`]).
const LARGE_INPUT_BYTES: u64 = 100 << 20;

/// mimalloc's own purge delay, kept by [`start`] when it shortened it (negative when it did
/// not).
static DEFAULT_PURGE_DELAY: AtomicI64 = AtomicI64::new(-1);

/// Whether the input being computed is large ([`LARGE_INPUT_BYTES`]).
static LARGE_INPUT: AtomicBool = AtomicBool::new(false);

/// The phases of a run as the CLI reports them to this room.
pub const PHASES: ccdi::cli::Phases = ccdi::cli::Phases {
    reading,
    computing,
    rendering,
};

/// At the process's start: freed memory goes back to the system after 10 ms (mimalloc 2's
/// default) rather than after a second (mimalloc 3's): a large ente's blocks and tables,
/// freed as it is read, are then not held beside the next ones (BENCHMARKS.md). Only under
/// mimalloc 3, whose option numbers are the one above, and not when the user set the delay
/// (`MIMALLOC_PURGE_DELAY`, or its older name `MIMALLOC_RESET_DELAY`).
pub fn start() {
    let chosen = ["MIMALLOC_PURGE_DELAY", "MIMALLOC_RESET_DELAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some());
    // SAFETY: the calls take and return plain integers and have no precondition.
    unsafe {
        if !chosen && (30000..40000).contains(&libmimalloc_sys::mi_version()) {
            let default = libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY);
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PROMPT_PURGE_DELAY as _);
            // `c_long` is 64 bits here, 32 on Windows.
            #[allow(clippy::useless_conversion)]
            let default = i64::from(default);
            DEFAULT_PURGE_DELAY.store(default, Ordering::Relaxed);
        }
    }
}

/// Before the inputs are read: how freed memory goes back to the system, fitted to their
/// size, after [`start`] shortened mimalloc's purge delay (nothing to do otherwise). A page
/// given back costs a fault when it is taken again: a 100.000-manager ente (155 MB) takes
/// 140.000 faults with a 10 ms delay and 118.000 with mimalloc's own second, and fewer still
/// when the loading's freed pages are kept for the computation ([`computing`]); its peak
/// stays under 3 times its input (BENCHMARKS.md). A smaller input keeps the 10 ms delay and
/// the release, which hold its peak under 3 times its input: there the pages held back would
/// be a large part of it.
fn reading(input_bytes: u64) {
    if DEFAULT_PURGE_DELAY.load(Ordering::Relaxed) < 0 {
        return;
    }
    let large = input_bytes >= LARGE_INPUT_BYTES;
    LARGE_INPUT.store(large, Ordering::Relaxed);
    set_purge_delay(large);
}

/// The purge delay: mimalloc's own for a large input, else the prompt one of [`start`].
fn set_purge_delay(large: bool) {
    let default = DEFAULT_PURGE_DELAY.load(Ordering::Relaxed);
    if default < 0 {
        return;
    }
    let delay = if large { default } else { PROMPT_PURGE_DELAY };
    // `c_long` is 32 bits on Windows, where the conversion can fail.
    #[allow(irrefutable_let_patterns)]
    if let Ok(delay) = std::ffi::c_long::try_from(delay) {
        // SAFETY: takes plain integers and has no precondition.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, delay) }
    }
}

/// After the inputs are read, before the computation: the memory the loading freed (its
/// tables, the files' bytes) goes back to the system, since mimalloc otherwise keeps freed
/// pages for its purge delay and a small ente's peak would hold both (BENCHMARKS.md). Not
/// after a large input, whose computation takes those pages again ([`reading`]).
fn computing() {
    if !LARGE_INPUT.load(Ordering::Relaxed) {
        collect();
    }
}

/// Before a large ente's results are rendered (text, CSV, JSON, the `--out` files): freed
/// memory goes back to the system again after 10 ms, and what the computation left free now,
/// since the renderers take and free much more than the computation did. Nothing to do after
/// a small input.
fn rendering() {
    if !LARGE_INPUT.swap(false, Ordering::Relaxed) {
        return;
    }
    set_purge_delay(false);
    collect();
}

/// Gives back to the system the pages mimalloc holds as free.
fn collect() {
    // SAFETY: `mi_collect` takes no pointer and has no precondition; it only gives back
    // pages mimalloc already holds as free.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
