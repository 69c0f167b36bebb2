//! Writing output files (the only writing besides the generator's): a set of outputs is
//! written all together, each file to a temporary name first and all renamed only when all
//! are written, so that an error leaves the earlier outputs as they were; a file that would
//! replace an input is refused before anything is written.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diag::{io_message, Diagnostic, Diagnostics, Location};

/// Writes an output file's bytes: called when its turn comes, with the file's temporary
/// writer, so that a large ente's outputs are made one at a time (the JSON is never whole in
/// memory). A failure stops the writing as any write error does.
pub type Producer<'a> = Box<dyn FnOnce(&mut dyn Write) -> Result<(), Failure> + 'a>;

/// Why an output could not be written.
pub enum Failure {
    Io(std::io::Error),
    /// The output could not be made (e.g. the workbook), with its located message.
    Input(Diagnostics),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        Failure::Io(e)
    }
}

/// Writes every output file into `dir` all together (see the module docs).
pub fn write_all(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    inputs: &[PathBuf],
) -> Result<Vec<PathBuf>, Diagnostics> {
    let lazy: Vec<(String, Producer)> = files
        .iter()
        .map(|(name, bytes)| {
            let make: Producer = Box::new(move |w| Ok(w.write_all(bytes)?));
            (name.clone(), make)
        })
        .collect();
    write_all_lazy(dir, lazy, inputs)
}

/// [`write_all`] with each file made just before it is written.
pub fn write_all_lazy(
    dir: &Path,
    files: Vec<(String, Producer)>,
    inputs: &[PathBuf],
) -> Result<Vec<PathBuf>, Diagnostics> {
    let shown = dir.display().to_string();
    let fail = |msg: String| Diagnostics(vec![Diagnostic::error(Location::file(&shown), msg)]);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    refuse_targets(dir, &names, inputs).map_err(fail)?;
    fs::create_dir_all(dir).map_err(|e| {
        fail(format!(
            "impossibile creare la cartella: {}",
            io_message(&e)
        ))
    })?;
    let temps = write_temporaries(dir, files, &fail)?;
    for (tmp, target) in &temps {
        if let Err(e) = fs::rename(tmp, target) {
            remove_temporaries(&temps);
            return Err(fail(format!(
                "impossibile scrivere {}: {}",
                target.display(),
                io_message(&e)
            )));
        }
    }
    Ok(temps.into_iter().map(|(_, t)| t).collect())
}

/// Why a set of outputs may not be written at all: a file would replace an input, or a
/// folder.
fn refuse_targets(dir: &Path, names: &[&str], inputs: &[PathBuf]) -> Result<(), String> {
    for name in names {
        let target = dir.join(name);
        if inputs.iter().any(|i| same_file(i, &target)) {
            return Err(format!(
                "--out scriverebbe sopra il file di ingresso {}: scegliere un'altra cartella (i file di ingresso non vengono mai sovrascritti)",
                target.display()
            ));
        }
    }
    for name in names {
        let target = dir.join(name);
        if target.is_dir() {
            return Err(format!(
                "{} è una cartella: non può essere sostituita da un file",
                target.display()
            ));
        }
    }
    Ok(())
}

/// Each file made and written to its temporary name, synced: the pairs (temporary, target).
/// On a failure the temporaries written so far are removed.
fn write_temporaries(
    dir: &Path,
    files: Vec<(String, Producer)>,
    fail: &impl Fn(String) -> Diagnostics,
) -> Result<Vec<(PathBuf, PathBuf)>, Diagnostics> {
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (name, make) in files {
        let target = dir.join(&name);
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let written = (|| -> Result<(), Failure> {
            let mut w = std::io::BufWriter::new(fs::File::create(&tmp)?);
            make(&mut w)?;
            let f = w.into_inner().map_err(|e| e.into_error())?;
            f.sync_all()?;
            Ok(())
        })();
        temps.push((tmp, target));
        match written {
            Ok(()) => {}
            Err(Failure::Io(e)) => {
                remove_temporaries(&temps);
                return Err(fail(format!(
                    "impossibile scrivere {name}: {}",
                    io_message(&e)
                )));
            }
            Err(Failure::Input(d)) => {
                remove_temporaries(&temps);
                return Err(d);
            }
        }
    }
    Ok(temps)
}

fn remove_temporaries(temps: &[(PathBuf, PathBuf)]) {
    for (tmp, _) in temps {
        let _ = fs::remove_file(tmp);
    }
}

/// True when two paths name the same existing file (used to refuse overwriting an input).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Writes a set of starting files (`ccdi modelli`, `ccdi esempio`) into `dir`, which must be
/// new or empty: no file already there is ever replaced.
pub fn write_new(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, Diagnostics> {
    let shown = dir.display().to_string();
    let fail = |msg: String| Diagnostics(vec![Diagnostic::error(Location::file(&shown), msg)]);
    if dir.exists() && !dir.is_dir() {
        return Err(fail(
            "non è una cartella: indicare una cartella nuova o vuota".to_string(),
        ));
    }
    if dir.exists() {
        let entries = fs::read_dir(dir).map_err(|e| {
            fail(format!(
                "impossibile leggere la cartella: {}; indicare una cartella nuova o vuota",
                io_message(&e)
            ))
        })?;
        let mut present: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        if !present.is_empty() {
            present.sort();
            let more = if present.len() > 3 { ", ..." } else { "" };
            present.truncate(3);
            return Err(fail(format!(
                "la cartella non è vuota (contiene {}{more}): indicare una cartella nuova o vuota, nessun file viene sovrascritto",
                present.join(", ")
            )));
        }
    }
    write_all(dir, files, &[])
}

/// Writes generated files (`ente-00001/regole.toml`, ...) under `dir`, creating folders.
pub fn write_tree(dir: &Path, files: Vec<(String, Vec<u8>)>) -> Result<(), Diagnostics> {
    let shown = dir.display().to_string();
    let fail = |msg: String| Diagnostics(vec![Diagnostic::error(Location::file(&shown), msg)]);
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                fail(format!(
                    "impossibile creare {}: {}",
                    parent.display(),
                    io_message(&e)
                ))
            })?;
        }
        fs::write(&path, bytes)
            .map_err(|e| fail(format!("impossibile scrivere {rel}: {}", io_message(&e))))?;
    }
    Ok(())
}
