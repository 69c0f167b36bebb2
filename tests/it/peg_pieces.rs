//! The indicators' file is read in pieces while it is checked (never whole in memory): for
//! any piece size, and for files that must be read whole after all (quotes, Windows-1252,
//! found after some pieces), the PEG and the problems are the same as reading it whole.

use ccdi::input::csv::{CsvOptions, Encoding};
use ccdi::input::peg::{read_peg, read_peg_pieces};
use ccdi::input::pieces::Bytes;
use ccdi::peg::WeightRule;

fn files(managers: usize, seed: u64) -> (Vec<u8>, Vec<u8>) {
    let all = ccdi::generate::large(managers, seed);
    let get = |name: &str| {
        all.iter()
            .find(|(p, _)| p.ends_with(name))
            .map(|(_, b)| b.clone())
            .expect(name)
    };
    (get("obiettivi.csv"), get("indicatori.csv"))
}

/// Replaces the cell of `column` on `line` (1-based) of a `;` file.
fn set(text: &str, line: usize, column: &str, value: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(';').collect();
    let k = header.iter().position(|h| *h == column).unwrap();
    let mut cells: Vec<String> = lines[line - 1].split(';').map(str::to_string).collect();
    cells[k] = value.to_string();
    lines[line - 1] = cells.join(";");
    lines.join("\n") + "\n"
}

#[track_caller]
fn check(objectives: &[u8], indicators: &[u8], opts: CsvOptions) {
    let whole = read_peg(
        ("obiettivi.csv", objectives),
        ("indicatori.csv", indicators),
        WeightRule::MustSum100,
        opts,
    );
    // Also pieces that end exactly at the file's end, or one byte before it.
    let n = indicators.len();
    for piece in [
        1,
        7,
        100,
        4096,
        65_536,
        1 << 24,
        n.max(1),
        n.saturating_sub(1).max(1),
    ] {
        let mut src = Bytes::new("indicatori.csv", indicators);
        let pieces = read_peg_pieces(
            ("obiettivi.csv", objectives),
            &mut src,
            WeightRule::MustSum100,
            opts,
            piece,
        );
        assert_eq!(pieces, whole, "pieces of {piece} bytes");
    }
}

#[test]
fn any_piece_size_reads_the_same_peg() {
    let (objectives, indicators) = files(60, 3);
    let text = String::from_utf8(indicators).unwrap();
    let lines = text.lines().count();
    let late = lines - 3;
    let bad = set(
        &set(&set(&text, 2, "peso", "abc"), lines / 2, "misurato", "n.d."),
        late,
        "obiettivo",
        "OB-NESSUNO",
    );
    let crlf = text.replace('\n', "\r\n");
    let bom = format!("\u{feff}{text}");
    // Found after some pieces: the file is read again, whole.
    let quoted = set(&text, late, "descrizione", "\"Pratiche; evase\"");
    let mut latin: Vec<u8> = set(&text, late, "descrizione", "Attivit\u{e0}").into_bytes();
    let at = latin.windows(2).position(|w| w == "à".as_bytes()).unwrap();
    latin.splice(at..at + 2, [0xe0]);
    let utf8 = CsvOptions {
        encoding: Encoding::Utf8,
        ..Default::default()
    };
    for (indicators, opts) in [
        (text.clone().into_bytes(), CsvOptions::default()),
        (bad.into_bytes(), CsvOptions::default()),
        (crlf.into_bytes(), CsvOptions::default()),
        // The last record without a line end.
        (text.trim_end().as_bytes().to_vec(), CsvOptions::default()),
        (bom.into_bytes(), CsvOptions::default()),
        (quoted.into_bytes(), CsvOptions::default()),
        (latin.clone(), CsvOptions::default()),
        (latin, utf8),
        (b"obiettivo;descrizione\n".to_vec(), CsvOptions::default()),
        (Vec::new(), CsvOptions::default()),
    ] {
        check(&objectives, &indicators, opts);
    }
}

#[test]
fn a_bad_objectives_file_still_reports_the_indicators_syntax() {
    let (_, indicators) = files(5, 1);
    check(b"codice;peso\n", &indicators, CsvOptions::default());
    check(b"", &indicators, CsvOptions::default());
}
