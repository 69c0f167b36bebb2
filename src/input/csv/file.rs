//! A CSV file's header read against the expected columns, and its body cut into blocks of
//! whole records ([`Block`]) that any core can split into rows and cells: plainly at the
//! delimiters and line ends where there are no quotes, by the `csv` crate where there are.

use super::scan::may_hold_control;
use super::table::{Buffers, Row, Table, OWN};
use super::{decode, names, normalize_header, Column, CsvOptions};
use crate::diag::{escaped, is_control, Diagnostic, Diagnostics, Location};

/// Bytes of text in one block of rows: each block is read and checked on its own core.
pub const BLOCK_BYTES: usize = 1 << 20;

/// A run of complete records of a file's text: bytes `start..end`, the first on `line`
/// (1-based, counting every newline before it). `quoted` blocks hold a `"` and are read by
/// the `csv` crate; the others by the plain splitter, which gives the same cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub quoted: bool,
}

/// A decoded CSV file whose header has been read against the expected columns. Its body is
/// cut into [`Block`]s of complete records, which can be read on all cores in any order.
pub struct CsvFile<'a> {
    file: String,
    shared_file: std::sync::Arc<str>,
    columns: &'static [Column],
    /// Field index (0-based) in the file of each expected column.
    positions: Vec<Option<usize>>,
    /// For each field of the header, the expected column it fills.
    slots: Vec<Option<usize>>,
    /// Fields in the header (text beyond them is refused).
    width: usize,
    delimiter: u8,
    text: &'a str,
    /// Byte where the records after the header start.
    body: usize,
    /// The line the text starts on: 1, or later for a piece of a file read in pieces.
    first_line: usize,
    /// Problems with the header.
    pub diags: Diagnostics,
    /// Warnings on how the file was read (e.g. the encoding).
    pub notes: Diagnostics,
}

impl<'a> CsvFile<'a> {
    /// Reads the header. A file without one is an error at once; other header problems are
    /// kept in `diags` and the rows are still read, so that every problem is reported.
    pub fn open(
        file: &str,
        text: &'a str,
        notes: Diagnostics,
        columns: &'static [Column],
        opts: CsvOptions,
    ) -> Result<CsvFile<'a>, Diagnostics> {
        utf16_without_mark(file, text)?;
        let delimiter = opts.delimiter.unwrap_or_else(|| detect_delimiter(text));
        let (header, body) = read_header(file, text, delimiter, columns)?;
        if let Some(e) = wrong_delimiter(file, &header, delimiter, columns, opts) {
            return Err(Diagnostics(vec![e]));
        }
        let Header {
            positions,
            slots,
            mut diags,
        } = match_header(file, &header, columns);
        missing_columns(file, &positions, columns, &mut diags);
        Ok(CsvFile {
            file: file.to_string(),
            shared_file: file.into(),
            columns,
            positions,
            width: slots.len(),
            slots,
            delimiter,
            text,
            body,
            first_line: 1,
            diags,
            notes,
        })
    }

    /// The same header over another piece of the same file: `text` holds whole records
    /// only, the first of them on `first_line`.
    pub fn continued<'b>(&self, text: &'b str, first_line: usize) -> CsvFile<'b> {
        CsvFile {
            file: self.file.clone(),
            shared_file: self.shared_file.clone(),
            columns: self.columns,
            positions: self.positions.clone(),
            slots: self.slots.clone(),
            width: self.width,
            delimiter: self.delimiter,
            text,
            body: 0,
            first_line,
            diags: Diagnostics::default(),
            notes: Diagnostics::default(),
        }
    }

    /// The line after the last one of the text, from its [`CsvFile::blocks`] (only the last
    /// block's newlines are counted again).
    pub fn line_after(&self, blocks: &[Block]) -> usize {
        let bytes = self.text.as_bytes();
        match blocks.last() {
            Some(b) => b.line + newlines(&bytes[b.start..b.end]),
            None => self.first_line + newlines(bytes),
        }
    }

    /// The body cut into blocks of about `size` bytes, each ending at the end of a record.
    /// Where the text has no `"`, a record ends at a newline; from the first block with a
    /// `"` on, the `csv` crate finds where records end (a quoted cell may hold newlines).
    pub fn blocks(&self, size: usize) -> Vec<Block> {
        use rayon::prelude::*;
        let bytes = self.text.as_bytes();
        let size = size.max(1);
        let mut blocks = Vec::new();
        let mut pos = self.body;
        while pos < bytes.len() {
            let end = if bytes.len() - pos <= size {
                bytes.len()
            } else {
                memchr::memchr(b'\n', &bytes[pos + size..])
                    .map_or(bytes.len(), |i| pos + size + i + 1)
            };
            blocks.push(Block {
                start: pos,
                end,
                line: 0,
                quoted: false,
            });
            pos = end;
        }
        // Newlines and quotes counted on all cores; lines are then a running sum.
        let counts: Vec<(usize, bool)> = blocks
            .par_iter()
            .map(|b| {
                let s = &bytes[b.start..b.end];
                (newlines(s), memchr::memchr(b'"', s).is_some())
            })
            .collect();
        let first_quoted = counts.iter().position(|c| c.1);
        let mut line = self.first_line + newlines(&bytes[..self.body]);
        let plain = first_quoted.unwrap_or(blocks.len());
        for (b, (n, _)) in blocks.iter_mut().zip(&counts).take(plain) {
            b.line = line;
            line += n;
        }
        if let Some(k) = first_quoted {
            let from = blocks[k].start;
            blocks.truncate(k);
            blocks.extend(self.quoted_blocks(from, line, size));
        }
        blocks
    }

    /// Blocks from byte `from` (on `line`) to the end, with record ends found by the `csv`
    /// crate.
    fn quoted_blocks(&self, from: usize, line: usize, size: usize) -> Vec<Block> {
        let bytes = self.text.as_bytes();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(&bytes[from..]);
        let mut record = csv::ByteRecord::new();
        let mut out = Vec::new();
        let mut start = from;
        let mut line = line;
        loop {
            let more = !matches!(reader.read_byte_record(&mut record), Ok(false));
            let at = from + usize::try_from(reader.position().byte()).unwrap_or(0);
            let at = at.min(bytes.len());
            if (at - start >= size || !more) && at > start {
                out.push(Block {
                    start,
                    end: at,
                    line,
                    quoted: true,
                });
                line += newlines(&bytes[start..at]);
                start = at;
            }
            if !more {
                break;
            }
        }
        if start < bytes.len() {
            out.push(Block {
                start,
                end: bytes.len(),
                line,
                quoted: true,
            });
        }
        out
    }

    /// The whole body as one block (small files, read on one core).
    pub fn whole(&self) -> Block {
        let bytes = self.text.as_bytes();
        Block {
            start: self.body,
            end: bytes.len(),
            line: self.first_line + newlines(&bytes[..self.body]),
            quoted: memchr::memchr(b'"', &bytes[self.body..]).is_some(),
        }
    }

    /// The whole body read on one core, as a table without its text (the caller puts the
    /// text back in: it outlives this reader), its cells' offsets from the text's start. The
    /// header's problems and the rows' syntax problems together stop it.
    pub(super) fn whole_table(mut self) -> Result<Table<'static>, Diagnostics> {
        let whole = self.whole();
        let mut parts = self.split(whole);
        // Offsets from the start of the text, not of the body.
        let shift = whole.start as u32;
        for (s, e) in &mut parts.spans {
            if *s & OWN == 0 {
                *s += shift;
                *e += shift;
            }
        }
        let mut diags = std::mem::take(&mut self.diags);
        diags.extend(std::mem::take(&mut parts.diags));
        if diags.has_errors() {
            return Err(diags);
        }
        let mut table = self.table(std::borrow::Cow::Borrowed(""), parts);
        table.notes = self.notes;
        Ok(table)
    }

    /// The rows of one block as a table whose cells point into the file's text. Rows with a
    /// CSV syntax error are left out and reported in the table's `diags`.
    pub fn read(&self, block: Block) -> Table<'a> {
        self.read_into(block, Buffers::default())
    }

    /// [`CsvFile::read`] into the lists of a table already read ([`Table::recycle`]): a large
    /// file's blocks, one after the other, then reuse the same memory.
    pub fn read_into(&self, block: Block, buffers: Buffers) -> Table<'a> {
        let text = &self.text[block.start..block.end];
        let mut parts = Parts {
            rows: buffers.rows,
            spans: buffers.spans,
            ..Parts::default()
        };
        parts.rows.clear();
        parts.spans.clear();
        self.split_into(block, &mut parts);
        self.table(std::borrow::Cow::Borrowed(text), parts)
    }

    /// The rows and cells of one block, offsets from the block's start: split plainly when
    /// it can be, else by the `csv` crate.
    fn split(&self, block: Block) -> Parts {
        let mut parts = Parts::default();
        self.split_into(block, &mut parts);
        parts
    }

    fn split_into(&self, block: Block, parts: &mut Parts) {
        let text = &self.text[block.start..block.end];
        if text.len() >= OWN as usize {
            parts.diags.push(Diagnostic::error(
                Location::at(&self.file, block.line, 0, None),
                "riga troppo lunga: oltre 2 GB di testo senza un a capo",
            ));
        } else if block.quoted || !self.split_plain(text, block.line, parts) {
            parts.rows.clear();
            parts.spans.clear();
            parts.own.clear();
            parts.diags = Diagnostics::default();
            self.split_csv(text, block.line, parts);
        }
        self.refuse_controls(text, parts);
    }

    /// Cells holding a control character (NUL, ESC...: never typed, they come from a damaged
    /// file or a paste; a line break within quotes is kept) are errors: they would reach the
    /// outputs and the terminal raw.
    fn refuse_controls(&self, text: &str, parts: &mut Parts) {
        // A cheap test of the bytes first.
        if !may_hold_control(text.as_bytes()) && !may_hold_control(parts.own.as_bytes()) {
            return;
        }
        let mut found = Vec::new();
        for row in &parts.rows {
            for (k, p) in self.positions.iter().enumerate() {
                let (s, e) = parts.spans[row.first as usize + k];
                let cell = if s & OWN != 0 {
                    &parts.own[(s & !OWN) as usize..(e & !OWN) as usize]
                } else {
                    &text[s as usize..e as usize]
                };
                let bad = cell
                    .chars()
                    .find(|&c| is_control(c) && c != '\n' && c != '\r');
                if let (Some(c), Some(p)) = (bad, p) {
                    let loc = Location::at(&self.file, row.line, p + 1, None);
                    found.push(Diagnostic::error(loc.keyed(self.columns[k].name), format!(
                        "la cella contiene il carattere di controllo {}, che non si vede ma sposterebbe o nasconderebbe il testo stampato (di solito viene da un file danneggiato o da un copia-incolla): toglierlo",
                        escaped(&c.to_string())
                    )));
                }
            }
        }
        for d in found {
            parts.diags.push(d);
        }
    }

    fn table<'t>(&self, text: std::borrow::Cow<'t, str>, parts: Parts) -> Table<'t> {
        Table {
            file: self.file.clone(),
            // One name per table: rows checked on different cores do not share a counter.
            shared_file: self.shared_file.as_ref().into(),
            columns: self.columns,
            positions: self.positions.clone(),
            rows: parts.rows,
            notes: Diagnostics::default(),
            diags: parts.diags,
            text,
            own: parts.own,
            spans: parts.spans,
        }
    }

    fn beyond(&self, parts: &mut Parts, line: usize, i: usize, cell: &str) {
        parts.diags.push(Diagnostic::error(
            Location::at(&self.file, line, i + 1, None),
            format!("valore \"{cell}\" fuori dalle colonne dell'intestazione"),
        ));
    }

    /// Records without quotes: lines split at the delimiter, in one pass over the bytes (a
    /// `\r` before the newline is dropped). False when a lone `\r` ends a record, which the
    /// `csv` crate reads instead.
    fn split_plain(&self, text: &str, first_line: usize, parts: &mut Parts) -> bool {
        let bytes = text.as_bytes();
        let d = self.delimiter;
        let ncols = self.columns.len();
        let mut cells: Vec<(u32, u32)> = vec![(0, 0); ncols];
        let mut extra: Vec<(usize, (usize, usize))> = Vec::new();
        let mut line = first_line;
        let lines = newlines(bytes) + 1;
        parts.rows.reserve(lines);
        parts.spans.reserve(lines * ncols);
        // Every delimiter and line end from one vectorised scan, not a test of each byte.
        let mut seps = super::scan::separators(bytes, d, b'\n', b'\r');
        let mut field = 0;
        let mut start = 0;
        // Where the current line begins.
        let mut row = 0;
        let mut any = false;
        // The `\n` of a `\r\n`, already taken as the line's end.
        let mut crlf = usize::MAX;
        loop {
            let (q, stop) = match seps.next() {
                Some(q) if q == crlf => continue,
                Some(q) => (q, bytes[q]),
                // The text's last line, without a line end.
                None if row < bytes.len() => (bytes.len(), b'\n'),
                None => break,
            };
            if stop == b'\r' {
                if bytes.get(q + 1) != Some(&b'\n') {
                    return false;
                }
                crlf = q + 1;
            }
            let (s, e) = trimmed(text, start, q);
            if s < e {
                any = true;
                self.place(field, (s, e), &mut cells, &mut extra);
            }
            if stop == d {
                field += 1;
                start = q + 1;
                continue;
            }
            let this = line;
            line += 1;
            start = q + if stop == b'\r' { 2 } else { 1 };
            row = start;
            // Empty and trailing empty rows are skipped.
            if any {
                self.push_plain(parts, text, this, &mut cells, &extra);
            }
            extra.clear();
            any = false;
            field = 0;
            if q >= bytes.len() {
                break;
            }
        }
        true
    }

    /// Any records, by the `csv` crate: quoted cells are unquoted into the table's own text.
    fn split_csv(&self, text: &str, first_line: usize, parts: &mut Parts) {
        let bytes = text.as_bytes();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut record = csv::StringRecord::new();
        // The line of a byte: newlines counted once, forward.
        let mut counted = 0;
        let mut line = first_line;
        let mut line_of = |at: usize| {
            let at = at.min(bytes.len());
            if at > counted {
                line += newlines(&bytes[counted..at]);
                counted = at;
            }
            line
        };
        // A record's position is where the previous one's terminator ended: its own first
        // byte comes after any `\r` or `\n` left there.
        let start_of = |at: u64| {
            let mut at = usize::try_from(at).unwrap_or(bytes.len()).min(bytes.len());
            while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
                at += 1;
            }
            at
        };
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let l = line_of(start_of(e.position().map_or(0, |p| p.byte())));
                    parts.diags.push(Diagnostic::error(
                        Location::at(&self.file, l, 0, None),
                        format!("CSV non leggibile: {e}"),
                    ));
                    continue;
                }
            }
            if record.iter().all(|c| c.trim().is_empty()) {
                continue; // trailing empty rows
            }
            let this = line_of(start_of(record.position().map_or(0, |p| p.byte())));
            for (i, cell) in record.iter().enumerate() {
                if i >= self.width && !cell.trim().is_empty() {
                    self.beyond(parts, this, i, cell.trim());
                }
            }
            parts.rows.push(Row {
                line: this,
                first: parts.spans.len() as u32,
            });
            self.push_unquoted(parts, &record);
        }
    }

    /// The expected cells of a record read by the `csv` crate, unquoted into the table's own
    /// text.
    fn push_unquoted(&self, parts: &mut Parts, record: &csv::StringRecord) {
        for p in &self.positions {
            let cell = p.and_then(|i| record.get(i)).map_or("", str::trim);
            let s = parts.own.len();
            parts.own.push_str(cell);
            let e = parts.own.len();
            let fit = |x: usize| u32::try_from(x).ok().filter(|&x| x < OWN);
            match (fit(s), fit(e)) {
                (Some(s), Some(e)) => parts.spans.push((s | OWN, e | OWN)),
                _ => parts.spans.push((OWN, OWN)),
            }
        }
    }

    /// A non-empty cell (`s..e` of the text) of the `field`-th field: into the row's cells
    /// when it fills an expected column, among the text beyond the header when past it.
    #[inline]
    fn place(
        &self,
        field: usize,
        (s, e): (usize, usize),
        cells: &mut [(u32, u32)],
        extra: &mut Vec<(usize, (usize, usize))>,
    ) {
        match self.slots.get(field) {
            Some(Some(k)) => cells[*k] = (s as u32, e as u32),
            Some(None) => {}
            None => extra.push((field, (s, e))),
        }
    }

    /// A record split plainly, on `line`, into the rows (text beyond the header reported);
    /// its cells are emptied for the next one.
    #[inline]
    fn push_plain(
        &self,
        parts: &mut Parts,
        text: &str,
        line: usize,
        cells: &mut [(u32, u32)],
        extra: &[(usize, (usize, usize))],
    ) {
        for &(i, (s, e)) in extra {
            self.beyond(parts, line, i, &text[s..e]);
        }
        parts.rows.push(Row {
            line,
            first: parts.spans.len() as u32,
        });
        parts.spans.extend_from_slice(cells);
        cells.fill((0, 0));
    }
}

/// A header line with NUL characters: the file is UTF-16 without its byte order mark
/// (`c\0o\0d\0...`), which no reading can tell for sure; one error saying so, instead of
/// unknown columns full of NULs.
fn utf16_without_mark(file: &str, text: &str) -> Result<(), Diagnostics> {
    let first = text.lines().next().unwrap_or("");
    if !first.contains('\0') {
        return Ok(());
    }
    Err(Diagnostics(vec![Diagnostic::error(
        Location::at(file, 1, 0, None),
        "la riga delle intestazioni contiene caratteri nulli: il file sembra in UTF-16 senza il segno iniziale (BOM); salvarlo come \"CSV UTF-8\" (in Excel: Salva con nome, \"CSV UTF-8 (delimitato da virgole)\")",
    )]))
}

/// The header record and the byte where the records after it start; a file without one is
/// an error.
fn read_header(
    file: &str,
    text: &str,
    delimiter: u8,
    columns: &[Column],
) -> Result<(csv::StringRecord, usize), Diagnostics> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header = csv::StringRecord::new();
    let fail = |line: usize, msg: String| {
        Err(Diagnostics(vec![Diagnostic::error(
            Location::at(file, line, 0, None),
            msg,
        )]))
    };
    match reader.read_record(&mut header) {
        Ok(true) => {}
        Err(e) => return fail(1, format!("CSV non leggibile: {e}")),
        Ok(false) => {
            let msg = format!(
                "file vuoto: attesa l'intestazione con le colonne {}",
                names(columns)
            );
            return fail(0, msg);
        }
    }
    let body = usize::try_from(reader.position().byte())
        .unwrap_or(text.len())
        .min(text.len());
    Ok((header, body))
}

/// A header matched to the expected columns.
struct Header {
    /// Field index (0-based) in the file of each expected column.
    positions: Vec<Option<usize>>,
    /// For each field of the header, the expected column it fills.
    slots: Vec<Option<usize>>,
    /// Repeated and unknown columns.
    diags: Diagnostics,
}

/// Matches the header's fields to the expected columns (by normalised name); empty fields
/// are trailing columns from spreadsheets.
fn match_header(file: &str, header: &csv::StringRecord, columns: &[Column]) -> Header {
    let found: Vec<String> = header.iter().map(normalize_header).collect();
    let mut h = Header {
        positions: vec![None; columns.len()],
        slots: vec![None; found.len()],
        diags: Diagnostics::default(),
    };
    for (i, name) in found.iter().enumerate() {
        if name.is_empty() {
            continue; // trailing empty columns from spreadsheets
        }
        let loc = || Location::at(file, 1, i + 1, Some(name.clone()));
        let written = header.get(i).unwrap_or("").trim();
        let known = columns.iter().position(|c| c.name == name);
        if h.diags.is_full() && known.map_or(true, |k| h.positions[k].is_some()) {
            // A header of a million columns: the problems past the listed ones only counted.
            let what = if known.is_some() {
                "colonna ripetuta"
            } else {
                "colonna sconosciuta"
            };
            h.diags.count(crate::diag::Severity::Error, file, what);
            continue;
        }
        match known {
            Some(k) if h.positions[k].is_some() => h.diags.push(Diagnostic::error(
                loc(),
                format!("colonna \"{written}\" ripetuta"),
            )),
            Some(k) => {
                h.positions[k] = Some(i);
                h.slots[i] = Some(k);
            }
            None => h.diags.push(Diagnostic::error(
                loc(),
                format!(
                    "colonna sconosciuta \"{written}\"; colonne attese: {}",
                    names(columns)
                ),
            )),
        }
    }
    h
}

/// Every required column must be in the header.
fn missing_columns(
    file: &str,
    positions: &[Option<usize>],
    columns: &[Column],
    diags: &mut Diagnostics,
) {
    for (k, c) in columns.iter().enumerate() {
        if c.required && positions[k].is_none() {
            diags.push(Diagnostic::error(
                Location::at(file, 1, 0, Some(c.name.to_string())),
                format!(
                    "manca la colonna obbligatoria \"{}\"; colonne attese: {}",
                    c.name,
                    names(columns)
                ),
            ));
        }
    }
}

/// Newlines in a text: counted in runs of 255 bytes into bytes, which vectorises.
pub fn newlines(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|c| c.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>() as usize)
        .sum()
}

/// The bytes `s..e` of `text` without the spaces around them (Unicode spaces too, as
/// `str::trim`); most cells have none, which costs two byte tests.
fn trimmed(text: &str, s: usize, e: usize) -> (usize, usize) {
    let b = text.as_bytes();
    if s == e {
        return (s, s);
    }
    // Printable ASCII other than the space: controls and non-ASCII go the general way.
    let plain = |c: u8| c > b' ' && c < 0x80;
    if plain(b[s]) && plain(b[e - 1]) {
        return (s, e);
    }
    let cell = text[s..e].trim();
    let from = cell.as_ptr() as usize - text.as_ptr() as usize;
    (from, from + cell.len())
}

/// What a block's reading gives, before it becomes a table.
#[derive(Default)]
struct Parts {
    rows: Vec<Row>,
    spans: Vec<(u32, u32)>,
    own: String,
    diags: Diagnostics,
}

/// The delimiters a file may use, with the value of `[dati] separatore` that declares each
/// and how messages name it.
const DELIMITERS: [(u8, &str, &str); 3] = [
    (b';', ";", "\";\""),
    (b',', ",", "\",\""),
    (b'\t', "tab", "tabulazioni"),
];

/// Picks `;`, `,` or a tab: whichever splits the header line into more fields (`;` on a tie,
/// then the tab).
fn detect_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let count = |d: u8| first.bytes().filter(|&b| b == d).count();
    let (semis, tabs, commas) = (count(b';'), count(b'\t'), count(b','));
    if semis >= tabs && semis >= commas {
        b';'
    } else if tabs >= commas {
        b'\t'
    } else {
        b','
    }
}

/// A header that another delimiter would split into expected columns (`codice;matricola`
/// read with `,`): one error naming the delimiter the file uses and what to write in the
/// rules, instead of one unknown column and every required one missing.
fn wrong_delimiter(
    file: &str,
    header: &csv::StringRecord,
    used: u8,
    columns: &[Column],
    opts: CsvOptions,
) -> Option<Diagnostic> {
    let known = |part: &str| columns.iter().any(|c| c.name == normalize_header(part));
    let (field, (_, key, shown)) = header.iter().enumerate().find_map(|(i, f)| {
        DELIMITERS
            .iter()
            .filter(|d| d.0 != used)
            .find(|d| f.contains(d.0 as char) && f.split(d.0 as char).any(known))
            .map(|d| (i, *d))
    })?;
    let name = |d: u8| DELIMITERS.iter().find(|x| x.0 == d).map_or("?", |x| x.2);
    let advice = match opts.delimiter {
        Some(d) => format!(
            "la sezione [dati] delle regole dichiara separatore = \"{}\": scrivere separatore = \"{key}\" (o togliere la chiave: il separatore si riconosce dalla riga delle intestazioni)",
            DELIMITERS.iter().find(|x| x.0 == d).map_or("?", |x| x.1)
        ),
        None => format!("scrivere separatore = \"{key}\" nella sezione [dati] delle regole"),
    };
    let written = header.get(field).unwrap_or("").trim().replace('\t', "\\t");
    Some(Diagnostic::error(
        Location::at(file, 1, field + 1, None),
        format!(
            "colonna sconosciuta \"{written}\": l'intestazione sembra separata da {shown}, non da {}; {advice}",
            name(used)
        ),
    ))
}

/// A whole file read as one table: the reading that makes tables lives here, beside the
/// file's reader.
impl<'a> Table<'a> {
    /// Parses a CSV file's bytes against the expected columns, on one core. All header
    /// problems are reported together; rows are kept as text for the typed readers.
    pub fn parse(
        file: &str,
        bytes: &'a [u8],
        columns: &'static [Column],
        opts: CsvOptions,
    ) -> Result<Table<'a>, Diagnostics> {
        let (text, notes) = decode(file, bytes, opts)?;
        if text.len() >= OWN as usize {
            return Err(Diagnostics(vec![Diagnostic::error(
                Location::file(file),
                "file troppo grande: oltre 2 GB di testo",
            )]));
        }
        let mut table: Table<'a> =
            CsvFile::open(file, &text, notes, columns, opts)?.whole_table()?;
        table.text = text;
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_detected_among_semicolon_comma_and_tab() {
        assert_eq!(detect_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_delimiter("a,b,c\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(detect_delimiter("a\tb,c\n"), b'\t');
        assert_eq!(detect_delimiter("a\n"), b';');
    }

    #[test]
    fn a_header_split_by_another_delimiter_is_one_error_naming_it() {
        const COLUMNS: &[Column] = &[super::super::req("codice"), super::super::req("peso")];
        let header = csv::StringRecord::from(vec!["Codice;Peso"]);
        let declared = CsvOptions {
            delimiter: Some(b','),
            ..CsvOptions::default()
        };
        let e = wrong_delimiter("f.csv", &header, b',', COLUMNS, declared).unwrap();
        assert!(
            e.message.contains("separata da \";\", non da \",\""),
            "{}",
            e.message
        );
        assert!(e.message.contains("separatore = \";\""), "{}", e.message);
        let fine = csv::StringRecord::from(vec!["codice", "peso"]);
        assert!(wrong_delimiter("f.csv", &fine, b';', COLUMNS, declared).is_none());
        let other = csv::StringRecord::from(vec!["nota;altro"]);
        assert!(wrong_delimiter("f.csv", &other, b',', COLUMNS, declared).is_none());
    }
}
