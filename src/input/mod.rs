//! The input wing: raw files → validated types. The rules file, the CSV exports of the data
//! folder (payroll, evaluation sheets, PEG) and the bundled example are read here, each
//! problem located by file, line, column and key; the core only sees what comes out.

pub mod csv;
pub mod dataset;
pub mod files;
pub mod rules;
