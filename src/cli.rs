//! The command line: clap types stay here and are turned at once into our own `Command`;
//! `run` executes it and returns what to print, or an error that maps to an exit code.

use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Parser, Subcommand, ValueEnum};

use crate::diag::Diagnostics;
use crate::engine;
use crate::input::files as load;
use crate::output::{checklist, csv, explain, json, relazioni, target, text};
use crate::peg::target::read_target;

const HELP_TEMPLATE: &str = "{about}\n\nUso: {usage}\n\n{all-args}{after-help}";

/// Fondo per la retribuzione di posizione e di risultato della dirigenza: calcolo esatto al
/// centesimo, con la fonte di ogni cifra.
#[derive(Debug, Parser)]
#[command(
    name = "ccdi",
    version,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "Comandi",
    subcommand_value_name = "COMANDO",
    next_help_heading = "Opzioni",
    after_help = "Esempio: ccdi calcola (esegue l'esempio incluso: Comune di Prato, anno 2019)"
)]
pub struct Cli {
    #[command(subcommand)]
    command: CliCommand,
    /// Mostra questo aiuto
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Mostra la versione
    #[arg(short = 'V', long = "versione", action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Debug, Subcommand)]
enum CliCommand {
    /// Calcola il fondo e il quadro di sintesi (senza argomenti: l'esempio incluso di Prato 2019)
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Opzioni")]
    Calcola {
        /// File delle regole (TOML); se assente, l'esempio incluso
        #[arg(long, value_name = "FILE")]
        regole: Option<PathBuf>,
        /// Cartella dei dati CSV (obiettivi.csv, indicatori.csv, ...); senza --regole né --dati,
        /// i dati dell'esempio incluso
        #[arg(long, value_name = "CARTELLA", requires = "regole")]
        dati: Option<PathBuf>,
        /// Cartella con una sottocartella per ente (regole.toml e CSV): calcola tutti gli enti in
        /// parallelo e stampa il riepilogo (con --out scrive i risultati di ogni ente e riepilogo.csv)
        #[arg(long, value_name = "CARTELLA", conflicts_with_all = ["regole", "dati", "formato"])]
        lotto: Option<PathBuf>,
        /// Formato dell'uscita
        #[arg(long, value_enum, default_value_t = Formato::Testo, value_name = "FORMATO")]
        formato: Formato,
        /// Scrive tutti i risultati in questa cartella: cartella di lavoro Excel, relazione HTML, CSV, JSON, tabella per la trasparenza
        #[arg(long, value_name = "CARTELLA")]
        out: Option<PathBuf>,
    },
    /// Foglio di calcolo di una cifra: formula, dati con file e riga, fonti, arrotondamenti
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Opzioni")]
    Spiega {
        /// File delle regole (TOML); se assente, l'esempio incluso
        #[arg(long, value_name = "FILE")]
        regole: Option<PathBuf>,
        /// Cartella dei dati CSV
        #[arg(long, value_name = "CARTELLA", requires = "regole")]
        dati: Option<PathBuf>,
        /// Formato dell'uscita (testo o json)
        #[arg(long, value_enum, default_value_t = Formato::Testo, value_name = "FORMATO")]
        formato: Formato,
        /// La voce (es. fondo, risultato, risultato:D001) o la matricola di un dirigente
        #[arg(value_name = "VOCE")]
        voce: String,
    },
    /// Controlla ogni vincolo di legge e ogni somma: ✓ / ✗ / avviso, con la fonte (esce con 1 se un vincolo è violato)
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Opzioni")]
    Verifica {
        /// File delle regole (TOML); se assente, l'esempio incluso
        #[arg(long, value_name = "FILE")]
        regole: Option<PathBuf>,
        /// Cartella dei dati CSV
        #[arg(long, value_name = "CARTELLA", requires = "regole")]
        dati: Option<PathBuf>,
        /// CSV delle cifre dichiarate in un documento firmato (colonne voce;importo) da confrontare
        #[arg(long, value_name = "FILE")]
        dichiarati: Option<PathBuf>,
        /// Formato dell'uscita (testo o json)
        #[arg(long, value_enum, default_value_t = Formato::Testo, value_name = "FORMATO")]
        formato: Formato,
    },
    /// Tabelle della relazione tecnico-finanziaria (Moduli I-IV) e della relazione illustrativa (Moduli 1 e 2 B)
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Opzioni")]
    Relazioni {
        /// File delle regole (TOML); se assente, l'esempio incluso
        #[arg(long, value_name = "FILE")]
        regole: Option<PathBuf>,
        /// Cartella dei dati CSV
        #[arg(long, value_name = "CARTELLA", requires = "regole")]
        dati: Option<PathBuf>,
        /// File delle regole dell'anno precedente, per il confronto del Modulo III
        #[arg(long, value_name = "FILE")]
        precedente: Option<PathBuf>,
        /// Formato dell'uscita
        #[arg(long, value_enum, default_value_t = Formato::Testo, value_name = "FORMATO")]
        formato: Formato,
    },
    /// Genera un lotto sintetico ma realistico di enti (o un ente molto grande), riproducibile dal seme
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Opzioni")]
    Genera {
        /// Numero di enti del lotto
        #[arg(long, value_name = "N", default_value_t = 100)]
        enti: usize,
        /// Seme del generatore: lo stesso seme dà gli stessi file
        #[arg(long, value_name = "S", default_value_t = 1)]
        seme: u64,
        /// Invece del lotto, un solo ente con questo numero di dirigenti
        #[arg(long, value_name = "DIRIGENTI")]
        grande: Option<usize>,
        /// Cartella in cui scrivere (creata se manca)
        #[arg(long, value_name = "CARTELLA")]
        out: PathBuf,
    },
    /// Mostra come viene letto il target di un indicatore del PEG
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Opzioni")]
    Target {
        /// Il target come scritto nella scheda (es. "entro il 31.07.20")
        #[arg(value_name = "TESTO")]
        testo: String,
        /// La descrizione dell'indicatore (decide il verso di un numero semplice)
        #[arg(long, value_name = "TESTO", default_value = "")]
        descrizione: String,
        /// Stampa un oggetto JSON
        #[arg(long)]
        json: bool,
    },
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Formato {
    /// testo leggibile
    Testo,
    /// CSV con punto e virgola e virgola decimale (Excel in italiano)
    Csv,
    /// JSON con importi come stringhe decimali
    Json,
}

/// What the user asked for, free of clap types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Compute {
        rules: Option<PathBuf>,
        data: Option<PathBuf>,
        format: Formato,
        out: Option<PathBuf>,
    },
    Target {
        text: String,
        description: String,
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
    Explain {
        rules: Option<PathBuf>,
        data: Option<PathBuf>,
        format: Formato,
        what: String,
    },
    Verify {
        rules: Option<PathBuf>,
        data: Option<PathBuf>,
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
}

impl Output {
    /// A text to print and the warnings.
    pub fn text(stdout: String, warnings: Diagnostics) -> Output {
        Output {
            stdout,
            warnings,
            stream: None,
        }
    }
}

/// Writes a command's output as it is made.
pub type Stream = Box<dyn FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>>;

/// Parses the command line into a `Command`, translating clap's errors into Italian.
pub fn parse_args<I, T>(args: I) -> Result<Command, CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = Cli::try_parse_from(args).map_err(translate)?;
    Ok(match cli.command {
        CliCommand::Calcola {
            lotto: Some(dir),
            out,
            ..
        } => Command::Batch { dir, out },
        CliCommand::Genera {
            enti,
            seme,
            grande,
            out,
        } => Command::Generate {
            entes: enti,
            seed: seme,
            large: grande,
            out,
        },
        CliCommand::Calcola {
            regole,
            dati,
            formato,
            out,
            lotto: None,
        } => Command::Compute {
            rules: regole,
            data: dati,
            format: formato,
            out,
        },
        CliCommand::Relazioni {
            regole,
            dati,
            precedente,
            formato,
        } => Command::Documents {
            rules: regole,
            data: dati,
            previous: precedente,
            format: formato,
        },
        CliCommand::Spiega {
            regole,
            dati,
            formato,
            voce,
        } => Command::Explain {
            rules: regole,
            data: dati,
            format: formato,
            what: voce,
        },
        CliCommand::Verifica {
            regole,
            dati,
            dichiarati,
            formato,
        } => Command::Verify {
            rules: regole,
            data: dati,
            declared: dichiarati,
            format: formato,
        },
        CliCommand::Target {
            testo,
            descrizione,
            json,
        } => Command::Target {
            text: testo,
            description: descrizione,
            json,
        },
    })
}

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn translate(e: clap::Error) -> CliError {
    let arg = context(&e, ContextKind::InvalidArg);
    let value = context(&e, ContextKind::InvalidValue);
    let valid = context(&e, ContextKind::ValidValue);
    let sub = context(&e, ContextKind::InvalidSubcommand);
    let msg = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            return CliError::Info(e.render().to_string())
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            return CliError::Usage(format!(
                "errore: manca il comando\n\n{}",
                Cli::command_help()
            ))
        }
        ErrorKind::InvalidValue => {
            format!("valore \"{value}\" non valido per {arg}; valori ammessi: {valid}")
        }
        ErrorKind::UnknownArgument => format!("argomento sconosciuto \"{arg}\""),
        ErrorKind::InvalidSubcommand => {
            format!(
                "comando sconosciuto \"{sub}\"; comandi ammessi: calcola, relazioni, spiega, verifica, genera, target"
            )
        }
        ErrorKind::MissingRequiredArgument => format!("manca un argomento obbligatorio: {arg}"),
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("manca il valore di {arg}")
        }
        ErrorKind::ArgumentConflict => format!("argomenti incompatibili: {arg}"),
        ErrorKind::TooManyValues => format!("troppi valori per {arg}"),
        _ => "riga di comando non valida".to_string(),
    };
    CliError::Usage(format!("errore: {msg}\nPer l'aiuto: ccdi --help"))
}

impl Cli {
    fn command_help() -> String {
        use clap::CommandFactory;
        Cli::command().render_help().to_string()
    }
}

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

/// Loads, validates and computes one year.
fn compute(
    rules: Option<&std::path::Path>,
    data: Option<&std::path::Path>,
    phases: &Phases,
) -> Result<(engine::Inputs, engine::Outcome, Diagnostics), CliError> {
    (phases.reading)(load::input_size(data));
    let (inputs, diags) = load::load_inputs(rules, data).map_err(CliError::Input)?;
    (phases.computing)();
    let outcome = engine::compute(&inputs).map_err(|e| {
        CliError::Input(Diagnostics(vec![crate::diag::Diagnostic::error(
            crate::diag::Location::file(&inputs.rules.file),
            e.to_string(),
        )]))
    })?;
    Ok((inputs, outcome, diags))
}

/// Executes a command. Pure apart from the loader's file reads and the `--out` write.
pub fn run(cmd: Command, phases: &Phases) -> Result<Output, CliError> {
    match cmd {
        Command::Batch { dir, out } => {
            let rows = crate::batch::run(&dir, out.as_deref()).map_err(CliError::Input)?;
            let summary = crate::batch::summary_csv(&rows);
            let bad = rows.iter().filter(|r| !r.ok()).count();
            let stdout = match &out {
                None => summary,
                Some(o) => {
                    let written = load::write_all(
                        o,
                        &[("riepilogo.csv".to_string(), summary.into_bytes())],
                        &[],
                    )
                    .map_err(CliError::Input)?;
                    format!(
                        "{} enti calcolati, {} con errori o vincoli violati; riepilogo in {}\n",
                        rows.len(),
                        bad,
                        written
                            .first()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default()
                    )
                }
            };
            if bad > 0 {
                Err(CliError::Failed(stdout))
            } else {
                Ok(Output::text(stdout, Diagnostics::default()))
            }
        }
        Command::Generate {
            entes,
            seed,
            large,
            out,
        } => {
            let files = match large {
                Some(m) => crate::generate::large(m, seed),
                None => crate::generate::batch(entes, seed),
            };
            let count = files.len();
            load::write_tree(&out, files).map_err(CliError::Input)?;
            Ok(Output::text(
                format!("scritti {count} file in {}\n", out.display()),
                Diagnostics::default(),
            ))
        }
        Command::Documents {
            rules,
            data,
            previous,
            format,
        } => {
            let (inputs, outcome, warnings) = compute(rules.as_deref(), data.as_deref(), phases)?;
            let prev = match &previous {
                Some(p) => {
                    let (r, _) = load::load_rules(Some(p)).map_err(CliError::Input)?;
                    let f = crate::fund::compute(&r).map_err(|e| {
                        CliError::Input(Diagnostics(vec![crate::diag::Diagnostic::error(
                            crate::diag::Location::file(&r.file),
                            e.to_string(),
                        )]))
                    })?;
                    if r.year >= inputs.rules.year {
                        return Err(CliError::Usage(format!(
                            "errore: --precedente {} è dell'anno {}, non precedente al {}",
                            p.display(),
                            r.year,
                            inputs.rules.year
                        )));
                    }
                    Some((r, f))
                }
                None => None,
            };
            let docs = crate::output::documents::documents(
                &inputs,
                &outcome,
                prev.as_ref().map(|(r, f)| (r, f)),
            );
            let stdout = match format {
                Formato::Testo => relazioni::text(&inputs, &docs),
                Formato::Csv => relazioni::csv(&inputs, &docs),
                Formato::Json => relazioni::json(&inputs, &docs),
            };
            Ok(Output::text(stdout, warnings))
        }
        Command::Explain {
            rules,
            data,
            format,
            what,
        } => {
            let (inputs, outcome, warnings) = compute(rules.as_deref(), data.as_deref(), phases)?;
            let found = crate::audit::find(&outcome, &what);
            if found.is_empty() {
                let known: Vec<String> = crate::audit::figures(&outcome)
                    .map(|f| f.voce.clone())
                    .filter(|v| !v.contains(':'))
                    .collect();
                return Err(CliError::Input(Diagnostics(vec![crate::diag::Diagnostic::error(
                    crate::diag::Location::file(&inputs.rules.file),
                    format!(
                        "voce o matricola \"{what}\" sconosciuta; voci: {}, oppure la matricola di un dirigente",
                        known.join(", ")
                    ),
                )])));
            }
            let found: Vec<&crate::trail::Figure> = found.iter().map(|f| &**f).collect();
            let stdout = match format {
                Formato::Json => explain::json(&inputs, &outcome, &what, &found),
                _ => explain::text(&inputs, &outcome, &what, &found),
            };
            Ok(Output::text(stdout, warnings))
        }
        Command::Verify {
            rules,
            data,
            declared,
            format,
        } => {
            let json = format == Formato::Json;
            let (inputs, outcome, warnings) =
                match compute(rules.as_deref(), data.as_deref(), phases) {
                    Ok(v) => v,
                    Err(CliError::Input(diags)) => {
                        return Err(CliError::Failed(checklist::invalid_inputs(&diags, json)))
                    }
                    Err(e) => return Err(e),
                };
            let mut checks = crate::audit::verify(&inputs, &outcome);
            if let Some(path) = declared {
                let rows = load::load_declared(&path).map_err(CliError::Input)?;
                checks.extend(crate::audit::compare_declared(&outcome, &rows));
            }
            let stdout = if json {
                checklist::json(&inputs, &checks)
            } else {
                checklist::text(&inputs, &checks)
            };
            if checks
                .iter()
                .any(|c| c.verdict == crate::audit::Verdict::Fails)
            {
                Err(CliError::Failed(stdout))
            } else {
                Ok(Output::text(stdout, warnings))
            }
        }
        Command::Target {
            text,
            description,
            json,
        } => {
            let t = read_target(&text, &description);
            let stdout = if json {
                target::json(&t)
            } else {
                target::text(&t)
            };
            Ok(Output::text(stdout, Diagnostics::default()))
        }
        Command::Compute {
            rules,
            data,
            format,
            out,
        } => {
            let (inputs, outcome, warnings) = compute(rules.as_deref(), data.as_deref(), phases)?;
            (phases.rendering)();
            match out {
                // The JSON is written as it is made; the other formats are rendered whole.
                None if format == Formato::Json => Ok(Output {
                    stdout: String::new(),
                    warnings,
                    stream: Some(Box::new(move |w| json::write_report(&inputs, &outcome, w))),
                }),
                // Rendered only when printed: with --out the files are the output.
                None => Ok(Output::text(
                    match format {
                        Formato::Testo => text::report(&inputs, &outcome),
                        _ => csv::report(&inputs, &outcome),
                    },
                    warnings,
                )),
                Some(dir) => {
                    let inputs_on_disk = load::input_paths(rules.as_deref(), data.as_deref());
                    let written = crate::output::files::with_files(&inputs, &outcome, |files| {
                        load::write_all_lazy(&dir, files, &inputs_on_disk)
                    })
                    .map_err(CliError::Input)?;
                    let mut stdout =
                        format!("scritti {} file in {}:\n", written.len(), dir.display());
                    for w in &written {
                        stdout.push_str(&format!(
                            "  {}\n",
                            w.file_name()
                                .map(|n| n.to_string_lossy().to_string())
                                .unwrap_or_default()
                        ));
                    }
                    Ok(Output::text(stdout, warnings))
                }
            }
        }
    }
}
