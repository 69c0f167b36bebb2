//! Replacing a set of output files as a whole, through a private staging folder.
//!
//! # The protocol
//! With the folder's lock held (see `lock`), in the output folder `D`:
//! 1. Create the staging folder `D/.ccdi-<16 hex digits>` with `create_dir` (mode 0700 on
//!    unix): a name that exists, or a link planted there, makes the creation fail and another
//!    name is drawn. The digits are a hash of the time, the process, a counter and the
//!    standard library's per-process random keys: unpredictable, and since `create_dir` and
//!    `create_new` refuse any existing name, a collision costs a retry, never a shared file.
//!    Inside it, `nuovi/` and `vecchi/`.
//! 2. Write every new file into `nuovi/` (`create_new`, never through a link), synced.
//! 3. **Commit**: create the marker `fase` in the staging folder (synced, with the folder).
//!    Before it exists nothing of `D` has changed; after it, every new file is whole on disk.
//! 4. Move each existing old file `D/<name>` aside to `vecchi/<name>` (with the old files
//!    of the set that this run does not write, so that none outlives its set), then each new
//!    file from `nuovi/<name>` to `D/<name>` (renames within one disk: each one is atomic).
//! 5. Sync `D`, remove the marker, then the staging folder with the old files.
//!
//! A failure in step 4 is undone at once: the new files moved in go back to `nuovi/`, the old
//! ones back from `vecchi/`, and the staging folder is removed (the marker first): wholly old.
//!
//! A run killed at any point leaves the staging folder; the next run on the folder (holding
//! the lock, so the folder's owner is dead) finds it and:
//! - without the marker (killed in steps 1-2, or while removing the folder in step 5 or
//!   after an undo): removes it; `D` holds the old files (or the new ones, when step 5 had
//!   begun): never a mix;
//! - with the marker (killed in step 3-5 or during an undo): completes the switch by moving
//!   every file still in `nuovi/` to `D/<name>` (replacing what is there, the old file), then
//!   removes the folder: wholly new.
//!
//! Between a kill and the next run, `D` may hold a mix: no set of files in a folder can be
//! swapped in one operation; the next run (any command writing to `D`) repairs it first,
//! with an avviso. The links are checked by path: a user racing this run to swap a folder
//! for a link after the checks is out of reach of the standard library's calls.

use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diag::io_message;

use super::{Failure, Producer};

/// The staging folders' prefix; the rest of the name is 16 hex digits.
pub const STAGING_PREFIX: &str = ".ccdi-";

/// The commit marker in the staging folder.
const MARKER: &str = "fase";
const NEW: &str = "nuovi";
const OLD: &str = "vecchi";

/// A point of the protocol, told to the hook before it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// Creating the staging folder at this path.
    Staging(&'a Path),
    /// Writing this new file into the staging folder.
    Write(&'a str),
    /// Creating the marker.
    Commit,
    /// Moving this old file aside.
    Aside(&'a str),
    /// Moving this new file in.
    Enter(&'a str),
    /// Removing the marker and the staging folder.
    Finish,
}

/// What a test hook makes happen at a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Injected {
    /// The step fails as an input/output error would (the run undoes what it did).
    Fail,
    /// The run stops there as if killed: nothing is undone or removed.
    Kill,
}

/// Called before every step: the real runs pass one that lets every step happen; the tests
/// inject failures and kills with it.
pub type Hook<'h> = &'h mut dyn FnMut(Step<'_>) -> Result<(), Injected>;

/// Why a replacement stopped.
pub enum Stop {
    /// A located message (the failure undone, or said how it will be completed).
    Failed(Failure),
    /// A kill injected by a test hook: everything left as it was at that instant.
    Killed,
}

/// A step that did not happen: killed, or an input/output error at a path.
enum Trip {
    Kill,
    Io(PathBuf, io::Error),
}

/// Lets the hook decide on a step about `path`.
fn gate(hook: Hook<'_>, step: Step<'_>, path: &Path) -> Result<(), Trip> {
    match hook(step) {
        Ok(()) => Ok(()),
        Err(Injected::Kill) => Err(Trip::Kill),
        Err(Injected::Fail) => Err(Trip::Io(
            path.to_path_buf(),
            io::Error::other(format!("errore simulato al passo {step:?}")),
        )),
    }
}

/// A trip as a stop: an error says what could not be done at which path.
fn stop(trip: Trip, what: &str) -> Stop {
    match trip {
        Trip::Kill => Stop::Killed,
        Trip::Io(path, e) => Stop::Failed(Failure::Io(io::Error::new(
            e.kind(),
            format!("impossibile {what} {}: {}", path.display(), io_message(&e)),
        ))),
    }
}

/// An input/output result at `path` as a trip.
fn at<T>(path: &Path, r: io::Result<T>) -> Result<T, Trip> {
    r.map_err(|e| Trip::Io(path.to_path_buf(), e))
}

/// 16 hex digits nobody can predict (see the module docs).
pub fn random_hex() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    h.write_u128(now);
    format!("{:016x}", h.finish())
}

/// Whether a folder entry's name is a staging folder's.
pub fn is_staging_name(name: &str) -> bool {
    name.strip_prefix(STAGING_PREFIX)
        .is_some_and(|hex| hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn private_dir(path: &Path) -> io::Result<()> {
    let mut b = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(path)
}

/// Syncs a folder's entries (renames) to disk; nothing to do where folders cannot be opened.
fn sync_dir(path: &Path) -> io::Result<()> {
    if cfg!(unix) {
        fs::File::open(path)?.sync_all()?;
    }
    Ok(())
}

/// Replaces the files of `dir` named in `files` by the new ones, and removes the files named
/// in `retire`, as a whole (see the module docs); the lock of `dir` must be held. Returns the
/// avvisi of a staging folder that could not be removed at the end.
pub fn replace(
    dir: &Path,
    files: Vec<(String, Producer)>,
    retire: &[String],
    hook: Hook<'_>,
) -> Result<Vec<String>, Stop> {
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let staging = create_staging(dir, hook).map_err(|t| stop(t, "creare la cartella di lavoro"))?;
    if let Err(s) = write_new(dir, &staging, files, hook) {
        if !matches!(s, Stop::Killed) {
            let _ = fs::remove_dir_all(&staging);
        }
        return Err(s);
    }
    commit(&staging, hook).map_err(|t| {
        if !matches!(t, Trip::Kill) {
            let _ = fs::remove_dir_all(&staging);
        }
        stop(t, "registrare la fine della scrittura in")
    })?;
    switch(dir, &staging, (&names, retire), hook)?;
    let finished = match gate(hook, Step::Finish, &staging) {
        Ok(()) => finish(dir, &staging),
        Err(Trip::Kill) => return Err(Stop::Killed),
        Err(Trip::Io(_, e)) => Err(e),
    };
    Ok(match finished {
        Ok(()) => Vec::new(),
        Err(e) => vec![format!(
            "i file sono stati scritti, ma la cartella di lavoro {} non è stata rimossa ({}): la rimuoverà il prossimo calcolo su questa cartella",
            staging.display(),
            io_message(&e)
        )],
    })
}

/// Creates a fresh staging folder in `dir` (step 1).
fn create_staging(dir: &Path, hook: Hook<'_>) -> Result<PathBuf, Trip> {
    let mut last = None;
    for _ in 0..16 {
        let path = dir.join(format!("{STAGING_PREFIX}{}", random_hex()));
        gate(hook, Step::Staging(&path), &path)?;
        match private_dir(&path) {
            Ok(()) => {
                let subs = [NEW, OLD]
                    .iter()
                    .try_for_each(|sub| fs::create_dir(path.join(sub)));
                if let Err(e) = subs {
                    let _ = fs::remove_dir_all(&path);
                    return Err(Trip::Io(path, e));
                }
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some((path, e)),
            Err(e) => return Err(Trip::Io(path, e)),
        }
    }
    let (path, e) =
        last.unwrap_or_else(|| (dir.to_path_buf(), io::ErrorKind::AlreadyExists.into()));
    Err(Trip::Io(path, e))
}

/// Writes the new files into the staging folder (step 2).
/// An error names the file's final path, which is what the user knows.
fn write_new(
    dir: &Path,
    staging: &Path,
    files: Vec<(String, Producer)>,
    hook: Hook<'_>,
) -> Result<(), Stop> {
    for (name, make) in files {
        let path = staging.join(NEW).join(&name);
        let shown = dir.join(&name);
        gate(hook, Step::Write(&name), &shown).map_err(|t| stop(t, "scrivere"))?;
        let written = (|| -> Result<(), Failure> {
            let file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?;
            let mut w = io::BufWriter::new(file);
            make(&mut w)?;
            w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            Ok(())
        })();
        match written {
            Ok(()) => {}
            Err(Failure::Io(e)) => return Err(stop(Trip::Io(shown, e), "scrivere")),
            Err(f) => return Err(Stop::Failed(f)),
        }
    }
    Ok(())
}

/// Creates the marker: from now on the switch is completed, never undone, after a kill
/// (step 3).
fn commit(staging: &Path, hook: Hook<'_>) -> Result<(), Trip> {
    let marker = staging.join(MARKER);
    gate(hook, Step::Commit, &marker)?;
    let mut f = at(
        &marker,
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&marker),
    )?;
    at(&marker, f.write_all(b"sostituzione in corso\n"))?;
    at(&marker, f.sync_all())?;
    at(staging, sync_dir(staging))
}

/// Moves the old files aside and the new ones in (step 4); a failure is undone.
fn switch(
    dir: &Path,
    staging: &Path,
    (names, retire): (&[String], &[String]),
    hook: Hook<'_>,
) -> Result<(), Stop> {
    let mut aside: Vec<&str> = Vec::new();
    let mut entered: Vec<&str> = Vec::new();
    let moved = (|| -> Result<(), Trip> {
        for name in names.iter().chain(retire) {
            let target = dir.join(name);
            gate(hook, Step::Aside(name), &target)?;
            if fs::symlink_metadata(&target).is_ok() {
                at(&target, fs::rename(&target, staging.join(OLD).join(name)))?;
                aside.push(name);
            }
        }
        for name in names {
            let target = dir.join(name);
            gate(hook, Step::Enter(name), &target)?;
            at(&target, fs::rename(staging.join(NEW).join(name), &target))?;
            entered.push(name);
        }
        Ok(())
    })();
    match moved {
        Ok(()) => Ok(()),
        Err(Trip::Kill) => Err(Stop::Killed),
        Err(Trip::Io(path, e)) => {
            let then = match undo(dir, staging, &aside, &entered) {
                Ok(()) => "i file precedenti sono rimasti al loro posto".to_string(),
                Err(u) => format!(
                    "non è stato possibile rimettere al loro posto i file precedenti ({}): il prossimo calcolo su questa cartella completerà la sostituzione",
                    io_message(&u)
                ),
            };
            Err(Stop::Failed(Failure::Io(io::Error::new(
                e.kind(),
                format!(
                    "impossibile sostituire {}: {}; {then}",
                    path.display(),
                    io_message(&e)
                ),
            ))))
        }
    }
}

/// Puts back the old files after a failed switch and removes the staging folder; on a
/// failure the marker stays, so that the next run completes the switch.
fn undo(dir: &Path, staging: &Path, aside: &[&str], entered: &[&str]) -> io::Result<()> {
    for name in entered.iter().rev() {
        fs::rename(dir.join(name), staging.join(NEW).join(name))?;
    }
    for name in aside.iter().rev() {
        fs::rename(staging.join(OLD).join(name), dir.join(name))?;
    }
    discard(staging)
}

/// Removes a staging folder, its marker first (so that a kill meanwhile never leaves a
/// marker with only part of the new files).
fn discard(staging: &Path) -> io::Result<()> {
    match fs::remove_file(staging.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir_all(staging)
}

/// Step 5: the new files are in place.
fn finish(dir: &Path, staging: &Path) -> io::Result<()> {
    sync_dir(dir)?;
    discard(staging)
}

/// Completes or removes the staging folders of dead runs in `dir` (the lock held): the
/// avvisi saying what was done, or an error when a folder could not be dealt with.
pub fn recover(dir: &Path) -> Result<Vec<String>, String> {
    let entries = fs::read_dir(dir)
        .map_err(|e| format!("impossibile leggere la cartella: {}", io_message(&e)))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| is_staging_name(&e.file_name().to_string_lossy()))
        // A link with a staging folder's name is not one of ours: never followed.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found.iter().map(|s| recover_one(dir, s)).collect()
}

fn recover_one(dir: &Path, staging: &Path) -> Result<String, String> {
    let failed = |e: io::Error| {
        format!(
            "impossibile completare o rimuovere la cartella di lavoro {} lasciata da un calcolo interrotto: {}; rimuoverla a mano e rilanciare",
            staging.display(),
            io_message(&e)
        )
    };
    if fs::symlink_metadata(staging.join(MARKER)).is_err() {
        discard(staging).map_err(failed)?;
        return Ok(format!(
            "rimossa la cartella di lavoro {} di un calcolo interrotto prima di sostituire i file: i file della cartella non erano stati toccati",
            staging.display()
        ));
    }
    let new = staging.join(NEW);
    let mut moved = 0;
    for e in fs::read_dir(&new).map_err(failed)? {
        let e = e.map_err(failed)?;
        if e.file_type().is_ok_and(|t| t.is_file()) {
            fs::rename(e.path(), dir.join(e.file_name())).map_err(failed)?;
            moved += 1;
        }
    }
    sync_dir(dir).map_err(failed)?;
    discard(staging).map_err(failed)?;
    Ok(format!(
        "completata la sostituzione dei file di un calcolo interrotto mentre li spostava (cartella di lavoro {}, {moved} file spostati): ora la cartella contiene per intero i file di quel calcolo",
        staging.display()
    ))
}
