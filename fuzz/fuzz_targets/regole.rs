//! Fuzz target: any text as a rules file, then the fund computation.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok((rules, _)) = ccdi::input::rules::parse_rules("regole.toml", &text) {
        let _ = ccdi::fund::compute(&rules);
    }
});
