//! Batch mode (`calcola --lotto DIR`): one sub-folder per ente, each computed on its own, in
//! parallel, with one summary row per ente. A bad ente is a row with its errors, never the end
//! of the batch. The order of the summary is the sorted folder names, whatever the threads.
//! File access goes through `load`.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::audit::Verdict;
use crate::diag::Diagnostics;
use crate::input::files as load;
use crate::output::write;
use crate::output::{checklist, csv, json};
use crate::{audit, engine};

/// One ente's line of the summary (*riepilogo*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub folder: String,
    pub ente: String,
    pub year: String,
    pub fund: String,
    pub position_paid: String,
    pub result_paid: String,
    pub interim: String,
    pub economie: String,
    /// `rispettato`, `violato` or empty when the ente could not be computed.
    pub verifica: String,
    pub failed_checks: usize,
    pub warnings: usize,
    pub errors: usize,
    /// The first error, `file:line: message`, for a quick look.
    pub message: String,
}

impl Row {
    pub fn ok(&self) -> bool {
        self.errors == 0 && self.failed_checks == 0
    }
}

const HEADERS: [&str; 13] = [
    "cartella",
    "ente",
    "anno",
    "fondo",
    "posizione_erogata",
    "risultato_erogato",
    "interim",
    "economie",
    "verifica",
    "controlli_violati",
    "avvisi",
    "errori",
    "primo_errore",
];

fn failed(folder: &str, diags: &Diagnostics) -> Row {
    let first = diags.list.iter().find(|d| d.is_error()).map(|d| {
        let text = d.to_string();
        text.lines().next().unwrap_or_default().to_string()
    });
    Row {
        folder: folder.to_string(),
        ente: String::new(),
        year: String::new(),
        fund: String::new(),
        position_paid: String::new(),
        result_paid: String::new(),
        interim: String::new(),
        economie: String::new(),
        verifica: String::new(),
        failed_checks: 0,
        warnings: diags.warnings(),
        errors: diags.errors().max(1),
        message: first.unwrap_or_else(|| "errore".into()),
    }
}

/// Computes one ente folder; writes its outputs under `out/<folder>` when asked.
fn one(dir: &Path, folder: &str, out: Option<&Path>) -> Row {
    let rules = dir.join("regole.toml");
    let (inputs, warnings) = match load::load_inputs(Some(&rules), Some(dir)) {
        Ok(v) => v,
        Err(d) => return failed(folder, &d),
    };
    let outcome = match engine::compute(&inputs) {
        Ok(o) => o,
        Err(e) => {
            let d = Diagnostics(vec![crate::diag::Diagnostic::error(
                crate::diag::Location::file(&inputs.rules.file),
                e.to_string(),
            )]);
            return failed(folder, &d);
        }
    };
    let checks = audit::verify(&inputs, &outcome);
    let mut folder_warnings = 0;
    if let Some(out) = out {
        let inputs_on_disk = load::input_paths(Some(&rules), Some(dir));
        let files = ente_files(&inputs, &outcome, &checks);
        debug_assert!(files.iter().all(|(n, _)| ENTE_FILES.contains(&n.as_str())));
        // The ente's folder is created, never followed when it is a link.
        let written = write::Folder::open_inside(out, folder)
            .and_then(|mut f| f.replace_set(ENTE_FILES, write::eager(&files), &inputs_on_disk));
        match written {
            Ok(w) => folder_warnings = w.warnings.warnings(),
            Err(d) => return failed(folder, &d),
        }
    }
    let count = |v: Verdict| checks.iter().filter(|c| c.verdict == v).count();
    let mut row = summary_row(folder, &inputs, &outcome, count(Verdict::Fails));
    row.warnings = warnings.warnings() + count(Verdict::Warning) + folder_warnings;
    row
}

/// Every file a batch may write in an ente's folder: those a run does not write are
/// removed with the switch.
const ENTE_FILES: &[&str] = &[
    "fondo.json",
    "verifica.txt",
    "quadro-sintesi.csv",
    "retribuzioni-dirigenti.csv",
];

/// What a batch writes for each ente: the JSON, the checklist, the quadro di sintesi and
/// the managers' pay (the names of [`ENTE_FILES`]).
fn ente_files(
    inputs: &engine::Inputs,
    outcome: &engine::Outcome,
    checks: &[audit::Check],
) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        (
            "fondo.json".to_string(),
            json::report(inputs, outcome).into_bytes(),
        ),
        (
            "verifica.txt".to_string(),
            checklist::text(inputs, checks).into_bytes(),
        ),
    ];
    for (name, rows) in csv::tables(inputs, outcome) {
        if name == "quadro-sintesi.csv" || name == "retribuzioni-dirigenti.csv" {
            files.push((name.to_string(), csv::file(&rows).into_bytes()));
        }
    }
    files
}

/// The summary row of an ente computed (its warnings counted by the caller).
fn summary_row(
    folder: &str,
    inputs: &engine::Inputs,
    outcome: &engine::Outcome,
    failed_checks: usize,
) -> Row {
    let (pos, res, int, eco) = match &outcome.pay {
        Some(p) => {
            let r = &p.reconciliation;
            (
                r.position_paid.it(),
                r.result_paid.it(),
                r.interim.it(),
                r.economie.it(),
            )
        }
        None => Default::default(),
    };
    Row {
        folder: folder.to_string(),
        ente: inputs.rules.ente.clone(),
        year: inputs.rules.year.to_string(),
        fund: outcome.fund.fund.it(),
        position_paid: pos,
        result_paid: res,
        interim: int,
        economie: eco,
        verifica: if failed_checks > 0 {
            "violato"
        } else {
            "rispettato"
        }
        .to_string(),
        failed_checks,
        warnings: 0,
        errors: 0,
        message: String::new(),
    }
}

/// Runs every ente folder of `dir` (sorted by name) in parallel; the rows come back in that
/// order whatever the number of threads.
pub fn run(dir: &Path, out: Option<&Path>) -> Result<Vec<Row>, Diagnostics> {
    let folders: Vec<(String, PathBuf)> = load::list_subfolders(dir)?;
    Ok(folders
        .par_iter()
        .map(|(name, path)| one(path, name, out))
        .collect())
}

/// The summary CSV (`riepilogo.csv`).
pub fn summary_csv(rows: &[Row]) -> String {
    let mut table = vec![HEADERS.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    for r in rows {
        table.push(vec![
            r.folder.clone(),
            r.ente.clone(),
            r.year.clone(),
            r.fund.clone(),
            r.position_paid.clone(),
            r.result_paid.clone(),
            r.interim.clone(),
            r.economie.clone(),
            r.verifica.clone(),
            r.failed_checks.to_string(),
            r.warnings.to_string(),
            r.errors.to_string(),
            r.message.clone(),
        ]);
    }
    csv::file(&table)
}
