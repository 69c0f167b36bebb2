//! A block of CSV rows as a table of located text cells pointing into the file's text, and
//! the typed cell readers ([`Cells`]) that report every bad value as a located Italian problem
//! (the texts themselves are read by [`crate::parse`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Column;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::money::Money;
use crate::parse::{digits, parse_amount, parse_date, parse_number};
use crate::trail::Origin;

/// A column of a table, by name (looked up among the declared columns) or by position in
/// them ([`column_index`](super::column_index), resolved when the program is compiled).
pub trait Col: Copy {
    fn of(self, t: &Table) -> ColumnRef;
}

/// A resolved column: its position among the declared columns and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnRef {
    pub k: usize,
    pub name: &'static str,
}

impl std::fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl Col for &str {
    fn of(self, t: &Table) -> ColumnRef {
        let k = t.index(self);
        ColumnRef {
            k,
            name: t.columns[k].name,
        }
    }
}

impl Col for usize {
    fn of(self, t: &Table) -> ColumnRef {
        ColumnRef {
            k: self,
            name: t.columns[self].name,
        }
    }
}

impl Col for ColumnRef {
    fn of(self, _: &Table) -> ColumnRef {
        self
    }
}

/// Cell offsets are `u32` with the top bit telling the table's own text from the file's: a
/// table holds at most 2 GB of text.
pub(super) const OWN: u32 = 1 << 31;

/// One data row: its line in the file and where its cells are in the table.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub line: usize,
    /// Index of the row's first cell in `Table::spans`; one per expected column.
    pub(super) first: u32,
}

/// A read CSV file, or one block of its rows.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    pub file: String,
    /// The same name, shared by every row's [`Origin`].
    pub(super) shared_file: std::sync::Arc<str>,
    pub columns: &'static [Column],
    /// Field index (0-based) in the file of each expected column.
    pub(super) positions: Vec<Option<usize>>,
    pub rows: Vec<Row>,
    /// Warnings about how the file was read (e.g. the encoding used).
    pub notes: Diagnostics,
    /// Problems with the CSV syntax of the rows (not with cell values).
    pub diags: Diagnostics,
    /// The text the cells point into: the file's, not copied.
    pub(super) text: std::borrow::Cow<'a, str>,
    /// Unquoted cells (`"a;b"` → `a;b`), which are not a slice of the file's text.
    pub(super) own: String,
    /// Where each trimmed cell is, `columns.len()` per row (a missing optional column is an
    /// empty cell): in `text`, or in `own` when the top bit is set.
    pub(super) spans: Vec<(u32, u32)>,
}

impl<'a> Table<'a> {
    fn index(&self, name: &str) -> usize {
        // Callers pass the same literals the columns are declared with: compare addresses
        // first, text only when that fails.
        self.columns
            .iter()
            .position(|c| std::ptr::eq(c.name, name))
            .or_else(|| self.columns.iter().position(|c| c.name == name))
            .unwrap_or_else(|| panic!("column {name} not declared"))
    }

    /// The location of a cell, for messages.
    pub fn loc(&self, row: &Row, col: impl Col) -> Location {
        let c = col.of(self);
        Location::at(
            &self.file,
            row.line,
            self.positions[c.k].map_or(0, |i| i + 1),
            Some(c.name.to_string()),
        )
    }

    /// Whether the header has the column (an optional one may be absent).
    pub fn has(&self, col: impl Col) -> bool {
        self.positions[col.of(self).k].is_some()
    }

    /// The trimmed text of a cell; empty when the optional column is absent.
    pub fn cell(&self, row: &Row, col: impl Col) -> &str {
        self.cell_at(row, col.of(self).k)
    }

    /// The trimmed text of the `k`-th expected column of a row.
    pub fn cell_at(&self, row: &Row, k: usize) -> &str {
        let (s, e) = self.spans[row.first as usize + k];
        if s & OWN != 0 {
            &self.own[(s & !OWN) as usize..(e & !OWN) as usize]
        } else {
            &self.text[s as usize..e as usize]
        }
    }

    /// The table's lists of rows and cells, for [`CsvFile::read_into`](super::CsvFile::read_into).
    pub fn recycle(self) -> Buffers {
        Buffers {
            rows: self.rows,
            spans: self.spans,
        }
    }

    /// `file:line` of a row, for the trail.
    pub fn origin(&self, row: &Row) -> Origin {
        Origin {
            file: self.shared_file.clone(),
            line: row.line,
        }
    }

    /// The file name shared by the rows' origins.
    pub fn shared_file(&self) -> &std::sync::Arc<str> {
        &self.shared_file
    }
}

/// The lists of a table's rows and cells, kept to read the next block into.
#[derive(Default)]
pub struct Buffers {
    pub(super) rows: Vec<Row>,
    pub(super) spans: Vec<(u32, u32)>,
}

/// Typed cell readers that collect problems instead of stopping at the first.
pub struct Cells<'t> {
    pub table: &'t Table<'t>,
    pub diags: Diagnostics,
    /// Errors pushed so far (a row checks whether it added any without counting them all).
    errors: usize,
}

impl<'t> Cells<'t> {
    /// Starts with the table's own warnings, so that they travel with the cells' problems.
    pub fn new(table: &'t Table<'t>) -> Cells<'t> {
        Cells {
            table,
            diags: table.notes.clone(),
            errors: 0,
        }
    }

    /// Without the table's own warnings: for a chunk of rows, the caller adds them once.
    pub fn bare(table: &'t Table<'t>) -> Cells<'t> {
        Cells {
            table,
            diags: Diagnostics::default(),
            errors: 0,
        }
    }

    pub fn error(&mut self, row: &Row, col: impl Col, msg: impl Into<String>) {
        self.errors += 1;
        if self.diags.is_full() {
            // Only counted: no location to build.
            let msg = msg.into();
            self.diags
                .count(crate::diag::Severity::Error, &self.table.file, &msg);
            return;
        }
        let col = col.of(self.table);
        let loc = self.table.loc(row, col);
        self.diags.push(Diagnostic::error(loc, msg));
    }

    /// Errors pushed by these readers so far.
    pub fn error_count(&self) -> usize {
        self.errors
    }

    pub fn warning(&mut self, row: &Row, col: impl Col, msg: impl Into<String>) {
        let col = col.of(self.table);
        let loc = self.table.loc(row, col);
        self.diags.push(Diagnostic::warning(loc, msg));
    }

    /// A required non-empty text, borrowed from the table.
    pub fn required(&mut self, row: &Row, col: impl Col) -> Option<&'t str> {
        let col = col.of(self.table);
        let v = self.table.cell(row, col);
        if v.is_empty() {
            self.error(row, col, format!("cella vuota: \"{col}\" è obbligatoria"));
            None
        } else {
            Some(v)
        }
    }

    /// A required non-empty text.
    pub fn text(&mut self, row: &Row, col: impl Col) -> Option<String> {
        self.required(row, col).map(str::to_string)
    }

    /// An optional text (None when empty).
    pub fn opt_text(&self, row: &Row, col: impl Col) -> Option<String> {
        let col = col.of(self.table);
        let v = self.table.cell(row, col);
        (!v.is_empty()).then(|| v.to_string())
    }

    /// A required non-negative amount.
    pub fn amount(&mut self, row: &Row, col: impl Col) -> Option<Money> {
        let col = col.of(self.table);
        let v = self.required(row, col)?;
        match parse_amount(v) {
            Ok(m) if m.is_negative() => {
                self.error(
                    row,
                    col,
                    format!(
                        "importo negativo {}: atteso un importo positivo o zero",
                        m.it()
                    ),
                );
                None
            }
            Ok(m) => Some(m),
            Err(e) => {
                self.error(row, col, e.to_string());
                None
            }
        }
    }

    /// An optional amount: zero when empty.
    pub fn opt_amount(&mut self, row: &Row, col: impl Col) -> Option<Money> {
        let col = col.of(self.table);
        if self.table.cell(row, col).is_empty() {
            Some(Money::ZERO)
        } else {
            self.amount(row, col)
        }
    }

    /// A required decimal number within `min..=max` (weights, scores, percentages).
    pub fn number(
        &mut self,
        row: &Row,
        col: impl Col,
        min: Decimal,
        max: Decimal,
    ) -> Option<Decimal> {
        let col = col.of(self.table);
        let table = self.table;
        let v = table.cell(row, col);
        // The usual cell, a few digits within the bounds, decided here without the general
        // reading.
        if let Some(d) = digits(v)
            .map(Decimal::from)
            .filter(|&d| within(d, min, max))
        {
            return Some(d);
        }
        if v.is_empty() {
            self.error(row, col, format!("cella vuota: \"{col}\" è obbligatoria"));
            return None;
        }
        match parse_number(v) {
            Some(d) if !within(d, min, max) => {
                self.error(
                    row,
                    col,
                    format!(
                        "valore {} fuori dall'intervallo ammesso {}-{}",
                        v,
                        crate::money::format_it(min.normalize(), 0),
                        crate::money::format_it(max.normalize(), 0)
                    ),
                );
                None
            }
            Some(d) => Some(d),
            None => {
                self.error(
                    row,
                    col,
                    format!("numero non valido \"{v}\": atteso un numero come 12,5 o 12.5"),
                );
                None
            }
        }
    }

    /// A required date: `dd/mm/yyyy`, `dd/mm/yy`, `dd-mm-yyyy`, `dd.mm.yyyy` or ISO `yyyy-mm-dd`.
    pub fn date(&mut self, row: &Row, col: impl Col) -> Option<NaiveDate> {
        let col = col.of(self.table);
        let v = self.required(row, col)?;
        match parse_date(v) {
            Some(d) => Some(d),
            None => {
                self.error(
                    row,
                    col,
                    format!(
                        "data non valida \"{v}\": attesa una data come 31/12/2019 o 2019-12-31"
                    ),
                );
                None
            }
        }
    }
}

/// `min ≤ d ≤ max`; at one scale (a whole weight and whole bounds) as integers.
#[inline]
fn within(d: Decimal, min: Decimal, max: Decimal) -> bool {
    if d.scale() == min.scale() && d.scale() == max.scale() {
        let m = d.mantissa();
        min.mantissa() <= m && m <= max.mantissa()
    } else {
        min <= d && d <= max
    }
}
