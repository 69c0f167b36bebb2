//! Synthetic but realistic batches (`ccdi genera`), reproducible from a seed: one folder per
//! fictional comune with its rules file and CSV exports, sized like real comuni (most with
//! 1-5 managers, a few with 100-200), objectives and indicators with targets in the styles of
//! real PEG sheets. Also one very large ente to stress a single pipeline. Pure: returns the
//! files' paths and bytes.

use std::fmt::Write;

/// A small deterministic generator (SplitMix64): the same seed gives the same batch on every
/// machine. Integers only.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
    "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo",
    "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso",
    "Ferrara", "Galli", "Martini", "Leone",
];
const NAMES: &[&str] = &[
    "Marco",
    "Giulia",
    "Luca",
    "Francesca",
    "Andrea",
    "Chiara",
    "Paolo",
    "Sara",
    "Stefano",
    "Elena",
    "Roberto",
    "Laura",
    "Davide",
    "Anna",
    "Matteo",
    "Silvia",
    "Alessandro",
    "Valentina",
    "Giovanni",
    "Federica",
];
const POSTS: &[&str] = &[
    "Servizi finanziari",
    "Risorse umane",
    "Lavori pubblici",
    "Urbanistica",
    "Servizi sociali",
    "Polizia locale",
    "Ambiente",
    "Cultura e turismo",
    "Sistemi informativi",
    "Affari generali",
    "Edilizia privata",
    "Pubblica istruzione",
    "Tributi",
    "Patrimonio",
    "Sviluppo economico",
    "Protezione civile",
];
const MONTHS: &[&str] = &[
    "GENNAIO",
    "FEBBRAIO",
    "MARZO",
    "APRILE",
    "MAGGIO",
    "GIUGNO",
    "LUGLIO",
    "AGOSTO",
    "SETTEMBRE",
    "OTTOBRE",
    "NOVEMBRE",
    "DICEMBRE",
];
const MONTH_DAYS: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// `12.345,00`: an amount in whole euros, Italian style.
fn euros(e: u64) -> String {
    let digits = e.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(ch);
    }
    out.push_str(",00");
    out
}

/// Splits 100 into `k` positive integer weights (the remainder to the first).
fn weights(rng: &mut Rng, k: usize) -> Vec<u64> {
    let raw: Vec<u64> = (0..k).map(|_| rng.range(1, 4)).collect();
    let total: u64 = raw.iter().sum();
    let mut w: Vec<u64> = raw.iter().map(|r| (r * 100 / total).max(1)).collect();
    let s: u64 = w.iter().sum();
    if s <= 100 {
        w[0] += 100 - s;
    } else {
        let mut extra = s - 100;
        for x in w.iter_mut() {
            let take = extra.min(*x - 1);
            *x -= take;
            extra -= take;
        }
    }
    w
}

/// One indicator's target as written and a plausible measured value, in the styles of the
/// published PEG sheets; sometimes a target only a person can judge, with its manual value.
fn indicator(rng: &mut Rng, year: u64) -> (String, String, String, String) {
    // Returns (description, target, measured, "direzione;manuale;motivazione").
    let yy = year % 100;
    let (description, target, measured) = match rng.range(0, 11) {
        0 => {
            let n = rng.range(2, 60);
            (
                "Pratiche istruite".to_string(),
                format!("almeno {n}"),
                (n * rng.range(70, 130) / 100).to_string(),
            )
        }
        1 => {
            let n = rng.range(2, 12);
            (
                "Incontri con gli enti coinvolti".to_string(),
                format!(">= {n}"),
                (n * rng.range(60, 140) / 100).to_string(),
            )
        }
        2 => {
            let p = rng.range(50, 95);
            (
                "Pratiche gestite in via telematica".to_string(),
                format!("≥ {p}%"),
                format!("{}%", (p * rng.range(80, 115) / 100).min(100)),
            )
        }
        3 => {
            let n = rng.range(2, 8);
            (
                "Riunioni di coordinamento".to_string(),
                format!("massimo {n}"),
                rng.range(1, n + 3).to_string(),
            )
        }
        4 => {
            let m = rng.range(1, 12);
            let d = MONTH_DAYS[(m - 1) as usize];
            let done = rng.range(1, d);
            let late_month = if rng.chance(20) && m < 12 { m + 1 } else { m };
            (
                "Approvazione del progetto".to_string(),
                format!("entro il {d:02}.{m:02}.{yy:02}"),
                format!(
                    "{:02}/{late_month:02}/{year}",
                    done.min(MONTH_DAYS[(late_month - 1) as usize])
                ),
            )
        }
        5 => {
            let m = rng.range(3, 12) as usize;
            let done_m = if rng.chance(15) && m < 12 { m + 1 } else { m };
            (
                "Attuazione delle misure del piano".to_string(),
                format!("ENTRO {} {year}", MONTHS[m - 1]),
                format!("{:02}/{done_m:02}/{year}", rng.range(1, 28)),
            )
        }
        6 => (
            "Aggiornamento della sezione Amministrazione trasparente".to_string(),
            "SI".to_string(),
            if rng.chance(90) { "sì" } else { "no" }.to_string(),
        ),
        7 => {
            let n = rng.range(10, 90);
            (
                "Tempi medi di rilascio, n. giorni".to_string(),
                format!("{n},00"),
                rng.range(n * 7 / 10, n * 13 / 10).to_string(),
            )
        }
        8 => {
            let n = rng.range(1, 20) * 100;
            (
                "Avvisi di accertamento emessi".to_string(),
                euros(n).trim_end_matches(",00").to_string(),
                euros(n * rng.range(80, 120) / 100)
                    .trim_end_matches(",00")
                    .to_string(),
            )
        }
        9 => (
            "Studi di fattibilità redatti/servizi da associare".to_string(),
            "1/1".to_string(),
            "100%".to_string(),
        ),
        10 => {
            let n = rng.range(5, 50);
            (
                "Utenti coinvolti".to_string(),
                format!("{n} utenti"),
                (n * rng.range(70, 130) / 100).to_string(),
            )
        }
        _ => {
            return (
                "Rispetto della tempistica del cronoprogramma".to_string(),
                "rispetto della tempistica".to_string(),
                String::new(),
                format!(
                    ";{};Valutazione del Nucleo di Valutazione",
                    rng.range(50, 100)
                ),
            )
        }
    };
    (description, target, measured, ";;".to_string())
}

/// The files of one ente: (relative path, bytes).
pub fn ente(
    rng: &mut Rng,
    folder: &str,
    name: &str,
    managers: usize,
    year: u64,
) -> Vec<(String, Vec<u8>)> {
    let mut dirigenti =
        String::from("matricola;nome;incarico;retribuzione_posizione;punti_pesatura;inizio;fine\n");
    let mut valutazioni = String::from("matricola;componente;punteggio\n");
    let mut obiettivi = String::from("codice;matricola;titolo;peso\n");
    let mut indicatori = String::from(
        "obiettivo;descrizione;peso;target;misurato;direzione;raggiungimento_manuale;motivazione\n",
    );
    let mut interim = String::from(
        "matricola;incarico_coperto;retribuzione_posizione_incarico;inizio;fine;percentuale\n",
    );
    let mut compensi = String::from("matricola;tipo;importo;fonte\n");
    let mut position_total: u64 = 0;
    for i in 0..managers {
        let matricola = format!("D{:06}", i + 1);
        let pay = rng.range(240, 910) * 50; // 12.000 - 45.500
        let mid_year = rng.chance(8);
        let start_month = if mid_year { rng.range(2, 11) } else { 1 };
        let days_in_year = if year % 4 == 0 { 366 } else { 365 };
        let worked = if mid_year {
            let days_before: u64 = MONTH_DAYS[..(start_month - 1) as usize].iter().sum();
            days_in_year - days_before
        } else {
            days_in_year
        };
        position_total += pay * worked / days_in_year + 1;
        let _ = writeln!(
            dirigenti,
            "{matricola};{} {};{} {};{};{};01/{start_month:02}/{year};31/12/{year}",
            rng.pick(SURNAMES),
            rng.pick(NAMES),
            rng.pick(POSTS),
            (i % 7) + 1,
            euros(pay),
            pay / 500,
        );
        let low = rng.chance(5);
        for component in ["organizzativa", "comportamenti"] {
            let s = if low {
                rng.range(30, 59)
            } else {
                rng.range(62, 100)
            };
            let _ = writeln!(valutazioni, "{matricola};{component};{s}");
        }
        let objectives = rng.range(3, 8) as usize;
        for (k, w) in weights(rng, objectives).into_iter().enumerate() {
            let code = format!("OB-{matricola}-{}", k + 1);
            let _ = writeln!(
                obiettivi,
                "{code};{matricola};Obiettivo {} di {matricola};{w}",
                k + 1
            );
            let count = rng.range(1, 5) as usize;
            for w in weights(rng, count) {
                let (description, target, measured, tail) = indicator(rng, year);
                let _ = writeln!(
                    indicatori,
                    "{code};{description};{w};{target};{measured};{tail}"
                );
            }
        }
        if rng.chance(3) {
            let _ = writeln!(
                compensi,
                "{matricola};incentivi per funzioni tecniche;{};art. 45 d.lgs. 36/2023",
                euros(rng.range(500, 9000))
            );
        }
    }
    let vacancy = if managers > 1 && rng.chance(20) {
        let pay = rng.range(400, 800) * 50;
        let _ = writeln!(
            interim,
            "D000001;Posto vacante;{};01/03/{year};31/12/{year};20",
            euros(pay)
        );
        pay
    } else {
        0
    };
    let position_share = position_total + vacancy;
    let result_share = position_share * rng.range(20, 35) / 65 + 100;
    let fund = position_share + result_share;
    let (coefficient, model) = match rng.range(0, 2) {
        0 => ("lineare", "quota_teorica"),
        1 => ("lineare", "ripartizione_integrale"),
        _ => ("fasce", "ripartizione_integrale"),
    };
    let bands = if coefficient == "fasce" {
        "\n[[valutazione.fasce]]\nda = 0\na = 60\ncoefficiente = 0\n\n[[valutazione.fasce]]\nda = 60\na = 80\ncoefficiente = \"0,8\"\n\n[[valutazione.fasce]]\nda = 80\na = 100\ncoefficiente = 1\n"
    } else {
        ""
    };
    let rules = format!(
        r#"# Ente fittizio generato da ccdi genera (dati sintetici, non reali).
[ente]
nome = "{name}"
anno = {year}

[[risorse]]
codice = "unico-importo"
descrizione = "Unico importo consolidato"
natura = "stabile"
soggetta_limite_2016 = true
importo = "{}"
fonte = "CCNL 17/12/2020 art. 57 c.2 lett. a"

[ripartizione]
posizione = "{}"
risultato = "resto"
fonte = "CCDI {year} art. 5"

[raggiungimento]
pesi = "normalizza"
scadenze = "decadimento_lineare"
giorni_tolleranza = 30
fonte = "SMVP dell'ente"

[valutazione]
soglia = 60
coefficiente = "{coefficient}"
modello = "{model}"
fonte = "SMVP dell'ente"

[[valutazione.componenti]]
codice = "organizzativa"
peso = 50
organizzativa = true

[[valutazione.componenti]]
codice = "obiettivi"
peso = 30

[[valutazione.componenti]]
codice = "comportamenti"
peso = 20
{bands}
[differenziazione]
percentuale = 30
quota = 10
fonte = "CCDI {year} art. 9"
"#,
        euros(fund),
        euros(position_share),
    );
    let mut files = vec![
        (format!("{folder}/regole.toml"), rules.into_bytes()),
        (format!("{folder}/dirigenti.csv"), dirigenti.into_bytes()),
        (
            format!("{folder}/valutazioni.csv"),
            valutazioni.into_bytes(),
        ),
        (format!("{folder}/obiettivi.csv"), obiettivi.into_bytes()),
        (format!("{folder}/indicatori.csv"), indicatori.into_bytes()),
    ];
    if vacancy > 0 {
        files.push((format!("{folder}/interim.csv"), interim.into_bytes()));
    }
    if compensi.lines().count() > 1 {
        files.push((format!("{folder}/compensi.csv"), compensi.into_bytes()));
    }
    files
}

/// The number of managers of one comune: most 1-5, some 6-40, about 1 in 100 has 100-200.
fn size(rng: &mut Rng) -> usize {
    match rng.range(0, 99) {
        0 => rng.range(100, 200) as usize,
        1..=14 => rng.range(6, 40) as usize,
        _ => rng.range(1, 5) as usize,
    }
}

/// A national batch of `n` entes, one folder each (`ente-00001`, ...).
pub fn batch(n: usize, seed: u64) -> Vec<(String, Vec<u8>)> {
    let mut rng = Rng::new(seed);
    let mut files = Vec::new();
    for i in 0..n {
        let managers = size(&mut rng);
        let folder = format!("ente-{:05}", i + 1);
        let name = format!("Comune sintetico n. {}", i + 1);
        files.extend(ente(&mut rng, &folder, &name, managers, 2023));
    }
    files
}

/// One very large ente with `managers` managers (folder `ente-grande`).
pub fn large(managers: usize, seed: u64) -> Vec<(String, Vec<u8>)> {
    let mut rng = Rng::new(seed);
    ente(
        &mut rng,
        "ente-grande",
        "Ente sintetico di grandi dimensioni",
        managers,
        2023,
    )
}
