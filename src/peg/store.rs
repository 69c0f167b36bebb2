//! The PEG as validated (*obiettivi e indicatori del PEG*): objectives and indicators kept
//! compactly, as a large ente has millions, and read whole through views. Built by
//! `input::peg` from the CSV exports; scored by `objectives`.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::measure::Measure;
use super::target::Target;
use crate::trail::Origin;

/// How weights that do not add up to 100 are treated (*regola dei pesi*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WeightRule {
    /// `somma_100`: an error.
    #[default]
    MustSum100,
    /// `normalizza`: weights are used in proportion, with a warning.
    Normalize,
}

/// A span of [`Peg`]'s text of objective codes and titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

/// A PEG objective (*obiettivo*) assigned to a manager. Its code, title and matricola are
/// kept once in the [`Peg`] and read through [`Peg::objective`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objective {
    pub(crate) code: Span,
    pub(crate) title: Span,
    /// Index in `Peg::matricole`.
    pub(crate) manager: u32,
    pub(crate) line: u32,
    pub weight: Decimal,
}

/// What an indicator's attainment comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorValue<'a> {
    /// The measured value, read against the target.
    Measured { text: &'a str, value: Measure },
    /// A manual attainment.
    Manual(&'a ManualAttainment),
}

/// A manual attainment (0-100) with its reason (*raggiungimento manuale*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualAttainment {
    pub attainment: Decimal,
    pub reason: String,
    /// The measured value, when the row has one as well.
    pub measured: Option<String>,
}

/// Tag of [`Indicator::value`] for a manual attainment (the rest is its index).
pub(crate) const MANUAL: u32 = 1 << 31;

/// A PEG indicator (*indicatore*) of an objective: 40 bytes, as a large ente has millions.
/// Texts, targets and measured values that repeat are kept once in the [`Peg`]; the
/// indicator is read whole through [`Peg::indicator`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// Index of the objective in `Peg::objectives`.
    pub(crate) objective: u32,
    /// Index in `Peg::descriptions`.
    pub(crate) description: u32,
    /// Index in `Peg::targets` (one per target text, description and direction).
    pub(crate) target: u32,
    /// Index in `Peg::measures`, or in `Peg::manual` with the [`MANUAL`] bit.
    pub(crate) value: u32,
    pub(crate) line: u32,
    /// Row number among the objective's indicators, 1-based, for codes like `OB1/2`.
    pub(crate) number: u32,
    pub weight: Decimal,
}

impl Indicator {
    /// The objective's index in [`Peg::objectives`].
    pub fn objective_index(&self) -> usize {
        self.objective as usize
    }

    /// The target's index: indicators with the same index have the same target.
    pub fn target_index(&self) -> usize {
        self.target as usize
    }

    /// The measured value's index, `None` for a manual attainment: indicators with the same
    /// index have the same measured value.
    pub fn measure_index(&self) -> Option<usize> {
        (self.value & MANUAL == 0).then_some(self.value as usize)
    }
}

/// An objective as read, with its texts and origin.
#[derive(Debug, Clone)]
pub struct ObjectiveView<'a> {
    pub code: &'a str,
    pub matricola: &'a str,
    pub title: &'a str,
    pub weight: Decimal,
    pub origin: Origin,
}

/// An indicator as read, with its texts, target, value and origin.
#[derive(Debug, Clone)]
pub struct IndicatorView<'a> {
    /// The objective's code.
    pub objective: &'a str,
    pub description: &'a str,
    pub weight: Decimal,
    pub target: &'a Target,
    pub value: IndicatorValue<'a>,
    pub origin: Origin,
    /// Row number among the objective's indicators, 1-based, for codes like `OB1/2`.
    pub number: usize,
}

impl IndicatorView<'_> {
    /// The measured value as written (empty for a manual attainment without one).
    pub fn measured_text(&self) -> &str {
        match &self.value {
            IndicatorValue::Measured { text, .. } => text,
            IndicatorValue::Manual(m) => m.measured.as_deref().unwrap_or(""),
        }
    }
}

/// PEG inputs, validated (*obiettivi e indicatori del PEG*).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Peg {
    pub objectives: Vec<Objective>,
    pub indicators: Vec<Indicator>,
    /// Codes and titles of the objectives, one after the other.
    pub(crate) texts: String,
    /// The matricole the objectives name, in order of first appearance.
    pub(crate) matricole: Vec<Arc<str>>,
    pub(crate) descriptions: Vec<Box<str>>,
    pub(crate) targets: Vec<Target>,
    pub(crate) measures: Vec<(Box<str>, Measure)>,
    pub(crate) manual: Vec<ManualAttainment>,
    pub(crate) objectives_file: Arc<str>,
    pub(crate) indicators_file: Arc<str>,
}

impl Peg {
    pub(crate) fn text(&self, s: Span) -> &str {
        &self.texts[s.start as usize..s.end as usize]
    }

    /// The `k`-th objective with its texts.
    pub fn objective(&self, k: usize) -> ObjectiveView<'_> {
        let o = &self.objectives[k];
        ObjectiveView {
            code: self.text(o.code),
            matricola: &self.matricole[o.manager as usize],
            title: self.text(o.title),
            weight: o.weight,
            origin: Origin {
                file: self.objectives_file.clone(),
                line: o.line as usize,
            },
        }
    }

    /// The code of the `k`-th objective.
    pub fn objective_code(&self, k: usize) -> &str {
        self.text(self.objectives[k].code)
    }

    /// The matricola the `k`-th objective is assigned to.
    pub fn objective_matricola(&self, k: usize) -> &str {
        &self.matricole[self.objectives[k].manager as usize]
    }

    /// The `k`-th objective's manager as an index in order of first appearance (same
    /// index, same matricola), and the number of such managers.
    pub fn objective_manager(&self, k: usize) -> (usize, usize) {
        (self.objectives[k].manager as usize, self.matricole.len())
    }

    /// The matricola of a manager index of [`Peg::objective_manager`].
    pub fn matricola(&self, m: usize) -> &str {
        &self.matricole[m]
    }

    /// The `k`-th indicator with its texts, target and value.
    pub fn indicator(&self, k: usize) -> IndicatorView<'_> {
        let i = &self.indicators[k];
        IndicatorView {
            objective: self.objective_code(i.objective as usize),
            description: &self.descriptions[i.description as usize],
            weight: i.weight,
            target: &self.targets[i.target as usize],
            value: self.value(i),
            origin: self.indicator_origin(k),
            number: i.number as usize,
        }
    }

    /// Where the `k`-th indicator was read.
    pub fn indicator_origin(&self, k: usize) -> Origin {
        Origin {
            file: self.indicators_file.clone(),
            line: self.indicators[k].line as usize,
        }
    }

    /// A target by the index of [`Indicator::target_index`].
    pub fn target(&self, t: usize) -> &Target {
        &self.targets[t]
    }

    /// A measured value by the index of [`Indicator::measure_index`].
    pub fn measure(&self, m: usize) -> Measure {
        self.measures[m].1
    }

    /// What an indicator's attainment comes from.
    pub fn value(&self, i: &Indicator) -> IndicatorValue<'_> {
        if i.value & MANUAL != 0 {
            IndicatorValue::Manual(&self.manual[(i.value & !MANUAL) as usize])
        } else {
            let (text, value) = &self.measures[i.value as usize];
            IndicatorValue::Measured {
                text,
                value: *value,
            }
        }
    }
}
