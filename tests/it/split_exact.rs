//! The split against an exact rational largest-remainder split written here apart: weights
//! that are finite decimals times whole-number services (b × units × c, as the pay's claims),
//! each share a reduced fraction, the fractional parts compared by cross-multiplication on
//! u128, ties (equal weights, equal remainders of different shares) frequent.

use ccdi::alloc::split;
use ccdi::money::Money;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// A weight as the fraction `num / den` (den a power of ten).
fn fraction(w: Decimal) -> (u128, u128) {
    (w.mantissa().unsigned_abs(), 10u128.pow(w.scale()))
}

/// The reference: each exact share `cents × w_i / Σw` as a reduced fraction `p / q`; floors;
/// the leftover cents to the largest fractional parts `(p mod q) / q`, then the larger exact
/// share, then the lower index (the codes are in index order).
fn reference(cents: u128, weights: &[Decimal]) -> Vec<u128> {
    let fr: Vec<(u128, u128)> = weights.iter().map(|&w| fraction(w)).collect();
    let den = fr.iter().map(|f| f.1).max().unwrap_or(1);
    let nums: Vec<u128> = fr.iter().map(|&(n, d)| n * (den / d)).collect();
    let sum: u128 = nums.iter().sum();
    let shares: Vec<(u128, u128)> = nums
        .iter()
        .map(|&n| {
            let (p, q) = (cents * n, sum);
            let g = gcd(p, q).max(1);
            (p / g, q / g)
        })
        .collect();
    let mut out: Vec<u128> = shares.iter().map(|&(p, q)| p / q).collect();
    let left = cents - out.iter().sum::<u128>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        let ((pa, qa), (pb, qb)) = (shares[a], shares[b]);
        let (ra, rb) = (pa % qa, pb % qb);
        (rb * qa)
            .cmp(&(ra * qb))
            .then((pb * qa).cmp(&(pa * qb)))
            .then(a.cmp(&b))
    });
    for &i in order.iter().take(left as usize) {
        out[i] += 1;
    }
    out
}

/// b × units × c: a position pay (or 1, or grading points), whole days or months, a
/// coefficient of two decimals; a few values so that ties are frequent.
fn claim() -> impl Strategy<Value = Decimal> {
    let base = prop_oneof![
        Just(Decimal::ONE),
        Just(Decimal::new(3_150_000, 2)),
        (1i64..10_000_000).prop_map(|c| Decimal::new(c, 2)),
        (1i64..1_000).prop_map(|p| Decimal::new(p, 1)),
    ];
    let units = prop_oneof![Just(12i64), Just(1), Just(9), 0i64..=366];
    let coefficient = prop_oneof![
        Just(Decimal::ONE),
        (0i64..=120).prop_map(|c| Decimal::new(c, 2))
    ];
    (base, units, coefficient).prop_map(|(b, u, c)| b * Decimal::from(u) * c)
}

proptest! {
    #[test]
    fn split_cents_are_the_exact_rational_split(
        cents in prop_oneof![Just(1_000_000i64), 0i64..100_000, 0i64..10_000_000],
        weights in prop::collection::vec(claim(), 1..12),
    ) {
        prop_assume!(weights.iter().any(|w| !w.is_zero()));
        let shares = split(Money::from_cents(cents), &weights, |i| format!("M{i:02}")).unwrap();
        let got: Vec<i64> = shares.iter().map(|s| s.value.cents().unwrap()).collect();
        let want: Vec<i64> = reference(cents as u128, &weights)
            .into_iter()
            .map(|c| c as i64)
            .collect();
        prop_assert_eq!(got, want, "{} by {:?}", cents, weights);
    }
}

/// The tie: 12, 1 and 9 months, equal weights, 10.000,00 with model A. The first two
/// remainders are both 6/11 of a cent; the larger exact share gets the cent.
#[test]
fn the_tie_goes_to_the_larger_exact_share() {
    let weights = [Decimal::from(12), Decimal::ONE, Decimal::from(9)];
    let shares = split(Money::from_cents(1_000_000), &weights, |i| i).unwrap();
    let cents: Vec<i64> = shares.iter().map(|s| s.value.cents().unwrap()).collect();
    assert_eq!(cents, [545_455, 45_454, 409_091]);
    assert_eq!(reference(1_000_000, &weights), [545_455, 45_454, 409_091]);
    // The same with a base and a coefficient, and with t as a 28-digit fraction of the year.
    let base = Decimal::new(3_150_000, 2) * Decimal::new(95, 2);
    let weights = weights.map(|u| base * u);
    let shares = split(Money::from_cents(1_000_000), &weights, |i| i).unwrap();
    let cents: Vec<i64> = shares.iter().map(|s| s.value.cents().unwrap()).collect();
    assert_eq!(cents, [545_455, 45_454, 409_091]);
}
