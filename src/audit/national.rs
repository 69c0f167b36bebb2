//! The year's national rules in `verifica`: what the catalogue says for the fund year, line
//! by line with its fonte ([`national_rules`], the block at the head of the checklist); the
//! avviso naming the sources "da verificare" the year uses ([`unverified_check`]); and an
//! avviso for each fee of `compensi.csv` that a fee rule of the year does not admit
//! ([`fee_checks`]). Every figure and citation comes from the catalogue.

use rust_decimal::Decimal;

use super::{Check, Verdict};
use crate::engine::Inputs;
use crate::money::format_it;
use crate::national::{Differentiation, Increment, Minimum, National};
use crate::staff::Fee;

/// One rule of the year as the checklist shows it (*regola nazionale dell'anno*): what it is
/// about, what the catalogue says, and its fonte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLine {
    pub name: String,
    pub content: String,
    pub source: String,
}

fn line(name: &str, content: String, source: impl Into<String>) -> RuleLine {
    RuleLine {
        name: name.to_string(),
        content,
        source: source.into(),
    }
}

/// A number the Italian way, without trailing zeros.
fn num(d: Decimal) -> String {
    format_it(d.normalize(), 0)
}

/// What the catalogue says for the year, in the order the revisori read it: the contracts,
/// the result share, the differentiation and its exclusion, the interim range, the position
/// pay range, the carry-overs, the fund increments and the admissibility of fees.
pub fn national_rules(n: &National) -> Vec<RuleLine> {
    let mut out = vec![contracts(n), result_share(n)];
    out.extend(differentiation(n));
    out.push(line(
        "Interim",
        format!(
            "dal {}% al {}% della retribuzione di posizione del posto coperto",
            num(n.interim.min),
            num(n.interim.max)
        ),
        n.interim.source.as_str(),
    ));
    out.push(match &n.position {
        Some(p) => line(
            "Retribuzione di posizione di un posto",
            format!(
                "minimo {}, massimo {} annui (fuori dall'intervallo un avviso)",
                p.min.it(),
                p.max.it()
            ),
            p.source.as_str(),
        ),
        None => line(
            "Retribuzione di posizione di un posto",
            format!("nessun minimo o massimo per il {}", n.year),
            absent(n, "[[posizione]]"),
        ),
    });
    out.push(carryovers(n));
    out.extend(increments(n));
    out.extend(n.fees.iter().map(|f| {
        line(
            &format!("Compensi ex lege: {}", f.words.join(" / ")),
            if f.admitted {
                "ammessi per i dirigenti".into()
            } else {
                "non ammessi per i dirigenti: un compenso di questo tipo in compensi.csv è segnalato con un avviso".into()
            },
            f.source.as_str(),
        )
    }));
    out
}

/// The fonte of something the catalogue does not provide in the year.
fn absent(n: &National, section: &str) -> String {
    format!("{}: nessuna voce {section} per il {}", n.file, n.year)
}

/// The contracts that govern the year: those whose first year is not after it.
fn contracts(n: &National) -> RuleLine {
    let listed: Vec<String> = n
        .contracts
        .iter()
        .filter(|c| c.first_year <= n.year)
        .map(|c| format!("{} (dal fondo {})", c.title, c.first_year))
        .collect();
    line(
        "Contratti nazionali che governano l'anno",
        listed.join("; "),
        n.file.as_str(),
    )
}

fn result_share(n: &National) -> RuleLine {
    let r = &n.result_share;
    let kind = if r.binding {
        "vincolante: sotto la quota il controllo è violato"
    } else {
        "solo un riferimento, non vincolante: sotto la quota un avviso"
    };
    line(
        "Quota minima della retribuzione di risultato",
        format!("{}% del fondo, {kind}", num(r.percent)),
        r.source.as_str(),
    )
}

/// The differentiation and its exclusion, or that no contract provides it in the year.
fn differentiation(n: &National) -> Vec<RuleLine> {
    const NAME: &str = "Differenziazione della retribuzione di risultato";
    let Some(d) = &n.differentiation else {
        return vec![line(
            NAME,
            "non prevista da un contratto nazionale per l'anno: vale solo la differenziazione che il CCDI dichiara ([differenziazione]), citata al CCDI".into(),
            absent(n, "[[differenziazione]]"),
        )];
    };
    vec![
        line(
            NAME,
            format!(
                "prevista; il CCDI ne definisce la percentuale e la quota dei dirigenti; maggiorazione minima sulla media pro capite: {}",
                minima(d)
            ),
            d.source.as_str(),
        ),
        line(
            "Esclusione dalla differenziazione",
            format!(
                "non si applica dove i dirigenti in servizio sono non più di {}; la retribuzione di risultato resta selettiva",
                d.excluded_up_to
            ),
            d.exclusion_source.as_str(),
        ),
    ]
}

/// The minimum mark-ups by ente size, without and then with the reduced mark-up
/// (`comma_5`).
fn minima(d: &Differentiation) -> String {
    let of = |c5: bool| {
        let mut m: Vec<&Minimum> = d.minima.iter().filter(|m| m.c5 == c5).collect();
        m.sort_by_key(|m| m.up_to_managers.unwrap_or(u32::MAX));
        let mut bound = None;
        let shown: Vec<String> = m
            .iter()
            .map(|m| {
                let size = match (m.up_to_managers, bound) {
                    (Some(k), _) => format!("fino a {k} dirigenti"),
                    (None, Some(k)) => format!("oltre {k} dirigenti"),
                    (None, None) => "per ogni ente".to_string(),
                };
                bound = m.up_to_managers.or(bound);
                format!("{}% {size}", num(m.percent))
            })
            .collect();
        shown.join(", ")
    };
    let (plain, reduced) = (of(false), of(true));
    if reduced.is_empty() {
        plain
    } else {
        format!("{plain}; con la maggiorazione ridotta (comma_5): {reduced}")
    }
}

fn carryovers(n: &National) -> RuleLine {
    let c = &n.carryover;
    let from = match c.years_back {
        Some(1) => "dal solo anno precedente".to_string(),
        Some(k) => format!("dai {k} anni precedenti"),
        None => "da qualunque anno precedente".to_string(),
    };
    let to = if c.result_only {
        "per la sola retribuzione di risultato"
    } else {
        "per la retribuzione di posizione e di risultato"
    };
    line(
        "Riporti di anni precedenti",
        format!("ammessi {from}, {to}"),
        c.source.as_str(),
    )
}

/// Each fund increment of the year, or that there is none.
fn increments(n: &National) -> Vec<RuleLine> {
    const NAME: &str = "Incrementi contrattuali del fondo";
    if n.increments.is_empty() {
        return vec![line(
            NAME,
            format!("nessuno per il {}", n.year),
            absent(n, "[[incrementi]]"),
        )];
    }
    n.increments
        .iter()
        .map(|i| {
            line(
                &format!("{NAME} ({})", i.code),
                increment(i),
                i.source.as_str(),
            )
        })
        .collect()
}

/// An increment in words: how much, of what nature, whether the ente chooses it, the cap.
fn increment(i: &Increment) -> String {
    let mut parts = Vec::new();
    if let (Some(p), Some(y)) = (i.percent, i.pay_bill_year) {
        parts.push(format!("{}% del monte salari {y}", num(p)));
    }
    if let Some(m) = i.per_post {
        parts.push(format!("{} per posto di funzione", m.it()));
    }
    parts.push(format!("risorsa {}", i.nature.key()));
    parts.push(
        if i.optional {
            "facoltativo"
        } else {
            "obbligatorio"
        }
        .into(),
    );
    if i.result_only {
        parts.push("solo per la retribuzione di risultato".into());
    }
    parts.push(
        if i.outside_cap {
            "fuori dal limite 2016"
        } else {
            "soggetto al limite 2016"
        }
        .into(),
    );
    parts.join("; ")
}

/// An avviso naming the sources "da verificare" that the year's rules use, or a ✓ when the
/// catalogue marks none.
pub fn unverified_check(n: &National) -> Check {
    let unverified = n.unverified();
    let name = format!("Fonti nazionali da verificare usate per il {}", n.year);
    if unverified.is_empty() {
        return Check {
            verdict: Verdict::Holds,
            name,
            source: n.file.clone(),
            figures: "nessuna: tutte le fonti dell'anno sono verificate nel catalogo".into(),
        };
    }
    Check {
        verdict: Verdict::Warning,
        name,
        source: n.file.clone(),
        figures: format!(
            "{} {} da confermare sui testi ufficiali prima della firma: {}",
            unverified.len(),
            if unverified.len() == 1 {
                "fonte"
            } else {
                "fonti"
            },
            unverified.join(" | ")
        ),
    }
}

/// An avviso for each fee whose kind a fee rule of the year names and does not admit.
pub fn fee_checks(inputs: &Inputs) -> Vec<Check> {
    let n = &inputs.rules.national;
    let Some(staff) = &inputs.staff else {
        return Vec::new();
    };
    staff
        .fees
        .iter()
        .filter_map(|fee| {
            let rule = n
                .fees
                .iter()
                .find(|r| !r.admitted && r.matches(&fee.kind))?;
            Some(fee_check(fee, n.year, rule.source.as_str()))
        })
        .collect()
}

fn fee_check(fee: &Fee, year: i32, source: &str) -> Check {
    Check {
        verdict: Verdict::Warning,
        name: format!("Compenso ex lege non ammesso per i dirigenti nel {year}"),
        source: source.to_string(),
        figures: format!(
            "{} di {}, {} ({}): compensi di questo tipo non spettano ai dirigenti nel {year}; toglierlo da compensi.csv o correggerne il tipo se è un altro compenso",
            fee.kind,
            fee.matricola,
            fee.amount.it(),
            fee.origin
        ),
    }
}
