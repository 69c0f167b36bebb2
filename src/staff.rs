//! The staff of the year as validated (*dirigenti, valutazioni, interim, compensi ex lege,
//! riduzioni*):
//! built by `input::staff` from the CSV exports, checked against each other; read by the pay.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::money::Money;
use crate::trail::Origin;

/// A managers' file row (*dirigente*); the pay reads it as it is (`pay::ManagerInput`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manager {
    /// Shared with the manager's evaluations and pay figures.
    pub matricola: Arc<str>,
    pub name: Arc<str>,
    pub post: Arc<str>,
    pub yearly_position_pay: Money,
    pub grading_points: Option<Decimal>,
    /// The assignment's dates within the fund year, both or neither (then `days` is given).
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// The days of service in the fund year as payroll counts them (`giorni`); with the
    /// dates too, the same days as the dates give under the rules' count. 0 is a post
    /// covered all year by others: a row paying nothing.
    pub days: Option<i64>,
    /// The ente's share of the manager's pay (`quota_ente`, a percentage) when the manager
    /// is shared with another ente under a convenzione; `None` is 100%.
    pub ente_share: Option<Decimal>,
    pub origin: Origin,
}

/// A post of the organisation chart (*posto dell'organigramma*, `posti.csv`), filled or not:
/// the structure (settore, servizio) with its yearly position pay from the grading
/// (*pesatura*), its grading points, and the score of the structure when the Nucleo di
/// Valutazione scores it (for the interim rows scored by the structure they cover).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// The post's name, as `incarico` in `dirigenti.csv` and `incarico_coperto` in
    /// `interim.csv` write it.
    pub name: Arc<str>,
    pub yearly_position_pay: Money,
    pub grading_points: Option<Decimal>,
    /// The structure's score, 0-100 (`punteggio`).
    pub score: Option<Decimal>,
    pub origin: Origin,
}

/// An evaluation score of one component (*punteggio di una componente della valutazione*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// Shared with the manager's row.
    pub matricola: Arc<str>,
    /// Lowercase; shared by the evaluations of the same component.
    pub component: Arc<str>,
    pub score: Decimal,
    pub origin: Origin,
    /// Position of the manager in [`Staff::managers`], or `None` when the manager's row was
    /// refused: the later checks and the pay group evaluations without looking them up.
    pub manager: Option<u32>,
}

/// An interim assignment (*incarico ad interim*, CCNL 2020 art. 58); the pay reads it with its
/// percentage resolved (`pay::InterimInput`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interim {
    pub matricola: String,
    pub covered_post: String,
    pub covered_position_pay: Money,
    /// The interim's dates within the fund year, both or neither (then `days` is given).
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// The days of the interim in the fund year as payroll counts them (`giorni`).
    pub days: Option<i64>,
    /// The CSV's percentage; `None` means the rules file's `[interim] percentuale`.
    pub percent: Option<Decimal>,
    pub origin: Origin,
}

/// A fee paid under a specific law (*compenso ex lege*, CCNL 2020 art. 60).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fee {
    pub matricola: String,
    pub kind: String,
    pub amount: Money,
    pub source: String,
    pub origin: Origin,
}

/// A declared cut of one manager's result pay (*riduzione*, `riduzioni.csv`): late
/// objectives, a disciplinary measure; a percentage with its reason and source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reduction {
    pub matricola: String,
    pub percent: Decimal,
    pub reason: String,
    pub source: String,
    pub origin: Origin,
}

/// The staff inputs of one year, validated against each other.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Staff {
    pub managers: Vec<Manager>,
    /// The matricole of `dirigenti.csv` whose row was refused: a reference to one of these
    /// is not "unknown" even when its row had a problem.
    pub refused: Vec<String>,
    /// Matricole with a refused row in `valutazioni.csv`: their missing scores are that row's
    /// problem, already reported.
    pub incomplete: BTreeSet<String>,
    pub evaluations: Vec<Evaluation>,
    pub interims: Vec<Interim>,
    pub fees: Vec<Fee>,
    /// The declared reductions of result pay (`riduzioni.csv`), in file order.
    pub reductions: Vec<Reduction>,
    /// The organisation chart (`posti.csv`), in file order; empty when not given.
    pub posts: Vec<Post>,
}

/// The component scored from the PEG objectives rather than read from `valutazioni.csv`.
pub const OBJECTIVES_COMPONENT: &str = "obiettivi";
