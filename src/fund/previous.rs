//! The previous year's certified figures (*fondo dell'anno precedente*), as `calcola --out`
//! wrote them in its `fondo.json` (read by `input::previous`), and what they propose for this
//! year: the residual result money carried over (*residuo riportato*, art. 57 c.3 from 2021,
//! the catalogue's rule by year) with its origin by cause, a figure of the trail.
//!
//! The document seal: `fondo.json` ends with one key, [`DOCUMENT_HASH_KEY`], the SHA-256 of
//! the document's own bytes as written without that key (its line and the comma before it
//! removed). A figure changed by hand changes the bytes, and the seal no longer matches.

use super::FundResult;
use crate::money::Money;
use crate::rules::Rules;
use crate::trail::{Figure, Term};

/// The key of the document's own SHA-256, the last of `fondo.json`.
pub const DOCUMENT_HASH_KEY: &str = "impronta_documento_sha256";

/// The SHA-256, in hex, of a document's canonical bytes (the document without its seal).
pub fn digest(canonical: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(canonical)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The seal that closes a document whose canonical text ends with `\n}\n`: it replaces that
/// end with the seal's key and value, then `\n}\n`.
pub fn seal_tail(hex: &str) -> String {
    format!(",\n  \"{DOCUMENT_HASH_KEY}\": \"{hex}\"\n}}\n")
}

/// A sealed document split into its canonical bytes and the SHA-256 it declares; `None`
/// when it does not end with the seal (not written by `calcola`, or edited at its end).
pub fn unseal(bytes: &[u8]) -> Option<(Vec<u8>, String)> {
    let marker = format!(",\n  \"{DOCUMENT_HASH_KEY}\": \"");
    let at = find_last(bytes, marker.as_bytes())?;
    let rest = &bytes[at + marker.len()..];
    let hex = rest.get(..64)?;
    if rest.get(64..)? != b"\"\n}\n" || !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut canonical = bytes[..at].to_vec();
    canonical.extend_from_slice(b"\n}\n");
    Some((canonical, String::from_utf8_lossy(hex).to_string()))
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| &hay[i..i + needle.len()] == needle)
}

/// The previous year's fund as certified (or recomputed from its rules file, for Modulo III
/// only, when `relazioni --precedente` is given a `.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    /// The file it comes from, as given.
    pub file: String,
    pub ente: String,
    pub year: i32,
    /// True when read from a sealed `fondo.json`; false when recomputed from a rules file.
    pub certified: bool,
    pub fund: PreviousFund,
    /// The economie by cause, in the file's order, when that year was computed with its data.
    pub economie: Option<Vec<Economia>>,
    /// The managers paid that year, when computed with its data.
    pub managers: Option<usize>,
}

/// The figures of a year's fund that Modulo III compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousFund {
    pub stable: Money,
    pub variable: Money,
    pub cuts: Money,
    pub fund: Money,
    pub position: Money,
    pub result: Money,
    pub carryover_total: Money,
    pub grand_total: Money,
    /// The 2016 cap: limit, resources subject to it, headroom.
    pub cap: Option<(Money, Money, Money)>,
}

impl PreviousFund {
    /// The figures of a computed fund.
    pub fn of(f: &FundResult) -> PreviousFund {
        PreviousFund {
            stable: f.stable,
            variable: f.variable,
            cuts: f.cuts,
            fund: f.fund,
            position: f.position,
            result: f.result,
            carryover_total: f.carryover_total,
            grand_total: f.grand_total,
            cap: f.cap.as_ref().map(|c| (c.limit, c.total, c.headroom)),
        }
    }
}

/// One cause of the economie (*economia*): its key in `fondo.json`, what it is, the amount
/// (negative for what the art. 30 supplements took back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Economia {
    pub key: String,
    pub description: String,
    pub amount: Money,
}

/// The description of a cause of the economie, by its key in `fondo.json`.
pub fn cause_description(key: &str) -> String {
    match key {
        "riduzioni_quota_teorica" => "quote teoriche non erogate per la valutazione",
        "quote_non_idonei" => "quote dei dirigenti sotto la soglia",
        "non_ripartito" => "risultato non ripartito",
        "riduzioni_compensi" => "riduzioni per compensi ex lege",
        "interim_non_erogato" => "interim non erogati",
        "maggiorazioni_art30" => "meno le maggiorazioni art. 30 pagate con le economie",
        "non_assegnato" => "risultato non assegnato dalle quote fisse",
        "riduzioni" => "riduzioni dichiarate del risultato",
        "altro_ente" => "quote a carico di altro ente",
        other => other,
    }
    .to_string()
}

/// The carry-over the previous year's economie propose for this year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarryProposal {
    /// The year the money comes from.
    pub year: i32,
    /// The economie of that year, all causes.
    pub economie: Money,
    /// The part that was the year's variable resources not used: a budget saving.
    pub budget_saving: Money,
    /// The part beyond the year's own fund (its carry-overs not used): once only, not carried.
    pub once_only: Money,
    /// What is proposed: economie − budget saving − once only.
    pub amount: Money,
    /// What this year's rules file carries from that year (`[[riporti]]`).
    pub typed: Money,
}

/// The voce of the proposed carry-over in the trail (`spiega riporto_proposto`).
pub const PROPOSAL_VOCE: &str = "riporto_proposto";

/// The carry-over proposed from the previous year's economie, and its figure; `None` when
/// that year has no economie (computed without its data) or is not the year before.
///
/// Unused money is counted, first, as that year's variable resources (a budget saving,
/// never carried), then as its stable resources (carried once to this year's result pay),
/// last as the carry-overs it had received (once only: not carried again).
pub fn proposal(prev: &Previous, rules: &Rules) -> Option<(CarryProposal, Figure)> {
    let causes = prev.economie.as_ref()?;
    if prev.year != rules.year - 1 {
        return None;
    }
    let economie = Money::checked_sum(causes.iter().map(|c| c.amount))?;
    let own = prev.fund.fund.checked_sub(prev.fund.variable)?;
    let (budget_saving, amount, once_only) = unused(economie, prev.fund.variable, own)?;
    let typed = Money::checked_sum(
        rules
            .carryovers
            .iter()
            .filter(|c| c.year == prev.year)
            .map(|c| c.amount),
    )?;
    let p = CarryProposal {
        year: prev.year,
        economie,
        budget_saving,
        once_only,
        amount,
        typed,
    };
    let figure = proposal_figure(prev, rules, causes, &p);
    Some((p, figure))
}

/// The unused money (`economie`) counted first as the variable resources (a budget saving),
/// then as the fund's own other resources (`own`: carried), the rest as the carry-overs the
/// year had received (once only): (budget saving, carried, once only).
fn unused(economie: Money, variable: Money, own: Money) -> Option<(Money, Money, Money)> {
    let positive = |m: Money| if m.is_negative() { Money::ZERO } else { m };
    let budget_saving = positive(economie).min(variable);
    let after = economie.checked_sub(budget_saving)?;
    let carried = positive(after).min(positive(own));
    let once_only = positive(after.checked_sub(carried)?);
    Some((budget_saving, carried, once_only))
}

/// The figure of the proposal: each cause of the economie, less the budget saving and what
/// was once only.
fn proposal_figure(
    prev: &Previous,
    rules: &Rules,
    causes: &[Economia],
    p: &CarryProposal,
) -> Figure {
    let y = prev.year;
    let mut terms: Vec<Term> = causes
        .iter()
        .filter(|c| !c.amount.value().is_zero())
        .map(|c| Term {
            description: format!("Economie {y}: {}", c.description).into(),
            value: c.amount,
            sign: 1,
            origin: format!("{}:riconciliazione.economie_dettaglio.{}", prev.file, c.key),
            source: None,
        })
        .collect();
    let mut less = |what: &str, m: Money| {
        if !m.value().is_zero() {
            terms.push(Term {
                description: what.to_string().into(),
                value: m,
                sign: -1,
                origin: prev.file.clone(),
                source: None,
            });
        }
    };
    less(
        &format!("Risorse variabili {y} non utilizzate (economie di bilancio, non riportate)"),
        p.budget_saving,
    );
    less(
        &format!("Riporti ricevuti nel {y} e non utilizzati (una tantum, non riportati)"),
        p.once_only,
    );
    let formula = format!(
        "economie {y} {} − risorse variabili non utilizzate {} − riporti non utilizzati {} = {}",
        p.economie, p.budget_saving, p.once_only, p.amount
    );
    let rule = &rules.national.carryover;
    Figure {
        voce: PROPOSAL_VOCE.into(),
        description: format!(
            "Riporto proposto dalle economie {y} (residuo del risultato, da {})",
            prev.file
        ),
        value: p.amount.into(),
        formula,
        terms,
        sources: vec![
            rule.source.to_string().into(),
            rule.residual_source.to_string().into(),
        ],
        roundings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A canonical document sealed, as `json::write_report` writes it.
    fn sealed(body: &str) -> Vec<u8> {
        let canonical = format!("{{\n  \"anno\": 2023{body}\n}}\n");
        let hex = digest(canonical.as_bytes());
        let mut out = canonical[..canonical.len() - 3].to_string();
        out.push_str(&seal_tail(&hex));
        out.into_bytes()
    }

    #[test]
    fn unused_money_is_variable_first_then_carried_then_once_only() {
        let m = |c: i64| Money::from_cents(c * 100);
        // Less than the variable resources: all a budget saving.
        assert_eq!(
            unused(m(500), m(2_000), m(9_000)),
            Some((m(500), m(0), m(0)))
        );
        // The chain's 2022: 39.650 with 2.000 variable → 37.650 carried.
        assert_eq!(
            unused(m(39_650), m(2_000), m(300_000)),
            Some((m(2_000), m(37_650), m(0)))
        );
        // Beyond the year's own fund: the received carry-overs not used are not carried.
        assert_eq!(
            unused(m(12_000), m(1_000), m(10_000)),
            Some((m(1_000), m(10_000), m(1_000)))
        );
        // No economie (the art. 30 supplements took more than they left): nothing.
        assert_eq!(unused(m(-5), m(1_000), m(10_000)), Some((m(0), m(0), m(0))));
    }

    #[test]
    fn a_sealed_document_unseals_to_its_canonical_text_and_hash() {
        let doc = sealed(",\n  \"fondo\": \"1.00\"");
        let (canonical, hex) = unseal(&doc).expect("sealed");
        assert_eq!(
            canonical,
            b"{\n  \"anno\": 2023,\n  \"fondo\": \"1.00\"\n}\n".to_vec()
        );
        assert_eq!(digest(&canonical), hex);
    }

    #[test]
    fn a_changed_figure_no_longer_matches_and_a_cut_seal_is_none() {
        let doc = String::from_utf8(sealed(",\n  \"fondo\": \"1.00\"")).unwrap();
        let changed = doc.replace("1.00", "2.00");
        let (canonical, hex) = unseal(changed.as_bytes()).expect("still sealed");
        assert_ne!(digest(&canonical), hex);
        assert!(unseal(&doc.as_bytes()[..doc.len() - 1]).is_none());
        assert!(unseal(b"{\n  \"anno\": 2023\n}\n").is_none());
    }
}
