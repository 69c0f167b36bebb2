//! The checklist of `verifica` as text and JSON: every check with its verdict, figures and
//! source; and, when the inputs themselves break a rule, the list of those problems.

use serde_json::json;

use crate::audit::{Check, Verdict};
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::Inputs;
use crate::output::{json, tables, text, ENGINE};

/// One check as text: its mark, its name, its figures and where it comes from (`place` says
/// what the last line is: `fonte` or `dove`).
fn check_text(c: &Check, place: &str) -> String {
    format!(
        "{:<6} {}\n       {}\n       {place}: {}\n",
        c.verdict.mark(),
        c.name,
        c.figures,
        c.source
    )
}

/// The checks as a JSON array.
fn checks_json(checks: &[Check]) -> Vec<serde_json::Value> {
    let t = tables::checks();
    checks.iter().map(|c| json::row(&t, &c)).collect()
}

/// The checklist of `verifica`.
pub fn text(inputs: &Inputs, checks: &[Check]) -> String {
    let mut out = format!(
        "Verifica — {}, fondo dirigenza anno {}\n\n",
        inputs.rules.ente, inputs.rules.year
    );
    for c in checks {
        out.push_str(&check_text(c, "fonte"));
    }
    let count = |v: Verdict| checks.iter().filter(|c| c.verdict == v).count();
    let (fails, warns) = (count(Verdict::Fails), count(Verdict::Warning));
    out.push_str(&format!(
        "\n{} controlli: {} rispettati, {} violati, {} {}\n",
        checks.len(),
        checks.len() - fails - warns,
        fails,
        warns,
        if warns == 1 { "avviso" } else { "avvisi" }
    ));
    out.push_str(&text::fingerprints(inputs));
    out
}

/// The checklist as JSON.
pub fn json(inputs: &Inputs, checks: &[Check]) -> String {
    json::pretty(&json!({
        "motore": ENGINE,
        "impronte_sha256": json::fingerprints(inputs),
        "ente": inputs.rules.ente,
        "anno": inputs.rules.year,
        "esito": if checks.iter().any(|c| c.verdict == Verdict::Fails) { "violato" } else { "rispettato" },
        "controlli": checks_json(checks),
    }))
}

/// A problem of the inputs as a failed check (a warning stays a warning), with the place it
/// was found.
fn input_check(d: &Diagnostic) -> Check {
    let loc = &d.location;
    let place = match (loc.line, loc.column) {
        (0, _) => loc.file.clone(),
        (l, 0) => format!("{}:{l}", loc.file),
        (l, c) => format!("{}:{l}:{c}", loc.file),
    };
    Check {
        verdict: if d.is_error() {
            Verdict::Fails
        } else {
            Verdict::Warning
        },
        name: format!(
            "Dati di ingresso{}",
            loc.key
                .as_ref()
                .map(|k| format!(" [{k}]"))
                .unwrap_or_default()
        ),
        source: place,
        figures: d.message.clone(),
    }
}

/// When the inputs themselves break a rule, `verifica` lists each problem as a ✗ line with
/// the place it was found.
pub fn invalid_inputs(diags: &Diagnostics, json: bool) -> String {
    let checks: Vec<Check> = diags.0.iter().map(input_check).collect();
    if json {
        return json::pretty(&json!({
            "motore": ENGINE,
            "esito": "dati non validi",
            "controlli": checks_json(&checks),
        }));
    }
    let mut out = String::from("Verifica non eseguibile: i dati di ingresso violano le regole\n\n");
    for c in &checks {
        out.push_str(&check_text(c, "dove"));
    }
    out.push_str(&format!(
        "\n{} problemi nei dati di ingresso\n",
        diags.errors()
    ));
    out
}
