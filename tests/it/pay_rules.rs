//! Validation of the pay rules: every problem and warning, in Italian, through one helper.

use ccdi::pay::{Art30, Band, CoefficientFn, Component, FeeCorrelation, PayRules};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn comp(code: &str, w: &str, org: bool) -> Component {
    Component {
        code: code.into(),
        weight: d(w),
        organisational: org,
    }
}

fn band(f: &str, t: &str, c: &str) -> Band {
    Band {
        from: d(f),
        to: d(t),
        coefficient: d(c),
    }
}

/// Compares `validate()` (problems, then `avviso: ` warnings) with the expected lines.
#[track_caller]
fn check(rules: PayRules, expected: &[&str]) {
    assert_eq!(rules.validate(), expected);
}

#[test]
fn defaults_are_valid() {
    check(PayRules::default(), &[]);
}

#[test]
fn problems_and_warnings() {
    // Weights 30 + 30 + 30 = 90; organisational 30 not above the others' 30.
    check(
        PayRules {
            components: vec![
                comp("organizzativa", "30", true),
                comp("obiettivi", "30", false),
                comp("comportamenti", "30", false),
            ],
            ..PayRules::default()
        },
        &[
            "i pesi delle componenti sommano a 90 invece di 100",
            "avviso: la performance organizzativa pesa 30 e non ha il peso prevalente (d.lgs. 150/2009 art. 9 c.1 lett. a): un'altra componente pesa 30",
        ],
    );
    check(
        PayRules {
            threshold: d("101"),
            ..PayRules::default()
        },
        &["soglia di accesso fuori dall'intervallo 0-100: 101"],
    );
    // Gap 60-70, overlap 80-95 / 90-100.
    check(
        PayRules {
            coefficient: CoefficientFn::Bands(vec![
                band("0", "60", "0"),
                band("70", "95", "1"),
                band("90", "100", "1.2"),
            ]),
            ..PayRules::default()
        },
        &[
            "fasce di punteggio: scoperto il tratto 60-70",
            "fasce di punteggio: le fasce 70-95 e 90-100 si sovrappongono",
        ],
    );
    check(
        PayRules {
            art30: Art30 {
                percent: d("25"),
                ..Art30::default()
            },
            ..PayRules::default()
        },
        &["maggiorazione art. 30 del 25%: deve essere almeno 30, o 20 con l'art. 30 c.5"],
    );
    check(
        PayRules {
            art30: Art30 {
                percent: d("19.5"),
                c5: true,
                ..Art30::default()
            },
            ..PayRules::default()
        },
        &["maggiorazione art. 30 del 19,5%: deve essere almeno 20 con l'art. 30 c.5"],
    );
    check(
        PayRules {
            interim_percent_bounds: (d("10"), d("30")),
            fees: FeeCorrelation::Reduce { percent: d("120") },
            ..PayRules::default()
        },
        &[
            "limiti della percentuale di interim 10-30% fuori dall'intervallo 15-30% dell'art. 58",
            "riduzione per compensi ex lege del 120%: deve essere tra 0 e 100",
        ],
    );
    // 0,5 + 40 × 0,02 = 1,3 at 100 points: warned, capped at 1.
    check(
        PayRules {
            coefficient: CoefficientFn::QuotaStep {
                at_threshold: d("0.5"),
                per_point: d("0.02"),
            },
            ..PayRules::default()
        },
        &["avviso: con quota alla soglia 0,5 e incremento 0,02 per punto il coefficiente a 100 punti vale 1,3 invece di 1 (il coefficiente non supera mai 1)"],
    );
}
