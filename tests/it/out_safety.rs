//! Outputs that cannot be hijacked or mixed (`output::write`): no link is written through
//! (at the temporary names the older code used, at or inside the staging folder, at a file
//! name replaced, at a batch's ente folder); a failure or a kill at every step of the switch
//! leaves wholly old files or, after the next run, wholly new ones; two runs on one folder
//! never mix; a dead run's lock and staging folder are removed with an avviso; the operating
//! system's errors are told in Italian.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

use ccdi::diag::io_message;
use ccdi::output::write::{write_all, Folder, Injected, Producer, Step, LOCK_FILE, STAGING_PREFIX};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ccdi-outsafe-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn ccdi(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ccdi"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run ccdi")
}

const NAMES: [&str; 3] = ["fondo.json", "fondo.txt", "verifica.txt"];

/// The set of files of one run, each saying which run made it.
fn set(tag: &str) -> Vec<(String, Vec<u8>)> {
    NAMES
        .iter()
        .map(|n| (n.to_string(), format!("{tag} {n}").into_bytes()))
        .collect()
}

fn producers(files: &[(String, Vec<u8>)]) -> Vec<(String, Producer<'_>)> {
    ccdi::output::write::eager(files)
}

/// Every entry of a folder (hidden ones included) with its content, links shown as such.
fn tree(dir: &Path) -> BTreeMap<String, String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().to_string();
            let kind = e.file_type().unwrap();
            let what = if kind.is_symlink() {
                format!("-> {}", fs::read_link(e.path()).unwrap().display())
            } else if kind.is_dir() {
                "<cartella>".to_string()
            } else {
                fs::read_to_string(e.path()).unwrap_or_default()
            };
            (name, what)
        })
        .collect()
}

/// The folder as the set `tag` leaves it, and nothing else.
fn expect_set(dir: &Path, tag: &str) {
    let expected: BTreeMap<String, String> = NAMES
        .iter()
        .map(|n| (n.to_string(), format!("{tag} {n}")))
        .collect();
    assert_eq!(tree(dir), expected);
}

/// Links planted at the names `.NAME.PID.tmp` the older code wrote to are never written
/// through: the file they point to keeps its bytes, and the links stay as they were.
#[test]
fn links_at_the_old_temporary_names_are_not_written_through() {
    let dir = scratch("vecchi-temporanei");
    let out = dir.join("uscita");
    fs::create_dir(&out).unwrap();
    let victim = dir.join("regole.toml");
    fs::write(&victim, "da non toccare").unwrap();
    for n in NAMES {
        let tmp = out.join(format!(".{n}.{}.tmp", std::process::id()));
        symlink(&victim, tmp).unwrap();
    }
    write_all(&out, &set("nuovo"), &[]).unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "da non toccare");
    let left = tree(&out);
    assert_eq!(left.len(), 6, "{left:?}");
    for n in NAMES {
        assert_eq!(left[n], format!("nuovo {n}"));
    }
}

/// A link planted at the staging folder's name as it is drawn is not followed (another
/// name is drawn and the folder it points to stays empty); one planted inside the staging
/// folder at a file's name makes the write fail, the file it points to untouched and the old
/// files in place.
#[test]
fn links_at_or_inside_the_staging_folder_are_not_followed() {
    let dir = scratch("cartella-di-lavoro");
    let out = dir.join("uscita");
    let elsewhere = dir.join("altrove");
    fs::create_dir(&elsewhere).unwrap();
    write_all(&out, &set("vecchio"), &[]).unwrap();
    let planted = RefCell::new(None::<PathBuf>);
    let mut hook = |step: Step<'_>| {
        if let Step::Staging(path) = step {
            if planted.borrow().is_none() {
                symlink(&elsewhere, path).unwrap();
                *planted.borrow_mut() = Some(path.to_path_buf());
            }
        }
        Ok(())
    };
    let files = set("nuovo");
    let mut folder = Folder::open(&out).unwrap();
    folder
        .replace_with(producers(&files), &[], &[], &mut hook)
        .unwrap();
    drop(folder);
    assert_eq!(tree(&elsewhere), BTreeMap::new());
    let link = planted.into_inner().unwrap();
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    fs::remove_file(&link).unwrap();
    expect_set(&out, "nuovo");

    // Inside: a link at the new file's name in `nuovi/`.
    let victim = dir.join("bersaglio.txt");
    fs::write(&victim, "da non toccare").unwrap();
    let staging = RefCell::new(PathBuf::new());
    let mut hook = |step: Step<'_>| {
        match step {
            Step::Staging(path) => *staging.borrow_mut() = path.to_path_buf(),
            Step::Write("fondo.txt") => {
                symlink(&victim, staging.borrow().join("nuovi/fondo.txt")).unwrap()
            }
            _ => {}
        }
        Ok(())
    };
    let files = set("terzo");
    let err = Folder::open(&out)
        .unwrap()
        .replace_with(producers(&files), &[], &[], &mut hook)
        .unwrap_err();
    assert!(err.to_string().contains("fondo.txt: esiste già"), "{err}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "da non toccare");
    expect_set(&out, "nuovo");
}

/// A link at the name of a file to be replaced is refused before anything is written, and
/// the file it points to is untouched.
#[test]
fn a_link_at_a_file_name_is_refused() {
    let dir = scratch("collegamento-file");
    let out = dir.join("uscita");
    write_all(&out, &set("vecchio"), &[]).unwrap();
    let victim = dir.join("bersaglio.txt");
    fs::write(&victim, "da non toccare").unwrap();
    fs::remove_file(out.join("fondo.txt")).unwrap();
    symlink(&victim, out.join("fondo.txt")).unwrap();
    let err = write_all(&out, &set("nuovo"), &[]).unwrap_err();
    assert!(
        err.to_string().contains(&format!(
            "{}: errore: {} è un collegamento simbolico: ccdi non scrive attraverso i collegamenti",
            out.display(),
            out.join("fondo.txt").display()
        )),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "da non toccare");
    let left = tree(&out);
    assert_eq!(left["fondo.json"], "vecchio fondo.json");
    assert_eq!(left.len(), 3, "{left:?}");
}

/// `calcola --lotto L --out O` where `O/<ente>` is a link to a folder elsewhere: that ente
/// is a row with the error, the folder pointed to keeps what it held, the others are
/// written.
#[test]
fn a_linked_ente_folder_in_a_batch_is_refused() {
    let dir = scratch("lotto-collegamento");
    let gen = ccdi(
        &["genera", "--enti", "2", "--seme", "5", "--out", "lotto"],
        &dir,
    );
    assert_eq!(gen.status.code(), Some(0));
    let mut entes: Vec<String> = fs::read_dir(dir.join("lotto"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    entes.sort();
    let elsewhere = dir.join("altrove");
    fs::create_dir(&elsewhere).unwrap();
    fs::write(elsewhere.join("fondo.json"), "da non toccare").unwrap();
    fs::create_dir(dir.join("O")).unwrap();
    symlink(&elsewhere, dir.join("O").join(&entes[0])).unwrap();
    let run = ccdi(&["calcola", "--lotto", "lotto", "--out", "O"], &dir);
    assert_eq!(run.status.code(), Some(1));
    let summary = fs::read_to_string(dir.join("O/riepilogo.csv")).unwrap();
    assert!(
        summary.contains("è un collegamento simbolico a un'altra cartella"),
        "{summary}"
    );
    assert_eq!(
        tree(&elsewhere),
        BTreeMap::from([("fondo.json".to_string(), "da non toccare".to_string())])
    );
    let second = tree(&dir.join("O").join(&entes[1]));
    assert_eq!(second.len(), 4, "{second:?}");
}

/// Every step of one replacement of the three files, in order, as the hook is told them.
fn steps(dir: &Path) -> Vec<String> {
    let seen = RefCell::new(Vec::new());
    let mut hook = |step: Step<'_>| {
        seen.borrow_mut().push(match step {
            Step::Staging(_) => "Staging".to_string(),
            other => format!("{other:?}"),
        });
        Ok(())
    };
    let files = set("vecchio");
    Folder::open(dir)
        .unwrap()
        .replace_with(producers(&files), &[], &[], &mut hook)
        .unwrap();
    seen.into_inner()
}

/// Replaces the set `vecchio` by `nuovo`, the hook doing `what` at step number `at`.
fn inject(dir: &Path, at: usize, what: Injected) -> Result<(), String> {
    let mut n = 0;
    let mut hook = |_: Step<'_>| {
        n += 1;
        if n - 1 == at {
            Err(what)
        } else {
            Ok(())
        }
    };
    let files = set("nuovo");
    let mut folder = Folder::open(dir).unwrap();
    let r = folder.replace_with(producers(&files), &[], &[], &mut hook);
    r.map(|_| ()).map_err(|d| d.to_string())
}

/// A failure at any step of the switch is undone: the old files, nothing else. A failure
/// when removing the staging folder at the end leaves the new files, and the next run
/// removes the folder.
#[test]
fn a_failure_at_any_step_leaves_the_old_files() {
    let dir = scratch("errore-a-ogni-passo");
    let all = steps(&dir);
    assert_eq!(all.len(), 1 + 3 + 1 + 3 + 3 + 1, "{all:?}");
    for (at, step) in all.iter().enumerate() {
        write_all(&dir, &set("vecchio"), &[]).unwrap();
        let r = inject(&dir, at, Injected::Fail);
        if *step == "Finish" {
            assert!(r.is_ok(), "{r:?}");
            let w = write_all(&dir, &set("nuovo"), &[]).unwrap();
            assert!(
                w.warnings.to_string().contains("cartella di lavoro"),
                "{}",
                w.warnings
            );
            expect_set(&dir, "nuovo");
            continue;
        }
        let err = r.unwrap_err();
        assert!(err.contains("errore simulato"), "{}: {err}", step);
        if step.starts_with("Aside") || step.starts_with("Enter") {
            assert!(
                err.contains("i file precedenti sono rimasti al loro posto"),
                "{err}"
            );
        }
        expect_set(&dir, "vecchio");
    }
}

/// Marks the lock a killed run left as a dead process's (this test's process is alive).
fn kill_the_lock(dir: &Path) {
    fs::write(
        dir.join(LOCK_FILE),
        "pid=999999999\ninizio=1\nprocesso=0123456789abcdef\n",
    )
    .unwrap();
}

/// A kill at any step leaves, once the next run has opened the folder, the old files (killed
/// before the commit) or the new ones (after it), never a mix; the dead run's lock and
/// staging folder are removed with an avviso each.
#[test]
fn a_kill_at_any_step_leaves_old_or_after_the_next_run_new_files() {
    let dir = scratch("interruzione-a-ogni-passo");
    let all = steps(&dir);
    let commit = all.iter().position(|s| s == "Commit").unwrap();
    for (at, step) in all.iter().enumerate() {
        write_all(&dir, &set("vecchio"), &[]).unwrap();
        let err = inject(&dir, at, Injected::Kill).unwrap_err();
        assert!(err.contains("interrotto (simulato)"), "{err}");
        assert!(dir.join(LOCK_FILE).exists(), "{}", step);
        if at <= commit {
            // Before the commit nothing of the folder has changed.
            let files: Vec<String> = tree(&dir)
                .into_iter()
                .filter(|(n, _)| NAMES.contains(&n.as_str()))
                .map(|(n, c)| format!("{n}={c}"))
                .collect();
            assert_eq!(files.len(), 3);
            assert!(files.iter().all(|f| f.contains("vecchio")), "{files:?}");
        }
        kill_the_lock(&dir);
        let next = Folder::open(&dir).unwrap();
        let notes = next.warnings().to_string();
        assert!(notes.contains("rimosso il file di blocco"), "{notes}");
        let staged = if at == 0 { 0 } else { 1 };
        assert_eq!(
            notes.matches("cartella di lavoro").count(),
            staged,
            "{}: {notes}",
            step
        );
        drop(next);
        let tag = if at > commit { "nuovo" } else { "vecchio" };
        expect_set(&dir, tag);
    }
}

/// Two runs writing to one folder at once never mix their files: each either writes its
/// whole set or stops at once saying another run holds the folder.
#[test]
fn two_concurrent_runs_never_mix_files() {
    let dir = scratch("due-insieme");
    let mut refused = 0;
    for round in 0..40 {
        let barrier = std::sync::Barrier::new(2);
        let results: Vec<Result<(), String>> = std::thread::scope(|s| {
            let runs: Vec<_> = ["A", "B"]
                .iter()
                .map(|tag| {
                    let (dir, barrier) = (&dir, &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        let tag = format!("{tag}{round}");
                        write_all(dir, &set(&tag), &[])
                            .map(|_| ())
                            .map_err(|d| d.to_string())
                    })
                })
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        for r in &results {
            if let Err(e) = r {
                assert!(e.contains("un altro calcolo di ccdi sta scrivendo"), "{e}");
                refused += 1;
            }
        }
        assert!(results.iter().any(Result::is_ok));
        let left = tree(&dir);
        let tag = left["fondo.json"].split(' ').next().unwrap().to_string();
        expect_set(&dir, &tag);
    }
    eprintln!("due-insieme: {refused} esecuzioni su 80 fermate dal blocco");
}

/// A second process on a folder this test holds stops at once with the message naming the
/// holder; once released, the same command writes.
#[test]
fn a_second_process_stops_at_once_on_a_locked_folder() {
    let dir = scratch("secondo-processo");
    let folder = Folder::open(&dir.join("uscita")).unwrap();
    let run = ccdi(&["calcola", "--out", "uscita"], &dir);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.starts_with(&format!(
            "uscita: errore: un altro calcolo di ccdi sta scrivendo in questa cartella (processo {}, avviato il ",
            std::process::id()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("eliminare il file uscita/.ccdi-blocco"),
        "{stderr}"
    );
    assert_eq!(tree(&dir.join("uscita")).len(), 1);
    drop(folder);
    let run = ccdi(&["calcola", "--out", "uscita"], &dir);
    assert_eq!(run.status.code(), Some(0));
    assert!(!dir.join("uscita").join(LOCK_FILE).exists());
}

/// Lock files: a dead process's is removed with an avviso; a running process's (pid 1,
/// started before the lock) stops the run; one whose process number was reused (pid 1,
/// started after the lock's time) is removed; a link at the lock's name is refused; an empty
/// lock file (a run killed while making it) is removed once a minute old.
#[test]
fn stale_locks_are_removed_and_live_ones_stop_the_run() {
    let dir = scratch("blocchi");
    let lock = dir.join(LOCK_FILE);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    fs::write(&lock, format!("pid=1\ninizio={now}\nprocesso=x\n")).unwrap();
    let err = write_all(&dir, &set("nuovo"), &[]).unwrap_err().to_string();
    assert!(err.contains("(processo 1, avviato il "), "{err}");
    assert!(!dir.join("fondo.json").exists());
    fs::write(&lock, "pid=1\ninizio=1\nprocesso=x\n").unwrap();
    let w = write_all(&dir, &set("nuovo"), &[]).unwrap();
    assert!(
        w.warnings.to_string().contains("rimosso il file di blocco")
            && w.warnings.to_string().contains(
                "processo 1 avviato il 01/01/1970 alle 00:00:01 UTC, non più in esecuzione"
            ),
        "{}",
        w.warnings
    );
    symlink(dir.join("fondo.json"), &lock).unwrap();
    let err = write_all(&dir, &set("terzo"), &[]).unwrap_err().to_string();
    assert!(err.contains("non è un file di blocco di ccdi"), "{err}");
    fs::remove_file(&lock).unwrap();
    expect_set(&dir, "nuovo");
    let empty = fs::File::create(&lock).unwrap();
    let err = write_all(&dir, &set("terzo"), &[]).unwrap_err().to_string();
    assert!(
        err.contains("un altro calcolo di ccdi sta scrivendo"),
        "{err}"
    );
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(120);
    empty.set_modified(old).unwrap();
    let w = write_all(&dir, &set("terzo"), &[]).unwrap();
    assert!(
        w.warnings.to_string().contains("vuoto o illeggibile"),
        "{}",
        w.warnings
    );
    expect_set(&dir, "terzo");
}

/// A staging folder of a dead run: without its marker it is removed and the files are left
/// as they were; with it, the new files still in it are moved in. A link with a staging
/// folder's name is not ours: left alone, never followed.
#[test]
fn dead_runs_staging_folders_are_completed_or_removed() {
    let dir = scratch("cartelle-abbandonate");
    write_all(&dir, &set("vecchio"), &[]).unwrap();
    let a = dir.join(format!("{STAGING_PREFIX}00000000000000aa"));
    fs::create_dir_all(a.join("nuovi")).unwrap();
    fs::write(a.join("nuovi/fondo.json"), "mezzo").unwrap();
    let elsewhere = dir.join("altrove");
    fs::create_dir_all(elsewhere.join("nuovi")).unwrap();
    fs::write(elsewhere.join("fase"), "").unwrap();
    fs::write(elsewhere.join("nuovi/fondo.json"), "estraneo").unwrap();
    let link = dir.join(format!("{STAGING_PREFIX}00000000000000bb"));
    symlink(&elsewhere, &link).unwrap();
    let folder = Folder::open(&dir).unwrap();
    assert!(folder
        .warnings()
        .to_string()
        .contains("prima di sostituire i file"));
    drop(folder);
    assert!(!a.exists());
    assert_eq!(
        fs::read_to_string(elsewhere.join("nuovi/fondo.json")).unwrap(),
        "estraneo"
    );
    fs::remove_file(&link).unwrap();
    fs::remove_dir_all(&elsewhere).unwrap();
    expect_set(&dir, "vecchio");

    let b = dir.join(format!("{STAGING_PREFIX}00000000000000cc"));
    fs::create_dir_all(b.join("nuovi")).unwrap();
    fs::create_dir_all(b.join("vecchi")).unwrap();
    fs::write(b.join("fase"), "").unwrap();
    fs::rename(dir.join("fondo.json"), b.join("vecchi/fondo.json")).unwrap();
    fs::write(dir.join("fondo.txt"), "nuovo fondo.txt").unwrap();
    fs::write(b.join("nuovi/fondo.json"), "nuovo fondo.json").unwrap();
    fs::write(b.join("nuovi/verifica.txt"), "nuovo verifica.txt").unwrap();
    let folder = Folder::open(&dir).unwrap();
    assert!(
        folder.warnings().to_string().contains("2 file spostati"),
        "{}",
        folder.warnings()
    );
    drop(folder);
    expect_set(&dir, "nuovo");
}

/// A folder that cannot be written gives the operating system's error in Italian with the
/// path. Running as root, permissions do not stop writing and the test is skipped loudly
/// (root's tests cannot make a folder read-only; the mapping is unit-tested below).
#[test]
fn a_read_only_folder_is_told_in_italian() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("sola-lettura");
    let out = dir.join("uscita");
    fs::create_dir(&out).unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o500)).unwrap();
    if fs::write(out.join("prova"), "").is_ok() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SALTATO out_safety::a_read_only_folder_is_told_in_italian: eseguito come \
             root, i permessi di una cartella non impediscono la scrittura; la traduzione \
             degli errori è verificata da os_errors_are_told_in_italian. ***\n"
        );
        return;
    }
    let err = write_all(&out, &set("nuovo"), &[]).unwrap_err().to_string();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(
        err,
        format!(
            "{0}: errore: impossibile creare il file di blocco {0}/.ccdi-blocco: permesso negato: controllare i permessi della cartella o indicarne un'altra\ntrovato 1 errore: nessun risultato prodotto\n",
            out.display()
        )
    );
}

/// The one mapping of operating-system errors: full disk, read-only disk, a file in the
/// path, no permission; never the system's English.
#[test]
fn os_errors_are_told_in_italian() {
    let cases = [
        (
            28,
            "spazio esaurito sul disco: liberare spazio o indicare una cartella su un altro disco",
        ),
        (
            30,
            "il disco è in sola lettura: indicare una cartella su un disco scrivibile",
        ),
        (
            20,
            "una parte del percorso non è una cartella ma un file: indicare una cartella",
        ),
        (
            13,
            "permesso negato: controllare i permessi della cartella o indicarne un'altra",
        ),
        (
            122,
            "quota di disco dell'utente esaurita: liberare spazio o chiedere una quota maggiore",
        ),
    ];
    for (code, text) in cases {
        assert_eq!(io_message(&std::io::Error::from_raw_os_error(code)), text);
    }
    let enotdir =
        fs::create_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml/x")).unwrap_err();
    assert_eq!(
        io_message(&enotdir),
        "una parte del percorso non è una cartella ma un file: indicare una cartella"
    );
}

/// A set's files that a run does not write are removed in the same switch (only plain files
/// of the set; anything else in the folder is left alone); `calcola --out` on a folder of
/// a year with managers, then for a year without them, leaves only the second run's files.
#[test]
fn files_of_the_set_not_written_again_are_removed() {
    let dir = scratch("insieme");
    write_all(&dir, &set("vecchio"), &[]).unwrap();
    fs::write(dir.join("mio.txt"), "mio").unwrap();
    fs::create_dir(dir.join("extra.csv")).unwrap();
    let files = set("nuovo")[..2].to_vec();
    let owned = ["fondo.json", "fondo.txt", "verifica.txt", "extra.csv"];
    Folder::open(&dir)
        .unwrap()
        .replace_set(&owned, producers(&files), &[])
        .unwrap();
    let left = tree(&dir);
    assert_eq!(
        left.keys().collect::<Vec<_>>(),
        ["extra.csv", "fondo.json", "fondo.txt", "mio.txt"]
    );
    assert_eq!(left["fondo.txt"], "nuovo fondo.txt");

    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let first = ccdi(&["calcola", "--out", "uscita"], &dir);
    assert_eq!(first.status.code(), Some(0));
    let without_managers = manifest.join("fixtures/scenari/quota-fissa-oltre-il-fondo/regole.toml");
    let second = ccdi(
        &[
            "calcola",
            "--regole",
            without_managers.to_str().unwrap(),
            "--out",
            "uscita",
        ],
        &dir,
    );
    assert_eq!(second.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&second.stdout);
    let mut listed: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .collect();
    listed.sort();
    assert!(!listed.contains(&"liquidazione.csv"), "{stdout}");
    let on_disk = tree(&dir.join("uscita"));
    assert_eq!(
        on_disk.keys().map(String::as_str).collect::<Vec<_>>(),
        listed
    );
}

/// The generator's tree (`ccdi genera`) is never written through a link: a linked folder or
/// file of the tree is refused, the place it points to untouched; a plain file is replaced.
#[test]
fn the_generated_tree_is_not_written_through_links() {
    use ccdi::output::write::write_tree;
    let dir = scratch("albero");
    let elsewhere = dir.join("altrove");
    fs::create_dir(&elsewhere).unwrap();
    let out = dir.join("g");
    fs::create_dir(&out).unwrap();
    symlink(&elsewhere, out.join("ente-00001")).unwrap();
    let file = |rel: &str| vec![(rel.to_string(), b"generato".to_vec())];
    let err = write_tree(&out, file("ente-00001/regole.toml")).unwrap_err();
    assert!(
        err.to_string().contains("è un collegamento simbolico"),
        "{err}"
    );
    assert_eq!(tree(&elsewhere), BTreeMap::new());
    let victim = dir.join("bersaglio.txt");
    fs::write(&victim, "da non toccare").unwrap();
    fs::create_dir(out.join("ente-00002")).unwrap();
    symlink(&victim, out.join("ente-00002/regole.toml")).unwrap();
    let err = write_tree(&out, file("ente-00002/regole.toml")).unwrap_err();
    assert!(
        err.to_string().contains("è un collegamento simbolico"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "da non toccare");
    fs::create_dir_all(out.join("ente-00003/dati")).unwrap();
    fs::write(out.join("ente-00003/dati/dirigenti.csv"), "vecchio").unwrap();
    write_tree(&out, file("ente-00003/dati/dirigenti.csv")).unwrap();
    assert_eq!(
        fs::read_to_string(out.join("ente-00003/dati/dirigenti.csv")).unwrap(),
        "generato"
    );
}
