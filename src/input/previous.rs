//! `--precedente FILE`: the previous year's `fondo.json`, as `calcola --out` wrote it, →
//! [`Previous`]. Its seal is checked first (a figure changed by hand is an error naming the
//! file and the seal's line), then the ente and the year (`anno − 1`); each figure read is
//! located by its key. For compatibility, `relazioni` also takes the previous year's rules
//! file (`.toml`), recomputed, for Modulo III only.

use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::engine::Fingerprint;
use crate::fund::previous::{
    cause_description, digest, unseal, Economia, Previous, PreviousFund, DOCUMENT_HASH_KEY,
};
use crate::money::Money;
use crate::rules::Rules;

/// What `--precedente` may be: only a `fondo.json`, or also a rules file (`relazioni`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    Certified,
    AlsoRules,
}

/// Reads the previous year's figures for the year of `rules`, with the file's fingerprint.
pub fn load_previous(
    path: &Path,
    rules: &Rules,
    accept: Accept,
) -> Result<(Previous, Fingerprint), Diagnostics> {
    let name = path.display().to_string();
    let is_rules = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if is_rules {
        return match accept {
            Accept::AlsoRules => recomputed(path, rules),
            Accept::Certified => Err(error(
                Location::file(&name),
                "--precedente vuole il fondo.json che calcola --out ha scritto per l'anno precedente, non un file delle regole: scrivere --precedente CARTELLA/fondo.json (il file delle regole è accettato solo da relazioni, per il Modulo III)".into(),
            )),
        };
    }
    let bytes = super::files::read_bytes(path, super::files::DATA_FILE_MAX)?;
    let fingerprint = Fingerprint::of(&name, &bytes);
    check_seal(&name, &bytes)?;
    let text = String::from_utf8_lossy(&bytes);
    let doc: Value = serde_json::from_slice(&bytes).map_err(|e| {
        error(
            Location::at(&name, e.line(), e.column(), None),
            format!("JSON non valido: {e}"),
        )
    })?;
    let prev = read_document(&name, &text, &doc)?;
    check_year(&name, &text, &prev, rules)?;
    Ok((prev, fingerprint))
}

fn error(at: Location, message: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(at, message)])
}

/// The document's seal: present, and the SHA-256 of the rest.
pub(crate) fn check_seal(name: &str, bytes: &[u8]) -> Result<(), Diagnostics> {
    let Some((canonical, declared)) = unseal(bytes) else {
        return Err(error(
            Location::file(name),
            format!("non è un fondo.json scritto da calcola --out: manca in fondo la chiave \"{DOCUMENT_HASH_KEY}\" (l'impronta del documento); passare il fondo.json così come calcola --out lo ha scritto"),
        ));
    };
    let actual = digest(&canonical);
    if actual == declared {
        return Ok(());
    }
    // The seal is the last key: the line before the closing brace.
    let line = bytes.iter().filter(|&&b| b == b'\n').count() - 1;
    Err(error(
        Location::at(name, line, 3, Some(DOCUMENT_HASH_KEY.into())),
        format!("il documento è stato modificato dopo il calcolo: l'impronta registrata è {declared}, quella del contenuto è {actual}; passare il fondo.json come calcola --out lo ha scritto, oppure ricalcolare l'anno precedente con calcola --out"),
    ))
}

/// The line of a top-level key of the pretty document (`  "anno": `), 0 when not found.
fn key_line(text: &str, key: &str) -> usize {
    let needle = format!("\n  \"{key}\":");
    text.find(&needle)
        .map_or(0, |at| text[..at].matches('\n').count() + 2)
}

/// The ente and the year: the same ente, the year before.
fn check_year(name: &str, text: &str, prev: &Previous, rules: &Rules) -> Result<(), Diagnostics> {
    if prev.ente != rules.ente {
        return Err(error(
            Location::at(name, key_line(text, "ente"), 3, Some("ente".into())),
            format!(
                "il fondo dell'anno precedente è di un altro ente («{}»), non di «{}» ({}): passare il fondo.json dello stesso ente",
                prev.ente, rules.ente, rules.file
            ),
        ));
    }
    if prev.year != rules.year - 1 {
        return Err(error(
            Location::at(name, key_line(text, "anno"), 3, Some("anno".into())),
            format!(
                "il fondo passato con --precedente è dell'anno {}, ma l'anno precedente al {} è il {}: passare il fondo.json del {}",
                prev.year,
                rules.year,
                rules.year - 1,
                rules.year - 1
            ),
        ));
    }
    Ok(())
}

/// The figures of the document, each located by its key when missing or not an amount.
fn read_document(name: &str, text: &str, doc: &Value) -> Result<Previous, Diagnostics> {
    let get = |path: &[&str]| path.iter().try_fold(doc, |v, k| v.get(*k));
    let missing = |path: &[&str]| {
        error(
            Location::at(name, key_line(text, path[0]), 3, Some(path.join("."))),
            format!(
                "manca la cifra «{}» o non è un importo: il file non è un fondo.json scritto da calcola --out",
                path.join(".")
            ),
        )
    };
    let amount = |path: &[&str]| get(path).and_then(money).ok_or_else(|| missing(path));
    let c = |k: &'static str| ["costituzione", k];
    let ente = get(&["ente"])
        .and_then(Value::as_str)
        .ok_or_else(|| missing(&["ente"]))?;
    let year = get(&["anno"])
        .and_then(Value::as_i64)
        .ok_or_else(|| missing(&["anno"]))?;
    let carried = carryovers(get(&["riporti"])).ok_or_else(|| missing(&["riporti"]))?;
    let fund = PreviousFund {
        stable: amount(&c("risorse_stabili"))?,
        variable: amount(&c("risorse_variabili"))?,
        cuts: amount(&c("totale_decurtazioni"))?,
        fund: amount(&c("fondo"))?,
        position: amount(&["utilizzo", "posizione", "importo"])?,
        result: amount(&["utilizzo", "risultato", "importo"])?,
        carryover_total: carried,
        grand_total: amount(&c("fondo"))?
            .checked_add(carried)
            .ok_or_else(|| missing(&["riporti"]))?,
        cap: cap(get(&["limite_2016"])).map_err(|k| missing(&["limite_2016", k]))?,
    };
    let economie = match get(&["riconciliazione", "economie_dettaglio"]) {
        None => None,
        Some(detail) => Some(
            economie(detail)
                .map_err(|k| missing(&["riconciliazione", "economie_dettaglio", k.as_str()]))?,
        ),
    };
    Ok(Previous {
        file: name.to_string(),
        ente: ente.to_string(),
        year: year as i32,
        certified: true,
        fund,
        economie,
        managers: get(&["dirigenti"]).and_then(Value::as_array).map(Vec::len),
    })
}

/// An amount as the document writes it: a decimal string with a dot.
fn money(v: &Value) -> Option<Money> {
    let d = Decimal::from_str(v.as_str()?).ok()?;
    Money::from_cents_decimal(d)
}

/// The sum of the carry-overs the previous year received.
fn carryovers(v: Option<&Value>) -> Option<Money> {
    let each: Option<Vec<Money>> = v?
        .as_array()?
        .iter()
        .map(|c| c.get("importo").and_then(money))
        .collect();
    Money::checked_sum(each?)
}

/// The 2016 cap (`null` when not given): limit, total subject, headroom; the missing key.
fn cap(v: Option<&Value>) -> Result<Option<(Money, Money, Money)>, &'static str> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let a = |k: &'static str| v.get(k).and_then(money).ok_or(k);
    Ok(Some((a("limite")?, a("totale_soggetto")?, a("margine")?)))
}

/// The economie by cause, in the document's order; the key that is not an amount.
fn economie(v: &Value) -> Result<Vec<Economia>, String> {
    let Some(map) = v.as_object() else {
        return Err(String::new());
    };
    map.iter()
        .map(|(k, v)| {
            let amount = money(v).ok_or_else(|| k.clone())?;
            Ok(Economia {
                key: k.clone(),
                description: cause_description(k),
                amount,
            })
        })
        .collect()
}

/// The previous year recomputed from its rules file (`relazioni` only): a year that is not
/// before this one is an error.
fn recomputed(path: &Path, rules: &Rules) -> Result<(Previous, Fingerprint), Diagnostics> {
    let (r, _) = super::files::load_rules(Some(path))?;
    let name = path.display().to_string();
    let f = crate::fund::compute(&r).map_err(|e| error(Location::file(&r.file), e.to_string()))?;
    if r.year >= rules.year {
        return Err(error(
            Location::file(&name),
            format!(
                "--precedente {name} è dell'anno {}, non precedente al {}",
                r.year, rules.year
            ),
        ));
    }
    let bytes = super::files::read_bytes(path, super::files::DATA_FILE_MAX)?;
    let prev = Previous {
        file: r.file.clone(),
        ente: r.ente.clone(),
        year: r.year,
        certified: false,
        fund: PreviousFund::of(&f),
        economie: None,
        managers: None,
    };
    Ok((prev, Fingerprint::of(&name, &bytes)))
}
