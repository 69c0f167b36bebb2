//! One function per command: each loads what it needs through the input wing, computes with
//! the core and renders with the output wing; only the `--out` files are written here.

use std::path::{Path, PathBuf};

use super::{verdict, CliError, Formato, Output, Phases, Year};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::engine::{self, Inputs, Outcome};
use crate::input::files as load;
use crate::input::previous::{load_previous, Accept};
use crate::output::{checklist, csv, explain as sheet, json, relazioni, text, write};

/// Loads, validates and computes one year, with the previous year's figures when given
/// (`accept` says whether a rules file may stand for them), telling the process its phases.
fn year(
    y: &Year,
    accept: Accept,
    phases: &Phases,
) -> Result<(Inputs, Outcome, Diagnostics), CliError> {
    let (rules, data) = (y.rules.as_deref(), y.data.as_deref());
    (phases.reading)(load::input_size(data));
    let (mut inputs, diags) = load::load_inputs(rules, data).map_err(CliError::Input)?;
    if let Some(p) = &y.previous {
        let (prev, fingerprint) =
            load_previous(p, &inputs.rules, accept).map_err(CliError::Input)?;
        inputs.fingerprints.push(fingerprint);
        inputs.previous = Some(prev);
    }
    (phases.computing)();
    let outcome = engine::compute(&inputs).map_err(|e| match e.rules_key() {
        Some((file, line, key)) => CliError::Input(Diagnostics(vec![Diagnostic::error(
            Location::at(file, line, 0, Some(key)),
            e.to_string(),
        )])),
        None => located(&inputs.rules.file, e.to_string()),
    })?;
    Ok((inputs, outcome, diags))
}

/// An error about a whole file (a rules file whose figures could not be made).
fn located(file: &str, message: String) -> CliError {
    CliError::Input(Diagnostics(vec![Diagnostic::error(
        Location::file(file),
        message,
    )]))
}

/// `ccdi calcola`: the year in text, CSV or JSON on stdout, or every file in `--out`; either
/// way ending with the verdict of the checks (on stderr when the year goes to stdout). The
/// exit status does not depend on the checks: `verifica` is the command that fails on a ✗.
pub(super) fn compute(
    y: Year,
    format: Formato,
    out: Option<PathBuf>,
    phases: &Phases,
) -> Result<Output, CliError> {
    let (inputs, outcome, warnings) = year(&y, Accept::Certified, phases)?;
    (phases.rendering)();
    let verdict = verdict::line(&crate::audit::verify(&inputs, &outcome));
    let Some(dir) = out else {
        let mut output = match format {
            // The JSON is written as it is made; the other formats are rendered whole.
            Formato::Json => Output {
                stdout: String::new(),
                warnings,
                stream: Some(Box::new(move |w| json::write_report(&inputs, &outcome, w))),
                closing: String::new(),
            },
            Formato::Testo => Output::text(text::report(&inputs, &outcome), warnings),
            Formato::Csv => Output::text(csv::report(&inputs, &outcome), warnings),
        };
        output.closing = verdict;
        return Ok(output);
    };
    let mut inputs_on_disk = load::input_paths(y.rules.as_deref(), y.data.as_deref());
    inputs_on_disk.extend(y.previous.clone());
    let written = crate::output::files::with_files(&inputs, &outcome, |files| {
        write::Folder::open(&dir)?.replace_set(OUT_FILES, files, &inputs_on_disk)
    })
    .map_err(CliError::Input)?;
    let mut warnings = warnings;
    warnings.extend(written.warnings);
    Ok(Output::text(
        written_list(&dir, &written.files) + &verdict,
        warnings,
    ))
}

/// Every file `calcola --out` may write (some only for a year with managers): those a run
/// does not write are removed from the folder with the switch, so that it never holds two
/// runs' files. A test checks that it holds every file of the bundled year.
pub(super) const OUT_FILES: &[&str] = &[
    "fondo.xlsx",
    "relazione.html",
    "relazione-interna.html",
    "fondo.json",
    "fondo.txt",
    "relazioni-rgs.csv",
    "verifica.txt",
    "quadro-sintesi.csv",
    "raggiungimento-indicatori.csv",
    "retribuzioni-dirigenti.csv",
    "riconciliazione.csv",
    "impronte.csv",
    "liquidazione.csv",
    "trasparenza.csv",
];

/// `scritti N file in DIR:` and the files' names, one a line.
pub(super) fn written_list(dir: &Path, written: &[PathBuf]) -> String {
    let mut out = format!("scritti {} file in {}:\n", written.len(), dir.display());
    for w in written {
        out.push_str(&format!(
            "  {}\n",
            w.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        ));
    }
    out
}

/// `ccdi calcola --lotto`: every ente of the folder, the summary on stdout or in `--out`;
/// exit 1 when any ente failed.
pub(super) fn batch(dir: &Path, out: Option<&Path>) -> Result<Output, CliError> {
    // The output folder is held for the whole batch: a second batch on it stops at once,
    // and the summary always matches the ente folders beside it.
    let mut folder = out
        .map(write::Folder::open)
        .transpose()
        .map_err(CliError::Input)?;
    let rows = crate::batch::run(dir, out).map_err(CliError::Input)?;
    let summary = crate::batch::summary_csv(&rows);
    let bad = rows.iter().filter(|r| !r.ok()).count();
    let mut warnings = Diagnostics::default();
    let stdout = match folder.as_mut() {
        None => summary,
        Some(f) => {
            let written = f
                .replace(
                    vec![(
                        "riepilogo.csv".to_string(),
                        Box::new(move |w: &mut dyn std::io::Write| {
                            Ok(w.write_all(summary.as_bytes())?)
                        }),
                    )],
                    &[],
                )
                .map_err(CliError::Input)?;
            warnings = written.warnings;
            format!(
                "{} enti calcolati, {} con errori o vincoli violati; riepilogo in {}\n",
                rows.len(),
                bad,
                written
                    .files
                    .first()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            )
        }
    };
    if bad > 0 {
        Err(CliError::Failed(stdout))
    } else {
        Ok(Output::text(stdout, warnings))
    }
}

/// `ccdi genera`: a synthetic batch, or one very large ente, written under `out`.
pub(super) fn generate(
    entes: usize,
    seed: u64,
    large: Option<usize>,
    out: &Path,
) -> Result<Output, CliError> {
    let files = match large {
        Some(m) => crate::generate::large(m, seed),
        None => crate::generate::batch(entes, seed),
    };
    let count = files.len();
    write::write_tree(out, files).map_err(CliError::Input)?;
    Ok(Output::text(
        format!("scritti {count} file in {}\n", out.display()),
        Diagnostics::default(),
    ))
}

/// `ccdi relazioni`: the RGS documents, Modulo III against the previous year's certified
/// figures (or its rules file, recomputed) when given.
pub(super) fn documents(y: Year, format: Formato, phases: &Phases) -> Result<Output, CliError> {
    let (inputs, outcome, warnings) = year(&y, Accept::AlsoRules, phases)?;
    let docs = crate::output::documents::documents(&inputs, &outcome, inputs.previous.as_ref());
    let stdout = match format {
        Formato::Testo => relazioni::text(&inputs, &docs),
        Formato::Csv => relazioni::csv(&inputs, &docs),
        Formato::Json => relazioni::json(&inputs, &docs),
    };
    Ok(Output::text(stdout, warnings))
}

/// `ccdi spiega`: the calculation sheet of a voce or of a manager's figures.
pub(super) fn explain(
    y: Year,
    format: Formato,
    what: &str,
    phases: &Phases,
) -> Result<Output, CliError> {
    let (inputs, outcome, warnings) = year(&y, Accept::Certified, phases)?;
    let found = crate::audit::find(&outcome, what);
    if found.is_empty() {
        let why = crate::audit::not_found(&outcome, what, crate::audit::Asked::Explain);
        return Err(located(&inputs.rules.file, why));
    }
    let found: Vec<&crate::trail::Figure> = found.iter().map(|f| &**f).collect();
    let stdout = match format {
        Formato::Json => sheet::json(&inputs, &outcome, what, &found),
        _ => sheet::text(&inputs, &outcome, what, &found),
    };
    Ok(Output::text(stdout, warnings))
}

/// `ccdi verifica`: the checklist, with the declared figures compared when given; exit 1
/// on any ✗, the invalid inputs listed as ✗ lines.
pub(super) fn verify(
    y: Year,
    declared: Option<PathBuf>,
    format: Formato,
    phases: &Phases,
) -> Result<Output, CliError> {
    let json = format == Formato::Json;
    let (inputs, outcome, warnings) = match year(&y, Accept::Certified, phases) {
        Ok(v) => v,
        Err(CliError::Input(diags)) => {
            return Err(CliError::Failed(checklist::invalid_inputs(&diags, json)))
        }
        Err(e) => return Err(e),
    };
    let mut checks = crate::audit::verify(&inputs, &outcome);
    if let Some(path) = declared {
        let rows = load::load_declared(&path).map_err(CliError::Input)?;
        checks.extend(crate::audit::compare_declared(&outcome, &rows));
    }
    let stdout = if json {
        checklist::json(&inputs, &checks)
    } else {
        checklist::text(&inputs, &checks)
    };
    if checks
        .iter()
        .any(|c| c.verdict == crate::audit::Verdict::Fails)
    {
        Err(CliError::Failed(stdout))
    } else {
        Ok(Output::text(stdout, warnings))
    }
}

/// `ccdi target`: how a PEG target written as free text is read, in the fund's `year` and
/// from the starting value `baseline` when given (as `indicatori.csv` has them).
pub(super) fn target(
    text: &str,
    description: &str,
    year: Option<i32>,
    baseline: Option<&str>,
    json: bool,
) -> Result<Output, CliError> {
    let mut t = crate::peg::target::read_target_in(text, description, year);
    if let Some(b) = baseline {
        let usage = |e: String| CliError::Usage(format!("errore: --valore-iniziale: {e}"));
        let (value, percent) = crate::peg::read_baseline(b).map_err(usage)?;
        t = t.with_baseline(value, percent).map_err(usage)?;
    }
    let stdout = if json {
        crate::output::target::json(&t)
    } else {
        crate::output::target::text(&t)
    };
    Ok(Output::text(stdout, Diagnostics::default()))
}

/// `ccdi confronta`: the same data under the rules A and B, or the previous year's certified
/// `fondo.json` (A) against this year (B), compared per manager and per fund line; on stdout,
/// or `confronto.xlsx` and `confronto.html` in `--out`.
pub(super) fn compare(
    rules: &Path,
    against: &Path,
    data: Option<&Path>,
    format: Formato,
    out: Option<PathBuf>,
    phases: &Phases,
) -> Result<Output, CliError> {
    use crate::output::compare as render;
    let certified = against
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let s = match certified {
        true => certified_sides(rules, against, data, phases)?,
        false => rules_sides(rules, against, data, phases)?,
    };
    let comparison =
        crate::compare::compare(&s.a, &s.b).map_err(|e| located(&s.b.file, e.to_string()))?;
    let report = render::Confronto {
        comparison: &comparison,
        fingerprints_a: &s.fingerprints_a,
        fingerprints_b: &s.fingerprints_b,
    };
    let Some(dir) = out else {
        let stdout = match format {
            Formato::Testo => render::text(&report),
            Formato::Csv => render::csv(&report),
            Formato::Json => render::json(&report),
        };
        return Ok(Output::text(stdout, s.warnings));
    };
    let files = render::files(&report).map_err(|e| located(&s.b.file, e))?;
    let mut on_disk = load::input_paths(Some(rules), data);
    on_disk.push(against.to_path_buf());
    let written = write::write_all(&dir, &files, &on_disk).map_err(CliError::Input)?;
    let mut warnings = s.warnings;
    warnings.extend(written.warnings);
    Ok(Output::text(written_list(&dir, &written.files), warnings))
}

/// The two sides of `confronta`, the files each read and the warnings of both.
struct Sides {
    a: crate::compare::Side,
    b: crate::compare::Side,
    fingerprints_a: Vec<crate::engine::Fingerprint>,
    fingerprints_b: Vec<crate::engine::Fingerprint>,
    warnings: Diagnostics,
}

/// The same data under the rules A and B; the errors of each run say which rules file they
/// were computed with.
fn rules_sides(
    rules: &Path,
    against: &Path,
    data: Option<&Path>,
    phases: &Phases,
) -> Result<Sides, CliError> {
    use crate::compare::Side;
    let (ia, oa, mut warnings) = year(
        &Year::new(Some(rules.to_path_buf()), data.map(Path::to_path_buf), None),
        Accept::Certified,
        phases,
    )
    .map_err(|e| run_of(e, rules, "--regole"))?;
    let (ib, ob, wb) = year(
        &Year::new(
            Some(against.to_path_buf()),
            data.map(Path::to_path_buf),
            None,
        ),
        Accept::Certified,
        phases,
    )
    .map_err(|e| run_of(e, against, "--contro"))?;
    for w in wb.list {
        if !warnings.list.contains(&w) {
            warnings.push(w);
        }
    }
    if (ia.rules.year, &ia.rules.ente) != (ib.rules.year, &ib.rules.ente) {
        warnings.push(Diagnostic::warning(
            Location::file(&ib.rules.file),
            format!(
                "le regole B sono di {} per l'anno {}, le regole A di {} per l'anno {}: il confronto mette a fianco enti o anni diversi; se si voleva confrontare lo stesso anno, correggere [ente] in uno dei due file",
                ib.rules.ente, ib.rules.year, ia.rules.ente, ia.rules.year
            ),
        ));
    }
    let overflow = |e: crate::compare::CompareError| located(&ib.rules.file, e.to_string());
    // B's data files are A's: only what B read besides them is listed under B.
    let own = ib
        .fingerprints
        .iter()
        .filter(|f| !ia.fingerprints.contains(f))
        .cloned()
        .collect();
    Ok(Sides {
        a: Side::of(&ia.rules, &oa).map_err(overflow)?,
        b: Side::of(&ib.rules, &ob).map_err(overflow)?,
        fingerprints_a: ia.fingerprints,
        fingerprints_b: own,
        warnings,
    })
}

/// The previous year as certified in its `fondo.json` (A) against this year computed from
/// `rules` and `data` (B); another ente, or a year other than the one before, is an avviso.
fn certified_sides(
    rules: &Path,
    certified: &Path,
    data: Option<&Path>,
    phases: &Phases,
) -> Result<Sides, CliError> {
    let (a, fingerprint) = load::load_compared(certified).map_err(CliError::Input)?;
    let (ib, ob, mut warnings) = year(
        &Year::new(Some(rules.to_path_buf()), data.map(Path::to_path_buf), None),
        Accept::Certified,
        phases,
    )?;
    if a.ente != ib.rules.ente || a.year != ib.rules.year - 1 {
        warnings.push(Diagnostic::warning(
            Location::file(&a.file),
            format!(
                "il fondo certificato è di {} per l'anno {}, il calcolo di {} per l'anno {}: il confronto con l'anno precedente vuole il fondo.json dello stesso ente per l'anno {}",
                a.ente, a.year, ib.rules.ente, ib.rules.year, ib.rules.year - 1
            ),
        ));
    }
    let b = crate::compare::Side::of(&ib.rules, &ob)
        .map_err(|e| located(&ib.rules.file, e.to_string()))?;
    Ok(Sides {
        a,
        b,
        fingerprints_a: vec![fingerprint],
        fingerprints_b: ib.fingerprints,
        warnings,
    })
}

/// The errors of one run of `confronta`, each not in the run's rules file naming it (`flag`
/// and the file), so that a problem of the data under one set of rules says which.
fn run_of(e: CliError, rules: &Path, flag: &str) -> CliError {
    let file = rules.display().to_string();
    match e {
        CliError::Input(mut diags) => {
            for d in diags.list.iter_mut().filter(|d| d.location.file != file) {
                d.message = format!("{} (calcolo con le regole di {flag} {file})", d.message);
            }
            CliError::Input(diags)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of the bundled year (which has every optional file) is in [`OUT_FILES`]: a
    /// new file of `calcola --out` must be added there.
    #[test]
    fn out_files_hold_every_file_of_the_bundled_year() {
        let (inputs, _) = load::load_inputs(None, None).unwrap_or_else(|d| panic!("{d}"));
        let outcome = engine::compute(&inputs).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<String> = crate::output::files::with_files(&inputs, &outcome, |files| {
            files.into_iter().map(|(n, _)| n).collect()
        });
        for n in &names {
            assert!(OUT_FILES.contains(&n.as_str()), "{n} manca da OUT_FILES");
        }
        assert_eq!(names.len(), OUT_FILES.len());
    }
}
