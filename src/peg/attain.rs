//! Attainment (*grado di raggiungimento*) of an indicator, of an objective and of a manager's
//! objectives, as percentages 0-100 with the Italian formula that produced them.
//!
//! Indicator, target T, measured value A (domain.md §5):
//! - higher is better: A / T × 100 (T = 0: 100); lower is better: T / A × 100 (A ≤ 0: 100);
//! - with a starting value B (*valore iniziale*, [`Target::baseline`]): (A − B) / (T − B) × 100
//!   for higher is better, (B − A) / (B − T) × 100 for lower (the same figure), under
//!   proportional scoring; all-or-nothing compares A with T as without B. A target that does
//!   not improve on B is an error (the input refuses it first);
//! - strict targets (`> 5`, `< 5`) need A > T (A < T) under all-or-nothing; proportional
//!   scoring is A / T as for `>=`, so A = T scores 100 there too;
//! - deadline: measured is the date of completion; on or before the deadline 100, else 0
//!   (strict) or 100 × (1 − late days / tolerance days), not below 0 (linear decay; a tolerance
//!   of 0 days is strict); `no` (not done) is 0;
//! - a quantity with a deadline (`50% entro luglio 2020`): measured is the quantity reached by
//!   the deadline, as certified by whoever enters it; the date of achievement is not checked
//!   here (a Date measure is an error) and the deadline is recorded in the formula;
//! - yes/no: `sì` 100, `no` 0;
//! - percent targets take a percentage or a plain number (read as percentage points);
//! - Manual targets are an error: the caller uses the manual attainment column.
//!
//! Then the floor (attainment below it counts 0, compared before rounding), then the clip to
//! [0, 100], then one rounding at `rules.decimals`.
//!
//! Objectives and managers: weighted means summed exactly and divided once at the end, so the
//! order of the items never matters; items of weight 0 are ignored.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::measure::Measure;
use super::target::{Direction, Target, TargetKind};
use crate::money::date_it;
use crate::money::{format_it, round, Rounding};

/// How a quantity target is scored (*criterio per i target quantitativi*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scoring {
    /// `proporzionale`: A / T (or T / A), clipped.
    #[default]
    Proportional,
    /// `tutto_o_niente`: 100 if the target is met, else 0.
    AllOrNothing,
}

/// Tolerance on deadlines (*tolleranza sulle scadenze*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeadlineTolerance {
    /// `rigida`: late is 0.
    #[default]
    Strict,
    /// `decrescente`: linear decay to 0 over `days` days of delay.
    LinearDecay { days: u32 },
}

/// How an objective's attainment comes from its indicators (*regola dell'obiettivo*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ObjectiveRule {
    /// `media_ponderata`: weighted mean of the indicators.
    #[default]
    WeightedMean,
    /// `tutti_raggiunti`: 100 if every indicator is at 100, else 0.
    AllTargetsMet,
}

/// Rules of attainment (*criteri di misurazione del raggiungimento*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttainmentRules {
    /// For at-least / at-most targets.
    pub quantity: Scoring,
    pub deadline: DeadlineTolerance,
    /// Indicator attainment (0-100) below which it counts 0 (*soglia minima*).
    pub floor: Option<Decimal>,
    pub objective: ObjectiveRule,
    /// Cap objective and manager scores at 100 (indicators are always clipped to [0, 100]).
    pub cap: bool,
    /// Decimals of every score.
    pub decimals: u32,
    pub rounding: Rounding,
}

impl Default for AttainmentRules {
    fn default() -> Self {
        AttainmentRules {
            quantity: Scoring::Proportional,
            deadline: DeadlineTolerance::Strict,
            floor: None,
            objective: ObjectiveRule::WeightedMean,
            cap: true,
            decimals: 2,
            rounding: Rounding::HalfUp,
        }
    }
}

/// The attainment of one indicator (*grado di raggiungimento dell'indicatore*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attainment {
    /// 0..=100, rounded once at `rules.decimals`.
    pub value: Decimal,
    /// After floor and clip, before rounding.
    pub exact: Decimal,
    /// Italian, e.g. `crescente: 18 / 20 × 100 = 90,00%`.
    pub formula: String,
}

/// Why an attainment cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttainError {
    #[error("target \"{text}\" da valutare: usare il raggiungimento inserito a mano ({reason})")]
    Manual { text: String, reason: String },
    #[error("target \"{text}\" ({expected}) e valore misurato \"{found}\" di tipo diverso: atteso {expected}")]
    Mismatch {
        text: String,
        expected: &'static str,
        found: String,
    },
    #[error("target \"{text}\" senza valore o direzione")]
    Incomplete { text: String },
    #[error("calcolo fuori dai limiti numerici per il target \"{text}\"")]
    Overflow { text: String },
    #[error("target \"{text}\": il target non migliora il valore iniziale nel suo verso")]
    Baseline { text: String },
    #[error("nessun elemento da mediare")]
    Empty,
    #[error("somma dei pesi pari a zero")]
    ZeroWeight,
    #[error("peso negativo {0}")]
    NegativeWeight(String),
    #[error("raggiungimento negativo {0}")]
    NegativeAttainment(String),
    #[error("somma dei pesi fuori dai limiti numerici")]
    SumOverflow,
}

impl AttainError {
    /// The measured value is not of the kind the target needs.
    fn mismatch(target: &Target, measured: &Measure, expected: &'static str) -> AttainError {
        AttainError::Mismatch {
            text: target.text.clone(),
            expected,
            found: measured.to_string(),
        }
    }

    /// The target lacks what its kind needs (a value, a direction, a deadline).
    fn incomplete(target: &Target) -> AttainError {
        AttainError::Incomplete {
            text: target.text.clone(),
        }
    }

    fn overflow(target: &Target) -> AttainError {
        AttainError::Overflow {
            text: target.text.clone(),
        }
    }
}

fn it(d: Decimal) -> String {
    format_it(d.normalize(), 0)
}

fn pct(d: Decimal, rules: &AttainmentRules) -> String {
    format!("{}%", format_it(d, rules.decimals))
}

/// Formats only when the formula is wanted: the engine scores millions of indicators and
/// the renderers ask for the formula of the ones they print.
macro_rules! say {
    ($on:expr, $($arg:tt)*) => {
        if $on { format!($($arg)*) } else { String::new() }
    };
}

/// The attainment of one indicator (see the module docs), with its formula.
pub fn indicator_attainment(
    target: &Target,
    measured: &Measure,
    rules: &AttainmentRules,
) -> Result<Attainment, AttainError> {
    attainment(target, measured, rules, true)
}

/// The same figures as [`indicator_attainment`] with an empty formula: the engine's fast path.
pub fn indicator_value(
    target: &Target,
    measured: &Measure,
    rules: &AttainmentRules,
) -> Result<Attainment, AttainError> {
    attainment(target, measured, rules, false)
}

fn attainment(
    target: &Target,
    measured: &Measure,
    rules: &AttainmentRules,
    explain: bool,
) -> Result<Attainment, AttainError> {
    let (raw, formula) = raw_score(target, measured, rules, explain)?;
    Ok(bounded(raw, formula, rules, explain))
}

/// The score before the floor and the 0-100 bounds, with its formula (empty when `explain`
/// is false): by the kind of target.
fn raw_score(
    target: &Target,
    measured: &Measure,
    rules: &AttainmentRules,
    explain: bool,
) -> Result<(Decimal, String), AttainError> {
    let mismatch = |expected| AttainError::mismatch(target, measured, expected);
    let overflow = || AttainError::overflow(target);
    let incomplete = || AttainError::incomplete(target);
    Ok(match target.kind {
        TargetKind::Manual => {
            return Err(AttainError::Manual {
                text: target.text.clone(),
                reason: target.reason.clone().unwrap_or_default(),
            })
        }
        TargetKind::YesNo => match measured {
            Measure::Bool(true) => (Decimal::ONE_HUNDRED, say!(explain, "sì/no: realizzato")),
            Measure::Bool(false) => (Decimal::ZERO, say!(explain, "sì/no: non realizzato")),
            _ => return Err(mismatch("sì/no")),
        },
        TargetKind::Deadline => {
            let due = target.deadline.ok_or_else(incomplete)?;
            match measured {
                Measure::Date(done) => {
                    deadline_score(due, *done, rules, explain).ok_or_else(overflow)?
                }
                Measure::Bool(false) => (
                    Decimal::ZERO,
                    say!(explain, "scadenza {}: non realizzato", date_it(due)),
                ),
                _ => return Err(mismatch("la data di realizzazione")),
            }
        }
        TargetKind::AtLeast | TargetKind::AtMost => {
            quantity_attainment(target, measured, rules, explain)?
        }
    })
}

/// A quantity's raw score: the measured number or percentage against the target, in its
/// direction; a deadline beside it is stated, not checked.
fn quantity_attainment(
    target: &Target,
    measured: &Measure,
    rules: &AttainmentRules,
    explain: bool,
) -> Result<(Decimal, String), AttainError> {
    let mismatch = |expected| AttainError::mismatch(target, measured, expected);
    let (Some(t), Some(dir)) = (target.value, target.direction) else {
        return Err(AttainError::incomplete(target));
    };
    let a = match (measured, target.percent) {
        (Measure::Percent(a), true) | (Measure::Number(a), _) => *a,
        (Measure::Percent(_), false) => return Err(mismatch("un numero")),
        (_, true) => return Err(mismatch("una percentuale")),
        (_, false) => return Err(mismatch("un numero")),
    };
    let (raw, mut formula) = match target.baseline {
        Some(b) if rules.quantity == Scoring::Proportional => {
            baseline_score(Figures { b, t, a }, dir, target, explain)?
        }
        _ => quantity_score(t, a, dir, target, rules, explain)
            .ok_or_else(|| AttainError::overflow(target))?,
    };
    if let (Some(due), true) = (target.deadline, explain) {
        formula = format!(
            "{formula} (valore raggiunto entro il {}, data non verificata)",
            date_it(due)
        );
    }
    Ok((raw, formula))
}

/// The attainment from its raw score: zero below the rules' floor, within 0-100, rounded as
/// the rules say; the formula says what was adjusted.
fn bounded(raw: Decimal, formula: String, rules: &AttainmentRules, explain: bool) -> Attainment {
    let mut exact = raw;
    let mut adjust = None;
    if let Some(floor) = rules.floor {
        if exact < floor {
            exact = Decimal::ZERO;
            adjust = Some(say!(explain, "sotto la soglia del {}:", pct_raw(floor)));
        }
    }
    if exact > Decimal::ONE_HUNDRED {
        exact = Decimal::ONE_HUNDRED;
        adjust = Some("limitato a".to_string());
    } else if exact < Decimal::ZERO {
        exact = Decimal::ZERO;
        adjust = Some("portato a".to_string());
    }
    let value = rounded(exact, rules);
    let formula = match adjust {
        _ if !explain => formula,
        None => format!("{formula} = {}", pct(value, rules)),
        Some(adj) => format!("{formula} = {}, {adj} {}", pct_raw(raw), pct(value, rules)),
    };
    Attainment {
        value,
        exact,
        formula,
    }
}

/// A percentage shown with at most two decimals (for the steps of a formula; the final value
/// uses the rules' decimals).
fn pct_raw(d: Decimal) -> String {
    let shown = round(d, 2, Rounding::HalfUp);
    let approx = if shown == d { "" } else { "≈" };
    format!("{approx}{}%", format_it(shown.normalize(), 0))
}

fn deadline_score(
    due: NaiveDate,
    done: NaiveDate,
    rules: &AttainmentRules,
    explain: bool,
) -> Option<(Decimal, String)> {
    let head = say!(
        explain,
        "scadenza {}: realizzato il {}",
        date_it(due),
        date_it(done)
    );
    if done <= due {
        return Some((Decimal::ONE_HUNDRED, say!(explain, "{head}, nei termini")));
    }
    let late = done.signed_duration_since(due).num_days();
    let late_d = Decimal::from(late);
    match rules.deadline {
        DeadlineTolerance::LinearDecay { days } if days > 0 => {
            let days_d = Decimal::from(days);
            let left = days_d.checked_sub(late_d)?;
            let raw = if left <= Decimal::ZERO {
                Decimal::ZERO
            } else {
                left.checked_mul(Decimal::ONE_HUNDRED)?
                    .checked_div(days_d)?
            };
            Some((
                raw,
                say!(explain, "{head}, {late} giorni di ritardo su {days} di tolleranza: 100 × (1 − {late}/{days})"),
            ))
        }
        _ => Some((
            Decimal::ZERO,
            say!(
                explain,
                "{head}, {late} giorni di ritardo, oltre la scadenza"
            ),
        )),
    }
}

fn quantity_score(
    t: Decimal,
    a: Decimal,
    dir: Direction,
    target: &Target,
    rules: &AttainmentRules,
    explain: bool,
) -> Option<(Decimal, String)> {
    let unit = if target.percent { "%" } else { "" };
    let (ts, as_) = (
        say!(explain, "{}{unit}", it(t)),
        say!(explain, "{}{unit}", it(a)),
    );
    let name = dir.key();
    match rules.quantity {
        Scoring::AllOrNothing => {
            let (met, sign) = match (dir, target.strict) {
                (Direction::Higher, false) => (a >= t, if a >= t { "≥" } else { "<" }),
                (Direction::Higher, true) => (a > t, if a > t { ">" } else { "≤" }),
                (Direction::Lower, false) => (a <= t, if a <= t { "≤" } else { ">" }),
                (Direction::Lower, true) => (a < t, if a < t { "<" } else { "≥" }),
            };
            let word = if met { "raggiunto" } else { "non raggiunto" };
            let raw = if met {
                Decimal::ONE_HUNDRED
            } else {
                Decimal::ZERO
            };
            Some((
                raw,
                say!(explain, "{name}, tutto o niente: {as_} {sign} {ts}, {word}"),
            ))
        }
        Scoring::Proportional => match dir {
            Direction::Higher => {
                if t <= Decimal::ZERO {
                    let met = if target.strict { a > t } else { a >= t };
                    let raw = if met {
                        Decimal::ONE_HUNDRED
                    } else {
                        Decimal::ZERO
                    };
                    return Some((raw, say!(explain, "{name}: target {ts}, misurato {as_}")));
                }
                let raw = a.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(t)?;
                Some((raw, say!(explain, "{name}: {as_} / {ts} × 100")))
            }
            Direction::Lower => {
                if a <= Decimal::ZERO {
                    return Some((
                        Decimal::ONE_HUNDRED,
                        say!(explain, "{name}: misurato {as_}, nessun valore da ridurre"),
                    ));
                }
                let raw = t.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(a)?;
                Some((raw, say!(explain, "{name}: {ts} / {as_} × 100")))
            }
        },
    }
}

/// The starting value B, the target T and the measured value A of a quantity.
#[derive(Clone, Copy)]
struct Figures {
    b: Decimal,
    t: Decimal,
    a: Decimal,
}

/// A quantity's raw score from its starting value (see the module docs), with its formula
/// showing B, T and A.
fn baseline_score(
    s: Figures,
    dir: Direction,
    target: &Target,
    explain: bool,
) -> Result<(Decimal, String), AttainError> {
    let overflow = || AttainError::overflow(target);
    let (done, planned) = match dir {
        Direction::Higher => (s.a.checked_sub(s.b), s.t.checked_sub(s.b)),
        Direction::Lower => (s.b.checked_sub(s.a), s.b.checked_sub(s.t)),
    };
    let (done, planned) = (done.ok_or_else(overflow)?, planned.ok_or_else(overflow)?);
    if planned <= Decimal::ZERO {
        return Err(AttainError::Baseline {
            text: target.text.clone(),
        });
    }
    let raw = done
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|x| x.checked_div(planned))
        .ok_or_else(overflow)?;
    let unit = if target.percent { "%" } else { "" };
    let [b, t, a] = [s.b, s.t, s.a].map(|v| say!(explain, "{}{unit}", it(v)));
    let steps = match dir {
        Direction::Higher => say!(explain, "({a} − {b}) / ({t} − {b}) × 100"),
        Direction::Lower => say!(explain, "({b} − {a}) / ({b} − {t}) × 100"),
    };
    let formula = say!(
        explain,
        "{} dal valore iniziale {b} al target {t}: {steps}",
        dir.key()
    );
    Ok((raw, formula))
}

/// Weighted mean of `(weight, attainment)` pairs (*media ponderata*): a manager's score over
/// objectives, or an objective over its indicators. Sums exactly, divides once, caps at 100
/// when `rules.cap`, rounds once. Weights must not be negative and must not all be zero;
/// attainments must not be negative.
pub fn weighted_mean(
    items: &[(Decimal, Decimal)],
    rules: &AttainmentRules,
) -> Result<Decimal, AttainError> {
    let (total, sum) = sums(items)?;
    if let Some(v) = small_mean(sum, total, rules) {
        return Ok(v);
    }
    let mean = sum.checked_div(total).ok_or(AttainError::SumOverflow)?;
    Ok(finish(mean, rules))
}

/// `sum / total` capped and rounded as the rules say, from integers when both are small (a
/// large PEG has half a million objectives, and a 28-digit division is the slow part). The
/// quotient is taken to one digit past the rounding position, plus a last digit 1 when
/// anything follows (guard and sticky digits): the one rounding gives what it gives on the
/// exact quotient.
///
/// It is also what the 28-digit division then the rounding gives, within the limits below:
/// a quotient n/d off a boundary m/(2·10^k) is at least 1/(2·10^k·d) from it, at least
/// 5·10⁻²⁵ for d < 10¹⁸ and k ≤ 6 (the rules allow up to 6 decimals), while a quotient under
/// 1.000 is divided to 25 decimals or more, within 10⁻²⁵. Beyond these limits the division
/// is used (checked against it in `tests/peg_attainment.rs`).
fn small_mean(sum: Decimal, total: Decimal, rules: &AttainmentRules) -> Option<Decimal> {
    let s = sum.scale().max(total.scale());
    let n = sum
        .mantissa()
        .checked_mul(10i128.checked_pow(s - sum.scale())?)?;
    let d = total
        .mantissa()
        .checked_mul(10i128.checked_pow(s - total.scale())?)?;
    if d <= 0 || n < 0 || d >= 10i128.pow(18) || rules.decimals > 6 || n >= d.checked_mul(1000)? {
        return None;
    }
    if rules.cap && n > d.checked_mul(100)? {
        return Some(rounded(Decimal::ONE_HUNDRED, rules));
    }
    let digits = rules.decimals + 1;
    let scaled = n.checked_mul(10i128.checked_pow(digits)?)?;
    // Both are non-negative here; most fit 64 bits, whose division is several times faster.
    let (q, rest) = match (u64::try_from(scaled), u64::try_from(d)) {
        (Ok(s), Ok(d)) => (i128::from(s / d), s % d != 0),
        _ => (scaled / d, scaled % d != 0),
    };
    let guarded = q.checked_mul(10)? + i128::from(rest);
    let v = Decimal::try_from_i128_with_scale(guarded, digits + 1).ok()?;
    Some(rounded(v, rules))
}

/// An objective's attainment from its indicators (*grado di raggiungimento dell'obiettivo*):
/// the weighted mean, or with [`ObjectiveRule::AllTargetsMet`] 100 if every indicator of
/// non-zero weight is at 100 (or more), else 0.
pub fn objective_attainment(
    items: &[(Decimal, Decimal)],
    rules: &AttainmentRules,
) -> Result<Decimal, AttainError> {
    match rules.objective {
        ObjectiveRule::WeightedMean => weighted_mean(items, rules),
        ObjectiveRule::AllTargetsMet => {
            sums(items)?;
            let all = items
                .iter()
                .filter(|(w, _)| !w.is_zero())
                .all(|(_, a)| *a >= Decimal::ONE_HUNDRED);
            let v = if all {
                Decimal::ONE_HUNDRED
            } else {
                Decimal::ZERO
            };
            Ok(finish(v, rules))
        }
    }
}

/// Validates the items and returns (Σ weights, Σ weight × attainment).
fn sums(items: &[(Decimal, Decimal)]) -> Result<(Decimal, Decimal), AttainError> {
    if items.is_empty() {
        return Err(AttainError::Empty);
    }
    let mut total = Decimal::ZERO;
    let mut sum = Decimal::ZERO;
    for (w, a) in items {
        if w.is_sign_negative() && !w.is_zero() {
            return Err(AttainError::NegativeWeight(it(*w)));
        }
        if a.is_sign_negative() && !a.is_zero() {
            return Err(AttainError::NegativeAttainment(it(*a)));
        }
        total = total.checked_add(*w).ok_or(AttainError::SumOverflow)?;
        let p = w.checked_mul(*a).ok_or(AttainError::SumOverflow)?;
        sum = sum.checked_add(p).ok_or(AttainError::SumOverflow)?;
    }
    if total.is_zero() {
        return Err(AttainError::ZeroWeight);
    }
    Ok((total, sum))
}

fn finish(v: Decimal, rules: &AttainmentRules) -> Decimal {
    let v = if rules.cap {
        v.min(Decimal::ONE_HUNDRED)
    } else {
        v
    };
    rounded(v, rules)
}

/// The one rounding of a score, shown with exactly `rules.decimals` decimals (100 → 100.00).
fn rounded(v: Decimal, rules: &AttainmentRules) -> Decimal {
    let mut r = round(v, rules.decimals, rules.rounding);
    if r.scale() < rules.decimals {
        r.rescale(rules.decimals);
    }
    r
}
