//! The command-line definition itself.

use ccdi::cli::{parse_args, Command, Formato};
use clap::CommandFactory;

#[test]
fn clap_definition_is_consistent() {
    ccdi::cli::Cli::command().debug_assert();
}

#[test]
fn no_arguments_means_the_bundled_example() {
    assert_eq!(
        parse_args(["ccdi", "calcola"]).unwrap(),
        Command::Compute {
            rules: None,
            data: None,
            format: Formato::Testo,
            out: None
        }
    );
}

fn ccdi(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ccdi"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run ccdi")
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ccdi-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn out_file_matches_stdout_and_leaves_no_temporary() {
    let dir = scratch("out");
    let printed = ccdi(&["calcola", "--formato", "json"], &dir);
    let written = ccdi(
        &["calcola", "--formato", "json", "--out", "fondo.json"],
        &dir,
    );
    assert_eq!(written.status.code(), Some(0));
    assert_eq!(
        std::fs::read(dir.join("fondo.json")).unwrap(),
        printed.stdout
    );
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("fondo.json")]);
}

#[test]
fn out_never_overwrites_the_rules_file() {
    let dir = scratch("overwrite");
    std::fs::write(dir.join("regole.toml"), ccdi::load::EXAMPLE_RULES).unwrap();
    let out = ccdi(
        &["calcola", "--regole", "regole.toml", "--out", "regole.toml"],
        &dir,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "errore: --out regole.toml è il file delle regole: i file di ingresso non vengono mai sovrascritti\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("regole.toml")).unwrap(),
        ccdi::load::EXAMPLE_RULES
    );
}

#[test]
fn invalid_input_writes_nothing() {
    let dir = scratch("invalid");
    std::fs::write(dir.join("regole.toml"), "[ente]\nnome = \"X\"\n").unwrap();
    std::fs::write(dir.join("fondo.csv"), "vecchio").unwrap();
    let out = ccdi(
        &["calcola", "--regole", "regole.toml", "--out", "fondo.csv"],
        &dir,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(dir.join("fondo.csv")).unwrap(),
        "vecchio"
    );
}
