//! Properties of individual pay against a simple reference model: exact sums, shares within a
//! cent of the exact proportion, no dependence on row order, monotone in the score, nothing
//! below the threshold, art. 30 minimum for the top, exact reconciliation; with either art. 30
//! model and a minimum score, the pot, the supplements and the economie adding up exactly.

use ccdi::money::Money;
use ccdi::pay::{
    compute_pay, Art30, Art30Model, Average, BaseWeight, Component, InterimInput, InterimPayment,
    ManagerInput, Model, PayError, PayResult, PayRules, Pots, ServiceFraction, Ties,
};
use ccdi::staff::{Interim, Manager};
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::pay_table::{interim_input, origin, Mgr};

pub(crate) const YEAR: i32 = 2023;

#[derive(Debug, Clone)]
struct Case {
    pots: Pots,
    managers: Vec<Mgr>,
    interims: Vec<Interim>,
    rules: PayRules,
}

fn cents(c: i64) -> Money {
    Money::from_cents(c)
}

pub(crate) fn day(k: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(YEAR, 1, 1).unwrap() + Duration::days(k)
}

/// An interim row `k` of the property tests: `matricola` covers `post` (30.000,00 a year) at
/// `p`% from day `first` of the year for `len` days (within the year).
pub(crate) fn vacant_interim(
    k: usize,
    matricola: &str,
    post: &str,
    (p, first, len): (i64, i64, i64),
) -> Interim {
    Interim {
        matricola: matricola.to_string(),
        covered_post: post.to_string(),
        covered_position_pay: cents(3_000_000),
        start: Some(day(first)),
        end: Some(day((first + len - 1).min(364))),
        days: None,
        percent: Some(Decimal::from(p)),
        origin: origin("interim.csv", k + 2),
    }
}

/// (score in hundredths, first day, length, yearly position pay in euro, fees in euro)
fn manager() -> impl Strategy<Value = (i64, i64, i64, i64, i64)> {
    (
        0i64..=10_000,
        0i64..365,
        1i64..=365,
        1i64..=60_000,
        0i64..=5_000,
    )
}

fn case(same_service: bool) -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(manager(), 1..8),
        0i64..=50_000_000,
        0i64..=1_000_000,
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec![0i64, 10, 20, 30]),
        30i64..=50,
        (
            prop::sample::select(vec![
                Average::Destined,
                Average::AllPaid,
                Average::AllEligible,
            ]),
            prop::sample::select(vec![None, Some(Ties::Exclude), Some(Ties::Include)]),
            any::<bool>(),
        ),
        prop::collection::vec((0usize..8, 15i64..=30, 0i64..365, 1i64..=365), 0..3),
    )
        .prop_map(
            move |(
                ms,
                result,
                carry,
                model_a,
                per_head,
                quota,
                pct,
                (average, ties, all_or_nothing),
                ints,
            )| {
                let managers: Vec<Mgr> = ms
                    .iter()
                    .enumerate()
                    .map(|(i, &(score, first, len, yearly, fees))| {
                        let (first, len) = if same_service { (0, 365) } else { (first, len) };
                        let last = (first + len - 1).min(364);
                        Mgr {
                            row: Manager {
                                matricola: format!("M{i:02}").into(),
                                name: format!("Dirigente {i}").into(),
                                post: format!("Settore {i}").into(),
                                yearly_position_pay: cents(yearly * 100),
                                grading_points: None,
                                start: Some(day(first)),
                                end: Some(day(last)),
                                days: None,
                                ente_share: None,
                                origin: origin("dirigenti.csv", i + 2),
                            },
                            components: vec![("valutazione".into(), Decimal::new(score, 2))],
                            fees: cents(fees * 100),
                        }
                    })
                    .collect();
                let interims: Vec<Interim> = ints
                    .iter()
                    .enumerate()
                    .map(|(k, &(who, p, first, len))| {
                        let m = &managers[who % managers.len()].row.matricola;
                        vacant_interim(k, m, &format!("Vacante {who}"), (p, first, len))
                    })
                    .collect();
                let yearly: i64 = ms.iter().map(|m| m.3 * 100).sum();
                // Room for the interims (at most 30% of 30.000 each) and some vacant money.
                let position = yearly + 900_000 * ints.len() as i64 + carry;
                let rules = PayRules {
                    art30: Some(Art30 {
                        average,
                        ties,
                        ..Art30::new(Decimal::from(pct), Decimal::from(quota))
                    }),
                    interim_payment: if all_or_nothing {
                        InterimPayment::AllOrNothing
                    } else {
                        InterimPayment::Proportional
                    },
                    fees: ccdi::pay::FeeCorrelation::None,
                    ..one_score_rules(per_head, model_a)
                };
                Case {
                    pots: Pots {
                        year: YEAR,
                        position_share: cents(position),
                        result_share: cents(result),
                        carryovers: cents(carry),
                        sources: super::pay_table::sources(YEAR),
                    },
                    managers,
                    interims,
                    rules,
                }
            },
        )
}

/// Rules with one component (`valutazione`, weight 100), per head or by position pay, Model A
/// or B; the rest the defaults.
pub(crate) fn one_score_rules(per_head: bool, model_a: bool) -> PayRules {
    PayRules {
        components: vec![Component {
            code: "valutazione".into(),
            weight: Decimal::ONE_HUNDRED,
            organisational: true,
        }],
        base: if per_head {
            BaseWeight::PerHead
        } else {
            BaseWeight::PositionPay
        },
        model: if model_a { Model::Full } else { Model::Quota },
        ..PayRules::default()
    }
}

/// The pay's views of a case's rows.
fn inputs(c: &Case) -> (Vec<ManagerInput<'_>>, Vec<InterimInput<'_>>) {
    let managers = c.managers.iter().map(Mgr::input).collect();
    let interims = c.interims.iter().map(interim_input).collect();
    (managers, interims)
}

/// Runs a case; `None` when art. 30 cannot be met (a legitimate error of the rules).
fn run(c: &Case) -> Option<PayResult> {
    let (managers, interims) = inputs(c);
    match compute_pay(&c.pots, &managers, &interims, &[], &c.rules) {
        Ok(r) => Some(r),
        Err(PayError::Art30Infeasible { .. }) => None,
        Err(e) => panic!("unexpected error: {e}"),
    }
}

/// The reference model: b × days × c (Model A) or b × days (Model B), linear c, Days365.
fn reference_weight(m: &Mgr, rules: &PayRules, with_c: bool) -> Decimal {
    let score = m.components[0].1;
    let b = match rules.base {
        BaseWeight::PerHead => Decimal::ONE,
        _ => m.row.yearly_position_pay.value(),
    };
    let days = Decimal::from((m.row.end.unwrap() - m.row.start.unwrap()).num_days() + 1);
    let eligible = score >= rules.threshold;
    match (with_c, eligible) {
        (true, false) => Decimal::ZERO,
        (true, true) => b * days * score / Decimal::ONE_HUNDRED,
        (false, _) => b * days,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn shares_exact_and_within_a_cent(mut c in case(false)) {
        c.rules.art30 = None;
        let r = run(&c).unwrap();
        let pot = r.reconciliation.result_pot.value();
        let with_c = c.rules.model == Model::Full;
        let mut sorted = c.managers.clone();
        sorted.sort_by(|a, b| a.row.matricola.cmp(&b.row.matricola));
        let weights: Vec<Decimal> =
            sorted.iter().map(|m| reference_weight(m, &c.rules, with_c)).collect();
        let total: Decimal = weights.iter().sum();
        let anyone = r.managers.iter().any(|m| m.eligible);
        if !anyone || total.is_zero() {
            prop_assert_eq!(r.reconciliation.economie_detail.undistributed.value(), pot);
            return Ok(());
        }
        // Model A pays the pot exactly; Model B's quotas add up to it exactly.
        let sum_q: Decimal = r.managers.iter().map(|m| m.quota.value()).sum();
        prop_assert_eq!(sum_q, pot);
        if with_c {
            let sum_r: Decimal = r.managers.iter().map(|m| m.result_pay.value()).sum();
            prop_assert_eq!(sum_r, pot);
        }
        for (m, w) in r.managers.iter().zip(&weights) {
            let exact = pot * w / total;
            prop_assert!((m.quota.value() - exact).abs() < Decimal::new(1, 2),
                "{}: {} vs {}", m.matricola, m.quota.value(), exact);
        }
    }

    #[test]
    fn row_order_changes_nothing(c in case(false), seed in any::<u64>()) {
        let mut shuffled = c.clone();
        let n = shuffled.managers.len();
        for i in (1..n).rev() {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % (i as u64 + 1)) as usize;
            shuffled.managers.swap(i, j);
        }
        shuffled.interims.reverse();
        let (managers, interims) = inputs(&c);
        let a = compute_pay(&c.pots, &managers, &interims, &[], &c.rules);
        let (managers, interims) = inputs(&shuffled);
        let b = compute_pay(&shuffled.pots, &managers, &interims, &[], &shuffled.rules);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn higher_score_never_gets_less(mut c in case(true)) {
        c.rules.base = BaseWeight::PerHead;
        c.interims.clear();
        let Some(r) = run(&c) else { return Ok(()) };
        for x in &r.managers {
            for y in &r.managers {
                if x.score > y.score {
                    prop_assert!(x.result_pay >= y.result_pay, "{} < {} before art. 30", x.matricola, y.matricola);
                    prop_assert!(x.result_after_art30 >= y.result_after_art30, "{} < {} after art. 30", x.matricola, y.matricola);
                }
            }
        }
    }

    #[test]
    fn below_threshold_gets_zero(c in case(false)) {
        let Some(r) = run(&c) else { return Ok(()) };
        for m in r.managers.iter().filter(|m| m.score < c.rules.threshold) {
            prop_assert!(!m.eligible);
            prop_assert_eq!(m.result_pay, Money::ZERO);
            prop_assert_eq!(m.result_after_art30, Money::ZERO);
            prop_assert_eq!(m.interim, Money::ZERO);
        }
    }

    #[test]
    fn interim_paid_as_declared(c in case(false)) {
        let Some(r) = run(&c) else { return Ok(()) };
        for i in &r.interims {
            let m = r.managers.iter().find(|m| *m.matricola == *i.matricola).unwrap();
            let expected = match (m.eligible, c.rules.interim_payment) {
                (false, _) => Money::ZERO,
                (true, InterimPayment::AllOrNothing) => i.due,
                (true, InterimPayment::Proportional) => Money::from_exact(
                    i.due.value() * m.coefficient.min(Decimal::ONE),
                    c.rules.rounding,
                ),
            };
            prop_assert_eq!(i.paid, expected);
            prop_assert!(i.paid <= i.due);
        }
        let unpaid: Decimal = r.interims.iter().map(|i| i.due.value() - i.paid.value()).sum();
        prop_assert_eq!(r.reconciliation.economie_detail.interim_unpaid.value(), unpaid);
    }

    #[test]
    fn art30_top_at_least_the_percentage_over_the_average(c in case(false)) {
        let Some(r) = run(&c) else { return Ok(()) };
        let a = c.rules.art30.as_ref().expect("the cases declare a differentiation");
        let counted: Vec<Decimal> = r.managers.iter().filter(|m| match a.average {
            Average::Destined => true,
            Average::AllPaid => m.result_after_art30.value() > Decimal::ZERO,
            Average::AllEligible => m.eligible,
        }).map(|m| m.result_after_art30.value()).collect();
        if counted.is_empty() { return Ok(()); }
        let total = match a.average {
            Average::Destined => r.reconciliation.result_pot.value(),
            _ => counted.iter().sum::<Decimal>(),
        };
        let avg = total / Decimal::from(counted.len());
        let minimum = avg * (Decimal::ONE_HUNDRED + a.percent) / Decimal::ONE_HUNDRED;
        for m in r.managers.iter().filter(|m| m.art30_top) {
            prop_assert!(m.result_after_art30.value() >= minimum,
                "{}: {} < {}", m.matricola, m.result_after_art30.value(), minimum);
        }
        // Art. 30 only moves money: the result pay total is unchanged.
        let before: Decimal = r.managers.iter().map(|m| m.result_pay.value()).sum();
        let after: Decimal = r.managers.iter().map(|m| m.result_after_art30.value()).sum();
        prop_assert_eq!(before, after);
    }

    #[test]
    fn reconciliation_exact(mut c in case(false), fee_pct in 0i64..=100) {
        c.rules.fees = ccdi::pay::FeeCorrelation::Reduce { percent: Decimal::from(fee_pct) };
        let Some(r) = run(&c) else { return Ok(()) };
        let rec = &r.reconciliation;
        let position: Decimal = r.managers.iter().map(|m| m.position_paid.value()).sum();
        let result: Decimal = r.managers.iter().map(|m| m.result_paid.value()).sum();
        let interim: Decimal = r.managers.iter().map(|m| m.interim.value()).sum();
        let left = c.pots.position_share.value() + c.pots.result_share.value() + c.pots.carryovers.value();
        prop_assert_eq!(left, position + result + interim + rec.carried_residual.value() + rec.economie.value());
        prop_assert_eq!(rec.position_paid.value(), position);
        prop_assert_eq!(rec.result_paid.value(), result);
        prop_assert_eq!(rec.interim.value(), interim);
        for m in &r.managers {
            prop_assert!(!m.fee_reduction.is_negative() && m.fee_reduction <= m.result_after_art30);
            prop_assert_eq!(m.total.value(), m.position_paid.value() + m.result_paid.value() + m.interim.value());
        }
    }

    /// Either art. 30 model, with or without a minimum score: every row whole cents; the pot
    /// is the result pay before art. 30 plus the split's economie; the supplements are what
    /// art. 30 added, all taken from those economie (the floor model only moves money); the
    /// economie are the causes less the supplements; the reconciliation exact; no top manager
    /// below the minimum score; with `maggiorazione` no one else's pay moves and each top
    /// manager gets the full supplement when the economie suffice.
    #[test]
    fn art30_models_add_up(
        mut c in case(false),
        supplement in any::<bool>(),
        min_score in prop::option::of(0i64..=10_000),
    ) {
        let a = c.rules.art30.as_mut().expect("the cases declare a differentiation");
        a.model = if supplement { Art30Model::Supplement } else { Art30Model::Floor };
        a.min_score = min_score.map(|s| Decimal::new(s, 2));
        let min = a.min_score;
        let Some(r) = run(&c) else { return Ok(()) };
        let whole = |m: Money| m.value().round_dp(2) == m.value();
        for m in &r.managers {
            for v in [m.position_paid, m.quota, m.result_pay, m.art30_supplement, m.result_after_art30, m.result_paid, m.total] {
                prop_assert!(whole(v), "{}: {} not whole cents", m.matricola, v.value());
            }
        }
        let e = &r.reconciliation.economie_detail;
        let split_economie = e.quota_reductions.value() + e.ineligible_quotas.value() + e.undistributed.value();
        let before: Decimal = r.managers.iter().map(|m| m.result_pay.value()).sum();
        prop_assert_eq!(r.reconciliation.result_pot.value(), before + split_economie);
        let added: Decimal = r.managers.iter().map(|m| m.art30_supplement.value()).sum();
        let a = &r.art30;
        match a.model {
            Art30Model::Floor => {
                prop_assert_eq!(added, Decimal::ZERO);
                prop_assert_eq!(e.art30_supplements, Money::ZERO);
            }
            Art30Model::Supplement => {
                prop_assert_eq!(added, e.art30_supplements.value());
                prop_assert_eq!(a.supplements_paid, e.art30_supplements);
                prop_assert!(added <= split_economie);
                for m in &r.managers {
                    prop_assert!(m.art30_top || m.art30_supplement == Money::ZERO);
                    prop_assert!(m.art30_supplement <= a.supplement);
                    if a.supplements_due <= a.economie_available {
                        prop_assert!(!m.art30_top || m.art30_supplement == a.supplement);
                    }
                }
            }
        }
        let causes = split_economie + e.fee_reductions.value() + e.interim_unpaid.value();
        prop_assert_eq!(e.total.value(), causes - e.art30_supplements.value());
        prop_assert!(!e.total.is_negative());
        let position: Decimal = r.managers.iter().map(|m| m.position_paid.value()).sum();
        let result: Decimal = r.managers.iter().map(|m| m.result_paid.value()).sum();
        let interim: Decimal = r.managers.iter().map(|m| m.interim.value()).sum();
        let left = c.pots.position_share.value() + c.pots.result_share.value() + c.pots.carryovers.value();
        prop_assert_eq!(left, position + result + interim + r.reconciliation.economie.value());
        if let Some(min) = min {
            for m in r.managers.iter().filter(|m| m.art30_top) {
                prop_assert!(m.score >= min, "{} in the top with {} < {}", m.matricola, m.score, min);
            }
        }
    }
}

/// The day-based service rules (the months' rule needs the dates).
fn day_rule() -> impl Strategy<Value = ServiceFraction> {
    prop::sample::select(vec![
        ServiceFraction::CalendarDays,
        ServiceFraction::Fixed365,
        ServiceFraction::Commercial360,
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Every row given by its days (`giorni`, as the rule counts its dates) instead of its
    /// dates pays the same; a row of 0 days pays nothing and the fund still reconciles.
    #[test]
    fn days_given_pay_as_the_dates(mut c in case(false), how in day_rule(), zero in any::<prop::sample::Index>()) {
        c.rules.service = how;
        let Some(by_dates) = run(&c) else { return Ok(()) };
        let mut by_days = c.clone();
        for m in &mut by_days.managers {
            let counted = by_dates.managers.iter().find(|p| p.matricola == m.row.matricola).unwrap();
            (m.row.start, m.row.end, m.row.days) = (None, None, Some(counted.service_units));
        }
        for i in &mut by_days.interims {
            let days = ccdi::pay::served(i.start, i.end, None, YEAR, how).unwrap().units;
            (i.start, i.end, i.days) = (None, None, Some(days));
        }
        let again = run(&by_days).expect("the same pay as by the dates");
        let strip = |r: &PayResult| -> (Vec<Money>, Vec<Money>, Vec<Money>) {
            (
                r.managers.iter().map(|m| m.position_paid).collect(),
                r.managers.iter().map(|m| m.result_paid).collect(),
                // Sorted by the dates or by the days: compared as a set.
                {
                    let mut due: Vec<Money> = r.interims.iter().map(|i| i.due).collect();
                    due.sort();
                    due
                },
            )
        };
        prop_assert_eq!(strip(&by_dates), strip(&again));
        prop_assert_eq!(&by_dates.reconciliation, &again.reconciliation);
        // One row of 0 days: nothing paid to it, the fund reconciled exactly.
        let k = zero.index(by_days.managers.len());
        by_days.managers[k].row.days = Some(0);
        by_days.interims.retain(|i| i.matricola != *by_days.managers[k].row.matricola);
        let Some(r) = run(&by_days) else { return Ok(()) };
        let m = r.managers.iter().find(|p| p.matricola == by_days.managers[k].row.matricola).unwrap();
        prop_assert_eq!((m.position_paid, m.result_after_art30, m.total), (Money::ZERO, Money::ZERO, Money::ZERO));
        prop_assert!(!m.eligible);
        let q = &r.reconciliation;
        let left = q.fund.value() + q.carryovers.value();
        let right = q.position_paid.value() + q.result_paid.value() + q.interim.value()
            + q.carried_residual.value() + q.economie.value();
        prop_assert_eq!(left, right);
    }
}
