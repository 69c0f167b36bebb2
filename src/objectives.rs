//! Objective attainment over the year's PEG (*grado di raggiungimento degli obiettivi*): every
//! indicator, every objective and every manager's objectives score. The line saying how each
//! was obtained is written on request by the renderers, from the same pure functions. Pure:
//! takes validated PEG inputs and the rules.

use std::collections::BTreeMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::dataset::{Indicator, IndicatorValue, Peg};
use crate::money::{format_it, round};
use crate::par::in_order;
use crate::peg::attain::{
    indicator_attainment, indicator_value, objective_attainment, weighted_mean, AttainmentRules,
    ObjectiveRule,
};

/// One indicator's result.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorResult {
    /// Position of the indicator in [`Peg::indicators`]: its code, texts and origin are read
    /// from there rather than copied (a large ente has millions of indicators).
    pub index: usize,
    /// Attainment 0-100, rounded as the rules say.
    pub attainment: Decimal,
    pub weight: Decimal,
}

impl IndicatorResult {
    /// The indicator's input row.
    pub fn source<'a>(&self, peg: &'a Peg) -> &'a Indicator {
        &peg.indicators[self.index]
    }

    /// How the target was read, the formula and the rounding, in Italian. Built when a
    /// renderer asks (the engine keeps only the figures): the same pure functions on the same
    /// inputs give the same attainment as [`compute`].
    pub fn explanation(&self, peg: &Peg, rules: &AttainmentRules) -> String {
        let i = self.source(peg);
        match &i.value {
            IndicatorValue::Manual(m) => format!(
                "{}; raggiungimento manuale {}% — motivazione: {}",
                i.target.explanation(),
                pct(self.attainment, rules.decimals),
                m.reason
            ),
            IndicatorValue::Measured { text, value } => {
                match indicator_attainment(&i.target, value, rules) {
                    Ok(a) => format!("{}; misurato {text}; {}", i.target.explanation(), a.formula),
                    // Unreachable after a successful compute; shown rather than hidden.
                    Err(e) => e.to_string(),
                }
            }
        }
    }
}

/// One objective's result.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveResult {
    /// Shared with the input objective.
    pub code: Arc<str>,
    pub matricola: Arc<str>,
    pub title: Arc<str>,
    pub weight: Decimal,
    pub attainment: Decimal,
    pub origin: crate::csvin::Origin,
}

impl ObjectiveResult {
    /// The weighted mean of the objective's indicators, written out in Italian. `items` are
    /// the objective's indicators in input order ([`PegResult::indicators_by_objective`]);
    /// built when a renderer asks.
    pub fn explanation(&self, items: &[&IndicatorResult], rules: &AttainmentRules) -> String {
        let parts: Vec<String> = items
            .iter()
            .map(|i| {
                format!(
                    "{} × {}",
                    pct(i.weight.normalize(), 0),
                    pct(i.attainment, rules.decimals)
                )
            })
            .collect();
        format!(
            "{}: ({}) / {} = {}%",
            objective_label(rules),
            parts.join(" + "),
            pct(
                items.iter().map(|i| i.weight).sum::<Decimal>().normalize(),
                0
            ),
            pct(self.attainment, rules.decimals)
        )
    }
}

/// A manager's objectives score (the `obiettivi` component of the evaluation).
#[derive(Debug, Clone, PartialEq)]
pub struct ManagerScore {
    pub matricola: String,
    pub score: Decimal,
}

impl ManagerScore {
    /// The weighted mean of the manager's objectives, written out in Italian. `objs` are the
    /// manager's objectives in input order ([`PegResult::objectives_by_manager`]); built
    /// when a renderer asks.
    pub fn explanation(&self, objs: &[&ObjectiveResult], rules: &AttainmentRules) -> String {
        let parts: Vec<String> = objs
            .iter()
            .map(|o| {
                format!(
                    "{} {} × {}",
                    o.code,
                    pct(o.weight.normalize(), 0),
                    pct(o.attainment, rules.decimals)
                )
            })
            .collect();
        format!(
            "media ponderata degli obiettivi: ({}) / {} = {}",
            parts.join(" + "),
            pct(
                objs.iter().map(|o| o.weight).sum::<Decimal>().normalize(),
                0
            ),
            pct(self.score, rules.decimals)
        )
    }
}

/// The whole PEG result.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PegResult {
    pub indicators: Vec<IndicatorResult>,
    pub objectives: Vec<ObjectiveResult>,
    pub managers: Vec<ManagerScore>,
}

impl PegResult {
    /// Each manager's objectives, in input order; built once for the renderers.
    pub fn objectives_by_manager(&self) -> BTreeMap<&str, Vec<&ObjectiveResult>> {
        by_manager(&self.objectives)
    }

    /// Each objective's indicators, in input order.
    pub fn indicators_by_objective<'a>(
        &'a self,
        peg: &'a Peg,
    ) -> BTreeMap<&'a str, Vec<&'a IndicatorResult>> {
        let mut map: BTreeMap<&str, Vec<&IndicatorResult>> = BTreeMap::new();
        for i in &self.indicators {
            map.entry(&*i.source(peg).objective).or_default().push(i);
        }
        map
    }
}

/// Why the attainment could not be computed; names the row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct PegError {
    pub origin: String,
    pub message: String,
}

fn objective_label(rules: &AttainmentRules) -> &'static str {
    match rules.objective {
        ObjectiveRule::WeightedMean => "media ponderata degli indicatori",
        ObjectiveRule::AllTargetsMet => {
            "tutti i target raggiunti (100 solo se ogni indicatore è al 100%)"
        }
    }
}

fn pct(d: Decimal, decimals: u32) -> String {
    format_it(d, decimals)
}

fn indicator(
    index: usize,
    i: &Indicator,
    rules: &AttainmentRules,
) -> Result<IndicatorResult, PegError> {
    let attainment = match &i.value {
        IndicatorValue::Manual(m) => round(m.attainment, rules.decimals, rules.rounding),
        IndicatorValue::Measured { value, .. } => {
            indicator_value(&i.target, value, rules)
                .map_err(|e| PegError {
                    origin: i.origin.to_string(),
                    message: e.to_string(),
                })?
                .value
        }
    };
    Ok(IndicatorResult {
        index,
        attainment,
        weight: i.weight,
    })
}

/// Each manager's objectives, in input order, by matricola.
fn by_manager(objectives: &[ObjectiveResult]) -> BTreeMap<&str, Vec<&ObjectiveResult>> {
    let mut map: BTreeMap<&str, Vec<&ObjectiveResult>> = BTreeMap::new();
    for o in objectives {
        map.entry(&*o.matricola).or_default().push(o);
    }
    map
}

/// A manager's objectives score: the weighted mean of their objectives.
fn manager(
    m: &str,
    objs: &[&ObjectiveResult],
    rules: &AttainmentRules,
) -> Result<ManagerScore, PegError> {
    let items: Vec<(Decimal, Decimal)> = objs.iter().map(|o| (o.weight, o.attainment)).collect();
    let score = weighted_mean(&items, rules).map_err(|e| PegError {
        origin: objs[0].origin.to_string(),
        message: e.to_string(),
    })?;
    Ok(ManagerScore {
        matricola: m.to_string(),
        score,
    })
}

/// Computes attainment for every indicator, objective and manager. The order of the rows in
/// the CSV files does not change any figure: groups are keyed by code and matricola.
pub fn compute(peg: &Peg, rules: &AttainmentRules) -> Result<PegResult, PegError> {
    // Every step runs on all cores; results are collected in input order and the first
    // error in that order is the one reported, whatever the number of threads.
    let indicators = in_order(peg.indicators.len(), |k| {
        indicator(k, &peg.indicators[k], rules)
    })?;
    // Each objective's (weight, attainment) pairs, in input order, as one flat list with
    // an offset per objective: no list per objective for a large PEG.
    let position: FxHashMap<&str, usize> = peg
        .objectives
        .iter()
        .enumerate()
        .map(|(k, o)| (&*o.code, k))
        .collect();
    let owner: Vec<Option<usize>> = indicators
        .iter()
        .map(|r| position.get(&*r.source(peg).objective).copied())
        .collect();
    let mut offsets = vec![0usize; peg.objectives.len() + 1];
    for k in owner.iter().flatten() {
        offsets[k + 1] += 1;
    }
    for k in 1..offsets.len() {
        offsets[k] += offsets[k - 1];
    }
    let mut next = offsets.clone();
    let mut flat = vec![(Decimal::ZERO, Decimal::ZERO); offsets[peg.objectives.len()]];
    for (r, k) in indicators.iter().zip(&owner) {
        if let Some(k) = *k {
            flat[next[k]] = (r.weight, r.attainment);
            next[k] += 1;
        }
    }
    let objectives = in_order(peg.objectives.len(), |k| {
        let o = &peg.objectives[k];
        let items = &flat[offsets[k]..offsets[k + 1]];
        let a = objective_attainment(items, rules).map_err(|e| PegError {
            origin: o.origin.to_string(),
            message: e.to_string(),
        })?;
        Ok(ObjectiveResult {
            code: o.code.clone(),
            matricola: o.matricola.clone(),
            title: o.title.clone(),
            weight: o.weight,
            attainment: a,
            origin: o.origin.clone(),
        })
    })?;
    let by_manager: Vec<(&str, Vec<&ObjectiveResult>)> =
        by_manager(&objectives).into_iter().collect();
    let managers = in_order(by_manager.len(), |k| {
        manager(by_manager[k].0, &by_manager[k].1, rules)
    })?;
    Ok(PegResult {
        indicators,
        objectives,
        managers,
    })
}
