//! Step 7, the economie and the reconciliation the revisori expect (*quadratura*, Circolare RGS
//! 25/2012): fund + carry-overs = position + result + interim paid + residual carried + economie.

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
    // One pass over the rows (hundreds of bytes each in a large ente).
    let mut result_paid = Money::ZERO;
    for pay in managers {
        economie.fee_reductions = add(economie.fee_reductions, pay.fee_reduction)?;
        result_paid = add(result_paid, pay.result_paid)?;
    }
    economie.interim_unpaid = sums.interim_unpaid;
    economie.total = sub(
        sum([
            economie.quota_reductions,
            economie.ineligible_quotas,
            economie.undistributed,
            economie.fee_reductions,
            economie.interim_unpaid,
        ])?,
        economie.art30_supplements,
    )?;
    let fund = add(pots.position_share, pots.result_share)?;
    let carried_residual = Money::ZERO;
    let left = add(fund, pots.carryovers)?;
    let right = sum([
        sums.position_paid,
        result_paid,
        sums.interim_paid,
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
        position_paid: sums.position_paid,
        result_paid,
        interim: sums.interim_paid,
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
        "Economie (somme non erogate per la valutazione o per i compensi ex lege)",
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
