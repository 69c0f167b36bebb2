//! The RGS documents (`ccdi relazioni`) as text, CSV and JSON: each table with its title, its
//! typed cells written as each format writes them.

use serde_json::{json, Value};

use crate::engine::Inputs;
use crate::output::documents::Document;
use crate::output::text::TextTable;
use crate::output::{csv, json, text, ENGINE};

/// The documents as text: each table with its title, amounts right-aligned.
pub fn text(inputs: &Inputs, docs: &[Document]) -> String {
    let mut out = String::new();
    for d in docs {
        out.push_str(&format!(
            "{}\n{}\n",
            d.title,
            "═".repeat(d.title.chars().count())
        ));
        for t in &d.tables {
            out.push_str(&format!("\n{}\n\n", t.title));
            // A column is right-aligned when any of its cells is a figure.
            let numeric = (0..t.headers.len())
                .map(|i| {
                    t.rows
                        .iter()
                        .any(|r| r.get(i).is_some_and(|c| c.is_figure()))
                })
                .collect();
            let rows = t
                .rows
                .iter()
                .map(|r| r.iter().map(|c| c.readable().into_owned()).collect())
                .collect();
            let table = TextTable {
                headers: t.headers.clone(),
                numeric,
                rows,
            };
            out.push_str(&table.render("  "));
            for n in &t.notes {
                out.push_str(&format!("  Nota: {n}\n"));
            }
        }
        out.push('\n');
    }
    out.push_str(&text::fingerprints(inputs));
    out
}

/// The documents as CSV: one block per table, its title on the first row.
pub fn csv(inputs: &Inputs, docs: &[Document]) -> String {
    let mut blocks: Vec<Vec<Vec<String>>> = Vec::new();
    for d in docs {
        for t in &d.tables {
            let mut rows = vec![
                vec![format!("{} — {}", d.title, t.title)],
                t.headers.clone(),
            ];
            rows.extend(
                t.rows
                    .iter()
                    .map(|r| r.iter().map(|c| c.csv().into_owned()).collect()),
            );
            rows.extend(t.notes.iter().map(|n| vec![format!("Nota: {n}")]));
            blocks.push(rows);
        }
    }
    blocks.push(csv::fingerprints(inputs));
    csv::stream(&blocks)
}

/// The documents as JSON: amounts as decimal strings.
pub fn json(inputs: &Inputs, docs: &[Document]) -> String {
    let table = |t: &crate::output::documents::DocTable| -> Value {
        json!({
            "titolo": t.title,
            "colonne": t.headers,
            "righe": t.rows.iter().map(|r| r.iter().map(json::cell).collect::<Vec<_>>()).collect::<Vec<_>>(),
            "note": t.notes,
        })
    };
    json::pretty(&json!({
        "motore": ENGINE,
        "impronte_sha256": json::fingerprints(inputs),
        "documenti": docs.iter().map(|d| json!({
            "titolo": d.title,
            "tabelle": d.tables.iter().map(table).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    }))
}
