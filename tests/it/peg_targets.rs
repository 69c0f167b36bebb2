//! Reading PEG targets written as free text: one table row per form, and a snapshot of how
//! every row of a real PEG sample (`fixtures/peg/targets-sample.tsv`) is read.

use ccdi::peg::{read_target, Direction, Target, TargetKind};

/// A one-line summary of a target: kind, value, %, strictness, deadline, direction.
fn summary(t: &Target) -> String {
    if t.kind == TargetKind::Manual {
        return format!("manuale: {}", t.reason.as_deref().unwrap_or(""));
    }
    let mut s = t.kind.key().to_string();
    if let Some(v) = t.value {
        s.push_str(&format!(" {}", v.normalize()));
    }
    if t.percent {
        s.push('%');
    }
    if t.strict {
        s.push_str(" stretto");
    }
    if let Some(d) = t.deadline {
        s.push_str(&format!(" entro {d}"));
    }
    if let Some(d) = t.direction {
        s.push_str(&format!(" {}", d.key()));
        if t.direction_inferred {
            s.push_str(" dedotta");
        }
    }
    s
}

/// `want` is the summary; for Manual targets, `manuale: <part of the reason>`.
#[track_caller]
fn check(text: &str, description: &str, want: &str) {
    let t = read_target(text, description);
    let got = summary(&t);
    if let Some(part) = want.strip_prefix("manuale: ") {
        assert!(
            got.starts_with("manuale: ") && got.contains(part),
            "{text:?}: got {got:?}, want a manual target with {part:?}"
        );
    } else {
        assert_eq!(got, want, "{text:?} ({description:?})");
    }
    assert_eq!(t.text, text);
    assert!(!t.explanation().is_empty());
    assert_eq!(t.reason.is_some(), t.kind == TargetKind::Manual, "{text:?}");
    assert_eq!(
        t.direction.is_some(),
        matches!(t.kind, TargetKind::AtLeast | TargetKind::AtMost),
        "{text:?}"
    );
}

#[test]
fn at_least() {
    let rows = [
        ("almeno 20", "", "almeno 20 crescente"),
        ("Almeno 30", "", "almeno 30 crescente"),
        (">= 2", "", "almeno 2 crescente"),
        (">=2", "", "almeno 2 crescente"),
        ("≥ 20", "", "almeno 20 crescente"),
        ("> 5", "", "almeno 5 stretto crescente"),
        ("più di 5", "", "almeno 5 stretto crescente"),
        ("n. 8", "", "almeno 8 crescente dedotta"),
        ("n.8", "", "almeno 8 crescente dedotta"),
        (
            "2",
            "Nomina coordinatori di progetto",
            "almeno 2 crescente dedotta",
        ),
        (
            "15",
            "Numero turni di controllo",
            "almeno 15 crescente dedotta",
        ),
        ("50 pratiche", "", "almeno 50 crescente dedotta"),
        ("10 utenti", "", "almeno 10 crescente dedotta"),
        ("2 incontri", "", "almeno 2 crescente dedotta"),
        ("1.200", "Numero di avvisi", "almeno 1200 crescente dedotta"),
        ("15,00", "", "almeno 15 crescente dedotta"),
        (
            "500.000",
            "Importo riscosso",
            "almeno 500000 crescente dedotta",
        ),
        ("1,00", "Numero note:", "almeno 1 crescente dedotta"),
        ("1.234,5", "", "almeno 1234.5 crescente dedotta"),
        ("non inferiore a 4", "", "almeno 4 crescente"),
        ("almeno 2020", "", "almeno 2020 crescente"),
    ];
    for (text, desc, want) in rows {
        check(text, desc, want);
    }
}

#[test]
fn at_most() {
    let rows = [
        ("massimo 3", "", "al_piu 3 decrescente"),
        ("max 3", "", "al_piu 3 decrescente"),
        ("MAX 3", "", "al_piu 3 decrescente"),
        ("non superiore a 5", "", "al_piu 5 decrescente"),
        ("al massimo 5", "", "al_piu 5 decrescente"),
        ("<= 10", "", "al_piu 10 decrescente"),
        ("≤ 10", "", "al_piu 10 decrescente"),
        ("< 10", "", "al_piu 10 stretto decrescente"),
        ("meno di 10", "", "al_piu 10 stretto decrescente"),
        // A bare number: the description speaks of time or cost.
        (
            "30",
            "tempi medi di rilascio: n. giorni",
            "al_piu 30 decrescente dedotta",
        ),
        (
            "30",
            "Tempo medio di risposta",
            "al_piu 30 decrescente dedotta",
        ),
        (
            "5000",
            "costo del servizio",
            "al_piu 5000 decrescente dedotta",
        ),
        (
            "12",
            "durata media delle pratiche",
            "al_piu 12 decrescente dedotta",
        ),
        (
            "30 giorni",
            "rilascio autorizzazioni",
            "al_piu 30 decrescente dedotta",
        ),
        // Not time: `giornata` is not `giorno`.
        (
            "3",
            "Partecipazione a giornata di formazione",
            "almeno 3 crescente dedotta",
        ),
    ];
    for (text, desc, want) in rows {
        check(text, desc, want);
    }
}

#[test]
fn percentages() {
    let rows = [
        ("90%", "", "almeno 90% crescente dedotta"),
        ("100%", "", "almeno 100% crescente dedotta"),
        ("≥ 50%", "", "almeno 50% crescente"),
        (
            "10% delle SCIA presentate",
            "",
            "almeno 10% crescente dedotta",
        ),
        ("non inferiori al 60 %", "", "almeno 60% crescente"),
        ("85,5 %", "", "almeno 85.5% crescente dedotta"),
        // A percentage stays higher-is-better even when the description speaks of time.
        (
            "90%",
            "Rispetto tempistiche per raccolta e valutazione dati",
            "almeno 90% crescente dedotta",
        ),
        ("massimo 5%", "tasso di errore", "al_piu 5% decrescente"),
        (
            "100% inserimento completo nel libro cespite dei dati pervenuti",
            "",
            "almeno 100% crescente dedotta",
        ),
        // `n/n`: all of the planned items.
        (
            "1/1",
            "Studi di fattibilità redatti/Servizi-funzioni",
            "almeno 100% crescente dedotta",
        ),
        ("3/3", "", "almeno 100% crescente dedotta"),
    ];
    for (text, desc, want) in rows {
        check(text, desc, want);
    }
}

#[test]
fn deadlines() {
    let rows = [
        ("entro 30/06/2020", "entro 2020-06-30"),
        ("entro il 31.07.20", "entro 2020-07-31"),
        ("entro il 31/5/2020", "entro 2020-05-31"),
        ("31.12.2020", "entro 2020-12-31"),
        ("31/03/2020", "entro 2020-03-31"),
        ("31.07.2020", "entro 2020-07-31"),
        ("31-dic-20", "entro 2020-12-31"),
        ("15-set-20", "entro 2020-09-15"),
        ("01-nov-20", "entro 2020-11-01"),
        ("set-19", "entro 2019-09-30"),
        ("feb-20", "entro 2020-02-29"),
        ("ENTRO OTTOBRE 2020", "entro 2020-10-31"),
        ("entro dicembre 2020", "entro 2020-12-31"),
        ("entroluglio 2020", "entro 2020-07-31"),
        ("Entro febbraio 2020", "entro 2020-02-29"),
        ("entro 2022", "entro 2022-12-31"),
        ("entro fine ottobre 2020", "entro 2020-10-31"),
        ("entro il 15 settembre 2020", "entro 2020-09-15"),
        ("settembre 2020", "entro 2020-09-30"),
        ("2020-06-30", "entro 2020-06-30"),
    ];
    for (text, want) in rows {
        check(text, "", &format!("entro {want}"));
    }
}

#[test]
fn yes_no() {
    for text in ["SI", "si", "X", "x", "sì", "Sì", " SI "] {
        check(text, "", "si_no");
    }
}

#[test]
fn compounds() {
    let rows = [
        (
            "50% ENTRO LUGLIO 2020",
            "almeno 50% entro 2020-07-31 crescente dedotta",
        ),
        (
            "Entro febbraio 2020 formazione di almeno 14 persone",
            "almeno 14 entro 2020-02-29 crescente",
        ),
        (
            "Entro gennaio 2020 recupero del 100 % delle informazioni e documenti",
            "almeno 100% entro 2020-01-31 crescente dedotta",
        ),
        (
            "Almeno il 50 % delle procedure gestite entro gennaio 2020",
            "almeno 50% entro 2020-01-31 crescente",
        ),
        (
            "massimo 3 entro il 31/12/2020",
            "al_piu 3 entro 2020-12-31 decrescente",
        ),
    ];
    for (text, want) in rows {
        check(text, "", want);
    }
}

#[test]
fn manual() {
    let rows = [
        ("", "vuoto"),
        ("   ", "vuoto"),
        ("rispetto della tempistica", "nessun valore numerico"),
        (
            "stabile rispetto al 2019*",
            "variazione o confronto («stabile»)",
        ),
        ("Stipula contratto", "nessun valore numerico"),
        (
            "totali nel triennio 1800 così suddivisi",
            "complessivo o pluriennale («totali»)",
        ),
        ("riduzione del 30%", "variazione o confronto («riduzione»)"),
        ("2 al mese ogni anno", "periodo («ogni»)"),
        ("circa 20", "approssimativo"),
        ("tra 5 e 10", "approssimativo"),
        ("da 5 a 10", "più valori numerici (5, 10)"),
        ("almeno 5 e massimo 10", "più valori numerici"),
        ("2020", "«2020» sembra un anno"),
        ("2020", "entro 31/12/2020"),
        ("15:09:20", "«15:09:20» sembra un orario"),
        ("15:09:20", "se è la scadenza del 15/09/2020"),
        (
            "entro 30 giorni dalla richiesta",
            "scadenza dopo «entro» non leggibile",
        ),
        ("entro 31/02/2020", "scadenza dopo «entro» non leggibile"),
        ("31/02/2020", "data «31/02/2020» inesistente"),
        (
            "entro marzo 2020 ed entro aprile 2020",
            "più di una scadenza",
        ),
        ("2/3", "rapporto «2/3» non riconosciuto"),
        ("0/0", "rapporto «0/0» non riconosciuto"),
        ("50 %%", "simbolo % fuori posto"),
        ("% 50", "simbolo % fuori posto"),
        ("non 5", "negazione"),
        ("almeno 5 max", "più indicazioni di confronto"),
        ("1,234.5", "valore «1,234.5» non leggibile"),
        ("12.34.5", "valore «12.34.5» non leggibile"),
        ("99999999999999999999999999999999", "non leggibile"),
        (
            "Entro aprile 2020 sostituzione del sistema",
            "senza un valore numerico",
        ),
        ("31/12/2020 e almeno 5", "data senza «entro»"),
    ];
    for (text, want) in rows {
        check(text, "", &format!("manuale: {want}"));
    }
}

#[test]
fn explanations_are_italian_sentences() {
    let rows = [
        ("almeno 20", "", "letto come: almeno 20 (crescente)"),
        ("> 5", "", "letto come: più di 5 (crescente)"),
        ("max 3", "", "letto come: al più 3 (decrescente)"),
        ("2", "", "letto come: almeno 2 (crescente, direzione presunta)"),
        (
            "30",
            "tempi medi: n. giorni",
            "letto come: al più 30 (decrescente, direzione dedotta dalla descrizione)",
        ),
        ("1.200", "", "letto come: almeno 1.200 (crescente, direzione presunta)"),
        ("entro il 31.07.20", "", "letto come: entro il 31/07/2020"),
        ("set-19", "", "letto come: entro il 30/09/2019 (fine settembre)"),
        ("entro 2022", "", "letto come: entro il 31/12/2022 (fine anno)"),
        (
            "1/1",
            "",
            "letto come: almeno 100% (1/1: tutti gli elementi previsti) (crescente, direzione presunta)",
        ),
        (
            "50% ENTRO LUGLIO 2020",
            "",
            "letto come: almeno 50% entro il 31/07/2020 (fine luglio) (crescente, direzione presunta)",
        ),
        ("SI", "", "letto come: sì/no (100% se realizzato, altrimenti 0%)"),
        (
            "Stipula contratto",
            "",
            "da valutare: nessun valore numerico né scadenza: il raggiungimento va valutato a mano",
        ),
    ];
    for (text, desc, want) in rows {
        assert_eq!(read_target(text, desc).explanation(), want, "{text:?}");
    }
}

#[test]
fn explicit_direction() {
    // Inferred direction: replaced, the kind follows.
    let t = read_target("30", "").with_direction(Direction::Lower);
    assert_eq!(summary(&t), "al_piu 30 decrescente");
    assert_eq!(t.explanation(), "letto come: al più 30 (decrescente)");
    let t = read_target("30", "tempi medi").with_direction(Direction::Higher);
    assert_eq!(summary(&t), "almeno 30 crescente");
    // Written direction, same: only marks it explicit.
    let t = read_target("almeno 20", "").with_direction(Direction::Higher);
    assert_eq!(summary(&t), "almeno 20 crescente");
    // Written direction, opposite: Manual, never guessed.
    let t = read_target("almeno 20", "").with_direction(Direction::Lower);
    assert_eq!(
        t.reason.as_deref(),
        Some("direzione in conflitto: il target è crescente ma è indicato «decrescente»")
    );
    // No direction to set: unchanged.
    for text in ["entro 2022", "SI", "Stipula contratto"] {
        let before = read_target(text, "");
        assert_eq!(before.clone().with_direction(Direction::Lower), before);
    }
}

#[test]
fn kind_keys() {
    let keys: Vec<&str> = [
        TargetKind::AtLeast,
        TargetKind::AtMost,
        TargetKind::Deadline,
        TargetKind::YesNo,
        TargetKind::Manual,
    ]
    .iter()
    .map(|k| k.key())
    .collect();
    assert_eq!(keys, ["almeno", "al_piu", "entro", "si_no", "manuale"]);
    assert_eq!(Direction::from_key("decrescente"), Some(Direction::Lower));
    assert_eq!(Direction::Higher.key(), "crescente");
}

/// Every row of the real sample is read into a typed target or flagged Manual.
#[test]
fn sample_snapshot() {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_path(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/peg/targets-sample.tsv"
        ))
        .expect("fixture");
    let mut out = String::new();
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("record");
        let (scheda, desc, text) = (&record[0], &record[2], &record[3]);
        let t = read_target(text, desc);
        let value = t
            .value
            .map(|v| format!("{}{}", v.normalize(), if t.percent { "%" } else { "" }))
            .unwrap_or_else(|| "-".into());
        let deadline = t.deadline.map_or("-".into(), |d| d.to_string());
        let direction = match t.direction {
            Some(d) if t.direction_inferred => format!("{} (dedotta)", d.key()),
            Some(d) => d.key().to_string(),
            None => "-".into(),
        };
        let tail = t.reason.clone().unwrap_or_else(|| t.explanation());
        out.push_str(&format!(
            "{scheda} | {text} | {} | {value} | {deadline} | {direction} | {tail}\n",
            t.kind.key()
        ));
        rows += 1;
    }
    assert_eq!(rows, 118);
    insta::assert_snapshot!("peg_targets_sample", out);
}

proptest::proptest! {
    /// Any text, however odd, is read without panicking; Manual exactly when there is a reason.
    #[test]
    fn never_panics(
        text in "[ 0-9.,/:%<>=≥≤a-zA-Zèìò'*-]{0,40}",
        description in "[ a-z]{0,20}",
    ) {
        let t = read_target(&text, &description);
        proptest::prop_assert_eq!(t.reason.is_some(), t.kind == TargetKind::Manual);
        proptest::prop_assert!(!t.explanation().is_empty());
        if let Some(v) = t.value {
            proptest::prop_assert!(v >= rust_decimal::Decimal::ZERO);
        }
        let _ = t.with_direction(Direction::Lower);
    }

    /// Numbers of every size and form: read back exactly, or Manual.
    #[test]
    fn numbers_read_exactly(n in 0u64..u64::MAX, decimals in 0u32..4) {
        let v = rust_decimal::Decimal::new(i64::try_from(n / 2).unwrap_or(0), decimals);
        let italian = ccdi::money::format_it(v, decimals);
        let t = read_target(&format!("almeno {italian}"), "");
        proptest::prop_assert_eq!(t.kind, TargetKind::AtLeast, "{}", italian);
        proptest::prop_assert_eq!(t.value, Some(v.normalize()));
    }
}
