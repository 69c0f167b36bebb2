//! The Excel workbook the HR office filters and sums (`rust_xlsxwriter`): the quadro di
//! sintesi, the RGS tables, managers, objectives, indicators, the verifica checklist and the
//! transparency table. Amounts are numbers with a euro format, percentages percentages, dates
//! dates; headers frozen, columns sized; totals are the engine's figures as values.
//!
//! XLSX stores every number as a binary double: this is the one place where an amount leaves
//! `Decimal`, at the very edge, and only amounts below 10¹³ € are written, which read back to
//! the same cents.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

use crate::audit::Check;
use crate::engine::{Inputs, Outcome};
use crate::money::Money;
use crate::output::documents::{Cell, Document};
use crate::output::report::{quadro, safe_cell};
use crate::output::transparency::{Transparency, Value};

/// A value for one cell.
enum V {
    Text(String),
    Amount(Money),
    /// A percentage in points (73,45 → shown as 73,45%).
    Percent(Decimal),
    Number(Decimal),
    Date(chrono::NaiveDate),
    Empty,
}

struct Formats {
    header: Format,
    amount: Format,
    percent: Format,
    number: Format,
    date: Format,
    title: Format,
    amount_total: Format,
}

fn formats() -> Formats {
    Formats {
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top),
        amount: Format::new().set_num_format("#,##0.00 \"€\""),
        percent: Format::new().set_num_format("0.00%"),
        number: Format::new().set_num_format("0.####"),
        date: Format::new().set_num_format("dd/mm/yyyy"),
        title: Format::new().set_bold(),
        amount_total: Format::new().set_bold().set_num_format("#,##0.00 \"€\""),
    }
}

/// Writes one value; the conversion of a decimal to the workbook's binary double happens only
/// here (amounts are bounded at parse time to 10¹⁵, so the cents read back exactly).
fn write(ws: &mut Worksheet, f: &Formats, row: u32, col: u16, v: &V) -> Result<(), XlsxError> {
    match v {
        V::Text(t) => {
            ws.write_string(row, col, safe_cell(t))?;
        }
        V::Amount(m) => {
            ws.write_number_with_format(
                row,
                col,
                m.value().to_f64().unwrap_or_default(),
                &f.amount,
            )?;
        }
        V::Percent(p) => {
            ws.write_number_with_format(
                row,
                col,
                (*p / Decimal::ONE_HUNDRED).to_f64().unwrap_or_default(),
                &f.percent,
            )?;
        }
        V::Number(n) => {
            ws.write_number_with_format(row, col, n.to_f64().unwrap_or_default(), &f.number)?;
        }
        V::Date(d) => {
            use chrono::Datelike;
            let date = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_date_with_format(row, col, &date, &f.date)?;
        }
        V::Empty => {}
    }
    Ok(())
}

/// A data sheet: header row (frozen, filtered), rows, column widths from the content.
fn sheet(
    wb: &mut Workbook,
    f: &Formats,
    name: &str,
    headers: &[&str],
    rows: &[Vec<V>],
) -> Result<(), XlsxError> {
    sheet_with_total(wb, f, name, headers, rows, None)
}

/// Like [`sheet`], with a bold total row after the data, outside the filter (its figures are
/// the engine's, as values).
fn sheet_with_total(
    wb: &mut Workbook,
    f: &Formats,
    name: &str,
    headers: &[&str],
    rows: &[Vec<V>],
    total: Option<Vec<V>>,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    let mut widths: Vec<usize> = headers
        .iter()
        .map(|h| h.chars().count().clamp(8, 40))
        .collect();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            write(ws, f, r as u32 + 1, c as u16, v)?;
            let len = match v {
                V::Text(t) => t.chars().count(),
                V::Amount(_) => 16,
                V::Date(_) => 11,
                _ => 8,
            };
            if c < widths.len() {
                widths[c] = widths[c].max(len.min(60));
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w as u16 + 2)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !rows.is_empty() {
        ws.autofilter(
            0,
            0,
            rows.len() as u32,
            headers.len().saturating_sub(1) as u16,
        )?;
    }
    if let Some(total) = total {
        let row = rows.len() as u32 + 1;
        for (c, v) in total.iter().enumerate() {
            match v {
                V::Text(t) => {
                    ws.write_string_with_format(row, c as u16, safe_cell(t), &f.title)?;
                }
                V::Amount(m) => {
                    ws.write_number_with_format(
                        row,
                        c as u16,
                        m.value().to_f64().unwrap_or_default(),
                        &f.amount_total,
                    )?;
                }
                other => write(ws, f, row, c as u16, other)?,
            }
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
                    let v = match cell {
                        Cell::Text(s) => V::Text(s.clone()),
                        Cell::Amount(m) => V::Amount(*m),
                        Cell::Number(n) => V::Text(n.clone()),
                        Cell::Empty => V::Empty,
                    };
                    write(ws, f, row, c as u16, &v)?;
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

/// Builds the workbook. Deterministic: the document's creation date is fixed to 1 January of
/// the year after the fund, so two runs give the same bytes.
pub fn workbook(
    inputs: &Inputs,
    outcome: &Outcome,
    docs: &[Document],
    checks: &[Check],
    transparency: Option<&Transparency>,
) -> Result<Vec<u8>, XlsxError> {
    let f = formats();
    let mut wb = Workbook::new();
    let year = u16::try_from(inputs.rules.year + 1).unwrap_or(2000);
    let created = ExcelDateTime::from_ymd(year, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Fondo dirigenza {} — {}",
                inputs.rules.year, inputs.rules.ente
            ))
            .set_author(crate::output::report::ENGINE)
            .set_creation_datetime(&created),
    );

    let q = quadro(&inputs.rules, &outcome.fund);
    let mut headers: Vec<String> = vec![
        "Descrizione".into(),
        "Importo".into(),
        "% distribuzione".into(),
    ];
    headers.extend(q.carryover_headers.iter().cloned());
    headers.push("TOTALE".into());
    let pcts: Vec<Option<Decimal>> = outcome
        .fund
        .percentages
        .values
        .iter()
        .map(|p| Some(p.value()))
        .chain([Some(
            outcome
                .fund
                .percentages
                .values
                .iter()
                .map(|p| p.value())
                .sum(),
        )])
        .collect();
    let rows: Vec<Vec<V>> = q
        .rows
        .iter()
        .zip(pcts)
        .map(|(r, p)| {
            let mut row = vec![
                V::Text(r.description.clone()),
                V::Amount(r.amount),
                p.map_or(V::Empty, V::Percent),
            ];
            row.extend(r.carryovers.iter().map(|c| c.map_or(V::Empty, V::Amount)));
            row.push(V::Amount(r.total));
            row
        })
        .collect();
    let h: Vec<&str> = headers.iter().map(String::as_str).collect();
    sheet(&mut wb, &f, "Quadro di sintesi", &h, &rows)?;

    documents_sheet(&mut wb, &f, docs)?;

    if let Some(p) = &outcome.pay {
        let periods: std::collections::BTreeMap<&str, (chrono::NaiveDate, chrono::NaiveDate)> =
            inputs
                .staff
                .iter()
                .flat_map(|s| s.managers.iter().map(|m| (&*m.matricola, (m.start, m.end))))
                .collect();
        let rows: Vec<Vec<V>> = p
            .managers
            .iter()
            .map(|m| {
                let row = periods.get(&*m.matricola);
                vec![
                    V::Text(m.matricola.to_string()),
                    V::Text(m.name.to_string()),
                    V::Text(m.post.to_string()),
                    row.map_or(V::Empty, |x| V::Date(x.0)),
                    row.map_or(V::Empty, |x| V::Date(x.1)),
                    V::Number(Decimal::from(m.days)),
                    V::Amount(m.position_paid),
                    V::Number(m.score),
                    V::Number(m.coefficient),
                    V::Amount(m.result_pay),
                    V::Amount(m.art30_supplement),
                    V::Amount(m.interim),
                    V::Amount(m.fee_reduction),
                    V::Amount(m.total),
                    V::Amount(m.fees),
                ]
            })
            .collect();
        let total = |g: fn(&crate::pay::ManagerPay) -> Money| {
            V::Amount(Money::checked_sum(p.managers.iter().map(g)).unwrap_or(Money::ZERO))
        };
        let totals = vec![
            V::Text("Totale".into()),
            V::Empty,
            V::Empty,
            V::Empty,
            V::Empty,
            V::Empty,
            total(|m| m.position_paid),
            V::Empty,
            V::Empty,
            total(|m| m.result_pay),
            total(|m| m.art30_supplement),
            total(|m| m.interim),
            total(|m| m.fee_reduction),
            total(|m| m.total),
            total(|m| m.fees),
        ];
        sheet_with_total(
            &mut wb,
            &f,
            "Dirigenti",
            &[
                "Matricola",
                "Nome",
                "Incarico",
                "Inizio",
                "Fine",
                "Giorni",
                "Posizione",
                "Punteggio",
                "Coefficiente",
                "Risultato",
                "Art. 30",
                "Interim",
                "Riduzione compensi",
                "Totale",
                "Compensi ex lege",
            ],
            &rows,
            Some(totals),
        )?;
    }
    if let (Some(peg), Some(ip)) = (&outcome.peg, &inputs.peg) {
        let indicators_of = peg.indicators_by_objective(ip);
        let rows: Vec<Vec<V>> = peg
            .objectives
            .iter()
            .map(|o| {
                let src = o.source(ip);
                vec![
                    V::Text(src.code.to_string()),
                    V::Text(src.matricola.to_string()),
                    V::Text(src.title.to_string()),
                    V::Number(src.weight),
                    V::Percent(o.attainment),
                    V::Text(o.explanation(
                        &indicators_of.of(o.index()),
                        ip,
                        &inputs.rules.attainment,
                    )),
                ]
            })
            .collect();
        sheet(
            &mut wb,
            &f,
            "Obiettivi",
            &[
                "Codice",
                "Matricola",
                "Titolo",
                "Peso",
                "Raggiungimento",
                "Calcolo",
            ],
            &rows,
        )?;
        let rows: Vec<Vec<V>> = peg
            .indicators
            .iter()
            .map(|i| (i, i.source(ip)))
            .map(|(i, src)| {
                vec![
                    V::Text(src.objective.to_string()),
                    V::Number(Decimal::from(src.number)),
                    V::Text(src.description.to_string()),
                    V::Number(src.weight),
                    V::Text(src.target.text.clone()),
                    V::Text(src.measured_text().to_string()),
                    V::Percent(i.attainment),
                    V::Text(i.explanation(ip, &inputs.rules.attainment)),
                ]
            })
            .collect();
        sheet(
            &mut wb,
            &f,
            "Indicatori",
            &[
                "Obiettivo",
                "N.",
                "Descrizione",
                "Peso",
                "Target",
                "Misurato",
                "Raggiungimento",
                "Calcolo",
            ],
            &rows,
        )?;
    }
    let rows: Vec<Vec<V>> = checks
        .iter()
        .map(|c| {
            vec![
                V::Text(c.verdict.mark().to_string()),
                V::Text(c.name.clone()),
                V::Text(c.figures.clone()),
                V::Text(c.source.clone()),
            ]
        })
        .collect();
    sheet(
        &mut wb,
        &f,
        "Verifica",
        &["Esito", "Controllo", "Cifre", "Fonte"],
        &rows,
    )?;
    if let Some(t) = transparency {
        let rows: Vec<Vec<V>> = t
            .lines()
            .into_iter()
            .map(|(label, v)| {
                let value = match v {
                    Value::Amount(m) => V::Amount(m),
                    Value::Count(n) => V::Number(Decimal::from(n)),
                    Value::Index(d) => V::Number(d),
                };
                vec![V::Text(label), value]
            })
            .collect();
        sheet(&mut wb, &f, "Trasparenza", &["Voce", "Valore"], &rows)?;
    }
    wb.save_to_buffer()
}
