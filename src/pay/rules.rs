//! The typed rules of individual pay (*criteri di ripartizione della retribuzione di risultato*,
//! from the CCDI and the ente's evaluation system, SMVP), their CCNL-typical defaults and their
//! validation into Italian problems and warnings.

use rust_decimal::Decimal;

use crate::money::{format_it, Money, Rounding};
use crate::trail::Origin;

/// One component of the evaluation (*componente della valutazione*, d.lgs. 150/2009 art. 9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// Code used in the managers' scores, e.g. `organizzativa`.
    pub code: String,
    /// Weight in points out of 100; the weights of all components add up to 100.
    pub weight: Decimal,
    /// True for the results of the organisational area managed, which must have the
    /// *peso prevalente* (d.lgs. 150/2009 art. 9 c.1 lett. a).
    pub organisational: bool,
}

/// One band of a banded coefficient (*fascia di punteggio*): scores `from <= S < to` get
/// `coefficient`; the last band (the one ending at 100) also includes 100.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub from: Decimal,
    pub to: Decimal,
    pub coefficient: Decimal,
}

/// The function from score to coefficient (*coefficiente di valutazione*, c = f(S)). Below the
/// threshold the coefficient is always 0.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CoefficientFn {
    /// `c = S / 100` (*proporzionale al punteggio*). The default.
    #[default]
    Linear,
    /// Fixed coefficient per band (*fasce*), e.g. 1,2 / 1,0 / 0,8 / 0,6 / 0,2 / 0. Bands are
    /// half-open `[from, to)`, the last one closed at 100; together they cover 0..=100 with no
    /// gap and no overlap.
    Bands(Vec<Band>),
    /// Fixed quota at the threshold plus a step per point above it (*quota fissa alla soglia
    /// più incremento per punto*): `c = min(1, at_threshold + (S − soglia) × per_point)`.
    /// Capped at 1 because the function expresses a share of the full quota; a configuration
    /// that would exceed 1 before 100 points is warned about.
    QuotaStep {
        at_threshold: Decimal,
        per_point: Decimal,
    },
}

/// What each manager's share is proportional to (*base di calcolo*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BaseWeight {
    /// Equal per head (*quota capitaria*).
    PerHead,
    /// The yearly position pay of the post (*retribuzione di posizione*). The default.
    #[default]
    PositionPay,
    /// The grading points of the post (*punti di pesatura*).
    GradingPoints,
}

/// One band of the declared result amounts by grading points (*importo per fascia di
/// pesatura*, `[[valutazione.fasce_importo]]`): a post graded `from <= points < to` has the
/// result quota `amount`; the highest band also includes its `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountBand {
    pub from: Decimal,
    pub to: Decimal,
    pub amount: Money,
}

/// How each manager's result quota is made (*quota di risultato*, `[valutazione] quota`): a
/// share of the pot among those present (today's models A and B), or a base fixed in advance
/// per post, which does not depend on who else is present.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ResultQuota {
    /// The pot shared among the managers present by the base weight, Model A or B
    /// (`ripartita`). The default.
    #[default]
    Shared,
    /// Euros per grading point of the post (`valore_punto`): quota = points × value × t, paid
    /// × min(1, c), rounded once.
    PointValue(Decimal),
    /// The declared amount of the post's grading band (`importo_fascia`): quota = amount × t,
    /// paid × min(1, c), rounded once.
    BandAmount(Vec<AmountBand>),
    /// A percentage of the manager's own yearly position pay (`percentuale_posizione`):
    /// quota = position pay × p/100 × t, paid × min(1, c), rounded once.
    PositionPercent(Decimal),
    /// Euros per point of the evaluation score (`euro_per_punto`): quota = score × value × t
    /// at or above the threshold, nothing below it; the score is the evaluation, so no
    /// coefficient; rounded once.
    ScorePoint(Decimal),
}

impl ResultQuota {
    /// The word of the rules file (`quota = "..."`).
    pub fn key(&self) -> &'static str {
        match self {
            ResultQuota::Shared => "ripartita",
            ResultQuota::PointValue(_) => "valore_punto",
            ResultQuota::BandAmount(_) => "importo_fascia",
            ResultQuota::PositionPercent(_) => "percentuale_posizione",
            ResultQuota::ScorePoint(_) => "euro_per_punto",
        }
    }

    /// The key of `[valutazione]` that holds the fixed model's value (`None` when shared).
    pub fn value_key(&self) -> Option<&'static str> {
        match self {
            ResultQuota::Shared => None,
            ResultQuota::PointValue(_) => Some("valore_punto"),
            ResultQuota::BandAmount(_) => Some("fasce_importo"),
            ResultQuota::PositionPercent(_) => Some("percentuale"),
            ResultQuota::ScorePoint(_) => Some("euro_per_punto"),
        }
    }

    /// True for the bases fixed in advance per post.
    pub fn is_fixed(&self) -> bool {
        *self != ResultQuota::Shared
    }

    /// True when the coefficient scales the quota (× min(1, c)); the score itself does
    /// under `euro_per_punto`.
    pub fn with_coefficient(&self) -> bool {
        !matches!(self, ResultQuota::ScorePoint(_))
    }

    /// What the quota is proportional to, in words.
    pub fn base_words(&self) -> &'static str {
        match self {
            ResultQuota::Shared => "",
            ResultQuota::PointValue(_) | ResultQuota::BandAmount(_) => {
                "punti di pesatura del posto"
            }
            ResultQuota::PositionPercent(_) => "retribuzione di posizione propria",
            ResultQuota::ScorePoint(_) => "punteggio di valutazione",
        }
    }

    /// The fixed model in words, for the rules' summary and the trail.
    pub fn describe(&self) -> String {
        let eur = |d: Decimal| format_it(d, 2);
        match self {
            ResultQuota::Shared => "quota ripartita tra i dirigenti presenti".into(),
            ResultQuota::PointValue(v) => format!(
                "quota fissa per posto: punti di pesatura × {} € per punto × servizio × min(1; coefficiente)",
                eur(*v)
            ),
            ResultQuota::BandAmount(bands) => {
                let shown: Vec<String> = bands
                    .iter()
                    .map(|b| format!("da {} a {} punti: {}", num(b.from), num(b.to), b.amount.it()))
                    .collect();
                format!(
                    "quota fissa per posto: importo della fascia di pesatura ({}) × servizio × min(1; coefficiente)",
                    shown.join("; ")
                )
            }
            ResultQuota::PositionPercent(p) => format!(
                "quota fissa per posto: {}% della propria retribuzione di posizione annua × servizio × min(1; coefficiente)",
                num(*p)
            ),
            ResultQuota::ScorePoint(v) => format!(
                "quota fissa per punto di valutazione: punteggio × {} € per punto × servizio (nulla sotto la soglia)",
                eur(*v)
            ),
        }
    }

    /// The bands' problems: each from before to, none overlapping.
    fn problems(&self) -> Vec<String> {
        let bands = match self {
            ResultQuota::BandAmount(bands) => bands,
            ResultQuota::PointValue(v)
            | ResultQuota::PositionPercent(v)
            | ResultQuota::ScorePoint(v)
                if neg(*v) =>
            {
                return vec![format!(
                    "quota \"{}\": {} {} negativo, indicare un valore non negativo",
                    self.key(),
                    self.value_key().unwrap_or_default(),
                    num(*v)
                )];
            }
            _ => return Vec::new(),
        };
        let mut p = Vec::new();
        if bands.is_empty() {
            p.push("quota \"importo_fascia\" senza fasce: indicare almeno una [[valutazione.fasce_importo]] con da, a, importo".to_string());
        }
        let mut sorted: Vec<&AmountBand> = bands.iter().collect();
        sorted.sort_by(|a, b| a.from.cmp(&b.from).then(a.to.cmp(&b.to)));
        for b in &sorted {
            if b.from >= b.to {
                p.push(format!(
                    "fascia di importo {}-{}: l'inizio deve precedere la fine",
                    num(b.from),
                    num(b.to)
                ));
            }
        }
        for w in sorted.windows(2) {
            if w[1].from < w[0].to {
                p.push(format!(
                    "fasce di importo {}-{} e {}-{} sovrapposte: ogni punteggio di pesatura in una fascia sola",
                    num(w[0].from), num(w[0].to), num(w[1].from), num(w[1].to)
                ));
            }
        }
        p
    }

    /// The declared amount of the band of `points` grading points: bands half-open
    /// `[from, to)`, the highest one closed at its `to`; `None` when no band covers them.
    pub fn band_amount(bands: &[AmountBand], points: Decimal) -> Option<Money> {
        let top = bands.iter().map(|b| b.to).max()?;
        bands
            .iter()
            .find(|b| b.from <= points && (points < b.to || (points == top && b.to == top)))
            .map(|b| b.amount)
    }
}

/// How part of the year is counted (*rapporto a anno*, domain §3), the `[valutazione]
/// servizio` of the rules file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ServiceFraction {
    /// Calendar days in post over the days of the fund year: 365, or 366 in a leap year, so
    /// that a whole year is always exactly 1 and every day of the same year is worth the
    /// same (`giorni`). The default.
    #[default]
    CalendarDays,
    /// Calendar days in post over 365 in every year, as many comuni count in leap years too
    /// (`giorni_365`): a day of a leap year is worth 1/365, and the days counted are capped at
    /// 365, so a whole leap year (366 days) counts 365 and t is never above 1.
    Fixed365,
    /// The commercial year (`giorni_360`): 30 days a month, 360 a year; a whole calendar month
    /// counts 30 days (February too), a part month its calendar days in post up to 30.
    Commercial360,
    /// Months in post over 12; in each calendar month a fraction of more than 15 days counts
    /// as a whole month, 15 days or fewer count as nothing (`mesi`, *frazione superiore a 15
    /// giorni = mese intero*).
    Months15,
}

impl ServiceFraction {
    /// The word of the rules file.
    pub fn key(self) -> &'static str {
        match self {
            ServiceFraction::CalendarDays => "giorni",
            ServiceFraction::Fixed365 => "giorni_365",
            ServiceFraction::Commercial360 => "giorni_360",
            ServiceFraction::Months15 => "mesi",
        }
    }

    /// The rule in words, for the trail and the reports.
    pub fn describe(self) -> &'static str {
        match self {
            ServiceFraction::CalendarDays => "giorni in servizio / giorni dell'anno",
            ServiceFraction::Fixed365 => {
                "giorni in servizio / 365 anche negli anni bisestili, al massimo 365 giorni: l'anno intero vale 1"
            }
            ServiceFraction::Commercial360 => {
                "anno commerciale: giorni / 360, ogni mese intero 30 giorni, un mese in parte i suoi giorni fino a 30"
            }
            ServiceFraction::Months15 => "mesi in servizio / 12 (frazione oltre 15 giorni = mese)",
        }
    }
}

/// The distribution model (*modello di ripartizione*, domain §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Model {
    /// Model A, full distribution (*ripartizione integrale*):
    /// `R_i = R × b_i t_i c_i / Σ b_j t_j c_j`.
    Full,
    /// Model B, theoretical quota (*quota teorica*): `Q_i = R × b_i t_i / Σ b_j t_j`,
    /// `R_i = Q_i × min(1, c_i)`; what is not paid is an *economia*. The default.
    #[default]
    Quota,
}

impl Model {
    /// The word of the rules file (`[valutazione] modello`).
    pub fn key(self) -> &'static str {
        match self {
            Model::Full => "ripartizione_integrale",
            Model::Quota => "quota_teorica",
        }
    }
}

/// When a Model B row's result pay is rounded to the cent (*arrotondamento dei passaggi*,
/// `[valutazione] arrotondamento_passaggi`). Model A is not concerned: its shares are the
/// largest remainder's split of the pot on the exact weights b × t × c, already one rounding of
/// each exact share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoundingSteps {
    /// At each step (`ogni_passaggio`): the theoretical quota is split to the cent by largest
    /// remainder, then × min(1, c) and rounded again. The default.
    #[default]
    EachStep,
    /// Once at the end of the row (`una_volta`): the exact quota R × b t / Σ b t, not rounded,
    /// × min(1, c), rounded once with the rules' rounding. The quota shown stays the split's
    /// (to the cent, adding up to the pot); the economie are the pot less the rounded rows.
    Once,
}

impl RoundingSteps {
    /// The word of the rules file.
    pub fn key(self) -> &'static str {
        match self {
            RoundingSteps::EachStep => "ogni_passaggio",
            RoundingSteps::Once => "una_volta",
        }
    }

    /// The rule in words, for the trail and the reports.
    pub fn describe(self) -> &'static str {
        match self {
            RoundingSteps::EachStep => {
                "quota teorica arrotondata al centesimo, poi × coefficiente e arrotondata di nuovo"
            }
            RoundingSteps::Once => {
                "quota teorica esatta × servizio × coefficiente, arrotondata una volta alla fine della riga"
            }
        }
    }
}

/// How the number of top managers is rounded (*arrotondamento della quota art. 30*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuotaRounding {
    /// Up to the next whole manager. The default.
    #[default]
    Up,
    Down,
    HalfUp,
}

/// The average per-head result pay of art. 30 (*valore medio pro capite*): what is averaged and
/// over whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Average {
    /// The resources destined to result pay per head (*risorse destinate*, `destinate`): the
    /// result pot over the managers evaluated (all the managers of the pay). The default.
    #[default]
    Destined,
    /// The result pay of the managers actually paid some, over them (`erogati`).
    AllPaid,
    /// The result pay over all the managers above the threshold, paid or not (`idonei`).
    AllEligible,
}

/// What happens to the managers tied at the cut-off score of the quota (*parità al limite
/// della quota*, `parita_al_limite`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ties {
    /// All the managers tied at the cut-off are left out, so the top group may be smaller
    /// than the quota, or empty (`escludi`). The default.
    #[default]
    Exclude,
    /// All the managers tied at the cut-off are in, so the top group may be larger than the
    /// quota (`includi`).
    Include,
}

impl Ties {
    /// The word of the rules file.
    pub fn key(self) -> &'static str {
        match self {
            Ties::Exclude => "escludi",
            Ties::Include => "includi",
        }
    }
}

/// How the differentiation gives the top managers more (*modello della differenziazione*,
/// `[differenziazione] modello`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Art30Model {
    /// The top managers are raised to at least (1 + p/100) × the average, the difference taken
    /// from the others in proportion (`minimo`). The default.
    #[default]
    Floor,
    /// The top managers get p% of the average on top of their own result pay, paid from the
    /// economie of the split, never by cutting the others; reduced in proportion when the
    /// economie are not enough (`maggiorazione`).
    Supplement,
}

impl Art30Model {
    /// The word of the rules file.
    pub fn key(self) -> &'static str {
        match self {
            Art30Model::Floor => "minimo",
            Art30Model::Supplement => "maggiorazione",
        }
    }
}

/// Over which posts Model B's theoretical quota is computed (*quota teorica*, `[valutazione]
/// quota_teorica`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuotaPosts {
    /// Over the managers present: `Q_i = R × b_i t_i / Σ b_j t_j` (`presenti`). The default.
    #[default]
    Present,
    /// Over every post of the organisation chart (`posti.csv`), filled or not
    /// (`organigramma`): the pot is split among the posts by their yearly base weight, each
    /// post's quota goes to whoever held it for the part of the year they held it, and the
    /// quota of a vacant post, or of the part of the year a post was not held, is not paid to
    /// the others: it is an economia (or it pays the interim on that post, with
    /// `[interim] base = "risultato"`).
    OrgChart,
}

impl QuotaPosts {
    /// The word of the rules file.
    pub fn key(self) -> &'static str {
        match self {
            QuotaPosts::Present => "presenti",
            QuotaPosts::OrgChart => "organigramma",
        }
    }
}

/// What the interim supplement is a percentage of (*base dell'interim*, `[interim] base`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InterimBase {
    /// The covered post's yearly position pay (`posizione`, CCNL 2020 art. 58): set aside in
    /// full from the result pot. The default.
    #[default]
    PositionPay,
    /// The covered post's yearly result quota (`risultato`): its quota over the organisation
    /// chart (`quota_teorica = "organigramma"`) or its fixed base (`valore_punto`, ...),
    /// × percent × the interim's service, paid from the result pot as the quotas are.
    ResultQuota,
}

impl InterimBase {
    /// The word of the rules file.
    pub fn key(self) -> &'static str {
        match self {
            InterimBase::PositionPay => "posizione",
            InterimBase::ResultQuota => "risultato",
        }
    }
}

/// Whose evaluation scales the interim supplement (*punteggio dell'interim*, `[interim]
/// punteggio`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InterimScore {
    /// The covering manager's own score and coefficient (`dirigente`). The default.
    #[default]
    Covering,
    /// The score of the covered structure (`struttura`, the `punteggio` of its row in
    /// `posti.csv`), through the rules' threshold and coefficient.
    Structure,
}

impl InterimScore {
    /// The word of the rules file.
    pub fn key(self) -> &'static str {
        match self {
            InterimScore::Covering => "dirigente",
            InterimScore::Structure => "struttura",
        }
    }
}

/// How the interim supplement is paid against the covering manager's evaluation (*pagamento
/// dell'interim*, `[interim] pagamento`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InterimPayment {
    /// Due × min(1, c) of the covering manager, 0 below the threshold, rounded once; the
    /// rest is an economia (`proporzionale`). The default.
    #[default]
    Proportional,
    /// Due in full when the covering manager reaches the threshold, else nothing
    /// (`tutto_o_niente`).
    AllOrNothing,
}

impl InterimPayment {
    /// The word of the rules file.
    pub fn key(self) -> &'static str {
        match self {
            InterimPayment::Proportional => "proporzionale",
            InterimPayment::AllOrNothing => "tutto_o_niente",
        }
    }
}

/// Differentiation of result pay as the CCDI declares it (*differenziazione della retribuzione
/// di risultato*, `[differenziazione]`): the managers with the highest evaluations, within the
/// quota and at or above the minimum score if one is declared, get at least `percent`% over
/// the average (`minimo`), or `percent`% of the average on top of their own result pay
/// (`maggiorazione`). The national minimum of the percentage,
/// where a contract of the year gives one, is checked when the rules and the staff are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Art30 {
    /// Minimum increase over the average, in percent.
    pub percent: Decimal,
    /// True when the CCDI declares the conditions of the lower minimum (`comma_5`).
    pub c5: bool,
    /// The quota of managers with the highest evaluations, in percent of the managers
    /// evaluated (all the managers of the pay).
    pub quota: Decimal,
    pub quota_rounding: QuotaRounding,
    pub average: Average,
    /// The rule for a tie at the cut-off as declared; `None` when not declared: the tied
    /// managers are excluded and the tie is warned about.
    pub ties: Option<Ties>,
    /// Not applied where the managers of the pay are at most this many: the year's national
    /// rules, set when the rules are read; `None` in the years no contract provides it.
    pub excluded_up_to: Option<u32>,
    /// How the top managers get more: raised to a minimum, or a supplement on top.
    pub model: Art30Model,
    /// The minimum score to enter the top group (`punteggio_minimo`): a manager below it is
    /// not among the top even if within the quota by rank; `None` when not declared.
    pub min_score: Option<Decimal>,
    /// Where `percentuale` is written in the rules file, for the check of the national
    /// minimum once the managers are known.
    pub origin: Option<Origin>,
}

impl Art30 {
    /// A differentiation of `percent`% for the top `quota`% of the managers evaluated, the
    /// rest as when not declared: quota rounded up, the average of the resources destined,
    /// ties excluded (not declared), no national exclusion, the floor model, no minimum
    /// score, no origin.
    pub fn new(percent: Decimal, quota: Decimal) -> Art30 {
        Art30 {
            percent,
            c5: false,
            quota,
            quota_rounding: QuotaRounding::Up,
            average: Average::Destined,
            ties: None,
            excluded_up_to: None,
            model: Art30Model::Floor,
            min_score: None,
            origin: None,
        }
    }
}

/// Correlation of ex-lege fees with result pay (*correlazione dei compensi ex lege*, CCNL 2020
/// art. 45 c.1 lett. e and art. 60).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FeeCorrelation {
    /// No correlation. The default.
    #[default]
    None,
    /// Result pay is reduced by `percent`% of the fees, not below 0; the reduction is an
    /// *economia*.
    Reduce { percent: Decimal },
}

/// All the rules of individual pay (*criteri per la retribuzione di risultato*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayRules {
    pub components: Vec<Component>,
    /// Eligibility threshold (*soglia di accesso*): a score below it gets no result pay.
    /// Default 60.
    pub threshold: Decimal,
    pub coefficient: CoefficientFn,
    pub base: BaseWeight,
    pub service: ServiceFraction,
    pub model: Model,
    /// When a Model B row is rounded: at each step (the default) or once at its end.
    pub rounding_steps: RoundingSteps,
    /// How each manager's result quota is made: shared (`ripartita`) or a fixed base.
    pub quota: ResultQuota,
    /// Where the fixed base's value is written in the rules file (`valore_punto`, ...), for
    /// the located error when the quotas exceed the pot.
    pub quota_origin: Option<Origin>,
    /// Over which posts Model B's theoretical quota is computed: the managers present (the
    /// default) or the organisation chart.
    pub theoretical_quota: QuotaPosts,
    /// The differentiation, when the CCDI declares it (`[differenziazione]`).
    pub art30: Option<Art30>,
    /// Bounds of the interim percentage, from the year's national rules (set when the rules
    /// are read); by default 0-100.
    pub interim_percent_bounds: (Decimal, Decimal),
    /// How the interim supplement is paid against the covering manager's evaluation.
    pub interim_payment: InterimPayment,
    /// What the interim supplement is a percentage of: the covered post's position pay (the
    /// default) or its result quota.
    pub interim_base: InterimBase,
    /// Whose score scales the interim supplement: the covering manager's (the default) or
    /// the covered structure's.
    pub interim_score: InterimScore,
    pub fees: FeeCorrelation,
    /// Rounding to the cent, default half-up (Reg. CE 1103/97 art. 5).
    pub rounding: Rounding,
}

impl Default for PayRules {
    /// Components `organizzativa` 40 (organisational, prevailing), `obiettivi` 30,
    /// `comportamenti` 20, `differenziazione` 10; threshold 60; linear coefficient; base the
    /// position pay; days over the year; Model B (theoretical quota) rounded at each step; no
    /// differentiation;
    /// interim within 0-100%, paid in proportion to the coefficient; no fee correlation;
    /// half-up rounding.
    fn default() -> PayRules {
        let c = |code: &str, w: i64, org: bool| Component {
            code: code.to_string(),
            weight: Decimal::from(w),
            organisational: org,
        };
        PayRules {
            components: vec![
                c("organizzativa", 40, true),
                c("obiettivi", 30, false),
                c("comportamenti", 20, false),
                c("differenziazione", 10, false),
            ],
            threshold: Decimal::from(60),
            coefficient: CoefficientFn::Linear,
            base: BaseWeight::PositionPay,
            service: ServiceFraction::CalendarDays,
            model: Model::Quota,
            rounding_steps: RoundingSteps::EachStep,
            quota: ResultQuota::Shared,
            quota_origin: None,
            theoretical_quota: QuotaPosts::Present,
            art30: None,
            interim_percent_bounds: (Decimal::ZERO, Decimal::ONE_HUNDRED),
            interim_payment: InterimPayment::Proportional,
            interim_base: InterimBase::PositionPay,
            interim_score: InterimScore::Covering,
            fees: FeeCorrelation::None,
            rounding: Rounding::HalfUp,
        }
    }
}

/// A number the Italian way, with no trailing zeros, for messages and formulas.
pub(super) fn num(d: Decimal) -> String {
    format_it(d.normalize(), 0)
}

/// Strictly below zero.
pub(super) fn neg(d: Decimal) -> bool {
    d.is_sign_negative() && !d.is_zero()
}

/// Within 0..=100.
fn in_0_100(d: Decimal) -> bool {
    !neg(d) && d <= Decimal::ONE_HUNDRED
}

impl PayRules {
    /// Problems first, then warnings prefixed by `avviso: `, all in Italian.
    pub fn validate(&self) -> Vec<String> {
        let mut out = self.problems();
        out.extend(self.warnings().into_iter().map(|w| format!("avviso: {w}")));
        out
    }

    /// The problems that make the rules unusable: `compute_pay` refuses to run on them.
    pub fn problems(&self) -> Vec<String> {
        let mut p = self.component_problems();
        if !in_0_100(self.threshold) {
            p.push(format!(
                "soglia di accesso fuori dall'intervallo 0-100: {}",
                num(self.threshold)
            ));
        }
        p.extend(self.coefficient.problems());
        p.extend(self.quota.problems());
        p.extend(self.posts_problems());
        p.extend(self.art30.iter().flat_map(Art30::problems));
        let (lo, hi) = self.interim_percent_bounds;
        if !in_0_100(lo) || !in_0_100(hi) || lo > hi {
            p.push(format!(
                "limiti della percentuale di interim {}-{}% non validi: servono un minimo e un massimo tra 0 e 100, il minimo non sopra il massimo",
                num(lo),
                num(hi)
            ));
        }
        if let FeeCorrelation::Reduce { percent } = self.fees {
            if !in_0_100(percent) {
                p.push(format!(
                    "riduzione per compensi ex lege del {}%: deve essere tra 0 e 100",
                    num(percent)
                ));
            }
        }
        p
    }

    /// The organisation chart's quota is Model B's on a shared pot; a result-based interim
    /// needs a quota per post (the organisation chart's, or a fixed base).
    fn posts_problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        let shared_b = self.quota == ResultQuota::Shared && self.model == Model::Quota;
        if self.theoretical_quota == QuotaPosts::OrgChart && !shared_b {
            p.push(format!(
                "quota_teorica = \"organigramma\" vale solo per la quota ripartita col modello quota_teorica (ora quota = \"{}\", modello = \"{}\"): togliere quota_teorica oppure dichiarare quota = \"ripartita\" e modello = \"quota_teorica\"",
                self.quota.key(),
                self.model.key()
            ));
        }
        let per_post = self.quota.is_fixed() || self.theoretical_quota == QuotaPosts::OrgChart;
        if self.interim_base == InterimBase::ResultQuota && !per_post {
            p.push("[interim] base = \"risultato\" richiede la quota di risultato di ogni posto: dichiarare in [valutazione] quota_teorica = \"organigramma\" (con posti.csv) oppure una quota fissa per posto (quota = \"valore_punto\", \"importo_fascia\", \"percentuale_posizione\" o \"euro_per_punto\"), oppure togliere base = \"risultato\"".to_string());
        }
        p
    }

    /// The components: at least one, each once, weights within 0-100 adding up to 100.
    fn component_problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if self.components.is_empty() {
            p.push("nessuna componente di valutazione".to_string());
        }
        let mut seen: Vec<&str> = Vec::new();
        for c in &self.components {
            if seen.contains(&c.code.as_str()) {
                p.push(format!("componente \"{}\" ripetuta", c.code));
            }
            seen.push(&c.code);
            if !in_0_100(c.weight) {
                p.push(format!(
                    "peso della componente \"{}\" fuori dall'intervallo 0-100: {}",
                    c.code,
                    num(c.weight)
                ));
            }
        }
        let total = self
            .components
            .iter()
            .try_fold(Decimal::ZERO, |a, c| a.checked_add(c.weight));
        if !self.components.is_empty() && total != Some(Decimal::ONE_HUNDRED) {
            let shown = total.map_or_else(|| "troppo grande".to_string(), num);
            p.push(format!(
                "i pesi delle componenti sommano a {shown} invece di 100"
            ));
        }
        p
    }

    /// Warnings: the rules can be used, but something looks unusual.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        let org: Decimal = self
            .components
            .iter()
            .filter(|c| c.organisational)
            .fold(Decimal::ZERO, |a, c| a.saturating_add(c.weight));
        let max_other = self
            .components
            .iter()
            .filter(|c| !c.organisational)
            .map(|c| c.weight)
            .max()
            .unwrap_or(Decimal::ZERO);
        if org <= max_other {
            w.push(format!(
                "la performance organizzativa pesa {} e non ha il peso prevalente: un'altra componente pesa {}",
                num(org),
                num(max_other)
            ));
        }
        if let CoefficientFn::QuotaStep {
            at_threshold,
            per_point,
        } = &self.coefficient
        {
            let at_100 = Decimal::ONE_HUNDRED
                .checked_sub(self.threshold)
                .and_then(|d| d.checked_mul(*per_point))
                .and_then(|d| d.checked_add(*at_threshold));
            if let Some(v) = at_100 {
                if v != Decimal::ONE {
                    w.push(format!(
                        "con quota alla soglia {} e incremento {} per punto il coefficiente a 100 punti vale {} invece di 1 (il coefficiente non supera mai 1)",
                        num(*at_threshold),
                        num(*per_point),
                        num(v)
                    ));
                }
            }
        }
        w
    }
}

impl Art30 {
    /// A percentage not negative and a quota from 0 to below 100; the national minimum of
    /// the year is checked where the rules and the staff are read.
    fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if neg(self.percent) {
            p.push(format!(
                "maggiorazione della differenziazione del {}%: non può essere negativa",
                num(self.percent)
            ));
        }
        if neg(self.quota) || self.quota >= Decimal::ONE_HUNDRED {
            p.push(format!(
                "quota di dirigenti della differenziazione del {}%: deve essere almeno 0 e meno di 100",
                num(self.quota)
            ));
        }
        if let Some(m) = self.min_score.filter(|&m| !in_0_100(m)) {
            p.push(format!(
                "punteggio minimo per la differenziazione {}: deve essere tra 0 e 100",
                num(m)
            ));
        }
        p
    }
}

/// The bands cover 0-100 with no gap and no overlap, each from before to, no coefficient
/// negative.
fn band_problems(bands: &[Band]) -> Vec<String> {
    let mut p = Vec::new();
    if bands.is_empty() {
        p.push("nessuna fascia di punteggio".to_string());
        return p;
    }
    let mut sorted: Vec<&Band> = bands.iter().collect();
    sorted.sort_by(|a, b| a.from.cmp(&b.from).then(a.to.cmp(&b.to)));
    for b in &sorted {
        if b.from >= b.to {
            p.push(format!(
                "fascia {}-{}: l'inizio deve precedere la fine",
                num(b.from),
                num(b.to)
            ));
        }
        if neg(b.coefficient) {
            p.push(format!(
                "fascia {}-{}: coefficiente negativo {}",
                num(b.from),
                num(b.to),
                num(b.coefficient)
            ));
        }
    }
    if !sorted[0].from.is_zero() {
        p.push(format!(
            "fasce di punteggio: scoperto il tratto 0-{}",
            num(sorted[0].from)
        ));
    }
    for pair in sorted.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if b.from > a.to {
            p.push(format!(
                "fasce di punteggio: scoperto il tratto {}-{}",
                num(a.to),
                num(b.from)
            ));
        } else if b.from < a.to {
            p.push(format!(
                "fasce di punteggio: le fasce {}-{} e {}-{} si sovrappongono",
                num(a.from),
                num(a.to),
                num(b.from),
                num(b.to)
            ));
        }
    }
    let last = sorted[sorted.len() - 1];
    if last.to != Decimal::ONE_HUNDRED {
        p.push(format!(
            "fasce di punteggio: l'ultima fascia finisce a {} invece di 100",
            num(last.to)
        ));
    }
    p
}

impl CoefficientFn {
    /// The bands' problems, or a negative quota or step.
    fn problems(&self) -> Vec<String> {
        match self {
            CoefficientFn::Linear => Vec::new(),
            CoefficientFn::Bands(bands) => band_problems(bands),
            CoefficientFn::QuotaStep {
                at_threshold,
                per_point,
            } if neg(*at_threshold) || neg(*per_point) => vec![format!(
                "quota alla soglia ({}) e incremento per punto ({}) non possono essere negativi",
                num(*at_threshold),
                num(*per_point)
            )],
            CoefficientFn::QuotaStep { .. } => Vec::new(),
        }
    }

    /// The coefficient of an eligible score (the caller gives 0 below the threshold).
    /// `None` only on arithmetic overflow or a score no band covers.
    pub fn of(&self, score: Decimal, threshold: Decimal) -> Option<Decimal> {
        match self {
            CoefficientFn::Linear => score.checked_div(Decimal::ONE_HUNDRED),
            CoefficientFn::Bands(bands) => bands
                .iter()
                .find(|b| {
                    b.from <= score
                        && (score < b.to || (b.to == Decimal::ONE_HUNDRED && score == b.to))
                })
                .map(|b| b.coefficient),
            CoefficientFn::QuotaStep {
                at_threshold,
                per_point,
            } => {
                let c = score
                    .checked_sub(threshold)?
                    .checked_mul(*per_point)?
                    .checked_add(*at_threshold)?;
                Some(c.min(Decimal::ONE))
            }
        }
    }

    /// Italian description for the trail.
    pub fn describe(&self) -> String {
        match self {
            CoefficientFn::Linear => "coefficiente = punteggio / 100".to_string(),
            CoefficientFn::Bands(_) => "coefficiente della fascia di punteggio".to_string(),
            CoefficientFn::QuotaStep {
                at_threshold,
                per_point,
            } => format!(
                "coefficiente = min(1; {} + (punteggio − soglia) × {})",
                num(*at_threshold),
                num(*per_point)
            ),
        }
    }
}
