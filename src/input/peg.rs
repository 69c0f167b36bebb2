//! The PEG's two CSV exports read into [`Peg`]: `obiettivi.csv` (codes, managers, titles,
//! weights) and `indicatori.csv` (targets, measured values or manual attainments, weights),
//! with the cross-file checks (unknown or repeated codes, objectives without indicators, the
//! weights of each objective and of each manager). The indicators' file is read in pieces by
//! [`pieces`]: its blocks' rows are checked here (`read_indicator_rows`) and gathered into
//! the PEG in file order (`Indicators`).
//!
//! Targets are read in the fund's year ([`PegSettings::year`]: `entro il 30/06`), each with
//! its row's starting value when the optional column `valore_iniziale` has one
//! ([`Target::with_baseline`]: `riduzione del 10%`).
//!
//! A new column of `indicatori.csv` touches three places: its declaration in
//! [`INDICATOR_COLUMNS`] (which gives its position `I_…`), the row's read
//! (`BlockReader::read_cells` into `IndicatorRow`), and the field that keeps it
//! ([`Indicator`] in `peg::store`, or what the indicator points to, e.g. its target).

use std::sync::Arc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::csv::{columns, line_error, Cells, CsvOptions, Row, Table};
use super::pieces::{self, Bytes, Source, Syntax};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::peg::measure::{read_baseline, read_measure, Measure};
use crate::peg::store::{Indicator, ManualAttainment, Objective, Peg, Span, WeightRule, MANUAL};
use crate::peg::target::{read_target_in, Direction, Target, TargetKind};

columns! {
    /// The columns of `obiettivi.csv`.
    pub OBJECTIVE_COLUMNS {
        O_CODICE: req("codice"),
        O_MATRICOLA: req("matricola"),
        O_TITOLO: req("titolo"),
        O_PESO: req("peso"),
    }
}

columns! {
    /// The columns of `indicatori.csv`.
    pub INDICATOR_COLUMNS {
        I_OBIETTIVO: req("obiettivo"),
        I_DESCRIZIONE: req("descrizione"),
        I_PESO: req("peso"),
        I_TARGET: req("target"),
        I_MISURATO: opt("misurato"),
        I_DIREZIONE: opt("direzione"),
        I_MANUALE: opt("raggiungimento_manuale"),
        I_MOTIVAZIONE: opt("motivazione"),
        I_INIZIALE: opt("valore_iniziale"),
    }
}

/// How the PEG is read: the rule for weights and the fund's year, in which a deadline
/// written without a year is read (none without the rules: such a target is then Manual).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PegSettings {
    pub weights: WeightRule,
    pub year: Option<i32>,
}

impl From<WeightRule> for PegSettings {
    /// The weights' rule, no fund year.
    fn from(weights: WeightRule) -> Self {
        PegSettings {
            weights,
            year: None,
        }
    }
}

/// Reads the objectives and indicators files (bytes as loaded) into validated PEG inputs.
pub fn read_peg(
    objectives: (&str, &[u8]),
    indicators: (&str, &[u8]),
    settings: impl Into<PegSettings>,
    opts: CsvOptions,
) -> Result<(Peg, Diagnostics), Diagnostics> {
    read_peg_from(
        objectives,
        &mut Bytes::new(indicators.0, indicators.1),
        settings,
        opts,
    )
}

/// Reads the objectives' file (bytes as loaded) and the indicators' file (from `src`, in
/// pieces when it can) into validated PEG inputs.
pub fn read_peg_from(
    objectives: (&str, &[u8]),
    src: &mut dyn Source,
    settings: impl Into<PegSettings>,
    opts: CsvOptions,
) -> Result<(Peg, Diagnostics), Diagnostics> {
    let piece = pieces::piece_size(src.size());
    read_peg_pieces(objectives, src, settings, opts, piece)
}

/// [`read_peg_from`] with pieces of `piece` bytes (whatever the size, the same result).
pub fn read_peg_pieces(
    objectives: (&str, &[u8]),
    src: &mut dyn Source,
    settings: impl Into<PegSettings>,
    opts: CsvOptions,
    piece: usize,
) -> Result<(Peg, Diagnostics), Diagnostics> {
    let PegSettings { weights, year } = settings.into();
    let mut diags = Diagnostics::default();
    let indicators_file = src.name().to_string();
    let ot = Table::parse(objectives.0, objectives.1, OBJECTIVE_COLUMNS, opts);
    let mut peg = Peg {
        indicators_file: indicators_file.as_str().into(),
        ..Peg::default()
    };
    let mut codes = Known::default();
    let objective_diags = match &ot {
        Ok(ot) => read_objectives(ot, objectives.1.len(), &mut peg, &mut codes),
        Err(_) => Diagnostics::default(),
    };
    let mut st = Indicators::new(peg);
    // Without the objectives' codes, only the CSV syntax of the indicators' file is checked.
    let objectives_file = ot.as_ref().map_or(objectives.0, |t| t.file.as_str());
    let codes = ot.is_ok().then_some(&codes);
    let check = |t: &Table| codes.map(|c| read_indicator_rows(t, c, objectives_file, year));
    // At most one row per ten bytes: the unused part of the reserve is never touched.
    st.peg.indicators.reserve(src.size() / 10);
    let read = pieces::read(src, INDICATOR_COLUMNS, opts, piece, &check, &mut st);
    let syntax = stop_on_file_errors(&ot, read)?;
    diags.extend(objective_diags);
    diags.extend(syntax.notes);
    diags.extend(st.rows);
    let Indicators { peg, groups, .. } = st;
    let ot = ot.as_ref().map_err(Clone::clone)?;
    // Weights: indicators within each objective, objectives within each manager (the two
    // on two cores, reported one after the other).
    let (objective_weights, manager_weights) = rayon::join(
        || objective_weights(&peg, &groups, &ot.file, weights),
        || manager_weights(&peg, &ot.file, weights),
    );
    diags.extend(objective_weights);
    diags.extend(manager_weights);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((peg, diags))
}

/// Stops on a file that could not be read as CSV: the objectives' file, or the indicators'
/// (unreadable, a bad header, or rows with a bad CSV syntax, every one of them reported).
fn stop_on_file_errors(
    ot: &Result<Table, Diagnostics>,
    read: Result<Syntax, Diagnostics>,
) -> Result<Syntax, Diagnostics> {
    let syntax = match (ot, read) {
        (Ok(_), Ok(syntax)) if !syntax.header.has_errors() => syntax,
        (o, i) => {
            let mut diags = Diagnostics::default();
            if let Err(d) = o {
                diags.extend(d.clone());
            }
            match i {
                Err(d) => diags.extend(d),
                // Every syntax problem of the file is still reported.
                Ok(syntax) => {
                    diags.extend(syntax.header);
                    diags.extend(syntax.rows);
                }
            }
            return Err(diags);
        }
    };
    if syntax.rows.has_errors() {
        let mut d = syntax.header;
        d.extend(syntax.rows);
        return Err(d);
    }
    Ok(syntax)
}

/// The objective codes of the objectives' file: for each, the index of the objective (or
/// `NONE` for a row that was refused) and the row's line. The hash table holds only
/// positions in `all` (4 bytes a slot): a large PEG's half a million codes go in at random,
/// and a table six times smaller misses the cache less.
#[derive(Default)]
struct Codes<'t> {
    table: hashbrown::HashTable<u32>,
    /// Every code met, in file order: code, objective index or `NONE`, line.
    all: Vec<(&'t str, u32, u32)>,
}

impl<'t> Codes<'t> {
    fn hash(code: &str) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(code)
    }

    fn reserve(&mut self, n: usize) {
        let all = &self.all;
        self.table.reserve(n, |&i| Codes::hash(all[i as usize].0));
        self.all.reserve(n);
    }

    /// Records a new code; for a code already met, returns the line of the first.
    fn insert(&mut self, code: &'t str, index: u32, line: u32) -> Result<(), u32> {
        let next = self.all.len() as u32;
        let all = &self.all;
        match self.table.entry(
            Codes::hash(code),
            |&i| all[i as usize].0 == code,
            |&i| Codes::hash(all[i as usize].0),
        ) {
            hashbrown::hash_table::Entry::Occupied(e) => return Err(all[*e.get() as usize].2),
            hashbrown::hash_table::Entry::Vacant(e) => {
                e.insert(next);
            }
        }
        self.all.push((code, index, line));
        Ok(())
    }

    /// The objective index of a code (`NONE` for a refused row), if met.
    fn get(&self, code: &str) -> Option<u32> {
        self.table
            .find(Codes::hash(code), |&i| self.all[i as usize].0 == code)
            .map(|&i| self.all[i as usize].1)
    }
}

/// The objectives' codes as the indicator rows look them up: by code, and in file order (the
/// code of each objective of the PEG, by index).
#[derive(Default)]
struct Known<'o> {
    map: Codes<'o>,
    order: Vec<&'o str>,
}

/// The index of a refused objective's row, in [`Codes`].
const NONE: u32 = u32::MAX;

/// Line numbers are kept as `u32`: a file of over 4 billion lines is refused.
fn line32(line: usize) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// Checks the objectives' rows into `peg` (codes, titles, matricole), recording every code
/// met in `known` (the objective's index, or `NONE` for a refused row, and the line).
fn read_objectives<'o>(
    ot: &'o Table<'o>,
    file_len: usize,
    peg: &mut Peg,
    known: &mut Known<'o>,
) -> Diagnostics {
    known.order.reserve(ot.rows.len());
    known.map.reserve(ot.rows.len());
    peg.objectives_file = ot.shared_file().clone();
    peg.objectives.reserve(ot.rows.len());
    // Codes and titles: at most the file's text.
    peg.texts.reserve(file_len);
    let mut cells = Cells::new(ot);
    let mut matricole = Matricole::default();
    let mut too_long = false;
    for row in &ot.rows {
        let index = peg.objectives.len() as u32;
        let Some((code, matricola, title, weight)) =
            read_objective_row(&mut cells, row, index, &mut known.map)
        else {
            continue;
        };
        let manager = matricole.index(matricola, &mut peg.matricole);
        let mut span = |s: &str| {
            push_text(&mut peg.texts, s).unwrap_or_else(|| {
                too_long = true;
                Span { start: 0, end: 0 }
            })
        };
        let (code_span, title_span) = (span(code), span(title));
        known.order.push(code);
        peg.objectives.push(Objective {
            code: code_span,
            title: title_span,
            manager,
            line: line32(row.line),
            weight,
        });
    }
    if too_long {
        cells.diags.push(line_error(
            &ot.file,
            0,
            "file troppo grande: oltre 4 GB di codici e titoli degli obiettivi",
        ));
    }
    cells.diags
}

/// An objectives' row read: its code recorded in `codes` (a code met before is refused;
/// a new one gets the objective's `index` when the row is valid, else `NONE`). The row's
/// code, matricola, title and weight, or `None` for a refused row.
fn read_objective_row<'o>(
    cells: &mut Cells<'o>,
    row: &Row,
    index: u32,
    codes: &mut Codes<'o>,
) -> Option<(&'o str, &'o str, &'o str, Decimal)> {
    let code = cells.required(row, O_CODICE);
    let matricola = cells.required(row, O_MATRICOLA);
    let title = cells.required(row, O_TITOLO);
    let weight = cells.number(row, O_PESO, Decimal::ZERO, Decimal::ONE_HUNDRED);
    let valid = match (code, matricola, title, weight) {
        (Some(code), Some(matricola), Some(title), Some(weight)) => {
            Some((code, matricola, title, weight))
        }
        _ => None,
    };
    if let Some(c) = code {
        // One look-up: a repeated code is refused, a new one is recorded (with the
        // objective's index when the row is valid).
        let recorded = if valid.is_some() { index } else { NONE };
        if let Err(first) = codes.insert(c, recorded, line32(row.line)) {
            cells.error(
                row,
                O_CODICE,
                format!("codice obiettivo \"{c}\" già presente alla riga {first}"),
            );
            return None;
        }
    }
    valid
}

/// The matricole the objectives name, as they are met: each one's index in `Peg::matricole`.
#[derive(Default)]
struct Matricole<'o> {
    index: FxHashMap<&'o str, u32>,
    /// The last one met: a manager's objectives usually follow one another, and the
    /// matricola is then looked up once.
    last: Option<(&'o str, u32)>,
}

impl<'o> Matricole<'o> {
    /// The index of `matricola` in `matricole`, where it is added when new.
    fn index(&mut self, matricola: &'o str, matricole: &mut Vec<Arc<str>>) -> u32 {
        match self.last {
            Some((m, k)) if m == matricola => k,
            _ => {
                let k = *self.index.entry(matricola).or_insert_with(|| {
                    matricole.push(matricola.into());
                    (matricole.len() - 1) as u32
                });
                self.last = Some((matricola, k));
                k
            }
        }
    }
}

/// Appends `s` to the PEG's texts: its span, or `None` beyond 4 GB of text.
fn push_text(texts: &mut String, s: &str) -> Option<Span> {
    let start = texts.len();
    texts.push_str(s);
    match (u32::try_from(start), u32::try_from(texts.len())) {
        (Ok(start), Ok(end)) => Some(Span { start, end }),
        _ => None,
    }
}

/// The indicators of one objective, for the weights check.
#[derive(Debug, Clone, Copy, Default)]
struct Group {
    /// Rows as written, valid or not.
    rows: u32,
    first_line: u32,
    /// Valid indicators and the sum of their weights.
    valid: u32,
    sum: Decimal,
}

/// The key of a target: the same text, description, direction and starting value (as
/// written) read the same way.
type TargetKey<T> = (T, u32, Option<Direction>, T);

/// A block of indicator rows, checked: the indicators with their descriptions, targets and
/// measured values numbered within the block, and the problems in row order.
struct IndicatorBlock {
    indicators: Vec<Indicator>,
    diags: Diagnostics,
    descriptions: Vec<Box<str>>,
    targets: Vec<(TargetKey<Box<str>>, Target)>,
    measures: Vec<(Box<str>, Measure)>,
    manual: Vec<ManualAttainment>,
    /// Rows and weights met per objective, a run of consecutive rows of the same objective
    /// at a time (runs of the same objective are added up in file order).
    groups: Vec<(u32, Group)>,
}

/// Validates a block of indicator rows. `known` holds the objective codes of the objectives'
/// file; targets are read in the fund's `year`.
fn read_indicator_rows(
    it: &Table,
    known: &Known,
    objectives_file: &str,
    year: Option<i32>,
) -> IndicatorBlock {
    let mut reader = BlockReader::new(it, known, objectives_file, year);
    for row in &it.rows {
        reader.row(row);
    }
    reader.out.diags = reader.cells.diags;
    reader.out
}

/// An indicator row's cells, each read (a bad one reported) in the order of the row's checks.
struct IndicatorRow<'t> {
    /// The index of the objective, when its code is known.
    objective: Option<u32>,
    description: Option<&'t str>,
    weight: Option<Decimal>,
    target: Option<&'t str>,
    direction: Option<Direction>,
    /// The manual attainment, when written and valid; `manual_written` even when not.
    manual: Option<Decimal>,
    manual_written: bool,
    reason: Option<String>,
    measured: &'t str,
    /// The starting value as written (empty: none).
    baseline: &'t str,
}

/// A target read in a block: its index, its description's, whether it must be valued by
/// hand, and why its starting value cannot be used (an index in
/// `BlockReader::baseline_errors`; the target is then the one read without it).
#[derive(Clone, Copy)]
struct TargetRef {
    index: u32,
    description: u32,
    manual: bool,
    baseline_error: Option<u32>,
}

/// The reading of one block of indicator rows: the block being built, and the look-ups that
/// read each repeated text once. Real PEG sheets repeat the same descriptions, targets
/// ("100%", "SI", "entro il 31.12") and measured values: each is read once per block.
struct BlockReader<'t, 'k> {
    table: &'t Table<'t>,
    known: &'k Known<'k>,
    objectives_file: &'k str,
    cells: Cells<'t>,
    out: IndicatorBlock,
    /// The fund's year, for deadlines written without one.
    year: Option<i32>,
    descriptions: FxHashMap<&'t str, u32>,
    /// By target text, description, direction and starting value.
    targets: FxHashMap<(&'t str, &'t str, Option<Direction>, &'t str), TargetRef>,
    /// Why starting values could not be used, for [`TargetRef::baseline_error`].
    baseline_errors: Vec<String>,
    measures: FxHashMap<&'t str, u32>,
    /// The last objective code met and its index: rows of an objective usually follow one
    /// another, and its code is then looked up once.
    last: Option<(&'t str, Option<u32>)>,
}

impl<'t, 'k> BlockReader<'t, 'k> {
    fn new(
        table: &'t Table<'t>,
        known: &'k Known<'k>,
        objectives_file: &'k str,
        year: Option<i32>,
    ) -> Self {
        BlockReader {
            table,
            known,
            objectives_file,
            year,
            cells: Cells::bare(table),
            out: IndicatorBlock {
                indicators: Vec::with_capacity(table.rows.len()),
                diags: Diagnostics::default(),
                descriptions: Vec::new(),
                targets: Vec::new(),
                measures: Vec::new(),
                manual: Vec::new(),
                groups: Vec::new(),
            },
            descriptions: FxHashMap::default(),
            targets: FxHashMap::default(),
            baseline_errors: Vec::new(),
            measures: FxHashMap::default(),
            last: None,
        }
    }

    /// Reads a row into an indicator; a row with a bad cell is reported and not scored.
    #[inline]
    fn row(&mut self, row: &Row) {
        let errors_before = self.cells.error_count();
        let r = self.read_cells(row);
        let (Some(objective), Some(description), Some(weight), Some(target_text)) =
            (r.objective, r.description, r.weight, r.target)
        else {
            return;
        };
        let target = self.target(target_text, description, r.direction, r.baseline);
        if let Some(e) = target.baseline_error {
            let msg = self.baseline_errors[e as usize].clone();
            self.cells.error(row, I_INIZIALE, msg);
            if self.out.targets[target.index as usize].1.change.is_some() {
                return; // a change without its starting value: the same problem again
            }
        }
        let Some(value) = self.value(row, r, target, target_text) else {
            return;
        };
        if self.cells.error_count() > errors_before {
            return; // a row with a bad cell is not scored
        }
        // The row's objective has the last run.
        if let Some((_, g)) = self.out.groups.last_mut() {
            g.valid += 1;
            g.sum += weight;
        }
        self.out.indicators.push(Indicator {
            objective,
            description: target.description,
            target: target.index,
            value,
            line: line32(row.line),
            number: 0, // numbered in file order as the blocks are gathered
            weight,
        });
    }

    /// The row's cells; the row counted in its objective's run, an unknown objective reported.
    #[inline]
    fn read_cells(&mut self, row: &Row) -> IndicatorRow<'t> {
        let code = self.cells.required(row, I_OBIETTIVO);
        let description = self.cells.required(row, I_DESCRIZIONE);
        let weight = self
            .cells
            .number(row, I_PESO, Decimal::ZERO, Decimal::ONE_HUNDRED);
        let target = self.cells.required(row, I_TARGET);
        let objective = code.and_then(|o| self.objective(o));
        if let Some(k) = objective {
            self.count(k, row.line);
        }
        if let (Some(o), None) = (code, objective) {
            let msg = format!(
                "obiettivo \"{o}\" sconosciuto: non è in {}",
                self.objectives_file
            );
            self.cells.error(row, I_OBIETTIVO, msg);
        }
        let direction = self.direction(row);
        let manual_text = self.table.cell(row, I_MANUALE);
        let manual = if manual_text.is_empty() {
            None
        } else {
            self.cells
                .number(row, I_MANUALE, Decimal::ZERO, Decimal::ONE_HUNDRED)
        };
        IndicatorRow {
            objective,
            description,
            weight,
            target,
            direction,
            manual,
            manual_written: !manual_text.is_empty(),
            reason: self.cells.opt_text(row, I_MOTIVAZIONE),
            measured: self.table.cell(row, I_MISURATO),
            baseline: self.table.cell(row, I_INIZIALE),
        }
    }

    /// The index of an objective by its code, if known. Indicators usually follow the
    /// objectives' order: the next objective is tried first, the look-up by code (at random
    /// in a large table) only then.
    #[inline]
    fn objective(&mut self, code: &'t str) -> Option<u32> {
        match self.last {
            Some((t, k)) if t == code => k,
            _ => {
                let next = self.last.and_then(|(_, k)| k).map_or(0, |k| k as usize + 1);
                let k = match self.known.order.get(next) {
                    Some(&c) if c == code => Some(next as u32),
                    _ => self.known.map.get(code).filter(|&k| k != NONE),
                };
                self.last = Some((code, k));
                k
            }
        }
    }

    /// Counts a row of the `k`-th objective in its run of rows.
    #[inline]
    fn count(&mut self, k: u32, line: usize) {
        match self.out.groups.last_mut() {
            Some((last, g)) if *last == k => g.rows += 1,
            _ => self.out.groups.push((
                k,
                Group {
                    rows: 1,
                    first_line: line32(line),
                    ..Group::default()
                },
            )),
        }
    }

    /// The row's direction, if written: `crescente` or `decrescente`.
    fn direction(&mut self, row: &Row) -> Option<Direction> {
        match self.table.cell(row, I_DIREZIONE) {
            "" => None,
            d if d.eq_ignore_ascii_case("crescente") => Some(Direction::Higher),
            d if d.eq_ignore_ascii_case("decrescente") => Some(Direction::Lower),
            other => {
                let other = other.to_lowercase();
                self.cells.error(
                    row,
                    I_DIREZIONE,
                    format!("direzione \"{other}\" sconosciuta; ammesse: crescente, decrescente (o vuota)"),
                );
                None
            }
        }
    }

    /// The target of a text, description, direction and starting value, read the first time
    /// they are met.
    #[inline]
    fn target(
        &mut self,
        text: &'t str,
        description: &'t str,
        direction: Option<Direction>,
        baseline: &'t str,
    ) -> TargetRef {
        let (out, descriptions) = (&mut self.out, &mut self.descriptions);
        let (year, errors) = (self.year, &mut self.baseline_errors);
        *self
            .targets
            .entry((text, description, direction, baseline))
            .or_insert_with(|| {
                let d = *descriptions.entry(description).or_insert_with(|| {
                    out.descriptions.push(description.into());
                    (out.descriptions.len() - 1) as u32
                });
                let t = read_target_in(text, description, year);
                let t = match direction {
                    Some(d) => t.with_direction(d),
                    None => t,
                };
                let (t, baseline_error) = match from_baseline(t, baseline) {
                    (t, None) => (t, None),
                    (t, Some(e)) => {
                        errors.push(e);
                        (t, Some((errors.len() - 1) as u32))
                    }
                };
                let manual = t.kind == TargetKind::Manual;
                out.targets
                    .push(((text.into(), d, direction, baseline.into()), t));
                TargetRef {
                    index: (out.targets.len() - 1) as u32,
                    description: d,
                    manual,
                    baseline_error,
                }
            })
    }

    /// What the row's attainment comes from ([`Indicator`]'s `value`): the manual attainment
    /// with its reason, or the measured value; `None` when the row cannot be scored.
    #[inline]
    fn value(
        &mut self,
        row: &Row,
        r: IndicatorRow<'t>,
        target: TargetRef,
        target_text: &str,
    ) -> Option<u32> {
        match (r.manual, r.manual_written) {
            (Some(attainment), _) => {
                let Some(reason) = r.reason else {
                    self.cells.error(
                        row,
                        I_MOTIVAZIONE,
                        "raggiungimento manuale senza motivazione: indicare chi lo ha stabilito e perché",
                    );
                    return None;
                };
                self.out.manual.push(ManualAttainment {
                    attainment,
                    reason,
                    measured: (!r.measured.is_empty()).then(|| r.measured.to_string()),
                });
                Some((self.out.manual.len() - 1) as u32 | MANUAL)
            }
            (None, true) => None, // bad manual value, already reported
            (None, false) => self.measured(row, r.measured, target, target_text),
        }
    }

    /// The measured value's index, read the first time it is met; a target to be valued by
    /// hand, or a missing or bad value, is reported.
    #[inline]
    fn measured(
        &mut self,
        row: &Row,
        text: &'t str,
        target: TargetRef,
        target_text: &str,
    ) -> Option<u32> {
        if target.manual {
            let t = &self.out.targets[target.index as usize].1;
            if t.change.is_some() {
                let msg = format!(
                    "target \"{target_text}\": una variazione da un valore di partenza, che manca: indicarlo nella colonna valore_iniziale (oppure il raggiungimento manuale, 0-100, con la motivazione)"
                );
                self.cells.error(row, I_INIZIALE, msg);
                return None;
            }
            let msg = format!(
                "target \"{}\" da valutare ({}): indicare il raggiungimento manuale (0-100) e la motivazione",
                target_text,
                t.reason.clone().unwrap_or_default()
            );
            self.cells.error(row, I_MANUALE, msg);
            return None;
        }
        if text.is_empty() {
            self.cells.error(row, I_MISURATO, "valore misurato mancante: indicarlo, oppure il raggiungimento manuale con la motivazione");
            return None;
        }
        if let Some(&m) = self.measures.get(text) {
            return Some(m);
        }
        match read_measure(text) {
            Ok(m) => {
                self.out.measures.push((text.into(), m));
                let id = (self.out.measures.len() - 1) as u32;
                self.measures.insert(text, id);
                Some(id)
            }
            Err(e) => {
                self.cells.error(row, I_MISURATO, e.to_string());
                None
            }
        }
    }
}

/// The target measured from the starting value written in `valore_iniziale` (`text`; empty:
/// none); or the target read without it, and why it cannot be used.
fn from_baseline(t: Target, text: &str) -> (Target, Option<String>) {
    if text.is_empty() {
        return (t, None);
    }
    let (b, percent) = match read_baseline(text) {
        Ok(b) => b,
        Err(e) => return (t, Some(e)),
    };
    match t.clone().with_baseline(b, percent) {
        Ok(with) => (with, None),
        Err(e) => (t, Some(e)),
    }
}

/// The PEG being gathered from the blocks, in file order: each block's descriptions, targets
/// and measured values are renumbered into the PEG's.
#[derive(Default)]
struct Numbering {
    descriptions: FxHashMap<Box<str>, u32>,
    targets: FxHashMap<TargetKey<Box<str>>, u32>,
    measures: FxHashMap<Box<str>, u32>,
    /// Indicators gathered so far per objective: each one's number among its objective's,
    /// in file order (`OB1/2`), given as it is gathered.
    numbers: Vec<u32>,
}

/// The number of `key` in `list`, which gets `value(&key)` when the key is new.
fn intern<K: Eq + std::hash::Hash, V>(
    map: &mut FxHashMap<K, u32>,
    list: &mut Vec<V>,
    key: K,
    value: impl FnOnce(&K) -> V,
) -> u32 {
    let next = list.len() as u32;
    match map.entry(key) {
        std::collections::hash_map::Entry::Occupied(e) => *e.get(),
        std::collections::hash_map::Entry::Vacant(e) => {
            list.push(value(e.key()));
            e.insert(next);
            next
        }
    }
}

impl Numbering {
    fn add(&mut self, peg: &mut Peg, groups: &mut [Group], b: IndicatorBlock) {
        let descriptions: Vec<u32> = b
            .descriptions
            .into_iter()
            .map(|d| {
                intern(
                    &mut self.descriptions,
                    &mut peg.descriptions,
                    d,
                    Clone::clone,
                )
            })
            .collect();
        let targets: Vec<u32> = b
            .targets
            .into_iter()
            .map(|((text, d, dir, baseline), t)| {
                let key = (text, descriptions[d as usize], dir, baseline);
                intern(&mut self.targets, &mut peg.targets, key, |_| t)
            })
            .collect();
        let measures: Vec<u32> = b
            .measures
            .into_iter()
            .map(|(text, m)| {
                intern(&mut self.measures, &mut peg.measures, text, |t| {
                    (t.clone(), m)
                })
            })
            .collect();
        let manual = peg.manual.len() as u32;
        peg.manual.extend(b.manual);
        self.numbers.resize(groups.len(), 0);
        let numbers = &mut self.numbers;
        peg.indicators.extend(b.indicators.into_iter().map(|mut i| {
            let n = &mut numbers[i.objective as usize];
            *n += 1;
            i.number = *n;
            i.description = descriptions[i.description as usize];
            i.target = targets[i.target as usize];
            i.value = if i.value & MANUAL != 0 {
                (manual + (i.value & !MANUAL)) | MANUAL
            } else {
                measures[i.value as usize]
            };
            i
        }));
        // Blocks come in file order: the first block with an objective has its first line.
        for (k, g) in b.groups {
            let e = &mut groups[k as usize];
            if e.rows == 0 {
                e.first_line = g.first_line;
            }
            e.rows += g.rows;
            e.valid += g.valid;
            e.sum += g.sum;
        }
    }
}

/// The indicators gathered so far, in file order, and their rows' problems.
struct Indicators {
    peg: Peg,
    groups: Vec<Group>,
    numbering: Numbering,
    rows: Diagnostics,
}

impl Indicators {
    /// No indicator yet, for the objectives of `peg`.
    fn new(peg: Peg) -> Indicators {
        Indicators {
            groups: vec![Group::default(); peg.objectives.len()],
            peg,
            numbering: Numbering::default(),
            rows: Diagnostics::default(),
        }
    }
}

impl pieces::Gather<Option<IndicatorBlock>> for Indicators {
    /// A checked block's indicators into the PEG (`None`: only the CSV syntax was checked).
    fn take(&mut self, block: Option<IndicatorBlock>) {
        if let Some(mut block) = block {
            self.rows.extend(std::mem::take(&mut block.diags));
            self.numbering.add(&mut self.peg, &mut self.groups, block);
        }
    }

    /// Back to no indicator read (before reading the file again, whole).
    fn restart(&mut self) {
        self.peg.indicators.clear();
        self.peg.descriptions.clear();
        self.peg.targets.clear();
        self.peg.measures.clear();
        self.peg.manual.clear();
        self.groups = vec![Group::default(); self.peg.objectives.len()];
        self.numbering = Numbering::default();
        self.rows = Diagnostics::default();
    }
}

/// Each objective has indicators, and the weights of a complete one's indicators add to 100.
fn objective_weights(
    peg: &Peg,
    groups: &[Group],
    objectives_file: &str,
    weights: WeightRule,
) -> Diagnostics {
    let indicators_file: &str = &peg.indicators_file;
    let mut diags = Diagnostics::default();
    for (k, o) in peg.objectives.iter().enumerate() {
        let g = groups[k];
        if g.rows == 0 {
            diags.push(line_error(
                objectives_file,
                o.line as usize,
                format!(
                    "l'obiettivo \"{}\" non ha indicatori in {}",
                    peg.text(o.code),
                    indicators_file
                ),
            ));
        } else if g.valid == g.rows {
            // Only a complete group: refused rows would make the sum misleading.
            let what = || format!("degli indicatori dell'obiettivo \"{}\"", peg.text(o.code));
            let line = g.first_line as usize;
            check_weights(&mut diags, indicators_file, line, what, g.sum, weights);
        }
    }
    diags
}

/// The weights of each manager's objectives add to 100, reported in order of matricola.
fn manager_weights(peg: &Peg, objectives_file: &str, weights: WeightRule) -> Diagnostics {
    let mut diags = Diagnostics::default();
    // (first line, sum of weights); lines start at 1, so 0 is "none yet".
    let mut by_manager: Vec<(u32, Decimal)> = vec![(0, Decimal::ZERO); peg.matricole.len()];
    for o in &peg.objectives {
        let m = &mut by_manager[o.manager as usize];
        if m.0 == 0 {
            m.0 = o.line;
        }
        m.1 += o.weight;
    }
    let mut order: Vec<usize> = (0..peg.matricole.len()).collect();
    order.sort_unstable_by(|&a, &b| peg.matricole[a].cmp(&peg.matricole[b]));
    for m in order {
        let (line, sum) = by_manager[m];
        let what = || format!("degli obiettivi della matricola \"{}\"", peg.matricole[m]);
        check_weights(
            &mut diags,
            objectives_file,
            line as usize,
            what,
            sum,
            weights,
        );
    }
    diags
}

/// Checks that the weights of a group, summed to `sum`, add to 100 (or warns and normalises,
/// per the rule). `what` names the group; it is built only for a message.
fn check_weights(
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
        WeightRule::MustSum100 => diags.push(line_error(
            file,
            line,
            format!("i pesi {what} sommano a {total}, non a 100 (regola dei pesi: somma_100)"),
        )),
        WeightRule::Normalize if sum.is_zero() => diags.push(line_error(file, line, format!("i pesi {what} sono tutti zero"))),
        WeightRule::Normalize => diags.push(Diagnostic::warning(
            Location::at(file, line, 0, None),
            format!("i pesi {what} sommano a {total}: usati in proporzione (regola dei pesi: normalizza)"),
        )),
    }
}
