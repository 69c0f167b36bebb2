//! The command line: `args` turns what was typed into our own [`Command`] (`usage`: clap's
//! errors and the help of a command, in Italian); [`run`] executes it, one function per
//! command (`commands`; `files` for those that write the starting files of a year), and
//! returns what to print, or an error that maps to an exit code; `verdict` is the checks'
//! line that ends `calcola`, `voci` the list of the voci of `spiega`.

mod args;
mod commands;
mod files;
mod usage;
mod verdict;
mod voci;

use std::path::PathBuf;

use crate::diag::Diagnostics;

pub use args::{definition, parse_args, Cli, Formato};

/// What the user asked for, free of clap types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Compute {
        rules: Option<PathBuf>,
        data: Option<PathBuf>,
        /// The previous year's `fondo.json` (`--precedente`).
        previous: Option<PathBuf>,
        format: Formato,
        out: Option<PathBuf>,
    },
    Target {
        text: String,
        description: String,
        /// The fund's year, for a deadline written without one.
        year: Option<i32>,
        /// The starting value, as the `valore_iniziale` column writes it.
        baseline: Option<String>,
        json: bool,
    },
    Batch {
        dir: PathBuf,
        out: Option<PathBuf>,
    },
    Generate {
        entes: usize,
        seed: u64,
        large: Option<usize>,
        out: PathBuf,
    },
    Documents {
        rules: Option<PathBuf>,
        data: Option<PathBuf>,
        previous: Option<PathBuf>,
        format: Formato,
    },
    /// `confronta`: the same data under the rules `rules` (A) and `against` (B).
    Compare {
        rules: PathBuf,
        against: PathBuf,
        data: Option<PathBuf>,
        format: Formato,
        out: Option<PathBuf>,
    },
    Explain {
        rules: Option<PathBuf>,
        data: Option<PathBuf>,
        previous: Option<PathBuf>,
        format: Formato,
        what: String,
    },
    /// `spiega --elenco`: every voce with its description.
    ExplainList {
        format: Formato,
    },
    /// `modelli`: the blank templates of a year's files, into a new or empty folder.
    Templates {
        out: PathBuf,
    },
    /// `esempio`: the bundled example's files, into a new or empty folder.
    Example {
        out: PathBuf,
    },
    Verify {
        rules: Option<PathBuf>,
        data: Option<PathBuf>,
        previous: Option<PathBuf>,
        declared: Option<PathBuf>,
        format: Formato,
    },
}

/// Why a run failed; each maps to an exit code.
#[derive(Debug)]
pub enum CliError {
    /// Bad command line: exit 2.
    Usage(String),
    /// Invalid input, or a failed check: exit 1.
    Input(Diagnostics),
    /// Help or version asked for: printed on stdout, exit 0.
    Info(String),
    /// A report to print on stdout, with exit 1: a check failed.
    Failed(String),
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Input(_) | CliError::Failed(_) => 1,
            CliError::Info(_) => 0,
        }
    }
}

/// The result of a successful run: text for stdout and warnings for stderr.
#[derive(Default)]
pub struct Output {
    pub stdout: String,
    pub warnings: Diagnostics,
    /// Printed after `stdout`, made while it is written (a large ente's JSON is never whole
    /// in memory).
    pub stream: Option<Stream>,
    /// Printed on stderr after everything else: the verdict of the checks that ends
    /// `calcola` when its result goes to stdout.
    pub closing: String,
}

impl Output {
    /// A text to print and the warnings.
    pub fn text(stdout: String, warnings: Diagnostics) -> Output {
        Output {
            stdout,
            warnings,
            stream: None,
            closing: String::new(),
        }
    }
}

/// Writes a command's output as it is made.
pub type Stream = Box<dyn FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>>;

/// The points where a run changes phase, for the process around it to tune its memory (the
/// binary's `tune` room): the library itself never changes a process-wide setting.
/// [`Phases::NONE`] does nothing, as the tests and the batch mode need.
#[derive(Debug, Clone, Copy)]
pub struct Phases {
    /// Before a year's inputs are read, with the size in bytes of its data files.
    pub reading: fn(u64),
    /// After the inputs are read and validated, before the computation.
    pub computing: fn(),
    /// Before the results are rendered.
    pub rendering: fn(),
}

impl Phases {
    pub const NONE: Phases = Phases {
        reading: |_| {},
        computing: || {},
        rendering: || {},
    };
}

/// The files of one year as given: the rules, the data folder and the previous year's
/// `fondo.json`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Year {
    pub rules: Option<PathBuf>,
    pub data: Option<PathBuf>,
    pub previous: Option<PathBuf>,
}

impl Year {
    pub(crate) fn new(
        rules: Option<PathBuf>,
        data: Option<PathBuf>,
        previous: Option<PathBuf>,
    ) -> Year {
        Year {
            rules,
            data,
            previous,
        }
    }
}

/// Executes a command. Pure apart from the loader's file reads and the `--out` writes.
pub fn run(cmd: Command, phases: &Phases) -> Result<Output, CliError> {
    match cmd {
        Command::Compute {
            rules,
            data,
            previous,
            format,
            out,
        } => commands::compute(Year::new(rules, data, previous), format, out, phases),
        Command::Batch { dir, out } => commands::batch(&dir, out.as_deref()),
        Command::Generate {
            entes,
            seed,
            large,
            out,
        } => commands::generate(entes, seed, large, &out),
        Command::Documents {
            rules,
            data,
            previous,
            format,
        } => commands::documents(Year::new(rules, data, previous), format, phases),
        Command::Compare {
            rules,
            against,
            data,
            format,
            out,
        } => commands::compare(&rules, &against, data.as_deref(), format, out, phases),
        Command::Explain {
            rules,
            data,
            previous,
            format,
            what,
        } => commands::explain(Year::new(rules, data, previous), format, &what, phases),
        Command::Verify {
            rules,
            data,
            previous,
            declared,
            format,
        } => commands::verify(Year::new(rules, data, previous), declared, format, phases),
        Command::Target {
            text,
            description,
            year,
            baseline,
            json,
        } => commands::target(&text, &description, year, baseline.as_deref(), json),
        Command::ExplainList { format } => Ok(voci::list(format)),
        Command::Templates { out } => files::templates(&out),
        Command::Example { out } => files::example(&out),
    }
}
