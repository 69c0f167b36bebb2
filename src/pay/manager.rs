//! Step 1, each manager on its own (*dati individuali*): the service in the fund year, the
//! position pay pro rata, the weighted score, the evaluation coefficient and the base weight of
//! the result split, kept in a working [`Row`] that the later steps complete.

use rust_decimal::Decimal;

use super::error::{non_negative, ov, PayError};
use super::model::ManagerInput;
use super::rules::{neg, num, BaseWeight, PayRules};
use super::service::{row_service, Service};
use crate::money::{round, Money, Rounding};
use crate::par::in_order;
use crate::staff::Manager;

/// One manager's working state through the steps (*scheda del dirigente*).
pub(super) struct Row<'a> {
    pub input: &'a ManagerInput<'a>,
    pub service: Service,
    /// Position pay for the year (*retribuzione di posizione erogata*).
    pub position_paid: Money,
    /// S, the weighted score.
    pub score: Decimal,
    /// S ≥ threshold (*valutazione positiva*) and some service counted.
    pub eligible: bool,
    /// c = f(S), 0 when not eligible.
    pub coefficient: Decimal,
    /// b, what the manager's share is proportional to.
    pub base: Decimal,
    /// Model B theoretical quota; the share itself under Model A.
    pub quota: Money,
    /// Result pay before art. 30.
    pub result: Money,
    /// Result pay as art. 30 leaves it.
    pub current: Money,
    /// Among the managers with the highest evaluations (art. 30).
    pub top: bool,
}

impl Row<'_> {
    /// The validated row of the managers' file.
    pub fn manager(&self) -> &Manager {
        self.input.manager
    }
}

/// Every manager's row, in the given (matricola) order.
pub(super) fn manager_rows<'a>(
    sorted: &[&'a ManagerInput<'a>],
    year: i32,
    rules: &PayRules,
) -> Result<Vec<Row<'a>>, PayError> {
    // Each manager on its own, on all cores; gathered in matricola order, first error first.
    in_order::<_, PayError>(sorted.len(), |k| manager_row(sorted[k], year, rules))
}

/// One manager's service, position pay, score, coefficient and base weight.
fn manager_row<'a>(
    m: &'a ManagerInput<'a>,
    year: i32,
    rules: &PayRules,
) -> Result<Row<'a>, PayError> {
    let d = m.manager;
    check_manager(m)?;
    let period = (d.start, d.end, d.days);
    let svc = row_service(&d.matricola, period, year, rules.service)?;
    let exact = ov(svc.apply(d.yearly_position_pay.value()))?;
    let position_paid = Money::from_exact(exact, rules.rounding);
    let s = score(m, rules)?;
    let (eligible, coefficient) = evaluation(s, svc.units, || d.matricola.to_string(), rules)?;
    let base = base_weight(d, rules)?;
    Ok(Row {
        input: m,
        service: svc,
        position_paid,
        score: s,
        eligible,
        coefficient,
        base,
        quota: Money::ZERO,
        result: Money::ZERO,
        current: Money::ZERO,
        top: false,
    })
}

/// No negative position pay or fees.
fn check_manager(m: &ManagerInput) -> Result<(), PayError> {
    let d = m.manager;
    non_negative(
        format_args!("retribuzione di posizione di {}", d.matricola),
        d.yearly_position_pay,
    )?;
    non_negative(format_args!("compensi ex lege di {}", d.matricola), m.fees)
}

/// Weighted score S = Σ w_c × s_c / 100, rounded half-up to 2 decimals.
fn score(m: &ManagerInput, rules: &PayRules) -> Result<Decimal, PayError> {
    check_components(m, rules)?;
    let matricola = &m.manager.matricola;
    let mut total = Decimal::ZERO;
    for c in &rules.components {
        let Some((_, s)) = m.components.iter().find(|(code, _)| **code == *c.code) else {
            return Err(PayError::MissingComponent {
                matricola: matricola.to_string(),
                code: c.code.clone(),
            });
        };
        total = ov(c.weight.checked_mul(*s).and_then(|p| total.checked_add(p)))?;
    }
    Ok(round(
        ov(total.checked_div(Decimal::ONE_HUNDRED))?,
        2,
        Rounding::HalfUp,
    ))
}

/// Each scored component declared and scored once, within 0..=100.
fn check_components(m: &ManagerInput, rules: &PayRules) -> Result<(), PayError> {
    let matricola = &m.manager.matricola;
    let mut seen: Vec<&str> = Vec::new();
    for (code, s) in &m.components {
        if seen.contains(&&**code) || !rules.components.iter().any(|c| *c.code == **code) {
            return Err(PayError::UnknownComponent {
                matricola: matricola.to_string(),
                code: code.to_string(),
            });
        }
        seen.push(&**code);
        if neg(*s) || *s > Decimal::ONE_HUNDRED {
            return Err(PayError::ScoreRange {
                matricola: matricola.to_string(),
                code: code.to_string(),
                score: num(*s),
            });
        }
    }
    Ok(())
}

/// Whether a score over `units` of service is eligible (at or above the threshold, with some
/// service counted: a post covered all year by others gets no result pay and is not among
/// the managers art. 30 raises), and its coefficient c = f(S), never below 0; 0 when not
/// eligible. `who` names the row in the error of a score no band covers. Shared by the
/// managers' rows and the interims scored by the covered structure.
pub(super) fn evaluation(
    score: Decimal,
    units: i64,
    who: impl FnOnce() -> String,
    rules: &PayRules,
) -> Result<(bool, Decimal), PayError> {
    if score < rules.threshold || units <= 0 {
        return Ok((false, Decimal::ZERO));
    }
    let c = rules
        .coefficient
        .of(score, rules.threshold)
        .ok_or_else(|| PayError::NoBand {
            matricola: who(),
            score: num(score),
        })?;
    Ok((true, c.max(Decimal::ZERO)))
}

/// The base weight b (*base di calcolo*): 1, the yearly position pay or the grading points.
fn base_weight(d: &Manager, rules: &PayRules) -> Result<Decimal, PayError> {
    let base = match rules.base {
        BaseWeight::PerHead => Decimal::ONE,
        BaseWeight::PositionPay => d.yearly_position_pay.value(),
        BaseWeight::GradingPoints => d
            .grading_points
            .ok_or_else(|| PayError::MissingGradingPoints(d.matricola.to_string()))?,
    };
    if neg(base) {
        return Err(PayError::Negative {
            what: format!("base di calcolo di {}", d.matricola),
            amount: num(base),
        });
    }
    Ok(base)
}
