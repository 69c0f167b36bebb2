//! The `ccdi` binary: parses arguments, calls `cli::run`, prints, and maps the outcome to an
//! exit code (0 ok, 1 invalid input or failed check, 2 usage; a closed pipe is 0).

use std::io::Write;
use std::process::ExitCode;

use ccdi::cli::{self, CliError};

mod tune;

fn main() -> ExitCode {
    tune::start();
    let outcome = cli::parse_args(std::env::args_os()).and_then(|cmd| cli::run(cmd, &tune::PHASES));
    let code = match outcome {
        Ok(out) => {
            if !out.warnings.is_empty() {
                eprint!("{}", out.warnings);
            }
            print_stdout(&out.stdout);
            if let Some(stream) = out.stream {
                let mut w = std::io::BufWriter::new(std::io::stdout().lock());
                // A closed pipe (`ccdi calcola --formato json | head`) is not an error.
                let _ = stream(&mut w).and_then(|_| w.flush());
            }
            eprint!("{}", out.closing);
            0
        }
        Err(e) => {
            match &e {
                // The arguments are echoed: their control characters never raw.
                CliError::Usage(msg) => {
                    for line in msg.trim_end().lines() {
                        eprintln!("{}", ccdi::diag::escaped(line));
                    }
                }
                CliError::Input(diags) => eprint!("{diags}"),
                CliError::Info(text) | CliError::Failed(text) => print_stdout(text),
            }
            e.exit_code()
        }
    };
    ExitCode::from(code as u8)
}

/// Prints to stdout; a closed pipe (`ccdi calcola | head`) is not an error.
fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}
