//! The fixed result bases (`[valutazione] quota`): for random fixed-base rules and staff,
//! every row is whole cents and equals its own product rounded once (whoever else is present),
//! the quotas are covered by the pot or the run stops with the located error, and the pot and
//! the reconciliation add up exactly; the bands' boundaries.

use ccdi::money::{Money, Rounding};
use ccdi::pay::{
    compute_pay, AmountBand, Art30, Art30Model, PayError, PayResult, PayRules, Pots, ResultQuota,
};
use ccdi::staff::Manager;
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::pay_props::one_score_rules;
use super::pay_table::{origin, sources, Mgr};

const YEAR: i32 = 2025;

fn cents(c: i64) -> Money {
    Money::from_cents(c)
}

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn day(k: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(YEAR, 1, 1).expect("date") + Duration::days(k)
}

/// The bands used by `importo_fascia`: 0-70, 70-90, 90-100 (100 included).
fn bands() -> Vec<AmountBand> {
    [
        ("0", "70", 200_000),
        ("70", "90", 300_000),
        ("90", "100", 412_575),
    ]
    .iter()
    .map(|&(from, to, amount)| AmountBand {
        from: d(from),
        to: d(to),
        amount: cents(amount),
    })
    .collect()
}

/// One of the four fixed bases, its value drawn (hundredths of a euro or of a percent).
fn fixed_quota() -> impl Strategy<Value = ResultQuota> {
    (0usize..4, 1i64..=10_000).prop_map(|(kind, v)| match kind {
        0 => ResultQuota::PointValue(Decimal::new(v, 2)),
        1 => ResultQuota::BandAmount(bands()),
        2 => ResultQuota::PositionPercent(Decimal::new(v % 5_000, 2)),
        _ => ResultQuota::ScorePoint(Decimal::new(v, 2)),
    })
}

/// (score in hundredths, grading points, first day, length, yearly position pay in euro)
fn manager() -> impl Strategy<Value = (i64, i64, i64, i64, i64)> {
    (
        0i64..=10_000,
        0i64..=100,
        0i64..365,
        0i64..=365,
        1i64..=60_000,
    )
}

#[derive(Debug, Clone)]
struct Case {
    pots: Pots,
    managers: Vec<Mgr>,
    rules: PayRules,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(manager(), 1..8),
        fixed_quota(),
        0i64..=5_000_000,
        0i64..=1_000_000,
        prop::sample::select(vec![None, Some(Art30Model::Supplement)]),
        any::<bool>(),
    )
        .prop_map(|(ms, quota, result, carry, art30, model_a)| {
            let managers: Vec<Mgr> = ms
                .iter()
                .enumerate()
                .map(|(i, &(score, points, first, len, yearly))| Mgr {
                    row: Manager {
                        matricola: format!("M{i:02}").into(),
                        name: format!("Dirigente {i}").into(),
                        post: format!("Settore {i}").into(),
                        yearly_position_pay: cents(yearly * 100),
                        grading_points: Some(Decimal::from(points)),
                        start: (len > 0).then(|| day(first)),
                        end: (len > 0).then(|| day((first + len - 1).min(364))),
                        days: (len == 0).then_some(0),
                        ente_share: None,
                        origin: origin("dirigenti.csv", i + 2),
                    },
                    components: vec![("valutazione".into(), Decimal::new(score, 2))],
                    fees: Money::ZERO,
                })
                .collect();
            let yearly: i64 = ms.iter().map(|m| m.4 * 100).sum();
            let rules = PayRules {
                quota,
                art30: art30.map(|m| Art30 {
                    model: m,
                    ..Art30::new(Decimal::from(30), Decimal::from(30))
                }),
                ..one_score_rules(false, model_a)
            };
            Case {
                pots: Pots {
                    year: YEAR,
                    position_share: cents(yearly + carry),
                    result_share: cents(result),
                    carryovers: cents(carry),
                    sources: sources(YEAR),
                },
                managers,
                rules,
            }
        })
}

/// The days counted of a row (calendar days, or the 0 given).
fn days(m: &Mgr) -> i64 {
    match (m.row.start, m.row.end) {
        (Some(s), Some(e)) => (e - s).num_days() + 1,
        _ => 0,
    }
}

/// The reference: (quota, result) of a row on its own, from the rule as written.
fn reference(m: &Mgr, rules: &PayRules) -> (Money, Money) {
    let score = m.components[0].1;
    let eligible = score >= rules.threshold && days(m) > 0;
    let points = m.row.grading_points.expect("points");
    let amount = match &rules.quota {
        ResultQuota::PointValue(v) => points * v,
        ResultQuota::BandAmount(b) => ResultQuota::band_amount(b, points)
            .expect("bands cover 0-100")
            .value(),
        ResultQuota::PositionPercent(p) => m.row.yearly_position_pay.value() * p / d("100"),
        ResultQuota::ScorePoint(v) if eligible => score * v,
        ResultQuota::ScorePoint(_) => Decimal::ZERO,
        ResultQuota::Shared => unreachable!("fixed bases only"),
    };
    let factor = match (eligible, rules.quota.with_coefficient()) {
        (false, _) => Decimal::ZERO,
        (true, true) => (score / d("100")).min(Decimal::ONE),
        (true, false) => Decimal::ONE,
    };
    let t = |x: Decimal| x * Decimal::from(days(m)) / Decimal::from(365);
    (
        Money::from_exact(t(amount), Rounding::HalfUp),
        Money::from_exact(t(amount * factor), Rounding::HalfUp),
    )
}

fn run(c: &Case) -> Result<PayResult, Box<PayError>> {
    let managers: Vec<_> = c.managers.iter().map(Mgr::input).collect();
    compute_pay(&c.pots, &managers, &[], &[], &c.rules).map_err(Box::new)
}

fn whole_cents(m: Money) -> bool {
    m.value().round_dp(2) == m.value()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Every row whole cents and its own rounded product; the pot covers the quotas or the
    /// run stops with the error; the rest of the pot is the unassigned economia; the
    /// reconciliation adds up exactly.
    #[test]
    fn fixed_bases_row_by_row_and_reconciled(c in case()) {
        let refs: Vec<(Money, Money)> = c.managers.iter().map(|m| reference(m, &c.rules)).collect();
        let quotas = Money::checked_sum(refs.iter().map(|r| r.0)).expect("sum");
        let r = match run(&c) {
            Ok(r) => r,
            Err(e) if matches!(*e, PayError::FixedQuotasExceed(_)) => {
                let pot = c.pots.result_share.value() + c.pots.carryovers.value()
                    + (c.pots.position_share.value()
                        - c.managers.iter().map(|m| Money::from_exact(
                            m.row.yearly_position_pay.value() * Decimal::from(days(m)) / Decimal::from(365),
                            Rounding::HalfUp).value()).sum::<Decimal>());
                prop_assert!(quotas.value() > pot, "error but quotas {} within pot {}", quotas, pot);
                return Ok(());
            }
            Err(e) => panic!("unexpected error: {e}"),
        };
        let rec = &r.reconciliation;
        prop_assert!(quotas <= rec.result_pot);
        let mut paid = Decimal::ZERO;
        for (m, (q, res)) in r.managers.iter().zip(&refs) {
            for x in [m.position_paid, m.quota, m.result_pay, m.result_after_art30, m.result_paid, m.total] {
                prop_assert!(whole_cents(x), "{} not whole cents", x);
            }
            prop_assert_eq!(m.quota, *q, "quota of {}", m.matricola);
            prop_assert_eq!(m.result_pay, *res, "result of {}", m.matricola);
            paid += m.result_pay.value();
        }
        let e = &rec.economie_detail;
        prop_assert_eq!(e.unassigned.value(), rec.result_pot.value() - quotas.value());
        prop_assert_eq!(
            paid + e.quota_reductions.value() + e.ineligible_quotas.value() + e.unassigned.value(),
            rec.result_pot.value()
        );
        prop_assert_eq!(
            rec.fund.value() + rec.carryovers.value(),
            rec.position_paid.value() + rec.result_paid.value() + rec.interim.value()
                + rec.carried_residual.value() + rec.economie.value()
        );
    }

    /// A fixed quota does not depend on who else is present: without the last manager, the
    /// others' quotas and results are the same (no differentiation).
    #[test]
    fn fixed_quota_independent_of_the_others(mut c in case()) {
        c.rules.art30 = None;
        c.pots.result_share = cents(100_000_000);
        prop_assume!(c.managers.len() > 1);
        let all = run(&c).expect("a pot large enough");
        c.managers.pop();
        let fewer = run(&c).expect("a pot large enough");
        for (a, b) in all.managers.iter().zip(&fewer.managers) {
            prop_assert_eq!((a.quota, a.result_pay), (b.quota, b.result_pay));
        }
    }
}

/// The bands are half-open, the highest closed at its end; points beyond every band are none.
#[test]
fn band_boundaries() {
    let b = bands();
    assert_eq!(
        ResultQuota::band_amount(&b, d("69.99")),
        Some(cents(200_000))
    );
    assert_eq!(ResultQuota::band_amount(&b, d("70")), Some(cents(300_000)));
    assert_eq!(ResultQuota::band_amount(&b, d("90")), Some(cents(412_575)));
    assert_eq!(ResultQuota::band_amount(&b, d("100")), Some(cents(412_575)));
    assert_eq!(ResultQuota::band_amount(&b, d("100.01")), None);
}

/// Overlapping bands and a negative value are problems of the rules.
#[test]
fn fixed_rules_problems() {
    let mut b = bands();
    b[1].from = d("60");
    let rules = PayRules {
        quota: ResultQuota::BandAmount(b),
        ..PayRules::default()
    };
    assert!(rules.problems().iter().any(|p| p.contains("sovrapposte")));
    let rules = PayRules {
        quota: ResultQuota::PointValue(d("-1")),
        ..PayRules::default()
    };
    assert!(rules.problems().iter().any(|p| p.contains("negativo")));
}
