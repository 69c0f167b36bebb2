//! Properties of the steps after art. 30 with random declared reductions (`riduzioni.csv`)
//! and managers shared with another ente (`quota_ente`): every amount whole cents, each cut
//! its percentage rounded once, each manager's total what this ente pays, and the
//! reconciliation exact with the other ente's parts as economie.

use ccdi::money::{Money, Rounding};
use ccdi::pay::{
    compute_pay, FeeCorrelation, InterimInput, ManagerInput, PayResult, PayRules, Pots,
};
use ccdi::staff::{Interim, Manager};
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::pay_props::{day, one_score_rules, vacant_interim, YEAR};
use super::pay_table::{interim_input, origin};

/// One manager: (score in hundredths, first day, length, yearly pay in cents, fees in cents,
/// reduction in hundredths of a percent, share in hundredths of a percent or none).
type Row = (i64, i64, i64, i64, i64, i64, Option<i64>);

fn row() -> impl Strategy<Value = Row> {
    (
        0i64..=10_000,
        0i64..365,
        1i64..=365,
        1i64..=6_000_000,
        0i64..=500_000,
        prop_oneof![Just(0i64), 0i64..=10_000],
        prop::option::of(1i64..=10_000),
    )
}

/// The managers' rows and their pay's inputs.
#[derive(Debug, Clone)]
struct Case {
    managers: Vec<(Manager, i64, i64)>,
    interims: Vec<Interim>,
    pots: Pots,
    rules: PayRules,
}

fn manager(k: usize, r: &Row) -> (Manager, i64, i64) {
    let m = Manager {
        matricola: format!("M{k:02}").into(),
        name: format!("Dirigente {k}").into(),
        post: format!("Settore {k}").into(),
        yearly_position_pay: Money::from_cents(r.3),
        grading_points: None,
        start: Some(day(r.1)),
        end: Some(day((r.1 + r.2 - 1).min(364))),
        days: None,
        ente_share: r.6.map(|s| Decimal::new(s, 2)),
        origin: origin("dirigenti.csv", k + 2),
    };
    (m, r.0, r.5)
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(row(), 1..8),
        0i64..=50_000_000,
        (any::<bool>(), any::<bool>(), 0usize..3, 0i64..=100),
        prop::collection::vec((0usize..8, 15i64..=30, 0i64..365, 1i64..=365), 0..3),
    )
        .prop_map(
            |(rows, result, (model_a, per_head, rounding, fee_pct), ints)| {
                let managers: Vec<_> = rows
                    .iter()
                    .enumerate()
                    .map(|(k, r)| manager(k, r))
                    .collect();
                let interims: Vec<Interim> = ints
                    .iter()
                    .enumerate()
                    .map(|(k, &(who, p, first, len))| {
                        let m = &managers[who % managers.len()].0.matricola;
                        vacant_interim(k, m, &format!("Vacante {k}"), (p, first, len))
                    })
                    .collect();
                let yearly: i64 = rows.iter().map(|r| r.3).sum();
                let rules = PayRules {
                    art30: None,
                    fees: FeeCorrelation::Reduce {
                        percent: Decimal::from(fee_pct),
                    },
                    rounding: [Rounding::HalfUp, Rounding::HalfEven, Rounding::Down][rounding],
                    ..one_score_rules(per_head, model_a)
                };
                Case {
                    pots: Pots {
                        year: YEAR,
                        position_share: Money::from_cents(yearly + 900_000 * ints.len() as i64),
                        result_share: Money::from_cents(result),
                        carryovers: Money::ZERO,
                        sources: super::pay_table::sources(YEAR),
                    },
                    managers,
                    interims,
                    rules,
                }
            },
        )
}

/// Runs a case with each manager's score, fees and reduction.
fn run(c: &Case) -> PayResult {
    let managers: Vec<ManagerInput> = c
        .managers
        .iter()
        .enumerate()
        .map(|(k, (m, score, cut))| ManagerInput {
            manager: m,
            components: vec![("valutazione".into(), Decimal::new(*score, 2))],
            fees: Money::from_cents(k as i64 * 123_457),
            reduction: Decimal::new(*cut, 2),
        })
        .collect();
    let interims: Vec<InterimInput> = c.interims.iter().map(interim_input).collect();
    compute_pay(&c.pots, &managers, &interims, &[], &c.rules).expect("pay")
}

fn whole_cents(m: Money) -> bool {
    (m.value() * Decimal::ONE_HUNDRED).fract().is_zero()
}

/// `percent`% of `amount`, rounded once with `mode`.
fn part(amount: Money, percent: Decimal, mode: Rounding) -> Money {
    Money::from_exact(amount.value() * percent / Decimal::ONE_HUNDRED, mode)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn cuts_and_shares_are_whole_cents_and_reconcile(c in case()) {
        let r = run(&c);
        let mode = c.rules.rounding;
        let (mut position, mut result, mut interim) = (Money::ZERO, Money::ZERO, Money::ZERO);
        let (mut cuts, mut others) = (Money::ZERO, Money::ZERO);
        for m in &r.managers {
            let o = m.other_ente;
            for a in [m.reduction, m.fee_reduction, m.result_paid, m.total, o.position, o.result, o.interim, o.total] {
                prop_assert!(whole_cents(a), "{} {a:?}", m.matricola);
            }
            // The declared cut: its percentage of the result after art. 30, rounded once.
            let want = if m.result_after_art30.value() > Decimal::ZERO {
                part(m.result_after_art30, m.reduction_percent, mode)
            } else {
                Money::ZERO
            };
            prop_assert_eq!(m.reduction, want);
            let left = m.result_after_art30.value() - m.reduction.value();
            prop_assert!(m.fee_reduction.value() <= left.max(Decimal::ZERO));
            prop_assert_eq!(m.result_paid.value(), left - m.fee_reduction.value());
            // The other ente: each amount less this ente's share, rounded once per amount.
            for (whole, other) in [(m.position_paid, o.position), (m.result_paid, o.result), (m.interim, o.interim)] {
                prop_assert_eq!(other.value(), whole.value() - part(whole, m.ente_share, mode).value());
            }
            prop_assert_eq!(o.total.value(), o.position.value() + o.result.value() + o.interim.value());
            prop_assert_eq!(
                m.total.value(),
                m.position_paid.value() + m.result_paid.value() + m.interim.value() - o.total.value()
            );
            position = Money::from_cents_decimal(position.value() + m.position_paid.value() - o.position.value()).unwrap();
            result = Money::from_cents_decimal(result.value() + m.result_paid.value() - o.result.value()).unwrap();
            interim = Money::from_cents_decimal(interim.value() + m.interim.value() - o.interim.value()).unwrap();
            cuts = Money::from_cents_decimal(cuts.value() + m.reduction.value()).unwrap();
            others = Money::from_cents_decimal(others.value() + o.total.value()).unwrap();
        }
        let q = &r.reconciliation;
        prop_assert_eq!(q.position_paid, position);
        prop_assert_eq!(q.result_paid, result);
        prop_assert_eq!(q.interim, interim);
        prop_assert_eq!(q.economie_detail.reductions, cuts);
        prop_assert_eq!(q.economie_detail.other_ente, others);
        let right = q.position_paid.value() + q.result_paid.value() + q.interim.value()
            + q.carried_residual.value() + q.economie.value();
        prop_assert_eq!(q.fund.value() + q.carryovers.value(), right);
    }
}
