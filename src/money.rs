//! Money and percentages: euro amounts as exact decimals (*importi*), the one rounding
//! function with its named strategies, and the Italian display of amounts, numbers and
//! dates. Reading them as written is `crate::parse`'s.

use std::fmt;

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

    /// An exact amount of at most two decimals, at the cent's scale (`-0` as `0`).
    pub(crate) fn normalized(mut value: Decimal) -> Money {
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

/// A date as Italian documents write it: `31/12/2019`.
pub fn date_it(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
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
