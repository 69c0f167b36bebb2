//! One folder per scenario under `fixtures/scenari/`: the `cmd` file holds the arguments, the
//! command runs in that folder, and exit code, stdout and stderr are snapshotted together.
//! Adding a case is adding a folder.

use std::fs;
use std::process::Command;

#[test]
fn scenari() {
    insta::glob!("../fixtures/scenari", "*/cmd", |path| {
        let dir = path.parent().expect("scenario folder");
        let line = fs::read_to_string(path).expect("cmd file");
        let args: Vec<&str> = line.split_whitespace().collect();
        let out = Command::new(env!("CARGO_BIN_EXE_ccdi"))
            .args(&args)
            .current_dir(dir)
            .output()
            .expect("run ccdi");
        let snap = format!(
            "comando: ccdi {}\ncodice di uscita: {}\n--- stdout\n{}--- stderr\n{}",
            args.join(" "),
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        insta::assert_snapshot!(snap);
    });
}
