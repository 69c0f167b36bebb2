//! Attainment of PEG indicators, objectives and managers: table tests per kind and direction,
//! deadline tolerance, floor, all-or-nothing, starting values, measured values as written;
//! properties (bounds, monotonicity, order independence); a PEG with large groups scored
//! whole; a PEG read in its fund's year with starting values.

use std::str::FromStr;

use ccdi::money::Rounding;
use ccdi::peg::{
    indicator_attainment, objective_attainment, read_measure, read_target, weighted_mean,
    AttainmentRules, DeadlineTolerance, Measure, ObjectiveRule, Scoring, TargetKind,
};
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal literal")
}

/// `want` is `<value> | <formula>`, or `errore: <message>` (for a measure or attainment error).
#[track_caller]
fn check(target: &str, measured: &str, rules: &AttainmentRules, want: &str) {
    let t = read_target(target, "");
    let got = match read_measure(measured) {
        Err(e) => format!("errore: {e}"),
        Ok(m) => match indicator_attainment(&t, &m, rules) {
            Ok(a) => {
                assert_eq!(
                    a.value,
                    ccdi::money::round(a.exact, rules.decimals, rules.rounding)
                );
                assert!(a.value >= Decimal::ZERO && a.value <= Decimal::ONE_HUNDRED);
                format!("{} | {}", a.value, a.formula)
            }
            Err(e) => format!("errore: {e}"),
        },
    };
    assert_eq!(got, want, "target {target:?}, misurato {measured:?}");
}

fn rules() -> AttainmentRules {
    AttainmentRules::default()
}

#[test]
fn higher_is_better() {
    let r = rules();
    let rows = [
        (
            "almeno 20",
            "18",
            "90.00 | crescente: 18 / 20 × 100 = 90,00%",
        ),
        (
            "almeno 20",
            "20",
            "100.00 | crescente: 20 / 20 × 100 = 100,00%",
        ),
        (
            "almeno 20",
            "25",
            "100.00 | crescente: 25 / 20 × 100 = 125%, limitato a 100,00%",
        ),
        ("almeno 20", "0", "0.00 | crescente: 0 / 20 × 100 = 0,00%"),
        ("almeno 3", "2", "66.67 | crescente: 2 / 3 × 100 = 66,67%"),
        (
            "1.200",
            "1.000",
            "83.33 | crescente: 1.000 / 1.200 × 100 = 83,33%",
        ),
        ("> 5", "5", "100.00 | crescente: 5 / 5 × 100 = 100,00%"),
        (
            "90%",
            "85,5%",
            "95.00 | crescente: 85,5% / 90% × 100 = 95,00%",
        ),
        ("90%", "45", "50.00 | crescente: 45% / 90% × 100 = 50,00%"),
        (
            "1/1",
            "100%",
            "100.00 | crescente: 100% / 100% × 100 = 100,00%",
        ),
        (
            "almeno 0",
            "0",
            "100.00 | crescente: target 0, misurato 0 = 100,00%",
        ),
        (
            "almeno 20",
            "-5",
            "0.00 | crescente: -5 / 20 × 100 = -25%, portato a 0,00%",
        ),
    ];
    for (target, measured, want) in rows {
        check(target, measured, &r, want);
    }
}

#[test]
fn lower_is_better() {
    let r = rules();
    let rows = [
        (
            "massimo 3",
            "4",
            "75.00 | decrescente: 3 / 4 × 100 = 75,00%",
        ),
        (
            "massimo 3",
            "3",
            "100.00 | decrescente: 3 / 3 × 100 = 100,00%",
        ),
        (
            "massimo 3",
            "2",
            "100.00 | decrescente: 3 / 2 × 100 = 150%, limitato a 100,00%",
        ),
        (
            "massimo 3",
            "0",
            "100.00 | decrescente: misurato 0, nessun valore da ridurre = 100,00%",
        ),
        ("max 0", "2", "0.00 | decrescente: 0 / 2 × 100 = 0,00%"),
        (
            "non superiore a 5%",
            "6%",
            "83.33 | decrescente: 5% / 6% × 100 = 83,33%",
        ),
    ];
    for (target, measured, want) in rows {
        check(target, measured, &r, want);
    }
}

#[test]
fn all_or_nothing() {
    let r = AttainmentRules {
        quantity: Scoring::AllOrNothing,
        ..rules()
    };
    let rows = [
        (
            "almeno 20",
            "20",
            "100.00 | crescente, tutto o niente: 20 ≥ 20, raggiunto = 100,00%",
        ),
        (
            "almeno 20",
            "19,5",
            "0.00 | crescente, tutto o niente: 19,5 < 20, non raggiunto = 0,00%",
        ),
        (
            "> 5",
            "5",
            "0.00 | crescente, tutto o niente: 5 ≤ 5, non raggiunto = 0,00%",
        ),
        (
            "> 5",
            "6",
            "100.00 | crescente, tutto o niente: 6 > 5, raggiunto = 100,00%",
        ),
        (
            "massimo 3",
            "3",
            "100.00 | decrescente, tutto o niente: 3 ≤ 3, raggiunto = 100,00%",
        ),
        (
            "massimo 3",
            "4",
            "0.00 | decrescente, tutto o niente: 4 > 3, non raggiunto = 0,00%",
        ),
        (
            "< 3",
            "3",
            "0.00 | decrescente, tutto o niente: 3 ≥ 3, non raggiunto = 0,00%",
        ),
        (
            "< 3",
            "2",
            "100.00 | decrescente, tutto o niente: 2 < 3, raggiunto = 100,00%",
        ),
    ];
    for (target, measured, want) in rows {
        check(target, measured, &r, want);
    }
}

#[test]
fn deadlines() {
    let strict = rules();
    let decay = AttainmentRules {
        deadline: DeadlineTolerance::LinearDecay { days: 30 },
        ..rules()
    };
    let rows = [
        (&strict, "entro il 31.07.20", "15/07/2020", "100.00 | scadenza 31/07/2020: realizzato il 15/07/2020, nei termini = 100,00%"),
        (&strict, "entro il 31.07.20", "31/07/2020", "100.00 | scadenza 31/07/2020: realizzato il 31/07/2020, nei termini = 100,00%"),
        (&strict, "entro il 31.07.20", "01/08/2020", "0.00 | scadenza 31/07/2020: realizzato il 01/08/2020, 1 giorni di ritardo, oltre la scadenza = 0,00%"),
        (&strict, "ENTRO OTTOBRE 2020", "no", "0.00 | scadenza 31/10/2020: non realizzato = 0,00%"),
        (&decay, "entro il 31.07.20", "10/08/2020", "66.67 | scadenza 31/07/2020: realizzato il 10/08/2020, 10 giorni di ritardo su 30 di tolleranza: 100 × (1 − 10/30) = 66,67%"),
        (&decay, "entro il 31.07.20", "30/08/2020", "0.00 | scadenza 31/07/2020: realizzato il 30/08/2020, 30 giorni di ritardo su 30 di tolleranza: 100 × (1 − 30/30) = 0,00%"),
        (&decay, "entro il 31.07.20", "31/12/2020", "0.00 | scadenza 31/07/2020: realizzato il 31/12/2020, 153 giorni di ritardo su 30 di tolleranza: 100 × (1 − 153/30) = 0,00%"),
        (&decay, "entro il 31.07.20", "2020-07-01", "100.00 | scadenza 31/07/2020: realizzato il 01/07/2020, nei termini = 100,00%"),
    ];
    for (r, target, measured, want) in rows {
        check(target, measured, r, want);
    }
    // A tolerance of zero days is strict.
    let zero = AttainmentRules {
        deadline: DeadlineTolerance::LinearDecay { days: 0 },
        ..rules()
    };
    check(
        "entro 2022",
        "01/01/2023",
        &zero,
        "0.00 | scadenza 31/12/2022: realizzato il 01/01/2023, 1 giorni di ritardo, oltre la scadenza = 0,00%",
    );
}

#[test]
fn yes_no_and_compounds() {
    let r = rules();
    let rows = [
        ("SI", "sì", "100.00 | sì/no: realizzato = 100,00%"),
        ("X", "x", "100.00 | sì/no: realizzato = 100,00%"),
        ("si", "no", "0.00 | sì/no: non realizzato = 0,00%"),
        ("si", "falso", "0.00 | sì/no: non realizzato = 0,00%"),
        (
            "50% ENTRO LUGLIO 2020",
            "40%",
            "80.00 | crescente: 40% / 50% × 100 (valore raggiunto entro il 31/07/2020, data non verificata) = 80,00%",
        ),
    ];
    for (target, measured, want) in rows {
        check(target, measured, &r, want);
    }
}

/// [`check`] for a target measured from a starting value `baseline` (a percentage when it
/// ends with `%`).
#[track_caller]
fn check_from(target: &str, baseline: &str, measured: &str, rules: &AttainmentRules, want: &str) {
    let (b, percent) = match baseline.strip_suffix('%') {
        Some(b) => (d(b), true),
        None => (d(baseline), false),
    };
    let t = read_target(target, "")
        .with_baseline(b, percent)
        .expect("a target with its starting value");
    let m = read_measure(measured).expect("a measured value");
    let got = match indicator_attainment(&t, &m, rules) {
        Ok(a) => format!("{} | {}", a.value, a.formula),
        Err(e) => format!("errore: {e}"),
    };
    assert_eq!(
        got, want,
        "target {target:?} da {baseline}, misurato {measured:?}"
    );
}

#[test]
fn from_a_starting_value() {
    let r = rules();
    let rows = [
        ("riduzione del 10%", "40", "38", "50.00 | decrescente dal valore iniziale 40 al target 36: (40 − 38) / (40 − 36) × 100 = 50,00%"),
        ("riduzione del 10%", "40", "36", "100.00 | decrescente dal valore iniziale 40 al target 36: (40 − 36) / (40 − 36) × 100 = 100,00%"),
        ("riduzione del 10%", "40", "30", "100.00 | decrescente dal valore iniziale 40 al target 36: (40 − 30) / (40 − 36) × 100 = 250%, limitato a 100,00%"),
        ("riduzione del 10%", "40", "42", "0.00 | decrescente dal valore iniziale 40 al target 36: (40 − 42) / (40 − 36) × 100 = -50%, portato a 0,00%"),
        ("riduzione del 10%", "40", "40", "0.00 | decrescente dal valore iniziale 40 al target 36: (40 − 40) / (40 − 36) × 100 = 0,00%"),
        ("aumento del 10%", "200", "215", "75.00 | crescente dal valore iniziale 200 al target 220: (215 − 200) / (220 − 200) × 100 = 75,00%"),
        ("-10%", "12%", "11%", "83.33 | decrescente dal valore iniziale 12% al target 10,8%: (12% − 11%) / (12% − 10,8%) × 100 = 83,33%"),
        ("-10%", "12%", "11", "83.33 | decrescente dal valore iniziale 12% al target 10,8%: (12% − 11%) / (12% − 10,8%) × 100 = 83,33%"),
        ("almeno 20", "10", "15", "50.00 | crescente dal valore iniziale 10 al target 20: (15 − 10) / (20 − 10) × 100 = 50,00%"),
        ("massimo 3", "5", "4", "50.00 | decrescente dal valore iniziale 5 al target 3: (5 − 4) / (5 − 3) × 100 = 50,00%"),
        ("almeno 20", "-10", "-4", "20.00 | crescente dal valore iniziale -10 al target 20: (-4 − -10) / (20 − -10) × 100 = 20,00%"),
        ("riduzione del 10% entro il 31/12/2023", "40", "38", "50.00 | decrescente dal valore iniziale 40 al target 36: (40 − 38) / (40 − 36) × 100 (valore raggiunto entro il 31/12/2023, data non verificata) = 50,00%"),
        ("riduzione del 10%", "40", "11%", "errore: target \"riduzione del 10%\" (un numero) e valore misurato \"11%\" di tipo diverso: atteso un numero"),
        ("riduzione del 10%", "40", "31/12/2023", "errore: target \"riduzione del 10%\" (un numero) e valore misurato \"31/12/2023\" di tipo diverso: atteso un numero"),
    ];
    for (target, b, measured, want) in rows {
        check_from(target, b, measured, &r, want);
    }
    // All or nothing: A against T, as without the starting value (which the target shows).
    let all = AttainmentRules {
        quantity: Scoring::AllOrNothing,
        ..rules()
    };
    check_from(
        "riduzione del 10%",
        "40",
        "36",
        &all,
        "100.00 | decrescente, tutto o niente: 36 ≤ 36, raggiunto = 100,00%",
    );
    check_from(
        "riduzione del 10%",
        "40",
        "37",
        &all,
        "0.00 | decrescente, tutto o niente: 37 > 36, non raggiunto = 0,00%",
    );
    // The floor applies to the score from the starting value.
    let floor = AttainmentRules {
        floor: Some(d("60")),
        ..rules()
    };
    check_from("riduzione del 10%", "40", "38", &floor, "0.00 | decrescente dal valore iniziale 40 al target 36: (40 − 38) / (40 − 36) × 100 = 50%, sotto la soglia del 60%: 0,00%");
    // A target that does not improve on its starting value, built by hand (the reading
    // refuses it), is an error, never a score.
    let mut t = read_target("almeno 20", "");
    t.baseline = Some(d("30"));
    assert_eq!(
        indicator_attainment(&t, &Measure::Number(d("25")), &r).map_err(|e| e.to_string()),
        Err(
            "target \"almeno 20\": il target non migliora il valore iniziale nel suo verso"
                .to_string()
        )
    );
}

#[test]
fn floor_and_decimals() {
    let floor = AttainmentRules {
        floor: Some(d("50")),
        ..rules()
    };
    check(
        "almeno 20",
        "9",
        &floor,
        "0.00 | crescente: 9 / 20 × 100 = 45%, sotto la soglia del 50%: 0,00%",
    );
    check(
        "almeno 20",
        "10",
        &floor,
        "50.00 | crescente: 10 / 20 × 100 = 50,00%",
    );
    let zero_dec = AttainmentRules {
        decimals: 0,
        ..rules()
    };
    check(
        "almeno 3",
        "2",
        &zero_dec,
        "67 | crescente: 2 / 3 × 100 = 67%",
    );
    let down = AttainmentRules {
        rounding: Rounding::Down,
        ..rules()
    };
    check(
        "almeno 3",
        "2",
        &down,
        "66.66 | crescente: 2 / 3 × 100 = 66,66%",
    );
}

#[test]
fn errors() {
    let r = rules();
    let rows = [
        (
            "Stipula contratto",
            "sì",
            "errore: target \"Stipula contratto\" da valutare: usare il raggiungimento inserito a mano (nessun valore numerico né scadenza: il raggiungimento va valutato a mano)",
        ),
        ("almeno 20", "15/09/2020", "errore: target \"almeno 20\" (un numero) e valore misurato \"15/09/2020\" di tipo diverso: atteso un numero"),
        ("almeno 20", "50%", "errore: target \"almeno 20\" (un numero) e valore misurato \"50%\" di tipo diverso: atteso un numero"),
        ("90%", "sì", "errore: target \"90%\" (una percentuale) e valore misurato \"sì\" di tipo diverso: atteso una percentuale"),
        ("entro 2022", "5", "errore: target \"entro 2022\" (la data di realizzazione) e valore misurato \"5\" di tipo diverso: atteso la data di realizzazione"),
        ("entro 2022", "sì", "errore: target \"entro 2022\" (la data di realizzazione) e valore misurato \"sì\" di tipo diverso: atteso la data di realizzazione"),
        ("SI", "100%", "errore: target \"SI\" (sì/no) e valore misurato \"100%\" di tipo diverso: atteso sì/no"),
        ("50% ENTRO LUGLIO 2020", "31/07/2020", "errore: target \"50% ENTRO LUGLIO 2020\" (una percentuale) e valore misurato \"31/07/2020\" di tipo diverso: atteso una percentuale"),
        ("almeno 20", "n.d.", "errore: valore misurato non leggibile \"n.d.\": atteso un numero, una percentuale, una data o sì/no"),
        ("almeno 20", "", "errore: valore misurato vuoto"),
        ("almeno 20", "NaN", "errore: valore misurato non leggibile \"NaN\": atteso un numero, una percentuale, una data o sì/no"),
        ("almeno 20", "inf", "errore: valore misurato non leggibile \"inf\": atteso un numero, una percentuale, una data o sì/no"),
        ("entro 2022", "31/02/2020", "errore: data inesistente \"31/02/2020\""),
    ];
    for (target, measured, want) in rows {
        check(target, measured, &r, want);
    }
}

#[test]
fn measures_as_written() {
    let date = |y, m, d| Measure::Date(NaiveDate::from_ymd_opt(y, m, d).expect("date"));
    let rows = [
        ("1.234,5", Measure::Number(d("1234.5"))),
        ("1234.5", Measure::Number(d("1234.5"))),
        ("15,00", Measure::Number(d("15"))),
        ("1.200", Measure::Number(d("1200"))),
        ("-3", Measure::Number(d("-3"))),
        ("85%", Measure::Percent(d("85"))),
        ("85,5 %", Measure::Percent(d("85.5"))),
        ("-12%", Measure::Percent(d("-12"))),
        ("-12,5 %", Measure::Percent(d("-12.5"))),
        ("+3%", Measure::Percent(d("3"))),
        ("15/09/2020", date(2020, 9, 15)),
        ("15/09/20", date(2020, 9, 15)),
        ("15.09.2020", date(2020, 9, 15)),
        ("15-09-2020", date(2020, 9, 15)),
        ("2020-09-15", date(2020, 9, 15)),
        ("sì", Measure::Bool(true)),
        ("SI", Measure::Bool(true)),
        ("x", Measure::Bool(true)),
        ("vero", Measure::Bool(true)),
        ("no", Measure::Bool(false)),
        ("Falso", Measure::Bool(false)),
    ];
    for (text, want) in rows {
        assert_eq!(read_measure(text), Ok(want), "{text:?}");
    }
    for text in [
        "", " ", "NaN", "inf", "-inf", "1e5", "n.d.", "1,234.5", "%", "abc%",
    ] {
        assert!(read_measure(text).is_err(), "{text:?}");
    }
}

#[test]
fn objectives_and_managers() {
    let r = rules();
    let items = [(d("2"), d("100")), (d("1"), d("70"))];
    assert_eq!(objective_attainment(&items, &r), Ok(d("90.00")));
    assert_eq!(weighted_mean(&items, &r), Ok(d("90.00")));
    let thirds = [(d("1"), d("100")), (d("1"), d("100")), (d("1"), d("0"))];
    assert_eq!(weighted_mean(&thirds, &r), Ok(d("66.67")));
    // Zero-weight items are ignored.
    let ignored = [(d("1"), d("100")), (d("0"), d("0"))];
    assert_eq!(weighted_mean(&ignored, &r), Ok(d("100.00")));
    let all = AttainmentRules {
        objective: ObjectiveRule::AllTargetsMet,
        ..rules()
    };
    assert_eq!(objective_attainment(&items, &all), Ok(d("0.00")));
    assert_eq!(objective_attainment(&ignored, &all), Ok(d("100.00")));
    // Cap: a manual attainment over 100 is capped unless the rules say otherwise.
    let over = [(d("1"), d("120"))];
    assert_eq!(weighted_mean(&over, &r), Ok(d("100.00")));
    let uncapped = AttainmentRules {
        cap: false,
        ..rules()
    };
    assert_eq!(weighted_mean(&over, &uncapped), Ok(d("120.00")));
    // Errors, verbatim.
    let err = |items: &[(Decimal, Decimal)]| weighted_mean(items, &r).map_err(|e| e.to_string());
    assert_eq!(err(&[]), Err("nessun elemento da mediare".into()));
    assert_eq!(
        err(&[(d("0"), d("50"))]),
        Err("somma dei pesi pari a zero".into())
    );
    assert_eq!(err(&[(d("-1"), d("50"))]), Err("peso negativo -1".into()));
    assert_eq!(
        err(&[(d("1"), d("-5"))]),
        Err("raggiungimento negativo -5".into())
    );
    assert_eq!(
        err(&[(Decimal::MAX, d("1")), (Decimal::MAX, d("1"))]),
        Err("somma dei pesi fuori dai limiti numerici".into())
    );
}

/// A quantity target written as text, with its direction.
fn quantity_target() -> impl Strategy<Value = (String, bool)> {
    (
        prop::sample::select(vec!["almeno", "massimo", ">", "<", ""]),
        0u32..10_000,
        any::<bool>(),
    )
        .prop_map(|(word, n, pct)| {
            let text = format!("{word} {n}{}", if pct { "%" } else { "" });
            (text, matches!(word, "almeno" | ">" | ""))
        })
}

fn any_rules() -> impl Strategy<Value = AttainmentRules> {
    (
        any::<bool>(),
        prop::option::of(0u32..120),
        prop::option::of(0u32..=100),
        0u32..4,
    )
        .prop_map(|(all_or_nothing, decay, floor, decimals)| AttainmentRules {
            quantity: if all_or_nothing {
                Scoring::AllOrNothing
            } else {
                Scoring::Proportional
            },
            deadline: decay.map_or(DeadlineTolerance::Strict, |days| {
                DeadlineTolerance::LinearDecay { days }
            }),
            floor: floor.map(Decimal::from),
            decimals,
            ..AttainmentRules::default()
        })
}

/// A measured value with up to two decimals, possibly negative.
fn measured() -> impl Strategy<Value = Decimal> {
    (-100_000i64..10_000_000).prop_map(|n| Decimal::new(n, 2))
}

proptest! {
    #[test]
    fn attainment_within_bounds(
        (text, _) in quantity_target(),
        a in measured(),
        rules in any_rules(),
        days in -400i64..400,
    ) {
        let t = read_target(&text, "");
        prop_assume!(t.kind != TargetKind::Manual); // a bare year such as `2020`
        let m = if t.percent { Measure::Percent(a) } else { Measure::Number(a) };
        let got = indicator_attainment(&t, &m, &rules).expect("quantity attainment");
        prop_assert!(got.value >= Decimal::ZERO && got.value <= Decimal::ONE_HUNDRED);
        prop_assert!(got.exact >= Decimal::ZERO && got.exact <= Decimal::ONE_HUNDRED);

        let deadline = read_target("entro il 30/06/2020", "");
        let due = NaiveDate::from_ymd_opt(2020, 6, 30).expect("date");
        let done = due + chrono::Duration::days(days);
        let got = indicator_attainment(&deadline, &Measure::Date(done), &rules).expect("deadline");
        prop_assert!(got.value >= Decimal::ZERO && got.value <= Decimal::ONE_HUNDRED);
        if days <= 0 {
            prop_assert_eq!(got.exact, Decimal::ONE_HUNDRED);
        }
    }

    #[test]
    fn monotone_in_the_measured_value(
        (text, higher) in quantity_target(),
        a in measured(),
        b in measured(),
        rules in any_rules(),
    ) {
        let t = read_target(&text, "");
        prop_assume!(t.kind != TargetKind::Manual);
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let score = |x| indicator_attainment(&t, &Measure::Number(x), &rules).expect("attainment").exact;
        if higher {
            prop_assert!(score(lo) <= score(hi), "{text}: {lo} → {}, {hi} → {}", score(lo), score(hi));
        } else {
            prop_assert!(score(lo) >= score(hi), "{text}: {lo} → {}, {hi} → {}", score(lo), score(hi));
        }
    }

    #[test]
    fn from_a_starting_value_within_bounds_and_monotone(
        b in (1i64..1_000_000).prop_map(|n| Decimal::new(n, 2)),
        change in (1i64..=10_000).prop_map(|n| Decimal::new(n, 2)),
        up in any::<bool>(),
        a in measured(),
        c in measured(),
        rules in any_rules(),
    ) {
        let word = if up { "aumento" } else { "riduzione" };
        let text = format!("{word} del {}%", ccdi::money::format_it(change.normalize(), 0));
        let t = read_target(&text, "").with_baseline(b, false).expect("a quantity");
        let score = |x| indicator_attainment(&t, &Measure::Number(x), &rules).expect("attainment");
        let (lo, hi) = if a <= c { (a, c) } else { (c, a) };
        let (s_lo, s_hi) = (score(lo), score(hi));
        for s in [&s_lo, &s_hi] {
            prop_assert!(s.value >= Decimal::ZERO && s.value <= Decimal::ONE_HUNDRED);
        }
        if up {
            prop_assert!(s_lo.exact <= s_hi.exact, "{text} da {b}: {lo} → {}, {hi} → {}", s_lo.exact, s_hi.exact);
        } else {
            prop_assert!(s_lo.exact >= s_hi.exact, "{text} da {b}: {lo} → {}, {hi} → {}", s_lo.exact, s_hi.exact);
        }
        // At the starting value nothing is attained; at the target, all of it.
        if rules.quantity == Scoring::Proportional && rules.floor.is_none() {
            prop_assert_eq!(score(b).exact, Decimal::ZERO);
        }
        prop_assert_eq!(score(t.value.expect("T")).exact, Decimal::ONE_HUNDRED);
    }

    #[test]
    fn later_is_never_better(
        a in -200i64..200,
        b in -200i64..200,
        rules in any_rules(),
    ) {
        let t = read_target("entro il 30/06/2020", "");
        let due = NaiveDate::from_ymd_opt(2020, 6, 30).expect("date");
        let score = |x: i64| {
            let m = Measure::Date(due + chrono::Duration::days(x));
            indicator_attainment(&t, &m, &rules).expect("deadline").exact
        };
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(score(early) >= score(late));
    }

    #[test]
    fn order_does_not_matter(
        items in prop::collection::vec(
            ((0i64..1_000).prop_map(|w| Decimal::new(w, 2)), (0i64..=10_000).prop_map(|a| Decimal::new(a, 2))),
            1..12,
        ),
        seed in any::<u64>(),
        all_met in any::<bool>(),
    ) {
        let rules = AttainmentRules {
            objective: if all_met { ObjectiveRule::AllTargetsMet } else { ObjectiveRule::WeightedMean },
            ..AttainmentRules::default()
        };
        let mut shuffled = items.clone();
        // A deterministic permutation from the seed.
        let n = shuffled.len();
        let mut s = seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = usize::try_from(s >> 33).unwrap_or(0) % (i + 1);
            shuffled.swap(i, j);
        }
        prop_assert_eq!(objective_attainment(&items, &rules), objective_attainment(&shuffled, &rules));
        prop_assert_eq!(weighted_mean(&items, &rules), weighted_mean(&shuffled, &rules));
        if let Ok(v) = weighted_mean(&items, &rules) {
            prop_assert!(v >= Decimal::ZERO && v <= Decimal::ONE_HUNDRED);
        }
    }
}

/// A weight or an attainment with up to `decimals` decimals, below `max`.
fn amount(max: i64, decimals: u32) -> impl Strategy<Value = Decimal> {
    (0..=max * 10i64.pow(decimals)).prop_map(move |n| Decimal::new(n, decimals))
}

/// (weight, attainment) pairs: whole weights, or with decimals; attainments up to 150.
fn pairs() -> impl Strategy<Value = Vec<(Decimal, Decimal)>> {
    (0u32..3, 0u32..4)
        .prop_flat_map(|(wd, ad)| prop::collection::vec((amount(100, wd), amount(150, ad)), 1..9))
}

proptest! {
    // The weighted mean computed from integers (guard and sticky digits) is the one of the
    // 28-digit division followed by the one rounding, for every rounding rule and cap.
    #[test]
    fn weighted_mean_as_the_decimal_division(
        items in pairs(),
        decimals in 0u32..9,
        mode in prop::sample::select(vec![Rounding::HalfUp, Rounding::HalfEven, Rounding::Down]),
        cap in any::<bool>(),
    ) {
        let rules = AttainmentRules { decimals, rounding: mode, cap, ..AttainmentRules::default() };
        let total: Decimal = items.iter().map(|(w, _)| *w).sum();
        prop_assume!(!total.is_zero());
        let sum: Decimal = items.iter().map(|(w, a)| *w * *a).sum();
        let mut mean = sum / total;
        if cap {
            mean = mean.min(Decimal::ONE_HUNDRED);
        }
        let mut want = ccdi::money::round(mean, decimals, mode);
        want.rescale(decimals);
        let got = weighted_mean(&items, &rules).expect("a mean");
        prop_assert_eq!(got, want);
        prop_assert_eq!(got.scale(), want.scale());
    }
}

#[test]
fn weighted_mean_beyond_six_decimals_as_the_division() {
    // 1/3 − 10⁻¹⁴ weighted to 12 decimals, rounding down: near enough a boundary that only
    // the 28-digit division gives the rules' figure (the integer path stops at 6 decimals).
    let items = [
        (d("3.3333333333299999"), d("1")),
        (d("6.6666666666699998"), d("0")),
    ];
    let rules = AttainmentRules {
        decimals: 12,
        rounding: Rounding::Down,
        ..AttainmentRules::default()
    };
    let got = weighted_mean(&items, &rules).expect("a mean");
    assert_eq!(got.to_string(), "0.333333333333");
}

#[test]
fn weighted_mean_at_the_rounding_boundary() {
    // (1 × 2,5 + 1 × 0) / 2 = 1,25 exactly: half-up 1,3, half-even 1,2, down 1,2;
    // 2 / 3 = 0,666…: 0,67 half-up and half-even, 0,66 down.
    let rules = |rounding, decimals| AttainmentRules {
        decimals,
        rounding,
        ..AttainmentRules::default()
    };
    let half = [(d("1"), d("2.5")), (d("1"), d("0"))];
    let third = [(d("3"), d("0")), (d("3"), d("1")), (d("3"), d("1"))];
    for (items, mode, decimals, want) in [
        (&half[..], Rounding::HalfUp, 1, "1.3"),
        (&half[..], Rounding::HalfEven, 1, "1.2"),
        (&half[..], Rounding::Down, 1, "1.2"),
        (&third[..], Rounding::HalfUp, 2, "0.67"),
        (&third[..], Rounding::HalfEven, 2, "0.67"),
        (&third[..], Rounding::Down, 2, "0.66"),
    ] {
        let got = weighted_mean(items, &rules(mode, decimals)).expect("a mean");
        assert_eq!(got.to_string(), want, "{mode:?} {decimals}");
    }
}

/// Objectives with many indicators and a manager with many objectives (more than the pairs
/// kept on the stack): the PEG's scores are the weighted means of all of them.
#[test]
fn large_groups_are_averaged_whole() {
    // One manager, 12 objectives of weight 1 except the last (weight 12); objective k has
    // k + 1 indicators of weight 1, the last one measured at 0 and the others at 100%.
    let mut objectives = String::from("codice;matricola;titolo;peso\n");
    let mut indicators = String::from(
        "obiettivo;descrizione;peso;target;misurato;direzione;raggiungimento_manuale;motivazione\n",
    );
    for k in 0..12 {
        let weight = if k == 11 { 12 } else { 1 };
        objectives.push_str(&format!("OB{k};D1;Obiettivo {k};{weight}\n"));
        for i in 0..=k {
            let measured = if i == k { "0" } else { "1" };
            indicators.push_str(&format!("OB{k};Pratiche evase;1;1;{measured};;;\n"));
        }
    }
    let (peg, _) = ccdi::input::peg::read_peg(
        ("obiettivi.csv", objectives.as_bytes()),
        ("indicatori.csv", indicators.as_bytes()),
        ccdi::peg::WeightRule::Normalize,
        Default::default(),
    )
    .expect("valid PEG");
    let r = ccdi::objectives::compute(&peg, &rules()).expect("computed");
    // Objective k: k of its k + 1 indicators at 100.
    let expected: Vec<Decimal> = (0..12)
        .map(|k| {
            ccdi::money::round(
                Decimal::from(100 * k) / Decimal::from(k + 1),
                2,
                Rounding::HalfUp,
            )
        })
        .collect();
    let got: Vec<Decimal> = r.objectives.iter().map(|o| o.attainment).collect();
    assert_eq!(got, expected);
    // The manager: weights 1 × 11 and 12 × 1, over 23.
    let sum: Decimal = expected[..11].iter().sum::<Decimal>() + expected[11] * Decimal::from(12);
    let score = ccdi::money::round(sum / Decimal::from(23), 2, Rounding::HalfUp);
    assert_eq!(r.managers.len(), 1);
    assert_eq!(r.managers[0].score, score);
}

/// A PEG read in its fund's year, with starting values: deadlines without a year are in
/// that year, the same change from different starting values gives different targets, and
/// a measured `-12%` is a percentage.
#[test]
fn a_peg_in_its_year_with_starting_values() {
    let objectives = "codice;matricola;titolo;peso\nOB1;D1;Tempi;100\n";
    let indicators = "obiettivo;descrizione;peso;target;misurato;valore_iniziale\n\
        OB1;Rilascio;20;entro il 30/06;30/06/2023;\n\
        OB1;Relazione;20;entro dicembre;02/01/2024;\n\
        OB1;Risposta;20;riduzione del 10%;38;40\n\
        OB1;Istruttoria;20;riduzione del 10%;47;50\n\
        OB1;Spesa;20;massimo 0%;-12%;\n";
    let settings = ccdi::input::peg::PegSettings {
        weights: ccdi::peg::WeightRule::MustSum100,
        year: Some(2023),
    };
    let (peg, _) = ccdi::input::peg::read_peg(
        ("obiettivi.csv", objectives.as_bytes()),
        ("indicatori.csv", indicators.as_bytes()),
        settings,
        Default::default(),
    )
    .expect("valid PEG");
    let r = ccdi::objectives::compute(&peg, &rules()).expect("computed");
    let got: Vec<String> = r
        .indicators
        .iter()
        .map(|i| i.attainment.to_string())
        .collect();
    // 36 from 40 (38: 50%), 45 from 50 (47: 60%), -12% nothing to reduce.
    assert_eq!(got, ["100.00", "0.00", "50.00", "60.00", "100.00"]);
    assert_eq!(r.objectives[0].attainment, d("62.00"));
    let spesa = peg.indicator(4);
    assert!(
        matches!(spesa.value, ccdi::peg::IndicatorValue::Measured { value: Measure::Percent(p), .. } if p == d("-12"))
    );
    // Without the year (no rules), the same deadlines are to be valued by hand: an error.
    let err = ccdi::input::peg::read_peg(
        ("obiettivi.csv", objectives.as_bytes()),
        ("indicatori.csv", indicators.as_bytes()),
        ccdi::peg::WeightRule::MustSum100,
        Default::default(),
    )
    .expect_err("deadlines without a year");
    assert!(err.to_string().contains("senza anno"), "{err}");
}
