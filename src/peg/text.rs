//! Low-level readers shared by targets and measures: numbers written the Italian way or plainly,
//! dates in the spellings found in real PEG sheets, Italian month names.
//!
//! Numbers (`read_number`): digits with `.` and `,` only, starting and ending with a digit.
//! - a comma is always the decimal separator (`15,00`, `1,5`, `1.234,5`); dots before it must
//!   be thousands groups of three digits;
//! - dots only: a single dot followed by exactly three digits is a thousands separator, as in
//!   Italian (`1.200` = 1200, `500.000` = 500000); several dots must all be thousands groups
//!   (`1.234.567`); a single dot followed by one, two or four or more digits is a decimal dot
//!   (`1234.5`, `0.25`);
//! - `1,234.5` (English thousands) is refused.
//!
//! Dates (`read_date`, `end_of_month`): two-digit years are 20yy; every date is validated
//! (no 31/02).

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

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
pub(crate) fn month_number(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    let w = if w == "sett" { "set" } else { w };
    MONTHS
        .iter()
        .position(|(full, abbr)| w == *full || w == *abbr)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The full Italian name of a month (1-12), for explanations.
pub(crate) fn month_name(month: u32) -> &'static str {
    usize::try_from(month)
        .ok()
        .and_then(|m| m.checked_sub(1))
        .and_then(|i| MONTHS.get(i))
        .map_or("?", |(full, _)| full)
}

/// Reads a number written the Italian way or plainly (see the module docs). `None` if it is
/// not a clean number.
pub(crate) fn read_number(s: &str) -> Option<Decimal> {
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
                thousands(int)?
            } else {
                int.to_string()
            };
            format!("{int}.{frac}")
        }
        (1, 0) => {
            let (_, frac) = s.split_once('.')?;
            if frac.len() == 3 {
                thousands(s)?
            } else {
                s.to_string()
            }
        }
        (_, 0) => thousands(s)?,
        _ => return None,
    };
    Decimal::from_str_exact(&literal).ok()
}

/// `1.234.567` → `1234567`; `None` unless the groups are 1-3 digits then exactly 3 each.
fn thousands(s: &str) -> Option<String> {
    let groups: Vec<&str> = s.split('.').collect();
    let first = groups.first()?;
    let ok = (1..=3).contains(&first.len())
        && groups.iter().skip(1).all(|g| g.len() == 3)
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()));
    ok.then(|| groups.concat())
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
pub(crate) fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
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
pub(crate) enum DateForm {
    /// A full day, month and year.
    Day,
    /// Only a month: the date is its last day.
    EndOfMonth,
}

/// Reads one token as a date: `31/12/2020`, `31/5/20`, `31.07.20`, `31-12-2020`, ISO
/// `2020-12-31`, `15-set-20`, `set-19` (end of month). `None` if it is not a date or the date
/// does not exist.
pub(crate) fn read_date(token: &str) -> Option<(NaiveDate, DateForm)> {
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

/// `dd/mm/yyyy` for explanations and formulas.
pub(crate) fn format_date(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let n = |s: &str| read_number(s).map(|d| d.normalize().to_string());
        assert_eq!(n("1.200").as_deref(), Some("1200"));
        assert_eq!(n("1.234,5").as_deref(), Some("1234.5"));
        assert_eq!(n("1234.5").as_deref(), Some("1234.5"));
        assert_eq!(n("15,00").as_deref(), Some("15"));
        assert_eq!(n("1,234.5"), None);
        assert_eq!(n("12.34.5"), None);
    }

    #[test]
    fn dates() {
        let d = |s: &str| read_date(s).map(|(d, _)| format_date(d));
        assert_eq!(d("31.07.20").as_deref(), Some("31/07/2020"));
        assert_eq!(d("set-19").as_deref(), Some("30/09/2019"));
        assert_eq!(d("feb-24").as_deref(), Some("29/02/2024"));
        assert_eq!(d("31/02/2020"), None);
        assert_eq!(d("2020-12-31").as_deref(), Some("31/12/2020"));
    }
}
