//! The fund's sections of the rules file: `[ente]` and `[arrotondamento]` (whose fund, which
//! year, how amounts round), the items `[[risorse]]` and `[[decurtazioni]]`, `[limite_2016]`,
//! `[ripartizione]` and `[[riporti]]`; and the checks across them (the fund is not negative,
//! the split is complete and adds up).

use std::ops::Range;

use rust_decimal::Decimal;

use super::{key_span, Reader, Tbl};
use crate::money::{Money, Percent, Rounding};
use crate::national::{National, Voce};
use crate::rules::{Cap2016, CarryOver, FundItem, Nature, OtherFund, Rules, ShareSpec, SplitRule};

/// Keys of `[ente]`.
const ENTE_KEYS: &[&str] = &["nome", "anno"];
/// Keys of `[arrotondamento]`.
const ROUNDING_KEYS: &[&str] = &["criterio"];
/// Keys of each `[[decurtazioni]]`.
const CUT_KEYS: &[&str] = &[
    "codice",
    "descrizione",
    "importo",
    "natura",
    "soggetta_limite_2016",
    "fonte",
];
/// Keys of each `[[risorse]]`: a cut's, and whether the resource funds result pay only.
const RESOURCE_KEYS: &[&str] = &[
    "codice",
    "descrizione",
    "importo",
    "natura",
    "soggetta_limite_2016",
    "solo_risultato",
    "fonte",
];
/// Keys of `[limite_2016]`.
const CAP_KEYS: &[&str] = &["limite", "fonte", "altri_fondi"];
/// Keys of each `[[limite_2016.altri_fondi]]`.
const OTHER_FUND_KEYS: &[&str] = &["descrizione", "importo", "fonte"];
/// Keys of `[ripartizione]`.
const SPLIT_KEYS: &[&str] = &["posizione", "risultato", "fonte"];
/// Keys of each `[[riporti]]`.
const CARRY_KEYS: &[&str] = &[
    "anno_origine",
    "descrizione",
    "importo",
    "destinazione",
    "provenienza",
    "fonte",
];

/// The item codes met so far, with the line of each, to refuse a code used twice.
type Codes = std::collections::HashMap<String, usize>;

impl Reader<'_> {
    /// `[ente]`: the ente's name and the fund's year; the section is required.
    pub(super) fn ente(&mut self, top: &Tbl) -> (Option<String>, Option<i32>) {
        match self.section(top, "ente", ENTE_KEYS) {
            Some(t) => {
                let ente = self.string(&t, "nome", "il nome dell'ente").map(|s| s.0);
                (ente, self.fund_year(&t))
            }
            None => {
                if top.get("ente").is_none() {
                    self.missing_section("ente", "nome dell'ente e anno del fondo");
                }
                (None, None)
            }
        }
    }

    /// `[ente] anno`: the fund's year, within a plausible range.
    fn fund_year(&mut self, t: &Tbl) -> Option<i32> {
        let (y, sp) = self.integer(t, "anno", "l'anno del fondo")?;
        if (2000..=2100).contains(&y) {
            return Some(y as i32);
        }
        self.error(
            sp,
            Some("ente.anno".into()),
            format!("anno {y} non plausibile (atteso tra 2000 e 2100)"),
        );
        None
    }

    /// The national rules of the fund's year, from the catalogue; an error at `[ente] anno`
    /// when the catalogue does not cover the year (or cannot be read).
    pub(super) fn national(&mut self, top: &Tbl, year: i32) -> Option<National> {
        let catalogue = match super::catalogue::catalogue() {
            Ok(c) => c,
            Err(d) => {
                self.diags.extend(d.clone());
                return None;
            }
        };
        match catalogue.for_year(year) {
            Ok(n) => Some(n),
            Err(e) => {
                let span = match top.get("ente").map(|v| v.get_ref()) {
                    Some(toml::de::DeValue::Table(t)) => t.get("anno").map(|v| v.span()),
                    _ => None,
                }
                .unwrap_or(0..0);
                self.error(span, Some("ente.anno".into()), e.to_string());
                None
            }
        }
    }

    /// `[arrotondamento]`: how amounts are rounded to the cent, commercial by default.
    pub(super) fn rounding(&mut self, top: &Tbl) -> Rounding {
        let Some(t) = self.section(top, "arrotondamento", ROUNDING_KEYS) else {
            return Rounding::default();
        };
        let Some((s, sp)) = self.string(&t, "criterio", "commerciale, bancario o troncamento")
        else {
            return Rounding::default();
        };
        match Rounding::from_key(&s) {
            Some(m) => m,
            None => {
                self.error(
                    sp,
                    Some("arrotondamento.criterio".into()),
                    format!("criterio di arrotondamento sconosciuto \"{s}\"; ammessi: commerciale, bancario, troncamento"),
                );
                Rounding::default()
            }
        }
    }

    /// `[[risorse]]` and `[[decurtazioni]]`: the fund's resources and cuts, codes unique
    /// across both; at least the resources are required.
    pub(super) fn fund_items(&mut self, top: &Tbl) -> (Vec<FundItem>, Vec<FundItem>) {
        let mut codes = Codes::new();
        let resources = self.each(top, "risorse", |r, t| r.item(t, RESOURCE_KEYS, &mut codes));
        let cuts = self.each(top, "decurtazioni", |r, t| r.item(t, CUT_KEYS, &mut codes));
        if top.get("risorse").is_none() {
            self.missing_section("risorse", "almeno una voce [[risorse]] con il suo importo");
        }
        (resources, cuts)
    }

    /// One item of `[[risorse]]` or `[[decurtazioni]]` (*voce del fondo*), its keys among
    /// `keys`; `None` when incomplete or its code is taken.
    fn item(&mut self, t: &Tbl, keys: &[&str], codes: &mut Codes) -> Option<FundItem> {
        self.check_keys(t, keys);
        let code = self.string(t, "codice", "un codice breve e univoco della voce");
        let description = self.string(t, "descrizione", "la descrizione della voce");
        let amount = self.amount(t, "importo", "l'importo della voce");
        let nature = self.named(
            t,
            "natura",
            "\"stabile\" o \"variabile\"",
            &[("stabile", Nature::Stable), ("variabile", Nature::Variable)],
        );
        let cap = self.boolean(
            t,
            "soggetta_limite_2016",
            "true se la voce rientra nel limite 2016",
        );
        let source = self.string(t, "fonte", "la fonte normativa o l'atto della voce");
        let result_only = self.opt_bool(t, "solo_risultato").unwrap_or(false);
        if let Some((c, sp)) = &code {
            if !self.new_code(t, c, sp, codes) {
                return None;
            }
        }
        Some(FundItem {
            code: code?.0,
            description: description?.0,
            amount: amount?,
            nature: nature?,
            subject_to_cap: cap?,
            source: source?.0,
            origin: self.origin(&t.span),
            result_only,
            increment: None,
        })
    }

    /// Records an item's code; false (with an error) when an earlier item already used it.
    fn new_code(&mut self, t: &Tbl, code: &str, span: &Range<usize>, codes: &mut Codes) -> bool {
        let line = self.origin(span).line;
        if let Some(first) = codes.get(code) {
            self.error(
                span.clone(),
                Some(t.key_path("codice")),
                format!("codice \"{code}\" duplicato: già usato alla riga {first}"),
            );
            return false;
        }
        codes.insert(code.to_string(), line);
        true
    }

    /// `[limite_2016]`: the ente's 2016 cap and the other staff funds measured against it.
    pub(super) fn cap2016(&mut self, top: &Tbl) -> Option<Cap2016> {
        let t = self.section(top, "limite_2016", CAP_KEYS)?;
        let limit = self.amount(&t, "limite", "il limite 2016 complessivo dell'ente");
        let source = self.string(&t, "fonte", "la fonte del limite");
        let other_funds = self.each(&t, "altri_fondi", Self::other_fund);
        Some(Cap2016 {
            limit: limit?,
            source: source?.0,
            other_funds,
            origin: self.origin(&t.span),
        })
    }

    /// One `[[limite_2016.altri_fondi]]`: another staff fund under the same cap.
    fn other_fund(&mut self, f: &Tbl) -> Option<OtherFund> {
        self.check_keys(f, OTHER_FUND_KEYS);
        let description = self.string(f, "descrizione", "il nome del fondo");
        let amount = self.amount(f, "importo", "l'importo del fondo");
        let source = self.string(f, "fonte", "la fonte dell'importo");
        Some(OtherFund {
            description: description?.0,
            amount: amount?,
            source: source?.0,
            origin: self.origin(&f.span),
        })
    }

    /// `[ripartizione]`: the position and result shares of the fund; the section is required.
    pub(super) fn split(&mut self, top: &Tbl) -> Option<SplitRule> {
        let Some(t) = self.section(top, "ripartizione", SPLIT_KEYS) else {
            if top.get("ripartizione").is_none() {
                self.missing_section(
                    "ripartizione",
                    "la quota di posizione e quella di risultato (importi, percentuali o \"resto\")",
                );
            }
            return None;
        };
        let position = self.share(&t, "posizione");
        let result = self.share(&t, "risultato");
        let source = self.string(&t, "fonte", "la fonte della ripartizione (CCDI)");
        Some(SplitRule {
            position: position?,
            result: result?,
            source: source?.0,
            origin: self.origin(&t.span),
        })
    }

    /// `[[riporti]]`: sums carried over from earlier years, for result pay only.
    pub(super) fn carryovers(&mut self, top: &Tbl, national: Option<&National>) -> Vec<CarryOver> {
        self.each(top, "riporti", |r, c| r.carryover(c, national))
    }

    /// One carry-over; `None` when incomplete, or when its year or its origin is one the
    /// year's national rules do not admit.
    fn carryover(&mut self, c: &Tbl, national: Option<&National>) -> Option<CarryOver> {
        self.check_keys(c, CARRY_KEYS);
        let y = self.integer(c, "anno_origine", "l'anno da cui provengono le somme");
        let description = self.opt_string(c, "descrizione");
        let amount = self.amount(c, "importo", "l'importo riportato");
        let source = self.string(c, "fonte", "la fonte del riporto");
        self.carryover_destination(c, national);
        let from_result = self.carryover_origin(c, national);
        if let (Some((y, ysp)), Some(n)) = (&y, national) {
            if !self.carryover_year(c, *y, ysp, n) {
                return None;
            }
        }
        from_result?;
        let (y, _) = y?;
        let amount = amount?;
        let source = source?;
        if amount.value().is_zero() {
            self.warning(
                c.span.clone(),
                Some(c.path.clone()),
                "riporto di importo zero",
            );
        }
        Some(CarryOver {
            year: y as i32,
            description: description.unwrap_or_else(|| format!("Economie fondo risultato {y}")),
            amount,
            source: source.0,
            origin: self.origin(&c.span),
        })
    }

    /// A carry-over's `destinazione`: only result pay may receive it.
    fn carryover_destination(&mut self, c: &Tbl, national: Option<&National>) {
        let Some((d, sp)) = self.string(c, "destinazione", "\"risultato\"") else {
            return;
        };
        if d != "risultato" {
            self.error(
                sp,
                Some(c.key_path("destinazione")),
                format!(
                    "destinazione \"{d}\" non ammessa: le somme non utilizzate di anni precedenti vanno solo alla retribuzione di risultato, secondo {}; scrivere \"risultato\"",
                    riporti_source(national)
                ),
            );
        }
    }

    /// A carry-over's `provenienza`: only unused result money is carried (unused position
    /// money goes to result pay of the same year; money not paid for the evaluations is a
    /// budget saving). `None` (with an error) for any other origin.
    fn carryover_origin(&mut self, c: &Tbl, national: Option<&National>) -> Option<()> {
        let Some((o, sp)) = c
            .get("provenienza")
            .and_then(|_| self.string(c, "provenienza", "\"risultato\""))
        else {
            return Some(());
        };
        if o == "risultato" {
            return Some(());
        }
        self.error(
            sp,
            Some(c.key_path("provenienza")),
            format!(
                "provenienza \"{o}\" non ammessa: si riportano solo le risorse del risultato non utilizzate, secondo {} (la posizione non utilizzata va al risultato dello stesso anno; le somme non erogate per la valutazione sono economie); scrivere \"risultato\"",
                riporti_source(national)
            ),
        );
        None
    }

    /// A carry-over's year: before the fund's, and within the years back the national rules
    /// admit. False (with an error at `anno_origine`) otherwise.
    fn carryover_year(&mut self, c: &Tbl, y: i64, span: &Range<usize>, n: &National) -> bool {
        let fund_year = i64::from(n.year);
        let key = Some(c.key_path("anno_origine"));
        if y >= fund_year || y < 2000 {
            let msg = format!(
                "anno di origine {y} non valido: deve precedere l'anno del fondo {fund_year}"
            );
            self.error(span.clone(), key, msg);
            return false;
        }
        match n.carryover.years_back {
            Some(back) if fund_year - y > i64::from(back) => {
                let msg = format!(
                    "riporto dal {y} non ammesso nel fondo {fund_year}: sono ammesse solo le risorse del risultato non utilizzate nell'anno {} ({})",
                    fund_year - 1,
                    n.carryover.source
                );
                self.error(span.clone(), key, msg);
                false
            }
            _ => true,
        }
    }

    /// Checks across sections: the fund is not negative, the split is complete and adds up.
    pub(super) fn check_consistency(&mut self, rules: &Rules, top: &Tbl, fund_whole: bool) {
        if !fund_whole {
            self.split_without_fund(rules, top);
            return;
        }
        let Some(fund) = fund_amount(rules) else {
            self.error(top.span.clone(), None, "somme troppo grandi");
            return;
        };
        if fund.is_negative() {
            let span = top.get("decurtazioni").map_or(0..0, |v| v.span());
            self.error(
                span,
                Some("decurtazioni".into()),
                format!(
                    "le decurtazioni superano le risorse: il fondo risulterebbe {}",
                    fund.it()
                ),
            );
            return;
        }
        if !self.bare_shares(top, fund) {
            return;
        }
        if let Some(msg) = split_problem(rules.split.position, rules.split.result, fund) {
            let span = key_span(top.table, "ripartizione").unwrap_or(0..0);
            self.error(span, Some("ripartizione".to_string()), msg);
        }
    }
}

impl Reader<'_> {
    /// When an item of the fund was refused, its total is not known: only the split's checks
    /// that do not use it (percentages, two "resto", an amount with a percentage), so that no figure of a fund without
    /// the refused item is printed.
    fn split_without_fund(&mut self, rules: &Rules, top: &Tbl) {
        use ShareSpec::{Amount, Rest};
        let (p, r) = (rules.split.position, rules.split.result);
        if matches!(
            (p, r),
            (Amount(_), Amount(_)) | (Amount(_), Rest) | (Rest, Amount(_))
        ) {
            return;
        }
        if let Some(msg) = split_problem(p, r, Money::ZERO) {
            let span = key_span(top.table, "ripartizione").unwrap_or(0..0);
            self.error(span, Some("ripartizione".to_string()), msg);
        }
    }
}

/// The largest share written as a bare whole number (`"75"`) that is taken for a percentage
/// without its `%` rather than for euros, when the fund is above [`BARE_FUND_MIN_CENTS`].
const BARE_SHARE_MAX: i64 = 100;
/// The fund (in cents: 1.000,00 €) above which a share of at most [`BARE_SHARE_MAX`] euros
/// cannot be meant as an amount.
const BARE_FUND_MIN_CENTS: u32 = 100_000;

impl Reader<'_> {
    /// The split's shares written as bare numbers above zero and no larger than
    /// [`BARE_SHARE_MAX`] while the fund is above [`BARE_FUND_MIN_CENTS`]: a whole number
    /// (`"75"`, `75`) is an error (a percentage without its `%` would be read as 75,00 €), an
    /// amount with cents other than `,00` (`"73,45"`) a warning. False when there was an error.
    fn bare_shares(&mut self, top: &Tbl, fund: Money) -> bool {
        let Some(toml::de::DeValue::Table(t)) = top.get("ripartizione").map(|v| v.get_ref()) else {
            return true;
        };
        let mut fine = true;
        if fund <= Money::from_cents_const(BARE_FUND_MIN_CENTS) {
            return fine;
        }
        for key in ["posizione", "risultato"] {
            if let Some(v) = t.get(key) {
                fine &= self.bare_share(key, v, fund);
            }
        }
        fine
    }

    /// One share of [`Reader::bare_shares`]: false when it is an error.
    fn bare_share(&mut self, key: &str, v: &super::Value, fund: Money) -> bool {
        use toml::de::DeValue;
        let written = match v.get_ref() {
            DeValue::String(s) => s.trim().to_string(),
            DeValue::Integer(i) if i.radix() == 10 => i.as_str().to_string(),
            DeValue::Float(f) => f.as_str().to_string(),
            _ => return true,
        };
        let Ok(amount) = crate::parse::parse_amount(&written) else {
            return true;
        };
        // Zero is the same share whether euros or percent.
        let small = amount.is_positive() && amount <= Money::from_cents(BARE_SHARE_MAX * 100);
        if written.ends_with('%') || !small {
            return true;
        }
        let path = Some(format!("ripartizione.{key}"));
        let whole = !written.is_empty() && written.bytes().all(|b| b.is_ascii_digit());
        let (n, limit, min) = (
            &written,
            BARE_SHARE_MAX,
            Money::from_cents_const(BARE_FUND_MIN_CENTS).it(),
        );
        if whole {
            let msg = format!(
                "quota \"{n}\" ambigua: con un fondo di {} € (oltre {min} €), un numero intero fino a {limit} scritto senza % né decimali non viene letto come importo; scrivere \"{n}%\" se è una percentuale, oppure l'importo con i centesimi (\"{n},00\") se sono davvero {n} euro",
                fund.it()
            );
            self.error(v.span(), path, msg);
            return false;
        }
        if amount.cents().is_some_and(|c| c % 100 != 0) {
            let msg = format!(
                "quota \"{n}\" letta come importo di {} € su un fondo di {} €: se è una percentuale scrivere \"{n}%\"",
                amount.it(),
                fund.it()
            );
            self.warning(v.span(), path, msg);
        }
        true
    }
}

/// Stable + variable − cuts, before any split; `None` on overflow.
pub fn fund_amount(rules: &Rules) -> Option<Money> {
    let res = Money::checked_sum(rules.resources.iter().map(|i| i.amount))?;
    let cuts = Money::checked_sum(rules.cuts.iter().map(|i| i.amount))?;
    res.checked_sub(cuts)
}

/// What is wrong with the two shares of the split against the fund, if anything.
fn split_problem(position: ShareSpec, result: ShareSpec, fund: Money) -> Option<String> {
    use ShareSpec::*;
    match (position, result) {
        (Rest, Rest) => Some(
            "posizione e risultato non possono essere entrambe \"resto\": indicare almeno una quota"
                .to_string(),
        ),
        (Amount(a), Amount(b)) => amounts_problem(a, b, fund),
        (Percent(a), Percent(b)) => percents_problem(a, b),
        (Amount(_), Percent(_)) | (Percent(_), Amount(_)) => Some(
            "indicare entrambe le quote come importi o entrambe come percentuali, oppure una delle due come \"resto\""
                .to_string(),
        ),
        (Amount(a), Rest) | (Rest, Amount(a)) => (a > fund).then(|| {
            format!("la quota indicata {} supera il fondo {}", a.it(), fund.it())
        }),
        (Percent(_), Rest) | (Rest, Percent(_)) => None,
    }
}

/// Two amounts must add up to the fund exactly.
fn amounts_problem(a: Money, b: Money, fund: Money) -> Option<String> {
    let sum = a.checked_add(b).unwrap_or(Money::ZERO);
    (sum != fund).then(|| {
        format!(
            "posizione {} + risultato {} = {}, ma il fondo è {} (differenza {}); correggere gli importi o indicare una quota come \"resto\"",
            a.it(),
            b.it(),
            sum.it(),
            fund.it(),
            sum.checked_sub(fund).unwrap_or(Money::ZERO).it()
        )
    })
}

/// Two percentages must add up to 100.
fn percents_problem(a: Percent, b: Percent) -> Option<String> {
    let sum = a.value() + b.value();
    (sum != Decimal::ONE_HUNDRED).then(|| {
        format!(
            "le percentuali di posizione ({}%) e di risultato ({}%) sommano a {}%, non a 100%",
            a.it(2),
            b.it(2),
            crate::money::format_it(sum, 2)
        )
    })
}

/// The source of the carry-overs' rule, for messages (the year's citation when known).
fn riporti_source(national: Option<&National>) -> String {
    national.map_or_else(
        || "il contratto nazionale dell'anno".to_string(),
        |n| n.cite(Voce::Riporti).to_string(),
    )
}
