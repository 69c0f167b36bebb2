//! `calcola --out DIR`: the files people open. The workbook read back with calamine, the HTML
//! checked for external resources and rendered in headless Chromium, formula injection
//! neutralised, writes atomic, inputs never overwritten.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{open_workbook, Data, Reader, Xlsx};
use rust_decimal::Decimal;

fn ccdi(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccdi"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run ccdi")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ccdi-export-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn manifest(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

fn dec(v: &serde_json::Value) -> Decimal {
    v.as_str()
        .expect("decimal string")
        .parse()
        .expect("decimal")
}

/// The bundled year written to a folder; returns the folder.
fn bundled_out(name: &str) -> PathBuf {
    let dir = scratch(name);
    let out = ccdi(&["calcola", "--out", "uscita"], &dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.join("uscita")
}

#[test]
fn out_writes_every_file_and_no_temporary() {
    let out = bundled_out("files");
    assert_eq!(
        names(&out),
        [
            "fondo.json",
            "fondo.txt",
            "fondo.xlsx",
            "impronte.csv",
            "liquidazione.csv",
            "quadro-sintesi.csv",
            "raggiungimento-indicatori.csv",
            "relazione.html",
            "relazioni-rgs.csv",
            "retribuzioni-dirigenti.csv",
            "riconciliazione.csv",
            "trasparenza.csv",
            "verifica.txt",
        ]
    );
    let printed = ccdi(&["calcola", "--formato", "json"], &out);
    assert_eq!(fs::read(out.join("fondo.json")).unwrap(), printed.stdout);
}

/// Every amount in the workbook is a number and equals the JSON figure.
#[test]
fn workbook_amounts_are_numbers_equal_to_the_json() {
    let out = bundled_out("xlsx");
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("fondo.json")).unwrap()).unwrap();
    let mut wb: Xlsx<_> = open_workbook(out.join("fondo.xlsx")).unwrap();
    let cents = |d: &Data| -> Decimal {
        match d {
            Data::Float(x) => {
                let d = Decimal::try_from(*x).unwrap();
                d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            }
            other => panic!("expected a number, found {other:?}"),
        }
    };

    let quadro = wb.worksheet_range("Quadro di sintesi").unwrap();
    let rows = &json["quadro_sintesi"]["righe"];
    for (i, r) in rows.as_array().unwrap().iter().enumerate() {
        let row = i as u32 + 1;
        assert_eq!(
            cents(quadro.get_value((row, 1)).unwrap()),
            dec(&r["importo"])
        );
        let last = quadro.width() as u32 - 1;
        assert_eq!(
            cents(quadro.get_value((row, last)).unwrap()),
            dec(&r["totale"])
        );
    }

    let managers = wb.worksheet_range("Dirigenti").unwrap();
    let header: Vec<String> = (0..managers.width() as u32)
        .map(|c| managers.get_value((0, c)).unwrap().to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap() as u32;
    let list = json["dirigenti"].as_array().unwrap();
    // Header, one row per manager, the total row.
    assert_eq!(managers.height(), list.len() + 2);
    let total_row = list.len() as u32 + 1;
    let r = &json["riconciliazione"];
    assert_eq!(
        cents(managers.get_value((total_row, col("Posizione"))).unwrap()),
        dec(&r["posizione_erogata"])
    );
    assert_eq!(
        cents(managers.get_value((total_row, col("Totale"))).unwrap()),
        dec(&r["posizione_erogata"]) + dec(&r["risultato_erogato"]) + dec(&r["interim"])
    );
    for (i, m) in list.iter().enumerate() {
        let row = i as u32 + 1;
        assert_eq!(
            managers
                .get_value((row, col("Matricola")))
                .unwrap()
                .to_string(),
            m["matricola"].as_str().unwrap()
        );
        assert_eq!(
            cents(managers.get_value((row, col("Posizione"))).unwrap()),
            dec(&m["posizione"])
        );
        assert_eq!(
            cents(managers.get_value((row, col("Risultato"))).unwrap()),
            dec(&m["risultato"])
        );
        assert_eq!(
            cents(managers.get_value((row, col("Interim"))).unwrap()),
            dec(&m["interim"])
        );
        assert_eq!(
            cents(managers.get_value((row, col("Totale"))).unwrap()),
            dec(&m["totale"])
        );
        // Dates are dates, not text.
        assert!(matches!(
            managers.get_value((row, col("Inizio"))).unwrap(),
            Data::DateTime(_)
        ));
    }
    for sheet in [
        "Relazioni RGS",
        "Obiettivi",
        "Indicatori",
        "Verifica",
        "Trasparenza",
    ] {
        assert!(wb.worksheet_range(sheet).is_ok(), "{sheet}");
    }
}

/// An Italian amount of the CSV (`-1.234,56`) as a decimal.
fn italian(cell: &str) -> Decimal {
    cell.replace('.', "")
        .replace(',', ".")
        .parse()
        .expect("amount")
}

/// `liquidazione.csv` of the scenario `liquidazione` as written (snapshot, with the
/// hand-worked figures of its `regole.toml`), its total row the sum of its rows, and the
/// workbook's sheet Liquidazione read back: the same texts, and the same amounts as numbers.
#[test]
fn payout_sheet_equals_the_csv() {
    let dir = scratch("payout");
    let scenario = manifest("fixtures/scenari/liquidazione");
    let (rules, data) = (scenario.join("regole.toml"), scenario.join("dati"));
    let args = [
        "calcola",
        "--regole",
        rules.to_str().unwrap(),
        "--dati",
        data.to_str().unwrap(),
        "--out",
        "uscita",
    ];
    let out = ccdi(&args, &dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = fs::read_to_string(dir.join("uscita/liquidazione.csv")).unwrap();
    let lines = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    insta::assert_snapshot!("liquidazione_csv", lines);
    let csv: Vec<Vec<String>> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.split(';').map(str::to_string).collect())
        .collect();
    // Header, 8 managers, the total row, the note.
    assert_eq!(csv.len(), 11, "{text}");
    let (rows, total) = (&csv[1..9], &csv[9]);
    assert_eq!(total[0], "Totale");
    for c in 2..csv[0].len() {
        let sum: Decimal = rows.iter().map(|r| italian(&r[c])).sum();
        assert_eq!(italian(&total[c]), sum, "column {}", csv[0][c]);
    }
    assert!(csv[10][0].contains("somma delle righe"), "{}", csv[10][0]);

    let mut wb: Xlsx<_> = open_workbook(dir.join("uscita/fondo.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Liquidazione").unwrap();
    for (r, row) in csv[..10].iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let got = sheet.get_value((r as u32, c as u32));
            match got {
                Some(Data::Float(x)) => {
                    let d = Decimal::try_from(*x).unwrap().round_dp(2);
                    assert_eq!(d, italian(cell), "row {r}, column {c}");
                }
                Some(Data::String(s)) => assert_eq!(s, cell, "row {r}, column {c}"),
                other => assert!(cell.is_empty(), "row {r}, column {c}: {other:?}"),
            }
        }
    }
    let note = sheet.get_value((11, 0)).unwrap().to_string();
    assert_eq!(note, csv[10][0].trim_matches('"'));
}

/// Text cells that a spreadsheet would run as a formula are neutralised in CSV and XLSX.
#[test]
fn formula_injection_is_neutralised() {
    let dir = scratch("inject");
    let data = dir.join("dati");
    fs::create_dir_all(&data).unwrap();
    for f in fs::read_dir(manifest("fixtures/prato-2019")).unwrap() {
        let f = f.unwrap();
        fs::copy(f.path(), data.join(f.file_name())).unwrap();
    }
    let managers = fs::read_to_string(data.join("dirigenti.csv")).unwrap();
    let evil = managers
        .replace("Alessandri Marta", "=HYPERLINK(\"http://x\",\"clic\")")
        .replace("Baldi Francesco", "@SUM(A1)");
    fs::write(data.join("dirigenti.csv"), evil).unwrap();
    let rules = manifest("rules/prato-2019.toml");
    let out = ccdi(
        &[
            "calcola",
            "--regole",
            rules.to_str().unwrap(),
            "--dati",
            "dati",
            "--out",
            "uscita",
        ],
        &dir,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = fs::read_to_string(dir.join("uscita/retribuzioni-dirigenti.csv")).unwrap();
    assert!(
        csv.contains(";\"'=HYPERLINK(\"\"http://x\"\",\"\"clic\"\")\";"),
        "{csv}"
    );
    assert!(csv.contains(";'@SUM(A1);"), "{csv}");
    assert!(!csv.contains(";=HYPERLINK"));
    let mut wb: Xlsx<_> = open_workbook(dir.join("uscita/fondo.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Dirigenti").unwrap();
    let names: Vec<String> = (1..sheet.height() as u32 - 1)
        .map(|r| sheet.get_value((r, 1)).unwrap().to_string())
        .collect();
    assert!(
        names.contains(&"'=HYPERLINK(\"http://x\",\"clic\")".to_string()),
        "{names:?}"
    );
    assert!(names.contains(&"'@SUM(A1)".to_string()));
    // Negative amounts stay numbers in the CSV, not neutralised text.
    assert!(!csv.contains("'-"));
}

#[test]
fn out_never_overwrites_an_input() {
    let dir = scratch("overwrite");
    // A rules file that happens to carry an output's name, in the output folder.
    fs::write(dir.join("fondo.json"), ccdi::input::files::EXAMPLE_RULES).unwrap();
    let out = ccdi(&["calcola", "--regole", "fondo.json", "--out", "."], &dir);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--out scriverebbe sopra il file di ingresso ./fondo.json"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(dir.join("fondo.json")).unwrap(),
        ccdi::input::files::EXAMPLE_RULES
    );
    assert_eq!(names(&dir), ["fondo.json"]);
}

#[test]
fn an_error_leaves_earlier_outputs_intact() {
    let dir = scratch("intact");
    assert_eq!(
        ccdi(&["calcola", "--out", "uscita"], &dir).status.code(),
        Some(0)
    );
    let before: Vec<(String, Vec<u8>)> = names(&dir.join("uscita"))
        .into_iter()
        .map(|n| {
            let bytes = fs::read(dir.join("uscita").join(&n)).unwrap();
            (n, bytes)
        })
        .collect();
    // Invalid input: nothing is written.
    fs::write(dir.join("regole.toml"), "[ente]\nnome = \"X\"\n").unwrap();
    assert_eq!(
        ccdi(
            &["calcola", "--regole", "regole.toml", "--out", "uscita"],
            &dir
        )
        .status
        .code(),
        Some(1)
    );
    // A target that cannot be replaced: refused before anything is written.
    fs::remove_file(dir.join("uscita/relazione.html")).unwrap();
    fs::create_dir(dir.join("uscita/relazione.html")).unwrap();
    assert_eq!(
        ccdi(&["calcola", "--out", "uscita"], &dir).status.code(),
        Some(1)
    );
    for (n, bytes) in before.iter().filter(|(n, _)| n != "relazione.html") {
        assert_eq!(&fs::read(dir.join("uscita").join(n)).unwrap(), bytes, "{n}");
    }
    assert!(names(&dir.join("uscita"))
        .iter()
        .all(|n| !n.ends_with(".tmp")));
}

/// The visible text of an HTML document: tags dropped, entities decoded, blank lines folded.
fn text_of(html: &str) -> String {
    let body = &html[html.find("<body>").unwrap()..];
    let mut out = String::new();
    let mut in_tag = false;
    for ch in body.chars() {
        match ch {
            '<' => {
                in_tag = true;
                out.push('\n');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn html_is_self_contained_and_its_text_is_stable() {
    let out = bundled_out("html");
    let html = fs::read_to_string(out.join("relazione.html")).unwrap();
    for banned in [
        "http://", "https://", "src=", "href=", "url(", "@import", "<link", "<script", "<img",
        "<iframe",
    ] {
        assert!(
            !html.contains(banned),
            "external resource or script: {banned}"
        );
    }
    assert!(html.contains("<svg"));
    assert!(html.contains("@page { size: A4"));
    insta::assert_snapshot!("relazione_html_testo", text_of(&html));
}

/// Renders the report to PDF and PNG in headless Chromium. CI installs Chromium (`.ci/run`);
/// on a machine without it the check reports that it could not run, and under CI it fails.
#[test]
fn html_renders_in_headless_chromium() {
    let chromium = ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(chromium) = chromium else {
        assert!(
            std::env::var("CI").is_err(),
            "Chromium missing under CI: .ci/run must install it"
        );
        eprintln!("chromium non installato: rendering non verificato su questa macchina");
        return;
    };
    let out = bundled_out("chromium");
    let profile = out.join("profilo");
    fs::create_dir_all(&profile).unwrap();
    let url = format!("file://{}", out.join("relazione.html").display());
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
    ];
    let user_dir = format!("--user-data-dir={}", profile.display());
    let pdf = out.join("relazione.pdf");
    let png = out.join("relazione.png");
    for target in [
        format!("--print-to-pdf={}", pdf.display()),
        format!("--screenshot={}", png.display()),
    ] {
        let run = Command::new(chromium)
            .args(common)
            .arg(&user_dir)
            .arg("--window-size=1240,1754")
            .arg(&target)
            .arg(&url)
            .output()
            .expect("run chromium");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let pdf_bytes = fs::read(&pdf).unwrap();
    assert!(pdf_bytes.starts_with(b"%PDF"), "not a PDF");
    assert!(pdf_bytes.len() > 10_000);
    let png_bytes = fs::read(&png).unwrap();
    assert!(png_bytes.starts_with(b"\x89PNG"), "not a PNG");
    if let Ok(keep) = std::env::var("CCDI_KEEP_RENDER") {
        fs::copy(&pdf, Path::new(&keep).join("relazione.pdf")).unwrap();
        fs::copy(&png, Path::new(&keep).join("relazione.png")).unwrap();
    }
}

/// Two runs write byte-identical files, the workbook included.
#[test]
fn out_files_are_byte_identical_across_runs() {
    let a = bundled_out("twice-a");
    let b = bundled_out("twice-b");
    for name in names(&a) {
        assert_eq!(
            fs::read(a.join(&name)).unwrap(),
            fs::read(b.join(&name)).unwrap(),
            "{name}"
        );
    }
}

/// An output that cannot be made half-way through `--out` (files are made one at a time, just
/// before being written): nothing is renamed, no temporary is left, earlier outputs stay.
#[test]
fn a_failure_while_making_an_output_leaves_earlier_outputs_intact() {
    use ccdi::diag::{Diagnostic, Diagnostics, Location};
    use ccdi::output::write::{write_all_lazy, Failure, Producer};
    let dir = scratch("produttore");
    fs::write(dir.join("a.txt"), "vecchio a").unwrap();
    fs::write(dir.join("b.txt"), "vecchio b").unwrap();
    let files: Vec<(String, Producer)> = vec![
        ("a.txt".into(), Box::new(|w| Ok(w.write_all(b"nuovo a")?))),
        (
            "b.txt".into(),
            Box::new(|_| {
                Err(Failure::Input(Diagnostics(vec![Diagnostic::error(
                    Location::file("b.txt"),
                    "impossibile comporre",
                )])))
            }),
        ),
        ("c.txt".into(), Box::new(|w| Ok(w.write_all(b"nuovo c")?))),
    ];
    let err = write_all_lazy(&dir, files, &[]).expect_err("the failure is reported");
    assert!(err.to_string().contains("impossibile comporre"), "{err}");
    assert_eq!(names(&dir), vec!["a.txt", "b.txt"]);
    assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "vecchio a");
    assert_eq!(fs::read_to_string(dir.join("b.txt")).unwrap(), "vecchio b");
}

/// The matricole and names of a `dirigenti.csv` (first two columns, after the header).
fn people(dirigenti: &Path) -> Vec<String> {
    let text = fs::read_to_string(dirigenti).unwrap();
    text.lines()
        .skip(1)
        .flat_map(|l| l.split(';').take(2).map(str::to_string))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Panics when `text` (from `what`) names any of `people`.
fn assert_anonymous(what: &str, text: &str, people: &[String]) {
    for p in people {
        assert!(!text.contains(p.as_str()), "{what} names {p}");
    }
}

/// The published documents (the RTF and the relazione illustrativa) carry no matricola and no
/// name: in the text, CSV and JSON of `ccdi relazioni`, in the workbook's sheet of the
/// documents and in the HTML report's documents, for the bundled example and a small ente.
#[test]
fn published_documents_name_nobody() {
    let small = manifest("fixtures/scenari/relazioni-senza-dati-personali");
    let cases = [
        (manifest("fixtures/prato-2019/dirigenti.csv"), Vec::new()),
        (
            small.join("dati/dirigenti.csv"),
            vec!["--regole", "regole.toml", "--dati", "dati"],
        ),
    ];
    for (i, (dirigenti, args)) in cases.iter().enumerate() {
        let people = people(dirigenti);
        assert!(people.len() >= 8, "{}", dirigenti.display());
        let dir = if args.is_empty() {
            scratch(&format!("anonymous-{i}"))
        } else {
            small.clone()
        };
        for format in ["testo", "csv", "json"] {
            let mut a = vec!["relazioni", "--formato", format];
            a.extend(args.iter().copied());
            let out = ccdi(&a, &dir);
            assert_eq!(out.status.code(), Some(0), "{format}");
            let text = String::from_utf8(out.stdout).unwrap();
            assert_anonymous(&format!("relazioni --formato {format}"), &text, &people);
        }
        let out_dir = scratch(&format!("anonymous-out-{i}"));
        let mut a = vec!["calcola", "--out"];
        let target = out_dir.join("uscita").display().to_string();
        a.push(&target);
        a.extend(args.iter().copied());
        assert_eq!(ccdi(&a, &dir).status.code(), Some(0));
        let html = fs::read_to_string(out_dir.join("uscita/relazione.html")).unwrap();
        let start = html.find("<h2>Relazione tecnico-finanziaria").unwrap();
        let end = html.find("<h2>Retribuzione dei dirigenti").unwrap();
        assert_anonymous("the HTML's documents", &html[start..end], &people);
        let mut wb: Xlsx<_> = open_workbook(out_dir.join("uscita/fondo.xlsx")).unwrap();
        let sheet = wb.worksheet_range("Relazioni RGS").unwrap();
        let cells: Vec<String> = sheet.cells().map(|(_, _, d)| d.to_string()).collect();
        assert_anonymous("the workbook's documents", &cells.join("\n"), &people);
    }
}
