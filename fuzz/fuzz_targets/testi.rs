//! Fuzz target: any text as an amount, a percentage, a PEG target or a measured value.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = ccdi::parse::parse_amount(&text);
    let _ = ccdi::parse::parse_percent(&text);
    let _ = ccdi::peg::target::read_target(&text, &text);
    let _ = ccdi::peg::measure::read_measure(&text);
});
