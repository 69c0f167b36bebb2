//! The pure core's entry point: validated inputs in, every result and its trail out.

use rayon::prelude::*;
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

impl From<pay::PayError> for EngineError {
    fn from(e: pay::PayError) -> EngineError {
        EngineError::Pay(Box::new(e))
    }
}

/// Computes the fund, the objectives' attainment and the individual pay, as far as the
/// inputs go.
pub fn compute(inputs: &Inputs) -> Result<Outcome, EngineError> {
    let fund = fund::compute(&inputs.rules)?;
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
    let pay = match (&inputs.staff, prepared?) {
        (Some(staff), Some(prepared)) => Some(compute_pay(
            &inputs.rules,
            &fund,
            peg.as_ref(),
            staff,
            prepared,
        )?),
        _ => None,
    };
    Ok(Outcome { fund, peg, pay })
}

/// The pay's inputs: every manager's but the objectives' score, in order of matricola, as
/// the pay gives its results; and the interim assignments.
struct Prepared {
    /// Each manager's position in the staff, in order of matricola.
    order: Vec<usize>,
    managers: Vec<ManagerInput>,
    interims: Vec<InterimInput>,
}

fn pay_inputs(rules: &Rules, staff: &Staff) -> Result<Prepared, EngineError> {
    // Each manager's evaluations and fees, grouped by position (the loader links each
    // evaluation to its manager), in file order.
    let evaluations = Groups::new(&staff.evaluations, staff.managers.len(), |e| {
        e.manager.map(|m| m as usize)
    });
    let mut fees_of: FxHashMap<&str, Vec<Money>> = FxHashMap::default();
    for f in &staff.fees {
        fees_of.entry(&*f.matricola).or_default().push(f.amount);
    }
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
            matricola: m.matricola.clone(),
            name: m.name.clone(),
            post: m.post.clone(),
            yearly_position_pay: m.yearly_position_pay,
            grading_points: m.grading_points,
            start: m.start,
            end: m.end,
            components,
            fees,
        })
    })?;
    let interims: Vec<InterimInput> = staff
        .interims
        .iter()
        .map(|i| InterimInput {
            matricola: i.matricola.clone(),
            covered_post: i.covered_post.clone(),
            covered_position_pay: i.covered_position_pay,
            start: i.start,
            end: i.end,
            // Checked at the boundary: one of the two is present.
            percent: i.percent.or(rules.interim_percent).unwrap_or_default(),
        })
        .collect();
    Ok(Prepared {
        order,
        managers,
        interims,
    })
}

fn compute_pay(
    rules: &Rules,
    fund: &FundResult,
    peg: Option<&PegResult>,
    staff: &Staff,
    prepared: Prepared,
) -> Result<PayResult, EngineError> {
    let Prepared {
        order,
        mut managers,
        interims,
    } = prepared;
    let pots = Pots {
        year: rules.year,
        position_share: fund.position,
        result_share: fund.result,
        carryovers: fund.carryover_total,
    };
    if let Some(p) = peg {
        // The objectives' scores are in order of matricola, each once, as the managers.
        let objectives_name: std::sync::Arc<str> = OBJECTIVES_COMPONENT.into();
        let mut scores = p.managers.iter().peekable();
        for m in &mut managers {
            while scores.next_if(|s| *s.matricola < *m.matricola).is_some() {}
            if let Some(s) = scores.next_if(|s| *s.matricola == *m.matricola) {
                m.components.push((objectives_name.clone(), s.score));
            }
        }
    }
    let mut result = pay::compute_pay(&pots, &managers, &interims, &rules.pay)?;
    // A large ente's inputs are freed on the other core while the rows are named.
    let ((), rows) = rayon::join(
        || drop(managers),
        || origins(staff, &order, &result.managers),
    );
    let mut interim_rows: FxHashMap<&str, Vec<String>> = FxHashMap::default();
    for i in &staff.interims {
        interim_rows
            .entry(&*i.matricola)
            .or_default()
            .push(i.origin.to_string());
    }
    result
        .trail
        .set_origins(rows, |m| interim_rows.get(m).map(|r| r.join(", ")));
    Ok(result)
}

/// Each pay row's file and row, from the pay's order of matricola.
fn origins(
    staff: &Staff,
    order: &[usize],
    pay: &[pay::ManagerPay],
) -> Vec<Option<crate::trail::Origin>> {
    // The core names its inputs by matricola; the auditors need the file and row. The pay's
    // managers are in order of matricola (each once), as its inputs: checked, else each row
    // looked up by matricola.
    let same_order = pay.len() == order.len()
        && pay
            .iter()
            .zip(order)
            .all(|(m, &k)| m.matricola == staff.managers[k].matricola);
    if same_order {
        order
            .iter()
            .map(|&k| Some(staff.managers[k].origin.clone()))
            .collect()
    } else {
        let by_matricola: FxHashMap<&str, &crate::trail::Origin> = staff
            .managers
            .iter()
            .map(|m| (&*m.matricola, &m.origin))
            .collect();
        pay.iter()
            .map(|m| by_matricola.get(&*m.matricola).map(|o| (*o).clone()))
            .collect()
    }
}
