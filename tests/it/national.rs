//! The national rules by year: whatever the fund year of the catalogue and the sections a
//! rules file declares, no output of the year cites a contract that governs only later years.

use ccdi::engine::{compute, Inputs};
use ccdi::generate::{ente, Rng};
use ccdi::input::csv::CsvOptions;
use ccdi::input::rules::catalogue::{catalogue, signed_as_written};
use ccdi::input::rules::parse_rules;
use proptest::prelude::*;

/// Optional sections a rules file may declare, added to a generated ente's rules.
fn with_sections(
    rules: &str,
    year: i32,
    diff: bool,
    interim: bool,
    fees: bool,
    carry: bool,
) -> String {
    let mut out = match rules.find("[differenziazione]") {
        Some(at) if !diff => rules[..at].to_string(),
        _ => rules.to_string(),
    };
    if interim {
        out.push_str("\n[interim]\npercentuale = 20\nfonte = \"CCDI, criteri per l'interim\"\n");
    }
    if fees {
        out.push_str("\n[compensi_ex_lege]\ncorrelazione = \"riduzione\"\npercentuale_riduzione = 50\nfonte = \"CCDI, correlazione\"\n");
    }
    if carry {
        out.push_str(&format!(
            "\n[[riporti]]\nanno_origine = {}\nimporto = \"1.000,00\"\ndestinazione = \"risultato\"\nfonte = \"Determina dei residui\"\n",
            year - 1
        ));
    }
    out
}

/// Every output of a year, as one text: the report, the JSON, the checklist, the relazioni
/// and the calculation sheet of every figure. `None` when the year does not compute.
fn outputs(files: &[(String, Vec<u8>)], rules_text: &str) -> Option<String> {
    let (rules, _) = parse_rules("regole.toml", rules_text).ok()?;
    let file = |name: &str| {
        files
            .iter()
            .find(|(p, _)| p.ends_with(name))
            .map(|(p, b)| (p.as_str(), b.as_slice()))
    };
    let opts = CsvOptions::default();
    let peg = ccdi::input::peg::read_peg(
        file("obiettivi.csv")?,
        file("indicatori.csv")?,
        rules.weights,
        opts,
    )
    .ok()?
    .0;
    let staff = ccdi::input::staff::read_staff(
        (rules.year, rules.pay.service),
        file("dirigenti.csv")?,
        file("valutazioni.csv")?,
        file("interim.csv"),
        file("compensi.csv"),
        opts,
    )
    .0?;
    let inputs = Inputs {
        rules,
        peg: Some(peg),
        staff: Some(staff),
        previous: None,
        fingerprints: Vec::new(),
    };
    let outcome = compute(&inputs).ok()?;
    let checks = ccdi::audit::verify(&inputs, &outcome);
    let docs = ccdi::output::documents::documents(&inputs, &outcome, None);
    let mut all = ccdi::output::text::report(&inputs, &outcome);
    all.push_str(&ccdi::output::json::report(&inputs, &outcome));
    all.push_str(&ccdi::output::checklist::text(&inputs, &checks));
    all.push_str(&ccdi::output::relazioni::text(&inputs, &docs));
    for f in ccdi::audit::figures(&outcome) {
        all.push_str(&ccdi::output::text::figure(&f));
    }
    Some(all)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A year cites only the contracts that govern it: none signed for later years.
    #[test]
    fn no_output_cites_a_later_contract(
        year_k in 0usize..100,
        seed in any::<u64>(),
        managers in 1usize..12,
        (diff, interim, fees, carry) in any::<(bool, bool, bool, bool)>(),
    ) {
        let c = catalogue().expect("the catalogue reads");
        let years: Vec<i32> = (c.first_year..=c.last_year).collect();
        let year = years[year_k % years.len()];
        let files = ente(&mut Rng::new(seed), "e", "Comune di prova", managers, year as u64);
        let rules = String::from_utf8(files[0].1.clone()).unwrap();
        let rules = with_sections(&rules, year, diff, interim, fees, carry);
        let all = outputs(&files, &rules);
        prop_assert!(all.is_some(), "the generated year {year} computes");
        let all = all.unwrap();
        for k in c.contracts.iter().filter(|k| k.first_year > year) {
            // A citation names the contract by its title, or as "CCNL <date>": a measured date
            // that happens to be the date of a signature is not a citation.
            let short = format!("CCNL {}", signed_as_written(&k.title));
            prop_assert!(
                !all.contains(&k.title) && !all.contains(&short),
                "{year} cites {} (governs from {})", k.title, k.first_year
            );
        }
        // Every output names the contract of the year's citations, as a sanity check that
        // the texts searched are the outputs.
        prop_assert!(all.contains(c.for_year(year).unwrap().cite(ccdi::national::Voce::Costituzione)));
    }
}
