//! The calculation sheet of `spiega`: the figures found, with their formula, terms, sources
//! and roundings, and (for a manager) the input rows they come from, as text and JSON.

use serde_json::json;

use crate::alloc::TIE_BREAK_RULE;
use crate::engine::{Inputs, Outcome};
use crate::money::format_it;
use crate::objectives::ObjectiveResult;
use crate::output::{json, text, ENGINE};
use crate::staff::{Manager, Staff};
use crate::trail::Figure;

/// One input row of the sheet: what it is, its value, where it was read.
struct InputRow {
    label: String,
    value: String,
    origin: String,
}

impl InputRow {
    fn new(label: impl Into<String>, value: String, origin: impl Into<String>) -> InputRow {
        InputRow {
            label: label.into(),
            value,
            origin: origin.into(),
        }
    }
}

/// The calculation sheet of the figures `spiega` found.
pub fn text(inputs: &Inputs, outcome: &Outcome, what: &str, figures: &[&Figure]) -> String {
    let mut out = format!(
        "Foglio di calcolo: {what} — {}, anno {}\n",
        inputs.rules.ente, inputs.rules.year
    );
    for f in figures {
        out.push_str(&text::figure(f));
    }
    let rows = manager_inputs(inputs, outcome, what);
    if !rows.is_empty() {
        out.push_str("\n  Dati di ingresso\n");
        for r in &rows {
            out.push_str(&format!("    {}: {} ({})\n", r.label, r.value, r.origin));
        }
    }
    out.push_str(&text::fingerprints(inputs));
    out
}

/// The calculation sheet as JSON.
pub fn json(inputs: &Inputs, outcome: &Outcome, what: &str, figures: &[&Figure]) -> String {
    json::pretty(&json!({
        "motore": ENGINE,
        "impronte_sha256": json::fingerprints(inputs),
        "richiesta": what,
        "cifre": figures.iter().map(|f| json::figure(f)).collect::<Vec<_>>(),
        "dati_di_ingresso": manager_inputs(inputs, outcome, what)
            .into_iter()
            .map(|r| json!({"dato": r.label, "valore": r.value, "origine": r.origin}))
            .collect::<Vec<_>>(),
    }))
}

/// A manager's input rows, for the calculation sheet: the post, the scores, the objectives,
/// the interims, the fees and the cents of the largest remainder. None if `matricola` is not
/// a manager's.
fn manager_inputs(inputs: &Inputs, outcome: &Outcome, matricola: &str) -> Vec<InputRow> {
    let Some(staff) = &inputs.staff else {
        return Vec::new();
    };
    let Some(m) = staff.managers.iter().find(|m| *m.matricola == *matricola) else {
        return Vec::new();
    };
    let mut rows = vec![post(m)];
    rows.extend(evaluations(staff, matricola));
    rows.extend(objectives(inputs, outcome, matricola));
    rows.extend(extras(staff, matricola));
    if let Some(p) = &outcome.pay {
        let cents: i64 = p
            .cents_moved
            .iter()
            .filter(|(m, _)| m == matricola)
            .map(|(_, c)| c)
            .sum();
        rows.push(InputRow::new(
            "centesimi assegnati con il resto maggiore",
            format!("{cents:+}"),
            TIE_BREAK_RULE,
        ));
    }
    rows
}

/// The manager's post (*incarico*): name, post, yearly position pay and period.
fn post(m: &Manager) -> InputRow {
    InputRow::new(
        "incarico",
        format!(
            "{} — {}, posizione annua {}, {}",
            m.name,
            m.post,
            m.yearly_position_pay.it(),
            period_words(m)
        ),
        m.origin.to_string(),
    )
}

/// The manager's time in post: the dates, or the days of service given (`giorni`).
fn period_words(m: &Manager) -> String {
    match (m.start, m.end, m.days) {
        (Some(s), Some(e), _) => format!(
            "dal {} al {}",
            crate::money::date_it(s),
            crate::money::date_it(e)
        ),
        (_, _, Some(g)) => format!("{g} giorni di servizio nell'anno"),
        _ => String::new(),
    }
}

/// The manager's score in each component of the evaluation.
fn evaluations<'a>(staff: &'a Staff, matricola: &'a str) -> impl Iterator<Item = InputRow> + 'a {
    staff
        .evaluations
        .iter()
        .filter(move |e| *e.matricola == *matricola)
        .map(|e| {
            InputRow::new(
                format!("punteggio {}", e.component),
                format_it(e.score, 2),
                e.origin.to_string(),
            )
        })
}

/// The manager's objective score, with how it is made, and each objective's attainment.
fn objectives(inputs: &Inputs, outcome: &Outcome, matricola: &str) -> Vec<InputRow> {
    let (Some(p), Some(ip)) = (&outcome.peg, &inputs.peg) else {
        return Vec::new();
    };
    let objs: Vec<&ObjectiveResult> = p
        .objectives
        .iter()
        .filter(|o| ip.objective_matricola(o.index()) == matricola)
        .collect();
    let mut rows = Vec::new();
    if let Some(s) = p.managers.iter().find(|s| s.matricola == matricola) {
        rows.push(InputRow::new(
            "punteggio obiettivi",
            format!(
                "{} — {}",
                format_it(s.score, 2),
                s.explanation(&objs, ip, &inputs.rules.attainment)
            ),
            "obiettivi e indicatori",
        ));
    }
    for o in objs {
        let src = o.source(ip);
        rows.push(InputRow::new(
            format!("obiettivo {}", src.code),
            format!("{}%", format_it(o.attainment, 2)),
            src.origin.to_string(),
        ));
    }
    rows
}

/// The manager's interims and fees paid outside the fund.
fn extras(staff: &Staff, matricola: &str) -> Vec<InputRow> {
    let interims = staff.interims.iter().filter(|i| i.matricola == matricola);
    let fees = staff.fees.iter().filter(|f| f.matricola == matricola);
    interims
        .map(|i| {
            InputRow::new(
                "interim",
                format!("{} ({})", i.covered_post, i.covered_position_pay.it()),
                i.origin.to_string(),
            )
        })
        .chain(fees.map(|f| {
            InputRow::new(
                format!("compenso ex lege: {}", f.kind),
                f.amount.it(),
                f.origin.to_string(),
            )
        }))
        .collect()
}
