//! Bounded work on any input, and messages that cannot mislead (issue 20): a rules file of
//! many items read in linear time, a million problems listed as the first 200 and counted by
//! kind, long values echoed cut, only regular files read and within a size, control
//! characters never printed raw, UTF-16 named or read, a too-deep key at its line, no
//! follow-on figure from a refused amount.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ccdi::diag::{Diagnostics, LISTED_MAX};
use ccdi::input::csv::{req, Cells, Column, CsvOptions, Table};
use ccdi::input::files::{load_inputs, load_rules};
use ccdi::input::rules::parse_rules;

/// The small valid year the error cases start from.
fn base_rules() -> String {
    fs::read_to_string(fixtures().join("errori/regole-base.toml")).unwrap()
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ccdi-bounded-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `f`, failing when it takes longer than `limit`; its result.
fn within<T>(what: &str, limit: Duration, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < limit, "{what}: {took:?}, over {limit:?}");
    out
}

/// The problems of a run that must fail, as printed.
fn problems<T>(r: Result<T, Diagnostics>) -> (Diagnostics, String) {
    let Err(d) = r else {
        panic!("the input was accepted");
    };
    let text = d.to_string();
    (d, text)
}

/// Checks a report: bounded in size, no raw control character, holding each of `want`.
fn check(text: &str, max_bytes: usize, want: &[&str]) {
    assert!(
        text.len() <= max_bytes,
        "{} bytes, over {max_bytes}:\n{}",
        text.len(),
        &text[..text.len().min(2_000)]
    );
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "a raw control character in:\n{text}"
    );
    for w in want {
        assert!(text.contains(w), "missing {w:?} in:\n{text}");
    }
}

#[test]
fn fifty_thousand_items_of_a_rules_file_are_read_in_linear_time() {
    let mut src = base_rules();
    for i in 0..50_000 {
        src.push_str(&format!(
            "\n[[risorse]]\ncodice = \"r{i}\"\ndescrizione = \"voce {i}\"\nnatura = \"variabile\"\nsoggetta_limite_2016 = false\nimporto = \"1,00\"\nfonte = \"CCDI\"\n"
        ));
    }
    // The old count of newlines from the file's start for every item took minutes here.
    let (rules, _) = within("50.000 [[risorse]]", Duration::from_secs(20), || {
        parse_rules("regole.toml", &src).expect("valid rules")
    });
    assert_eq!(rules.resources.len(), 50_001);
    let last = rules.resources.last().unwrap();
    let lines: Vec<&str> = src.lines().collect();
    let header = lines.iter().rposition(|l| *l == "[[risorse]]").unwrap() + 1;
    assert!(
        (header..=header + 1).contains(&last.origin.line),
        "the last item's line: {} for {header}",
        last.origin.line
    );
}

#[test]
fn a_million_bad_rows_are_listed_as_the_first_two_hundred_and_counted() {
    const COLUMNS: &[Column] = &[req("codice"), req("importo")];
    let mut csv = String::from("codice;importo\n");
    for i in 0..1_000_000 {
        csv.push_str(&format!("c{i};abc\n"));
    }
    let d = within("1.000.000 bad rows", Duration::from_secs(60), || {
        let table = Table::parse("f.csv", csv.as_bytes(), COLUMNS, CsvOptions::default()).unwrap();
        let mut cells = Cells::new(&table);
        for row in &table.rows {
            let _ = cells.amount(row, "importo");
        }
        assert_eq!(cells.error_count(), 1_000_000);
        cells.diags
    });
    assert_eq!(d.list.len(), LISTED_MAX, "problems kept");
    assert_eq!(d.errors(), 1_000_000, "problems counted");
    let text = d.to_string();
    check(
        &text,
        48_000,
        &[
            "f.csv:201:2: errore: [importo] importo non valido \"abc\"",
            "e altri 999.800 problemi non elencati (si elencano i primi 200), per tipo:",
            "  999.800 × f.csv: importo non valido\n",
            "trovati 1.000.000 errori: nessun risultato prodotto",
        ],
    );
    assert!(!text.contains("f.csv:202:"), "only the first 200 listed");
}

#[test]
fn a_header_of_a_million_columns_gives_a_bounded_report() {
    const COLUMNS: &[Column] = &[req("codice"), req("importo")];
    let header: Vec<String> = (0..1_000_000).map(|i| format!("x{i}")).collect();
    let csv = format!("{}\n1;2\n", header.join(";"));
    let (d, text) = within("1.000.000 columns", Duration::from_secs(30), || {
        problems(Table::parse(
            "f.csv",
            csv.as_bytes(),
            COLUMNS,
            CsvOptions::default(),
        ))
    });
    assert_eq!(
        d.errors(),
        1_000_002,
        "each unknown column and both missing"
    );
    check(
        &text,
        160_000,
        &[
            "f.csv:1:1: errore: [x0] colonna sconosciuta \"x0\"",
            "× f.csv: colonna sconosciuta",
            "trovati 1.000.002 errori",
        ],
    );
}

#[test]
fn a_long_value_is_echoed_cut_with_its_length() {
    const COLUMNS: &[Column] = &[req("codice"), req("importo")];
    let long = "9x".repeat(1_000_000);
    let csv = format!("codice;importo\nc;{long}\n");
    let table = Table::parse("f.csv", csv.as_bytes(), COLUMNS, CsvOptions::default()).unwrap();
    let mut cells = Cells::new(&table);
    assert!(cells.amount(&table.rows[0], "importo").is_none());
    let text = cells.diags.to_string();
    check(&text, 1_000, &["…\" (testo di 2.000.000 caratteri)"]);
    // A header's name of as many: its key cut too.
    let csv = format!("codice;importo;{long}\n");
    let (_, text) = problems(Table::parse(
        "f.csv",
        csv.as_bytes(),
        COLUMNS,
        CsvOptions::default(),
    ));
    check(
        &text,
        1_000,
        &["f.csv:1:3: errore: [9x9x", "…] colonna sconosciuta \"9x9x"],
    );
    // A rules file's value: the message, the source line and the caret, each cut.
    let src = base_rules().replace("importo = \"100.000,00\"", &format!("importo = \"{long}\""));
    let (_, text) = problems(parse_rules("regole.toml", &src));
    check(
        &text,
        2_000,
        &[
            "regole.toml:12:11: errore: [risorse[1].importo]",
            "(testo di 2.000.000 caratteri)",
        ],
    );
}

/// A data folder with the managers, their evaluations and the given fees' file.
fn data_folder(name: &str) -> PathBuf {
    let dir = scratch(name);
    let from = fixtures().join("errori/regole-importo-ambiguo/dati");
    for f in fs::read_dir(&from).unwrap() {
        let f = f.unwrap();
        fs::copy(f.path(), dir.join(f.file_name())).unwrap();
    }
    fs::write(dir.join("regole.toml"), base_rules()).unwrap();
    dir
}

/// The problems of loading `dir` with its rules.
fn load(dir: &Path) -> String {
    let rules = dir.join("regole.toml");
    problems(load_inputs(Some(&rules), Some(dir))).1
}

#[cfg(unix)]
#[test]
fn only_regular_files_are_read() {
    let dir = data_folder("special");
    let fees = dir.join("compensi.csv");
    // A device that never ends: refused, not read until memory runs out.
    std::os::unix::fs::symlink("/dev/zero", &fees).unwrap();
    let text = within("/dev/zero", Duration::from_secs(10), || load(&dir));
    check(
        &text,
        1_000,
        &["compensi.csv: errore: non è un file da leggere ma un dispositivo"],
    );
    fs::remove_file(&fees).unwrap();
    // A FIFO no one writes to: refused, not waited on.
    let made = std::process::Command::new("mkfifo").arg(&fees).status();
    if made.is_ok_and(|s| s.success()) {
        let text = within("FIFO", Duration::from_secs(10), || load(&dir));
        check(
            &text,
            1_000,
            &["compensi.csv: errore: non è un file da leggere ma una pipe (FIFO)"],
        );
        fs::remove_file(&fees).unwrap();
    }
    // A folder where a file is expected.
    fs::create_dir(&fees).unwrap();
    check(
        &load(&dir),
        1_000,
        &["compensi.csv: errore: non è un file da leggere ma una cartella"],
    );
    let (_, text) = problems(load_rules(Some(&dir)));
    check(&text, 1_000, &["non è un file da leggere ma una cartella"]);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_file_over_its_size_limit_is_one_error() {
    let dir = data_folder("size");
    // Sparse files: their size, not their bytes, is over the limit.
    let fees = fs::File::create(dir.join("compensi.csv")).unwrap();
    fees.set_len(ccdi::input::files::DATA_FILE_MAX + 1).unwrap();
    check(
        &load(&dir),
        1_000,
        &["compensi.csv: errore: file troppo grande: oltre 256 MB"],
    );
    let rules = fs::OpenOptions::new()
        .append(true)
        .open(dir.join("regole.toml"))
        .unwrap();
    rules
        .set_len(ccdi::input::files::RULES_FILE_MAX + 1)
        .unwrap();
    let (d, text) = problems(load_rules(Some(&dir.join("regole.toml"))));
    assert_eq!(d.errors(), 1);
    check(
        &text,
        1_000,
        &["regole.toml: errore: file troppo grande: oltre 16 MB"],
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn control_characters_are_refused_in_cells_and_never_printed_raw() {
    let dir = data_folder("controls");
    let managers = fs::read_to_string(dir.join("dirigenti.csv")).unwrap();
    let hostile = managers.replacen("Rossi", "Ro\u{1b}[2Jssi\u{0}", 1);
    fs::write(dir.join("dirigenti.csv"), hostile).unwrap();
    let text = load(&dir);
    check(
        &text,
        2_000,
        &["dirigenti.csv:2:2: errore: [nome] la cella contiene il carattere di controllo \\u{1b}"],
    );
    // A text of the rules, written with TOML's escape.
    let src = base_rules().replace("Comune di Esempio", "Comune\\u001b[31m di Esempio");
    let (_, text) = problems(parse_rules("regole.toml", &src));
    check(
        &text,
        2_000,
        &["[ente.nome] il testo contiene il carattere di controllo \\u{1b}"],
    );
    // Whatever a message holds (a file name, a header), it is printed escaped.
    let csv = "codice\u{7};importo\nc;1\n";
    const COLUMNS: &[Column] = &[req("codice"), req("importo")];
    let (_, text) = problems(Table::parse(
        "f\u{1b}.csv",
        csv.as_bytes(),
        COLUMNS,
        CsvOptions::default(),
    ));
    check(
        &text,
        2_000,
        &["f\\u{1b}.csv:1:1: errore: [codice\\u{7}] colonna sconosciuta \"codice\\u{7}\""],
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn utf16_is_read_with_its_mark_and_named_without() {
    let dir = data_folder("utf16");
    let utf16 = |text: &str, mark: bool| -> Vec<u8> {
        let mut bytes = if mark { vec![0xff, 0xfe] } else { Vec::new() };
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    // The rules file as Notepad's "Unicode" saves it: read.
    let rules = dir.join("regole.toml");
    fs::write(&rules, utf16(&base_rules(), true)).unwrap();
    assert!(
        load_rules(Some(&rules)).is_ok(),
        "UTF-16 rules with their mark"
    );
    fs::write(&rules, utf16(&base_rules(), false)).unwrap();
    let (_, text) = problems(load_rules(Some(&rules)));
    check(&text, 1_000, &["regole.toml:1: errore: la prima riga contiene caratteri nulli: il file sembra in UTF-16 senza il segno iniziale (BOM)"]);
    fs::write(&rules, base_rules()).unwrap();
    // A CSV without its mark: one error naming UTF-16, not unknown columns full of NULs.
    let managers = fs::read_to_string(dir.join("dirigenti.csv")).unwrap();
    fs::write(dir.join("dirigenti.csv"), utf16(&managers, false)).unwrap();
    let text = load(&dir);
    check(&text, 1_000, &["dirigenti.csv:1: errore: la riga delle intestazioni contiene caratteri nulli: il file sembra in UTF-16"]);
    assert!(!text.contains("sconosciuta"), "{text}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_too_deep_dotted_key_is_reported_at_its_line() {
    let deep = format!("a{} = 1\n", ".a".repeat(100_000));
    let src = format!("{}{deep}", base_rules());
    let line = src.lines().count();
    let (_, text) = problems(parse_rules("regole.toml", &src));
    check(
        &text,
        2_000,
        &[&format!(
            "regole.toml:{line}:1: errore: chiave con troppi livelli"
        )],
    );
}

#[test]
fn a_refused_amount_adds_no_figure_of_the_fund() {
    let src = base_rules().replace("\"100.000,00\"", "\"100.000\"");
    let (d, text) = problems(parse_rules("regole.toml", &src));
    assert_eq!(d.errors(), 1, "{text}");
    check(&text, 2_000, &["importo ambiguo \"100.000\""]);
    assert!(
        !text.contains("supera il fondo") && !text.contains("fondo 0,00"),
        "no fund figure from a refused amount:\n{text}"
    );
}
