//! Service in the fund year (*periodo di servizio*): calendar days in post and the service
//! fraction t as an exact ratio of whole numbers, by the declared rule: calendar days over the
//! year's days, days over 365 always, the commercial year of 360 days, or months with the
//! 15-day rule; from the dates, or from the days payroll gives (`giorni`).

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::error::{period_within, PayError};
use super::rules::ServiceFraction;
use crate::money::date_it;

/// The part of the year served (*frazione di anno*), kept as `units / per_year` so that
/// amounts are computed as `yearly × units / per_year` with no intermediate rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// Calendar days in post, both ends included, or the days given (`giorni`).
    pub days: i64,
    /// Days counted (by days) or months counted (by months).
    pub units: i64,
    /// Days of the year (365 or 366), 365, 360 or 12.
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

/// Why a row's service cannot be counted: the column to point at and what to write, in
/// Italian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceProblem {
    pub column: &'static str,
    pub message: String,
}

/// The service of a row of `dirigenti.csv` or `interim.csv` under the rule: from its dates
/// (`inizio`, `fine`, already within the year), or from its days (`giorni`, as payroll
/// counts them); both given, the days must be the dates' days under the rule.
pub fn served(
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    days: Option<i64>,
    year: i32,
    how: ServiceFraction,
) -> Result<Service, ServiceProblem> {
    let problem = |column, message| Err(ServiceProblem { column, message });
    let limit = day_limit(year, how);
    if let Some(g) = days.filter(|&g| g < 0 || g > limit) {
        return problem(
            "giorni",
            format!(
                "{g} giorni fuori dall'anno {year}: con servizio = \"{}\" i giorni vanno da 0 a {limit}; indicare al massimo {limit}",
                how.key()
            ),
        );
    }
    match (start, end, days) {
        (Some(s), Some(e), given) => {
            let svc = service(s, e, year, how);
            let counted = counted_days(s, e, year, how);
            match given {
                Some(g) if g != counted => problem(
                    "giorni",
                    format!(
                        "{g} giorni, ma dal {} al {} i giorni sono {counted} con servizio = \"{}\": correggere i giorni o le date, oppure lasciare vuota la colonna giorni",
                        date_it(s),
                        date_it(e),
                        how.key()
                    ),
                ),
                _ => Ok(svc),
            }
        }
        (None, None, Some(g)) => service_of_days(g, year, how).map_or_else(
            || problem(
                "giorni",
                "con servizio = \"mesi\" la regola dei 15 giorni si conta mese per mese: indicare inizio e fine, oppure dichiarare in [valutazione] servizio = \"giorni\", \"giorni_365\" o \"giorni_360\"".to_string(),
            ),
            Ok,
        ),
        (None, None, None) => problem(
            "inizio",
            "mancano le date dell'incarico e i giorni di servizio: indicare inizio e fine, oppure i giorni di servizio nell'anno nella colonna giorni".to_string(),
        ),
        (Some(_), None, _) => problem(
            "fine",
            "manca la data di fine: indicare inizio e fine, oppure solo i giorni di servizio nella colonna giorni".to_string(),
        ),
        (None, Some(_), _) => problem(
            "inizio",
            "manca la data di inizio: indicare inizio e fine, oppure solo i giorni di servizio nella colonna giorni".to_string(),
        ),
    }
}

/// The service of a row of `matricola` (a manager's or an interim's): its dates within the
/// fund year, then [`served`]; a problem is a [`PayError`] naming the column.
pub(super) fn row_service(
    matricola: &str,
    (start, end, days): (Option<NaiveDate>, Option<NaiveDate>, Option<i64>),
    year: i32,
    how: ServiceFraction,
) -> Result<Service, PayError> {
    if let (Some(s), Some(e)) = (start, end) {
        period_within(matricola, s, e, year)?;
    }
    served(start, end, days, year, how).map_err(|p| PayError::Service {
        matricola: matricola.to_string(),
        message: format!("{}: {}", p.column, p.message),
    })
}

/// The service of a period already known to lie within `year` with `start <= end`.
pub fn service(start: NaiveDate, end: NaiveDate, year: i32, how: ServiceFraction) -> Service {
    let days = days_between(start, end);
    let units = match how {
        ServiceFraction::CalendarDays => days,
        ServiceFraction::Fixed365 => days.min(365),
        // Each month: 30 when whole, else its days in post up to 30.
        ServiceFraction::Commercial360 => month_parts(start, end, year)
            .map(|(covered, whole)| {
                if covered == whole {
                    30
                } else {
                    covered.min(30)
                }
            })
            .sum(),
        // Each month: 1 when whole or more than 15 days in post.
        ServiceFraction::Months15 => month_parts(start, end, year)
            .filter(|&(covered, whole)| covered == whole || covered > 15)
            .count() as i64,
    };
    Service {
        days,
        units,
        per_year: per_year(year, how),
    }
}

/// The service of `days` days of the fund year as payroll counts them under the rule (the
/// `giorni` column): calendar days, or commercial days under `giorni_360`; `None` under the
/// months' rule, which needs the dates. The days within [`day_limit`], checked by the caller.
pub fn service_of_days(days: i64, year: i32, how: ServiceFraction) -> Option<Service> {
    (how != ServiceFraction::Months15).then(|| Service {
        days,
        units: days,
        per_year: per_year(year, how),
    })
}

/// The days a period counts under the rule, as a `giorni` column would give them: its
/// calendar days (at most 365 under `giorni_365`), or its commercial days under `giorni_360`.
pub fn counted_days(start: NaiveDate, end: NaiveDate, year: i32, how: ServiceFraction) -> i64 {
    match how {
        ServiceFraction::Months15 => days_between(start, end),
        _ => service(start, end, year, how).units,
    }
}

/// The most days a `giorni` column may give under the rule: the days of the year (365 or
/// 366), 365 under `giorni_365`, 360 under `giorni_360`.
pub fn day_limit(year: i32, how: ServiceFraction) -> i64 {
    match how {
        ServiceFraction::CalendarDays | ServiceFraction::Months15 => days_in_year(year),
        ServiceFraction::Fixed365 => 365,
        ServiceFraction::Commercial360 => 360,
    }
}

/// The count of an interim's days: the rule's, by calendar days over the year's days under
/// the months' rule (an interim is paid by days).
pub fn interim_fraction(how: ServiceFraction) -> ServiceFraction {
    match how {
        ServiceFraction::Months15 => ServiceFraction::CalendarDays,
        other => other,
    }
}

/// The divisor of the service fraction: the days of the year, 365, 360 or 12.
pub fn per_year(year: i32, how: ServiceFraction) -> i64 {
    match how {
        ServiceFraction::Months15 => 12,
        _ => day_limit(year, how),
    }
}

/// For each calendar month of `year`: the days of `start..=end` in it, and its days.
fn month_parts(start: NaiveDate, end: NaiveDate, year: i32) -> impl Iterator<Item = (i64, i64)> {
    (1..=12u32).filter_map(move |m| {
        let first = NaiveDate::from_ymd_opt(year, m, 1)?;
        let last = match m {
            12 => NaiveDate::from_ymd_opt(year, 12, 31),
            _ => NaiveDate::from_ymd_opt(year, m + 1, 1).and_then(|d| d.pred_opt()),
        }?;
        let covered = days_between(start.max(first), end.min(last));
        Some((covered, i64::from(last.day())))
    })
}

/// True when `start..=end` is a non-empty period within `year`.
pub fn within_year(start: NaiveDate, end: NaiveDate, year: i32) -> bool {
    match year_bounds(year) {
        Some((first, last)) => start <= end && start >= first && end <= last,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    //! Each rule's count on periods worked by hand.

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn units(from: NaiveDate, to: NaiveDate, how: ServiceFraction) -> (i64, i64) {
        let s = service(from, to, from.year(), how);
        (s.units, s.per_year)
    }

    #[test]
    fn each_rule_counts_as_declared() {
        use ServiceFraction::*;
        // A whole leap year: 366/366, 365/365 (capped), 360/360, 12/12.
        let (a, b) = (d(2024, 1, 1), d(2024, 12, 31));
        assert_eq!(units(a, b, CalendarDays), (366, 366));
        assert_eq!(units(a, b, Fixed365), (365, 365));
        assert_eq!(units(a, b, Commercial360), (360, 360));
        assert_eq!(units(a, b, Months15), (12, 12));
        // February whole (28 days) is 30; 1-14 March is 14: 44/360.
        assert_eq!(
            units(d(2023, 2, 1), d(2023, 3, 14), Commercial360),
            (44, 360)
        );
        // 2-31 July, 30 days of a 31-day month, is 30; all of July is 30 too.
        assert_eq!(
            units(d(2023, 7, 2), d(2023, 7, 31), Commercial360),
            (30, 360)
        );
        assert_eq!(
            units(d(2023, 7, 1), d(2023, 7, 31), Commercial360),
            (30, 360)
        );
        // Half a leap year by 365: 182/365.
        assert_eq!(units(d(2024, 1, 1), d(2024, 6, 30), Fixed365), (182, 365));
    }

    #[test]
    fn days_and_dates_agree_or_say_what_to_write() {
        use ServiceFraction::*;
        let (a, b) = (Some(d(2024, 1, 1)), Some(d(2024, 12, 31)));
        assert_eq!(served(a, b, Some(365), 2024, Fixed365).unwrap().units, 365);
        let wrong = served(a, b, Some(366), 2024, Fixed365).unwrap_err();
        assert_eq!(wrong.column, "giorni");
        assert_eq!(
            served(None, None, Some(0), 2023, CalendarDays)
                .unwrap()
                .units,
            0
        );
        assert_eq!(
            served(None, None, None, 2023, CalendarDays)
                .unwrap_err()
                .column,
            "inizio"
        );
        assert!(served(None, None, Some(90), 2023, Months15).is_err());
        assert!(served(None, None, Some(361), 2023, Commercial360).is_err());
    }
}
