//! The rules file (*file delle regole*): the TOML text an HR office writes for one year's fund,
//! read once into validated, typed rules. Every problem is collected with its file, line,
//! column and key; the core never sees an unvalidated value.
//!
//! The file is walked through `toml`'s spanned document tree rather than serde structs, so that
//! every unknown key, wrong type and bad amount is reported in one pass, with its position, and
//! bare TOML numbers are read from their source text (never through `f64`).
//!
//! Here: `parse_rules`, the `Reader` that walks the file and its typed primitives (text,
//! integer, amount, share, number, choice, tables, dates). Each group of sections is read in
//! its own file, beside the list of keys it allows: `fund` (`[ente]`, the items, the 2016 cap,
//! the split, the carry-overs and the checks across them), `increments`
//! (`[incrementi_contrattuali]`: the national contracts' fund increments), `attainment` (`[raggiungimento]`),
//! `pay` (`[valutazione]`, `[differenziazione]`, `[interim]`, `[compensi_ex_lege]`),
//! `documents` (`[copertura]`, `[procedura]`) and `data` (`[dati]`).

mod attainment;
pub mod catalogue;
mod data;
mod documents;
mod fund;
mod increments;
mod pay;

use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diag::{Diagnostic, Diagnostics, LineIndex, Location, Severity};
use crate::money::{Money, Percent};
use crate::parse::{parse_amount, parse_date, parse_number, parse_percent, parse_plain_amount};
use crate::rules::{Origin, Rules, ShareSpec};

pub use fund::fund_amount;

/// Keys of the top level: the sections.
const TOP_KEYS: &[&str] = &[
    "ente",
    "arrotondamento",
    "risorse",
    "decurtazioni",
    "incrementi_contrattuali",
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

/// Reads and validates a rules file. On success also returns the warnings.
pub fn parse_rules(file: &str, src: &str) -> Result<(Rules, Diagnostics), Diagnostics> {
    let mut r = Reader::new(file, src);
    let doc = match DeTable::parse(src) {
        Ok(doc) => doc,
        Err(e) => {
            let span = e.span().or_else(|| deep_key(src)).unwrap_or(0..0);
            let detail = toml_message(&e);
            let msg = if detail == "recursion limit" {
                format!("chiave con troppi livelli: una chiave puntata (a.b.c) ha meno di {DEEP_KEY} parti, e le regole ne usano al più tre; controllare la chiave di questa riga")
            } else {
                format!("sintassi TOML non valida qui (controllare virgolette, parentesi e \"=\"; dettaglio del lettore TOML: {detail})")
            };
            r.error(span, None, msg);
            return Err(r.diags);
        }
    };
    let rules = r.rules(doc.get_ref(), doc.span());
    // Report in reading order, as a person goes through the file.
    r.diags
        .sort_by_key(|d| (d.location.line, d.location.column));
    match rules {
        Some(rules) if !r.diags.has_errors() => Ok((rules, r.diags)),
        _ => Err(r.diags),
    }
}

/// The parts of a dotted key (`a.b.c` has three) from which the TOML reader stops: it
/// then says "recursion limit" without a place.
const DEEP_KEY: usize = 80;

/// The first key of `src` with [`DEEP_KEY`] parts or more (before its `=`, or between the
/// brackets of a table's header): where the TOML reader's "recursion limit" is.
fn deep_key(src: &str) -> Option<Range<usize>> {
    let mut at = 0;
    for line in src.split_inclusive('\n') {
        let key = line.split('=').next().unwrap_or("");
        if key.matches('.').count() + 1 >= DEEP_KEY {
            let lead = key.len() - key.trim_start().len();
            return Some(at + lead..at + key.trim_end().len());
        }
        at += line.len();
    }
    None
}

/// The parser's message, first line only and without its own location prefix.
fn toml_message(e: &toml::de::Error) -> String {
    e.message().lines().next().unwrap_or("").trim().to_string()
}

/// A value of the document tree, with its span in the source.
type Value<'i> = Spanned<DeValue<'i>>;

/// Walks one rules file, collecting every problem with its position.
struct Reader<'s> {
    file: &'s str,
    src: &'s str,
    /// The file's lines, indexed once: every item's location in linear time overall.
    lines: LineIndex,
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
    /// The value under `key`, if written.
    fn get(&self, key: &str) -> Option<&'a Value<'i>> {
        self.table.get(key)
    }

    /// `key`'s dotted path from the top (`valutazione.soglia`), for messages.
    fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }
}

impl<'s> Reader<'s> {
    fn new(file: &'s str, src: &'s str) -> Reader<'s> {
        Reader {
            file,
            src,
            lines: LineIndex::new(src),
            diags: Diagnostics::default(),
        }
    }

    /// The whole file, section by section in the order a person writes it, then the checks
    /// across sections.
    fn rules(&mut self, doc: &DeTable, span: Range<usize>) -> Option<Rules> {
        let top = Tbl {
            path: String::new(),
            table: doc,
            span,
        };
        self.check_keys(&top, TOP_KEYS);
        let (ente, year) = self.ente(&top);
        let national = year.and_then(|y| self.national(&top, y));
        let rounding = self.rounding(&top);
        let before = self.diags.errors();
        let (mut resources, cuts) = self.fund_items(&top);
        let increments = self.increments(&top, national.as_ref(), rounding, &resources);
        resources.extend(increments);
        // A refused item leaves the fund without it: no check may then print its total.
        let fund_whole = self.diags.errors() == before;
        let cap2016 = self.cap2016(&top);
        let split = self.split(&top);
        let carryovers = self.carryovers(&top, national.as_ref());
        let (attainment, weights, attainment_source) = self.attainment(&top);
        let pay = self.pay(&top, rounding, national.as_ref());
        let coverage = self.coverage(&top);
        let procedure = self.procedure(&top);
        let csv = self.csv_options(&top);
        let rules = Rules {
            file: self.file.to_string(),
            ente: ente?,
            year: year?,
            national: national?,
            rounding,
            resources,
            cuts,
            cap2016,
            split: split?,
            carryovers,
            attainment,
            weights,
            attainment_source,
            pay: pay.rules,
            interim_percent: pay.interim_percent,
            pay_sources: pay.sources,
            posts_keys: pay.posts_keys,
            coverage,
            procedure,
            csv,
        };
        self.check_consistency(&rules, &top, fund_whole);
        Some(rules)
    }

    /// The location of `span` in the file, for a message.
    fn loc(&self, span: Range<usize>, key: Option<String>) -> Location {
        Location::from_span_in(self.file, self.src, &self.lines, span, key)
    }

    /// Where a validated value came from (file and line), for the trail.
    fn origin(&self, span: &Range<usize>) -> Origin {
        let start = span.start.min(self.src.len());
        Origin {
            file: self.file.into(),
            line: self.lines.line(start),
        }
    }

    /// Records an error at `span`.
    fn error(&mut self, span: Range<usize>, key: Option<String>, msg: impl Into<String>) {
        if self.diags.is_full() {
            // Only counted: no location to build.
            self.diags.count(Severity::Error, self.file, &msg.into());
            return;
        }
        let loc = self.loc(span, key);
        self.diags.push(Diagnostic::error(loc, msg));
    }

    /// Records a warning at `span`.
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

    /// An error for each key of `t` not in `allowed` (a typo would otherwise be ignored).
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

    /// An error for a required key missing from `t`, at the table's header.
    fn missing(&mut self, t: &Tbl, key: &str, what: &str) {
        self.error(
            t.span.clone(),
            Some(t.key_path(key)),
            format!("manca la chiave obbligatoria \"{key}\" ({what})"),
        );
    }

    /// An error for a value of the wrong TOML type.
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

    /// A section (`[valutazione]`), when written, its keys checked against `allowed`; an
    /// error when `key` is not a table.
    fn section<'a, 'i>(
        &mut self,
        parent: &Tbl<'a, 'i>,
        key: &str,
        allowed: &[&str],
    ) -> Option<Tbl<'a, 'i>> {
        let v = parent.get(key)?;
        let DeValue::Table(table) = v.get_ref() else {
            self.wrong_type(parent, key, v, "una tabella");
            return None;
        };
        let t = Tbl {
            path: parent.key_path(key),
            table,
            span: key_span(parent.table, key).unwrap_or_else(|| v.span()),
        };
        self.check_keys(&t, allowed);
        Some(t)
    }

    /// Reads each table of the array `key` (`[[riporti]]`) with `read`, keeping those it
    /// accepts.
    fn each<T>(
        &mut self,
        parent: &Tbl,
        key: &str,
        mut read: impl FnMut(&mut Self, &Tbl) -> Option<T>,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for t in self.table_array(parent, key) {
            out.extend(read(self, &t));
        }
        out
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

    /// A required non-empty text, trimmed, with its span.
    fn string(&mut self, t: &Tbl, key: &str, what: &str) -> Option<(String, Range<usize>)> {
        let Some(v) = t.get(key) else {
            self.missing(t, key, what);
            return None;
        };
        let text = self.text(t, key, v, format!("valore vuoto ({what})"))?;
        Some((text, v.span()))
    }

    /// An optional text, trimmed; an error when written but empty.
    fn opt_string(&mut self, t: &Tbl, key: &str) -> Option<String> {
        let v = t.get(key)?;
        self.text(t, key, v, "valore vuoto".to_string())
    }

    /// The text `v` of `key`, trimmed; the error `empty` when there is nothing but spaces.
    fn text(&mut self, t: &Tbl, key: &str, v: &Value, empty: String) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) if s.chars().any(forbidden) => {
                self.control(t, key, v, s);
                None
            }
            DeValue::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            DeValue::String(_) => {
                self.error(v.span(), Some(t.key_path(key)), empty);
                None
            }
            _ => {
                self.wrong_type(t, key, v, "un testo tra virgolette");
                None
            }
        }
    }

    /// The error of a text holding a control character (`"\u001b"`): it would reach the
    /// outputs and the terminal raw.
    fn control(&mut self, t: &Tbl, key: &str, v: &Value, s: &str) {
        let c = s.chars().find(|&c| forbidden(c)).unwrap_or('\0');
        self.error(
            v.span(),
            Some(t.key_path(key)),
            format!(
                "il testo contiene il carattere di controllo {}, che non si vede ma sposterebbe o nasconderebbe il testo stampato: toglierlo",
                crate::diag::escaped(&c.to_string())
            ),
        );
    }

    /// A required decimal integer, with its span.
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

    /// A required `true` or `false`.
    fn boolean(&mut self, t: &Tbl, key: &str, what: &str) -> Option<bool> {
        if t.get(key).is_none() {
            self.missing(t, key, what);
            return None;
        }
        self.opt_bool(t, key)
    }

    /// An optional `true` or `false`.
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

    /// A required share of the split: an amount, a percentage (`"73,45%"`) or `"resto"`.
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

    /// A required text naming one of `options` (`natura = "stabile"`); `None` (with an
    /// error) for any other text.
    fn named<T: Copy>(
        &mut self,
        t: &Tbl,
        key: &str,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        let (s, sp) = self.string(t, key, what)?;
        let found = options.iter().find(|o| o.0 == s).map(|o| o.1);
        if found.is_none() {
            let names: Vec<&str> = options.iter().map(|o| o.0).collect();
            self.error(
                sp,
                Some(t.key_path(key)),
                format!("{key} \"{s}\" sconosciuta; ammesse: {}", names.join(", ")),
            );
        }
        found
    }

    /// An optional plain number within `min..=max` (a TOML number read from its source text,
    /// or a string like "12,5").
    fn opt_number(&mut self, t: &Tbl, key: &str, min: Decimal, max: Decimal) -> Option<Decimal> {
        let v = t.get(key)?;
        let parsed = match v.get_ref() {
            DeValue::String(s) => parse_number(s),
            DeValue::Integer(i) if i.radix() == 10 => parse_number(&i.as_str().replace('_', "")),
            DeValue::Float(f) => parse_number(&f.as_str().replace('_', "")),
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

    /// A required plain number within `min..=max` (see `opt_number`).
    fn number(
        &mut self,
        t: &Tbl,
        key: &str,
        what: &str,
        min: Decimal,
        max: Decimal,
    ) -> Option<Decimal> {
        if t.get(key).is_none() {
            self.missing(t, key, what);
            return None;
        }
        self.opt_number(t, key, min, max)
    }

    /// A required percentage between 0 and 100 (`"23,80%"` or a bare number).
    fn rate(&mut self, t: &Tbl, key: &str, what: &str) -> Option<Percent> {
        self.number(t, key, what, Decimal::ZERO, Decimal::ONE_HUNDRED)
            .map(Percent::new)
    }

    /// A list of texts (`["a", "b"]`), or a single text.
    fn texts(&mut self, t: &Tbl, key: &str) -> Vec<String> {
        let Some(v) = t.get(key) else {
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::String(s) if s.chars().any(forbidden) => {
                self.control(t, key, v, s);
                Vec::new()
            }
            DeValue::String(s) => vec![s.trim().to_string()],
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) if s.chars().any(forbidden) => {
                            self.control(t, key, item, s);
                        }
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
            DeValue::String(s) => match parse_date(s) {
                Some(d) => Some(crate::money::date_it(d)),
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
}

/// A control character a text of the rules may not hold (a line break of a multi-line
/// text may).
fn forbidden(c: char) -> bool {
    crate::diag::is_control(c) && c != '\n' && c != '\r'
}

/// The span of `key` itself in `t` (the section header for a sub-table).
fn key_span(t: &DeTable, key: &str) -> Option<Range<usize>> {
    t.iter()
        .find(|(k, _)| {
            let name: &str = k.get_ref();
            name == key
        })
        .map(|(k, _)| k.span())
}

/// How a TOML type is called in messages.
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
