//! `ccdi spiega --elenco`: every voce `spiega` and `verifica --dichiarati` accept, with what it
//! is and when a run has it, as text (aligned columns) or JSON.

use serde_json::json;

use super::{Formato, Output};
use crate::audit::VOCI;
use crate::diag::Diagnostics;

/// The list of the voci, in the order of the trail.
pub(super) fn list(format: Formato) -> Output {
    let stdout = match format {
        Formato::Json => json(),
        _ => text(),
    };
    Output::text(stdout, Diagnostics::default())
}

/// The list as text: the name and the description, and under them when a run has it.
fn text() -> String {
    let width = VOCI
        .iter()
        .map(|v| v.name.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::from(
        "Voci di ccdi spiega e di ccdi verifica --dichiarati (<matricola>: la matricola di un dirigente, es. D001)\n\n",
    );
    for v in VOCI {
        let pad = width - v.name.chars().count();
        out.push_str(&format!(
            "  {}{}  {}\n",
            v.name,
            " ".repeat(pad),
            v.description
        ));
        if !v.when.is_empty() {
            out.push_str(&format!("  {}  solo {}\n", " ".repeat(width), v.when));
        }
    }
    out
}

/// The list as a JSON array of `{voce, descrizione, quando}` (`quando` empty: always).
fn json() -> String {
    let rows: Vec<serde_json::Value> = VOCI
        .iter()
        .map(|v| json!({"voce": v.name, "descrizione": v.description, "quando": v.when}))
        .collect();
    crate::output::json::pretty(&json!({ "voci": rows }))
}
