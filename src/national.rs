//! The national rules by fund year (*disciplina contrattuale nazionale applicabile*): the
//! dated catalogue of `rules/nazionale.toml` ([`Catalogue`], read by `input::rules`) and what
//! it says for one fund year ([`National`]): the citation of every figure and check, the
//! minimum result share, the art. 30 differentiation, the interim range, the position pay
//! range, the carry-over window, the fund increments and the admissibility of fees. A rule of
//! a contract never applies to a year before the first year that contract governs; no
//! national number or citation is written in the code.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::money::Money;
use crate::rules::Nature;
use crate::trail::Origin;

/// A legal source as the catalogue writes it (*fonte*). One that says "da verificare" was not
/// confirmed in the sources consulted: `verifica` shows it as an avviso.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source(pub String);

impl Source {
    /// False when the catalogue marks the source as uncertain ("da verificare").
    pub fn verified(&self) -> bool {
        !self.0.contains("da verificare")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a citation of the catalogue is the source of (*voce citata*): every figure and check
/// whose source is national has one, for every year the catalogue covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Voce {
    Costituzione,
    Risorse,
    Decurtazioni,
    Limite2016,
    Ripartizione,
    Riporti,
    Arrotondamento,
    Posizione,
    PosizioneNonUtilizzata,
    Risultato,
    Soglia,
    Valutazione,
    ValutazionePrevalente,
    Interim,
    Compensi,
    Economie,
    Quadratura,
    CoperturaBilancio,
    CoperturaStabile,
    Trasparenza,
    Convenzione,
}

impl Voce {
    /// Every voce, in the catalogue's order.
    pub const ALL: [Voce; 21] = [
        Voce::Costituzione,
        Voce::Risorse,
        Voce::Decurtazioni,
        Voce::Limite2016,
        Voce::Ripartizione,
        Voce::Riporti,
        Voce::Arrotondamento,
        Voce::Posizione,
        Voce::PosizioneNonUtilizzata,
        Voce::Risultato,
        Voce::Soglia,
        Voce::Valutazione,
        Voce::ValutazionePrevalente,
        Voce::Interim,
        Voce::Compensi,
        Voce::Economie,
        Voce::Quadratura,
        Voce::CoperturaBilancio,
        Voce::CoperturaStabile,
        Voce::Trasparenza,
        Voce::Convenzione,
    ];

    /// The key of the catalogue (`voce = "..."`).
    pub fn key(self) -> &'static str {
        match self {
            Voce::Costituzione => "costituzione",
            Voce::Risorse => "risorse",
            Voce::Decurtazioni => "decurtazioni",
            Voce::Limite2016 => "limite_2016",
            Voce::Ripartizione => "ripartizione",
            Voce::Riporti => "riporti",
            Voce::Arrotondamento => "arrotondamento",
            Voce::Posizione => "posizione",
            Voce::PosizioneNonUtilizzata => "posizione_non_utilizzata",
            Voce::Risultato => "risultato",
            Voce::Soglia => "soglia",
            Voce::Valutazione => "valutazione",
            Voce::ValutazionePrevalente => "valutazione_prevalente",
            Voce::Interim => "interim",
            Voce::Compensi => "compensi",
            Voce::Economie => "economie",
            Voce::Quadratura => "quadratura",
            Voce::CoperturaBilancio => "copertura_bilancio",
            Voce::CoperturaStabile => "copertura_stabile",
            Voce::Trasparenza => "trasparenza",
            Voce::Convenzione => "convenzione",
        }
    }

    pub fn from_key(key: &str) -> Option<Voce> {
        Voce::ALL.into_iter().find(|v| v.key() == key)
    }
}

/// A national contract (*contratto collettivo nazionale*): its title as citations write it,
/// the date it was signed and the first fund year it governs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub code: String,
    pub title: String,
    pub signed: NaiveDate,
    pub first_year: i32,
}

/// An entry of the catalogue with the fund years it governs (`dal`..=`al`) and where it is
/// written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated<T> {
    pub from: i32,
    pub to: Option<i32>,
    pub item: T,
    pub origin: Origin,
}

impl<T> Dated<T> {
    pub fn covers(&self, year: i32) -> bool {
        self.from <= year && self.to.map_or(true, |to| year <= to)
    }
}

/// The minimum share of result pay over the fund (*quota minima della retribuzione di
/// risultato*): binding (a ✗ below it) or a reference (an avviso).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultShare {
    pub percent: Decimal,
    pub binding: bool,
    pub source: Source,
}

/// One minimum mark-up of art. 30 (*maggiorazione minima*): for entes with at most
/// `up_to_managers` managers (any size when `None`), or under art. 30 c.5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minimum {
    pub up_to_managers: Option<u32>,
    pub c5: bool,
    pub percent: Decimal,
}

/// The differentiation of result pay as a national contract provides it (*differenziazione
/// della retribuzione di risultato*): the minimum mark-ups by ente size, and the size up to
/// which it does not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Differentiation {
    pub minima: Vec<Minimum>,
    /// Not applied where the managers in service are at most this many.
    pub excluded_up_to: u32,
    pub source: Source,
    pub exclusion_source: Source,
}

impl Differentiation {
    /// The minimum mark-up for an ente of `managers` managers, with or without art. 30 c.5:
    /// the entry for the smallest size bound that fits, else the one without a bound.
    pub fn minimum(&self, managers: usize, c5: bool) -> Option<Decimal> {
        let fits =
            |m: &&Minimum| m.c5 == c5 && m.up_to_managers.map_or(true, |n| managers <= n as usize);
        self.minima
            .iter()
            .filter(fits)
            .min_by_key(|m| m.up_to_managers.unwrap_or(u32::MAX))
            .map(|m| m.percent)
    }

    /// The lowest minimum of any ente size (what a rules file can be checked against before
    /// the managers are known).
    pub fn lowest(&self, c5: bool) -> Option<Decimal> {
        self.minima
            .iter()
            .filter(|m| m.c5 == c5)
            .map(|m| m.percent)
            .min()
    }
}

/// The range of the interim percentage (*percentuale dell'interim*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterimRange {
    pub min: Decimal,
    pub max: Decimal,
    pub source: Source,
}

/// The minimum and maximum position pay of a post (*retribuzione di posizione minima e
/// massima*): outside them an avviso.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionRange {
    pub min: Money,
    pub max: Money,
    pub source: Source,
}

/// Which carry-overs from earlier years are admitted (*riporti*): from how many years back
/// (any when `None`), for result pay only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarryoverRule {
    pub years_back: Option<u32>,
    pub result_only: bool,
    pub source: Source,
    /// How the previous year's unused money becomes this year's carry-over (which part is a
    /// budget saving): `fonte_residuo`, the carry-over's own source when not given.
    pub residual_source: Source,
}

/// The RIA of the managers who left (*retribuzione individuale di anzianità dei cessati*,
/// `cessati.csv`): in full, from the year after the leaving, among the stable resources; in
/// the leaving year, the months not paid among the variable ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaverRule {
    /// The source of the full annual amount in the following years' stable resources.
    pub full_source: Source,
    /// The source of the months not paid in the leaving year's variable resources.
    pub months_source: Source,
    pub subject_to_cap: bool,
}

/// A fund increment of a national contract (*incremento contrattuale del fondo*): a
/// percentage of the pay bill of a reference year, or an amount per post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Increment {
    pub code: String,
    pub description: String,
    /// Percentage of the pay bill (*monte salari*) of `pay_bill_year`.
    pub percent: Option<Decimal>,
    pub pay_bill_year: Option<i32>,
    /// Amount per manager post (*per posto di funzione*).
    pub per_post: Option<Money>,
    pub nature: Nature,
    pub outside_cap: bool,
    /// It may fund result pay only.
    pub result_only: bool,
    /// The ente chooses whether to apply it.
    pub optional: bool,
    pub source: Source,
}

/// Whether a kind of ex-lege fee may be paid to managers (*ammissibilità dei compensi*): the
/// words that recognise the kind in `compensi.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeRule {
    pub words: Vec<String>,
    pub admitted: bool,
    pub source: Source,
}

impl FeeRule {
    /// True when the fee's kind, as written, names this rule's kind.
    pub fn matches(&self, kind: &str) -> bool {
        let kind = kind.to_lowercase();
        self.words.iter().any(|w| kind.contains(&w.to_lowercase()))
    }
}

/// The national catalogue (*catalogo delle regole nazionali*): every entry with the fund years
/// it governs, for the years `first_year..=last_year`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Catalogue {
    pub file: String,
    pub first_year: i32,
    pub last_year: i32,
    pub contracts: Vec<Contract>,
    pub citations: Vec<Dated<(Voce, String)>>,
    pub result_share: Vec<Dated<ResultShare>>,
    pub differentiation: Vec<Dated<Differentiation>>,
    pub interim: Vec<Dated<InterimRange>>,
    pub position: Vec<Dated<PositionRange>>,
    pub carryover: Vec<Dated<CarryoverRule>>,
    pub increments: Vec<Dated<Increment>>,
    pub fees: Vec<Dated<FeeRule>>,
    pub leavers: Vec<Dated<LeaverRule>>,
}

/// Why the catalogue has nothing to say for a fund year.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NationalError {
    #[error("l'anno {year} non è coperto dal catalogo delle regole nazionali ({file}: anni {first}-{last}): aggiornare il catalogo prima di calcolare quest'anno")]
    NotCovered {
        year: i32,
        first: i32,
        last: i32,
        file: String,
    },
    #[error("il catalogo delle regole nazionali ({file}) non dice {what} per l'anno {year}")]
    Missing {
        year: i32,
        what: &'static str,
        file: String,
    },
}

impl Catalogue {
    /// What the catalogue says for fund year `year`: exactly one entry of each kind that every
    /// year needs, the others where a contract provides them.
    pub fn for_year(&self, year: i32) -> Result<National, NationalError> {
        if year < self.first_year || year > self.last_year {
            return Err(NationalError::NotCovered {
                year,
                first: self.first_year,
                last: self.last_year,
                file: self.file.clone(),
            });
        }
        let missing = |what| NationalError::Missing {
            year,
            what,
            file: self.file.clone(),
        };
        let mut citations = Vec::with_capacity(Voce::ALL.len());
        for v in Voce::ALL {
            let c = one(&self.citations, year, |c| c.0 == v).ok_or_else(|| missing(v.key()))?;
            citations.push(c.1.clone());
        }
        Ok(National {
            year,
            citations,
            result_share: one(&self.result_share, year, |_| true)
                .cloned()
                .ok_or_else(|| missing("la quota minima del risultato"))?,
            differentiation: one(&self.differentiation, year, |_| true).cloned(),
            interim: one(&self.interim, year, |_| true)
                .cloned()
                .ok_or_else(|| missing("l'intervallo dell'interim"))?,
            position: one(&self.position, year, |_| true).cloned(),
            carryover: one(&self.carryover, year, |_| true)
                .cloned()
                .ok_or_else(|| missing("i riporti ammessi"))?,
            increments: all(&self.increments, year),
            fees: all(&self.fees, year),
            leavers: one(&self.leavers, year, |_| true).cloned(),
            contracts: self.contracts.clone(),
            file: self.file.clone(),
        })
    }
}

/// The entry of `list` that covers `year` and satisfies `keep` (the catalogue's reader
/// refuses overlapping entries).
fn one<T>(list: &[Dated<T>], year: i32, keep: impl Fn(&T) -> bool) -> Option<&T> {
    list.iter()
        .find(|d| d.covers(year) && keep(&d.item))
        .map(|d| &d.item)
}

fn all<T: Clone>(list: &[Dated<T>], year: i32) -> Vec<T> {
    list.iter()
        .filter(|d| d.covers(year))
        .map(|d| d.item.clone())
        .collect()
}

/// The national rules of one fund year (*disciplina nazionale dell'anno*), as the catalogue
/// gives them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct National {
    pub year: i32,
    /// One text per [`Voce`], in the order of [`Voce::ALL`].
    citations: Vec<String>,
    pub result_share: ResultShare,
    /// `None` in the years no national contract provides it.
    pub differentiation: Option<Differentiation>,
    pub interim: InterimRange,
    pub position: Option<PositionRange>,
    pub carryover: CarryoverRule,
    pub increments: Vec<Increment>,
    pub fees: Vec<FeeRule>,
    /// The RIA of the managers who left, where the catalogue gives its rule.
    pub leavers: Option<LeaverRule>,
    /// Every contract of the catalogue (for what a citation may name).
    pub contracts: Vec<Contract>,
    /// The catalogue's name, for messages.
    pub file: String,
}

impl National {
    /// The citation of `voce` in this year.
    pub fn cite(&self, voce: Voce) -> &str {
        let k = Voce::ALL.iter().position(|v| *v == voce).unwrap_or(0);
        self.citations.get(k).map_or("", String::as_str)
    }

    /// Every source of this year's rules and citations that the catalogue marks "da
    /// verificare", once each, in the catalogue's order.
    pub fn unverified(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.citations.iter().map(String::as_str).collect();
        all.push(self.result_share.source.as_str());
        if let Some(d) = &self.differentiation {
            all.push(d.source.as_str());
            all.push(d.exclusion_source.as_str());
        }
        all.push(self.interim.source.as_str());
        if let Some(p) = &self.position {
            all.push(p.source.as_str());
        }
        all.push(self.carryover.source.as_str());
        all.extend(self.increments.iter().map(|i| i.source.as_str()));
        all.extend(self.fees.iter().map(|f| f.source.as_str()));
        let mut out: Vec<&str> = Vec::new();
        for s in all {
            if s.contains("da verificare") && !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
}

impl Default for ResultShare {
    fn default() -> ResultShare {
        ResultShare {
            percent: Decimal::ZERO,
            binding: false,
            source: Source(String::new()),
        }
    }
}

impl Default for InterimRange {
    fn default() -> InterimRange {
        InterimRange {
            min: Decimal::ZERO,
            max: Decimal::ONE_HUNDRED,
            source: Source(String::new()),
        }
    }
}

impl Default for CarryoverRule {
    fn default() -> CarryoverRule {
        CarryoverRule {
            years_back: None,
            result_only: true,
            source: Source(String::new()),
            residual_source: Source(String::new()),
        }
    }
}
