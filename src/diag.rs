//! Located problems (*errori* and *avvisi*): file, line, column, key, and a caret under the
//! offending text; rendered in Italian as `file:riga:colonna: errore: messaggio`. A sheet of a
//! workbook read as a table ([`sheet_file`]) is located the way Excel names its cells:
//! `dati.xlsx[dirigenti]!C7` for a cell, `dati.xlsx[dirigenti], riga 7` for a whole row.

use std::fmt;
use std::ops::Range;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Blocks the run: non-zero exit, no output.
    Error,
    /// Reported, the run goes on.
    Warning,
}

/// Where a problem is: a file, a 1-based line and column, and what was being read there
/// (a rules-file key like `ripartizione.posizione`, or a CSV column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub key: Option<String>,
    /// The source line and the caret span (start column, width in chars), when known.
    pub snippet: Option<(String, usize, usize)>,
}

impl Location {
    /// A location without a source line to show (e.g. a whole file).
    pub fn file(file: &str) -> Location {
        Location {
            file: file.to_string(),
            line: 0,
            column: 0,
            key: None,
            snippet: None,
        }
    }

    /// A row and column (0 = whole row) of a file, without a source line to show.
    pub fn at(file: &str, line: usize, column: usize, key: Option<String>) -> Location {
        Location {
            file: file.to_string(),
            line,
            column,
            key,
            snippet: None,
        }
    }

    /// The same location, naming what was being read there (a column, a key).
    pub fn keyed(mut self, key: &str) -> Location {
        self.key = Some(key.to_string());
        self
    }

    /// A location from a byte span of a source text (the text's lines indexed for this one
    /// location; a reader that locates many builds a [`LineIndex`] once).
    pub fn from_span(file: &str, src: &str, span: Range<usize>, key: Option<String>) -> Location {
        Location::from_span_in(file, src, &LineIndex::new(src), span, key)
    }

    /// A location from a byte span of `src`, whose lines are `lines`: the line found by
    /// bisection, the snippet a window of the line around the span (never a whole long line).
    pub fn from_span_in(
        file: &str,
        src: &str,
        lines: &LineIndex,
        span: Range<usize>,
        key: Option<String>,
    ) -> Location {
        let start = floor_char(src, span.start.min(src.len()));
        let line = lines.line(start);
        let line_start = lines.start(line);
        let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
        let column = src[line_start..start].chars().count() + 1;
        let end = floor_char(src, span.end.clamp(start, line_end));
        let text = src[line_start..line_end].trim_end_matches('\r');
        let snippet = window(text, start - line_start, end - start);
        Location {
            file: file.to_string(),
            line,
            column,
            key,
            snippet: Some(snippet),
        }
    }
}

/// The largest char boundary of `src` at or before `at`.
fn floor_char(src: &str, mut at: usize) -> usize {
    while !src.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Characters of a source line shown before the caret, and under it, at most.
const BEFORE_CARET: usize = 40;
const CARET_MAX: usize = 80;

/// The part of a source line a snippet shows, with the caret's column in it and its width
/// (in chars): the whole line when short, else a window around the span (`…` where cut).
fn window(text: &str, from: usize, len: usize) -> (String, usize, usize) {
    let from = floor_char(text, from.min(text.len()));
    let to = floor_char(text, (from + len).min(text.len()));
    let before: Vec<char> = text[..from].chars().rev().take(BEFORE_CARET + 1).collect();
    let under: String = text[from..to].chars().take(CARET_MAX + 1).collect();
    let width = under.chars().count().clamp(1, CARET_MAX);
    let mut shown = String::new();
    if before.len() > BEFORE_CARET {
        shown.push('…');
    }
    shown.extend(before.iter().take(BEFORE_CARET).rev());
    let col = shown.chars().count() + 1;
    let rest = &text[from..];
    let after = CARET_MAX + 20;
    shown.extend(rest.chars().take(after));
    if rest.chars().nth(after).is_some() {
        shown.push('…');
    }
    (shown, col, width)
}

/// The start of every line of a text, found once: a byte's line by bisection, so that a
/// reader locating every item of a long file does it in linear time overall.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// The byte where each line starts; the first is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(src: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', src.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line of byte `at`.
    pub fn line(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at).max(1)
    }

    /// The byte where the 1-based `line` starts.
    pub fn start(&self, line: usize) -> usize {
        self.starts[line.clamp(1, self.starts.len()) - 1]
    }
}

/// The name under which the cells of a workbook's sheet are located: `dati.xlsx[dirigenti]`.
/// A location in a file so named is rendered in the sheet's form ([`Location::place`]): its
/// line is the sheet's row and its column the sheet's column.
pub fn sheet_file(workbook: &str, sheet: &str) -> String {
    format!("{workbook}[{sheet}]")
}

/// Whether a file name is a sheet's, as [`sheet_file`] makes it.
fn is_sheet(file: &str) -> bool {
    file.ends_with(']')
        && file
            .rfind('[')
            .is_some_and(|i| file[..i].to_ascii_lowercase().ends_with(".xlsx"))
}

/// A sheet's column (1-based) in letters, as Excel names it: 1 → `A`, 27 → `AA`.
pub fn column_letters(column: usize) -> String {
    let mut n = column;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl Location {
    /// Where the problem is, as messages show it: `file:riga:colonna`, `file:riga` or
    /// `file`; in a sheet, the cell in A1 notation (`dati.xlsx[dirigenti]!C7`), or the row
    /// (`dati.xlsx[dirigenti], riga 7`).
    pub fn place(&self) -> String {
        let (file, line, column) = (&self.file, self.line, self.column);
        match (line, column) {
            (0, _) => file.clone(),
            (l, 0) if is_sheet(file) => format!("{file}, riga {l}"),
            (l, 0) => format!("{file}:{l}"),
            (l, c) if is_sheet(file) => format!("{file}!{}{l}", column_letters(c)),
            (l, c) => format!("{file}:{l}:{c}"),
        }
    }
}

/// One problem found while reading inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Location,
    pub message: String,
}

impl Diagnostic {
    pub fn error(location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            location: cut_key(location),
            message: cut_quoted(message.into()),
        }
    }

    pub fn warning(location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            location: cut_key(location),
            message: cut_quoted(message.into()),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Characters of an offending value echoed in a message, at most.
pub const ECHO_MAX: usize = 80;
/// Characters of a whole message, at most (its values already cut; the rest is advice).
const MESSAGE_MAX: usize = 2_000;

/// A value as messages echo it, between quotes: whole when short, else its first
/// [`ECHO_MAX`] characters, `…` and its full length (`"abc…" (testo di 1.234 caratteri)`).
pub fn quoted(value: &str) -> String {
    match value.char_indices().nth(ECHO_MAX) {
        None => format!("\"{value}\""),
        Some((cut, _)) => format!(
            "\"{}…\" (testo di {} caratteri)",
            &value[..cut],
            thousands(value.chars().count())
        ),
    }
}

/// A location whose key (a CSV header's name, as written) is cut like a value.
fn cut_key(mut location: Location) -> Location {
    if let Some(key) = &location.key {
        if let Some((cut, _)) = key.char_indices().nth(ECHO_MAX) {
            location.key = Some(format!("{}…", &key[..cut]));
        }
    }
    location
}

/// A message with every quoted value longer than [`ECHO_MAX`] characters cut as
/// [`quoted`] cuts it (a 200 MB cell gives a short message), and the whole bounded.
fn cut_quoted(message: String) -> String {
    if message.len() <= ECHO_MAX + 2 {
        return message;
    }
    let mut out = String::new();
    let mut rest = message.as_str();
    while let Some(open) = rest.find('"') {
        let inner = &rest[open + 1..];
        let Some(close) = inner.find('"') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&quoted(&inner[..close]));
        rest = &inner[close + 1..];
    }
    out.push_str(rest);
    match out.char_indices().nth(MESSAGE_MAX) {
        Some((cut, _)) => format!("{}… (messaggio tagliato)", &out[..cut]),
        None => out,
    }
}

/// A count with the Italian thousands separator: 1.234.567.
pub fn thousands(n: usize) -> String {
    crate::money::format_it(rust_decimal::Decimal::from(n), 0)
}

/// Whether a character is a control character that must never be printed raw (it could
/// move the cursor, recolour the terminal or hide text): C0 but the tab, DEL, C1.
pub fn is_control(c: char) -> bool {
    c != '\t' && c.is_control()
}

/// A text with its control characters ([`is_control`]) written as `\u{1b}`: how every
/// message shows what the user's files hold.
pub fn escaped(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = &self.location;
        let label = match self.severity {
            Severity::Error => "errore",
            Severity::Warning => "avviso",
        };
        write!(f, "{}: {label}: ", escaped(&loc.place()))?;
        if let Some(key) = &loc.key {
            write!(f, "[{}] ", escaped(key))?;
        }
        f.write_str(&escaped(&self.message))?;
        if let Some((text, col, width)) = &loc.snippet {
            let num = loc.line.to_string();
            let pad = " ".repeat(num.len());
            write!(f, "\n{pad} |\n{num} | {}\n{pad} | ", escaped(text))?;
            // Keep tabs so the caret lines up under the same characters; an escaped
            // control takes the width of its escape.
            let mut lead = String::new();
            for c in text.chars().take(col.saturating_sub(1)) {
                match c {
                    '\t' => lead.push('\t'),
                    c if is_control(c) => lead.push_str(&" ".repeat(escaped(&c.to_string()).len())),
                    _ => lead.push(' '),
                }
            }
            write!(f, "{lead}{}", "^".repeat(*width))?;
        }
        Ok(())
    }
}

/// Problems listed at most; past them, each is only counted, by kind.
pub const LISTED_MAX: usize = 200;
/// Kinds counted apart at most among the problems not listed; the others as one.
const KINDS_MAX: usize = 20;

/// The problems past the first [`LISTED_MAX`]: counted, by kind, not kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unlisted {
    pub errors: usize,
    pub warnings: usize,
    /// How many of each kind (the file and the message up to its first variable part), in
    /// the order first met.
    pub kinds: Vec<(String, usize)>,
    /// Those of the kinds past the first 20.
    pub other_kinds: usize,
}

impl Unlisted {
    /// Counts one problem of `kind`.
    fn count(&mut self, severity: Severity, kind: String, n: usize) {
        match severity {
            Severity::Error => self.errors += n,
            Severity::Warning => self.warnings += n,
        }
        match self.kinds.iter().position(|(k, _)| *k == kind) {
            Some(i) => self.kinds[i].1 += n,
            None if self.kinds.len() < KINDS_MAX => self.kinds.push((kind, n)),
            None => self.other_kinds += n,
        }
    }

    fn total(&self) -> usize {
        self.errors + self.warnings
    }
}

/// The kind of a problem for the count of those not listed: its file and the words of its
/// message without the values (quoted texts, numbers, each run of them shown as `…`), up to
/// the first `:` or `;`, so that every "importo non valido" of a file is one kind.
pub fn kind_of(file: &str, message: &str) -> String {
    let variable = |w: &str| {
        w.chars()
            .any(|c| c == '"' || c == '«' || c == '[' || c.is_ascii_digit())
    };
    let mut family: Vec<&str> = Vec::new();
    for word in message.split(' ').filter(|w| !w.is_empty()) {
        let end = word.ends_with([':', ';']);
        let shown = if variable(word) {
            "…"
        } else {
            word.trim_end_matches([':', ';', ','])
        };
        if !(shown == "…" && family.last() == Some(&"…")) {
            family.push(shown);
        }
        if end || family.len() == 8 {
            break;
        }
    }
    if family.last() == Some(&"…") {
        family.pop();
    }
    let file: String = file.chars().take(ECHO_MAX).collect();
    format!("{file}: {}", family.join(" "))
}

/// All problems of a run, errors first in input order, then warnings: the first
/// [`LISTED_MAX`] kept (an error takes the place of a warning when they are that many), the
/// others only counted, by kind, so that a million bad rows take little memory and a short
/// report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    /// The problems listed, at most [`LISTED_MAX`].
    pub list: Vec<Diagnostic>,
    /// The others, counted.
    pub unlisted: Unlisted,
}

/// Problems from a list, in its order (past [`LISTED_MAX`], counted): how readers write a
/// problem that stops them, `Diagnostics(vec![d])`.
#[allow(non_snake_case)]
pub fn Diagnostics(list: Vec<Diagnostic>) -> Diagnostics {
    let mut out = Diagnostics::default();
    for d in list {
        out.push(d);
    }
    out
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        if self.list.len() < LISTED_MAX {
            self.list.push(d);
            return;
        }
        // Full: an error displaces the last warning listed, which is then only counted.
        let shown = match d.severity {
            Severity::Error => self.list.iter().rposition(|x| !x.is_error()),
            Severity::Warning => None,
        };
        let counted = match shown {
            Some(i) => {
                let w = self.list.remove(i);
                self.list.push(d);
                w
            }
            None => d,
        };
        self.count(counted.severity, &counted.location.file, &counted.message);
    }

    /// Whether a problem pushed now would only be counted (a reader may then skip building
    /// its location).
    pub fn is_full(&self) -> bool {
        self.list.len() >= LISTED_MAX && self.list.iter().all(Diagnostic::is_error)
    }

    /// Counts a problem not listed.
    pub fn count(&mut self, severity: Severity, file: &str, message: &str) {
        self.unlisted.count(severity, kind_of(file, message), 1);
    }

    pub fn has_errors(&self) -> bool {
        self.unlisted.errors > 0 || self.list.iter().any(Diagnostic::is_error)
    }

    /// Errors, listed or not.
    pub fn errors(&self) -> usize {
        self.unlisted.errors + self.list.iter().filter(|d| d.is_error()).count()
    }

    /// Warnings, listed or not.
    pub fn warnings(&self) -> usize {
        self.unlisted.warnings + self.list.iter().filter(|d| !d.is_error()).count()
    }

    /// Adds `other`'s problems after these (its listed ones while there is room).
    pub fn extend(&mut self, other: Diagnostics) {
        for d in other.list {
            self.push(d);
        }
        let Unlisted {
            errors,
            warnings,
            kinds,
            other_kinds,
        } = other.unlisted;
        self.unlisted.errors += errors;
        self.unlisted.warnings += warnings;
        for (kind, n) in kinds {
            // The severities are added above: count the kind only.
            let before = (self.unlisted.errors, self.unlisted.warnings);
            self.unlisted.count(Severity::Error, kind, n);
            (self.unlisted.errors, self.unlisted.warnings) = before;
        }
        self.unlisted.other_kinds += other_kinds;
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty() && self.unlisted.total() == 0
    }

    /// Keeps the listed problems in the order `key` gives (the counted ones stay counted).
    pub fn sort_by_key<K: Ord>(&mut self, key: impl FnMut(&Diagnostic) -> K) {
        self.list.sort_by_key(key);
    }
}

/// "1 errore", "3 avvisi": a count and its noun.
fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(n))
    }
}

impl fmt::Display for Unlisted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "e altri {} non elencati (si elencano i primi {LISTED_MAX}), per tipo:",
            counted(self.total(), "problema", "problemi")
        )?;
        for (kind, n) in &self.kinds {
            writeln!(f, "  {} × {}", thousands(*n), escaped(kind))?;
        }
        if self.other_kinds > 0 {
            writeln!(f, "  {} × di altri tipi", thousands(self.other_kinds))?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.list {
            writeln!(f, "{d}")?;
        }
        if self.unlisted.total() > 0 {
            write!(f, "{}", self.unlisted)?;
        }
        let (errors, warnings) = (self.errors(), self.warnings());
        let found = if errors == 1 { "trovato" } else { "trovati" };
        match (errors, warnings) {
            (0, _) => Ok(()),
            (e, 0) => writeln!(
                f,
                "{found} {}: nessun risultato prodotto",
                counted(e, "errore", "errori")
            ),
            (e, w) => writeln!(
                f,
                "{found} {} e {}: nessun risultato prodotto",
                counted(e, "errore", "errori"),
                counted(w, "avviso", "avvisi")
            ),
        }
    }
}

/// An IO error in Italian, saying what to do where it can; the caller names the path. The
/// one mapping of operating-system errors, used by every read and write: the error number
/// first (the `io::ErrorKind`s for a full or read-only disk are newer than the crate's
/// minimum Rust), then the kind.
pub fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    if let Some(text) = e.raw_os_error().and_then(os_error_text) {
        return text.into();
    }
    match e.kind() {
        NotFound => "file o cartella inesistente".into(),
        PermissionDenied => {
            "permesso negato: controllare i permessi della cartella o indicarne un'altra".into()
        }
        AlreadyExists => "esiste già".into(),
        OutOfMemory => "memoria esaurita".into(),
        _ => match e.raw_os_error() {
            Some(code) => format!("errore del sistema operativo n. {code} ({e})"),
            None => format!("errore del sistema operativo ({e})"),
        },
    }
}

/// The Italian text of an operating-system error number (Linux, macOS and the BSDs share the
/// numbers below 35; Windows has its own).
fn os_error_text(code: i32) -> Option<&'static str> {
    const NO_SPACE: &str =
        "spazio esaurito sul disco: liberare spazio o indicare una cartella su un altro disco";
    const READ_ONLY: &str =
        "il disco è in sola lettura: indicare una cartella su un disco scrivibile";
    if cfg!(windows) {
        return match code {
            5 => Some("accesso negato: controllare i permessi della cartella o indicarne un'altra"),
            19 => Some(READ_ONLY),
            32 | 33 => Some("il file è in uso da un altro programma: chiuderlo e riprovare"),
            39 | 112 => Some(NO_SPACE),
            _ => None,
        };
    }
    Some(match code {
        1 | 13 => "permesso negato: controllare i permessi della cartella o indicarne un'altra",
        2 => "file o cartella inesistente",
        5 => "errore di lettura o scrittura del disco (supporto guasto o scollegato)",
        16 => "file o cartella in uso: riprovare più tardi",
        17 => "esiste già",
        18 => "i due percorsi sono su dischi diversi",
        20 => "una parte del percorso non è una cartella ma un file: indicare una cartella",
        21 => "è una cartella, non un file",
        23 | 24 => "troppi file aperti: chiudere altri programmi e riprovare",
        27 => "file troppo grande per il disco che lo ospita",
        28 => NO_SPACE,
        30 => READ_ONLY,
        36 if cfg!(target_os = "linux") => "percorso troppo lungo: indicarne uno più corto",
        40 if cfg!(target_os = "linux") => {
            "troppi collegamenti simbolici nel percorso (forse un collegamento circolare)"
        }
        122 if cfg!(target_os = "linux") => {
            "quota di disco dell'utente esaurita: liberare spazio o chiedere una quota maggiore"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` errors and `w` warnings, the warnings first, pushed one by one.
    fn pushed(w: usize, n: usize) -> Diagnostics {
        let mut d = Diagnostics::default();
        for i in 0..w {
            d.push(Diagnostic::warning(
                Location::at("f.csv", i + 1, 1, None),
                "avviso",
            ));
        }
        for i in 0..n {
            let msg = format!("importo non valido \"x{i}\": atteso un importo");
            d.push(Diagnostic::error(
                Location::at("f.csv", w + i + 1, 2, None),
                msg,
            ));
        }
        d
    }

    #[test]
    fn problems_past_the_listed_ones_are_counted_by_kind() {
        let d = pushed(0, 1_000);
        assert_eq!(d.list.len(), LISTED_MAX);
        assert_eq!((d.errors(), d.warnings()), (1_000, 0));
        assert_eq!(d.list[199].location.line, 200, "the first ones kept");
        let text = d.to_string();
        assert!(text.ends_with("e altri 800 problemi non elencati (si elencano i primi 200), per tipo:\n  800 × f.csv: importo non valido\ntrovati 1.000 errori: nessun risultato prodotto\n"), "{text}");
        // Errors take the place of the warnings listed; the counts do not change.
        let d = pushed(250, 30);
        assert_eq!((d.errors(), d.warnings()), (30, 250));
        assert_eq!(d.list.iter().filter(|x| x.is_error()).count(), 30);
        // Merged in order: the first problems of the first part stay listed.
        let mut all = pushed(0, 150);
        all.extend(pushed(0, 150));
        assert_eq!((all.list.len(), all.errors()), (LISTED_MAX, 300));
        assert_eq!(
            all.unlisted.kinds,
            vec![("f.csv: importo non valido".to_string(), 100)]
        );
    }

    #[test]
    fn kinds_are_the_messages_without_their_values() {
        let kind = |m: &str| kind_of("f.csv", m);
        assert_eq!(
            kind("colonna sconosciuta \"x\"; colonne attese: a"),
            "f.csv: colonna sconosciuta"
        );
        assert_eq!(
            kind("valore 120 fuori dall'intervallo ammesso 0-100"),
            "f.csv: valore … fuori dall'intervallo ammesso"
        );
        assert_eq!(
            kind("la fine 30/06/2022 precede l'inizio 01/07/2022"),
            "f.csv: la fine … precede l'inizio"
        );
    }

    #[test]
    fn control_characters_are_shown_escaped_and_long_values_cut() {
        assert_eq!(escaped("a\u{1b}[2J\u{0}b\tc"), "a\\u{1b}[2J\\u{0}b\tc");
        assert_eq!(escaped("à posto"), "à posto");
        let long = "x".repeat(1_000);
        let d = Diagnostic::error(
            Location::file("f\u{7}.csv"),
            format!("valore \"{long}\" errato"),
        );
        let want = format!(
            "f\\u{{7}}.csv: errore: valore \"{}…\" (testo di 1.000 caratteri) errato",
            "x".repeat(80)
        );
        assert_eq!(d.to_string(), want);
        // A source line with a control character: escaped, the caret under the same text.
        let src = "a = \"\u{1b}x\"\n";
        let loc = Location::from_span("r.toml", src, 6..7, None);
        let shown = Diagnostic::error(loc, "m").to_string();
        assert!(
            shown.ends_with("1 | a = \"\\u{1b}x\"\n  |            ^"),
            "{shown}"
        );
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_caret() {
        let line = format!("k = \"{}\"", "y".repeat(10_000));
        let src = format!("[a]\n{line}\n");
        let at = src.len() - 3;
        let loc = Location::from_span("r.toml", &src, at..at + 1, None);
        assert_eq!((loc.line, loc.column), (2, line.len() - 1));
        let (text, col, width) = loc.snippet.clone().unwrap();
        assert!(
            text.starts_with('…') && text.chars().count() <= 45,
            "{text}"
        );
        assert_eq!((col, width), (42, 1));
        let index = LineIndex::new(&src);
        assert_eq!(
            (index.line(0), index.line(4), index.line(src.len())),
            (1, 2, 3)
        );
    }

    #[test]
    fn sheet_cells_are_located_in_a1_notation() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(3), "C");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(52), "AZ");
        assert_eq!(column_letters(703), "AAA");
        let sheet = sheet_file("dati/dati.xlsx", "dirigenti");
        assert_eq!(sheet, "dati/dati.xlsx[dirigenti]");
        let cell = Location::at(&sheet, 7, 3, Some("inizio".into()));
        assert_eq!(cell.place(), "dati/dati.xlsx[dirigenti]!C7");
        let d = Diagnostic::error(cell, "data non valida");
        assert_eq!(
            d.to_string(),
            "dati/dati.xlsx[dirigenti]!C7: errore: [inizio] data non valida"
        );
        assert_eq!(
            Location::at(&sheet, 7, 0, None).place(),
            "dati/dati.xlsx[dirigenti], riga 7"
        );
        assert_eq!(Location::file(&sheet).place(), sheet);
        // A CSV file keeps its form, whatever its folder is called.
        let csv = Location::at("dati[1]/dirigenti.csv", 7, 3, None);
        assert_eq!(csv.place(), "dati[1]/dirigenti.csv:7:3");
        assert_eq!(
            Location::at("a.xlsx[x]/b.csv", 2, 1, None).place(),
            "a.xlsx[x]/b.csv:2:1"
        );
    }
}
