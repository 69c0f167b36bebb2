//! The output wing: computed results → what people read. Each table is defined once
//! (`table`, `tables`) and rendered by every format: text, CSV, JSON, HTML and the Excel
//! workbook; beside them the RGS documents, the verifica checklist, the calculation sheets
//! of `spiega`, the reading of a target, the transparency table, the set of files
//! `calcola --out` writes and the blank templates of `modelli`. Pure renderers into `String`s or writers; [`write`](mod@write) is the only
//! writing to disk (all the files of a set renamed into place together).

pub mod checklist;
pub mod compare;
pub mod csv;
pub mod documents;
pub mod explain;
pub mod files;
pub mod html;
pub mod json;
pub mod relazioni;
pub mod table;
pub mod tables;
pub mod target;
pub mod templates;
pub mod text;
pub mod transparency;
pub mod write;
pub mod xlsx;

/// The engine's name and version, stated in every output.
pub const ENGINE: &str = concat!("ccdi ", env!("CARGO_PKG_VERSION"));
