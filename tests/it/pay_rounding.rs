//! The rounding steps of Model B (`[valutazione] arrotondamento_passaggi`): rounded once, every
//! row equals the exact quota × min(1, c) rounded once, computed here on integers from the
//! rules, and the pot, the economie and the reconciliation add up exactly; the rows so rounded
//! never exceed the pot (refused with a clear error when they would); rounded at each step, the
//! quota to the cent × c rounded again, as before.

use ccdi::money::{Money, Rounding};
use ccdi::pay::{compute_pay, ManagerInput, PayError, PayResult, PayRules, Pots, RoundingSteps};
use ccdi::staff::Manager;
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::pay_props::{day, one_score_rules, YEAR};
use super::pay_table::{origin, sources, Mgr};

/// A manager: score in hundredths, first day, days in post, yearly position pay in euro.
fn mgr(i: usize, score: i64, first: i64, len: i64, yearly: i64) -> Mgr {
    Mgr {
        row: Manager {
            matricola: format!("M{i:02}").into(),
            name: format!("Dirigente {i}").into(),
            post: format!("Settore {i}").into(),
            yearly_position_pay: Money::from_cents(yearly * 100),
            grading_points: None,
            start: Some(day(first)),
            end: Some(day((first + len - 1).min(364))),
            days: None,
            ente_share: None,
            origin: origin("dirigenti.csv", i + 2),
        },
        components: vec![("valutazione".into(), Decimal::new(score, 2))],
        fees: Money::ZERO,
    }
}

/// The pots of managers whose position pay is paid in full from the position share (the
/// unused position money passing to the result pot), `result` cents to split.
fn pots(ms: &[Mgr], result: i64) -> Pots {
    let yearly: i64 = ms
        .iter()
        .map(|m| {
            (m.row.yearly_position_pay.value() * Decimal::ONE_HUNDRED)
                .try_into()
                .unwrap_or(0i64)
        })
        .sum();
    Pots {
        year: YEAR,
        position_share: Money::from_cents(yearly),
        result_share: Money::from_cents(result),
        carryovers: Money::ZERO,
        sources: sources(YEAR),
    }
}

fn run(ms: &[Mgr], pots: &Pots, rules: &PayRules) -> Result<PayResult, Box<PayError>> {
    let inputs: Vec<ManagerInput> = ms.iter().map(Mgr::input).collect();
    compute_pay(pots, &inputs, &[], &[], rules).map_err(Box::new)
}

/// `num / den` rounded to a whole number with `mode`, on integers (both positive).
fn round_int(num: i128, den: i128, mode: Rounding) -> i128 {
    let (q, r) = (num / den, num % den);
    let up = match mode {
        Rounding::Down => false,
        Rounding::HalfUp => 2 * r >= den,
        Rounding::HalfEven => 2 * r > den || (2 * r == den && q % 2 == 1),
    };
    q + i128::from(up)
}

/// The reference: each row's cents, pot × w × min(1, c) / Σ w rounded once, with w = b ×
/// days (per head b = 1, else the yearly position pay) and the linear c = score / 100; 0
/// below the threshold 60.
fn reference(ms: &[Mgr], pot_cents: i128, per_head: bool, mode: Rounding) -> Vec<i128> {
    let w: Vec<i128> = ms
        .iter()
        .map(|m| {
            let days = i128::from((m.row.end.unwrap() - m.row.start.unwrap()).num_days() + 1);
            let b: i128 = if per_head {
                1
            } else {
                (m.row.yearly_position_pay.value() * Decimal::ONE_HUNDRED)
                    .try_into()
                    .unwrap()
            };
            b * days
        })
        .collect();
    let total: i128 = w.iter().sum();
    ms.iter()
        .zip(&w)
        .map(|(m, w)| {
            let hundredths: i128 = (m.components[0].1 * Decimal::ONE_HUNDRED)
                .try_into()
                .unwrap();
            if hundredths < 6_000 {
                return 0;
            }
            // min(1, c) in ten-thousandths.
            let c = hundredths.min(10_000);
            round_int(pot_cents * w * c, total * 10_000, mode)
        })
        .collect()
}

fn cents_of(m: Money) -> i128 {
    (m.value() * Decimal::ONE_HUNDRED).try_into().unwrap()
}

fn once_rules(per_head: bool, mode: Rounding) -> PayRules {
    PayRules {
        rounding_steps: RoundingSteps::Once,
        rounding: mode,
        ..one_score_rules(per_head, false)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rounded_once_rows_are_the_exact_quota_rounded_once(
        raw in prop::collection::vec((0i64..=10_000, 0i64..365, 1i64..=365, 1i64..=60_000), 1..8),
        result in 0i64..=50_000_000,
        per_head in any::<bool>(),
        mode in prop::sample::select(vec![Rounding::HalfUp, Rounding::HalfEven, Rounding::Down]),
    ) {
        let ms: Vec<Mgr> = raw
            .iter()
            .enumerate()
            .map(|(i, &(s, first, len, yearly))| mgr(i, s, first, len, yearly))
            .collect();
        let pots = pots(&ms, result);
        let rules = once_rules(per_head, mode);
        // The pot: the result share and the position money not used by part-year managers.
        let each_step = run(&ms, &pots, &PayRules { rounding_steps: RoundingSteps::EachStep, ..rules.clone() })
            .expect("rounded at each step");
        let pot = each_step.reconciliation.result_pot;
        let expected = reference(&ms, cents_of(pot), per_head, mode);
        let sum: i128 = expected.iter().sum();
        match run(&ms, &pots, &rules).map_err(|e| *e) {
            Err(PayError::RoundedOnceExceedsPot { .. }) => prop_assert!(sum > cents_of(pot)),
            Err(e) => panic!("unexpected error: {e}"),
            Ok(r) => {
                prop_assert!(sum <= cents_of(pot));
                prop_assert_eq!(r.reconciliation.result_pot, pot);
                for (m, want) in r.managers.iter().zip(&expected) {
                    prop_assert_eq!(cents_of(m.result_pay), *want, "{}", m.matricola);
                }
                // The quotas are the same split as at each step.
                for (a, b) in r.managers.iter().zip(&each_step.managers) {
                    prop_assert_eq!(a.quota, b.quota);
                }
                let e = &r.reconciliation.economie_detail;
                let split_economie = e.quota_reductions.value() + e.ineligible_quotas.value() + e.undistributed.value();
                prop_assert_eq!(cents_of(pot) - sum, cents_of(Money::from_exact(split_economie, Rounding::HalfUp)));
                let rec = &r.reconciliation;
                prop_assert_eq!(
                    rec.fund.value() + rec.carryovers.value(),
                    rec.position_paid.value() + rec.result_paid.value() + rec.interim.value()
                        + rec.carried_residual.value() + rec.economie.value()
                );
            }
        }
    }
}

/// The scenario `arrotondamento-una-volta`: 10.000,00 per head among three at 95, 80 and 65
/// points; once 3.166,67 / 2.666,67 / 2.166,67, at each step 3.166,67 / 2.666,66 / 2.166,66.
#[test]
fn once_and_each_step_differ_by_a_cent_on_two_rows() {
    let ms: Vec<Mgr> = [9_500, 8_000, 6_500]
        .iter()
        .enumerate()
        .map(|(i, &s)| mgr(i, s, 0, 365, 10_000))
        .collect();
    let pots = pots(&ms, 1_000_000);
    let once = run(&ms, &pots, &once_rules(true, Rounding::HalfUp)).unwrap();
    let each = PayRules {
        rounding_steps: RoundingSteps::EachStep,
        ..once_rules(true, Rounding::HalfUp)
    };
    let each = run(&ms, &pots, &each).unwrap();
    let pays = |r: &PayResult| -> Vec<i128> {
        r.managers.iter().map(|m| cents_of(m.result_pay)).collect()
    };
    assert_eq!(pays(&once), vec![316_667, 266_667, 216_667]);
    assert_eq!(pays(&each), vec![316_667, 266_666, 216_666]);
    assert_eq!(once.reconciliation.economie, Money::from_cents(199_999));
    assert_eq!(each.reconciliation.economie, Money::from_cents(200_001));
}

/// Everyone at 100 points: 10.000,01 among three is 3.333,3366… each, 3.333,34 rounded once,
/// 10.000,02 in all: a cent more than the pot, refused; at each step the quotas add up.
#[test]
fn rows_rounded_once_above_the_pot_are_refused() {
    let ms: Vec<Mgr> = (0..3).map(|i| mgr(i, 10_000, 0, 365, 10_000)).collect();
    let pots = pots(&ms, 1_000_001);
    let err = run(&ms, &pots, &once_rules(true, Rounding::HalfUp)).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("10.000,02"), "{text}");
    assert!(text.contains("ogni_passaggio"), "{text}");
    let each = PayRules {
        rounding_steps: RoundingSteps::EachStep,
        ..once_rules(true, Rounding::HalfUp)
    };
    let r = run(&ms, &pots, &each).unwrap();
    assert_eq!(r.reconciliation.result_paid, Money::from_cents(1_000_001));
    // Truncating, rounded once fits: 3.333,33 each.
    let r = run(&ms, &pots, &once_rules(true, Rounding::Down)).unwrap();
    assert_eq!(r.reconciliation.result_paid, Money::from_cents(999_999));
}

/// An exact half cent rounded once: 100,01 between two at coefficient 1 is 50,005 each,
/// 50,01 half up (100,02 in all: refused), 50,00 half to even and truncated.
#[test]
fn an_exact_half_cent_follows_the_rules_rounding() {
    let ms: Vec<Mgr> = (0..2).map(|i| mgr(i, 10_000, 0, 365, 10_000)).collect();
    let pots = pots(&ms, 10_001);
    let pay = |mode| {
        run(&ms, &pots, &once_rules(true, mode)).map(|r| {
            r.managers
                .iter()
                .map(|m| cents_of(m.result_pay))
                .collect::<Vec<_>>()
        })
    };
    assert!(matches!(
        pay(Rounding::HalfUp).map_err(|e| *e),
        Err(PayError::RoundedOnceExceedsPot { .. })
    ));
    assert_eq!(pay(Rounding::HalfEven).unwrap(), vec![5_000, 5_000]);
    assert_eq!(pay(Rounding::Down).unwrap(), vec![5_000, 5_000]);
}
