//! Real exports come in many shapes: each accepted variant of the Prato 2019 data folder (BOM,
//! CRLF, Windows-1252, `,` delimiter, quoted newlines, trailing empty rows and columns, headers
//! in capitals with spaces and accents) gives the same figures as the clean files.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const FILES: [&str; 6] = [
    "obiettivi.csv",
    "indicatori.csv",
    "dirigenti.csv",
    "valutazioni.csv",
    "interim.csv",
    "compensi.csv",
];

fn clean_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/prato-2019")
}

/// Runs the year on a data folder and returns the figures that must not depend on the
/// file's shape, plus stderr.
fn figures(data: &Path) -> (serde_json::Value, String) {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/prato-2019.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_ccdi"))
        .args(["calcola", "--formato", "json", "--regole"])
        .arg(&rules)
        .arg("--dati")
        .arg(data)
        .output()
        .expect("run ccdi");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(0), "{}: {stderr}", data.display());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let scores: Vec<_> = v["obiettivi"]["dirigenti"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["matricola"].clone(), m["punteggio_obiettivi"].clone()))
        .collect();
    let managers: Vec<_> = v["dirigenti"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            serde_json::json!([
                m["matricola"],
                m["nome"],
                m["posizione"],
                m["punteggio"],
                m["risultato"],
                m["interim"],
                m["totale"]
            ])
        })
        .collect();
    (
        serde_json::json!({
            "riconciliazione": v["riconciliazione"],
            "dirigenti": managers,
            "punteggi": format!("{scores:?}"),
        }),
        stderr,
    )
}

/// Writes a variant of the clean folder, each file's text passed through `f`.
fn variant(name: &str, f: impl Fn(&str, &str) -> Vec<u8>) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ccdi-variante-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    for file in FILES {
        let text = fs::read_to_string(clean_dir().join(file)).unwrap();
        fs::write(dir.join(file), f(file, &text)).unwrap();
    }
    dir
}

/// Rewrites a `;` CSV with another delimiter, quoting as a spreadsheet would.
fn redelimit(text: &str, delimiter: u8) -> Vec<u8> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    for rec in r.records() {
        w.write_record(&rec.unwrap()).unwrap();
    }
    w.into_inner().unwrap()
}

#[track_caller]
fn check(name: &str, f: impl Fn(&str, &str) -> Vec<u8>, expected_stderr: &str) {
    let (clean, clean_err) = figures(&clean_dir());
    // Nothing but the verdict of the checks that ends `calcola`.
    assert!(
        clean_err.starts_with("verifica: ") && clean_err.lines().count() == 1,
        "{clean_err}"
    );
    let dir = variant(name, f);
    let (got, err) = figures(&dir);
    assert_eq!(got, clean, "variant {name}");
    assert!(err.contains(expected_stderr), "variant {name}: {err}");
}

#[test]
fn bom() {
    check("bom", |_, t| format!("\u{feff}{t}").into_bytes(), "");
}

#[test]
fn crlf() {
    check("crlf", |_, t| t.replace('\n', "\r\n").into_bytes(), "");
}

#[test]
fn windows_1252() {
    check(
        "cp1252",
        // "≥" has no Windows-1252 byte: Excel would write ">=".
        |_, t| {
            encoding_rs::WINDOWS_1252
                .encode(&t.replace('≥', ">="))
                .0
                .into_owned()
        },
        "letto come Windows-1252",
    );
}

#[test]
fn comma_delimiter() {
    check("virgola", |_, t| redelimit(t, b','), "");
}

#[test]
fn quoted_newlines_and_delimiters() {
    check(
        "a-capo",
        |file, t| {
            let t = if file == "indicatori.csv" {
                t.replace(
                    ";Pratiche gestite in via telematica;",
                    ";\"Pratiche gestite\nin via telematica; tutte\";",
                )
            } else {
                t.to_string()
            };
            t.into_bytes()
        },
        "",
    );
}

#[test]
fn trailing_empty_rows_and_columns() {
    check(
        "vuote",
        |_, t| {
            let mut out: String = t.lines().map(|l| format!("{l};;\n")).collect();
            out.push_str(";;;\n\n;;\n");
            out.into_bytes()
        },
        "",
    );
}

#[test]
fn headers_in_capitals_with_spaces_and_accents() {
    check(
        "intestazioni",
        |_, t| {
            let (head, rest) = t.split_once('\n').unwrap();
            let head: Vec<String> = head
                .split(';')
                .map(|h| {
                    format!(
                        " {} ",
                        h.to_uppercase()
                            .replace("INCARICO", "INCÀRICO")
                            .replace('_', " ")
                    )
                })
                .collect();
            format!("{}\n{rest}", head.join(";")).into_bytes()
        },
        "",
    );
}
