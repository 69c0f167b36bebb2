//! `cessati.csv`, the managers who left (*dirigenti cessati*: `matricola`, `data_cessazione`,
//! `ria`, the annual amount of their *retribuzione individuale di anzianità*), turned into
//! resources of the fund as the catalogue's `[[ria_cessati]]` says: the RIA of those who left
//! in the year before, in full, a stable resource; the months not paid of those who leave in
//! the fund's year (the months after the one of leaving), a variable resource, rounded once.
//! Each is one row of the fund, without matricole (the documents are published). A leaving
//! year other than these two is an error at its cell: an earlier RIA is already in the stable
//! resources the rules file declares.

use chrono::Datelike;
use rust_decimal::Decimal;
use rustc_hash::FxHashSet;

use super::csv::{columns, Cells, Row, Table};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::money::Money;
use crate::national::LeaverRule;
use crate::rules::{FundItem, Nature, Rules, ShareSpec};
use crate::trail::Origin;

columns! {
    /// The columns of `cessati.csv`.
    pub LEAVER_COLUMNS {
        C_MATRICOLA: req("matricola"),
        C_DATA: req("data_cessazione"),
        C_RIA: req("ria"),
    }
}

/// One kind of leavers' resource being summed: the exact amount, the count, the first row.
#[derive(Default)]
struct Sum {
    exact: Decimal,
    count: usize,
    first: Option<Origin>,
}

impl Sum {
    fn add(&mut self, amount: Decimal, origin: Origin) {
        self.exact += amount;
        self.count += 1;
        self.first.get_or_insert(origin);
    }
}

/// Reads `cessati.csv`, when the data folder has it, and adds its resources to `rules`; the
/// problems, located.
pub fn read_leavers(file: Option<(&str, &[u8])>, rules: &mut Rules) -> Diagnostics {
    let Some(file) = file else {
        return Diagnostics::default();
    };
    let table = match Table::parse(file.0, file.1, LEAVER_COLUMNS, rules.csv) {
        Ok(t) => t,
        Err(d) => return d,
    };
    let mut cells = Cells::new(&table);
    let (mut full, mut months) = (Sum::default(), Sum::default());
    let mut seen = FxHashSet::default();
    for row in &table.rows {
        let Some((year, month, ria)) = leaver(&mut cells, row, rules.year, &mut seen) else {
            continue;
        };
        if year == rules.year - 1 {
            full.add(ria.value(), table.origin(row));
        } else {
            let not_paid = Decimal::from(12 - month);
            months.add(
                ria.value() * not_paid / Decimal::from(12),
                table.origin(row),
            );
        }
    }
    let mut diags = cells.diags;
    if diags.has_errors() || (full.count == 0 && months.count == 0) {
        return diags;
    }
    let Some(rule) = rules.national.leavers.clone() else {
        diags.push(Diagnostic::error(
            Location::file(file.0),
            format!("il catalogo nazionale non dice come entra nel fondo {} la RIA dei dirigenti cessati: togliere {} o aggiornare il catalogo", rules.year, file.0),
        ));
        return diags;
    };
    if let Some(d) = split_by_amounts(rules, file.0) {
        diags.push(d);
        return diags;
    }
    rules.resources.extend(items(rules, &rule, full, months));
    diags
}

/// One row: the leaving year (the fund's or the one before), its month and the RIA.
fn leaver(
    cells: &mut Cells,
    row: &Row,
    fund_year: i32,
    seen: &mut FxHashSet<String>,
) -> Option<(i32, u32, Money)> {
    let matricola = cells.text(row, C_MATRICOLA);
    let date = cells.date(row, C_DATA);
    let ria = cells.amount(row, C_RIA);
    let (matricola, date, ria) = (matricola?, date?, ria?);
    if !seen.insert(matricola.clone()) {
        cells.error(
            row,
            C_MATRICOLA,
            format!("matricola \"{matricola}\" ripetuta: una riga per dirigente cessato"),
        );
        return None;
    }
    if !ria.is_positive() {
        cells.error(
            row,
            C_RIA,
            "RIA zero: togliere la riga o scrivere l'importo annuo della RIA",
        );
        return None;
    }
    let y = date.year();
    if y != fund_year && y != fund_year - 1 {
        let why = if y < fund_year - 1 {
            format!("la RIA di chi è cessato prima del {} è già nelle risorse stabili del file delle regole: togliere la riga", fund_year - 1)
        } else {
            format!("successiva all'anno del fondo {fund_year}: togliere la riga")
        };
        cells.error(
            row,
            C_DATA,
            format!(
                "cessazione nel {y}: nel fondo {fund_year} entrano i cessati del {} (RIA intera) e del {fund_year} (mensilità non corrisposte); {why}",
                fund_year - 1
            ),
        );
        return None;
    }
    Some((y, date.month(), ria))
}

/// The split written as two amounts was checked against the fund without the leavers' RIA:
/// with `cessati.csv`, one share must be a percentage or `"resto"`.
fn split_by_amounts(rules: &Rules, file: &str) -> Option<Diagnostic> {
    let s = &rules.split;
    let amounts = matches!(
        (s.position, s.result),
        (ShareSpec::Amount(_), ShareSpec::Amount(_))
    );
    amounts.then(|| {
        Diagnostic::error(
            Location::at(&rules.file, s.origin.line, 0, Some("ripartizione".into())),
            format!("con {file} la RIA dei cessati si aggiunge al fondo: i due importi della ripartizione non sommano più al fondo; scrivere una delle due quote come percentuale o \"resto\""),
        )
    })
}

/// The resources of the fund: the full RIA (stable), the months not paid (variable).
fn items(rules: &Rules, rule: &LeaverRule, full: Sum, months: Sum) -> Vec<FundItem> {
    let y = rules.year;
    let item = |code: String, description: String, s: Sum, nature, source: &str| {
        let origin = s.first?;
        Some(FundItem {
            code,
            description,
            amount: Money::from_exact(s.exact, rules.rounding),
            nature,
            subject_to_cap: rule.subject_to_cap,
            source: format!("{source}; cessati.csv"),
            origin,
            result_only: false,
            increment: None,
        })
    };
    let (nf, nm) = (full.count, months.count);
    [
        item(
            format!("ria-cessati-{}", y - 1),
            format!(
                "RIA dei dirigenti cessati nel {} ({nf}), intera su base annua",
                y - 1
            ),
            full,
            Nature::Stable,
            rule.full_source.as_str(),
        ),
        item(
            format!("ria-ratei-cessati-{y}"),
            format!("RIA dei dirigenti cessati nel {y} ({nm}), mensilità non corrisposte"),
            months,
            Nature::Variable,
            rule.months_source.as_str(),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}
