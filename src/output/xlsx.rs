//! The Excel workbook the HR office filters and sums (`rust_xlsxwriter`): first the failed
//! checks when there are any (the sheet the workbook opens at), then the quadro di
//! sintesi, the RGS tables, managers, the amounts to pay (*liquidazione*), objectives,
//! indicators, the verifica checklist and the transparency table. Amounts are numbers with a
//! euro format, percentages percentages, dates dates; headers frozen, columns sized; totals
//! are the engine's figures as values.
//!
//! XLSX stores every number as a binary double: this is the one place where an amount leaves
//! `Decimal`, at the very edge, and only amounts below 10¹³ € are written, which read back to
//! the same cents.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format as XlsxFormat, FormatAlign, Workbook, Worksheet, XlsxError,
};

use crate::audit::Check;
use crate::engine::{Inputs, Outcome};
use crate::output::csv::safe_cell;
use crate::output::documents::Document;
use crate::output::table::{Cell, Format, Table};
use crate::output::tables::{self, IndicatorRow, ObjectiveRow, PegContext};
use crate::output::transparency::Transparency;
use crate::output::ENGINE;
use crate::rules::Rules;

struct Formats {
    header: XlsxFormat,
    amount: XlsxFormat,
    percent: XlsxFormat,
    number: XlsxFormat,
    date: XlsxFormat,
    title: XlsxFormat,
    amount_total: XlsxFormat,
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
        amount_total: XlsxFormat::new().set_bold().set_num_format(amount),
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

/// Writes one cell: amounts, numbers, counts and percentages as numbers with their format,
/// dates as dates, the rest as (formula-safe) text. Amounts are bounded at parse time to
/// 10¹⁵, so the cents read back exactly.
fn write(ws: &mut Worksheet, f: &Formats, row: u32, col: u16, v: &Cell) -> Result<(), XlsxError> {
    match v {
        Cell::Amount(m) => number(ws, (row, col), m.value(), &f.amount)?,
        Cell::Percent(p, _) => number(ws, (row, col), *p / Decimal::ONE_HUNDRED, &f.percent)?,
        Cell::Number(n, _) | Cell::Worded(n, _, _) => number(ws, (row, col), *n, &f.number)?,
        Cell::Count(n) => number(ws, (row, col), Decimal::from(*n), &f.number)?,
        Cell::Date(d) => {
            use chrono::Datelike;
            let date = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_date_with_format(row, col, &date, &f.date)?;
        }
        Cell::Text(_) | Cell::Bool(_) | Cell::Verdict(_) | Cell::Shown(_) => {
            ws.write_string(row, col, safe_cell(&v.readable()))?;
        }
        Cell::List(_) | Cell::Empty => {}
    }
    Ok(())
}

/// How wide a cell wants its column: its text, or a fixed width by kind.
fn width(v: &Cell) -> usize {
    match v {
        Cell::Text(_) | Cell::Bool(_) | Cell::Verdict(_) | Cell::Shown(_) => {
            v.readable().chars().count()
        }
        Cell::Amount(_) => 16,
        Cell::Date(_) => 11,
        _ => 8,
    }
}

/// A data sheet of a defined table: header row (frozen, filtered), rows, column widths from
/// the content; then, if the table has one, a bold total row outside the filter (its figures
/// are the engine's, as values).
fn sheet<C, R>(
    wb: &mut Workbook,
    f: &Formats,
    name: &str,
    t: &Table<C, R>,
    rows: impl Iterator<Item = R> + Clone,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    let headers = t.headers(Format::Xlsx);
    let mut widths: Vec<usize> = headers
        .iter()
        .map(|h| h.chars().count().clamp(8, 40))
        .collect();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f.header)?;
    }
    let mut count = 0u32;
    for (r, row) in rows.clone().enumerate() {
        for (c, v) in t.cells(Format::Xlsx, &row).iter().enumerate() {
            write(ws, f, r as u32 + 1, c as u16, v)?;
            if c < widths.len() {
                widths[c] = widths[c].max(width(v).min(60));
            }
        }
        count += 1;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w as u16 + 2)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if count > 0 {
        ws.autofilter(0, 0, count, headers.len().saturating_sub(1) as u16)?;
    }
    if let Some(total) = t.total_row(Format::Xlsx, rows) {
        total_row(ws, f, count + 1, &total)?;
    }
    Ok(())
}

/// The total row, in bold.
fn total_row(ws: &mut Worksheet, f: &Formats, row: u32, cells: &[Cell]) -> Result<(), XlsxError> {
    for (c, v) in cells.iter().enumerate() {
        match v {
            Cell::Text(t) => {
                ws.write_string_with_format(row, c as u16, safe_cell(t), &f.title)?;
            }
            Cell::Amount(m) => number(ws, (row, c as u16), m.value(), &f.amount_total)?,
            other => write(ws, f, row, c as u16, other)?,
        }
    }
    Ok(())
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
            ws.write_string_with_format(row, 0, &t.title, &f.title)?;
            row += 1;
            for (c, h) in t.headers.iter().enumerate() {
                ws.write_string_with_format(row, c as u16, h, &f.header)?;
            }
            row += 1;
            for r in &t.rows {
                for (c, cell) in r.iter().enumerate() {
                    write(ws, f, row, c as u16, cell)?;
                }
                row += 1;
            }
            for n in &t.notes {
                ws.write_string(row, 0, safe_cell(&format!("Nota: {n}")))?;
                row += 1;
            }
            row += 1;
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
fn properties(wb: &mut Workbook, rules: &Rules) -> Result<(), XlsxError> {
    let year = u16::try_from(rules.year + 1).unwrap_or(2000);
    let created = ExcelDateTime::from_ymd(year, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Fondo dirigenza {} — {}", rules.year, rules.ente))
            .set_author(ENGINE)
            .set_creation_datetime(&created),
    );
    Ok(())
}

/// Builds the workbook, deterministic: sheet after sheet, the failed checks (when any), the
/// quadro, the RGS documents, the managers and the amounts to pay, the objectives and
/// indicators, the checklist and the transparency table.
pub fn workbook(
    inputs: &Inputs,
    outcome: &Outcome,
    docs: &[Document],
    checks: &[Check],
    transparency: Option<&Transparency>,
) -> Result<Vec<u8>, XlsxError> {
    let f = formats();
    let mut wb = Workbook::new();
    let rules = &inputs.rules;
    properties(&mut wb, rules)?;
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
    wb.save_to_buffer()
}
