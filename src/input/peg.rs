//! The PEG's two CSV exports read into [`Peg`]: `obiettivi.csv` (codes, managers, titles,
//! weights) and `indicatori.csv` (targets, measured values or manual attainments, weights),
//! with the cross-file checks (unknown or repeated codes, objectives without indicators, the
//! weights of each objective and of each manager). The indicators' file is read in pieces by
//! [`pieces`](super::pieces); the rows' checks and their gathering into the PEG are here.

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::csv::{column_index, line_error, opt, req, Cells, Column, CsvOptions, Table};
use super::pieces::{self, Bytes, Source};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::peg::measure::{read_measure, Measure};
use crate::peg::store::{Indicator, ManualAttainment, Objective, Peg, Span, WeightRule, MANUAL};
use crate::peg::target::{read_target, Direction, Target, TargetKind};

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

/// Positions of the columns, for the readers of the large files (no lookup by name per cell).
const I_OBIETTIVO: usize = column_index(INDICATOR_COLUMNS, "obiettivo");
const I_DESCRIZIONE: usize = column_index(INDICATOR_COLUMNS, "descrizione");
const I_PESO: usize = column_index(INDICATOR_COLUMNS, "peso");
const I_TARGET: usize = column_index(INDICATOR_COLUMNS, "target");
const I_MISURATO: usize = column_index(INDICATOR_COLUMNS, "misurato");
const I_DIREZIONE: usize = column_index(INDICATOR_COLUMNS, "direzione");
const I_MANUALE: usize = column_index(INDICATOR_COLUMNS, "raggiungimento_manuale");
const I_MOTIVAZIONE: usize = column_index(INDICATOR_COLUMNS, "motivazione");
const O_CODICE: usize = column_index(OBJECTIVE_COLUMNS, "codice");
const O_MATRICOLA: usize = column_index(OBJECTIVE_COLUMNS, "matricola");
const O_TITOLO: usize = column_index(OBJECTIVE_COLUMNS, "titolo");
const O_PESO: usize = column_index(OBJECTIVE_COLUMNS, "peso");

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

/// The key of a target: the same text, description and direction read the same way.
type TargetKey<T> = (T, u32, Option<Direction>);

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
const NONE: u32 = u32::MAX;

/// Line numbers are kept as `u32`: a file of over 4 billion lines is refused.
fn line32(line: usize) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// Validates a block of indicator rows. `codes` holds the objective codes of the objectives'
/// file.
fn read_indicator_rows(it: &Table, known: &Known, objectives_file: &str) -> IndicatorBlock {
    let mut out = IndicatorBlock {
        indicators: Vec::with_capacity(it.rows.len()),
        diags: Diagnostics::default(),
        descriptions: Vec::new(),
        targets: Vec::new(),
        measures: Vec::new(),
        manual: Vec::new(),
        groups: Vec::new(),
    };
    let mut cells = Cells::bare(it);
    // Real PEG sheets repeat the same descriptions, targets ("100%", "SI", "entro il 31.12")
    // and measured values: each is read once per block.
    let mut descriptions: FxHashMap<&str, u32> = FxHashMap::default();
    // Target text, description and direction → target, description, manual target.
    type Key<'k> = (&'k str, &'k str, Option<Direction>);
    let mut targets: FxHashMap<Key, (u32, u32, bool)> = FxHashMap::default();
    let mut measures: FxHashMap<&str, u32> = FxHashMap::default();
    // Rows of an objective usually follow one another: its code is looked up once.
    let mut last: Option<(&str, Option<u32>)> = None;
    for row in &it.rows {
        let errors_before = cells.error_count();
        let objective = cells.required(row, I_OBIETTIVO);
        let description = cells.required(row, I_DESCRIZIONE);
        let weight = cells.number(row, I_PESO, Decimal::ZERO, Decimal::ONE_HUNDRED);
        let target_text = cells.required(row, I_TARGET);
        let code = objective.and_then(|o| match last {
            Some((t, k)) if t == o => k,
            _ => {
                // Indicators usually follow the objectives' order: the next objective is
                // tried first, the look-up by code (at random in a large table) only then.
                let next = last.and_then(|(_, k)| k).map_or(0, |k| k as usize + 1);
                let k = match known.order.get(next) {
                    Some(&c) if c == o => Some(next as u32),
                    _ => known.map.get(o).filter(|&k| k != NONE),
                };
                last = Some((o, k));
                k
            }
        });
        if let Some(k) = code {
            match out.groups.last_mut() {
                Some((last, g)) if *last == k => g.rows += 1,
                _ => out.groups.push((
                    k,
                    Group {
                        rows: 1,
                        first_line: line32(row.line),
                        ..Group::default()
                    },
                )),
            }
        }
        if let Some(o) = objective {
            if code.is_none() {
                cells.error(
                    row,
                    I_OBIETTIVO,
                    format!(
                        "obiettivo \"{o}\" sconosciuto: non è in {}",
                        objectives_file
                    ),
                );
            }
        }
        let direction = match it.cell(row, I_DIREZIONE) {
            "" => None,
            d if d.eq_ignore_ascii_case("crescente") => Some(Direction::Higher),
            d if d.eq_ignore_ascii_case("decrescente") => Some(Direction::Lower),
            other => {
                let other = other.to_lowercase();
                cells.error(
                    row,
                    I_DIREZIONE,
                    format!("direzione \"{other}\" sconosciuta; ammesse: crescente, decrescente (o vuota)"),
                );
                None
            }
        };
        let manual_text = it.cell(row, I_MANUALE);
        let manual = if manual_text.is_empty() {
            None
        } else {
            cells.number(row, I_MANUALE, Decimal::ZERO, Decimal::ONE_HUNDRED)
        };
        let reason = cells.opt_text(row, I_MOTIVAZIONE);
        let measured_text = it.cell(row, I_MISURATO);
        let (Some(objective), Some(description), Some(weight), Some(target_text)) =
            (code, description, weight, target_text)
        else {
            continue;
        };
        let (target, description, target_manual) = *targets
            .entry((target_text, description, direction))
            .or_insert_with(|| {
                let d = *descriptions.entry(description).or_insert_with(|| {
                    out.descriptions.push(description.into());
                    (out.descriptions.len() - 1) as u32
                });
                let t = read_target(target_text, description);
                let t = match direction {
                    Some(d) => t.with_direction(d),
                    None => t,
                };
                let manual = t.kind == TargetKind::Manual;
                out.targets.push(((target_text.into(), d, direction), t));
                ((out.targets.len() - 1) as u32, d, manual)
            });
        let value = match (manual, manual_text.is_empty()) {
            (Some(attainment), _) => {
                let Some(reason) = reason else {
                    cells.error(
                        row,
                        I_MOTIVAZIONE,
                        "raggiungimento manuale senza motivazione: indicare chi lo ha stabilito e perché",
                    );
                    continue;
                };
                out.manual.push(ManualAttainment {
                    attainment,
                    reason,
                    measured: (!measured_text.is_empty()).then(|| measured_text.to_string()),
                });
                (out.manual.len() - 1) as u32 | MANUAL
            }
            (None, false) => continue, // bad manual value, already reported
            (None, true) => {
                if target_manual {
                    let t = &out.targets[target as usize].1;
                    cells.error(
                        row,
                        I_MANUALE,
                        format!(
                            "target \"{}\" da valutare ({}): indicare il raggiungimento manuale (0-100) e la motivazione",
                            target_text,
                            t.reason.clone().unwrap_or_default()
                        ),
                    );
                    continue;
                }
                if measured_text.is_empty() {
                    cells.error(row, I_MISURATO, "valore misurato mancante: indicarlo, oppure il raggiungimento manuale con la motivazione");
                    continue;
                }
                match measures.get(measured_text) {
                    Some(&m) => m,
                    None => match read_measure(measured_text) {
                        Ok(m) => {
                            out.measures.push((measured_text.into(), m));
                            let id = (out.measures.len() - 1) as u32;
                            measures.insert(measured_text, id);
                            id
                        }
                        Err(e) => {
                            cells.error(row, I_MISURATO, e.to_string());
                            continue;
                        }
                    },
                }
            }
        };
        if cells.error_count() > errors_before {
            continue; // a row with a bad cell is not scored
        }
        // The row's objective has the last run.
        if let Some((_, g)) = out.groups.last_mut() {
            g.valid += 1;
            g.sum += weight;
        }
        out.indicators.push(Indicator {
            objective,
            description,
            target,
            value,
            line: line32(row.line),
            number: 0, // numbered in file order as the blocks are gathered
            weight,
        });
    }
    out.diags = cells.diags;
    out
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
            .map(|((text, d, dir), t)| {
                let key = (text, descriptions[d as usize], dir);
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

/// Checks the objectives' rows into `peg` (codes, titles, matricole), recording every code
/// met in `codes` (the objective's index, or `NONE` for a refused row, and the line).
fn read_objectives<'o>(
    ot: &'o Table<'o>,
    file_len: usize,
    peg: &mut Peg,
    known: &mut Known<'o>,
) -> Diagnostics {
    let codes = &mut known.map;
    known.order.reserve(ot.rows.len());
    peg.objectives_file = ot.shared_file().clone();
    let mut cells = Cells::new(ot);
    peg.objectives.reserve(ot.rows.len());
    codes.reserve(ot.rows.len());
    let mut managers: FxHashMap<&str, u32> = FxHashMap::default();
    // Codes and titles: at most the file's text.
    peg.texts.reserve(file_len);
    let mut too_long = false;
    // A manager's objectives usually follow one another: the matricola is looked up once.
    let mut last_manager: Option<(&str, u32)> = None;
    for row in &ot.rows {
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
        let index = peg.objectives.len() as u32;
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
                continue;
            }
        }
        let Some((code, matricola, title, weight)) = valid else {
            continue;
        };
        let manager = match last_manager {
            Some((m, k)) if m == matricola => k,
            _ => {
                let k = *managers.entry(matricola).or_insert_with(|| {
                    peg.matricole.push(matricola.into());
                    (peg.matricole.len() - 1) as u32
                });
                last_manager = Some((matricola, k));
                k
            }
        };
        let mut span = |s: &str| {
            let start = peg.texts.len();
            peg.texts.push_str(s);
            match (u32::try_from(start), u32::try_from(peg.texts.len())) {
                (Ok(start), Ok(end)) => Span { start, end },
                _ => {
                    too_long = true;
                    Span { start: 0, end: 0 }
                }
            }
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

/// Reads the objectives and indicators files (bytes as loaded) into validated PEG inputs.
pub fn read_peg(
    objectives: (&str, &[u8]),
    indicators: (&str, &[u8]),
    weights: WeightRule,
    opts: CsvOptions,
) -> Result<(Peg, Diagnostics), Diagnostics> {
    read_peg_from(
        objectives,
        &mut Bytes::new(indicators.0, indicators.1),
        weights,
        opts,
    )
}

/// Reads the objectives' file (bytes as loaded) and the indicators' file (from `src`, in
/// pieces when it can) into validated PEG inputs.
pub fn read_peg_from(
    objectives: (&str, &[u8]),
    src: &mut dyn Source,
    weights: WeightRule,
    opts: CsvOptions,
) -> Result<(Peg, Diagnostics), Diagnostics> {
    let piece = pieces::piece_size(src.size());
    read_peg_pieces(objectives, src, weights, opts, piece)
}

/// [`read_peg_from`] with pieces of `piece` bytes (whatever the size, the same result).
pub fn read_peg_pieces(
    objectives: (&str, &[u8]),
    src: &mut dyn Source,
    weights: WeightRule,
    opts: CsvOptions,
    piece: usize,
) -> Result<(Peg, Diagnostics), Diagnostics> {
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
    let objectives_file = ot.as_ref().map_or(objectives.0, |t| t.file.as_str());
    let mut st = Indicators {
        groups: vec![Group::default(); peg.objectives.len()],
        peg,
        numbering: Numbering::default(),
        rows: Diagnostics::default(),
    };
    // Without the objectives' codes, only the CSV syntax of the indicators' file is checked.
    let codes = ot.is_ok().then_some(&codes);
    let check = |t: &Table| codes.map(|c| read_indicator_rows(t, c, objectives_file));
    // At most one row per ten bytes: the unused part of the reserve is never touched.
    st.peg.indicators.reserve(src.size() / 10);
    let read = pieces::read(src, INDICATOR_COLUMNS, opts, piece, &check, &mut st);
    let syntax = match (&ot, read) {
        (Ok(_), Ok(syntax)) if !syntax.header.has_errors() => syntax,
        (o, i) => {
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
    diags.extend(objective_diags);
    diags.extend(syntax.notes);
    diags.extend(st.rows);
    let Indicators { peg, groups, .. } = st;
    let ot = ot.as_ref().map_err(Clone::clone)?;
    // Weights: indicators within each objective, objectives within each manager (the two
    // on two cores, reported one after the other).
    let per_objective = || {
        let mut diags = Diagnostics::default();
        for (k, o) in peg.objectives.iter().enumerate() {
            let g = groups[k];
            if g.rows == 0 {
                diags.push(line_error(
                    &ot.file,
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
                check_weights(
                    &mut diags,
                    &indicators_file,
                    g.first_line as usize,
                    what,
                    g.sum,
                    weights,
                );
            }
        }
        diags
    };
    // Per manager, reported in order of matricola.
    let per_manager = || {
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
            check_weights(&mut diags, &ot.file, line as usize, what, sum, weights);
        }
        diags
    };
    let (objective_weights, manager_weights) = rayon::join(per_objective, per_manager);
    diags.extend(objective_weights);
    diags.extend(manager_weights);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((peg, diags))
}
