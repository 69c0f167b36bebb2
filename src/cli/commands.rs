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
        write::write_all_lazy(&dir, files, &inputs_on_disk)
    })
    .map_err(CliError::Input)?;
    Ok(Output::text(
        written_list(&dir, &written) + &verdict,
        warnings,
    ))
}

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
    let rows = crate::batch::run(dir, out).map_err(CliError::Input)?;
    let summary = crate::batch::summary_csv(&rows);
    let bad = rows.iter().filter(|r| !r.ok()).count();
    let stdout = match out {
        None => summary,
        Some(o) => {
            let written = write::write_all(
                o,
                &[("riepilogo.csv".to_string(), summary.into_bytes())],
                &[],
            )
            .map_err(CliError::Input)?;
            format!(
                "{} enti calcolati, {} con errori o vincoli violati; riepilogo in {}\n",
                rows.len(),
                bad,
                written
                    .first()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            )
        }
    };
    if bad > 0 {
        Err(CliError::Failed(stdout))
    } else {
        Ok(Output::text(stdout, Diagnostics::default()))
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
