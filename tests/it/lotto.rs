//! Batch mode and the generator: reproducible batches from a seed, byte-identical outputs
//! whatever the number of threads, and one bad ente reported without stopping the others.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ccdi(args: &[&str], dir: &Path, threads: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ccdi"));
    cmd.args(args).current_dir(dir);
    if let Some(t) = threads {
        cmd.env("RAYON_NUM_THREADS", t);
    }
    cmd.output().expect("run ccdi")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ccdi-lotto-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().to_string();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn generator_is_reproducible_from_the_seed() {
    let dir = scratch("seme");
    for (out, seed) in [("a", "7"), ("b", "7"), ("c", "8")] {
        let o = ccdi(
            &["genera", "--enti", "25", "--seme", seed, "--out", out],
            &dir,
            None,
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let (a, b, c) = (
        tree(&dir.join("a")),
        tree(&dir.join("b")),
        tree(&dir.join("c")),
    );
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.keys().filter(|k| k.ends_with("regole.toml")).count(), 25);
    // The large ente, too.
    for out in ["g1", "g2"] {
        assert_eq!(
            ccdi(
                &["genera", "--grande", "300", "--seme", "3", "--out", out],
                &dir,
                None
            )
            .status
            .code(),
            Some(0)
        );
    }
    let g = tree(&dir.join("g1"));
    assert_eq!(g, tree(&dir.join("g2")));
    let managers = String::from_utf8_lossy(&g["ente-grande/dirigenti.csv"])
        .lines()
        .count()
        - 1;
    assert_eq!(managers, 300);
}

#[test]
fn generated_batch_computes_and_is_identical_with_one_or_all_threads() {
    let dir = scratch("thread");
    assert_eq!(
        ccdi(
            &["genera", "--enti", "40", "--seme", "11", "--out", "lotto"],
            &dir,
            None
        )
        .status
        .code(),
        Some(0)
    );
    let one = ccdi(
        &["calcola", "--lotto", "lotto", "--out", "uno"],
        &dir,
        Some("1"),
    );
    let all = ccdi(
        &["calcola", "--lotto", "lotto", "--out", "tutti"],
        &dir,
        None,
    );
    assert_eq!(
        one.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&one.stdout)
    );
    assert_eq!(all.status.code(), Some(0));
    let (a, b) = (tree(&dir.join("uno")), tree(&dir.join("tutti")));
    assert_eq!(a.len(), 1 + 40 * 4, "summary plus four files per ente");
    assert_eq!(a, b);
    // The summary to stdout is identical too.
    let s1 = ccdi(&["calcola", "--lotto", "lotto"], &dir, Some("1"));
    let s2 = ccdi(&["calcola", "--lotto", "lotto"], &dir, Some("2"));
    assert_eq!(s1.stdout, s2.stdout);
    assert_eq!(String::from_utf8_lossy(&s1.stdout).lines().count(), 41);
}

#[test]
fn a_failing_ente_is_reported_and_the_others_are_computed() {
    let dir = scratch("errore");
    assert_eq!(
        ccdi(
            &["genera", "--enti", "6", "--seme", "5", "--out", "lotto"],
            &dir,
            None
        )
        .status
        .code(),
        Some(0)
    );
    let bad = dir.join("lotto/ente-00003/regole.toml");
    let text = fs::read_to_string(&bad)
        .unwrap()
        .replace("anno = 2023", "anno = \"duemilaventitre\"");
    fs::write(&bad, text).unwrap();
    fs::write(
        dir.join("lotto/ente-00005/valutazioni.csv"),
        "matricola;componente;punteggio\nD999999;organizzativa;70\n",
    )
    .unwrap();
    let out = ccdi(&["calcola", "--lotto", "lotto"], &dir, None);
    assert_eq!(out.status.code(), Some(1));
    let summary = String::from_utf8_lossy(&out.stdout).to_string();
    let rows: Vec<Vec<&str>> = summary
        .lines()
        .skip(1)
        .map(|l| l.split(';').collect())
        .collect();
    assert_eq!(rows.len(), 6);
    for r in &rows {
        match r[0] {
            "ente-00003" => {
                assert_eq!(r[11], "1");
                assert!(
                    r[12].contains("regole.toml:4:8: errore: [ente.anno] tipo errato"),
                    "{}",
                    r[12]
                );
            }
            "ente-00005" => {
                assert!(r[11].parse::<usize>().unwrap() >= 1);
                assert!(r[12].contains("valutazioni.csv"), "{}", r[12]);
            }
            _ => {
                assert_eq!(r[11], "0", "{r:?}");
                assert_eq!(r[8], "rispettato", "{r:?}");
                assert!(!r[3].is_empty());
            }
        }
    }
}

/// Runs `args` on one thread and on four; the two runs must agree byte for byte.
fn same_with_one_or_four_threads(args: &[&str], dir: &Path) -> Output {
    let one = ccdi(args, dir, Some("1"));
    let four = ccdi(args, dir, Some("4"));
    assert_eq!(one.status.code(), four.status.code());
    assert_eq!(
        String::from_utf8_lossy(&one.stderr),
        String::from_utf8_lossy(&four.stderr)
    );
    assert!(one.stdout == four.stdout, "stdout differs with 4 threads");
    one
}

/// A large ente is read in blocks of rows and computed on all cores: the figures and
/// the problems found, in file order, do not depend on the number of threads.
#[test]
fn large_ente_is_identical_with_one_or_four_threads() {
    let dir = scratch("grande-thread");
    let o = ccdi(
        &["genera", "--grande", "1500", "--seme", "11", "--out", "g"],
        &dir,
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let ente = dir.join("g").join("ente-grande");
    let indicators = fs::read_to_string(ente.join("indicatori.csv")).unwrap();
    // Several blocks of rows (256 KB each), so that the parallel path is the one exercised.
    assert!(
        indicators.lines().count() > 20_000,
        "too few indicator rows"
    );
    let args = [
        "calcola",
        "--regole",
        "g/ente-grande/regole.toml",
        "--dati",
        "g/ente-grande",
        "--formato",
        "json",
    ];
    let ok = same_with_one_or_four_threads(&args, &dir);
    assert_eq!(ok.status.code(), Some(0));

    // Problems far apart in the file, in different blocks: reported in line order.
    let mut lines: Vec<String> = indicators.lines().map(str::to_string).collect();
    let bad = [
        (3, "peso", "abc"),
        (9_000, "obiettivo", "OB-NESSUNO"),
        (19_000, "peso", "-5"),
    ];
    for (line, column, value) in bad {
        let header: Vec<&str> = lines[0].split(';').collect();
        let k = header.iter().position(|h| *h == column).unwrap();
        let mut cells: Vec<String> = lines[line - 1].split(';').map(str::to_string).collect();
        cells[k] = value.to_string();
        lines[line - 1] = cells.join(";");
    }
    fs::write(ente.join("indicatori.csv"), lines.join("\n") + "\n").unwrap();
    let failed = same_with_one_or_four_threads(&args, &dir);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    let at: Vec<usize> = bad
        .iter()
        .map(|(line, _, _)| {
            stderr
                .find(&format!("indicatori.csv:{line}:"))
                .unwrap_or_else(|| panic!("line {line} not reported:\n{stderr}"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "not in line order:\n{stderr}"
    );
}
