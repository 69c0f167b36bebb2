//! One folder per scenario under `fixtures/scenari/`: the `cmd` file holds the arguments, the
//! command runs in that folder, and exit code, stdout and stderr are snapshotted together.
//! Adding a case is adding a folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Splits a command line on spaces, keeping double-quoted parts together.
fn split_args(line: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    args.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        args.push(cur);
    }
    args
}

/// Runs one case folder: its `cmd` file in that folder; exit code, stdout and stderr.
fn run_case(path: &std::path::Path) -> String {
    let dir = path.parent().expect("case folder");
    let line = fs::read_to_string(path).expect("cmd file");
    let args = split_args(line.trim());
    let out = Command::new(env!("CARGO_BIN_EXE_ccdi"))
        .args(&args)
        .current_dir(dir)
        .output()
        .expect("run ccdi");
    format!(
        "comando: ccdi {}\ncodice di uscita: {}\n--- stdout\n{}--- stderr\n{}",
        line.trim(),
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    )
}

/// Every case folder of `fixtures/<set>` that has a `cmd` file, in name order, each
/// snapshotted as `insta::glob!` names it (`<test>@<folder>__cmd`); every case runs before the
/// failures, if any, are reported together.
fn each_case(test: &str, set: &str, case: impl Fn(&Path) -> String) {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(set);
    let mut cmds: Vec<PathBuf> = fs::read_dir(&base)
        .expect("fixtures folder")
        .filter_map(|e| e.ok().map(|e| e.path().join("cmd")))
        .filter(|cmd| cmd.is_file())
        .collect();
    cmds.sort();
    assert!(!cmds.is_empty(), "no case in {}", base.display());
    let mut failed = Vec::new();
    for cmd in &cmds {
        let folder = cmd
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let mut settings = insta::Settings::clone_current();
        settings.set_input_file(cmd);
        let name = format!("{test}@{folder}__cmd");
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!(name, case(cmd)))
        }));
        if checked.is_err() {
            failed.push(folder);
        }
    }
    assert!(
        failed.is_empty(),
        "casi non conformi: {}",
        failed.join(", ")
    );
}

#[test]
fn scenari() {
    each_case("scenari", "scenari", run_case);
}

/// The error catalogue: every case exits 1 (or 2 for the command line) and its message is
/// part of the contract.
#[test]
fn errori() {
    each_case("errori", "errori", |path| {
        let snap = run_case(path);
        assert!(
            snap.contains("codice di uscita: 1\n") || snap.contains("codice di uscita: 2\n"),
            "{snap}"
        );
        snap
    });
}
