//! The command line as typed: clap's types stay here and are turned at once into our own
//! [`Command`]; every text clap shows is ours, in Italian (the usage lines, the defaults and
//! the values admitted are written in the help texts; `usage` translates clap's errors).

use std::path::PathBuf;

use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use super::usage::{help_of, translate};
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
    override_usage = "ccdi COMANDO [OPZIONI]",
    subcommand_help_heading = "Comandi",
    subcommand_value_name = "COMANDO",
    next_help_heading = "Opzioni",
    after_help = "Per cominciare: ccdi calcola (esegue l'esempio incluso: Comune di Prato, anno 2019); \
ccdi modelli --out CARTELLA (i file da compilare per il proprio ente).\n\
L'aiuto di un comando: ccdi help COMANDO, oppure ccdi COMANDO --help."
)]
pub struct Cli {
    #[command(subcommand)]
    command: CliCommand,
    /// Mostra questo aiuto
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Mostra la versione
    #[arg(short = 'V', long = "version", alias = "versione", action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CliCommand {
    /// Calcola il fondo e il quadro di sintesi (senza argomenti: l'esempio incluso di Prato 2019)
    #[command(
        override_usage = "ccdi calcola [--regole FILE [--dati CARTELLA]] [--precedente FILE] [--formato FORMATO] [--out CARTELLA]\n     \
ccdi calcola --lotto CARTELLA [--out CARTELLA]"
    )]
    Calcola(Calcola),
    /// Foglio di calcolo di una cifra: formula, dati con file e riga, fonti, arrotondamenti
    #[command(
        override_usage = "ccdi spiega [--regole FILE [--dati CARTELLA]] [--precedente FILE] [--formato FORMATO] VOCE\n     \
ccdi spiega --elenco [--formato FORMATO]"
    )]
    Spiega(Spiega),
    /// Controlla ogni vincolo di legge e ogni somma: ✓ / ✗ / avviso, con la fonte (esce con 1 se un vincolo è violato)
    #[command(
        override_usage = "ccdi verifica [--regole FILE [--dati CARTELLA]] [--precedente FILE] [--dichiarati FILE] [--formato FORMATO]"
    )]
    Verifica(Verifica),
    /// Tabelle della relazione tecnico-finanziaria (Moduli I-IV) e della relazione illustrativa (Moduli 1 e 2 A-G)
    #[command(
        override_usage = "ccdi relazioni [--regole FILE [--dati CARTELLA]] [--precedente FILE] [--formato FORMATO]"
    )]
    Relazioni(Relazioni),
    /// Confronta gli stessi dati con due file delle regole, o quest'anno con il fondo.json
    /// dell'anno precedente: per dirigente e per voce del fondo le due cifre, la differenza e la
    /// variazione percentuale (chi guadagna, chi perde, quanto)
    #[command(
        override_usage = "ccdi confronta --regole FILE --contro FILE [--dati CARTELLA] [--formato FORMATO] [--out CARTELLA]"
    )]
    Confronta(Confronta),
    /// Scrive in una cartella nuova o vuota i modelli da compilare: regole.toml commentato, ogni
    /// CSV con le intestazioni e una riga di esempio, LEGGIMI.txt con la guida alle colonne
    #[command(override_usage = "ccdi modelli --out CARTELLA")]
    Modelli(Cartella),
    /// Scrive in una cartella nuova o vuota i file dell'esempio incluso (regole e CSV di Prato
    /// 2019), da cui partire
    #[command(override_usage = "ccdi esempio --out CARTELLA")]
    Esempio(Cartella),
    /// Genera un lotto sintetico ma realistico di enti (o un ente molto grande), riproducibile dal seme
    #[command(
        override_usage = "ccdi genera --out CARTELLA [--enti N] [--seme S] [--grande DIRIGENTI]"
    )]
    Genera(Genera),
    /// Mostra come viene letto il target di un indicatore del PEG
    #[command(
        override_usage = "ccdi target [--descrizione TESTO] [--anno AAAA] [--valore-iniziale VALORE] [--json] TESTO"
    )]
    Target(Target),
    /// Mostra l'aiuto di un comando (come ccdi COMANDO --help)
    #[command(name = "help", alias = "aiuto", override_usage = "ccdi help [COMANDO]")]
    Help(Help),
}

/// The year's inputs: the rules file and the data folder (the bundled example without them).
#[derive(Debug, Args)]
pub(crate) struct Anno {
    /// File delle regole (TOML); se assente, l'esempio incluso
    #[arg(long, value_name = "FILE")]
    regole: Option<PathBuf>,
    /// Cartella dei dati CSV (obiettivi.csv, indicatori.csv, ...); senza --regole né --dati,
    /// i dati dell'esempio incluso
    #[arg(long, value_name = "CARTELLA", requires = "regole")]
    dati: Option<PathBuf>,
}

/// `ccdi calcola`.
#[derive(Debug, Args)]
pub(crate) struct Calcola {
    #[command(flatten)]
    anno: Anno,
    /// Cartella con una sottocartella per ente (regole.toml e CSV): calcola tutti gli enti in
    /// parallelo e stampa il riepilogo (con --out scrive i risultati di ogni ente e riepilogo.csv)
    #[arg(long, value_name = "CARTELLA", conflicts_with_all = ["regole", "dati", "formato", "precedente"])]
    lotto: Option<PathBuf>,
    /// Il fondo.json che calcola --out ha scritto per l'anno precedente: riporto proposto dalle
    /// sue economie, Modulo III con le sue cifre certificate
    #[arg(long, value_name = "FILE")]
    precedente: Option<PathBuf>,
    /// Formato dell'uscita: testo (predefinito), csv (punto e virgola e virgola decimale, come
    /// lo apre Excel in italiano) o json (importi come stringhe decimali)
    #[arg(long, value_enum, default_value_t = Formato::Testo, value_name = "FORMATO", hide_possible_values = true, hide_default_value = true)]
    formato: Formato,
    /// Scrive tutti i risultati in questa cartella: cartella di lavoro Excel, relazione HTML, CSV, JSON, tabella per la trasparenza
    #[arg(long, value_name = "CARTELLA")]
    out: Option<PathBuf>,
}

/// `ccdi spiega`.
#[derive(Debug, Args)]
pub(crate) struct Spiega {
    #[command(flatten)]
    anno: Anno,
    /// Formato dell'uscita: testo (predefinito) o json
    #[arg(long, value_enum, default_value_t = Formato::Testo, value_name = "FORMATO", hide_possible_values = true, hide_default_value = true)]
    formato: Formato,
    /// Elenca tutte le voci, ciascuna con la sua descrizione
    #[arg(long, conflicts_with_all = ["voce", "regole", "dati", "precedente"])]
    elenco: bool,
    /// Il fondo.json che calcola --out ha scritto per l'anno precedente (la voce
    /// riporto_proposto)
    #[arg(long, value_name = "FILE")]
    precedente: Option<PathBuf>,
    /// La voce (es. fondo, risultato:D001, interim:D005) o la matricola di un dirigente;
    /// l'elenco delle voci: ccdi spiega --elenco
    #[arg(value_name = "VOCE", required_unless_present = "elenco")]
    voce: Option<String>,
}

/// `ccdi verifica`.
#[derive(Debug, Args)]
pub(crate) struct Verifica {
    #[command(flatten)]
    anno: Anno,
    /// CSV delle cifre dichiarate in un documento firmato (colonne voce;importo) da
    /// confrontare; le voci: ccdi spiega --elenco
    #[arg(long, value_name = "FILE")]
    dichiarati: Option<PathBuf>,
    /// Il fondo.json che calcola --out ha scritto per l'anno precedente: il riporto indicato
    /// nelle regole confrontato con quello proposto dalle sue economie
    #[arg(long, value_name = "FILE")]
    precedente: Option<PathBuf>,
    /// Formato dell'uscita: testo (predefinito) o json
    #[arg(long, value_enum, default_value_t = Formato::Testo, value_name = "FORMATO", hide_possible_values = true, hide_default_value = true)]
    formato: Formato,
}

/// `ccdi relazioni`.
#[derive(Debug, Args)]
pub(crate) struct Relazioni {
    #[command(flatten)]
    anno: Anno,
    /// Il fondo.json che calcola --out ha scritto per l'anno precedente, per il confronto del
    /// Modulo III con le cifre certificate (accettato anche il file delle regole dell'anno
    /// precedente, ricalcolato)
    #[arg(long, value_name = "FILE")]
    precedente: Option<PathBuf>,
    /// Formato dell'uscita: testo (predefinito), csv o json
    #[arg(long, value_enum, default_value_t = Formato::Testo, value_name = "FORMATO", hide_possible_values = true, hide_default_value = true)]
    formato: Formato,
}

/// `ccdi confronta`: the same data under two rules files.
#[derive(Debug, Args)]
pub(crate) struct Confronta {
    /// File delle regole (TOML): le regole A, il punto di partenza (per esempio le regole in
    /// vigore); con un fondo.json in --contro, le regole di quest'anno
    #[arg(long, value_name = "FILE")]
    regole: PathBuf,
    /// File delle regole B (TOML): l'ipotesi da confrontare con A (per esempio un'altra
    /// ripartizione o altre fasce); differenza = B − A. Oppure il fondo.json scritto da
    /// calcola --out per l'anno precedente: allora A è quell'anno, come certificato, e B
    /// quest'anno, calcolato con --regole e --dati
    #[arg(long, value_name = "FILE")]
    contro: PathBuf,
    /// Cartella dei dati (dirigenti.csv, valutazioni.csv, ...), la stessa per A e per B;
    /// senza, il confronto delle sole voci del fondo
    #[arg(long, value_name = "CARTELLA")]
    dati: Option<PathBuf>,
    /// Formato dell'uscita: testo (predefinito), csv o json
    #[arg(long, value_enum, default_value_t = Formato::Testo, value_name = "FORMATO", hide_possible_values = true, hide_default_value = true)]
    formato: Formato,
    /// Scrive in questa cartella confronto.xlsx (cartella di lavoro) e confronto.html (con il
    /// grafico delle differenze per dirigente): file interni, con matricole e nomi
    #[arg(long, value_name = "CARTELLA")]
    out: Option<PathBuf>,
}

/// `ccdi modelli` and `ccdi esempio`: the folder to write.
#[derive(Debug, Args)]
pub(crate) struct Cartella {
    /// Cartella in cui scrivere: nuova o vuota (nessun file viene sovrascritto)
    #[arg(long, value_name = "CARTELLA")]
    out: PathBuf,
}

/// `ccdi genera`.
#[derive(Debug, Args)]
pub(crate) struct Genera {
    /// Numero di enti del lotto (predefinito: 100)
    #[arg(
        long,
        value_name = "N",
        default_value_t = 100,
        hide_default_value = true
    )]
    enti: usize,
    /// Seme del generatore: lo stesso seme dà gli stessi file (predefinito: 1)
    #[arg(long, value_name = "S", default_value_t = 1, hide_default_value = true)]
    seme: u64,
    /// Invece del lotto, un solo ente con questo numero di dirigenti
    #[arg(long, value_name = "DIRIGENTI")]
    grande: Option<usize>,
    /// Cartella in cui scrivere (creata se manca)
    #[arg(long, value_name = "CARTELLA")]
    out: PathBuf,
}

/// `ccdi target`.
#[derive(Debug, Args)]
pub(crate) struct Target {
    /// Il target come scritto nella scheda, tra virgolette (es. "entro il 31.07.20", "-10%")
    #[arg(value_name = "TESTO", allow_hyphen_values = true)]
    testo: String,
    /// La descrizione dell'indicatore (decide il verso di un numero semplice)
    #[arg(
        long,
        value_name = "TESTO",
        default_value = "",
        hide_default_value = true
    )]
    descrizione: String,
    /// L'anno del fondo, in cui si legge una scadenza scritta senza anno (es. "entro il 30/06")
    #[arg(long, value_name = "AAAA")]
    anno: Option<i32>,
    /// Il valore di partenza di una variazione (es. "riduzione del 10%"), come la colonna
    /// valore_iniziale
    #[arg(long, value_name = "VALORE", allow_hyphen_values = true)]
    valore_iniziale: Option<String>,
    /// Stampa un oggetto JSON
    #[arg(long)]
    json: bool,
}

/// `ccdi help`.
#[derive(Debug, Args)]
pub(crate) struct Help {
    /// Il comando di cui mostrare l'aiuto; senza, l'aiuto generale
    #[arg(value_name = "COMANDO")]
    comando: Option<String>,
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

/// The command line as clap checks it: the derived definition, every command with our help
/// template and its options under "Opzioni".
pub fn definition() -> clap::Command {
    Cli::command()
        .help_template(HELP_TEMPLATE)
        .mut_subcommands(|c| {
            c.help_template(HELP_TEMPLATE)
                .mut_args(|a| a.help_heading("Opzioni"))
        })
}

/// Parses the command line into a [`Command`], translating clap's errors into Italian;
/// `ccdi help COMANDO` is answered here, as `ccdi COMANDO --help` is.
pub fn parse_args<I, T>(args: I) -> Result<Command, CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let cli = definition()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
        .map_err(|e| translate(e, &args))?;
    Ok(match cli.command {
        CliCommand::Calcola(c) => c.into(),
        CliCommand::Spiega(c) => c.into(),
        CliCommand::Verifica(c) => c.into(),
        CliCommand::Relazioni(c) => c.into(),
        CliCommand::Confronta(c) => c.into(),
        CliCommand::Modelli(c) => Command::Templates { out: c.out },
        CliCommand::Esempio(c) => Command::Example { out: c.out },
        CliCommand::Genera(c) => c.into(),
        CliCommand::Target(c) => c.into(),
        CliCommand::Help(c) => return Err(help_of(c.comando.as_deref())),
    })
}

impl From<Calcola> for Command {
    fn from(c: Calcola) -> Command {
        match c.lotto {
            Some(dir) => Command::Batch { dir, out: c.out },
            None => Command::Compute {
                rules: c.anno.regole,
                data: c.anno.dati,
                previous: c.precedente,
                format: c.formato,
                out: c.out,
            },
        }
    }
}

impl From<Spiega> for Command {
    fn from(c: Spiega) -> Command {
        match c.voce {
            Some(what) if !c.elenco => Command::Explain {
                rules: c.anno.regole,
                data: c.anno.dati,
                previous: c.precedente,
                format: c.formato,
                what,
            },
            _ => Command::ExplainList { format: c.formato },
        }
    }
}

impl From<Verifica> for Command {
    fn from(c: Verifica) -> Command {
        Command::Verify {
            rules: c.anno.regole,
            data: c.anno.dati,
            previous: c.precedente,
            declared: c.dichiarati,
            format: c.formato,
        }
    }
}

impl From<Relazioni> for Command {
    fn from(c: Relazioni) -> Command {
        Command::Documents {
            rules: c.anno.regole,
            data: c.anno.dati,
            previous: c.precedente,
            format: c.formato,
        }
    }
}

impl From<Confronta> for Command {
    fn from(c: Confronta) -> Command {
        Command::Compare {
            rules: c.regole,
            against: c.contro,
            data: c.dati,
            format: c.formato,
            out: c.out,
        }
    }
}

impl From<Genera> for Command {
    fn from(c: Genera) -> Command {
        Command::Generate {
            entes: c.enti,
            seed: c.seme,
            large: c.grande,
            out: c.out,
        }
    }
}

impl From<Target> for Command {
    fn from(c: Target) -> Command {
        Command::Target {
            text: c.testo,
            description: c.descrizione,
            year: c.anno,
            baseline: c.valore_iniziale,
            json: c.json,
        }
    }
}
