//! The files of `calcola --out` meant for publication name no one: no matricola or name of the
//! inputs in `relazione.html`, `relazioni-rgs.csv` and `trasparenza.csv`, for the bundled
//! example and every scenario with a data folder; the per-person report is
//! `relazione-interna.html`, marked not to be published. The transparency table withholds
//! what would tell about one or two managers (a one-manager ente, Prato, a band of two).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The files meant for publication.
const PUBLISHED: [&str; 3] = ["relazione.html", "relazioni-rgs.csv", "trasparenza.csv"];

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ccdi-privacy-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/scenari")
        .join(name)
}

/// `calcola ARGS --out <scratch>` run in `dir`: the output folder, or `None` when the
/// command fails (an error scenario).
fn out_of(name: &str, dir: &Path, args: &[&str]) -> Option<PathBuf> {
    let out = scratch(name).join("uscita");
    let run = Command::new(env!("CARGO_BIN_EXE_ccdi"))
        .arg("calcola")
        .args(args)
        .arg("--out")
        .arg(&out)
        .current_dir(dir)
        .output()
        .expect("run ccdi");
    run.status.success().then_some(out)
}

/// The matricole and names of the managers, as the internal `fondo.json` lists them.
fn people(out: &Path) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("fondo.json")).unwrap()).unwrap();
    json["dirigenti"]
        .as_array()
        .map(|ms| {
            ms.iter()
                .flat_map(|m| [&m["matricola"], &m["nome"]])
                .filter_map(|v| v.as_str())
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether `text` holds `who`: anywhere, for three characters and more (stricter than the
/// report's own whole-word test); as a whole word for a shorter matricola, which would
/// otherwise be found inside any figure.
fn names(text: &str, who: &str) -> bool {
    if who.chars().count() >= 3 {
        return text.contains(who);
    }
    text.match_indices(who).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + who.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The people of `out` found in its published files, as `file: who`; the internal report
/// must name every one of them (else the list of people would be wrong and the test
/// empty), and say it is not to be published.
fn named_in_published(out: &Path) -> Vec<String> {
    let people = people(out);
    let internal = fs::read_to_string(out.join("relazione-interna.html")).unwrap();
    assert!(
        internal.contains("Uso interno, non pubblicare"),
        "{}",
        out.display()
    );
    for p in &people {
        assert!(names(&internal, p), "{}: internal lacks {p}", out.display());
    }
    let mut found = Vec::new();
    for file in PUBLISHED {
        let text = fs::read_to_string(out.join(file)).unwrap();
        assert!(!text.contains("Uso interno"), "{file}");
        found.extend(
            people
                .iter()
                .filter(|p| names(&text, p))
                .map(|p| format!("{file}: {p}")),
        );
    }
    found
}

/// The bundled example and every scenario with a data folder that computes: their published
/// files name no manager.
#[test]
fn published_files_name_no_one() {
    let dir = scratch("bundled");
    let bundled = out_of("bundled-out", &dir, &[]).expect("the bundled example computes");
    assert_eq!(people(&bundled).len(), 40, "20 matricole and 20 names");
    let mut named = named_in_published(&bundled);
    let root = scenario("");
    let mut folders: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("regole.toml").is_file() && p.join("dati").is_dir())
        .collect();
    folders.sort();
    let mut checked = 0;
    for f in &folders {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let args = ["--regole", "regole.toml", "--dati", "dati"];
        let Some(out) = out_of(&name, f, &args) else {
            continue;
        };
        if !out.join("trasparenza.csv").is_file() {
            continue;
        }
        checked += 1;
        named.extend(
            named_in_published(&out)
                .into_iter()
                .map(|n| format!("{name}/{n}")),
        );
    }
    assert!(checked >= 25, "only {checked} scenarios checked");
    assert!(named.is_empty(), "{named:#?}");
}

/// The transparency table's CSV of a scenario's `calcola --out`.
fn transparency(name: &str) -> String {
    let dir = scenario(name);
    let out = out_of(name, &dir, &["--regole", "regole.toml", "--dati", "dati"]).expect(name);
    fs::read_to_string(out.join("trasparenza.csv")).unwrap()
}

/// The value of the line `label` of a transparency CSV.
fn value<'a>(csv: &'a str, label: &str) -> &'a str {
    csv.lines()
        .find_map(|l| l.strip_prefix(label).and_then(|r| r.strip_prefix(';')))
        .unwrap_or_else(|| panic!("no line {label} in\n{csv}"))
}

/// One manager: nothing about them remains (the figures of `trasparenza-un-dirigente`, worked
/// in its `regole.toml`); the rule is stated in the file.
#[test]
fn one_manager() {
    let csv = transparency("trasparenza-un-dirigente");
    for label in [
        "Premi distribuiti",
        "Dirigenti con retribuzione di risultato",
        "Retribuzione di risultato media",
        "Retribuzione di risultato minima",
        "Retribuzione di risultato massima",
        "Indice di differenziazione (Gini: 0 = tutti uguali, 1 = tutto a uno)",
    ] {
        assert_eq!(value(&csv, label), "dato non pubblicabile", "{label}");
    }
    assert_eq!(value(&csv, "Dirigenti con punteggio da 0 a 100"), "1");
    // The result pay's resources, not a person's: the one amount left.
    assert_eq!(
        value(
            &csv,
            "Premi stanziati (retribuzione di risultato e interim)"
        ),
        "10.000,00"
    );
    assert_eq!(csv.matches(",00").count(), 1, "{csv}");
    assert!(csv.contains("nessun dato riguarda meno di 3 dirigenti"));
    insta::assert_snapshot!("trasparenza_un_dirigente", csv);
    // The published checks keep their verdicts but not their figures: the reconciliation's
    // result paid would be the one manager's.
    let dir = scenario("trasparenza-un-dirigente");
    let out = out_of(
        "un-dirigente-html",
        &dir,
        &["--regole", "regole.toml", "--dati", "dati"],
    );
    let html = fs::read_to_string(out.unwrap().join("relazione.html")).unwrap();
    assert!(html.contains("con meno di 3 dirigenti con retribuzione di risultato i totali"));
    assert!(!html.contains("Quadratura</h3>"));
}

/// Prato (the bundled example): the band below 60 holds one manager, so it is joined with
/// the next ones; the count of managers paid (19 of 20) and the average are withheld.
#[test]
fn prato() {
    let dir = scratch("prato");
    let out = out_of("prato-out", &dir, &[]).expect("the bundled example computes");
    let csv = fs::read_to_string(out.join("trasparenza.csv")).unwrap();
    assert!(!csv.contains("da 0 a meno di 60"), "{csv}");
    assert_eq!(
        value(&csv, "Dirigenti con punteggio da 0 a meno di 80"),
        "4"
    );
    assert_eq!(
        value(&csv, "Dirigenti con retribuzione di risultato"),
        "dato non pubblicabile"
    );
    insta::assert_snapshot!("trasparenza_prato", csv);
    // What the published report left out is in the internal one, under its mark.
    let internal = fs::read_to_string(out.join("relazione-interna.html")).unwrap();
    let mark = internal.find("Uso interno, non pubblicare").unwrap();
    assert!(mark < internal.find("<h1>").unwrap());
    let published = fs::read_to_string(out.join("relazione.html")).unwrap();
    for section in [
        "<h2>Retribuzione dei dirigenti</h2>",
        "<h2>Raggiungimento degli obiettivi (PEG)</h2>",
        "aria-label=\"Punteggio e retribuzione di risultato\"",
    ] {
        assert!(internal.contains(section), "{section}");
        assert!(!published.contains(section), "{section}");
    }
}

/// A band of two managers is joined to the band before it; with eight managers all paid,
/// every figure is published (those of `trasparenza-fascia-di-due`, worked in its
/// `regole.toml`).
#[test]
fn band_of_two() {
    let csv = transparency("trasparenza-fascia-di-due");
    assert_eq!(
        value(&csv, "Dirigenti con punteggio da 70 a meno di 80"),
        "3"
    );
    assert_eq!(value(&csv, "Dirigenti con punteggio da 80 a 100"), "5");
    assert!(!csv.contains("da 90 a 100"), "{csv}");
    assert_eq!(value(&csv, "Retribuzione di risultato media"), "8.250,00");
    assert_eq!(value(&csv, "Retribuzione di risultato minima"), "7.200,00");
    assert_eq!(value(&csv, "Retribuzione di risultato massima"), "9.400,00");
    insta::assert_snapshot!("trasparenza_fascia_di_due", csv);
}
