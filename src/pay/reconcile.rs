//! Step 7, the economie and the reconciliation the revisori expect (*quadratura*, Circolare RGS
//! 25/2012): fund + carry-overs = position + result + interim paid + residual carried + economie.
//!
//! A manager shared with another ente (*convenzione*): the positions, results and interim of
//! the reconciliation are what this ente pays (its share); the other ente's parts are money of
//! this fund not spent, an economia by its own cause (*a carico di altro ente*), since the
//! pots were split counting the manager in full.

use super::error::{add, sub, sum, PayError};
use super::model::{Economie, ManagerPay, Pots, Reconciliation};
use crate::money::Money;
use crate::trail::{Figure, Term};

/// What the earlier steps hand on to the reconciliation.
pub(super) struct Sums {
    pub position_paid: Money,
    pub unused_position: Money,
    pub interim_paid: Money,
    pub interim_unpaid: Money,
    pub result_pot: Money,
}

/// Completes the economie (fee reductions, unpaid interim), checks that both sides agree and
/// writes the economie and reconciliation figures.
pub(super) fn reconcile(
    pots: &Pots,
    sums: &Sums,
    managers: &[ManagerPay],
    mut economie: Economie,
) -> Result<(Reconciliation, Vec<Figure>), PayError> {
    let ente = ente_sums(managers, &mut economie)?;
    let result_paid = ente.result;
    economie.interim_unpaid = sums.interim_unpaid;
    economie.total = sub(
        sum([
            economie.quota_reductions,
            economie.ineligible_quotas,
            economie.undistributed,
            economie.unassigned,
            economie.fee_reductions,
            economie.interim_unpaid,
            economie.reductions,
            economie.other_ente,
        ])?,
        economie.art30_supplements,
    )?;
    let position_paid = sub(sums.position_paid, ente.other_position)?;
    let interim_paid = sub(sums.interim_paid, ente.other_interim)?;
    let fund = add(pots.position_share, pots.result_share)?;
    let carried_residual = Money::ZERO;
    let left = add(fund, pots.carryovers)?;
    let right = sum([
        position_paid,
        result_paid,
        interim_paid,
        carried_residual,
        economie.total,
    ])?;
    if left != right {
        return Err(PayError::Reconciliation {
            left: left.it(),
            right: right.it(),
        });
    }
    let r = Reconciliation {
        fund,
        carryovers: pots.carryovers,
        position_paid,
        result_paid,
        interim: interim_paid,
        carried_residual,
        economie: economie.total,
        economie_detail: economie,
        unused_position: sums.unused_position,
        result_pot: sums.result_pot,
    };
    let figures = vec![
        economie_figure(&r.economie_detail, &pots.sources.economie),
        reconciliation_figure(&r, left, right, &pots.sources.reconciliation),
    ];
    Ok((r, figures))
}

/// What the managers' rows add up to: the result this ente pays, and the other ente's parts
/// of the positions and interim of shared managers.
struct EnteSums {
    result: Money,
    other_position: Money,
    other_interim: Money,
}

/// One pass over the rows (hundreds of bytes each in a large ente): the economie of the fee
/// reductions, the declared reductions and the other ente's parts, and the [`EnteSums`].
fn ente_sums(managers: &[ManagerPay], economie: &mut Economie) -> Result<EnteSums, PayError> {
    let mut s = EnteSums {
        result: Money::ZERO,
        other_position: Money::ZERO,
        other_interim: Money::ZERO,
    };
    for pay in managers {
        economie.fee_reductions = add(economie.fee_reductions, pay.fee_reduction)?;
        economie.reductions = add(economie.reductions, pay.reduction)?;
        economie.other_ente = add(economie.other_ente, pay.other_ente.total)?;
        s.result = add(s.result, sub(pay.result_paid, pay.other_ente.result)?)?;
        s.other_position = add(s.other_position, pay.other_ente.position)?;
        s.other_interim = add(s.other_interim, pay.other_ente.interim)?;
    }
    Ok(s)
}

/// The economie by cause (ARAN AFL 37), less what the art. 30 supplements took from them
/// (a term only when they took something).
fn economie_figure(e: &Economie, source: &str) -> Figure {
    let mut terms = economie_terms(e);
    let supplements = !e.art30_supplements.value().is_zero();
    if supplements {
        terms.push(Term::figure(
            "Maggiorazioni della differenziazione pagate con le economie della ripartizione",
            e.art30_supplements,
            -1,
            "art30:*",
        ));
    }
    let mut f = Figure::sum(
        "economie",
        "Economie (somme non erogate: per la valutazione, le quote non assegnate, le riduzioni, i compensi ex lege, gli interim, le quote a carico di altro ente; al netto delle maggiorazioni pagate con esse)",
        e.total,
        terms,
        &[source],
    );
    if supplements {
        let causes: Vec<String> = f.terms[..f.terms.len() - 1]
            .iter()
            .map(|t| t.value.it())
            .collect();
        f.formula = format!(
            "{} − {} = {}",
            causes.join(" + "),
            e.art30_supplements.it(),
            e.total.it()
        );
    }
    f
}

/// The economie's causes, each a term.
fn economie_terms(e: &Economie) -> Vec<Term> {
    vec![
        Term::figure(
            "Riduzioni della quota teorica",
            e.quota_reductions,
            1,
            "risultato:*",
        ),
        Term::figure(
            "Quote dei dirigenti sotto la soglia",
            e.ineligible_quotas,
            1,
            "risultato:*",
        ),
        Term::figure(
            "Risultato non ripartito",
            e.undistributed,
            1,
            "risultato_da_ripartire",
        ),
        Term::figure(
            "Riduzioni per compensi ex lege",
            e.fee_reductions,
            1,
            "riduzione_compensi:*",
        ),
        Term::figure("Interim non erogati", e.interim_unpaid, 1, "interim:*"),
    ]
    .into_iter()
    .chain(new_causes(e))
    .collect()
}

/// The causes of economie added with the fixed bases, `riduzioni.csv` and `quota_ente`:
/// each term only when it is not zero (a year without them reads as before).
fn new_causes(e: &Economie) -> impl Iterator<Item = Term> {
    [
        (!e.unassigned.value().is_zero()).then(|| {
            Term::figure(
                "Risultato non assegnato ai posti (quote fisse o quote dei posti dell'organigramma: posti vacanti, coperti ad interim o senza servizio)",
                e.unassigned,
                1,
                "risultato_da_ripartire",
            )
        }),
        (!e.reductions.value().is_zero()).then(|| {
            Term::figure(
                "Riduzioni dichiarate del risultato (riduzioni.csv)",
                e.reductions,
                1,
                "riduzione:*",
            )
        }),
        (!e.other_ente.value().is_zero()).then(|| {
            Term::figure(
                "Quote dei dirigenti condivisi a carico di altro ente",
                e.other_ente,
                1,
                "quota_ente:*",
            )
        }),
    ]
    .into_iter()
    .flatten()
}

/// The reconciliation's figure: both sides, `left` and `right`, term by term.
fn reconciliation_figure(r: &Reconciliation, left: Money, right: Money, source: &str) -> Figure {
    Figure {
        voce: "quadratura_compensi".into(),
        description: "Quadratura: fondo + riporti = posizione + risultato + interim + residuo riportato + economie".into(),
        value: left.into(),
        formula: format!(
            "{} + {} = {} + {} + {} + {} + {} = {}",
            r.fund,
            r.carryovers,
            r.position_paid,
            r.result_paid,
            r.interim,
            r.carried_residual,
            r.economie,
            right
        ),
        terms: Vec::new(),
        sources: vec![source.to_string().into()],
        roundings: Vec::new(),
    }
}
