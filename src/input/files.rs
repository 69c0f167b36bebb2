//! The loader: the only reading from disk. Reads the rules file and the data folder (or the
//! bundled example), the indicators' file a piece at a time ([`FileSource`]), hands the bytes
//! to the readers ([`peg`], [`staff`]) and gathers what they give ([`load_inputs`]), with the
//! SHA-256 of every file read. A file of the data folder may also come from an Excel workbook
//! (`dirigenti.xlsx`, or a sheet of `dati.xlsx`), turned into CSV text by [`xlsx`]; its
//! fingerprint is the workbook's. The data folder's listing is checked too: a file the engine
//! does not read is named with the closest expected name, a name differing only in case is an
//! error, and a rules section whose file is missing (`[interim]`, `[compensi_ex_lege]`) too.

use std::fs;
use std::path::{Path, PathBuf};

use super::csv::CsvOptions;
use super::pieces::Source;
use super::rules::parse_rules;
use super::xlsx::{self, Workbook, DATA_WORKBOOK};
use super::{peg, posts, reductions, staff};
use super::{
    ALL_FILES, EVALUATIONS_FILE, FEES_FILE, INDICATORS_FILE, INTERIM_FILE, LEAVERS_FILE,
    MANAGERS_FILE, OBJECTIVES_FILE, POSTS_FILE, REDUCTIONS_FILE,
};
use crate::diag::{io_message, sheet_file, Diagnostic, Diagnostics, Location};
use crate::engine::{Fingerprint, Inputs};
use crate::peg::Peg;
use crate::rules::Rules;
use crate::staff::Staff;

/// The bundled example: Comune di Prato, CCDI dirigenti 2019, embedded in the binary.
pub const EXAMPLE_RULES: &str = include_str!("../../rules/prato-2019.toml");
/// The name under which the bundled example appears in messages and outputs.
pub const EXAMPLE_RULES_NAME: &str = "esempio:prato-2019.toml";

/// The bundled example's CSV inputs: fictional managers of the Prato 2019 year.
pub const EXAMPLE_DATA: &[(&str, &[u8])] = &[
    (
        OBJECTIVES_FILE,
        include_bytes!("../../fixtures/prato-2019/obiettivi.csv"),
    ),
    (
        INDICATORS_FILE,
        include_bytes!("../../fixtures/prato-2019/indicatori.csv"),
    ),
    (
        MANAGERS_FILE,
        include_bytes!("../../fixtures/prato-2019/dirigenti.csv"),
    ),
    (
        EVALUATIONS_FILE,
        include_bytes!("../../fixtures/prato-2019/valutazioni.csv"),
    ),
    (
        INTERIM_FILE,
        include_bytes!("../../fixtures/prato-2019/interim.csv"),
    ),
    (
        FEES_FILE,
        include_bytes!("../../fixtures/prato-2019/compensi.csv"),
    ),
];
/// The folder name under which the bundled data appears in messages.
pub const EXAMPLE_DATA_NAME: &str = "esempio:prato-2019";
/// The name under which `ccdi esempio` writes the bundled rules file.
pub const EXAMPLE_RULES_FILE: &str = "prato-2019.toml";

/// The bundled example's files as `ccdi esempio` writes them, by name: the rules file, then
/// the data folder's CSVs (the bytes the binary holds).
pub fn example_files() -> Vec<(&'static str, &'static [u8])> {
    std::iter::once((EXAMPLE_RULES_FILE, EXAMPLE_RULES.as_bytes()))
        .chain(EXAMPLE_DATA.iter().copied())
        .collect()
}

/// The CSV files of a data folder, by name, as (display name, bytes); absent files are
/// missing from the map. The indicators' file of a folder on disk is not read here but in
/// pieces while it is checked ([`DataFiles::indicators`]).
#[derive(Debug, Clone, Default)]
pub struct DataFiles {
    pub files: std::collections::BTreeMap<&'static str, (String, Vec<u8>)>,
    /// `indicatori.csv` on disk: display name and path.
    pub indicators: Option<(String, PathBuf)>,
    /// The files of `files` that are a workbook's sheets (their text is not fingerprinted).
    pub sheets: Vec<&'static str>,
    /// The workbooks read, each with the name it sorts by among the files and the
    /// fingerprint of its bytes.
    pub workbooks: Vec<(&'static str, Fingerprint)>,
}

/// A file on disk read a piece at a time, its SHA-256 computed on the way.
pub struct FileSource {
    shown: String,
    path: PathBuf,
    file: fs::File,
    size: usize,
    hasher: sha2::Sha256,
}

impl FileSource {
    pub fn open(shown: &str, path: &Path) -> Result<FileSource, Diagnostics> {
        let file = open_regular(shown, path, DATA_FILE_MAX)?;
        let size = file.metadata().map_or(0, |m| m.len() as usize);
        Ok(FileSource {
            shown: shown.to_string(),
            path: path.to_path_buf(),
            file,
            size,
            hasher: sha2::Digest::new(),
        })
    }

    /// The fingerprint of the bytes read (the whole file once read to the end).
    pub fn fingerprint(self) -> Fingerprint {
        use sha2::Digest;
        Fingerprint::from_digest(&self.shown, &self.hasher.finalize())
    }
}

/// The most bytes of one file of the data folder (a CSV or a workbook), or of the declared
/// figures: far more than any ente's year (the largest generated ente's files are a few tens
/// of MiB), far less than would exhaust the memory.
pub const DATA_FILE_MAX: u64 = 256 << 20;
/// The most bytes of a rules file: a real one is a few KiB; room for 100.000 items.
pub const RULES_FILE_MAX: u64 = 16 << 20;

/// Opens a file to read, refused with a located error when it is not a regular file (a
/// folder, a FIFO that would block, a device like `/dev/zero` that never ends) or is larger
/// than `limit` bytes.
fn open_regular(shown: &str, path: &Path, limit: u64) -> Result<fs::File, Diagnostics> {
    let meta = fs::metadata(path).map_err(|e| unreadable(shown, &e))?;
    if !meta.is_file() {
        return Err(not_regular(shown, &meta.file_type()));
    }
    if meta.len() > limit {
        return Err(too_large(shown, limit));
    }
    let file = fs::File::open(path).map_err(|e| unreadable(shown, &e))?;
    // What was opened is checked again: the name may have changed in between.
    match file.metadata() {
        Ok(m) if m.is_file() => Ok(file),
        Ok(m) => Err(not_regular(shown, &m.file_type())),
        Err(e) => Err(unreadable(shown, &e)),
    }
}

/// Reads a whole regular file of at most `limit` bytes (see [`open_regular`]).
fn read_regular(shown: &str, path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostics> {
    use std::io::Read;
    let file = open_regular(shown, path, limit)?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(shown, &e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(shown, limit));
    }
    Ok(bytes)
}

/// The error of a path that is not a regular file, naming what it is.
fn not_regular(shown: &str, kind: &fs::FileType) -> Diagnostics {
    let what = if kind.is_dir() {
        "una cartella"
    } else {
        special_kind(kind)
    };
    Diagnostics(vec![Diagnostic::error(
        Location::file(shown),
        format!("non è un file da leggere ma {what}: indicare (o mettere nella cartella dei dati) un file normale con i dati"),
    )])
}

/// How messages name a special file.
#[cfg(unix)]
fn special_kind(kind: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "una pipe (FIFO), che si legge senza fine"
    } else if kind.is_char_device() || kind.is_block_device() {
        "un dispositivo (come /dev/zero)"
    } else if kind.is_socket() {
        "un socket"
    } else {
        "un file speciale"
    }
}

/// How messages name a special file.
#[cfg(not(unix))]
fn special_kind(_: &fs::FileType) -> &'static str {
    "un file speciale"
}

/// The error of a file past its size limit.
fn too_large(shown: &str, limit: u64) -> Diagnostics {
    let (what, usual) = if limit == RULES_FILE_MAX {
        ("il file delle regole", "pochi KB")
    } else {
        ("un file dei dati", "al più qualche decina di MB")
    };
    Diagnostics(vec![Diagnostic::error(
        Location::file(shown),
        format!(
            "file troppo grande: oltre {} MB, il limite per {what} (di solito è di {usual}); controllare che sia il file giusto",
            limit >> 20
        ),
    )])
}

/// A file that could not be read, in Italian, at the file.
fn unreadable(shown: &str, e: &std::io::Error) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        Location::file(shown),
        format!("impossibile leggere il file: {}", io_message(e)),
    )])
}

impl Source for FileSource {
    fn name(&self) -> &str {
        &self.shown
    }

    fn read(&mut self, buf: &mut Vec<u8>, max: usize) -> Result<bool, Diagnostics> {
        use sha2::Digest;
        use std::io::Read;
        let from = buf.len();
        let want = max.min(usize::MAX / 2);
        let got = (&mut self.file)
            .take(want as u64)
            .read_to_end(buf)
            .map_err(|e| unreadable(&self.shown, &e))?;
        self.hasher.update(&buf[from..]);
        Ok(got == want && got > 0)
    }

    fn restart(&mut self) -> Result<(), Diagnostics> {
        use sha2::Digest;
        let again = FileSource::open(&self.shown, &self.path)?;
        self.file = again.file;
        self.size = again.size;
        self.hasher = sha2::Sha256::new();
        Ok(())
    }

    fn size(&self) -> usize {
        self.size
    }
}

impl DataFiles {
    /// Whether the folder holds a file of the PEG (read or not).
    pub fn has_peg(&self) -> bool {
        self.indicators.is_some()
            || self.get(OBJECTIVES_FILE).is_some()
            || self.get(INDICATORS_FILE).is_some()
    }

    /// A file's display name and bytes, if present.
    pub fn get(&self, name: &str) -> Option<(&str, &[u8])> {
        self.files
            .get(name)
            .map(|(n, b)| (n.as_str(), b.as_slice()))
    }
}

/// The bytes of the data folder's known CSV files and workbooks (of the bundled example's
/// when `None`), by their size on disk: what a run is about to read.
pub fn input_size(dir: Option<&Path>) -> u64 {
    match dir {
        None => EXAMPLE_DATA.iter().map(|(_, b)| b.len() as u64).sum(),
        Some(d) => ALL_FILES
            .iter()
            .map(|n| d.join(n))
            .chain(workbook_paths(d))
            .filter_map(|p| fs::metadata(p).ok())
            .map(|m| m.len())
            .sum(),
    }
}

/// Reads the known CSV files of a data folder (or the bundled example when `None`).
pub fn load_data(dir: Option<&Path>) -> Result<DataFiles, Diagnostics> {
    let mut out = DataFiles::default();
    let Some(dir) = dir else {
        for (name, bytes) in EXAMPLE_DATA {
            out.files.insert(
                name,
                (format!("{EXAMPLE_DATA_NAME}/{name}"), bytes.to_vec()),
            );
        }
        return Ok(out);
    };
    if !dir.is_dir() {
        return Err(Diagnostics(vec![Diagnostic::error(
            Location::file(&dir.display().to_string()),
            "la cartella dei dati non esiste o non è una cartella",
        )]));
    }
    let mut diags = Diagnostics::default();
    // Read on all cores (most of the time goes in taking fresh memory for the bytes);
    // problems in the files' order.
    use rayon::prelude::*;
    enum Found {
        Absent,
        /// The indicators' file, read later in pieces.
        InPieces,
        Read(Result<Vec<u8>, Diagnostics>),
    }
    let found: Vec<_> = ALL_FILES
        .par_iter()
        .map(|&name| {
            let path = dir.join(name);
            let f = if !path.exists() {
                Found::Absent
            } else if name == INDICATORS_FILE {
                Found::InPieces
            } else {
                Found::Read(read_bytes(&path, DATA_FILE_MAX))
            };
            (name, path, f)
        })
        .collect();
    for (name, path, f) in found {
        let shown = path.display().to_string();
        match f {
            Found::Absent => {}
            Found::InPieces => out.indicators = Some((shown, path)),
            Found::Read(Ok(bytes)) => {
                out.files.insert(name, (shown, bytes));
            }
            Found::Read(Err(d)) => diags.extend(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(out)
}

/// Reads a regular file's bytes, at most `limit`; an unreadable file is a located error.
pub(crate) fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostics> {
    read_regular(&path.display().to_string(), path, limit)
}

/// A text file's bytes as text: UTF-8 (BOM dropped), or else Windows-1252 with a warning
/// naming the first line that is not UTF-8.
fn decode_text(name: &str, bytes: &[u8]) -> (String, Option<Diagnostic>) {
    // UTF-16 with its byte order mark (Notepad's "Unicode"): read as it is.
    if let Some(utf16) = match bytes {
        [0xff, 0xfe, ..] => Some(encoding_rs::UTF_16LE),
        [0xfe, 0xff, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    } {
        return (utf16.decode_with_bom_removal(bytes).0.into_owned(), None);
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), None),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            let warning = Diagnostic::warning(
                Location::at(name, line, 0, None),
                "il file non è in UTF-8 (primo byte non valido in questa riga): letto come Windows-1252; controllare le lettere accentate",
            );
            (text.into_owned(), Some(warning))
        }
    }
}

/// Loads and validates the rules: from `path`, or the bundled example when `None`.
pub fn load_rules(path: Option<&Path>) -> Result<(Rules, Diagnostics), Diagnostics> {
    load_rules_text(path).map(|(r, d, _)| (r, d))
}

/// Like [`load_rules`], also returning the fingerprint of the text read.
fn load_rules_text(path: Option<&Path>) -> Result<(Rules, Diagnostics, Fingerprint), Diagnostics> {
    let (name, bytes) = match path {
        None => (
            EXAMPLE_RULES_NAME.to_string(),
            EXAMPLE_RULES.as_bytes().to_vec(),
        ),
        Some(p) => (p.display().to_string(), read_bytes(p, RULES_FILE_MAX)?),
    };
    // The fingerprint is of the bytes on disk, as `sha256sum` would print it.
    let fp = Fingerprint::of(&name, &bytes);
    let (text, warning) = decode_text(&name, &bytes);
    if text.lines().next().is_some_and(|l| l.contains('\0')) {
        return Err(Diagnostics(vec![Diagnostic::error(
            Location::at(&name, 1, 0, None),
            "la prima riga contiene caratteri nulli: il file sembra in UTF-16 senza il segno iniziale (BOM); salvarlo in UTF-8 (nel Blocco note: Salva con nome, codifica \"UTF-8\")",
        )]));
    }
    let with_warning = |mut d: Diagnostics| {
        if let Some(w) = &warning {
            d.list.insert(0, w.clone());
        }
        d
    };
    match parse_rules(&name, &text) {
        Ok((r, d)) => Ok((r, with_warning(d), fp)),
        Err(d) => Err(with_warning(d)),
    }
}

/// The value, or `None` with its problems added to `diags`.
fn keep<T>(r: Result<T, Diagnostics>, diags: &mut Diagnostics) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(d) => {
            diags.extend(d);
            None
        }
    }
}

/// Reads and validates everything a run needs: the rules (or the bundled example), and the
/// data folder's CSV files and workbooks (or the bundled example's when neither is given).
/// All problems of all files are reported together; warnings come back with the inputs.
pub fn load_inputs(
    rules: Option<&Path>,
    data: Option<&Path>,
) -> Result<(Inputs, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut fingerprints = Vec::new();
    let mut rules_v = keep(load_rules_text(rules), &mut diags).map(|(r, w, fp)| {
        diags.extend(w);
        fingerprints.push(fp);
        r
    });
    // A misnamed file stops the data's reading: its absence would be reported as well.
    let listing = data.map(|d| folder_listing(d, rules)).unwrap_or_default();
    let named_right = !listing.has_errors();
    diags.extend(listing);
    let files = if (rules.is_none() || data.is_some()) && named_right {
        let opts = rules_v.as_ref().map(|r| r.csv).unwrap_or_default();
        keep(load_data(data), &mut diags).map(|mut f| {
            if let Some(dir) = data {
                diags.extend(load_workbooks(dir, opts, &mut f));
            }
            f
        })
    } else {
        None
    };
    let folder = data.map_or(EXAMPLE_DATA_NAME.to_string(), |d| d.display().to_string());
    let (peg, staff) = match &files {
        Some(f) => {
            let read = read_data(f, rules_v.as_ref(), &folder);
            fingerprints.extend(read.fingerprints);
            diags.extend(read.diags);
            (read.peg, read.staff)
        }
        None => (None, None),
    };
    if let (Some(r), Some(f)) = (&mut rules_v, &files) {
        diags.extend(declared_files(r, f, &folder));
        diags.extend(super::leavers::read_leavers(f.get(LEAVERS_FILE), r));
    }
    if let (Some(r), Some(s)) = (&rules_v, &staff) {
        let peg_files = files.as_ref().is_some_and(DataFiles::has_peg);
        diags.extend(staff::check_components(r, s, peg.as_ref(), peg_files));
    }
    match rules_v {
        Some(rules) if !diags.has_errors() => Ok((
            Inputs {
                rules,
                peg,
                staff,
                previous: None,
                fingerprints,
            },
            diags,
        )),
        _ => Err(diags),
    }
}

/// What the data folder's files gave: the PEG and the staff (each when its files could be
/// read), their problems (the PEG's first) and the files' fingerprints in the order of their
/// names, as if all had been read whole.
struct DataRead {
    peg: Option<Peg>,
    staff: Option<Staff>,
    diags: Diagnostics,
    fingerprints: Vec<Fingerprint>,
}

/// Reads the PEG's files and the staff's on two cores (their problems then reported as if
/// read one after the other), the files read whole fingerprinted on the staff's core. The
/// indicators' file of a folder is read in pieces while it is checked, its fingerprint
/// computed on the way.
fn read_data(f: &DataFiles, rules: Option<&Rules>, folder: &str) -> DataRead {
    let opts = rules.map(|r| r.csv).unwrap_or_default();
    // Targets are read in the fund's year (`entro il 30/06`).
    let settings = peg::PegSettings {
        weights: rules.map(|r| r.weights).unwrap_or_default(),
        year: rules.map(|r| r.year),
    };
    // The indicators' file, opened before the cores part.
    let (mut file, open_error) = match (f.get(OBJECTIVES_FILE), &f.indicators) {
        (Some(_), Some((shown, path))) => match FileSource::open(shown, path) {
            Ok(src) => (Some(src), None),
            Err(e) => (None, Some(e)),
        },
        _ => (None, None),
    };
    let read_peg = |src: Option<&mut dyn Source>| {
        let on_disk = match (src, &open_error) {
            (Some(src), _) => Some(Ok(src)),
            (None, Some(e)) => Some(Err(e.clone())),
            (None, None) => None,
        };
        peg_files(f, on_disk, settings, opts, folder)
    };
    // The fingerprints after the staff, which is read sooner than the objectives: the
    // objectives' file, the longest of the three, starts at once.
    let staff_and_fingerprints = || (staff_files(f, rules, opts, folder), whole_fingerprints(f));
    let ((peg, mut diags), ((staff, staff_diags), mut fps)) = rayon::join(
        || read_peg(file.as_mut().map(|s| s as &mut dyn Source)),
        staff_and_fingerprints,
    );
    // The indicators' file was read to its end (in pieces, or whole after all).
    fps.extend(file.map(|src| (INDICATORS_FILE, src.fingerprint())));
    fps.sort_by_key(|(key, _)| *key);
    diags.extend(staff_diags);
    DataRead {
        peg,
        staff,
        diags,
        fingerprints: fps.into_iter().map(|(_, fp)| fp).collect(),
    }
}

/// The error of a file given without the one it goes with.
fn together(folder: &str, a: &str, b: &str) -> Diagnostic {
    Diagnostic::error(
        Location::file(folder),
        format!("{a} e {b} vanno forniti insieme"),
    )
}

/// The PEG from its two files, the indicators' read from disk (`on_disk`: opened, or why
/// not) or from memory; one without the other is an error.
fn peg_files(
    f: &DataFiles,
    on_disk: Option<Result<&mut dyn Source, Diagnostics>>,
    settings: peg::PegSettings,
    opts: CsvOptions,
    folder: &str,
) -> (Option<Peg>, Diagnostics) {
    let mut d = Diagnostics::default();
    let read = match (f.get(OBJECTIVES_FILE), on_disk, f.get(INDICATORS_FILE)) {
        (Some(o), Some(Ok(src)), _) => peg::read_peg_from(o, src, settings, opts),
        (Some(_), Some(Err(e)), _) => Err(e),
        (Some(o), None, Some(i)) => peg::read_peg(o, i, settings, opts),
        (None, None, None) => return (None, d),
        _ => {
            d.push(together(folder, OBJECTIVES_FILE, INDICATORS_FILE));
            return (None, d);
        }
    };
    let peg = keep(read, &mut d).map(|(p, w)| {
        d.extend(w);
        p
    });
    (peg, d)
}

/// The staff from its files (the fund year from the rules); the two main files go together,
/// and interim assignments and fees need them.
fn staff_files(
    f: &DataFiles,
    rules: Option<&Rules>,
    opts: CsvOptions,
    folder: &str,
) -> (Option<Staff>, Diagnostics) {
    let mut d = Diagnostics::default();
    let staff = match (f.get(MANAGERS_FILE), f.get(EVALUATIONS_FILE), rules) {
        (Some(m), Some(e), Some(r)) => {
            let interims = f.get(INTERIM_FILE);
            let (read, w) = staff::read_staff(
                (r.year, r.pay.service),
                m,
                e,
                interims,
                f.get(FEES_FILE),
                opts,
            );
            d.extend(w);
            let read = read.map(|s| with_reductions(s, f, opts, &mut d));
            read.map(|s| with_posts(s, f, r, opts, &mut d))
        }
        (None, None, _) => {
            for name in [INTERIM_FILE, FEES_FILE, REDUCTIONS_FILE, POSTS_FILE] {
                if f.get(name).is_some() {
                    d.push(together(folder, name, MANAGERS_FILE));
                }
            }
            None
        }
        (Some(_), None, _) | (None, Some(_), _) => {
            d.push(together(folder, MANAGERS_FILE, EVALUATIONS_FILE));
            None
        }
        _ => None,
    };
    (staff, d)
}

/// The staff with the reductions of `riduzioni.csv`, when the folder has it.
fn with_reductions(mut s: Staff, f: &DataFiles, opts: CsvOptions, d: &mut Diagnostics) -> Staff {
    if let Some(file) = f.get(REDUCTIONS_FILE) {
        d.extend(reductions::read_reductions(file, &mut s, opts));
    }
    s
}

/// The staff with the organisation chart of `posti.csv`, when the folder has it; without
/// it, the rules' keys that need it are errors.
fn with_posts(
    mut s: Staff,
    f: &DataFiles,
    rules: &Rules,
    opts: CsvOptions,
    d: &mut Diagnostics,
) -> Staff {
    match f.get(POSTS_FILE) {
        Some(file) => d.extend(posts::read_posts(file, &mut s, rules, opts)),
        None => d.extend(posts::missing_chart(rules)),
    }
    s
}

/// The fingerprints of the data files read whole, by name: a workbook's sheets by the
/// workbook's.
fn whole_fingerprints(f: &DataFiles) -> Vec<(&'static str, Fingerprint)> {
    f.files
        .iter()
        .filter(|(key, _)| !f.sheets.contains(key))
        .map(|(key, (name, bytes))| (*key, Fingerprint::of(name, bytes)))
        .chain(f.workbooks.iter().cloned())
        .collect()
}

/// The workbooks of a data folder, turned into the CSV text of the files they stand for:
/// `dirigenti.xlsx` and the like, then `dati.xlsx`, one sheet per file. A file given twice
/// (as `.csv` and `.xlsx`, or also as a sheet) is an error naming both.
fn load_workbooks(dir: &Path, opts: CsvOptions, out: &mut DataFiles) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for name in ALL_FILES {
        let path = dir.join(xlsx::workbook_file(name));
        if path.exists() {
            diags.extend(file_workbook(name, &path, opts, out));
        }
    }
    let path = dir.join(DATA_WORKBOOK);
    if path.exists() {
        diags.extend(data_workbook(&path, opts, out));
    }
    diags
}

/// The workbooks a data folder may hold, those present: what a run reads besides the CSVs.
fn workbook_paths(dir: &Path) -> Vec<PathBuf> {
    ALL_FILES
        .iter()
        .map(|n| xlsx::workbook_file(n))
        .chain(std::iter::once(DATA_WORKBOOK.to_string()))
        .map(|n| dir.join(n))
        .filter(|p| p.exists())
        .collect()
}

/// Where a data file was already found (its display name), if it was.
fn given_as(out: &DataFiles, name: &str) -> Option<String> {
    match out.files.get(name) {
        Some((shown, _)) => Some(shown.clone()),
        None if name == INDICATORS_FILE => out.indicators.as_ref().map(|(s, _)| s.clone()),
        None => None,
    }
}

/// The error of a data file given twice: here (`shown`) and in `first`.
fn twice(shown: &str, first: &str, name: &str) -> Diagnostics {
    let what = xlsx::stem(name);
    Diagnostics(vec![Diagnostic::error(
        Location::file(shown),
        format!("i dati \"{what}\" sono sia qui sia in {first}: tenerne uno solo (togliere l'altro file dalla cartella, o il foglio dalla cartella di lavoro)"),
    )])
}

/// Reads and opens a workbook of the data folder, then hands `use_it` its display name,
/// bytes and the open workbook; one that cannot be read or opened is its error.
fn with_workbook(
    path: &Path,
    use_it: impl FnOnce(&str, &[u8], &mut Workbook) -> Diagnostics,
) -> Diagnostics {
    let shown = path.display().to_string();
    let bytes = match read_bytes(path, DATA_FILE_MAX) {
        Ok(b) => b,
        Err(d) => return d,
    };
    match Workbook::open(&shown, &bytes) {
        Ok(mut book) => use_it(&shown, &bytes, &mut book),
        Err(d) => d,
    }
}

/// A sheet's text as the data file `name`.
fn add_sheet(out: &mut DataFiles, name: &'static str, text: xlsx::SheetText) {
    out.files.insert(name, (text.shown, text.bytes));
    out.sheets.push(name);
}

/// A data file given as its own workbook (`dirigenti.xlsx`): its only sheet, or the one named
/// like the file.
fn file_workbook(
    name: &'static str,
    path: &Path,
    opts: CsvOptions,
    out: &mut DataFiles,
) -> Diagnostics {
    if let Some(first) = given_as(out, name) {
        return twice(&path.display().to_string(), &first, name);
    }
    with_workbook(path, |shown, bytes, book| {
        let sheet = match xlsx::pick_sheet(&book.sheet_names(), name) {
            Ok(s) => s,
            Err(msg) => return Diagnostics(vec![Diagnostic::error(Location::file(shown), msg)]),
        };
        match book.sheet_text(&sheet, opts) {
            Ok(text) => {
                add_sheet(out, name, text);
                out.workbooks.push((name, Fingerprint::of(shown, bytes)));
                Diagnostics::default()
            }
            Err(d) => d,
        }
    })
}

/// `dati.xlsx`: each sheet named like a data file is that file; any other sheet is an
/// avviso.
fn data_workbook(path: &Path, opts: CsvOptions, out: &mut DataFiles) -> Diagnostics {
    with_workbook(path, |shown, bytes, book| {
        let mut diags = Diagnostics::default();
        let mut read_any = false;
        for sheet in book.sheet_names() {
            let Some(name) = xlsx::file_of_sheet(&sheet) else {
                diags.push(xlsx::unknown_sheet(shown, &sheet));
                continue;
            };
            if let Some(first) = given_as(out, name) {
                diags.extend(twice(&sheet_file(shown, &sheet), &first, name));
                continue;
            }
            match book.sheet_text(&sheet, opts) {
                Ok(text) => {
                    add_sheet(out, name, text);
                    read_any = true;
                }
                Err(d) => diags.extend(d),
            }
        }
        if read_any {
            out.workbooks
                .push((DATA_WORKBOOK, Fingerprint::of(shown, bytes)));
        }
        diags
    })
}

/// Reads the declared figures of a signed document (`voce;importo`) for `verifica`.
pub fn load_declared(path: &Path) -> Result<Vec<crate::audit::Declared>, Diagnostics> {
    use super::csv::{req, Cells, Column, Table};
    const COLUMNS: &[Column] = &[req("voce"), req("importo")];
    let name = path.display().to_string();
    let bytes = read_regular(&name, path, DATA_FILE_MAX)?;
    let table = Table::parse(&name, &bytes, COLUMNS, Default::default())?;
    let mut cells = Cells::new(&table);
    let mut out = Vec::new();
    for row in &table.rows {
        if let (Some(voce), Some(amount)) = (cells.text(row, "voce"), cells.amount(row, "importo"))
        {
            out.push(crate::audit::Declared {
                voce,
                declared: amount,
                origin: table.origin(row).to_string(),
            });
        }
    }
    if cells.diags.has_errors() {
        return Err(cells.diags);
    }
    Ok(out)
}

/// Reads a certified `fondo.json` (as `calcola --out` writes it) as one side of `ccdi
/// confronta`, with its fingerprint.
pub fn load_compared(path: &Path) -> Result<(crate::compare::Side, Fingerprint), Diagnostics> {
    let name = path.display().to_string();
    let bytes = read_bytes(path, DATA_FILE_MAX)?;
    let side = super::compared::side(&name, &bytes)?;
    Ok((side, Fingerprint::of(&name, &bytes)))
}

/// The files a run reads from disk (not the bundled example): the rules file and the data
/// folder's known CSV files and workbooks. `--out` must never overwrite any of them.
pub fn input_paths(rules: Option<&Path>, data: Option<&Path>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = rules.map(Path::to_path_buf).into_iter().collect();
    if let Some(d) = data {
        out.extend(ALL_FILES.iter().map(|n| d.join(n)).filter(|p| p.exists()));
        out.extend(workbook_paths(d));
    }
    out
}

/// The sub-folders of a batch folder, sorted by name: (name, path).
pub fn list_subfolders(dir: &Path) -> Result<Vec<(String, PathBuf)>, Diagnostics> {
    let shown = dir.display().to_string();
    let entries = fs::read_dir(dir).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            Location::file(&shown),
            format!(
                "impossibile leggere la cartella del lotto: {}",
                io_message(&e)
            ),
        )])
    })?;
    let mut out: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
        .collect();
    out.sort();
    if out.is_empty() {
        return Err(Diagnostics(vec![Diagnostic::error(
            Location::file(&shown),
            "la cartella del lotto non contiene sottocartelle di enti (una per ente, con regole.toml e i CSV)",
        )]));
    }
    Ok(out)
}

/// Files a data folder may hold that are not data: the templates' column guide, and the
/// system's own (names starting with `.` or `~$`, `Thumbs.db`, `desktop.ini`).
fn not_data(name: &str) -> bool {
    name == "LEGGIMI.txt"
        || name.starts_with('.')
        || name.starts_with("~$")
        || name.eq_ignore_ascii_case("thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

/// Whether the engine reads the file `name` of a data folder.
fn read_by_engine(name: &str) -> bool {
    expected_names().iter().any(|e| e == name)
}

/// Every name the data folder's files may have: each CSV, its workbook (`dirigenti.xlsx`) and
/// the one workbook of all the data (`dati.xlsx`).
fn expected_names() -> Vec<String> {
    let mut names: Vec<String> = ALL_FILES.iter().map(|f| f.to_string()).collect();
    names.extend(ALL_FILES.iter().map(|f| xlsx::workbook_file(f)));
    names.push(xlsx::DATA_WORKBOOK.to_string());
    names
}

/// The data folder's files that the engine does not read: an avviso for each, with the
/// closest expected name; an error when the name differs from an expected one only in case
/// (on Linux the file would be silently ignored). The rules file, when it is in the folder,
/// and [`not_data`] files are not reported; sub-folders neither. A folder that cannot be
/// listed is left to [`load_data`].
fn folder_listing(dir: &Path, rules: Option<&Path>) -> Diagnostics {
    let Ok(entries) = fs::read_dir(dir) else {
        return Diagnostics::default();
    };
    let rules_file = rules.and_then(|r| fs::canonicalize(r).ok());
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .filter(|e| rules_file.is_none() || fs::canonicalize(e.path()).ok() != rules_file)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut diags = Diagnostics::default();
    for name in names.iter().filter(|n| !read_by_engine(n) && !not_data(n)) {
        diags.push(unread_file(dir, name, &names));
    }
    diags
}

/// The problem of a file the engine does not read, among the folder's `names`.
fn unread_file(dir: &Path, name: &str, names: &[String]) -> Diagnostic {
    let shown = dir.join(name).display().to_string();
    let expected = expected_names();
    let same_but_case = expected
        .iter()
        .find(|e| e.eq_ignore_ascii_case(name) && !names.iter().any(|n| n == *e));
    if let Some(expected) = same_but_case {
        return Diagnostic::error(
            Location::file(&shown),
            format!(
                "il file va chiamato {expected}, tutto in minuscolo: i nomi dei file distinguono maiuscole e minuscole (su Linux questo file non verrebbe letto); rinominarlo {expected}"
            ),
        );
    }
    // A workbook is told the workbook's name (`indicatori PEG.xlsx` → `indicatori.xlsx`).
    let as_given = |e: &str| {
        if name.to_lowercase().ends_with(".xlsx") {
            xlsx::workbook_file(e)
        } else {
            e.to_string()
        }
    };
    let hint = match closest_expected(name).map(as_given) {
        Some(e) => format!("forse {e}? Se contiene quei dati, rinominarlo {e}"),
        None if name.to_lowercase().ends_with(".toml") => {
            "le regole sono solo quelle indicate con --regole".to_string()
        }
        None => "se contiene dati del calcolo, rinominarlo con uno di quei nomi".to_string(),
    };
    Diagnostic::warning(
        Location::file(&shown),
        format!(
            "file non letto: nella cartella dei dati si leggono solo {} (o gli stessi nomi con .xlsx, o {}); {hint}",
            ALL_FILES.join(", "),
            xlsx::DATA_WORKBOOK
        ),
    )
}

/// The expected file name closest to `name`: the one whose name (without `.csv`) the file's
/// name contains (`interim 2023.csv`, `compensi_ex_lege.csv`), or else the nearest by edit
/// distance within a third of its length (`valutazione.csv`).
fn closest_expected(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    let stem = lower.rsplit_once('.').map_or(lower.as_str(), |(s, _)| s);
    let stem_of = |e: &str| e.trim_end_matches(".csv").to_string();
    let contained = ALL_FILES
        .iter()
        .filter(|e| stem.contains(&stem_of(e)))
        .max_by_key(|e| e.len());
    if let Some(e) = contained {
        return Some(e);
    }
    ALL_FILES
        .iter()
        .map(|e| (edit_distance(stem, &stem_of(e)), *e))
        .filter(|(d, e)| *d <= (e.len() - 4) / 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, e)| e)
}

/// The edit distance (Levenshtein) between two short texts, by characters.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The sections of the rules that need a file of the data folder: `[interim]` the interim
/// assignments, `[compensi_ex_lege]` the fees. When the folder has the managers but not the
/// section's file, an error naming the missing file (without it the section would silently
/// do nothing).
fn declared_files(rules: &Rules, f: &DataFiles, folder: &str) -> Diagnostics {
    const NEEDS: [(&str, &str, &str); 2] = [
        ("interim", INTERIM_FILE, "gli incarichi ad interim"),
        ("compensi_ex_lege", FEES_FILE, "i compensi ex lege"),
    ];
    let mut diags = Diagnostics::default();
    if f.get(MANAGERS_FILE).is_none() {
        return diags;
    }
    for (section, file, what) in NEEDS {
        if rules.source_of(section).is_some() && f.get(file).is_none() {
            let shown = Path::new(folder).join(file).display().to_string();
            diags.push(Diagnostic::error(
                Location::at(&shown, 0, 0, Some(section.to_string())),
                format!(
                    "manca {file}: le regole ({}) dichiarano la sezione [{section}], ma la cartella dei dati non ha il file con {what}; aggiungere {file} (con la sola riga delle intestazioni se quest'anno non ce ne sono) oppure togliere [{section}] dalle regole",
                    rules.file
                ),
            ));
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misnamed_file_gets_the_closest_expected_name() {
        let cases = [
            ("interim 2023.csv", Some(INTERIM_FILE)),
            ("compensi_ex_lege.csv", Some(FEES_FILE)),
            ("Valutazione.csv", Some(EVALUATIONS_FILE)),
            ("dirigneti.csv", Some(MANAGERS_FILE)),
            ("indicatori PEG.xlsx", Some(INDICATORS_FILE)),
            ("note.txt", None),
            ("bilancio.csv", None),
        ];
        for (name, want) in cases {
            assert_eq!(closest_expected(name), want, "{name}");
        }
    }

    #[test]
    fn workbooks_are_read_and_named_like_the_csv_files() {
        for name in [
            "dirigenti.xlsx",
            "indicatori.xlsx",
            "dati.xlsx",
            "compensi.csv",
        ] {
            assert!(read_by_engine(name), "{name}");
        }
        let names = ["Dati.xlsx".to_string(), "indicatori PEG.xlsx".to_string()];
        let case = unread_file(Path::new("d"), "Dati.xlsx", &names);
        assert!(
            case.is_error() && case.message.contains("dati.xlsx"),
            "{case}"
        );
        let near = unread_file(Path::new("d"), "indicatori PEG.xlsx", &names);
        assert!(
            !near.is_error() && near.message.contains("forse indicatori.xlsx?"),
            "{near}"
        );
    }

    /// The bytes of a file read through a [`FileSource`] in reads of `max` bytes, and the
    /// fingerprint. With `restart`, the first `restart` bytes are read, then the file is read
    /// again from its start.
    fn read_through(path: &Path, max: usize, restart: Option<usize>) -> (Vec<u8>, Fingerprint) {
        let mut s = FileSource::open("f.csv", path).unwrap();
        if let Some(n) = restart {
            s.read(&mut Vec::new(), n).unwrap();
            s.restart().unwrap();
        }
        let mut bytes = Vec::new();
        while s.read(&mut bytes, max).unwrap() {}
        (bytes, s.fingerprint())
    }

    #[test]
    fn a_file_read_in_pieces_reads_the_same_bytes_and_fingerprint() {
        let dir = std::env::temp_dir().join(format!("ccdi-pieces-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        // Three pieces and a bit (pieces are at least 1 MiB), and a file shorter than one.
        for len in [(3 << 20) + 12_345, 5_000, 0] {
            let content: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let path = dir.join(format!("f{len}.csv"));
            fs::write(&path, &content).unwrap();
            let want = Fingerprint::of("f.csv", &content);
            // Read again from the start after 10 bytes: the same bytes, once.
            for restart in [None, Some(10)] {
                for max in [1_000, 1 << 20, usize::MAX] {
                    let (bytes, fp) = read_through(&path, max, restart);
                    let case = format!("{len} bytes, reads of {max}, {restart:?}");
                    assert!(bytes == content, "{case}");
                    assert_eq!(fp, want, "{case}");
                }
            }
        }
        let _ = fs::remove_dir_all(&dir);
    }
}
