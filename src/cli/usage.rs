//! The command line's help and errors, in Italian: clap's errors translated (each saying what
//! to write instead, and where the help of the command is), and the help of a command for
//! `ccdi help COMANDO`, the same text as `ccdi COMANDO --help`.

use std::ffi::OsString;

use super::args::definition;
use super::CliError;
use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The names of the commands, as the general help lists them.
fn command_names() -> Vec<String> {
    definition()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect()
}

/// The help of a command (`None`: the general help), or the error of an unknown one: what
/// `ccdi COMANDO --help` gives, asked of clap the same way.
pub(super) fn help_of(name: Option<&str>) -> CliError {
    let args: Vec<OsString> = ["ccdi"]
        .into_iter()
        .chain(name)
        .chain(["--help"])
        .map(OsString::from)
        .collect();
    match definition().try_get_matches_from(&args) {
        Err(e) => translate(e, &args),
        // A command that takes `--help` always answers it: never reached.
        Ok(_) => CliError::Usage(format!(
            "errore: nessun aiuto per \"{}\"",
            name.unwrap_or("")
        )),
    }
}

/// A piece of an error's context as text ("" when absent).
fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::None) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The command the user typed (the first argument that names one), for the help's pointer.
fn typed_command(args: &[OsString]) -> Option<String> {
    let names = command_names();
    args.iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .find(|a| names.iter().any(|n| n == a))
        .map(str::to_string)
}

/// Translates a clap error: help and version are printed (exit 0), the rest is a usage error
/// (exit 2) saying what to write and where the command's help is.
pub(super) fn translate(e: clap::Error, args: &[OsString]) -> CliError {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let text = e.render().to_string();
            return CliError::Info(format!("{}\n", text.trim_end()));
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            let help = definition().render_help().to_string();
            return CliError::Usage(format!("errore: manca il comando\n\n{help}"));
        }
        _ => {}
    }
    let help = match typed_command(args) {
        Some(c) => format!("ccdi {c} --help"),
        None => "ccdi --help".to_string(),
    };
    CliError::Usage(format!("errore: {}\nPer l'aiuto: {help}", message(&e)))
}

/// The message of a usage error, in Italian.
fn message(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg);
    let value = context(e, ContextKind::InvalidValue);
    match e.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("manca il valore di {arg}"),
        ErrorKind::InvalidValue => {
            let valid = context(e, ContextKind::ValidValue);
            format!("valore \"{value}\" non valido per {arg}; valori ammessi: {valid}")
        }
        ErrorKind::ValueValidation => format!(
            "valore \"{value}\" non valido per {arg}: serve un numero intero senza segno, come 100"
        ),
        ErrorKind::UnknownArgument => unknown_argument(e, &arg),
        ErrorKind::InvalidSubcommand => {
            let sub = context(e, ContextKind::InvalidSubcommand);
            format!(
                "comando sconosciuto \"{sub}\"{}; comandi: {}",
                maybe(&context(e, ContextKind::SuggestedSubcommand)),
                command_names().join(", ")
            )
        }
        ErrorKind::MissingRequiredArgument => format!("manca un argomento obbligatorio: {arg}"),
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("manca il valore di {arg}")
        }
        ErrorKind::ArgumentConflict => conflict(e, &arg),
        ErrorKind::TooManyValues => format!("troppi valori per {arg}"),
        ErrorKind::InvalidUtf8 => "un argomento contiene caratteri non validi (non UTF-8)".into(),
        _ => "riga di comando non valida".to_string(),
    }
}

/// "; forse X?" when clap has a suggestion.
fn maybe(suggested: &str) -> String {
    if suggested.is_empty() {
        String::new()
    } else {
        format!(" (forse {suggested}?)")
    }
}

/// An option the command does not have, or a value too many (a text with spaces not quoted).
fn unknown_argument(e: &clap::Error, arg: &str) -> String {
    if arg.starts_with('-') {
        let suggested = context(e, ContextKind::SuggestedArg);
        format!("argomento sconosciuto \"{arg}\"{}", maybe(&suggested))
    } else {
        format!(
            "argomento in più \"{arg}\": un testo con spazi va scritto tra virgolette (\"entro il 31.07.20\")"
        )
    }
}

/// Two options that do not go together, or one given twice.
fn conflict(e: &clap::Error, arg: &str) -> String {
    let prior = context(e, ContextKind::PriorArg);
    if prior.is_empty() || prior == arg {
        format!("{arg} indicato più di una volta: indicarlo una volta sola")
    } else {
        format!("{arg} non si può usare insieme a {prior}")
    }
}
