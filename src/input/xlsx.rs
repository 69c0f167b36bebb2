//! The office's Excel workbooks as inputs: each sheet is turned into the same CSV text a
//! `.csv` export would hold, so that the CSV reader and every domain check read it (nothing
//! of the domain here). The text has one line per row of the sheet and one field per column
//! from `A`, so a CSV location (line, field) is the sheet's cell (row, column); the sheet's
//! name ([`sheet_file`]) makes the diagnostics show it in A1 notation
//! (`dati.xlsx[dirigenti]!C7`).
//!
//! Cells are read from their types:
//! - text as written (a line break inside a cell becomes a space: one row, one line);
//! - numbers (Excel doubles) as the shortest decimal that reads back to the same double
//!   (Rust's `{}` of `f64`), with a decimal comma (`31500,5`; `0,30000000000000004` is then
//!   caught by the columns' decimals check); a cell formatted as a percentage as its value
//!   × 100 with `%` (`0.755` → `75,5%`), which percentage columns read as 75,5 and amount
//!   columns refuse;
//! - dates as `dd/mm/yyyy` (a time of day, if any, is kept, and the date columns refuse it);
//! - `VERO`/`FALSO` for logical cells; an Excel error (`#DIV/0!`) is a located error.
//!
//! Pure: the loader hands in the workbook's bytes.

use std::io::Cursor;

use calamine::{Data, Reader, StyleRange, Xlsx};
use rust_decimal::Decimal;

use crate::diag::{sheet_file, Diagnostic, Diagnostics, Location};
use crate::rules::{CsvOptions, Encoding};

/// The workbook holding every file of the data folder, one sheet each.
pub const DATA_WORKBOOK: &str = "dati.xlsx";

/// A data file's name without `.csv`: the name of its workbook (with `.xlsx`) and of its
/// sheet in [`DATA_WORKBOOK`].
pub fn stem(file: &str) -> &str {
    file.strip_suffix(".csv").unwrap_or(file)
}

/// The workbook that may stand for a data file: `dirigenti.csv` → `dirigenti.xlsx`.
pub fn workbook_file(file: &str) -> String {
    format!("{}.xlsx", stem(file))
}

/// A sheet's name as compared with the files' (case, spaces and accents aside).
fn sheet_key(sheet: &str) -> String {
    super::csv::normalize_header(sheet)
}

/// The data file a sheet of [`DATA_WORKBOOK`] stands for, by its name (`Dirigenti` →
/// `dirigenti.csv`).
pub fn file_of_sheet(sheet: &str) -> Option<&'static str> {
    let key = sheet_key(sheet);
    super::ALL_FILES.into_iter().find(|f| stem(f) == key)
}

/// The avviso of a sheet of [`DATA_WORKBOOK`] that is no data file.
pub fn unknown_sheet(workbook: &str, sheet: &str) -> Diagnostic {
    let names: Vec<&str> = super::ALL_FILES.iter().map(|f| stem(f)).collect();
    Diagnostic::warning(
        Location::file(&sheet_file(workbook, sheet)),
        format!(
            "foglio \"{sheet}\" non letto: i fogli letti si chiamano come i file dei dati ({}); rinominarlo se contiene uno di questi",
            names.join(", ")
        ),
    )
}

/// The sheet of a data file's own workbook (`dirigenti.xlsx`): its only sheet, or else the
/// one named like the file.
pub fn pick_sheet(sheets: &[String], file: &str) -> Result<String, String> {
    if let [only] = sheets {
        return Ok(only.clone());
    }
    let name = stem(file);
    sheets
        .iter()
        .find(|s| sheet_key(s) == name)
        .cloned()
        .ok_or_else(|| {
            format!(
                "la cartella di lavoro ha {} fogli ({}) e nessuno si chiama \"{name}\": lasciare un solo foglio, o chiamare \"{name}\" quello da leggere",
                sheets.len(),
                sheets.join(", ")
            )
        })
}

/// An open workbook: its name in messages and its sheets.
pub struct Workbook<'b> {
    shown: String,
    xlsx: Xlsx<Cursor<&'b [u8]>>,
}

/// One sheet as CSV text: its name in messages (`dati.xlsx[dirigenti]`) and the bytes, in
/// the delimiter and encoding the rules declare for the CSV files.
#[derive(Debug, Clone)]
pub struct SheetText {
    pub shown: String,
    pub bytes: Vec<u8>,
}

impl<'b> Workbook<'b> {
    /// Opens a workbook's bytes; what is not an `.xlsx` workbook is an error at the file.
    pub fn open(shown: &str, bytes: &'b [u8]) -> Result<Workbook<'b>, Diagnostics> {
        match Xlsx::new(Cursor::new(bytes)) {
            Ok(xlsx) => Ok(Workbook {
                shown: shown.to_string(),
                xlsx,
            }),
            Err(e) => Err(at_file(shown, unreadable_reason(&e))),
        }
    }

    /// The sheets' names, in the workbook's order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.xlsx.sheet_names()
    }

    /// A sheet as CSV text, with the problems of its cells (Excel errors, a header not in
    /// the first row, characters the declared encoding cannot hold), each at its cell.
    pub fn sheet_text(&mut self, sheet: &str, opts: CsvOptions) -> Result<SheetText, Diagnostics> {
        let shown = sheet_file(&self.shown, sheet);
        let range = self
            .xlsx
            .worksheet_range(sheet)
            .map_err(|e| at_file(&shown, unreadable_reason(&e)))?;
        // Styles only tell percentages apart: a sheet whose styles cannot be read has none.
        let styles = self.xlsx.worksheet_style(sheet).unwrap_or_default();
        let is_1904 = self.xlsx.has_1904_epoch();
        let mut writer = SheetWriter {
            shown,
            delimiter: opts.delimiter.unwrap_or(b';'),
            encoding: opts.encoding,
            text: String::new(),
            header: Vec::new(),
            diags: Diagnostics::default(),
        };
        if let Some((first_row, first_col)) = range.start() {
            if first_row > 0 {
                return Err(at_file(
                    &writer.shown,
                    "la riga 1 del foglio è vuota: le intestazioni delle colonne vanno nella riga 1, i dati nelle righe seguenti",
                ));
            }
            for (i, row) in range.rows().enumerate() {
                writer.row(first_row + i as u32, first_col, row, &styles, is_1904);
            }
        }
        writer.finish()
    }
}

/// An error at a whole file.
fn at_file(shown: &str, msg: impl Into<String>) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(Location::file(shown), msg)])
}

/// Why a workbook or a sheet could not be read, in Italian.
fn unreadable_reason(e: &calamine::XlsxError) -> String {
    match e {
        calamine::XlsxError::Password => {
            "la cartella di lavoro è protetta da password: salvarne una copia senza password"
                .into()
        }
        _ => "file .xlsx non leggibile: salvarlo da Excel come \"Cartella di lavoro di Excel (.xlsx)\"".into(),
    }
}

/// The CSV text of a sheet, a row at a time.
struct SheetWriter {
    shown: String,
    delimiter: u8,
    encoding: Encoding,
    text: String,
    /// The header row's cells, to name the column of a cell's problem.
    header: Vec<String>,
    diags: Diagnostics,
}

impl SheetWriter {
    /// Writes the sheet's row `r` (0-based), whose first cell is in column `c0`: fields from
    /// column `A`, trailing empty ones left out; an empty row is an empty line.
    fn row(&mut self, r: u32, c0: u32, cells: &[Data], styles: &StyleRange, is_1904: bool) {
        let mut fields: Vec<String> = vec![String::new(); c0 as usize];
        for (j, cell) in cells.iter().enumerate() {
            let c = c0 + j as u32;
            let percent = styles.get((r, c)).is_some_and(is_percent_style);
            let text = match cell_text(cell, percent, is_1904) {
                Ok(t) => t,
                Err(msg) => {
                    self.cell_error(r, c, msg);
                    String::new()
                }
            };
            if self.encoding == Encoding::Windows1252 && !fits_windows_1252(&text) {
                self.cell_error(r, c, "carattere non rappresentabile in Windows-1252, la codifica che le regole dichiarano in [dati] codifica: per i file .xlsx toglierla dalle regole, o sostituire il carattere".into());
            }
            fields.push(text);
        }
        while fields.last().is_some_and(String::is_empty) {
            fields.pop();
        }
        if r == 0 {
            self.header = fields.iter().map(|f| f.trim().to_string()).collect();
        }
        let line: Vec<String> = fields.iter().map(|f| self.quoted(f)).collect();
        self.text
            .push_str(&line.join(&char::from(self.delimiter).to_string()));
        self.text.push('\n');
    }

    /// A field as CSV writes it: quoted when it holds the delimiter or a quote.
    fn quoted(&self, field: &str) -> String {
        if field.contains(char::from(self.delimiter)) || field.contains('"') {
            format!("\"{}\"", field.replace('"', "\"\""))
        } else {
            field.to_string()
        }
    }

    /// An error at the sheet's cell (`r`, `c`), 0-based, keyed by its column's header.
    fn cell_error(&mut self, r: u32, c: u32, msg: String) {
        let key = self
            .header
            .get(c as usize)
            .filter(|h| !h.is_empty() && r > 0)
            .cloned();
        let loc = Location::at(&self.shown, r as usize + 1, c as usize + 1, key);
        self.diags.push(Diagnostic::error(loc, msg));
    }

    /// The text in the declared encoding, or the cells' problems.
    fn finish(self) -> Result<SheetText, Diagnostics> {
        if self.diags.has_errors() {
            return Err(self.diags);
        }
        let bytes = match self.encoding {
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252.encode(&self.text).0.into_owned(),
            Encoding::Auto | Encoding::Utf8 => self.text.into_bytes(),
        };
        Ok(SheetText {
            shown: self.shown,
            bytes,
        })
    }
}

/// Whether every character of a text has a Windows-1252 byte.
fn fits_windows_1252(text: &str) -> bool {
    text.is_ascii() || !encoding_rs::WINDOWS_1252.encode(text).2
}

/// Whether a cell's number format shows a percentage: a `%` outside quoted text and
/// escapes (`0.00%`, `0%`).
fn is_percent_style(style: &calamine::Style) -> bool {
    let Some(format) = &style.number_format else {
        return false;
    };
    let mut quoted = false;
    let mut escaped = false;
    for ch in format.format_code.chars() {
        match ch {
            _ if escaped => escaped = false,
            '\\' if !quoted => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// A cell's text, from its type (see the module's docs), or why it cannot be read.
pub fn cell_text(cell: &Data, percent: bool, is_1904: bool) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.replace("\r\n", " ").replace(['\n', '\r'], " "),
        Data::Float(f) => number_text(*f, percent)?,
        // An integer is written as it is: through a double it would lose digits past 2⁵³.
        Data::Int(i) => decimal_text(i.to_string(), percent)?,
        Data::Bool(b) => if *b { "VERO" } else { "FALSO" }.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => date_text(dt, is_1904),
        Data::DateTime(dt) => number_text(dt.as_f64(), false)?,
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => {
            return Err(format!(
            "la cella contiene l'errore di Excel {e}: correggere la formula o scrivere il valore"
        ))
        }
    })
}

/// A number as the shortest decimal that reads back to the same double, with a decimal
/// comma; a percentage as its value × 100 (exact, in decimals) followed by `%`.
pub fn number_text(f: f64, percent: bool) -> Result<String, String> {
    // `-0` is zero.
    let f = if f == 0.0 { 0.0 } else { f };
    decimal_text(format!("{f}"), percent)
}

/// A number written as plain decimal text (`31500.5`, `-12`), with a decimal comma; a
/// percentage as its value × 100 (exact, in decimals) followed by `%`.
fn decimal_text(shortest: String, percent: bool) -> Result<String, String> {
    if !percent {
        return Ok(shortest.replace('.', ","));
    }
    let value = Decimal::from_str_exact(&shortest)
        .ok()
        .and_then(|d| d.checked_mul(Decimal::ONE_HUNDRED))
        .ok_or_else(|| {
            format!("percentuale non leggibile ({shortest}): scrivere il numero senza il formato percentuale")
        })?;
    Ok(format!("{}%", value.normalize()).replace('.', ","))
}

/// A date cell as `dd/mm/yyyy`, with the time of day when it has one (`hh:mm:ss`); a time
/// alone (a serial below one day) as the time.
fn date_text(dt: &calamine::ExcelDateTime, is_1904: bool) -> String {
    let (y, m, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    let time = format!("{h:02}:{mi:02}:{s:02}");
    if dt.as_f64() < 1.0 && !is_1904 {
        return time;
    }
    let date = format!("{d:02}/{m:02}/{y:04}");
    if (h, mi, s, ms) == (0, 0, 0, 0) {
        date
    } else {
        format!("{date} {time}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_cells_keep_every_digit() {
        let text = |i: i64, p: bool| cell_text(&Data::Int(i), p, false).unwrap();
        assert_eq!(text(9_007_199_254_740_993, false), "9007199254740993");
        assert_eq!(text(-12, false), "-12");
        assert_eq!(text(1, true), "100%");
    }

    #[test]
    fn numbers_are_the_shortest_decimal_of_the_double() {
        let n = |f: f64| number_text(f, false).unwrap();
        assert_eq!(n(31500.5), "31500,5");
        assert_eq!(n(44800.0), "44800");
        assert_eq!(n(0.1 + 0.2), "0,30000000000000004");
        assert_eq!(n(-0.0), "0");
        assert_eq!(n(-12.25), "-12,25");
        assert_eq!(n(1e21), "1000000000000000000000");
    }

    #[test]
    fn percentages_are_their_value_times_one_hundred() {
        let p = |f: f64| number_text(f, true).unwrap();
        assert_eq!(p(0.62), "62%");
        assert_eq!(p(0.755), "75,5%");
        assert_eq!(p(1.0), "100%");
        assert_eq!(p(-0.1), "-10%");
        assert!(number_text(1e-300, true).is_err());
    }

    #[test]
    fn dates_are_written_day_first() {
        use calamine::{ExcelDateTime, ExcelDateTimeType::DateTime};
        let cell = |v: f64| Data::DateTime(ExcelDateTime::new(v, DateTime, false));
        let cell_1904 = |v: f64| Data::DateTime(ExcelDateTime::new(v, DateTime, true));
        assert_eq!(
            cell_text(&cell(43830.0), false, false).unwrap(),
            "31/12/2019"
        );
        assert_eq!(
            cell_text(&cell(43466.0), false, false).unwrap(),
            "01/01/2019"
        );
        assert_eq!(
            cell_text(&cell(43830.5), false, false).unwrap(),
            "31/12/2019 12:00:00"
        );
        assert_eq!(cell_text(&cell(0.25), false, false).unwrap(), "06:00:00");
        // The 1904 system counts from 1 January 1904.
        assert_eq!(
            cell_text(&cell_1904(42368.0), false, true).unwrap(),
            "31/12/2019"
        );
    }

    /// A workbook's bytes with one sheet `s`, filled by `fill`.
    fn book(fill: impl Fn(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet().set_name("s").unwrap();
        fill(ws);
        wb.save_to_buffer().unwrap()
    }

    fn text(bytes: &[u8], opts: CsvOptions) -> Result<SheetText, Diagnostics> {
        Workbook::open("d.xlsx", bytes)
            .unwrap()
            .sheet_text("s", opts)
    }

    #[test]
    fn a_sheet_becomes_csv_text_in_the_declared_delimiter_and_encoding() {
        let bytes = book(|ws| {
            ws.write_string(0, 1, "nome").unwrap();
            ws.write_string(0, 2, "importo").unwrap();
            ws.write_string(1, 1, "Niccolò; \"il vecchio\"").unwrap();
            ws.write_number(1, 2, 31500.5).unwrap();
            ws.write_string(3, 1, "Zoe").unwrap();
        });
        // A column from `A` and an empty row kept as an empty line: lines are rows.
        let t = text(&bytes, CsvOptions::default()).unwrap();
        assert_eq!(t.shown, "d.xlsx[s]");
        let want = ";nome;importo\n;\"Niccolò; \"\"il vecchio\"\"\";31500,5\n\n;Zoe\n";
        assert_eq!(String::from_utf8(t.bytes).unwrap(), want);
        let opts = CsvOptions {
            delimiter: Some(b','),
            encoding: Encoding::Windows1252,
        };
        let t = text(&bytes, opts).unwrap();
        let want = b",nome,importo\n,\"Niccol\xf2; \"\"il vecchio\"\"\",\"31500,5\"\n\n,Zoe\n";
        assert_eq!(t.bytes, want);
    }

    #[test]
    fn a_sheet_without_its_header_in_row_one_or_with_unencodable_text_is_refused() {
        let late = book(|ws| {
            ws.write_string(2, 0, "matricola").unwrap();
        });
        let e = text(&late, CsvOptions::default()).unwrap_err().to_string();
        assert!(
            e.starts_with("d.xlsx[s]: errore: la riga 1 del foglio è vuota"),
            "{e}"
        );
        let greek = book(|ws| {
            ws.write_string(0, 0, "nome").unwrap();
            ws.write_string(1, 0, "Ω").unwrap();
        });
        let opts = CsvOptions {
            delimiter: None,
            encoding: Encoding::Windows1252,
        };
        let e = text(&greek, opts).unwrap_err().to_string();
        assert!(
            e.starts_with("d.xlsx[s]!A2: errore: [nome] carattere non rappresentabile"),
            "{e}"
        );
        let e = Workbook::open("x.xlsx", b"matricola;nome").err().unwrap();
        assert!(e
            .to_string()
            .starts_with("x.xlsx: errore: file .xlsx non leggibile"));
    }

    #[test]
    fn text_stays_on_one_line_and_errors_are_refused() {
        let t = Data::String("Servizi\nfinanziari".into());
        assert_eq!(cell_text(&t, false, false).unwrap(), "Servizi finanziari");
        let e = cell_text(&Data::Error(calamine::CellErrorType::Div0), false, false);
        assert!(e.unwrap_err().contains("#DIV/0!"));
        assert_eq!(cell_text(&Data::Bool(true), false, false).unwrap(), "VERO");
    }
}
