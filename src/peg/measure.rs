//! Reading a measured value (*valore rilevato / consuntivo*) as written in a monitoring sheet:
//! a number (`1.234,5`, `1234.5`, `15,00`), a percentage (`85%`, `85,5 %`), a date
//! (`15/09/2020`, `15/09/20`, `15.09.2020`, `15-09-2020`, `2020-09-15`) or yes/no (`sì`, `si`,
//! `x`, `vero`, `no`, `falso`).
//!
//! A lone `1.200` is read the Italian way, 1200, as targets are (a single dot followed by
//! exactly three digits is a thousands separator); `1.5` and `1234.5` use a decimal dot.
//! A leading `-` or `+` is accepted on numbers and percentages (`-12%` is a percentage).
//! `NaN`, `inf`, empty text and anything else are errors. A starting value (*valore
//! iniziale*, [`read_baseline`]) is a number or a percentage read the same way.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::money::date_it;
use crate::money::format_it;
use crate::parse::{parse_italian_number, parse_written_date};

/// A measured value (*valore rilevato*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Number(Decimal),
    /// Percentage points: `85%` is `Percent(85)`.
    Percent(Decimal),
    /// The date something was done (*data di realizzazione*).
    Date(NaiveDate),
    /// Done or not (*realizzato sì/no*).
    Bool(bool),
}

impl fmt::Display for Measure {
    /// Italian display: `1.234,5`, `85,5%`, `15/09/2020`, `sì`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Measure::Number(n) => f.write_str(&format_it(n.normalize(), 0)),
            Measure::Percent(p) => write!(f, "{}%", format_it(p.normalize(), 0)),
            Measure::Date(d) => f.write_str(&date_it(*d)),
            Measure::Bool(true) => f.write_str("sì"),
            Measure::Bool(false) => f.write_str("no"),
        }
    }
}

/// Why a measured value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeasureError {
    #[error("valore misurato vuoto")]
    Empty,
    #[error("valore misurato non leggibile \"{0}\": atteso un numero, una percentuale, una data o sì/no")]
    Unreadable(String),
    #[error("data inesistente \"{0}\"")]
    NoSuchDate(String),
}

/// Reads a measured value (see the module docs).
pub fn read_measure(text: &str) -> Result<Measure, MeasureError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(MeasureError::Empty);
    }
    let lower = t.to_lowercase();
    match lower.as_str() {
        "sì" | "si" | "sí" | "si'" | "x" | "vero" => return Ok(Measure::Bool(true)),
        "no" | "falso" => return Ok(Measure::Bool(false)),
        _ => {}
    }
    if let Some(body) = t.strip_suffix('%') {
        return signed_number(body.trim())
            .map(Measure::Percent)
            .ok_or_else(|| MeasureError::Unreadable(t.to_string()));
    }
    if let Some(n) = signed_number(t) {
        return Ok(Measure::Number(n));
    }
    if let Some((d, _)) = parse_written_date(t) {
        return Ok(Measure::Date(d));
    }
    if looks_like_date(t) {
        return Err(MeasureError::NoSuchDate(t.to_string()));
    }
    Err(MeasureError::Unreadable(t.to_string()))
}

/// Reads a starting value (*valore iniziale*) as written: a number or a percentage (`40`,
/// `1.234,5`, `12%`), with whether it is a percentage. The `Err` says in Italian what to
/// write.
pub fn read_baseline(text: &str) -> Result<(Decimal, bool), String> {
    match read_measure(text) {
        Ok(Measure::Number(b)) => Ok((b, false)),
        Ok(Measure::Percent(b)) => Ok((b, true)),
        _ => Err(format!(
            "valore iniziale \"{}\" non leggibile: atteso un numero (es. 40 o 1.234,5) o una percentuale (es. 12%)",
            text.trim()
        )),
    }
}

fn signed_number(s: &str) -> Option<Decimal> {
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let mut n = parse_italian_number(body)?;
    if negative && !n.is_zero() {
        n.set_sign_negative(true);
    }
    Some(n)
}

/// Three groups of digits separated by the same `/`, `.` or `-`: a date that does not exist.
fn looks_like_date(s: &str) -> bool {
    ['/', '.', '-'].iter().any(|&sep| {
        let parts: Vec<&str> = s.split(sep).collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
    })
}
