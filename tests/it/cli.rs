//! The command line: its definition, the help and the errors in Italian, the verdict that
//! ends `calcola`, the templates of `modelli` and the example's files of `esempio`, the voci
//! of `spiega`, and the figures of whole runs.

use ccdi::cli::{parse_args, Command, Formato};
use clap::CommandFactory;

#[test]
fn clap_definition_is_consistent() {
    ccdi::cli::Cli::command().debug_assert();
    ccdi::cli::definition().debug_assert();
}

#[test]
fn no_arguments_means_the_bundled_example() {
    assert_eq!(
        parse_args(["ccdi", "calcola"]).unwrap(),
        Command::Compute {
            rules: None,
            data: None,
            previous: None,
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

/// The commands of the general help, each with its help (`ccdi COMANDO --help`).
const COMMANDS: &[&str] = &[
    "calcola",
    "spiega",
    "verifica",
    "relazioni",
    "confronta",
    "modelli",
    "esempio",
    "genera",
    "target",
    "help",
];

/// Words of clap's own texts: none may reach the user.
const ENGLISH: &[&str] = &[
    "Usage",
    "usage:",
    "Options",
    "OPTIONS",
    "Arguments",
    "Commands",
    "Subcommands",
    "ossible values",
    "default:",
    "Print help",
    "Print version",
    "aliases",
    "[env",
    "error:",
    "tip:",
    "the argument",
    "invalid value",
    "unexpected argument",
    "For more information",
    "required",
    "provided",
];

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[track_caller]
fn no_english(what: &str, text: &str) {
    for word in ENGLISH {
        assert!(!text.contains(word), "{what}: \"{word}\" in\n{text}");
    }
}

/// Every command's help, as `--help`, `-h` and `ccdi help COMANDO` give it: the same text
/// either way, in Italian; all of them in one snapshot.
#[test]
fn every_help_is_italian_and_help_command_gives_the_same() {
    let dir = scratch("aiuto");
    let mut all = String::new();
    for c in std::iter::once("").chain(COMMANDS.iter().copied()) {
        let with = |flag: &str| -> Vec<String> {
            [c, flag]
                .into_iter()
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect()
        };
        let run = |args: Vec<String>| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            ccdi(&args, &dir)
        };
        let long = run(with("--help"));
        assert_eq!(long.status.code(), Some(0), "ccdi {c} --help");
        let mut help = vec!["help".to_string()];
        help.extend((!c.is_empty()).then(|| c.to_string()));
        assert_eq!(run(help).stdout, long.stdout, "ccdi help {c}");
        let short = run(with("-h"));
        no_english(&format!("ccdi {c} -h"), &text(&short));
        no_english(&format!("ccdi {c} --help"), &text(&long));
        all.push_str(&format!(
            "===== ccdi {}\n{}",
            with("--help").join(" "),
            text(&long)
        ));
    }
    insta::assert_snapshot!("aiuto_di_ogni_comando", all);
}

#[track_caller]
fn usage_error(args: &[&str], expected: &str) {
    let out = ccdi(args, &scratch("uso"));
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    no_english(&format!("{args:?}"), &err);
    assert_eq!(err, expected, "{args:?}");
}

/// The command line's errors, verbatim: each says what to write and where the help is.
#[test]
fn command_line_errors_say_what_to_write() {
    usage_error(
        &["calcla"],
        "errore: comando sconosciuto \"calcla\" (forse calcola?); comandi: calcola, spiega, verifica, relazioni, confronta, modelli, esempio, genera, target, help\nPer l'aiuto: ccdi --help\n",
    );
    usage_error(
        &["help", "calcla"],
        "errore: comando sconosciuto \"calcla\" (forse calcola?); comandi: calcola, spiega, verifica, relazioni, confronta, modelli, esempio, genera, target, help\nPer l'aiuto: ccdi --help\n",
    );
    usage_error(
        &["calcola", "--regol", "r.toml"],
        "errore: argomento sconosciuto \"--regol\" (forse --regole?)\nPer l'aiuto: ccdi calcola --help\n",
    );
    usage_error(
        &["calcola", "--regole"],
        "errore: manca il valore di --regole <FILE>\nPer l'aiuto: ccdi calcola --help\n",
    );
    usage_error(
        &["calcola", "--regole", "a", "--regole", "b"],
        "errore: --regole <FILE> indicato più di una volta: indicarlo una volta sola\nPer l'aiuto: ccdi calcola --help\n",
    );
    usage_error(
        &["calcola", "--lotto", "x", "--regole", "y"],
        "errore: --lotto <CARTELLA> non si può usare insieme a --regole <FILE>\nPer l'aiuto: ccdi calcola --help\n",
    );
    usage_error(
        &["genera", "--enti", "molti", "--out", "x"],
        "errore: valore \"molti\" non valido per --enti <N>: serve un numero intero senza segno, come 100\nPer l'aiuto: ccdi genera --help\n",
    );
    usage_error(
        &["target", "entro", "il", "31.07.20"],
        "errore: argomento in più \"il\": un testo con spazi va scritto tra virgolette (\"entro il 31.07.20\")\nPer l'aiuto: ccdi target --help\n",
    );
    usage_error(
        &["spiega"],
        "errore: manca un argomento obbligatorio: <VOCE>\nPer l'aiuto: ccdi spiega --help\n",
    );
    usage_error(
        &["modelli"],
        "errore: manca un argomento obbligatorio: --out <CARTELLA>\nPer l'aiuto: ccdi modelli --help\n",
    );
}

#[test]
fn version_and_list_of_voci_parse() {
    for flag in ["--version", "-V", "--versione"] {
        let out = ccdi(&[flag], &scratch("versione"));
        assert_eq!(out.status.code(), Some(0), "{flag}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("ccdi {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
    assert_eq!(
        parse_args(["ccdi", "spiega", "--elenco"]).unwrap(),
        Command::ExplainList {
            format: Formato::Testo
        }
    );
}

/// `calcola --out` with the 2016 cap exceeded: the verdict and the ✗ end the listing (exit
/// 0), the HTML report opens with the banner, the workbook with the sheet of the failed checks.
#[test]
fn out_ends_with_the_verdict_and_the_reports_open_with_the_failed_checks() {
    let dir = scratch("verdetto");
    let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/scenari/limite-2016-superato/regole.toml");
    let out = ccdi(
        &[
            "calcola",
            "--regole",
            rules.to_str().unwrap(),
            "--out",
            "uscita",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.ends_with("verifica: 6 ✓, 1 ✗, 1 avviso\n  ✗ Limite 2016 del trattamento accessorio: risorse soggette 1.251.774,69 (fondo dirigenti 301.774,69 + altri fondi 950.000,00) contro limite 1.250.000,00: superamento 1.774,69\n"),
        "{stdout}"
    );
    let html = std::fs::read_to_string(dir.join("uscita/relazione.html")).unwrap();
    let banner = html.find("Attenzione: 1 vincolo violato").expect("banner");
    assert!(
        banner < html.find("<h1>").unwrap(),
        "the banner comes first"
    );
    assert!(html[banner..].contains("✗ Limite 2016 del trattamento accessorio"));
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(dir.join("uscita/fondo.xlsx")).unwrap();
    assert_eq!(wb.sheet_names()[0], "Vincoli violati");
    let sheet = wb.worksheet_range("Vincoli violati").unwrap();
    let cell = |r: u32, c: u32| {
        sheet
            .get_value((r, c))
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    assert_eq!(cell(0, 0), "Attenzione: 1 vincolo violato");
    assert_eq!(
        (cell(4, 0), cell(4, 1)),
        (
            "✗".to_string(),
            "Limite 2016 del trattamento accessorio".to_string()
        )
    );
    // Without a failed check, neither the banner nor the sheet.
    let clean = ccdi(&["calcola", "--out", "pulito"], &dir);
    assert_eq!(clean.status.code(), Some(0));
    let html = std::fs::read_to_string(dir.join("pulito/relazione.html")).unwrap();
    assert!(!html.contains("vincolo violato") && !html.contains("vincoli violati"));
    let wb: calamine::Xlsx<_> = calamine::open_workbook(dir.join("pulito/fondo.xlsx")).unwrap();
    assert_eq!(wb.sheet_names()[0], "Quadro di sintesi");
}

/// The files of a folder by name, sorted.
fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

/// `ccdi modelli`: every template written, and as written they compute and pass every check;
/// a folder with a file in it is refused and left as it was.
#[test]
fn templates_run_as_they_are_and_never_overwrite() {
    let dir = scratch("modelli");
    let out = ccdi(&["modelli", "--out", "nuovo"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        listing(&dir.join("nuovo")),
        [
            "LEGGIMI.txt",
            "compensi.csv",
            "dirigenti.csv",
            "indicatori.csv",
            "interim.csv",
            "obiettivi.csv",
            "regole.toml",
            "riduzioni.csv",
            "valutazioni.csv"
        ]
    );
    for (name, content) in ccdi::output::templates::TEMPLATES {
        assert_eq!(
            std::fs::read_to_string(dir.join("nuovo").join(name)).unwrap(),
            *content
        );
    }
    for command in ["calcola", "verifica"] {
        let run = ccdi(
            &[command, "--regole", "nuovo/regole.toml", "--dati", "nuovo"],
            &dir,
        );
        assert_eq!(run.status.code(), Some(0), "{command}: {}", text(&run));
        assert!(!text(&run).contains("errore"), "{}", text(&run));
        // Clean: no avviso about the inputs (the checklist's own avvisi, such as the national
        // sources still to verify, are not about what the office wrote).
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!stderr.contains("avviso:"), "{command}: {stderr}");
    }
    // An empty folder is fine; one with a file is refused and left untouched.
    std::fs::create_dir_all(dir.join("vuota")).unwrap();
    assert_eq!(
        ccdi(&["modelli", "--out", "vuota"], &dir).status.code(),
        Some(0)
    );
    std::fs::create_dir_all(dir.join("piena")).unwrap();
    std::fs::write(dir.join("piena/regole.toml"), "mie regole").unwrap();
    let refused = ccdi(&["modelli", "--out", "piena"], &dir);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr),
        "piena: errore: la cartella non è vuota (contiene regole.toml): indicare una cartella nuova o vuota, nessun file viene sovrascritto\ntrovato 1 errore: nessun risultato prodotto\n"
    );
    assert_eq!(listing(&dir.join("piena")), ["regole.toml"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("piena/regole.toml")).unwrap(),
        "mie regole"
    );
}

/// Each template CSV has every column its reader declares, and the guide speaks of each.
#[test]
fn template_headers_are_the_readers_columns() {
    use ccdi::input::{peg, staff};
    let guide = ccdi::output::templates::TEMPLATES
        .iter()
        .find(|(n, _)| *n == "LEGGIMI.txt")
        .unwrap()
        .1;
    for (file, columns) in [
        ("obiettivi.csv", peg::OBJECTIVE_COLUMNS),
        ("indicatori.csv", peg::INDICATOR_COLUMNS),
        ("dirigenti.csv", staff::MANAGER_COLUMNS),
        ("valutazioni.csv", staff::EVALUATION_COLUMNS),
        ("interim.csv", staff::INTERIM_COLUMNS),
        ("compensi.csv", staff::FEE_COLUMNS),
        ("riduzioni.csv", ccdi::input::reductions::REDUCTION_COLUMNS),
    ] {
        let text = ccdi::output::templates::TEMPLATES
            .iter()
            .find(|(n, _)| *n == file)
            .unwrap_or_else(|| panic!("{file} missing"))
            .1;
        let header = text.trim_start_matches('\u{feff}').lines().next().unwrap();
        let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
        assert_eq!(header.split(';').collect::<Vec<_>>(), names, "{file}");
        assert!(
            guide.contains(&format!("\n{file}: ")),
            "{file} in LEGGIMI.txt"
        );
        for c in columns {
            let required = if c.required {
                "(obbligatoria)"
            } else {
                "(facoltativa)"
            };
            let line = guide.lines().find(|l| {
                l.trim_start().starts_with(&format!("{} ", c.name)) && l.contains(required)
            });
            assert!(
                line.is_some(),
                "{file}: {} {required} in LEGGIMI.txt",
                c.name
            );
        }
    }
}

/// `ccdi esempio`: the bundled files, from which `calcola` gives the bundled run byte for
/// byte (the files' names aside).
#[test]
fn example_files_give_the_bundled_figures() {
    let dir = scratch("esempio");
    let out = ccdi(&["esempio", "--out", "ex"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        listing(&dir.join("ex")),
        [
            "compensi.csv",
            "dirigenti.csv",
            "indicatori.csv",
            "interim.csv",
            "obiettivi.csv",
            "prato-2019.toml",
            "valutazioni.csv"
        ]
    );
    for format in ["json", "testo"] {
        let bundled = ccdi(&["calcola", "--formato", format], &dir);
        let from_files = ccdi(
            &[
                "calcola",
                "--regole",
                "ex/prato-2019.toml",
                "--dati",
                "ex",
                "--formato",
                format,
            ],
            &dir,
        );
        assert_eq!(from_files.status.code(), Some(0), "{}", text(&from_files));
        // The JSON's own SHA-256 covers the file names: compared without it.
        let unsealed = |b: &[u8]| {
            let text = ccdi::fund::previous::unseal(b).map_or(b.to_vec(), |(c, _)| c);
            String::from_utf8_lossy(&text).to_string()
        };
        let renamed = unsealed(&from_files.stdout)
            .replace("ex/prato-2019.toml", "esempio:prato-2019.toml")
            .replace("ex/", "esempio:prato-2019/");
        assert!(renamed == unsealed(&bundled.stdout), "{format}");
        assert_eq!(from_files.stderr, bundled.stderr, "{format}");
    }
}

/// Every figure of every scenario that computes (and of the templates and the bundled
/// example) has its voce in the catalogue `spiega --elenco` prints.
#[test]
fn every_figure_has_its_voce_in_the_catalogue() {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut runs: Vec<(Option<std::path::PathBuf>, Option<std::path::PathBuf>)> = vec![
        (None, None),
        (
            Some(base.join("templates/regole.toml")),
            Some(base.join("templates")),
        ),
    ];
    for entry in std::fs::read_dir(base.join("fixtures/scenari")).unwrap() {
        let folder = entry.unwrap().path();
        let Ok(cmd) = std::fs::read_to_string(folder.join("cmd")) else {
            continue;
        };
        let words: Vec<&str> = cmd.split_whitespace().collect();
        let after = |flag: &str| {
            words
                .iter()
                .position(|w| *w == flag)
                .and_then(|i| words.get(i + 1))
                .map(|p| folder.join(p))
        };
        if let Some(rules) = after("--regole") {
            runs.push((Some(rules), after("--dati")));
        }
    }
    let mut seen = 0;
    for (rules, data) in &runs {
        let Ok((inputs, _)) = ccdi::input::files::load_inputs(rules.as_deref(), data.as_deref())
        else {
            continue;
        };
        let Ok(outcome) = ccdi::engine::compute(&inputs) else {
            continue;
        };
        for f in ccdi::audit::figures(&outcome) {
            assert!(
                ccdi::audit::catalogued(&f.voce).is_some(),
                "voce {} ({rules:?}) not in ccdi::audit::VOCI",
                f.voce
            );
            seen += 1;
        }
    }
    assert!(seen > 100, "{seen} figures seen");
}
