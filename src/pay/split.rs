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
use super::rules::{Model, PayRules, QuotaPosts, ResultQuota, RoundingSteps};
use crate::alloc::{self, Share};
use crate::money::{Money, Rounding};
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
    let total_weight = sum_of(&claims)?;
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
    if rounded_once(rules) {
        round_once(rows, pot, &claims, total_weight, rules.rounding)?;
    }
    if rules.model == Model::Quota {
        quota_economie(rows, &mut economie)?;
    }
    Ok(economie)
}

/// The sum of the claims.
fn sum_of(claims: &[Decimal]) -> Result<Decimal, PayError> {
    ov(claims
        .iter()
        .try_fold(Decimal::ZERO, |a, c| a.checked_add(*c)))
}

/// Model B rounded once at the end of each row (`arrotondamento_passaggi = "una_volta"`).
fn rounded_once(rules: &PayRules) -> bool {
    rules.model == Model::Quota && rules.rounding_steps == RoundingSteps::Once
}

/// Σ b × t of Model B, the denominator of every exact quota, when the rows are rounded once
/// among the managers present (for their figures); 0 otherwise (over the organisation
/// chart the denominator is the posts' weights, shown in each post's figure).
pub(super) fn once_total_weight(rows: &[Row], rules: &PayRules) -> Result<Decimal, PayError> {
    if !rounded_once(rules) || rules.theoretical_quota == QuotaPosts::OrgChart {
        return Ok(Decimal::ZERO);
    }
    sum_of(&claims(rows, rules.model)?)
}

/// `una_volta`: each eligible row's result pay is its exact quota R × b t / Σ b t, not
/// rounded, × min(1, c), rounded once with `mode` (the quota kept is the split's, to the
/// cent); refused when the rows so rounded would add up to more than the pot.
fn round_once(
    rows: &mut [Row],
    pot: Money,
    claims: &[Decimal],
    total_weight: Decimal,
    mode: Rounding,
) -> Result<(), PayError> {
    // Each row on its own, on all cores (the only error, an overflow, names no one).
    rows.par_iter_mut()
        .zip(claims)
        .try_for_each(|(r, w)| -> Result<(), PayError> {
            if r.eligible {
                let m = r.coefficient.min(Decimal::ONE);
                r.result = round_ratio([pot.value(), *w, m], total_weight, mode)?;
                r.current = r.result;
            }
            Ok(())
        })?;
    within_pot(rows, pot)
}

/// Rows rounded once (`una_volta`) may not add up to more than the pot: else the located
/// error that says what to write instead.
pub(super) fn within_pot(rows: &[Row], pot: Money) -> Result<(), PayError> {
    let paid = ov(Money::checked_sum(rows.iter().map(|r| r.result)))?;
    if paid > pot {
        return Err(PayError::RoundedOnceExceedsPot {
            paid: paid.it(),
            pot: pot.it(),
            excess: sub(paid, pot)?.it(),
        });
    }
    Ok(())
}

/// The product of `factors` over `den`, rounded once to the cent with `mode`, exactly: on
/// integers when they fit 128 bits (see [`ratio_digits`]), else on the decimal quotient (28
/// significant digits).
pub(super) fn round_ratio(
    factors: [Decimal; 3],
    den: Decimal,
    mode: Rounding,
) -> Result<Money, PayError> {
    if let Some(d) = ratio_digits(factors, den) {
        return Ok(Money::from_exact(d, mode));
    }
    let product = factors
        .iter()
        .try_fold(Decimal::ONE, |a, f| a.checked_mul(*f));
    Ok(Money::from_exact(
        ov(product.and_then(|p| p.checked_div(den)))?,
        mode,
    ))
}

/// A decimal of three places that every rounding to the cent treats as the exact ratio
/// Π factors / den: its whole cents, then 0 when the ratio is whole cents, 1 below half a
/// cent, 5 at half a cent, 9 above. From the integer floor and remainder in cents; `None`
/// when a value is negative or a number does not fit 128 bits.
fn ratio_digits(factors: [Decimal; 3], den: Decimal) -> Option<Decimal> {
    let mut num: u128 = 1;
    let mut scale = 0u32;
    for f in factors {
        num = num.checked_mul(u128::try_from(f.mantissa()).ok()?)?;
        scale += f.scale();
    }
    let mut d = u128::try_from(den.mantissa()).ok().filter(|&d| d > 0)?;
    // In cents: num × 10^(den's scale + 2) / (d × 10^scale).
    let up = den.scale() + 2;
    if up >= scale {
        num = num.checked_mul(10u128.checked_pow(up - scale)?)?;
    } else {
        d = d.checked_mul(10u128.checked_pow(scale - up)?)?;
    }
    let (q, r) = (num / d, num % d);
    let digit = match r.checked_mul(2)?.cmp(&d) {
        _ if r == 0 => 0,
        std::cmp::Ordering::Less => 1,
        std::cmp::Ordering::Equal => 5,
        std::cmp::Ordering::Greater => 9,
    };
    let digits = i128::try_from(q.checked_mul(10)?.checked_add(digit)?).ok()?;
    Decimal::try_from_i128_with_scale(digits, 3).ok()
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
pub(super) fn quota_economie(rows: &[Row], economie: &mut Economie) -> Result<(), PayError> {
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

/// The yearly amount of a fixed base, exact: grading points × € per point, the declared
/// amount of the points' band, p% of the yearly position pay, or score × € per point. Of a
/// manager's row, or of a post of the organisation chart (a result-based interim's base):
/// `points` gives the grading points or the caller's error, `who` names the row in the error
/// of points no band covers.
pub(super) fn fixed_amount(
    quota: &ResultQuota,
    points: impl FnOnce() -> Result<Decimal, PayError>,
    (position_pay, score): (Money, Decimal),
    who: &str,
) -> Result<Decimal, PayError> {
    Ok(match quota {
        ResultQuota::Shared => return Err(PayError::Overflow),
        ResultQuota::PointValue(v) => ov(points()?.checked_mul(*v))?,
        ResultQuota::BandAmount(bands) => {
            let p = points()?;
            ResultQuota::band_amount(bands, p)
                .ok_or_else(|| PayError::NoAmountBand {
                    matricola: who.to_string(),
                    points: super::rules::num(p),
                })?
                .value()
        }
        ResultQuota::PositionPercent(pc) => ov(position_pay
            .value()
            .checked_mul(*pc)
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)))?,
        ResultQuota::ScorePoint(v) => ov(score.checked_mul(*v))?,
    })
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
    // Below the threshold the score's points are worth nothing: no quota.
    let score = match rules.quota {
        ResultQuota::ScorePoint(_) if !r.eligible => Decimal::ZERO,
        _ => r.score,
    };
    let pay = d.yearly_position_pay;
    let amount = fixed_amount(&rules.quota, points, (pay, score), &d.matricola)?;
    // The base shown: what the amount is proportional to (the points are there: the amount
    // needed them).
    let base = match rules.quota {
        ResultQuota::PointValue(_) | ResultQuota::BandAmount(_) => {
            d.grading_points.unwrap_or_default()
        }
        ResultQuota::PositionPercent(_) => pay.value(),
        _ => r.score,
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
