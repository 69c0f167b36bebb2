//! `ccdi confronta`: the bundled year (Prato 2019, `fixtures/prato-2019`) under its own rules
//! (A) and under other rules (B), read from the JSON; every manager listed, the differences
//! worked by hand for three of them, their sum equal to the change of the total paid; the
//! workbook read back with calamine and the page with its chart. The text and CSV outputs are
//! snapshotted by the scenarios `confronta-prato-75-25` and `confronta-prato-fasce-csv`, whose
//! rules files these tests use.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{open_workbook, Data, Reader, Xlsx};
use rust_decimal::Decimal;
use serde_json::Value;

fn manifest(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

/// The scenario folder whose rules files a test compares.
fn scenario(name: &str) -> PathBuf {
    manifest("fixtures/scenari").join(name)
}

/// Runs `confronta` in `dir` with `args` and returns stdout, failing on a non-zero exit.
fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ccdi"))
        .arg("confronta")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run ccdi");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The JSON comparison of the bundled year's data under `regole.toml` (A) and `b` (B) of the
/// scenario `name`.
fn compared(name: &str, b: &str) -> Value {
    let stdout = run(
        &scenario(name),
        &[
            "--regole",
            "regole.toml",
            "--contro",
            b,
            "--dati",
            "../../prato-2019",
            "--formato",
            "json",
        ],
    );
    serde_json::from_str(&stdout).expect("JSON")
}

/// A manager's row by matricola.
fn manager<'a>(doc: &'a Value, matricola: &str) -> &'a Value {
    doc["dirigenti"]
        .as_array()
        .expect("managers")
        .iter()
        .find(|m| m["matricola"] == matricola)
        .unwrap_or_else(|| panic!("{matricola} missing"))
}

/// A fund line's difference by key.
fn line_diff(doc: &Value, key: &str) -> Decimal {
    let line = doc["voci"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["chiave"] == key)
        .unwrap_or_else(|| panic!("{key} missing"));
    dec(line["differenza"].as_str().expect("amount"))
}

/// What every comparison must show: all 20 managers of the bundled year, sorted by the
/// absolute difference of the total (ties by matricola), and the sum of their differences
/// equal to the change of the total paid, as the closing check says. Returns that sum.
fn check(doc: &Value) -> Decimal {
    let managers = doc["dirigenti"].as_array().expect("managers");
    let mut matricole: Vec<&str> = managers
        .iter()
        .map(|m| m["matricola"].as_str().expect("matricola"))
        .collect();
    let diffs: Vec<Decimal> = managers
        .iter()
        .map(|m| dec(m["totale_differenza"].as_str().expect("amount")))
        .collect();
    for (k, pair) in diffs.windows(2).enumerate() {
        let (a, b) = (pair[0].abs(), pair[1].abs());
        assert!(
            a > b || (a == b && matricole[k] < matricole[k + 1]),
            "{matricole:?}"
        );
    }
    matricole.sort_unstable();
    let expected: Vec<String> = (1..=20).map(|i| format!("D{i:03}")).collect();
    assert_eq!(matricole, expected);
    let sum: Decimal = diffs.iter().sum();
    assert_eq!(sum, line_diff(doc, "totale_erogato"));
    let closing = &doc["quadratura"];
    assert_eq!(
        dec(closing["somma_differenze_dirigenti"].as_str().unwrap()),
        sum
    );
    assert_eq!(closing["dirigenti_quadrano"], true);
    assert_eq!(closing["fondo_quadra"], true);
    sum
}

/// A manager's total under A and B and its difference.
fn totals(doc: &Value, matricola: &str) -> (Decimal, Decimal, Decimal) {
    let m = manager(doc, matricola);
    let d = |k: &str| dec(m[k].as_str().expect("amount"));
    (d("totale_a"), d("totale_b"), d("totale_differenza"))
}

/// The split changed to 75/25: 75% × 847.231,25 = 635.423,4375 → 635.423,44 for the
/// position, 211.807,81 for the result. The position paid (588.321,51) does not depend on
/// the split, and the unused position goes to the result pot of the same year: A
/// 224.925,72 + 5.886,45 + (622.305,53 − 588.321,51) − 5.868,49 = 258.927,70, B 211.807,81 +
/// 5.886,45 + (635.423,44 − 588.321,51) − 5.868,49 = 258.927,70, the same pot on the same
/// weights. So every manager's difference is 0,00: D001 67.040,50 (44.800,00 + 22.240,50),
/// D005 66.071,45 (41.300,00 + 20.502,96 − 1.600,00 + 5.868,49), D017 18.600,00 (below the
/// threshold: position only) under A and B alike.
#[test]
fn the_split_at_75_25_changes_nobody_s_pay() {
    let doc = compared("confronta-prato-75-25", "regole-75-25.toml");
    assert_eq!(check(&doc), Decimal::ZERO);
    for m in doc["dirigenti"].as_array().unwrap() {
        assert_eq!(m["totale_differenza"], "0.00", "{m}");
    }
    assert_eq!(
        totals(&doc, "D001"),
        (dec("67040.50"), dec("67040.50"), Decimal::ZERO)
    );
    assert_eq!(
        totals(&doc, "D005"),
        (dec("66071.45"), dec("66071.45"), Decimal::ZERO)
    );
    assert_eq!(
        totals(&doc, "D017"),
        (dec("18600.00"), dec("18600.00"), Decimal::ZERO)
    );
    assert_eq!(line_diff(&doc, "quota_posizione"), dec("13117.91"));
    assert_eq!(line_diff(&doc, "quota_risultato"), dec("-13117.91"));
    assert_eq!(line_diff(&doc, "posizione_non_utilizzata"), dec("13117.91"));
    assert_eq!(line_diff(&doc, "risultato_da_ripartire"), Decimal::ZERO);
}

/// 75/25, the 80-90 band at 0,85 instead of 0,9 and the fee cut at 40% instead of 50%
/// (`regole-b.toml` of `confronta-prato-fasce-csv`, whose `regole.toml` works every step).
/// The pot 258.927,70 is split by c × b × t over Σ 504.993,2808 under B (521.569,3562 under
/// A); the 11 cents left by the truncation go to the 11 largest remainders.
/// - D001 (c = 1): 258.927,70 × 44.800 / 504.993,2808 = 22.970,5254 → 22.970,52 + 1 cent
///   (remainder 0,5353, among the 11) = 22.970,53; A 22.240,50: +730,03; total 67.040,50 →
///   67.770,53, 730,03 / 67.040,50 = 1,089% → 1,09.
/// - D003 (c 0,9 → 0,85): 258.927,70 × 0,85 × 36.200 / 504.993,2808 = 15.776,8541 →
///   15.776,85 (remainder 0,4132, not among them); A 16.174,00: −397,15; −0,758% → −0,76.
/// - D012 (c = 0,8): 258.927,70 × 0,8 × 27.800 / 504.993,2808 = 11.403,2251 → 11.403,23
///   (remainder 0,5086, the 11th); A 11.040,82: +362,41; 0,933% → 0,93.
///
/// Both pots are split whole, so the differences add up to the smaller fee cuts alone:
/// D005 50% → 40% of 3.200,00 (+320,00) and D014 of 8.450,00 (+845,00) = +1.165,00, the
/// change of the total paid and, with the sign turned, of the economie.
#[test]
fn other_bands_and_fee_cut_give_the_differences_worked_by_hand() {
    let doc = compared("confronta-prato-fasce-csv", "regole-b.toml");
    assert_eq!(check(&doc), dec("1165.00"));
    assert_eq!(
        totals(&doc, "D001"),
        (dec("67040.50"), dec("67770.53"), dec("730.03"))
    );
    assert_eq!(
        totals(&doc, "D003"),
        (dec("52374.00"), dec("51976.85"), dec("-397.15"))
    );
    assert_eq!(
        totals(&doc, "D012"),
        (dec("38840.82"), dec("39203.23"), dec("362.41"))
    );
    let pct = |m: &str| manager(&doc, m)["totale_variazione_percentuale"].clone();
    assert_eq!(
        (pct("D001"), pct("D003"), pct("D012")),
        ("1.09".into(), "-0.76".into(), "0.93".into())
    );
    assert_eq!(manager(&doc, "D001")["risultato_differenza"], "730.03");
    assert_eq!(manager(&doc, "D001")["posizione_differenza"], "0.00");
    assert_eq!(line_diff(&doc, "economie"), dec("-1165.00"));
    assert_eq!(line_diff(&doc, "fondo"), Decimal::ZERO);
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ccdi-confronta-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// `--out` writes `confronto.xlsx` and `confronto.html` only. The workbook's managers' sheet
/// has a row per manager in the order of the text, a total row summing the differences
/// (+1.165,00) and the two rules files under it; the page has the chart of the differences, one bar per manager.
#[test]
fn out_writes_the_workbook_and_the_page_with_its_chart() {
    let dir = scratch("out");
    let sc = scenario("confronta-prato-fasce-csv");
    let (a, b) = (sc.join("regole.toml"), sc.join("regole-b.toml"));
    let data = manifest("fixtures/prato-2019");
    let stdout = run(
        &dir,
        &[
            "--regole",
            a.to_str().unwrap(),
            "--contro",
            b.to_str().unwrap(),
            "--dati",
            data.to_str().unwrap(),
            "--out",
            "uscita",
        ],
    );
    assert!(stdout.starts_with("scritti 2 file in uscita"), "{stdout}");
    let out = dir.join("uscita");
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["confronto.html", "confronto.xlsx"]);

    let mut wb: Xlsx<_> = open_workbook(out.join("confronto.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Confronto dirigenti").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |h: &str| {
        header
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("{h}: {header:?}"))
    };
    let (tot_a, tot_b, diff) = (col("Totale A"), col("Totale B"), col("Differenza"));
    // Header, 20 managers, the total row, an empty row, the two sides.
    assert_eq!(sheet.height(), 25);
    let note = |r: u32| {
        sheet
            .get_value((r, 0))
            .map(|c| c.to_string())
            .unwrap_or_default()
    };
    assert!(
        note(23).starts_with("A: ") && note(24).starts_with("B: "),
        "{}",
        note(23)
    );
    assert_eq!(sheet.get_value((1, 0)), Some(&Data::String("D005".into())));
    let d001 = sheet
        .rows()
        .find(|r| r[0] == Data::String("D001".into()))
        .unwrap();
    assert_eq!(d001[tot_a], Data::Float(67040.50));
    assert_eq!(d001[tot_b], Data::Float(67770.53));
    assert_eq!(d001[diff], Data::Float(730.03));
    assert_eq!(
        sheet.get_value((21, 0)),
        Some(&Data::String("Totale".into()))
    );
    assert_eq!(
        sheet.get_value((21, diff as u32)),
        Some(&Data::Float(1165.0))
    );
    let lines = wb.worksheet_range("Confronto voci").unwrap();
    assert!(lines
        .rows()
        .any(|r| r[0] == Data::String("Totale erogato ai dirigenti".into())));

    let html = fs::read_to_string(out.join("confronto.html")).unwrap();
    assert!(html.contains("aria-label=\"Differenza del totale per dirigente\""));
    assert_eq!(html.matches("<rect ").count(), 20, "one bar per manager");
    assert!(html.contains("<title>D001: 730,03 €</title>"));
    assert!(html.contains("<title>D003: -397,15 €</title>"));
    assert!(html.contains("Uso interno"));
    let _ = fs::remove_dir_all(&dir);
}

/// The second form: the `fondo.json` that `calcola --out` writes under the rules B (A, as
/// certified) against the rules A computed now (B) gives every difference of the first form
/// with its sign turned, the percentages on B's figures (D001 −730,03 / 67.770,53 = −1,077% →
/// −1,08), and the same closing checks.
#[test]
fn a_certified_fondo_json_compares_as_the_rules_that_made_it() {
    let dir = scratch("json");
    let sc = scenario("confronta-prato-fasce-csv");
    let (a, b) = (sc.join("regole.toml"), sc.join("regole-b.toml"));
    let data = manifest("fixtures/prato-2019");
    let made = Command::new(env!("CARGO_BIN_EXE_ccdi"))
        .args(["calcola", "--regole", b.to_str().unwrap(), "--dati"])
        .args([data.to_str().unwrap(), "--out", "certificato"])
        .current_dir(&dir)
        .output()
        .expect("run ccdi");
    assert_eq!(made.status.code(), Some(0));
    let stdout = run(
        &dir,
        &[
            "--regole",
            a.to_str().unwrap(),
            "--contro",
            "certificato/fondo.json",
            "--dati",
            data.to_str().unwrap(),
            "--formato",
            "json",
        ],
    );
    let certified: Value = serde_json::from_str(&stdout).expect("JSON");
    let rules = compared("confronta-prato-fasce-csv", "regole-b.toml");
    assert_eq!(check(&certified), -check(&rules));
    for m in rules["dirigenti"].as_array().unwrap() {
        let mat = m["matricola"].as_str().unwrap();
        let (a, b, d) = totals(&certified, mat);
        assert_eq!(
            (a, b, d),
            (
                totals(&rules, mat).1,
                totals(&rules, mat).0,
                -totals(&rules, mat).2
            )
        );
    }
    assert_eq!(
        manager(&certified, "D001")["totale_variazione_percentuale"],
        "-1.08"
    );
    let _ = fs::remove_dir_all(&dir);
}
