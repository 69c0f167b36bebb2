//! The Excel workbook the HR office filters, sums and prints (`rust_xlsxwriter`): first the
//! failed checks when there are any (the sheet the workbook opens at), then the quadro di
//! sintesi, the RGS tables, managers, the amounts to pay (*liquidazione*), objectives,
//! indicators, the verifica checklist and the transparency table. Amounts are numbers with a
//! euro format, percentages percentages, dates dates (a document's date written `31/12/2019`
//! too); headers frozen, columns sized; a total row sums its column with `=SUM(...)` whose
//! cached value is the engine's figure (a figure that is not its column's sum stays a value).
//! Every sheet prints on A4 landscape, one page wide, its header row repeated, the ente and the
//! year at the top and the page number at the bottom. No cell exceeds Excel's limits: a text
//! longer than a cell holds is cut with a note naming the file of `--out` that has it whole, a
//! table longer than a sheet stops with such a note; any error of the writer is told in
//! Italian ([`WorkbookError`]).
//!
//! XLSX stores every number as a binary double: this is the one place where an amount leaves
//! `Decimal`, at the very edge, and only amounts below 10¹³ € are written, which read back to
//! the same cents. A total's cached value is written as the decimal itself.

use std::fmt;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format as XlsxFormat, FormatAlign, Formula, Workbook, Worksheet,
    XlsxError,
};

use crate::audit::Check;
use crate::engine::{Inputs, Outcome};
use crate::money::format_it;
use crate::output::csv::safe_cell;
use crate::output::documents::{DocTable, Document};
use crate::output::table::{Cell, Format, Table};
use crate::output::tables::{self, IndicatorRow, ObjectiveRow, PegContext};
use crate::output::transparency::Transparency;
use crate::output::ENGINE;
use crate::rules::Rules;

/// Excel's limit of characters (UTF-16 units) in a cell.
const CELL_LIMIT: usize = 32_767;

/// The last row (0-based) of an Excel sheet.
const LAST_ROW: u32 = 1_048_575;

/// Excel's limit of characters in a page header or footer.
const HEADER_LIMIT: usize = 255;

/// A text longer than this wraps in its cell (the widest column is 60 characters).
const WRAP_FROM: usize = 60;

/// Why the workbook could not be made, told in Italian (the writer's own messages are
/// English).
#[derive(Debug)]
pub struct WorkbookError(XlsxError);

impl From<XlsxError> for WorkbookError {
    fn from(e: XlsxError) -> Self {
        WorkbookError(e)
    }
}

impl fmt::Display for WorkbookError {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            XlsxError::MaxStringLengthExceeded => write!(
                out,
                "un testo supera il limite di Excel di 32.767 caratteri per cella; il testo intero è negli altri file di --out (fondo.json, verifica.txt)"
            ),
            XlsxError::RowColumnLimitError => write!(
                out,
                "un foglio supera il limite di Excel di 1.048.576 righe o 16.384 colonne; i dati completi sono negli altri file di --out (CSV e fondo.json)"
            ),
            XlsxError::IoError(e) => write!(out, "errore di scrittura ({e})"),
            XlsxError::ZipError(e) => {
                write!(out, "errore nel comprimere il file xlsx (dettaglio tecnico: {e})")
            }
            other => write!(
                out,
                "errore della libreria che scrive il formato xlsx; il messaggio originale, in inglese, è: «{other}»"
            ),
        }
    }
}

impl std::error::Error for WorkbookError {}

struct Formats {
    header: XlsxFormat,
    amount: XlsxFormat,
    percent: XlsxFormat,
    number: XlsxFormat,
    date: XlsxFormat,
    title: XlsxFormat,
    wrapped: XlsxFormat,
    amount_total: XlsxFormat,
    percent_total: XlsxFormat,
}

fn formats() -> Formats {
    let amount = "#,##0.00 \"€\"";
    Formats {
        header: XlsxFormat::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top),
        amount: XlsxFormat::new().set_num_format(amount),
        percent: XlsxFormat::new().set_num_format("0.00%"),
        number: XlsxFormat::new().set_num_format("0.####"),
        date: XlsxFormat::new().set_num_format("dd/mm/yyyy"),
        title: XlsxFormat::new().set_bold(),
        wrapped: XlsxFormat::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top),
        amount_total: XlsxFormat::new().set_bold().set_num_format(amount),
        percent_total: XlsxFormat::new().set_bold().set_num_format("0.00%"),
    }
}

/// Writes a decimal as the workbook's binary double: the one conversion of the program.
fn number(
    ws: &mut Worksheet,
    (row, col): (u32, u16),
    d: Decimal,
    format: &XlsxFormat,
) -> Result<(), XlsxError> {
    ws.write_number_with_format(row, col, d.to_f64().unwrap_or_default(), format)?;
    Ok(())
}

/// The file of `--out` that holds whole what a sheet shows (a cut text, the rows past
/// Excel's last).
fn whole_in(sheet: &str) -> &'static str {
    match sheet {
        "Vincoli violati" | "Verifica" => "verifica.txt",
        "Quadro di sintesi" => "quadro-sintesi.csv",
        "Relazioni RGS" => "relazioni-rgs.csv",
        "Dirigenti" => "retribuzioni-dirigenti.csv",
        "Liquidazione" => "liquidazione.csv",
        "Indicatori" => "raggiungimento-indicatori.csv",
        "Trasparenza" => "trasparenza.csv",
        "Confronto dirigenti" | "Confronto voci" => "confronto.html",
        _ => "fondo.json",
    }
}

/// A formula-safe text within Excel's 32.767 characters: a longer text (a long list of
/// matricole) is cut at its last separator that fits, with a note naming `whole`, the file
/// that has it whole.
fn fitted(safe: String, whole: &str) -> String {
    let units = safe.encode_utf16().count();
    if units <= CELL_LIMIT {
        return safe;
    }
    let note = format!(
        " … [testo troncato al limite di Excel di 32.767 caratteri: il testo intero, di {} caratteri, è in {whole}]",
        format_it(Decimal::from(units), 0)
    );
    let budget = CELL_LIMIT - note.encode_utf16().count();
    let mut end = 0;
    let mut used = 0;
    for (i, ch) in safe.char_indices() {
        used += ch.len_utf16();
        if used > budget {
            break;
        }
        end = i + ch.len_utf8();
    }
    let head = &safe[..end];
    let cut = [", ", "; ", " | ", "\n", " "]
        .iter()
        .find_map(|sep| head.rfind(sep).filter(|&at| at > end / 2))
        .unwrap_or(end);
    format!("{}{note}", &safe[..cut])
}

/// Writes a text cell, cut to fit (see [`fitted`]); a long one wraps.
fn text_cell(
    ws: &mut Worksheet,
    (row, col): (u32, u16),
    text: &str,
    f: &Formats,
) -> Result<(), XlsxError> {
    let mut shown = safe_cell(text);
    // A UTF-8 length within the limit is within it in UTF-16 units too.
    if shown.len() > CELL_LIMIT {
        shown = fitted(shown, whole_in(&ws.name()));
    }
    if shown.chars().count() > WRAP_FROM {
        ws.write_string_with_format(row, col, shown, &f.wrapped)?;
    } else {
        ws.write_string(row, col, shown)?;
    }
    Ok(())
}

/// Writes a date cell.
fn date(
    ws: &mut Worksheet,
    (row, col): (u32, u16),
    d: chrono::NaiveDate,
    f: &Formats,
) -> Result<(), XlsxError> {
    use chrono::Datelike;
    let date = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
    ws.write_date_with_format(row, col, &date, &f.date)?;
    Ok(())
}

/// Writes one cell: amounts, numbers, counts and percentages as numbers with their format,
/// dates as dates, the rest as (formula-safe, fitted) text. Amounts are bounded at parse time
/// to 10¹⁵, so the cents read back exactly.
fn write(ws: &mut Worksheet, f: &Formats, row: u32, col: u16, v: &Cell) -> Result<(), XlsxError> {
    match v {
        Cell::Amount(m) => number(ws, (row, col), m.value(), &f.amount)?,
        Cell::Percent(p, _) => number(ws, (row, col), *p / Decimal::ONE_HUNDRED, &f.percent)?,
        Cell::Number(n, _) | Cell::Worded(n, _, _) => number(ws, (row, col), *n, &f.number)?,
        Cell::Count(n) => number(ws, (row, col), Decimal::from(*n), &f.number)?,
        Cell::Date(d) => date(ws, (row, col), *d, f)?,
        Cell::Text(_) | Cell::Bool(_) | Cell::Verdict(_) => {
            text_cell(ws, (row, col), &v.readable(), f)?;
        }
        Cell::List(_) | Cell::Empty => {}
    }
    Ok(())
}

/// How wide a cell wants its column: its text, or a fixed width by kind.
fn width(v: &Cell) -> usize {
    match v {
        Cell::Text(_) | Cell::Bool(_) | Cell::Verdict(_) => v.readable().chars().count(),
        Cell::Amount(_) => 16,
        Cell::Date(_) => 11,
        _ => 8,
    }
}

/// The running sums of a table's columns down from its first data row, for its total row:
/// a column's amounts or percentages (an empty cell adds nothing), none once a cell of
/// another kind is met.
struct Sums {
    first: u32,
    rows: u32,
    values: Vec<Option<Decimal>>,
}

impl Sums {
    fn new(first: u32) -> Sums {
        Sums {
            first,
            rows: 0,
            values: Vec::new(),
        }
    }

    /// Adds a row of cells.
    fn add(&mut self, cells: &[Cell]) {
        if self.values.len() < cells.len() {
            self.values.resize(cells.len(), Some(Decimal::ZERO));
        }
        for (sum, cell) in self.values.iter_mut().zip(cells) {
            *sum = match (cell, *sum) {
                (Cell::Amount(m), Some(s)) => s.checked_add(m.value()),
                (Cell::Percent(p, _), Some(s)) => s.checked_add(*p),
                (Cell::Empty, s) => s,
                _ => None,
            };
        }
        self.rows += 1;
    }

    /// `=SUM(...)` of column `col` from the first row to the one above `row`, when `value`
    /// is exactly that sum (the total is then the column's sum, as the engine made it).
    fn formula(&self, row: u32, col: u16, value: Decimal) -> Option<Formula> {
        let sum = self.values.get(usize::from(col)).copied().flatten()?;
        if self.rows == 0 || row <= self.first || sum != value {
            return None;
        }
        Some(Formula::new(format!(
            "=SUM({}:{})",
            row_col_to_cell(self.first, col),
            row_col_to_cell(row - 1, col)
        )))
    }
}

/// A total figure: its column's `=SUM(...)` with the engine's figure (`value / scale`) as
/// the cached result when `value` is that sum, else the figure itself.
fn total_figure(
    ws: &mut Worksheet,
    (row, col): (u32, u16),
    sums: &Sums,
    (value, scale): (Decimal, Decimal),
    format: &XlsxFormat,
) -> Result<(), XlsxError> {
    let shown = value / scale;
    match sums.formula(row, col, value) {
        Some(formula) => {
            let formula = formula.set_result(shown.normalize().to_string());
            ws.write_formula_with_format(row, col, formula, format)?;
        }
        None => number(ws, (row, col), shown, format)?,
    }
    Ok(())
}

/// The total row, in bold: its amounts and percentages as the sums of their columns above.
fn total_row(
    ws: &mut Worksheet,
    f: &Formats,
    row: u32,
    cells: &[Cell],
    sums: &Sums,
) -> Result<(), XlsxError> {
    for (c, v) in cells.iter().enumerate() {
        let at = (row, c as u16);
        match v {
            Cell::Text(t) => {
                ws.write_string_with_format(row, c as u16, safe_cell(t), &f.title)?;
            }
            Cell::Amount(m) => {
                total_figure(ws, at, sums, (m.value(), Decimal::ONE), &f.amount_total)?;
            }
            Cell::Percent(p, _) => {
                let scale = Decimal::ONE_HUNDRED;
                total_figure(ws, at, sums, (*p, scale), &f.percent_total)?;
            }
            other => write(ws, f, row, c as u16, other)?,
        }
    }
    Ok(())
}

/// What the data rows of a sheet came to: how many were written, whether the table was
/// longer than the sheet, the columns' sums and widths.
struct Written {
    count: u32,
    cut: bool,
    sums: Sums,
    widths: Vec<usize>,
}

/// Writes a table's rows from the sheet's second row: the last one as a total row when the
/// table ends with its own (the quadro's); stops two rows before the sheet's `last` (kept for
/// the total and the note).
fn data_rows<C, R>(
    ws: &mut Worksheet,
    (f, last): (&Formats, u32),
    t: &Table<C, R>,
    rows: impl Iterator<Item = R> + Clone,
    mut widths: Vec<usize>,
) -> Result<Written, XlsxError> {
    let own_total = if t.ends_with_total() {
        rows.clone().count().checked_sub(1)
    } else {
        None
    };
    let mut sums = Sums::new(1);
    let mut count = 0u32;
    for (r, row) in rows.enumerate() {
        let at = count + 1;
        if at + 2 > last {
            return Ok(Written {
                count,
                cut: true,
                sums,
                widths,
            });
        }
        let cells = t.cells(Format::Xlsx, &row);
        if Some(r) == own_total {
            total_row(ws, f, at, &cells, &sums)?;
        } else {
            for (c, v) in cells.iter().enumerate() {
                write(ws, f, at, c as u16, v)?;
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(width(v).min(60));
                }
            }
            sums.add(&cells);
        }
        count += 1;
    }
    Ok(Written {
        count,
        cut: false,
        sums,
        widths,
    })
}

/// A data sheet of a defined table: header row (frozen, filtered, repeated on every printed
/// page), rows, column widths from the content; then, if the table has one, a bold total
/// row outside the filter; a table longer than the sheet ends with a note naming the file
/// that has it whole.
fn sheet<C, R>(
    wb: &mut Workbook,
    f: &Formats,
    name: &str,
    t: &Table<C, R>,
    rows: impl Iterator<Item = R> + Clone,
) -> Result<(), XlsxError> {
    sheet_within(wb, (f, LAST_ROW), name, t, rows)
}

/// [`sheet`] on a sheet whose last row is `last` (Excel's, but in the tests).
fn sheet_within<C, R>(
    wb: &mut Workbook,
    (f, last): (&Formats, u32),
    name: &str,
    t: &Table<C, R>,
    rows: impl Iterator<Item = R> + Clone,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    let headers = t.headers(Format::Xlsx);
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f.header)?;
    }
    let widths = headers
        .iter()
        .map(|h| h.chars().count().clamp(8, 40))
        .collect();
    let w = data_rows(ws, (f, last), t, rows.clone(), widths)?;
    for (c, width) in w.widths.iter().enumerate() {
        ws.set_column_width(c as u16, *width as u16 + 2)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_repeat_rows(0, 0)?;
    if w.count > 0 {
        ws.autofilter(0, 0, w.count, headers.len().saturating_sub(1) as u16)?;
    }
    let mut next = w.count + 1;
    if let Some(total) = t.total_row(Format::Xlsx, rows.clone()) {
        total_row(ws, f, next, &total, &w.sums)?;
        next += 1;
    }
    if w.cut {
        let note = format!(
            "Il foglio mostra le prime {} righe su {}, il massimo di un foglio di Excel: l'elenco completo è in {}.",
            format_it(Decimal::from(w.count), 0),
            format_it(Decimal::from(rows.count()), 0),
            whole_in(name)
        );
        ws.write_string_with_format(next, 0, note, &f.title)?;
    }
    Ok(())
}

/// A document's text cell that is a date written the Italian way (`31/12/2019`, as Modulo 1
/// gives the dates of the procedure) is a date; any other cell is itself.
fn dated<'a>(c: &Cell<'a>) -> Cell<'a> {
    match c {
        Cell::Text(s) => match crate::parse::parse_date(s) {
            Some(d) if crate::money::date_it(d) == s.trim() => Cell::Date(d),
            _ => c.clone(),
        },
        other => other.clone(),
    }
}

/// One table of a document from `row`: title, headers, rows (a last row labelled `Totale…`
/// sums its columns with formulas where it is their sum), notes; returns the next free row.
fn doc_table(
    ws: &mut Worksheet,
    f: &Formats,
    mut row: u32,
    t: &DocTable,
) -> Result<u32, XlsxError> {
    ws.write_string_with_format(row, 0, &t.title, &f.title)?;
    row += 1;
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, h, &f.header)?;
    }
    row += 1;
    let mut sums = Sums::new(row);
    for (i, r) in t.rows.iter().enumerate() {
        let cells: Vec<Cell> = r.iter().map(dated).collect();
        let labelled_total =
            matches!(cells.first(), Some(Cell::Text(l)) if l.starts_with("Totale"));
        if labelled_total && i + 1 == t.rows.len() {
            total_row(ws, f, row, &cells, &sums)?;
        } else {
            for (c, cell) in cells.iter().enumerate() {
                write(ws, f, row, c as u16, cell)?;
            }
            sums.add(&cells);
        }
        row += 1;
    }
    for n in &t.notes {
        text_cell(ws, (row, 0), &format!("Nota: {n}"), f)?;
        row += 1;
    }
    Ok(row + 1)
}

/// The RGS documents on one sheet, table after table, each with its title.
fn documents_sheet(wb: &mut Workbook, f: &Formats, docs: &[Document]) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("Relazioni RGS")?;
    let mut row = 0u32;
    for d in docs {
        ws.write_string_with_format(row, 0, &d.title, &f.title)?;
        row += 2;
        for t in &d.tables {
            row = doc_table(ws, f, row, t)?;
        }
    }
    ws.set_column_width(0, 70)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 18)?;
    ws.set_column_width(3, 18)?;
    Ok(())
}

/// The sheet that opens the workbook when a check failed: a warning line, then each ✗ with
/// its figures and fonte (the whole checklist is on the sheet Verifica). None otherwise.
fn failed_sheet(wb: &mut Workbook, f: &Formats, checks: &[Check]) -> Result<(), XlsxError> {
    let failed: Vec<&Check> = checks
        .iter()
        .filter(|c| c.verdict == crate::audit::Verdict::Fails)
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    let ws = wb.add_worksheet();
    ws.set_name("Vincoli violati")?;
    let what = if failed.len() == 1 {
        "1 vincolo violato".to_string()
    } else {
        format!("{} vincoli violati", failed.len())
    };
    let alert = XlsxFormat::new()
        .set_bold()
        .set_font_color(rust_xlsxwriter::Color::RGB(0xB0_00_20));
    ws.write_string_with_format(0, 0, format!("Attenzione: {what}"), &alert)?;
    ws.write_string(
        1,
        0,
        "Il dettaglio di ogni controllo è nel foglio Verifica.",
    )?;
    let t = tables::checks();
    for (c, h) in t.headers(Format::Xlsx).iter().enumerate() {
        ws.write_string_with_format(3, c as u16, h, &f.header)?;
    }
    for (r, check) in failed.iter().enumerate() {
        for (c, v) in t.cells(Format::Xlsx, check).iter().enumerate() {
            write(ws, f, r as u32 + 4, c as u16, v)?;
        }
    }
    for (c, w) in [8, 50, 70, 50].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    Ok(())
}

/// The amounts to pay per manager (sheet Liquidazione), as `liquidazione.csv`: the rows, the
/// total row, then the rounding rule of the charges.
fn payout_sheet(
    wb: &mut Workbook,
    f: &Formats,
    rules: &Rules,
    p: &crate::pay::PayResult,
) -> Result<(), XlsxError> {
    const NAME: &str = "Liquidazione";
    let charges = tables::Charges::of(rules);
    sheet(wb, f, NAME, &tables::payout(charges), p.managers.iter())?;
    let note = format!("Nota: {}", tables::payout_note(charges.as_ref()));
    let below = u32::try_from(p.managers.len()).unwrap_or(u32::MAX - 3) + 3;
    wb.worksheet_from_name(NAME)?
        .write_string(below, 0, safe_cell(&note))?;
    Ok(())
}

/// The document's title, author and creation date: fixed to 1 January of the year after the
/// fund, so two runs give the same bytes.
fn properties(wb: &mut Workbook, title: String, fund_year: i32) -> Result<(), XlsxError> {
    let year = u16::try_from(fund_year + 1).unwrap_or(2000);
    let created = ExcelDateTime::from_ymd(year, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author(ENGINE)
            .set_creation_datetime(&created),
    );
    Ok(())
}

/// The page header: the ente left (its `&` doubled, as headers escape it; shortened to fit
/// Excel's 255 characters), the fund and its year right.
fn page_header(ente: &str, year: i32) -> String {
    let right = format!("&RFondo della dirigenza {year}");
    let mut room = HEADER_LIMIT - 2 - right.encode_utf16().count();
    let mut left = String::from("&L");
    for ch in ente.chars() {
        let piece = if ch == '&' { 2 } else { ch.len_utf16() };
        if piece > room {
            break;
        }
        room -= piece;
        if ch == '&' {
            left.push('&');
        }
        left.push(ch);
    }
    left + &right
}

/// Every sheet's printed page: A4 landscape, one page wide, the ente and the year at the top,
/// the sheet's name and the page number (*Pagina 2 di 5*) at the bottom.
fn print_setup(wb: &mut Workbook, ente: &str, year: i32) {
    let header = page_header(ente, year);
    for ws in wb.worksheets_mut() {
        ws.set_paper_size(9)
            .set_landscape()
            .set_print_fit_to_pages(1, 0)
            .set_margins(0.4, 0.4, 0.75, 0.75, 0.3, 0.3)
            .set_header(&header)
            .set_footer("&L&A&RPagina &P di &N");
    }
}

/// Builds the workbook, deterministic: sheet after sheet, the failed checks (when any), the
/// quadro, the RGS documents, the managers and the amounts to pay, the objectives and
/// indicators, the checklist and the transparency table; then every sheet's page setup.
pub fn workbook(
    inputs: &Inputs,
    outcome: &Outcome,
    docs: &[Document],
    checks: &[Check],
    transparency: Option<&Transparency>,
) -> Result<Vec<u8>, WorkbookError> {
    let f = formats();
    let mut wb = Workbook::new();
    let rules = &inputs.rules;
    let title = format!("Fondo dirigenza {} — {}", rules.year, rules.ente);
    properties(&mut wb, title, rules.year)?;
    failed_sheet(&mut wb, &f, checks)?;
    let q = tables::quadro(rules, &outcome.fund);
    let quadro = tables::quadro_table(&q);
    sheet(&mut wb, &f, "Quadro di sintesi", &quadro, q.rows.iter())?;
    documents_sheet(&mut wb, &f, docs)?;
    if let Some(p) = &outcome.pay {
        let t = tables::managers(inputs.staff.as_ref());
        sheet(&mut wb, &f, "Dirigenti", &t, p.managers.iter())?;
        payout_sheet(&mut wb, &f, rules, p)?;
    }
    if let (Some(peg), Some(ip)) = (&outcome.peg, &inputs.peg) {
        let ctx = || PegContext::new(peg, ip, rules);
        let rows = peg.objectives.iter().map(|o| ObjectiveRow::new(o, ip));
        sheet(&mut wb, &f, "Obiettivi", &tables::objectives(ctx()), rows)?;
        let rows = peg.indicators.iter().map(|i| IndicatorRow::new(i, ip));
        sheet(&mut wb, &f, "Indicatori", &tables::indicators(ctx()), rows)?;
    }
    sheet(&mut wb, &f, "Verifica", &tables::checks(), checks.iter())?;
    if let Some(t) = transparency {
        let lines = t.lines();
        let table = tables::transparency();
        sheet(&mut wb, &f, "Trasparenza", &table, lines.iter())?;
    }
    print_setup(&mut wb, &rules.ente, rules.year);
    Ok(wb.save_to_buffer()?)
}

/// A workbook of defined tables of its own (`confronto.xlsx`): each sheet made as the year's
/// are (frozen headers, totals as formulas, A4 landscape), with lines of notes under it.
pub struct Sheets {
    wb: Workbook,
    f: Formats,
}

impl Sheets {
    /// A new workbook titled `title`, dated as the year's (the same bytes on every run).
    pub fn new(title: &str, year: i32) -> Result<Sheets, WorkbookError> {
        let mut wb = Workbook::new();
        properties(&mut wb, title.to_string(), year)?;
        Ok(Sheets { wb, f: formats() })
    }

    /// A sheet of a defined table, then `notes` one a row, after an empty row.
    pub fn add<C, R>(
        &mut self,
        name: &str,
        t: &Table<C, R>,
        rows: impl Iterator<Item = R> + Clone,
        notes: &[String],
    ) -> Result<(), WorkbookError> {
        let count = u32::try_from(rows.clone().count()).unwrap_or(LAST_ROW);
        sheet(&mut self.wb, &self.f, name, t, rows)?;
        let total = u32::from(t.has_total(Format::Xlsx));
        let ws = self.wb.worksheet_from_name(name)?;
        let first = (count + total + 2).min(LAST_ROW);
        for (i, note) in notes.iter().enumerate() {
            let at = first.saturating_add(u32::try_from(i).unwrap_or(LAST_ROW));
            if at > LAST_ROW {
                break;
            }
            ws.write_string(at, 0, fitted(safe_cell(note), whole_in(name)))?;
        }
        Ok(())
    }

    /// The workbook's bytes, every sheet set up for print with the ente and the year.
    pub fn finish(mut self, ente: &str, year: i32) -> Result<Vec<u8>, WorkbookError> {
        print_setup(&mut self.wb, ente, year);
        Ok(self.wb.save_to_buffer()?)
    }
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx};

    use super::*;
    use crate::money::Money;
    use crate::output::table::Column;

    /// A table longer than the sheet (here one of 8 rows) stops two rows before its end,
    /// with its total as the engine's figure (not the sum of the rows shown) and a note
    /// naming the file that has it whole.
    #[test]
    fn a_table_longer_than_the_sheet_stops_with_a_note() {
        let amounts: Vec<Money> = (1..=10).map(|i| Money::from_cents(i * 100)).collect();
        let t = Table::new(
            (),
            vec![
                Column::text("Voce", |_, _: &&Money| Cell::text("riga")),
                Column::figure("Importo", |_, m: &&Money| Cell::Amount(**m)).summed(),
            ],
        )
        .total("Totale", crate::output::table::Formats::XLSX);
        let mut wb = Workbook::new();
        sheet_within(&mut wb, (&formats(), 7), "Dirigenti", &t, amounts.iter()).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let mut read = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = read.worksheet_range("Dirigenti").unwrap();
        assert_eq!(range.get_value((5, 1)), Some(&Data::Float(5.0)));
        assert_eq!(
            range.get_value((6, 0)),
            Some(&Data::String("Totale".into()))
        );
        // 1 + 2 + … + 10 €, a value: the sheet shows only the first five rows.
        assert_eq!(range.get_value((6, 1)), Some(&Data::Float(55.0)));
        let formulas = read.worksheet_formula("Dirigenti").unwrap();
        assert!(formulas.is_empty(), "{formulas:?}");
        assert_eq!(
            range.get_value((7, 0)),
            Some(&Data::String(
                "Il foglio mostra le prime 5 righe su 10, il massimo di un foglio di Excel: l'elenco completo è in retribuzioni-dirigenti.csv.".into()
            ))
        );
    }
}
