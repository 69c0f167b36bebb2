//! The figures of a run for `spiega` (every one, or those a voce or a matricola names) and
//! the comparison with the figures a signed document declares (`verifica --dichiarati`).

use std::borrow::Cow;

use super::{sub, Check, Verdict};
use crate::engine::Outcome;
use crate::money::Money;
use crate::trail::{Figure, FigureValue};

/// Every figure of a run: the fund's, then the pay's (each manager's written on request).
pub fn figures(outcome: &Outcome) -> impl Iterator<Item = Cow<'_, Figure>> + '_ {
    let pay = outcome.pay.iter().flat_map(|p| p.figures().map(Cow::Owned));
    outcome
        .fund
        .trail
        .figures
        .iter()
        .map(Cow::Borrowed)
        .chain(pay)
}

/// The figures a `spiega` argument names: a voce id exactly, or every figure of a matricola
/// (`risultato:D001`, `totale:D001`, `interim:D001:...`).
pub fn find<'a>(outcome: &'a Outcome, what: &str) -> Vec<Cow<'a, Figure>> {
    // The pay figures of the voce or matricola, written once.
    let named = outcome
        .pay
        .as_ref()
        .map(|p| p.figures_named(what))
        .unwrap_or_default();
    let pick = |keep: &dyn Fn(&Figure) -> bool| -> Vec<Cow<'a, Figure>> {
        outcome
            .fund
            .trail
            .figures
            .iter()
            .filter(|f| keep(f))
            .map(Cow::Borrowed)
            .chain(named.iter().filter(|f| keep(f)).cloned().map(Cow::Owned))
            .collect()
    };
    let exact = pick(&|f| f.voce == what);
    if !exact.is_empty() {
        return exact;
    }
    pick(&|f| f.voce.split(':').nth(1) == Some(what))
}

/// One declared figure compared with the recomputation (`--dichiarati`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub voce: String,
    pub declared: Money,
    pub origin: String,
}

/// Compares declared figures with the computed ones: one check per declared row.
pub fn compare_declared(outcome: &Outcome, declared: &[Declared]) -> Vec<Check> {
    declared
        .iter()
        .map(|d| {
            let found = find(outcome, &d.voce)
                .into_iter()
                .find(|f| f.voce == d.voce);
            match found.map(|f| f.value) {
                Some(FigureValue::Money(m)) => {
                    let diff = sub(d.declared, m);
                    Check {
                        verdict: if diff.value().is_zero() { Verdict::Holds } else { Verdict::Fails },
                        name: format!("Cifra dichiarata \"{}\"", d.voce),
                        source: d.origin.clone(),
                        figures: format!("dichiarato {}, ricalcolato {}, differenza {}", d.declared.it(), m.it(), diff.it()),
                    }
                }
                Some(FigureValue::Percent(p)) => Check {
                    verdict: if p.value() == d.declared.value() { Verdict::Holds } else { Verdict::Fails },
                    name: format!("Percentuale dichiarata \"{}\"", d.voce),
                    source: d.origin.clone(),
                    figures: format!("dichiarato {}%, ricalcolato {}%", d.declared.it(), p.it(2)),
                },
                None => Check {
                    verdict: Verdict::Fails,
                    name: format!("Cifra dichiarata \"{}\"", d.voce),
                    source: d.origin.clone(),
                    figures: "voce sconosciuta: nessuna cifra ricalcolata con questo nome (vedere ccdi spiega)".into(),
                },
            }
        })
        .collect()
}
