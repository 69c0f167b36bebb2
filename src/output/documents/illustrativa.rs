//! The relazione illustrativa (Circolare RGS 25/2012): Modulo 1 (the procedure) and Modulo 2
//! A-G: what the CCDI provides, from the rules, each with its fonte (A); the quadro di sintesi
//! (B); the differentiation actually achieved, aggregated (D); marked blanks for what only the
//! ente can write (C, F, G); progressioni economiche, not pertinent to managers (E). A
//! published document: counts and amounts only, never a matricola or a name.

use rust_decimal::Decimal;

use super::{headers, sum, text, DocTable};
use crate::engine::{Inputs, Outcome};
use crate::fund::FundResult;
use crate::money::{format_it, Money};
use crate::national::Voce;
use crate::output::table::{Cell, Format};
use crate::output::tables;
use crate::output::text::{base_words, service_words};
use crate::output::transparency::{self, count_publishable, WITHHELD};
use crate::pay::{Art30, Average, CoefficientFn, FeeCorrelation, Model, PayResult, QuotaRounding};
use crate::rules::{Rules, ShareSpec};

/// What a section only the ente can write says.
const TO_FILL: &str = "da compilare a cura dell'ente";

/// Every table of the relazione illustrativa, in the schema's order.
pub(super) fn tables(inputs: &Inputs, outcome: &Outcome) -> Vec<DocTable> {
    let rules = &inputs.rules;
    let f = &outcome.fund;
    vec![
        modulo_1(rules),
        modulo_2a(rules, f),
        modulo_2b(rules, f),
        blank(
            "C: effetti abrogativi impliciti",
            "Effetti abrogativi impliciti",
            "indicare le clausole di precedenti contratti integrativi che il contratto sostituisce o rende inapplicabili, oppure scrivere che non ve ne sono.",
        ),
        modulo_2d(rules, outcome.pay.as_ref()),
        DocTable {
            title: "Relazione illustrativa — Modulo 2 E: progressioni economiche".into(),
            headers: headers(&["Voce", "Contenuto"]),
            rows: vec![vec![
                text("Progressioni economiche finanziate con il fondo"),
                text("non pertinente per la dirigenza: il fondo della dirigenza non finanzia progressioni economiche"),
            ]],
            notes: Vec::new(),
        },
        blank(
            "F: risultati attesi",
            "Risultati attesi dalla sottoscrizione del contratto integrativo",
            "illustrare i risultati attesi in relazione agli strumenti di programmazione dell'ente (piano della performance, PIAO).",
        ),
        blank(
            "G: altre informazioni",
            "Altre informazioni utili",
            "indicare le altre informazioni utili a comprendere gli istituti regolati dal contratto, oppure scrivere «nessuna».",
        ),
    ]
}

/// A section only the ente can write: its subject marked "da compilare", what to write in a
/// note.
fn blank(title: &str, subject: &str, what: &str) -> DocTable {
    DocTable {
        title: format!("Relazione illustrativa — Modulo 2 {title}"),
        headers: headers(&["Voce", "Contenuto"]),
        rows: vec![vec![text(subject), text(TO_FILL)]],
        notes: vec![format!("{}: {what}", capitalised(TO_FILL))],
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A number the Italian way, without trailing zeros.
fn num(d: Decimal) -> String {
    format_it(d.normalize(), 0)
}

fn count(n: usize) -> Cell<'static> {
    Cell::Count(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Relazione illustrativa, Modulo 1: the procedure, as the rules file states it.
fn modulo_1(rules: &Rules) -> DocTable {
    let p = &rules.procedure;
    let missing = || text("non indicato nel file delle regole ([procedura])");
    let one = |v: &Option<String>| v.as_ref().map_or_else(missing, text);
    let many = |v: &Vec<String>| {
        if v.is_empty() {
            missing()
        } else {
            text(v.join("; "))
        }
    };
    DocTable {
        title: "Relazione illustrativa — Modulo 1: scheda generale riassuntiva del contratto integrativo".into(),
        headers: headers(&["Voce", "Contenuto"]),
        rows: vec![
            vec![text("Data di sottoscrizione della preintesa"), one(&p.pre_agreement)],
            vec![text("Data di sottoscrizione del contratto"), one(&p.signature)],
            vec![text("Periodo temporale di vigenza"), one(&p.period)],
            vec![text("Composizione della delegazione trattante: parte pubblica"), many(&p.public_delegation)],
            vec![text("Organizzazioni sindacali ammesse alla contrattazione"), many(&p.unions_admitted)],
            vec![text("Organizzazioni sindacali firmatarie"), many(&p.unions_signing)],
            vec![text("Soggetti destinatari"), p.recipients.as_ref().map_or_else(|| text("Personale con qualifica dirigenziale"), text)],
            vec![text("Materie trattate dal contratto integrativo"), many(&p.subjects)],
            vec![text("Intervento dell'organo di controllo interno e certificazione"), one(&p.control_body)],
            vec![text("Attestazione del rispetto degli obblighi di legge"), many(&p.attestations)],
        ],
        notes: Vec::new(),
    }
}

/// One row of Modulo 2 A: the subject, what the CCDI provides, its fonte.
fn row(subject: &str, content: String, source: String) -> Vec<Cell<'static>> {
    vec![text(subject), text(content), text(source)]
}

/// The CCDI's source of a section of the rules file, or what to write where it is missing.
fn ccdi(rules: &Rules, section: &str) -> String {
    rules.source_of(section).map_or_else(
        || format!("fonte del CCDI non indicata: scrivere fonte nella sezione [{section}] del file delle regole"),
        str::to_string,
    )
}

/// Relazione illustrativa, Modulo 2 A: what the CCDI provides, subject by subject, from the
/// rules, each with the CCDI's fonte and the national rule of the year.
fn modulo_2a(rules: &Rules, f: &FundResult) -> DocTable {
    let mut rows = vec![split_row(rules, f)];
    rows.extend(evaluation_rows(rules));
    rows.push(differentiation_row(rules));
    rows.push(interim_row(rules));
    rows.push(fees_row(rules));
    rows.push(carryover_row(rules, f));
    DocTable {
        title: "Relazione illustrativa — Modulo 2 A: illustrazione di quanto disposto dal contratto integrativo".into(),
        headers: headers(&["Materia", "Disciplina del contratto integrativo", "Fonte"]),
        rows,
        notes: Vec::new(),
    }
}

/// How one share of the split is declared.
fn share(s: ShareSpec) -> String {
    match s {
        ShareSpec::Amount(m) => m.it(),
        ShareSpec::Percent(p) => format!("{}% del fondo", num(p.value())),
        ShareSpec::Rest => "il resto del fondo".into(),
    }
}

fn split_row(rules: &Rules, f: &FundResult) -> Vec<Cell<'static>> {
    let s = &rules.split;
    row(
        "Ripartizione del fondo tra retribuzione di posizione e di risultato",
        format!(
            "posizione: {}; risultato: {}; su un fondo di {}: posizione {}, risultato {}",
            share(s.position),
            share(s.result),
            f.fund.it(),
            f.position.it(),
            f.result.it()
        ),
        format!(
            "{} ({}); {}",
            s.source,
            s.origin,
            rules.national.cite(Voce::Ripartizione)
        ),
    )
}

/// The evaluation system: components, threshold, coefficient, base and service, model.
fn evaluation_rows(rules: &Rules) -> Vec<Vec<Cell<'static>>> {
    let (pr, n) = (&rules.pay, &rules.national);
    let smvp = ccdi(rules, "valutazione");
    let components: Vec<String> = pr
        .components
        .iter()
        .map(|c| {
            let org = if c.organisational {
                " (performance organizzativa)"
            } else {
                ""
            };
            format!("{} {}{org}", c.code, num(c.weight))
        })
        .collect();
    let total: Decimal = pr.components.iter().map(|c| c.weight).sum();
    let model_source = match pr.model {
        Model::Full => format!("{smvp}; {}", n.cite(Voce::Risultato)),
        Model::Quota => format!(
            "{smvp}; {}; {}",
            n.cite(Voce::Risultato),
            n.cite(Voce::Economie)
        ),
    };
    vec![
        row(
            "Sistema di valutazione: componenti e pesi",
            format!("{}; totale {}", components.join(", "), num(total)),
            format!("{smvp}; {}", n.cite(Voce::Valutazione)),
        ),
        row(
            "Soglia di accesso alla retribuzione di risultato",
            format!(
                "punteggio almeno {} su 100; sotto la soglia nessuna retribuzione di risultato",
                num(pr.threshold)
            ),
            format!("{smvp}; {}", n.cite(Voce::Soglia)),
        ),
        row(
            "Coefficiente di valutazione",
            coefficient(&pr.coefficient),
            smvp.clone(),
        ),
        row(
            "Base di calcolo e periodo di servizio",
            format!(
                "base di calcolo: {}; periodo di servizio: {}",
                quota_base(pr),
                service_words(pr.service)
            ),
            smvp.clone(),
        ),
        row("Modello di ripartizione", quota_model(pr), model_source),
    ]
}

/// What the result quota is proportional to: the fixed base's own, or the declared base.
fn quota_base(pr: &crate::pay::PayRules) -> &'static str {
    if pr.quota.is_fixed() {
        pr.quota.base_words()
    } else {
        base_words(pr.base)
    }
}

/// The model of the result quota: the fixed base per post, or the split of the pot.
fn quota_model(pr: &crate::pay::PayRules) -> String {
    if pr.quota.is_fixed() {
        format!(
            "{}; la quota non dipende dagli altri dirigenti presenti e il risultato non assegnato è un'economia",
            pr.quota.describe()
        )
    } else {
        model(pr.model).into()
    }
}

/// The score → coefficient function in words.
fn coefficient(c: &CoefficientFn) -> String {
    match c {
        CoefficientFn::Linear => {
            "proporzionale al punteggio: coefficiente = punteggio / 100".into()
        }
        CoefficientFn::Bands(bands) => {
            let shown: Vec<String> = bands
                .iter()
                .map(|b| {
                    let upper = if b.to == Decimal::ONE_HUNDRED {
                        "a"
                    } else {
                        "a meno di"
                    };
                    format!(
                        "da {} {upper} {}: {}",
                        num(b.from),
                        num(b.to),
                        num(b.coefficient)
                    )
                })
                .collect();
            format!("per fasce di punteggio: {}", shown.join("; "))
        }
        CoefficientFn::QuotaStep { .. } => c.describe(),
    }
}

fn model(m: Model) -> &'static str {
    match m {
        Model::Full => "ripartizione integrale: l'intera somma per la retribuzione di risultato è distribuita in proporzione a quota × coefficiente",
        Model::Quota => "quota teorica: a ciascuno la propria quota moltiplicata per il coefficiente (al più 1); la parte non erogata è un'economia",
    }
}

/// The CCDI's differentiation, with the national contract's source in the years one
/// provides it.
fn differentiation_row(rules: &Rules) -> Vec<Cell<'static>> {
    let own = ccdi(rules, "differenziazione");
    let source = match &rules.national.differentiation {
        Some(d) => format!("{own}; {}", d.source),
        None => own,
    };
    row(
        "Differenziazione della retribuzione di risultato",
        match &rules.pay.art30 {
            Some(a) => differentiation(a),
            None => "non prevista dal CCDI (nessuna sezione [differenziazione])".to_string(),
        },
        source,
    )
}

/// The differentiation the CCDI declares, in words.
fn differentiation(a: &Art30) -> String {
    let rounding = match a.quota_rounding {
        QuotaRounding::Up => "per eccesso",
        QuotaRounding::Down => "per difetto",
        QuotaRounding::HalfUp => "all'unità più vicina",
    };
    let average = match a.average {
        Average::Destined => "sulle risorse destinate al risultato, per dirigente valutato",
        Average::AllPaid => "sui dirigenti con retribuzione di risultato",
        Average::AllEligible => "su tutti i dirigenti con valutazione positiva",
    };
    format!(
        "i dirigenti con la valutazione più alta, entro la quota del {}% dei dirigenti valutati (numero arrotondato {rounding}), ricevono almeno il {}% in più della retribuzione di risultato media pro capite, calcolata {average}{}",
        num(a.quota),
        num(a.percent),
        if a.c5 {
            "; maggiorazione ridotta (comma_5)"
        } else {
            ""
        }
    )
}

fn interim_row(rules: &Rules) -> Vec<Cell<'static>> {
    let r = &rules.national.interim;
    let range = format!("{}-{}%", num(r.min), num(r.max));
    let content = match rules.interim_percent {
        Some(p) => format!(
            "il {}% della retribuzione di posizione del posto coperto, per il periodo dell'interim, come retribuzione di risultato (intervallo nazionale {range})",
            num(p)
        ),
        None => format!(
            "la percentuale indicata per ogni incarico in interim.csv, nell'intervallo nazionale {range} della retribuzione di posizione del posto coperto"
        ),
    };
    row(
        "Incarichi ad interim",
        content,
        format!("{}; {}", ccdi(rules, "interim"), r.source),
    )
}

fn fees_row(rules: &Rules) -> Vec<Cell<'static>> {
    let content = match rules.pay.fees {
        FeeCorrelation::None => {
            "nessuna correlazione: i compensi ex lege non riducono la retribuzione di risultato"
                .to_string()
        }
        FeeCorrelation::Reduce { percent } => format!(
            "la retribuzione di risultato è ridotta del {}% dei compensi ex lege percepiti, non sotto zero; la riduzione è un'economia",
            num(percent)
        ),
    };
    row(
        "Correlazione con i compensi ex lege (onnicomprensività)",
        content,
        format!(
            "{}; {}",
            ccdi(rules, "compensi_ex_lege"),
            rules.national.cite(Voce::Compensi)
        ),
    )
}

fn carryover_row(rules: &Rules, f: &FundResult) -> Vec<Cell<'static>> {
    let national = rules.national.carryover.source.to_string();
    if rules.carryovers.is_empty() {
        return row(
            "Riporti di anni precedenti",
            "nessun riporto di anni precedenti".into(),
            national,
        );
    }
    let listed: Vec<String> = rules
        .carryovers
        .iter()
        .zip(&f.carryovers)
        .map(|(c, m)| format!("{} (anno {}) {}", c.description, c.year, m.it()))
        .collect();
    let sources: Vec<String> = rules
        .carryovers
        .iter()
        .map(|c| format!("{} ({})", c.source, c.origin))
        .collect();
    row(
        "Riporti di anni precedenti",
        format!(
            "{}; totale {}, destinato alla sola retribuzione di risultato",
            listed.join("; "),
            f.carryover_total.it()
        ),
        format!("{}; {national}", sources.join("; ")),
    )
}

/// Relazione illustrativa, Modulo 2 B: the quadro di sintesi, its columns as the text
/// prints them, its percentages typed (numbers in the workbook, written `73,45` elsewhere).
fn modulo_2b(rules: &Rules, f: &FundResult) -> DocTable {
    let q = tables::quadro(rules, f);
    let t = tables::quadro_table(&q);
    let as_written = |c: Cell| match c {
        Cell::Percent(v, d) => Cell::Percent(v, d),
        Cell::Number(v, d) => Cell::Number(v, d),
        Cell::Text(s) => Cell::text(s.into_owned()),
        Cell::Amount(m) => Cell::Amount(m),
        _ => Cell::Empty,
    };
    DocTable {
        title: "Relazione illustrativa — Modulo 2 B: quadro di sintesi delle modalità di utilizzo delle risorse".into(),
        headers: t.headers(Format::Text),
        rows: q
            .rows
            .iter()
            .map(|r| t.cells(Format::Text, &r).into_iter().map(as_written).collect())
            .collect(),
        notes: Vec::new(),
    }
}

/// The title of Modulo 2 D.
const MODULO_2D: &str =
    "Relazione illustrativa — Modulo 2 D: meritocrazia e premialità (differenziazione realizzata)";

/// A count of managers out of the `total` evaluated, or [`WITHHELD`] when it or the others
/// are one or two people (the transparency table's rule).
fn group(n: usize, total: usize) -> Cell<'static> {
    if count_publishable(n, total) {
        count(n)
    } else {
        text(WITHHELD)
    }
}

/// Relazione illustrativa, Modulo 2 D: the differentiation actually achieved, aggregated:
/// managers evaluated, eligible and not, by score band (merged as the transparency table's),
/// the differentiation applied or not and why, and the range of result pay; no figure about
/// one or two managers.
fn modulo_2d(rules: &Rules, pay: Option<&PayResult>) -> DocTable {
    let n = &rules.national;
    let mut table = DocTable {
        title: MODULO_2D.into(),
        headers: headers(&["Voce", "Valore", "Fonte"]),
        rows: Vec::new(),
        notes: vec![format!(
            "Dati aggregati, senza nomi né matricole ({}): il dettaglio per dirigente resta negli atti del servizio del personale.",
            n.cite(Voce::Trasparenza)
        )],
    };
    let Some(p) = pay else {
        table.rows.push(vec![
            text("Differenziazione realizzata: non calcolata senza i dati dei dirigenti (indicare la cartella dei dati con --dati)"),
            Cell::Empty,
            Cell::Empty,
        ]);
        return table;
    };
    let evaluated = p.managers.len();
    let eligible = p.managers.iter().filter(|m| m.eligible).count();
    table.rows = vec![
        vec![
            text("Dirigenti valutati"),
            count(evaluated),
            text(n.cite(Voce::Valutazione)),
        ],
        vec![
            text(format!(
                "di cui con valutazione positiva (punteggio almeno {})",
                num(rules.pay.threshold)
            )),
            group(eligible, evaluated),
            text(n.cite(Voce::Soglia)),
        ],
        vec![
            text("di cui sotto la soglia, senza retribuzione di risultato"),
            group(evaluated - eligible, evaluated),
            Cell::Empty,
        ],
    ];
    table
        .rows
        .extend(transparency::transparency(p).bands.iter().map(|b| {
            vec![
                text(format!("Dirigenti con punteggio {}", b.label)),
                count(b.managers),
                Cell::Empty,
            ]
        }));
    table.rows.push(art30_row(rules, p));
    table.rows.extend(result_range(rules, p));
    table.notes.push(format!(
        "«{WITHHELD}»: dato che riguarda meno di {} dirigenti, o da cui si ricaverebbe; le fasce di punteggio con 1 o 2 dirigenti sono unite alle fasce vicine (tutela dei dati personali).",
        transparency::FEWEST
    ));
    table
}

/// Whether the differentiation was applied, to how many managers, or why not.
fn art30_row(rules: &Rules, p: &PayResult) -> Vec<Cell<'static>> {
    let a = &p.art30;
    let source = crate::pay::Sources::art30(&rules.national, rules.source_of("differenziazione"));
    if a.applied {
        return vec![
            text(format!(
                "Differenziazione applicata: dirigenti con la valutazione più alta portati almeno al {}% sopra la media",
                rules.pay.art30.as_ref().map(|d| num(d.percent)).unwrap_or_default()
            )),
            count(a.top.len()),
            text(source),
        ];
    }
    vec![
        text(format!(
            "Differenziazione non applicata: {}",
            a.note
                .as_deref()
                .unwrap_or("nessun dirigente tra i più valutati")
        )),
        Cell::Empty,
        text(source),
    ]
}

/// The managers with result pay and the minimum, average and maximum of their result pay,
/// each where the transparency table's rules publish it.
fn result_range(rules: &Rules, p: &PayResult) -> Vec<Vec<Cell<'static>>> {
    let paid: Vec<Money> = p
        .managers
        .iter()
        .map(|m| m.result_paid)
        .filter(|m| !m.value().is_zero())
        .collect();
    let evaluated = p.managers.len();
    let mut rows = vec![vec![
        text("Dirigenti con retribuzione di risultato"),
        group(paid.len(), evaluated),
        Cell::Empty,
    ]];
    let (Some(min), Some(max)) = (paid.iter().min(), paid.iter().max()) else {
        return rows;
    };
    let total = sum(paid.iter().copied());
    let average = Money::from_exact(total.value() / Decimal::from(paid.len()), rules.rounding);
    let shown = |ok: bool, m: Money| {
        if ok {
            Cell::Amount(m)
        } else {
            text(WITHHELD)
        }
    };
    let figures = transparency::pay_figures_publishable(paid.len(), evaluated);
    let with_average = transparency::average_publishable(paid.len(), evaluated);
    rows.extend([
        vec![
            text("Retribuzione di risultato minima"),
            shown(figures, *min),
            Cell::Empty,
        ],
        vec![
            text("Retribuzione di risultato media"),
            shown(with_average, average),
            if with_average {
                text(format!(
                    "{} / {}, {}",
                    total.it(),
                    paid.len(),
                    rules.rounding.per_cent()
                ))
            } else {
                Cell::Empty
            },
        ],
        vec![
            text("Retribuzione di risultato massima"),
            shown(figures, *max),
            Cell::Empty,
        ],
    ]);
    rows
}
