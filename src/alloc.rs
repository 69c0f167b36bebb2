//! Splitting an amount among claimants by largest remainder (Hamilton), to the cent, with a
//! declared tie-break and the cents each share gained: [`split`], the one split of money,
//! and [`percent_column`], the displayed percentages of a column.
//!
//! This is the core primitive behind every split the auditors re-check: the shares always add
//! up exactly to the amount split. Every split is exact: each share's floor and remainder are
//! integers over the sum of the weights (never a rounded quotient), on 64 bits for most
//! splits, else on 384 bits (`wide`); the two paths are private and checked against each
//! other by the property tests below.

use std::cmp::Ordering;
use std::fmt::Display;

use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::money::{round, Money, Percent, Rounding};
use crate::par::in_order;
use wide::Wide;

mod wide;

/// The declared rule for leftover units, shown in reports.
pub const TIE_BREAK_RULE: &str = "metodo del resto maggiore: ogni quota è prima troncata al centesimo; i centesimi residui vanno, uno ciascuno, alle quote con il resto più alto; a parità di resto precede la quota esatta maggiore, poi il codice (matricola) in ordine alfabetico";

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

/// One share of a [`split`] (*quota*): its value, and whether the largest-remainder rule added
/// a cent to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub value: Money,
    pub extra: bool,
}

/// Splits `total` among claimants in proportion to their weights, to the cent, by largest
/// remainder ([`TIE_BREAK_RULE`]): one share per weight, in the order given, adding up exactly
/// to `total`. `code(i)` is claimant `i`'s code (a matricola): it settles equal remainders of
/// equal exact shares and names a claimant in an error. The shares do not depend on the order
/// of the claimants.
pub fn split<C: Ord + Display>(
    total: Money,
    weights: &[Decimal],
    code: impl Fn(usize) -> C,
) -> Result<Vec<Share>, SplitError> {
    if let Some(shares) = split_integer(total, weights, &code) {
        return Ok(shares);
    }
    let parts = split_parts(
        total.value(),
        2,
        weights,
        |i| code(i).to_string(),
        |a, b| code(a).cmp(&code(b)),
    )?;
    Ok(parts
        .into_iter()
        .map(|p| Share {
            value: Money::from_exact(p.value, Rounding::HalfUp),
            extra: p.extra_units > 0,
        })
        .collect())
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
    // Hundredths of a point, the parts in their order.
    let weights: Vec<Decimal> = parts.iter().map(|p| p.value()).collect();
    let shares = split_parts(
        Decimal::ONE_HUNDRED,
        2,
        &weights,
        |i| i.to_string(),
        |a, b| a.cmp(&b),
    )?;
    Ok(PercentColumn {
        values: shares.into_iter().map(|s| Percent::new(s.value)).collect(),
        adjusted: true,
    })
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
    pub fn cmp(&self, a: usize, b: usize) -> Ordering {
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
fn exact_sum(values: impl Iterator<Item = Decimal> + Clone) -> Option<Decimal> {
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

/// One share of the decimal split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Part {
    /// The exact share truncated to the unit.
    floor: Decimal,
    /// Units (cents) added by the largest-remainder rule: 0 or 1.
    extra_units: u32,
    /// The final value: floor + extra units.
    value: Decimal,
}

impl Part {
    const ZERO: Part = Part {
        floor: Decimal::ZERO,
        extra_units: 0,
        value: Decimal::ZERO,
    };
}

/// The exact largest-remainder split of `total` (a multiple of the unit 10^-`decimals`) by
/// `weights`. `name(i)` names claimant `i` in an error; `tie(a, b)` orders claimants of equal
/// remainder and equal exact share (their code).
///
/// Exact: with the total in units `T` and the weights as integers `W_i` at their largest
/// scale, share `i` is `T × W_i / S` units (`S = Σ W_j`); its floor and its remainder (in
/// 1/S of a unit) are integers, computed on 384 bits ([`wide::Wide`]), so equal remainders
/// are equal and different ones are never swapped by a rounded quotient.
fn split_parts(
    total: Decimal,
    decimals: u32,
    weights: &[Decimal],
    name: impl Fn(usize) -> String,
    tie: impl Fn(usize, usize) -> Ordering,
) -> Result<Vec<Part>, SplitError> {
    if checked_weights(total, weights, &name)?.is_none() {
        return Ok(vec![Part::ZERO; weights.len()]);
    }
    let units = total_units(total, decimals)?;
    let wide = wide_weights(weights)?;
    let sum = wide
        .iter()
        .try_fold(Wide::ZERO, |a, w| a.add(*w))
        .ok_or(SplitError::Overflow)?;
    let divided = divide(units, &wide, sum)?;
    let floors = divided
        .iter()
        .try_fold(0u128, |a, (q, _)| a.checked_add(*q))
        .ok_or(SplitError::Overflow)?;
    let leftover = units.saturating_sub(floors);
    let leftover = usize::try_from(leftover)
        .unwrap_or(usize::MAX)
        .min(weights.len());
    let extra = give_leftover(&divided, &wide, leftover, tie);
    divided
        .iter()
        .zip(extra)
        .map(|(&(q, _), e)| {
            let floor = Decimal::try_from_i128_with_scale(
                i128::try_from(q).map_err(|_| SplitError::Overflow)?,
                decimals,
            )
            .map_err(|_| SplitError::Overflow)?;
            let value = Decimal::try_from_i128_with_scale(
                i128::try_from(q + u128::from(e)).map_err(|_| SplitError::Overflow)?,
                decimals,
            )
            .map_err(|_| SplitError::Overflow)?;
            Ok(Part {
                floor,
                extra_units: u32::from(e),
                value,
            })
        })
        .collect()
}

/// The sum of the weights, after checking the total and every weight; `None` when there is
/// nothing to split (a zero total and no weight).
fn checked_weights(
    total: Decimal,
    weights: &[Decimal],
    name: impl Fn(usize) -> String,
) -> Result<Option<Decimal>, SplitError> {
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
            return Ok(None);
        }
        return Err(SplitError::ZeroWeights);
    }
    Ok(Some(sum_w))
}

/// The total in units of 10^-`decimals` (its whole part: a total is a multiple of the unit).
fn total_units(total: Decimal, decimals: u32) -> Result<u128, SplitError> {
    10i64
        .checked_pow(decimals)
        .and_then(|p| total.checked_mul(Decimal::from(p)))
        .and_then(|t| t.trunc().to_u128())
        .ok_or(SplitError::Overflow)
}

/// The weights (non-negative, checked) as integers at their largest scale.
fn wide_weights(weights: &[Decimal]) -> Result<Vec<Wide>, SplitError> {
    let scale = weights.iter().map(|d| d.scale()).max().unwrap_or(0);
    weights
        .iter()
        .map(|d| {
            let m = d.mantissa().unsigned_abs();
            10u128
                .checked_pow(scale - d.scale())
                .and_then(|p| Wide::from_u128(m).mul_u128(p))
                .ok_or(SplitError::Overflow)
        })
        .collect()
}

/// Each share's floor in units and its remainder in 1/`sum` of a unit, on all cores for a
/// large ente (the only error, an overflow, names no one).
fn divide(units: u128, weights: &[Wide], sum: Wide) -> Result<Vec<(u128, Wide)>, SplitError> {
    let part = |w: &Wide| -> Result<(u128, Wide), SplitError> {
        let (q, r) = w
            .mul_u128(units)
            .and_then(|n| n.div_rem(sum))
            .ok_or(SplitError::Overflow)?;
        Ok((q.to_u128().ok_or(SplitError::Overflow)?, r))
    };
    if weights.len() >= PARALLEL_FROM {
        in_order(weights.len(), |i| part(&weights[i]))
    } else {
        weights.iter().map(part).collect()
    }
}

/// Which shares get one of the `leftover` units: the largest remainders, then the larger
/// exact share (the larger weight), then `tie`.
fn give_leftover(
    divided: &[(u128, Wide)],
    weights: &[Wide],
    leftover: usize,
    tie: impl Fn(usize, usize) -> Ordering,
) -> Vec<bool> {
    let mut extra = vec![false; divided.len()];
    if leftover == 0 {
        return extra;
    }
    // The order is total (codes are unique), so picking the first `leftover` claims gives
    // the same set as sorting them all.
    let mut order: Vec<usize> = (0..divided.len()).collect();
    order.select_nth_unstable_by(leftover - 1, |&a, &b| {
        divided[b]
            .1
            .cmp(&divided[a].1)
            .then_with(|| weights[b].cmp(&weights[a]))
            .then_with(|| tie(a, b))
    });
    for &i in order.iter().take(leftover) {
        extra[i] = true;
    }
    extra
}

/// Below this, `total × sum of weights` (total in cents) keeps the integer split within its
/// 64-bit floors and remainders: see [`split_integer`].
const CENTS_BOUND: u128 = 100_000_000_000_000_000_000_000_000;

/// The split on integers: the exact split's shares, or `None` when they are not shown here,
/// and the exact decimal split ([`split_parts`]) is to be used.
///
/// With the weights as integers at their largest scale, each share is `total × weight /
/// sum` cents, whose floor and remainder are exact integers (on 128 bits while `total × sum`
/// is under 10²⁶ and the weights fit 64 bits): the same floors and remainders as the exact
/// split's. Equal remainders of shares with different floors, straddling the last cent
/// given, go to the larger exact share there: this path answers `None` for them.
fn split_integer<C: Ord>(
    total: Money,
    weights: &[Decimal],
    code: impl Fn(usize) -> C,
) -> Option<Vec<Share>> {
    let t = u64::try_from(total.cents()?).ok()?;
    let w = integer_weights(weights)?;
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
    let extra = integer_leftover(&parts, leftover, code)?;
    parts
        .iter()
        .zip(extra)
        .map(|(&(f, _), e)| {
            let cents = i64::try_from(f + u64::from(e)).ok()?;
            Some(Share {
                value: Money::from_cents(cents),
                extra: e,
            })
        })
        .collect()
}

/// The weights as integers at their largest scale, each within 64 bits (so are the
/// remainders; the floors are under the total); `None` otherwise.
fn integer_weights(weights: &[Decimal]) -> Option<Vec<u64>> {
    let scale = weights.iter().map(|d| d.scale()).max().unwrap_or(0);
    weights
        .iter()
        .map(|d| {
            let m = u64::try_from(d.mantissa()).ok()?;
            m.checked_mul(10u64.checked_pow(scale - d.scale())?)
        })
        .collect()
}

/// Which of the integer shares `(floor, remainder)` get one of the `leftover` cents: the
/// largest remainders; among equal remainders of equal shares, by code. `None` when equal
/// remainders of different shares straddle the last cent given (the decimal split decides).
fn integer_leftover<C: Ord>(
    parts: &[(u64, u64)],
    leftover: usize,
    code: impl Fn(usize) -> C,
) -> Option<Vec<bool>> {
    let mut extra = vec![false; parts.len()];
    if leftover == 0 {
        return Some(extra);
    }
    // Largest remainder first, then the position. (The decimal split puts the larger exact
    // share first among equal remainders; that only matters for equal remainders across the
    // cut, which are equal shares here or else refused below.)
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.select_nth_unstable_by_key(leftover - 1, |&i| (std::cmp::Reverse(parts[i].1), i));
    let cut = parts[order[leftover - 1]].1;
    // The shares with the cut's remainder, given a cent or not: one floor, or unknown.
    let at_cut: Vec<usize> = (0..parts.len()).filter(|&i| parts[i].1 == cut).collect();
    let straddle = order[leftover..].iter().any(|&i| parts[i].1 == cut);
    if straddle && at_cut.iter().any(|&i| parts[i].0 != parts[at_cut[0]].0) {
        return None;
    }
    for &i in &order[..leftover] {
        extra[i] = parts[i].1 != cut || !straddle;
    }
    if straddle {
        // Equal shares at the cut: the cents left for them go by code.
        let given = order[..leftover]
            .iter()
            .filter(|&&i| parts[i].1 == cut)
            .count();
        let mut tied = at_cut;
        tied.sort_by_key(|&i| code(i));
        for &i in &tied[..given] {
            extra[i] = true;
        }
    }
    Some(extra)
}

#[cfg(test)]
mod tests {
    //! The integer paths against the decimal arithmetic they stand for.

    use super::*;
    use proptest::prelude::*;

    /// Decimals of the scales that amounts, weights and sums have.
    fn decimal() -> impl Strategy<Value = Decimal> {
        (
            prop_oneof![
                (0u64..1_000_000).prop_map(u128::from),
                any::<u64>().prop_map(u128::from),
                (0u128..1 << 96),
            ],
            prop_oneof![Just(2u32), Just(2), Just(0), Just(6), Just(28)],
            any::<bool>(),
        )
            .prop_map(|(m, scale, neg)| {
                let d = Decimal::from_i128_with_scale(m as i128, scale);
                if neg {
                    -d
                } else {
                    d
                }
            })
    }

    proptest! {
        /// Sums added as integers where they can be are the decimal sums, to the scale.
        #[test]
        fn exact_sums_are_the_decimal_sums(values in prop::collection::vec(decimal(), 0..10)) {
            let fold = values.iter().try_fold(Decimal::ZERO, |a, v| a.checked_add(*v));
            let sum = exact_sum(values.iter().copied());
            prop_assert_eq!(sum.map(|d| (d, d.scale())), fold.map(|d| (d, d.scale())));
        }
    }

    /// Sums of `-0` and of no value at all, as the decimal arithmetic gives them.
    #[test]
    fn zero_sums_keep_sign_and_scale() {
        let mut negative_zero = Decimal::new(0, 3);
        negative_zero.set_sign_negative(true);
        for values in [
            vec![],
            vec![negative_zero],
            vec![negative_zero, negative_zero],
            vec![Decimal::ZERO],
        ] {
            let fold = values
                .iter()
                .try_fold(Decimal::ZERO, |a, v| a.checked_add(*v))
                .unwrap();
            let sum = exact_sum(values.iter().copied()).unwrap();
            assert_eq!(
                (sum, sum.scale(), sum.is_sign_negative()),
                (fold, fold.scale(), fold.is_sign_negative()),
                "{values:?}"
            );
        }
    }

    /// The decimal split, as [`split_integer`] gives its shares.
    fn decimal_split(total: Money, weights: &[Decimal]) -> Vec<Share> {
        split_parts(
            total.value(),
            2,
            weights,
            |i| i.to_string(),
            |a, b| a.cmp(&b),
        )
        .expect("a valid split")
        .into_iter()
        .map(|p| Share {
            value: Money::from_exact(p.value, Rounding::HalfUp),
            extra: p.extra_units > 0,
        })
        .collect()
    }

    #[track_caller]
    fn same_split(total: Money, weights: &[Decimal]) -> bool {
        match split_integer(total, weights, |i| i) {
            None => false,
            Some(shares) => {
                assert_eq!(
                    shares,
                    decimal_split(total, weights),
                    "{total} by {weights:?}"
                );
                true
            }
        }
    }

    /// Weights of a split: amounts, weights of a few scales, repeated values, zeros.
    fn split_weights() -> impl Strategy<Value = Vec<Decimal>> {
        let weight = prop_oneof![
            (0i64..10_000_000).prop_map(|c| Decimal::new(c, 2)),
            (0i64..1_000).prop_map(|c| Decimal::new(c, 0)),
            (0i64..100_000_000).prop_map(|c| Decimal::new(c, 4)),
            Just(Decimal::new(1, 0)),
            Just(Decimal::new(3_150_000, 2)),
        ];
        prop::collection::vec(weight, 1..40)
    }

    proptest! {
        /// The integer split, when it answers, gives the decimal split's shares and cents.
        #[test]
        fn integer_splits_are_the_decimal_splits(
            total in prop_oneof![0i64..100_000, 0i64..10_000_000_000_000, Just(1i64)],
            weights in split_weights(),
        ) {
            let total = Money::from_cents(total);
            prop_assume!(weights.iter().any(|w| !w.is_zero()));
            same_split(total, &weights);
        }

        /// Near the bound of the integer split, where the decimal quotients' digits are fewest.
        #[test]
        fn integer_splits_near_their_bound(
            total in 1_000_000_000_000i64..100_000_000_000_000,
            weights in prop::collection::vec(1i64..1_000_000_000_000, 1..12),
        ) {
            let weights: Vec<Decimal> = weights.into_iter().map(|w| Decimal::new(w, 2)).collect();
            same_split(Money::from_cents(total), &weights);
        }
    }

    /// Splits the integer path must answer (large entes' art. 30 and result splits), and
    /// those it must leave to the decimal split.
    #[test]
    fn integer_splits_answer_or_step_aside() {
        // Many managers' pay, as art. 30 takes from it: answered.
        let pay: Vec<Decimal> = (0..5_000)
            .map(|i| Decimal::new(2_000_000 + (i * 7_919) % 1_500_000, 2))
            .collect();
        assert!(same_split(Money::from_cents(12_345_678_901), &pay));
        // Position pay × days, at scale 2, as the result split's weights: answered.
        let weights: Vec<Decimal> = (0..5_000)
            .map(|i| Decimal::new(3_150_000 + i * 1_000, 2) * Decimal::from(365))
            .collect();
        assert!(same_split(Money::from_cents(132_000_000_000), &weights));
        // 3 cents by 1, 4, 4: the three remainders are equal (a third of a cent), the floors
        // 0, 1 and 1, and one cent is left for one of them: the decimal split decides.
        let tie = [Decimal::ONE, Decimal::from(4), Decimal::from(4)];
        assert!(split_integer(Money::from_cents(3), &tie, |i| i).is_none());
        // Equal remainders of equal shares across the cut: the first by code.
        let ones = [Decimal::ONE, Decimal::ONE, Decimal::ONE];
        assert!(same_split(Money::from_cents(2), &ones));
        let by_code = split_integer(Money::from_cents(2), &ones, |i| ["c", "a", "b"][i]).unwrap();
        assert_eq!(
            by_code.iter().map(|s| s.extra).collect::<Vec<_>>(),
            [false, true, true]
        );
        // Beyond the bound, negative, or nothing to weigh: the decimal split.
        let huge = [Decimal::new(1, 0), Decimal::from(10_i64.pow(15))];
        assert!(split_integer(Money::from_cents(10_i64.pow(12)), &huge, |i| i).is_none());
        let negative = [Decimal::ONE, Decimal::NEGATIVE_ONE];
        assert!(split_integer(Money::from_cents(5), &negative, |i| i).is_none());
        assert!(split_integer(Money::from_cents(5), &[Decimal::ZERO], |i| i).is_none());
    }
}
