//! The pay's inputs and results: each manager's validated row with its scores and fees
//! ([`ManagerInput`]), the interim assignments ([`InterimInput`]), the pots from the fund split
//! ([`Pots`]); each manager's pay, the interim supplements, the economie, the reconciliation
//! and what art. 30 did, gathered in [`PayResult`].

use std::sync::Arc;

use rust_decimal::Decimal;

use super::rules::{
    Art30Model, InterimBase, InterimPayment, InterimScore, Model, ResultQuota, RoundingSteps,
    ServiceFraction, Ties,
};
use crate::money::{Money, Rounding};
use crate::national::{National, Voce};
use crate::staff::{Interim, Manager};
use crate::trail::{Figure, Origin};

/// One manager's data for the year (*dirigente*): the validated row of the managers' file,
/// with the evaluation scores and the ex-lege fees gathered for the pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagerInput<'a> {
    /// Matricola, name, post, yearly position pay (*pesatura*, art. 54), grading points, the
    /// assignment within the fund year (both ends included) and the row it was read from.
    pub manager: &'a Manager,
    /// Component code → score 0..=100.
    pub components: Vec<(Arc<str>, Decimal)>,
    /// Ex-lege fees (*compensi ex lege*, art. 60 onnicomprensività), summed.
    pub fees: Money,
    /// The declared cut of result pay (`riduzioni.csv`), its percentages summed: 0 to 100.
    pub reduction: Decimal,
}

/// An interim assignment (*incarico ad interim*, CCNL 2020 art. 58) with its percentage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterimInput<'a> {
    /// The covering manager's matricola, the covered post, its yearly position pay and the
    /// period, as validated.
    pub interim: &'a Interim,
    /// Percentage of the covered post's position pay (the row's, else the rules file's),
    /// within the rules' bounds (the year's national range).
    pub percent: Decimal,
}

/// The amounts to distribute (*risorse destinate*), from the fund split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pots {
    pub year: i32,
    /// Position pay share of the fund (*quota per la retribuzione di posizione*).
    pub position_share: Money,
    /// Result pay share of the fund (*quota per la retribuzione di risultato*).
    pub result_share: Money,
    /// Carry-overs from earlier years (*riporti*), result pay only.
    pub carryovers: Money,
    /// The legal sources of the pay's figures in this year.
    pub sources: Sources,
}

/// The legal sources of the pay's figures (*fonti*) in the fund's year: the national
/// catalogue's citations, and the differentiation's source (the national contract's, or the
/// CCDI's in a year no contract provides it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sources {
    pub position: String,
    pub unused_position: String,
    pub result: String,
    pub art30: String,
    pub interim: String,
    pub fees: String,
    pub rounding: String,
    pub economie: String,
    pub reconciliation: String,
    /// Managers shared with another ente (*convenzione*).
    pub shared: String,
}

impl Sources {
    /// The sources of a year's national rules; `ccdi_art30` is the CCDI's source of its
    /// differentiation, cited where no national contract provides one.
    pub fn of(n: &National, ccdi_art30: Option<&str>) -> Sources {
        Sources {
            position: n.cite(Voce::Posizione).to_string(),
            unused_position: n.cite(Voce::PosizioneNonUtilizzata).to_string(),
            result: n.cite(Voce::Risultato).to_string(),
            art30: Sources::art30(n, ccdi_art30),
            interim: n.cite(Voce::Interim).to_string(),
            fees: n.cite(Voce::Compensi).to_string(),
            rounding: n.cite(Voce::Arrotondamento).to_string(),
            economie: n.cite(Voce::Economie).to_string(),
            reconciliation: n.cite(Voce::Quadratura).to_string(),
            shared: n.cite(Voce::Convenzione).to_string(),
        }
    }

    /// The differentiation's source: the national contract's, or the CCDI's in a year no
    /// contract provides it.
    pub fn art30(n: &National, ccdi_art30: Option<&str>) -> String {
        match (&n.differentiation, ccdi_art30) {
            (Some(d), _) => d.source.to_string(),
            (None, Some(ccdi)) => ccdi.to_string(),
            (None, None) => "differenziazione prevista dal CCDI".to_string(),
        }
    }
}

/// One manager's pay (*compensi del dirigente*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagerPay {
    /// Shared with the inputs.
    pub matricola: Arc<str>,
    pub name: Arc<str>,
    pub post: Arc<str>,
    /// Calendar days in post.
    pub days: i64,
    /// t: days / days of the year, or months / 12.
    pub service_fraction: Decimal,
    /// Position pay for the year (*retribuzione di posizione erogata*): yearly × t, rounded once.
    pub position_paid: Money,
    /// S: weighted score, rounded half-up to 2 decimals.
    pub score: Decimal,
    /// S ≥ threshold (*valutazione positiva*).
    pub eligible: bool,
    /// c = f(S), 0 when not eligible.
    pub coefficient: Decimal,
    /// b: 1, the yearly position pay or the grading points.
    pub base_weight: Decimal,
    /// Model B theoretical quota Q_i (*quota teorica*); under Model A equal to `result_pay`.
    pub quota: Money,
    /// Result pay before art. 30 (*retribuzione di risultato*).
    pub result_pay: Money,
    /// Art. 30 movement (*maggiorazione art. 30*): positive for the top managers raised to the
    /// minimum, negative for those it was taken from, 0 otherwise.
    pub art30_supplement: Money,
    /// True for the managers with the highest evaluations within the art. 30 quota.
    pub art30_top: bool,
    /// Result pay after art. 30: `result_pay + art30_supplement`.
    pub result_after_art30: Money,
    /// Interim supplements paid (*retribuzione di risultato per l'interim*).
    pub interim: Money,
    /// Ex-lege fees, shown for information: paid outside this fund, not in `total`.
    pub fees: Money,
    /// The declared cut's percentage (`riduzioni.csv`), 0 without one.
    pub reduction_percent: Decimal,
    /// The declared cut of result pay (*riduzione*): `result_after_art30 × percent / 100`,
    /// rounded once; applied before the fee correlation.
    pub reduction: Money,
    /// Reduction of result pay for the fees (*riduzione per compensi ex lege*), on the result
    /// after art. 30 and the declared cut.
    pub fee_reduction: Money,
    /// Result pay finally paid: `result_after_art30 − reduction − fee_reduction`.
    pub result_paid: Money,
    /// The ente's share of the manager's pay (`quota_ente`), 100 unless shared.
    pub ente_share: Decimal,
    /// The parts paid by the other ente of a shared manager (zero otherwise).
    pub other_ente: OtherEnte,
    /// Paid from this ente's fund: position + result paid + interim − the other ente's parts.
    pub total: Money,
    /// Yearly position pay of the post (*pesatura*), for the position figure.
    pub yearly_position_pay: Money,
    /// The service fraction t as `service_units / service_per_year` (days or months).
    pub service_units: i64,
    pub service_per_year: i64,
}

/// The parts of a shared manager's pay paid by the other ente (*a carico di altro ente*): each
/// amount less this ente's share of it, rounded once per amount.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OtherEnte {
    pub position: Money,
    pub result: Money,
    pub interim: Money,
    /// position + result + interim.
    pub total: Money,
}

/// One interim supplement (*compenso per l'interim*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterimPay {
    pub matricola: String,
    pub covered_post: String,
    pub days: i64,
    pub percent: Decimal,
    /// What the percentage applies to: the covered post's position pay, or its yearly
    /// result quota (`[interim] base`).
    pub base: InterimBase,
    /// The yearly base (position pay, or the covered post's result quota, rounded to the
    /// cent for display).
    pub yearly_base: Money,
    /// Whose score pays it: the covering manager's, or the covered structure's.
    pub scored_by: InterimScore,
    /// The score used (the covering manager's, or the structure's).
    pub score: Decimal,
    /// yearly base × percent / 100 × days / days of the year, rounded once.
    pub due: Money,
    /// The coefficient c of the score used (0 below the threshold).
    pub coefficient: Decimal,
    /// How it was paid: `due` × min(1, c) rounded once, or `due` if the covering manager is
    /// eligible; 0 below the threshold. The difference is an economia.
    pub payment: InterimPayment,
    pub paid: Money,
}

/// The savings (*economie*), by cause.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Economie {
    /// Model B: Q_i − R_i of eligible managers with c < 1 (rounded once, `una_volta`, a row
    /// with c ≥ 1 may add or take a cent: its quota is the split's, its pay the exact quota
    /// rounded); with the next two, the pot less the result pay of the rows.
    pub quota_reductions: Money,
    /// Model B: the quotas of managers below the threshold.
    pub ineligible_quotas: Money,
    /// The whole result pot when nobody is eligible or all weights are zero.
    pub undistributed: Money,
    /// Fixed bases (`[valutazione] quota`): the pot less the managers' quotas, the money of
    /// the posts vacant, covered ad interim or not in service (*risultato non assegnato*).
    pub unassigned: Money,
    /// Result pay reduced for ex-lege fees.
    pub fee_reductions: Money,
    /// Interim supplements not paid for a score below the threshold.
    pub interim_unpaid: Money,
    /// Result pay cut by the declared reductions (`riduzioni.csv`).
    pub reductions: Money,
    /// The other ente's parts of shared managers' pay: not charged to this fund.
    pub other_ente: Money,
    /// What the art. 30 supplements (`modello = "maggiorazione"`) took from the economie of
    /// the split: subtracted from the total.
    pub art30_supplements: Money,
    /// The causes above, less what the art. 30 supplements took.
    pub total: Money,
}

/// The reconciliation the revisori expect (*quadratura*):
/// `fund + carryovers = position_paid + result_paid + interim + carried_residual + economie`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciliation {
    /// position share + result share.
    pub fund: Money,
    pub carryovers: Money,
    pub position_paid: Money,
    pub result_paid: Money,
    pub interim: Money,
    /// Result money carried to next year (art. 57 c.3): always 0 here, see the module docs of
    /// [`super`].
    pub carried_residual: Money,
    pub economie: Money,
    pub economie_detail: Economie,
    /// Position share − position paid: moved to this year's result pot.
    pub unused_position: Money,
    /// The result pot split among the managers: result share + carry-overs + unused position
    /// money − interim due.
    pub result_pot: Money,
}

/// What art. 30 did (*esito della differenziazione*).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Art30Outcome {
    pub applied: bool,
    /// Why it was not applied, in Italian, when `applied` is false.
    pub note: Option<String>,
    /// The managers evaluated, on whom the quota (and the average of the resources destined)
    /// is counted: all the managers of the pay.
    pub evaluated: usize,
    /// Number of top managers from the quota, before the rule on ties at the cut-off.
    pub quota_count: usize,
    /// Matricole of the top managers.
    pub top: Vec<String>,
    /// Managers tied at the cut-off score and therefore excluded.
    pub tied_out: Vec<String>,
    /// Managers tied at the cut-off score and therefore included (`parita_al_limite =
    /// "includi"`).
    pub tied_in: Vec<String>,
    /// The rule applied to a tie at the cut-off, and whether the CCDI declared it.
    pub ties: Ties,
    pub ties_declared: bool,
    /// Average per-head result pay (exact) and the minimum for the top, rounded up to the cent,
    /// at the last round.
    pub average: Decimal,
    pub minimum: Money,
    pub rounds: usize,
    /// How the top managers got more: raised to the minimum, or a supplement on top.
    pub model: Art30Model,
    /// The declared percentage over the average.
    pub percent: Decimal,
    /// The minimum score to enter the top group, when declared.
    pub min_score: Option<Decimal>,
    /// Managers within the quota by rank but below the minimum score, left out of the top.
    pub below_min_score: Vec<String>,
    /// `maggiorazione`: the full supplement per top manager, p% of the average rounded up to
    /// the cent.
    pub supplement: Money,
    /// `maggiorazione`: the supplements due in full (supplement × top managers).
    pub supplements_due: Money,
    /// `maggiorazione`: the economie of the split that could pay them.
    pub economie_available: Money,
    /// `maggiorazione`: the supplements paid, all from the economie (less than due when the
    /// economie were not enough: reduced in proportion).
    pub supplements_paid: Money,
    /// An avviso in Italian stating the figures, when the supplements were reduced.
    pub warning: Option<String>,
}

/// The result of [`compute_pay`](super::compute_pay).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayResult {
    /// Sorted by matricola.
    pub managers: Vec<ManagerPay>,
    /// Sorted by matricola, covered post, start.
    pub interims: Vec<InterimPay>,
    pub art30: Art30Outcome,
    pub reconciliation: Reconciliation,
    /// Cents added by the largest-remainder rule, per matricola, over all splits.
    pub cents_moved: Vec<(String, i64)>,
    /// How every figure was made; each manager's figures are written on request
    /// ([`PayResult::figures`]).
    pub trail: PayTrail,
}

/// What the managers' figures need besides each manager's own figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Context {
    pub threshold: Decimal,
    /// The coefficient function in words.
    pub coefficient: String,
    pub model: Model,
    /// The result quota: shared, or a base fixed per post.
    pub quota: ResultQuota,
    /// Model B's theoretical quota over the organisation chart (`quota_teorica =
    /// "organigramma"`).
    pub org_chart: bool,
    pub rounding: Rounding,
    pub fee_percent: Option<Decimal>,
    /// How the service is counted (`[valutazione] servizio`).
    pub service: ServiceFraction,
    /// The result pot split among the managers.
    pub pot: Money,
    /// When a Model B row is rounded (`arrotondamento_passaggi`).
    pub rounding_steps: RoundingSteps,
    /// Σ b × t of Model B rounded once (the exact quotas' denominator), 0 otherwise.
    pub total_weight: Decimal,
    /// The sources cited by the managers' figures.
    pub sources: Sources,
}

/// The pay trail (*traccia dei compensi*): kept figures and what the managers' figures are
/// written from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayTrail {
    /// Unused position money, the interim supplements, the result pot: after the managers'
    /// position figures.
    pub(super) pots: Vec<Figure>,
    /// Economie and the reconciliation: after the managers' other figures.
    pub(super) closing: Vec<Figure>,
    pub(super) context: Context,
    /// The input row of each manager, by position in [`PayResult::managers`].
    pub(super) rows: Vec<Origin>,
    /// The rows of the ex-lege fees of each manager who has any (`file:line, file:line`), by
    /// matricola: what the fee reduction's term cites.
    pub(super) fee_rows: rustc_hash::FxHashMap<Arc<str>, String>,
    /// The declared reductions of each manager who has any (reasons, sources and rows), by
    /// matricola: what the reduction's figure cites.
    pub(super) reduction_rows: rustc_hash::FxHashMap<Arc<str>, ReductionRows>,
}

/// What a manager's declared reductions cite: `motivo (fonte)` of each row, and its rows
/// (`file:line, file:line`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReductionRows {
    pub reasons: Vec<String>,
    pub sources: Vec<String>,
    pub rows: String,
}

impl PayTrail {
    pub(super) fn new(
        pots: Vec<Figure>,
        closing: Vec<Figure>,
        context: Context,
        rows: Vec<Origin>,
    ) -> PayTrail {
        PayTrail {
            pots,
            closing,
            context,
            rows,
            fee_rows: rustc_hash::FxHashMap::default(),
            reduction_rows: rustc_hash::FxHashMap::default(),
        }
    }

    /// Names the reasons, sources and rows of each manager's declared reductions, by
    /// matricola.
    pub fn set_reduction_origins(&mut self, rows: rustc_hash::FxHashMap<Arc<str>, ReductionRows>) {
        self.reduction_rows = rows;
    }

    /// Names the input rows behind each manager's fee reduction: `rows` gives, by matricola,
    /// the rows of the fees (`file:line, file:line`) of the managers who have any.
    pub fn set_fee_origins(&mut self, rows: rustc_hash::FxHashMap<Arc<str>, String>) {
        self.fee_rows = rows;
    }

    /// Names the input rows behind the interim supplements' terms: the rows of a covering
    /// manager as `interims` gives them (`file:line, file:line`) for its matricola.
    pub fn set_interim_origins(&mut self, interims: impl Fn(&str) -> Option<String>) {
        for t in self.pots.iter_mut().flat_map(|f| f.terms.iter_mut()) {
            if let Some(m) = t.origin.strip_prefix("interim:") {
                if let Some(rows) = interims(m) {
                    t.origin = rows;
                }
            }
        }
    }
}
