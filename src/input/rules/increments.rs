//! The rules file's `[incrementi_contrattuali]`: the managers' pay bill (*monte salari*) the
//! ente declares, from which the fund increments of the year's national rules are computed
//! (every mandatory one, and the optional ones the ente lists in `facoltativi`), each a
//! resource of the fund with the catalogue's fonte. Without the section, in a year with
//! mandatory increments, an avviso names them.

use std::ops::Range;

use toml::de::DeValue;

use super::{Reader, Tbl};
use crate::diag::{Diagnostic, Location};
use crate::money::{Money, Rounding};
use crate::national::{Increment, National};
use crate::rules::{FundItem, IncrementBasis, Origin};

/// The section's name.
const SECTION: &str = "incrementi_contrattuali";
/// Keys of `[incrementi_contrattuali]`.
const INCREMENT_KEYS: &[&str] = &[
    "monte_salari_anno",
    "monte_salari",
    "posti",
    "facoltativi",
    "fonte",
];

/// What the section declares, each value with its span where a message may point at it.
struct Declared {
    pay_bill_year: Option<(i64, Range<usize>)>,
    pay_bill: Option<Money>,
    posts: Option<u32>,
    source: Option<String>,
    origin: Origin,
}

impl Reader<'_> {
    /// `[incrementi_contrattuali]`: the increments of the year's national rules as resources
    /// of the fund, computed from the declared pay bill (or posts) and rounded once with
    /// `rounding`. `resources` are the ente's own, whose codes the increments may not take.
    pub(super) fn increments(
        &mut self,
        top: &Tbl,
        national: Option<&National>,
        rounding: Rounding,
        resources: &[FundItem],
    ) -> Vec<FundItem> {
        let Some(t) = self.section(top, SECTION, INCREMENT_KEYS) else {
            if let (None, Some(n)) = (top.get(SECTION), national) {
                self.increments_missing(n);
            }
            return Vec::new();
        };
        let declared = self.declared(&t);
        let chosen = self.chosen(&t, national);
        let Some(n) = national else {
            return Vec::new();
        };
        if n.increments.is_empty() {
            let msg = format!(
                "il catalogo nazionale ({}) non prevede incrementi contrattuali del fondo per l'anno {}: la sezione non aggiunge risorse; toglierla",
                n.file, n.year
            );
            self.warning(t.span.clone(), Some(SECTION.into()), msg);
            return Vec::new();
        }
        let applied: Vec<&Increment> = n
            .increments
            .iter()
            .filter(|i| !i.optional || chosen.contains(&i.code))
            .collect();
        self.check_pay_bill_year(&t, &declared, &applied);
        self.check_posts(&t, &declared, &applied);
        let mut out = Vec::new();
        for i in applied {
            if let Some(item) = self.increment_item(&t, &declared, i, rounding, resources) {
                out.push(item);
            }
        }
        out
    }

    /// The avviso of a year with mandatory increments and no section: they may already be
    /// among the ente's resources; to check.
    fn increments_missing(&mut self, n: &National) {
        let mandatory: Vec<String> = n
            .increments
            .iter()
            .filter(|i| !i.optional)
            .map(|i| format!("{} ({})", i.description, i.code))
            .collect();
        if mandatory.is_empty() {
            return;
        }
        let years = match pay_bill_years(n.increments.iter().filter(|i| !i.optional)) {
            y if y.is_empty() => String::new(),
            y => format!(" = {y}"),
        };
        let loc = Location::at(self.file, 1, 1, Some(SECTION.into()));
        self.diags.push(Diagnostic::warning(
            loc,
            format!(
                "manca la sezione [{SECTION}]: per il fondo {} il contratto nazionale prevede gli incrementi obbligatori {}. Se non sono già tra le [[risorse]] dell'ente, aggiungere la sezione con monte_salari_anno{years}, monte_salari (il monte salari della dirigenza di quell'anno) e fonte; se ci sono, controllarne gli importi",
                n.year,
                mandatory.join("; ")
            ),
        ));
    }

    /// The section's values, each checked on its own.
    fn declared(&mut self, t: &Tbl) -> Declared {
        let pay_bill_year = self.integer(t, "monte_salari_anno", "l'anno del monte salari");
        let pay_bill = self.amount(t, "monte_salari", "il monte salari della dirigenza");
        let posts = t
            .get("posti")
            .and_then(|_| self.integer(t, "posti", "il numero dei posti di funzione"))
            .and_then(|(p, sp)| match u32::try_from(p) {
                Ok(p) if p > 0 => Some(p),
                _ => {
                    let msg = format!(
                        "numero di posti {p} non valido: indicare un numero intero almeno pari a 1"
                    );
                    self.error(sp, Some(t.key_path("posti")), msg);
                    None
                }
            });
        let source = self.string(
            t,
            "fonte",
            "la fonte del monte salari (ad esempio il conto annuale)",
        );
        Declared {
            pay_bill_year,
            pay_bill,
            posts,
            source: source.map(|s| s.0),
            origin: self.origin(&t.span),
        }
    }

    /// The codes of `facoltativi`: each an optional increment of the year, listed once.
    fn chosen(&mut self, t: &Tbl, national: Option<&National>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (code, span) in self.codes(t, "facoltativi") {
            let key = Some(t.key_path("facoltativi"));
            let Some(n) = national else {
                continue;
            };
            let found = n.increments.iter().find(|i| i.code == code);
            let msg = match found {
                _ if out.contains(&code) => format!("incremento \"{code}\" elencato due volte"),
                Some(i) if !i.optional => format!(
                    "l'incremento \"{code}\" è obbligatorio nell'anno {}: si applica sempre; toglierlo da facoltativi",
                    n.year
                ),
                Some(_) => {
                    out.push(code);
                    continue;
                }
                None => format!(
                    "incremento facoltativo \"{code}\" sconosciuto per l'anno {}; {}",
                    n.year,
                    optional_codes(n)
                ),
            };
            self.error(span, key, msg);
        }
        out
    }

    /// A list of texts with the span of each (`["a", "b"]`, or a single text).
    fn codes(&mut self, t: &Tbl, key: &str) -> Vec<(String, Range<usize>)> {
        let Some(v) = t.get(key) else {
            return Vec::new();
        };
        let items: Vec<_> = match v.get_ref() {
            DeValue::Array(items) => items.iter().collect(),
            _ => vec![v],
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => {
                    out.push((s.trim().to_string(), item.span()));
                }
                _ => self.wrong_type(t, key, item, "un elenco di codici [\"...\"]"),
            }
        }
        out
    }

    /// A located error at `monte_salari_anno` for the applied increments computed on the pay
    /// bill of another year.
    fn check_pay_bill_year(&mut self, t: &Tbl, d: &Declared, applied: &[&Increment]) {
        let Some((year, span)) = &d.pay_bill_year else {
            return;
        };
        let other: Vec<&&Increment> = applied
            .iter()
            .filter(|i| i.pay_bill_year.is_some_and(|y| i64::from(y) != *year))
            .collect();
        if other.is_empty() {
            return;
        }
        let codes: Vec<&str> = other.iter().map(|i| i.code.as_str()).collect();
        let years = pay_bill_years(other.iter().map(|i| **i));
        let msg = format!(
            "monte salari del {year} dichiarato, ma gli incrementi {} dell'anno si calcolano sul monte salari {}: indicare monte_salari_anno = {} e il monte salari di quell'anno",
            codes.join(", "),
            years,
            years
        );
        self.error(span.clone(), Some(t.key_path("monte_salari_anno")), msg);
    }

    /// `posti` is required when an applied increment is an amount per post.
    fn check_posts(&mut self, t: &Tbl, d: &Declared, applied: &[&Increment]) {
        let per_post: Vec<&str> = applied
            .iter()
            .filter(|i| i.per_post.is_some())
            .map(|i| i.code.as_str())
            .collect();
        if per_post.is_empty() && d.posts.is_some() {
            let span = t.get("posti").map_or(t.span.clone(), |v| v.span());
            let msg =
                "nessun incremento dell'anno si calcola per posto: posti non è usato; toglierlo";
            self.warning(span, Some(t.key_path("posti")), msg);
        }
        if !per_post.is_empty() && d.posts.is_none() && t.get("posti").is_none() {
            let what = format!(
                "il numero dei posti di funzione dirigenziale, per gli incrementi per posto {}",
                per_post.join(", ")
            );
            self.missing(t, "posti", &what);
        }
    }

    /// One increment as a resource of the fund; `None` when what it needs is missing or
    /// wrong (already reported), or its code is one of the ente's own resources.
    fn increment_item(
        &mut self,
        t: &Tbl,
        d: &Declared,
        i: &Increment,
        rounding: Rounding,
        resources: &[FundItem],
    ) -> Option<FundItem> {
        if let Some(r) = resources.iter().find(|r| r.code == i.code) {
            let msg = format!(
                "l'incremento \"{}\" è calcolato da questa sezione, ma la voce [[risorse]] alla riga {} usa lo stesso codice: togliere quella voce (o la sezione) per non contarlo due volte",
                i.code, r.origin.line
            );
            self.error(t.span.clone(), Some(SECTION.into()), msg);
            return None;
        }
        let basis = match (i.percent, i.per_post) {
            (Some(percent), _) => {
                let (year, _) = d.pay_bill_year.as_ref()?;
                if i.pay_bill_year.map(i64::from) != Some(*year) {
                    return None;
                }
                IncrementBasis::PayBill {
                    year: i32::try_from(*year).ok()?,
                    pay_bill: d.pay_bill?,
                    percent,
                    source: d.source.clone()?,
                }
            }
            (None, Some(per_post)) => IncrementBasis::PerPost {
                per_post,
                posts: d.posts?,
            },
            (None, None) => return None,
        };
        let Some(amount) = basis.amount(rounding) else {
            self.error(
                t.span.clone(),
                Some(SECTION.into()),
                "importi troppo grandi",
            );
            return None;
        };
        Some(FundItem {
            code: i.code.clone(),
            description: i.description.clone(),
            amount,
            nature: i.nature,
            subject_to_cap: !i.outside_cap,
            source: i.source.to_string(),
            origin: d.origin.clone(),
            result_only: i.result_only,
            increment: Some(basis),
        })
    }
}

/// The year's optional increments, for a message.
fn optional_codes(n: &National) -> String {
    let codes: Vec<String> = n
        .increments
        .iter()
        .filter(|i| i.optional)
        .map(|i| format!("\"{}\" ({})", i.code, i.description))
        .collect();
    if codes.is_empty() {
        format!(
            "nessun incremento facoltativo nell'anno {}: togliere il codice",
            n.year
        )
    } else {
        format!("facoltativi dell'anno: {}", codes.join(", "))
    }
}

/// `2018` (or `2018 o 2021`): the pay-bill years of `increments`, empty when none.
fn pay_bill_years<'a>(increments: impl Iterator<Item = &'a Increment>) -> String {
    let mut years: Vec<i32> = increments.filter_map(|i| i.pay_bill_year).collect();
    years.sort_unstable();
    years.dedup();
    let years: Vec<String> = years.iter().map(i32::to_string).collect();
    years.join(" o ")
}

#[cfg(test)]
mod tests {
    use toml::de::DeTable;

    use super::*;
    use crate::diag::Diagnostics;
    use crate::national::Source;
    use crate::rules::Nature;

    /// An increment of a made-up catalogue: a percentage of the 2018 pay bill, or per post.
    fn increment(code: &str, percent: Option<&str>, per_post: Option<i64>) -> Increment {
        Increment {
            code: code.into(),
            description: format!("Incremento {code}"),
            percent: percent.map(|p| p.parse().expect("percent")),
            pay_bill_year: percent.map(|_| 2018),
            per_post: per_post.map(Money::from_cents),
            nature: Nature::Stable,
            outside_cap: true,
            result_only: false,
            optional: false,
            source: Source("CCNL di prova".into()),
        }
    }

    fn national(increments: Vec<Increment>) -> National {
        let mut n = National::default();
        n.year = 2030;
        n.increments = increments;
        n
    }

    /// The section of `src` read against `n`: the resources and the problems.
    fn read(src: &str, n: &National) -> (Vec<FundItem>, Diagnostics) {
        let doc = DeTable::parse(src).expect("toml");
        let mut r = Reader::new("regole.toml", src);
        let top = Tbl {
            path: String::new(),
            table: doc.get_ref(),
            span: doc.span(),
        };
        let items = r.increments(&top, Some(n), Rounding::HalfUp, &[]);
        (items, r.diags)
    }

    const SECTION_2018: &str = "[incrementi_contrattuali]\nmonte_salari_anno = 2018\nmonte_salari = \"1.234.567,89\"\nfonte = \"conto annuale\"\n";

    #[test]
    fn percent_of_the_pay_bill_rounded_once() {
        let n = national(vec![increment("a", Some("0.46"), None)]);
        let (items, diags) = read(SECTION_2018, &n);
        assert!(diags.is_empty(), "{diags:?}");
        // 1.234.567,89 × 0,46 / 100 = 5.679,012294 → 5.679,01
        assert_eq!(items[0].amount, Money::from_cents(567_901));
        assert_eq!(items[0].origin.line, 1);
        assert!(!items[0].subject_to_cap);
    }

    #[test]
    fn per_post_needs_the_posts() {
        let n = national(vec![increment("p", None, Some(40_950))]);
        let (items, diags) = read(&format!("{SECTION_2018}posti = 3\n"), &n);
        assert!(diags.is_empty(), "{diags:?}");
        // 409,50 × 3 = 1.228,50
        assert_eq!(items[0].amount, Money::from_cents(122_850));
        let (items, diags) = read(SECTION_2018, &n);
        assert!(items.is_empty());
        assert!(diags.has_errors());
        assert!(format!("{diags:?}").contains("posti"));
    }

    #[test]
    fn a_year_without_increments_warns_about_the_section() {
        let (items, diags) = read(SECTION_2018, &national(Vec::new()));
        assert!(items.is_empty());
        assert!(!diags.has_errors() && !diags.is_empty());
    }

    #[test]
    fn an_optional_increment_only_when_chosen() {
        let mut opt = increment("o", Some("0.22"), None);
        opt.optional = true;
        let n = national(vec![increment("a", Some("0.46"), None), opt]);
        let (items, _) = read(SECTION_2018, &n);
        assert_eq!(items.len(), 1);
        let (items, diags) = read(&format!("{SECTION_2018}facoltativi = [\"o\"]\n"), &n);
        assert!(diags.is_empty(), "{diags:?}");
        // 1.234.567,89 × 0,22 / 100 = 2.716,049358 → 2.716,05
        assert_eq!(items[1].amount, Money::from_cents(271_605));
    }
}
