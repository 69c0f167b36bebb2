//! Step 4, the split of the result pot (*ripartizione della retribuzione di risultato*): Model A
//! shares the whole pot by b × t × c among the eligible managers; Model B gives each manager a
//! theoretical quota by b × t and pays it × min(1, c), the rest being an economia.

use rust_decimal::Decimal;

use super::error::{add, ov, sub, PayError};
use super::manager::Row;
use super::model::Economie;
use super::rules::{Model, PayRules};
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
