//! Property tests of the arithmetic invariants: exact splits, displayed percentages, carry-over
//! sums, and parse(format(x)) = x for every amount.

use ccdi::alloc::{percent_column, split};
use ccdi::fund::compute;
use ccdi::money::{format_it, Money, Percent, Rounding};
use ccdi::parse::parse_amount;
use ccdi::rules::{CarryOver, FundItem, Nature, Origin, Rules, ShareSpec, SplitRule};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn origin() -> Origin {
    Origin {
        file: "prop.toml".into(),
        line: 1,
    }
}

fn item(code: String, cents: i64, nature: Nature) -> FundItem {
    FundItem {
        code,
        description: "voce".into(),
        amount: Money::from_cents(cents),
        nature,
        subject_to_cap: true,
        source: "fonte".into(),
        origin: origin(),
        result_only: false,
        increment: None,
    }
}

/// A split spec: 0 amount+rest, 1 rest+amount, 2 percent+rest, 3 rest+percent, 4 both percents.
fn rules_for(
    items: Vec<(i64, bool)>,
    cut: i64,
    kind: u8,
    share_permyriad: u32,
    carry: Vec<i64>,
) -> Rules {
    let resources: Vec<FundItem> = items
        .iter()
        .enumerate()
        .map(|(i, (c, stable))| {
            item(
                format!("r{i}"),
                *c,
                if *stable {
                    Nature::Stable
                } else {
                    Nature::Variable
                },
            )
        })
        .collect();
    let total: i64 = items.iter().map(|(c, _)| c).sum();
    let cut = cut.min(total);
    let fund = total - cut;
    let pct = Percent::new(Decimal::new(i64::from(share_permyriad), 2));
    let other = Percent::new(Decimal::ONE_HUNDRED - pct.value());
    let amount = Money::from_cents(fund * i64::from(share_permyriad) / 10_000);
    let (position, result) = match kind {
        0 => (ShareSpec::Amount(amount), ShareSpec::Rest),
        1 => (ShareSpec::Rest, ShareSpec::Amount(amount)),
        2 => (ShareSpec::Percent(pct), ShareSpec::Rest),
        3 => (ShareSpec::Rest, ShareSpec::Percent(pct)),
        _ => (ShareSpec::Percent(pct), ShareSpec::Percent(other)),
    };
    Rules {
        file: "prop.toml".into(),
        ente: "Comune".into(),
        year: 2019,
        national: ccdi::input::rules::catalogue::national(2019).unwrap(),
        rounding: Rounding::HalfUp,
        resources,
        cuts: vec![item("cut".into(), cut, Nature::Stable)],
        cap2016: None,
        split: SplitRule {
            position,
            result,
            source: "CCDI".into(),
            origin: origin(),
        },
        carryovers: carry
            .iter()
            .enumerate()
            .map(|(i, c)| CarryOver {
                year: 2010 + i as i32,
                description: format!("riporto {i}"),
                amount: Money::from_cents(*c),
                source: "fonte".into(),
                origin: origin(),
            })
            .collect(),
        attainment: Default::default(),
        weights: Default::default(),
        attainment_source: None,
        pay: Default::default(),
        interim_percent: None,
        pay_sources: Vec::new(),
        posts_keys: Vec::new(),
        coverage: None,
        procedure: Default::default(),
        csv: Default::default(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if std::env::var("CI").is_ok() { 512 } else { 256 }))]

    #[test]
    fn fund_split_is_exact(
        items in prop::collection::vec((0i64..10_000_000_000, any::<bool>()), 1..8),
        cut in 0i64..500_000_000,
        kind in 0u8..5,
        share in 0u32..=10_000,
        carry in prop::collection::vec(0i64..10_000_000, 0..4),
    ) {
        let rules = rules_for(items.clone(), cut, kind, share, carry.clone());
        let r = compute(&rules).unwrap();
        let total: i64 = items.iter().map(|(c, _)| c).sum();
        prop_assert_eq!(r.fund, Money::from_cents(total - cut.min(total)));
        // position + result = fund exactly
        prop_assert_eq!(r.position.checked_add(r.result).unwrap(), r.fund);
        prop_assert!(!r.position.is_negative() && !r.result.is_negative());
        // carry-overs add exactly
        let carried: i64 = carry.iter().sum();
        prop_assert_eq!(r.carryover_total, Money::from_cents(carried));
        prop_assert_eq!(r.result_total, r.result.checked_add(r.carryover_total).unwrap());
        prop_assert_eq!(r.grand_total, r.fund.checked_add(r.carryover_total).unwrap());
        // displayed percentages add to 100,00 and stay within 0,01 of the exact ratio
        if !r.fund.value().is_zero() {
            let sum: Decimal = r.percentages.values.iter().map(|p| p.value()).sum();
            prop_assert_eq!(sum, Decimal::ONE_HUNDRED);
            for (part, p) in [r.position, r.result].iter().zip(&r.percentages.values) {
                let exact = part.value() * Decimal::ONE_HUNDRED / r.fund.value();
                prop_assert!((exact - p.value()).abs() <= Decimal::new(1, 2), "{} vs {}", exact, p.value());
            }
        }
        // a percentage split rounds the computed share once (half up)
        if kind == 2 || kind == 4 {
            let exact = r.fund.value() * Decimal::new(i64::from(share), 2) / Decimal::ONE_HUNDRED;
            prop_assert_eq!(r.position, Money::from_exact(exact, Rounding::HalfUp));
        }
    }

    #[test]
    fn percent_column_adds_to_100(parts in prop::collection::vec(0i64..100_000_000, 1..12)) {
        let total: i64 = parts.iter().sum();
        prop_assume!(total > 0);
        let money: Vec<Money> = parts.iter().map(|c| Money::from_cents(*c)).collect();
        let col = percent_column(&money, Money::from_cents(total)).unwrap();
        let sum: Decimal = col.values.iter().map(|p| p.value()).sum();
        prop_assert_eq!(sum, Decimal::ONE_HUNDRED);
        for (m, p) in money.iter().zip(&col.values) {
            let exact = m.value() * Decimal::ONE_HUNDRED / Decimal::from(total) * Decimal::ONE_HUNDRED;
            prop_assert!((exact - p.value()).abs() < Decimal::new(1, 2));
        }
    }

    #[test]
    fn split_is_exact_and_within_a_cent(
        total in 0i64..1_000_000_000,
        weights in prop::collection::vec(0u32..1_000_000, 1..30),
    ) {
        let codes: Vec<String> = (0..weights.len()).map(|i| format!("m{i:03}")).collect();
        let w: Vec<Decimal> = weights.iter().map(|w| Decimal::from(*w)).collect();
        let sum_w: Decimal = w.iter().sum();
        let total = Money::from_cents(total);
        match split(total, &w, |i| &codes[i]) {
            Ok(shares) => {
                let sum: Decimal = shares.iter().map(|s| s.value.value()).sum();
                prop_assert_eq!(sum, total.value());
                for (s, w) in shares.iter().zip(&w) {
                    let exact = total.value() * *w / sum_w;
                    prop_assert!((s.value.value() - exact).abs() < Decimal::new(1, 2));
                }
                // reversing the claims changes nobody's share
                let (mut rw, mut rc) = (w.clone(), codes.clone());
                rw.reverse();
                rc.reverse();
                let again = split(total, &rw, |i| &rc[i]).unwrap();
                for (k, s) in shares.iter().enumerate() {
                    let t = again[rc.iter().position(|c| *c == codes[k]).unwrap()];
                    prop_assert_eq!(s.value, t.value);
                }
            }
            Err(_) => prop_assert!(weights.iter().all(|w| *w == 0) && !total.value().is_zero()),
        }
    }

    #[test]
    fn parse_of_format_is_identity(cents in -1_000_000_000_000i64..1_000_000_000_000) {
        let m = Money::from_cents(cents);
        prop_assert_eq!(parse_amount(&m.it()).unwrap(), m);
        prop_assert_eq!(parse_amount(&m.plain()).unwrap(), m);
        prop_assert_eq!(parse_amount(&format!("€ {}", m.it())).unwrap(), m);
    }

    /// The Italian formatting writes digits itself (no intermediate string): it must agree
    /// with the plain rendering of `rust_decimal` regrouped the Italian way, for any mantissa,
    /// scale and number of decimals, and `Money`'s Display must agree with `Money::it`.
    #[test]
    fn italian_format_matches_the_plain_digits(
        mantissa in any::<i64>(),
        wide in any::<bool>(),
        scale in 0u32..12,
        decimals in 0u32..6,
    ) {
        let m = if wide { i128::from(mantissa) * 1_000_000_000 } else { i128::from(mantissa) };
        let value = Decimal::from_i128_with_scale(m, scale);
        prop_assert_eq!(format_it(value, decimals), reference_it(value, decimals));
        let money = Money::from_cents(mantissa);
        prop_assert_eq!(money.to_string(), money.it());
    }
}

/// The first implementation of `format_it`: `rust_decimal`'s digits, regrouped.
fn reference_it(value: Decimal, decimals: u32) -> String {
    let mut d = value;
    if d.scale() < decimals {
        d.rescale(decimals);
    }
    let negative = d.is_sign_negative() && !d.is_zero();
    d.set_sign_positive(true);
    let text = d.to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    for (i, ch) in int.bytes().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(char::from(ch));
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}
