//! The staff's CSV exports read into [`Staff`]: `dirigenti.csv` (managers), `valutazioni.csv`
//! (scores by component), `interim.csv` (interim assignments) and `compensi.csv` (ex-lege
//! fees), checked against each other (duplicates, unknown matricole, periods within the fund
//! year, every manager evaluated); then [`check_components`], against the rules (the
//! evaluation components, the year's interim range, the differentiation's minimum for the
//! number of managers) and the PEG.

use std::collections::hash_map::Entry;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

use super::csv::{columns, line_error, Cells, Column, CsvOptions, Row, Table};
use super::{EVALUATIONS_FILE, MANAGERS_FILE, OBJECTIVES_FILE};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::money::format_it;
use crate::money::Money;
use crate::national::InterimRange;
use crate::pay::{interim_fraction, served as served_period, InterimBase, ServiceFraction};
use crate::peg::Peg;
use crate::rules::Rules;
use crate::staff::{Evaluation, Fee, Interim, Manager, Staff, OBJECTIVES_COMPONENT};
use crate::trail::Origin;

/// A manager's row that was refused (in [`Listed`]).
const NONE: u32 = u32::MAX;

columns! {
    /// The columns of `dirigenti.csv`.
    pub MANAGER_COLUMNS {
        M_MATRICOLA: req("matricola"),
        M_NOME: req("nome"),
        M_INCARICO: req("incarico"),
        M_RETRIBUZIONE: req("retribuzione_posizione"),
        M_PUNTI: opt("punti_pesatura"),
        M_INIZIO: opt("inizio"),
        M_FINE: opt("fine"),
        M_GIORNI: opt("giorni"),
        M_QUOTA_ENTE: opt("quota_ente"),
    }
}

columns! {
    /// The columns of `valutazioni.csv`.
    pub EVALUATION_COLUMNS {
        E_MATRICOLA: req("matricola"),
        E_COMPONENTE: req("componente"),
        E_PUNTEGGIO: req("punteggio"),
    }
}

columns! {
    /// The columns of `interim.csv`.
    pub INTERIM_COLUMNS {
        N_MATRICOLA: req("matricola"),
        N_INCARICO: req("incarico_coperto"),
        N_RETRIBUZIONE: req("retribuzione_posizione_incarico"),
        N_INIZIO: opt("inizio"),
        N_FINE: opt("fine"),
        N_PERCENTUALE: opt("percentuale"),
        N_GIORNI: opt("giorni"),
    }
}

columns! {
    /// The columns of `compensi.csv`.
    pub FEE_COLUMNS {
        F_MATRICOLA: req("matricola"),
        F_TIPO: req("tipo"),
        F_IMPORTO: req("importo"),
        F_FONTE: req("fonte"),
    }
}

/// The matricole of `dirigenti.csv`, for the other files: each one's line and position among
/// the managers (`NONE` for a refused row).
struct Listed<'t> {
    seen: FxHashMap<&'t str, (usize, u32)>,
    /// The managers' file, for messages.
    file: &'t str,
}

impl Listed<'_> {
    /// A row that names a manager must name one of `dirigenti.csv`; otherwise a located error.
    fn known(&self, cells: &mut Cells, row: &Row, matricola: &str) -> bool {
        let known = self.seen.contains_key(matricola);
        if !known {
            cells.error(
                row,
                "matricola",
                format!("matricola \"{matricola}\" assente da {}", self.file),
            );
        }
        known
    }
}

/// Checks a period against the fund year: inside it, and not ending before it starts.
fn check_period(cells: &mut Cells, row: &Row, year: i32, start: NaiveDate, end: NaiveDate) -> bool {
    let mut ok = true;
    for (col, d) in [("inizio", start), ("fine", end)] {
        if chrono::Datelike::year(&d) != year {
            cells.error(
                row,
                col,
                format!(
                    "data {} fuori dall'anno del fondo {year}",
                    crate::money::date_it(d)
                ),
            );
            ok = false;
        }
    }
    if end < start {
        cells.error(
            row,
            "fine",
            format!(
                "la fine {} precede l'inizio {}",
                crate::money::date_it(end),
                crate::money::date_it(start)
            ),
        );
        ok = false;
    }
    ok
}

/// Reads managers, evaluations, interim assignments and fees; checks duplicates, unknown
/// matricole, periods within the fund year, scores within 0-100, and that every manager is
/// evaluated and every evaluated person is a manager. Returns the rows that are valid even
/// when others are not (`None` only when the two main files cannot be read at all), so that
/// the cross-file checks can report their problems in the same run; the caller stops on any
/// error in the diagnostics.
pub fn read_staff<'b>(
    (year, how): (i32, ServiceFraction),
    managers: (&str, &'b [u8]),
    evaluations: (&str, &'b [u8]),
    interims: Option<(&str, &'b [u8])>,
    fees: Option<(&str, &'b [u8])>,
    opts: CsvOptions,
) -> (Option<Staff>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut parse = |f: (&str, &'b [u8]), cols: &'static [Column]| -> Option<Table<'b>> {
        match Table::parse(f.0, f.1, cols, opts) {
            Ok(t) => Some(t),
            Err(d) => {
                diags.extend(d);
                None
            }
        }
    };
    let mt = parse(managers, MANAGER_COLUMNS);
    let et = parse(evaluations, EVALUATION_COLUMNS);
    let it = interims.and_then(|f| parse(f, INTERIM_COLUMNS));
    let ft = fees.and_then(|f| parse(f, FEE_COLUMNS));
    let mt = mt.filter(|t| period_columns(t, [M_INIZIO, M_FINE, M_GIORNI], &mut diags));
    let it = it.filter(|t| period_columns(t, [N_INIZIO, N_FINE, N_GIORNI], &mut diags));
    let (Some(mt), Some(et)) = (mt, et) else {
        return (None, diags);
    };
    let mut staff = Staff::default();
    let served = Served { year, how };
    let listed = read_managers(&mt, served, &mut staff, &mut diags);
    let named = read_evaluations(&et, &listed, &mut staff, &mut diags);
    check_evaluated(&mut staff, &named, &mt.file, &et.file, &mut diags);
    if let Some(it) = &it {
        diags.extend(read_interims(it, served, &listed, &mut staff.interims));
    }
    if let Some(ft) = &ft {
        diags.extend(read_fees(ft, &listed, &mut staff.fees));
    }
    (Some(staff), diags)
}

/// A `dirigenti.csv` row's cells, each read (a bad one reported) in the columns' order.
struct ManagerRow<'t> {
    matricola: Option<&'t str>,
    name: Option<String>,
    post: Option<String>,
    pay: Option<Money>,
    /// Empty is `None`; a bad value is reported, the row still kept.
    points: Option<Decimal>,
    /// The dates and the days (`None` when a cell was bad, reported).
    period: Option<Period>,
    /// `quota_ente`: `Some(None)` when empty or absent (100%), `None` when refused.
    share: Option<Option<Decimal>>,
}

impl<'t> ManagerRow<'t> {
    fn read(cells: &mut Cells<'t>, row: &Row) -> ManagerRow<'t> {
        ManagerRow {
            matricola: cells.required(row, M_MATRICOLA),
            name: cells.text(row, M_NOME),
            post: cells.text(row, M_INCARICO),
            pay: cells.amount(row, M_RETRIBUZIONE),
            points: if cells.table.cell(row, M_PUNTI).is_empty() {
                None
            } else {
                cells.number(row, M_PUNTI, Decimal::ZERO, Decimal::from(1_000_000))
            },
            period: Period::read(cells, row, [M_INIZIO, M_FINE, M_GIORNI]),
            share: ente_share(cells, row),
        }
    }

    /// The manager, if every cell was read and the period is within the fund year.
    fn manager(self, cells: &mut Cells, row: &Row, served: Served) -> Option<Manager> {
        let (Some(matricola), Some(name), Some(post), Some(pay), Some(period), Some(share)) = (
            self.matricola,
            self.name,
            self.post,
            self.pay,
            self.period,
            self.share,
        ) else {
            return None;
        };
        period.check(cells, row, served).then(|| Manager {
            matricola: matricola.into(),
            name: name.into(),
            post: post.into(),
            yearly_position_pay: pay,
            grading_points: self.points,
            start: period.start,
            end: period.end,
            days: period.days,
            ente_share: share,
            origin: cells.table.origin(row),
        })
    }
}

/// The ente's share of a shared manager's pay (`quota_ente`, a percentage above 0 and at
/// most 100): `Some(None)` when the cell is empty or the column absent (the ente pays it
/// all), `None` when the cell is refused (reported).
fn ente_share(cells: &mut Cells, row: &Row) -> Option<Option<Decimal>> {
    if cells.table.cell(row, M_QUOTA_ENTE).is_empty() {
        return Some(None);
    }
    let share = cells.number(row, M_QUOTA_ENTE, Decimal::ZERO, Decimal::ONE_HUNDRED)?;
    if share.is_zero() {
        cells.error(
            row,
            M_QUOTA_ENTE,
            "quota_ente 0: un dirigente pagato tutto dall'altro ente non va in dirigenti.csv; scrivere la percentuale pagata da questo ente (per esempio 40), o lasciare vuoto se la paga tutta",
        );
        return None;
    }
    Some(Some(share))
}

/// Reads `dirigenti.csv` into the managers: a matricola met twice is refused, and so is a row
/// with a bad cell or a period outside the fund year, whose matricola is still listed for
/// the other files (and kept in [`Staff::refused`]).
fn read_managers<'t>(
    mt: &'t Table<'t>,
    served: Served,
    staff: &mut Staff,
    diags: &mut Diagnostics,
) -> Listed<'t> {
    let mut cells = Cells::new(mt);
    let mut seen: FxHashMap<&str, (usize, u32)> = FxHashMap::default();
    // Rows refused after their matricola was read: still "listed" for the other files.
    let mut refused: Vec<&str> = Vec::new();
    seen.reserve(mt.rows.len());
    staff.managers.reserve(mt.rows.len());
    for row in &mt.rows {
        let read = ManagerRow::read(&mut cells, row);
        let matricola = read.matricola;
        let slot = match matricola.map(|m| (m, seen.entry(m))) {
            Some((m, Entry::Occupied(e))) => {
                let first = e.get().0;
                cells.error(
                    row,
                    M_MATRICOLA,
                    format!("matricola \"{m}\" già presente alla riga {first}"),
                );
                continue;
            }
            Some((_, Entry::Vacant(e))) => Some(e),
            None => None,
        };
        let index = match read.manager(&mut cells, row, served) {
            Some(m) => {
                staff.managers.push(m);
                (staff.managers.len() - 1) as u32
            }
            None => {
                refused.extend(matricola);
                NONE
            }
        };
        if let Some(e) = slot {
            e.insert((row.line, index));
        }
    }
    diags.extend(cells.diags);
    staff.refused = refused.into_iter().map(String::from).collect();
    Listed {
        seen,
        file: &mt.file,
    }
}

/// The scores of `valutazioni.csv` as they are read: the components met, and which pairs of
/// manager and component are scored already.
struct Scores<'t> {
    /// The components met, lowercase, each name shared by its evaluations.
    names: Vec<Arc<str>>,
    /// Whether each manager is named in the file (by a row valid or not): the later checks
    /// must not add "not evaluated" or "missing score" on top of the row's own error.
    named: Vec<bool>,
    /// The components already scored for each manager, as bits of `names`; pairs beyond 64
    /// names, or of a refused manager's row, by code in `other_pairs`.
    scored: Vec<u64>,
    other_pairs: FxHashMap<(&'t str, usize), usize>,
    /// The first line of each (manager, component), made only when a pair repeats.
    first_lines: Option<FxHashMap<(u32, usize), usize>>,
}

impl<'t> Scores<'t> {
    fn new(managers: usize) -> Scores<'t> {
        Scores {
            names: Vec::new(),
            named: vec![false; managers],
            scored: vec![0u64; managers],
            other_pairs: FxHashMap::default(),
            first_lines: None,
        }
    }

    /// The index of a component in `names`, compared lowercase (borrowed from the table
    /// when already so).
    fn component(&mut self, component: &str) -> usize {
        let component = if component.chars().any(char::is_uppercase) {
            std::borrow::Cow::Owned(component.to_lowercase())
        } else {
            std::borrow::Cow::Borrowed(component)
        };
        match self.names.iter().position(|n| **n == *component) {
            Some(c) => c,
            None => {
                self.names.push(component.as_ref().into());
                self.names.len() - 1
            }
        }
    }

    /// The line of the row that scored the pair already, if any; otherwise the pair is
    /// recorded as scored on `line`.
    fn repeated(
        &mut self,
        manager: u32,
        c: usize,
        matricola: &'t str,
        line: usize,
        evaluations: &[Evaluation],
    ) -> Option<usize> {
        if manager == NONE || c >= 64 {
            return match self.other_pairs.entry((matricola, c)) {
                Entry::Occupied(e) => Some(*e.get()),
                Entry::Vacant(e) => {
                    e.insert(line);
                    None
                }
            };
        }
        let bits = &mut self.scored[manager as usize];
        let repeated = *bits & (1 << c) != 0;
        *bits |= 1 << c;
        repeated.then(|| {
            let names = &self.names;
            let lines = self
                .first_lines
                .get_or_insert_with(|| first_lines(evaluations, names));
            lines.get(&(manager, c)).copied().unwrap_or_default()
        })
    }

    /// The evaluation of a pair not scored before, its manager's matricola and its
    /// component's name shared, not copied.
    fn evaluation(
        &mut self,
        managers: &[Manager],
        manager: u32,
        c: usize,
        matricola: &str,
        score: Decimal,
        origin: Origin,
    ) -> Evaluation {
        let (shared, manager) = match manager {
            NONE => (matricola.into(), None),
            k => (managers[k as usize].matricola.clone(), Some(k)),
        };
        if let (Some(lines), Some(k)) = (&mut self.first_lines, manager) {
            lines.entry((k, c)).or_insert(origin.line);
        }
        Evaluation {
            matricola: shared,
            component: self.names[c].clone(),
            score,
            origin,
            manager,
        }
    }
}

/// The first line of each (manager, component) among the evaluations read so far.
fn first_lines(evaluations: &[Evaluation], names: &[Arc<str>]) -> FxHashMap<(u32, usize), usize> {
    let mut m = FxHashMap::default();
    for e in evaluations {
        if let (Some(k), Some(c)) = (
            e.manager,
            names.iter().position(|n| Arc::ptr_eq(n, &e.component)),
        ) {
            m.entry((k, c)).or_insert(e.origin.line);
        }
    }
    m
}

/// Reads `valutazioni.csv` into the evaluations: the matricola must be listed in
/// `dirigenti.csv`, a component is scored once per manager; a row with a bad cell makes its
/// matricola incomplete. Returns whether each manager is named in the file.
fn read_evaluations(
    et: &Table,
    listed: &Listed,
    staff: &mut Staff,
    diags: &mut Diagnostics,
) -> Vec<bool> {
    let mut cells = Cells::new(et);
    let mut sc = Scores::new(staff.managers.len());
    staff.evaluations.reserve(et.rows.len());
    for row in &et.rows {
        let raw = et.cell(row, E_MATRICOLA);
        let raw_listed = listed.seen.get(raw).copied();
        if let Some((_, k)) = raw_listed.filter(|l| l.1 != NONE) {
            sc.named[k as usize] = true;
        }
        let matricola = cells.required(row, E_MATRICOLA);
        let component = cells.required(row, E_COMPONENTE);
        let score = cells.number(row, E_PUNTEGGIO, Decimal::ZERO, Decimal::ONE_HUNDRED);
        let (Some(matricola), Some(component), Some(score)) = (matricola, component, score) else {
            staff.incomplete.insert(raw.to_string());
            continue;
        };
        let found = if matricola == raw {
            raw_listed
        } else {
            listed.seen.get(matricola).copied()
        };
        let Some((_, manager)) = found else {
            let msg = format!(
                "matricola \"{matricola}\" valutata ma assente da {}",
                listed.file
            );
            cells.error(row, E_MATRICOLA, msg);
            continue;
        };
        let c = sc.component(component);
        if let Some(first) = sc.repeated(manager, c, matricola, row.line, &staff.evaluations) {
            let msg = format!(
                "componente \"{}\" già valutata per \"{matricola}\" alla riga {first}",
                sc.names[c]
            );
            cells.error(row, E_COMPONENTE, msg);
            continue;
        }
        let evaluation = sc.evaluation(
            &staff.managers,
            manager,
            c,
            matricola,
            score,
            et.origin(row),
        );
        staff.evaluations.push(evaluation);
    }
    diags.extend(cells.diags);
    sc.named
}

/// Every manager must be named in `valutazioni.csv`: one that is not is an error, and
/// incomplete (the missing scores are not reported again).
fn check_evaluated(
    staff: &mut Staff,
    named: &[bool],
    managers_file: &str,
    evaluations_file: &str,
    diags: &mut Diagnostics,
) {
    let mut not_evaluated = Vec::new();
    for (k, m) in staff.managers.iter().enumerate() {
        if !named[k] {
            not_evaluated.push(m.matricola.to_string());
            let line = m.origin.line;
            diags.push(line_error(
                managers_file,
                line,
                format!(
                    "il dirigente \"{}\" non ha valutazioni in {}",
                    m.matricola, evaluations_file
                ),
            ));
        }
    }
    staff.incomplete.extend(not_evaluated);
}

/// Reads `interim.csv`: each assignment of a listed manager within the fund year (an empty
/// percentage is the rules file's).
fn read_interims(
    it: &Table,
    served: Served,
    listed: &Listed,
    out: &mut Vec<Interim>,
) -> Diagnostics {
    let mut cells = Cells::new(it);
    // The interim's days under the rule; the months' rule counts them by calendar days.
    let served = served.for_interim();
    for row in &it.rows {
        let matricola = cells.text(row, N_MATRICOLA);
        let post = cells.text(row, N_INCARICO);
        let pay = cells.amount(row, N_RETRIBUZIONE);
        let period = Period::read(&mut cells, row, [N_INIZIO, N_FINE, N_GIORNI]);
        let percent = if it.cell(row, N_PERCENTUALE).is_empty() {
            Some(None)
        } else {
            cells
                .number(row, N_PERCENTUALE, Decimal::ZERO, Decimal::ONE_HUNDRED)
                .map(Some)
        };
        let (Some(matricola), Some(post), Some(pay), Some(period), Some(percent)) =
            (matricola, post, pay, period, percent)
        else {
            continue;
        };
        if !listed.known(&mut cells, row, &matricola) {
            continue;
        }
        if !period.check(&mut cells, row, served) {
            continue;
        }
        out.push(Interim {
            matricola,
            covered_post: post,
            covered_position_pay: pay,
            start: period.start,
            end: period.end,
            days: period.days,
            percent,
            origin: it.origin(row),
        });
    }
    cells.diags
}

/// The fund year and how its service is counted, for the rows' periods.
#[derive(Clone, Copy)]
struct Served {
    year: i32,
    how: ServiceFraction,
}

impl Served {
    /// The count of an interim's days: the rule's, by calendar days under the months' rule.
    fn for_interim(self) -> Served {
        Served {
            how: interim_fraction(self.how),
            ..self
        }
    }
}

/// A row's time in the fund year: its dates and its days (`giorni`), as written.
#[derive(Clone, Copy)]
struct Period {
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    days: Option<i64>,
}

impl Period {
    /// The `inizio`, `fine` and `giorni` cells, each optional; `None` when one is bad
    /// (reported).
    fn read(cells: &mut Cells, row: &Row, [start, end, days]: [usize; 3]) -> Option<Period> {
        let date = |cells: &mut Cells, col: usize| -> Option<Option<NaiveDate>> {
            if cells.table.cell(row, col).is_empty() {
                Some(None)
            } else {
                cells.date(row, col).map(Some)
            }
        };
        let (start, end) = (date(cells, start), date(cells, end));
        let days = read_days(cells, row, days);
        Some(Period {
            start: start?,
            end: end?,
            days: days?,
        })
    }

    /// The dates within the fund year, and the service countable under the rule (dates or
    /// days, agreeing when both): else a located error.
    fn check(&self, cells: &mut Cells, row: &Row, served: Served) -> bool {
        if let (Some(s), Some(e)) = (self.start, self.end) {
            if !check_period(cells, row, served.year, s, e) {
                return false;
            }
        }
        match served_period(self.start, self.end, self.days, served.year, served.how) {
            Ok(_) => true,
            Err(p) => {
                cells.error(row, p.column, p.message);
                false
            }
        }
    }
}

/// The header has the dates (`inizio` and `fine`) or the days (`giorni`), or both: else an
/// error at the header naming the missing date column.
fn period_columns(t: &Table, [start, end, days]: [usize; 3], diags: &mut Diagnostics) -> bool {
    if t.has(days) || (t.has(start) && t.has(end)) {
        return true;
    }
    let missing = if t.has(start) { end } else { start };
    let name = t.columns[missing].name;
    let expected: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
    diags.push(Diagnostic::error(
        Location::at(&t.file, 1, 0, Some(name.to_string())),
        format!(
            "manca la colonna \"{name}\": servono le colonne inizio e fine, oppure la colonna giorni (i giorni di servizio nell'anno); colonne attese: {}",
            expected.join(", ")
        ),
    ));
    false
}

/// The `giorni` cell: `Some(None)` when empty, a whole number of days from 0 to 366, `None`
/// when bad (reported).
fn read_days(cells: &mut Cells, row: &Row, col: usize) -> Option<Option<i64>> {
    if cells.table.cell(row, col).is_empty() {
        return Some(None);
    }
    let d = cells.number(row, col, Decimal::ZERO, Decimal::from(366))?;
    if !d.fract().is_zero() {
        let shown = cells.table.cell(row, col).to_string();
        cells.error(
            row,
            col,
            format!(
                "giorni \"{shown}\" non interi: indicare i giorni di servizio come numero intero"
            ),
        );
        return None;
    }
    d.to_i64().map(Some)
}

/// Reads `compensi.csv`: each ex-lege fee of a listed manager.
fn read_fees(ft: &Table, listed: &Listed, out: &mut Vec<Fee>) -> Diagnostics {
    let mut cells = Cells::new(ft);
    for row in &ft.rows {
        let matricola = cells.text(row, F_MATRICOLA);
        let kind = cells.text(row, F_TIPO);
        let amount = cells.amount(row, F_IMPORTO);
        let source = cells.text(row, F_FONTE);
        let (Some(matricola), Some(kind), Some(amount), Some(source)) =
            (matricola, kind, amount, source)
        else {
            continue;
        };
        if !listed.known(&mut cells, row, &matricola) {
            continue;
        }
        out.push(Fee {
            matricola,
            kind,
            amount,
            source,
            origin: ft.origin(row),
        });
    }
    cells.diags
}

/// The location of a row's cell, for messages about the row as a whole.
fn origin_loc(origin: &Origin, key: &str) -> Location {
    Location::at(&origin.file, origin.line, 0, Some(key.to_string()))
}

/// Checks the staff files against the rules and the PEG: every interim's percentage within
/// the year's national range; the declared differentiation at least the minimum of the year's
/// contract for the number of managers; every score row names a declared component; the
/// objectives component comes from exactly one place; every manager has every component and,
/// when scored from the PEG, objectives. `peg_files`: the data folder holds the PEG's files;
/// when they gave no PEG (`peg` is `None`: their errors are reported), the managers'
/// objectives are not looked for elsewhere, so that one PEG problem is not one error per
/// manager.
pub fn check_components(
    rules: &Rules,
    staff: &Staff,
    peg: Option<&Peg>,
    peg_files: bool,
) -> Diagnostics {
    let components: Vec<String> = rules
        .pay
        .components
        .iter()
        .map(|c| c.code.clone())
        .collect();
    let components = &components[..];
    // On the covered post's result quota the percentage is 0-100 (read so), not the year's
    // national range of a percentage of position pay.
    let on_result = rules.pay.interim_base == InterimBase::ResultQuota;
    let mut diags = check_interim_percents(
        &staff.interims,
        rules.interim_percent,
        (!on_result).then_some(&rules.national.interim),
    );
    diags.extend(check_art30_minimum(rules, staff.managers.len()));
    let from_peg =
        (peg.is_some() || peg_files) && components.iter().any(|c| c == OBJECTIVES_COMPONENT);
    // The evaluations, and the PEG's matricole among the managers, on two cores.
    let evaluations = || {
        let diags = check_evaluation_components(components, staff, from_peg);
        (diags, scored_components(components, staff))
    };
    let ((evaluation_diags, scored), (mut with_objectives, known)) =
        rayon::join(evaluations, || peg_managers(staff, peg));
    if peg.is_none() {
        // The PEG's files have errors: whose objectives they give is not known.
        with_objectives.fill(true);
    }
    diags.extend(evaluation_diags);
    let has = Has {
        components,
        staff,
        from_peg,
        scored,
        with_objectives,
    };
    diags.extend(missing_components(&has));
    if let Some(p) = peg {
        diags.extend(unknown_objective_managers(p, &known));
    }
    diags
}

/// Each interim's percentage (its own, or else the rules file's) must be given, and within
/// the year's national range when there is one to apply.
fn check_interim_percents(
    interims: &[Interim],
    default: Option<Decimal>,
    range: Option<&InterimRange>,
) -> Diagnostics {
    let shown = |d: Decimal| format_it(d.normalize(), 0);
    let mut diags = Diagnostics::default();
    for i in interims {
        match i.percent.or(default) {
            None => diags.push(Diagnostic::error(
                origin_loc(&i.origin, "percentuale"),
                "percentuale dell'interim mancante: indicarla qui o in [interim] percentuale nelle regole",
            )),
            Some(p) => {
                let Some(range) = range.filter(|r| p < r.min || p > r.max) else {
                    continue;
                };
                diags.push(Diagnostic::error(
                    origin_loc(&i.origin, "percentuale"),
                    format!(
                        "percentuale dell'interim {}% fuori dall'intervallo {}-{}% (fonte: {}): indicare una percentuale tra {} e {}",
                        shown(p),
                        shown(range.min),
                        shown(range.max),
                        range.source,
                        shown(range.min),
                        shown(range.max)
                    ),
                ));
            }
        }
    }
    diags
}

/// The declared differentiation's percentage at least the minimum of the year's contract
/// for an ente of `managers` managers, where it applies (a contract of the year provides it
/// and the ente is above its exclusion): a located error at the rules file's `percentuale`.
fn check_art30_minimum(rules: &Rules, managers: usize) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let (Some(a), Some(d)) = (&rules.pay.art30, &rules.national.differentiation) else {
        return diags;
    };
    let Some(minimum) = d.minimum(managers, a.c5) else {
        return diags;
    };
    if managers <= d.excluded_up_to as usize || a.percent >= minimum {
        return diags;
    }
    let shown = |d: Decimal| format_it(d.normalize(), 0);
    let (file, line) = a
        .origin
        .as_ref()
        .map_or((rules.file.as_str(), 0), |o| (&*o.file, o.line));
    diags.push(Diagnostic::error(
        Location::at(file, line, 0, Some("differenziazione.percentuale".into())),
        format!(
            "maggiorazione del {}% sotto il minimo: con {managers} dirigenti il contratto dell'anno {} chiede almeno il {}% (fonte: {}); indicare una percentuale di almeno {}",
            shown(a.percent),
            rules.national.year,
            shown(minimum),
            d.source,
            shown(minimum)
        ),
    ));
    diags
}

/// Every score row names a declared component, and not the objectives one when the PEG
/// scores it.
fn check_evaluation_components(
    components: &[String],
    staff: &Staff,
    from_peg: bool,
) -> Diagnostics {
    let declared = components.join(", ");
    let mut diags = Diagnostics::default();
    for e in &staff.evaluations {
        if !components.iter().any(|c| **c == *e.component) {
            diags.push(Diagnostic::error(
                origin_loc(&e.origin, "componente"),
                format!(
                    "componente \"{}\" non prevista dalle regole; componenti: {declared}",
                    e.component
                ),
            ));
        } else if from_peg && &*e.component == OBJECTIVES_COMPONENT {
            diags.push(Diagnostic::error(
                origin_loc(&e.origin, "componente"),
                "la componente \"obiettivi\" è calcolata da obiettivi.csv e indicatori.csv: togliere questa riga o i file del PEG",
            ));
        }
    }
    diags
}

/// The components scored for each manager, as bits of the declared components (the
/// undeclared ones are reported apart).
fn scored_components(components: &[String], staff: &Staff) -> Vec<u64> {
    let mut scored: Vec<u64> = vec![0; staff.managers.len()];
    for e in &staff.evaluations {
        if let (Some(m), Some(k)) = (
            e.manager,
            components.iter().position(|c| **c == *e.component),
        ) {
            scored[m as usize] |= 1u64 << (k % 64);
        }
    }
    scored
}

/// Each matricola of the PEG looked up once among the managers: which managers have
/// objectives, and whether each matricola of the PEG is one of them (or of the refused rows).
fn peg_managers(staff: &Staff, peg: Option<&Peg>) -> (Vec<bool>, Vec<bool>) {
    let mut with_objectives = vec![false; staff.managers.len()];
    let known: Vec<bool> = match peg {
        Some(p) => {
            let index: FxHashMap<&str, usize> = staff
                .managers
                .iter()
                .enumerate()
                .map(|(k, m)| (&*m.matricola, k))
                .collect();
            let refused: FxHashSet<&str> = staff.refused.iter().map(String::as_str).collect();
            p.matricole
                .iter()
                .map(|m| match index.get(&**m) {
                    Some(&k) => {
                        with_objectives[k] = true;
                        true
                    }
                    None => refused.contains(&**m),
                })
                .collect()
        }
        None => Vec::new(),
    };
    (with_objectives, known)
}

/// What each manager has been scored on: the declared components, the evaluations' bits of
/// them, and whether the PEG gives the manager objectives (when it scores that component).
struct Has<'a> {
    components: &'a [String],
    staff: &'a Staff,
    from_peg: bool,
    scored: Vec<u64>,
    with_objectives: Vec<bool>,
}

impl Has<'_> {
    /// Whether the `index`-th manager has the `k`-th component.
    fn component(&self, index: usize, k: usize) -> bool {
        let (components, c) = (self.components, &self.components[k]);
        if self.from_peg && c == OBJECTIVES_COMPONENT {
            return self.with_objectives[index];
        }
        // Beyond 64 components the bits repeat: then looked up one by one.
        let m = &self.staff.managers[index];
        components.len() <= 64 && self.scored[index] & (1u64 << (k % 64)) != 0
            || components.len() > 64
                && self
                    .staff
                    .evaluations
                    .iter()
                    .any(|e| e.matricola == m.matricola && *e.component == **c)
    }
}

/// Every manager not incomplete has a score of every component: from the evaluations, or
/// from the PEG's objectives.
fn missing_components(has: &Has) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for (index, m) in has.staff.managers.iter().enumerate() {
        if has.staff.incomplete.contains(&*m.matricola) {
            continue;
        }
        for (k, c) in has.components.iter().enumerate() {
            if has.component(index, k) {
                continue;
            }
            let place = if has.from_peg && c == OBJECTIVES_COMPONENT {
                OBJECTIVES_FILE
            } else {
                EVALUATIONS_FILE
            };
            diags.push(Diagnostic::error(
                origin_loc(&m.origin, "matricola"),
                format!(
                    "manca il punteggio della componente \"{c}\" per \"{}\" in {place}",
                    m.matricola
                ),
            ));
        }
    }
    diags
}

/// Every objective of the PEG is assigned to a matricola of `dirigenti.csv` (`known`, by the
/// PEG's manager index).
fn unknown_objective_managers(p: &Peg, known: &[bool]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for k in 0..p.objectives.len() {
        if !known[p.objectives[k].manager as usize] {
            let o = p.objective(k);
            diags.push(Diagnostic::error(
                origin_loc(&o.origin, "matricola"),
                format!(
                    "obiettivo \"{}\" assegnato a \"{}\", che non è in {MANAGERS_FILE}",
                    o.code, o.matricola
                ),
            ));
        }
    }
    diags
}
