//! The commands that write the starting files of a year into a new or empty folder (never
//! over a file): `ccdi modelli`, the blank templates, and `ccdi esempio`, the bundled
//! example's files; each ends with the command that computes them.

use std::path::Path;

use super::commands::written_list;
use super::{CliError, Output};
use crate::input::files::{example_files, EXAMPLE_RULES_FILE};
use crate::output::templates::TEMPLATES;
use crate::output::write;

/// Writes the files into `out` (new or empty) and says what was written and what to run.
fn write_starting_files(
    out: &Path,
    files: Vec<(String, Vec<u8>)>,
    rules: &str,
    next: &str,
) -> Result<Output, CliError> {
    let written = write::write_new(out, &files).map_err(CliError::Input)?;
    let run = format!(
        "{next}: ccdi calcola --regole {} --dati {}\n",
        out.join(rules).display(),
        out.display()
    );
    Ok(Output::text(
        written_list(out, &written.files) + &run,
        written.warnings,
    ))
}

/// `ccdi modelli`: the rules file, the CSVs and `LEGGIMI.txt`.
pub(super) fn templates(out: &Path) -> Result<Output, CliError> {
    let files = TEMPLATES
        .iter()
        .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
        .collect();
    write_starting_files(
        out,
        files,
        "regole.toml",
        "Guida alle colonne: LEGGIMI.txt. Così come sono, o una volta compilati",
    )
}

/// `ccdi esempio`: the bundled Prato 2019 rules file and CSVs.
pub(super) fn example(out: &Path) -> Result<Output, CliError> {
    let files = example_files()
        .into_iter()
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect();
    write_starting_files(
        out,
        files,
        EXAMPLE_RULES_FILE,
        "Le stesse cifre di ccdi calcola, da questi file",
    )
}
