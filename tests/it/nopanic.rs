//! No panic on any input: arbitrary bytes to every loader (CSV and TOML), random edits of valid
//! files, and extreme-but-valid values through the whole core. Each run ends in a clean `Ok`
//! or `Err`, never a panic or an overflow. (The `cargo fuzz` targets in `fuzz/` run the same
//! entry points without bounds.)

use ccdi::engine::{compute, Inputs};
use ccdi::input::csv::CsvOptions;
use ccdi::input::peg::read_peg;
use ccdi::input::rules::parse_rules;
use ccdi::input::staff::read_staff;
use ccdi::peg::WeightRule;
use proptest::prelude::*;

const RULES: &str = include_str!("../../fixtures/errori/regole-base.toml");
const MANAGERS: &str = include_str!("../../fixtures/errori/csv-nan/dati/dirigenti.csv");
const EVALUATIONS: &str =
    include_str!("../../fixtures/errori/csv-cella-vuota/dati/valutazioni.csv");
const OBJECTIVES: &str = include_str!("../../fixtures/errori/csv-nan/dati/obiettivi.csv");
const INDICATORS: &str = include_str!("../../fixtures/errori/csv-nan/dati/indicatori.csv");
const INTERIM: &str = "matricola;incarico_coperto;retribuzione_posizione_incarico;inizio;fine;percentuale\nM02;Posto vacante;30.000,00;01/03/2022;31/12/2022;20\n";
const FEES: &str = "matricola;tipo;importo;fonte\nM01;avvocatura;1.000,00;art. 9 d.l. 90/2014\n";

/// 128 cases locally, 256 under CI; `PROPTEST_CASES` overrides both for a longer hunt.
fn cases() -> u32 {
    if let Some(n) = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return n;
    }
    if std::env::var("CI").is_ok() {
        256
    } else {
        128
    }
}

/// Loads and computes a whole year from texts; any outcome but a panic is fine. Returns
/// whether the individual pay was computed (so the tests can tell they reach the core).
fn run_year(rules: &str, files: [&[u8]; 6]) -> bool {
    let Ok((rules, _)) = parse_rules("regole.toml", rules) else {
        return false;
    };
    let opts = CsvOptions::default();
    let peg = read_peg(
        ("obiettivi.csv", files[0]),
        ("indicatori.csv", files[1]),
        WeightRule::Normalize,
        opts,
    )
    .ok()
    .map(|(p, _)| p);
    let staff = read_staff(
        (rules.year, rules.pay.service),
        ("dirigenti.csv", files[2]),
        ("valutazioni.csv", files[3]),
        Some(("interim.csv", files[4])),
        Some(("compensi.csv", files[5])),
        opts,
    )
    .0;
    let staff = staff.filter(|s| {
        !ccdi::input::staff::check_components(&rules, s, peg.as_ref(), peg.is_some()).has_errors()
    });
    let inputs = Inputs {
        rules,
        peg,
        staff,
        previous: None,
        fingerprints: Vec::new(),
    };
    if let Ok(outcome) = compute(&inputs) {
        // Everything downstream of a successful computation must not panic either.
        let _ = ccdi::output::text::report(&inputs, &outcome);
        let _ = ccdi::output::json::report(&inputs, &outcome);
        let _ = ccdi::output::csv::report(&inputs, &outcome);
        let checks = ccdi::audit::verify(&inputs, &outcome);
        let docs = ccdi::output::documents::documents(&inputs, &outcome, None);
        let t = outcome
            .pay
            .as_ref()
            .map(ccdi::output::transparency::transparency);
        let _ = ccdi::output::html::report(&inputs, &outcome, &docs, &checks, t.as_ref());
        let _ = ccdi::output::xlsx::workbook(&inputs, &outcome, &docs, &checks, t.as_ref());
        return outcome.pay.is_some();
    }
    false
}

/// The base texts are a valid year that reaches the individual pay: the properties below
/// start from inputs that do get through.
#[test]
fn base_year_reaches_the_core() {
    assert!(run_year(
        RULES,
        [
            OBJECTIVES.as_bytes(),
            INDICATORS.as_bytes(),
            MANAGERS.as_bytes(),
            EVALUATIONS.as_bytes(),
            INTERIM.as_bytes(),
            FEES.as_bytes()
        ]
    ));
}

/// Applies random edits (insert, delete, replace a character) to a text.
fn mutate(text: &str, edits: &[(usize, u8, char)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for &(pos, op, c) in edits {
        if chars.is_empty() {
            chars.push(c);
            continue;
        }
        let i = pos % chars.len();
        match op % 3 {
            0 => chars.insert(i, c),
            1 => {
                chars.remove(i);
            }
            _ => chars[i] = c,
        }
    }
    chars.into_iter().collect()
}

fn edit() -> impl Strategy<Value = (usize, u8, char)> {
    (
        any::<usize>(),
        any::<u8>(),
        prop_oneof![
            Just(';'),
            Just(','),
            Just('.'),
            Just('"'),
            Just('\n'),
            Just('\r'),
            Just('-'),
            Just('9'),
            Just('0'),
            Just('%'),
            Just('/'),
            Just('='),
            Just('['),
            Just(']'),
            Just(' '),
            Just('€'),
            Just('à'),
            any::<char>()
        ],
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn arbitrary_bytes_to_every_loader(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes).to_string();
        let _ = parse_rules("regole.toml", &text);
        let _ = ccdi::parse::parse_amount(&text);
        let _ = ccdi::parse::parse_percent(&text);
        let _ = ccdi::peg::target::read_target(&text, &text);
        let _ = ccdi::peg::measure::read_measure(&text);
        let _ = run_year(RULES, [&bytes, &bytes, &bytes, &bytes, &bytes, &bytes]);
    }

    #[test]
    fn random_edits_of_valid_files(
        which in 0usize..7,
        edits in prop::collection::vec(edit(), 1..12),
    ) {
        let mut texts = [RULES, OBJECTIVES, INDICATORS, MANAGERS, EVALUATIONS, INTERIM, FEES].map(str::to_string);
        texts[which] = mutate(&texts[which], &edits);
        let [rules, o, i, m, e, int, f] = texts;
        let _ = run_year(&rules, [o.as_bytes(), i.as_bytes(), m.as_bytes(), e.as_bytes(), int.as_bytes(), f.as_bytes()]);
    }

    /// Extreme but valid values: amounts at the parse bound, scores at 0 and 100, one-day
    /// assignments, interim at the bounds, fees larger than any pay.
    #[test]
    fn extreme_but_valid_values(
        fund in prop_oneof![Just("0,00".to_string()), Just("0,01".to_string()), Just("999.999.999.999.999,99".to_string()), (0u64..1_000_000_000_000).prop_map(|c| format!("{},{:02}", c / 100, c % 100))],
        position in prop_oneof![Just("0%".to_string()), Just("100%".to_string()), (0u32..=10_000).prop_map(|p| format!("{},{:02}%", p / 100, p % 100))],
        pay in prop_oneof![Just("0,00".to_string()), Just("999.999.999.999,99".to_string()), (0u64..100_000_000).prop_map(|c| format!("{},{:02}", c / 100, c % 100))],
        score in prop_oneof![Just("0".to_string()), Just("100".to_string()), Just("59,99".to_string()), Just("60".to_string()), (0u32..=10_000).prop_map(|s| format!("{},{:02}", s / 100, s % 100))],
        start in prop_oneof![Just("01/01/2022"), Just("31/12/2022"), Just("29/02/2022"), Just("15/06/2022")],
        interim in prop_oneof![Just("15"), Just("30"), Just("20")],
        fee in prop_oneof![Just("0,00"), Just("999.999.999,99")],
    ) {
        let rules = RULES
            .replace("importo = \"100.000,00\"", &format!("importo = \"{fund}\""))
            .replace("posizione = \"75.000,00\"", &format!("posizione = \"{position}\""));
        let managers = MANAGERS.replace("40.000,00", &pay).replace("70;01/01/2022", &format!("70;{start}"));
        let evaluations = EVALUATIONS.replace(";90", &format!(";{score}")).replace(";75", &format!(";{score}"));
        let interim = INTERIM.replace(";20\n", &format!(";{interim}\n"));
        let fees = FEES.replace("1.000,00", fee);
        let _ = run_year(&rules, [OBJECTIVES.as_bytes(), INDICATORS.as_bytes(), managers.as_bytes(), evaluations.as_bytes(), interim.as_bytes(), fees.as_bytes()]);
    }
}
