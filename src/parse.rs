//! How Italian offices write numbers, amounts, percentages and dates, and the one place
//! they are read: amounts (`847.231,25`, `847231.25`, the bare numbers of a TOML file),
//! percentages (`73,45%`), the plain numbers and dates of a CSV export's cells, and the
//! numbers, dates and month names of the free text of a PEG sheet. Every reading is exact
//! (no `f64`) and refuses what it cannot read with certainty.
//!
//! Amounts (`parse_amount`), after trimming spaces and an optional `€`/`EUR` before or after:
//! - Italian: `847.231,25`, `847231,25`, `1.200,5`, `1.234.567` (dot groups of exactly three
//!   digits, decimal comma with one or two digits);
//! - plain: `847231.25`, `847231`, `0.5` (no thousands separator, decimal dot with one or two
//!   digits);
//! - an optional leading `-` (validation decides whether a negative amount is allowed).
//!
//! A single separator followed by exactly three digits after one to three digits (`1.200`,
//! `1,500`) is refused as ambiguous: it reads both as thousands and as three decimals.
//!
//! Numbers of a CSV cell (`parse_number`: weights, scores, percentages, points): a decimal
//! comma or dot, no thousands separator. Numbers of a PEG sheet (`parse_italian_number`):
//! digits with `.` and `,` only, starting and ending with a digit.
//! - a comma is always the decimal separator (`15,00`, `1,5`, `1.234,5`); dots before it must
//!   be thousands groups of three digits;
//! - dots only: a single dot followed by exactly three digits is a thousands separator, as in
//!   Italian (`1.200` = 1200, `500.000` = 500000); several dots must all be thousands groups
//!   (`1.234.567`); a single dot followed by one, two or four or more digits is a decimal dot
//!   (`1234.5`, `0.25`);
//! - `1,234.5` (English thousands) is refused.
//!
//! Dates: a CSV cell (`parse_date`) as `dd/mm/yyyy`, `dd/mm/yy`, `dd-mm-yyyy`, `dd.mm.yyyy` or
//! ISO `yyyy-mm-dd`; a PEG sheet's text (`parse_written_date`) also with month names
//! (`15-set-20`, `set-19` for the end of the month), and a day and month without the year
//! (`parse_day_month`: `30/06`, `30.06`, `15-set`), which a deadline reads in the fund's year.
//! Two-digit years are 20yy; every date is validated (no 31/02).

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::money::{format_it, Money, Percent};

// Amounts.

/// Why an amount string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("importo vuoto")]
    Empty,
    #[error(
        "importo ambiguo \"{text}\": può valere {thousands} (separatore delle migliaia) oppure {decimal} (separatore decimale con tre decimali); scrivere {suggestion} o l'importo con due decimali"
    )]
    Ambiguous {
        text: String,
        thousands: String,
        decimal: String,
        suggestion: String,
    },
    #[error("importo \"{text}\" con {decimals} decimali: gli importi in euro hanno al massimo due decimali")]
    TooManyDecimals { text: String, decimals: usize },
    #[error("importo \"{text}\" troppo grande")]
    Overflow { text: String },
    #[error("importo non valido \"{text}\": {hint}")]
    Invalid { text: String, hint: &'static str },
}

const AMOUNT_HINT: &str =
    "atteso un importo come 847.231,25 oppure 847231.25 (eventualmente preceduto da €)";

/// Strips spaces and an optional euro sign (`€` or `EUR`) before or after the number.
fn strip_currency(raw: &str) -> &str {
    let mut s = raw.trim_matches(|c: char| c.is_whitespace());
    for sym in ["€", "EUR", "eur", "Eur"] {
        if let Some(rest) = s.strip_prefix(sym) {
            s = rest.trim_start();
        }
        if let Some(rest) = s.strip_suffix(sym) {
            s = rest.trim_end();
        }
    }
    s
}

/// Parses an amount written the Italian way or plainly (see the module docs).
pub fn parse_amount(raw: &str) -> Result<Money, AmountError> {
    match common_amount(strip_currency(raw)) {
        Some(m) => Ok(m),
        None => parse_amount_general(raw),
    }
}

/// [`parse_amount`] the general way, for every text: what it does for the amounts out of
/// the common forms, and the reference its faster reading of those is tested against.
pub fn parse_amount_general(raw: &str) -> Result<Money, AmountError> {
    let s = strip_currency(raw);
    let text = raw.trim().to_string();
    if s.is_empty() {
        return Err(AmountError::Empty);
    }
    let invalid = || AmountError::Invalid {
        text: text.clone(),
        hint: AMOUNT_HINT,
    };
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s),
    };
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(invalid());
    }
    if !body.starts_with(|c: char| c.is_ascii_digit())
        || !body.ends_with(|c: char| c.is_ascii_digit())
    {
        return Err(invalid());
    }
    let (int, frac) = integer_and_fraction(body, negative, &text)?;
    if frac.len() > 2 {
        return Err(AmountError::TooManyDecimals {
            text,
            decimals: frac.len(),
        });
    }
    let literal = if frac.is_empty() {
        int
    } else {
        format!("{int}.{frac}")
    };
    let mut d = Decimal::from_str_exact(&literal)
        .map_err(|_| AmountError::Overflow { text: text.clone() })?;
    // Keep a margin so that sums of many amounts cannot overflow the 96-bit mantissa.
    if d.abs() > Decimal::from(1_000_000_000_000_000_i64) {
        return Err(AmountError::Overflow { text });
    }
    if negative {
        d.set_sign_negative(true);
    }
    Ok(Money::normalized(d))
}

/// The integer digits and the fraction digits of an amount's body (digits, dots and commas,
/// a digit at each end): thousands dots dropped, an ambiguous single separator refused.
fn integer_and_fraction(
    body: &str,
    negative: bool,
    text: &str,
) -> Result<(String, String), AmountError> {
    let invalid = || AmountError::Invalid {
        text: text.to_string(),
        hint: AMOUNT_HINT,
    };
    let dots = body.matches('.').count();
    let commas = body.matches(',').count();
    Ok(match (dots, commas) {
        (0, 0) => (body.to_string(), String::new()),
        (_, 0) if dots > 1 => (italian_int(body).ok_or_else(invalid)?, String::new()),
        (1, 0) | (0, 1) => {
            let sep = if dots == 1 { '.' } else { ',' };
            let (i, f) = body.split_once(sep).ok_or_else(invalid)?;
            if f.len() == 3 && (1..=3).contains(&i.len()) {
                let thousands = format!("{i}{f}");
                let th = Decimal::from_str_exact(&thousands).map_err(|_| invalid())?;
                let dec = Decimal::from_str_exact(&format!("{i}.{f}")).map_err(|_| invalid())?;
                let sign = if negative { "-" } else { "" };
                return Err(AmountError::Ambiguous {
                    text: text.to_string(),
                    thousands: format!("{sign}{}", format_it(th, 2)),
                    decimal: format!("{sign}{}", format_it(dec, 3)),
                    suggestion: format!("\"{sign}{}\"", format_it(th, 2)),
                });
            }
            (i.to_string(), f.to_string())
        }
        (_, 1) => {
            // Italian with thousands dots: the dots must all come before the comma.
            let (i, f) = body.split_once(',').ok_or_else(invalid)?;
            if f.contains('.') {
                return Err(invalid());
            }
            (italian_int(i).ok_or_else(invalid)?, f.to_string())
        }
        _ => return Err(invalid()),
    })
}

/// The amounts of a payroll export (`31.500,00`, `31500,5`, `31500.00`, `-120`), read
/// without building any text: digits, thousands dots in groups of three before a decimal
/// comma, or one decimal separator followed by one or two digits. `None` for anything else,
/// which [`parse_amount`] reads or refuses the general way (an ambiguous `1.234` has three
/// decimals, so it never gets here); where both read an amount, they read the same.
fn common_amount(s: &str) -> Option<Money> {
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s),
    };
    let b = body.as_bytes();
    let comma = b.iter().position(|&c| c == b',');
    let (int, frac) = match comma {
        Some(p) => (&b[..p], &b[p + 1..]),
        // Without a comma, at most one dot, the decimal point.
        None => match b.iter().position(|&c| c == b'.') {
            Some(p) => (&b[..p], &b[p + 1..]),
            None => (b, &b[..0]),
        },
    };
    if (int.len() < b.len() && frac.is_empty()) || frac.len() > 2 {
        return None;
    }
    let mut units: i64 = 0;
    let mut digits = 0;
    // Digits since the last thousands dot (`None` before the first dot).
    let mut group: Option<usize> = None;
    for &c in int {
        match c {
            b'0'..=b'9' => {
                units = units * 10 + i64::from(c - b'0');
                digits += 1;
                if let Some(g) = &mut group {
                    *g += 1;
                }
            }
            // Thousands dots only before a comma: 1-3 digits, then groups of three.
            b'.' if comma.is_some() => {
                match group {
                    None if (1..=3).contains(&digits) => {}
                    Some(3) => {}
                    _ => return None,
                }
                group = Some(0);
            }
            _ => return None,
        }
        // Up to 15 digits, under the general reading's bound of 10^15.
        if digits > 15 {
            return None;
        }
    }
    if digits == 0 || group.is_some_and(|g| g != 3) {
        return None;
    }
    let mut cents = units * 100;
    for (&c, scale) in frac.iter().zip([10, 1]) {
        if !c.is_ascii_digit() {
            return None;
        }
        cents += i64::from(c - b'0') * scale;
    }
    Some(Money::from_cents(if negative { -cents } else { cents }))
}

/// `1.234.567` → `1234567`; `None` unless the groups are 1-3 digits then exactly 3 each.
fn italian_int(s: &str) -> Option<String> {
    let groups: Vec<&str> = s.split('.').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    (first_ok && rest_ok && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit())))
        .then(|| groups.concat())
}

/// Parses a plain decimal number written in TOML (`847231.25`, `847_231`): the raw source
/// text of a bare TOML number, never its float value.
pub fn parse_plain_amount(raw: &str) -> Result<Money, AmountError> {
    let text = raw.trim().to_string();
    let cleaned: String = text.chars().filter(|&c| c != '_').collect();
    let (negative, body) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, cleaned.trim_start_matches('+').to_string()),
    };
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(AmountError::Invalid {
            text,
            hint: "un numero TOML deve essere scritto in forma decimale, come 847231.25",
        });
    }
    let decimals = body.split_once('.').map_or(0, |(_, f)| f.len());
    if decimals > 2 {
        return Err(AmountError::TooManyDecimals { text, decimals });
    }
    let mut d =
        Decimal::from_str_exact(&body).map_err(|_| AmountError::Overflow { text: text.clone() })?;
    if d.abs() > Decimal::from(1_000_000_000_000_000_i64) {
        return Err(AmountError::Overflow { text });
    }
    if negative {
        d.set_sign_negative(true);
    }
    Ok(Money::normalized(d))
}

// Percentages.

/// Why a percentage string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PercentError {
    #[error("percentuale non valida \"{0}\": attesa una percentuale come 73,45% (al massimo sei decimali)")]
    Invalid(String),
}

/// Parses `73,45%`, `73.45 %`, `73,45` (decimal comma or dot, no thousands separator, at most
/// six decimals).
pub fn parse_percent(raw: &str) -> Result<Percent, PercentError> {
    let text = raw.trim();
    let s = text.strip_suffix('%').unwrap_or(text).trim();
    let invalid = || PercentError::Invalid(text.to_string());
    if s.is_empty() || s.matches([',', '.']).count() > 1 {
        return Err(invalid());
    }
    let normalized = s.replace(',', ".");
    let (neg, body) = match normalized.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, normalized.as_str()),
    };
    if body.is_empty()
        || !body.chars().all(|c| c.is_ascii_digit() || c == '.')
        || body.starts_with('.')
        || body.ends_with('.')
    {
        return Err(invalid());
    }
    if body
        .split_once('.')
        .is_some_and(|(i, f)| f.len() > 6 || i.len() > 6)
        || body.len() > 13
    {
        return Err(invalid());
    }
    let mut d = Decimal::from_str(body).map_err(|_| invalid())?;
    if neg {
        d.set_sign_negative(true);
    }
    Ok(Percent::new(d))
}

// The numbers and dates of a CSV cell.

/// Most weights and scores are a few digits and nothing else: their value.
#[inline]
pub(crate) fn digits(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if !b.is_empty() && b.len() <= 9 && b.iter().all(u8::is_ascii_digit) {
        return Some(
            b.iter()
                .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0')),
        );
    }
    None
}

/// A plain decimal number with a decimal comma or dot and no thousands separator (weights,
/// scores, percentages, points). `NaN`, `inf` and exponents are refused.
pub fn parse_number(s: &str) -> Option<Decimal> {
    if let Some(n) = digits(s) {
        return Some(Decimal::from(n));
    }
    let t = s.trim().trim_end_matches('%').trim();
    if let Some(d) = plain_number(t) {
        return Some(d);
    }
    if t.is_empty() || t.matches([',', '.']).count() > 1 {
        return None;
    }
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t),
    };
    let body = body.replace(',', ".");
    if body.is_empty()
        || body.starts_with('.')
        || body.ends_with('.')
        || !body.chars().all(|c| c.is_ascii_digit() || c == '.')
        || body.len() > 20
    {
        return None;
    }
    let mut d = Decimal::from_str_exact(&body).ok()?;
    if neg {
        d.set_sign_negative(true);
    }
    Some(d)
}

/// The common case of [`parse_number`] without allocating: digits, at most one `,` or `.`
/// between digits, at most 18 digits. The same value and scale as `Decimal::from_str_exact`.
fn plain_number(t: &str) -> Option<Decimal> {
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t),
    };
    let bytes = body.as_bytes();
    if bytes.is_empty() || bytes.len() > 19 {
        return None;
    }
    let mut mantissa: i64 = 0;
    let mut scale = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => mantissa = mantissa * 10 + i64::from(b - b'0'),
            b',' | b'.' if scale.is_none() && i > 0 && i + 1 < bytes.len() => {
                scale = Some(bytes.len() - i - 1);
            }
            _ => return None,
        }
    }
    let digits = bytes.len() - usize::from(scale.is_some());
    if digits > 18 {
        return None;
    }
    let mut d = Decimal::new(mantissa, scale.unwrap_or(0) as u32);
    if neg {
        d.set_sign_negative(true);
    }
    Some(d)
}

/// Dates as Italian exports write them; two-digit years are 20yy.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    // The common `dd/mm/yyyy`, read without the general parser (same result).
    let b = t.as_bytes();
    if b.len() == 10
        && b[2] == b'/'
        && b[5] == b'/'
        && [0, 1, 3, 4, 6, 7, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
    {
        let n = |r: std::ops::Range<usize>| {
            b[r].iter()
                .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'))
        };
        return NaiveDate::from_ymd_opt(n(6..10) as i32, n(3..5), n(0..2));
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let day: u32 = parts[0].parse().ok()?;
    let month: u32 = parts[1].parse().ok()?;
    let year: i32 = match parts[2].len() {
        2 => 2000 + parts[2].parse::<i32>().ok()?,
        4 => parts[2].parse().ok()?,
        _ => return None,
    };
    if parts[0].len() > 2 || parts[1].len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

// The numbers, dates and month names of a PEG sheet's free text.

/// Italian month names, full and abbreviated (index 0 = January).
const MONTHS: [(&str, &str); 12] = [
    ("gennaio", "gen"),
    ("febbraio", "feb"),
    ("marzo", "mar"),
    ("aprile", "apr"),
    ("maggio", "mag"),
    ("giugno", "giu"),
    ("luglio", "lug"),
    ("agosto", "ago"),
    ("settembre", "set"),
    ("ottobre", "ott"),
    ("novembre", "nov"),
    ("dicembre", "dic"),
];

/// Month number (1-12) of an Italian month name, full (`ottobre`) or abbreviated (`ott`,
/// `ott.`, `sett`). Case-insensitive.
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    let w = if w == "sett" { "set" } else { w };
    MONTHS
        .iter()
        .position(|(full, abbr)| w == *full || w == *abbr)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The full Italian name of a month (1-12), for explanations.
pub fn month_name(month: u32) -> &'static str {
    usize::try_from(month)
        .ok()
        .and_then(|m| m.checked_sub(1))
        .and_then(|i| MONTHS.get(i))
        .map_or("?", |(full, _)| full)
}

/// Reads a number as a PEG sheet writes it, the Italian way or plainly (see the module docs). `None` if it is
/// not a clean number.
pub fn parse_italian_number(s: &str) -> Option<Decimal> {
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        || !s.starts_with(|c: char| c.is_ascii_digit())
        || !s.ends_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let literal = match (dots, commas) {
        (0, 0) => s.to_string(),
        (_, 1) => {
            let (int, frac) = s.split_once(',')?;
            if frac.contains('.') {
                return None;
            }
            let int = if dots > 0 {
                italian_int(int)?
            } else {
                int.to_string()
            };
            format!("{int}.{frac}")
        }
        (1, 0) => {
            let (_, frac) = s.split_once('.')?;
            if frac.len() == 3 {
                italian_int(s)?
            } else {
                s.to_string()
            }
        }
        (_, 0) => italian_int(s)?,
        _ => return None,
    };
    Decimal::from_str_exact(&literal).ok()
}

/// A year written with two digits (20yy) or four.
fn year(s: &str) -> Option<i32> {
    if !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let y: i32 = s.parse().ok()?;
    match s.len() {
        2 => Some(2000 + y),
        4 => Some(y),
        _ => None,
    }
}

fn small(s: &str) -> Option<u32> {
    if (1..=2).contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// The last day of a month.
pub fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month.checked_add(1)?, 1)?
    };
    NaiveDate::from_ymd_opt(year, month, 1)?;
    first_of_next.pred_opt()
}

/// How a date was written, for the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    /// A full day, month and year.
    Day,
    /// Only a month: the date is its last day.
    EndOfMonth,
}

/// Reads one token as a date: `31/12/2020`, `31/5/20`, `31.07.20`, `31-12-2020`, ISO
/// `2020-12-31`, `15-set-20`, `set-19` (end of month). `None` if it is not a date or the date
/// does not exist.
pub fn parse_written_date(token: &str) -> Option<(NaiveDate, DateForm)> {
    let t = token.trim().to_lowercase();
    // ISO yyyy-mm-dd
    let parts: Vec<&str> = t.split('-').collect();
    if parts.len() == 3 && parts[0].len() == 4 {
        let y = year(parts[0])?;
        let m = small(parts[1])?;
        let d = small(parts[2])?;
        return NaiveDate::from_ymd_opt(y, m, d).map(|x| (x, DateForm::Day));
    }
    for sep in ['/', '.', '-'] {
        let parts: Vec<&str> = t.split(sep).collect();
        match parts.as_slice() {
            [d, m, y] => {
                let Some(day) = small(d) else { continue };
                let y = year(y)?;
                if let Some(month) = small(m) {
                    return NaiveDate::from_ymd_opt(y, month, day).map(|x| (x, DateForm::Day));
                }
                if sep == '-' {
                    let month = month_number(m)?;
                    return NaiveDate::from_ymd_opt(y, month, day).map(|x| (x, DateForm::Day));
                }
                return None;
            }
            [m, y] if sep == '-' => {
                if let (Some(month), Some(y)) = (month_number(m), year(y)) {
                    return end_of_month(y, month).map(|x| (x, DateForm::EndOfMonth));
                }
            }
            _ => {}
        }
    }
    None
}

/// Reads one token as a day and a month without a year, as a deadline is written in the
/// fund's year: `30/06`, `30.06`, `30-06`, `15-set`. `None` for anything else; whether the
/// day exists is for the year to say.
pub fn parse_day_month(token: &str) -> Option<(u32, u32)> {
    let t = token.trim().to_lowercase();
    for sep in ['/', '.', '-'] {
        if let [d, m] = t.split(sep).collect::<Vec<_>>().as_slice() {
            let day = small(d).filter(|d| (1..=31).contains(d))?;
            let month = small(m)
                .or_else(|| (sep != '.').then(|| month_number(m)).flatten())
                .filter(|m| (1..=12).contains(m))?;
            return Some((day, month));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let n = |s: &str| parse_italian_number(s).map(|d| d.normalize().to_string());
        assert_eq!(n("1.200").as_deref(), Some("1200"));
        assert_eq!(n("1.234,5").as_deref(), Some("1234.5"));
        assert_eq!(n("1234.5").as_deref(), Some("1234.5"));
        assert_eq!(n("15,00").as_deref(), Some("15"));
        assert_eq!(n("1,234.5"), None);
        assert_eq!(n("12.34.5"), None);
    }

    #[test]
    fn dates() {
        let d = |s: &str| parse_written_date(s).map(|(d, _)| crate::money::date_it(d));
        assert_eq!(d("31.07.20").as_deref(), Some("31/07/2020"));
        assert_eq!(d("set-19").as_deref(), Some("30/09/2019"));
        assert_eq!(d("feb-24").as_deref(), Some("29/02/2024"));
        assert_eq!(d("31/02/2020"), None);
        assert_eq!(d("2020-12-31").as_deref(), Some("31/12/2020"));
    }

    #[test]
    fn days_without_year() {
        assert_eq!(parse_day_month("30/06"), Some((30, 6)));
        assert_eq!(parse_day_month("30.06"), Some((30, 6)));
        assert_eq!(parse_day_month("15-set"), Some((15, 9)));
        assert_eq!(parse_day_month("1/1"), Some((1, 1)));
        assert_eq!(parse_day_month("32/01"), None);
        assert_eq!(parse_day_month("30/13"), None);
        assert_eq!(parse_day_month("15.set"), None);
        assert_eq!(parse_day_month("30/06/2023"), None);
        assert_eq!(parse_day_month("1.200"), None);
    }
}
