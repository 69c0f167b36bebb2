//! The JSON document of `calcola` (amounts as decimal strings with a dot), written as it is
//! made so that a large ente's JSON never sits whole in memory, and the JSON pieces other
//! outputs share: a typed cell, a table's row, a figure of the trail, the fingerprints.

use serde_json::{json, Map, Value};

use crate::alloc::TIE_BREAK_RULE;
use crate::engine::{Inputs, Outcome};
use crate::fund::FundResult;
use crate::objectives::PegResult;
use crate::output::table::{Cell, Table};
use crate::output::tables::{self, IndicatorRow, ObjectiveRow, PegContext, QUADRO_TITLE};
use crate::output::ENGINE;
use crate::pay::{Art30Model, PayResult};
use crate::peg::Peg;
use crate::rules::Rules;
use crate::trail::Figure;

/// A typed cell as JSON: amounts and numbers as decimal strings with a dot, counts as
/// numbers, nothing as `null`.
pub fn cell(c: &Cell) -> Value {
    match c {
        Cell::Text(t) => Value::String(t.to_string()),
        Cell::Amount(m) => Value::String(m.plain()),
        Cell::Number(v, d) | Cell::Percent(v, d) | Cell::Worded(v, d, _) => {
            Value::String(d.plain(*v))
        }
        Cell::Count(n) => json!(n),
        Cell::Date(d) => Value::String(d.format("%Y-%m-%d").to_string()),
        Cell::Bool(b) => Value::Bool(*b),
        Cell::Verdict(v) => Value::String(v.key().to_string()),
        Cell::List(cells) => Value::Array(cells.iter().map(cell).collect()),
        Cell::Empty => Value::Null,
    }
}

/// A row of a defined table as one JSON object, its keyed columns in order.
pub fn row<C, R>(t: &Table<C, R>, r: &R) -> Value {
    Value::Object(t.keyed(r).map(|(k, c)| (k.to_string(), cell(&c))).collect())
}

/// Pretty JSON text with a final newline.
pub fn pretty(v: &impl serde::Serialize) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON document: amounts as decimal strings with a dot, sealed by its own SHA-256.
pub fn report(inputs: &Inputs, outcome: &Outcome) -> String {
    let mut out = Vec::new();
    // Writing to memory does not fail.
    let _ = write_report(inputs, outcome, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The same document as [`report`], written as it is made: a large ente's JSON never sits
/// whole in memory. Its last key is the SHA-256 of the document as written without it
/// ([`crate::fund::previous::DOCUMENT_HASH_KEY`]), so that a figure changed by hand is detected
/// when the file is read as the previous year's.
pub fn write_report(
    inputs: &Inputs,
    outcome: &Outcome,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut sealing = Sealing::new(w);
    serde_json::to_writer_pretty(&mut sealing, &document(inputs, outcome))?;
    sealing.finish()
}

/// Forwards a pretty JSON object as it is written, hashing it, and holds back its closing
/// `\n}`; [`Sealing::finish`] writes the seal in its place: the canonical text (the object,
/// `\n}` and a newline) is what the SHA-256 is of.
struct Sealing<'w> {
    out: &'w mut dyn std::io::Write,
    hasher: sha2::Sha256,
    /// The last bytes written, not yet forwarded (at most [`HELD`]).
    held: Vec<u8>,
}

/// The closing of a pretty JSON object, held back for the seal.
const HELD: &[u8] = b"\n}";

impl<'w> Sealing<'w> {
    fn new(out: &'w mut dyn std::io::Write) -> Sealing<'w> {
        Sealing {
            out,
            hasher: sha2::Digest::new(),
            held: Vec::new(),
        }
    }

    /// Checks the held closing and writes the seal after the object's last key.
    fn finish(mut self) -> std::io::Result<()> {
        use sha2::Digest;
        if self.held != HELD {
            return Err(std::io::Error::other(
                "documento JSON non chiuso come previsto",
            ));
        }
        self.hasher.update(b"\n");
        let hex: String = self
            .hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.out
            .write_all(crate::fund::previous::seal_tail(&hex).as_bytes())
    }
}

impl std::io::Write for Sealing<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        sha2::Digest::update(&mut self.hasher, buf);
        self.held.extend_from_slice(buf);
        if self.held.len() > HELD.len() {
            let cut = self.held.len() - HELD.len();
            self.out.write_all(&self.held[..cut])?;
            self.held.drain(..cut);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The fingerprints as JSON.
pub fn fingerprints(inputs: &Inputs) -> Value {
    Value::Array(
        inputs
            .fingerprints
            .iter()
            .map(|f| json!({"file": f.file, "sha256": f.sha256}))
            .collect(),
    )
}

/// One figure of the trail as JSON (used by the report and by `spiega`).
pub fn figure(f: &Figure) -> Value {
    json!({
        "voce": f.voce,
        "descrizione": f.description,
        "valore": f.value.plain(),
        "calcolo": f.formula,
        "addendi": f.terms.iter().map(|t| json!({
            "descrizione": t.description,
            "importo": t.value.plain(),
            "segno": if t.sign < 0 { "-" } else { "+" },
            "origine": t.origin,
            "fonte": t.source,
        })).collect::<Vec<_>>(),
        "arrotondamenti": f.roundings,
        "fonti": f.sources,
    })
}

/// The whole document, its large arrays made while written.
fn document<'a>(inputs: &'a Inputs, outcome: &'a Outcome) -> Node<'a> {
    let (rules, r) = (&inputs.rules, &outcome.fund);
    let mut doc = heading(inputs);
    doc.insert("costituzione".into(), constitution(rules, r));
    doc.insert("utilizzo".into(), split(rules, r));
    doc.insert("riporti".into(), carryovers(rules));
    doc.insert("quadro_sintesi".into(), quadro(rules, r));
    doc.insert("limite_2016".into(), cap(rules, r));
    let mut nodes: Vec<(String, Node)> =
        doc.into_iter().map(|(k, v)| (k, Node::Value(v))).collect();
    if let (Some(p), Some(peg)) = (&outcome.peg, &inputs.peg) {
        nodes.push(("obiettivi".into(), objectives(p, peg, rules)));
    }
    if let Some(p) = &outcome.pay {
        nodes.extend(pay(p).into_iter().map(|(k, v)| (k, Node::Value(v))));
    }
    // The managers' figures are written one by one while the array is written.
    nodes.push((
        "traccia".into(),
        Node::Stream(Box::new(move || {
            Box::new(crate::audit::figures(outcome).map(|f| figure(&f)))
        })),
    ));
    Node::Object(nodes)
}

/// The engine, the ente, the year, the rules file, the files read and the rounding.
fn heading(inputs: &Inputs) -> Map<String, Value> {
    let rules = &inputs.rules;
    let mut doc = Map::new();
    doc.insert("motore".into(), json!(ENGINE));
    doc.insert("ente".into(), json!(rules.ente));
    doc.insert("anno".into(), json!(rules.year));
    doc.insert("regole".into(), json!(rules.file));
    doc.insert("impronte_sha256".into(), fingerprints(inputs));
    doc.insert("arrotondamento".into(), json!(rules.rounding.key()));
    doc
}

/// The fund's items and totals (*costituzione*).
fn constitution(rules: &Rules, r: &FundResult) -> Value {
    let items = tables::fund_items();
    let resources: Vec<Value> = rules.resources.iter().map(|i| row(&items, &i)).collect();
    let cuts: Vec<Value> = rules.cuts.iter().map(|i| row(&items, &i)).collect();
    json!({
        "risorse": resources,
        "decurtazioni": cuts,
        "risorse_stabili": r.stable.plain(),
        "risorse_variabili": r.variable.plain(),
        "totale_decurtazioni": r.cuts.plain(),
        "fondo": r.fund.plain(),
    })
}

/// The split between position and result pay (*utilizzo*).
fn split(rules: &Rules, r: &FundResult) -> Value {
    json!({
        "posizione": { "importo": r.position.plain(), "percentuale": r.position_percent().plain() },
        "risultato": { "importo": r.result.plain(), "percentuale": r.result_percent().plain() },
        "percentuali_corrette_resto_maggiore": r.percentages.adjusted,
        "fonte": rules.split.source,
    })
}

/// The carry-overs from earlier years (*riporti*).
fn carryovers(rules: &Rules) -> Value {
    Value::Array(
        rules
            .carryovers
            .iter()
            .map(|c| {
                json!({
                    "anno_origine": c.year,
                    "descrizione": c.description,
                    "importo": c.amount.plain(),
                    "destinazione": "risultato",
                    "fonte": c.source,
                })
            })
            .collect(),
    )
}

/// The quadro di sintesi: its title, the carry-overs' columns and its rows.
fn quadro(rules: &Rules, r: &FundResult) -> Value {
    let q = tables::quadro(rules, r);
    let t = tables::quadro_table(&q);
    json!({
        "titolo": QUADRO_TITLE,
        "colonne_riporti": q.carryover_headers,
        "righe": q.rows.iter().map(|r| row(&t, &r)).collect::<Vec<_>>(),
    })
}

/// The 2016 cap, `null` when the rules do not give it.
fn cap(rules: &Rules, r: &FundResult) -> Value {
    match (&r.cap, &rules.cap2016) {
        (Some(cap), Some(c)) => json!({
            "limite": cap.limit.plain(),
            "fondo_dirigenti_soggetto": cap.this_fund.plain(),
            "altri_fondi": cap.other_funds.plain(),
            "totale_soggetto": cap.total.plain(),
            "margine": cap.headroom.plain(),
            "rispettato": !cap.headroom.is_negative(),
            "fonte": c.source,
        }),
        _ => Value::Null,
    }
}

/// `"dirigenti"`, `"interim"`, `"differenziazione_art30"`, `"riconciliazione"` and
/// `"centesimi_resto_maggiore"`.
fn pay(p: &PayResult) -> Vec<(String, Value)> {
    let managers = tables::managers(None);
    vec![
        (
            "dirigenti".into(),
            Value::Array(p.managers.iter().map(|m| row(&managers, &m)).collect()),
        ),
        ("interim".into(), interims(p)),
        ("differenziazione_art30".into(), differentiation(p)),
        ("riconciliazione".into(), reconciliation(p)),
        (
            "centesimi_resto_maggiore".into(),
            json!({
                "regola": TIE_BREAK_RULE,
                "assegnati": p.cents_moved.iter().map(|(m, c)| json!({"matricola": m, "centesimi": c})).collect::<Vec<_>>(),
            }),
        ),
    ]
}

/// The interim supplements (art. 58).
fn interims(p: &PayResult) -> Value {
    Value::Array(
        p.interims
            .iter()
            .map(|i| {
                json!({
                    "matricola": i.matricola,
                    "incarico_coperto": i.covered_post,
                    "giorni": i.days,
                    "percentuale": i.percent.normalize().to_string(),
                    "dovuto": i.due.plain(),
                    "coefficiente": i.coefficient.normalize().to_string(),
                    "pagamento": i.payment.key(),
                    "erogato": i.paid.plain(),
                })
            })
            .collect(),
    )
}

/// The differentiation of art. 30.
fn differentiation(p: &PayResult) -> Value {
    let a = &p.art30;
    let mut out = json!({
        "applicata": a.applied,
        "nota": a.note,
        "dirigenti_valutati": a.evaluated,
        "quota_dirigenti": a.quota_count,
        "vertice": a.top,
        "parita_al_limite": a.ties.key(),
        "parita_dichiarata": a.ties_declared,
        "esclusi_per_parita": a.tied_out,
        "inclusi_per_parita": a.tied_in,
        "media_pro_capite": a.average.normalize().to_string(),
        "minimo": a.minimum.plain(),
        "passaggi": a.rounds,
    });
    let Value::Object(doc) = &mut out else {
        return out;
    };
    // The keys of what the CCDI declared beyond the floor model, only where it did.
    if let Some(m) = a.min_score {
        doc.insert("punteggio_minimo".into(), json!(m.normalize().to_string()));
        doc.insert(
            "esclusi_sotto_punteggio_minimo".into(),
            json!(a.below_min_score),
        );
    }
    if a.model == Art30Model::Supplement {
        // No minimum and no rounds in this model: its own figures instead.
        doc.remove("minimo");
        doc.remove("passaggi");
        doc.insert("modello".into(), json!(a.model.key()));
        doc.insert("maggiorazione".into(), json!(a.supplement.plain()));
        doc.insert(
            "maggiorazioni_dovute".into(),
            json!(a.supplements_due.plain()),
        );
        doc.insert(
            "economie_disponibili".into(),
            json!(a.economie_available.plain()),
        );
        doc.insert(
            "maggiorazioni_erogate".into(),
            json!(a.supplements_paid.plain()),
        );
        doc.insert("avviso".into(), json!(a.warning));
    }
    out
}

/// The reconciliation (*quadratura*) with the detail of the savings.
fn reconciliation(p: &PayResult) -> Value {
    let (main, detail) = tables::reconciliation(&p.reconciliation);
    let object = |lines: Vec<tables::Line>| -> Map<String, Value> {
        lines
            .into_iter()
            .map(|l| (l.key.to_string(), Value::String(l.amount.plain())))
            .collect()
    };
    let mut doc = object(main);
    doc.insert("economie_dettaglio".into(), Value::Object(object(detail)));
    Value::Object(doc)
}

/// The managers' scores, the objectives and the indicators; each element is built when it
/// is written: a large PEG is never a tree in memory.
fn objectives<'a>(p: &'a PegResult, peg: &'a Peg, rules: &'a Rules) -> Node<'a> {
    let ctx = || PegContext::new(p, peg, rules);
    let scores = tables::manager_scores(ctx());
    let objectives = tables::objectives(ctx());
    let indicators = tables::indicators(ctx());
    Node::Object(vec![
        (
            "dirigenti".into(),
            Node::lazy(p.managers.len(), move |k| row(&scores, &&p.managers[k])),
        ),
        (
            "obiettivi".into(),
            Node::lazy(p.objectives.len(), move |k| {
                row(&objectives, &ObjectiveRow::new(&p.objectives[k], peg))
            }),
        ),
        (
            "indicatori".into(),
            Node::lazy(p.indicators.len(), move |k| {
                row(&indicators, &IndicatorRow::new(&p.indicators[k], peg))
            }),
        ),
    ])
}

/// A JSON document whose large arrays are built element by element while it is written, so
/// that a large ente's JSON costs about the size of the text, not a tree of values ten times
/// larger. Serialises exactly as the equivalent `serde_json::Value` (same order, same format).
pub enum Node<'a> {
    Value(Value),
    /// An object with its entries in order.
    Object(Vec<(String, Node<'a>)>),
    /// An array of `len` elements, the k-th built by the function when written.
    Lazy(usize, Box<dyn Fn(usize) -> Value + 'a>),
    /// An array whose elements come one by one from the iterator the function makes.
    Stream(Box<StreamFn<'a>>),
}

/// Makes the elements of a [`Node::Stream`] when the array is written.
type StreamFn<'a> = dyn Fn() -> Box<dyn Iterator<Item = Value> + 'a> + 'a;

impl<'a> Node<'a> {
    fn lazy(len: usize, f: impl Fn(usize) -> Value + 'a) -> Node<'a> {
        Node::Lazy(len, Box::new(f))
    }
}

impl serde::Serialize for Node<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Node::Value(v) => v.serialize(s),
            Node::Object(entries) => {
                let mut m = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            Node::Lazy(len, f) => {
                let mut q = s.serialize_seq(Some(*len))?;
                for k in 0..*len {
                    q.serialize_element(&f(k))?;
                }
                q.end()
            }
            Node::Stream(f) => {
                let mut q = s.serialize_seq(None)?;
                for v in f() {
                    q.serialize_element(&v)?;
                }
                q.end()
            }
        }
    }
}
