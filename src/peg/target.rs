//! Reading an indicator target (*valore atteso / target dell'indicatore*) written as free text in
//! a PEG sheet: `almeno 20`, `≥ 50%`, `entro il 31.07.20`, `ENTRO OTTOBRE 2020`, `entro il
//! 30/06`, `massimo 3`, `SI`, `SI/NO`, `1/1`, `riduzione del 10%`. Nothing is guessed: whatever
//! cannot be read confidently becomes [`TargetKind::Manual`] (*da valutare*) with an Italian
//! reason.
//!
//! Decisions on ambiguous forms:
//! - numbers are read the Italian way (thousands dots, decimal comma): `1.200` is 1200,
//!   `15,00` is 15;
//! - a bare four-digit integer between 1900 and 2100 with no `%` and no comparator (`2020`) is
//!   Manual ("sembra un anno"): it may be a year of completion or a quantity;
//! - `15:09:20` is Manual: it reads first as a time of day, and turning it into 15/09/2020 would
//!   be a guess; the reason suggests the spelling to use;
//! - a month without a day (`ottobre 2020`, `set-19`) is its last day; `entro 2022` is
//!   31/12/2022; two-digit years are 20yy;
//! - a deadline without a year (`entro il 30/06`, `entro il 30.06`, `entro 31 marzo`, `entro
//!   dicembre`: its last day) is in the fund's year, which the caller gives
//!   ([`read_target_in`]); without it the target is Manual, saying that the year is needed. A
//!   number right after such a date (`entro dicembre 20`) may be a short year: Manual. A date
//!   with its year is read as written, even when the year is not the fund's;
//! - `entro e non oltre <data>` and `non oltre <data>` are `entro`; `non oltre` before a
//!   number is "at most";
//! - `SI/NO` (`Sì/No`, `si / no`) is a yes/no target, as `SI` is;
//! - `n/n` (`1/1`) is "all of the planned items": at least 100%, percent; any other ratio is
//!   Manual;
//! - a percentage without a comparator is "higher is better" (presumed): in PEG sheets a bare
//!   percentage is a completion or compliance rate, even when the description speaks of time
//!   ("Rispetto tempistiche … 90%");
//! - a bare number without a comparator is "lower is better" when the description or the target
//!   speaks of time or cost (`tempi`, `giorni`, `costo`, `spesa`, `durata`, `attesa`, `ritardo`,
//!   …), otherwise "higher is better"; both are marked as inferred;
//! - a quantity with `entro <data>` (`50% ENTRO LUGLIO 2020`) is a quantity target that also
//!   carries the deadline;
//! - a change from a starting value written as a percentage (`riduzione del 10%`, `ridurre del
//!   10%`, `-10%`, `aumento del 10%`, `+10%`) is read with its sign; the target T = B × (1 ±
//!   10%) needs the starting value B (*valore iniziale*, [`Target::with_baseline`]): without
//!   it the target is Manual, saying where to write B. Beside the change only words may be
//!   written (`rispetto all'anno precedente`), no other number or comparator;
//! - targets speaking of totals over several years, other variations from a baseline, periodic
//!   rates, approximations or several numbers are Manual, each with its reason.

// The readers return the Manual target itself as their `Err`: one per distinct target text
// of a PEG, built once, so its size does not matter.
#![allow(clippy::result_large_err)]

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::money::date_it;
use crate::money::format_it;
use crate::parse::{
    end_of_month, month_name, month_number, parse_day_month, parse_italian_number,
    parse_written_date, DateForm,
};

/// Kind of target (*tipo di target*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    /// `almeno`: a quantity to reach or exceed.
    AtLeast,
    /// `al_piu`: a quantity not to exceed.
    AtMost,
    /// `entro`: something to do by a date.
    Deadline,
    /// `si_no`: something to do, done or not.
    YesNo,
    /// `manuale`: cannot be read; attainment is entered by hand (*da valutare*).
    Manual,
}

impl TargetKind {
    /// The JSON / rules-file name of the kind.
    pub fn key(self) -> &'static str {
        match self {
            TargetKind::AtLeast => "almeno",
            TargetKind::AtMost => "al_piu",
            TargetKind::Deadline => "entro",
            TargetKind::YesNo => "si_no",
            TargetKind::Manual => "manuale",
        }
    }
}

/// Direction of a quantity indicator (*verso dell'indicatore*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `crescente`: higher is better.
    Higher,
    /// `decrescente`: lower is better (average days, costs).
    Lower,
}

impl Direction {
    /// The JSON / rules-file name of the direction.
    pub fn key(self) -> &'static str {
        match self {
            Direction::Higher => "crescente",
            Direction::Lower => "decrescente",
        }
    }

    /// Reads a JSON / rules-file name.
    pub fn from_key(s: &str) -> Option<Direction> {
        match s {
            "crescente" => Some(Direction::Higher),
            "decrescente" => Some(Direction::Lower),
            _ => None,
        }
    }
}

/// An indicator target as read from free text (*target dell'indicatore*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The text as written.
    pub text: String,
    pub kind: TargetKind,
    /// The quantity, when there is one (90 for `90%`).
    pub value: Option<Decimal>,
    /// The unit is %.
    pub percent: bool,
    pub deadline: Option<NaiveDate>,
    /// `None` for deadline, yes/no and manual targets.
    pub direction: Option<Direction>,
    /// The direction was derived (from the description or by default), not written.
    pub direction_inferred: bool,
    /// `> 5` (strictly more) rather than `>= 5`.
    pub strict: bool,
    /// Only for Manual: why the text cannot be read, in Italian.
    pub reason: Option<String>,
    /// How a special form was read, in Italian (`1/1`, end of month, end of year, the fund's
    /// year).
    pub note: Option<String>,
    /// For a change from a starting value (`riduzione del 10%`, `aumento del 10%`): the change
    /// in percent, negative for a reduction. Without [`Target::baseline`] the target is Manual.
    pub change: Option<Decimal>,
    /// The starting value B (*valore iniziale*) the attainment is measured from, in the
    /// target's unit: (A − B) / (T − B) (domain.md §5).
    pub baseline: Option<Decimal>,
}

impl Target {
    fn manual(text: &str, reason: String) -> Target {
        Target {
            text: text.to_string(),
            kind: TargetKind::Manual,
            value: None,
            percent: false,
            deadline: None,
            direction: None,
            direction_inferred: false,
            strict: false,
            reason: Some(reason),
            note: None,
            change: None,
            baseline: None,
        }
    }

    /// Applies a direction given explicitly (e.g. a `verso` column). For quantity targets whose
    /// direction was inferred it replaces it (and the kind follows: higher → at least, lower →
    /// at most); if the text itself states the opposite direction the target becomes Manual
    /// with the conflict as reason. Deadline, yes/no and manual targets have no direction: it
    /// is ignored and the target is returned unchanged.
    pub fn with_direction(mut self, d: Direction) -> Target {
        // A change still without its starting value has the direction of its sign.
        let own = match (self.kind, self.change) {
            (TargetKind::Manual, Some(change)) => Some(change_direction(change)),
            (TargetKind::AtLeast | TargetKind::AtMost, _) if !self.direction_inferred => {
                self.direction
            }
            (TargetKind::AtLeast | TargetKind::AtMost, _) => None,
            _ => return self,
        };
        if own.is_some_and(|own| own != d) {
            let own = own.map_or("", Direction::key);
            return Target::manual(
                &self.text,
                format!(
                    "direzione in conflitto: il target è {own} ma è indicato «{}»",
                    d.key()
                ),
            );
        }
        if self.kind == TargetKind::Manual {
            return self;
        }
        self.direction = Some(d);
        self.direction_inferred = false;
        self.kind = match d {
            Direction::Higher => TargetKind::AtLeast,
            Direction::Lower => TargetKind::AtMost,
        };
        self
    }

    /// Italian sentence on how the target was read, e.g. `letto come: almeno 20 (crescente)`.
    /// Built from the fields when asked: a large PEG has a million targets and the renderers
    /// print only some of them.
    pub fn explanation(&self) -> String {
        let deadline = self.deadline.map(|d| format!("entro il {}", date_it(d)));
        let note = self
            .note
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        match self.kind {
            TargetKind::Manual => format!(
                "da valutare: {}",
                self.reason.as_deref().unwrap_or("target non leggibile")
            ),
            TargetKind::YesNo => "letto come: sì/no (100% se realizzato, altrimenti 0%)".into(),
            TargetKind::Deadline => {
                format!("letto come: {}{note}", deadline.unwrap_or_default())
            }
            TargetKind::AtLeast | TargetKind::AtMost => {
                let word = match (self.kind, self.strict) {
                    (TargetKind::AtLeast, false) => "almeno",
                    (TargetKind::AtLeast, true) => "più di",
                    (_, false) => "al più",
                    (_, true) => "meno di",
                };
                let value = self
                    .value
                    .map(|v| format_it(v.normalize(), 0))
                    .unwrap_or_default();
                let pct = if self.percent { "%" } else { "" };
                let by = deadline.map(|d| format!(" {d}")).unwrap_or_default();
                let dir = self.direction.map_or("", Direction::key);
                let how = match (self.direction_inferred, self.direction) {
                    (false, _) => "",
                    (true, Some(Direction::Lower)) => ", direzione dedotta dalla descrizione",
                    (true, _) => ", direzione presunta",
                };
                let from = self.baseline_part();
                format!("letto come: {word} {value}{pct}{by}{note} ({dir}{how}){from}")
            }
        }
    }
}

impl Target {
    /// The target measured from a starting value B (*valore iniziale*, domain.md §5; `percent`:
    /// B was written as a percentage). A change (`riduzione del 10%`) becomes the quantity
    /// T = B × (1 − 10%) (× (1 + p) for an increase), in B's unit; a quantity keeps its value,
    /// which must improve on B in its direction. Then the attainment is (A − B) / (T − B). The
    /// `Err` says in Italian why B cannot be used with this target, and what to write.
    pub fn with_baseline(self, b: Decimal, percent: bool) -> Result<Target, String> {
        if let Some(change) = self.change {
            return self.changed_from(b, percent, change);
        }
        match self.kind {
            TargetKind::AtLeast | TargetKind::AtMost => self.improving(b, percent),
            TargetKind::Deadline | TargetKind::YesNo => Err(format!(
                "valore iniziale per il target «{}», che è {}, non una quantità: toglierlo",
                self.text,
                if self.kind == TargetKind::Deadline {
                    "una scadenza"
                } else {
                    "un sì/no"
                }
            )),
            TargetKind::Manual => Err(format!(
                "il target «{}» va valutato a mano ({}): il valore iniziale non si usa, toglierlo",
                self.text,
                self.reason.as_deref().unwrap_or_default()
            )),
        }
    }

    /// A change from B: the quantity T = B × (100 + change) / 100, exact.
    fn changed_from(
        mut self,
        b: Decimal,
        percent: bool,
        change: Decimal,
    ) -> Result<Target, String> {
        let shown = format!(
            "{}{}",
            format_it(b.normalize(), 0),
            if percent { "%" } else { "" }
        );
        if b <= Decimal::ZERO {
            return Err(format!(
                "valore iniziale {shown} per «{}»: una variazione in percentuale si calcola da un valore positivo; scrivere il target come valore atteso (es. «al più …» o «almeno …»)",
                self.text
            ));
        }
        let t = Decimal::ONE_HUNDRED
            .checked_add(change)
            .and_then(|factor| b.checked_mul(factor))
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .ok_or_else(|| format!("valore iniziale {shown} fuori dai limiti numerici"))?;
        let direction = change_direction(change);
        self.kind = match direction {
            Direction::Higher => TargetKind::AtLeast,
            Direction::Lower => TargetKind::AtMost,
        };
        self.value = Some(t.normalize());
        self.percent = percent;
        self.direction = Some(direction);
        self.direction_inferred = false;
        self.strict = false;
        self.reason = None;
        self.baseline = Some(b.normalize());
        Ok(self)
    }

    /// A quantity from B: B in its unit, and the target beyond B in its direction.
    fn improving(mut self, b: Decimal, percent: bool) -> Result<Target, String> {
        let (Some(t), Some(dir)) = (self.value, self.direction) else {
            return Err(format!("target «{}» senza valore o direzione", self.text));
        };
        let unit = if self.percent { "%" } else { "" };
        let (ts, bs) = (format_it(t, 0), format_it(b.normalize(), 0));
        if percent && !self.percent {
            return Err(format!(
                "valore iniziale {bs}% in percentuale, ma il target «{}» non è una percentuale: scrivere il valore iniziale come numero",
                self.text
            ));
        }
        let improves = match dir {
            Direction::Higher => t > b,
            Direction::Lower => t < b,
        };
        if !improves {
            let hint = if self.direction_inferred {
                " o indicare il verso nella colonna direzione"
            } else {
                ""
            };
            return Err(format!(
                "il target {ts}{unit} non migliora il valore iniziale {bs}{unit} nel verso {}: correggere il valore iniziale o toglierlo{hint}",
                dir.key()
            ));
        }
        self.baseline = Some(b.normalize());
        Ok(self)
    }

    /// How the starting value enters the target, for [`Target::explanation`]: `, riduzione
    /// del 10% dal valore iniziale 40: 40 × (1 − 10%) = 36` or `, dal valore iniziale 10`.
    fn baseline_part(&self) -> String {
        let Some(b) = self.baseline else {
            return String::new();
        };
        let unit = if self.percent { "%" } else { "" };
        let b = format_it(b, 0);
        match (self.change, self.value) {
            (Some(c), Some(t)) => {
                let (word, sign) = if c.is_sign_negative() {
                    ("riduzione", "−")
                } else {
                    ("aumento", "+")
                };
                let c = format_it(c.abs(), 0);
                let t = format_it(t, 0);
                format!(", {word} del {c}% dal valore iniziale {b}{unit}: {b}{unit} × (1 {sign} {c}%) = {t}{unit}")
            }
            _ => format!(", dal valore iniziale {b}{unit}"),
        }
    }
}

/// Words that make a bare quantity "lower is better" (time and cost).
const LOWER_WORDS: &[&str] = &[
    "tempo", "tempi", "giorni", "giorno", "gg", "gg.", "costo", "costi", "spesa", "spese",
    "durata", "attesa", "attese", "ritardo", "ritardi",
];

/// Words that make a quantity unsafe to read, with the reason (`{}` is the word).
const DANGER: &[(&[&str], &str)] = &[
    (
        &[
            "totale",
            "totali",
            "complessivo",
            "complessivi",
            "complessiva",
            "complessive",
            "triennio",
            "biennio",
            "quinquennio",
            "suddivisi",
            "suddivise",
            "suddiviso",
            "cumulato",
            "cumulati",
            "pluriennale",
        ],
        "valore complessivo o pluriennale («{}»): indicare il valore atteso per l'anno",
    ),
    (
        &[
            "riduzione",
            "ridurre",
            "aumento",
            "aumentare",
            "incremento",
            "incrementare",
            "diminuzione",
            "diminuire",
            "variazione",
            "rispetto",
            "stabile",
            "mantenimento",
            "mantenere",
            "miglioramento",
            "migliorare",
        ],
        "obiettivo espresso come variazione o confronto («{}»): scriverlo come «riduzione del 10%» o «aumento del 10%» con il valore di partenza nella colonna valore_iniziale, oppure come valore atteso (es. «al più 36»)",
    ),
    (
        &[
            "ogni",
            "mensile",
            "mensili",
            "settimanale",
            "settimanali",
            "trimestrale",
            "trimestrali",
            "semestrale",
            "semestrali",
            "giornaliero",
            "giornalieri",
            "annuo",
            "annui",
            "annua",
            "annue",
        ],
        "valore riferito a un periodo («{}»): indicare il valore atteso per l'anno",
    ),
    (
        &["circa", "oppure", "tra", "fra"],
        "valore approssimativo o alternativo («{}»)",
    ),
];

/// Splits the text into lowercase tokens, separating comparators, `%`, apostrophes,
/// `n.8` → `n.` `8` and `entroluglio` → `entro` `luglio`.
fn tokenize(text: &str) -> Vec<String> {
    let mut spaced = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '≥' => spaced.push_str(" >= "),
            '≤' => spaced.push_str(" <= "),
            '>' | '<' => {
                if chars.peek() == Some(&'=') {
                    chars.next();
                    spaced.push_str(if c == '>' { " >= " } else { " <= " });
                } else {
                    spaced.push(' ');
                    spaced.push(c);
                    spaced.push(' ');
                }
            }
            '=' => match chars.peek() {
                Some('>') => {
                    chars.next();
                    spaced.push_str(" >= ");
                }
                Some('<') => {
                    chars.next();
                    spaced.push_str(" <= ");
                }
                _ => spaced.push_str(" = "),
            },
            '%' => spaced.push_str(" % "),
            '\'' | '’' => spaced.push_str("' "),
            c if c.is_whitespace() => spaced.push(' '),
            c => spaced.extend(c.to_lowercase()),
        }
    }
    let mut tokens = Vec::new();
    for tok in spaced.split_whitespace() {
        let split = ["n.", "nr.", "n°"].iter().find_map(|p| {
            tok.strip_prefix(p)
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
                .map(|rest| (*p, rest))
        });
        let split = split.or_else(|| {
            tok.strip_prefix("entro")
                .filter(|rest| {
                    !rest.is_empty()
                        && (month_number(rest).is_some()
                            || rest.starts_with(|c: char| c.is_ascii_digit()))
                })
                .map(|rest| ("entro", rest))
        });
        match split {
            Some((head, rest)) => {
                tokens.push(head.to_string());
                tokens.push(rest.to_string());
            }
            None => tokens.push(tok.to_string()),
        }
    }
    tokens
}

/// A date written after a deadline's words: whole, or without its year (read in the fund's).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Written {
    /// A date, with how a special form was read.
    Date(NaiveDate, Option<String>),
    /// A day (`None`: the month's last) and a month, the year left out (`30/06`, `dicembre`).
    NoYear(Option<u32>, u32),
}

/// A date written over one to three tokens: `31/12/2020`, `15-set-20`, `set-19`,
/// `ottobre 2020`, `15 settembre 2020`; with `allow_year`, also `2022` (31/12); or without
/// its year: `30/06`, `30.06`, `31 marzo`, `dicembre`, unless a number follows (`dicembre
/// 20` may have a short year). Returns the date and the tokens used.
fn date_at(tokens: &[String], allow_year: bool) -> Option<(Written, usize)> {
    if let Some((date, used, note)) = dated(tokens, allow_year) {
        return Some((Written::Date(date, note), used));
    }
    let (written, used) = undated(tokens)?;
    let number_after = tokens
        .get(used)
        .is_some_and(|t| t.chars().all(|c| c.is_ascii_digit()));
    (!number_after).then_some((written, used))
}

/// A date written with its year (see [`date_at`]), the tokens used and a note.
fn dated(tokens: &[String], allow_year: bool) -> Option<(NaiveDate, usize, Option<String>)> {
    let first = tokens.first()?;
    if let [d, m, y, ..] = tokens {
        if let (Some(day), Some(month), true) = (
            d.parse::<u32>().ok().filter(|_| d.len() <= 2),
            month_number(m),
            is_year(y),
        ) {
            let year = y.parse().ok()?;
            return NaiveDate::from_ymd_opt(year, month, day).map(|x| (x, 3, None));
        }
    }
    if let [m, y, ..] = tokens {
        if let (Some(month), true) = (month_number(m), is_year(y)) {
            let year = y.parse().ok()?;
            let note = format!("fine {}", month_name(month));
            return end_of_month(year, month).map(|x| (x, 2, Some(note)));
        }
    }
    if let Some((date, form)) = parse_written_date(first) {
        let note = (form == DateForm::EndOfMonth)
            .then(|| format!("fine {}", month_name(chrono::Datelike::month(&date))));
        return Some((date, 1, note));
    }
    if allow_year && is_year(first) {
        let year = first.parse().ok()?;
        return NaiveDate::from_ymd_opt(year, 12, 31).map(|x| (x, 1, Some("fine anno".into())));
    }
    None
}

/// A date written without its year: `31 marzo`, `dicembre`, `30/06`, `30.06`, `15-set`.
fn undated(tokens: &[String]) -> Option<(Written, usize)> {
    let first = tokens.first()?;
    if let [d, m, ..] = tokens {
        let day = d
            .parse::<u32>()
            .ok()
            .filter(|x| d.len() <= 2 && (1..=31).contains(x));
        if let (Some(day), Some(month)) = (day, month_number(m)) {
            return Some((Written::NoYear(Some(day), month), 2));
        }
    }
    if let Some(month) = month_number(first) {
        return Some((Written::NoYear(None, month), 1));
    }
    parse_day_month(first).map(|(d, m)| (Written::NoYear(Some(d), m), 1))
}

/// A written deadline as a date: one without its year in the fund's `year`, noted so. No
/// year, or a day the year does not have (`29/02`), make the target Manual (the `Err`).
fn in_year(
    text: &str,
    written: Written,
    shown: &[String],
    year: Option<i32>,
) -> Result<(NaiveDate, Option<String>), Target> {
    let (day, month) = match written {
        Written::Date(date, note) => return Ok((date, note)),
        Written::NoYear(day, month) => (day, month),
    };
    let shown = shown.join(" ");
    let Some(year) = year else {
        return Err(Target::manual(
            text,
            format!("scadenza «{shown}» senza anno: vale l'anno del fondo, che qui non è indicato; indicarlo (con ccdi target, l'opzione --anno) oppure scrivere la data completa (gg/mm/aaaa)"),
        ));
    };
    let date = match day {
        Some(d) => NaiveDate::from_ymd_opt(year, month, d),
        None => end_of_month(year, month),
    };
    let Some(date) = date else {
        return Err(Target::manual(
            text,
            format!("data «{shown}» inesistente nell'anno del fondo {year}: correggere la data"),
        ));
    };
    let note = match day {
        Some(_) => "anno del fondo".to_string(),
        None => format!("fine {}, anno del fondo", month_name(month)),
    };
    Ok((date, Some(note)))
}

fn is_year(s: &str) -> bool {
    s.len() == 4
        && s.chars().all(|c| c.is_ascii_digit())
        && s.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y))
}

fn is_time(tok: &str) -> bool {
    let parts: Vec<&str> = tok.split(':').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
}

/// A comparator phrase: (tokens, direction, strict).
const COMPARATORS: &[(&[&str], Direction, bool)] = &[
    (&["non", "inferiore"], Direction::Higher, false),
    (&["non", "inferiori"], Direction::Higher, false),
    (&["non", "minore"], Direction::Higher, false),
    (&["non", "minori"], Direction::Higher, false),
    (&["non", "meno"], Direction::Higher, false),
    (&["non", "superiore"], Direction::Lower, false),
    (&["non", "superiori"], Direction::Lower, false),
    (&["non", "maggiore"], Direction::Lower, false),
    (&["non", "maggiori"], Direction::Lower, false),
    (&["non", "oltre"], Direction::Lower, false),
    (&["non", "più", "di"], Direction::Lower, false),
    (&["al", "massimo"], Direction::Lower, false),
    (&["al", "minimo"], Direction::Higher, false),
    (&["più", "di"], Direction::Higher, true),
    (&["meno", "di"], Direction::Lower, true),
    (&["fino", "a"], Direction::Lower, false),
    (&[">="], Direction::Higher, false),
    (&[">"], Direction::Higher, true),
    (&["<="], Direction::Lower, false),
    (&["<"], Direction::Lower, true),
    (&["almeno"], Direction::Higher, false),
    (&["minimo"], Direction::Higher, false),
    (&["min"], Direction::Higher, false),
    (&["min."], Direction::Higher, false),
    (&["oltre"], Direction::Higher, true),
    (&["massimo"], Direction::Lower, false),
    (&["max"], Direction::Lower, false),
    (&["max."], Direction::Lower, false),
];

/// Reads a target written as free text, with no fund year: a deadline written without its
/// year is Manual. See [`read_target_in`].
pub fn read_target(text: &str, description: &str) -> Target {
    read_target_in(text, description, None)
}

/// Reads a target written as free text. `description` is the indicator's description, used
/// only to infer the direction of a bare number; `year` is the fund's year, in which a
/// deadline written without one is read (`entro il 30/06`). Never panics; see the module
/// docs for what is read and what becomes Manual.
pub fn read_target_in(text: &str, description: &str, year: Option<i32>) -> Target {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Target::manual(text, "target vuoto".into());
    }
    let tokens = tokenize(trimmed);
    let joined = tokens.join(" ");
    let bare = joined.trim_end_matches(['.', '!']);
    if is_yes_no(bare) {
        let mut t = Target::manual(text, String::new());
        t.kind = TargetKind::YesNo;
        t.reason = None;
        return t;
    }
    if let Some(tok) = tokens.iter().find(|t| is_time(t)) {
        return time_of_day(text, tok);
    }
    let (rest, deadline, note) = match split_deadline(text, &tokens, year) {
        Ok(parts) => parts,
        Err(manual) => return manual,
    };
    if rest.is_empty() {
        return match deadline {
            Some(date) => {
                let mut t = Target::manual(text, String::new());
                t.kind = TargetKind::Deadline;
                t.reason = None;
                t.deadline = Some(date);
                t.note = note;
                t
            }
            None => Target::manual(text, "target vuoto".into()),
        };
    }
    read_quantity(text, &rest, description, deadline, note).unwrap_or_else(|manual| manual)
}

/// A yes/no target: `SI`, `X`, `SI/NO`, `Sì/No`, `si / no` (the tokens joined by spaces).
fn is_yes_no(bare: &str) -> bool {
    let compact: String = bare.split_whitespace().collect();
    let yes = |w: &str| matches!(w, "si" | "sì" | "sí" | "si'");
    match compact.split_once('/') {
        Some((a, b)) => (yes(a) && b == "no") || (a == "no" && yes(b)),
        None => yes(&compact) || compact == "x",
    }
}

/// A target with a time of day (`15:09:20`): Manual, suggesting the date it may mean.
fn time_of_day(text: &str, tok: &str) -> Target {
    let parts: Vec<&str> = tok.split(':').collect();
    let hint = match parts.as_slice() {
        [d, m, y] => match parse_written_date(&format!("{d}/{m}/{y}")) {
            Some((date, _)) => format!(": se è la scadenza del {}, scriverla così", date_it(date)),
            None => String::new(),
        },
        _ => String::new(),
    };
    Target::manual(
        text,
        format!("«{tok}» sembra un orario, non una data{hint}"),
    )
}

/// What is left of a target's tokens once its deadline is taken out: `entro <data>` (or
/// `non oltre <data>`) anywhere, or the whole text being a date. A deadline that cannot be
/// read, two deadlines, or a date left among other words make the target Manual (the `Err`).
/// A deadline without its year is in the fund's `year`.
#[allow(clippy::type_complexity)]
fn split_deadline(
    text: &str,
    tokens: &[String],
    year: Option<i32>,
) -> Result<(Vec<String>, Option<NaiveDate>, Option<String>), Target> {
    let mut rest: Vec<String> = tokens.to_vec();
    let mut deadline = None;
    let mut note = None;
    match deadline_words(tokens).as_slice() {
        [] => {
            if let Some((Written::Date(date, n), used)) = date_at(tokens, false) {
                if used == tokens.len() {
                    deadline = Some(date);
                    note = n;
                    rest.clear();
                }
            }
        }
        [(i, after)] => {
            let j = after_articles(tokens, *after);
            let entro = tokens[*i] == "entro";
            let at = tokens.get(j..).unwrap_or_default();
            let Some((written, used)) = date_at(at, entro) else {
                return Err(Target::manual(
                    text,
                    "scadenza dopo «entro» non leggibile: scrivere una data come 31/12/2020 o un mese come «dicembre 2020»".into(),
                ));
            };
            let (date, n) = in_year(text, written, &at[..used], year)?;
            deadline = Some(date);
            note = n;
            rest.drain(*i..j + used);
        }
        _ => {
            return Err(Target::manual(
                text,
                "più di una scadenza («entro») nello stesso target".into(),
            ))
        }
    }
    if rest.iter().any(|t| parse_written_date(t).is_some()) {
        return Err(Target::manual(
            text,
            "data senza «entro» accanto ad altro testo: non è chiaro se sia una scadenza".into(),
        ));
    }
    Ok((rest, deadline, note))
}

/// Where deadlines are written, as (first token of the words, first token after them):
/// `entro`, `entro e non oltre`, and `non oltre` when a date follows (before a number it is
/// "at most").
fn deadline_words(tokens: &[String]) -> Vec<(usize, usize)> {
    let is = |i: usize, words: &[&str]| {
        tokens
            .get(i..i + words.len())
            .is_some_and(|s| s.iter().zip(words).all(|(a, b)| a == b))
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let len = if is(i, &["entro", "e", "non", "oltre"]) {
            4
        } else if is(i, &["entro"]) {
            1
        } else if is(i, &["non", "oltre"]) {
            let at = tokens
                .get(after_articles(tokens, i + 2)..)
                .unwrap_or_default();
            if date_at(at, false).is_some() {
                2
            } else {
                0
            }
        } else {
            0
        };
        if len > 0 {
            found.push((i, i + len));
            i += len;
        } else {
            i += 1;
        }
    }
    found
}

/// The first token from `j` that is not an article or a filler before a date (`il`, `la`,
/// `fine`, `mese`, `di`: `entro il mese di dicembre`).
fn after_articles(tokens: &[String], mut j: usize) -> usize {
    while tokens
        .get(j)
        .is_some_and(|t| matches!(t.as_str(), "il" | "la" | "fine" | "il'" | "mese" | "di"))
    {
        j += 1;
    }
    j
}

/// Reads the quantity part of a target (the tokens left after removing the deadline); a
/// quantity that cannot be read confidently is the Manual target of the `Err`.
fn read_quantity(
    text: &str,
    tokens: &[String],
    description: &str,
    deadline: Option<NaiveDate>,
    note: Option<String>,
) -> Result<Target, Target> {
    if let Some(change) = relative(text, tokens)? {
        return Err(change_without_start(text, change, deadline, note));
    }
    let at = the_number(text, tokens, deadline.is_some())?;
    let comparator = comparator(text, tokens)?;
    let tok = &tokens[at];
    let percent_at: Vec<usize> = (0..tokens.len())
        .filter(|&i| matches!(tokens[i].as_str(), "%" | "percento"))
        .collect();
    let percent = match percent_at.as_slice() {
        [] => false,
        [p] if *p == at + 1 => true,
        _ => return Err(Target::manual(text, "simbolo % fuori posto".into())),
    };
    let percent = percent
        || (tokens.get(at + 1).is_some_and(|t| t == "per")
            && tokens.get(at + 2).is_some_and(|t| t == "cento"));
    let mut base = Target::manual(text, String::new());
    base.reason = None;
    base.deadline = deadline;
    base.note = note;
    base.percent = percent;
    let (value, ratio) = quantity_value(text, tok, percent, comparator)?;
    if ratio {
        base.percent = true;
        base.note = Some(format!("{tok}: tutti gli elementi previsti"));
    }
    if !base.percent && comparator.is_none() && is_year(tok) {
        return Err(Target::manual(
            text,
            format!(
                "«{tok}» sembra un anno: se è una scadenza scrivere «entro 31/12/{tok}», se è una quantità «almeno {tok}»"
            ),
        ));
    }
    let (direction, strict, inferred) = match comparator {
        Some((d, s)) => (d, s, false),
        None if base.percent => (Direction::Higher, false, true),
        None => (inferred_direction(description, tokens), false, true),
    };
    base.value = Some(value);
    base.kind = match direction {
        Direction::Higher => TargetKind::AtLeast,
        Direction::Lower => TargetKind::AtMost,
    };
    base.direction = Some(direction);
    base.direction_inferred = inferred;
    base.strict = strict;
    Ok(base)
}

/// A change read (`riduzione del 10%`) before its starting value is given: Manual, saying
/// where to write it ([`Target::with_baseline`] then reads it).
fn change_without_start(
    text: &str,
    change: Decimal,
    deadline: Option<NaiveDate>,
    note: Option<String>,
) -> Target {
    let word = if change.is_sign_negative() {
        "riduzione"
    } else {
        "aumento"
    };
    let mut t = Target::manual(
        text,
        format!(
            "{word} del {}% rispetto a un valore di partenza: indicarlo nella colonna valore_iniziale di indicatori.csv (con ccdi target, l'opzione --valore-iniziale)",
            format_it(change.abs(), 0)
        ),
    );
    t.change = Some(change);
    t.deadline = deadline;
    t.note = note;
    t
}

/// The position of the one numeric token of a quantity. No number, a word that changes the
/// meaning (`DANGER`), or several numbers make the target Manual.
fn the_number(text: &str, tokens: &[String], has_deadline: bool) -> Result<usize, Target> {
    let digits: Vec<usize> = (0..tokens.len())
        .filter(|&i| tokens[i].chars().any(|c| c.is_ascii_digit()))
        .collect();
    if digits.is_empty() {
        let what = if has_deadline {
            "testo accanto alla scadenza senza un valore numerico"
        } else {
            "nessun valore numerico né scadenza"
        };
        return Err(Target::manual(
            text,
            format!("{what}: il raggiungimento va valutato a mano"),
        ));
    }
    for tok in tokens {
        let word = tok.trim_matches(|c: char| !c.is_alphanumeric());
        for (words, reason) in DANGER {
            if words.contains(&word) {
                return Err(Target::manual(text, reason.replace("{}", word)));
            }
        }
    }
    if digits.len() > 1 {
        let list: Vec<&str> = digits.iter().map(|&i| tokens[i].as_str()).collect();
        return Err(Target::manual(
            text,
            format!(
                "più valori numerici ({}): non è chiaro quale sia il target",
                list.join(", ")
            ),
        ));
    }
    Ok(digits[0])
}

/// The comparator of a quantity (`almeno`, `>=`, `massimo`, ...) with its strictness, if
/// any. A negation or two different comparators make the target Manual.
fn comparator(text: &str, tokens: &[String]) -> Result<Option<(Direction, bool)>, Target> {
    let mut used = vec![false; tokens.len()];
    let mut found: Vec<(Direction, bool)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let hit = COMPARATORS.iter().find(|(phrase, _, _)| {
            tokens
                .get(i..i + phrase.len())
                .is_some_and(|s| s.iter().zip(phrase.iter()).all(|(a, b)| a == b))
        });
        match hit {
            Some((phrase, dir, strict)) => {
                found.push((*dir, *strict));
                for u in used.iter_mut().skip(i).take(phrase.len()) {
                    *u = true;
                }
                i += phrase.len();
            }
            None => i += 1,
        }
    }
    if tokens
        .iter()
        .zip(&used)
        .any(|(t, u)| !u && t.as_str() == "non")
    {
        return Err(Target::manual(
            text,
            "negazione («non») non riconosciuta".into(),
        ));
    }
    found.dedup();
    if found.len() > 1 {
        return Err(Target::manual(
            text,
            "più indicazioni di confronto nello stesso target".into(),
        ));
    }
    Ok(found.first().copied())
}

/// The value of the numeric token, and whether it was a ratio of all the elements (`1/1`,
/// read as 100%). A date that does not exist, another ratio or an unreadable number make
/// the target Manual.
fn quantity_value(
    text: &str,
    tok: &str,
    percent: bool,
    comparator: Option<(Direction, bool)>,
) -> Result<(Decimal, bool), Target> {
    if tok.split(['/', '.', '-']).count() == 3
        && tok
            .split(['/', '.', '-'])
            .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
        && tok.matches(['/', '-']).count() > 0
    {
        return Err(Target::manual(text, format!("data «{tok}» inesistente")));
    }
    if let Some((a, b)) = tok.split_once('/').filter(|(_, b)| !b.contains('/')) {
        return match (parse_italian_number(a), parse_italian_number(b)) {
            (Some(x), Some(y)) if x == y && !x.is_zero() && !percent && comparator.is_none() => {
                Ok((Decimal::ONE_HUNDRED, true))
            }
            _ => Err(Target::manual(
                text,
                format!("rapporto «{tok}» non riconosciuto: indicare la percentuale attesa"),
            )),
        };
    }
    match parse_italian_number(tok) {
        Some(v) => Ok((v.normalize(), false)),
        None => Err(Target::manual(
            text,
            format!("valore «{tok}» non leggibile"),
        )),
    }
}

/// The direction of a bare number: lower is better when the description or the target
/// speaks of time or of things to reduce (`giorni`, `tempi`, ...), else higher.
fn inferred_direction(description: &str, tokens: &[String]) -> Direction {
    let speaks_of_time = description
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .chain(tokens.iter().map(|s| s.as_str()))
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .any(|w| LOWER_WORDS.contains(&w.as_str()));
    if speaks_of_time {
        Direction::Lower
    } else {
        Direction::Higher
    }
}

/// Words of a change from a starting value, and whether they increase it.
const CHANGES: &[(&str, bool)] = &[
    ("riduzione", false),
    ("ridurre", false),
    ("diminuzione", false),
    ("diminuire", false),
    ("aumento", true),
    ("aumentare", true),
    ("incremento", true),
    ("incrementare", true),
];

/// Words between a change and its percentage (`riduzione del 10%`, `pari al 10%`).
const CHANGE_LINKS: &[&str] = &["del", "di", "dello", "il", "pari", "al"];

/// A sign written before a change's percentage (`-10%`, `- 10 %`, `+10%`): minus, the
/// typographic minus and the dash Word writes for it, or plus.
fn sign_of(s: &str) -> Option<(bool, &str)> {
    let mut chars = s.chars();
    match chars.next()? {
        '-' | '−' | '–' => Some((false, chars.as_str())),
        '+' => Some((true, chars.as_str())),
        _ => None,
    }
}

/// A change from a starting value (`riduzione del 10%`, `ridurre del 10%`, `-10%`, `aumento
/// del 10%`): the change in percent, negative for a reduction, or `None` for another target.
/// A change written with another number, a comparator, a word that changes its meaning, or
/// a reduction over 100% is Manual (the `Err`).
fn relative(text: &str, tokens: &[String]) -> Result<Option<Decimal>, Target> {
    let Some(p) = tokens.iter().position(|t| t == "%" || t == "percento") else {
        return Ok(None);
    };
    let Some(n) = p.checked_sub(1) else {
        return Ok(None);
    };
    let word = tokens[..n]
        .iter()
        .rposition(|t| CHANGES.iter().any(|(w, _)| w == t))
        .filter(|&k| {
            tokens[k + 1..n]
                .iter()
                .all(|t| CHANGE_LINKS.contains(&t.as_str()))
        });
    let (start, up, body) = match (sign_of(&tokens[n]), word) {
        (Some((up, body)), None) if !body.is_empty() => (n, up, body),
        (None, None) if n > 0 && tokens[n - 1].chars().count() == 1 => {
            match sign_of(&tokens[n - 1]) {
                Some((up, "")) => (n - 1, up, tokens[n].as_str()),
                _ => return Ok(None),
            }
        }
        (None, Some(k)) => (k, CHANGES.iter().any(|(w, up)| *up && *w == tokens[k]), tokens[n].as_str()),
        (Some(_), Some(_)) => {
            return Err(Target::manual(
                text,
                "variazione scritta con la parola e con il segno: scrivere «riduzione del 10%» o «-10%»".into(),
            ))
        }
        _ => return Ok(None),
    };
    let change = change_value(text, body, up)?;
    let rest: Vec<String> = tokens[..start]
        .iter()
        .chain(&tokens[p + 1..])
        .cloned()
        .collect();
    beside_change(text, &rest)?;
    Ok(Some(change))
}

/// The change in percent of `body` (`10`), negative for a reduction; zero, unreadable or a
/// reduction over 100% is Manual.
fn change_value(text: &str, body: &str, up: bool) -> Result<Decimal, Target> {
    let Some(v) = parse_italian_number(body).map(|v| v.normalize()) else {
        return Err(Target::manual(
            text,
            format!("valore «{body}» non leggibile"),
        ));
    };
    if v.is_zero() {
        return Err(Target::manual(
            text,
            "variazione dello 0%: scrivere il valore atteso (es. «al più 36»)".into(),
        ));
    }
    if !up && v > Decimal::ONE_HUNDRED {
        return Err(Target::manual(
            text,
            format!(
                "riduzione del {}%: oltre il 100% il valore sarebbe negativo",
                format_it(v, 0)
            ),
        ));
    }
    Ok(if up { v } else { -v })
}

/// What is written beside a change may name the starting value (`rispetto all'anno
/// precedente`, given as `valore_iniziale`), nothing that changes its meaning: another number,
/// a comparator, a `%`, a word of [`DANGER`] are Manual (the `Err`).
fn beside_change(text: &str, rest: &[String]) -> Result<(), Target> {
    let numbers: Vec<&str> = rest
        .iter()
        .filter(|t| t.chars().any(|c| c.is_ascii_digit()))
        .map(String::as_str)
        .collect();
    if !numbers.is_empty() {
        return Err(Target::manual(
            text,
            format!(
                "altri valori numerici accanto alla variazione ({}): scrivere solo la variazione, es. «riduzione del 10%», e il valore di partenza nella colonna valore_iniziale",
                numbers.join(", ")
            ),
        ));
    }
    if rest.iter().any(|t| t == "%" || t == "percento") {
        return Err(Target::manual(text, "simbolo % fuori posto".into()));
    }
    if comparator(text, rest)?.is_some() {
        return Err(Target::manual(
            text,
            "variazione e confronto insieme: scrivere solo la variazione, es. «riduzione del 10%»"
                .into(),
        ));
    }
    for tok in rest {
        let word = tok.trim_matches(|c: char| !c.is_alphanumeric());
        for (words, reason) in DANGER {
            if word != "rispetto" && words.contains(&word) {
                return Err(Target::manual(text, reason.replace("{}", word)));
            }
        }
    }
    Ok(())
}

/// The direction of a change: a reduction is lower is better.
fn change_direction(change: Decimal) -> Direction {
    if change.is_sign_negative() {
        Direction::Lower
    } else {
        Direction::Higher
    }
}
