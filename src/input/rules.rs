//! The rules file (*file delle regole*): the TOML text an HR office writes for one year's fund,
//! read once into validated, typed rules. Every problem is collected with its file, line,
//! column and key; the core never sees an unvalidated value.
//!
//! The file is walked through `toml`'s spanned document tree rather than serde structs, so that
//! every unknown key, wrong type and bad amount is reported in one pass, with its position, and
//! bare TOML numbers are read from their source text (never through `f64`).

use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::input::csv::{CsvOptions, Encoding};
use crate::money::{parse_amount, parse_percent, parse_plain_amount, Money, Percent, Rounding};
use crate::pay::{
    Art30, Average, Band, BaseWeight, CoefficientFn, Component, FeeCorrelation, Model, PayRules,
    QuotaRounding, ServiceFraction,
};
use crate::peg::attain::{AttainmentRules, DeadlineTolerance, ObjectiveRule, Scoring};
use crate::peg::WeightRule;
use crate::rules::*;

/// Keys of each table, for the unknown-key message.
const TOP_KEYS: &[&str] = &[
    "ente",
    "arrotondamento",
    "risorse",
    "decurtazioni",
    "limite_2016",
    "ripartizione",
    "riporti",
    "raggiungimento",
    "valutazione",
    "differenziazione",
    "interim",
    "compensi_ex_lege",
    "copertura",
    "procedura",
    "dati",
];
const DATA_KEYS: &[&str] = &["separatore", "codifica"];
const COVERAGE_KEYS: &[&str] = &["aliquota_contributi", "aliquota_irap", "fonte", "capitoli"];
const CHAPTER_KEYS: &[&str] = &["capitolo", "descrizione", "destinazione", "importo"];
const PROCEDURE_KEYS: &[&str] = &[
    "data_preintesa",
    "data_sottoscrizione",
    "periodo",
    "delegazione_pubblica",
    "sindacati_ammessi",
    "sindacati_firmatari",
    "destinatari",
    "materie",
    "organo_di_controllo",
    "attestazioni",
];
const EVAL_KEYS: &[&str] = &[
    "soglia",
    "coefficiente",
    "base",
    "servizio",
    "modello",
    "quota_alla_soglia",
    "passo_per_punto",
    "componenti",
    "fasce",
    "fonte",
];
const COMPONENT_KEYS: &[&str] = &["codice", "descrizione", "peso", "organizzativa"];
const BAND_KEYS: &[&str] = &["da", "a", "coefficiente"];
const ART30_KEYS: &[&str] = &[
    "percentuale",
    "comma_5",
    "quota",
    "arrotondamento_quota",
    "media",
    "fonte",
];
const INTERIM_KEYS: &[&str] = &["percentuale", "fonte"];
const FEES_KEYS: &[&str] = &["correlazione", "percentuale_riduzione", "fonte"];
const ENTE_KEYS: &[&str] = &["nome", "anno"];
const ROUNDING_KEYS: &[&str] = &["criterio"];
const ITEM_KEYS: &[&str] = &[
    "codice",
    "descrizione",
    "importo",
    "natura",
    "soggetta_limite_2016",
    "fonte",
];
const SPLIT_KEYS: &[&str] = &["posizione", "risultato", "fonte"];
const CARRY_KEYS: &[&str] = &[
    "anno_origine",
    "descrizione",
    "importo",
    "destinazione",
    "fonte",
];
const CAP_KEYS: &[&str] = &["limite", "fonte", "altri_fondi"];
const OTHER_FUND_KEYS: &[&str] = &["descrizione", "importo", "fonte"];
const ATTAIN_KEYS: &[&str] = &[
    "quantita",
    "scadenze",
    "giorni_tolleranza",
    "soglia_minima",
    "obiettivo",
    "tetto_100",
    "decimali",
    "arrotondamento",
    "pesi",
    "fonte",
];

/// Reads and validates a rules file. On success also returns the warnings.
pub fn parse_rules(file: &str, src: &str) -> Result<(Rules, Diagnostics), Diagnostics> {
    let mut r = Reader {
        file,
        src,
        diags: Diagnostics::default(),
    };
    let doc = match DeTable::parse(src) {
        Ok(doc) => doc,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = format!(
                "sintassi TOML non valida qui (controllare virgolette, parentesi e \"=\"; dettaglio del lettore TOML: {})",
                toml_message(&e)
            );
            r.error(span, None, msg);
            return Err(r.diags);
        }
    };
    let rules = r.rules(doc.get_ref(), doc.span());
    // Report in reading order, as a person goes through the file.
    r.diags
        .0
        .sort_by_key(|d| (d.location.line, d.location.column));
    match rules {
        Some(rules) if !r.diags.has_errors() => Ok((rules, r.diags)),
        _ => Err(r.diags),
    }
}

/// The parser's message, first line only and without its own location prefix.
fn toml_message(e: &toml::de::Error) -> String {
    e.message().lines().next().unwrap_or("").trim().to_string()
}

type Value<'i> = Spanned<DeValue<'i>>;

struct Reader<'s> {
    file: &'s str,
    src: &'s str,
    diags: Diagnostics,
}

/// One table being read: its dotted path for messages and the span to blame when a key is
/// missing.
struct Tbl<'a, 'i> {
    path: String,
    table: &'a DeTable<'i>,
    span: Range<usize>,
}

impl<'a, 'i> Tbl<'a, 'i> {
    fn get(&self, key: &str) -> Option<&'a Value<'i>> {
        self.table.get(key)
    }

    fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }
}

impl<'s> Reader<'s> {
    fn loc(&self, span: Range<usize>, key: Option<String>) -> Location {
        Location::from_span(self.file, self.src, span, key)
    }

    fn origin(&self, span: &Range<usize>) -> Origin {
        let start = span.start.min(self.src.len());
        Origin {
            file: self.file.into(),
            line: self.src[..start].matches('\n').count() + 1,
        }
    }

    fn error(&mut self, span: Range<usize>, key: Option<String>, msg: impl Into<String>) {
        let loc = self.loc(span, key);
        self.diags.push(Diagnostic::error(loc, msg));
    }

    fn warning(&mut self, span: Range<usize>, key: Option<String>, msg: impl Into<String>) {
        let loc = self.loc(span, key);
        self.diags.push(Diagnostic::warning(loc, msg));
    }

    /// An error for a whole missing section: line 1, no caret.
    fn missing_section(&mut self, key: &str, what: &str) {
        let loc = Location::at(self.file, 1, 1, Some(key.to_string()));
        self.diags.push(Diagnostic::error(
            loc,
            format!("manca la sezione obbligatoria [{key}]: {what}"),
        ));
    }

    fn check_keys(&mut self, t: &Tbl, allowed: &[&str]) {
        for (k, _) in t.table.iter() {
            let name: &str = k.get_ref();
            if !allowed.contains(&name) {
                let section = if t.path.is_empty() {
                    "al primo livello".to_string()
                } else {
                    format!("in [{}]", t.path)
                };
                self.error(
                    k.span(),
                    Some(t.key_path(name)),
                    format!(
                        "chiave sconosciuta \"{name}\" {section}; chiavi ammesse: {}",
                        allowed.join(", ")
                    ),
                );
            }
        }
    }

    fn missing(&mut self, t: &Tbl, key: &str, what: &str) {
        self.error(
            t.span.clone(),
            Some(t.key_path(key)),
            format!("manca la chiave obbligatoria \"{key}\" ({what})"),
        );
    }

    fn wrong_type(&mut self, t: &Tbl, key: &str, v: &Value, expected: &str) {
        self.error(
            v.span(),
            Some(t.key_path(key)),
            format!(
                "tipo errato: atteso {expected}, trovato {}",
                type_name(v.get_ref())
            ),
        );
    }

    fn sub_table<'a, 'i>(&mut self, parent: &Tbl<'a, 'i>, key: &str) -> Option<Tbl<'a, 'i>> {
        let v = parent.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Tbl {
                path: parent.key_path(key),
                table: t,
                span: key_span(parent.table, key).unwrap_or_else(|| v.span()),
            }),
            _ => {
                self.wrong_type(parent, key, v, "una tabella");
                None
            }
        }
    }

    /// An array of tables (`[[risorse]]`); each element with its span.
    fn table_array<'a, 'i>(&mut self, parent: &Tbl<'a, 'i>, key: &str) -> Vec<Tbl<'a, 'i>> {
        let Some(v) = parent.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(parent, key, v, "un elenco di tabelle [[...]]");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(t) => out.push(Tbl {
                    path: format!("{}[{}]", parent.key_path(key), i + 1),
                    table: t,
                    span: item.span(),
                }),
                _ => self.error(
                    item.span(),
                    Some(format!("{}[{}]", parent.key_path(key), i + 1)),
                    format!(
                        "tipo errato: atteso una tabella, trovato {}",
                        type_name(item.get_ref())
                    ),
                ),
            }
        }
        out
    }

    fn string(&mut self, t: &Tbl, key: &str, what: &str) -> Option<(String, Range<usize>)> {
        let Some(v) = t.get(key) else {
            self.missing(t, key, what);
            return None;
        };
        match v.get_ref() {
            DeValue::String(s) => {
                if s.trim().is_empty() {
                    self.error(
                        v.span(),
                        Some(t.key_path(key)),
                        format!("valore vuoto ({what})"),
                    );
                    None
                } else {
                    Some((s.trim().to_string(), v.span()))
                }
            }
            _ => {
                self.wrong_type(t, key, v, "un testo tra virgolette");
                None
            }
        }
    }

    fn opt_string(&mut self, t: &Tbl, key: &str) -> Option<String> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            DeValue::String(_) => {
                self.error(v.span(), Some(t.key_path(key)), "valore vuoto");
                None
            }
            _ => {
                self.wrong_type(t, key, v, "un testo tra virgolette");
                None
            }
        }
    }

    fn integer(&mut self, t: &Tbl, key: &str, what: &str) -> Option<(i64, Range<usize>)> {
        let Some(v) = t.get(key) else {
            self.missing(t, key, what);
            return None;
        };
        match v.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => {
                let text: String = i.as_str().chars().filter(|&c| c != '_').collect();
                match text.parse::<i64>() {
                    Ok(n) => Some((n, v.span())),
                    Err(_) => {
                        self.error(
                            v.span(),
                            Some(t.key_path(key)),
                            "numero intero troppo grande",
                        );
                        None
                    }
                }
            }
            _ => {
                self.wrong_type(t, key, v, "un numero intero");
                None
            }
        }
    }

    fn boolean(&mut self, t: &Tbl, key: &str, what: &str) -> Option<bool> {
        let Some(v) = t.get(key) else {
            self.missing(t, key, what);
            return None;
        };
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(t, key, v, "true o false");
                None
            }
        }
    }

    /// An amount: a string in Italian or plain form, or a bare TOML number read from its
    /// source text. Negative amounts are refused here: every input amount is ≥ 0.
    fn amount(&mut self, t: &Tbl, key: &str, what: &str) -> Option<Money> {
        let Some(v) = t.get(key) else {
            self.missing(t, key, what);
            return None;
        };
        let parsed = match v.get_ref() {
            DeValue::String(s) => parse_amount(s),
            DeValue::Integer(i) if i.radix() == 10 => parse_plain_amount(i.as_str()),
            DeValue::Float(f) => parse_plain_amount(f.as_str()),
            _ => {
                self.wrong_type(t, key, v, "un importo come \"847.231,25\"");
                return None;
            }
        };
        match parsed {
            Ok(m) if m.is_negative() => {
                self.error(
                    v.span(),
                    Some(t.key_path(key)),
                    format!(
                        "importo negativo {}: gli importi si indicano positivi (le decurtazioni vanno in [[decurtazioni]])",
                        m.it()
                    ),
                );
                None
            }
            Ok(m) => Some(m),
            Err(e) => {
                self.error(v.span(), Some(t.key_path(key)), e.to_string());
                None
            }
        }
    }

    fn share(&mut self, t: &Tbl, key: &str) -> Option<ShareSpec> {
        let Some(v) = t.get(key) else {
            self.missing(
                t,
                key,
                "un importo, una percentuale come \"73,45%\" oppure \"resto\"",
            );
            return None;
        };
        match v.get_ref() {
            DeValue::String(s) if s.trim() == "resto" => Some(ShareSpec::Rest),
            DeValue::String(s) if s.trim().ends_with('%') => match parse_percent(s) {
                Ok(p) if p.value().is_sign_negative() || p.value() > Decimal::ONE_HUNDRED => {
                    self.error(
                        v.span(),
                        Some(t.key_path(key)),
                        format!("percentuale {}% fuori dall'intervallo 0-100", p.it(2)),
                    );
                    None
                }
                Ok(p) => Some(ShareSpec::Percent(p)),
                Err(e) => {
                    self.error(v.span(), Some(t.key_path(key)), e.to_string());
                    None
                }
            },
            _ => self.amount(t, key, "").map(ShareSpec::Amount),
        }
    }

    fn rules(&mut self, doc: &DeTable, span: Range<usize>) -> Option<Rules> {
        let top = Tbl {
            path: String::new(),
            table: doc,
            span,
        };
        self.check_keys(&top, TOP_KEYS);

        // [ente]
        let mut ente = None;
        let mut year = None;
        match self.sub_table(&top, "ente") {
            Some(t) => {
                self.check_keys(&t, ENTE_KEYS);
                ente = self.string(&t, "nome", "il nome dell'ente").map(|s| s.0);
                if let Some((y, sp)) = self.integer(&t, "anno", "l'anno del fondo") {
                    if (2000..=2100).contains(&y) {
                        year = Some(y as i32);
                    } else {
                        self.error(
                            sp,
                            Some("ente.anno".into()),
                            format!("anno {y} non plausibile (atteso tra 2000 e 2100)"),
                        );
                    }
                }
            }
            None if top.get("ente").is_none() => {
                self.missing_section("ente", "nome dell'ente e anno del fondo")
            }
            None => {}
        }

        // [arrotondamento]
        let mut rounding = Rounding::default();
        if let Some(t) = self.sub_table(&top, "arrotondamento") {
            self.check_keys(&t, ROUNDING_KEYS);
            if let Some((s, sp)) =
                self.string(&t, "criterio", "commerciale, bancario o troncamento")
            {
                match Rounding::from_key(&s) {
                    Some(m) => rounding = m,
                    None => self.error(
                        sp,
                        Some("arrotondamento.criterio".into()),
                        format!("criterio di arrotondamento sconosciuto \"{s}\"; ammessi: commerciale, bancario, troncamento"),
                    ),
                }
            }
        }

        // [[risorse]] and [[decurtazioni]]
        let mut codes: Vec<(String, usize)> = Vec::new();
        let resources = self.items(&top, "risorse", &mut codes);
        let cuts = self.items(&top, "decurtazioni", &mut codes);
        if top.get("risorse").is_none() {
            self.missing_section("risorse", "almeno una voce [[risorse]] con il suo importo");
        }

        // [limite_2016]
        let cap2016 = self.sub_table(&top, "limite_2016").and_then(|t| {
            self.check_keys(&t, CAP_KEYS);
            let limit = self.amount(&t, "limite", "il limite 2016 complessivo dell'ente");
            let source = self.string(&t, "fonte", "la fonte del limite");
            let mut other_funds = Vec::new();
            for f in self.table_array(&t, "altri_fondi") {
                self.check_keys(&f, OTHER_FUND_KEYS);
                let description = self.string(&f, "descrizione", "il nome del fondo");
                let amount = self.amount(&f, "importo", "l'importo del fondo");
                let source = self.string(&f, "fonte", "la fonte dell'importo");
                if let (Some(d), Some(a), Some(s)) = (description, amount, source) {
                    other_funds.push(OtherFund {
                        description: d.0,
                        amount: a,
                        source: s.0,
                        origin: self.origin(&f.span),
                    });
                }
            }
            Some(Cap2016 {
                limit: limit?,
                source: source?.0,
                other_funds,
                origin: self.origin(&t.span),
            })
        });

        // [ripartizione]
        let split = match self.sub_table(&top, "ripartizione") {
            Some(t) => {
                self.check_keys(&t, SPLIT_KEYS);
                let position = self.share(&t, "posizione");
                let result = self.share(&t, "risultato");
                let source = self.string(&t, "fonte", "la fonte della ripartizione (CCDI)");
                match (position, result, source) {
                    (Some(p), Some(r), Some(s)) => Some(SplitRule {
                        position: p,
                        result: r,
                        source: s.0,
                        origin: self.origin(&t.span),
                    }),
                    _ => None,
                }
            }
            None if top.get("ripartizione").is_none() => {
                self.missing_section(
                    "ripartizione",
                    "la quota di posizione e quella di risultato (importi, percentuali o \"resto\")",
                );
                None
            }
            None => None,
        };

        // [[riporti]]
        let mut carryovers = Vec::new();
        for c in self.table_array(&top, "riporti") {
            self.check_keys(&c, CARRY_KEYS);
            let y = self.integer(&c, "anno_origine", "l'anno da cui provengono le somme");
            let description = self.opt_string(&c, "descrizione");
            let amount = self.amount(&c, "importo", "l'importo riportato");
            let source = self.string(&c, "fonte", "la fonte del riporto");
            if let Some((d, sp)) = self.string(&c, "destinazione", "\"risultato\"") {
                if d != "risultato" {
                    self.error(
                        sp,
                        Some(c.key_path("destinazione")),
                        format!(
                            "destinazione \"{d}\" non ammessa: le somme non utilizzate di anni precedenti vanno solo alla retribuzione di risultato, secondo {}; scrivere \"risultato\"",
                            crate::national::cite("riporti", year.unwrap_or(2021))
                        ),
                    );
                }
            }
            if let (Some((y, ysp)), Some(fund_year)) = (y.clone(), year) {
                if y >= i64::from(fund_year) || y < 2000 {
                    self.error(
                        ysp,
                        Some(c.key_path("anno_origine")),
                        format!("anno di origine {y} non valido: deve precedere l'anno del fondo {fund_year}"),
                    );
                    continue;
                }
            }
            if let (Some((y, _)), Some(a), Some(s)) = (y, amount, source) {
                if a.value().is_zero() {
                    self.warning(
                        c.span.clone(),
                        Some(c.path.clone()),
                        "riporto di importo zero",
                    );
                }
                carryovers.push(CarryOver {
                    year: y as i32,
                    description: description
                        .unwrap_or_else(|| format!("Economie fondo risultato {y}")),
                    amount: a,
                    source: s.0,
                    origin: self.origin(&c.span),
                });
            }
        }

        let (attainment, weights, attainment_source) = self.attainment(&top);

        let (pay, interim_percent, pay_sources) = self.pay(&top, rounding);
        let coverage = self.coverage(&top);
        let procedure = self.procedure(&top);
        let csv = self.csv_options(&top);

        let rules = Rules {
            file: self.file.to_string(),
            ente: ente?,
            year: year?,
            rounding,
            resources,
            cuts,
            cap2016,
            split: split?,
            carryovers,
            attainment,
            weights,
            attainment_source,
            pay,
            interim_percent,
            pay_sources,
            coverage,
            procedure,
            csv,
        };
        self.check_consistency(&rules, &top);
        Some(rules)
    }

    /// A choice among named values; `None` (with an error) for anything else.
    fn choice<T: Copy>(&mut self, t: &Tbl, key: &str, options: &[(&str, T)]) -> Option<T> {
        let v = t.get(key)?;
        let names: Vec<&str> = options.iter().map(|o| o.0).collect();
        let found = match v.get_ref() {
            DeValue::String(s) => options.iter().find(|o| o.0 == s.trim()).map(|o| o.1),
            _ => None,
        };
        if found.is_none() {
            let shown = match v.get_ref() {
                DeValue::String(s) => format!("\"{s}\""),
                other => type_name(other).to_string(),
            };
            self.error(
                v.span(),
                Some(t.key_path(key)),
                format!("valore {shown} non ammesso; ammessi: {}", names.join(", ")),
            );
        }
        found
    }

    /// An optional plain number within `min..=max` (a TOML number read from its source text,
    /// or a string like "12,5").
    fn opt_number(&mut self, t: &Tbl, key: &str, min: Decimal, max: Decimal) -> Option<Decimal> {
        let v = t.get(key)?;
        let parsed = match v.get_ref() {
            DeValue::String(s) => crate::input::csv::parse_number(s),
            DeValue::Integer(i) if i.radix() == 10 => {
                crate::input::csv::parse_number(&i.as_str().replace('_', ""))
            }
            DeValue::Float(f) => crate::input::csv::parse_number(&f.as_str().replace('_', "")),
            _ => None,
        };
        match parsed {
            Some(d) if d >= min && d <= max => Some(d),
            Some(d) => {
                self.error(
                    v.span(),
                    Some(t.key_path(key)),
                    format!(
                        "valore {} fuori dall'intervallo {}-{}",
                        crate::money::format_it(d.normalize(), 0),
                        crate::money::format_it(min.normalize(), 0),
                        crate::money::format_it(max.normalize(), 0)
                    ),
                );
                None
            }
            None => {
                self.wrong_type(t, key, v, "un numero");
                None
            }
        }
    }

    /// `[raggiungimento]`: attainment rules, each key optional with its default.
    fn attainment(&mut self, top: &Tbl) -> (AttainmentRules, WeightRule, Option<String>) {
        let mut rules = AttainmentRules::default();
        let mut weights = WeightRule::default();
        let Some(t) = self.sub_table(top, "raggiungimento") else {
            return (rules, weights, None);
        };
        self.check_keys(&t, ATTAIN_KEYS);
        if let Some(q) = self.choice(
            &t,
            "quantita",
            &[
                ("proporzionale", Scoring::Proportional),
                ("tutto_o_niente", Scoring::AllOrNothing),
            ],
        ) {
            rules.quantity = q;
        }
        let days = self.opt_number(&t, "giorni_tolleranza", Decimal::ONE, Decimal::from(3660));
        match self.choice(
            &t,
            "scadenze",
            &[("rigida", false), ("decadimento_lineare", true)],
        ) {
            Some(true) => match days {
                Some(d) if d.fract().is_zero() => {
                    rules.deadline = DeadlineTolerance::LinearDecay {
                        days: u32::try_from(d.mantissa()).unwrap_or(1),
                    }
                }
                Some(_) => self.error(
                    t.span.clone(),
                    Some(t.key_path("giorni_tolleranza")),
                    "giorni_tolleranza deve essere un numero intero di giorni",
                ),
                None => self.missing(
                    &t,
                    "giorni_tolleranza",
                    "i giorni oltre la scadenza dopo cui l'indicatore vale zero",
                ),
            },
            Some(false) => rules.deadline = DeadlineTolerance::Strict,
            None => {}
        }
        if let Some(f) = self.opt_number(&t, "soglia_minima", Decimal::ZERO, Decimal::ONE_HUNDRED) {
            rules.floor = Some(f);
        }
        if let Some(o) = self.choice(
            &t,
            "obiettivo",
            &[
                ("media_ponderata", ObjectiveRule::WeightedMean),
                ("tutti_raggiunti", ObjectiveRule::AllTargetsMet),
            ],
        ) {
            rules.objective = o;
        }
        if let Some(v) = t.get("tetto_100") {
            match v.get_ref() {
                DeValue::Boolean(b) => rules.cap = *b,
                _ => self.wrong_type(&t, "tetto_100", v, "true o false"),
            }
        }
        if let Some(d) = self.opt_number(&t, "decimali", Decimal::ZERO, Decimal::from(6)) {
            rules.decimals = u32::try_from(d.trunc().mantissa()).unwrap_or(2);
        }
        if let Some(r) = self.choice(
            &t,
            "arrotondamento",
            &[
                ("commerciale", Rounding::HalfUp),
                ("bancario", Rounding::HalfEven),
                ("troncamento", Rounding::Down),
            ],
        ) {
            rules.rounding = r;
        }
        if let Some(w) = self.choice(
            &t,
            "pesi",
            &[
                ("somma_100", WeightRule::MustSum100),
                ("normalizza", WeightRule::Normalize),
            ],
        ) {
            weights = w;
        }
        let source = self
            .string(
                &t,
                "fonte",
                "il sistema di misurazione e valutazione (SMVP) che fissa queste regole",
            )
            .map(|s| s.0);
        (rules, weights, source)
    }

    /// A required percentage between 0 and 100 (`"23,80%"` or a bare number).
    fn rate(&mut self, t: &Tbl, key: &str, what: &str) -> Option<Percent> {
        if t.get(key).is_none() {
            self.missing(t, key, what);
            return None;
        }
        self.opt_number(t, key, Decimal::ZERO, Decimal::ONE_HUNDRED)
            .map(Percent::new)
    }

    /// A list of texts (`["a", "b"]`), or a single text.
    fn texts(&mut self, t: &Tbl, key: &str) -> Vec<String> {
        let Some(v) = t.get(key) else {
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::String(s) => vec![s.trim().to_string()],
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) => out.push(s.trim().to_string()),
                        other => self.error(
                            item.span(),
                            Some(t.key_path(key)),
                            format!("tipo errato: atteso un testo, trovato {}", type_name(other)),
                        ),
                    }
                }
                out
            }
            _ => {
                self.wrong_type(t, key, v, "un elenco di testi [\"...\", \"...\"]");
                Vec::new()
            }
        }
    }

    /// A date or date-like text as written (`2020-11-30` or `"30/11/2020"`).
    fn date_text(&mut self, t: &Tbl, key: &str) -> Option<String> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::Datetime(d) => match d.date {
                Some(date) => Some(format!("{:02}/{:02}/{}", date.day, date.month, date.year)),
                None => {
                    self.wrong_type(t, key, v, "una data");
                    None
                }
            },
            DeValue::String(s) => match crate::input::csv::parse_date(s) {
                Some(d) => Some(d.format("%d/%m/%Y").to_string()),
                None => {
                    self.error(
                        v.span(),
                        Some(t.key_path(key)),
                        format!("data non valida \"{s}\": attesa una data come 30/11/2020"),
                    );
                    None
                }
            },
            _ => {
                self.wrong_type(t, key, v, "una data");
                None
            }
        }
    }

    /// `[copertura]`: contribution and IRAP rates, budget chapters.
    fn coverage(&mut self, top: &Tbl) -> Option<Coverage> {
        let t = self.sub_table(top, "copertura")?;
        self.check_keys(&t, COVERAGE_KEYS);
        let contributions = self.rate(
            &t,
            "aliquota_contributi",
            "l'aliquota dei contributi a carico dell'ente, come \"23,80%\"",
        );
        let irap = self.rate(&t, "aliquota_irap", "l'aliquota IRAP, come \"8,50%\"");
        let source = self.string(&t, "fonte", "la fonte delle aliquote e degli stanziamenti");
        let mut chapters = Vec::new();
        for c in self.table_array(&t, "capitoli") {
            self.check_keys(&c, CHAPTER_KEYS);
            let code = self.string(&c, "capitolo", "il numero del capitolo di bilancio");
            let description = self.string(&c, "descrizione", "la descrizione del capitolo");
            let use_ = match self.string(&c, "destinazione", "fondo, contributi o irap") {
                Some((s, _)) if s == "fondo" => Some(ChapterUse::Fund),
                Some((s, _)) if s == "contributi" => Some(ChapterUse::Contributions),
                Some((s, _)) if s == "irap" => Some(ChapterUse::Irap),
                Some((s, sp)) => {
                    self.error(
                        sp,
                        Some(c.key_path("destinazione")),
                        format!(
                            "destinazione \"{s}\" sconosciuta; ammesse: fondo, contributi, irap"
                        ),
                    );
                    None
                }
                None => None,
            };
            let amount = self.amount(&c, "importo", "lo stanziamento del capitolo");
            if let (Some(code), Some(description), Some(use_), Some(amount)) =
                (code, description, use_, amount)
            {
                chapters.push(Chapter {
                    code: code.0,
                    description: description.0,
                    use_,
                    amount,
                    origin: self.origin(&c.span),
                });
            }
        }
        Some(Coverage {
            contributions_rate: contributions?,
            irap_rate: irap?,
            source: source?.0,
            chapters,
        })
    }

    /// `[dati]`: the CSV delimiter and encoding, when the exports need them declared.
    fn csv_options(&mut self, top: &Tbl) -> CsvOptions {
        let mut opts = CsvOptions::default();
        let Some(t) = self.sub_table(top, "dati") else {
            return opts;
        };
        self.check_keys(&t, DATA_KEYS);
        if let Some(d) = self.choice(
            &t,
            "separatore",
            &[(";", b';'), (",", b','), ("tab", b'\t')],
        ) {
            opts.delimiter = Some(d);
        }
        if let Some(e) = self.choice(
            &t,
            "codifica",
            &[
                ("automatica", Encoding::Auto),
                ("utf-8", Encoding::Utf8),
                ("windows-1252", Encoding::Windows1252),
            ],
        ) {
            opts.encoding = e;
        }
        opts
    }

    /// `[procedura]`: the CCDI's dates, delegation and attestations, as written.
    fn procedure(&mut self, top: &Tbl) -> Procedure {
        let Some(t) = self.sub_table(top, "procedura") else {
            return Procedure::default();
        };
        self.check_keys(&t, PROCEDURE_KEYS);
        Procedure {
            pre_agreement: self.date_text(&t, "data_preintesa"),
            signature: self.date_text(&t, "data_sottoscrizione"),
            period: self.opt_string(&t, "periodo"),
            public_delegation: self.texts(&t, "delegazione_pubblica"),
            unions_admitted: self.texts(&t, "sindacati_ammessi"),
            unions_signing: self.texts(&t, "sindacati_firmatari"),
            recipients: self.opt_string(&t, "destinatari"),
            subjects: self.texts(&t, "materie"),
            control_body: self.opt_string(&t, "organo_di_controllo"),
            attestations: self.texts(&t, "attestazioni"),
        }
    }

    fn opt_bool(&mut self, t: &Tbl, key: &str) -> Option<bool> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(t, key, v, "true o false");
                None
            }
        }
    }

    /// The pay sections; the typed rules' own validation is reported at the section header.
    fn pay(
        &mut self,
        top: &Tbl,
        rounding: Rounding,
    ) -> (PayRules, Option<Decimal>, Vec<(String, String)>) {
        let mut rules = PayRules {
            rounding,
            ..PayRules::default()
        };
        let mut interim_percent = None;
        let mut sources = Vec::new();
        let hundred = Decimal::ONE_HUNDRED;

        if let Some(t) = self.sub_table(top, "valutazione") {
            self.check_keys(&t, EVAL_KEYS);
            if let Some(v) = self.opt_number(&t, "soglia", Decimal::ZERO, hundred) {
                rules.threshold = v;
            }
            if let Some(b) = self.choice(
                &t,
                "base",
                &[
                    ("pro_capite", BaseWeight::PerHead),
                    ("retribuzione_posizione", BaseWeight::PositionPay),
                    ("punti_pesatura", BaseWeight::GradingPoints),
                ],
            ) {
                rules.base = b;
            }
            if let Some(v) = self.choice(
                &t,
                "servizio",
                &[
                    ("giorni", ServiceFraction::Days365),
                    ("mesi", ServiceFraction::Months15),
                ],
            ) {
                rules.service = v;
            }
            if let Some(m) = self.choice(
                &t,
                "modello",
                &[
                    ("ripartizione_integrale", Model::Full),
                    ("quota_teorica", Model::Quota),
                ],
            ) {
                rules.model = m;
            }
            let components = self.table_array(&t, "componenti");
            if !components.is_empty() {
                rules.components.clear();
            }
            for c in components {
                self.check_keys(&c, COMPONENT_KEYS);
                let code = self.string(&c, "codice", "il codice della componente, come in valutazioni.csv (\"obiettivi\" è calcolata dal PEG)");
                let weight = self.opt_number(&c, "peso", Decimal::ZERO, hundred);
                if c.get("peso").is_none() {
                    self.missing(&c, "peso", "il peso della componente su 100");
                }
                let organisational = self.opt_bool(&c, "organizzativa").unwrap_or(false);
                let _ = self.opt_string(&c, "descrizione");
                if let (Some((code, _)), Some(weight)) = (code, weight) {
                    rules.components.push(Component {
                        code: code.to_lowercase(),
                        weight,
                        organisational,
                    });
                }
            }
            let kind = self.choice(
                &t,
                "coefficiente",
                &[("lineare", 0u8), ("fasce", 1), ("quota_e_passo", 2)],
            );
            let bands = self.table_array(&t, "fasce");
            match kind {
                Some(1) => {
                    let mut list = Vec::new();
                    for b in &bands {
                        self.check_keys(b, BAND_KEYS);
                        let from = self.opt_number(b, "da", Decimal::ZERO, hundred);
                        let to = self.opt_number(b, "a", Decimal::ZERO, hundred);
                        let coefficient =
                            self.opt_number(b, "coefficiente", Decimal::ZERO, Decimal::TEN);
                        for k in BAND_KEYS {
                            if b.get(k).is_none() {
                                self.missing(b, k, "da, a e coefficiente di ogni fascia");
                            }
                        }
                        if let (Some(from), Some(to), Some(coefficient)) = (from, to, coefficient) {
                            list.push(Band {
                                from,
                                to,
                                coefficient,
                            });
                        }
                    }
                    if bands.is_empty() {
                        self.missing(
                            &t,
                            "fasce",
                            "almeno una [[valutazione.fasce]] con da, a, coefficiente",
                        );
                    }
                    rules.coefficient = CoefficientFn::Bands(list);
                }
                Some(2) => {
                    let at = self.opt_number(&t, "quota_alla_soglia", Decimal::ZERO, Decimal::ONE);
                    let step = self.opt_number(&t, "passo_per_punto", Decimal::ZERO, Decimal::ONE);
                    if t.get("quota_alla_soglia").is_none() {
                        self.missing(
                            &t,
                            "quota_alla_soglia",
                            "il coefficiente alla soglia, tra 0 e 1",
                        );
                    }
                    if t.get("passo_per_punto").is_none() {
                        self.missing(
                            &t,
                            "passo_per_punto",
                            "l'incremento del coefficiente per punto sopra la soglia",
                        );
                    }
                    if let (Some(at_threshold), Some(per_point)) = (at, step) {
                        rules.coefficient = CoefficientFn::QuotaStep {
                            at_threshold,
                            per_point,
                        };
                    }
                }
                _ => {
                    if !bands.is_empty() {
                        self.error(
                            t.span.clone(),
                            Some(t.key_path("fasce")),
                            "fasce indicate ma coefficiente non è \"fasce\"",
                        );
                    }
                }
            }
            if let Some((s, _)) = self.string(
                &t,
                "fonte",
                "il sistema di misurazione e valutazione (SMVP) o l'articolo del CCDI",
            ) {
                sources.push(("valutazione".to_string(), s));
            }
        }

        if let Some(t) = self.sub_table(top, "differenziazione") {
            self.check_keys(&t, ART30_KEYS);
            let mut a = Art30::default();
            if let Some(v) = self.opt_number(&t, "percentuale", Decimal::ZERO, Decimal::from(1000))
            {
                a.percent = v;
            }
            if let Some(v) = self.opt_bool(&t, "comma_5") {
                a.c5 = v;
            }
            if let Some(v) = self.opt_number(&t, "quota", Decimal::ZERO, hundred) {
                a.quota = v;
            }
            if let Some(v) = self.choice(
                &t,
                "arrotondamento_quota",
                &[
                    ("eccesso", QuotaRounding::Up),
                    ("difetto", QuotaRounding::Down),
                    ("commerciale", QuotaRounding::HalfUp),
                ],
            ) {
                a.quota_rounding = v;
            }
            if let Some(v) = self.choice(
                &t,
                "media",
                &[
                    ("erogati", Average::AllPaid),
                    ("idonei", Average::AllEligible),
                ],
            ) {
                a.average = v;
            }
            rules.art30 = a;
            if let Some((s, _)) = self.string(
                &t,
                "fonte",
                "l'articolo del CCDI che applica l'art. 30 CCNL",
            ) {
                sources.push(("differenziazione".to_string(), s));
            }
        }

        if let Some(t) = self.sub_table(top, "interim") {
            self.check_keys(&t, INTERIM_KEYS);
            interim_percent = self.opt_number(&t, "percentuale", Decimal::ZERO, hundred);
            if let Some((s, _)) = self.string(
                &t,
                "fonte",
                "l'articolo del CCDI che fissa la percentuale (art. 58 CCNL)",
            ) {
                sources.push(("interim".to_string(), s));
            }
        }

        if let Some(t) = self.sub_table(top, "compensi_ex_lege") {
            self.check_keys(&t, FEES_KEYS);
            match self.choice(
                &t,
                "correlazione",
                &[("nessuna", false), ("riduzione", true)],
            ) {
                Some(true) => {
                    match self.opt_number(&t, "percentuale_riduzione", Decimal::ZERO, hundred) {
                        Some(percent) => rules.fees = FeeCorrelation::Reduce { percent },
                        None if t.get("percentuale_riduzione").is_none() => self.missing(
                            &t,
                            "percentuale_riduzione",
                            "la percentuale dei compensi da detrarre dal risultato",
                        ),
                        None => {}
                    }
                }
                Some(false) => rules.fees = FeeCorrelation::None,
                None => {}
            }
            if let Some((s, _)) = self.string(
                &t,
                "fonte",
                "l'articolo del CCDI sulla correlazione (art. 45 c.1 lett. e CCNL)",
            ) {
                sources.push(("compensi_ex_lege".to_string(), s));
            }
        }

        // The typed rules check themselves (weights, bands, art. 30 floor, ...). The defaults
        // are valid, so the problems of rules that differ from them in one section only are
        // that section's problems: each is reported at its own header.
        let sections: [(&str, PayRules); 3] = [
            (
                "valutazione",
                PayRules {
                    components: rules.components.clone(),
                    threshold: rules.threshold,
                    coefficient: rules.coefficient.clone(),
                    ..PayRules::default()
                },
            ),
            (
                "differenziazione",
                PayRules {
                    art30: rules.art30.clone(),
                    ..PayRules::default()
                },
            ),
            (
                "compensi_ex_lege",
                PayRules {
                    fees: rules.fees.clone(),
                    ..PayRules::default()
                },
            ),
        ];
        for (section, partial) in sections {
            let span = key_span(top.table, section).unwrap_or(0..0);
            let source = match section {
                "valutazione" => "d.lgs. 150/2009 art. 9; sistema di valutazione dell'ente",
                "differenziazione" => "CCNL 17/12/2020 art. 30 c.2-5",
                _ => "CCNL 17/12/2020 artt. 45 c.1 lett. e e 60",
            };
            for p in partial.problems() {
                self.error(
                    span.clone(),
                    Some(section.to_string()),
                    format!("{p} (fonte: {source})"),
                );
            }
            for w in partial.warnings() {
                self.warning(span.clone(), Some(section.to_string()), w);
            }
        }
        (rules, interim_percent, sources)
    }

    fn items(&mut self, top: &Tbl, key: &str, codes: &mut Vec<(String, usize)>) -> Vec<FundItem> {
        let mut out = Vec::new();
        for t in self.table_array(top, key) {
            self.check_keys(&t, ITEM_KEYS);
            let code = self.string(&t, "codice", "un codice breve e univoco della voce");
            let description = self.string(&t, "descrizione", "la descrizione della voce");
            let amount = self.amount(&t, "importo", "l'importo della voce");
            let nature = match self.string(&t, "natura", "\"stabile\" o \"variabile\"") {
                Some((s, _)) if s == "stabile" => Some(Nature::Stable),
                Some((s, _)) if s == "variabile" => Some(Nature::Variable),
                Some((s, sp)) => {
                    self.error(
                        sp,
                        Some(t.key_path("natura")),
                        format!("natura \"{s}\" sconosciuta; ammesse: stabile, variabile"),
                    );
                    None
                }
                None => None,
            };
            let cap = self.boolean(
                &t,
                "soggetta_limite_2016",
                "true se la voce rientra nel limite 2016 (d.lgs. 75/2017 art. 23 c.2)",
            );
            let source = self.string(&t, "fonte", "la fonte normativa o l'atto della voce");
            if let Some((c, sp)) = &code {
                let line = self.origin(sp).line;
                if let Some((_, first)) = codes.iter().find(|(k, _)| k == c) {
                    self.error(
                        sp.clone(),
                        Some(t.key_path("codice")),
                        format!("codice \"{c}\" duplicato: già usato alla riga {first}"),
                    );
                    continue;
                }
                codes.push((c.clone(), line));
            }
            if let (Some(c), Some(d), Some(a), Some(n), Some(cap), Some(s)) =
                (code, description, amount, nature, cap, source)
            {
                out.push(FundItem {
                    code: c.0,
                    description: d.0,
                    amount: a,
                    nature: n,
                    subject_to_cap: cap,
                    source: s.0,
                    origin: self.origin(&t.span),
                });
            }
        }
        out
    }

    /// Checks across sections: the fund is not negative, the split is complete and adds up.
    fn check_consistency(&mut self, rules: &Rules, top: &Tbl) {
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
        let split_span = key_span(top.table, "ripartizione").unwrap_or(0..0);
        let key = Some("ripartizione".to_string());
        use ShareSpec::*;
        match (rules.split.position, rules.split.result) {
            (Rest, Rest) => self.error(
                split_span,
                key,
                "posizione e risultato non possono essere entrambe \"resto\": indicare almeno una quota",
            ),
            (Amount(a), Amount(b)) => {
                let sum = a.checked_add(b).unwrap_or(Money::ZERO);
                if sum != fund {
                    self.error(
                        split_span,
                        key,
                        format!(
                            "posizione {} + risultato {} = {}, ma il fondo è {} (differenza {}); correggere gli importi o indicare una quota come \"resto\"",
                            a.it(),
                            b.it(),
                            sum.it(),
                            fund.it(),
                            sum.checked_sub(fund).unwrap_or(Money::ZERO).it()
                        ),
                    );
                }
            }
            (Percent(a), Percent(b)) => {
                let sum = a.value() + b.value();
                if sum != Decimal::ONE_HUNDRED {
                    self.error(
                        split_span,
                        key,
                        format!(
                            "le percentuali di posizione ({}%) e di risultato ({}%) sommano a {}%, non a 100%",
                            a.it(2),
                            b.it(2),
                            crate::money::format_it(sum, 2)
                        ),
                    );
                }
            }
            (Amount(_), Percent(_)) | (Percent(_), Amount(_)) => self.error(
                split_span,
                key,
                "indicare entrambe le quote come importi o entrambe come percentuali, oppure una delle due come \"resto\"",
            ),
            (Amount(a), Rest) | (Rest, Amount(a)) => {
                if a > fund {
                    self.error(
                        split_span,
                        key,
                        format!("la quota indicata {} supera il fondo {}", a.it(), fund.it()),
                    );
                }
            }
            (Percent(_), Rest) | (Rest, Percent(_)) => {}
        }
    }
}

/// Stable + variable − cuts, before any split; `None` on overflow.
pub fn fund_amount(rules: &Rules) -> Option<Money> {
    let res = Money::checked_sum(rules.resources.iter().map(|i| i.amount))?;
    let cuts = Money::checked_sum(rules.cuts.iter().map(|i| i.amount))?;
    res.checked_sub(cuts)
}

fn key_span(t: &DeTable, key: &str) -> Option<Range<usize>> {
    t.iter()
        .find(|(k, _)| {
            let name: &str = k.get_ref();
            name == key
        })
        .map(|(k, _)| k.span())
}

fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "un testo",
        DeValue::Integer(_) => "un numero intero",
        DeValue::Float(_) => "un numero decimale",
        DeValue::Boolean(_) => "un valore vero/falso",
        DeValue::Datetime(_) => "una data",
        DeValue::Array(_) => "un elenco",
        DeValue::Table(_) => "una tabella",
    }
}
