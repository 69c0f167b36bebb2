//! The year's CSV inputs (*dati*) read into validated records: PEG objectives and indicators,
//! managers, interim assignments, evaluations and ex-lege fees. Cross-file checks (unknown
//! codes, duplicates, weights) live here; every problem carries its file, row and column.

use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::input::csv::{
    column_index, decode, newlines, not_utf8, opt, req, Block, Cells, Column, CsvFile, CsvOptions,
    Encoding, Table, BLOCK_BYTES,
};
use crate::peg::measure::{read_measure, Measure};
use crate::peg::store::{Indicator, ManualAttainment, Objective, Peg, Span, WeightRule, MANUAL};
use crate::peg::target::{read_target, Direction, Target, TargetKind};
use crate::staff::{Evaluation, Fee, Interim, Manager, Staff, OBJECTIVES_COMPONENT};
use crate::trail::Origin;

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
struct Gather {
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

impl Gather {
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

/// The size of the blocks of indicator rows checked on one core: each block reads its own
/// distinct descriptions, targets and measured values once, so that larger blocks read
/// fewer (2 MB rather than 1: `verifica` at 100.000 managers 0,57 s rather than 0,59 at the
/// median of nine runs, the same peak; blocks of a quarter or an eighth of a 1 MB piece made
/// a 10.000-manager ente 10-20 % slower).
const CHECK_BLOCK_BYTES: usize = 2 * BLOCK_BYTES;

/// Blocks of indicator rows checked at once on all cores, per core.
const WAVE_BLOCKS: usize = 8;

/// Bytes of the indicators' file taken at a time when it is read in pieces (at most; a
/// sixteenth of a smaller file, at least 1 MB): bounds the text held in memory whatever the
/// file's size.
pub const PIECE_BYTES: usize = 8 << 20;

/// A file handed over a piece at a time (*file letto a pezzi*): the loader reads it from
/// disk (and computes its fingerprint on the way); the readers here only see bytes.
pub trait Source: Send {
    /// The name shown in messages.
    fn name(&self) -> &str;
    /// Appends up to `max` more bytes of the file to `buf`; false at the end of the file.
    fn read(&mut self, buf: &mut Vec<u8>, max: usize) -> Result<bool, Diagnostics>;
    /// Starts again from the first byte: for a file that must be read whole after all.
    fn restart(&mut self) -> Result<(), Diagnostics>;
    /// The file's size, when known (to size the list of indicators once).
    fn size(&self) -> usize;
}

/// A file already in memory as a [`Source`] (the bundled example, tests).
pub struct Bytes<'a> {
    name: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(name: &'a str, bytes: &'a [u8]) -> Bytes<'a> {
        Bytes {
            name,
            bytes,
            pos: 0,
        }
    }
}

impl Source for Bytes<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn read(&mut self, buf: &mut Vec<u8>, max: usize) -> Result<bool, Diagnostics> {
        let end = self.pos.saturating_add(max).min(self.bytes.len());
        buf.extend_from_slice(&self.bytes[self.pos..end]);
        self.pos = end;
        Ok(end < self.bytes.len())
    }

    fn restart(&mut self) -> Result<(), Diagnostics> {
        self.pos = 0;
        Ok(())
    }

    fn size(&self) -> usize {
        self.bytes.len()
    }
}

/// The indicators gathered so far, and the problems found, in file order.
struct Indicators<'c, 'o> {
    peg: Peg,
    /// The objectives' codes; `None` when the objectives' file could not be read, and only
    /// the CSV syntax of the indicators' file is checked.
    codes: Option<&'c Known<'o>>,
    objectives_file: &'c str,
    groups: Vec<Group>,
    gather: Gather,
    /// Problems with the header, then with the CSV syntax of the rows.
    header: Diagnostics,
    syntax: Diagnostics,
    notes: Diagnostics,
    rows: Diagnostics,
}

impl Indicators<'_, '_> {
    /// Back to no indicator read (before reading the file again, whole).
    fn reset(&mut self) {
        self.peg.indicators.clear();
        self.peg.descriptions.clear();
        self.peg.targets.clear();
        self.peg.measures.clear();
        self.peg.manual.clear();
        self.groups = vec![Group::default(); self.peg.objectives.len()];
        self.gather = Gather::default();
        self.header = Diagnostics::default();
        self.syntax = Diagnostics::default();
        self.notes = Diagnostics::default();
        self.rows = Diagnostics::default();
    }

    fn take(&mut self, results: Checked) {
        for (block, d) in results {
            self.syntax.extend(d);
            if let Some(mut block) = block {
                self.rows.extend(std::mem::take(&mut block.diags));
                self.gather.add(&mut self.peg, &mut self.groups, block);
            }
        }
    }
}

/// Blocks checked and not yet gathered, in file order.
type Checked = Vec<(Option<IndicatorBlock>, Diagnostics)>;

/// Checks the blocks of one text of the indicators' file on all cores, a wave at a time,
/// each wave gathered while the next one is checked; `pending`, the last wave of the text
/// before, is gathered while the first wave of this one is checked. Returns the line after
/// the text and its own last wave, still to be gathered.
fn check_text(
    file: &CsvFile,
    st: &mut Indicators,
    pool: &Pool,
    mut pending: Checked,
) -> (usize, Checked) {
    let blocks = file.blocks(CHECK_BLOCK_BYTES);
    let (codes, objectives_file) = (st.codes, st.objectives_file);
    let check = |wave: &[Block]| -> Checked {
        wave.par_iter()
            .map(|&b| {
                let reuse = pool.lock().ok().and_then(|mut p| p.pop());
                let mut t = file.read_into(b, reuse.unwrap_or_default());
                let checked = codes.map(|c| read_indicator_rows(&t, c, objectives_file));
                let diags = std::mem::take(&mut t.diags);
                if let Ok(mut p) = pool.lock() {
                    p.push(t.recycle());
                }
                (checked, diags)
            })
            .collect()
    };
    for wave in blocks.chunks(WAVE_BLOCKS * rayon::current_num_threads().max(1)) {
        let done = std::mem::take(&mut pending);
        let (results, ()) = rayon::join(|| check(wave), || st.take(done));
        pending = results;
    }
    (file.line_after(&blocks), pending)
}

/// The lists of the blocks' tables already checked, to read the next blocks into: a large
/// file's million rows then do not take fresh memory block after block.
type Pool = std::sync::Mutex<Vec<crate::input::csv::Buffers>>;

/// Whether the indicators' file could be read in pieces.
enum Pieces {
    Read,
    /// Not UTF-8, or with quotes (a quoted cell may hold newlines): read it whole.
    Whole,
}

/// A piece of the indicators' file: whole records, read and checked as UTF-8 while the
/// piece before it is checked.
struct Piece {
    /// The records' text, or its bytes and the length of their valid UTF-8 start.
    text: Result<String, (Vec<u8>, usize)>,
    /// Whether the text has a `"` (a quoted cell may hold newlines).
    quoted: bool,
    /// The bytes after the last whole record: the start of the next piece.
    rest: Vec<u8>,
    /// False once the file has been read to the end.
    more: bool,
}

/// Reads onto `buf` (the bytes left from the piece before) at least `piece` bytes and a
/// whole record, or up to the end of the file, and cuts them after the last whole record.
fn next_piece(
    src: &mut dyn Source,
    mut buf: Vec<u8>,
    mut more: bool,
    piece: usize,
    first: bool,
) -> Result<Piece, Diagnostics> {
    while more && (buf.len() < piece || memchr::memrchr(b'\n', &buf).is_none()) {
        // Short of a piece, the rest of it; past it (a record longer than a piece), another.
        let want = match piece.saturating_sub(buf.len()) {
            0 => piece,
            short => short,
        };
        more = src.read(&mut buf, want)?;
    }
    let cut = if more {
        memchr::memrchr(b'\n', &buf).map_or(buf.len(), |i| i + 1)
    } else {
        buf.len()
    };
    let rest = buf[cut..].to_vec();
    buf.truncate(cut);
    if first && buf.starts_with(b"\xef\xbb\xbf") {
        buf.drain(..3);
    }
    let quoted = memchr::memchr(b'"', &buf).is_some();
    let text = String::from_utf8(buf).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        (e.into_bytes(), valid)
    });
    Ok(Piece {
        text,
        quoted,
        rest,
        more,
    })
}

/// Whether an indicators' file with these options can be read in pieces: not when declared
/// in Windows-1252, which is decoded whole (whether quotes or bytes outside UTF-8 make it
/// be read whole after all is found on the way).
pub fn reads_in_pieces(opts: CsvOptions) -> bool {
    opts.encoding != Encoding::Windows1252
}

/// Reads the indicators' file a piece of whole records at a time, each piece checked while
/// the next is read, so that the file is never whole in memory. Only for UTF-8 without
/// quotes; otherwise says so and the file is read whole.
fn read_pieces(
    src: &mut dyn Source,
    opts: CsvOptions,
    piece: usize,
    st: &mut Indicators,
) -> Result<Pieces, Diagnostics> {
    let piece = piece.max(1);
    if !reads_in_pieces(opts) {
        return Ok(Pieces::Whole);
    }
    let name = src.name().to_string();
    let mut current = next_piece(
        src,
        Vec::with_capacity(piece + (piece >> 2)),
        true,
        piece,
        true,
    )?;
    let mut template: Option<CsvFile<'static>> = None;
    let mut line = 1;
    let pool = Pool::default();
    let mut spare: Vec<u8> = Vec::new();
    let mut pending = Checked::new();
    loop {
        if current.quoted {
            return Ok(Pieces::Whole);
        }
        let text = match current.text {
            Ok(t) => t,
            Err(_) if opts.encoding == Encoding::Auto => return Ok(Pieces::Whole),
            Err((bytes, valid)) => {
                let bad = line + newlines(&bytes[..valid]);
                return Err(Diagnostics(vec![not_utf8(&name, bad)]));
            }
        };
        let file = match &template {
            Some(t) => t.continued(&text, line),
            None => {
                let f = CsvFile::open(
                    &name,
                    &text,
                    Diagnostics::default(),
                    INDICATOR_COLUMNS,
                    opts,
                )?;
                st.header = f.diags.clone();
                template = Some(f.continued("", 1));
                f
            }
        };
        let more = current.more;
        // This piece is checked while the next one is read, into the other of two buffers.
        let mut next = std::mem::take(&mut spare);
        next.clear();
        next.reserve(text.len() + current.rest.len());
        next.extend_from_slice(&current.rest);
        let (read, (next_line, last)) = rayon::join(
            || more.then(|| next_piece(src, next, more, piece, false)),
            || check_text(&file, st, &pool, pending),
        );
        drop(file);
        line = next_line;
        pending = last;
        spare = text.into_bytes();
        match read.transpose()? {
            // The file ended with this piece, or with a line end at its cut.
            None => break,
            Some(p) if !p.more && p.text.as_ref().is_ok_and(String::is_empty) => break,
            Some(p) => current = p,
        }
    }
    st.take(pending);
    Ok(Pieces::Read)
}

/// Reads the indicators' file: in pieces when it can, else whole.
fn read_indicators(
    src: &mut dyn Source,
    opts: CsvOptions,
    piece: usize,
    st: &mut Indicators,
) -> Result<(), Diagnostics> {
    if let Pieces::Read = read_pieces(src, opts, piece, st)? {
        return Ok(());
    }
    st.reset();
    src.restart()?;
    let mut bytes = Vec::with_capacity(src.size());
    while src.read(&mut bytes, usize::MAX)? {}
    let name = src.name().to_string();
    let (text, notes) = decode(&name, &bytes, opts)?;
    let file = CsvFile::open(&name, &text, notes, INDICATOR_COLUMNS, opts)?;
    st.header = file.diags.clone();
    st.notes = file.notes.clone();
    let (_, last) = check_text(&file, st, &Pool::default(), Checked::new());
    st.take(last);
    Ok(())
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
        cells.diags.push(err(
            &ot.file,
            0,
            "file troppo grande: oltre 4 GB di codici e titoli degli obiettivi".into(),
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
    let piece = piece_size(src.size());
    read_peg_pieces(objectives, src, weights, opts, piece)
}

/// The size of the pieces in which [`read_peg_from`] reads an indicators' file of
/// `file_size` bytes: small files in smaller pieces (the two piece buffers and the waves of
/// blocks being checked are most of their memory: with an eighth of the file, a
/// 10.000-manager ente peaked just over 3 times its input).
pub fn piece_size(file_size: usize) -> usize {
    (file_size / 16).clamp(BLOCK_BYTES, PIECE_BYTES)
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
        codes: ot.is_ok().then_some(&codes),
        objectives_file,
        gather: Gather::default(),
        header: Diagnostics::default(),
        syntax: Diagnostics::default(),
        notes: Diagnostics::default(),
        rows: Diagnostics::default(),
    };
    // At most one row per ten bytes: the unused part of the reserve is never touched.
    st.peg.indicators.reserve(src.size() / 10);
    let read = read_indicators(src, opts, piece, &mut st);
    match (&ot, read) {
        (Ok(_), Ok(())) if !st.header.has_errors() => {}
        (o, i) => {
            if let Err(d) = o {
                diags.extend(d.clone());
            }
            match i {
                Err(d) => diags.extend(d),
                // Every syntax problem of the file is still reported.
                Ok(()) => {
                    diags.extend(st.header);
                    diags.extend(st.syntax);
                }
            }
            return Err(diags);
        }
    }
    if st.syntax.has_errors() {
        let mut d = st.header;
        d.extend(st.syntax);
        return Err(d);
    }
    diags.extend(objective_diags);
    diags.extend(st.notes);
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
                diags.push(err(
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
    row: &crate::input::csv::Row,
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
fn check_period(
    cells: &mut Cells,
    row: &crate::input::csv::Row,
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
