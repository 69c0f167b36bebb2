//! The input wing: raw files → validated types. The rules file, the CSV exports of the data
//! folder (payroll, evaluation sheets, PEG) and the bundled example are read here, each
//! problem located by file, line, column and key; the core only sees what comes out.
//!
//! - [`compared`]: a certified `fondo.json` as one side of `ccdi confronta`;
//! - [`files`]: the only reads from disk (the rules file, the data folder, the bundled
//!   example, a batch's folders), and the inputs gathered for the engine;
//! - [`rules`]: the rules file (TOML) → [`crate::rules::Rules`];
//! - [`csv`]: CSV bytes → blocks of whole records → located text cells, read typed;
//! - [`pieces`]: a large file read in pieces of whole records, its blocks checked on all cores;
//! - [`peg`]: `obiettivi.csv` and `indicatori.csv` → [`crate::peg::Peg`];
//! - [`staff`]: `dirigenti.csv`, `valutazioni.csv`, `interim.csv`, `compensi.csv` →
//!   [`crate::staff::Staff`], checked against the rules' components and the PEG;
//! - [`leavers`]: `cessati.csv`, the RIA of the managers who left, as resources of the fund;
//! - [`previous`]: the previous year's `fondo.json` (`--precedente`), its seal checked;
//! - [`reductions`]: `riduzioni.csv`, the declared cuts of a manager's result pay;
//! - [`posts`]: `posti.csv`, the organisation chart, checked against the managers, the
//!   interim assignments and the rules' keys that need it;
//! - [`xlsx`]: the office's Excel workbooks (`dirigenti.xlsx`, or `dati.xlsx` with one sheet
//!   per file), each sheet turned into the CSV text the same readers read.

pub mod compared;
pub mod csv;
pub mod files;
pub mod leavers;
pub mod peg;
pub mod pieces;
pub mod posts;
pub mod previous;
pub mod reductions;
pub mod rules;
pub mod staff;
pub mod xlsx;

/// File names inside the data folder.
pub const OBJECTIVES_FILE: &str = "obiettivi.csv";
pub const INDICATORS_FILE: &str = "indicatori.csv";
pub const MANAGERS_FILE: &str = "dirigenti.csv";
pub const EVALUATIONS_FILE: &str = "valutazioni.csv";
pub const INTERIM_FILE: &str = "interim.csv";
pub const FEES_FILE: &str = "compensi.csv";
pub const REDUCTIONS_FILE: &str = "riduzioni.csv";
pub const POSTS_FILE: &str = "posti.csv";
pub const LEAVERS_FILE: &str = "cessati.csv";
/// Every file a data folder may hold.
pub const ALL_FILES: [&str; 9] = [
    OBJECTIVES_FILE,
    INDICATORS_FILE,
    MANAGERS_FILE,
    EVALUATIONS_FILE,
    INTERIM_FILE,
    FEES_FILE,
    REDUCTIONS_FILE,
    POSTS_FILE,
    LEAVERS_FILE,
];
