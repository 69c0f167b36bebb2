//! The checklist of `verifica` as text and JSON: at its head the year's national rules, each
//! with its fonte; then every check with its verdict, figures and source; and, when the inputs
//! themselves break a rule, the list of those problems (without the rules' block).

use serde_json::json;

use crate::audit::{national_rules, Check, Verdict};
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::Inputs;
use crate::national::National;
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

/// The block of the year's national rules: each rule, what the catalogue says, its fonte.
fn rules_text(n: &National) -> String {
    let mut out = format!("Regole nazionali dell'anno {} ({})\n\n", n.year, n.file);
    for r in national_rules(n) {
        out.push_str(&format!(
            "regola {}\n       {}\n       fonte: {}\n",
            r.name, r.content, r.source
        ));
    }
    out
}

/// The year's national rules as JSON.
fn rules_json(n: &National) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = national_rules(n)
        .into_iter()
        .map(|r| json!({"regola": r.name, "contenuto": r.content, "fonte": r.source}))
        .collect();
    json!({
        "anno": n.year,
        "catalogo": n.file,
        "regole": rules,
        "fonti_da_verificare": n.unverified(),
    })
}

/// The checklist of `verifica`: the year's national rules, then the checks.
pub fn text(inputs: &Inputs, checks: &[Check]) -> String {
    let mut out = format!(
        "Verifica — {}, fondo dirigenza anno {}\n\n{}\nControlli\n\n",
        inputs.rules.ente,
        inputs.rules.year,
        rules_text(&inputs.rules.national)
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
        "regole_nazionali": rules_json(&inputs.rules.national),
        "controlli": checks_json(checks),
    }))
}

/// A problem of the inputs as a failed check (a warning stays a warning), with the place it
/// was found.
fn input_check(d: &Diagnostic) -> Check {
    let loc = &d.location;
    let place = loc.place();
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
    let checks: Vec<Check> = diags.list.iter().map(input_check).collect();
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
