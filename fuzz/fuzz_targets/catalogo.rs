//! Fuzz target: any text as the national catalogue (`rules/nazionale.toml`), then what it says
//! for each year it covers.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(c) = ccdi::input::rules::catalogue::parse_catalogue("nazionale.toml", &text) {
        for year in c.first_year.max(1990)..=c.last_year.min(2100) {
            let _ = c.for_year(year);
        }
    }
});
