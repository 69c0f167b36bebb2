//! Step 6, each manager's pay (*compensi del dirigente*), in this order after art. 30:
//! 1. the declared cut (*riduzione*, `riduzioni.csv`): its percentage of the result after
//!    art. 30, rounded once;
//! 2. the reduction of result pay for ex-lege fees (*correlazione dei compensi ex lege*, CCNL
//!    2020 art. 45 c.1 lett. e and art. 60), at most what the cut left;
//! 3. the interim supplements paid;
//! 4. a manager shared with another ente (*convenzione*): this ente's share of each amount
//!    (position, result paid, interim) rounded once per amount, the rest paid by the other
//!    ente and not charged to this fund;
//!
//! and the total charged to the fund.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::error::{add, ov, sub, PayError};
use super::manager::Row;
use super::model::{InterimPay, ManagerPay, OtherEnte};
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
        let reduction = reduction(r, mode)?;
        let after_cut = sub(r.current, reduction)?;
        let fee_reduction = fee_reduction(r, after_cut, fee_percent, mode)?;
        let cuts = Cuts {
            reduction,
            fee_reduction,
        };
        manager_pay(r, interim, cuts, mode)
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

/// `percent`% of `amount`, rounded once.
fn percent_of(amount: Money, percent: Decimal, mode: Rounding) -> Result<Money, PayError> {
    let exact = amount
        .value()
        .checked_mul(percent)
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED));
    Ok(Money::from_exact(ov(exact)?, mode))
}

/// The declared cut: its percentage of the result pay after art. 30, rounded once (at most
/// that result: the percentages are at most 100).
fn reduction(r: &Row, mode: Rounding) -> Result<Money, PayError> {
    if r.input.reduction.is_zero() || r.current.value() <= Decimal::ZERO {
        return Ok(Money::ZERO);
    }
    Ok(percent_of(r.current, r.input.reduction, mode)?.min(r.current))
}

/// The two cuts of result pay after art. 30: the declared one, then the fees'.
struct Cuts {
    reduction: Money,
    fee_reduction: Money,
}

/// The parts of a shared manager's amounts paid by the other ente: each amount less this
/// ente's `share`% of it, rounded once per amount; nothing when the ente pays it all.
fn other_ente(share: Decimal, amounts: [Money; 3], mode: Rounding) -> Result<OtherEnte, PayError> {
    if share == Decimal::ONE_HUNDRED {
        return Ok(OtherEnte::default());
    }
    let other = |a: Money| -> Result<Money, PayError> { sub(a, percent_of(a, share, mode)?) };
    let (position, result, interim) = (other(amounts[0])?, other(amounts[1])?, other(amounts[2])?);
    Ok(OtherEnte {
        position,
        result,
        interim,
        total: add(add(position, result)?, interim)?,
    })
}

/// `percent`% of the fees, rounded, at most `left` (the result pay after art. 30 and the
/// declared cut); none without result pay or without a correlation.
fn fee_reduction(
    r: &Row,
    left: Money,
    fee_percent: Option<Decimal>,
    mode: Rounding,
) -> Result<Money, PayError> {
    match fee_percent {
        Some(p) if left.value() > Decimal::ZERO => {
            let x = Money::from_exact(
                ov(r.input
                    .fees
                    .value()
                    .checked_mul(p)
                    .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)))?,
                mode,
            );
            Ok(x.min(left))
        }
        _ => Ok(Money::ZERO),
    }
}

/// One manager's pay from the row, the interim supplements paid and the cuts.
fn manager_pay(
    r: &Row,
    interim: Money,
    cuts: Cuts,
    mode: Rounding,
) -> Result<ManagerPay, PayError> {
    let m = r.manager();
    let result_paid = sub(sub(r.current, cuts.reduction)?, cuts.fee_reduction)?;
    let share = m.ente_share.unwrap_or(Decimal::ONE_HUNDRED);
    let other = other_ente(share, [r.position_paid, result_paid, interim], mode)?;
    let paid = add(add(r.position_paid, result_paid)?, interim)?;
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
        reduction_percent: r.input.reduction,
        reduction: cuts.reduction,
        fee_reduction: cuts.fee_reduction,
        result_paid,
        ente_share: share,
        other_ente: other,
        total: sub(paid, other.total)?,
        yearly_position_pay: m.yearly_position_pay,
        service_units: r.service.units,
        service_per_year: r.service.per_year,
    })
}
