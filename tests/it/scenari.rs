//! One folder per scenario under `fixtures/scenari/`: the `cmd` file holds the arguments, the
//! command runs in that folder, and exit code, stdout and stderr are snapshotted together.
//! Adding a case is adding a folder.

use std::fs;
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

#[test]
fn scenari() {
    insta::glob!("../../fixtures/scenari", "*/cmd", |path| {
        insta::assert_snapshot!(run_case(path));
    });
}

/// The error catalogue: every case exits 1 (or 2 for the command line) and its message is
/// part of the contract.
#[test]
fn errori() {
    insta::glob!("../../fixtures/errori", "*/cmd", |path| {
        let snap = run_case(path);
        assert!(
            snap.contains("codice di uscita: 1\n") || snap.contains("codice di uscita: 2\n"),
            "{snap}"
        );
        insta::assert_snapshot!(snap);
    });
}
