//! The explanation trail (*traccia del calcolo*): for every figure, its formula in words, the
//! terms it adds with their origin (file and line) and legal source, and each rounding.

use std::borrow::Cow;

use crate::money::{Money, Percent};

/// Where an input is (*riferimento alla riga del file*): a CSV row or a rules-file entry,
/// shown as `file:line`. The file name is shared by all the rows of a file, so a million rows
/// cost no strings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: std::sync::Arc<str>,
    pub line: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl serde::Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A text of the trail: most are fixed (sources, rounding rules, term names) and cost nothing;
/// the others are owned.
pub type Text = Cow<'static, str>;

/// One term of a figure: an input (rules-file or CSV row) or another figure of the trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub description: Text,
    pub value: Money,
    /// +1 added, −1 subtracted.
    pub sign: i8,
    /// `file:line` of an input, or `voce:<id>` of another figure.
    pub origin: String,
    pub source: Option<Text>,
}

impl Term {
    /// A term that is another figure of the trail.
    pub fn figure(description: impl Into<Text>, value: Money, sign: i8, voce: &str) -> Term {
        Term {
            description: description.into(),
            value,
            sign,
            origin: format!("voce:{voce}"),
            source: None,
        }
    }
}

/// The value of a figure: an amount or a displayed percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureValue {
    Money(Money),
    Percent(Percent),
}

impl From<Money> for FigureValue {
    fn from(m: Money) -> FigureValue {
        FigureValue::Money(m)
    }
}

impl FigureValue {
    /// Italian display: `847.231,25` or `73,45%`.
    pub fn it(self) -> String {
        match self {
            FigureValue::Money(m) => m.it(),
            FigureValue::Percent(p) => format!("{}%", p.it(2)),
        }
    }

    /// Plain display for JSON: `847231.25` or `73.45`.
    pub fn plain(self) -> String {
        match self {
            FigureValue::Money(m) => m.plain(),
            FigureValue::Percent(p) => p.plain(),
        }
    }
}

/// One figure (*voce*) with how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// Stable identifier, used by `ccdi spiega` and in the JSON.
    pub voce: String,
    pub description: String,
    pub value: FigureValue,
    /// The computation in words and numbers, Italian formatting.
    pub formula: String,
    pub terms: Vec<Term>,
    pub sources: Vec<Text>,
    pub roundings: Vec<Text>,
}

impl Figure {
    /// A figure that is the plain sum of its terms.
    pub fn sum(
        voce: &str,
        description: &str,
        value: Money,
        terms: Vec<Term>,
        sources: &[&str],
    ) -> Figure {
        let formula = if terms.is_empty() {
            "nessuna voce: 0,00".to_string()
        } else {
            let parts: Vec<String> = terms.iter().map(|t| t.value.it()).collect();
            format!("{} = {}", parts.join(" + "), value.it())
        };
        Figure {
            voce: voce.to_string(),
            description: description.to_string(),
            value: value.into(),
            formula,
            terms,
            sources: sources.iter().map(|s| Text::Owned(s.to_string())).collect(),
            roundings: Vec::new(),
        }
    }

    /// A displayed percentage: kept in the trail, never used to compute an amount; `rounding`
    /// cites the rule of the rounding.
    pub fn display(
        voce: &str,
        description: &str,
        value: Percent,
        formula: String,
        rounding: &str,
    ) -> Figure {
        Figure {
            voce: voce.to_string(),
            description: description.to_string(),
            value: FigureValue::Percent(value),
            formula,
            terms: Vec::new(),
            sources: vec![format!("{rounding} (arrotondamento)").into()],
            roundings: Vec::new(),
        }
    }
}

/// All figures of a run, in the order they were computed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trail {
    pub figures: Vec<Figure>,
}

impl Trail {
    pub fn push(&mut self, f: Figure) {
        self.figures.push(f);
    }

    pub fn get(&self, voce: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.voce == voce)
    }
}
