//! Reading the CSV exports (payroll, evaluation sheets, PEG): the bytes of one file become
//! tables of text cells that point into the file's text, each cell with its row and column,
//! and typed cell readers report every bad value as a located Italian problem. A large file
//! is cut by [`CsvFile::blocks`] into blocks of complete records, read and checked on all
//! cores; a block without quotes is split at delimiters and newlines, one with quotes is read
//! by the `csv` crate: the same cells and lines either way (tests/csv_blocks.rs). Pure: the
//! loader hands in the bytes.
//!
//! Accepted: `;` or `,` as delimiter (detected from the header line), UTF-8 with or without
//! BOM, CRLF, quoted fields with embedded delimiters and newlines, trailing empty rows and
//! columns, headers in any case with extra spaces or accents (`Matricola `, `PESO`, `Perìodo`).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::money::{parse_amount, Money};
pub use crate::trail::Origin;

/// One expected column.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

/// A column of a table, by name (looked up among the declared columns) or by position in
/// them ([`column_index`], resolved when the program is compiled).
pub trait Col: Copy {
    fn of(self, t: &Table) -> ColumnRef;
}

/// A resolved column: its position among the declared columns and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnRef {
    pub k: usize,
    pub name: &'static str,
}

impl std::fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl Col for &str {
    fn of(self, t: &Table) -> ColumnRef {
        let k = t.index(self);
        ColumnRef {
            k,
            name: t.columns[k].name,
        }
    }
}

impl Col for usize {
    fn of(self, t: &Table) -> ColumnRef {
        ColumnRef {
            k: self,
            name: t.columns[self].name,
        }
    }
}

impl Col for ColumnRef {
    fn of(self, _: &Table) -> ColumnRef {
        self
    }
}

/// The position of a column among `columns`, for [`Col`]; a name not declared stops the
/// compilation when used in a constant.
pub const fn column_index(columns: &[Column], name: &str) -> usize {
    let mut i = 0;
    while i < columns.len() {
        let (a, b) = (columns[i].name.as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("column not declared")
}

/// A required column.
pub const fn req(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}

/// An optional column.
pub const fn opt(name: &'static str) -> Column {
    Column {
        name,
        required: false,
    }
}

/// How CSV bytes are read: the delimiter (detected when `None`) and the encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CsvOptions {
    pub delimiter: Option<u8>,
    pub encoding: Encoding,
}

/// The text encoding of a CSV export (*codifica*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// `automatica`: UTF-8 (with or without BOM); a file that is not valid UTF-8 is read as
    /// Windows-1252, the "CSV" of Excel for Windows, with a warning.
    #[default]
    Auto,
    /// `utf-8`: anything else is an error.
    Utf8,
    /// `windows-1252`.
    Windows1252,
}

/// One data row: its line in the file and where its cells are in the table.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub line: usize,
    /// Index of the row's first cell in `Table::spans`; one per expected column.
    first: u32,
}

/// A read CSV file, or one block of its rows.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    pub file: String,
    /// The same name, shared by every row's [`Origin`].
    shared_file: std::sync::Arc<str>,
    pub columns: &'static [Column],
    /// Field index (0-based) in the file of each expected column.
    positions: Vec<Option<usize>>,
    pub rows: Vec<Row>,
    /// Warnings about how the file was read (e.g. the encoding used).
    pub notes: Diagnostics,
    /// Problems with the CSV syntax of the rows (not with cell values).
    pub diags: Diagnostics,
    /// The text the cells point into: the file's, not copied.
    text: std::borrow::Cow<'a, str>,
    /// Unquoted cells (`"a;b"` → `a;b`), which are not a slice of the file's text.
    own: String,
    /// Where each trimmed cell is, `columns.len()` per row (a missing optional column is an
    /// empty cell): in `text`, or in `own` when the top bit is set.
    spans: Vec<(u32, u32)>,
}

/// Normalises a header: lowercase, trimmed, accents removed, spaces and dashes as `_`.
pub fn normalize_header(h: &str) -> String {
    let mut out = String::new();
    for c in h.trim().trim_matches('\u{feff}').chars() {
        let c = match c {
            'à' | 'á' | 'À' | 'Á' => 'a',
            'è' | 'é' | 'È' | 'É' => 'e',
            'ì' | 'í' | 'Ì' | 'Í' => 'i',
            'ò' | 'ó' | 'Ò' | 'Ó' => 'o',
            'ù' | 'ú' | 'Ù' | 'Ú' => 'u',
            ' ' | '-' | '.' => '_',
            c => c,
        };
        out.extend(c.to_lowercase());
    }
    while out.contains("__") {
        out = out.replace("__", "_");
    }
    out.trim_matches('_').to_string()
}

/// Picks `;` or `,`: whichever splits the header line into more fields (`;` on a tie).
fn detect_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let semis = first.matches(';').count();
    let commas = first.matches(',').count();
    if commas > semis {
        b','
    } else {
        b';'
    }
}

/// The error for a file declared UTF-8 that is not, at the line of its first bad byte.
pub fn not_utf8(file: &str, line: usize) -> Diagnostic {
    Diagnostic::error(
        Location::at(file, line, 0, None),
        "il file non è in UTF-8 (codifica dichiarata nelle regole): salvarlo come \"CSV UTF-8\"",
    )
}

/// A file's bytes as text: UTF-8 (BOM dropped), or Windows-1252 as the rules declare, or,
/// when undeclared and not UTF-8, Windows-1252 with a warning (returned as the second value).
pub fn decode<'b>(
    file: &str,
    bytes: &'b [u8],
    opts: CsvOptions,
) -> Result<(std::borrow::Cow<'b, str>, Diagnostics), Diagnostics> {
    let mut notes = Diagnostics::default();
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let first_bad_line = |valid: usize| bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
    let text = match (opts.encoding, std::str::from_utf8(bytes)) {
        (Encoding::Windows1252, _) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
        (_, Ok(t)) => std::borrow::Cow::Borrowed(t),
        (Encoding::Utf8, Err(e)) => {
            return Err(Diagnostics(vec![not_utf8(
                file,
                first_bad_line(e.valid_up_to()),
            )]));
        }
        (Encoding::Auto, Err(e)) => {
            notes.push(Diagnostic::warning(
                Location::at(file, first_bad_line(e.valid_up_to()), 0, None),
                "il file non è in UTF-8 (primo byte non valido in questa riga): letto come Windows-1252, la codifica del CSV di Excel per Windows; controllare le lettere accentate",
            ));
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    };
    Ok((text, notes))
}

/// Bytes of text in one block of rows: each block is read and checked on its own core.
pub const BLOCK_BYTES: usize = 1 << 20;

/// Cell offsets are `u32` with the top bit telling the table's own text from the file's: a
/// table holds at most 2 GB of text.
const OWN: u32 = 1 << 31;

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
        let mut diags = Diagnostics::default();
        let loc =
            |line: usize, column: usize, key: Option<String>| Location::at(file, line, column, key);
        let delimiter = opts.delimiter.unwrap_or_else(|| detect_delimiter(text));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut header = csv::StringRecord::new();
        match reader.read_record(&mut header) {
            Ok(true) => {}
            Err(e) => {
                diags.push(Diagnostic::error(
                    loc(1, 0, None),
                    format!("CSV non leggibile: {e}"),
                ));
                return Err(diags);
            }
            Ok(false) => {
                diags.push(Diagnostic::error(
                    loc(0, 0, None),
                    format!(
                        "file vuoto: attesa l'intestazione con le colonne {}",
                        names(columns)
                    ),
                ));
                return Err(diags);
            }
        }
        let body = usize::try_from(reader.position().byte())
            .unwrap_or(text.len())
            .min(text.len());
        let found: Vec<String> = header.iter().map(normalize_header).collect();
        let mut positions = vec![None; columns.len()];
        let mut slots = vec![None; found.len()];
        for (i, h) in found.iter().enumerate() {
            if h.is_empty() {
                continue; // trailing empty columns from spreadsheets
            }
            match columns.iter().position(|c| c.name == h) {
                Some(k) if positions[k].is_some() => diags.push(Diagnostic::error(
                    loc(1, i + 1, Some(h.clone())),
                    format!(
                        "colonna \"{}\" ripetuta",
                        header.get(i).unwrap_or("").trim()
                    ),
                )),
                Some(k) => {
                    positions[k] = Some(i);
                    slots[i] = Some(k);
                }
                None => diags.push(Diagnostic::error(
                    loc(1, i + 1, Some(h.clone())),
                    format!(
                        "colonna sconosciuta \"{}\"; colonne attese: {}",
                        header.get(i).unwrap_or("").trim(),
                        names(columns)
                    ),
                )),
            }
        }
        for (k, c) in columns.iter().enumerate() {
            if c.required && positions[k].is_none() {
                diags.push(Diagnostic::error(
                    loc(1, 0, Some(c.name.to_string())),
                    format!(
                        "manca la colonna obbligatoria \"{}\"; colonne attese: {}",
                        c.name,
                        names(columns)
                    ),
                ));
            }
        }
        Ok(CsvFile {
            file: file.to_string(),
            shared_file: file.into(),
            columns,
            positions,
            slots,
            width: found.len(),
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
        // Every delimiter and line end of the text from one vectorised scan, rather than a
        // test of each byte.
        let mut seps = crate::input::scan::separators(bytes, d, b'\n', b'\r');
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
                match self.slots.get(field) {
                    Some(Some(k)) => cells[*k] = (s as u32, e as u32),
                    Some(None) => {}
                    None => extra.push((field, (s, e))),
                }
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
                for &(i, (s, e)) in &extra {
                    self.beyond(parts, this, i, &text[s..e]);
                }
                parts.rows.push(Row {
                    line: this,
                    first: parts.spans.len() as u32,
                });
                parts.spans.extend_from_slice(&cells);
                cells.fill((0, 0));
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

/// The lists of a table's rows and cells, kept to read the next block into.
#[derive(Default)]
pub struct Buffers {
    rows: Vec<Row>,
    spans: Vec<(u32, u32)>,
}

/// What a block's reading gives, before it becomes a table.
#[derive(Default)]
struct Parts {
    rows: Vec<Row>,
    spans: Vec<(u32, u32)>,
    own: String,
    diags: Diagnostics,
}

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
        let mut table = {
            let mut reader = CsvFile::open(file, &text, notes, columns, opts)?;
            let whole = reader.whole();
            let mut parts = reader.split(whole);
            // Offsets from the start of the text, not of the body.
            let shift = whole.start as u32;
            for (s, e) in &mut parts.spans {
                if *s & OWN == 0 {
                    *s += shift;
                    *e += shift;
                }
            }
            let mut diags = std::mem::take(&mut reader.diags);
            diags.extend(std::mem::take(&mut parts.diags));
            if diags.has_errors() {
                return Err(diags);
            }
            let mut table: Table<'a> = reader.table(std::borrow::Cow::Borrowed(""), parts);
            table.notes = std::mem::take(&mut reader.notes);
            table
        };
        table.text = text;
        Ok(table)
    }

    fn index(&self, name: &str) -> usize {
        // Callers pass the same literals the columns are declared with: compare addresses
        // first, text only when that fails.
        self.columns
            .iter()
            .position(|c| std::ptr::eq(c.name, name))
            .or_else(|| self.columns.iter().position(|c| c.name == name))
            .unwrap_or_else(|| panic!("column {name} not declared"))
    }

    /// The location of a cell, for messages.
    pub fn loc(&self, row: &Row, col: impl Col) -> Location {
        let c = col.of(self);
        Location::at(
            &self.file,
            row.line,
            self.positions[c.k].map_or(0, |i| i + 1),
            Some(c.name.to_string()),
        )
    }

    /// The trimmed text of a cell; empty when the optional column is absent.
    pub fn cell(&self, row: &Row, col: impl Col) -> &str {
        self.cell_at(row, col.of(self).k)
    }

    /// The trimmed text of the `k`-th expected column of a row.
    pub fn cell_at(&self, row: &Row, k: usize) -> &str {
        let (s, e) = self.spans[row.first as usize + k];
        if s & OWN != 0 {
            &self.own[(s & !OWN) as usize..(e & !OWN) as usize]
        } else {
            &self.text[s as usize..e as usize]
        }
    }

    /// The table's lists of rows and cells, for [`CsvFile::read_into`].
    pub fn recycle(self) -> Buffers {
        Buffers {
            rows: self.rows,
            spans: self.spans,
        }
    }

    /// `file:line` of a row, for the trail.
    pub fn origin(&self, row: &Row) -> Origin {
        Origin {
            file: self.shared_file.clone(),
            line: row.line,
        }
    }

    /// The file name shared by the rows' origins.
    pub fn shared_file(&self) -> &std::sync::Arc<str> {
        &self.shared_file
    }
}

fn names(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| {
            if c.required {
                c.name.to_string()
            } else {
                format!("{} (facoltativa)", c.name)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Typed cell readers that collect problems instead of stopping at the first.
pub struct Cells<'t> {
    pub table: &'t Table<'t>,
    pub diags: Diagnostics,
    /// Errors pushed so far (a row checks whether it added any without counting them all).
    errors: usize,
}

impl<'t> Cells<'t> {
    /// Starts with the table's own warnings, so that they travel with the cells' problems.
    pub fn new(table: &'t Table<'t>) -> Cells<'t> {
        Cells {
            table,
            diags: table.notes.clone(),
            errors: 0,
        }
    }

    /// Without the table's own warnings: for a chunk of rows, the caller adds them once.
    pub fn bare(table: &'t Table<'t>) -> Cells<'t> {
        Cells {
            table,
            diags: Diagnostics::default(),
            errors: 0,
        }
    }

    pub fn error(&mut self, row: &Row, col: impl Col, msg: impl Into<String>) {
        let col = col.of(self.table);
        let loc = self.table.loc(row, col);
        self.diags.push(Diagnostic::error(loc, msg));
        self.errors += 1;
    }

    /// Errors pushed by these readers so far.
    pub fn error_count(&self) -> usize {
        self.errors
    }

    pub fn warning(&mut self, row: &Row, col: impl Col, msg: impl Into<String>) {
        let col = col.of(self.table);
        let loc = self.table.loc(row, col);
        self.diags.push(Diagnostic::warning(loc, msg));
    }

    /// A required non-empty text, borrowed from the table.
    pub fn required(&mut self, row: &Row, col: impl Col) -> Option<&'t str> {
        let col = col.of(self.table);
        let v = self.table.cell(row, col);
        if v.is_empty() {
            self.error(row, col, format!("cella vuota: \"{col}\" è obbligatoria"));
            None
        } else {
            Some(v)
        }
    }

    /// A required non-empty text.
    pub fn text(&mut self, row: &Row, col: impl Col) -> Option<String> {
        let col = col.of(self.table);
        let v = self.table.cell(row, col);
        if v.is_empty() {
            self.error(row, col, format!("cella vuota: \"{col}\" è obbligatoria"));
            None
        } else {
            Some(v.to_string())
        }
    }

    /// An optional text (None when empty).
    pub fn opt_text(&self, row: &Row, col: impl Col) -> Option<String> {
        let col = col.of(self.table);
        let v = self.table.cell(row, col);
        (!v.is_empty()).then(|| v.to_string())
    }

    /// A required non-negative amount.
    pub fn amount(&mut self, row: &Row, col: impl Col) -> Option<Money> {
        let col = col.of(self.table);
        let table = self.table;
        let v = table.cell(row, col);
        if v.is_empty() {
            self.error(row, col, format!("cella vuota: \"{col}\" è obbligatoria"));
            return None;
        }
        match parse_amount(v) {
            Ok(m) if m.is_negative() => {
                self.error(
                    row,
                    col,
                    format!(
                        "importo negativo {}: atteso un importo positivo o zero",
                        m.it()
                    ),
                );
                None
            }
            Ok(m) => Some(m),
            Err(e) => {
                self.error(row, col, e.to_string());
                None
            }
        }
    }

    /// An optional amount: zero when empty.
    pub fn opt_amount(&mut self, row: &Row, col: impl Col) -> Option<Money> {
        let col = col.of(self.table);
        if self.table.cell(row, col).is_empty() {
            Some(Money::ZERO)
        } else {
            self.amount(row, col)
        }
    }

    /// A required decimal number within `min..=max` (weights, scores, percentages).
    pub fn number(
        &mut self,
        row: &Row,
        col: impl Col,
        min: Decimal,
        max: Decimal,
    ) -> Option<Decimal> {
        let col = col.of(self.table);
        let table = self.table;
        let v = table.cell(row, col);
        // The usual cell, a few digits within the bounds, decided here without the general
        // reading.
        if let Some(d) = digits(v)
            .map(Decimal::from)
            .filter(|&d| within(d, min, max))
        {
            return Some(d);
        }
        if v.is_empty() {
            self.error(row, col, format!("cella vuota: \"{col}\" è obbligatoria"));
            return None;
        }
        match parse_number(v) {
            Some(d) if !within(d, min, max) => {
                self.error(
                    row,
                    col,
                    format!(
                        "valore {} fuori dall'intervallo ammesso {}-{}",
                        v,
                        crate::money::format_it(min.normalize(), 0),
                        crate::money::format_it(max.normalize(), 0)
                    ),
                );
                None
            }
            Some(d) => Some(d),
            None => {
                self.error(
                    row,
                    col,
                    format!("numero non valido \"{v}\": atteso un numero come 12,5 o 12.5"),
                );
                None
            }
        }
    }

    /// A required date: `dd/mm/yyyy`, `dd/mm/yy`, `dd-mm-yyyy`, `dd.mm.yyyy` or ISO `yyyy-mm-dd`.
    pub fn date(&mut self, row: &Row, col: impl Col) -> Option<NaiveDate> {
        let col = col.of(self.table);
        let table = self.table;
        let v = table.cell(row, col);
        if v.is_empty() {
            self.error(row, col, format!("cella vuota: \"{col}\" è obbligatoria"));
            return None;
        }
        match parse_date(v) {
            Some(d) => Some(d),
            None => {
                self.error(
                    row,
                    col,
                    format!(
                        "data non valida \"{v}\": attesa una data come 31/12/2019 o 2019-12-31"
                    ),
                );
                None
            }
        }
    }
}

/// Most weights and scores are a few digits and nothing else: their value.
#[inline]
fn digits(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if !b.is_empty() && b.len() <= 9 && b.iter().all(u8::is_ascii_digit) {
        return Some(
            b.iter()
                .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0')),
        );
    }
    None
}

/// `min ≤ d ≤ max`; at one scale (a whole weight and whole bounds) as integers.
#[inline]
fn within(d: Decimal, min: Decimal, max: Decimal) -> bool {
    if d.scale() == min.scale() && d.scale() == max.scale() {
        let m = d.mantissa();
        min.mantissa() <= m && m <= max.mantissa()
    } else {
        min <= d && d <= max
    }
}

/// A plain decimal number with a decimal comma or dot and no thousands separator (weights,
/// scores, percentages, points). `NaN`, `inf` and exponents are refused.
pub fn parse_number(s: &str) -> Option<Decimal> {
    if let Some(n) = digits(s) {
        return Some(Decimal::from(n));
    }
    let t = s.trim().trim_end_matches('%').trim();
    if let Some(d) = plain_number(t) {
        return Some(d);
    }
    if t.is_empty() || t.matches([',', '.']).count() > 1 {
        return None;
    }
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t),
    };
    let body = body.replace(',', ".");
    if body.is_empty()
        || body.starts_with('.')
        || body.ends_with('.')
        || !body.chars().all(|c| c.is_ascii_digit() || c == '.')
        || body.len() > 20
    {
        return None;
    }
    let mut d = Decimal::from_str_exact(&body).ok()?;
    if neg {
        d.set_sign_negative(true);
    }
    Some(d)
}

/// The common case of [`parse_number`] without allocating: digits, at most one `,` or `.`
/// between digits, at most 18 digits. The same value and scale as `Decimal::from_str_exact`.
fn plain_number(t: &str) -> Option<Decimal> {
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t),
    };
    let bytes = body.as_bytes();
    if bytes.is_empty() || bytes.len() > 19 {
        return None;
    }
    let mut mantissa: i64 = 0;
    let mut scale = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => mantissa = mantissa * 10 + i64::from(b - b'0'),
            b',' | b'.' if scale.is_none() && i > 0 && i + 1 < bytes.len() => {
                scale = Some(bytes.len() - i - 1);
            }
            _ => return None,
        }
    }
    let digits = bytes.len() - usize::from(scale.is_some());
    if digits > 18 {
        return None;
    }
    let mut d = Decimal::new(mantissa, scale.unwrap_or(0) as u32);
    if neg {
        d.set_sign_negative(true);
    }
    Some(d)
}

/// Dates as Italian exports write them; two-digit years are 20yy.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    // The common `dd/mm/yyyy`, read without the general parser (same result).
    let b = t.as_bytes();
    if b.len() == 10
        && b[2] == b'/'
        && b[5] == b'/'
        && [0, 1, 3, 4, 6, 7, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
    {
        let n = |r: std::ops::Range<usize>| {
            b[r].iter()
                .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'))
        };
        return NaiveDate::from_ymd_opt(n(6..10) as i32, n(3..5), n(0..2));
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let day: u32 = parts[0].parse().ok()?;
    let month: u32 = parts[1].parse().ok()?;
    let year: i32 = match parts[2].len() {
        2 => 2000 + parts[2].parse::<i32>().ok()?,
        4 => parts[2].parse().ok()?,
        _ => return None,
    };
    if parts[0].len() > 2 || parts[1].len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}
