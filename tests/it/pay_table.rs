//! Table tests of individual pay: each case's figures computed by hand in the comments, all
//! checked through one helper that prints the figures that matter as text.

use std::sync::Arc;

use ccdi::money::Money;
use ccdi::pay::{
    compute_pay, Art30, Art30Model, Average, Band, BaseWeight, CoefficientFn, Component,
    FeeCorrelation, InterimInput, InterimPayment, ManagerInput, Model, PayRules, Pots,
    ServiceFraction, Ties,
};
use ccdi::staff::{Interim, Manager};
use ccdi::trail::Origin;
use chrono::NaiveDate;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn eur(s: &str) -> Money {
    Money::from_cents_decimal(d(s)).unwrap()
}

fn date(year: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, m, day).unwrap()
}

/// A manager as the loader gives it: the validated row of the managers' file, its scores and
/// its fees; the pay reads it through a [`ManagerInput`].
#[derive(Debug, Clone)]
pub(crate) struct Mgr {
    pub row: Manager,
    pub components: Vec<(Arc<str>, Decimal)>,
    pub fees: Money,
}

impl Mgr {
    pub(crate) fn input(&self) -> ManagerInput<'_> {
        ManagerInput {
            manager: &self.row,
            components: self.components.clone(),
            fees: self.fees,
            reduction: Decimal::ZERO,
        }
    }
}

/// The pay's view of an interim row, whose percentage every test states.
pub(crate) fn interim_input(i: &Interim) -> InterimInput<'_> {
    InterimInput {
        interim: i,
        percent: i.percent.expect("a test interim states its percentage"),
    }
}

/// A row of file `file` at `line`.
pub(crate) fn origin(file: &str, line: usize) -> Origin {
    Origin {
        file: file.into(),
        line,
    }
}

/// A manager in `year` with one score (the single component `valutazione` weighs 100).
fn mgr(id: &str, yearly: &str, from: (u32, u32), to: (u32, u32), score: &str) -> Mgr {
    Mgr {
        row: Manager {
            matricola: id.into(),
            name: format!("Dirigente {id}").into(),
            post: format!("Settore {id}").into(),
            yearly_position_pay: eur(yearly),
            grading_points: None,
            start: Some(date(2023, from.0, from.1)),
            end: Some(date(2023, to.0, to.1)),
            days: None,
            ente_share: None,
            origin: origin("dirigenti.csv", 2),
        },
        components: vec![("valutazione".into(), d(score))],
        fees: Money::ZERO,
    }
}

fn full(id: &str, yearly: &str, score: &str) -> Mgr {
    mgr(id, yearly, (1, 1), (12, 31), score)
}

/// One component, threshold 60, linear, per head, days, Model A, no differentiation declared.
fn rules() -> PayRules {
    PayRules {
        components: vec![Component {
            code: "valutazione".into(),
            weight: d("100"),
            organisational: true,
        }],
        base: BaseWeight::PerHead,
        model: Model::Full,
        art30: None,
        ..PayRules::default()
    }
}

/// `rules()` with a differentiation of 30% for the top `quota`% (rounded up), the average of
/// the resources destined, ties not declared.
fn with_art30(quota: &str) -> PayRules {
    PayRules {
        art30: Some(Art30::new(d("30"), d(quota))),
        ..rules()
    }
}

/// The legal sources of the pay's figures in `year`, from the national catalogue.
pub(super) fn sources(year: i32) -> ccdi::pay::Sources {
    let national = ccdi::input::rules::catalogue::national(year).expect("a year of the catalogue");
    ccdi::pay::Sources::of(&national, None)
}

fn pots(position: &str, result: &str) -> Pots {
    Pots {
        year: 2023,
        position_share: eur(position),
        result_share: eur(result),
        carryovers: Money::ZERO,
        sources: sources(2023),
    }
}

/// Runs the computation and compares, line by line: per manager `matricola pos ris art30 int
/// rid` (position paid, result pay before art. 30, art. 30 movement, interim, fee reduction),
/// then `da ripartire`, `economie` and the art. 30 top group; or `errore: ...`.
#[track_caller]
fn check(pots: Pots, managers: Vec<Mgr>, interims: Vec<Interim>, rules: PayRules, expected: &str) {
    let managers: Vec<ManagerInput> = managers.iter().map(Mgr::input).collect();
    let interims: Vec<InterimInput> = interims.iter().map(interim_input).collect();
    let actual = match compute_pay(&pots, &managers, &interims, &[], &rules) {
        Ok(r) => {
            let mut lines: Vec<String> = r
                .managers
                .iter()
                .map(|m| {
                    format!(
                        "{} pos {} ris {} art30 {} int {} rid {}",
                        m.matricola,
                        m.position_paid.it(),
                        m.result_pay.it(),
                        m.art30_supplement.it(),
                        m.interim.it(),
                        m.fee_reduction.it()
                    )
                })
                .collect();
            lines.push(format!(
                "da ripartire {} economie {} top [{}] pari [{}]",
                r.reconciliation.result_pot.it(),
                r.reconciliation.economie.it(),
                r.art30.top.join(" "),
                r.art30.tied_out.join(" ")
            ));
            lines.join("\n")
        }
        Err(e) => format!("errore: {e}"),
    };
    let expected: Vec<&str> = expected
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(actual, expected.join("\n"));
}

#[test]
fn days_mid_year_hire() {
    // M1 full year: 36.500,00 × 365/365 = 36.500,00.
    // M2 from 1/7: 31+31+30+31+30+31 = 184 days; 36.500,00 × 184/365 = 100 × 184 = 18.400,00.
    // Unused position: 60.000 − 54.900 = 5.100; pot = 10.000 + 5.100 = 15.100,00.
    // Model A, per head, linear, both 80 → c = 0,8: weights 365 × 0,8 = 292 and 184 × 0,8 = 147,2,
    // sum 439,2. M1 = 15.100 × 292/439,2 = 10.039,1621...; M2 = 15.100 × 147,2/439,2 = 5.060,8378...
    // Floors 10.039,16 + 5.060,83 = 15.099,99: the last cent to the larger remainder, M2 (0,0078
    // > 0,0021): 5.060,84.
    check(
        pots("60000", "10000"),
        vec![
            full("M1", "36500", "80"),
            mgr("M2", "36500", (7, 1), (12, 31), "80"),
        ],
        vec![],
        rules(),
        "M1 pos 36.500,00 ris 10.039,16 art30 0,00 int 0,00 rid 0,00
         M2 pos 18.400,00 ris 5.060,84 art30 0,00 int 0,00 rid 0,00
         da ripartire 15.100,00 economie 0,00 top [] pari []",
    );
}

#[test]
fn days_leap_year() {
    // 2024 has 366 days. M1 full year: 36.600 × 366/366 = 36.600,00 (t = 1, not 366/365).
    // M2 1/1-31/3: 31 + 29 + 31 = 91 days; 36.600 × 91/366 = 100 × 91 = 9.100,00.
    // Unused 45.700 − 45.700 = 0; pot 0 → nothing to split.
    let mut m1 = full("M1", "36600", "80");
    (m1.row.start, m1.row.end) = (Some(date(2024, 1, 1)), Some(date(2024, 12, 31)));
    let mut m2 = full("M2", "36600", "80");
    (m2.row.start, m2.row.end) = (Some(date(2024, 1, 1)), Some(date(2024, 3, 31)));
    let mut p = pots("45700", "0");
    p.year = 2024;
    check(
        p,
        vec![m1, m2],
        vec![],
        rules(),
        "M1 pos 36.600,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         M2 pos 9.100,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         da ripartire 0,00 economie 0,00 top [] pari []",
    );
}

#[test]
fn months_fifteen_day_rule_both_sides() {
    // Yearly 12.000 → 1.000 a month.
    // A: 16/3-31/12: March has 16 days (> 15) → counts: 10 months → 10.000,00.
    // B: 17/3-31/12: March has 15 days → does not count: 9 months → 9.000,00.
    // C: 1/1-15/6: June 15 days → no: 5 months → 5.000,00.
    // D: 1/1-16/6: June 16 days → yes: 6 months → 6.000,00.
    // Position 30.000 − 30.000 = 0 unused; result 0.
    let r = PayRules {
        service: ServiceFraction::Months15,
        ..rules()
    };
    check(
        pots("30000", "0"),
        vec![
            mgr("A", "12000", (3, 16), (12, 31), "80"),
            mgr("B", "12000", (3, 17), (12, 31), "80"),
            mgr("C", "12000", (1, 1), (6, 15), "80"),
            mgr("D", "12000", (1, 1), (6, 16), "80"),
        ],
        vec![],
        r,
        "A pos 10.000,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         B pos 9.000,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         C pos 5.000,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         D pos 6.000,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         da ripartire 0,00 economie 0,00 top [] pari []",
    );
}

#[test]
fn bands() {
    // Bands [0,60) 0; [60,80) 0,6; [80,90) 0,8; [90,100] 1,2. Per head, full year, Model A.
    // Scores 59,99 (below the threshold: 0), 60 → 0,6, 79,99 → 0,6, 80 → 0,8, 100 → 1,2.
    // Sum of c = 3,2; pot 3.200 → 0 / 600 / 600 / 800 / 1.200.
    let band = |f: &str, t: &str, c: &str| Band {
        from: d(f),
        to: d(t),
        coefficient: d(c),
    };
    let r = PayRules {
        coefficient: CoefficientFn::Bands(vec![
            band("0", "60", "0"),
            band("60", "80", "0.6"),
            band("80", "90", "0.8"),
            band("90", "100", "1.2"),
        ]),
        ..rules()
    };
    check(
        pots("0", "3200"),
        vec![
            full("A", "0", "59.99"),
            full("B", "0", "60"),
            full("C", "0", "79.99"),
            full("D", "0", "80"),
            full("E", "0", "100"),
        ],
        vec![],
        r,
        "A pos 0,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         B pos 0,00 ris 600,00 art30 0,00 int 0,00 rid 0,00
         C pos 0,00 ris 600,00 art30 0,00 int 0,00 rid 0,00
         D pos 0,00 ris 800,00 art30 0,00 int 0,00 rid 0,00
         E pos 0,00 ris 1.200,00 art30 0,00 int 0,00 rid 0,00
         da ripartire 3.200,00 economie 0,00 top [] pari []",
    );
}

#[test]
fn quota_step_model_b_with_cap() {
    // Model B, per head, full year: pot 5.000 over 5 → Q = 1.000 each.
    // c = min(1; 0,5 + (S − 60) × 0,02):
    // A 50 → below threshold: 0 (1.000 economia); B 60 → 0,5 → 500; C 70 → 0,7 → 700;
    // D 80 → 0,9 → 900; E 90 → 1,1 capped at 1 → 1.000.
    // Economie: 1.000 + 500 + 300 + 100 + 0 = 1.900.
    let r = PayRules {
        coefficient: CoefficientFn::QuotaStep {
            at_threshold: d("0.5"),
            per_point: d("0.02"),
        },
        model: Model::Quota,
        ..rules()
    };
    check(
        pots("0", "5000"),
        vec![
            full("A", "0", "50"),
            full("B", "0", "60"),
            full("C", "0", "70"),
            full("D", "0", "80"),
            full("E", "0", "90"),
        ],
        vec![],
        r,
        "A pos 0,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         B pos 0,00 ris 500,00 art30 0,00 int 0,00 rid 0,00
         C pos 0,00 ris 700,00 art30 0,00 int 0,00 rid 0,00
         D pos 0,00 ris 900,00 art30 0,00 int 0,00 rid 0,00
         E pos 0,00 ris 1.000,00 art30 0,00 int 0,00 rid 0,00
         da ripartire 5.000,00 economie 1.900,00 top [] pari []",
    );
}

#[test]
fn position_pay_base_model_a() {
    // Base = yearly position pay, linear, Model A. A 40.000 score 90, B 20.000 score 60,
    // C 20.000 score 50 (ineligible: its share is redistributed).
    // Weights 40.000 × 0,9 = 36.000; 20.000 × 0,6 = 12.000; 0. Pot 8.000 (position fully used):
    // A = 8.000 × 36/48 = 6.000; B = 8.000 × 12/48 = 2.000.
    let r = PayRules {
        base: BaseWeight::PositionPay,
        ..rules()
    };
    check(
        pots("80000", "8000"),
        vec![
            full("A", "40000", "90"),
            full("B", "20000", "60"),
            full("C", "20000", "50"),
        ],
        vec![],
        r,
        "A pos 40.000,00 ris 6.000,00 art30 0,00 int 0,00 rid 0,00
         B pos 20.000,00 ris 2.000,00 art30 0,00 int 0,00 rid 0,00
         C pos 20.000,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         da ripartire 8.000,00 economie 0,00 top [] pari []",
    );
}

#[test]
fn position_pay_base_model_b() {
    // Same managers, Model B: Q by b × t = 40:20:20 of 8.000 → 4.000 / 2.000 / 2.000.
    // Paid: A 4.000 × 0,9 = 3.600; B 2.000 × 0,6 = 1.200; C below threshold 0.
    // Economie: 400 + 800 + 2.000 = 3.200.
    let r = PayRules {
        base: BaseWeight::PositionPay,
        model: Model::Quota,
        ..rules()
    };
    check(
        pots("80000", "8000"),
        vec![
            full("A", "40000", "90"),
            full("B", "20000", "60"),
            full("C", "20000", "50"),
        ],
        vec![],
        r,
        "A pos 40.000,00 ris 3.600,00 art30 0,00 int 0,00 rid 0,00
         B pos 20.000,00 ris 1.200,00 art30 0,00 int 0,00 rid 0,00
         C pos 20.000,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         da ripartire 8.000,00 economie 3.200,00 top [] pari []",
    );
}

#[test]
fn grading_points_base() {
    // Points 100 and 300, both score 100 (c = 1), Model A: 1.000 × 100/400 = 250; × 300/400 = 750.
    let r = PayRules {
        base: BaseWeight::GradingPoints,
        ..rules()
    };
    let mut a = full("A", "0", "100");
    a.row.grading_points = Some(d("100"));
    let mut b = full("B", "0", "100");
    b.row.grading_points = Some(d("300"));
    check(
        pots("0", "1000"),
        vec![a, b.clone()],
        vec![],
        r.clone(),
        "A pos 0,00 ris 250,00 art30 0,00 int 0,00 rid 0,00
         B pos 0,00 ris 750,00 art30 0,00 int 0,00 rid 0,00
         da ripartire 1.000,00 economie 0,00 top [] pari []",
    );
    check(
        pots("0", "1000"),
        vec![full("A", "0", "100"), b],
        vec![],
        r,
        "errore: dirigente A: mancano i punti di pesatura",
    );
}

#[test]
fn nobody_eligible_is_all_economia() {
    // Both below 60: the pot 1.000 is all economia.
    check(
        pots("0", "1000"),
        vec![full("A", "0", "59"), full("B", "0", "10")],
        vec![],
        rules(),
        "A pos 0,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         B pos 0,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         da ripartire 1.000,00 economie 1.000,00 top [] pari []",
    );
}

#[test]
fn art30_raises_the_top_and_takes_proportionally() {
    // Per head, linear, Model A, pot 10.000, scores 100/90/80/70/60 → c sum 4,0:
    // A 2.500, B 2.250, C 2.000, D 1.750, E 1.500.
    // Quota 20% of 5 evaluated = 1 → top A. Average of the resources destined 10.000 / 5 =
    // 2.000; minimum 2.000 × 1,3 = 2.600.
    // A needs 100; the others have 7.500 → re-split 7.400 over 2.250:2.000:1.750:1.500:
    // B 2.220; C 1.973,333; D 1.726,666; E 1.480 → floors sum 7.399,99, last cent to D (0,0066 >
    // 0,0033): D 1.726,67. Movements: A +100; B −30; C −26,67; D −23,33; E −20.
    let r = with_art30("20");
    check(
        pots("0", "10000"),
        vec![
            full("A", "0", "100"),
            full("B", "0", "90"),
            full("C", "0", "80"),
            full("D", "0", "70"),
            full("E", "0", "60"),
        ],
        vec![],
        r,
        "A pos 0,00 ris 2.500,00 art30 100,00 int 0,00 rid 0,00
         B pos 0,00 ris 2.250,00 art30 -30,00 int 0,00 rid 0,00
         C pos 0,00 ris 2.000,00 art30 -26,67 int 0,00 rid 0,00
         D pos 0,00 ris 1.750,00 art30 -23,33 int 0,00 rid 0,00
         E pos 0,00 ris 1.500,00 art30 -20,00 int 0,00 rid 0,00
         da ripartire 10.000,00 economie 0,00 top [A] pari []",
    );
}

#[test]
fn art30_tie_at_cut_off_excluded_or_included() {
    // Quota 25% of 4 = 1; A and B tie at 90 on the cut-off.
    // c 0,9/0,9/0,8/0,7 sum 3,3; pot 3.300 → 900/900/800/700.
    // Excluded (not declared, or "escludi"): no top, nothing moved.
    // Included ("includi"): A and B both top. Average destined 3.300 / 4 = 825; minimum 825 ×
    // 1,3 = 1.072,50. A and B need 172,50 each = 345 from C and D (1.500): re-split 1.155 over
    // 800:700 → C 616, D 539. Movements: +172,50, +172,50, −184, −161.
    let excluded = "A pos 0,00 ris 900,00 art30 0,00 int 0,00 rid 0,00
         B pos 0,00 ris 900,00 art30 0,00 int 0,00 rid 0,00
         C pos 0,00 ris 800,00 art30 0,00 int 0,00 rid 0,00
         D pos 0,00 ris 700,00 art30 0,00 int 0,00 rid 0,00
         da ripartire 3.300,00 economie 0,00 top [] pari [A B]";
    let included = "A pos 0,00 ris 900,00 art30 172,50 int 0,00 rid 0,00
         B pos 0,00 ris 900,00 art30 172,50 int 0,00 rid 0,00
         C pos 0,00 ris 800,00 art30 -184,00 int 0,00 rid 0,00
         D pos 0,00 ris 700,00 art30 -161,00 int 0,00 rid 0,00
         da ripartire 3.300,00 economie 0,00 top [A B] pari []";
    for (ties, expected) in [
        (None, excluded),
        (Some(Ties::Exclude), excluded),
        (Some(Ties::Include), included),
    ] {
        let mut r = with_art30("25");
        r.art30.as_mut().unwrap().ties = ties;
        check(
            pots("0", "3300"),
            vec![
                full("A", "0", "90"),
                full("B", "0", "90"),
                full("C", "0", "80"),
                full("D", "0", "70"),
            ],
            vec![],
            r,
            expected,
        );
    }
}

#[test]
fn art30_top_already_above_minimum() {
    // Quota 25% of 4 = 1 → top A (100). c 1/0,6/0,6/0,6 sum 2,8; pot 2.800 → 1.000/600/600/600.
    // Average destined 2.800 / 4 = 700; minimum 910: A has 1.000 ≥ 910, nothing moves.
    let r = with_art30("25");
    check(
        pots("0", "2800"),
        vec![
            full("A", "0", "100"),
            full("B", "0", "60"),
            full("C", "0", "60"),
            full("D", "0", "60"),
        ],
        vec![],
        r,
        "A pos 0,00 ris 1.000,00 art30 0,00 int 0,00 rid 0,00
         B pos 0,00 ris 600,00 art30 0,00 int 0,00 rid 0,00
         C pos 0,00 ris 600,00 art30 0,00 int 0,00 rid 0,00
         D pos 0,00 ris 600,00 art30 0,00 int 0,00 rid 0,00
         da ripartire 2.800,00 economie 0,00 top [A] pari []",
    );
}

#[test]
fn art30_quota_on_the_managers_evaluated() {
    // 8 managers, 3 of them below the threshold: quota 25% of the 8 evaluated = 2 (of the 5
    // eligible it would be 1,25 → 2 as well rounded up; rounded down 2 against 1).
    // Scores 100, 90, 80, 70, 60 and three at 50: c 1/0,9/0,8/0,7/0,6, sum 4; pot 4.000 →
    // A 1.000, B 900, C 800, D 700, E 600. Average destined 4.000 / 8 = 500; minimum 650: A
    // and B are already above it, nothing moves.
    let mut r = with_art30("25");
    r.art30.as_mut().unwrap().quota_rounding = ccdi::pay::QuotaRounding::Down;
    let low = |id: &str| full(id, "0", "50");
    let result = compute(
        pots("0", "4000"),
        vec![
            full("A", "0", "100"),
            full("B", "0", "90"),
            full("C", "0", "80"),
            full("D", "0", "70"),
            full("E", "0", "60"),
            low("F"),
            low("G"),
            low("H"),
        ],
        r,
    );
    assert_eq!(result.art30.evaluated, 8);
    assert_eq!(result.art30.quota_count, 2);
    assert_eq!(result.art30.top, ["A", "B"]);
    assert_eq!(result.art30.average, d("500"));
    assert_eq!(result.art30.minimum, eur("650"));
}

#[test]
fn art30_average_destined_or_paid() {
    // Model B, per head: pot 3.000 over 3 → quota 1.000 each. A 100 → 1.000; B 80 → 800;
    // C 40 below the threshold → 0 (1.000 economia, 200 from B).
    // Destined: 3.000 / 3 = 1.000, minimum 1.300: A needs 300 from B (800) → B 500.
    // Paid: (1.000 + 800) / 2 = 900, minimum 1.170: A needs 170 → B 630; recomputed average
    // (1.170 + 630) / 2 = 900, so one round.
    let managers = || {
        vec![
            full("A", "0", "100"),
            full("B", "0", "80"),
            full("C", "0", "40"),
        ]
    };
    let quota_b = |average: Average| PayRules {
        model: Model::Quota,
        art30: Some(Art30 {
            average,
            ..Art30::new(d("30"), d("10"))
        }),
        ..rules()
    };
    let destined = "A pos 0,00 ris 1.000,00 art30 300,00 int 0,00 rid 0,00
         B pos 0,00 ris 800,00 art30 -300,00 int 0,00 rid 0,00
         C pos 0,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         da ripartire 3.000,00 economie 1.200,00 top [A] pari []";
    let paid = "A pos 0,00 ris 1.000,00 art30 170,00 int 0,00 rid 0,00
         B pos 0,00 ris 800,00 art30 -170,00 int 0,00 rid 0,00
         C pos 0,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         da ripartire 3.000,00 economie 1.200,00 top [A] pari []";
    for (average, expected) in [(Average::Destined, destined), (Average::AllPaid, paid)] {
        check(
            pots("0", "3000"),
            managers(),
            vec![],
            quota_b(average),
            expected,
        );
    }
}

#[test]
fn art30_not_applied_at_or_below_the_national_exclusion() {
    // As art30_raises_the_top_and_takes_proportionally, with the year's exclusion at 5
    // managers: 5 managers, nothing moves, the note says why.
    let mut r = with_art30("20");
    r.art30.as_mut().unwrap().excluded_up_to = Some(5);
    let managers = ["A", "B", "C", "D", "E"]
        .iter()
        .zip(["100", "90", "80", "70", "60"])
        .map(|(id, s)| full(id, "0", s))
        .collect();
    let result = compute(pots("0", "10000"), managers, r);
    assert!(!result.art30.applied);
    assert!(result.art30.top.is_empty());
    assert!(result
        .managers
        .iter()
        .all(|m| m.art30_supplement == Money::ZERO));
    assert_eq!(
        result.art30.note.as_deref(),
        Some("non applicata: 5 dirigenti in servizio, non più di 5, e il contratto dell'anno esclude la differenziazione; la retribuzione di risultato resta comunque selettiva")
    );
}

/// Runs the computation without interims, which must succeed.
fn compute(pots: Pots, managers: Vec<Mgr>, rules: PayRules) -> ccdi::pay::PayResult {
    let managers: Vec<ManagerInput> = managers.iter().map(Mgr::input).collect();
    compute_pay(&pots, &managers, &[], &[], &rules).expect("the pay computes")
}

fn interim(
    id: &str,
    post: &str,
    pay: &str,
    from: (u32, u32),
    to: (u32, u32),
    pct: &str,
) -> Interim {
    Interim {
        matricola: id.into(),
        covered_post: post.into(),
        covered_position_pay: eur(pay),
        start: Some(date(2023, from.0, from.1)),
        end: Some(date(2023, to.0, to.1)),
        days: None,
        percent: Some(d(pct)),
        origin: origin("interim.csv", 2),
    }
}

#[test]
fn interim_paid_and_not_paid() {
    // A (score 80) covers "Servizi sociali" (36.500) at 20% from 1/1 to 31/3: 31+28+31 = 90 days:
    // 36.500 × 20% × 90/365 = 7.300 × 90/365 = 1.800,00, paid.
    // B (score 50) covers "Cultura" (18.250) at 30% from 1/7 to 31/12, 184 days:
    // 18.250 × 30% × 184/365 = 5.475 × 184/365 = 2.760,00, not paid: economia.
    // Position 83.000 − 73.000 = 10.000 unused; pot = 5.000 + 10.000 − (1.800 + 2.760) = 10.440,
    // all to A (B below threshold).
    // Proportional (the default): A's coefficient 0,8 → 1.800 × 0,8 = 1.440 paid, 360 economia;
    // economie 2.760 + 360 = 3.120. Check: 88.000 = 73.000 + 10.440 + 1.440 + 3.120.
    // All or nothing: A at the threshold → 1.800 paid; economie 2.760.
    // Check: 88.000 = 73.000 + 10.440 + 1.800 + 2.760.
    let managers = || vec![full("A", "36500", "80"), full("B", "36500", "50")];
    let interims = || {
        vec![
            interim("B", "Cultura", "18250", (7, 1), (12, 31), "30"),
            interim("A", "Servizi sociali", "36500", (1, 1), (3, 31), "20"),
        ]
    };
    check(
        pots("83000", "5000"),
        managers(),
        interims(),
        rules(),
        "A pos 36.500,00 ris 10.440,00 art30 0,00 int 1.440,00 rid 0,00
         B pos 36.500,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         da ripartire 10.440,00 economie 3.120,00 top [] pari []",
    );
    let all_or_nothing = PayRules {
        interim_payment: InterimPayment::AllOrNothing,
        ..rules()
    };
    check(
        pots("83000", "5000"),
        managers(),
        interims(),
        all_or_nothing,
        "A pos 36.500,00 ris 10.440,00 art30 0,00 int 1.800,00 rid 0,00
         B pos 36.500,00 ris 0,00 art30 0,00 int 0,00 rid 0,00
         da ripartire 10.440,00 economie 2.760,00 top [] pari []",
    );
}

#[test]
fn interim_proportional_rounded_once() {
    // A scores 67 → c 0,67; covers 10.000 at 15% for the whole year: due 1.500,00;
    // paid 1.500 × 0,67 = 1.005,00. B scores 66,67 → c 0,6667: due 1.500,00; paid 1.500 ×
    // 0,6667 = 1.000,05. Pot 4.000 − 3.000 = 1.000 → A 1.000 × 0,67/1,3367 = 501,23...;
    // B 498,76... (largest remainder). Economie: 495,00 + 499,95 = 994,95.
    let mut b = full("B", "0", "66.67");
    b.row.origin = origin("dirigenti.csv", 3);
    check(
        pots("0", "4000"),
        vec![full("A", "0", "67"), b],
        vec![
            interim("A", "X", "10000", (1, 1), (12, 31), "15"),
            interim("B", "Y", "10000", (1, 1), (12, 31), "15"),
        ],
        rules(),
        "A pos 0,00 ris 501,23 art30 0,00 int 1.005,00 rid 0,00
         B pos 0,00 ris 498,77 art30 0,00 int 1.000,05 rid 0,00
         da ripartire 1.000,00 economie 994,95 top [] pari []",
    );
}

#[test]
fn interim_percent_out_of_bounds() {
    // The bounds of the year's national rules, as the rules file's reader sets them.
    let national = ccdi::input::rules::catalogue::national(2023).unwrap();
    let r = PayRules {
        interim_percent_bounds: (national.interim.min, national.interim.max),
        ..rules()
    };
    check(
        pots("83000", "5000"),
        vec![full("A", "36500", "80")],
        vec![interim("A", "Cultura", "18250", (7, 1), (12, 31), "31")],
        r,
        "errore: interim di A su \"Cultura\": percentuale 31% fuori dai limiti 15-30%",
    );
}

#[test]
fn fee_reduction() {
    // Threshold 0, per head, Model A, pot 2.500: A score 80, B score 20 → 2.000 / 500.
    // Reduce by 50% of fees: A fees 1.000 → 500 → paid 1.500; B fees 3.000 → 1.500, capped at
    // its 500 → paid 0. Economie 500 + 500 = 1.000.
    let r = PayRules {
        threshold: Decimal::ZERO,
        fees: FeeCorrelation::Reduce { percent: d("50") },
        ..rules()
    };
    let mut a = full("A", "0", "80");
    a.fees = eur("1000");
    let mut b = full("B", "0", "20");
    b.fees = eur("3000");
    check(
        pots("0", "2500"),
        vec![a, b],
        vec![],
        r,
        "A pos 0,00 ris 2.000,00 art30 0,00 int 0,00 rid 500,00
         B pos 0,00 ris 500,00 art30 0,00 int 0,00 rid 500,00
         da ripartire 2.500,00 economie 1.000,00 top [] pari []",
    );
}

#[test]
fn errors() {
    // Position paid 36.500 over a share of 30.000: excess 6.500.
    check(
        pots("30000", "0"),
        vec![full("A", "36500", "80")],
        vec![],
        rules(),
        "errore: la retribuzione di posizione erogata (36.500,00) supera la quota di posizione (30.000,00) di 6.500,00",
    );
    // Interim 36.500 × 30% × 365/365 = 10.950 over a pot of 0 + 0 + 1.000 unused.
    check(
        pots("1000", "0"),
        vec![full("A", "0", "80")],
        vec![interim("A", "Cultura", "36500", (1, 1), (12, 31), "30")],
        rules(),
        "errore: la retribuzione di risultato da ripartire sarebbe negativa: 0,00 + 0,00 di riporti + 1.000,00 di posizione non utilizzata − 10.950,00 di interim = -9.950,00",
    );
    let mut late = full("A", "0", "80");
    late.row.end = Some(date(2024, 1, 31));
    check(
        pots("0", "0"),
        vec![late],
        vec![],
        rules(),
        "errore: dirigente A: periodo dal 01/01/2023 al 31/01/2024 non compreso nell'anno 2023",
    );
    check(
        pots("0", "0"),
        vec![full("A", "0", "80"), full("A", "0", "70")],
        vec![],
        rules(),
        "errore: matricola A ripetuta",
    );
}

#[test]
fn art30_minimum_score_with_the_floor_model() {
    // As art30_raises_the_top_and_takes_proportionally, quota 40% of 5 = 2 by rank: A (100)
    // and B (90); with punteggio_minimo 95 B is left out, the top is A alone and the figures
    // are those of the quota of 1: A +100, B −30, C −26,67, D −23,33, E −20.
    let mut r = with_art30("40");
    r.art30.as_mut().unwrap().min_score = Some(d("95"));
    let managers = || {
        vec![
            full("A", "0", "100"),
            full("B", "0", "90"),
            full("C", "0", "80"),
            full("D", "0", "70"),
            full("E", "0", "60"),
        ]
    };
    check(
        pots("0", "10000"),
        managers(),
        vec![],
        r.clone(),
        "A pos 0,00 ris 2.500,00 art30 100,00 int 0,00 rid 0,00
         B pos 0,00 ris 2.250,00 art30 -30,00 int 0,00 rid 0,00
         C pos 0,00 ris 2.000,00 art30 -26,67 int 0,00 rid 0,00
         D pos 0,00 ris 1.750,00 art30 -23,33 int 0,00 rid 0,00
         E pos 0,00 ris 1.500,00 art30 -20,00 int 0,00 rid 0,00
         da ripartire 10.000,00 economie 0,00 top [A] pari []",
    );
    let result = compute(pots("0", "10000"), managers(), r.clone());
    assert_eq!(result.art30.below_min_score, vec!["B".to_string()]);
    // A minimum no one reaches (A at 99 this time): no top group, nothing moves, the note
    // says why.
    r.art30.as_mut().unwrap().min_score = Some(d("99.5"));
    let mut below = managers();
    below[0] = full("A", "0", "99");
    let result = compute(pots("0", "10000"), below, r);
    assert!(result.art30.top.is_empty());
    assert!(result
        .managers
        .iter()
        .all(|m| m.art30_supplement == Money::ZERO));
    assert_eq!(
        result.art30.note.as_deref(),
        Some("nessun dirigente valutato positivamente raggiunge il punteggio minimo 99,5 per la differenziazione: nessuna maggiorazione")
    );
}

#[test]
fn art30_supplement_with_model_a_has_no_economie_to_pay_it() {
    // Model A shares the whole pot: no economie, so the supplement of the top (30% of the
    // average 10.000 / 3 = 3.333,33…: 1.000,00) is reduced to 0 with an avviso; no one else
    // is cut.
    let mut r = with_art30("20");
    r.art30.as_mut().unwrap().model = Art30Model::Supplement;
    let result = compute(
        pots("0", "10000"),
        vec![
            full("A", "0", "100"),
            full("B", "0", "90"),
            full("C", "0", "80"),
        ],
        r,
    );
    let a = &result.art30;
    assert_eq!(a.top, vec!["A".to_string()]);
    assert_eq!(a.supplement, eur("1000"));
    assert_eq!(a.supplements_due, eur("1000"));
    assert_eq!(a.economie_available, Money::ZERO);
    assert_eq!(a.supplements_paid, Money::ZERO);
    assert!(result
        .managers
        .iter()
        .all(|m| m.art30_supplement == Money::ZERO));
    assert_eq!(
        a.warning.as_deref(),
        Some("maggiorazioni della differenziazione ridotte in proporzione: dovute 1.000,00 (1.000,00, il 30% della media 3.333,33, × 1 dirigenti più valutati), economie della ripartizione disponibili 0,00, erogate 0,00; le retribuzioni degli altri dirigenti non sono ridotte")
    );
}

#[test]
fn art30_supplement_rounded_up_paid_from_model_b_economie() {
    // Model B per head, pot 1.000,00 over 3: quotas 333,34 / 333,33 / 333,33 (the cent to A by
    // matricola); c = 1, 0,9, 0,7 → A 333,34, B 300,00, C 233,33 (233,331 rounded);
    // economie 33,33 + 100,00 = 133,33. Quota 1 → A; average 1.000 / 3 = 333,333…;
    // supplement 30% = 100,00 (exactly 99,99…9 → rounded up to 100,00), paid in full;
    // economie 133,33 − 100,00 = 33,33.
    let mut r = with_art30("20");
    r.model = Model::Quota;
    r.art30.as_mut().unwrap().model = Art30Model::Supplement;
    check(
        pots("0", "1000"),
        vec![
            full("A", "0", "100"),
            full("B", "0", "90"),
            full("C", "0", "70"),
        ],
        vec![],
        r,
        "A pos 0,00 ris 333,34 art30 100,00 int 0,00 rid 0,00
         B pos 0,00 ris 300,00 art30 0,00 int 0,00 rid 0,00
         C pos 0,00 ris 233,33 art30 0,00 int 0,00 rid 0,00
         da ripartire 1.000,00 economie 33,33 top [A] pari []",
    );
}
