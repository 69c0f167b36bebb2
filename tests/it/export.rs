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

/// `calcola ARGS --out uscita` in a fresh folder; returns the folder of the files.
fn out_in(name: &str, args: &[&str]) -> PathBuf {
    let dir = scratch(name);
    let mut all = vec!["calcola"];
    all.extend_from_slice(args);
    all.extend(["--out", "uscita"]);
    let out = ccdi(&all, &dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.join("uscita")
}

/// The bundled year written to a folder; returns the folder.
fn bundled_out(name: &str) -> PathBuf {
    out_in(name, &[])
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
            "relazione-interna.html",
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

/// Whether the tests run under CI: `CI` set, to anything but empty, `0` or `false`.
fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// Chromium: the program `CCDI_CHROMIUM` names, else the first of `chromium`,
/// `chromium-browser`, `google-chrome` that answers `--version`.
fn chromium() -> Option<String> {
    let named = std::env::var("CCDI_CHROMIUM")
        .ok()
        .filter(|c| !c.is_empty());
    let candidates = match named {
        Some(c) => vec![c],
        None => ["chromium", "chromium-browser", "google-chrome"]
            .map(String::from)
            .to_vec(),
    };
    candidates.into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Renders the report to PDF and PNG in headless Chromium. CI installs Chromium (`.ci/run`).
/// Without Chromium the test fails under CI (`CI=true`) and elsewhere is skipped loudly: the
/// notice goes straight to the process's stderr, which the test harness does not capture.
#[test]
fn html_renders_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        assert!(
            !under_ci(),
            "Chromium assente con CI impostata: .ci/run deve installarlo (apt-get install chromium) o CCDI_CHROMIUM indicarlo"
        );
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SALTATO export::html_renders_in_headless_chromium: Chromium non trovato \
             (chromium, chromium-browser, google-chrome), la resa di relazione.html in PDF non è \
             verificata. Installarlo (Debian/Ubuntu: apt-get install chromium) o indicarne il \
             programma in CCDI_CHROMIUM. ***\n"
        );
        return;
    };
    let chromium = chromium.as_str();
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
    // One page object per page: the report's sections each open a page.
    let pages = pdf_bytes
        .windows(12)
        .filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's')
        .count();
    assert!(pages >= 8, "{pages} pages");
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
        assert_anonymous("the published HTML report", &html, &people);
        let mut wb: Xlsx<_> = open_workbook(out_dir.join("uscita/fondo.xlsx")).unwrap();
        let sheet = wb.worksheet_range("Relazioni RGS").unwrap();
        let cells: Vec<String> = sheet.cells().map(|(_, _, d)| d.to_string()).collect();
        assert_anonymous("the workbook's documents", &cells.join("\n"), &people);
    }
}

/// A reader of the workbook's zip, enough to look at the XML calamine does not expose (the
/// page setup): the central directory, stored and deflated entries (RFC 1951, after
/// zlib's `puff.c`).
mod unzip {
    fn u16le(b: &[u8], at: usize) -> usize {
        usize::from(u16::from_le_bytes([b[at], b[at + 1]]))
    }

    fn u32le(b: &[u8], at: usize) -> usize {
        u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize
    }

    /// The bytes of the entry `name`, if the zip has it.
    pub fn entry(zip: &[u8], name: &str) -> Option<Vec<u8>> {
        let end = (0..zip.len() - 21)
            .rev()
            .find(|&i| zip[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])?;
        let mut p = u32le(zip, end + 16);
        for _ in 0..u16le(zip, end + 10) {
            let (method, size) = (u16le(zip, p + 10), u32le(zip, p + 20));
            let (n, e, c) = (u16le(zip, p + 28), u16le(zip, p + 30), u16le(zip, p + 32));
            let local = u32le(zip, p + 42);
            if &zip[p + 46..p + 46 + n] == name.as_bytes() {
                let start = local + 30 + u16le(zip, local + 26) + u16le(zip, local + 28);
                let data = &zip[start..start + size];
                return Some(match method {
                    0 => data.to_vec(),
                    8 => inflate(data),
                    m => panic!("metodo di compressione {m}"),
                });
            }
            p += 46 + n + e + c;
        }
        None
    }

    struct Bits<'a> {
        data: &'a [u8],
        pos: usize,
    }

    impl Bits<'_> {
        fn bits(&mut self, n: u32) -> usize {
            let mut v = 0;
            for i in 0..n {
                let bit = (self.data[self.pos >> 3] >> (self.pos & 7)) & 1;
                v |= usize::from(bit) << i;
                self.pos += 1;
            }
            v
        }

        /// One symbol of a canonical Huffman code given as counts per length and symbols.
        fn decode(&mut self, (counts, symbols): &(Vec<usize>, Vec<usize>)) -> usize {
            let (mut code, mut first, mut index) = (0, 0, 0);
            for count in counts.iter().skip(1) {
                code |= self.bits(1);
                if code < first + count {
                    return symbols[index + code - first];
                }
                index += count;
                first = (first + count) << 1;
                code <<= 1;
            }
            panic!("codice non valido");
        }
    }

    fn huffman(lengths: &[usize]) -> (Vec<usize>, Vec<usize>) {
        let mut counts = vec![0; 16];
        for &l in lengths {
            counts[l] += 1;
        }
        counts[0] = 0;
        let mut symbols: Vec<usize> = (0..lengths.len()).filter(|&s| lengths[s] > 0).collect();
        symbols.sort_by_key(|&s| lengths[s]);
        (counts, symbols)
    }

    const LBASE: [usize; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258,
    ];
    const LEXT: [u32; 29] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ];
    const DBASE: [usize; 30] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
        2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ];
    const DEXT: [u32; 30] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
        13, 13,
    ];

    type Code = (Vec<usize>, Vec<usize>);

    fn dynamic(b: &mut Bits) -> (Code, Code) {
        let (nlen, ndist, ncode) = (b.bits(5) + 257, b.bits(5) + 1, b.bits(4) + 4);
        const ORDER: [usize; 19] = [
            16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
        ];
        let mut lengths = [0; 19];
        for &o in &ORDER[..ncode] {
            lengths[o] = b.bits(3);
        }
        let code = huffman(&lengths);
        let mut all = Vec::new();
        while all.len() < nlen + ndist {
            match b.decode(&code) {
                s @ 0..=15 => all.push(s),
                16 => {
                    let prev = *all.last().unwrap();
                    let n = 3 + b.bits(2);
                    all.extend(std::iter::repeat(prev).take(n));
                }
                17 => {
                    let n = 3 + b.bits(3);
                    all.extend(std::iter::repeat(0).take(n));
                }
                _ => {
                    let n = 11 + b.bits(7);
                    all.extend(std::iter::repeat(0).take(n));
                }
            }
        }
        (huffman(&all[..nlen]), huffman(&all[nlen..]))
    }

    fn fixed() -> (Code, Code) {
        let mut l = vec![8; 144];
        l.extend([9; 112]);
        l.extend([7; 24]);
        l.extend([8; 8]);
        (huffman(&l), huffman(&[5; 30]))
    }

    pub fn inflate(data: &[u8]) -> Vec<u8> {
        let mut b = Bits { data, pos: 0 };
        let mut out: Vec<u8> = Vec::new();
        loop {
            let last = b.bits(1) == 1;
            match b.bits(2) {
                0 => {
                    let at = b.pos.div_ceil(8);
                    let len = u16le(data, at);
                    out.extend_from_slice(&data[at + 4..at + 4 + len]);
                    b.pos = (at + 4 + len) * 8;
                }
                kind => {
                    let (lit, dist) = if kind == 1 { fixed() } else { dynamic(&mut b) };
                    loop {
                        let s = b.decode(&lit);
                        if s < 256 {
                            out.push(s as u8);
                            continue;
                        }
                        if s == 256 {
                            break;
                        }
                        let len = LBASE[s - 257] + b.bits(LEXT[s - 257]);
                        let d = b.decode(&dist);
                        let back = DBASE[d] + b.bits(DEXT[d]);
                        for _ in 0..len {
                            out.push(out[out.len() - back]);
                        }
                    }
                }
            }
            if last {
                return out;
            }
        }
    }
}

/// The XML of a sheet of the workbook, by its position (1 = the first sheet).
fn sheet_xml(xlsx: &[u8], n: usize) -> String {
    let path = format!("xl/worksheets/sheet{n}.xml");
    String::from_utf8(unzip::entry(xlsx, &path).expect("sheet in the zip")).unwrap()
}

/// `calcola --out uscita` in a fresh folder with these rules (and data folder); returns the
/// folder of the files.
fn out_with(name: &str, rules: &Path, data: Option<&Path>) -> PathBuf {
    let mut args = vec!["--regole", rules.to_str().unwrap()];
    if let Some(d) = data {
        args.extend(["--dati", d.to_str().unwrap()]);
    }
    out_in(name, &args)
}

/// `genera --grande MANAGERS`, then `calcola --out` on that ente; returns the folder of the
/// files.
fn large_out(name: &str, managers: usize) -> PathBuf {
    let dir = scratch(name);
    let n = managers.to_string();
    let made = ccdi(&["genera", "--out", "enti", "--grande", &n], &dir);
    assert_eq!(made.status.code(), Some(0));
    let ente = dir.join("enti/ente-grande");
    out_with(
        &format!("{name}-uscita"),
        &ente.join("regole.toml"),
        Some(&ente),
    )
}

/// The column of a sheet whose header (first row) is `name`.
fn column(range: &calamine::Range<Data>, name: &str) -> u32 {
    (0..range.width() as u32)
        .find(|&c| range.get_value((0, c)).is_some_and(|h| *h == name))
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// The bundled year's workbook as bytes and opened with calamine.
fn bundled_workbook(name: &str) -> (PathBuf, Vec<u8>, Xlsx<std::io::Cursor<Vec<u8>>>) {
    let out = bundled_out(name);
    let bytes = fs::read(out.join("fondo.xlsx")).unwrap();
    let wb = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    (out, bytes, wb)
}

/// The row of a sheet whose first cell is `label`.
fn row_labelled(range: &calamine::Range<Data>, label: &str) -> u32 {
    (0..range.height() as u32)
        .find(|&r| range.get_value((r, 0)).is_some_and(|d| *d == label))
        .unwrap_or_else(|| panic!("no row {label}"))
}

/// The totals are `=SUM(...)` of their columns and their cached values the engine's figures:
/// the managers' total row, the quadro's and the RGS documents' (Modulo 2 B, Modulo I
/// Sezione I); Modulo 2 B's percentages are numbers.
#[test]
fn workbook_totals_are_formulas_with_the_engines_figures() {
    let (out, _, mut wb) = bundled_workbook("formule");
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("fondo.json")).unwrap()).unwrap();
    let managers = wb.worksheet_range("Dirigenti").unwrap();
    let formulas = wb.worksheet_formula("Dirigenti").unwrap();
    let n = json["dirigenti"].as_array().unwrap().len() as u32;
    let list = json["dirigenti"].as_array().unwrap();
    let sum = |key: &str| list.iter().map(|m| dec(&m[key])).sum::<Decimal>();
    assert_eq!(
        sum("posizione"),
        dec(&json["riconciliazione"]["posizione_erogata"])
    );
    for (name, figure) in [
        ("Posizione", sum("posizione")),
        ("Risultato", sum("risultato")),
        ("Interim", sum("interim")),
        ("Totale", sum("totale")),
    ] {
        let c = column(&managers, name);
        let letter = char::from(b'A' + u8::try_from(c).unwrap());
        let formula = formulas.get_value((n + 1, c)).expect("a formula");
        assert_eq!(
            formula,
            &format!("SUM({letter}2:{letter}{})", n + 1),
            "{name}"
        );
        let Data::Float(cached) = managers.get_value((n + 1, c)).unwrap() else {
            panic!("{name}: the cached value is not a number");
        };
        assert_eq!(Decimal::try_from(*cached).unwrap(), figure, "{name}");
    }

    let quadro = wb.worksheet_formula("Quadro di sintesi").unwrap();
    assert_eq!(quadro.get_value((3, 1)).unwrap(), "SUM(B2:B3)");
    let values = wb.worksheet_range("Quadro di sintesi").unwrap();
    let total = &json["quadro_sintesi"]["righe"][2];
    assert_eq!(
        values.get_value((3, 1)),
        Some(&Data::Float(dec(&total["importo"]).try_into().unwrap()))
    );

    let docs = wb.worksheet_range("Relazioni RGS").unwrap();
    let doc_formulas = wb.worksheet_formula("Relazioni RGS").unwrap();
    let stable = row_labelled(&docs, "Totale risorse stabili");
    assert!(doc_formulas
        .get_value((stable, 1))
        .is_some_and(|f| f.starts_with("SUM(B")));
    let position = row_labelled(&docs, "Retribuzione di posizione dei dirigenti 2019");
    let rows: Vec<u32> = (0..docs.height() as u32)
        .filter(|&r| docs.get_value((r, 0)).is_some_and(|d| *d == "Totale"))
        .collect();
    let modulo_2b_total = *rows.last().unwrap();
    assert!(modulo_2b_total > position);
    // Modulo 2 B: 73,45 and 26,55 are the numbers 0,7345 and 0,2655 (a percent format), their
    // total the formula summing them to 100%.
    let percents: Vec<&Data> = (modulo_2b_total - 2..modulo_2b_total)
        .map(|r| docs.get_value((r, 2)).unwrap())
        .collect();
    assert_eq!(percents, [&Data::Float(0.7345), &Data::Float(0.2655)]);
    assert_eq!(
        docs.get_value((modulo_2b_total, 2)),
        Some(&Data::Float(1.0))
    );
    let letter_c = doc_formulas.get_value((modulo_2b_total, 2));
    assert_eq!(
        letter_c.unwrap(),
        &format!("SUM(C{}:C{})", modulo_2b_total - 1, modulo_2b_total)
    );
}

/// Every sheet prints on A4 landscape, one page wide, with margins, the ente and the year in
/// the header and the page number in the footer; the data sheets repeat their header row.
#[test]
fn workbook_prints_landscape_one_page_wide_with_header_and_page_numbers() {
    let (_, bytes, wb) = bundled_workbook("stampa");
    let names = wb.sheet_names();
    assert!(names.len() >= 6, "{names:?}");
    for (i, name) in names.iter().enumerate() {
        let xml = sheet_xml(&bytes, i + 1);
        for needed in [
            "<pageSetUpPr fitToPage=\"1\"/>",
            "paperSize=\"9\"",
            "fitToHeight=\"0\"",
            "orientation=\"landscape\"",
            "<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.75\" bottom=\"0.75\"",
            "<oddHeader>&amp;LComune di Prato&amp;RFondo della dirigenza 2019</oddHeader>",
            "<oddFooter>&amp;L&amp;A&amp;RPagina &amp;P di &amp;N</oddFooter>",
        ] {
            assert!(xml.contains(needed), "{name}: {needed}");
        }
    }
    let book = String::from_utf8(unzip::entry(&bytes, "xl/workbook.xml").unwrap()).unwrap();
    for sheet in [
        "Dirigenti",
        "Obiettivi",
        "Indicatori",
        "Verifica",
        "Trasparenza",
    ] {
        assert!(
            book.contains(&format!(">{sheet}!$1:$1</definedName>")),
            "{sheet}: header row not repeated"
        );
    }
    assert!(book.contains(">'Quadro di sintesi'!$1:$1</definedName>"));
}

/// The dates of the procedure (Modulo 1), written `20/12/2023`, are dates in the workbook.
#[test]
fn workbook_modulo_1_dates_are_dates() {
    let rules = manifest("fixtures/scenari/relazioni-completo/regole-2023.toml");
    let out = out_with("modulo1", &rules, None);
    let mut wb: Xlsx<_> = open_workbook(out.join("fondo.xlsx")).unwrap();
    let docs = wb.worksheet_range("Relazioni RGS").unwrap();
    for label in [
        "Data di sottoscrizione della preintesa",
        "Data di sottoscrizione del contratto",
    ] {
        let r = row_labelled(&docs, label);
        let cell = docs.get_value((r, 1)).unwrap();
        assert!(matches!(cell, Data::DateTime(_)), "{label}: {cell:?}");
    }
    let r = row_labelled(&docs, "Data di sottoscrizione del contratto");
    let Data::DateTime(d) = docs.get_value((r, 1)).unwrap() else {
        unreachable!()
    };
    // Excel counts days from 30/12/1899.
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2023, 12, 20).unwrap();
    assert_eq!(d.as_f64(), (day - epoch).num_days() as f64);
    // Text that is not a date alone stays text.
    let r = row_labelled(&docs, "Periodo temporale di vigenza");
    assert!(matches!(docs.get_value((r, 1)).unwrap(), Data::String(_)));
}

/// A text longer than a cell holds (the art. 30 list of 20.000 managers is 37.915
/// characters) is cut at a separator under Excel's limit, with a note naming verifica.txt;
/// the workbook is made instead of failing. Built directly from the bundled year with one
/// such check added, so the test stays fast; `genera --grande 20000` is the ignored test
/// below.
#[test]
fn workbook_cuts_a_text_longer_than_a_cell_and_names_the_whole_file() {
    let (inputs, _) = ccdi::input::files::load_inputs(None, None).unwrap();
    let outcome = ccdi::engine::compute(&inputs).unwrap();
    let docs = ccdi::output::documents::documents(&inputs, &outcome, None);
    let mut checks = ccdi::audit::verify(&inputs, &outcome);
    let list: Vec<String> = (0..4000).map(|i| format!("D{i:06} 14.399,99")).collect();
    let long = format!("minimo 14.399,99; {}", list.join(", "));
    assert!(long.chars().count() > 60_000);
    checks.push(ccdi::audit::Check {
        verdict: ccdi::audit::Verdict::Fails,
        name: "Differenziazione con un elenco lungo".into(),
        source: "prova".into(),
        figures: long.clone(),
    });
    let bytes = ccdi::output::xlsx::workbook(&inputs, &outcome, &docs, &checks, None)
        .expect("the workbook is made");
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    for sheet in ["Verifica", "Vincoli violati"] {
        let range = wb.worksheet_range(sheet).unwrap();
        let cell = range
            .cells()
            .map(|(_, _, d)| d.to_string())
            .find(|t| t.starts_with("minimo 14.399,99; D000000"))
            .unwrap_or_else(|| panic!("{sheet}: the long cell"));
        assert!(cell.encode_utf16().count() <= 32_767, "{sheet}");
        let (kept, note) = cell.split_once(" … [").expect("the note");
        assert!(long.starts_with(kept), "{sheet}: cut inside the text");
        assert!(
            kept.ends_with(",99"),
            "{sheet}: cut inside an item: {}",
            &kept[kept.len() - 20..]
        );
        assert!(
            note.contains("limite di Excel di 32.767 caratteri")
                && note.contains(&format!(
                    "di {} caratteri, è in verifica.txt",
                    ccdi::money::format_it(Decimal::from(long.len()), 0)
                )),
            "{sheet}: {note}"
        );
    }
}

/// The writer's errors are told in Italian.
#[test]
fn workbook_errors_are_in_italian() {
    use ccdi::output::xlsx::WorkbookError;
    use rust_xlsxwriter::XlsxError;
    for (e, said) in [
        (
            XlsxError::MaxStringLengthExceeded,
            "limite di Excel di 32.767 caratteri",
        ),
        (
            XlsxError::RowColumnLimitError,
            "limite di Excel di 1.048.576 righe",
        ),
        (
            XlsxError::ParameterError("x".into()),
            "errore della libreria che scrive il formato xlsx",
        ),
    ] {
        let text = WorkbookError::from(e).to_string();
        assert!(text.contains(said), "{text}");
        assert!(!text.starts_with(char::is_uppercase), "{text}");
    }
}

/// `genera --grande 20000` then `calcola --out`: every file written (slow: run with
/// `cargo test -- --ignored`).
#[test]
#[ignore = "lento: 20.000 dirigenti"]
fn out_works_at_twenty_thousand_managers() {
    let out = large_out("grande", 20_000);
    let mut wb: Xlsx<_> = open_workbook(out.join("fondo.xlsx")).unwrap();
    let verifica = wb.worksheet_range("Verifica").unwrap();
    assert!(verifica
        .cells()
        .any(|(_, _, d)| d.to_string().contains("è in verifica.txt]")));
}

/// The internal HTML report in print: page numbers and the running head (saying it is not to
/// be published) in the `@page` margin boxes, headings kept with what follows, chart type at
/// 12 px; every point of the scatter labelled with its matricola or listed under the chart;
/// beyond 80 managers a note instead.
#[test]
fn html_prints_page_numbers_keeps_headings_and_labels_the_points() {
    let out = bundled_out("stampa-html");
    let published = fs::read_to_string(out.join("relazione.html")).unwrap();
    assert!(published.contains(
        "@page { @top-left { content: \"Comune di Prato — Fondo della dirigenza 2019\";"
    ));
    let html = fs::read_to_string(out.join("relazione-interna.html")).unwrap();
    for rule in [
        "@bottom-center { content: \"Pagina \" counter(page) \" di \" counter(pages);",
        "@page { @top-left { content: \"Comune di Prato — Fondo della dirigenza 2019 — USO INTERNO, NON PUBBLICARE\";",
        "h1, h2, h3, p.didascalia { break-after: avoid; page-break-after: avoid;",
        "h1 + p, h2 + p.nota, h3 + p.nota { break-after: avoid;",
        "svg text { font-family: inherit; font-size: 12px;",
        "svg text.etichetta { font-size: 10px;",
        "svg { display: block; margin: 6pt 0; max-width: 100%; height: auto; break-inside: avoid;",
    ] {
        assert!(html.contains(rule), "missing CSS: {rule}");
    }
    assert!(!html.contains("9px"));
    let start = html
        .find("aria-label=\"Punteggio e retribuzione di risultato\"")
        .unwrap();
    let end = start + html[start..].find("</svg>").unwrap();
    let chart = &html[start..end];
    let after = &html[end..];
    let note = after[..after.find("</p>").unwrap()].to_string();
    let labels: Vec<&str> = chart
        .split("<text class=\"etichetta\"")
        .skip(1)
        .map(|t| &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()])
        .collect();
    assert!(labels.len() >= 15, "{labels:?}");
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("fondo.json")).unwrap()).unwrap();
    for m in json["dirigenti"].as_array().unwrap() {
        let id = m["matricola"].as_str().unwrap();
        let labelled = labels.iter().any(|l| l.split(", ").any(|x| x == id));
        let listed = note.contains(&format!("{id} (punteggio"));
        assert!(
            labelled != listed,
            "{id}: labelled {labelled}, listed {listed}"
        );
    }

    let out = large_out("stampa-grande", 90);
    let html = fs::read_to_string(out.join("relazione-interna.html")).unwrap();
    assert!(!html.contains("<text class=\"etichetta\""));
    assert!(html.contains("Con 90 dirigenti i punti non hanno etichetta"));
}

/// The scenario `cartella-di-lavoro-totali`, whose figures its `regole.toml` works by hand:
/// in the workbook, the managers' totals and the quadro's are `=SUM(...)` cached with those
/// figures, Modulo 2 B's percentages the numbers 75% and 25%.
#[test]
fn workbook_totals_of_a_small_ente_are_the_hand_worked_figures() {
    let folder = manifest("fixtures/scenari/cartella-di-lavoro-totali");
    let dati = folder.join("dati");
    let out = out_with("totali-a-mano", &folder.join("regole.toml"), Some(&dati));
    let mut wb: Xlsx<_> = open_workbook(out.join("fondo.xlsx")).unwrap();
    let managers = wb.worksheet_range("Dirigenti").unwrap();
    let formulas = wb.worksheet_formula("Dirigenti").unwrap();
    let col = |name: &str| column(&managers, name);
    assert_eq!(
        managers.get_value((4, 0)),
        Some(&Data::String("Totale".into()))
    );
    for (name, total, each) in [
        ("Posizione", 75_000.0, [25_000.0, 25_000.0, 25_000.0]),
        ("Risultato", 25_000.0, [10_000.0, 8_000.0, 7_000.0]),
        ("Totale", 100_000.0, [35_000.0, 33_000.0, 32_000.0]),
    ] {
        let c = col(name);
        let letter = char::from(b'A' + u8::try_from(c).unwrap());
        assert_eq!(
            formulas.get_value((4, c)).unwrap(),
            &format!("SUM({letter}2:{letter}4)")
        );
        assert_eq!(
            managers.get_value((4, c)),
            Some(&Data::Float(total)),
            "{name}"
        );
        for (r, v) in each.iter().enumerate() {
            let row = r as u32 + 1;
            assert_eq!(
                managers.get_value((row, c)),
                Some(&Data::Float(*v)),
                "{name}"
            );
        }
    }
    let quadro = wb.worksheet_range("Quadro di sintesi").unwrap();
    let quadro_formulas = wb.worksheet_formula("Quadro di sintesi").unwrap();
    for (c, f, v) in [(1, "SUM(B2:B3)", 100_000.0), (2, "SUM(C2:C3)", 1.0)] {
        assert_eq!(quadro_formulas.get_value((3, c)).unwrap(), f);
        assert_eq!(quadro.get_value((3, c)), Some(&Data::Float(v)));
    }
    let docs = wb.worksheet_range("Relazioni RGS").unwrap();
    let position = row_labelled(&docs, "Retribuzione di posizione dei dirigenti 2020");
    let last = (0..docs.height() as u32)
        .rev()
        .find(|&r| docs.get_value((r, 2)) == Some(&Data::Float(0.75)))
        .unwrap();
    assert!(last >= position);
    assert_eq!(docs.get_value((last + 1, 2)), Some(&Data::Float(0.25)));
    assert_eq!(docs.get_value((last + 2, 2)), Some(&Data::Float(1.0)));
}
