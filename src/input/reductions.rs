//! `riduzioni.csv`, the declared cuts of a manager's result pay (*riduzioni della retribuzione
//! di risultato*: late objectives, a disciplinary measure), read into [`Staff::reductions`]:
//! each row a listed manager, a percentage between 0 and 100, a reason and a source; the
//! rows of one manager add their percentages, at most 100 (the row that passes it is the
//! error).

use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

use super::csv::{columns, Cells, CsvOptions, Row, Table};
use super::MANAGERS_FILE;
use crate::diag::Diagnostics;
use crate::staff::{Reduction, Staff};

columns! {
    /// The columns of `riduzioni.csv`.
    pub REDUCTION_COLUMNS {
        R_MATRICOLA: req("matricola"),
        R_PERCENTUALE: req("percentuale"),
        R_MOTIVO: req("motivo"),
        R_FONTE: req("fonte"),
    }
}

/// Reads `riduzioni.csv` into `staff.reductions`: every row names a manager of
/// `dirigenti.csv` (a refused row's matricola is still known), a percentage between 0 and
/// 100, a reason and a source; a manager's percentages add up to at most 100.
pub fn read_reductions(file: (&str, &[u8]), staff: &mut Staff, opts: CsvOptions) -> Diagnostics {
    let table = match Table::parse(file.0, file.1, REDUCTION_COLUMNS, opts) {
        Ok(t) => t,
        Err(d) => return d,
    };
    let known: FxHashSet<&str> = staff
        .managers
        .iter()
        .map(|m| &*m.matricola)
        .chain(staff.refused.iter().map(String::as_str))
        .collect();
    let mut cells = Cells::new(&table);
    let mut totals: FxHashMap<String, Decimal> = FxHashMap::default();
    let mut out = Vec::new();
    for row in &table.rows {
        let Some(r) = reduction(&mut cells, row, &known) else {
            continue;
        };
        let total = totals.entry(r.matricola.clone()).or_default();
        *total += r.percent;
        if *total > Decimal::ONE_HUNDRED {
            cells.error(
                row,
                R_PERCENTUALE,
                format!(
                    "le riduzioni di \"{}\" sommano al {}%: al più 100; correggere le percentuali delle sue righe",
                    r.matricola,
                    crate::money::format_it(total.normalize(), 0)
                ),
            );
            continue;
        }
        out.push(r);
    }
    staff.reductions = out;
    cells.diags
}

/// One row of `riduzioni.csv`, if every cell is read and the matricola is a manager's.
fn reduction(cells: &mut Cells, row: &Row, known: &FxHashSet<&str>) -> Option<Reduction> {
    let matricola = cells.text(row, R_MATRICOLA);
    let percent = cells.number(row, R_PERCENTUALE, Decimal::ZERO, Decimal::ONE_HUNDRED);
    let reason = cells.text(row, R_MOTIVO);
    let source = cells.text(row, R_FONTE);
    let (matricola, percent, reason, source) = (matricola?, percent?, reason?, source?);
    if !known.contains(matricola.as_str()) {
        cells.error(
            row,
            R_MATRICOLA,
            format!("matricola \"{matricola}\" assente da {MANAGERS_FILE}: scrivere la matricola di un dirigente dell'anno"),
        );
        return None;
    }
    Some(Reduction {
        matricola,
        percent,
        reason,
        source,
        origin: cells.table.origin(row),
    })
}
