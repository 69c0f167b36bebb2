//! The command-line definition itself.

use ccdi::cli::{parse_args, Command, Formato};
use clap::CommandFactory;

#[test]
fn clap_definition_is_consistent() {
    ccdi::cli::Cli::command().debug_assert();
}

#[test]
fn no_arguments_means_the_bundled_example() {
    assert_eq!(
        parse_args(["ccdi", "calcola"]).unwrap(),
        Command::Compute {
            rules: None,
            data: None,
            format: Formato::Testo,
            out: None
        }
    );
}

fn ccdi(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ccdi"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run ccdi")
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ccdi-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The managers' objective scores from the JSON output.
fn scores(json: &[u8]) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_slice(json).expect("json");
    v["obiettivi"]["dirigenti"].clone()
}

#[test]
fn reordering_objectives_and_indicators_changes_nothing() {
    let dir = scratch("reorder");
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/prato-2019");
    for name in ["obiettivi.csv", "indicatori.csv"] {
        let text = std::fs::read_to_string(src.join(name)).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        let header = lines.remove(0);
        lines.reverse();
        // Then interleave halves, so that the order is neither the original nor its reverse.
        let (a, b) = lines.split_at(lines.len() / 2);
        let mixed: Vec<&str> = b
            .iter()
            .zip(a.iter())
            .flat_map(|(x, y)| [*x, *y])
            .chain(b.iter().skip(a.len()).copied())
            .collect();
        assert_eq!(mixed.len(), lines.len());
        std::fs::write(dir.join(name), format!("{header}\n{}\n", mixed.join("\n"))).unwrap();
    }
    let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/prato-2019.toml");
    let rules = rules.to_str().unwrap();
    let original = ccdi(
        &[
            "calcola",
            "--regole",
            rules,
            "--dati",
            src.to_str().unwrap(),
            "--formato",
            "json",
        ],
        &dir,
    );
    let shuffled = ccdi(
        &[
            "calcola",
            "--regole",
            rules,
            "--dati",
            ".",
            "--formato",
            "json",
        ],
        &dir,
    );
    assert_eq!(original.status.code(), Some(0));
    assert_eq!(
        shuffled.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&shuffled.stderr)
    );
    let (a, b) = (scores(&original.stdout), scores(&shuffled.stdout));
    assert_eq!(a.as_array().map(Vec::len), Some(20));
    // The explanations cite CSV rows, which moved; the scores must not.
    let strip = |v: &serde_json::Value| -> Vec<(String, String)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["matricola"].to_string(),
                    m["punteggio_obiettivi"].to_string(),
                )
            })
            .collect()
    };
    assert_eq!(strip(&a), strip(&b));
}

fn dec(v: &serde_json::Value) -> rust_decimal::Decimal {
    v.as_str()
        .expect("decimal string")
        .parse()
        .expect("decimal")
}

/// The bundled year, re-added from the JSON alone: the managers' rows tie to the
/// reconciliation and the reconciliation closes, to the cent.
#[test]
fn bundled_year_reconciles_from_the_json_rows() {
    let out = ccdi(&["calcola", "--formato", "json"], &scratch("reconcile"));
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["dirigenti"].as_array().unwrap();
    assert_eq!(rows.len(), 20);
    let sum = |key: &str| {
        rows.iter()
            .map(|r| dec(&r[key]))
            .sum::<rust_decimal::Decimal>()
    };
    let r = &v["riconciliazione"];
    assert_eq!(sum("posizione"), dec(&r["posizione_erogata"]));
    assert_eq!(sum("risultato_erogato"), dec(&r["risultato_erogato"]));
    assert_eq!(sum("interim"), dec(&r["interim"]));
    assert_eq!(
        sum("totale"),
        dec(&r["posizione_erogata"]) + dec(&r["risultato_erogato"]) + dec(&r["interim"])
    );
    assert_eq!(
        dec(&r["fondo"]) + dec(&r["riporti"]),
        dec(&r["posizione_erogata"])
            + dec(&r["risultato_erogato"])
            + dec(&r["interim"])
            + dec(&r["residui_riportati"])
            + dec(&r["economie"])
    );
    assert_eq!(dec(&r["fondo"]), dec(&v["costituzione"]["fondo"]));
    // The manager hired mid-year and the one below the threshold.
    let d020 = rows.iter().find(|r| r["matricola"] == "D020").unwrap();
    assert_eq!(d020["giorni"], 199);
    let d017 = rows.iter().find(|r| r["matricola"] == "D017").unwrap();
    assert_eq!(
        (d017["idoneo"].as_bool(), dec(&d017["risultato"])),
        (Some(false), rust_decimal::Decimal::ZERO)
    );
}

/// Re-adds the terms listed in a calculation sheet (`spiega --formato json`) and gets the figure.
#[test]
fn calculation_sheet_terms_add_up_to_the_figure() {
    #[track_caller]
    fn check(voce: &str) {
        let out = ccdi(
            &["spiega", "--formato", "json", voce],
            &scratch(&format!("spiega-{}", voce.replace(':', "-"))),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let figure = v["cifre"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["voce"] == voce)
            .unwrap();
        let total: rust_decimal::Decimal = figure["addendi"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                if t["segno"] == "-" {
                    -dec(&t["importo"])
                } else {
                    dec(&t["importo"])
                }
            })
            .sum();
        assert_eq!(total, dec(&figure["valore"]), "{voce}");
    }
    check("fondo");
    check("totale");
    check("risultato_totale");
    check("risultato_da_ripartire");
    check("totale:D005");
    check("totale:D014");
}

/// Two runs on the same inputs give byte-identical outputs, in every format.
#[test]
fn two_runs_are_byte_identical() {
    let dir = scratch("twice");
    for args in [
        &["calcola"][..],
        &["calcola", "--formato", "csv"],
        &["calcola", "--formato", "json"],
        &["verifica"],
        &["spiega", "D001"],
    ] {
        let a = ccdi(args, &dir);
        let b = ccdi(args, &dir);
        assert_eq!(a.status.code(), Some(0), "{args:?}");
        assert_eq!(a.stdout, b.stdout, "{args:?}");
        assert_eq!(a.stderr, b.stderr, "{args:?}");
    }
}
