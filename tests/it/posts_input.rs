//! The organisation chart as input (`posti.csv`): with the default keys it changes no figure.
//! The Prato 2019 year is run on its data folder, then on the same folder with a `posti.csv`
//! listing every post (the managers', the interim's and a vacant one): the fund and the pay
//! must come out the same, to the last field.

use std::fs;
use std::path::{Path, PathBuf};

use ccdi::engine::{compute, Inputs, Outcome};
use ccdi::input::files::load_inputs;

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
    for f in fs::read_dir(&src).expect("the example's folder") {
        let f = f.expect("a file of the example").path();
        if f.extension().is_some_and(|e| e == "csv") {
            let name = f.file_name().expect("a file name");
            fs::copy(&f, dir.join(name)).expect("copy a data file");
        }
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

/// The error catalogue's base rules with Model B, `evaluation` keys added to `[valutazione]` and an
/// `[interim]` section of `interim` keys, read.
fn rules_with(evaluation: &str, interim: &str) -> Result<(ccdi::rules::Rules, String), String> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/errori/regole-base.toml");
    let text = fs::read_to_string(base).expect("base rules");
    let text = text.replace(
        "modello = \"ripartizione_integrale\"\n",
        &format!("modello = \"quota_teorica\"\n{evaluation}\n"),
    );
    let text = format!("{text}\n[interim]\n{interim}\nfonte = \"CCDI art. 9\"\n");
    match ccdi::input::rules::parse_rules("regole.toml", &text) {
        Ok((r, warnings)) => Ok((r, warnings.to_string())),
        Err(d) => Err(d.to_string()),
    }
}

#[test]
fn the_keys_over_the_posts_are_read_with_their_bounds_and_avviso() {
    use ccdi::pay::{InterimBase, InterimScore, QuotaPosts};
    use rust_decimal::Decimal;
    // The defaults: the year's national range, nothing that needs the chart.
    let (r, warnings) = rules_with("", "percentuale = 20").expect("valid");
    assert_eq!(r.pay.theoretical_quota, QuotaPosts::Present);
    assert_eq!(r.pay.interim_base, InterimBase::PositionPay);
    assert_eq!(r.pay.interim_score, InterimScore::Covering);
    let national = (r.national.interim.min, r.national.interim.max);
    assert_eq!(r.pay.interim_percent_bounds, national);
    assert!(r.posts_keys.is_empty() && warnings.is_empty(), "{warnings}");
    // Over the chart, on the covered post's result, scored by the structure.
    let (r, warnings) = rules_with(
        "quota_teorica = \"organigramma\"",
        "percentuale = 80\nbase = \"risultato\"\npunteggio = \"struttura\"",
    )
    .expect("valid");
    assert_eq!(r.pay.theoretical_quota, QuotaPosts::OrgChart);
    assert_eq!(r.pay.interim_base, InterimBase::ResultQuota);
    assert_eq!(r.pay.interim_score, InterimScore::Structure);
    assert_eq!(
        r.pay.interim_percent_bounds,
        (Decimal::ZERO, Decimal::ONE_HUNDRED)
    );
    let keys: Vec<(&str, usize)> = r
        .posts_keys
        .iter()
        .map(|(k, l)| (k.as_str(), l.line))
        .collect();
    assert_eq!(
        keys,
        [
            ("valutazione.quota_teorica = \"organigramma\"", 23),
            ("interim.base = \"risultato\"", 41),
            ("interim.punteggio = \"struttura\"", 42),
        ]
    );
    assert!(warnings.contains("[interim.base]"), "{warnings}");
    assert!(warnings.contains(&r.national.interim.source.to_string()));
    // An unknown word lists the valid ones.
    let err = rules_with("quota_teorica = \"tutti\"", "percentuale = 20").unwrap_err();
    assert!(err.contains("ammessi: presenti, organigramma"), "{err}");
    let err = rules_with("", "punteggio = \"nucleo\"").unwrap_err();
    assert!(err.contains("ammessi: dirigente, struttura"), "{err}");
}
