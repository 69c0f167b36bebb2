//! The lock of an output folder: the file `.ccdi-blocco`, created with `create_new` (never
//! through a link, never over another run's lock), holding the run's process id, its start
//! time and a token of the process. A second run on the same folder stops at once with a
//! message naming the run that holds it (it does not wait: a run takes seconds, and a user
//! who launched two is better told than kept waiting). A lock whose run is gone is removed by
//! the next run, with an avviso: its process is not running (Linux: no `/proc/<pid>`, or a
//! process by that number started after the lock was made), or it is this process's number
//! with another token (a reused number), or, where processes cannot be looked up, it is
//! older than [`STALE_AFTER_SECS`]. A lock file left empty by a run killed while making it
//! is stale after a minute.
//!
//! Two runs finding the same stale lock at the same instant could both remove it; the
//! second re-reads it just before removing and keeps it when it changed, which leaves a
//! window of microseconds: acceptable for a lock that only exists after a kill.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::diag::io_message;

/// The lock file's name in the output folder.
pub const LOCK_FILE: &str = ".ccdi-blocco";

/// Age after which a lock is stale where processes cannot be looked up (24 hours: no run
/// writes for that long).
pub const STALE_AFTER_SECS: u64 = 24 * 60 * 60;

/// A lock file made by a run killed between creating and filling it is stale after this.
const EMPTY_STALE_AFTER_SECS: u64 = 60;

/// A held lock, removed when dropped (when still this run's).
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    content: String,
}

/// What the lock file says.
struct Owner {
    pid: u32,
    start: u64,
    token: String,
}

impl Drop for Lock {
    fn drop(&mut self) {
        if fs::read_to_string(&self.path).is_ok_and(|c| c == self.content) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// This process's token: random, made once, so that a lock left by an earlier process with
/// the same number (a container's process numbers repeat) is not taken for this one's.
fn process_token() -> &'static str {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN.get_or_init(super::staging::random_hex)
}

/// The start time as people read it (UTC).
fn shown_time(secs: u64) -> String {
    chrono::DateTime::from_timestamp(secs as i64, 0)
        .map(|t| t.format("%d/%m/%Y alle %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| format!("{secs} s dal 1970"))
}

impl Lock {
    /// Takes the lock of `dir` (an existing folder); the avvisi of a stale lock removed.
    pub fn acquire(dir: &Path) -> Result<(Lock, Vec<String>), String> {
        let path = dir.join(LOCK_FILE);
        let content = format!(
            "pid={}\ninizio={}\nprocesso={}\n",
            std::process::id(),
            now_secs(),
            process_token()
        );
        let mut notes = Vec::new();
        // Retried when the lock found was stale, or was released while being read.
        for _ in 0..3 {
            match create(&path, &content) {
                Ok(()) => return Ok((Lock { path, content }, notes)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    notes.extend(remove_if_stale(&path)?);
                }
                Err(e) => {
                    return Err(format!(
                        "impossibile creare il file di blocco {}: {}",
                        path.display(),
                        io_message(&e)
                    ))
                }
            }
        }
        Err(busy(&path, None))
    }
}

fn create(path: &Path, content: &str) -> std::io::Result<()> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(content.as_bytes())?;
    f.sync_all()
}

/// The message for a folder another run is writing.
fn busy(path: &Path, owner: Option<&Owner>) -> String {
    let who = match owner {
        Some(o) => format!(" (processo {}, avviato il {})", o.pid, shown_time(o.start)),
        None => String::new(),
    };
    format!(
        "un altro calcolo di ccdi sta scrivendo in questa cartella{who}: attendere che finisca e rilanciare, o indicare un'altra cartella; se nessun calcolo è in corso, eliminare il file {}",
        path.display()
    )
}

/// Removes the lock at `path` when its run is gone and says so (nothing to say when it was
/// released meanwhile); an error when it is held.
fn remove_if_stale(path: &Path) -> Result<Option<String>, String> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(format!(
                "impossibile leggere il file di blocco {}: {}",
                path.display(),
                io_message(&e)
            ))
        }
    };
    if !meta.file_type().is_file() {
        return Err(format!(
            "{} non è un file di blocco di ccdi (è un collegamento o una cartella): eliminarlo e rilanciare",
            path.display()
        ));
    }
    let text = fs::read_to_string(path).unwrap_or_default();
    let owner = parse(&text);
    let why = match &owner {
        Some(o) => match stale(o) {
            Some(why) => why,
            None => return Err(busy(path, owner.as_ref())),
        },
        None if age(&meta) > EMPTY_STALE_AFTER_SECS => {
            "il file è vuoto o illeggibile, lasciato da un calcolo interrotto mentre lo creava"
                .to_string()
        }
        None => return Err(busy(path, None)),
    };
    // Re-read just before removing: a run that took the stale lock meanwhile keeps it.
    if fs::read_to_string(path).unwrap_or_default() != text {
        return Err(busy(path, None));
    }
    fs::remove_file(path).map_err(|e| {
        format!(
            "impossibile rimuovere il file di blocco abbandonato {}: {}",
            path.display(),
            io_message(&e)
        )
    })?;
    Ok(Some(format!(
        "rimosso il file di blocco {} di un calcolo interrotto: {why}",
        path.display()
    )))
}

fn age(meta: &fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .unwrap_or(Duration::ZERO)
        .as_secs()
}

fn parse(text: &str) -> Option<Owner> {
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .map(str::to_string)
    };
    Some(Owner {
        pid: field("pid")?.parse().ok()?,
        start: field("inizio")?.parse().ok()?,
        token: field("processo")?,
    })
}

/// Why the lock's run is gone, or `None` when it may still be running.
fn stale(o: &Owner) -> Option<String> {
    let made = shown_time(o.start);
    if o.pid == std::process::id() {
        return (o.token != process_token())
            .then(|| format!("processo {} avviato il {made}, numero ora riusato", o.pid));
    }
    match process_start(o.pid) {
        Some(None) => Some(format!(
            "processo {} avviato il {made}, non più in esecuzione",
            o.pid
        )),
        // A process by that number started after the lock: the number was reused.
        Some(Some(started)) if started > o.start + 2 => Some(format!(
            "processo {} avviato il {made}, non più in esecuzione",
            o.pid
        )),
        Some(Some(_)) => None,
        None => (now_secs().saturating_sub(o.start) > STALE_AFTER_SECS).then(|| {
            format!(
                "processo {} avviato il {made}, più di {} ore fa",
                o.pid,
                STALE_AFTER_SECS / 3600
            )
        }),
    }
}

/// Whether process `pid` runs and when it started (seconds since 1970), from Linux's `/proc`:
/// `None` where `/proc` cannot tell, `Some(None)` when it does not run, `Some(Some(0))` when
/// it runs but its start is unknown.
fn process_start(pid: u32) -> Option<Option<u64>> {
    if !Path::new("/proc/self/stat").exists() {
        return None;
    }
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return Some(None);
    };
    // The fields after the command's name (which may hold spaces and parentheses); the
    // start is field 22, in clock ticks after boot (USER_HZ, 100 on Linux's ABI).
    let ticks: Option<u64> = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().nth(19)?.parse().ok());
    let boot: Option<u64> = fs::read_to_string("/proc/stat").ok().and_then(|s| {
        s.lines()
            .find_map(|l| l.strip_prefix("btime ")?.trim().parse().ok())
    });
    Some(Some(match (ticks, boot) {
        (Some(t), Some(b)) => b + t / 100,
        _ => 0,
    }))
}
