//! The documents the revisori certify, in the shape of the Circolare RGS 25/2012 standard
//! schemas: the relazione tecnico-finanziaria (Moduli I-IV) and the relazione illustrativa
//! (Modulo 1 and Modulo 2 B). Pure: builds tables from validated rules and computed results;
//! `report` renders them.

use rust_decimal::Decimal;

use crate::engine::{Inputs, Outcome};
use crate::fund::FundResult;
use crate::money::Money;
use crate::national::cite;
use crate::rules::{ChapterUse, FundItem, Nature, Rules};

/// One cell of a document table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Amount(Money),
    /// A displayed number that is not an amount (a percentage), right-aligned.
    Number(String),
    Empty,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
}

/// One table of a document (a *sezione* of a *modulo*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocTable {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub notes: Vec<String>,
}

/// A document: a title and its tables in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    pub tables: Vec<DocTable>,
}

fn headers(h: &[&str]) -> Vec<String> {
    h.iter().map(|s| s.to_string()).collect()
}

fn sum(items: impl IntoIterator<Item = Money>) -> Money {
    Money::checked_sum(items).unwrap_or(Money::ZERO)
}

fn sub(a: Money, b: Money) -> Money {
    a.checked_sub(b).unwrap_or(Money::ZERO)
}

/// Rows of items (description, amount, fonte) and a total row.
fn items_section(title: &str, items: &[&FundItem], total_label: &str) -> DocTable {
    let mut rows: Vec<Vec<Cell>> = items
        .iter()
        .map(|i| {
            vec![
                Cell::text(&i.description),
                Cell::Amount(i.amount),
                Cell::text(format!("{} ({})", i.source, i.origin)),
            ]
        })
        .collect();
    if rows.is_empty() {
        rows.push(vec![
            Cell::text("nessuna voce"),
            Cell::Amount(Money::ZERO),
            Cell::Empty,
        ]);
    }
    rows.push(vec![
        Cell::text(total_label),
        Cell::Amount(sum(items.iter().map(|i| i.amount))),
        Cell::Empty,
    ]);
    DocTable {
        title: title.to_string(),
        headers: headers(&["Voce", "Importo", "Fonte"]),
        rows,
        notes: Vec::new(),
    }
}

/// Relazione tecnico-finanziaria, Modulo I: costituzione del fondo.
fn modulo_1(rules: &Rules, f: &FundResult) -> Vec<DocTable> {
    let y = rules.year;
    let stable: Vec<&FundItem> = rules
        .resources
        .iter()
        .filter(|i| i.nature == Nature::Stable)
        .collect();
    let variable: Vec<&FundItem> = rules
        .resources
        .iter()
        .filter(|i| i.nature == Nature::Variable)
        .collect();
    let cuts: Vec<&FundItem> = rules.cuts.iter().collect();
    let stable_cuts = sum(rules
        .cuts
        .iter()
        .filter(|i| i.nature == Nature::Stable)
        .map(|i| i.amount));
    let variable_cuts = sum(rules
        .cuts
        .iter()
        .filter(|i| i.nature == Nature::Variable)
        .map(|i| i.amount));
    let stable_net = sub(f.stable, stable_cuts);
    let variable_net = sub(f.variable, variable_cuts);
    let mut out = vec![
        items_section(
            "Modulo I — Sezione I: Risorse fisse aventi carattere di certezza e stabilità",
            &stable,
            "Totale risorse stabili",
        ),
        items_section("Modulo I — Sezione II: Risorse variabili", &variable, "Totale risorse variabili"),
        items_section("Modulo I — Sezione III: (eventuali) Decurtazioni del fondo", &cuts, "Totale decurtazioni"),
        DocTable {
            title: "Modulo I — Sezione IV: Sintesi della costituzione del fondo sottoposto a certificazione".into(),
            headers: headers(&["Voce", "Importo", "Fonte"]),
            rows: vec![
                vec![
                    Cell::text("a) Totale risorse stabili sottoposto a certificazione (al netto delle decurtazioni sulle stabili)"),
                    Cell::Amount(stable_net),
                    Cell::text(format!("{} − {}", f.stable.it(), stable_cuts.it())),
                ],
                vec![
                    Cell::text("b) Totale risorse variabili sottoposto a certificazione (al netto delle decurtazioni sulle variabili)"),
                    Cell::Amount(variable_net),
                    Cell::text(format!("{} − {}", f.variable.it(), variable_cuts.it())),
                ],
                vec![
                    Cell::text("c) Totale fondo sottoposto a certificazione"),
                    Cell::Amount(f.fund),
                    Cell::text(cite("costituzione", y)),
                ],
            ],
            notes: Vec::new(),
        },
    ];
    let mut rows: Vec<Vec<Cell>> = rules
        .carryovers
        .iter()
        .zip(&f.carryovers)
        .map(|(c, m)| {
            vec![
                Cell::text(format!("{} (anno {})", c.description, c.year)),
                Cell::Amount(*m),
                Cell::text(format!("{} ({})", c.source, c.origin)),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::text("Totale risorse allocate all'esterno del fondo"),
        Cell::Amount(f.carryover_total),
        Cell::text(cite("riporti", y)),
    ]);
    out.push(DocTable {
        title: "Modulo I — Sezione V: Risorse temporaneamente allocate all'esterno del fondo".into(),
        headers: headers(&["Voce", "Importo", "Fonte"]),
        rows,
        notes: vec!["Le somme di anni precedenti sono esposte fuori dal fondo certificato e destinate alla sola retribuzione di risultato.".into()],
    });
    out
}

/// Relazione tecnico-finanziaria, Modulo II: definizione delle poste di destinazione.
fn modulo_2(inputs: &Inputs, outcome: &Outcome) -> Vec<DocTable> {
    let rules = &inputs.rules;
    let f = &outcome.fund;
    let y = rules.year;
    let split_source = format!("{} ({})", rules.split.source, rules.split.origin);
    let stable_cuts = sum(rules
        .cuts
        .iter()
        .filter(|i| i.nature == Nature::Stable)
        .map(|i| i.amount));
    let stable_net = sub(f.stable, stable_cuts);
    let mut attestations = vec![vec![
        Cell::text("a) Copertura delle destinazioni di natura certa e continuativa (retribuzione di posizione) con risorse stabili"),
        Cell::Amount(f.position),
        Cell::text(format!(
            "{}: retribuzione di posizione {} e risorse stabili nette {}",
            if f.position <= stable_net { "rispettata" } else { "NON rispettata" },
            f.position.it(),
            stable_net.it()
        )),
    ]];
    if let Some(p) = &outcome.pay {
        let a = &p.art30;
        attestations.push(vec![
            Cell::text("b) Attribuzione selettiva della retribuzione di risultato (differenziazione art. 30)"),
            Cell::Amount(p.reconciliation.result_paid),
            Cell::text(if a.applied {
                format!("applicata: {} al {}% sopra la media", a.top.join(", "), crate::money::format_it(rules.pay.art30.percent.normalize(), 0))
            } else {
                a.note.clone().unwrap_or_else(|| "non applicata".into())
            }),
        ]);
    }
    vec![
        DocTable {
            title: "Modulo II — Sezione I: Destinazioni non disponibili alla contrattazione integrativa o comunque non regolate specificamente dal contratto integrativo".into(),
            headers: headers(&["Voce", "Importo", "Fonte"]),
            rows: vec![vec![
                Cell::text(format!("Retribuzione di posizione dei dirigenti {y} (graduazione delle posizioni)")),
                Cell::Amount(f.position),
                Cell::text(split_source.clone()),
            ]],
            notes: Vec::new(),
        },
        DocTable {
            title: "Modulo II — Sezione II: Destinazioni specificamente regolate dal contratto integrativo".into(),
            headers: headers(&["Voce", "Importo", "Fonte"]),
            rows: vec![vec![
                Cell::text(format!("Retribuzione di risultato dei dirigenti {y}")),
                Cell::Amount(f.result),
                Cell::text(split_source.clone()),
            ]],
            notes: Vec::new(),
        },
        DocTable {
            title: "Modulo II — Sezione III: (eventuali) Destinazioni ancora da regolare".into(),
            headers: headers(&["Voce", "Importo", "Fonte"]),
            rows: vec![vec![Cell::text("Nessuna destinazione da regolare: la ripartizione copre l'intero fondo"), Cell::Amount(Money::ZERO), Cell::Empty]],
            notes: Vec::new(),
        },
        DocTable {
            title: "Modulo II — Sezione IV: Sintesi della definizione delle poste di destinazione del fondo sottoposto a certificazione".into(),
            headers: headers(&["Voce", "Importo", "Fonte"]),
            rows: vec![
                vec![Cell::text("a) Totale destinazioni non disponibili (Sezione I)"), Cell::Amount(f.position), Cell::Empty],
                vec![Cell::text("b) Totale destinazioni regolate dal contratto integrativo (Sezione II)"), Cell::Amount(f.result), Cell::Empty],
                vec![Cell::text("c) Totale destinazioni ancora da regolare (Sezione III)"), Cell::Amount(Money::ZERO), Cell::Empty],
                vec![Cell::text("d) Totale poste di destinazione del fondo sottoposto a certificazione"), Cell::Amount(f.fund), Cell::text(cite("ripartizione", y))],
            ],
            notes: Vec::new(),
        },
        DocTable {
            title: "Modulo II — Sezione V: Destinazioni temporaneamente allocate all'esterno del fondo".into(),
            headers: headers(&["Voce", "Importo", "Fonte"]),
            rows: vec![vec![
                Cell::text("Retribuzione di risultato finanziata da somme di anni precedenti"),
                Cell::Amount(f.carryover_total),
                Cell::text(cite("riporti", y)),
            ]],
            notes: Vec::new(),
        },
        DocTable {
            title: "Modulo II — Sezione VI: Attestazione motivata, dal punto di vista tecnico-finanziario, del rispetto di vincoli di carattere generale".into(),
            headers: headers(&["Attestazione", "Importo", "Esito"]),
            rows: attestations,
            notes: Vec::new(),
        },
    ]
}

/// Relazione tecnico-finanziaria, Modulo III: schema generale riassuntivo, this year against
/// the previous one (when given) and the 2016 cap.
fn modulo_3(rules: &Rules, f: &FundResult, previous: Option<(&Rules, &FundResult)>) -> DocTable {
    let y = rules.year;
    let line = |label: &str, this: Money, prev: Option<Money>| {
        let mut row = vec![Cell::text(label), Cell::Amount(this)];
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
    };
    let pf = previous.map(|p| p.1);
    let mut rows = vec![
        line("Risorse stabili", f.stable, pf.map(|p| p.stable)),
        line("Risorse variabili", f.variable, pf.map(|p| p.variable)),
        line("Decurtazioni", f.cuts, pf.map(|p| p.cuts)),
        line(
            "Totale fondo sottoposto a certificazione",
            f.fund,
            pf.map(|p| p.fund),
        ),
        line(
            "Destinazione: retribuzione di posizione",
            f.position,
            pf.map(|p| p.position),
        ),
        line(
            "Destinazione: retribuzione di risultato",
            f.result,
            pf.map(|p| p.result),
        ),
        line(
            "Risorse allocate all'esterno del fondo (riporti)",
            f.carryover_total,
            pf.map(|p| p.carryover_total),
        ),
        line(
            "Totale risorse da utilizzare",
            f.grand_total,
            pf.map(|p| p.grand_total),
        ),
    ];
    let mut notes = Vec::new();
    match &f.cap {
        Some(c) => {
            rows.push(line(
                "Limite 2016 dell'ente (tutti i fondi del personale)",
                c.limit,
                None,
            ));
            rows.push(line(
                "Risorse soggette al limite (questo fondo e altri fondi)",
                c.total,
                None,
            ));
            rows.push(line(
                if c.headroom.is_negative() {
                    "Superamento del limite 2016 (da decurtare)"
                } else {
                    "Margine rispetto al limite 2016"
                },
                c.headroom,
                None,
            ));
            notes.push(format!("Limite: {}.", cite("limite_2016", y)));
        }
        None => {
            notes.push("Dati del limite 2016 non indicati nelle regole ([limite_2016]).".into())
        }
    }
    if let Some((p, _)) = previous {
        notes.push(format!("Anno precedente: {} ({}).", p.year, p.file));
    } else {
        notes.push("Anno precedente non fornito (--precedente): colonne vuote.".into());
    }
    DocTable {
        title:
            "Modulo III — Schema generale riassuntivo del fondo e confronto con l'anno precedente"
                .into(),
        headers: vec![
            "Voce".into(),
            format!("Anno {y}"),
            previous.map_or("Anno precedente".into(), |(p, _)| {
                format!("Anno {}", p.year)
            }),
            "Differenza".into(),
        ],
        rows,
        notes,
    }
}

/// Relazione tecnico-finanziaria, Modulo IV: compatibility with the budget and coverage of
/// contributions and IRAP, from the rates in the rules file.
fn modulo_4(rules: &Rules, f: &FundResult) -> DocTable {
    let Some(c) = &rules.coverage else {
        return DocTable {
            title: "Modulo IV — Compatibilità economico-finanziaria e modalità di copertura degli oneri".into(),
            headers: headers(&["Voce", "Importo", "Fonte"]),
            rows: vec![vec![Cell::text("Totale risorse da utilizzare (fondo + riporti)"), Cell::Amount(f.grand_total), Cell::Empty]],
            notes: vec!["Aliquote e capitoli di bilancio non indicati nelle regole ([copertura]): oneri riflessi non calcolati.".into()],
        };
    };
    let base = f.grand_total;
    let charge = |rate: Decimal| {
        Money::from_exact(base.value() * rate / Decimal::ONE_HUNDRED, rules.rounding)
    };
    let contributions = charge(c.contributions_rate.value());
    let irap = charge(c.irap_rate.value());
    let total = sum([base, contributions, irap]);
    let mut rows = vec![
        vec![
            Cell::text("Totale risorse da utilizzare (fondo + riporti), importi lordi dipendente"),
            Cell::Amount(base),
            Cell::text(cite("costituzione", rules.year)),
        ],
        vec![
            Cell::text(format!(
                "Contributi a carico dell'ente ({}%)",
                c.contributions_rate.it(2)
            )),
            Cell::Amount(contributions),
            Cell::text(format!(
                "{} × {}% ({})",
                base.it(),
                c.contributions_rate.it(2),
                rules.rounding.describe()
            )),
        ],
        vec![
            Cell::text(format!("IRAP ({}%)", c.irap_rate.it(2))),
            Cell::Amount(irap),
            Cell::text(format!(
                "{} × {}% ({})",
                base.it(),
                c.irap_rate.it(2),
                rules.rounding.describe()
            )),
        ],
        vec![
            Cell::text("Costo complessivo"),
            Cell::Amount(total),
            Cell::text(c.source.clone()),
        ],
    ];
    let mut notes = vec![format!("Fonte delle aliquote: {}.", c.source)];
    if !c.chapters.is_empty() {
        for (use_, need) in [
            (ChapterUse::Fund, base),
            (ChapterUse::Contributions, contributions),
            (ChapterUse::Irap, irap),
        ] {
            let chapters: Vec<_> = c.chapters.iter().filter(|ch| ch.use_ == use_).collect();
            let appropriated = sum(chapters.iter().map(|ch| ch.amount));
            for ch in &chapters {
                rows.push(vec![
                    Cell::text(format!(
                        "Capitolo {} — {} ({})",
                        ch.code,
                        ch.description,
                        use_.key()
                    )),
                    Cell::Amount(ch.amount),
                    Cell::text(ch.origin.to_string()),
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
    DocTable {
        title:
            "Modulo IV — Compatibilità economico-finanziaria e modalità di copertura degli oneri"
                .into(),
        headers: headers(&["Voce", "Importo", "Fonte"]),
        rows,
        notes,
    }
}

/// Relazione illustrativa, Modulo 1: the procedure, as the rules file states it.
fn illustrativa_1(rules: &Rules) -> DocTable {
    let p = &rules.procedure;
    let missing = || Cell::text("non indicato nel file delle regole ([procedura])");
    let one = |v: &Option<String>| v.as_ref().map_or_else(missing, Cell::text);
    let many = |v: &Vec<String>| {
        if v.is_empty() {
            missing()
        } else {
            Cell::text(v.join("; "))
        }
    };
    DocTable {
        title: "Relazione illustrativa — Modulo 1: scheda generale riassuntiva del contratto integrativo".into(),
        headers: headers(&["Voce", "Contenuto"]),
        rows: vec![
            vec![Cell::text("Data di sottoscrizione della preintesa"), one(&p.pre_agreement)],
            vec![Cell::text("Data di sottoscrizione del contratto"), one(&p.signature)],
            vec![Cell::text("Periodo temporale di vigenza"), one(&p.period)],
            vec![Cell::text("Composizione della delegazione trattante: parte pubblica"), many(&p.public_delegation)],
            vec![Cell::text("Organizzazioni sindacali ammesse alla contrattazione"), many(&p.unions_admitted)],
            vec![Cell::text("Organizzazioni sindacali firmatarie"), many(&p.unions_signing)],
            vec![Cell::text("Soggetti destinatari"), p.recipients.as_ref().map_or_else(|| Cell::text("Personale con qualifica dirigenziale"), Cell::text)],
            vec![Cell::text("Materie trattate dal contratto integrativo"), many(&p.subjects)],
            vec![Cell::text("Intervento dell'organo di controllo interno e certificazione"), one(&p.control_body)],
            vec![Cell::text("Attestazione del rispetto degli obblighi di legge"), many(&p.attestations)],
        ],
        notes: Vec::new(),
    }
}

/// Relazione illustrativa, Modulo 2 B: the quadro di sintesi.
fn illustrativa_2b(rules: &Rules, f: &FundResult) -> DocTable {
    let q = crate::output::report::quadro(rules, f);
    let mut h = vec![
        "Descrizione".to_string(),
        "Importo".to_string(),
        "% distribuzione".to_string(),
    ];
    h.extend(q.carryover_headers.iter().cloned());
    h.push("TOTALE".into());
    let rows = q
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![
                Cell::text(&r.description),
                Cell::Amount(r.amount),
                Cell::Number(r.percent.clone()),
            ];
            row.extend(
                r.carryovers
                    .iter()
                    .map(|c| c.map_or(Cell::Empty, Cell::Amount)),
            );
            row.push(Cell::Amount(r.total));
            row
        })
        .collect();
    DocTable {
        title: "Relazione illustrativa — Modulo 2 B: quadro di sintesi delle modalità di utilizzo delle risorse".into(),
        headers: h,
        rows,
        notes: Vec::new(),
    }
}

/// Both documents. `previous` is the previous year's rules and fund, for Modulo III.
pub fn documents(
    inputs: &Inputs,
    outcome: &Outcome,
    previous: Option<(&Rules, &FundResult)>,
) -> Vec<Document> {
    let rules = &inputs.rules;
    let f = &outcome.fund;
    let mut rtf = modulo_1(rules, f);
    rtf.extend(modulo_2(inputs, outcome));
    rtf.push(modulo_3(rules, f, previous));
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
            tables: vec![illustrativa_1(rules), illustrativa_2b(rules, f)],
        },
    ]
}
