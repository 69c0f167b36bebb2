//! PEG / Piano della Performance: reading indicator targets and computing objective attainment.
//!
//! - [`target`]: a target written as free text (`almeno 20`, `entro il 31.07.20`, `entro il
//!   30/06` in the fund's year, `SI/NO`, `riduzione del 10%` from a starting value) → a typed
//!   [`Target`], or Manual with an Italian reason;
//! - [`measure`]: a measured value as written (`85,5 %`, `15/09/2020`, `sì`) → [`Measure`];
//! - [`attain`]: indicator attainment (0-100) with its Italian formula, objective and manager
//!   scores as weighted means;
//! - [`store`]: the validated PEG ([`Peg`]): objectives and indicators kept compactly.
//!
//! Pure: no IO, no floating point, every data-driven operation checked.

pub mod attain;
pub mod measure;
pub mod store;
pub mod target;

pub use attain::{
    indicator_attainment, indicator_value, objective_attainment, weighted_mean, AttainError,
    Attainment, AttainmentRules, DeadlineTolerance, ObjectiveRule, Scoring,
};
pub use measure::{read_baseline, read_measure, Measure, MeasureError};
pub use store::{
    Indicator, IndicatorValue, IndicatorView, ManualAttainment, Objective, ObjectiveView, Peg,
    WeightRule,
};
pub use target::{read_target, Direction, Target, TargetKind};
