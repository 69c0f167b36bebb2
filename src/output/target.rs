//! How `ccdi target` shows the reading of a PEG target, as text and as one JSON object.

use serde_json::{json, Map, Value};

use crate::money::format_it;
use crate::peg::target::Target;

/// How a target is read, in Italian (`ccdi target`).
pub fn text(t: &Target) -> String {
    let mut out = format!("target: \"{}\"\n{}\n", t.text, t.explanation());
    out.push_str(&format!("tipo: {}\n", t.kind.key()));
    if let Some(v) = t.value {
        out.push_str(&format!(
            "valore: {}{}\n",
            format_it(v.normalize(), 0),
            if t.percent { "%" } else { "" }
        ));
    }
    if let Some(d) = t.deadline {
        out.push_str(&format!("scadenza: {}\n", crate::money::date_it(d)));
    }
    if let Some(c) = t.change {
        out.push_str(&format!("variazione: {}%\n", signed(c)));
    }
    if let Some(b) = t.baseline {
        out.push_str(&format!(
            "valore iniziale: {}{}\n",
            format_it(b.normalize(), 0),
            if t.percent { "%" } else { "" }
        ));
    }
    if let Some(d) = t.direction {
        out.push_str(&format!(
            "verso: {}{}\n",
            d.key(),
            if t.direction_inferred {
                " (dedotto)"
            } else {
                ""
            }
        ));
    }
    if let Some(n) = &t.note {
        out.push_str(&format!("nota: {n}\n"));
    }
    if let Some(r) = &t.reason {
        out.push_str(&format!("da valutare: {r}\n"));
    }
    out
}

/// How a target is read, as one JSON object on one line (`ccdi target --json`).
pub fn json(t: &Target) -> String {
    let mut m = Map::new();
    m.insert("tipo".into(), json!(t.kind.key()));
    if let Some(v) = t.value {
        m.insert("valore".into(), json!(v.normalize().to_string()));
    }
    if t.percent {
        m.insert("unita".into(), json!("%"));
    }
    if let Some(d) = t.deadline {
        m.insert("scadenza".into(), json!(d.format("%Y-%m-%d").to_string()));
    }
    if let Some(c) = t.change {
        m.insert("variazione".into(), json!(c.normalize().to_string()));
    }
    if let Some(b) = t.baseline {
        m.insert("valore_iniziale".into(), json!(b.normalize().to_string()));
    }
    if let Some(r) = &t.reason {
        m.insert("motivo".into(), json!(r));
    }
    let mut s = serde_json::to_string(&Value::Object(m)).unwrap_or_default();
    s.push('\n');
    s
}

/// A change with its sign: `−10`, `+10`.
fn signed(c: rust_decimal::Decimal) -> String {
    let sign = if c.is_sign_negative() { "−" } else { "+" };
    format!("{sign}{}", format_it(c.abs().normalize(), 0))
}
