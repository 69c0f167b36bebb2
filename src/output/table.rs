//! What a table is, for every format: a list of [`Column`]s, each with its header (and the
//! short header some formats print), its JSON key, the formats it appears in, the typed
//! [`Cell`] it gives for a row and whether the total row sums it. The definitions themselves
//! live in `tables`; each renderer (text, CSV, JSON, HTML, workbook) formats the typed cells
//! its own way, the Italian readings shared here.

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::audit::Verdict;
use crate::money::{format_it, Money};

/// One output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Csv,
    Json,
    Html,
    Xlsx,
}

/// A set of the formats that print rows of cells (all but JSON, whose columns are the ones
/// with a key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats(u8);

impl Formats {
    pub const NONE: Formats = Formats(0);
    pub const TEXT: Formats = Formats(1);
    pub const CSV: Formats = Formats(2);
    pub const HTML: Formats = Formats(4);
    pub const XLSX: Formats = Formats(8);
    pub const ALL: Formats = Formats(15);

    /// Both sets.
    pub const fn with(self, other: Formats) -> Formats {
        Formats(self.0 | other.0)
    }

    /// Whether `f` is in the set (never JSON).
    pub fn has(self, f: Format) -> bool {
        let bit = match f {
            Format::Text => Formats::TEXT,
            Format::Csv => Formats::CSV,
            Format::Html => Formats::HTML,
            Format::Xlsx => Formats::XLSX,
            Format::Json => Formats::NONE,
        };
        self.0 & bit.0 != 0
    }
}

/// How a number that is not an amount is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digits {
    /// At least this many decimals; JSON its digits as held (scores, attainments).
    AtLeast(u32),
    /// Its significant digits only (`1,5`, `100`), JSON too (weights, coefficients).
    Significant,
    /// At least this many decimals, JSON too (the quadro's percentages).
    Padded(u32),
}

impl Digits {
    /// The Italian reading: decimal comma, thousands dots.
    pub fn italian(self, v: Decimal) -> String {
        match self {
            Digits::AtLeast(n) | Digits::Padded(n) => format_it(v, n),
            Digits::Significant => format_it(v.normalize(), 0),
        }
    }

    /// The JSON string: decimal point.
    pub fn plain(self, v: Decimal) -> String {
        match self {
            Digits::AtLeast(_) => v.to_string(),
            Digits::Significant => v.normalize().to_string(),
            Digits::Padded(n) => format_it(v, n).replace(',', "."),
        }
    }
}

/// One typed cell; each format writes it its own way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell<'a> {
    Text(Cow<'a, str>),
    Amount(Money),
    /// A number that is not an amount.
    Number(Decimal, Digits),
    /// A percentage in points (73,45): a percent in the workbook.
    Percent(Decimal, Digits),
    /// A whole count (days, managers, an indicator's number): a JSON number.
    Count(i64),
    Date(NaiveDate),
    /// `sì`/`no`; a JSON boolean.
    Bool(bool),
    /// A number the readable formats (text, HTML) show as words: an ineligible manager's
    /// coefficient is `non idoneo` there, its number in CSV, JSON and the workbook.
    Worded(Decimal, Digits, &'static str),
    /// A verdict of `verifica`: its mark (✓, ✗, avviso), its key in JSON.
    Verdict(Verdict),
    /// Cells the JSON writes as one array (the quadro's carry-overs).
    List(Vec<Cell<'a>>),
    Empty,
}

impl<'a> Cell<'a> {
    /// A text cell.
    pub fn text(s: impl Into<Cow<'a, str>>) -> Cell<'a> {
        Cell::Text(s.into())
    }

    /// An amount, or nothing.
    pub fn amount(m: Option<Money>) -> Cell<'a> {
        m.map_or(Cell::Empty, Cell::Amount)
    }

    /// The cell as people read it in the text report and the HTML: Italian numbers, a
    /// worded number as its words.
    pub fn readable(&self) -> Cow<'_, str> {
        match self {
            Cell::Worded(_, _, words) => Cow::Borrowed(*words),
            other => other.italian(),
        }
    }

    /// The cell as a CSV read by a spreadsheet: as [`Cell::readable`], but a worded number is
    /// its number.
    pub fn csv(&self) -> Cow<'_, str> {
        self.italian()
    }

    fn italian(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(t) => Cow::Borrowed(t),
            Cell::Amount(m) => Cow::Owned(m.it()),
            Cell::Number(v, d) | Cell::Percent(v, d) | Cell::Worded(v, d, _) => {
                Cow::Owned(d.italian(*v))
            }
            Cell::Count(n) => Cow::Owned(n.to_string()),
            Cell::Date(d) => Cow::Owned(crate::money::date_it(*d)),
            Cell::Bool(b) => Cow::Borrowed(if *b { "sì" } else { "no" }),
            Cell::Verdict(v) => Cow::Borrowed(v.mark()),
            Cell::List(cells) => Cow::Owned(
                cells
                    .iter()
                    .map(|c| c.italian().into_owned())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Cell::Empty => Cow::Borrowed(""),
        }
    }

    /// Whether the cell is a figure, right-aligned where cells are aligned one by one.
    pub fn is_figure(&self) -> bool {
        !matches!(
            self,
            Cell::Text(_) | Cell::Bool(_) | Cell::Verdict(_) | Cell::Empty
        )
    }
}

/// The function that gives a column's cell for a row, seeing the table's context.
type CellFn<'a, C, R> = dyn Fn(&C, &R) -> Cell<'a> + 'a;

/// One column of a table.
pub struct Column<'a, C, R> {
    header: Cow<'a, str>,
    /// The header of the formats in [`Table::short_in`] (`Coeff.` for `Coefficiente`).
    short: Option<&'static str>,
    /// The JSON key; a column without one is not in the JSON.
    key: Option<&'static str>,
    /// The formats other than JSON that print the column.
    formats: Formats,
    /// Right-aligned (figures) rather than left (text).
    right: bool,
    /// The total row gives the sum of its amounts.
    summed: bool,
    cell: Box<CellFn<'a, C, R>>,
}

impl<'a, C, R> Column<'a, C, R> {
    fn new(
        header: impl Into<Cow<'a, str>>,
        right: bool,
        cell: impl Fn(&C, &R) -> Cell<'a> + 'a,
    ) -> Self {
        Column {
            header: header.into(),
            short: None,
            key: None,
            formats: Formats::ALL,
            right,
            summed: false,
            cell: Box::new(cell),
        }
    }

    /// A left-aligned column of text, in every format but JSON until given a key.
    pub fn text(header: impl Into<Cow<'a, str>>, cell: impl Fn(&C, &R) -> Cell<'a> + 'a) -> Self {
        Column::new(header, false, cell)
    }

    /// A right-aligned column of figures (amounts, numbers, counts, percentages).
    pub fn figure(header: impl Into<Cow<'a, str>>, cell: impl Fn(&C, &R) -> Cell<'a> + 'a) -> Self {
        Column::new(header, true, cell)
    }

    /// A column only the JSON has, under `key`.
    pub fn json(key: &'static str, cell: impl Fn(&C, &R) -> Cell<'a> + 'a) -> Self {
        Column::new("", false, cell).only(Formats::NONE).key(key)
    }

    /// In the JSON, under `key`.
    pub fn key(mut self, key: &'static str) -> Self {
        self.key = Some(key);
        self
    }

    /// The header of the formats that print short headers.
    pub fn short(mut self, header: &'static str) -> Self {
        self.short = Some(header);
        self
    }

    /// Printed by these formats only (JSON aside).
    pub fn only(mut self, formats: Formats) -> Self {
        self.formats = formats;
        self
    }

    /// Summed on the total row.
    pub fn summed(mut self) -> Self {
        self.summed = true;
        self
    }

    fn shown_in(&self, f: Format) -> bool {
        match f {
            Format::Json => self.key.is_some(),
            _ => self.formats.has(f),
        }
    }
}

/// A table: its columns, the context their cells see, and how its totals are shown. The rows
/// come from the caller, in the order the format wants them; a row is an item of the results
/// or a view of one (an objective with its input row), made once for all its cells.
pub struct Table<'a, C, R> {
    ctx: C,
    columns: Vec<Column<'a, C, R>>,
    /// The formats that print the short headers.
    short_in: Formats,
    /// The label of the total row and the formats that print it.
    total: Option<(&'static str, Formats)>,
    /// The last row is the table's own total (the quadro's): HTML shows it bold.
    last_is_total: bool,
}

impl<'a, C, R> Table<'a, C, R> {
    pub fn new(ctx: C, columns: Vec<Column<'a, C, R>>) -> Self {
        Table {
            ctx,
            columns,
            short_in: Formats::NONE,
            total: None,
            last_is_total: false,
        }
    }

    /// These formats print the columns' short headers.
    pub fn short_in(mut self, formats: Formats) -> Self {
        self.short_in = formats;
        self
    }

    /// These formats end the table with a total row: `label`, then the summed columns' sums.
    pub fn total(mut self, label: &'static str, formats: Formats) -> Self {
        self.total = Some((label, formats));
        self
    }

    /// The last row is the table's own total.
    pub fn last_is_total(mut self) -> Self {
        self.last_is_total = true;
        self
    }

    /// Whether `f` prints a total row.
    pub fn has_total(&self, f: Format) -> bool {
        self.total.is_some_and(|(_, formats)| formats.has(f))
    }

    /// Whether the last row is the table's own total.
    pub fn ends_with_total(&self) -> bool {
        self.last_is_total
    }

    fn shown(&self, f: Format) -> impl Iterator<Item = &Column<'a, C, R>> {
        self.columns.iter().filter(move |c| c.shown_in(f))
    }

    /// The headers `f` prints.
    pub fn headers(&self, f: Format) -> Vec<String> {
        let short = self.short_in.has(f);
        self.shown(f)
            .map(|c| match c.short {
                Some(s) if short => s.to_string(),
                _ => c.header.to_string(),
            })
            .collect()
    }

    /// Which of the columns `f` prints are right-aligned.
    pub fn right(&self, f: Format) -> Vec<bool> {
        self.shown(f).map(|c| c.right).collect()
    }

    /// A row's cells in `f`: only the columns `f` prints are computed.
    pub fn cells(&self, f: Format, row: &R) -> Vec<Cell<'a>> {
        self.shown(f).map(|c| (c.cell)(&self.ctx, row)).collect()
    }

    /// A row's JSON entries, key and cell, in column order.
    pub fn keyed<'t>(&'t self, row: &'t R) -> impl Iterator<Item = (&'static str, Cell<'a>)> + 't {
        self.columns
            .iter()
            .filter_map(move |c| Some((c.key?, (c.cell)(&self.ctx, row))))
    }

    /// The total row `f` prints after `rows`, if any: the label in the first column, each
    /// summed column's sum (zero if it overflows), nothing elsewhere.
    pub fn total_row(
        &self,
        f: Format,
        rows: impl Iterator<Item = R> + Clone,
    ) -> Option<Vec<Cell<'a>>> {
        let (label, _) = self.total.filter(|_| self.has_total(f))?;
        let sum = |c: &Column<'a, C, R>| {
            let amounts = rows.clone().map(|r| match (c.cell)(&self.ctx, &r) {
                Cell::Amount(m) => m,
                _ => Money::ZERO,
            });
            Cell::Amount(Money::checked_sum(amounts).unwrap_or(Money::ZERO))
        };
        let cells = self.shown(f).enumerate().map(|(i, c)| match i {
            0 => Cell::text(label),
            _ if c.summed => sum(c),
            _ => Cell::Empty,
        });
        Some(cells.collect())
    }
}
