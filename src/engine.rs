//! The pure core's entry point: validated inputs in, every result and its trail out.

use rayon::prelude::*;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::fund::{self, FundResult};
use crate::money::Money;
use crate::objectives::{self, Groups, PegResult};
use crate::par::in_order;
use crate::pay::{self, InterimInput, ManagerInput, PayResult, Pots};
use crate::peg::Peg;
use crate::rules::Rules;
use crate::staff::{Staff, OBJECTIVES_COMPONENT};

/// Everything one year needs, validated.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub rules: Rules,
    /// PEG objectives and indicators, when the data folder has them.
    pub peg: Option<Peg>,
    /// Managers, evaluations, interim assignments and fees, when the data folder has them
    /// (already checked against the declared components and the PEG).
    pub staff: Option<Staff>,
    /// The previous year's certified figures (`--precedente`), when given.
    pub previous: Option<crate::fund::previous::Previous>,
    /// The SHA-256 of every input file, in reading order, stated in every output.
    pub fingerprints: Vec<Fingerprint>,
}

/// An input file's fingerprint (*impronta*): its name and SHA-256, so that a revisore can
/// tell that two outputs come from the same inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub file: String,
    pub sha256: String,
}

impl Fingerprint {
    pub fn of(file: &str, bytes: &[u8]) -> Fingerprint {
        use sha2::Digest;
        Fingerprint::from_digest(file, &sha2::Sha256::digest(bytes))
    }

    /// The fingerprint from a SHA-256 computed elsewhere (a file read in pieces).
    pub fn from_digest(file: &str, digest: &[u8]) -> Fingerprint {
        Fingerprint {
            file: file.to_string(),
            sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

/// Everything computed for one year.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub fund: FundResult,
    pub peg: Option<PegResult>,
    pub pay: Option<PayResult>,
}

/// Why the computation stopped (inputs were valid, but a figure could not be made).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Fund(#[from] fund::FundError),
    #[error(transparent)]
    Peg(#[from] objectives::PegError),
    /// Boxed: the pay error carries figures and is much larger than the others.
    #[error(transparent)]
    Pay(Box<pay::PayError>),
}

impl EngineError {
    /// Where in the rules file the error is, when a rule's key caused it: the file, the
    /// line and the key (the fixed result quotas exceeding the pot).
    pub fn rules_key(&self) -> Option<(&str, usize, String)> {
        match self {
            EngineError::Pay(p) => match &**p {
                pay::PayError::FixedQuotasExceed(q) => q
                    .origin
                    .as_ref()
                    .map(|o| (&*o.file, o.line, format!("valutazione.{}", q.key))),
                _ => None,
            },
            _ => None,
        }
    }
}

impl From<pay::PayError> for EngineError {
    fn from(e: pay::PayError) -> EngineError {
        EngineError::Pay(Box::new(e))
    }
}

/// Computes the fund, the objectives' attainment and the individual pay, as far as the
/// inputs go.
pub fn compute(inputs: &Inputs) -> Result<Outcome, EngineError> {
    let mut fund = fund::compute(&inputs.rules)?;
    if let Some(prev) = &inputs.previous {
        fund::with_previous(&mut fund, &inputs.rules, prev);
    }
    // The managers' pay inputs do not wait for the objectives but for their one score.
    let (peg, prepared) = rayon::join(
        || {
            inputs
                .peg
                .as_ref()
                .map(|p| objectives::compute(p, &inputs.rules.attainment))
                .transpose()
        },
        || {
            inputs
                .staff
                .as_ref()
                .map(|s| pay_inputs(&inputs.rules, s))
                .transpose()
        },
    );
    let peg = peg?;
    let pay = match prepared? {
        Some(prepared) => Some(compute_pay(&inputs.rules, &fund, peg.as_ref(), prepared)?),
        None => None,
    };
    Ok(Outcome { fund, peg, pay })
}

/// The pay's inputs: each validated manager with every score but the objectives' one, in
/// order of matricola (so that the objectives' scores join in one pass); and the interim
/// assignments with their percentage, in file order.
struct Prepared<'a> {
    managers: Vec<ManagerInput<'a>>,
    interims: Vec<InterimInput<'a>>,
    /// The rows of each manager's fees, in file order (`file:line, file:line`), by matricola.
    fee_rows: FxHashMap<std::sync::Arc<str>, String>,
    /// Each manager's declared reductions: the summed percentage, reasons, sources and rows.
    reductions: FxHashMap<std::sync::Arc<str>, (Decimal, pay::ReductionRows)>,
    /// The organisation chart (`posti.csv`), empty when not given.
    posts: &'a [crate::staff::Post],
}

/// Each manager's declared reductions (`riduzioni.csv`), in file order: the percentages
/// summed, the reasons, sources and rows.
fn reductions_of(staff: &Staff) -> FxHashMap<std::sync::Arc<str>, (Decimal, pay::ReductionRows)> {
    let mut out: FxHashMap<std::sync::Arc<str>, (Decimal, pay::ReductionRows)> =
        FxHashMap::default();
    for r in &staff.reductions {
        let (percent, rows) = out.entry(r.matricola.as_str().into()).or_default();
        *percent += r.percent;
        rows.reasons.push(r.reason.clone());
        rows.sources.push(r.source.clone());
        if !rows.rows.is_empty() {
            rows.rows.push_str(", ");
        }
        rows.rows.push_str(&r.origin.to_string());
    }
    out
}

/// Gathers each manager's evaluations and fees and resolves each interim's percentage.
fn pay_inputs<'a>(rules: &Rules, staff: &'a Staff) -> Result<Prepared<'a>, EngineError> {
    // Each manager's evaluations and fees, grouped by position (the loader links each
    // evaluation to its manager), in file order.
    let evaluations = Groups::new(&staff.evaluations, staff.managers.len(), |e| {
        e.manager.map(|m| m as usize)
    });
    let mut fees_of: FxHashMap<&str, Vec<Money>> = FxHashMap::default();
    let mut fee_rows: FxHashMap<std::sync::Arc<str>, String> = FxHashMap::default();
    for f in &staff.fees {
        fees_of.entry(&*f.matricola).or_default().push(f.amount);
        let rows = fee_rows.entry(f.matricola.as_str().into()).or_default();
        if !rows.is_empty() {
            rows.push_str(", ");
        }
        rows.push_str(&f.origin.to_string());
    }
    let reductions = reductions_of(staff);
    let mut order: Vec<usize> = (0..staff.managers.len()).collect();
    order.par_sort_unstable_by(|&a, &b| {
        staff.managers[a]
            .matricola
            .cmp(&staff.managers[b].matricola)
    });
    let managers = in_order(order.len(), |j| {
        let k = order[j];
        let m = &staff.managers[k];
        // Room for the objectives' score, added when it is known.
        let mut components = Vec::with_capacity(rules.pay.components.len());
        components.extend(evaluations.items(k).map(|e| (e.component.clone(), e.score)));
        let fees = Money::checked_sum(fees_of.get(&*m.matricola).into_iter().flatten().copied())
            .ok_or(fund::FundError::Overflow)?;
        Ok::<_, EngineError>(ManagerInput {
            manager: m,
            components,
            fees,
            reduction: reductions.get(&*m.matricola).map_or(Decimal::ZERO, |r| r.0),
        })
    })?;
    let interims = staff
        .interims
        .iter()
        .map(|i| InterimInput {
            interim: i,
            // Checked at the boundary: one of the two is present.
            percent: i.percent.or(rules.interim_percent).unwrap_or_default(),
        })
        .collect();
    Ok(Prepared {
        managers,
        interims,
        fee_rows,
        reductions,
        posts: &staff.posts,
    })
}

/// The pots from the fund, the objectives' scores, the pay, and the interim rows named.
fn compute_pay(
    rules: &Rules,
    fund: &FundResult,
    peg: Option<&PegResult>,
    prepared: Prepared,
) -> Result<PayResult, EngineError> {
    let Prepared {
        mut managers,
        interims,
        fee_rows,
        reductions,
        posts,
    } = prepared;
    let pots = Pots {
        year: rules.year,
        position_share: fund.position,
        result_share: fund.result,
        carryovers: fund.carryover_total,
        sources: pay::Sources::of(&rules.national, rules.source_of("differenziazione")),
    };
    if let Some(p) = peg {
        add_objectives_scores(&mut managers, p);
    }
    let mut result = pay::compute_pay(&pots, &managers, &interims, posts, &rules.pay)?;
    // The pay names each manager's row; an interim figure names all the rows of its covering
    // manager, in file order.
    let mut interim_rows: FxHashMap<&str, Vec<String>> = FxHashMap::default();
    for i in &interims {
        interim_rows
            .entry(&*i.interim.matricola)
            .or_default()
            .push(i.interim.origin.to_string());
    }
    result
        .trail
        .set_interim_origins(|m| interim_rows.get(m).map(|r| r.join(", ")));
    result.trail.set_fee_origins(fee_rows);
    result
        .trail
        .set_reduction_origins(reductions.into_iter().map(|(m, r)| (m, r.1)).collect());
    Ok(result)
}

/// Adds each manager's objectives' score to its components: one pass over both lists.
fn add_objectives_scores(managers: &mut [ManagerInput], peg: &PegResult) {
    // The objectives' scores are in order of matricola, each once, as the managers.
    let objectives_name: std::sync::Arc<str> = OBJECTIVES_COMPONENT.into();
    let mut scores = peg.managers.iter().peekable();
    for m in managers {
        let matricola = &*m.manager.matricola;
        while scores.next_if(|s| *s.matricola < *matricola).is_some() {}
        if let Some(s) = scores.next_if(|s| *s.matricola == *matricola) {
            m.components.push((objectives_name.clone(), s.score));
        }
    }
}
