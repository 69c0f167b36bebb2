//! Rendering results into Italian text, semicolon CSV (as Italian Excel opens it) and JSON.
//! Pure: every renderer returns a `String`, or (the JSON of a large ente) writes into the
//! writer it is handed; only the CLI and the loader decide where it goes.

use serde_json::{json, Map, Value};

use rust_decimal::Decimal;

use crate::alloc::TIE_BREAK_RULE;
use crate::audit::{Check, Verdict};
use crate::diag::Diagnostics;
use crate::engine::{Inputs, Outcome};
use crate::fund::FundResult;
use crate::money::{format_it, Money};
use crate::objectives::PegResult;
use crate::output::documents::{Cell as DocCell, Document};
use crate::pay::{BaseWeight, FeeCorrelation, ManagerPay, Model, PayResult, ServiceFraction};
use crate::peg::target::Target;
use crate::rules::{FundItem, Rules};
use crate::trail::Figure;

/// The engine's name and version, stated in every output.
pub const ENGINE: &str = concat!("ccdi ", env!("CARGO_PKG_VERSION"));

/// One row of the *quadro di sintesi delle modalità di utilizzo delle risorse* (relazione
/// illustrativa, Modulo 2 B).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuadroRow {
    pub description: String,
    pub amount: Money,
    /// Displayed percentage, Italian, two decimals (empty on the total row).
    pub percent: String,
    /// One cell per carry-over column (None where the row has none).
    pub carryovers: Vec<Option<Money>>,
    pub total: Money,
}

/// The Modulo 2 B table: headers of the carry-over columns and three rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quadro {
    pub carryover_headers: Vec<String>,
    pub rows: Vec<QuadroRow>,
}

/// Builds the Modulo 2 B table from the fund result.
pub fn quadro(rules: &Rules, r: &FundResult) -> Quadro {
    let n = r.carryovers.len();
    Quadro {
        carryover_headers: rules
            .carryovers
            .iter()
            .map(|c| c.description.clone())
            .collect(),
        rows: vec![
            QuadroRow {
                description: format!("Retribuzione di posizione dei dirigenti {}", rules.year),
                amount: r.position,
                percent: r.position_percent().it(2),
                carryovers: vec![None; n],
                total: r.position,
            },
            QuadroRow {
                description: format!("Retribuzione di risultato dei dirigenti {}", rules.year),
                amount: r.result,
                percent: r.result_percent().it(2),
                carryovers: r.carryovers.iter().map(|m| Some(*m)).collect(),
                total: r.result_total,
            },
            QuadroRow {
                description: "Totale".to_string(),
                amount: r.fund,
                percent: crate::money::format_it(
                    r.percentages.values.iter().map(|p| p.value()).sum(),
                    2,
                ),
                carryovers: r.carryovers.iter().map(|m| Some(*m)).collect(),
                total: r.grand_total,
            },
        ],
    }
}

/// A plain-text table with right-aligned numeric columns.
pub struct TextTable {
    pub headers: Vec<String>,
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

impl TextTable {
    pub fn render(&self, indent: &str) -> String {
        let cols = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| {
            let mut out = String::from(indent);
            for (i, cell) in cells.iter().enumerate().take(cols) {
                let pad = widths[i] - cell.chars().count();
                if i > 0 {
                    out.push_str("  ");
                }
                if self.numeric[i] {
                    out.push_str(&" ".repeat(pad));
                    out.push_str(cell);
                } else {
                    out.push_str(cell);
                    if i + 1 < cols {
                        out.push_str(&" ".repeat(pad));
                    }
                }
            }
            out.trim_end().to_string()
        };
        let mut out = line(&self.headers);
        out.push('\n');
        let total: usize = widths.iter().sum::<usize>() + 2 * cols.saturating_sub(1);
        out.push_str(indent);
        out.push_str(&"─".repeat(total));
        out.push('\n');
        for row in &self.rows {
            out.push_str(&line(row));
            out.push('\n');
        }
        out
    }
}

fn quadro_headers(q: &Quadro) -> Vec<String> {
    let mut h = vec![
        "Descrizione".to_string(),
        "Importo".to_string(),
        "% distribuzione".to_string(),
    ];
    h.extend(q.carryover_headers.iter().cloned());
    h.push("TOTALE".to_string());
    h
}

fn quadro_cells(row: &QuadroRow) -> Vec<String> {
    let mut cells = vec![
        row.description.clone(),
        row.amount.it(),
        row.percent.clone(),
    ];
    cells.extend(
        row.carryovers
            .iter()
            .map(|c| c.map(Money::it).unwrap_or_default()),
    );
    cells.push(row.total.it());
    cells
}

fn items_table(items: &[FundItem]) -> TextTable {
    TextTable {
        headers: vec![
            "Codice".into(),
            "Descrizione".into(),
            "Natura".into(),
            "Limite 2016".into(),
            "Importo".into(),
        ],
        numeric: vec![false, false, false, false, true],
        rows: items
            .iter()
            .map(|i| {
                vec![
                    i.code.clone(),
                    i.description.clone(),
                    i.nature.key().to_string(),
                    if i.subject_to_cap { "sì" } else { "no" }.to_string(),
                    i.amount.it(),
                ]
            })
            .collect(),
    }
}

/// `−1.234,00` for a subtraction; plain `0,00` when there is nothing to subtract.
fn minus(m: Money) -> String {
    if m.value().is_zero() {
        m.it()
    } else {
        format!("−{}", m.it())
    }
}

/// The legal source of each item, one line each, under its table.
fn item_sources(items: &[FundItem]) -> String {
    items
        .iter()
        .map(|i| format!("  fonte {}: {}\n", i.code, i.source))
        .collect()
}

/// The Italian text report.
pub fn text(inputs: &Inputs, outcome: &Outcome) -> String {
    let (rules, r) = (&inputs.rules, &outcome.fund);
    let mut out = String::new();
    out.push_str(&format!(
        "{} — Fondo per la retribuzione di posizione e di risultato della dirigenza, anno {}\n",
        rules.ente, rules.year
    ));
    out.push_str(&format!(
        "Calcolato da {ENGINE} con le regole di {}\n\n",
        rules.file
    ));

    out.push_str("Quadro di sintesi delle modalità di utilizzo delle risorse (relazione illustrativa, Modulo 2 B)\n\n");
    let q = quadro(rules, r);
    let headers = quadro_headers(&q);
    let mut numeric = vec![true; headers.len()];
    numeric[0] = false;
    let table = TextTable {
        headers,
        numeric,
        rows: q.rows.iter().map(quadro_cells).collect(),
    };
    out.push_str(&table.render("  "));
    if r.percentages.adjusted {
        out.push_str("  Nota: percentuali riportate a 100,00 con il metodo del resto maggiore.\n");
    }

    out.push_str("\nCostituzione del fondo\n\n");
    out.push_str("  Risorse\n");
    out.push_str(&items_table(&rules.resources).render("  "));
    out.push_str(&item_sources(&rules.resources));
    if !rules.cuts.is_empty() {
        out.push_str("\n  Decurtazioni\n");
        out.push_str(&items_table(&rules.cuts).render("  "));
        out.push_str(&item_sources(&rules.cuts));
    }
    let summary = TextTable {
        headers: vec!["Voce".into(), "Importo".into()],
        numeric: vec![false, true],
        rows: vec![
            vec!["Risorse stabili".into(), r.stable.it()],
            vec!["Risorse variabili".into(), r.variable.it()],
            vec!["Decurtazioni".into(), minus(r.cuts)],
            vec!["Fondo certificato".into(), r.fund.it()],
        ],
    };
    out.push('\n');
    out.push_str(&summary.render("  "));

    if let (Some(cap), Some(c)) = (&r.cap, &rules.cap2016) {
        out.push_str("\nLimite 2016 (d.lgs. 75/2017 art. 23 c.2)\n\n");
        let mut rows = vec![vec![
            "Fondo dirigenti: voci soggette al limite, al netto delle decurtazioni soggette"
                .to_string(),
            cap.this_fund.it(),
        ]];
        rows.extend(
            c.other_funds
                .iter()
                .map(|f| vec![f.description.clone(), f.amount.it()]),
        );
        rows.push(vec!["Totale soggetto al limite".into(), cap.total.it()]);
        rows.push(vec![
            format!("Limite 2016 dell'ente ({})", c.source),
            cap.limit.it(),
        ]);
        rows.push(if cap.headroom.is_negative() {
            vec![
                "SUPERAMENTO del limite: decurtazione necessaria".into(),
                Money::ZERO
                    .checked_sub(cap.headroom)
                    .unwrap_or(Money::ZERO)
                    .it(),
            ]
        } else {
            vec!["Margine disponibile".into(), cap.headroom.it()]
        });
        out.push_str(
            &TextTable {
                headers: vec!["Voce".into(), "Importo".into()],
                numeric: vec![false, true],
                rows,
            }
            .render("  "),
        );
    }

    if let (Some(p), Some(peg)) = (&outcome.peg, &inputs.peg) {
        out.push_str(&peg_text(p, peg, &inputs.rules));
    }

    if let Some(p) = &outcome.pay {
        out.push_str(&pay_text(p, &inputs.rules));
    }

    out.push_str("\nCome si ottengono le cifre\n");
    for f in crate::audit::figures(outcome) {
        out.push_str(&figure_text(&f));
    }
    out.push_str(&fingerprints_text(inputs));
    out
}

/// The engine version and the SHA-256 of every file read, closing every text output.
pub fn fingerprints_text(inputs: &Inputs) -> String {
    let mut out = format!("\nMotore: {ENGINE}. File letti (impronta SHA-256):\n");
    for f in &inputs.fingerprints {
        out.push_str(&format!("  {}  {}\n", f.sha256, f.file));
    }
    out
}

/// The fingerprints as JSON.
pub fn fingerprints_json(inputs: &Inputs) -> Value {
    Value::Array(
        inputs
            .fingerprints
            .iter()
            .map(|f| json!({"file": f.file, "sha256": f.sha256}))
            .collect(),
    )
}

/// The pay rules in words, for the report header.
fn pay_rules_text(rules: &Rules) -> String {
    let p = &rules.pay;
    let components: Vec<String> = p
        .components
        .iter()
        .map(|c| {
            format!(
                "{} {}{}",
                c.code,
                format_it(c.weight.normalize(), 0),
                if c.organisational {
                    " (organizzativa)"
                } else {
                    ""
                }
            )
        })
        .collect();
    let base = match p.base {
        BaseWeight::PerHead => "quota pro capite",
        BaseWeight::PositionPay => "retribuzione di posizione",
        BaseWeight::GradingPoints => "punti di pesatura",
    };
    let service = match p.service {
        ServiceFraction::Days365 => "giorni in servizio / giorni dell'anno",
        ServiceFraction::Months15 => "mesi in servizio / 12 (frazione oltre 15 giorni = mese)",
    };
    let model = match p.model {
        Model::Full => "ripartizione integrale (modello A)",
        Model::Quota => "quota teorica (modello B): la parte non erogata è economia",
    };
    let mut out = format!(
        "  componenti: {}; soglia di accesso {}; {}; base: {base}; servizio: {service}; {model}\n",
        components.join(", "),
        format_it(p.threshold.normalize(), 0),
        p.coefficient.describe()
    );
    let a = &p.art30;
    out.push_str(&format!(
        "  art. 30: almeno il {}% sopra la media per il {}% dei dirigenti con la valutazione più alta{}\n",
        format_it(a.percent.normalize(), 0),
        format_it(a.quota.normalize(), 0),
        if a.c5 { " (art. 30 c.5)" } else { "" }
    ));
    if let FeeCorrelation::Reduce { percent } = p.fees {
        out.push_str(&format!(
            "  compensi ex lege: il risultato è ridotto del {}% dei compensi\n",
            format_it(percent.normalize(), 0)
        ));
    }
    if rules.pay_sources.is_empty() {
        out.push_str("  fonte: criteri predefiniti del motore (nessuna sezione [valutazione] nelle regole)\n");
    }
    for (section, source) in &rules.pay_sources {
        out.push_str(&format!("  fonte [{section}]: {source}\n"));
    }
    out
}

/// One row per manager, interim supplements, art. 30 and the reconciliation.
fn pay_text(p: &PayResult, rules: &Rules) -> String {
    let mut out = String::from("\nRetribuzione di posizione e di risultato dei dirigenti\n");
    out.push_str(&pay_rules_text(rules));
    out.push('\n');
    let mut rows: Vec<Vec<String>> = p
        .managers
        .iter()
        .map(|m| {
            vec![
                m.matricola.to_string(),
                m.name.to_string(),
                m.days.to_string(),
                m.position_paid.it(),
                score(m.score),
                if m.eligible {
                    format_it(m.coefficient.normalize(), 0)
                } else {
                    "non idoneo".into()
                },
                m.result_pay.it(),
                m.art30_supplement.it(),
                m.interim.it(),
                m.fee_reduction.it(),
                m.total.it(),
                m.fees.it(),
            ]
        })
        .collect();
    let sum = |f: fn(&ManagerPay) -> Money| {
        Money::checked_sum(p.managers.iter().map(f))
            .unwrap_or(Money::ZERO)
            .it()
    };
    rows.push(vec![
        "Totale".into(),
        String::new(),
        String::new(),
        sum(|m| m.position_paid),
        String::new(),
        String::new(),
        sum(|m| m.result_pay),
        sum(|m| m.art30_supplement),
        sum(|m| m.interim),
        sum(|m| m.fee_reduction),
        sum(|m| m.total),
        sum(|m| m.fees),
    ]);
    out.push_str(
        &TextTable {
            headers: [
                "Matricola",
                "Nome",
                "Giorni",
                "Posizione",
                "Punteggio",
                "Coeff.",
                "Risultato",
                "Art. 30",
                "Interim",
                "Riduz. compensi",
                "Totale",
                "Compensi ex lege",
            ]
            .map(String::from)
            .to_vec(),
            numeric: vec![
                false, false, true, true, true, true, true, true, true, true, true, true,
            ],
            rows,
        }
        .render("  "),
    );
    out.push_str("  Totale = posizione + risultato + art. 30 + interim − riduzione per compensi; i compensi ex lege sono pagati fuori dal fondo.\n");
    if !p.interims.is_empty() {
        out.push_str("\n  Interim (art. 58)\n");
        for i in &p.interims {
            out.push_str(&format!(
                "  {} per {}: {} giorni al {}%, dovuto {}, erogato {}\n",
                i.matricola,
                i.covered_post,
                i.days,
                format_it(i.percent.normalize(), 0),
                i.due.it(),
                i.paid.it()
            ));
        }
    }
    let a = &p.art30;
    out.push_str("\n  Differenziazione (art. 30)\n");
    if a.applied {
        out.push_str(&format!(
            "  dirigenti con la valutazione più alta: {}; media pro capite {}; minimo garantito {} (passaggi di riequilibrio: {})\n",
            a.top.join(", "),
            format_it(crate::money::round(a.average, 2, rules.rounding), 2),
            a.minimum.it(),
            a.rounds
        ));
    }
    if !a.tied_out.is_empty() {
        out.push_str(&format!(
            "  esclusi per parità di punteggio al limite della quota: {}\n",
            a.tied_out.join(", ")
        ));
    }
    if let Some(n) = &a.note {
        out.push_str(&format!("  {n}\n"));
    }
    let r = &p.reconciliation;
    out.push_str("\n  Quadratura: fondo + riporti = posizione + risultato + interim + residui riportati + economie\n");
    let rec_rows = vec![
        vec![
            "Fondo certificato (quota posizione + quota risultato)".to_string(),
            r.fund.it(),
        ],
        vec!["Riporti da anni precedenti".into(), r.carryovers.it()],
        vec!["Posizione erogata".into(), r.position_paid.it()],
        vec![
            "Posizione non utilizzata, passata al risultato dello stesso anno".into(),
            r.unused_position.it(),
        ],
        vec!["Risultato da ripartire".into(), r.result_pot.it()],
        vec!["Risultato erogato".into(), r.result_paid.it()],
        vec!["Interim erogato".into(), r.interim.it()],
        vec![
            "Residui riportati all'anno successivo".into(),
            r.carried_residual.it(),
        ],
        vec!["Economie".into(), r.economie.it()],
        vec![
            "  di cui riduzioni della quota teorica".into(),
            r.economie_detail.quota_reductions.it(),
        ],
        vec![
            "  di cui quote di non idonei".into(),
            r.economie_detail.ineligible_quotas.it(),
        ],
        vec![
            "  di cui non ripartito".into(),
            r.economie_detail.undistributed.it(),
        ],
        vec![
            "  di cui riduzioni per compensi ex lege".into(),
            r.economie_detail.fee_reductions.it(),
        ],
        vec![
            "  di cui interim non erogato".into(),
            r.economie_detail.interim_unpaid.it(),
        ],
    ];
    out.push_str(
        &TextTable {
            headers: vec!["Voce".into(), "Importo".into()],
            numeric: vec![false, true],
            rows: rec_rows,
        }
        .render("  "),
    );
    let lhs = r.fund.checked_add(r.carryovers).unwrap_or(Money::ZERO);
    out.push_str(&format!(
        "  {} + {} = {} = {} + {} + {} + {} + {} ✓\n",
        r.fund.it(),
        r.carryovers.it(),
        lhs.it(),
        r.position_paid.it(),
        r.result_paid.it(),
        r.interim.it(),
        r.carried_residual.it(),
        r.economie.it()
    ));
    if !p.cents_moved.is_empty() {
        let moved: Vec<String> = p
            .cents_moved
            .iter()
            .map(|(m, c)| format!("{m} +{c}"))
            .collect();
        out.push_str(&format!(
            "\n  Centesimi assegnati con il resto maggiore: {}\n  ({TIE_BREAK_RULE})\n",
            moved.join(", ")
        ));
    }
    out
}

fn score(d: Decimal) -> String {
    format_it(d, 2)
}

/// The objectives section: per manager, per objective, per indicator with its explanation.
fn peg_text(p: &PegResult, peg: &crate::peg::Peg, rules: &Rules) -> String {
    let mut out =
        String::from("\nRaggiungimento degli obiettivi (PEG / Piano della Performance)\n");
    if let Some(src) = &rules.attainment_source {
        out.push_str(&format!("  regole: {src}\n"));
    }
    out.push('\n');
    out.push_str(
        &TextTable {
            headers: vec!["Matricola".into(), "Punteggio obiettivi".into()],
            numeric: vec![false, true],
            rows: p
                .managers
                .iter()
                .map(|m| vec![m.matricola.clone(), score(m.score)])
                .collect(),
        }
        .render("  "),
    );
    let objectives_of = p.objectives_by_manager(peg);
    let indicators_of = p.indicators_by_objective(peg);
    for m in &p.managers {
        out.push_str(&format!(
            "\n  {} — punteggio obiettivi {}\n",
            m.matricola,
            score(m.score)
        ));
        let objs = objectives_of
            .get(&*m.matricola)
            .map_or(&[][..], Vec::as_slice);
        out.push_str(&format!(
            "    {}\n",
            m.explanation(objs, peg, &rules.attainment)
        ));
        for o in objs {
            let os = o.source(peg);
            out.push_str(&format!(
                "    {} {} (peso {}): {}% ({})\n",
                os.code,
                os.title,
                format_it(os.weight.normalize(), 0),
                score(o.attainment),
                os.origin
            ));
            let items = indicators_of.of(o.index());
            out.push_str(&format!(
                "      {}\n",
                o.explanation(&items, peg, &rules.attainment)
            ));
            for i in items {
                let src = i.source(peg);
                out.push_str(&format!(
                    "      {}/{} {} (peso {}): {}% ({})\n        {}\n",
                    src.objective,
                    src.number,
                    src.description,
                    format_it(src.weight.normalize(), 0),
                    score(i.attainment),
                    src.origin,
                    i.explanation(peg, &rules.attainment)
                ));
            }
        }
    }
    out
}

/// How a target is read, in Italian (`ccdi target`).
pub fn target_text(t: &Target) -> String {
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
        out.push_str(&format!("scadenza: {}\n", d.format("%d/%m/%Y")));
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

/// How a target is read, as one JSON object (`ccdi target --json`).
pub fn target_json(t: &Target) -> String {
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
    if let Some(r) = &t.reason {
        m.insert("motivo".into(), json!(r));
    }
    let mut s = serde_json::to_string(&Value::Object(m)).unwrap_or_default();
    s.push('\n');
    s
}

/// `"dirigenti"`, `"interim"`, `"differenziazione_art30"` and `"riconciliazione"`.
fn pay_json(p: &PayResult, doc: &mut Map<String, Value>) {
    doc.insert(
        "dirigenti".into(),
        Value::Array(
            p.managers
                .iter()
                .map(|m| {
                    json!({
                        "matricola": &*m.matricola,
                        "nome": &*m.name,
                        "incarico": &*m.post,
                        "giorni": m.days,
                        "frazione_servizio": m.service_fraction.normalize().to_string(),
                        "posizione": m.position_paid.plain(),
                        "punteggio": m.score.to_string(),
                        "idoneo": m.eligible,
                        "coefficiente": m.coefficient.normalize().to_string(),
                        "base": m.base_weight.normalize().to_string(),
                        "quota_teorica": m.quota.plain(),
                        "risultato": m.result_pay.plain(),
                        "art30": m.art30_supplement.plain(),
                        "art30_vertice": m.art30_top,
                        "interim": m.interim.plain(),
                        "compensi_ex_lege": m.fees.plain(),
                        "riduzione_compensi": m.fee_reduction.plain(),
                        "risultato_erogato": m.result_paid.plain(),
                        "totale": m.total.plain(),
                    })
                })
                .collect(),
        ),
    );
    doc.insert(
        "interim".into(),
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
                        "erogato": i.paid.plain(),
                    })
                })
                .collect(),
        ),
    );
    let a = &p.art30;
    doc.insert(
        "differenziazione_art30".into(),
        json!({
            "applicata": a.applied,
            "nota": a.note,
            "quota_dirigenti": a.quota_count,
            "vertice": a.top,
            "esclusi_per_parita": a.tied_out,
            "media_pro_capite": a.average.normalize().to_string(),
            "minimo": a.minimum.plain(),
            "passaggi": a.rounds,
        }),
    );
    let r = &p.reconciliation;
    let e = &r.economie_detail;
    doc.insert(
        "riconciliazione".into(),
        json!({
            "fondo": r.fund.plain(),
            "riporti": r.carryovers.plain(),
            "posizione_erogata": r.position_paid.plain(),
            "posizione_non_utilizzata": r.unused_position.plain(),
            "risultato_da_ripartire": r.result_pot.plain(),
            "risultato_erogato": r.result_paid.plain(),
            "interim": r.interim.plain(),
            "residui_riportati": r.carried_residual.plain(),
            "economie": r.economie.plain(),
            "economie_dettaglio": {
                "riduzioni_quota_teorica": e.quota_reductions.plain(),
                "quote_non_idonei": e.ineligible_quotas.plain(),
                "non_ripartito": e.undistributed.plain(),
                "riduzioni_compensi": e.fee_reductions.plain(),
                "interim_non_erogato": e.interim_unpaid.plain(),
            },
        }),
    );
    doc.insert(
        "centesimi_resto_maggiore".into(),
        json!({
            "regola": TIE_BREAK_RULE,
            "assegnati": p.cents_moved.iter().map(|(m, c)| json!({"matricola": m, "centesimi": c})).collect::<Vec<_>>(),
        }),
    );
}

fn peg_json<'a>(p: &'a PegResult, peg: &'a crate::peg::Peg, rules: &'a Rules) -> Node<'a> {
    let indicators_of = p.indicators_by_objective(peg);
    let objectives_of = p.objectives_by_manager(peg);
    let at = &rules.attainment;
    // Each element is built when it is written: a large PEG is never a tree in memory.
    Node::Object(vec![
        (
            "dirigenti".into(),
            Node::lazy(p.managers.len(), move |k| {
                let m = &p.managers[k];
                let objs = objectives_of.get(&*m.matricola);
                json!({
                    "matricola": m.matricola,
                    "punteggio_obiettivi": m.score.to_string(),
                    "calcolo": m.explanation(objs.map_or(&[][..], Vec::as_slice), peg, at),
                })
            }),
        ),
        (
            "obiettivi".into(),
            Node::lazy(p.objectives.len(), move |k| {
                let o = &p.objectives[k];
                let src = o.source(peg);
                let items = indicators_of.of(o.index());
                json!({
                    "codice": src.code,
                    "matricola": src.matricola,
                    "titolo": src.title,
                    "peso": src.weight.normalize().to_string(),
                    "raggiungimento": o.attainment.to_string(),
                    "calcolo": o.explanation(&items, peg, at),
                    "origine": src.origin,
                })
            }),
        ),
        (
            "indicatori".into(),
            Node::lazy(p.indicators.len(), move |k| {
                let i = &p.indicators[k];
                let src = i.source(peg);
                json!({
                    "obiettivo": src.objective,
                    "numero": src.number,
                    "descrizione": src.description,
                    "peso": src.weight.normalize().to_string(),
                    "target": src.target.text,
                    "misurato": src.measured_text(),
                    "raggiungimento": i.attainment.to_string(),
                    "calcolo": i.explanation(peg, at),
                    "origine": src.origin,
                })
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

/// One figure of the trail as text (used by the report and by `spiega`).
pub fn figure_text(f: &Figure) -> String {
    let mut out = format!("\n  [{}] {}: {}\n", f.voce, f.description, f.value.it());
    out.push_str(&format!("    calcolo: {}\n", f.formula));
    for t in &f.terms {
        let sign = if t.sign < 0 { "−" } else { "+" };
        out.push_str(&format!(
            "    {sign} {} {} ({})",
            t.value.it(),
            t.description,
            t.origin
        ));
        if let Some(s) = &t.source {
            out.push_str(&format!(" — fonte: {s}"));
        }
        out.push('\n');
    }
    for r in &f.roundings {
        out.push_str(&format!("    arrotondamento: {r}\n"));
    }
    if !f.sources.is_empty() {
        out.push_str(&format!("    fonti: {}\n", f.sources.join("; ")));
    }
    out
}

/// Neutralises a text cell that a spreadsheet would read as a formula.
pub fn safe_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The rows of the table of every indicator (`raggiungimento-indicatori.csv`), made one at a
/// time (header first).
fn indicator_rows<'a>(
    p: &'a PegResult,
    peg: &'a crate::peg::Peg,
    rules: &'a Rules,
) -> impl Iterator<Item = Vec<String>> + 'a {
    let header = [
        "Matricola",
        "Obiettivo",
        "Peso obiettivo",
        "Raggiungimento obiettivo %",
        "Indicatore",
        "Descrizione",
        "Peso indicatore",
        "Target",
        "Misurato",
        "Raggiungimento indicatore %",
        "Calcolo",
    ]
    .map(String::from)
    .to_vec();
    let indicators_of = p.indicators_by_objective(peg);
    let rows = p.objectives.iter().flat_map(move |o| {
        let items = indicators_of.of(o.index()).to_vec();
        let os = o.source(peg);
        items.into_iter().map(move |i| {
            let src = i.source(peg);
            vec![
                os.matricola.to_string(),
                os.code.to_string(),
                format_it(os.weight.normalize(), 0),
                format_it(o.attainment, 2),
                src.number.to_string(),
                src.description.to_string(),
                format_it(src.weight.normalize(), 0),
                src.target.text.clone(),
                src.measured_text().to_string(),
                format_it(i.attainment, 2),
                i.explanation(peg, &rules.attainment),
            ]
        })
    });
    std::iter::once(header).chain(rows)
}

/// The CSV tables of a year, each with the file name it gets under `--out`.
pub fn csv_tables(inputs: &Inputs, outcome: &Outcome) -> Vec<(&'static str, Vec<Vec<String>>)> {
    csv_tables_deferred(inputs, outcome)
        .into_iter()
        .map(|(name, table)| (name, table.rows()))
        .collect()
}

/// One CSV table: its rows, or (the indicators', the largest) what makes them, so that it
/// can be written row by row.
pub enum CsvTable<'a> {
    Rows(Vec<Vec<String>>),
    Indicators(&'a PegResult, &'a crate::peg::Peg, &'a Rules),
}

impl CsvTable<'_> {
    /// All the rows.
    pub fn rows(self) -> Vec<Vec<String>> {
        match self {
            CsvTable::Rows(rows) => rows,
            CsvTable::Indicators(p, peg, rules) => indicator_rows(p, peg, rules).collect(),
        }
    }

    /// The table as a CSV file (as [`csv_file`]), written row by row.
    pub fn write(self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self {
            CsvTable::Rows(rows) => write_csv_file(rows.iter(), w),
            CsvTable::Indicators(p, peg, rules) => write_csv_file(indicator_rows(p, peg, rules), w),
        }
    }
}

/// The CSV tables as [`csv_tables`], the indicators' table left to be made when written.
pub fn csv_tables_deferred<'a>(
    inputs: &'a Inputs,
    outcome: &'a Outcome,
) -> Vec<(&'static str, CsvTable<'a>)> {
    let mut named = Vec::new();
    let (rules, r) = (&inputs.rules, &outcome.fund);
    let q = quadro(rules, r);
    let mut quadro_rows = vec![quadro_headers(&q)];
    quadro_rows.extend(q.rows.iter().map(quadro_cells));
    named.push(("quadro-sintesi.csv", CsvTable::Rows(quadro_rows)));
    if let (Some(p), Some(peg)) = (&outcome.peg, &inputs.peg) {
        named.push((
            "raggiungimento-indicatori.csv",
            CsvTable::Indicators(p, peg, rules),
        ));
    }
    if let Some(p) = &outcome.pay {
        let mut rows = vec![[
            "Matricola",
            "Nome",
            "Incarico",
            "Giorni",
            "Posizione",
            "Punteggio",
            "Coefficiente",
            "Risultato",
            "Art. 30",
            "Interim",
            "Riduzione compensi",
            "Totale",
            "Compensi ex lege",
        ]
        .map(String::from)
        .to_vec()];
        for m in &p.managers {
            rows.push(vec![
                m.matricola.to_string(),
                m.name.to_string(),
                m.post.to_string(),
                m.days.to_string(),
                m.position_paid.it(),
                format_it(m.score, 2),
                format_it(m.coefficient.normalize(), 0),
                m.result_pay.it(),
                m.art30_supplement.it(),
                m.interim.it(),
                m.fee_reduction.it(),
                m.total.it(),
                m.fees.it(),
            ]);
        }
        named.push(("retribuzioni-dirigenti.csv", CsvTable::Rows(rows)));
        let rec = &p.reconciliation;
        let mut rows = vec![vec!["Quadratura".to_string(), "Importo".to_string()]];
        for (label, value) in [
            ("Fondo certificato", rec.fund),
            ("Riporti", rec.carryovers),
            ("Posizione erogata", rec.position_paid),
            ("Risultato erogato", rec.result_paid),
            ("Interim erogato", rec.interim),
            ("Residui riportati", rec.carried_residual),
            ("Economie", rec.economie),
        ] {
            rows.push(vec![label.to_string(), value.it()]);
        }
        named.push(("riconciliazione.csv", CsvTable::Rows(rows)));
    }
    let mut files = vec![vec![
        format!("File letti ({ENGINE})"),
        "Impronta SHA-256".to_string(),
    ]];
    files.extend(
        inputs
            .fingerprints
            .iter()
            .map(|f| vec![f.file.clone(), f.sha256.clone()]),
    );
    named.push(("impronte.csv", CsvTable::Rows(files)));
    named
}

/// All the CSV tables in one stream (`--formato csv`): `;` separated, decimal comma, UTF-8
/// with BOM so that Excel in Italian opens it with accents intact; tables parted by an empty
/// row.
pub fn csv(inputs: &Inputs, outcome: &Outcome) -> String {
    let text: Vec<String> = csv_tables(inputs, outcome)
        .iter()
        .map(|(_, b)| csv_block(b))
        .collect();
    format!("\u{feff}{}", text.join("\r\n"))
}

/// One table as a standalone CSV file (with the BOM).
pub fn csv_file(rows: &[Vec<String>]) -> String {
    format!("\u{feff}{}", csv_block(rows))
}

/// One table of the CSV. Text cells are neutralised against formula injection; the Italian
/// amounts (`-767,95`) are numbers for Excel and stay as they are.
pub fn csv_block(rows: &[Vec<String>]) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_csv_rows(rows.iter(), &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// A CSV file as [`csv_file`] writes it, row by row into `w`: a large table is never whole in
/// memory.
fn write_csv_file<R: AsRef<[String]>>(
    rows: impl Iterator<Item = R>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    w.write_all("\u{feff}".as_bytes())?;
    write_csv_rows(rows, w)
}

fn write_csv_rows<R: AsRef<[String]>>(
    rows: impl Iterator<Item = R>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    for row in rows {
        // Italian amounts are numbers for Excel and stay as they are; other text is
        // neutralised against formula injection.
        out.write_record(row.as_ref().iter().map(|c| {
            if crate::parse::parse_amount(c).is_ok() {
                std::borrow::Cow::Borrowed(c.as_bytes())
            } else {
                std::borrow::Cow::Owned(safe_cell(c).into_bytes())
            }
        }))?;
    }
    out.flush()
}

fn figure_json(f: &Figure) -> Value {
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

fn item_json(i: &FundItem) -> Value {
    json!({
        "codice": i.code,
        "descrizione": i.description,
        "natura": i.nature.key(),
        "soggetta_limite_2016": i.subject_to_cap,
        "importo": i.amount.plain(),
        "fonte": i.source,
        "origine": i.origin.to_string(),
    })
}

/// The JSON document: amounts as decimal strings with a dot.
pub fn json(inputs: &Inputs, outcome: &Outcome) -> String {
    let mut s = serde_json::to_string_pretty(&json_doc(inputs, outcome)).unwrap_or_default();
    s.push('\n');
    s
}

/// The same document as [`json()`], written as it is made: a large ente's JSON never sits
/// whole in memory.
pub fn write_json(
    inputs: &Inputs,
    outcome: &Outcome,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &json_doc(inputs, outcome))?;
    w.write_all(b"\n")
}

fn json_doc<'a>(inputs: &'a Inputs, outcome: &'a Outcome) -> Node<'a> {
    let (rules, r) = (&inputs.rules, &outcome.fund);
    let q = quadro(rules, r);
    let mut doc = Map::new();
    doc.insert("motore".into(), json!(ENGINE));
    doc.insert("ente".into(), json!(rules.ente));
    doc.insert("anno".into(), json!(rules.year));
    doc.insert("regole".into(), json!(rules.file));
    doc.insert("impronte_sha256".into(), fingerprints_json(inputs));
    doc.insert("arrotondamento".into(), json!(rules.rounding.key()));
    doc.insert(
        "costituzione".into(),
        json!({
            "risorse": rules.resources.iter().map(item_json).collect::<Vec<_>>(),
            "decurtazioni": rules.cuts.iter().map(item_json).collect::<Vec<_>>(),
            "risorse_stabili": r.stable.plain(),
            "risorse_variabili": r.variable.plain(),
            "totale_decurtazioni": r.cuts.plain(),
            "fondo": r.fund.plain(),
        }),
    );
    doc.insert(
        "utilizzo".into(),
        json!({
            "posizione": { "importo": r.position.plain(), "percentuale": r.position_percent().plain() },
            "risultato": { "importo": r.result.plain(), "percentuale": r.result_percent().plain() },
            "percentuali_corrette_resto_maggiore": r.percentages.adjusted,
            "fonte": rules.split.source,
        }),
    );
    doc.insert(
        "riporti".into(),
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
        ),
    );
    doc.insert(
        "quadro_sintesi".into(),
        json!({
            "titolo": "Quadro di sintesi delle modalità di utilizzo delle risorse (relazione illustrativa, Modulo 2 B)",
            "colonne_riporti": q.carryover_headers,
            "righe": q.rows.iter().map(|row| json!({
                "descrizione": row.description,
                "importo": row.amount.plain(),
                "percentuale": row.percent.replace(',', "."),
                "riporti": row.carryovers.iter().map(|c| c.map(Money::plain)).collect::<Vec<_>>(),
                "totale": row.total.plain(),
            })).collect::<Vec<_>>(),
        }),
    );
    doc.insert(
        "limite_2016".into(),
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
        },
    );
    let mut nodes: Vec<(String, Node)> =
        doc.into_iter().map(|(k, v)| (k, Node::Value(v))).collect();
    if let (Some(p), Some(peg)) = (&outcome.peg, &inputs.peg) {
        nodes.push(("obiettivi".into(), peg_json(p, peg, &inputs.rules)));
    }
    if let Some(p) = &outcome.pay {
        let mut pay = Map::new();
        pay_json(p, &mut pay);
        nodes.extend(pay.into_iter().map(|(k, v)| (k, Node::Value(v))));
    }
    // The managers' figures are written one by one while the array is written.
    nodes.push((
        "traccia".into(),
        Node::Stream(Box::new(move || {
            Box::new(crate::audit::figures(outcome).map(|f| figure_json(&f)))
        })),
    ));
    Node::Object(nodes)
}

/// The calculation sheet of the figures `spiega` found.
pub fn explain_text(inputs: &Inputs, outcome: &Outcome, what: &str, figures: &[&Figure]) -> String {
    let mut out = format!(
        "Foglio di calcolo: {what} — {}, anno {}\n",
        inputs.rules.ente, inputs.rules.year
    );
    for f in figures {
        out.push_str(&figure_text(f));
    }
    let inputs_rows = manager_inputs(inputs, outcome, what);
    if !inputs_rows.is_empty() {
        out.push_str("\n  Dati di ingresso\n");
        for (label, value, origin) in &inputs_rows {
            out.push_str(&format!("    {label}: {value} ({origin})\n"));
        }
    }
    out.push_str(&fingerprints_text(inputs));
    out
}

/// A manager's input rows, for the calculation sheet: (what, value, file:line).
fn manager_inputs(
    inputs: &Inputs,
    outcome: &Outcome,
    matricola: &str,
) -> Vec<(String, String, String)> {
    let mut rows = Vec::new();
    let Some(staff) = &inputs.staff else {
        return rows;
    };
    let Some(m) = staff.managers.iter().find(|m| *m.matricola == *matricola) else {
        return rows;
    };
    rows.push((
        "incarico".into(),
        format!(
            "{} — {}, posizione annua {}, dal {} al {}",
            m.name,
            m.post,
            m.yearly_position_pay.it(),
            m.start.format("%d/%m/%Y"),
            m.end.format("%d/%m/%Y")
        ),
        m.origin.to_string(),
    ));
    for e in staff
        .evaluations
        .iter()
        .filter(|e| *e.matricola == *matricola)
    {
        rows.push((
            format!("punteggio {}", e.component),
            score(e.score),
            e.origin.to_string(),
        ));
    }
    if let (Some(p), Some(ip)) = (&outcome.peg, &inputs.peg) {
        let objs: Vec<&crate::objectives::ObjectiveResult> = p
            .objectives
            .iter()
            .filter(|o| ip.objective_matricola(o.index()) == matricola)
            .collect();
        if let Some(s) = p.managers.iter().find(|s| s.matricola == matricola) {
            rows.push((
                "punteggio obiettivi".into(),
                format!(
                    "{} — {}",
                    score(s.score),
                    s.explanation(&objs, ip, &inputs.rules.attainment)
                ),
                "obiettivi e indicatori".into(),
            ));
        }
        for o in objs {
            let src = o.source(ip);
            rows.push((
                format!("obiettivo {}", src.code),
                format!("{}%", score(o.attainment)),
                src.origin.to_string(),
            ));
        }
    }
    for i in staff.interims.iter().filter(|i| i.matricola == matricola) {
        rows.push((
            "interim".into(),
            format!("{} ({})", i.covered_post, i.covered_position_pay.it()),
            i.origin.to_string(),
        ));
    }
    for f in staff.fees.iter().filter(|f| f.matricola == matricola) {
        rows.push((
            format!("compenso ex lege: {}", f.kind),
            f.amount.it(),
            f.origin.to_string(),
        ));
    }
    if let Some(p) = &outcome.pay {
        let cents: i64 = p
            .cents_moved
            .iter()
            .filter(|(m, _)| m == matricola)
            .map(|(_, c)| c)
            .sum();
        rows.push((
            "centesimi assegnati con il resto maggiore".into(),
            format!("{cents:+}"),
            TIE_BREAK_RULE.to_string(),
        ));
    }
    rows
}

/// The calculation sheet as JSON.
pub fn explain_json(inputs: &Inputs, outcome: &Outcome, what: &str, figures: &[&Figure]) -> String {
    let doc = json!({
        "motore": ENGINE,
        "impronte_sha256": fingerprints_json(inputs),
        "richiesta": what,
        "cifre": figures.iter().map(|f| figure_json(f)).collect::<Vec<_>>(),
        "dati_di_ingresso": manager_inputs(inputs, outcome, what)
            .into_iter()
            .map(|(l, v, o)| json!({"dato": l, "valore": v, "origine": o}))
            .collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The checklist of `verifica`.
pub fn checklist_text(inputs: &Inputs, checks: &[Check]) -> String {
    let mut out = format!(
        "Verifica — {}, fondo dirigenza anno {}\n\n",
        inputs.rules.ente, inputs.rules.year
    );
    for c in checks {
        out.push_str(&format!(
            "{:<6} {}\n       {}\n       fonte: {}\n",
            c.verdict.mark(),
            c.name,
            c.figures,
            c.source
        ));
    }
    let fails = checks
        .iter()
        .filter(|c| c.verdict == Verdict::Fails)
        .count();
    let warns = checks
        .iter()
        .filter(|c| c.verdict == Verdict::Warning)
        .count();
    out.push_str(&format!(
        "\n{} controlli: {} rispettati, {} violati, {} {}\n",
        checks.len(),
        checks.len() - fails - warns,
        fails,
        warns,
        if warns == 1 { "avviso" } else { "avvisi" }
    ));
    out.push_str(&fingerprints_text(inputs));
    out
}

fn check_json(c: &Check) -> Value {
    json!({"esito": c.verdict.key(), "controllo": c.name, "cifre": c.figures, "fonte": c.source})
}

/// The checklist as JSON.
pub fn checklist_json(inputs: &Inputs, checks: &[Check]) -> String {
    let doc = json!({
        "motore": ENGINE,
        "impronte_sha256": fingerprints_json(inputs),
        "ente": inputs.rules.ente,
        "anno": inputs.rules.year,
        "esito": if checks.iter().any(|c| c.verdict == Verdict::Fails) { "violato" } else { "rispettato" },
        "controlli": checks.iter().map(check_json).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// When the inputs themselves break a rule, `verifica` lists each problem as a ✗ line with
/// the place it was found.
pub fn invalid_input_checklist(diags: &Diagnostics, json: bool) -> String {
    let checks: Vec<Check> = diags
        .0
        .iter()
        .map(|d| {
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
        })
        .collect();
    if json {
        let doc = json!({
            "motore": ENGINE,
            "esito": "dati non validi",
            "controlli": checks.iter().map(check_json).collect::<Vec<_>>(),
        });
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        return s;
    }
    let mut out = String::from("Verifica non eseguibile: i dati di ingresso violano le regole\n\n");
    for c in &checks {
        out.push_str(&format!(
            "{:<6} {}\n       {}\n       dove: {}\n",
            c.verdict.mark(),
            c.name,
            c.figures,
            c.source
        ));
    }
    out.push_str(&format!(
        "\n{} problemi nei dati di ingresso\n",
        diags.errors()
    ));
    out
}

fn cell_text(c: &DocCell) -> String {
    match c {
        DocCell::Text(t) => t.clone(),
        DocCell::Amount(m) => m.it(),
        DocCell::Number(n) => n.clone(),
        DocCell::Empty => String::new(),
    }
}

/// The documents as text: each table with its title, amounts right-aligned.
pub fn documents_text(inputs: &Inputs, docs: &[Document]) -> String {
    let mut out = String::new();
    for d in docs {
        out.push_str(&format!(
            "{}\n{}\n",
            d.title,
            "═".repeat(d.title.chars().count())
        ));
        for t in &d.tables {
            out.push_str(&format!("\n{}\n\n", t.title));
            let numeric = (0..t.headers.len())
                .map(|i| {
                    t.rows
                        .iter()
                        .any(|r| matches!(r.get(i), Some(DocCell::Amount(_) | DocCell::Number(_))))
                })
                .collect();
            out.push_str(
                &TextTable {
                    headers: t.headers.clone(),
                    numeric,
                    rows: t
                        .rows
                        .iter()
                        .map(|r| r.iter().map(cell_text).collect())
                        .collect(),
                }
                .render("  "),
            );
            for n in &t.notes {
                out.push_str(&format!("  Nota: {n}\n"));
            }
        }
        out.push('\n');
    }
    out.push_str(&fingerprints_text(inputs));
    out
}

/// The documents as CSV: one block per table, its title on the first row.
pub fn documents_csv(inputs: &Inputs, docs: &[Document]) -> String {
    let mut blocks: Vec<Vec<Vec<String>>> = Vec::new();
    for d in docs {
        for t in &d.tables {
            let mut rows = vec![
                vec![format!("{} — {}", d.title, t.title)],
                t.headers.clone(),
            ];
            rows.extend(t.rows.iter().map(|r| r.iter().map(cell_text).collect()));
            rows.extend(t.notes.iter().map(|n| vec![format!("Nota: {n}")]));
            blocks.push(rows);
        }
    }
    let mut files = vec![vec![
        format!("File letti ({ENGINE})"),
        "Impronta SHA-256".to_string(),
    ]];
    files.extend(
        inputs
            .fingerprints
            .iter()
            .map(|f| vec![f.file.clone(), f.sha256.clone()]),
    );
    blocks.push(files);
    let text: Vec<String> = blocks.iter().map(|b| csv_block(b)).collect();
    format!("\u{feff}{}", text.join("\r\n"))
}

/// The documents as JSON: amounts as decimal strings.
pub fn documents_json(inputs: &Inputs, docs: &[Document]) -> String {
    let cell = |c: &DocCell| match c {
        DocCell::Text(t) => json!(t),
        DocCell::Amount(m) => json!(m.plain()),
        DocCell::Number(n) => json!(n.replace('.', "").replace(',', ".")),
        DocCell::Empty => Value::Null,
    };
    let doc = json!({
        "motore": ENGINE,
        "impronte_sha256": fingerprints_json(inputs),
        "documenti": docs.iter().map(|d| json!({
            "titolo": d.title,
            "tabelle": d.tables.iter().map(|t| json!({
                "titolo": t.title,
                "colonne": t.headers,
                "righe": t.rows.iter().map(|r| r.iter().map(cell).collect::<Vec<_>>()).collect::<Vec<_>>(),
                "note": t.notes,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The transparency table as CSV rows (no names, no matricole).
pub fn transparency_rows(t: &crate::output::transparency::Transparency) -> Vec<Vec<String>> {
    let mut rows = vec![vec!["Voce".to_string(), "Valore".to_string()]];
    rows.extend(t.lines().into_iter().map(|(label, v)| vec![label, v.it()]));
    rows
}
