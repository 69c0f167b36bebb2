//! Table tests for amount parsing, Italian formatting and the rounding strategies; property
//! tests of the amounts' integer-cents arithmetic and of the one rounding function against
//! the decimal arithmetic. (The integer sums and splits are checked against the decimal ones
//! by `alloc`'s own unit tests.)

use ccdi::money::{format_it, round, Money, Rounding};
use ccdi::parse::{parse_amount, parse_percent};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Parses `input` and compares with `expected`: a plain decimal, or `Err:<message>`.
#[track_caller]
fn check(input: &str, expected: &str) {
    let got = match parse_amount(input) {
        Ok(m) => m.plain(),
        Err(e) => format!("Err:{e}"),
    };
    assert_eq!(got, expected, "input {input:?}");
}

#[test]
fn amount_parsing() {
    check("847.231,25", "847231.25");
    check("€ 847.231,25", "847231.25");
    check("847.231,25 €", "847231.25");
    check("€847231,25", "847231.25");
    check("847231.25", "847231.25");
    check("847231,25", "847231.25");
    check("  5.886,45 ", "5886.45");
    check("1.234.567", "1234567.00");
    check("1.234.567,8", "1234567.80");
    check("0,5", "0.50");
    check("0.05", "0.05");
    check("12", "12.00");
    check("-5,00", "-5.00");
    check("EUR 10,00", "10.00");
    check("0", "0.00");
    check(
        "1.200",
        "Err:importo ambiguo \"1.200\": può valere 1.200,00 (separatore delle migliaia) oppure 1,200 (separatore decimale con tre decimali); scrivere \"1.200,00\" o l'importo con due decimali",
    );
    check(
        "1,500",
        "Err:importo ambiguo \"1,500\": può valere 1.500,00 (separatore delle migliaia) oppure 1,500 (separatore decimale con tre decimali); scrivere \"1.500,00\" o l'importo con due decimali",
    );
    check(
        "847.231",
        "Err:importo ambiguo \"847.231\": può valere 847.231,00 (separatore delle migliaia) oppure 847,231 (separatore decimale con tre decimali); scrivere \"847.231,00\" o l'importo con due decimali",
    );
    check(
        "847231.255",
        "Err:importo \"847231.255\" con 3 decimali: gli importi in euro hanno al massimo due decimali",
    );
    check(
        "847.231,255",
        "Err:importo \"847.231,255\" con 3 decimali: gli importi in euro hanno al massimo due decimali",
    );
    check(
        "1,234.56",
        "Err:importo non valido \"1,234.56\": atteso un importo come 847.231,25 oppure 847231.25 (eventualmente preceduto da €)",
    );
    check(
        "12.34.5",
        "Err:importo non valido \"12.34.5\": atteso un importo come 847.231,25 oppure 847231.25 (eventualmente preceduto da €)",
    );
    check(
        "1 000,00",
        "Err:importo non valido \"1 000,00\": atteso un importo come 847.231,25 oppure 847231.25 (eventualmente preceduto da €)",
    );
    check(
        "NaN",
        "Err:importo non valido \"NaN\": atteso un importo come 847.231,25 oppure 847231.25 (eventualmente preceduto da €)",
    );
    check(
        "1e5",
        "Err:importo non valido \"1e5\": atteso un importo come 847.231,25 oppure 847231.25 (eventualmente preceduto da €)",
    );
    check(",5", "Err:importo non valido \",5\": atteso un importo come 847.231,25 oppure 847231.25 (eventualmente preceduto da €)");
    check("", "Err:importo vuoto");
    check("€", "Err:importo vuoto");
    check(
        "99999999999999999999999999999",
        "Err:importo \"99999999999999999999999999999\" troppo grande",
    );
}

#[test]
fn italian_formatting() {
    #[track_caller]
    fn check(value: &str, decimals: u32, expected: &str) {
        assert_eq!(format_it(d(value), decimals), expected);
    }
    check("847231.25", 2, "847.231,25");
    check("622305.53", 2, "622.305,53");
    check("5886.45", 2, "5.886,45");
    check("0", 2, "0,00");
    check("0.5", 2, "0,50");
    check("999", 2, "999,00");
    check("1000", 2, "1.000,00");
    check("-1234567.8", 2, "-1.234.567,80");
    check("73.45", 2, "73,45");
    check("100", 2, "100,00");
}

#[test]
fn rounding_strategies() {
    #[track_caller]
    fn check(value: &str, mode: Rounding, expected: &str) {
        assert_eq!(
            Money::from_exact(d(value), mode).plain(),
            expected,
            "{value} {mode:?}"
        );
    }
    // Half-up (commerciale) vs banker's (bancario): they differ exactly on midpoints.
    check("0.005", Rounding::HalfUp, "0.01");
    check("0.005", Rounding::HalfEven, "0.00");
    check("0.015", Rounding::HalfUp, "0.02");
    check("0.015", Rounding::HalfEven, "0.02");
    check("0.025", Rounding::HalfUp, "0.03");
    check("0.025", Rounding::HalfEven, "0.02");
    check("622291.353125", Rounding::HalfUp, "622291.35");
    check("2.675", Rounding::HalfUp, "2.68");
    check("2.675", Rounding::HalfEven, "2.68");
    check("2.665", Rounding::HalfEven, "2.66");
    check("2.669", Rounding::Down, "2.66");
    check("-0.005", Rounding::HalfUp, "-0.01");
    check("-0.004", Rounding::HalfUp, "0.00");
    assert_eq!(round(d("73.4516733"), 2, Rounding::HalfUp), d("73.45"));
    assert_eq!(round(d("26.555"), 2, Rounding::HalfUp), d("26.56"));
    assert_eq!(round(d("26.555"), 2, Rounding::HalfEven), d("26.56"));
    assert_eq!(round(d("26.545"), 2, Rounding::HalfEven), d("26.54"));
}

#[test]
fn percent_parsing() {
    #[track_caller]
    fn check(input: &str, expected: &str) {
        let got = match parse_percent(input) {
            Ok(p) => p.plain(),
            Err(e) => format!("Err:{e}"),
        };
        assert_eq!(got, expected, "input {input:?}");
    }
    check("73,45%", "73.45");
    check("73.45 %", "73.45");
    check("26,55", "26.55");
    check("100%", "100");
    check(
        "73,4,5%",
        "Err:percentuale non valida \"73,4,5%\": attesa una percentuale come 73,45% (al massimo sei decimali)",
    );
    check(
        "abc%",
        "Err:percentuale non valida \"abc%\": attesa una percentuale come 73,45% (al massimo sei decimali)",
    );
}

#[test]
fn the_fixed_rounding_notes_say_the_same_as_the_descriptions() {
    for mode in [Rounding::HalfUp, Rounding::HalfEven, Rounding::Down] {
        assert_eq!(mode.per_cent(), format!("{} al centesimo", mode.describe()));
    }
}

/// An amount at the cent from a mantissa of up to 96 bits: amounts near and beyond the
/// 64-bit cents of the integer path, and small ones.
fn amount() -> impl Strategy<Value = Money> {
    prop_oneof![
        (-1_000_000_000i64..1_000_000_000).prop_map(Money::from_cents),
        (i64::MIN..=i64::MAX).prop_map(Money::from_cents),
        (any::<u32>(), any::<u32>(), 0u32..1 << 30, any::<bool>()).prop_map(
            |(lo, mid, hi, neg)| {
                Money::from_cents_decimal(Decimal::from_parts(lo, mid, hi, neg, 2))
                    .expect("two decimals")
            }
        ),
    ]
}

proptest! {
    /// Sums and differences of amounts (added as integer cents while they fit) are the
    /// decimal ones, and overflow exactly when the decimal arithmetic does.
    #[test]
    fn integer_cents_are_the_decimal_arithmetic(items in prop::collection::vec(amount(), 0..12)) {
        let decimal = items.iter().try_fold(Decimal::ZERO, |a, m| a.checked_add(m.value()));
        let sum = Money::checked_sum(items.iter().copied());
        prop_assert_eq!(sum.map(Money::value), decimal.and_then(Money::from_cents_decimal).map(Money::value));
        for w in items.windows(2) {
            let (a, b) = (w[0], w[1]);
            let add = a.value().checked_add(b.value()).and_then(Money::from_cents_decimal);
            let sub = a.value().checked_sub(b.value()).and_then(Money::from_cents_decimal);
            prop_assert_eq!(a.checked_add(b).map(Money::value), add.map(Money::value));
            prop_assert_eq!(a.checked_sub(b).map(Money::value), sub.map(Money::value));
            prop_assert_eq!(a.cents(), i64::try_from(a.value().mantissa()).ok());
        }
    }
}

/// Texts in the alphabet of amounts: digits, separators, signs, spaces, euro signs.
fn amount_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => (0u32..10).prop_map(|d| d.to_string()),
        1 => Just("000".to_string()),
        1 => Just("9999999".to_string()),
        1 => Just("999999999999999".to_string()),
        1 => Just(".".to_string()),
        1 => Just(",".to_string()),
        1 => Just("-".to_string()),
        1 => Just(" ".to_string()),
        1 => Just("€".to_string()),
        1 => Just("+".to_string()),
        1 => Just("٣".to_string()),
    ];
    let random = prop::collection::vec(piece, 0..24).prop_map(|p| p.concat());
    // Well-formed or nearly: sign, 1-20 integer digits (grouped by thousands or not), a
    // separator and 0-4 decimals.
    let shaped = (
        prop_oneof![Just(""), Just("-"), Just("- "), Just("€ ")],
        "[0-9]{1,20}",
        // Digits per group from the right: none, thousands, or wrong groups.
        prop_oneof![Just(0usize), Just(3), Just(3), Just(2), Just(4)],
        prop_oneof![Just(""), Just(","), Just(".")],
        "[0-9]{0,4}",
    )
        .prop_map(|(sign, int, group, sep, frac)| {
            let int = if group > 0 {
                let b = int.as_bytes();
                let head = b.len() % group;
                let mut out = String::from_utf8_lossy(&b[..head]).to_string();
                for g in b[head..].chunks(group) {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(&String::from_utf8_lossy(g));
                }
                out
            } else {
                int
            };
            format!("{sign}{int}{sep}{frac}")
        });
    prop_oneof![random, shaped]
}

proptest! {
    /// The common amounts are read without building text; every text reads as the general
    /// reading reads it (the same amount, or the same refusal).
    #[test]
    fn the_common_amounts_read_as_the_general_way(text in amount_text()) {
        prop_assert_eq!(parse_amount(&text), ccdi::parse::parse_amount_general(&text));
    }
}

#[test]
fn common_amounts_read_as_the_general_way() {
    for text in [
        "31.500,00",
        "31500,5",
        "31500.00",
        "-120",
        "- 7,5",
        "€ 1.234.567,89",
        "1.234,5",
        "12.34,5",
        ".5",
        "5.",
        "1,2,3",
        "1.2.3",
        "1.23",
        "1.234",
        "0001,00",
        "-0,00",
        "999999999999999,99",
        "1000000000000000,00",
        "1000000000000000,01",
        "9999999999999999,99",
        "1.000.000",
        "1 000,00",
        "",
        "1.23.456,00",
        "1.2345.678,00",
        "1234.567,00",
    ] {
        assert_eq!(
            parse_amount(text),
            ccdi::parse::parse_amount_general(text),
            "{text:?}"
        );
    }
}

/// The reference: `rust_decimal`'s own rounding with the strategy of each rule.
fn decimal_rounding(v: Decimal, decimals: u32, mode: Rounding) -> Decimal {
    use rust_decimal::RoundingStrategy;
    let strategy = match mode {
        Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
        Rounding::Down => RoundingStrategy::ToZero,
    };
    v.round_dp_with_strategy(decimals, strategy)
}

proptest! {
    /// The one rounding function gives what `round_dp_with_strategy` gives: value, sign and
    /// scale, for every rule (its small values are rounded on integers).
    #[test]
    fn rounding_is_the_decimal_rounding(
        m in prop_oneof![-100_000i128..100_000, any::<i64>().prop_map(i128::from), -(1i128 << 95)..(1i128 << 95)],
        scale in 0u32..=28,
        decimals in 0u32..=12,
        mode in prop_oneof![Just(Rounding::HalfUp), Just(Rounding::HalfEven), Just(Rounding::Down)],
    ) {
        let v = Decimal::from_i128_with_scale(m, scale);
        let expected = decimal_rounding(v, decimals, mode);
        let got = round(v, decimals, mode);
        prop_assert_eq!(
            (got, got.scale(), got.is_sign_negative()),
            (expected, expected.scale(), expected.is_sign_negative())
        );
    }
}

proptest! {
    /// Values exactly halfway between two results, where the rules differ.
    #[test]
    fn midpoints_round_as_the_decimal_rounding(
        q in -100_000i64..100_000,
        negative in any::<bool>(),
        drop in 1u32..=18,
        decimals in 0u32..=6,
        mode in prop_oneof![Just(Rounding::HalfUp), Just(Rounding::HalfEven), Just(Rounding::Down)],
    ) {
        let unit = 10i128.pow(drop);
        let m = i128::from(q) * unit + if negative { -unit / 2 } else { unit / 2 };
        let v = Decimal::from_i128_with_scale(m, decimals + drop);
        let expected = decimal_rounding(v, decimals, mode);
        let got = round(v, decimals, mode);
        prop_assert_eq!((got, got.scale()), (expected, expected.scale()));
    }
}

/// Zeros, where a sign or a scale could be lost: a `-0` rounded, and a sum of no amount at
/// all, as the decimal arithmetic gives them (the sums of decimals: `alloc`'s unit tests).
#[test]
fn zeros_keep_sign_and_scale() {
    let mut negative_zero = Decimal::new(0, 3);
    negative_zero.set_sign_negative(true);
    for mode in [Rounding::HalfUp, Rounding::HalfEven, Rounding::Down] {
        for decimals in [0, 2, 3, 5] {
            let (got, want) = (
                round(negative_zero, decimals, mode),
                decimal_rounding(negative_zero, decimals, mode),
            );
            assert_eq!(
                (got, got.scale(), got.is_sign_negative()),
                (want, want.scale(), want.is_sign_negative())
            );
        }
    }
    let none = Money::checked_sum(std::iter::empty()).unwrap();
    assert_eq!((none.value(), none.value().scale()), (Decimal::ZERO, 0));
}
