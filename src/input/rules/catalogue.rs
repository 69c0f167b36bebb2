//! The national catalogue (`rules/nazionale.toml`, embedded in the binary) read into
//! [`Catalogue`]: the contracts with their dates, and every dated entry (citations, minimum
//! result share, art. 30, interim, position pay, carry-overs, fund increments, fees). Checked
//! as it is read: no two entries of a kind overlap, every year of the catalogue has every
//! citation and every rule a year needs, and no entry cites a contract before the first year
//! that contract governs. Read once per process.

use std::ops::Range;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use toml::de::DeTable;

use super::{Reader, Tbl};
use crate::diag::Diagnostics;
use crate::national::{
    CarryoverRule, Catalogue, Contract, Dated, Differentiation, FeeRule, Increment, InterimRange,
    LeaverRule, Minimum, PositionRange, ResultShare, Source, Voce,
};
use crate::rules::Nature;

/// The catalogue's text, as built into the binary.
pub const CATALOGUE_TEXT: &str = include_str!("../../../rules/nazionale.toml");
/// The name under which the catalogue appears in messages and in the trail.
pub const CATALOGUE_NAME: &str = "catalogo:nazionale.toml";

const TOP_KEYS: &[&str] = &[
    "catalogo",
    "contratti",
    "citazioni",
    "quota_risultato",
    "differenziazione",
    "interim",
    "posizione",
    "riporti",
    "incrementi",
    "compensi",
    "ria_cessati",
];
const HEAD_KEYS: &[&str] = &["primo_anno", "ultimo_anno"];
const CONTRACT_KEYS: &[&str] = &["codice", "titolo", "firmato", "primo_anno"];
const LEAVER_KEYS: &[&str] = &[
    "dal",
    "al",
    "fonte_intera",
    "fonte_ratei",
    "soggetta_limite_2016",
];
const CITATION_KEYS: &[&str] = &["voce", "dal", "al", "testo"];
const SHARE_KEYS: &[&str] = &["dal", "al", "percentuale", "vincolante", "fonte"];
const DIFF_KEYS: &[&str] = &[
    "dal",
    "al",
    "esclusa_fino_a_dirigenti",
    "fonte",
    "fonte_esclusione",
    "minimi",
];
const MINIMUM_KEYS: &[&str] = &["fino_a_dirigenti", "comma_5", "percentuale"];
const RANGE_KEYS: &[&str] = &["dal", "al", "minimo", "massimo", "fonte"];
const CARRY_KEYS: &[&str] = &[
    "dal",
    "al",
    "anni_precedenti",
    "solo_risultato",
    "fonte",
    "fonte_residuo",
];
const INCREMENT_KEYS: &[&str] = &[
    "codice",
    "descrizione",
    "dal",
    "al",
    "percentuale",
    "monte_salari_anno",
    "per_posto",
    "natura",
    "fuori_limite_2016",
    "solo_risultato",
    "facoltativo",
    "fonte",
];
const FEE_KEYS: &[&str] = &["parole", "dal", "al", "ammesso", "fonte"];

/// The embedded catalogue, read on first use; its problems if it cannot be read (a
/// developer's error, which the tests catch).
pub fn catalogue() -> Result<&'static Catalogue, &'static Diagnostics> {
    static READ: OnceLock<Result<Catalogue, Diagnostics>> = OnceLock::new();
    READ.get_or_init(|| parse_catalogue(CATALOGUE_NAME, CATALOGUE_TEXT))
        .as_ref()
}

/// The national rules of `year` from the embedded catalogue (for callers that build rules
/// without a rules file, as the tests do).
pub fn national(year: i32) -> Result<crate::national::National, String> {
    let c = catalogue().map_err(|d| d.to_string())?;
    c.for_year(year).map_err(|e| e.to_string())
}

/// Reads and checks a catalogue's text.
pub fn parse_catalogue(file: &str, src: &str) -> Result<Catalogue, Diagnostics> {
    let mut r = Reader::new(file, src);
    let doc = match DeTable::parse(src) {
        Ok(doc) => doc,
        Err(e) => {
            r.error(e.span().unwrap_or(0..0), None, e.message().to_string());
            return Err(r.diags);
        }
    };
    let top = Tbl {
        path: String::new(),
        table: doc.get_ref(),
        span: doc.span(),
    };
    r.check_keys(&top, TOP_KEYS);
    let c = r.catalogue(&top);
    if let Some(c) = &c {
        r.check_coverage(c, &top);
        r.check_contracts(c);
    }
    match c {
        Some(c) if !r.diags.has_errors() => Ok(c),
        _ => Err(r.diags),
    }
}

impl Reader<'_> {
    /// Every section of the catalogue.
    fn catalogue(&mut self, top: &Tbl) -> Option<Catalogue> {
        let head = self.section(top, "catalogo", HEAD_KEYS);
        let (first, last) = match &head {
            Some(h) => (
                self.integer(h, "primo_anno", "il primo anno coperto"),
                self.integer(h, "ultimo_anno", "l'ultimo anno coperto"),
            ),
            None => {
                self.missing_section("catalogo", "gli anni coperti dal catalogo");
                (None, None)
            }
        };
        let contracts = self.each(top, "contratti", Reader::contract);
        let citations = self.each(top, "citazioni", |r, t| {
            r.check_keys(t, CITATION_KEYS);
            let voce = r.string(t, "voce", "la voce citata")?;
            let Some(v) = Voce::from_key(&voce.0) else {
                let known: Vec<&str> = Voce::ALL.iter().map(|v| v.key()).collect();
                let msg = format!(
                    "voce \"{}\" sconosciuta; voci: {}",
                    voce.0,
                    known.join(", ")
                );
                r.error(voce.1, Some(t.key_path("voce")), msg);
                return None;
            };
            let text = r.string(t, "testo", "il testo della citazione")?.0;
            r.dated(t, (v, text))
        });
        Some(Catalogue {
            file: self.file.to_string(),
            first_year: first?.0 as i32,
            last_year: last?.0 as i32,
            contracts,
            citations,
            result_share: self.each(top, "quota_risultato", Reader::result_share),
            differentiation: self.each(top, "differenziazione", Reader::differentiation_rule),
            interim: self.each(top, "interim", Reader::interim_range),
            position: self.each(top, "posizione", Reader::position_range),
            carryover: self.each(top, "riporti", Reader::carryover_rule),
            increments: self.each(top, "incrementi", Reader::increment),
            fees: self.each(top, "compensi", Reader::fee_rule),
            leavers: self.each(top, "ria_cessati", Reader::leaver_rule),
        })
    }

    /// `[[contratti]]`: code, title as citations write it, date signed, first year governed.
    fn contract(&mut self, t: &Tbl) -> Option<Contract> {
        self.check_keys(t, CONTRACT_KEYS);
        let code = self.string(t, "codice", "il codice del contratto");
        let title = self.string(t, "titolo", "il titolo come lo scrivono le citazioni");
        let signed = self.string(t, "firmato", "la data della firma");
        let first = self.integer(t, "primo_anno", "il primo anno del fondo che governa");
        let (signed, span) = signed?;
        let Some(date) = crate::parse::parse_date(&signed) else {
            self.error(span, Some(t.key_path("firmato")), "data non valida");
            return None;
        };
        Some(Contract {
            code: code?.0,
            title: title?.0,
            signed: date,
            first_year: first?.0 as i32,
        })
    }

    /// The fund years an entry governs (`dal`, `al`), with the entry and where it is written.
    fn dated<T>(&mut self, t: &Tbl, item: T) -> Option<Dated<T>> {
        let from = self.integer(t, "dal", "il primo anno del fondo governato")?;
        let to = match t.get("al") {
            Some(_) => Some(self.integer(t, "al", "l'ultimo anno del fondo governato")?),
            None => None,
        };
        if let Some((to, span)) = &to {
            if *to < from.0 {
                self.error(span.clone(), Some(t.key_path("al")), "«al» precede «dal»");
                return None;
            }
        }
        Some(Dated {
            from: from.0 as i32,
            to: to.map(|t| t.0 as i32),
            item,
            origin: self.origin(&t.span),
        })
    }

    /// A required legal source.
    fn source(&mut self, t: &Tbl, key: &str) -> Option<Source> {
        self.string(t, key, "la fonte").map(|s| Source(s.0))
    }

    /// `[[quota_risultato]]`.
    fn result_share(&mut self, t: &Tbl) -> Option<Dated<ResultShare>> {
        self.check_keys(t, SHARE_KEYS);
        let percent = self.number(t, "percentuale", "la quota", Decimal::ZERO, HUNDRED);
        let binding = self.boolean(t, "vincolante", "se la soglia è vincolante");
        let source = self.source(t, "fonte");
        let item = ResultShare {
            percent: percent?,
            binding: binding?,
            source: source?,
        };
        self.dated(t, item)
    }

    /// `[[differenziazione]]` with its `[[differenziazione.minimi]]`.
    fn differentiation_rule(&mut self, t: &Tbl) -> Option<Dated<Differentiation>> {
        self.check_keys(t, DIFF_KEYS);
        let excluded = self.integer(t, "esclusa_fino_a_dirigenti", "fino a quanti dirigenti");
        let source = self.source(t, "fonte");
        let exclusion_source = self.source(t, "fonte_esclusione");
        let minima = self.each(t, "minimi", |r, m| {
            r.check_keys(m, MINIMUM_KEYS);
            let up_to = match m.get("fino_a_dirigenti") {
                Some(_) => Some(r.integer(m, "fino_a_dirigenti", "fino a quanti dirigenti")?),
                None => None,
            };
            let percent = r.number(
                m,
                "percentuale",
                "la maggiorazione minima",
                Decimal::ZERO,
                THOUSAND,
            )?;
            Some(Minimum {
                up_to_managers: up_to.map(|u| u.0.max(0) as u32),
                c5: r.opt_bool(m, "comma_5").unwrap_or(false),
                percent,
            })
        });
        if minima.is_empty() {
            self.missing(t, "minimi", "le maggiorazioni minime");
        }
        let item = Differentiation {
            minima,
            excluded_up_to: excluded?.0.max(0) as u32,
            source: source?,
            exclusion_source: exclusion_source?,
        };
        self.dated(t, item)
    }

    /// `[[interim]]`: the percentage range.
    fn interim_range(&mut self, t: &Tbl) -> Option<Dated<InterimRange>> {
        self.check_keys(t, RANGE_KEYS);
        let min = self.number(t, "minimo", "la percentuale minima", Decimal::ZERO, HUNDRED);
        let max = self.number(
            t,
            "massimo",
            "la percentuale massima",
            Decimal::ZERO,
            HUNDRED,
        );
        let source = self.source(t, "fonte");
        let item = InterimRange {
            min: min?,
            max: max?,
            source: source?,
        };
        self.dated(t, item)
    }

    /// `[[posizione]]`: the position pay range of a post.
    fn position_range(&mut self, t: &Tbl) -> Option<Dated<PositionRange>> {
        self.check_keys(t, RANGE_KEYS);
        let min = self.amount(t, "minimo", "il minimo");
        let max = self.amount(t, "massimo", "il massimo");
        let source = self.source(t, "fonte");
        let item = PositionRange {
            min: min?,
            max: max?,
            source: source?,
        };
        self.dated(t, item)
    }

    /// `[[riporti]]`: how many years back, result pay only.
    fn carryover_rule(&mut self, t: &Tbl) -> Option<Dated<CarryoverRule>> {
        self.check_keys(t, CARRY_KEYS);
        let years_back = match t.get("anni_precedenti") {
            Some(_) => Some(self.integer(t, "anni_precedenti", "quanti anni indietro")?),
            None => None,
        };
        let result_only = self.boolean(t, "solo_risultato", "se solo per il risultato");
        let source = self.source(t, "fonte")?;
        let residual_source = match t.get("fonte_residuo") {
            Some(_) => self.source(t, "fonte_residuo")?,
            None => source.clone(),
        };
        let item = CarryoverRule {
            years_back: years_back.map(|y| y.0.max(0) as u32),
            result_only: result_only?,
            source,
            residual_source,
        };
        self.dated(t, item)
    }

    /// `[[ria_cessati]]`: the sources of the leavers' RIA, in full and for the months not
    /// paid, and whether it counts against the 2016 cap.
    fn leaver_rule(&mut self, t: &Tbl) -> Option<Dated<LeaverRule>> {
        self.check_keys(t, LEAVER_KEYS);
        let full = self.source(t, "fonte_intera");
        let months = self.source(t, "fonte_ratei");
        let cap = self.boolean(t, "soggetta_limite_2016", "se conta nel limite 2016");
        let item = LeaverRule {
            full_source: full?,
            months_source: months?,
            subject_to_cap: cap?,
        };
        self.dated(t, item)
    }

    /// `[[incrementi]]`: a percentage of a year's pay bill, or an amount per post.
    fn increment(&mut self, t: &Tbl) -> Option<Dated<Increment>> {
        self.check_keys(t, INCREMENT_KEYS);
        let code = self.string(t, "codice", "il codice dell'incremento");
        let description = self.string(t, "descrizione", "la descrizione");
        let percent = self.opt_number(t, "percentuale", Decimal::ZERO, HUNDRED);
        let pay_bill_year = match t.get("monte_salari_anno") {
            Some(_) => Some(self.integer(t, "monte_salari_anno", "l'anno del monte salari")?),
            None => None,
        };
        let per_post = t
            .get("per_posto")
            .and_then(|_| self.amount(t, "per_posto", "l'importo per posto"));
        if percent.is_some() == per_post.is_some() || percent.is_some() != pay_bill_year.is_some() {
            self.error(
                t.span.clone(),
                Some(t.path.clone()),
                "un incremento è una percentuale del monte salari di un anno (percentuale e monte_salari_anno) oppure un importo per posto (per_posto)",
            );
            return None;
        }
        let nature = self.named(
            t,
            "natura",
            "stabile o variabile",
            &[("stabile", Nature::Stable), ("variabile", Nature::Variable)],
        );
        let outside_cap = self.boolean(t, "fuori_limite_2016", "se è fuori dal limite 2016");
        let result_only = self.boolean(t, "solo_risultato", "se finanzia solo il risultato");
        let optional = self.boolean(t, "facoltativo", "se l'ente può non applicarlo");
        let source = self.source(t, "fonte");
        let item = Increment {
            code: code?.0,
            description: description?.0,
            percent,
            pay_bill_year: pay_bill_year.map(|y| y.0 as i32),
            per_post,
            nature: nature?,
            outside_cap: outside_cap?,
            result_only: result_only?,
            optional: optional?,
            source: source?,
        };
        self.dated(t, item)
    }

    /// `[[compensi]]`: whether a kind of fee may be paid to managers.
    fn fee_rule(&mut self, t: &Tbl) -> Option<Dated<FeeRule>> {
        self.check_keys(t, FEE_KEYS);
        let words = self.texts(t, "parole");
        if words.is_empty() {
            self.missing(t, "parole", "le parole che riconoscono il tipo di compenso");
        }
        let admitted = self.boolean(t, "ammesso", "se il compenso spetta ai dirigenti");
        let source = self.source(t, "fonte");
        let item = FeeRule {
            words,
            admitted: admitted?,
            source: source?,
        };
        self.dated(t, item)
    }

    /// Every year of the catalogue has one citation of every voce and one entry of each rule
    /// every year needs; no two entries of a kind overlap.
    fn check_coverage(&mut self, c: &Catalogue, top: &Tbl) {
        let span = super::key_span(top.table, "catalogo").unwrap_or(0..0);
        for year in c.first_year..=c.last_year {
            for v in Voce::ALL {
                let n = c
                    .citations
                    .iter()
                    .filter(|d| d.item.0 == v && d.covers(year))
                    .count();
                self.count(&span, n, year, &format!("citazione \"{}\"", v.key()), true);
            }
            let n = c.result_share.iter().filter(|d| d.covers(year)).count();
            self.count(&span, n, year, "[[quota_risultato]]", true);
            let n = c.interim.iter().filter(|d| d.covers(year)).count();
            self.count(&span, n, year, "[[interim]]", true);
            let n = c.carryover.iter().filter(|d| d.covers(year)).count();
            self.count(&span, n, year, "[[riporti]]", true);
            let n = c.differentiation.iter().filter(|d| d.covers(year)).count();
            self.count(&span, n, year, "[[differenziazione]]", false);
            let n = c.position.iter().filter(|d| d.covers(year)).count();
            self.count(&span, n, year, "[[posizione]]", false);
            let n = c.leavers.iter().filter(|d| d.covers(year)).count();
            self.count(&span, n, year, "[[ria_cessati]]", false);
        }
    }

    /// An error when `n` entries cover `year`: more than one, or none of a required kind.
    fn count(&mut self, span: &Range<usize>, n: usize, year: i32, what: &str, required: bool) {
        if n > 1 || (required && n == 0) {
            let msg = if n > 1 {
                format!("{n} voci {what} per l'anno {year}: gli anni di voci dello stesso tipo non devono sovrapporsi")
            } else {
                format!("nessuna voce {what} per l'anno {year}")
            };
            self.error(span.clone(), Some("catalogo".into()), msg);
        }
    }

    /// No entry cites a contract (by the date of its title) before the first year that
    /// contract governs.
    fn check_contracts(&mut self, c: &Catalogue) {
        let mut texts: Vec<(i32, &str, &crate::trail::Origin)> = Vec::new();
        texts.extend(
            c.citations
                .iter()
                .map(|d| (d.from, d.item.1.as_str(), &d.origin)),
        );
        texts.extend(
            c.result_share
                .iter()
                .map(|d| (d.from, d.item.source.as_str(), &d.origin)),
        );
        for d in &c.differentiation {
            texts.push((d.from, d.item.source.as_str(), &d.origin));
            texts.push((d.from, d.item.exclusion_source.as_str(), &d.origin));
        }
        texts.extend(
            c.interim
                .iter()
                .map(|d| (d.from, d.item.source.as_str(), &d.origin)),
        );
        texts.extend(
            c.position
                .iter()
                .map(|d| (d.from, d.item.source.as_str(), &d.origin)),
        );
        texts.extend(
            c.carryover
                .iter()
                .map(|d| (d.from, d.item.source.as_str(), &d.origin)),
        );
        for d in &c.leavers {
            texts.push((d.from, d.item.full_source.as_str(), &d.origin));
            texts.push((d.from, d.item.months_source.as_str(), &d.origin));
        }
        texts.extend(
            c.increments
                .iter()
                .map(|d| (d.from, d.item.source.as_str(), &d.origin)),
        );
        texts.extend(
            c.fees
                .iter()
                .map(|d| (d.from, d.item.source.as_str(), &d.origin)),
        );
        for (from, text, origin) in texts {
            for k in &c.contracts {
                if text.contains(signed_as_written(&k.title)) && from < k.first_year {
                    let loc = crate::diag::Location::at(&origin.file, origin.line, 0, None);
                    self.diags.push(crate::diag::Diagnostic::error(
                        loc,
                        format!(
                            "la voce vale dal {from} ma cita il {}, che governa i fondi dal {}",
                            k.title, k.first_year
                        ),
                    ));
                }
            }
        }
    }
}

/// The date in a contract's title as citations write it (`17/12/2020` of `CCNL Area Funzioni
/// Locali 17/12/2020`): how a citation names the contract.
pub fn signed_as_written(title: &str) -> &str {
    title.rsplit(' ').next().unwrap_or(title)
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;
const THOUSAND: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);

#[cfg(test)]
mod tests {
    use super::*;

    /// A small catalogue for 2020-2021 with `extra` appended; every citation covered.
    fn text(extra: &str) -> String {
        let mut t = String::from(
            "[catalogo]\nprimo_anno = 2020\nultimo_anno = 2021\n\n[[contratti]]\ncodice = \"c\"\ntitolo = \"Contratto di prova 1/6/2021\"\nfirmato = \"1/6/2021\"\nprimo_anno = 2021\n",
        );
        for v in Voce::ALL {
            t.push_str(&format!(
                "\n[[citazioni]]\nvoce = \"{}\"\ndal = 2020\ntesto = \"fonte di {}\"\n",
                v.key(),
                v.key()
            ));
        }
        t.push_str("\n[[quota_risultato]]\ndal = 2020\npercentuale = 15\nvincolante = true\nfonte = \"q\"\n");
        t.push_str("\n[[interim]]\ndal = 2020\nminimo = 15\nmassimo = 30\nfonte = \"i\"\n");
        t.push_str("\n[[riporti]]\ndal = 2020\nsolo_risultato = true\nfonte = \"r\"\n");
        t.push_str(extra);
        t
    }

    /// The messages of a catalogue that does not read, one per line.
    fn problems(extra: &str) -> String {
        match parse_catalogue("cat.toml", &text(extra)) {
            Ok(_) => "ok".into(),
            Err(d) => d
                .list
                .iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    #[test]
    fn the_embedded_catalogue_reads_and_covers_its_years() {
        let c = catalogue().expect("the embedded catalogue reads");
        for year in c.first_year..=c.last_year {
            let n = c.for_year(year).expect("every year covered");
            for v in Voce::ALL {
                assert!(!n.cite(v).is_empty(), "{year} {}", v.key());
            }
        }
        let after = c.for_year(c.last_year + 1).unwrap_err().to_string();
        assert!(
            after.contains(&format!("anni {}-{}", c.first_year, c.last_year)),
            "{after}"
        );
    }

    #[test]
    fn entries_are_checked_as_they_are_read() {
        assert_eq!(problems(""), "ok");
        // Two entries of a kind over the same year.
        let twice = "\n[[interim]]\ndal = 2021\nminimo = 10\nmassimo = 20\nfonte = \"x\"\n";
        assert!(
            problems(twice).contains("2 voci [[interim]] per l'anno 2021"),
            "{}",
            problems(twice)
        );
        // A contract cited in a year before the first it governs.
        let early = "\n[[posizione]]\ndal = 2020\nminimo = 1\nmassimo = 2\nfonte = \"Contratto di prova 1/6/2021 art. 1\"\n";
        assert!(
            problems(early).contains("governa i fondi dal 2021"),
            "{}",
            problems(early)
        );
        // A year without a required entry.
        let gap = text("").replace("[[riporti]]\ndal = 2020", "[[riporti]]\ndal = 2021");
        let gap = parse_catalogue("cat.toml", &gap).unwrap_err();
        assert!(
            gap.to_string()
                .contains("nessuna voce [[riporti]] per l'anno 2020"),
            "{gap}"
        );
    }

    #[test]
    fn the_minimum_mark_up_follows_the_entes_size() {
        let c = catalogue().unwrap();
        let d = c.for_year(2025).unwrap().differentiation.unwrap();
        let pct = |m: usize, c5: bool| d.minimum(m, c5).map(|p| p.normalize().to_string());
        assert_eq!(pct(8, false).as_deref(), Some("25"));
        assert_eq!(pct(10, false).as_deref(), Some("25"));
        assert_eq!(pct(11, false).as_deref(), Some("30"));
        assert_eq!(pct(40, true).as_deref(), Some("20"));
        assert_eq!(d.excluded_up_to, 5);
        assert!(c.for_year(2020).unwrap().differentiation.is_none());
        assert_eq!(
            c.for_year(2022)
                .unwrap()
                .differentiation
                .unwrap()
                .minimum(8, false),
            Some(Decimal::from(30))
        );
    }
}
