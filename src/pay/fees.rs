//! Step 6, each manager's pay (*compensi del dirigente*): the reduction of result pay for
//! ex-lege fees (*correlazione dei compensi ex lege*, CCNL 2020 art. 45 c.1 lett. e and art.
//! 60), the interim supplements paid, and the total charged to the fund.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::error::{add, ov, sub, PayError};
use super::manager::Row;
use super::model::{InterimPay, ManagerPay};
use super::rules::FeeCorrelation;
use crate::money::{Money, Rounding};
use crate::par::in_order;

/// The percentage of the fees taken from result pay, when the rules correlate them.
pub(super) fn fee_percent(fees: &FeeCorrelation) -> Option<Decimal> {
    match fees {
        FeeCorrelation::None => None,
        FeeCorrelation::Reduce { percent } => Some(*percent),
    }
}

/// Every manager's pay, in the order of the rows (matricola).
pub(super) fn manager_pays(
    rows: &[Row],
    interims: &[InterimPay],
    fee_percent: Option<Decimal>,
    mode: Rounding,
) -> Result<Vec<ManagerPay>, PayError> {
    let interim_by = interim_by_manager(interims)?;
    // Each manager on its own, on all cores; gathered in matricola order, first error first.
    in_order::<_, PayError>(rows.len(), |k| {
        let r = &rows[k];
        let interim = interim_by
            .get(&*r.manager().matricola)
            .copied()
            .unwrap_or(Money::ZERO);
        let fee_reduction = fee_reduction(r, fee_percent, mode)?;
        manager_pay(r, interim, fee_reduction)
    })
}

/// The interim supplements paid to each covering manager.
fn interim_by_manager(interims: &[InterimPay]) -> Result<BTreeMap<&str, Money>, PayError> {
    interims.iter().try_fold(BTreeMap::new(), |mut acc, p| {
        let e = acc.entry(&*p.matricola).or_insert(Money::ZERO);
        *e = add(*e, p.paid)?;
        Ok(acc)
    })
}

/// `percent`% of the fees, rounded, at most the result pay after art. 30; none without result
/// pay or without a correlation.
fn fee_reduction(r: &Row, fee_percent: Option<Decimal>, mode: Rounding) -> Result<Money, PayError> {
    match fee_percent {
        Some(p) if r.current.value() > Decimal::ZERO => {
            let x = Money::from_exact(
                ov(r.input
                    .fees
                    .value()
                    .checked_mul(p)
                    .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)))?,
                mode,
            );
            Ok(x.min(r.current))
        }
        _ => Ok(Money::ZERO),
    }
}

/// One manager's pay from the row, the interim supplements paid and the fee reduction.
fn manager_pay(r: &Row, interim: Money, fee_reduction: Money) -> Result<ManagerPay, PayError> {
    let m = r.manager();
    let result_paid = sub(r.current, fee_reduction)?;
    Ok(ManagerPay {
        matricola: m.matricola.clone(),
        name: m.name.clone(),
        post: m.post.clone(),
        days: r.service.days,
        service_fraction: r.service.fraction(),
        position_paid: r.position_paid,
        score: r.score,
        eligible: r.eligible,
        coefficient: r.coefficient,
        base_weight: r.base,
        quota: r.quota,
        result_pay: r.result,
        art30_supplement: sub(r.current, r.result)?,
        art30_top: r.top,
        result_after_art30: r.current,
        interim,
        fees: r.input.fees,
        fee_reduction,
        result_paid,
        total: add(add(r.position_paid, result_paid)?, interim)?,
        yearly_position_pay: m.yearly_position_pay,
        service_units: r.service.units,
        service_per_year: r.service.per_year,
    })
}
