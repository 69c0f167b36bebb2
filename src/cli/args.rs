//! The command line as typed: clap's types stay here and are turned at once into our own
//! [`Command`]; clap's errors are translated into Italian.

use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Parser, Subcommand, ValueEnum};

use super::{CliError, Command};

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
pub(crate) enum CliCommand {
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
        /// Il target come scritto nella scheda (es. "entro il 31.07.20", "-10%")
        #[arg(value_name = "TESTO", allow_hyphen_values = true)]
        testo: String,
        /// La descrizione dell'indicatore (decide il verso di un numero semplice)
        #[arg(long, value_name = "TESTO", default_value = "")]
        descrizione: String,
        /// L'anno del fondo, in cui si legge una scadenza scritta senza anno (es. "entro il 30/06")
        #[arg(long, value_name = "AAAA")]
        anno: Option<i32>,
        /// Il valore di partenza di una variazione (es. "riduzione del 10%"), come la colonna valore_iniziale
        #[arg(long, value_name = "VALORE", allow_hyphen_values = true)]
        valore_iniziale: Option<String>,
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

/// Parses the command line into a [`Command`], translating clap's errors into Italian.
pub fn parse_args<I, T>(args: I) -> Result<Command, CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = Cli::try_parse_from(args).map_err(translate)?;
    Ok(cli.command.into())
}

impl From<CliCommand> for Command {
    fn from(c: CliCommand) -> Command {
        match c {
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
                anno,
                valore_iniziale,
                json,
            } => Command::Target {
                text: testo,
                description: descrizione,
                year: anno,
                baseline: valore_iniziale,
                json,
            },
        }
    }
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
