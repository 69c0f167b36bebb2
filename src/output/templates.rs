//! The blank templates `ccdi modelli` writes: a rules file with every section explained
//! (`regole.toml`), each CSV of the data folder with its header and one example row, and a
//! short guide to the columns (`LEGGIMI.txt`). They are the files of `templates/` at the
//! project's root, built into the binary; as written, `ccdi calcola --regole regole.toml
//! --dati .` runs on them (tests/it/cli.rs, and the scenario `modelli-come-sono`).

/// The templates, by file name, in the order they are written.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("regole.toml", include_str!("../../templates/regole.toml")),
    (
        "obiettivi.csv",
        include_str!("../../templates/obiettivi.csv"),
    ),
    (
        "indicatori.csv",
        include_str!("../../templates/indicatori.csv"),
    ),
    (
        "dirigenti.csv",
        include_str!("../../templates/dirigenti.csv"),
    ),
    (
        "valutazioni.csv",
        include_str!("../../templates/valutazioni.csv"),
    ),
    ("interim.csv", include_str!("../../templates/interim.csv")),
    ("compensi.csv", include_str!("../../templates/compensi.csv")),
    (
        "riduzioni.csv",
        include_str!("../../templates/riduzioni.csv"),
    ),
    ("LEGGIMI.txt", include_str!("../../templates/LEGGIMI.txt")),
];
