//! The year's CSV inputs (*dati*) read into validated records: PEG objectives and indicators,
//! managers, interim assignments, evaluations and ex-lege fees. Cross-file checks (unknown
//! codes, duplicates, weights) live here; every problem carries its file, row and column.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::csvin::{decode, opt, req, Cells, Column, CsvOptions, Origin, Seen, Table, TableReader};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::money::Money;
use crate::peg::measure::{read_measure, Measure};
use crate::peg::target::{read_target, Direction, Target, TargetKind};

/// File names inside the data folder.
pub const OBJECTIVES_FILE: &str = "obiettivi.csv";
pub const INDICATORS_FILE: &str = "indicatori.csv";
pub const MANAGERS_FILE: &str = "dirigenti.csv";
pub const EVALUATIONS_FILE: &str = "valutazioni.csv";
pub const INTERIM_FILE: &str = "interim.csv";
pub const FEES_FILE: &str = "compensi.csv";
/// Every file a data folder may hold.
pub const ALL_FILES: [&str; 6] = [
    OBJECTIVES_FILE,
    INDICATORS_FILE,
    MANAGERS_FILE,
    EVALUATIONS_FILE,
    INTERIM_FILE,
    FEES_FILE,
];

pub const OBJECTIVE_COLUMNS: &[Column] =
    &[req("codice"), req("matricola"), req("titolo"), req("peso")];
pub const INDICATOR_COLUMNS: &[Column] = &[
    req("obiettivo"),
    req("descrizione"),
    req("peso"),
    req("target"),
    opt("misurato"),
    opt("direzione"),
    opt("raggiungimento_manuale"),
    opt("motivazione"),
];

/// How weights that do not add up to 100 are treated (*regola dei pesi*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WeightRule {
    /// `somma_100`: an error.
    #[default]
    MustSum100,
    /// `normalizza`: weights are used in proportion, with a warning.
    Normalize,
}

/// A PEG objective (*obiettivo*) assigned to a manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objective {
    /// Shared with the objective's indicators and results.
    pub code: Arc<str>,
    pub matricola: Arc<str>,
    pub title: Arc<str>,
    pub weight: Decimal,
    pub origin: Origin,
}

/// What an indicator's attainment comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndicatorValue {
    /// The measured value, read against the target.
    Measured { text: Arc<str>, value: Measure },
    /// A manual attainment; boxed, as few rows have one.
    Manual(Box<ManualAttainment>),
}

/// A manual attainment (0-100) with its reason (*raggiungimento manuale*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualAttainment {
    pub attainment: Decimal,
    pub reason: String,
    /// The measured value, when the row has one as well.
    pub measured: Option<String>,
}

/// A PEG indicator (*indicatore*) of an objective.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// The objective's code, shared with the other indicators of the objective.
    pub objective: Arc<str>,
    /// Shared by the rows with the same description.
    pub description: Arc<str>,
    pub weight: Decimal,
    /// Shared by the indicators with the same target text, description and direction.
    pub target: Arc<Target>,
    pub value: IndicatorValue,
    pub origin: Origin,
    /// Row number among the objective's indicators, 1-based, for codes like `OB1/2`.
    pub number: usize,
}

impl Indicator {
    /// The measured value as written (empty for a manual attainment without one).
    pub fn measured_text(&self) -> &str {
        match &self.value {
            IndicatorValue::Measured { text, .. } => text,
            IndicatorValue::Manual(m) => m.measured.as_deref().unwrap_or(""),
        }
    }
}

/// PEG inputs, validated.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Peg {
    pub objectives: Vec<Objective>,
    pub indicators: Vec<Indicator>,
}

fn err(file: &str, line: usize, msg: String) -> Diagnostic {
    Diagnostic::error(Location::at(file, line, 0, None), msg)
}

/// Checks that the weights of a group, summed to `sum`, add to 100 (or warns and normalises,
/// per the rule). `what` names the group; it is built only for a message.
pub fn check_weights(
    diags: &mut Diagnostics,
    file: &str,
    line: usize,
    what: impl FnOnce() -> String,
    sum: Decimal,
    rule: WeightRule,
) {
    if sum == Decimal::ONE_HUNDRED {
        return;
    }
    let what = what();
    let total = crate::money::format_it(sum.normalize(), 0);
    match rule {
        WeightRule::MustSum100 => diags.push(err(
            file,
            line,
            format!("i pesi {what} sommano a {total}, non a 100 (regola dei pesi: somma_100)"),
        )),
        WeightRule::Normalize if sum.is_zero() => diags.push(err(file, line, format!("i pesi {what} sono tutti zero"))),
        WeightRule::Normalize => diags.push(Diagnostic::warning(
            Location::at(file, line, 0, None),
            format!("i pesi {what} sommano a {total}: usati in proporzione (regola dei pesi: normalizza)"),
        )),
    }
}

/// Indicator rows checked per parallel task: large enough that joining costs nothing.
const INDICATOR_CHUNK: usize = 8_192;
/// Runs read while the previous ones are checked: bounds the rows held as text.
const INDICATOR_WAVE: usize = 4;

/// The indicators of one objective, for the weights check.
#[derive(Default)]
struct Group {
    /// Rows as written, valid or not.
    rows: usize,
    first_line: usize,
    /// Valid indicators and the sum of their weights.
    valid: usize,
    sum: Decimal,
}

/// Validates a run of indicator rows (one chunk of the file): the indicators read and the
/// problems found, in row order, and the rows and weights met per objective. `codes` holds the
/// objective codes of the objectives' file.
fn read_indicator_rows<'o>(
    it: &Table,
    codes: &FxHashMap<&'o str, Arc<str>>,
    objectives_file: &str,
) -> (Vec<Indicator>, Diagnostics, FxHashMap<&'o str, Group>) {
    let mut groups: FxHashMap<&'o str, Group> = FxHashMap::default();
    let mut cells = Cells::bare(it);
    let rows = &it.rows;
    let mut indicators: Vec<Indicator> = Vec::with_capacity(rows.len());
    // Real PEG sheets repeat the same targets ("100%", "SI", "entro il 31.12"): each
    // distinct (target, description, direction) is read once and shared.
    type TargetKey<'a> = (&'a str, &'a str, Option<Direction>);
    let mut targets: FxHashMap<TargetKey, (Arc<Target>, Arc<str>)> = FxHashMap::default();
    let mut measures: FxHashMap<&str, (Arc<str>, Measure)> = FxHashMap::default();
    for row in rows {
        let errors_before = cells.diags.errors();
        let objective = cells.required(row, "obiettivo");
        let description = cells.required(row, "descrizione");
        let weight = cells.number(row, "peso", Decimal::ZERO, Decimal::ONE_HUNDRED);
        let target_text = cells.required(row, "target");
        let known = objective.and_then(|o| codes.get_key_value(o));
        let group = known.map(|(&k, _)| {
            let g = groups.entry(k).or_default();
            if g.rows == 0 {
                g.first_line = row.line;
            }
            g.rows += 1;
            k
        });
        let code = known.map(|(_, c)| c);
        if let Some(o) = objective {
            if code.is_none() {
                cells.error(
                    row,
                    "obiettivo",
                    format!(
                        "obiettivo \"{o}\" sconosciuto: non è in {}",
                        objectives_file
                    ),
                );
            }
        }
        let direction = match it.cell(row, "direzione") {
            "" => None,
            d if d.eq_ignore_ascii_case("crescente") => Some(Direction::Higher),
            d if d.eq_ignore_ascii_case("decrescente") => Some(Direction::Lower),
            other => {
                let other = other.to_lowercase();
                cells.error(
                    row,
                    "direzione",
                    format!("direzione \"{other}\" sconosciuta; ammesse: crescente, decrescente (o vuota)"),
                );
                None
            }
        };
        let manual_text = it.cell(row, "raggiungimento_manuale");
        let manual = if manual_text.is_empty() {
            None
        } else {
            cells.number(
                row,
                "raggiungimento_manuale",
                Decimal::ZERO,
                Decimal::ONE_HUNDRED,
            )
        };
        let reason = cells.opt_text(row, "motivazione");
        let measured_text = it.cell(row, "misurato");
        let (Some(objective), Some(description), Some(weight), Some(target_text)) =
            (code, description, weight, target_text)
        else {
            continue;
        };
        let (target, description) = targets
            .entry((target_text, description, direction))
            .or_insert_with(|| {
                let t = read_target(target_text, description);
                let t = match direction {
                    Some(d) => t.with_direction(d),
                    None => t,
                };
                (Arc::new(t), description.into())
            })
            .clone();
        let objective = objective.clone();
        let value = match (manual, manual_text.is_empty()) {
            (Some(attainment), _) => {
                let Some(reason) = reason else {
                    cells.error(
                        row,
                        "motivazione",
                        "raggiungimento manuale senza motivazione: indicare chi lo ha stabilito e perché",
                    );
                    continue;
                };
                IndicatorValue::Manual(Box::new(ManualAttainment {
                    attainment,
                    reason,
                    measured: (!measured_text.is_empty()).then(|| measured_text.to_string()),
                }))
            }
            (None, false) => continue, // bad manual value, already reported
            (None, true) => {
                if target.kind == TargetKind::Manual {
                    cells.error(
                        row,
                        "raggiungimento_manuale",
                        format!(
                            "target \"{}\" da valutare ({}): indicare il raggiungimento manuale (0-100) e la motivazione",
                            target_text,
                            target.reason.clone().unwrap_or_default()
                        ),
                    );
                    continue;
                }
                if measured_text.is_empty() {
                    cells.error(row, "misurato", "valore misurato mancante: indicarlo, oppure il raggiungimento manuale con la motivazione");
                    continue;
                }
                // Measured values repeat too ("100%", "SI"): read once per run of rows.
                let read = match measures.get(measured_text) {
                    Some(known) => Ok(known.clone()),
                    None => read_measure(measured_text).map(|m| {
                        let text: Arc<str> = measured_text.into();
                        measures.insert(measured_text, (text.clone(), m));
                        (text, m)
                    }),
                };
                match read {
                    Ok((text, value)) => IndicatorValue::Measured { text, value },
                    Err(e) => {
                        cells.error(row, "misurato", e.to_string());
                        continue;
                    }
                }
            }
        };
        if cells.diags.errors() > errors_before {
            continue; // a row with a bad cell is not scored
        }
        if let Some(g) = group.and_then(|k| groups.get_mut(k)) {
            g.valid += 1;
            g.sum += weight;
        }
        indicators.push(Indicator {
            objective,
            description,
            weight,
            target,
            value,
            origin: it.origin(row),
            number: 0, // numbered in file order by the caller
        });
    }
    (indicators, cells.diags, groups)
}

/// Reads the objectives and indicators files (bytes as loaded) into validated PEG inputs.
pub fn read_peg(
    objectives: (&str, &[u8]),
    indicators: (&str, &[u8]),
    weights: WeightRule,
    opts: CsvOptions,
) -> Result<(Peg, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let indicators_file = indicators.0;
    // The objectives' file is read whole; the indicators' file, the large one, is checked a
    // run of rows at a time while the next run is read.
    let (ot, itext) = rayon::join(
        || Table::parse(objectives.0, objectives.1, OBJECTIVE_COLUMNS, opts),
        || decode(indicators.0, indicators.1, opts),
    );
    let ireader = match &itext {
        Ok((text, notes)) => {
            TableReader::open(indicators.0, text, notes.clone(), INDICATOR_COLUMNS, opts)
        }
        Err(d) => Err(d.clone()),
    };
    let (ot, mut ireader) = match (ot, ireader) {
        (Ok(o), Ok(i)) if !i.diags.has_errors() => (o, i),
        (o, i) => {
            if let Err(d) = o {
                diags.extend(d);
            }
            match i {
                Err(d) => diags.extend(d),
                // Every syntax problem of the file is still reported.
                Ok(mut r) => {
                    while r.next_rows(INDICATOR_CHUNK).is_some() {}
                    diags.extend(r.diags);
                }
            }
            return Err(diags);
        }
    };

    let read_wave = |r: &mut TableReader| -> Vec<Table> {
        (0..INDICATOR_WAVE)
            .map_while(|_| r.next_rows(INDICATOR_CHUNK))
            .collect()
    };
    // The objectives are checked while the first indicator rows are read.
    let read_objectives = || {
        let mut cells = Cells::new(&ot);
        let mut objectives = Vec::with_capacity(ot.rows.len());
        let mut seen = Seen::default();
        for row in &ot.rows {
            let code = cells.required(row, "codice");
            let matricola = cells.required(row, "matricola");
            let title = cells.required(row, "titolo");
            let weight = cells.number(row, "peso", Decimal::ZERO, Decimal::ONE_HUNDRED);
            if let Some(c) = code {
                if !cells.first_occurrence(row, "codice", c, &mut seen, "codice obiettivo") {
                    continue;
                }
            }
            if let (Some(code), Some(matricola), Some(title), Some(weight)) =
                (code, matricola, title, weight)
            {
                objectives.push(Objective {
                    code: code.into(),
                    matricola: matricola.into(),
                    title: title.into(),
                    weight,
                    origin: ot.origin(row),
                });
            }
        }
        (objectives, cells.diags)
    };
    let ((objectives, objective_diags), mut wave) =
        rayon::join(read_objectives, || read_wave(&mut ireader));
    diags.extend(objective_diags);

    // Rows are checked in parallel runs; the results are joined in file order, so the
    // problems come out in the same order as from one pass.
    let codes: FxHashMap<&str, Arc<str>> = objectives
        .iter()
        .map(|o| (&*o.code, o.code.clone()))
        .collect();
    // Per objective: rows as written (valid or not) and weights of the valid indicators.
    let mut groups: FxHashMap<&str, Group> = FxHashMap::default();
    let mut indicators: Vec<Indicator> = Vec::with_capacity(ireader.lines);
    let mut row_diags = Diagnostics::default();
    while !wave.is_empty() {
        let (results, next) = rayon::join(
            || {
                wave.par_iter()
                    .map(|t| read_indicator_rows(t, &codes, &ot.file))
                    .collect::<Vec<_>>()
            },
            || read_wave(&mut ireader),
        );
        for (mut part, d, local) in results {
            // Runs are merged in file order: the first run with an objective has its first line.
            for (code, g) in local {
                let e = groups.entry(code).or_default();
                if e.rows == 0 {
                    e.first_line = g.first_line;
                }
                e.rows += g.rows;
                e.valid += g.valid;
                e.sum += g.sum;
            }
            indicators.append(&mut part);
            row_diags.extend(d);
        }
        wave = next;
    }
    if ireader.diags.has_errors() {
        return Err(ireader.diags);
    }
    diags.extend(ireader.notes);
    diags.extend(row_diags);
    // Each indicator's number among its objective's, in file order (`OB1/2`).
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    for i in &mut indicators {
        let n = counts.entry(&*i.objective).or_default();
        *n += 1;
        i.number = *n;
    }

    // Weights: indicators within each objective, objectives within each manager.
    for o in &objectives {
        match groups.get(&*o.code) {
            None => diags.push(err(
                &ot.file,
                o.origin.line,
                format!(
                    "l'obiettivo \"{}\" non ha indicatori in {}",
                    o.code, indicators_file
                ),
            )),
            // Only a complete group: refused rows would make the sum misleading.
            Some(g) if g.valid == g.rows => {
                let what = || format!("degli indicatori dell'obiettivo \"{}\"", o.code);
                check_weights(
                    &mut diags,
                    indicators_file,
                    g.first_line,
                    what,
                    g.sum,
                    weights,
                );
            }
            Some(_) => {}
        }
    }
    // Per manager, reported in order of matricola.
    let mut by_manager: FxHashMap<&str, (usize, Decimal)> = FxHashMap::default();
    for o in &objectives {
        by_manager
            .entry(&*o.matricola)
            .or_insert((o.origin.line, Decimal::ZERO))
            .1 += o.weight;
    }
    let mut by_manager: Vec<(&str, (usize, Decimal))> = by_manager.into_iter().collect();
    by_manager.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (m, (line, sum)) in by_manager {
        let what = || format!("degli obiettivi della matricola \"{m}\"");
        check_weights(&mut diags, &ot.file, line, what, sum, weights);
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((
        Peg {
            objectives,
            indicators,
        },
        diags,
    ))
}

/// A managers' file row (*dirigente*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manager {
    pub matricola: String,
    pub name: String,
    pub post: String,
    pub yearly_position_pay: Money,
    pub grading_points: Option<Decimal>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub origin: Origin,
}

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
pub const INTERIM_COLUMNS: &[Column] = &[
    req("matricola"),
    req("incarico_coperto"),
    req("retribuzione_posizione_incarico"),
    req("inizio"),
    req("fine"),
    opt("percentuale"),
];
pub const FEE_COLUMNS: &[Column] = &[req("matricola"), req("tipo"), req("importo"), req("fonte")];

/// An evaluation score of one component (*punteggio di una componente della valutazione*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub matricola: String,
    pub component: String,
    pub score: Decimal,
    pub origin: Origin,
}

/// An interim assignment (*incarico ad interim*, CCNL 2020 art. 58).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interim {
    pub matricola: String,
    pub covered_post: String,
    pub covered_position_pay: Money,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The CSV's percentage; `None` means the rules file's `[interim] percentuale`.
    pub percent: Option<Decimal>,
    pub origin: Origin,
}

/// A fee paid under a specific law (*compenso ex lege*, CCNL 2020 art. 60).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fee {
    pub matricola: String,
    pub kind: String,
    pub amount: Money,
    pub source: String,
    pub origin: Origin,
}

/// The staff inputs of one year, validated against each other.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Staff {
    pub managers: Vec<Manager>,
    /// Every matricola of `dirigenti.csv`, valid row or not: a reference to one of these is
    /// not "unknown" even when its row had a problem.
    pub listed: BTreeSet<String>,
    /// Matricole with a refused row in `valutazioni.csv`: their missing scores are that row's
    /// problem, already reported.
    pub incomplete: BTreeSet<String>,
    pub evaluations: Vec<Evaluation>,
    pub interims: Vec<Interim>,
    pub fees: Vec<Fee>,
}

/// A row that names a manager must name one of `dirigenti.csv`; otherwise a located error.
fn known_manager(
    cells: &mut Cells,
    row: &crate::csvin::Row,
    matricola: &str,
    managers: &Seen,
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
fn check_period(
    cells: &mut Cells,
    row: &crate::csvin::Row,
    year: i32,
    start: NaiveDate,
    end: NaiveDate,
) -> bool {
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
pub fn read_staff(
    year: i32,
    managers: (&str, &[u8]),
    evaluations: (&str, &[u8]),
    interims: Option<(&str, &[u8])>,
    fees: Option<(&str, &[u8])>,
    opts: CsvOptions,
) -> (Option<Staff>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut parse =
        |f: (&str, &[u8]), cols: &'static [Column]| match Table::parse(f.0, f.1, cols, opts) {
            Ok(t) => Some(t),
            Err(d) => {
                diags.extend(d);
                None
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
    let mut seen = Seen::default();
    for row in &mt.rows {
        let matricola = cells.text(row, "matricola");
        let name = cells.text(row, "nome");
        let post = cells.text(row, "incarico");
        let pay = cells.amount(row, "retribuzione_posizione");
        let points = if mt.cell(row, "punti_pesatura").is_empty() {
            None
        } else {
            cells.number(
                row,
                "punti_pesatura",
                Decimal::ZERO,
                Decimal::from(1_000_000),
            )
        };
        let start = cells.date(row, "inizio");
        let end = cells.date(row, "fine");
        if let Some(m) = &matricola {
            if !cells.first_occurrence(row, "matricola", m, &mut seen, "matricola") {
                continue;
            }
        }
        let (Some(matricola), Some(name), Some(post), Some(pay), Some(start), Some(end)) =
            (matricola, name, post, pay, start, end)
        else {
            continue;
        };
        if !check_period(&mut cells, row, year, start, end) {
            continue;
        }
        staff.managers.push(Manager {
            matricola,
            name,
            post,
            yearly_position_pay: pay,
            grading_points: points,
            start,
            end,
            origin: mt.origin(row),
        });
    }
    diags.extend(cells.diags);

    let mut cells = Cells::new(&et);
    let mut pairs: FxHashMap<(String, String), usize> = FxHashMap::default();
    // Every matricola named in the file, and those with a refused row: the later checks must
    // not add "not evaluated" or "missing score" on top of the row's own error.
    let mut named: FxHashSet<&str> = FxHashSet::default();
    for row in &et.rows {
        let raw = et.cell(row, "matricola");
        let matricola = cells.text(row, "matricola");
        let component = cells.text(row, "componente").map(|c| c.to_lowercase());
        let score = cells.number(row, "punteggio", Decimal::ZERO, Decimal::ONE_HUNDRED);
        named.insert(raw);
        let (Some(matricola), Some(component), Some(score)) = (matricola, component, score) else {
            staff.incomplete.insert(raw.to_string());
            continue;
        };
        if !seen.contains_key(&matricola) {
            cells.error(
                row,
                "matricola",
                format!(
                    "matricola \"{matricola}\" valutata ma assente da {}",
                    mt.file
                ),
            );
            continue;
        }
        if let Some(first) = pairs.get(&(matricola.clone(), component.clone())) {
            cells.error(
                row,
                "componente",
                format!(
                    "componente \"{component}\" già valutata per \"{matricola}\" alla riga {first}"
                ),
            );
            continue;
        }
        pairs.insert((matricola.clone(), component.clone()), row.line);
        staff.evaluations.push(Evaluation {
            matricola,
            component,
            score,
            origin: et.origin(row),
        });
    }
    diags.extend(cells.diags);
    let mut not_evaluated = Vec::new();
    for m in &staff.managers {
        if !named.contains(m.matricola.as_str()) {
            not_evaluated.push(m.matricola.clone());
            let line = m.origin.line;
            diags.push(err(
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

    staff.listed = seen.into_keys().collect();
    (Some(staff), diags)
}

/// The component scored from the PEG objectives rather than read from `valutazioni.csv`.
pub const OBJECTIVES_COMPONENT: &str = "obiettivi";

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
    for e in &staff.evaluations {
        if !components.contains(&e.component) {
            diags.push(Diagnostic::error(
                origin_loc(&e.origin, "componente"),
                format!(
                    "componente \"{}\" non prevista dalle regole; componenti: {declared}",
                    e.component
                ),
            ));
        } else if from_peg && e.component == OBJECTIVES_COMPONENT {
            diags.push(Diagnostic::error(
                origin_loc(&e.origin, "componente"),
                "la componente \"obiettivi\" è calcolata da obiettivi.csv e indicatori.csv: togliere questa riga o i file del PEG",
            ));
        }
    }
    let scored: FxHashSet<(&str, &str)> = staff
        .evaluations
        .iter()
        .map(|e| (e.matricola.as_str(), e.component.as_str()))
        .collect();
    let with_objectives: FxHashSet<&str> = peg
        .map(|p| p.objectives.iter().map(|o| &*o.matricola).collect())
        .unwrap_or_default();
    let managers: FxHashSet<&str> = staff.listed.iter().map(String::as_str).collect();
    for m in staff
        .managers
        .iter()
        .filter(|m| !staff.incomplete.contains(&m.matricola))
    {
        for c in components {
            let has = if from_peg && c == OBJECTIVES_COMPONENT {
                with_objectives.contains(m.matricola.as_str())
            } else {
                scored.contains(&(m.matricola.as_str(), c.as_str()))
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
        for o in &p.objectives {
            if !managers.contains(&*o.matricola) {
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
