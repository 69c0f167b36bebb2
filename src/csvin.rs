//! Reading the CSV exports (payroll, evaluation sheets, PEG): the bytes of one file become a
//! table of text cells, each with its row and column (or, for a large file, runs of rows read
//! one after the other by [`TableReader`]), and typed cell readers report every bad value as a
//! located Italian problem. Pure: the loader hands in the bytes.
//!
//! Accepted: `;` or `,` as delimiter (detected from the header line), UTF-8 with or without
//! BOM, CRLF, quoted fields with embedded delimiters and newlines, trailing empty rows and
//! columns, headers in any case with extra spaces or accents (`Matricola `, `PESO`, `Perìodo`).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::money::{parse_amount, Money};

/// One expected column.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
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

/// The keys met so far in a file (code or matricola → first line): looked up once per row, so
/// a hash map.
pub type Seen = rustc_hash::FxHashMap<String, usize>;

/// Where a figure's input row is (*riferimento alla riga del file*), shown as `file:line`.
/// The file name is shared by all the rows of a file, so a million rows cost no strings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: std::sync::Arc<str>,
    pub line: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl serde::Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One data row: its line in the file and where its cells start in the table's arena.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub line: usize,
    /// Index of the row's first cell end in `Table::ends`; one per expected column.
    first: u32,
    /// Where the row's first cell starts in `Table::arena`.
    start: u32,
}

/// A read CSV file.
#[derive(Debug, Clone)]
pub struct Table {
    pub file: String,
    /// The same name, shared by every row's [`Origin`].
    shared_file: std::sync::Arc<str>,
    pub columns: &'static [Column],
    /// Field index (0-based) in the file of each expected column.
    positions: Vec<Option<usize>>,
    pub rows: Vec<Row>,
    /// Warnings about how the file was read (e.g. the encoding used).
    pub notes: Diagnostics,
    /// The trimmed text of every expected cell, one after the other: a large file is one
    /// allocation rather than one per row.
    arena: String,
    /// Where each cell ends in `arena`, `columns.len()` per row (a missing optional column
    /// is an empty cell); a cell starts where the previous one of its row ends.
    ends: Vec<u32>,
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
            return Err(Diagnostics(vec![Diagnostic::error(
                Location::at(file, first_bad_line(e.valid_up_to()), 0, None),
                "il file non è in UTF-8 (codifica dichiarata nelle regole): salvarlo come \"CSV UTF-8\"".to_string(),
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

/// Reads a decoded CSV file against the expected columns, a run of rows at a time, so that
/// a large file is checked while it is read and never held whole as a table.
pub struct TableReader<'a> {
    file: String,
    columns: &'static [Column],
    positions: Vec<Option<usize>>,
    /// Fields in the header (text beyond them is refused).
    width: usize,
    reader: csv::Reader<&'a [u8]>,
    record: csv::StringRecord,
    /// Problems with the header and the CSV syntax of the rows (not with cell values).
    pub diags: Diagnostics,
    /// Warnings on how the file was read (e.g. the encoding).
    pub notes: Diagnostics,
    /// Lines in the text: an upper bound of the rows, to size vectors once.
    pub lines: usize,
    /// Bytes per line on average, to size a run's text once.
    line_bytes: usize,
    done: bool,
}

impl<'a> TableReader<'a> {
    /// Reads the header. A file without one is an error at once; other header problems are
    /// kept in `diags` and the rows are still read, so that every problem is reported.
    pub fn open(
        file: &str,
        text: &'a str,
        notes: Diagnostics,
        columns: &'static [Column],
        opts: CsvOptions,
    ) -> Result<TableReader<'a>, Diagnostics> {
        let mut diags = Diagnostics::default();
        let loc =
            |line: usize, column: usize, key: Option<String>| Location::at(file, line, column, key);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(opts.delimiter.unwrap_or_else(|| detect_delimiter(text)))
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
        let found: Vec<String> = header.iter().map(normalize_header).collect();
        let mut positions = vec![None; columns.len()];
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
                Some(k) => positions[k] = Some(i),
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
        let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
        Ok(TableReader {
            file: file.to_string(),
            columns,
            positions,
            width: found.len(),
            reader,
            record: csv::StringRecord::new(),
            diags,
            notes,
            lines,
            line_bytes: text.len() / lines + 1,
            done: false,
        })
    }

    /// The next run of at most `max_rows` data rows (blank rows skipped), or None at the end.
    /// Rows with a CSV syntax error are left out and reported in `diags`.
    pub fn next_rows(&mut self, max_rows: usize) -> Option<Table> {
        if self.done {
            return None;
        }
        let table = self.take(max_rows);
        (!(table.rows.is_empty() && self.done)).then_some(table)
    }

    /// Up to `max_rows` data rows as a table, empty at the end of the file.
    fn take(&mut self, max_rows: usize) -> Table {
        let cap = max_rows.min(self.lines);
        let mut rows = Vec::with_capacity(cap);
        let mut arena = String::with_capacity(cap.saturating_mul(self.line_bytes));
        let mut ends: Vec<u32> = Vec::with_capacity(cap.saturating_mul(self.columns.len()));
        let file = self.file.clone();
        let loc = |line: usize, column: usize| Location::at(&file, line, column, None);
        // Offsets are u32 within a run of rows: past 2 GB of text the run ends before the
        // next record is read, and the next run takes it.
        while rows.len() < max_rows && arena.len() <= (u32::MAX / 2) as usize {
            match self.reader.read_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    break;
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    self.diags.push(Diagnostic::error(
                        loc(line, 0),
                        format!("CSV non leggibile: {e}"),
                    ));
                    continue;
                }
            }
            let rec = &self.record;
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue; // trailing empty rows
            }
            let line = rec.position().map_or(0, |p| p.line() as usize);
            // Text beyond the known columns would be silently lost: refuse it.
            for (i, cell) in rec.iter().enumerate() {
                if i >= self.width && !cell.trim().is_empty() {
                    self.diags.push(Diagnostic::error(
                        loc(line, i + 1),
                        format!(
                            "valore \"{}\" fuori dalle colonne dell'intestazione",
                            cell.trim()
                        ),
                    ));
                }
            }
            let first = ends.len() as u32;
            let start = arena.len() as u32;
            for p in &self.positions {
                arena.push_str(p.and_then(|i| rec.get(i)).map_or("", str::trim));
                ends.push(u32::try_from(arena.len()).unwrap_or(u32::MAX));
            }
            rows.push(Row { line, first, start });
        }
        Table {
            file: self.file.clone(),
            // One name per run: rows checked on different cores do not share a counter.
            shared_file: self.file.as_str().into(),
            columns: self.columns,
            positions: self.positions.clone(),
            rows,
            notes: Diagnostics::default(),
            arena,
            ends,
        }
    }
}

impl Table {
    /// Parses a CSV file's bytes against the expected columns. All header problems are
    /// reported together; rows are kept as text for the typed readers.
    pub fn parse(
        file: &str,
        bytes: &[u8],
        columns: &'static [Column],
        opts: CsvOptions,
    ) -> Result<Table, Diagnostics> {
        let (text, notes) = decode(file, bytes, opts)?;
        let mut reader = TableReader::open(file, &text, notes, columns, opts)?;
        let mut table = reader.take(usize::MAX);
        // A file of over 2 GB of cells comes in several runs: one table cannot hold it.
        if reader.next_rows(1).is_some() {
            reader.diags.push(Diagnostic::error(
                Location::file(file),
                "file troppo grande: oltre 2 GB di testo nelle colonne attese",
            ));
        }
        if reader.diags.has_errors() {
            return Err(reader.diags);
        }
        table.notes = reader.notes;
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
    pub fn loc(&self, row: &Row, name: &str) -> Location {
        let k = self.index(name);
        Location::at(
            &self.file,
            row.line,
            self.positions[k].map_or(0, |i| i + 1),
            Some(name.to_string()),
        )
    }

    /// The trimmed text of a cell; empty when the optional column is absent.
    pub fn cell(&self, row: &Row, name: &str) -> &str {
        let k = row.first as usize + self.index(name);
        let start = if k == row.first as usize {
            row.start
        } else {
            self.ends[k - 1]
        };
        &self.arena[start as usize..self.ends[k] as usize]
    }

    /// `file:line` of a row, for the trail.
    pub fn origin(&self, row: &Row) -> Origin {
        Origin {
            file: self.shared_file.clone(),
            line: row.line,
        }
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
    pub table: &'t Table,
    pub diags: Diagnostics,
}

impl<'t> Cells<'t> {
    /// Starts with the table's own warnings, so that they travel with the cells' problems.
    pub fn new(table: &'t Table) -> Cells<'t> {
        Cells {
            table,
            diags: table.notes.clone(),
        }
    }

    /// Without the table's own warnings: for a chunk of rows, the caller adds them once.
    pub fn bare(table: &'t Table) -> Cells<'t> {
        Cells {
            table,
            diags: Diagnostics::default(),
        }
    }

    pub fn error(&mut self, row: &Row, col: &str, msg: impl Into<String>) {
        let loc = self.table.loc(row, col);
        self.diags.push(Diagnostic::error(loc, msg));
    }

    pub fn warning(&mut self, row: &Row, col: &str, msg: impl Into<String>) {
        let loc = self.table.loc(row, col);
        self.diags.push(Diagnostic::warning(loc, msg));
    }

    /// Records the first row of a key; a repeat is a located error naming the first row.
    /// Returns false on a repeat.
    pub fn first_occurrence(
        &mut self,
        row: &Row,
        col: &str,
        key: &str,
        seen: &mut Seen,
        what: &str,
    ) -> bool {
        if let Some(first) = seen.get(key) {
            self.error(
                row,
                col,
                format!("{what} \"{key}\" già presente alla riga {first}"),
            );
            return false;
        }
        seen.insert(key.to_string(), row.line);
        true
    }

    /// A required non-empty text, borrowed from the table.
    pub fn required(&mut self, row: &Row, col: &str) -> Option<&'t str> {
        let v = self.table.cell(row, col);
        if v.is_empty() {
            self.error(row, col, format!("cella vuota: \"{col}\" è obbligatoria"));
            None
        } else {
            Some(v)
        }
    }

    /// A required non-empty text.
    pub fn text(&mut self, row: &Row, col: &str) -> Option<String> {
        let v = self.table.cell(row, col);
        if v.is_empty() {
            self.error(row, col, format!("cella vuota: \"{col}\" è obbligatoria"));
            None
        } else {
            Some(v.to_string())
        }
    }

    /// An optional text (None when empty).
    pub fn opt_text(&self, row: &Row, col: &str) -> Option<String> {
        let v = self.table.cell(row, col);
        (!v.is_empty()).then(|| v.to_string())
    }

    /// A required non-negative amount.
    pub fn amount(&mut self, row: &Row, col: &str) -> Option<Money> {
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
    pub fn opt_amount(&mut self, row: &Row, col: &str) -> Option<Money> {
        if self.table.cell(row, col).is_empty() {
            Some(Money::ZERO)
        } else {
            self.amount(row, col)
        }
    }

    /// A required decimal number within `min..=max` (weights, scores, percentages).
    pub fn number(&mut self, row: &Row, col: &str, min: Decimal, max: Decimal) -> Option<Decimal> {
        let table = self.table;
        let v = table.cell(row, col);
        if v.is_empty() {
            self.error(row, col, format!("cella vuota: \"{col}\" è obbligatoria"));
            return None;
        }
        match parse_number(v) {
            Some(d) if d < min || d > max => {
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
    pub fn date(&mut self, row: &Row, col: &str) -> Option<NaiveDate> {
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

/// A plain decimal number with a decimal comma or dot and no thousands separator (weights,
/// scores, percentages, points). `NaN`, `inf` and exponents are refused.
pub fn parse_number(s: &str) -> Option<Decimal> {
    let t = s.trim().trim_end_matches('%').trim();
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

/// Dates as Italian exports write them; two-digit years are 20yy.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
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
