//! The staff's CSV exports read into [`Staff`]: `dirigenti.csv` (managers), `valutazioni.csv`
//! (scores by component), `interim.csv` (interim assignments) and `compensi.csv` (ex-lege
//! fees), checked against each other (duplicates, unknown matricole, periods within the fund
//! year, every manager evaluated); then [`check_components`], against the rules' evaluation
//! components and the PEG.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

use super::csv::{column_index, line_error, opt, req, Cells, Column, CsvOptions, Row, Table};
use super::{EVALUATIONS_FILE, MANAGERS_FILE, OBJECTIVES_FILE};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::peg::Peg;
use crate::staff::{Evaluation, Fee, Interim, Manager, Staff, OBJECTIVES_COMPONENT};
use crate::trail::Origin;

/// A manager's row that was refused (in [`Listed`]).
const NONE: u32 = u32::MAX;

pub const MANAGER_COLUMNS: &[Column] = &[
    req("matricola"),
    req("nome"),
    req("incarico"),
    req("retribuzione_posizione"),
    opt("punti_pesatura"),
    req("inizio"),
    req("fine"),
];
pub const EVALUATION_COLUMNS: &[Column] = &[req("matricola"), req("componente"), req("punteggio")];
const M_MATRICOLA: usize = column_index(MANAGER_COLUMNS, "matricola");
const M_NOME: usize = column_index(MANAGER_COLUMNS, "nome");
const M_INCARICO: usize = column_index(MANAGER_COLUMNS, "incarico");
const M_RETRIBUZIONE: usize = column_index(MANAGER_COLUMNS, "retribuzione_posizione");
const M_PUNTI: usize = column_index(MANAGER_COLUMNS, "punti_pesatura");
const M_INIZIO: usize = column_index(MANAGER_COLUMNS, "inizio");
const M_FINE: usize = column_index(MANAGER_COLUMNS, "fine");
const E_MATRICOLA: usize = column_index(EVALUATION_COLUMNS, "matricola");
const E_COMPONENTE: usize = column_index(EVALUATION_COLUMNS, "componente");
const E_PUNTEGGIO: usize = column_index(EVALUATION_COLUMNS, "punteggio");
pub const INTERIM_COLUMNS: &[Column] = &[
    req("matricola"),
    req("incarico_coperto"),
    req("retribuzione_posizione_incarico"),
    req("inizio"),
    req("fine"),
    opt("percentuale"),
];
pub const FEE_COLUMNS: &[Column] = &[req("matricola"), req("tipo"), req("importo"), req("fonte")];

/// The matricole of `dirigenti.csv`: each one's line and position among the managers
/// (`NONE` for a refused row).
type Listed<'t> = FxHashMap<&'t str, (usize, u32)>;

/// A row that names a manager must name one of `dirigenti.csv`; otherwise a located error.
fn known_manager(
    cells: &mut Cells,
    row: &Row,
    matricola: &str,
    managers: &Listed,
    managers_file: &str,
) -> bool {
    let known = managers.contains_key(matricola);
    if !known {
        cells.error(
            row,
            "matricola",
            format!("matricola \"{matricola}\" assente da {managers_file}"),
        );
    }
    known
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
                    d.format("%d/%m/%Y")
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
                end.format("%d/%m/%Y"),
                start.format("%d/%m/%Y")
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
    year: i32,
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
    let (Some(mt), Some(et)) = (mt, et) else {
        return (None, diags);
    };
    let mut staff = Staff::default();

    let mut cells = Cells::new(&mt);
    // Every matricola of the file: its line, and its position in `staff.managers` (`NONE`
    // for a refused row).
    let mut seen: Listed = FxHashMap::default();
    // Rows refused after their matricola was read: still "listed" for the other files.
    let mut refused: Vec<&str> = Vec::new();
    seen.reserve(mt.rows.len());
    staff.managers.reserve(mt.rows.len());
    for row in &mt.rows {
        let matricola = cells.required(row, M_MATRICOLA);
        let name = cells.text(row, M_NOME);
        let post = cells.text(row, M_INCARICO);
        let pay = cells.amount(row, M_RETRIBUZIONE);
        let points = if mt.cell(row, M_PUNTI).is_empty() {
            None
        } else {
            cells.number(row, M_PUNTI, Decimal::ZERO, Decimal::from(1_000_000))
        };
        let start = cells.date(row, M_INIZIO);
        let end = cells.date(row, M_FINE);
        let slot = match matricola.map(|m| (m, seen.entry(m))) {
            Some((m, std::collections::hash_map::Entry::Occupied(e))) => {
                let first = e.get().0;
                cells.error(
                    row,
                    M_MATRICOLA,
                    format!("matricola \"{m}\" già presente alla riga {first}"),
                );
                continue;
            }
            Some((_, std::collections::hash_map::Entry::Vacant(e))) => Some(e),
            None => None,
        };
        let (Some(matricola), Some(name), Some(post), Some(pay), Some(start), Some(end)) =
            (matricola, name, post, pay, start, end)
        else {
            if let Some(e) = slot {
                e.insert((row.line, NONE));
            }
            refused.extend(matricola);
            continue;
        };
        if !check_period(&mut cells, row, year, start, end) {
            if let Some(e) = slot {
                e.insert((row.line, NONE));
            }
            refused.push(matricola);
            continue;
        }
        if let Some(e) = slot {
            e.insert((row.line, staff.managers.len() as u32));
        }
        staff.managers.push(Manager {
            matricola: matricola.into(),
            name: name.into(),
            post: post.into(),
            yearly_position_pay: pay,
            grading_points: points,
            start,
            end,
            origin: mt.origin(row),
        });
    }
    diags.extend(cells.diags);

    let mut cells = Cells::new(&et);
    let mut names: Vec<Arc<str>> = Vec::new();
    // Whether each manager is named in the file (by a row valid or not): the later checks
    // must not add "not evaluated" or "missing score" on top of the row's own error.
    let mut named = vec![false; staff.managers.len()];
    // The components already scored for each manager, as bits of `names`; pairs beyond 64
    // names, or of a refused manager's row, by code.
    let mut scored = vec![0u64; staff.managers.len()];
    let mut other_pairs: FxHashMap<(&str, usize), usize> = FxHashMap::default();
    // The first line of each (manager, component), made only when a pair repeats.
    let mut first_lines: Option<FxHashMap<(u32, usize), usize>> = None;
    staff.evaluations.reserve(et.rows.len());
    for row in &et.rows {
        let raw = et.cell(row, E_MATRICOLA);
        let listed = seen.get(raw).copied();
        if let Some((_, k)) = listed.filter(|l| l.1 != NONE) {
            named[k as usize] = true;
        }
        let matricola = cells.required(row, E_MATRICOLA);
        let component = cells.required(row, E_COMPONENTE);
        let score = cells.number(row, E_PUNTEGGIO, Decimal::ZERO, Decimal::ONE_HUNDRED);
        let (Some(matricola), Some(component), Some(score)) = (matricola, component, score) else {
            staff.incomplete.insert(raw.to_string());
            continue;
        };
        let listed = if matricola == raw {
            listed
        } else {
            seen.get(matricola).copied()
        };
        let Some((_, manager)) = listed else {
            cells.error(
                row,
                E_MATRICOLA,
                format!(
                    "matricola \"{matricola}\" valutata ma assente da {}",
                    mt.file
                ),
            );
            continue;
        };
        // Components are compared lowercase: borrowed from the table when already so.
        let component = if component.chars().any(char::is_uppercase) {
            std::borrow::Cow::Owned(component.to_lowercase())
        } else {
            std::borrow::Cow::Borrowed(component)
        };
        let c = match names.iter().position(|n| **n == *component) {
            Some(c) => c,
            None => {
                names.push(component.as_ref().into());
                names.len() - 1
            }
        };
        let repeated = if manager != NONE && c < 64 {
            let bits = &mut scored[manager as usize];
            let repeated = *bits & (1 << c) != 0;
            *bits |= 1 << c;
            repeated.then(|| {
                let lines = first_lines.get_or_insert_with(|| {
                    let mut m = FxHashMap::default();
                    for e in &staff.evaluations {
                        if let (Some(k), Some(c)) = (
                            e.manager,
                            names.iter().position(|n| Arc::ptr_eq(n, &e.component)),
                        ) {
                            m.entry((k, c)).or_insert(e.origin.line);
                        }
                    }
                    m
                });
                lines.get(&(manager, c)).copied().unwrap_or_default()
            })
        } else {
            match other_pairs.entry((matricola, c)) {
                std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(row.line);
                    None
                }
            }
        };
        if let Some(first) = repeated {
            cells.error(
                row,
                E_COMPONENTE,
                format!(
                    "componente \"{}\" già valutata per \"{matricola}\" alla riga {first}",
                    names[c]
                ),
            );
            continue;
        }
        // The manager's matricola and the component's name are shared, not copied.
        let (shared, manager) = match manager {
            NONE => (matricola.into(), None),
            k => (staff.managers[k as usize].matricola.clone(), Some(k)),
        };
        if let (Some(lines), Some(k)) = (&mut first_lines, manager) {
            lines.entry((k, c)).or_insert(row.line);
        }
        staff.evaluations.push(Evaluation {
            matricola: shared,
            component: names[c].clone(),
            score,
            origin: et.origin(row),
            manager,
        });
    }
    diags.extend(cells.diags);
    let mut not_evaluated = Vec::new();
    for (k, m) in staff.managers.iter().enumerate() {
        if !named[k] {
            not_evaluated.push(m.matricola.to_string());
            let line = m.origin.line;
            diags.push(line_error(
                &mt.file,
                line,
                format!(
                    "il dirigente \"{}\" non ha valutazioni in {}",
                    m.matricola, et.file
                ),
            ));
        }
    }
    staff.incomplete.extend(not_evaluated);

    if let Some(it) = &it {
        let mut cells = Cells::new(it);
        for row in &it.rows {
            let matricola = cells.text(row, "matricola");
            let post = cells.text(row, "incarico_coperto");
            let pay = cells.amount(row, "retribuzione_posizione_incarico");
            let start = cells.date(row, "inizio");
            let end = cells.date(row, "fine");
            let percent = if it.cell(row, "percentuale").is_empty() {
                Some(None)
            } else {
                cells
                    .number(row, "percentuale", Decimal::ZERO, Decimal::ONE_HUNDRED)
                    .map(Some)
            };
            let (Some(matricola), Some(post), Some(pay), Some(start), Some(end), Some(percent)) =
                (matricola, post, pay, start, end, percent)
            else {
                continue;
            };
            if !known_manager(&mut cells, row, &matricola, &seen, &mt.file) {
                continue;
            }
            if !check_period(&mut cells, row, year, start, end) {
                continue;
            }
            staff.interims.push(Interim {
                matricola,
                covered_post: post,
                covered_position_pay: pay,
                start,
                end,
                percent,
                origin: it.origin(row),
            });
        }
        diags.extend(cells.diags);
    }

    if let Some(ft) = &ft {
        let mut cells = Cells::new(ft);
        for row in &ft.rows {
            let matricola = cells.text(row, "matricola");
            let kind = cells.text(row, "tipo");
            let amount = cells.amount(row, "importo");
            let source = cells.text(row, "fonte");
            let (Some(matricola), Some(kind), Some(amount), Some(source)) =
                (matricola, kind, amount, source)
            else {
                continue;
            };
            if !known_manager(&mut cells, row, &matricola, &seen, &mt.file) {
                continue;
            }
            staff.fees.push(Fee {
                matricola,
                kind,
                amount,
                source,
                origin: ft.origin(row),
            });
        }
        diags.extend(cells.diags);
    }

    staff.refused = refused.into_iter().map(String::from).collect();
    (Some(staff), diags)
}

/// The location of a row's cell, for messages about the row as a whole.
fn origin_loc(origin: &Origin, key: &str) -> Location {
    Location::at(&origin.file, origin.line, 0, Some(key.to_string()))
}

/// Checks the staff files against the declared evaluation components and the PEG: every
/// score row names a declared component; the objectives component comes from exactly one
/// place; every manager has every component and, when scored from the PEG, objectives.
pub fn check_components(
    components: &[String],
    interim_default: Option<Decimal>,
    staff: &Staff,
    peg: Option<&Peg>,
) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for i in &staff.interims {
        match i.percent.or(interim_default) {
            None => diags.push(Diagnostic::error(
                origin_loc(&i.origin, "percentuale"),
                "percentuale dell'interim mancante: indicarla qui o in [interim] percentuale nelle regole",
            )),
            Some(p) if p < Decimal::from(15) || p > Decimal::from(30) => diags.push(Diagnostic::error(
                origin_loc(&i.origin, "percentuale"),
                format!(
                    "percentuale dell'interim {}% fuori dall'intervallo 15-30% (CCNL 17/12/2020 art. 58)",
                    crate::money::format_it(p.normalize(), 0)
                ),
            )),
            Some(_) => {}
        }
    }
    let declared = components.join(", ");
    let from_peg = peg.is_some() && components.iter().any(|c| c == OBJECTIVES_COMPONENT);
    // The evaluations, and the PEG's matricole among the managers, on two cores.
    let evaluations = || {
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
        // The components scored for each manager, as bits of the declared components (the
        // undeclared ones are reported above).
        let mut scored: Vec<u64> = vec![0; staff.managers.len()];
        for e in &staff.evaluations {
            if let (Some(m), Some(k)) = (
                e.manager,
                components.iter().position(|c| **c == *e.component),
            ) {
                scored[m as usize] |= 1u64 << (k % 64);
            }
        }
        (diags, scored)
    };
    // Each matricola of the PEG looked up once among the managers: whether it is one of
    // them (or of the refused rows), and which managers have objectives.
    let in_peg = || {
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
    };
    let ((evaluation_diags, scored), (with_objectives, known)) = rayon::join(evaluations, in_peg);
    diags.extend(evaluation_diags);
    for (index, m) in staff.managers.iter().enumerate() {
        if staff.incomplete.contains(&*m.matricola) {
            continue;
        }
        let bits = scored[index];
        for (k, c) in components.iter().enumerate() {
            let has = if from_peg && c == OBJECTIVES_COMPONENT {
                with_objectives[index]
            } else {
                // Beyond 64 components the bits repeat: then looked up one by one.
                components.len() <= 64 && bits & (1u64 << (k % 64)) != 0
                    || components.len() > 64
                        && staff
                            .evaluations
                            .iter()
                            .any(|e| e.matricola == m.matricola && *e.component == **c)
            };
            if !has {
                let place = if from_peg && c == OBJECTIVES_COMPONENT {
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
    }
    if let Some(p) = peg {
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
    }
    diags
}
