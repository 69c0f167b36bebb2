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

    /// A location from a byte span of a source text.
    pub fn from_span(file: &str, src: &str, span: Range<usize>, key: Option<String>) -> Location {
        let start = span.start.min(src.len());
        let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
        let line = src[..start].matches('\n').count() + 1;
        let column = src[line_start..start].chars().count() + 1;
        let end = span.end.clamp(start, line_end);
        let width = src[start..end].chars().count().max(1);
        let text = src[line_start..line_end].trim_end_matches('\r').to_string();
        Location {
            file: file.to_string(),
            line,
            column,
            key,
            snippet: Some((text, column, width)),
        }
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
            location,
            message: message.into(),
        }
    }

    pub fn warning(location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            location,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = &self.location;
        let label = match self.severity {
            Severity::Error => "errore",
            Severity::Warning => "avviso",
        };
        write!(f, "{}: {label}: ", loc.place())?;
        if let Some(key) = &loc.key {
            write!(f, "[{key}] ")?;
        }
        f.write_str(&self.message)?;
        if let Some((text, col, width)) = &loc.snippet {
            let num = loc.line.to_string();
            let pad = " ".repeat(num.len());
            write!(f, "\n{pad} |\n{num} | {text}\n{pad} | ")?;
            // Keep tabs so the caret lines up under the same characters.
            let lead: String = text
                .chars()
                .take(col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "{lead}{}", "^".repeat(*width))?;
        }
        Ok(())
    }
}

/// All problems of a run, errors first in input order, then warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let errors = self.errors();
        let warnings = self.0.len() - errors;
        match (errors, warnings) {
            (0, _) => Ok(()),
            (1, 0) => writeln!(f, "trovato 1 errore: nessun risultato prodotto"),
            (e, 0) => writeln!(f, "trovati {e} errori: nessun risultato prodotto"),
            (e, w) => writeln!(
                f,
                "{} e {}: nessun risultato prodotto",
                if e == 1 {
                    "trovato 1 errore".to_string()
                } else {
                    format!("trovati {e} errori")
                },
                if w == 1 {
                    "1 avviso".to_string()
                } else {
                    format!("{w} avvisi")
                }
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
