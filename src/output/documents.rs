//! The documents the revisori certify, in the shape of the Circolare RGS 25/2012 standard
//! schemas: the relazione tecnico-finanziaria (Moduli I-IV) and the relazione illustrativa
//! (Modulo 1 and Modulo 2 A-G, in `illustrativa`). Pure: builds tables from validated rules
//! and computed results; `relazioni`, `html` and `xlsx` render them. Published with the CCDI:
//! counts and amounts only, never a matricola or a name (the per-person tables are the HR
//! outputs').

mod illustrativa;

use rust_decimal::Decimal;

use crate::engine::{Inputs, Outcome};
use crate::fund::previous::{Previous, PreviousFund};
use crate::fund::FundResult;
use crate::money::Money;
use crate::national::{National, Voce};
use crate::output::table::Cell;
use crate::output::transparency;
use crate::rules::{FundItem, Nature, Rules};

/// One table of a document (a *sezione* of a *modulo*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocTable {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell<'static>>>,
    pub notes: Vec<String>,
}

/// A document: a title and its tables in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    pub tables: Vec<DocTable>,
}

/// A text cell of a document.
fn text(s: impl Into<String>) -> Cell<'static> {
    Cell::text(s.into())
}

fn headers(h: &[&str]) -> Vec<String> {
    h.iter().map(|s| s.to_string()).collect()
}

/// A section of `Voce`, `Importo`, `Fonte` rows without notes, the RGS schemas' usual shape.
fn section(title: &str, rows: Vec<Vec<Cell<'static>>>) -> DocTable {
    DocTable {
        title: title.to_string(),
        headers: headers(&["Voce", "Importo", "Fonte"]),
        rows,
        notes: Vec::new(),
    }
}

fn sum(items: impl IntoIterator<Item = Money>) -> Money {
    Money::checked_sum(items).unwrap_or(Money::ZERO)
}

fn sub(a: Money, b: Money) -> Money {
    a.checked_sub(b).unwrap_or(Money::ZERO)
}

/// The cuts of one nature (*decurtazioni* on stable or on variable resources).
fn cuts_of(rules: &Rules, nature: Nature) -> Money {
    sum(rules
        .cuts
        .iter()
        .filter(|i| i.nature == nature)
        .map(|i| i.amount))
}

/// An item's row: its description (with whether it is outside the 2016 cap and funds result
/// pay only), its amount and its fonte with the line of the rules file.
fn item_row(i: &FundItem) -> Vec<Cell<'static>> {
    let mut marks = Vec::new();
    if !i.subject_to_cap {
        marks.push("voce non soggetta al limite 2016");
    }
    if i.result_only {
        marks.push("solo retribuzione di risultato");
    }
    let description = if marks.is_empty() {
        i.description.clone()
    } else {
        format!("{} ({})", i.description, marks.join(", "))
    };
    vec![
        text(description),
        Cell::Amount(i.amount),
        text(format!("{} ({})", i.source, i.origin)),
    ]
}

/// Rows (at least one, "nessuna voce" when there are none) and a total row.
fn rows_section(
    title: &str,
    mut rows: Vec<Vec<Cell<'static>>>,
    total: Money,
    total_label: &str,
) -> DocTable {
    if rows.is_empty() {
        rows.push(vec![
            text("nessuna voce"),
            Cell::Amount(Money::ZERO),
            Cell::Empty,
        ]);
    }
    rows.push(vec![text(total_label), Cell::Amount(total), Cell::Empty]);
    section(title, rows)
}

/// Rows of items (description, amount, fonte) and a total row.
fn items_section(title: &str, items: &[&FundItem], total_label: &str) -> DocTable {
    let rows = items.iter().map(|i| item_row(i)).collect();
    rows_section(
        title,
        rows,
        sum(items.iter().map(|i| i.amount)),
        total_label,
    )
}

/// Relazione tecnico-finanziaria, Modulo I: costituzione del fondo. The contract increments
/// are among the resources with the catalogue's fonte; the carry-overs from earlier years
/// among the variable resources, not subject to the 2016 cap (the RGS 25/2012 schema).
fn modulo_1(rules: &Rules, f: &FundResult) -> Vec<DocTable> {
    let of_nature = |n: Nature| -> Vec<&FundItem> {
        rules.resources.iter().filter(|i| i.nature == n).collect()
    };
    let cuts: Vec<&FundItem> = rules.cuts.iter().collect();
    vec![
        items_section(
            "Modulo I — Sezione I: Risorse fisse aventi carattere di certezza e stabilità",
            &of_nature(Nature::Stable),
            "Totale risorse stabili",
        ),
        variable_resources(rules, f, &of_nature(Nature::Variable)),
        items_section(
            "Modulo I — Sezione III: (eventuali) Decurtazioni del fondo",
            &cuts,
            "Totale decurtazioni",
        ),
        constitution_summary(rules, f),
        resources_outside(rules),
    ]
}

/// Modulo I, Sezione II: the variable resources of the year, then the sums carried over
/// from earlier years (not subject to the 2016 cap, result pay only).
fn variable_resources(rules: &Rules, f: &FundResult, items: &[&FundItem]) -> DocTable {
    let mut rows: Vec<Vec<Cell<'static>>> = items.iter().map(|i| item_row(i)).collect();
    rows.extend(rules.carryovers.iter().zip(&f.carryovers).map(|(c, m)| {
        vec![
            text(format!(
                "{} (anno {}, non soggette al limite 2016)",
                c.description, c.year
            )),
            Cell::Amount(*m),
            text(format!("{} ({})", c.source, c.origin)),
        ]
    }));
    let table = rows_section(
        "Modulo I — Sezione II: Risorse variabili",
        rows,
        sum([f.variable, f.carryover_total]),
        "Totale risorse variabili",
    );
    if rules.carryovers.is_empty() {
        return table;
    }
    DocTable {
        notes: vec![format!(
            "Le somme non utilizzate di anni precedenti ({}) sono risorse variabili non soggette al limite 2016, destinate alla sola retribuzione di risultato.",
            rules.national.cite(Voce::Riporti)
        )],
        ..table
    }
}

/// Modulo I, Sezione IV: stable and variable resources net of their cuts, and the fund; with
/// carry-overs, the variable resources of the year and the carried sums apart, and the total
/// with them.
fn constitution_summary(rules: &Rules, f: &FundResult) -> DocTable {
    let stable_cuts = cuts_of(rules, Nature::Stable);
    let variable_cuts = cuts_of(rules, Nature::Variable);
    let carried = !rules.carryovers.is_empty();
    let mut rows = vec![
        vec![
            text("a) Totale risorse stabili sottoposto a certificazione (al netto delle decurtazioni sulle stabili)"),
            Cell::Amount(sub(f.stable, stable_cuts)),
            text(format!("{} − {}", f.stable.it(), stable_cuts.it())),
        ],
        vec![
            text(if carried {
                "b) Totale risorse variabili dell'anno sottoposto a certificazione (al netto delle decurtazioni sulle variabili, escluse le somme di anni precedenti)"
            } else {
                "b) Totale risorse variabili sottoposto a certificazione (al netto delle decurtazioni sulle variabili)"
            }),
            Cell::Amount(sub(f.variable, variable_cuts)),
            text(format!("{} − {}", f.variable.it(), variable_cuts.it())),
        ],
        vec![
            text("c) Totale fondo sottoposto a certificazione"),
            Cell::Amount(f.fund),
            text(rules.national.cite(Voce::Costituzione)),
        ],
    ];
    if carried {
        rows.push(vec![
            text("d) Somme non utilizzate di anni precedenti (Sezione II, non soggette al limite 2016)"),
            Cell::Amount(f.carryover_total),
            text(rules.national.cite(Voce::Riporti)),
        ]);
        rows.push(vec![
            text("e) Totale risorse del fondo con le somme di anni precedenti (c + d)"),
            Cell::Amount(f.grand_total),
            text(format!("{} + {}", f.fund.it(), f.carryover_total.it())),
        ]);
    }
    section(
        "Modulo I — Sezione IV: Sintesi della costituzione del fondo sottoposto a certificazione",
        rows,
    )
}

/// Modulo I, Sezione V: resources temporarily outside the fund: none (the carry-overs are
/// among the variable resources of Sezione II).
fn resources_outside(rules: &Rules) -> DocTable {
    let rows = vec![
        vec![
            text("Nessuna risorsa allocata all'esterno del fondo"),
            Cell::Amount(Money::ZERO),
            Cell::Empty,
        ],
        vec![
            text("Totale risorse allocate all'esterno del fondo"),
            Cell::Amount(Money::ZERO),
            Cell::Empty,
        ],
    ];
    let notes = if rules.carryovers.is_empty() {
        Vec::new()
    } else {
        vec!["Le somme non utilizzate di anni precedenti sono esposte tra le risorse variabili (Sezione II).".into()]
    };
    DocTable {
        notes,
        ..section(
            "Modulo I — Sezione V: Risorse temporaneamente allocate all'esterno del fondo",
            rows,
        )
    }
}

/// Relazione tecnico-finanziaria, Modulo II: definizione delle poste di destinazione.
fn modulo_2(inputs: &Inputs, outcome: &Outcome) -> Vec<DocTable> {
    let rules = &inputs.rules;
    let f = &outcome.fund;
    let y = rules.year;
    let split_source = format!("{} ({})", rules.split.source, rules.split.origin);
    vec![
        section(
            "Modulo II — Sezione I: Destinazioni non disponibili alla contrattazione integrativa o comunque non regolate specificamente dal contratto integrativo",
            vec![vec![
                text(format!("Retribuzione di posizione dei dirigenti {y} (graduazione delle posizioni)")),
                Cell::Amount(f.position),
                text(split_source.clone()),
            ]],
        ),
        section(
            "Modulo II — Sezione II: Destinazioni specificamente regolate dal contratto integrativo",
            vec![vec![
                text(format!("Retribuzione di risultato dei dirigenti {y}")),
                Cell::Amount(f.result),
                text(split_source),
            ]],
        ),
        section(
            "Modulo II — Sezione III: (eventuali) Destinazioni ancora da regolare",
            vec![vec![text("Nessuna destinazione da regolare: la ripartizione copre l'intero fondo"), Cell::Amount(Money::ZERO), Cell::Empty]],
        ),
        destinations_summary(rules, f),
        section(
            "Modulo II — Sezione V: Destinazioni temporaneamente allocate all'esterno del fondo",
            vec![vec![
                text("Retribuzione di risultato finanziata da somme di anni precedenti"),
                Cell::Amount(f.carryover_total),
                text(rules.national.cite(Voce::Riporti)),
            ]],
        ),
        attestations(inputs, outcome),
    ]
}

/// Modulo II, Sezione IV: the destinations' totals.
fn destinations_summary(rules: &Rules, f: &FundResult) -> DocTable {
    section(
        "Modulo II — Sezione IV: Sintesi della definizione delle poste di destinazione del fondo sottoposto a certificazione",
        vec![
            vec![text("a) Totale destinazioni non disponibili (Sezione I)"), Cell::Amount(f.position), Cell::Empty],
            vec![text("b) Totale destinazioni regolate dal contratto integrativo (Sezione II)"), Cell::Amount(f.result), Cell::Empty],
            vec![text("c) Totale destinazioni ancora da regolare (Sezione III)"), Cell::Amount(Money::ZERO), Cell::Empty],
            vec![text("d) Totale poste di destinazione del fondo sottoposto a certificazione"), Cell::Amount(f.fund), text(rules.national.cite(Voce::Ripartizione))],
        ],
    )
}

/// Modulo II, Sezione VI: position pay covered by stable resources and, with the pay, the
/// selective result pay of art. 30.
fn attestations(inputs: &Inputs, outcome: &Outcome) -> DocTable {
    let (rules, f) = (&inputs.rules, &outcome.fund);
    let stable_net = sub(f.stable, cuts_of(rules, Nature::Stable));
    let mut rows = vec![vec![
        text("a) Copertura delle destinazioni di natura certa e continuativa (retribuzione di posizione) con risorse stabili"),
        Cell::Amount(f.position),
        text(format!(
            "{}: retribuzione di posizione {} e risorse stabili nette {}",
            if f.position <= stable_net { "rispettata" } else { "NON rispettata" },
            f.position.it(),
            stable_net.it()
        )),
    ]];
    if let Some(p) = &outcome.pay {
        let a = &p.art30;
        rows.push(vec![
            text("b) Attribuzione selettiva della retribuzione di risultato (differenziazione)"),
            // As the transparency table's total paid: withheld when it is one or two people's.
            if transparency::pay_totals_publishable(p) {
                Cell::Amount(p.reconciliation.result_paid)
            } else {
                text(transparency::WITHHELD)
            },
            text(if a.applied {
                format!(
                    "applicata: {} {} con la valutazione più alta almeno al {}% sopra la media",
                    a.top.len(),
                    if a.top.len() == 1 {
                        "dirigente"
                    } else {
                        "dirigenti"
                    },
                    rules
                        .pay
                        .art30
                        .as_ref()
                        .map(|d| crate::money::format_it(d.percent.normalize(), 0))
                        .unwrap_or_default()
                )
            } else {
                a.note
                    .as_ref()
                    .map_or_else(|| "non applicata".into(), |n| format!("non applicata: {n}"))
            }),
        ]);
    }
    DocTable {
        headers: headers(&["Attestazione", "Importo", "Esito"]),
        ..section("Modulo II — Sezione VI: Attestazione motivata, dal punto di vista tecnico-finanziario, del rispetto di vincoli di carattere generale", rows)
    }
}

/// One line of Modulo III: this year, the previous year and the difference (empty without
/// a previous year).
fn comparison(label: &str, this: Money, prev: Option<Money>) -> Vec<Cell<'static>> {
    let mut row = vec![text(label), Cell::Amount(this)];
    match prev {
        Some(p) => {
            row.push(Cell::Amount(p));
            row.push(Cell::Amount(sub(this, p)));
        }
        None => {
            row.push(Cell::Empty);
            row.push(Cell::Empty);
        }
    }
    row
}

/// A figure of the fund, taken from its figures as Modulo III compares them.
type FundFigure = fn(&PreviousFund) -> Money;

/// Modulo III's figures of the fund, this year against the previous one.
fn year_against_previous(f: &FundResult, pf: Option<&PreviousFund>) -> Vec<Vec<Cell<'static>>> {
    let this = PreviousFund::of(f);
    let figures: [(&str, FundFigure); 8] = [
        ("Risorse stabili", |f| f.stable),
        ("Risorse variabili", |f| f.variable),
        ("Decurtazioni", |f| f.cuts),
        ("Totale fondo sottoposto a certificazione", |f| f.fund),
        ("Destinazione: retribuzione di posizione", |f| f.position),
        ("Destinazione: retribuzione di risultato", |f| f.result),
        ("Risorse allocate all'esterno del fondo (riporti)", |f| {
            f.carryover_total
        }),
        ("Totale risorse da utilizzare", |f| f.grand_total),
    ];
    figures
        .iter()
        .map(|(label, g)| comparison(label, g(&this), pf.map(g)))
        .collect()
}

/// Modulo III's per-head lines, when both years' managers are known: their number and the
/// certified fund per manager (rounded once with the rules' rounding).
fn per_head(
    rules: &Rules,
    f: &FundResult,
    managers: Option<usize>,
    previous: Option<&Previous>,
) -> Vec<Vec<Cell<'static>>> {
    let Some(n) = managers.filter(|&n| n > 0) else {
        return Vec::new();
    };
    let prev = previous.and_then(|p| p.managers.filter(|&m| m > 0).map(|m| (m, p.fund.fund)));
    let each = |fund: Money, n: usize| {
        Money::from_exact(fund.value() / Decimal::from(n as u64), rules.rounding)
    };
    let count = |n: usize| Cell::Count(n as i64);
    let mut rows = vec![vec![
        text("Numero dei dirigenti retribuiti"),
        count(n),
        prev.map_or(Cell::Empty, |(m, _)| count(m)),
        prev.map_or(Cell::Empty, |(m, _)| Cell::Count(n as i64 - m as i64)),
    ]];
    rows.push(comparison(
        "Fondo certificato per dirigente",
        each(f.fund, n),
        prev.map(|(m, fund)| each(fund, m)),
    ));
    rows
}

/// Modulo III's lines of the 2016 cap and the note that cites it (or says it is missing).
fn cap_lines(
    f: &FundResult,
    prev: Option<&PreviousFund>,
    national: &National,
) -> (Vec<Vec<Cell<'static>>>, String) {
    let Some(c) = &f.cap else {
        return (
            Vec::new(),
            "Dati del limite 2016 non indicati nelle regole ([limite_2016]).".into(),
        );
    };
    let headroom = if c.headroom.is_negative() {
        "Superamento del limite 2016 (da decurtare)"
    } else {
        "Margine rispetto al limite 2016"
    };
    let p = prev.and_then(|p| p.cap);
    let rows = vec![
        comparison(
            "Limite 2016 dell'ente (tutti i fondi del personale)",
            c.limit,
            p.map(|p| p.0),
        ),
        comparison(
            "Risorse soggette al limite (questo fondo e altri fondi)",
            c.total,
            p.map(|p| p.1),
        ),
        comparison(headroom, c.headroom, p.map(|p| p.2)),
    ];
    (
        rows,
        format!("Limite: {}.", national.cite(Voce::Limite2016)),
    )
}

/// Relazione tecnico-finanziaria, Modulo III: schema generale riassuntivo, this year against
/// the previous one (when given) and the 2016 cap.
fn modulo_3(
    rules: &Rules,
    f: &FundResult,
    managers: Option<usize>,
    previous: Option<&Previous>,
) -> DocTable {
    let y = rules.year;
    let pf = previous.map(|p| &p.fund);
    let mut rows = year_against_previous(f, pf);
    let (cap_rows, cap_note) = cap_lines(f, pf, &rules.national);
    rows.extend(cap_rows);
    rows.extend(per_head(rules, f, managers, previous));
    let previous_note = match previous {
        Some(p) if p.certified => format!(
            "Anno precedente: {} ({}): cifre certificate, impronta del documento verificata.",
            p.year, p.file
        ),
        Some(p) => format!("Anno precedente: {} ({}).", p.year, p.file),
        None => "Anno precedente non fornito (--precedente): colonne vuote.".into(),
    };
    DocTable {
        title:
            "Modulo III — Schema generale riassuntivo del fondo e confronto con l'anno precedente"
                .into(),
        headers: vec![
            "Voce".into(),
            format!("Anno {y}"),
            previous.map_or("Anno precedente".into(), |p| format!("Anno {}", p.year)),
            "Differenza".into(),
        ],
        rows,
        notes: vec![cap_note, previous_note],
    }
}

/// The title of Modulo IV.
const MODULO_4: &str =
    "Modulo IV — Compatibilità economico-finanziaria e modalità di copertura degli oneri";

/// Relazione tecnico-finanziaria, Modulo IV: compatibility with the budget and coverage of
/// contributions and IRAP, from the rates in the rules file.
fn modulo_4(rules: &Rules, f: &FundResult) -> DocTable {
    let Some(c) = &rules.coverage else {
        return DocTable {
            notes: vec!["Aliquote e capitoli di bilancio non indicati nelle regole ([copertura]): oneri riflessi non calcolati.".into()],
            ..section(MODULO_4, vec![vec![text("Totale risorse da utilizzare (fondo + riporti)"), Cell::Amount(f.grand_total), Cell::Empty]])
        };
    };
    let base = f.grand_total;
    let charge = |rate: Decimal| {
        Money::from_exact(base.value() * rate / Decimal::ONE_HUNDRED, rules.rounding)
    };
    let contributions = charge(c.contributions_rate.value());
    let irap = charge(c.irap_rate.value());
    let rate_row = |label: String, rate: &crate::money::Percent, m: Money| {
        vec![
            text(label),
            Cell::Amount(m),
            text(format!(
                "{} × {}% ({})",
                base.it(),
                rate.it(2),
                rules.rounding.describe()
            )),
        ]
    };
    let mut rows = vec![
        vec![
            text("Totale risorse da utilizzare (fondo + riporti), importi lordi dipendente"),
            Cell::Amount(base),
            text(rules.national.cite(Voce::Costituzione)),
        ],
        rate_row(
            format!(
                "Contributi a carico dell'ente ({}%)",
                c.contributions_rate.it(2)
            ),
            &c.contributions_rate,
            contributions,
        ),
        rate_row(format!("IRAP ({}%)", c.irap_rate.it(2)), &c.irap_rate, irap),
        vec![
            text("Costo complessivo"),
            Cell::Amount(sum([base, contributions, irap])),
            text(c.source.clone()),
        ],
    ];
    let mut notes = vec![format!("Fonte delle aliquote: {}.", c.source)];
    chapters(rules, f, &mut rows, &mut notes);
    DocTable {
        notes,
        ..section(MODULO_4, rows)
    }
}

/// The budget chapters of each use (fund, contributions, IRAP), and whether they cover what
/// is needed.
fn chapters(
    rules: &Rules,
    f: &FundResult,
    rows: &mut Vec<Vec<Cell<'static>>>,
    notes: &mut Vec<String>,
) {
    let Some(c) = &rules.coverage else {
        return;
    };
    for (use_, need, appropriated) in crate::fund::coverage_by_use(rules, f) {
        for ch in c.chapters.iter().filter(|ch| ch.use_ == use_) {
            rows.push(vec![
                text(format!(
                    "Capitolo {} — {} ({})",
                    ch.code,
                    ch.description,
                    use_.key()
                )),
                Cell::Amount(ch.amount),
                text(ch.origin.to_string()),
            ]);
        }
        notes.push(format!(
            "Copertura {}: stanziato {}, necessario {}: {}.",
            use_.key(),
            appropriated.it(),
            need.it(),
            if appropriated >= need {
                "coperto"
            } else {
                "NON coperto"
            }
        ));
    }
}

/// Both documents. `previous` is the previous year's figures, for Modulo III.
pub fn documents(inputs: &Inputs, outcome: &Outcome, previous: Option<&Previous>) -> Vec<Document> {
    let rules = &inputs.rules;
    let f = &outcome.fund;
    let mut rtf = modulo_1(rules, f);
    rtf.extend(modulo_2(inputs, outcome));
    let managers = outcome.pay.as_ref().map(|p| p.managers.len());
    rtf.push(modulo_3(rules, f, managers, previous));
    rtf.push(modulo_4(rules, f));
    vec![
        Document {
            title: format!(
                "Relazione tecnico-finanziaria — {} — fondo dirigenza {}",
                rules.ente, rules.year
            ),
            tables: rtf,
        },
        Document {
            title: format!(
                "Relazione illustrativa — {} — fondo dirigenza {}",
                rules.ente, rules.year
            ),
            tables: illustrativa::tables(inputs, outcome),
        },
    ]
}
