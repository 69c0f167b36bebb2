//! Semicolon CSV as Italian Excel opens it (decimal comma, UTF-8 with BOM, CRLF): the tables
//! of a year, each its own file under `--out` or all in one stream (`--formato csv`), written
//! row by row where a table is large.

use std::borrow::Cow;
use std::io::Write;

use crate::engine::{Inputs, Outcome};
use crate::objectives::PegResult;
use crate::output::table::{Cell, Format, Table};
use crate::output::tables::{self, PegContext};
use crate::output::transparency::Transparency;
use crate::output::ENGINE;
use crate::pay::PayResult;
use crate::peg::Peg;
use crate::rules::Rules;

/// Neutralises a text cell that a spreadsheet would read as a formula.
pub fn safe_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A number or a percentage as a measured value is written (`-12%`, `-1.234,5`): a figure
/// Excel reads, not a formula.
fn is_figure(c: &str) -> bool {
    use crate::peg::Measure;
    matches!(
        crate::peg::read_measure(c),
        Ok(Measure::Number(_) | Measure::Percent(_))
    )
}

/// A defined table as CSV rows, made one at a time: its CSV headers, the rows, then its total
/// row if it has one in CSV.
fn rows<'a, C: 'a, R: 'a>(
    t: Table<'a, C, R>,
    rows: impl Iterator<Item = R> + Clone + 'a,
) -> impl Iterator<Item = Vec<String>> + 'a {
    let strings = |cells: Vec<Cell>| cells.iter().map(|c| c.csv().into_owned()).collect();
    let header = t.headers(Format::Csv);
    let total = match t.has_total(Format::Csv) {
        true => t.total_row(Format::Csv, rows.clone()).map(strings),
        false => None,
    };
    std::iter::once(header)
        .chain(rows.map(move |r| strings(t.cells(Format::Csv, &r))))
        .chain(total)
}

/// The CSV tables of a year, each with the file name it gets under `--out`.
pub fn tables(inputs: &Inputs, outcome: &Outcome) -> Vec<(&'static str, Vec<Vec<String>>)> {
    tables_deferred(inputs, outcome)
        .into_iter()
        .map(|(name, table)| (name, table.rows()))
        .collect()
}

/// One CSV table: its rows, or (the indicators', the largest) what makes them, so that it
/// can be written row by row.
pub enum CsvTable<'a> {
    Rows(Vec<Vec<String>>),
    Indicators(&'a PegResult, &'a Peg, &'a Rules),
}

impl CsvTable<'_> {
    /// All the rows.
    pub fn rows(self) -> Vec<Vec<String>> {
        match self {
            CsvTable::Rows(rows) => rows,
            CsvTable::Indicators(p, peg, rules) => indicator_rows(p, peg, rules).collect(),
        }
    }

    /// The table as a CSV file (as [`file()`]), written row by row.
    pub fn write(self, w: &mut dyn Write) -> std::io::Result<()> {
        match self {
            CsvTable::Rows(rows) => write_file(rows.iter(), w),
            CsvTable::Indicators(p, peg, rules) => write_file(indicator_rows(p, peg, rules), w),
        }
    }
}

/// The rows of the table of every indicator (`raggiungimento-indicatori.csv`), objective by
/// objective, made one at a time (header first).
fn indicator_rows<'a>(
    p: &'a PegResult,
    peg: &'a Peg,
    rules: &'a Rules,
) -> impl Iterator<Item = Vec<String>> + 'a {
    let t = tables::indicators(PegContext::new(p, peg, rules));
    rows(t, tables::indicators_by_objective(p, peg))
}

/// The CSV tables as [`tables()`], the indicators' table left to be made when written.
pub fn tables_deferred<'a>(
    inputs: &'a Inputs,
    outcome: &'a Outcome,
) -> Vec<(&'static str, CsvTable<'a>)> {
    let mut named = Vec::new();
    let rules = &inputs.rules;
    let q = tables::quadro(rules, &outcome.fund);
    let quadro = rows(tables::quadro_table(&q), q.rows.iter()).collect();
    named.push(("quadro-sintesi.csv", CsvTable::Rows(quadro)));
    if let (Some(p), Some(peg)) = (&outcome.peg, &inputs.peg) {
        named.push((
            "raggiungimento-indicatori.csv",
            CsvTable::Indicators(p, peg, rules),
        ));
    }
    if let Some(p) = &outcome.pay {
        let managers = rows(tables::managers(None), p.managers.iter()).collect();
        named.push(("retribuzioni-dirigenti.csv", CsvTable::Rows(managers)));
        named.push(("riconciliazione.csv", CsvTable::Rows(reconciliation(p))));
    }
    named.push(("impronte.csv", CsvTable::Rows(fingerprints(inputs))));
    named
}

/// The reconciliation's main figures (`riconciliazione.csv`).
fn reconciliation(p: &PayResult) -> Vec<Vec<String>> {
    let (main, _) = tables::reconciliation(&p.reconciliation);
    let header = vec!["Quadratura".to_string(), "Importo".to_string()];
    let lines = main
        .iter()
        .filter_map(|l| Some(vec![l.csv?.to_string(), l.amount.it()]));
    std::iter::once(header).chain(lines).collect()
}

/// The amounts to pay per manager (`liquidazione.csv`), the total row, then the rounding rule
/// of the charges (or what to declare to have them).
pub fn payout(rules: &Rules, p: &PayResult) -> Vec<Vec<String>> {
    let charges = tables::Charges::of(rules);
    let mut out: Vec<Vec<String>> = rows(tables::payout(charges), p.managers.iter()).collect();
    out.push(vec![format!(
        "Nota: {}",
        tables::payout_note(charges.as_ref())
    )]);
    out
}

/// The engine and the files read with their SHA-256, closing every CSV output.
pub fn fingerprints(inputs: &Inputs) -> Vec<Vec<String>> {
    let mut files = vec![vec![
        format!("File letti ({ENGINE})"),
        "Impronta SHA-256".to_string(),
    ]];
    files.extend(
        inputs
            .fingerprints
            .iter()
            .map(|f| vec![f.file.clone(), f.sha256.clone()]),
    );
    files
}

/// The transparency table as CSV rows (no names, no matricole).
pub fn transparency(t: &Transparency) -> Vec<Vec<String>> {
    let lines = t.lines();
    rows(tables::transparency(), lines.iter()).collect()
}

/// All the CSV tables in one stream (`--formato csv`): `;` separated, decimal comma, UTF-8
/// with BOM so that Excel in Italian opens it with accents intact; tables parted by an empty
/// row.
pub fn report(inputs: &Inputs, outcome: &Outcome) -> String {
    let blocks: Vec<Vec<Vec<String>>> = tables(inputs, outcome).into_iter().map(|t| t.1).collect();
    stream(&blocks)
}

/// Tables one after the other in one CSV text, with the BOM, parted by an empty row.
pub fn stream(blocks: &[Vec<Vec<String>>]) -> String {
    let text: Vec<String> = blocks.iter().map(|b| block(b)).collect();
    format!("\u{feff}{}", text.join("\r\n"))
}

/// One table as a standalone CSV file (with the BOM).
pub fn file(rows: &[Vec<String>]) -> String {
    format!("\u{feff}{}", block(rows))
}

/// One table of the CSV. Text cells are neutralised against formula injection; the Italian
/// amounts (`-767,95`) are numbers for Excel and stay as they are.
pub fn block(rows: &[Vec<String>]) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_rows(rows.iter(), &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// A CSV file as [`file()`] writes it, row by row into `w`: a large table is never whole in
/// memory.
fn write_file<R: AsRef<[String]>>(
    rows: impl Iterator<Item = R>,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    w.write_all("\u{feff}".as_bytes())?;
    write_rows(rows, w)
}

fn write_rows<R: AsRef<[String]>>(
    rows: impl Iterator<Item = R>,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let mut out = ::csv::WriterBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .terminator(::csv::Terminator::CRLF)
        .from_writer(w);
    for row in rows {
        // Italian amounts and signed figures (a measured `-12%`) are numbers for Excel and
        // stay as they are; other text is neutralised against formula injection.
        out.write_record(row.as_ref().iter().map(|c| {
            if crate::parse::parse_amount(c).is_ok() || is_figure(c) {
                Cow::Borrowed(c.as_bytes())
            } else {
                Cow::Owned(safe_cell(c).into_bytes())
            }
        }))?;
    }
    out.flush()
}
