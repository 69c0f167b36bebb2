//! Writing files, the only writing to disk: a set of outputs replaces the folder's earlier
//! ones as a whole, or not at all; the generator's tree ([`write_tree`]) is written file by
//! file, never through a link either.
//!
//! An output folder is opened ([`Folder`]): created when missing, locked against a second run
//! (`lock`: a run finding the folder locked stops at once, saying by whom), and the
//! leftovers of an interrupted run repaired. Its files are then written into a private
//! staging folder and switched in by a protocol that a kill at any point leaves wholly old or,
//! after the next run, wholly new (`staging`, whose docs state it). Nothing is ever written
//! through a link: temporaries are created with `create_new` under unpredictable names; a
//! link at a file name to be replaced, or a batch's ente folder that is a link, is refused
//! before anything is written (the output folder itself may be a link: the user's choice). A
//! file that would replace an input is refused too. Every operating-system error is told in
//! Italian with its path ([`io_message`]).

mod lock;
mod staging;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diag::{io_message, Diagnostic, Diagnostics, Location};

pub use lock::{LOCK_FILE, STALE_AFTER_SECS};
pub use staging::{is_staging_name, Hook, Injected, Step, STAGING_PREFIX};

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

/// What a set of outputs wrote: the files, and the avvisi about the folder (a dead run's lock
/// or staging folder dealt with).
#[derive(Debug, Default)]
pub struct Written {
    pub files: Vec<PathBuf>,
    pub warnings: Diagnostics,
}

/// An output folder opened for writing: it exists, this run holds its lock (until dropped),
/// and what interrupted runs left is repaired.
#[derive(Debug)]
pub struct Folder {
    dir: PathBuf,
    lock: Option<lock::Lock>,
    /// The avvisi of the opening, handed out with the next set written.
    warnings: Diagnostics,
}

fn located(dir: &Path, msg: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        Location::file(&dir.display().to_string()),
        msg,
    )])
}

impl Folder {
    /// Opens `dir`, created with its parents when missing; `dir` may be a link to a folder.
    pub fn open(dir: &Path) -> Result<Folder, Diagnostics> {
        if fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
            return Err(located(
                dir,
                "non è una cartella ma un file: indicare una cartella".to_string(),
            ));
        }
        fs::create_dir_all(dir).map_err(|e| {
            located(
                dir,
                format!("impossibile creare la cartella: {}", io_message(&e)),
            )
        })?;
        Folder::lock(dir)
    }

    /// Opens the folder `name` inside `parent` (a batch's ente folder): created when missing;
    /// when it exists it must be a folder, never a link, which is refused untouched.
    pub fn open_inside(parent: &Path, name: &str) -> Result<Folder, Diagnostics> {
        let dir = parent.join(name);
        match fs::create_dir(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(located(
                    &dir,
                    format!("impossibile creare la cartella: {}", io_message(&e)),
                ))
            }
        }
        let kind = fs::symlink_metadata(&dir).map(|m| m.file_type());
        if kind.as_ref().is_ok_and(|k| k.is_symlink()) {
            return Err(located(&dir, "è un collegamento simbolico a un'altra cartella: ccdi non scrive attraverso i collegamenti; eliminarlo (il suo contenuto non viene toccato) o indicare un'altra cartella di uscita".to_string()));
        }
        if !kind.is_ok_and(|k| k.is_dir()) {
            return Err(located(
                &dir,
                "non è una cartella: eliminarlo o indicare un'altra cartella di uscita".to_string(),
            ));
        }
        Folder::lock(&dir)
    }

    fn lock(dir: &Path) -> Result<Folder, Diagnostics> {
        let (lock, mut notes) = lock::Lock::acquire(dir).map_err(|m| located(dir, m))?;
        notes.extend(staging::recover(dir).map_err(|m| located(dir, m))?);
        let shown = dir.display().to_string();
        let warnings = notes
            .into_iter()
            .map(|n| Diagnostic::warning(Location::file(&shown), n))
            .collect();
        Ok(Folder {
            dir: dir.to_path_buf(),
            lock: Some(lock),
            warnings: Diagnostics(warnings),
        })
    }

    /// The avvisi of the opening (a dead run's lock or staging folder dealt with), until
    /// handed out with the next set written.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// Replaces the folder's files named in `files` by the new ones, as a whole; a file that
    /// would replace an input (`inputs`), a folder or a link is refused before anything is
    /// written.
    pub fn replace(
        &mut self,
        files: Vec<(String, Producer)>,
        inputs: &[PathBuf],
    ) -> Result<Written, Diagnostics> {
        self.replace_with(files, &[], inputs, &mut |_| Ok(()))
    }

    /// [`Folder::replace`] for a command whose outputs are the set `owned`, of which `files`
    /// are this run's: the other files of the set found in the folder (an earlier run's, say
    /// the amounts to pay of a year with managers) are removed in the same switch, so that
    /// the folder never holds two runs' files. Only plain files are removed.
    pub fn replace_set(
        &mut self,
        owned: &[&str],
        files: Vec<(String, Producer)>,
        inputs: &[PathBuf],
    ) -> Result<Written, Diagnostics> {
        self.replace_with(files, owned, inputs, &mut |_| Ok(()))
    }

    /// [`Folder::replace`] with a hook told every step of the switch before it is done (the
    /// tests inject failures and kills with it; a kill leaves the lock as a dead run would).
    #[doc(hidden)]
    pub fn replace_with(
        &mut self,
        files: Vec<(String, Producer)>,
        owned: &[&str],
        inputs: &[PathBuf],
        hook: Hook<'_>,
    ) -> Result<Written, Diagnostics> {
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        refuse_targets(&self.dir, &names, inputs).map_err(|m| located(&self.dir, m))?;
        let written: Vec<PathBuf> = names.iter().map(|n| self.dir.join(n)).collect();
        let retire: Vec<String> = owned
            .iter()
            .filter(|n| !names.contains(n))
            .filter(|n| fs::symlink_metadata(self.dir.join(n)).is_ok_and(|m| m.is_file()))
            .map(|n| n.to_string())
            .collect();
        let notes = match staging::replace(&self.dir, files, &retire, hook) {
            Ok(notes) => notes,
            Err(staging::Stop::Failed(Failure::Input(d))) => return Err(d),
            Err(staging::Stop::Failed(Failure::Io(e))) => {
                return Err(located(&self.dir, e.to_string()))
            }
            Err(staging::Stop::Killed) => {
                std::mem::forget(self.lock.take());
                return Err(located(&self.dir, "calcolo interrotto (simulato)".into()));
            }
        };
        let mut warnings = std::mem::take(&mut self.warnings);
        for n in notes {
            warnings.push(Diagnostic::warning(
                Location::file(&self.dir.display().to_string()),
                n,
            ));
        }
        Ok(Written {
            files: written,
            warnings,
        })
    }
}

/// Writes every output file into `dir` as a whole (see the module docs).
pub fn write_all(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    inputs: &[PathBuf],
) -> Result<Written, Diagnostics> {
    write_all_lazy(dir, eager(files), inputs)
}

/// The files' bytes as producers.
pub fn eager(files: &[(String, Vec<u8>)]) -> Vec<(String, Producer<'_>)> {
    files
        .iter()
        .map(|(name, bytes)| {
            let make: Producer = Box::new(move |w| Ok(w.write_all(bytes)?));
            (name.clone(), make)
        })
        .collect()
}

/// [`write_all`] with each file made just before it is written.
pub fn write_all_lazy(
    dir: &Path,
    files: Vec<(String, Producer)>,
    inputs: &[PathBuf],
) -> Result<Written, Diagnostics> {
    Folder::open(dir)?.replace(files, inputs)
}

/// Why a set of outputs may not be written at all: a file would replace an input, a folder,
/// or a link (which would be replaced by the file, and whose target someone meant to be
/// written: neither is what the user expects).
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
        let Ok(meta) = fs::symlink_metadata(&target) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            return Err(format!(
                "{} è un collegamento simbolico: ccdi non scrive attraverso i collegamenti; eliminarlo (il file a cui punta non viene toccato) o indicare un'altra cartella",
                target.display()
            ));
        }
        if meta.is_dir() {
            return Err(format!(
                "{} è una cartella: non può essere sostituita da un file",
                target.display()
            ));
        }
    }
    Ok(())
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
pub fn write_new(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Written, Diagnostics> {
    if dir.exists() && !dir.is_dir() {
        return Err(located(
            dir,
            "non è una cartella: indicare una cartella nuova o vuota".to_string(),
        ));
    }
    // Checked before the folder is locked (a full folder is left as it was, with no lock made
    // in it) and again after (an interrupted run's files may have been completed meanwhile).
    if dir.exists() {
        refuse_full(dir)?;
    }
    let mut folder = Folder::open(dir)?;
    refuse_full(dir)?;
    folder.replace(eager(files), &[])
}

/// An error when `dir` holds anything but ccdi's own lock and staging folders.
fn refuse_full(dir: &Path) -> Result<(), Diagnostics> {
    let entries = fs::read_dir(dir).map_err(|e| {
        located(
            dir,
            format!(
                "impossibile leggere la cartella: {}; indicare una cartella nuova o vuota",
                io_message(&e)
            ),
        )
    })?;
    let mut present: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n != LOCK_FILE && !is_staging_name(n))
        .collect();
    if present.is_empty() {
        return Ok(());
    }
    present.sort();
    let more = if present.len() > 3 { ", ..." } else { "" };
    present.truncate(3);
    Err(located(dir, format!(
        "la cartella non è vuota (contiene {}{more}): indicare una cartella nuova o vuota, nessun file viene sovrascritto",
        present.join(", ")
    )))
}

/// Writes generated files (`ente-00001/regole.toml`, ...) under `dir`, creating folders;
/// never through a link: a folder or a file of the tree that is a link is refused, a file
/// already there is removed and created anew (`create_new`).
pub fn write_tree(dir: &Path, files: Vec<(String, Vec<u8>)>) -> Result<(), Diagnostics> {
    fs::create_dir_all(dir).map_err(|e| {
        located(
            dir,
            format!("impossibile creare la cartella: {}", io_message(&e)),
        )
    })?;
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        let mut folder = dir.to_path_buf();
        let parts: Vec<_> = Path::new(&rel).components().collect();
        for part in &parts[..parts.len().saturating_sub(1)] {
            folder.push(part);
            match fs::create_dir(&folder) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                    let msg = format!(
                        "impossibile creare {}: {}",
                        folder.display(),
                        io_message(&e)
                    );
                    return Err(located(dir, msg));
                }
                _ => plain(&folder, true).map_err(|m| located(dir, m))?,
            }
        }
        if fs::symlink_metadata(&path).is_ok() {
            plain(&path, false).map_err(|m| located(dir, m))?;
            fs::remove_file(&path).map_err(|e| {
                located(
                    dir,
                    format!("impossibile sostituire {rel}: {}", io_message(&e)),
                )
            })?;
        }
        let written = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(&bytes));
        written.map_err(|e| {
            located(
                dir,
                format!("impossibile scrivere {rel}: {}", io_message(&e)),
            )
        })?;
    }
    Ok(())
}

/// An error unless `path` is a plain folder (`folder`) or a plain file, never a link.
fn plain(path: &Path, folder: bool) -> Result<(), String> {
    let kind = fs::symlink_metadata(path).map(|m| m.file_type());
    match kind {
        Ok(k) if k.is_symlink() => Err(format!(
            "{} è un collegamento simbolico: ccdi non scrive attraverso i collegamenti; eliminarlo o indicare un'altra cartella",
            path.display()
        )),
        Ok(k) if k.is_dir() == folder => Ok(()),
        Ok(_) if folder => Err(format!("{} non è una cartella: eliminarlo o indicare un'altra cartella", path.display())),
        Ok(_) => Err(format!("{} è una cartella: non può essere sostituita da un file", path.display())),
        Err(e) => Err(format!("impossibile leggere {}: {}", path.display(), io_message(&e))),
    }
}
