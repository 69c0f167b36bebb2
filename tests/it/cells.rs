//! The typed cell readers of the CSV exports: numbers (weights, scores, percentages) and
//! dates, in every form the exports write them; the quick paths for the common forms give
//! the same value and scale as the general ones.

use ccdi::parse::{parse_date, parse_number};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

#[track_caller]
fn check_number(input: &str, expected: Option<&str>) {
    let got = parse_number(input);
    match expected {
        None => assert_eq!(got, None, "{input:?}"),
        Some(e) => {
            let mut e = Decimal::from_str(e).unwrap();
            // A leading minus is kept, also on zero, as the exports wrote it.
            e.set_sign_negative(input.trim().starts_with('-'));
            let g = got.unwrap_or_else(|| panic!("{input:?} not read"));
            assert_eq!(g, e, "{input:?}");
            assert_eq!(g.scale(), e.scale(), "scale of {input:?}");
            assert_eq!(
                g.is_sign_negative(),
                e.is_sign_negative(),
                "sign of {input:?}"
            );
        }
    }
}

#[test]
fn numbers() {
    for (input, expected) in [
        ("25", Some("25")),
        ("007", Some("7")),
        (" 100 ", Some("100")),
        ("12,5", Some("12.5")),
        ("12.50", Some("12.50")),
        ("85%", Some("85")),
        ("85,5 %", Some("85.5")),
        ("-5", Some("-5")),
        ("-0", Some("-0")),
        ("0,0", Some("0.0")),
        ("123456789012345678", Some("123456789012345678")),
        ("1234567890123456789", Some("1234567890123456789")),
        ("12345678901234567890", Some("12345678901234567890")),
        ("123456789012345678901", None),
        ("1.234,5", None),
        (",5", None),
        ("5,", None),
        ("+5", None),
        ("", None),
        ("-", None),
        ("NaN", None),
        ("inf", None),
        ("1e5", None),
        ("1 000", None),
    ] {
        check_number(input, expected);
    }
}

#[track_caller]
fn check_date(input: &str, expected: Option<(i32, u32, u32)>) {
    assert_eq!(
        parse_date(input),
        expected.map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap()),
        "{input:?}"
    );
}

#[test]
fn dates() {
    for (input, expected) in [
        ("31/12/2019", Some((2019, 12, 31))),
        (" 01/01/2023 ", Some((2023, 1, 1))),
        ("1/1/2023", Some((2023, 1, 1))),
        ("31/12/19", Some((2019, 12, 31))),
        ("31-12-2019", Some((2019, 12, 31))),
        ("31.12.2019", Some((2019, 12, 31))),
        ("2019-12-31", Some((2019, 12, 31))),
        ("29/02/2024", Some((2024, 2, 29))),
        ("29/02/2023", None),
        ("31/02/2023", None),
        ("00/01/2023", None),
        ("01/13/2023", None),
        ("01/01/20233", None),
        ("ab/01/2023", None),
        ("", None),
    ] {
        check_date(input, expected);
    }
}
