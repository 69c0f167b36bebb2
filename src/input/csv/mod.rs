//! Reading the CSV exports (payroll, evaluation sheets, PEG): how a file's bytes become text
//! (options, encoding) and which columns it must have. [`file`](mod@file) reads the header
//! and cuts the body into blocks of whole records, [`table`] turns a block into located text
//! cells and reads them typed, [`scan`] finds the delimiters and line ends. A large file is
//! cut by [`CsvFile::blocks`] into blocks of complete records, read and checked on all cores;
//! a block without quotes is split at delimiters and newlines, one with quotes is read by the
//! `csv` crate: the same cells and lines either way (tests/it/csv_blocks.rs). Pure: the
//! loader hands in the bytes.
//!
//! Accepted: `;`, `,` or a tab as delimiter (detected from the header line; a header that
//! another delimiter would split into expected columns is one error naming it), UTF-8 with or
//! without BOM, UTF-16 with its BOM (Excel's "Testo Unicode") when the encoding is not
//! declared, CRLF, quoted fields with embedded delimiters and newlines, trailing empty rows and
//! columns, headers in any case with extra spaces or accents (`Matricola `, `PESO`, `Perìodo`).

pub mod file;
pub mod scan;
pub mod table;

/// How the files are read, as the rules file declares it (`[dati]`).
pub use crate::rules::{CsvOptions, Encoding};
pub use file::{newlines, Block, CsvFile, BLOCK_BYTES};
pub use table::{Buffers, Cells, Col, ColumnRef, Row, Table};

use crate::diag::{Diagnostic, Diagnostics, Location};

/// One expected column.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

/// Declares a file's expected columns, each with the constant of its position among them for
/// the readers (no look-up by name per cell). The positions are derived from the list (by
/// [`column_index`], when the program is compiled), so the two cannot drift apart:
///
/// ```text
/// columns! {
///     /// The columns of `esempio.csv`.
///     pub EXAMPLE_COLUMNS {
///         X_CODICE: req("codice"),
///         X_NOTA: opt("nota"),
///     }
/// }
/// ```
macro_rules! columns {
    (
        $(#[$doc:meta])*
        $vis:vis $list:ident { $($pos:ident: $kind:ident($name:literal)),+ $(,)? }
    ) => {
        $(#[$doc])*
        $vis const $list: &[$crate::input::csv::Column] = &[$($crate::input::csv::$kind($name)),+];
        $(const $pos: usize = $crate::input::csv::column_index($list, $name);)+
    };
}
pub(crate) use columns;

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

/// The expected columns as messages list them, the optional ones marked.
pub(crate) fn names(columns: &[Column]) -> String {
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

/// An error about a line of a file as a whole (no column).
pub fn line_error(file: &str, line: usize, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Location::at(file, line, 0, None), msg)
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
    if let Some(text) = utf16(file, bytes, opts)? {
        return Ok((std::borrow::Cow::Owned(text), notes));
    }
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

/// A file that opens with a UTF-16 byte order mark (Excel's "Testo Unicode", tab-separated):
/// its text, when the encoding is not declared; an error when the rules declare Windows-1252
/// (declared UTF-8, the file is not UTF-8 and is reported so). `None` for any other file.
fn utf16(file: &str, bytes: &[u8], opts: CsvOptions) -> Result<Option<String>, Diagnostics> {
    let encoding = match bytes {
        [0xff, 0xfe, ..] => encoding_rs::UTF_16LE,
        [0xfe, 0xff, ..] => encoding_rs::UTF_16BE,
        _ => return Ok(None),
    };
    match opts.encoding {
        Encoding::Auto => Ok(Some(encoding.decode_with_bom_removal(bytes).0.into_owned())),
        Encoding::Utf8 => Ok(None),
        Encoding::Windows1252 => Err(Diagnostics(vec![Diagnostic::error(
            Location::at(file, 1, 0, None),
            "il file è in UTF-16 (in Excel \"Testo Unicode\"), non in Windows-1252 come dichiarato nelle regole: salvarlo come \"CSV UTF-8\", oppure togliere codifica da [dati] perché sia letto così com'è",
        )])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_its_mark_is_read_unless_another_encoding_is_declared() {
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(
            "codice\tpeso\r\nà\t1\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let auto = CsvOptions::default();
        let (text, notes) = decode("f.csv", &bytes, auto).unwrap();
        assert_eq!(text, "codice\tpeso\r\nà\t1\r\n");
        assert!(notes.is_empty());
        let declared = |encoding| CsvOptions {
            encoding,
            ..CsvOptions::default()
        };
        assert!(decode("f.csv", &bytes, declared(Encoding::Windows1252)).is_err());
        assert!(decode("f.csv", &bytes, declared(Encoding::Utf8)).is_err());
    }
}
