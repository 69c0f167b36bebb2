//! `[dati]` of the rules file: how the data folder's CSV exports are read (delimiter and
//! encoding), when the exports need them declared.

use super::{Reader, Tbl};
use crate::input::csv::{CsvOptions, Encoding};

/// Keys of `[dati]`.
const DATA_KEYS: &[&str] = &["separatore", "codifica"];

impl Reader<'_> {
    /// `[dati]`: the CSV delimiter and encoding, when the exports need them declared.
    pub(super) fn csv_options(&mut self, top: &Tbl) -> CsvOptions {
        let mut opts = CsvOptions::default();
        let Some(t) = self.section(top, "dati", DATA_KEYS) else {
            return opts;
        };
        if let Some(d) = self.choice(
            &t,
            "separatore",
            &[(";", b';'), (",", b','), ("tab", b'\t')],
        ) {
            opts.delimiter = Some(d);
        }
        if let Some(e) = self.choice(
            &t,
            "codifica",
            &[
                ("automatica", Encoding::Auto),
                ("utf-8", Encoding::Utf8),
                ("windows-1252", Encoding::Windows1252),
            ],
        ) {
            opts.encoding = e;
        }
        opts
    }
}
