//! The verdict line that ends `calcola` (`verifica: 14 ✓, 1 ✗, 2 avvisi`), with a line for
//! each failed check under it: what was checked and its figures. The details and the sources
//! are in `ccdi verifica`, whose exit status is the one that tells.

use crate::audit::{Check, Verdict};

/// The verdict of the checks, then each ✗ with its name and figures.
pub(super) fn line(checks: &[Check]) -> String {
    let count = |v: Verdict| checks.iter().filter(|c| c.verdict == v).count();
    let warnings = count(Verdict::Warning);
    let mut out = format!(
        "verifica: {} ✓, {} ✗, {} {}\n",
        count(Verdict::Holds),
        count(Verdict::Fails),
        warnings,
        if warnings == 1 { "avviso" } else { "avvisi" }
    );
    for c in checks.iter().filter(|c| c.verdict == Verdict::Fails) {
        out.push_str(&format!("  ✗ {}: {}\n", c.name, c.figures));
    }
    out
}
