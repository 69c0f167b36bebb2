//! Fuzz target: any bytes as the PEG files (objectives and indicators), then their scoring.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = ccdi::input::csv::CsvOptions::default();
    let weights = ccdi::peg::WeightRule::Normalize;
    if let Ok((peg, _)) = ccdi::input::peg::read_peg(("obiettivi.csv", data), ("indicatori.csv", data), weights, opts) {
        let _ = ccdi::objectives::compute(&peg, &Default::default());
    }
});
