//! The set of files `calcola --out` writes: workbook, the HTML reports (`relazione.html` to
//! publish, aggregate only, and `relazione-interna.html` with every manager), JSON, text,
//! the RGS documents, the checklist, the CSV tables, the amounts to pay and the transparency
//! table, each made when its turn to be written comes, so that a large ente's outputs are in
//! memory one at a time.

use std::io::Write;

use crate::audit::Check;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::engine::{Inputs, Outcome};
use crate::output::documents::{self, Document};
use crate::output::transparency::{self, Transparency};
use crate::output::write::{Failure, Producer};
use crate::output::{checklist, csv, html, json, relazioni, text, xlsx};

/// What several files share, made once.
struct Shared {
    docs: Vec<Document>,
    checks: Vec<Check>,
    transparency: Option<Transparency>,
}

/// Makes the files of `calcola --out` and hands them, name and maker, to `write` (which
/// writes them, each when its turn comes); returns what `write` returns. The files borrow
/// what they share, which lives here while they are written.
pub fn with_files<T>(
    inputs: &Inputs,
    outcome: &Outcome,
    write: impl FnOnce(Vec<(String, Producer<'_>)>) -> T,
) -> T {
    let shared = Shared {
        docs: documents::documents(inputs, outcome, inputs.previous.as_ref()),
        checks: crate::audit::verify(inputs, outcome),
        transparency: outcome.pay.as_ref().map(transparency::transparency),
    };
    write(files(inputs, outcome, &shared))
}

/// Writes a text whole.
fn put(w: &mut dyn Write, text: String) -> Result<(), Failure> {
    Ok(w.write_all(text.as_bytes())?)
}

/// The two HTML reports: the one to publish, aggregate only, and the internal one.
fn reports<'a>(
    inputs: &'a Inputs,
    outcome: &'a Outcome,
    shared: &'a Shared,
) -> [(String, Producer<'a>); 2] {
    let (docs, checks, transparency) = (&shared.docs, &shared.checks, shared.transparency.as_ref());
    [
        (
            "relazione.html".to_string(),
            Box::new(move |w| put(w, html::report(inputs, outcome, docs, checks, transparency))),
        ),
        (
            "relazione-interna.html".to_string(),
            Box::new(move |w| {
                let internal = html::Audience::Internal;
                let text = html::report_for(internal, inputs, outcome, docs, checks, transparency);
                put(w, text)
            }),
        ),
    ]
}

/// Every file, in the order they are written.
fn files<'a>(
    inputs: &'a Inputs,
    outcome: &'a Outcome,
    shared: &'a Shared,
) -> Vec<(String, Producer<'a>)> {
    let (docs, checks, transparency) = (&shared.docs, &shared.checks, shared.transparency.as_ref());
    let mut files: Vec<(String, Producer<'a>)> = vec![
        (
            "fondo.xlsx".to_string(),
            Box::new(move |w| {
                let bytes =
                    xlsx::workbook(inputs, outcome, docs, checks, transparency).map_err(|e| {
                        Failure::Input(Diagnostics(vec![Diagnostic::error(
                            Location::file("fondo.xlsx"),
                            format!("impossibile comporre la cartella di lavoro: {e}"),
                        )]))
                    })?;
                Ok(w.write_all(&bytes)?)
            }),
        ),
        (
            "fondo.json".to_string(),
            // Written as it is made: never whole in memory.
            Box::new(move |w| Ok(json::write_report(inputs, outcome, w)?)),
        ),
        (
            "fondo.txt".to_string(),
            Box::new(move |w| put(w, text::report(inputs, outcome))),
        ),
        (
            "relazioni-rgs.csv".to_string(),
            Box::new(move |w| put(w, relazioni::csv(inputs, docs))),
        ),
        (
            "verifica.txt".to_string(),
            Box::new(move |w| put(w, checklist::text(inputs, checks))),
        ),
    ];
    files.splice(1..1, reports(inputs, outcome, shared));
    for (name, table) in csv::tables_deferred(inputs, outcome) {
        files.push((name.to_string(), Box::new(move |w| Ok(table.write(w)?))));
    }
    if let Some(p) = &outcome.pay {
        files.push((
            "liquidazione.csv".to_string(),
            Box::new(move |w| put(w, csv::file(&csv::payout(&inputs.rules, p)))),
        ));
    }
    if let Some(t) = transparency {
        files.push((
            "trasparenza.csv".to_string(),
            Box::new(move |w| put(w, csv::file(&csv::transparency(t)))),
        ));
    }
    files
}
