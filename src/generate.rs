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
/// Returns (description, target, measured, "direzione;manuale;motivazione").
fn indicator(rng: &mut Rng, year: u64) -> (String, String, String, String) {
    let (description, target, measured) = match rng.range(0, 11) {
        style @ 0..=3 => quantity(rng, style),
        style @ 4..=5 => deadline(rng, style, year),
        style @ 6..=10 => other(rng, style),
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
    (description.to_string(), target, measured, ";;".to_string())
}

/// A counted target (`almeno 20`, `>= 5`, `≥ 80%`, `massimo 3`) and its measured value.
fn quantity(rng: &mut Rng, style: u64) -> (&'static str, String, String) {
    match style {
        0 => {
            let n = rng.range(2, 60);
            let measured = (n * rng.range(70, 130) / 100).to_string();
            ("Pratiche istruite", format!("almeno {n}"), measured)
        }
        1 => {
            let n = rng.range(2, 12);
            let measured = (n * rng.range(60, 140) / 100).to_string();
            (
                "Incontri con gli enti coinvolti",
                format!(">= {n}"),
                measured,
            )
        }
        2 => {
            let p = rng.range(50, 95);
            let measured = format!("{}%", (p * rng.range(80, 115) / 100).min(100));
            (
                "Pratiche gestite in via telematica",
                format!("≥ {p}%"),
                measured,
            )
        }
        _ => {
            let n = rng.range(2, 8);
            let measured = rng.range(1, n + 3).to_string();
            (
                "Riunioni di coordinamento",
                format!("massimo {n}"),
                measured,
            )
        }
    }
}

/// A deadline (`entro il 31.07.23`, `ENTRO OTTOBRE 2023`) and the date it was met, late now
/// and then.
fn deadline(rng: &mut Rng, style: u64, year: u64) -> (&'static str, String, String) {
    let yy = year % 100;
    if style == 4 {
        let m = rng.range(1, 12);
        let d = MONTH_DAYS[(m - 1) as usize];
        let done = rng.range(1, d);
        let late_month = if rng.chance(20) && m < 12 { m + 1 } else { m };
        let day = done.min(MONTH_DAYS[(late_month - 1) as usize]);
        return (
            "Approvazione del progetto",
            format!("entro il {d:02}.{m:02}.{yy:02}"),
            format!("{day:02}/{late_month:02}/{year}"),
        );
    }
    let m = rng.range(3, 12) as usize;
    let done_m = if rng.chance(15) && m < 12 { m + 1 } else { m };
    (
        "Attuazione delle misure del piano",
        format!("ENTRO {} {year}", MONTHS[m - 1]),
        format!("{:02}/{done_m:02}/{year}", rng.range(1, 28)),
    )
}

/// The other styles: yes/no, a bare number, thousands, a ratio, a number with its unit.
fn other(rng: &mut Rng, style: u64) -> (&'static str, String, String) {
    match style {
        6 => (
            "Aggiornamento della sezione Amministrazione trasparente",
            "SI".to_string(),
            if rng.chance(90) { "sì" } else { "no" }.to_string(),
        ),
        7 => {
            let n = rng.range(10, 90);
            let measured = rng.range(n * 7 / 10, n * 13 / 10).to_string();
            (
                "Tempi medi di rilascio, n. giorni",
                format!("{n},00"),
                measured,
            )
        }
        8 => {
            let n = rng.range(1, 20) * 100;
            let measured = euros(n * rng.range(80, 120) / 100);
            (
                "Avvisi di accertamento emessi",
                euros(n).trim_end_matches(",00").to_string(),
                measured.trim_end_matches(",00").to_string(),
            )
        }
        9 => (
            "Studi di fattibilità redatti/servizi da associare",
            "1/1".to_string(),
            "100%".to_string(),
        ),
        _ => {
            let n = rng.range(5, 50);
            let measured = (n * rng.range(70, 130) / 100).to_string();
            ("Utenti coinvolti", format!("{n} utenti"), measured)
        }
    }
}

/// The CSV files of one ente as they are written, header first.
struct Csvs {
    dirigenti: String,
    valutazioni: String,
    obiettivi: String,
    indicatori: String,
    interim: String,
    compensi: String,
}

impl Csvs {
    fn new() -> Csvs {
        Csvs {
            dirigenti: "matricola;nome;incarico;retribuzione_posizione;punti_pesatura;inizio;fine\n"
                .into(),
            valutazioni: "matricola;componente;punteggio\n".into(),
            obiettivi: "codice;matricola;titolo;peso\n".into(),
            indicatori: "obiettivo;descrizione;peso;target;misurato;direzione;raggiungimento_manuale;motivazione\n".into(),
            interim: "matricola;incarico_coperto;retribuzione_posizione_incarico;inizio;fine;percentuale\n".into(),
            compensi: "matricola;tipo;importo;fonte\n".into(),
        }
    }

    /// The `i`-th manager's rows: the post, the evaluations, the objectives with their
    /// indicators, sometimes a fee. Returns the position pay the manager costs in the year
    /// (a euro over, for the split's margin).
    fn manager(&mut self, rng: &mut Rng, i: usize, year: u64) -> u64 {
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
        let _ = writeln!(
            self.dirigenti,
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
            let _ = writeln!(self.valutazioni, "{matricola};{component};{s}");
        }
        self.objectives(rng, &matricola, year);
        if rng.chance(3) {
            let _ = writeln!(
                self.compensi,
                "{matricola};compensi professionali avvocatura;{};art. 9 d.l. 90/2014",
                euros(rng.range(500, 9000))
            );
        }
        pay * worked / days_in_year + 1
    }

    /// A manager's 3-8 objectives, each with 1-5 indicators.
    fn objectives(&mut self, rng: &mut Rng, matricola: &str, year: u64) {
        let objectives = rng.range(3, 8) as usize;
        for (k, w) in weights(rng, objectives).into_iter().enumerate() {
            let code = format!("OB-{matricola}-{}", k + 1);
            let _ = writeln!(
                self.obiettivi,
                "{code};{matricola};Obiettivo {} di {matricola};{w}",
                k + 1
            );
            let count = rng.range(1, 5) as usize;
            for w in weights(rng, count) {
                let (description, target, measured, tail) = indicator(rng, year);
                let _ = writeln!(
                    self.indicatori,
                    "{code};{description};{w};{target};{measured};{tail}"
                );
            }
        }
    }

    /// Sometimes a vacant post covered by interim; returns its position pay (0 if none).
    fn vacancy(&mut self, rng: &mut Rng, managers: usize, year: u64) -> u64 {
        if managers <= 1 || !rng.chance(20) {
            return 0;
        }
        let pay = rng.range(400, 800) * 50;
        let _ = writeln!(
            self.interim,
            "D000001;Posto vacante;{};01/03/{year};31/12/{year};20",
            euros(pay)
        );
        pay
    }

    /// The files under `folder`, the rules file first; interim and fees only when they
    /// have rows.
    fn into_files(self, folder: &str, rules: String) -> Vec<(String, Vec<u8>)> {
        let mut files = vec![
            (format!("{folder}/regole.toml"), rules.into_bytes()),
            (
                format!("{folder}/dirigenti.csv"),
                self.dirigenti.into_bytes(),
            ),
            (
                format!("{folder}/valutazioni.csv"),
                self.valutazioni.into_bytes(),
            ),
            (
                format!("{folder}/obiettivi.csv"),
                self.obiettivi.into_bytes(),
            ),
            (
                format!("{folder}/indicatori.csv"),
                self.indicatori.into_bytes(),
            ),
        ];
        if self.interim.lines().count() > 1 {
            files.push((format!("{folder}/interim.csv"), self.interim.into_bytes()));
        }
        if self.compensi.lines().count() > 1 {
            files.push((format!("{folder}/compensi.csv"), self.compensi.into_bytes()));
        }
        files
    }
}

/// The files of one ente: (relative path, bytes).
pub fn ente(
    rng: &mut Rng,
    folder: &str,
    name: &str,
    managers: usize,
    year: u64,
) -> Vec<(String, Vec<u8>)> {
    let mut csvs = Csvs::new();
    let position_total: u64 = (0..managers).map(|i| csvs.manager(rng, i, year)).sum();
    let vacancy = csvs.vacancy(rng, managers, year);
    let position_share = position_total + vacancy;
    let result_share = position_share * rng.range(20, 35) / 65 + 100;
    let rules = rules_file(
        rng,
        name,
        year,
        position_share + result_share,
        position_share,
    );
    csvs.into_files(folder, rules)
}

/// The ente's rules file: one consolidated resource, the split, the PEG's and the
/// evaluation's rules (a coefficient and a model drawn at random), art. 30.
fn rules_file(rng: &mut Rng, name: &str, year: u64, fund: u64, position_share: u64) -> String {
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
    let (fund, position) = (euros(fund), euros(position_share));
    format!(
        r#"# Ente fittizio generato da ccdi genera (dati sintetici, non reali).
[ente]
nome = "{name}"
anno = {year}

[[risorse]]
codice = "unico-importo"
descrizione = "Unico importo consolidato"
natura = "stabile"
soggetta_limite_2016 = true
importo = "{fund}"
fonte = "Atto di costituzione del fondo {year}"

[ripartizione]
posizione = "{position}"
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
"#
    )
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
