//! Service in the fund year (*periodo di servizio*): calendar days in post and the service
//! fraction t as an exact ratio of whole numbers, by days or by months with the 15-day rule.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::rules::ServiceFraction;

/// The part of the year served (*frazione di anno*), kept as `units / per_year` so that
/// amounts are computed as `yearly × units / per_year` with no intermediate rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// Calendar days in post, both ends included.
    pub days: i64,
    /// Days counted (by days) or months counted (by months).
    pub units: i64,
    /// Days of the year (365 or 366) or 12.
    pub per_year: i64,
}

impl Service {
    /// The service fraction t = units / per_year (exact to 28 digits, for display).
    pub fn fraction(self) -> Decimal {
        Decimal::from(self.units)
            .checked_div(Decimal::from(self.per_year))
            .unwrap_or(Decimal::ZERO)
    }

    /// `amount × units / per_year`, exact to 28 digits; `None` on overflow.
    pub fn apply(self, amount: Decimal) -> Option<Decimal> {
        amount
            .checked_mul(Decimal::from(self.units))?
            .checked_div(Decimal::from(self.per_year))
    }
}

/// First and last day of a year; `None` for a year chrono cannot represent.
pub fn year_bounds(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(year, 1, 1)?,
        NaiveDate::from_ymd_opt(year, 12, 31)?,
    ))
}

/// 365, or 366 in a leap year.
pub fn days_in_year(year: i32) -> i64 {
    if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    }
}

/// Days of `start..=end` (0 if empty).
pub fn days_between(start: NaiveDate, end: NaiveDate) -> i64 {
    (end - start).num_days().saturating_add(1).max(0)
}

/// The service of a period already known to lie within `year` with `start <= end`.
pub fn service(start: NaiveDate, end: NaiveDate, year: i32, how: ServiceFraction) -> Service {
    let days = days_between(start, end);
    match how {
        ServiceFraction::Days365 => Service {
            days,
            units: days,
            per_year: days_in_year(year),
        },
        ServiceFraction::Months15 => {
            let mut months = 0;
            for m in 1..=12u32 {
                let Some(first) = NaiveDate::from_ymd_opt(year, m, 1) else {
                    continue;
                };
                let last = match m {
                    12 => NaiveDate::from_ymd_opt(year, 12, 31),
                    _ => NaiveDate::from_ymd_opt(year, m + 1, 1).and_then(|d| d.pred_opt()),
                };
                let Some(last) = last else { continue };
                let covered = days_between(start.max(first), end.min(last));
                let whole = i64::from(last.day());
                if covered == whole || covered > 15 {
                    months += 1;
                }
            }
            Service {
                days,
                units: months,
                per_year: 12,
            }
        }
    }
}

/// True when `start..=end` is a non-empty period within `year`.
pub fn within_year(start: NaiveDate, end: NaiveDate, year: i32) -> bool {
    match year_bounds(year) {
        Some((first, last)) => start <= end && start >= first && end <= last,
        None => false,
    }
}
