//! One year after another (`--precedente`): the three-year chain of `fixtures/anni` run in a
//! temporary folder, each year with the `fondo.json` the year before wrote; the carry-overs
//! equal the residuals to the cent, Modulo III has last year's certified figures, no avviso
//! on the carry-over; a `fondo.json` changed by hand, another ente's or another year's is an
//! error naming the file. The figures are worked by hand in each year's `regole.toml`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh copy of `fixtures/anni` in a temporary folder.
fn chain_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ccdi-anni-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/anni");
    for year in ["2022", "2023", "2024"] {
        fs::create_dir_all(dir.join(year).join("dati")).unwrap();
        fs::copy(
            from.join(year).join("regole.toml"),
            dir.join(year).join("regole.toml"),
        )
        .unwrap();
        for f in ["dirigenti.csv", "valutazioni.csv"] {
            fs::copy(
                from.join(year).join("dati").join(f),
                dir.join(year).join("dati").join(f),
            )
            .unwrap();
        }
    }
    dir
}

/// Runs `ccdi` in `dir` (relative paths, so that outputs do not name the temporary folder).
fn ccdi(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccdi"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run ccdi")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

/// Fails with the command's output when `ok` is false.
fn check(ok: bool, what: &str, out: &Output) {
    assert!(
        ok,
        "{what}\n--- stdout\n{}--- stderr\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// `calcola` of one year into `out-YEAR`, with the previous year's `fondo.json` when given.
fn year(dir: &Path, y: &str, previous: Option<&str>) -> Output {
    let (rules, data, out) = (
        format!("{y}/regole.toml"),
        format!("{y}/dati"),
        format!("out-{y}"),
    );
    let mut args = vec![
        "calcola", "--regole", &rules, "--dati", &data, "--out", &out,
    ];
    if let Some(p) = previous {
        args.extend(["--precedente", p]);
    }
    ccdi(dir, &args)
}

/// `cmd` on year `y` (its rules and data) with `prev` as `--precedente`, then `extra`.
fn on_year(dir: &Path, cmd: &str, y: &str, prev: &str, extra: &[&str]) -> Output {
    let (rules, data) = (format!("{y}/regole.toml"), format!("{y}/dati"));
    let mut args = vec![
        cmd,
        "--regole",
        &rules,
        "--dati",
        &data,
        "--precedente",
        prev,
    ];
    args.extend(extra);
    ccdi(dir, &args)
}

/// The three years in sequence, each with the previous year's `fondo.json`.
fn run_chain(dir: &Path) {
    for (y, prev) in [
        ("2022", None),
        ("2023", Some("out-2022/fondo.json")),
        ("2024", Some("out-2023/fondo.json")),
    ] {
        let out = year(dir, y, prev);
        check(out.status.success(), &format!("calcola {y}"), &out);
    }
}

fn json(dir: &Path, file: &str) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join(file)).unwrap()).unwrap()
}

/// The value of a figure of a `fondo.json`'s trail.
fn figure(doc: &serde_json::Value, voce: &str) -> Option<String> {
    doc["traccia"]
        .as_array()?
        .iter()
        .find(|f| f["voce"] == voce)
        .map(|f| f["valore"].as_str().unwrap_or_default().to_string())
}

#[test]
fn the_chain_carries_each_residual_to_the_cent_without_avvisi() {
    let dir = chain_dir("catena");
    run_chain(&dir);
    // Worked by hand in fixtures/anni/*/regole.toml: 2022 → 37.650,00; 2023 → 53.227,50.
    for (y, residual) in [("2023", "37650.00"), ("2024", "53227.50")] {
        let doc = json(&dir, &format!("out-{y}/fondo.json"));
        let carried = doc["riporti"][0]["importo"].as_str().unwrap_or_default();
        assert_eq!(figure(&doc, "riporto_proposto").as_deref(), Some(residual));
        assert_eq!(carried, residual, "{y}: riporto scritto nelle regole");
        let checks = fs::read_to_string(dir.join(format!("out-{y}/verifica.txt"))).unwrap();
        let line = checks
            .lines()
            .find(|l| l.contains("Riporto del residuo del risultato"))
            .unwrap_or_default();
        assert!(line.starts_with('✓'), "{y}: {line}");
    }
    let doc = json(&dir, "out-2023/fondo.json");
    assert_eq!(doc["riconciliazione"]["economie"], "56227.50");
    // 2024 has no carry-over to check after it: the chain's last figures, and Modulo III.
    let doc = json(&dir, "out-2024/fondo.json");
    assert_eq!(doc["riconciliazione"]["economie"], "25053.43");
    assert_eq!(doc["utilizzo"]["risultato"]["importo"], "147200.00");
    for (name, cmd, y, prev, extra) in [
        (
            "verifica_2024",
            "verifica",
            "2024",
            "out-2023/fondo.json",
            None,
        ),
        (
            "relazioni_2023",
            "relazioni",
            "2023",
            "out-2022/fondo.json",
            None,
        ),
        (
            "relazioni_2024",
            "relazioni",
            "2024",
            "out-2023/fondo.json",
            None,
        ),
        (
            "spiega_riporto_2024",
            "spiega",
            "2024",
            "out-2023/fondo.json",
            Some("riporto_proposto"),
        ),
    ] {
        let out = on_year(&dir, cmd, y, prev, extra.as_slice());
        check(out.status.success(), name, &out);
        insta::assert_snapshot!(
            name,
            format!("{}--- stderr\n{}", text(&out.stdout), text(&out.stderr))
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_wrong_carry_over_is_an_avviso_with_both_figures() {
    let dir = chain_dir("riporto-errato");
    run_chain(&dir);
    let rules = dir.join("2024/regole.toml");
    let changed = fs::read_to_string(&rules)
        .unwrap()
        .replace("importo = \"53.227,50\"", "importo = \"53.000,00\"");
    fs::write(&rules, changed).unwrap();
    let out = on_year(&dir, "verifica", "2024", "out-2023/fondo.json", &[]);
    let stdout = text(&out.stdout);
    let at = stdout
        .find("avviso Riporto del residuo del risultato 2023")
        .unwrap_or(usize::MAX);
    check(at != usize::MAX, "avviso sul riporto", &out);
    let block = &stdout[at..];
    check(
        block.contains("residuo proposto 53.227,50") && block.contains("nelle regole 53.000,00"),
        "le due cifre",
        &out,
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_previous_year_without_its_data_cannot_check_the_carry_over() {
    let dir = chain_dir("senza-dati");
    let out = ccdi(
        &dir,
        &[
            "calcola",
            "--regole",
            "2022/regole.toml",
            "--out",
            "out-2022",
        ],
    );
    check(out.status.success(), "calcola 2022 senza dati", &out);
    let out = on_year(&dir, "verifica", "2023", "out-2022/fondo.json", &[]);
    let stdout = text(&out.stdout);
    check(
        stdout.contains("avviso Riporto del residuo del risultato 2022")
            && stdout.contains("non ha le economie del 2022 (calcolato senza --dati): riportato nelle regole 37.650,00"),
        "avviso senza economie",
        &out,
    );
    // Writing over the previous year's file is refused: it is an input.
    let out = year(&dir, "2023", Some("out-2022/fondo.json"));
    check(out.status.success(), "calcola 2023", &out);
    let out = ccdi(
        &dir,
        &[
            "calcola",
            "--regole",
            "2023/regole.toml",
            "--precedente",
            "out-2022/fondo.json",
            "--out",
            "out-2022",
        ],
    );
    check(
        out.status.code() == Some(1),
        "--out sopra il precedente",
        &out,
    );
    let _ = fs::remove_dir_all(&dir);
}

/// The previous year's `fondo.json` with `from` replaced by `to` (the first time).
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let t = fs::read_to_string(&path).unwrap();
    assert!(t.contains(from), "{from} in {file}");
    fs::write(&path, t.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_tampered_previous_year_is_detected_by_its_seal() {
    let dir = chain_dir("manomesso");
    let out = year(&dir, "2022", None);
    check(out.status.success(), "calcola 2022", &out);
    edit(
        &dir,
        "out-2022/fondo.json",
        "\"fondo\": \"302000.00\"",
        "\"fondo\": \"302100.00\"",
    );
    for (cmd, extra) in [
        ("calcola", None),
        ("relazioni", None),
        ("spiega", Some("fondo")),
    ] {
        let out = on_year(&dir, cmd, "2023", "out-2022/fondo.json", extra.as_slice());
        let stderr = text(&out.stderr);
        check(out.status.code() == Some(1), cmd, &out);
        check(
            stderr.contains("out-2022/fondo.json:")
                && stderr.contains("modificato dopo il calcolo"),
            cmd,
            &out,
        );
    }
    let out = year(&dir, "2023", Some("out-2022/fondo.json"));
    check(
        !dir.join("out-2023").exists(),
        "nessuna uscita scritta",
        &out,
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn another_ente_or_year_is_an_error_naming_the_file() {
    let dir = chain_dir("ente-anno");
    run_chain(&dir);
    // 2024 given the 2022 fund: not the year before.
    let out = year(&dir, "2024", Some("out-2022/fondo.json"));
    let stderr = text(&out.stderr);
    check(out.status.code() == Some(1), "anno", &out);
    check(
        stderr.contains("out-2022/fondo.json:4:3")
            && stderr.contains("è dell'anno 2022, ma l'anno precedente al 2024 è il 2023"),
        "anno",
        &out,
    );
    // The same file for another ente.
    edit(
        &dir,
        "2023/regole.toml",
        "Comune di Valcastello",
        "Comune di Altrove",
    );
    let out = year(&dir, "2023", Some("out-2022/fondo.json"));
    check(
        out.status.code() == Some(1) && text(&out.stderr).contains("di un altro ente"),
        "ente",
        &out,
    );
    // A rules file is for `relazioni` only.
    let out = year(&dir, "2024", Some("2023/regole.toml"));
    check(
        out.status.code() == Some(1) && text(&out.stderr).contains("non un file delle regole"),
        "regole",
        &out,
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_seal_is_the_hash_of_the_document_without_it_and_reruns_are_identical() {
    let dir = chain_dir("sigillo");
    let run = || ccdi(&dir, &["calcola", "--formato", "json"]);
    let (a, b) = (run(), run());
    check(
        a.status.success() && a.stdout == b.stdout,
        "stesso JSON",
        &a,
    );
    let (canonical, declared) = ccdi::fund::previous::unseal(&a.stdout).expect("sigillo");
    assert_eq!(ccdi::fund::previous::digest(&canonical), declared);
    // The canonical text is the document without its last key, still valid JSON.
    let v: serde_json::Value = serde_json::from_slice(&canonical).unwrap();
    assert!(v.get("impronta_documento_sha256").is_none());
    assert_eq!(v["anno"], 2019);
    let _ = fs::remove_dir_all(&dir);
}
