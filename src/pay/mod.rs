//! Individual pay: position pay pro rata, result pay by evaluation, art. 30 differentiation,
//! interim supplements, and the reconciliation of the fund.
//!
//! - `rules`: the typed rules ([`PayRules`]) with their CCNL-typical defaults and validation.
//! - `service`: days and months in post, the service fraction.
//! - `model`: the inputs (the validated manager with its scores and fees, the interims, the
//!   pots) and the results ([`PayResult`]).
//! - `compute`: [`compute_pay`], the pipeline of the steps, each in its own file:
//!   `manager` (each manager's service, position pay, score, coefficient and base),
//!   `interim` (the interim supplements), `pot` (unused position money and the result pot),
//!   `split` (Model A or B and its economie, or the fixed bases per post), `posts` (Model B
//!   over the organisation chart, and a post's yearly quota), `art30` (the
//!   differentiation), `fees` (the fee correlation and each manager's pay), `reconcile`
//!   (the economie and the reconciliation).
//! - `error`: [`PayError`] and the checked arithmetic the steps share.
//! - `trail`: the pay figures' trail, each manager's figures written on request.
//!
//! # Decisions on points the contracts leave open
//! - **Leap years** (`giorni`, the default): t = calendar days in post / days of the fund year
//!   (366 in a leap year), so a whole year is exactly 1; `giorni_365` divides by 365 in every
//!   year and caps the days at 365 (a whole leap year is 1); `giorni_360` counts 30 days for a
//!   whole month, a part month's days up to 30, over 360. Interim days use the same count
//!   (calendar days over the year's days under `mesi`).
//! - **Days given** (`giorni` column): the days as payroll counts them under the rule; with the
//!   dates too they must agree; 0 days is a row paying nothing: no position pay, no result pay,
//!   not among the eligible managers of art. 30 (and its interim, if any, unpaid).
//! - **15-day rule** (`mesi`): counted per calendar month; a month fully in post, or with
//!   more than 15 days in post, is a month; 15 days or fewer is nothing.
//! - **Score**: `S = Σ w_c × s_c / 100`, rounded once half-up to 2 decimals, whatever the
//!   rounding of amounts. Bands are half-open `[from, to)`, the last closed at 100.
//! - **Rounding steps** (`arrotondamento_passaggi`, Model B): by default the quota is split to
//!   the cent (largest remainder) and × min(1, c) rounded again (`ogni_passaggio`); with
//!   `una_volta` the exact quota R × b t / Σ b t × min(1, c) is rounded once (on integers, so
//!   a half cent is a half cent), the quota shown stays the split's and the economie are the
//!   pot less the rounded rows; the rows so rounded may not add up to more than the pot (only
//!   possible when nearly every coefficient is 1 or more): an error says what to write instead.
//!   Model A already rounds once: its shares are the largest remainder's on the exact b t c.
//! - **QuotaStep** is capped at 1 (a share of the full quota); not capped below by the
//!   threshold: below the threshold the coefficient is 0 anyway.
//! - **Art. 30**: applied only when the CCDI declares it (`[differenziazione]`), and not where
//!   the managers of the pay are at most the national exclusion of the year. The quota is a
//!   percentage of the managers evaluated (all the managers of the pay), rounded as declared,
//!   at least 1 and at most all the eligible managers but one. Managers tied at the cut-off
//!   score are all **excluded** by default (the quota is a maximum and equal evaluations get
//!   equal treatment), so the top group may be smaller than the quota, or empty; the CCDI may
//!   declare them all **included** instead. The average is by default the resources destined
//!   to result pay per head (the result pot over the managers evaluated); the CCDI may declare
//!   the result pay of the managers paid (or eligible), result pay only (no fees, no interim).
//!   Top managers below `ceil_cent((1 + p/100) × average)` are raised to it; the difference is
//!   taken from everyone else with result pay (top managers above the minimum included),
//!   re-split by largest remainder over their current amounts; repeated until no top manager
//!   is below the (recomputed) minimum. With `punteggio_minimo`, the managers within the
//!   quota by rank but below that score are left out (no one takes their place: all below
//!   them score less). With `modello = "maggiorazione"` the top managers get instead
//!   `ceil_cent(p/100 × average)` on top of their own result pay (the average of their pay
//!   before it), paid from the economie of the split (Model B's quota reductions and
//!   ineligible quotas, the undistributed pot), never by cutting the others; when those are
//!   not enough the supplements are split in proportion (largest remainder) with an avviso;
//!   the economie shrink by what is paid (a line of their own in the reconciliation). Model A
//!   has no such economie: its supplements are 0, with the avviso.
//! - **Fixed result bases** (`[valutazione] quota`, default `ripartita` = Model A or B on the
//!   pot): `valore_punto` (grading points × € per point), `importo_fascia` (the declared
//!   amount of the post's grading band, bands half-open `[da, a)`, the highest closed),
//!   `percentuale_posizione` (p% of the manager's own yearly position pay) give a quota
//!   × t, paid × min(1, c) as Model B; `euro_per_punto` pays score × € per point × t at or
//!   above the threshold (the score is the evaluation: no coefficient; no quota below it).
//!   Each result is the exact product rounded once (the quota shown is rounded on its own).
//!   A quota is the post's own, whoever else is present: the pot (result share +
//!   carry-overs + unused position − interim) must cover the quotas, else the run stops
//!   with an error at the rules' key, never a pro-rata; the pot not assigned is an economia
//!   by its own cause (*risultato non assegnato*), and with it the quota reductions and the
//!   quotas below the threshold; the art. 30 supplements may be paid from all of them.
//!   `base` and `modello` belong to `ripartita` only.
//! - **Declared reductions** (`riduzioni.csv`: late objectives, disciplinary): a manager's
//!   percentages are summed (at most 100) and applied once to the result pay after art. 30,
//!   rounded once; then the fees' reduction on what is left. The money cut is an economia.
//! - **Fees**: the reduction applies to result pay after art. 30 and the declared cut, never
//!   below 0; fees are paid outside the fund and are not in a manager's total.
//! - **Shared managers** (`quota_ente`, convenzione): the pots are split counting the manager
//!   in full; then this ente pays its share of each amount (position, result paid, interim),
//!   rounded once per amount; the other ente's parts are not charged to this fund and are an
//!   economia by their own cause.
//! - **Organisation chart** (`quota_teorica = "organigramma"`, Model B on a shared pot): the
//!   pot is split by largest remainder among every post of `posti.csv` by its yearly base
//!   weight, filled or not; each post's quota among its holders by their service units and
//!   the part of the year nobody held it (largest remainder again, on whole units, so the
//!   parts add up to the post's quota exactly); each holder's part × min(1, c), rounded (or
//!   the exact quota × units / year × min(1, c) rounded once under `una_volta`). When the
//!   holders' units add up to more than the year (the commercial year counts a part month's
//!   days up to 30, so a succession mid-month can), they share the whole quota in proportion.
//!   The part not held is *risultato non assegnato*. A manager whose post is not in the chart
//!   is an error (checked where the files are read).
//! - **Result-based interim** (`[interim] base = "risultato"`): percent × the covered post's
//!   yearly result quota (its quota over the chart, or its fixed base from `posti.csv`; under
//!   `euro_per_punto` the score used × € per point) × the interim's service, rounded once for
//!   the due; paid (proportional) as the exact due × min(1, c) rounded once. Not set aside
//!   before the split: paid from the result not assigned to the posts' holders, which must
//!   cover it (else an error: a post covered at once by its holder and ad interim).
//! - **Interim scored by the structure** (`[interim] punteggio = "struttura"`): the covered
//!   post's `punteggio` in `posti.csv` through the rules' threshold and coefficient, whoever
//!   covers it; with either base.
//! - **Interim**: its full amount is set aside from the result pot; by default it is paid
//!   × min(1, c) of the covering manager, rounded once (in full at or above the threshold when
//!   the CCDI declares `tutto_o_niente`); nothing below the threshold; what is not paid is an
//!   economia.
//! - **Carried residual**: always 0. Money not paid because of evaluations or fees is an
//!   economia (ARAN AFL 37); a carry-over needs a finding that spending was objectively
//!   impossible, which is a decision of the ente, not a computation.

mod art30;
mod compute;
mod error;
mod fees;
mod interim;
mod manager;
mod model;
mod posts;
mod pot;
mod reconcile;
mod rules;
mod service;
mod split;
mod trail;

pub use compute::compute_pay;
pub use error::{PayError, QuotasExceed};
pub use model::{
    Art30Outcome, Economie, InterimInput, InterimPay, ManagerInput, ManagerPay, OtherEnte,
    PayResult, Pots, Reconciliation, ReductionRows,
};
pub use model::{PayTrail, Sources};
pub use rules::{
    AmountBand, Art30, Art30Model, Average, Band, BaseWeight, CoefficientFn, Component,
    FeeCorrelation, InterimBase, InterimPayment, InterimScore, Model, PayRules, QuotaPosts,
    QuotaRounding, ResultQuota, RoundingSteps, ServiceFraction, Ties,
};
pub use service::{days_in_year, interim_fraction, served, service, Service, ServiceProblem};
