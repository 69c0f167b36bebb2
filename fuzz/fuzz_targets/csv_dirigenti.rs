//! Fuzz target: any bytes as the staff files (managers, evaluations, interim, fees).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = ccdi::input::csv::CsvOptions::default();
    let _ = ccdi::input::staff::read_staff(
        (2022, Default::default()),
        ("dirigenti.csv", data),
        ("valutazioni.csv", data),
        Some(("interim.csv", data)),
        Some(("compensi.csv", data)),
        opts,
    );
});
