//! Step 4, the split of the result pot (*ripartizione della retribuzione di risultato*): Model A
//! shares the whole pot by b × t × c among the eligible managers; Model B gives each manager a
//! theoretical quota by b × t and pays it × min(1, c), the rest being an economia. With a
//! base fixed in advance per post (`[valutazione] quota`: `valore_punto`, `importo_fascia`,
//! `percentuale_posizione`, `euro_per_punto`) each quota is the post's own, whoever else is
//! present: the pot must cover the quotas (else a located error, never a pro-rata) and what
//! is left is an economia (*risultato non assegnato*).

use rust_decimal::Decimal;

use super::error::{add, ov, sub, PayError, QuotasExceed};
use super::manager::Row;
use super::model::Economie;
use super::rules::{Model, PayRules, ResultQuota};
use crate::alloc::{self, Share};
use crate::money::Money;
use crate::par::in_order;
use rayon::prelude::*;

/// Splits `pot` over the rows (in matricola order), setting each row's quota and result pay
/// and adding the largest remainder's cents to `moved`; returns the economie of the split.
pub(super) fn split_pot(
    rows: &mut [Row],
    pot: Money,
    rules: &PayRules,
    moved: &mut [i64],
) -> Result<Economie, PayError> {
    if rules.quota.is_fixed() {
        return fixed_quotas(rows, pot, rules);
    }
    let mut economie = Economie::default();
    let claims = claims(rows, rules.model)?;
    let total_weight = ov(claims
        .iter()
        .try_fold(Decimal::ZERO, |a, c| a.checked_add(*c)))?;
    let anyone_eligible = rows.iter().any(|r| r.eligible);
    if !anyone_eligible || total_weight.is_zero() {
        economie.undistributed = pot;
        return Ok(economie);
    }
    // Rows are in matricola order: the tie-break of the split.
    let shares = alloc::split(pot, &claims, |i| rows[i].manager().matricola.clone())?;
    for (m, s) in moved.iter_mut().zip(&shares) {
        *m += i64::from(s.extra);
    }
    result_pays(rows, &shares, rules)?;
    if rules.model == Model::Quota {
        quota_economie(rows, &mut economie)?;
    }
    Ok(economie)
}

/// Each row's claim on the pot: b × t × c (Model A, 0 below the threshold) or b × t (Model B).
fn claims(rows: &[Row], model: Model) -> Result<Vec<Decimal>, PayError> {
    let with_c = model == Model::Full;
    let weight = |r: &Row| -> Option<Decimal> {
        let w = r.base.checked_mul(Decimal::from(r.service.units))?;
        if with_c {
            w.checked_mul(r.coefficient)
        } else {
            Some(w)
        }
    };
    // The only error, an overflow, names no one: the same whatever the threads.
    in_order(rows.len(), |k| {
        let r = &rows[k];
        match model {
            Model::Full if !r.eligible => Ok(Decimal::ZERO),
            _ => ov(weight(r)),
        }
    })
}

/// Each row's quota and result pay from its share of the pot.
fn result_pays(rows: &mut [Row], shares: &[Share], rules: &PayRules) -> Result<(), PayError> {
    // Each manager on its own, on all cores (the only error, an overflow, names no one).
    rows.par_iter_mut()
        .zip(shares)
        .try_for_each(|(r, s)| -> Result<(), PayError> {
            let q = s.value;
            r.quota = q;
            r.result = match rules.model {
                Model::Full => q,
                Model::Quota if r.eligible => Money::from_exact(
                    ov(q.value().checked_mul(r.coefficient.min(Decimal::ONE)))?,
                    rules.rounding,
                ),
                Model::Quota => Money::ZERO,
            };
            r.current = r.result;
            Ok(())
        })
}

/// Model B's economie: Q_i − R_i of the eligible managers, the quotas of the others.
fn quota_economie(rows: &[Row], economie: &mut Economie) -> Result<(), PayError> {
    for r in rows {
        let gap = sub(r.quota, r.result)?;
        if r.eligible {
            economie.quota_reductions = add(economie.quota_reductions, gap)?;
        } else {
            economie.ineligible_quotas = add(economie.ineligible_quotas, gap)?;
        }
    }
    Ok(())
}

/// The fixed bases: each row's quota and result pay on its own (in matricola order, on all
/// cores), then the quotas against the pot; the economie by cause, the pot not assigned
/// among them.
fn fixed_quotas(rows: &mut [Row], pot: Money, rules: &PayRules) -> Result<Economie, PayError> {
    let fixed = in_order(rows.len(), |k| fixed_quota(&rows[k], rules))?;
    let mut economie = Economie::default();
    let mut quotas = Money::ZERO;
    for (r, (base, quota, result)) in rows.iter_mut().zip(fixed) {
        r.base = base;
        r.quota = quota;
        r.result = result;
        r.current = result;
        quotas = add(quotas, quota)?;
    }
    if quotas > pot {
        return Err(PayError::FixedQuotasExceed(Box::new(QuotasExceed {
            quota: rules.quota.key().to_string(),
            key: rules.quota.value_key().unwrap_or_default().to_string(),
            origin: rules.quota_origin.clone(),
            quotas: quotas.it(),
            pot: pot.it(),
            excess: sub(quotas, pot)?.it(),
        })));
    }
    quota_economie(rows, &mut economie)?;
    economie.unassigned = sub(pot, quotas)?;
    Ok(economie)
}

/// One row under a fixed base: the base shown (points, position pay or score), the quota
/// `amount × t` and the result `amount × t × f` (f = min(1, c), or 1 under `euro_per_punto`;
/// 0 below the threshold), each rounded once from the exact value.
fn fixed_quota(r: &Row, rules: &PayRules) -> Result<(Decimal, Money, Money), PayError> {
    let d = r.manager();
    let points = || {
        d.grading_points
            .ok_or_else(|| PayError::MissingGradingPoints(d.matricola.to_string()))
    };
    let (base, amount) = match &rules.quota {
        ResultQuota::Shared => return Err(PayError::Overflow),
        ResultQuota::PointValue(v) => {
            let p = points()?;
            (p, ov(p.checked_mul(*v))?)
        }
        ResultQuota::BandAmount(bands) => {
            let p = points()?;
            let amount =
                ResultQuota::band_amount(bands, p).ok_or_else(|| PayError::NoAmountBand {
                    matricola: d.matricola.to_string(),
                    points: super::rules::num(p),
                })?;
            (p, amount.value())
        }
        ResultQuota::PositionPercent(pc) => {
            let y = d.yearly_position_pay.value();
            (
                y,
                ov(y.checked_mul(*pc)
                    .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)))?,
            )
        }
        // Below the threshold the score's points are worth nothing: no quota.
        ResultQuota::ScorePoint(_) if !r.eligible => (r.score, Decimal::ZERO),
        ResultQuota::ScorePoint(v) => (r.score, ov(r.score.checked_mul(*v))?),
    };
    let factor = match (r.eligible, rules.quota.with_coefficient()) {
        (false, _) => Decimal::ZERO,
        (true, true) => r.coefficient.min(Decimal::ONE),
        (true, false) => Decimal::ONE,
    };
    let exact = ov(r.service.apply(amount))?;
    let quota = Money::from_exact(exact, rules.rounding);
    let paid = ov(amount.checked_mul(factor).and_then(|x| r.service.apply(x)))?;
    Ok((base, quota, Money::from_exact(paid, rules.rounding)))
}
