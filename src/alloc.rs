//! Splitting an amount among claimants by largest remainder (Hamilton), to the cent or to the
//! hundredth of a percentage point, with a declared tie-break and the list of units moved.
//!
//! This is the core primitive behind every split the auditors re-check: the shares always add
//! up exactly to the amount split.

use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::money::{round, Money, Percent, Rounding};
use crate::par::in_order;

/// The declared rule for leftover units, shown in reports.
pub const TIE_BREAK_RULE: &str = "metodo del resto maggiore: ogni quota è prima troncata al centesimo; i centesimi residui vanno, uno ciascuno, alle quote con il resto più alto; a parità di resto precede la quota esatta maggiore, poi il codice (matricola) in ordine alfabetico";

/// One claimant: a stable identifier (matricola, code) and a non-negative weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub id: String,
    pub weight: Decimal,
}

/// One share of a split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub id: String,
    /// The exact proportional value (28 significant digits).
    pub exact: Decimal,
    /// The value truncated to the unit.
    pub floor: Decimal,
    /// Units (cents) added by the largest-remainder rule: 0 or 1.
    pub extra_units: u32,
    /// The final value: floor + extra units.
    pub value: Decimal,
}

/// Why a split could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("ripartizione impossibile: la somma dei pesi è zero")]
    ZeroWeights,
    #[error("ripartizione impossibile: peso negativo per {0}")]
    NegativeWeight(String),
    #[error("ripartizione impossibile: importo negativo")]
    NegativeTotal,
    #[error("ripartizione impossibile: valori troppo grandi")]
    Overflow,
}

/// Decimals to be compared many times (a selection among a large ente's managers): each
/// compared as the integer `value × 10²⁸`, exact since a decimal has at most 28 decimals,
/// when every one fits 128 bits; else as decimals. The same order either way.
pub struct Ordered<'a> {
    values: &'a [Decimal],
    keys: Option<Vec<i128>>,
}

impl<'a> Ordered<'a> {
    pub fn new(values: &'a [Decimal]) -> Ordered<'a> {
        let key = |d: &Decimal| {
            10i128
                .checked_pow(28 - d.scale())
                .and_then(|p| d.mantissa().checked_mul(p))
        };
        let keys = if values.len() >= PARALLEL_FROM {
            values.par_iter().map(key).collect()
        } else {
            values.iter().map(key).collect()
        };
        Ordered { values, keys }
    }

    /// The order of values `a` and `b`.
    pub fn cmp(&self, a: usize, b: usize) -> std::cmp::Ordering {
        match &self.keys {
            Some(k) => k[a].cmp(&k[b]),
            None => self.values[a].cmp(&self.values[b]),
        }
    }
}

/// The sum of decimals, as their `checked_add` one after the other gives it (`None` on
/// overflow). Values of one scale whose mantissas fit 64 bits, as cents and most weights
/// are, are added as integers, which gives the same decimal; any other list is added as
/// decimals from the start.
pub fn exact_sum(values: impl Iterator<Item = Decimal> + Clone) -> Option<Decimal> {
    let decimal = || {
        values
            .clone()
            .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
    };
    let mut it = values.clone().peekable();
    let Some(scale) = it.peek().map(|d| d.scale()) else {
        return Some(Decimal::ZERO);
    };
    let mut sum: i128 = 0;
    for v in it {
        match i64::try_from(v.mantissa()) {
            // Each partial sum within 96 bits: each decimal addition was exact, at the
            // common scale.
            Ok(m) if v.scale() == scale && (sum + i128::from(m)).unsigned_abs() < 1 << 96 => {
                sum += i128::from(m)
            }
            _ => return decimal(),
        }
    }
    // A zero sum is left to the decimal additions, which keep the sign of a `-0`.
    Decimal::try_from_i128_with_scale(sum, scale)
        .ok()
        .filter(|_| sum != 0)
        .or_else(decimal)
}

/// Claimants from which a split is computed on all cores.
const PARALLEL_FROM: usize = 4096;

/// One share of a split of claimants known by their position (see [`split_in_order`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// The exact proportional value (28 significant digits).
    pub exact: Decimal,
    /// The value truncated to the unit.
    pub floor: Decimal,
    /// Units (cents) added by the largest-remainder rule: 0 or 1.
    pub extra_units: u32,
    /// The final value: floor + extra units.
    pub value: Decimal,
}

/// The largest-remainder split of `total` (a multiple of `unit`) by `weights`. `name(i)`
/// names claimant `i` in an error; `tie(a, b)` orders claimants of equal remainder and equal
/// exact share (their code).
fn split_parts(
    total: Decimal,
    unit: Decimal,
    weights: &[Decimal],
    name: impl Fn(usize) -> String,
    tie: impl Fn(usize, usize) -> std::cmp::Ordering,
) -> Result<Vec<Part>, SplitError> {
    if total.is_sign_negative() && !total.is_zero() {
        return Err(SplitError::NegativeTotal);
    }
    if let Some(i) = weights
        .iter()
        .position(|w| w.is_sign_negative() && !w.is_zero())
    {
        return Err(SplitError::NegativeWeight(name(i)));
    }
    let sum_w = exact_sum(weights.iter().copied()).ok_or(SplitError::Overflow)?;
    if weights.is_empty() || sum_w.is_zero() {
        if total.is_zero() {
            return Ok(weights
                .iter()
                .map(|_| Part {
                    exact: Decimal::ZERO,
                    floor: Decimal::ZERO,
                    extra_units: 0,
                    value: Decimal::ZERO,
                })
                .collect());
        }
        return Err(SplitError::ZeroWeights);
    }
    // A unit of 10^-k (the cent): the floor is the exact share truncated to k decimals, at
    // scale k, as `trunc(exact / unit) × unit` gives, without the two divisions.
    let unit_decimals = (unit.mantissa() == 1).then(|| unit.scale());
    let part = |w: &Decimal| -> Result<Part, SplitError> {
        let exact = total
            .checked_mul(*w)
            .and_then(|p| p.checked_div(sum_w))
            .or_else(|| w.checked_div(sum_w).and_then(|r| r.checked_mul(total)))
            .ok_or(SplitError::Overflow)?;
        let floor = match unit_decimals {
            Some(k) => {
                // Shares are non-negative: rounding down is truncation.
                let mut f = round(exact, k, Rounding::Down);
                f.rescale(k);
                f
            }
            None => exact
                .checked_div(unit)
                .ok_or(SplitError::Overflow)?
                .trunc()
                .checked_mul(unit)
                .ok_or(SplitError::Overflow)?,
        };
        Ok(Part {
            exact,
            floor,
            extra_units: 0,
            value: floor,
        })
    };
    // Each share on its own: on all cores for a large ente (the only error, an overflow,
    // names no one, so the outcome does not depend on the threads).
    let (mut shares, remainders): (Vec<Part>, Vec<Decimal>) = if weights.len() >= PARALLEL_FROM {
        let shares = in_order(weights.len(), |i| part(&weights[i]))?;
        let remainders = shares.par_iter().map(|s| s.exact - s.floor).collect();
        (shares, remainders)
    } else {
        let shares = weights.iter().map(part).collect::<Result<Vec<_>, _>>()?;
        let remainders = shares.iter().map(|s| s.exact - s.floor).collect();
        (shares, remainders)
    };
    let floors = exact_sum(shares.iter().map(|s| s.floor)).ok_or(SplitError::Overflow)?;
    let leftover = (total - floors)
        .checked_div(unit)
        .ok_or(SplitError::Overflow)?
        .round();
    let leftover = leftover.to_usize().unwrap_or(0).min(shares.len());
    if leftover == 0 {
        return Ok(shares);
    }
    // The order is total (codes are unique), so picking the first `leftover` claims gives
    // the same set as sorting them all.
    let remainders = Ordered::new(&remainders);
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.select_nth_unstable_by(leftover - 1, |&a, &b| {
        remainders
            .cmp(b, a)
            .then_with(|| shares[b].exact.cmp(&shares[a].exact))
            .then_with(|| tie(a, b))
    });
    for &i in order.iter().take(leftover) {
        shares[i].extra_units = 1;
        shares[i].value = shares[i].floor + unit;
    }
    Ok(shares)
}

/// Splits `total` (a multiple of `unit`) proportionally to the weights by largest remainder.
/// The result has one share per claim, in the order given, summing exactly to `total`.
pub fn split_units(
    total: Decimal,
    unit: Decimal,
    claims: &[Claim],
) -> Result<Vec<Share>, SplitError> {
    let weights: Vec<Decimal> = claims.iter().map(|c| c.weight).collect();
    let parts = split_parts(
        total,
        unit,
        &weights,
        |i| claims[i].id.clone(),
        |a, b| claims[a].id.cmp(&claims[b].id),
    )?;
    Ok(claims
        .iter()
        .zip(parts)
        .map(|(c, p)| Share {
            id: c.id.clone(),
            exact: p.exact,
            floor: p.floor,
            extra_units: p.extra_units,
            value: p.value,
        })
        .collect())
}

/// [`split_money`] for claimants listed in the order of their codes (a manager's matricola),
/// known by position: the same shares, without a code per share. `name(i)` names claimant
/// `i` in an error.
pub fn split_in_order(
    total: Money,
    weights: &[Decimal],
    name: impl Fn(usize) -> String,
) -> Result<Vec<Part>, SplitError> {
    split_parts(total.value(), Decimal::new(1, 2), weights, name, |a, b| {
        a.cmp(&b)
    })
}

/// Below this, `total × sum of weights` (total in cents) keeps the integer and the decimal
/// splits apart: see [`split_cents_in_order`].
const CENTS_BOUND: u128 = 100_000_000_000_000_000_000_000_000;

/// One share of [`split_cents_in_order`]: its value and whether the largest-remainder rule
/// added a cent to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CentShare {
    pub value: Money,
    pub extra: bool,
}

/// [`split_in_order`] on integers: the same shares, or `None` when that cannot be shown,
/// and the decimal split is to be used.
///
/// With the weights as integers at their largest scale, each share is `total × weight /
/// sum` cents, whose floor and remainder are exact integers. The decimal split computes
/// `total × weight` exactly (under 10²⁶, it fits 96 bits) and divides it to 28 significant
/// digits (or 28 decimals): an error under 10⁻²⁷ of the share, so under `total / 10²⁷`
/// cents. While `total × sum` is under 10²⁶ (and `sum`, under 2⁶⁴, is far under the 10²⁵
/// that the 28 decimals of the shares under 8 euros need), that error is under a tenth of
/// `1 / sum`, the least gap between two different remainders or between a remainder and a
/// whole cent: the floors and the order of different remainders are the decimal split's.
/// Equal remainders of shares with different floors may be ordered otherwise by the decimal
/// rounding: when such shares straddle the last cent given, the answer is `None`.
pub fn split_cents_in_order(total: Money, weights: &[Decimal]) -> Option<Vec<CentShare>> {
    let t = u64::try_from(total.cents()?).ok()?;
    let scale = weights.iter().map(|d| d.scale()).max().unwrap_or(0);
    // Weights, and so remainders, within 64 bits (the floors are under the total).
    let w: Vec<u64> = weights
        .iter()
        .map(|d| {
            let m = u64::try_from(d.mantissa()).ok()?;
            m.checked_mul(10u64.checked_pow(scale - d.scale())?)
        })
        .collect::<Option<_>>()?;
    let sum = w.iter().try_fold(0u64, |a, &x| a.checked_add(x))?;
    if sum == 0 || u128::from(t) * u128::from(sum) >= CENTS_BOUND {
        return None;
    }
    // (floor, remainder) of each share, in cents and in 1/sum of a cent: both under 2⁶⁴.
    let part = |&x: &u64| {
        let p = u128::from(t) * u128::from(x);
        let s = u128::from(sum);
        ((p / s) as u64, (p % s) as u64)
    };
    let parts: Vec<(u64, u64)> = if w.len() >= PARALLEL_FROM {
        w.par_iter().map(part).collect()
    } else {
        w.iter().map(part).collect()
    };
    let floors: u64 = parts.iter().map(|p| p.0).sum();
    let leftover = usize::try_from(t - floors).ok()?.min(parts.len());
    let mut extra = vec![false; parts.len()];
    if leftover > 0 {
        // Largest remainder first, then the position. (The decimal split puts the larger
        // exact share first among equal remainders; that only matters for equal
        // remainders across the cut, which are equal shares here or else refused below.)
        let mut order: Vec<usize> = (0..parts.len()).collect();
        order.select_nth_unstable_by_key(leftover - 1, |&i| (std::cmp::Reverse(parts[i].1), i));
        let cut = parts[order[leftover - 1]].1;
        // The shares with the cut's remainder, given a cent or not: one floor, or unknown.
        let mut floors_at_cut = parts.iter().filter(|p| p.1 == cut).map(|p| p.0);
        let first = floors_at_cut.next();
        let straddle = order[leftover..].iter().any(|&i| parts[i].1 == cut);
        if straddle && floors_at_cut.any(|f| Some(f) != first) {
            return None;
        }
        for &i in &order[..leftover] {
            extra[i] = true;
        }
    }
    parts
        .iter()
        .zip(extra)
        .map(|(&(f, _), e)| {
            let cents = i64::try_from(f + u64::from(e)).ok()?;
            Some(CentShare {
                value: Money::from_cents(cents),
                extra: e,
            })
        })
        .collect()
}

/// [`split_in_order`] as cents: on integers when that gives the same shares
/// ([`split_cents_in_order`]), else on decimals.
pub fn split_cents(
    total: Money,
    weights: &[Decimal],
    name: impl Fn(usize) -> String,
) -> Result<Vec<CentShare>, SplitError> {
    if let Some(shares) = split_cents_in_order(total, weights) {
        return Ok(shares);
    }
    Ok(split_in_order(total, weights, name)?
        .into_iter()
        .map(|s| CentShare {
            value: Money::from_exact(s.value, Rounding::HalfUp),
            extra: s.extra_units > 0,
        })
        .collect())
}

/// Splits an amount to the cent. The shares sum exactly to `total`.
pub fn split_money(total: Money, claims: &[Claim]) -> Result<Vec<Share>, SplitError> {
    split_units(total.value(), Decimal::new(1, 2), claims)
}

/// A column of displayed percentages for parts of a total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PercentColumn {
    pub values: Vec<Percent>,
    /// True when the half-up values did not add to 100,00 and the largest-remainder rule was
    /// used instead.
    pub adjusted: bool,
}

/// Displayed percentages: each is `round_half_up(100 × part / total, 2)`; if the column does
/// not add to 100,00, the largest-remainder rule on hundredths of a point is used instead, so
/// the column always adds to 100,00 and each value stays within 0,01 of the exact ratio.
pub fn percent_column(parts: &[Money], total: Money) -> Result<PercentColumn, SplitError> {
    if total.value().is_zero() {
        return Ok(PercentColumn {
            values: parts.iter().map(|_| Percent::new(Decimal::ZERO)).collect(),
            adjusted: false,
        });
    }
    let mut half_up = Vec::with_capacity(parts.len());
    for p in parts {
        let exact = p
            .value()
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|x| x.checked_div(total.value()))
            .ok_or(SplitError::Overflow)?;
        half_up.push(round(exact, 2, Rounding::HalfUp));
    }
    let sum: Decimal = half_up.iter().sum();
    if sum == Decimal::ONE_HUNDRED {
        return Ok(PercentColumn {
            values: half_up.into_iter().map(Percent::new).collect(),
            adjusted: false,
        });
    }
    let claims: Vec<Claim> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| Claim {
            id: format!("{i:06}"),
            weight: p.value(),
        })
        .collect();
    let shares = split_units(Decimal::ONE_HUNDRED, Decimal::new(1, 2), &claims)?;
    Ok(PercentColumn {
        values: shares.into_iter().map(|s| Percent::new(s.value)).collect(),
        adjusted: true,
    })
}
