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
            "avviso: la performance organizzativa pesa 30 e non ha il peso prevalente: un'altra componente pesa 30",
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
    // No national minimum here: the year's is checked where the rules and staff are read.
    check(
        PayRules {
            art30: Some(Art30::new(d("25"), d("10"))),
            ..PayRules::default()
        },
        &[],
    );
    check(
        PayRules {
            art30: Some(Art30::new(d("-1"), d("100"))),
            ..PayRules::default()
        },
        &[
            "maggiorazione della differenziazione del -1%: non può essere negativa",
            "quota di dirigenti della differenziazione del 100%: deve essere almeno 0 e meno di 100",
        ],
    );
    check(
        PayRules {
            interim_percent_bounds: (d("40"), d("30")),
            fees: FeeCorrelation::Reduce { percent: d("120") },
            ..PayRules::default()
        },
        &[
            "limiti della percentuale di interim 40-30% non validi: servono un minimo e un massimo tra 0 e 100, il minimo non sopra il massimo",
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
