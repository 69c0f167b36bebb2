//! Fuzz target: any bytes as an Excel workbook of the data folder (`dati.xlsx`): opened, each
//! sheet turned into the CSV text the readers read, then read as the managers' file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = ccdi::input::csv::CsvOptions::default();
    let Ok(mut book) = ccdi::input::xlsx::Workbook::open("dati.xlsx", data) else {
        return;
    };
    for sheet in book.sheet_names() {
        if let Ok(text) = book.sheet_text(&sheet, opts) {
            let _ = ccdi::input::staff::read_staff(
                (2022, Default::default()),
                (&text.shown, text.bytes.as_slice()),
                ("valutazioni.csv", b"matricola;componente;punteggio\n"),
                None,
                None,
                opts,
            );
        }
    }
});
