//! Reading PEG targets written as free text: one table row per form (deadlines in the fund's
//! year, yes/no, changes from a starting value among them), and a snapshot of how every row
//! of a real PEG sample (`fixtures/peg/targets-sample.tsv`) is read.

use std::str::FromStr;

use ccdi::peg::target::read_target_in;
use ccdi::peg::{read_target, Direction, Target, TargetKind};
use rust_decimal::Decimal;

/// A one-line summary of a target: kind, value, %, strictness, deadline, direction, change
/// and starting value.
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
    if let Some(c) = t.change {
        s.push_str(&format!(" variazione {c}%"));
    }
    if let Some(b) = t.baseline {
        s.push_str(&format!(" da {b}"));
    }
    s
}

/// `want` is the summary; for Manual targets, `manuale: <part of the reason>`.
#[track_caller]
fn check(text: &str, description: &str, want: &str) {
    check_in(text, description, None, want);
}

/// [`check`] in a fund year.
#[track_caller]
fn check_in(text: &str, description: &str, year: Option<i32>, want: &str) {
    let t = read_target_in(text, description, year);
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
fn deadlines_in_the_fund_year() {
    let rows = [
        ("entro il 30/06", "entro entro 2023-06-30"),
        ("entro il 30.06", "entro entro 2023-06-30"),
        ("entro 30-06", "entro entro 2023-06-30"),
        ("entro il 31.12", "entro entro 2023-12-31"),
        ("entro il 15-set", "entro entro 2023-09-15"),
        ("entro dicembre", "entro entro 2023-12-31"),
        ("ENTRO FEBBRAIO", "entro entro 2023-02-28"),
        ("entro fine ottobre", "entro entro 2023-10-31"),
        ("entro la fine di dicembre", "entro entro 2023-12-31"),
        ("entro il mese di giugno", "entro entro 2023-06-30"),
        ("entro 31 marzo", "entro entro 2023-03-31"),
        ("entro il 15 settembre", "entro entro 2023-09-15"),
        ("entroluglio", "entro entro 2023-07-31"),
        ("non oltre il 15/09/2023", "entro entro 2023-09-15"),
        ("non oltre il 30/06", "entro entro 2023-06-30"),
        ("Non oltre dicembre", "entro entro 2023-12-31"),
        ("entro e non oltre il 30 giugno", "entro entro 2023-06-30"),
        // A date with its year is read as written, even in another year.
        ("non oltre il 15/09/2022", "entro entro 2022-09-15"),
        ("entro il 31.07.24", "entro entro 2024-07-31"),
        // Still a quantity: `non oltre` before a number.
        ("non oltre 5", "al_piu 5 decrescente"),
        ("non oltre il 5%", "al_piu 5% decrescente"),
        (
            "50% entro il 30/06",
            "almeno 50% entro 2023-06-30 crescente dedotta",
        ),
        (
            "massimo 3 non oltre il 31 ottobre",
            "al_piu 3 entro 2023-10-31 decrescente",
        ),
    ];
    for (text, want) in rows {
        check_in(text, "", Some(2023), want);
    }
    // 2024 is a leap year.
    check_in("entro febbraio", "", Some(2024), "entro entro 2024-02-29");
    check_in("entro il 29/02", "", Some(2024), "entro entro 2024-02-29");
}

#[test]
fn deadlines_without_the_year_to_read_them() {
    // No fund year: Manual, saying it is needed; the same text is read with the year.
    for text in [
        "entro il 30/06",
        "entro dicembre",
        "entro 31 marzo",
        "non oltre il 30.06",
    ] {
        check(text, "", "manuale: senza anno: vale l'anno del fondo");
        let t = read_target_in(text, "", Some(2023));
        assert_eq!(t.kind, TargetKind::Deadline, "{text:?}");
        assert!(
            t.note.is_some_and(|n| n.ends_with("anno del fondo")),
            "{text:?}"
        );
    }
    let rows = [
        (
            "entro il 29/02",
            "data «29/02» inesistente nell'anno del fondo 2023",
        ),
        ("entro il 31/06", "data «31/06» inesistente"),
        // A number after a date without its year may be a short year: not guessed.
        ("entro dicembre 20", "scadenza dopo «entro» non leggibile"),
        ("entro 31 marzo 23", "scadenza dopo «entro» non leggibile"),
        ("entro 30 giorni", "scadenza dopo «entro» non leggibile"),
        ("entro il 32/01", "scadenza dopo «entro» non leggibile"),
        ("entro il 30/06 e non oltre il 15/07", "più di una scadenza"),
    ];
    for (text, want) in rows {
        check_in(text, "", Some(2023), &format!("manuale: {want}"));
    }
    let t = read_target_in("entro dicembre", "", Some(2023));
    assert_eq!(t.note.as_deref(), Some("fine dicembre, anno del fondo"));
}

#[test]
fn yes_no() {
    for text in ["SI", "si", "X", "x", "sì", "Sì", " SI "] {
        check(text, "", "si_no");
    }
    for text in [
        "SI/NO", "Sì/No", "si / no", "si/no", "SI / NO", "NO/SI", "sì/no.",
    ] {
        check(text, "", "si_no");
    }
    for (text, want) in [("SI/5", "rapporto «si/5»"), ("si/forse", "nessun valore")] {
        check(text, "", &format!("manuale: {want}"));
    }
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal literal")
}

/// `want` is the summary of the target read from `text` then measured from `baseline`
/// (written as a percentage when it ends with `%`), or `errore: <part of the message>`.
#[track_caller]
fn check_from(text: &str, baseline: &str, want: &str) {
    let (b, percent) = match baseline.strip_suffix('%') {
        Some(b) => (dec(b), true),
        None => (dec(baseline), false),
    };
    let got = match read_target(text, "").with_baseline(b, percent) {
        Ok(t) => {
            assert!(t.reason.is_none());
            assert!(!t.explanation().is_empty());
            summary(&t)
        }
        Err(e) => format!("errore: {e}"),
    };
    match want.strip_prefix("errore: ") {
        Some(part) => assert!(
            got.starts_with("errore: ") && got.contains(part),
            "{text:?} da {baseline}: got {got:?}, want an error with {part:?}"
        ),
        None => assert_eq!(got, want, "{text:?} da {baseline}"),
    }
}

#[test]
fn changes_from_a_starting_value() {
    // Without the starting value: Manual, saying where to write it, the change kept.
    let rows = [
        ("riduzione del 10%", "-10"),
        ("Riduzione del 10 %", "-10"),
        ("ridurre del 10%", "-10"),
        ("diminuzione del 2,5%", "-2.5"),
        ("riduzione pari al 10%", "-10"),
        ("-10%", "-10"),
        ("- 10 %", "-10"),
        ("−10%", "-10"),
        ("aumento del 10%", "10"),
        ("incremento del 5%", "5"),
        ("aumentare del 10 percento", "10"),
        ("+10%", "10"),
        ("riduzione del 10% rispetto all'anno precedente", "-10"),
        ("riduzione del 10% entro il 31/12/2023", "-10"),
    ];
    for (text, change) in rows {
        let t = read_target(text, "");
        assert_eq!(t.kind, TargetKind::Manual, "{text:?}");
        assert_eq!(t.change, Some(dec(change)), "{text:?}");
        assert!(
            t.reason
                .as_deref()
                .is_some_and(|r| r.contains("colonna valore_iniziale")),
            "{text:?}: {:?}",
            t.reason
        );
    }
    // With it: T = B × (1 ± p).
    let rows = [
        (
            "riduzione del 10%",
            "40",
            "al_piu 36 decrescente variazione -10% da 40",
        ),
        (
            "ridurre del 10%",
            "12.5",
            "al_piu 11.25 decrescente variazione -10% da 12.5",
        ),
        (
            "-10%",
            "12%",
            "al_piu 10.8% decrescente variazione -10% da 12",
        ),
        (
            "aumento del 10%",
            "200",
            "almeno 220 crescente variazione 10% da 200",
        ),
        ("+7%", "33", "almeno 35.31 crescente variazione 7% da 33"),
        (
            "riduzione del 100%",
            "8",
            "al_piu 0 decrescente variazione -100% da 8",
        ),
        (
            "riduzione del 10% entro il 31/12/2023",
            "40",
            "al_piu 36 entro 2023-12-31 decrescente variazione -10% da 40",
        ),
    ];
    for (text, b, want) in rows {
        check_from(text, b, want);
    }
    check_from("riduzione del 10%", "0", "errore: da un valore positivo");
    check_from("aumento del 10%", "-5", "errore: da un valore positivo");
}

#[test]
fn changes_that_are_not_read() {
    let rows = [
        (
            "riduzione del 10% rispetto al 2022",
            "altri valori numerici accanto alla variazione (2022)",
        ),
        ("riduzione del 120%", "oltre il 100%"),
        ("riduzione dello 0%", "variazione dello 0%"),
        ("riduzione del -10%", "con la parola e con il segno"),
        ("riduzione del 10% annuo", "periodo («annuo»)"),
        ("riduzione del 10% circa", "approssimativo"),
        (
            "riduzione di almeno il 10%",
            "variazione o confronto («riduzione»)",
        ),
        ("almeno -10%", "variazione e confronto insieme"),
        ("riduzione dei tempi del 10%", "valore_iniziale"),
        ("riduzione del 10% %", "simbolo % fuori posto"),
        ("-10", "valore «-10» non leggibile"),
    ];
    for (text, want) in rows {
        check(text, "", &format!("manuale: {want}"));
    }
}

#[test]
fn quantities_from_a_starting_value() {
    let rows = [
        ("almeno 20", "10", "almeno 20 crescente da 10"),
        ("massimo 3", "5", "al_piu 3 decrescente da 5"),
        ("90%", "80%", "almeno 90% crescente dedotta da 80"),
        ("90%", "80", "almeno 90% crescente dedotta da 80"),
        ("almeno 20", "-5", "almeno 20 crescente da -5"),
    ];
    for (text, b, want) in rows {
        check_from(text, b, want);
    }
    let errors = [
        (
            "almeno 20",
            "30",
            "il target 20 non migliora il valore iniziale 30 nel verso crescente",
        ),
        ("almeno 20", "20", "non migliora"),
        ("massimo 3", "2", "nel verso decrescente"),
        ("30", "40", "o indicare il verso nella colonna direzione"),
        ("almeno 20", "10%", "non è una percentuale"),
        (
            "entro il 30/06/2023",
            "5",
            "è una scadenza, non una quantità",
        ),
        ("SI", "5", "è un sì/no"),
        (
            "Stipula contratto",
            "5",
            "va valutato a mano (nessun valore numerico",
        ),
    ];
    for (text, b, want) in errors {
        check_from(text, b, &format!("errore: {want}"));
    }
}

#[test]
fn changes_and_the_direction_column() {
    // A reduction is lower is better: the same direction changes nothing, the opposite one
    // is a conflict (Manual, never guessed).
    let t = read_target("riduzione del 10%", "");
    assert_eq!(t.clone().with_direction(Direction::Lower), t);
    let t = t.with_direction(Direction::Higher);
    assert_eq!(
        t.reason.as_deref(),
        Some("direzione in conflitto: il target è decrescente ma è indicato «crescente»")
    );
    assert!(t.with_baseline(dec("40"), false).is_err());
    let t = read_target("aumento del 10%", "")
        .with_baseline(dec("200"), false)
        .expect("a quantity");
    assert_eq!(
        summary(&t.with_direction(Direction::Lower)),
        "manuale: direzione in conflitto: il target è crescente ma è indicato «decrescente»"
    );
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
        // A change needs its starting value (`valore_iniziale`).
        ("riduzione del 30%", "colonna valore_iniziale"),
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
        ("SI/NO", "", "letto come: sì/no (100% se realizzato, altrimenti 0%)"),
        (
            "riduzione del 10%",
            "",
            "da valutare: riduzione del 10% rispetto a un valore di partenza: indicarlo nella colonna valore_iniziale di indicatori.csv (con ccdi target, l'opzione --valore-iniziale)",
        ),
        (
            "entro il 30/06",
            "",
            "da valutare: scadenza «30/06» senza anno: vale l'anno del fondo, che qui non è indicato; indicarlo (con ccdi target, l'opzione --anno) oppure scrivere la data completa (gg/mm/aaaa)",
        ),
        (
            "Stipula contratto",
            "",
            "da valutare: nessun valore numerico né scadenza: il raggiungimento va valutato a mano",
        ),
    ];
    for (text, desc, want) in rows {
        assert_eq!(read_target(text, desc).explanation(), want, "{text:?}");
    }
    let in_2023 = |text: &str| read_target_in(text, "", Some(2023)).explanation();
    assert_eq!(
        in_2023("entro il 30/06"),
        "letto come: entro il 30/06/2023 (anno del fondo)"
    );
    assert_eq!(
        in_2023("entro dicembre"),
        "letto come: entro il 31/12/2023 (fine dicembre, anno del fondo)"
    );
    let from = |text: &str, b: &str, percent| {
        read_target(text, "")
            .with_baseline(dec(b), percent)
            .expect("a quantity")
            .explanation()
    };
    assert_eq!(
        from("riduzione del 10%", "40", false),
        "letto come: al più 36 (decrescente), riduzione del 10% dal valore iniziale 40: 40 × (1 − 10%) = 36"
    );
    assert_eq!(
        from("aumento del 10%", "12.5", true),
        "letto come: almeno 13,75% (crescente), aumento del 10% dal valore iniziale 12,5%: 12,5% × (1 + 10%) = 13,75%"
    );
    assert_eq!(
        from("almeno 20", "10", false),
        "letto come: almeno 20 (crescente), dal valore iniziale 10"
    );
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
        text in "[ 0-9.,/:%<>=≥≤a-zA-Zèìò'*+−-]{0,40}",
        description in "[ a-z]{0,20}",
    ) {
        let t = read_target(&text, &description);
        proptest::prop_assert_eq!(t.reason.is_some(), t.kind == TargetKind::Manual);
        proptest::prop_assert!(!t.explanation().is_empty());
        if let Some(v) = t.value {
            proptest::prop_assert!(v >= rust_decimal::Decimal::ZERO);
        }
        let _ = t.clone().with_direction(Direction::Lower);
        let in_year = read_target_in(&text, &description, Some(2023));
        proptest::prop_assert_eq!(in_year.reason.is_some(), in_year.kind == TargetKind::Manual);
        // A positive starting value: a target read, or the reason why not.
        match t.with_baseline(Decimal::new(40, 0), false) {
            Ok(b) => {
                proptest::prop_assert!(b.baseline.is_some() && b.reason.is_none());
                proptest::prop_assert!(b.value.is_some_and(|v| v >= Decimal::ZERO));
                proptest::prop_assert!(!b.explanation().is_empty());
            }
            Err(e) => proptest::prop_assert!(!e.is_empty()),
        }
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
