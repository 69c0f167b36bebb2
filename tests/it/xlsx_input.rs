//! The office's Excel workbook as input: a data folder given as `dati.xlsx` (one sheet per
//! file) or as one workbook per file gives byte-identical figures (JSON) to its CSV twin; the
//! workbooks are built here from the Prato fixture's CSVs with numbers as numbers, dates as
//! dates and percentages as percentage cells. Problems in a sheet are located in A1 notation.
//! The scenarios' workbooks (`fixtures/scenari/dati-xlsx*`) are written by the generator
//! below, which a test checks against the committed files.

use std::path::{Path, PathBuf};
use std::process::Command;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

/// The Prato fixture's data files, without `.csv`.
const STEMS: [&str; 6] = [
    "obiettivi",
    "indicatori",
    "dirigenti",
    "valutazioni",
    "interim",
    "compensi",
];

fn manifest(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// How the test writes a column's cells.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    /// Amounts, weights, scores: numbers, whatever their Italian form.
    Number,
    Date,
    /// The PEG's free text: a number, percentage or date cell only where the cell reads back
    /// as the same text.
    Written,
}

fn kind(header: &str) -> Kind {
    match header {
        "retribuzione_posizione"
        | "retribuzione_posizione_incarico"
        | "importo"
        | "punti_pesatura"
        | "peso"
        | "punteggio"
        | "percentuale"
        | "raggiungimento_manuale" => Kind::Number,
        "inizio" | "fine" => Kind::Date,
        "target" | "misurato" | "valore_iniziale" => Kind::Written,
        _ => Kind::Text,
    }
}

/// `dd/mm/yyyy` as a date, if it is one.
fn date(text: &str) -> Option<ExcelDateTime> {
    let b = text.as_bytes();
    if b.len() != 10 || b[2] != b'/' || b[5] != b'/' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| text[r].parse::<u16>().ok();
    ExcelDateTime::from_ymd(n(6..10)?, n(3..5)? as u8, n(0..2)? as u8).ok()
}

/// An Italian number (`44.800,00`, `95`, `62%` without its sign) as a double.
fn number(text: &str) -> Option<f64> {
    let plain = text.replace('.', "").replace(',', ".");
    (!plain.is_empty() && plain.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .then(|| plain.parse().ok())
        .flatten()
}

/// Writes one cell as the office would have typed it.
fn cell(ws: &mut Worksheet, r: u32, c: u16, text: &str, kind: Kind) {
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let percent_format = Format::new().set_num_format("0%");
    let same = |f: f64, percent: bool| ccdi::input::xlsx::number_text(f, percent).ok();
    if text.is_empty() {
        return;
    }
    let done = match kind {
        Kind::Number => number(text).map(|f| ws.write_number(r, c, f).map(|_| ())),
        Kind::Date => date(text).map(|d| {
            ws.write_datetime_with_format(r, c, d, &date_format)
                .map(|_| ())
        }),
        Kind::Written => {
            if let Some(d) = date(text) {
                Some(
                    ws.write_datetime_with_format(r, c, d, &date_format)
                        .map(|_| ()),
                )
            } else if let Some(f) = text.strip_suffix('%').and_then(number) {
                let f = f / 100.0;
                (same(f, true).as_deref() == Some(text)).then(|| {
                    ws.write_number_with_format(r, c, f, &percent_format)
                        .map(|_| ())
                })
            } else {
                number(text)
                    .filter(|&f| same(f, false).as_deref() == Some(text))
                    .map(|f| ws.write_number(r, c, f).map(|_| ()))
            }
        }
        Kind::Text => None,
    };
    match done {
        Some(res) => res.unwrap(),
        None => {
            ws.write_string(r, c, text).unwrap();
        }
    }
}

/// A sheet from a CSV's text (`;`, no quotes), typed by column.
fn sheet_from_csv(ws: &mut Worksheet, csv: &str) {
    let mut kinds = Vec::new();
    for (r, line) in csv.lines().enumerate() {
        for (c, field) in line.split(';').enumerate() {
            if r == 0 {
                kinds.push(kind(field));
                ws.write_string(0, c as u16, field).unwrap();
            } else {
                cell(ws, r as u32, c as u16, field, kinds[c]);
            }
        }
    }
}

/// A workbook with a fixed creation date, so that its bytes do not depend on the day.
fn workbook() -> Workbook {
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(2024, 1, 1).unwrap();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&when));
    wb
}

/// A fresh empty folder under the system's temporary one.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ccdi-xlsx-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `calcola --formato json` on a data folder: the exit code, stdout and stderr.
fn calcola_json(dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ccdi"))
        .args(["calcola", "--formato", "json", "--regole"])
        .arg(manifest("rules/prato-2019.toml"))
        .arg("--dati")
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The figures of a JSON result: without the fingerprints (of other files), the sources
/// named as `renames` says.
fn figures(json: &str, renames: &[(String, String)]) -> String {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    v.as_object_mut().unwrap().remove("impronte_sha256");
    // The document's own SHA-256 covers the file names too.
    v.as_object_mut()
        .unwrap()
        .remove("impronta_documento_sha256");
    let mut text = serde_json::to_string_pretty(&v).unwrap();
    for (from, to) in renames {
        text = text.replace(from.as_str(), to);
    }
    text
}

/// The CSV run's figures and the workbook run's, whose sources `sheet_of` names.
fn compare(xlsx_dir: &Path, sheet_of: impl Fn(&str) -> String) {
    let csv_dir = manifest("fixtures/prato-2019");
    let (code_c, json_c, err_c) = calcola_json(&csv_dir);
    let (code_x, json_x, err_x) = calcola_json(xlsx_dir);
    assert_eq!(code_c, 0, "{err_c}");
    assert_eq!(code_x, 0, "{err_x}");
    let renames: Vec<(String, String)> = STEMS
        .iter()
        .map(|s| {
            let from = format!("{}/{}", xlsx_dir.display(), sheet_of(s));
            (from, format!("{}/{s}.csv", csv_dir.display()))
        })
        .collect();
    let (want, got) = (figures(&json_c, &[]), figures(&json_x, &renames));
    assert!(
        json_x.contains(&sheet_of("dirigenti")),
        "sources name the sheet"
    );
    assert!(want == got, "the figures differ:\n{got}");
    assert_eq!(err_c, err_x);
}

#[test]
fn a_data_workbook_gives_the_figures_of_its_csv_twin() {
    let dir = temp_dir("dati");
    let mut wb = workbook();
    for stem in STEMS {
        let csv = std::fs::read_to_string(manifest(&format!("fixtures/prato-2019/{stem}.csv")));
        sheet_from_csv(wb.add_worksheet().set_name(stem).unwrap(), &csv.unwrap());
    }
    wb.save(dir.join("dati.xlsx")).unwrap();
    compare(&dir, |s| format!("dati.xlsx[{s}]"));
    // The fingerprint is the workbook's, once.
    let (_, json, _) = calcola_json(&dir);
    assert_eq!(json.matches("dati.xlsx\"").count(), 1, "{json}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn one_workbook_per_file_gives_the_figures_of_its_csv_twin() {
    let dir = temp_dir("file");
    for stem in STEMS {
        let mut wb = workbook();
        let csv = std::fs::read_to_string(manifest(&format!("fixtures/prato-2019/{stem}.csv")));
        sheet_from_csv(wb.add_worksheet(), &csv.unwrap());
        wb.save(dir.join(format!("{stem}.xlsx"))).unwrap();
    }
    compare(&dir, |s| format!("{s}.xlsx[Sheet1]"));
    // The same file also as CSV: an error naming both.
    let csv = manifest("fixtures/prato-2019/dirigenti.csv");
    std::fs::copy(&csv, dir.join("dirigenti.csv")).unwrap();
    let (code, _, err) = calcola_json(&dir);
    assert_eq!(code, 1);
    let want = format!(
        "{d}/dirigenti.xlsx: errore: i dati \"dirigenti\" sono sia qui sia in {d}/dirigenti.csv: tenerne uno solo",
        d = dir.display()
    );
    assert!(err.contains(&want), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The scenario's small workbook: two managers, an interim at a percentage cell, amounts and
/// dates typed as numbers and dates.
fn scenario_workbook() -> Vec<u8> {
    let mut wb = workbook();
    let dirigenti = "matricola;nome;incarico;retribuzione_posizione;inizio;fine\n\
        A01;Anna Bianchi;Area amministrativa;31.500,50;01/01/2023;31/12/2023\n\
        A02;Bruno Conti;Area finanziaria;30.000,00;01/01/2023;31/12/2023";
    let valutazioni = "matricola;componente;punteggio\n\
        A01;organizzativa;90\nA01;comportamenti;90\nA02;organizzativa;100\nA02;comportamenti;100";
    let interim = "matricola;incarico_coperto;retribuzione_posizione_incarico;inizio;fine\n\
        A01;Area vacante;36.500,00;01/01/2023;31/03/2023";
    for (name, csv) in [
        ("dirigenti", dirigenti),
        ("valutazioni", valutazioni),
        ("interim", interim),
    ] {
        sheet_from_csv(wb.add_worksheet().set_name(name).unwrap(), csv);
    }
    // The interim's percentage as the office formats it: 20%.
    let ws = wb.worksheet_from_name("interim").unwrap();
    ws.write_string(0, 5, "percentuale").unwrap();
    let percent = Format::new().set_num_format("0%");
    ws.write_number_with_format(1, 5, 0.2, &percent).unwrap();
    wb.save_to_buffer().unwrap()
}

/// The error scenario's workbook: a date that does not exist, an amount with the artefact
/// of 0.1 + 0.2, a percentage in an amount column, a score out of range, a sheet that is no
/// data file, and the interim given both as a sheet and as `interim.csv`.
fn errors_workbook() -> Vec<u8> {
    let mut wb = workbook();
    let dirigenti = "matricola;nome;incarico;retribuzione_posizione;inizio;fine\n\
        A01;Anna Bianchi;Area amministrativa;31.500,50;;31/12/2023\n\
        A02;Bruno Conti;Area finanziaria;;01/01/2023;31/12/2023\n\
        A03;Carla Dini;Area tecnica;;01/01/2023;31/12/2023";
    let valutazioni = "matricola;componente;punteggio\n\
        A01;organizzativa;90\nA01;comportamenti;120\nA02;organizzativa;100\nA02;comportamenti;100\n\
        A03;organizzativa;100\nA03;comportamenti;100";
    let interim =
        "matricola;incarico_coperto;retribuzione_posizione_incarico;inizio;fine;percentuale\n\
        A01;Area vacante;36.500,00;01/01/2023;31/03/2023;20";
    for (name, csv) in [
        ("dirigenti", dirigenti),
        ("valutazioni", valutazioni),
        ("interim", interim),
        ("Foglio4", "appunti"),
    ] {
        sheet_from_csv(wb.add_worksheet().set_name(name).unwrap(), csv);
    }
    let ws = wb.worksheet_from_name("dirigenti").unwrap();
    ws.write_string(1, 4, "31/02/2023").unwrap();
    ws.write_number(2, 3, 0.1 + 0.2).unwrap();
    let percent = Format::new().set_num_format("0%");
    ws.write_number_with_format(3, 3, 0.3, &percent).unwrap();
    wb.save_to_buffer().unwrap()
}

/// The scenarios' workbooks: (path under the manifest, bytes).
fn scenario_workbooks() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (
            "fixtures/scenari/dati-xlsx/dati/dati.xlsx",
            scenario_workbook(),
        ),
        (
            "fixtures/scenari/dati-xlsx-errori/dati/dati.xlsx",
            errors_workbook(),
        ),
    ]
}

/// Writes the scenarios' workbooks: `cargo test xlsx_input -- --ignored`.
#[test]
#[ignore]
fn write_scenario_workbooks() {
    for (path, bytes) in scenario_workbooks() {
        std::fs::write(manifest(path), bytes).unwrap();
    }
}

#[test]
fn the_scenarios_workbooks_are_the_generators() {
    for (path, bytes) in scenario_workbooks() {
        let committed = std::fs::read(manifest(path)).unwrap();
        assert!(
            committed == bytes,
            "{path} differs from its generator: `cargo test xlsx_input -- --ignored` rewrites it"
        );
    }
}

#[test]
fn problems_in_a_sheet_are_located_in_a1_notation() {
    let out = Command::new(env!("CARGO_BIN_EXE_ccdi"))
        .args(["calcola", "--regole", "regole.toml", "--dati", "dati"])
        .current_dir(manifest("fixtures/scenari/dati-xlsx-errori"))
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_ne!(out.status.code(), Some(0));
    for place in [
        "dati/dati.xlsx[dirigenti]!E2: errore: [inizio] data non valida \"31/02/2023\"",
        "dati/dati.xlsx[dirigenti]!D3: errore: [retribuzione_posizione] importo \"0,30000000000000004\" con 17 decimali",
        "dati/dati.xlsx[dirigenti]!D4: errore: [retribuzione_posizione] importo non valido \"30%\"",
        "dati/dati.xlsx[valutazioni]!C3: errore: [punteggio]",
        "dati/dati.xlsx[interim]: errore:",
        "dati/dati.xlsx[Foglio4]: avviso: foglio \"Foglio4\" non letto",
    ] {
        assert!(err.contains(place), "missing {place:?} in:\n{err}");
    }
}
