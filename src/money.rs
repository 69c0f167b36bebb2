//! Money and percentages: euro amounts as exact decimals, the one rounding function, and the
//! parsing and formatting of amounts written the Italian way or plainly.
//!
//! Accepted amount spellings (after trimming spaces and an optional `€`/`EUR` before or after):
//! - Italian: `847.231,25`, `847231,25`, `1.200,5`, `1.234.567` (dot groups of exactly three
//!   digits, decimal comma with one or two digits);
//! - plain: `847231.25`, `847231`, `0.5` (no thousands separator, decimal dot with one or two
//!   digits);
//! - an optional leading `-` (validation decides whether a negative amount is allowed).
//!
//! Rejected: a single separator followed by exactly three digits after one to three digits
//! (`1.200`, `1,500`), because it reads both as thousands and as three decimals; more than two
//! decimals; `,` as thousands separator (`1,234.56`); exponents, spaces inside the number,
//! anything else.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounding strategy (*criterio di arrotondamento*). Half-up to the cent is the default, as in
/// Reg. CE 1103/97 art. 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rounding {
    /// `commerciale`: half away from zero (0,005 → 0,01).
    #[default]
    HalfUp,
    /// `bancario`: half to even (0,005 → 0,00; 0,015 → 0,02).
    HalfEven,
    /// `troncamento`: towards zero.
    Down,
}

impl Rounding {
    /// The rules-file name of the strategy.
    pub fn key(self) -> &'static str {
        match self {
            Rounding::HalfUp => "commerciale",
            Rounding::HalfEven => "bancario",
            Rounding::Down => "troncamento",
        }
    }

    /// Reads a rules-file name.
    pub fn from_key(s: &str) -> Option<Rounding> {
        match s {
            "commerciale" => Some(Rounding::HalfUp),
            "bancario" => Some(Rounding::HalfEven),
            "troncamento" => Some(Rounding::Down),
            _ => None,
        }
    }

    /// Italian description for reports and calculation sheets.
    pub fn describe(self) -> &'static str {
        match self {
            Rounding::HalfUp => "arrotondamento commerciale (metà per eccesso)",
            Rounding::HalfEven => "arrotondamento bancario (metà al pari)",
            Rounding::Down => "troncamento",
        }
    }

    /// `"<describe> al centesimo"`, fixed: the trail repeats it for every figure.
    pub fn per_cent(self) -> &'static str {
        match self {
            Rounding::HalfUp => "arrotondamento commerciale (metà per eccesso) al centesimo",
            Rounding::HalfEven => "arrotondamento bancario (metà al pari) al centesimo",
            Rounding::Down => "troncamento al centesimo",
        }
    }
}

/// The one rounding function: every rounding of the engine goes through here.
pub fn round(value: Decimal, decimals: u32, mode: Rounding) -> Decimal {
    if let Some(r) = round_small(value, decimals, mode) {
        return r;
    }
    let strategy = match mode {
        Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
        Rounding::Down => RoundingStrategy::ToZero,
    };
    value.round_dp_with_strategy(decimals, strategy)
}

/// [`round`] on integers, for a value of a 64-bit mantissa and at most 18 decimals to drop
/// (the scores and amounts of a year): the same decimal, sign and scale as
/// `round_dp_with_strategy` gives, without its general arithmetic (`None` beyond).
#[inline]
fn round_small(value: Decimal, decimals: u32, mode: Rounding) -> Option<Decimal> {
    let scale = value.scale();
    if scale <= decimals {
        return Some(value);
    }
    let drop = scale - decimals;
    // A zero is left to the decimal rounding, which keeps the sign of a `-0`.
    let m = i64::try_from(value.mantissa()).ok().filter(|&m| m != 0)?;
    let unit = 10i64.checked_pow(drop)?;
    let (q, r) = (m / unit, (m % unit).unsigned_abs());
    let half = (unit / 2).unsigned_abs();
    let away = match mode {
        Rounding::Down => false,
        Rounding::HalfUp => r >= half,
        Rounding::HalfEven => r > half || (r == half && q % 2 != 0),
    };
    let q = if away { q + m.signum() } else { q };
    Some(Decimal::new(q, decimals))
}

/// A euro amount with at most two decimals (*importo in euro*). Negative values exist only as
/// results (a differenza, an excess over a cap); inputs are validated non-negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Rounds an exact value to the cent with the given strategy.
    pub fn from_exact(value: Decimal, mode: Rounding) -> Money {
        Money::normalized(round(value, 2, mode))
    }

    /// An amount already at the cent (e.g. a sum of amounts). Returns `None` if it has more
    /// than two decimals.
    pub fn from_cents_decimal(value: Decimal) -> Option<Money> {
        (value.normalize().scale() <= 2).then(|| Money::normalized(value))
    }

    /// A constant amount from cents (up to 42.949.672,95), for parameters in the code.
    pub const fn from_cents_const(cents: u32) -> Money {
        Money(Decimal::from_parts(cents, 0, 0, false, 2))
    }

    /// From a whole number of cents.
    pub fn from_cents(cents: i64) -> Money {
        Money::normalized(Decimal::new(cents, 2))
    }

    fn normalized(mut value: Decimal) -> Money {
        value.rescale(2);
        if value.is_zero() {
            value.set_sign_positive(true);
        }
        Money(value)
    }

    pub fn value(self) -> Decimal {
        self.0
    }

    /// The amount in cents; `None` only beyond ±9·10¹⁸ cents.
    pub fn cents(self) -> Option<i64> {
        // Every amount but the very largest is kept at scale 2: its mantissa is its cents.
        if self.0.scale() == 2 {
            return i64::try_from(self.0.mantissa()).ok();
        }
        let mut d = self.0;
        d.rescale(2);
        i64::try_from(d.mantissa()).ok()
    }

    /// More than zero (without a comparison of decimals).
    pub fn is_positive(self) -> bool {
        !self.0.is_sign_negative() && !self.0.is_zero()
    }

    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        // Amounts are kept at the cent: added as integer cents, the same result as the
        // decimal sum rescaled, without its general alignment of scales.
        if let (Some(a), Some(b)) = (self.cents(), other.cents()) {
            if let Some(c) = a.checked_add(b) {
                return Some(Money(Decimal::new(c, 2)));
            }
        }
        self.0.checked_add(other.0).map(Money::normalized)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        if let (Some(a), Some(b)) = (self.cents(), other.cents()) {
            if let Some(c) = a.checked_sub(b) {
                return Some(Money(Decimal::new(c, 2)));
            }
        }
        self.0.checked_sub(other.0).map(Money::normalized)
    }

    /// Sum of many amounts; `None` on overflow.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(items: I) -> Option<Money> {
        // Added as integer cents while they fit (the same result as the decimal sum), then
        // as decimals.
        let mut cents: i64 = 0;
        let mut items = items.into_iter().peekable();
        // No amount: the zero the decimal sum starts from.
        if items.peek().is_none() {
            return Some(Money::ZERO);
        }
        while let Some(m) = items.next() {
            match m.cents().and_then(|c| cents.checked_add(c)) {
                Some(c) => cents = c,
                None => {
                    let acc = Money::from_cents(cents).checked_add(m)?;
                    return items.try_fold(acc, |a, m| a.checked_add(m));
                }
            }
        }
        Some(Money::from_cents(cents))
    }

    /// Italian display: `847.231,25`.
    pub fn it(self) -> String {
        format_it(self.0, 2)
    }

    /// Plain display for JSON: `847231.25`.
    pub fn plain(self) -> String {
        let mut d = self.0;
        d.rescale(2);
        d.to_string()
    }
}

impl fmt::Display for Money {
    /// Italian display, as [`Money::it`], without an intermediate string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_it(self.0, 2, f)
    }
}

/// Formats a decimal the Italian way with exactly `decimals` decimals (no rounding here: the
/// value must already have at most that many decimals, or it is shown with more).
pub fn format_it(value: Decimal, decimals: u32) -> String {
    let mut out = String::with_capacity(24);
    // Writing into a String cannot fail.
    let _ = write_it(value, decimals, &mut out);
    out
}

/// Writes a decimal the Italian way, as [`format_it`], without allocating: the engine's trail
/// formats hundreds of thousands of amounts.
pub fn write_it<W: fmt::Write>(value: Decimal, decimals: u32, out: &mut W) -> fmt::Result {
    let mut d = value;
    if d.scale() < decimals {
        d.rescale(decimals);
    }
    let negative = d.is_sign_negative() && !d.is_zero();
    let scale = d.scale() as usize;
    // The digits of the mantissa, least significant first; at least one before the comma.
    let mut m = d.mantissa().unsigned_abs();
    let mut digits = [0u8; 64];
    let mut n = 0;
    loop {
        digits[n] = b'0' + (m % 10) as u8;
        n += 1;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    while n < scale + 1 {
        digits[n] = b'0';
        n += 1;
    }
    let int_len = n - scale;
    if negative {
        out.write_char('-')?;
    }
    for i in 0..int_len {
        if i > 0 && (int_len - i) % 3 == 0 {
            out.write_char('.')?;
        }
        out.write_char(char::from(digits[n - 1 - i]))?;
    }
    if scale > 0 {
        out.write_char(',')?;
        for i in int_len..n {
            out.write_char(char::from(digits[n - 1 - i]))?;
        }
    }
    Ok(())
}

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
    let dots = body.matches('.').count();
    let commas = body.matches(',').count();
    // (integer digits, fraction digits)
    let (int, frac): (String, String) = match (dots, commas) {
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
                    text,
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
    };
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

/// A percentage as a number of hundredths (*percentuale*): `73,45%` is `Percent(73.45)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent(Decimal);

impl Percent {
    pub const HUNDRED: Percent = Percent(Decimal::ONE_HUNDRED);

    pub fn new(value: Decimal) -> Percent {
        Percent(value)
    }

    pub fn value(self) -> Decimal {
        self.0
    }

    /// Italian display with the given decimals, without the `%` sign: `73,45`.
    pub fn it(self, decimals: u32) -> String {
        format_it(self.0, decimals)
    }

    /// Plain display for JSON: `73.45`.
    pub fn plain(self) -> String {
        self.0.to_string()
    }
}

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
    Ok(Percent(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_positive_and_two_decimals() {
        assert_eq!(
            Money::from_exact(Decimal::new(-1, 3), Rounding::HalfUp).plain(),
            "0.00"
        );
    }
}
