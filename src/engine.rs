//! The pure core's entry point: validated inputs in, every result and its trail out.

use crate::dataset::Peg;
use crate::fund::{self, FundResult};
use crate::objectives::{self, PegResult};
use crate::rules::Rules;

/// Everything one year needs, validated.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub rules: Rules,
    /// PEG objectives and indicators, when the data folder has them.
    pub peg: Option<Peg>,
}

/// Everything computed for one year.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub fund: FundResult,
    pub peg: Option<PegResult>,
}

/// Why the computation stopped (inputs were valid, but a figure could not be made).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Fund(#[from] fund::FundError),
    #[error(transparent)]
    Peg(#[from] objectives::PegError),
}

/// Computes the fund and, when given, the objectives' attainment.
pub fn compute(inputs: &Inputs) -> Result<Outcome, EngineError> {
    let fund = fund::compute(&inputs.rules)?;
    let peg = match &inputs.peg {
        Some(p) => Some(objectives::compute(p, &inputs.rules.attainment)?),
        None => None,
    };
    Ok(Outcome { fund, peg })
}
