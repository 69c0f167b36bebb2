//! The rules of one year (*regole dell'anno*), validated: the fund's items, cuts, split,
//! carry-overs and 2016 cap, how the PEG is scored, the pay rules, the budget coverage and
//! the procedure of the CCDI. `input::rules` reads them from the TOML file an HR office
//! writes; the core only ever sees these types.

use rust_decimal::Decimal;

use crate::money::{Money, Percent, Rounding};
use crate::national::National;
use crate::pay::PayRules;
use crate::peg::attain::AttainmentRules;
use crate::peg::WeightRule;
pub use crate::trail::Origin;

/// Stable or variable resource (*risorsa stabile / variabile*, CCNL 2020 art. 57 c.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nature {
    Stable,
    Variable,
}

impl Nature {
    /// The word the rules file (`natura`) and the outputs use.
    pub fn key(self) -> &'static str {
        match self {
            Nature::Stable => "stabile",
            Nature::Variable => "variabile",
        }
    }
}

/// A fund item (*voce del fondo*): a resource (*risorsa*) or a cut (*decurtazione*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundItem {
    pub code: String,
    pub description: String,
    pub amount: Money,
    pub nature: Nature,
    /// Counts against the 2016 cap of d.lgs. 75/2017 art. 23 c.2.
    pub subject_to_cap: bool,
    /// Legal source (*fonte*), free text, carried into every output.
    pub source: String,
    pub origin: Origin,
    /// It may fund result pay only (*solo risultato*): the position share may not use it.
    pub result_only: bool,
    /// How the amount was computed, for a national contract's increment (`None` for an
    /// amount the rules file writes).
    pub increment: Option<IncrementBasis>,
}

/// How a contract increment of the fund is computed (*calcolo dell'incremento contrattuale*,
/// `[incrementi_contrattuali]`): a percentage of a year's pay bill, or an amount per post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncrementBasis {
    /// `pay_bill × percent / 100`, rounded once with the rules' rounding.
    PayBill {
        /// The year of the pay bill (*monte salari*).
        year: i32,
        pay_bill: Money,
        percent: Decimal,
        /// The source of the declared pay bill (the section's `fonte`).
        source: String,
    },
    /// `per_post × posts`.
    PerPost { per_post: Money, posts: u32 },
}

impl IncrementBasis {
    /// The exact amount, before any rounding; `None` on overflow.
    pub fn exact(&self) -> Option<Decimal> {
        match self {
            IncrementBasis::PayBill {
                pay_bill, percent, ..
            } => pay_bill
                .value()
                .checked_mul(*percent)?
                .checked_div(Decimal::ONE_HUNDRED),
            IncrementBasis::PerPost { per_post, posts } => {
                per_post.value().checked_mul(Decimal::from(*posts))
            }
        }
    }

    /// The amount, rounded once with `rounding`; `None` on overflow.
    pub fn amount(&self, rounding: Rounding) -> Option<Money> {
        self.exact().map(|exact| Money::from_exact(exact, rounding))
    }
}

/// How one share of the split is declared (*quota della ripartizione*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareSpec {
    Amount(Money),
    Percent(Percent),
    /// `"resto"`: what is left of the fund after the other share.
    Rest,
}

/// The split of the fund between position and result pay (*ripartizione*, CCNL 2020 art. 45
/// c.1 a).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitRule {
    pub position: ShareSpec,
    pub result: ShareSpec,
    pub source: String,
    pub origin: Origin,
}

/// A carry-over from an earlier year (*economie / residui di anni precedenti*, CCNL 2020 art. 57
/// c.3): one-off, result pay only, shown outside the certified fund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarryOver {
    pub year: i32,
    pub description: String,
    pub amount: Money,
    pub source: String,
    pub origin: Origin,
}

/// Another staff fund of the ente (*altro fondo*, `[[limite_2016.altri_fondi]]`) that counts
/// against the same 2016 cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherFund {
    pub description: String,
    pub amount: Money,
    pub source: String,
    pub origin: Origin,
}

/// The 2016 cap inputs (*limite 2016*, d.lgs. 75/2017 art. 23 c.2): one figure for the whole
/// ente, against which this fund and the other staff funds are measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cap2016 {
    pub limit: Money,
    pub source: String,
    pub other_funds: Vec<OtherFund>,
    pub origin: Origin,
}

/// What a budget chapter covers (*destinazione del capitolo*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChapterUse {
    /// The fund itself (`fondo`).
    Fund,
    /// Employer contributions (`contributi`).
    Contributions,
    /// IRAP (`irap`).
    Irap,
}

impl ChapterUse {
    /// The word the rules file (`destinazione`) and the outputs use.
    pub fn key(self) -> &'static str {
        match self {
            ChapterUse::Fund => "fondo",
            ChapterUse::Contributions => "contributi",
            ChapterUse::Irap => "irap",
        }
    }
}

/// A budget chapter (*capitolo di bilancio*) with its appropriation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    pub code: String,
    pub description: String,
    pub use_: ChapterUse,
    pub amount: Money,
    pub origin: Origin,
}

/// Budget coverage inputs (*copertura*, RTF Modulo IV): employer contribution and IRAP rates,
/// and optionally the chapters that fund them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub contributions_rate: Percent,
    pub irap_rate: Percent,
    pub source: String,
    pub chapters: Vec<Chapter>,
}

/// The procedure of the CCDI (*iter*, relazione illustrativa Modulo 1): free texts as the
/// signed documents state them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Procedure {
    pub pre_agreement: Option<String>,
    pub signature: Option<String>,
    pub period: Option<String>,
    pub public_delegation: Vec<String>,
    pub unions_admitted: Vec<String>,
    pub unions_signing: Vec<String>,
    pub recipients: Option<String>,
    pub subjects: Vec<String>,
    pub control_body: Option<String>,
    pub attestations: Vec<String>,
}

impl Rules {
    /// The `fonte` the rules file gives a section (`[differenziazione]`), when declared.
    pub fn source_of(&self, section: &str) -> Option<&str> {
        self.pay_sources
            .iter()
            .find(|(s, _)| s == section)
            .map(|(_, f)| f.as_str())
    }
}

/// How the data folder's CSV files are read (`[dati]`): the delimiter (detected when `None`)
/// and the encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CsvOptions {
    pub delimiter: Option<u8>,
    pub encoding: Encoding,
}

/// The text encoding of a CSV export (*codifica*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// `automatica`: UTF-8 (with or without BOM); a file that is not valid UTF-8 is read as
    /// Windows-1252, the "CSV" of Excel for Windows, with a warning.
    #[default]
    Auto,
    /// `utf-8`: anything else is an error.
    Utf8,
    /// `windows-1252`.
    Windows1252,
}

/// Validated rules for one ente and one year (*regole dell'anno*): what `input::rules` reads
/// from the rules file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub file: String,
    pub ente: String,
    pub year: i32,
    /// The national rules of the year, from the catalogue (`rules/nazionale.toml`).
    pub national: National,
    pub rounding: Rounding,
    pub resources: Vec<FundItem>,
    pub cuts: Vec<FundItem>,
    pub cap2016: Option<Cap2016>,
    pub split: SplitRule,
    pub carryovers: Vec<CarryOver>,
    /// How PEG indicators and objectives are scored (`[raggiungimento]`).
    pub attainment: AttainmentRules,
    /// How objective and indicator weights that do not add to 100 are treated.
    pub weights: WeightRule,
    /// The source of the attainment rules (SMVP), when declared.
    pub attainment_source: Option<String>,
    /// Individual pay rules (`[valutazione]`, `[differenziazione]`, `[interim]`,
    /// `[compensi_ex_lege]`), defaults where not declared.
    pub pay: PayRules,
    /// The CCDI percentage for interim assignments (`[interim] percentuale`), used where the
    /// CSV row leaves it empty.
    pub interim_percent: Option<Decimal>,
    /// The source of each pay section that was declared, by section name.
    pub pay_sources: Vec<(String, String)>,
    /// The keys written that need the organisation chart (`posti.csv`), each as written
    /// (`valutazione.quota_teorica = "organigramma"`) with where it is written: the located
    /// error when the data folder does not give the chart.
    pub posts_keys: Vec<(String, crate::diag::Location)>,
    /// Budget coverage (`[copertura]`), when declared.
    pub coverage: Option<Coverage>,
    /// The CCDI procedure (`[procedura]`), empty when not declared.
    pub procedure: Procedure,
    /// How the data folder's CSV files are read (`[dati]`): delimiter and encoding.
    pub csv: CsvOptions,
}
