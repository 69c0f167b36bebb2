//! What the revisori need from the core: the checklist of every legal and arithmetic
//! constraint (`verifica`), each line with its fonte and the figures involved, and the
//! calculation sheet of one figure (`spiega`), compared with the figures a signed document
//! declares (`--dichiarati`). Pure: takes validated inputs and computed results.
//!
//! - [`verify()`]: the checklist, in the order the revisori read it: the sources "da
//!   verificare" of the year, the fund, its coverage, the 2016 cap, the result share,
//!   individual pay, then the fees the year does not admit;
//! - `national`: the year's national rules as the checklist's head shows them
//!   ([`national_rules`]), the avviso of the sources "da verificare", the fees' admissibility;
//! - `explain`: every figure of the trail, the figures one `spiega` names, the catalogue of
//!   the voci ([`VOCI`]), the declared figures compared.

mod explain;
mod national;
mod verify;

pub use explain::{
    catalogued, compare_declared, figures, find, not_found, Asked, Declared, VoceInfo, VOCI,
};
pub use national::{national_rules, RuleLine};
pub use verify::verify;

use crate::money::Money;

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// ✓
    Holds,
    /// ✗: exit 1.
    Fails,
    /// avviso: reported, not blocking.
    Warning,
}

impl Verdict {
    pub fn mark(self) -> &'static str {
        match self {
            Verdict::Holds => "✓",
            Verdict::Fails => "✗",
            Verdict::Warning => "avviso",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Verdict::Holds => "rispettato",
            Verdict::Fails => "violato",
            Verdict::Warning => "avviso",
        }
    }
}

/// One line of the checklist (*controllo*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub verdict: Verdict,
    pub name: String,
    pub source: String,
    /// The figures involved, in words.
    pub figures: String,
}

pub(crate) fn check(ok: bool, name: &str, source: &str, figures: String) -> Check {
    Check {
        verdict: if ok { Verdict::Holds } else { Verdict::Fails },
        name: name.to_string(),
        source: source.to_string(),
        figures,
    }
}

pub(crate) fn sum(items: impl IntoIterator<Item = Money>) -> Money {
    Money::checked_sum(items).unwrap_or(Money::ZERO)
}

pub(crate) fn add(a: Money, b: Money) -> Money {
    a.checked_add(b).unwrap_or(Money::ZERO)
}

pub(crate) fn sub(a: Money, b: Money) -> Money {
    a.checked_sub(b).unwrap_or(Money::ZERO)
}
