//! The organisation chart as input (`posti.csv`): with the default keys it changes no figure.
//! The Prato 2019 year is run on its data folder, then on the same folder with a `posti.csv`
//! listing every post (the managers', the interim's and a vacant one): the fund and the pay
//! must come out the same, to the last field.

use std::fs;
use std::path::{Path, PathBuf};

use ccdi::engine::{compute, Inputs, Outcome};
use ccdi::input::files::load_inputs;

const FILES: [&str; 6] = [
    "obiettivi.csv",
    "indicatori.csv",
    "dirigenti.csv",
    "valutazioni.csv",
    "interim.csv",
    "compensi.csv",
];

/// The chart of the Prato 2019 year: the managers' posts as `dirigenti.csv` gives them, the
/// post covered ad interim, and a vacant post scored by the Nucleo.
const POSTS: &str = "incarico;retribuzione_posizione;punti_pesatura;punteggio
Segreteria generale e affari istituzionali;44.800,00;100;
Servizi finanziari e tributi;42.500,00;95;
Risorse umane e organizzazione;36.200,00;82;
Governo del territorio;39.900,00;90;
Lavori pubblici e opere infrastrutturali;41.300,00;93;
Edilizia privata e SUAP;31.750,00;72;
Ambiente e verde pubblico;29.400,00;66;
Servizi sociali;34.600,00;78;
Pubblica istruzione;28.900,00;65;
Cultura, turismo e sport;26.300,00;60;
Polizia municipale;38.100,00;86;
Sistemi informativi;27.800,00;63;
Patrimonio e provveditorato;24.500,00;56;
Avvocatura civica;30.200,00;69;
Sviluppo economico;22.700,00;52;
Servizi demografici;19.800,00;45;
Protezione civile;18.600,00;42;
Comunicazione e partecipazione;16.900,00;39;
Gare e contratti;21.450,00;49;
Politiche abitative;23.150,00;53;
Mobilità e infrastrutture (posto vacante);35.000,00;;80
Ufficio stampa (posto vacante);15.000,00;35;
";

/// A copy of the Prato 2019 data folder, in a folder of its own for this test.
fn prato_copy(name: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/prato-2019");
    let dir = std::env::temp_dir().join(format!("ccdi-posti-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp folder");
    for f in FILES {
        fs::copy(src.join(f), dir.join(f)).expect("copy a data file");
    }
    dir
}

/// The year computed on `data` with the Prato 2019 rules: the inputs and the outcome.
fn run(data: &Path) -> (Inputs, Outcome) {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/prato-2019.toml");
    let (inputs, _) = load_inputs(Some(&rules), Some(data))
        .unwrap_or_else(|d| panic!("{}: inputs refused:\n{d}", data.display()));
    let outcome = compute(&inputs).expect("the year computes");
    (inputs, outcome)
}

/// The figures with and without `posti.csv` are the same, and the chart was read whole.
fn check(name: &str, posts: &str, expected_posts: usize) {
    let dir = prato_copy(name);
    let (_, without) = run(&dir);
    fs::write(dir.join("posti.csv"), posts).expect("write posti.csv");
    let (inputs, with) = run(&dir);
    let staff = inputs.staff.expect("the staff");
    assert_eq!(staff.posts.len(), expected_posts, "posts read");
    assert_eq!(format!("{:?}", with.fund), format!("{:?}", without.fund));
    assert!(with.pay.is_some(), "the pay is computed");
    assert_eq!(format!("{:?}", with.pay), format!("{:?}", without.pay));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_chart_with_the_default_keys_changes_no_figure() {
    check("predefinite", POSTS, 22);
}
