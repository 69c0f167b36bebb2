//! Objective attainment over the year's PEG (*grado di raggiungimento degli obiettivi*): every
//! indicator, every objective and every manager's objectives score. The results are figures
//! and indices into the PEG; the line saying how each was obtained is written on request by
//! the renderers, from the same pure functions. Pure: takes validated PEG inputs and the rules.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::money::{format_it, round};
use crate::par::in_order;
use crate::peg::attain::{
    indicator_attainment, indicator_value, objective_attainment, weighted_mean, AttainError,
    AttainmentRules, ObjectiveRule,
};
use crate::peg::{IndicatorValue, IndicatorView, ObjectiveView, Peg};

/// One indicator's result (*raggiungimento dell'indicatore*): 20 bytes, as a large ente has
/// millions; its code, texts, weight and origin are read from the [`Peg`].
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorResult {
    /// Position of the indicator in [`Peg::indicators`].
    index: u32,
    /// Attainment 0-100, rounded as the rules say.
    pub attainment: Decimal,
}

impl IndicatorResult {
    /// Position of the indicator in [`Peg::indicators`].
    pub fn index(&self) -> usize {
        self.index as usize
    }

    /// The indicator's input row.
    pub fn source<'a>(&self, peg: &'a Peg) -> IndicatorView<'a> {
        peg.indicator(self.index())
    }

    /// How the target was read, the formula and the rounding, in Italian. Built when a
    /// renderer asks (the engine keeps only the figures): the same pure functions on the same
    /// inputs give the same attainment as [`compute`].
    pub fn explanation(&self, peg: &Peg, rules: &AttainmentRules) -> String {
        let i = self.source(peg);
        match i.value {
            IndicatorValue::Manual(m) => format!(
                "{}; raggiungimento manuale {}% — motivazione: {}",
                i.target.explanation(),
                pct(self.attainment, rules.decimals),
                m.reason
            ),
            IndicatorValue::Measured { text, value } => {
                match indicator_attainment(i.target, &value, rules) {
                    Ok(a) => format!("{}; misurato {text}; {}", i.target.explanation(), a.formula),
                    // Unreachable after a successful compute; shown rather than hidden.
                    Err(e) => e.to_string(),
                }
            }
        }
    }
}

/// One objective's result (*raggiungimento dell'obiettivo*); its code, matricola, title,
/// weight and origin are read from the [`Peg`].
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveResult {
    /// Position of the objective in [`Peg::objectives`].
    index: u32,
    pub attainment: Decimal,
}

impl ObjectiveResult {
    /// Position of the objective in [`Peg::objectives`].
    pub fn index(&self) -> usize {
        self.index as usize
    }

    /// The objective's input row.
    pub fn source<'a>(&self, peg: &'a Peg) -> ObjectiveView<'a> {
        peg.objective(self.index())
    }

    /// The weighted mean of the objective's indicators, written out in Italian. `items` are
    /// the objective's indicators in input order ([`PegResult::indicators_by_objective`]);
    /// built when a renderer asks.
    pub fn explanation(
        &self,
        items: &[&IndicatorResult],
        peg: &Peg,
        rules: &AttainmentRules,
    ) -> String {
        let weight = |i: &IndicatorResult| peg.indicators[i.index()].weight;
        let parts: Vec<String> = items
            .iter()
            .map(|i| {
                format!(
                    "{} × {}",
                    pct(weight(i).normalize(), 0),
                    pct(i.attainment, rules.decimals)
                )
            })
            .collect();
        format!(
            "{}: ({}) / {} = {}%",
            objective_label(rules),
            parts.join(" + "),
            pct(
                items.iter().map(|i| weight(i)).sum::<Decimal>().normalize(),
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
    pub fn explanation(
        &self,
        objs: &[&ObjectiveResult],
        peg: &Peg,
        rules: &AttainmentRules,
    ) -> String {
        let parts: Vec<String> = objs
            .iter()
            .map(|o| {
                let src = &peg.objectives[o.index()];
                format!(
                    "{} {} × {}",
                    peg.objective_code(o.index()),
                    pct(src.weight.normalize(), 0),
                    pct(o.attainment, rules.decimals)
                )
            })
            .collect();
        format!(
            "media ponderata degli obiettivi: ({}) / {} = {}",
            parts.join(" + "),
            pct(
                objs.iter()
                    .map(|o| peg.objectives[o.index()].weight)
                    .sum::<Decimal>()
                    .normalize(),
                0
            ),
            pct(self.score, rules.decimals)
        )
    }
}

/// The whole PEG result.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PegResult {
    /// One per indicator of the PEG, in input order.
    pub indicators: Vec<IndicatorResult>,
    /// One per objective of the PEG, in input order.
    pub objectives: Vec<ObjectiveResult>,
    /// One per manager with objectives, in order of matricola.
    pub managers: Vec<ManagerScore>,
}

/// Items grouped by an index (objective or manager, here and in the pay's inputs), each group
/// in input order: one list of positions with an offset per group, not a list per group.
#[derive(Debug, Clone)]
pub struct Groups<'a, T> {
    all: &'a [T],
    offsets: Vec<u32>,
    /// Positions in `all`, group after group.
    order: Vec<u32>,
}

impl<'a, T> Groups<'a, T> {
    /// Groups `items` by `key(item)` in `0..groups`, keeping the input order in each group;
    /// an item whose key is `None` is in no group.
    pub(crate) fn new(
        items: &'a [T],
        groups: usize,
        key: impl Fn(&T) -> Option<usize>,
    ) -> Groups<'a, T> {
        let mut offsets = vec![0u32; groups + 1];
        // Items usually come group after group (a PEG sheet lists each objective's
        // indicators together, in the objectives' order): then in place, no list of positions.
        let mut sorted = true;
        let mut last = 0;
        for it in items {
            match key(it) {
                Some(k) => {
                    sorted &= k >= last;
                    last = k;
                    offsets[k + 1] += 1;
                }
                None => sorted = false,
            }
        }
        for k in 1..offsets.len() {
            offsets[k] += offsets[k - 1];
        }
        let order = if sorted {
            Vec::new()
        } else {
            let mut next = offsets.clone();
            let mut order = vec![0u32; offsets[groups] as usize];
            for (i, it) in items.iter().enumerate() {
                if let Some(k) = key(it) {
                    order[next[k] as usize] = i as u32;
                    next[k] += 1;
                }
            }
            order
        };
        Groups {
            all: items,
            offsets,
            order,
        }
    }

    /// The items of group `k`, in input order (none for an unknown group).
    pub fn items(&self, k: usize) -> impl Iterator<Item = &'a T> + '_ {
        let (a, b) = match (self.offsets.get(k), self.offsets.get(k + 1)) {
            (Some(&a), Some(&b)) => (a as usize, b as usize),
            _ => (0, 0),
        };
        let all = self.all;
        let (direct, listed) = if self.order.is_empty() {
            (&all[a..b], &self.order[..0])
        } else {
            (&all[..0], &self.order[a..b])
        };
        direct
            .iter()
            .chain(listed.iter().map(move |&i| &all[i as usize]))
    }

    /// The items of group `k`, in input order (empty for an unknown group).
    pub fn of(&self, k: usize) -> Vec<&'a T> {
        self.items(k).collect()
    }

    /// Whether group `k` has no item.
    fn is_empty(&self, k: usize) -> bool {
        match (self.offsets.get(k), self.offsets.get(k + 1)) {
            (Some(&a), Some(&b)) => a == b,
            _ => true,
        }
    }
}

impl PegResult {
    /// Each manager's objectives, in input order, by matricola; built once for the renderers.
    pub fn objectives_by_manager<'a>(
        &'a self,
        peg: &'a Peg,
    ) -> BTreeMap<&'a str, Vec<&'a ObjectiveResult>> {
        let mut map: BTreeMap<&str, Vec<&ObjectiveResult>> = BTreeMap::new();
        for o in &self.objectives {
            map.entry(peg.objective_matricola(o.index()))
                .or_default()
                .push(o);
        }
        map
    }

    /// Each objective's indicators, in input order, by the objective's index.
    pub fn indicators_by_objective<'a>(&'a self, peg: &'a Peg) -> Groups<'a, IndicatorResult> {
        Groups::new(&self.indicators, peg.objectives.len(), |i| {
            Some(peg.indicators[i.index()].objective_index())
        })
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

/// `f` on the (weight, attainment) pairs of one group: on the stack for the usual few (a
/// large PEG has half a million objectives), else in a list.
fn with_slice<R>(
    items: impl Iterator<Item = (Decimal, Decimal)>,
    f: impl FnOnce(&[(Decimal, Decimal)]) -> R,
) -> R {
    // Eight: a PEG objective has 1-5 indicators, a manager 3-8 objectives; the buffer is
    // cleared at every call.
    const FEW: usize = 8;
    let mut buf = [(Decimal::ZERO, Decimal::ZERO); FEW];
    let mut n = 0;
    let mut more = Vec::new();
    for it in items {
        if n < FEW {
            buf[n] = it;
            n += 1;
        } else {
            if more.is_empty() {
                more.extend_from_slice(&buf);
            }
            more.push(it);
        }
    }
    if more.is_empty() {
        f(&buf[..n])
    } else {
        f(&more)
    }
}

/// Marks a manual attainment in the list of pairs scored.
const MANUAL: u32 = u32::MAX;

/// Computes attainment for every indicator, objective and manager. The order of the rows in
/// the CSV files does not change any figure: groups are keyed by code and matricola.
pub fn compute(peg: &Peg, rules: &AttainmentRules) -> Result<PegResult, PegError> {
    let indicators = indicators(peg, rules)?;
    let objectives = objectives(peg, rules, &indicators)?;
    let managers = managers(peg, rules, &objectives)?;
    Ok(PegResult {
        indicators,
        objectives,
        managers,
    })
}

/// Every indicator's attainment. An indicator's attainment depends only on its target, its
/// measured value and the rules: each distinct pair is scored once, pairs numbered in input
/// order so that the first failing pair is the first failing indicator.
fn indicators(peg: &Peg, rules: &AttainmentRules) -> Result<Vec<IndicatorResult>, PegError> {
    let mut ids: FxHashMap<u64, u32> = FxHashMap::default();
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    let pair_of: Vec<u32> = peg
        .indicators
        .iter()
        .enumerate()
        .map(|(k, i)| match i.measure_index() {
            None => MANUAL,
            Some(m) => {
                let t = i.target_index();
                let key = (t as u64) << 32 | m as u64;
                *ids.entry(key).or_insert_with(|| {
                    pairs.push((t, m, k));
                    (pairs.len() - 1) as u32
                })
            }
        })
        .collect();
    drop(ids);
    let scored: Vec<Result<Decimal, AttainError>> = pairs
        .par_iter()
        .map(|&(t, m, _)| indicator_value(peg.target(t), &peg.measure(m), rules).map(|a| a.value))
        .collect();
    if let Some((p, Err(e))) = scored.iter().enumerate().find(|(_, r)| r.is_err()) {
        return Err(PegError {
            origin: peg.indicator_origin(pairs[p].2).to_string(),
            message: e.to_string(),
        });
    }
    Ok((0..peg.indicators.len())
        .into_par_iter()
        .map(|k| {
            let attainment = match pair_of[k] {
                MANUAL => match peg.value(&peg.indicators[k]) {
                    IndicatorValue::Manual(m) => {
                        round(m.attainment, rules.decimals, rules.rounding)
                    }
                    IndicatorValue::Measured { .. } => Decimal::ZERO, // not manual: unreachable
                },
                p => scored[p as usize].clone().unwrap_or_default(),
            };
            IndicatorResult {
                index: k as u32,
                attainment,
            }
        })
        .collect())
}

/// Every objective's attainment from its indicators' (weight, attainment) pairs, in input
/// order.
fn objectives(
    peg: &Peg,
    rules: &AttainmentRules,
    indicators: &[IndicatorResult],
) -> Result<Vec<ObjectiveResult>, PegError> {
    let by_objective = Groups::new(indicators, peg.objectives.len(), |r| {
        Some(peg.indicators[r.index()].objective_index())
    });
    in_order(peg.objectives.len(), |k| {
        let items = by_objective
            .items(k)
            .map(|r| (peg.indicators[r.index()].weight, r.attainment));
        let a = with_slice(items, |items| objective_attainment(items, rules)).map_err(|e| {
            PegError {
                origin: peg.objective(k).origin.to_string(),
                message: e.to_string(),
            }
        })?;
        Ok(ObjectiveResult {
            index: k as u32,
            attainment: a,
        })
    })
}

/// Every manager's objectives score, managers in order of matricola.
fn managers(
    peg: &Peg,
    rules: &AttainmentRules,
    objectives: &[ObjectiveResult],
) -> Result<Vec<ManagerScore>, PegError> {
    let managers_count = peg
        .objectives
        .first()
        .map_or(0, |_| peg.objective_manager(0).1);
    let by_manager = Groups::new(objectives, managers_count, |o| {
        Some(peg.objective_manager(o.index()).0)
    });
    let mut order: Vec<usize> = (0..managers_count)
        .filter(|&m| !by_manager.is_empty(m))
        .collect();
    order.sort_unstable_by(|&a, &b| peg.matricola(a).cmp(peg.matricola(b)));
    in_order(order.len(), |k| {
        let m = order[k];
        let items = by_manager
            .items(m)
            .map(|o| (peg.objectives[o.index()].weight, o.attainment));
        let score =
            with_slice(items, |items| weighted_mean(items, rules)).map_err(|e| PegError {
                origin: peg
                    .objective(by_manager.items(m).next().map_or(0, |o| o.index()))
                    .origin
                    .to_string(),
                message: e.to_string(),
            })?;
        Ok(ManagerScore {
            matricola: peg.matricola(m).to_string(),
            score,
        })
    })
}
