//! `cargo bench --bench scala`: how the engine's cost grows with the input, against the cost of
//! just reading the same CSV files. Generates its inputs with `ccdi::generate` (fixed seeds)
//! into a temporary folder, then for each size measures, side by side in one run:
//! - baseline: reading and parsing every CSV file into `csv::StringRecord`s;
//! - engine: loading and validating everything, computing fund, objectives, individual pay,
//!   reconciliation and the verifica checklist (no rendering);
//! - the national batch: every ente of a generated batch through `batch::run` on all cores.
//!
//! Options (after `--`): `--grande N1,N2,N3` managers of the large ente (default
//! 10000,30000,100000); `--enti N` entes of the batch (default 8000); `--ripetizioni R`
//! (default 3; baseline and engine run in turn, and the best time of each is kept).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// The baseline and the engine in turn, `reps` times each: the best time of each, taken
/// over the same span (this machine's speed drifts by tens of percent within minutes), and
/// the engine's last result.
fn side_by_side<B, E>(
    reps: usize,
    mut baseline: impl FnMut() -> B,
    mut engine: impl FnMut() -> E,
) -> (Duration, Duration, E) {
    let (mut tb, mut te) = (Duration::MAX, Duration::MAX);
    let mut out = None;
    for _ in 0..reps {
        let t = Instant::now();
        let b = baseline();
        tb = tb.min(t.elapsed());
        drop(b);
        // The previous repetition's result is freed before the next one starts.
        drop(out.take());
        let t = Instant::now();
        let e = engine();
        te = te.min(t.elapsed());
        out = Some(e);
    }
    (tb, te, out.expect("at least one repetition"))
}

fn write(dir: &Path, files: Vec<(String, Vec<u8>)>) -> u64 {
    let mut bytes = 0;
    for (rel, data) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        bytes += data.len() as u64;
        std::fs::write(p, data).unwrap();
    }
    bytes
}

/// The baseline: every CSV of a folder read and parsed into records, nothing else.
fn baseline(dir: &Path) -> usize {
    let mut records = 0;
    for name in ccdi::input::ALL_FILES {
        let path = dir.join(name);
        if !path.exists() {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let mut r = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(bytes.as_slice());
        for rec in r.records() {
            let rec = rec.unwrap();
            records += rec.len().min(1);
        }
    }
    records
}

/// The engine on one ente folder, with the binary's memory tuning around it: validated
/// load, computation, checks. What it made is returned and freed after the timed span.
fn engine(dir: &Path) -> (ccdi::engine::Inputs, ccdi::engine::Outcome, usize) {
    let rules = dir.join("regole.toml");
    (tune::PHASES.reading)(ccdi::input::files::input_size(Some(dir)));
    let (inputs, _) =
        ccdi::input::files::load_inputs(Some(&rules), Some(dir)).expect("valid inputs");
    (tune::PHASES.computing)();
    let outcome = ccdi::engine::compute(&inputs).expect("computed");
    let checks = ccdi::audit::verify(&inputs, &outcome).len();
    (inputs, outcome, checks)
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// The binary's allocator and memory settings, as it sets them.
#[path = "../src/tune.rs"]
mod tune;

fn main() {
    tune::start();
    let reps: usize = arg("--ripetizioni")
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let sizes: Vec<usize> = arg("--grande")
        .unwrap_or_else(|| "10000,30000,100000".into())
        .split(',')
        .filter_map(|v| v.parse().ok())
        .collect();
    let entes: usize = arg("--enti").and_then(|v| v.parse().ok()).unwrap_or(8000);
    let root: PathBuf = std::env::temp_dir().join(format!("ccdi-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);

    println!(
        "ccdi {} — benchmark di scala (migliore di {reps} ripetizioni, lettura e motore alternati)",
        env!("CARGO_PKG_VERSION")
    );
    println!("\n(b) un ente molto grande");
    println!("dirigenti  righe indicatori  MB input  lettura CSV (s)  motore (s)  rapporto");
    for &n in &sizes {
        let dir = root.join(format!("grande-{n}"));
        let bytes = write(&dir, ccdi::generate::large(n, 42));
        let dir = dir.join("ente-grande");
        let indicators = std::fs::read_to_string(dir.join("indicatori.csv"))
            .unwrap()
            .lines()
            .count()
            - 1;
        let (tb, te, _) = side_by_side(reps, || baseline(&dir), || engine(&dir));
        if std::env::var("CCDI_BENCH_FASI").is_ok() {
            let rules = dir.join("regole.toml");
            let t = Instant::now();
            (tune::PHASES.reading)(ccdi::input::files::input_size(Some(&dir)));
            let (inputs, _) = ccdi::input::files::load_inputs(Some(&rules), Some(&dir)).unwrap();
            (tune::PHASES.computing)();
            let tl = t.elapsed();
            let rss_load = rss_kb();
            let t = Instant::now();
            let outcome = ccdi::engine::compute(&inputs).unwrap();
            let tc = t.elapsed();
            let rss_compute = rss_kb();
            let t = Instant::now();
            let _ = ccdi::audit::verify(&inputs, &outcome);
            let tv = t.elapsed();
            let t = Instant::now();
            drop(outcome);
            drop(inputs);
            println!(
                "  fasi: caricamento {tl:?} (memoria {} MB), calcolo {tc:?} (memoria {} MB), verifica {tv:?}, rilascio {:?} (fuori dal tempo del motore)",
                rss_load / 1024,
                rss_compute / 1024,
                t.elapsed()
            );
        }
        println!(
            "{n:>9}  {indicators:>16}  {:>8.1}  {:>15.3}  {:>10.3}  {:>8.2}",
            bytes as f64 / 1e6,
            tb.as_secs_f64(),
            te.as_secs_f64(),
            te.as_secs_f64() / tb.as_secs_f64()
        );
    }

    println!("\n(a) il lotto nazionale");
    let dir = root.join("lotto");
    let bytes = write(&dir, ccdi::generate::batch(entes, 1));
    let folders: Vec<PathBuf> = ccdi::input::files::list_subfolders(&dir)
        .unwrap()
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    let (tb, te, rows) = side_by_side(
        reps,
        || folders.iter().map(|f| baseline(f)).sum::<usize>(),
        || ccdi::batch::run(&dir, None).unwrap(),
    );
    let bad = rows.iter().filter(|r| !r.ok()).count();
    println!(
        "{entes} enti, {:.1} MB: lettura CSV {:.3} s (un thread), motore {:.3} s ({} thread), rapporto {:.2}; enti con errori {bad}",
        bytes as f64 / 1e6,
        tb.as_secs_f64(),
        te.as_secs_f64(),
        rayon::current_num_threads(),
        te.as_secs_f64() / tb.as_secs_f64()
    );
    println!(
        "\nmemoria di picco del processo: {:.1} MB",
        peak_rss_kb() as f64 / 1024.0
    );
    let _ = std::fs::remove_dir_all(&root);
}
