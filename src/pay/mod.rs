//! Individual pay: position pay pro rata, result pay by evaluation, art. 30 differentiation,
//! interim supplements, and the reconciliation of the fund.
//!
//! - `rules`: the typed rules ([`PayRules`]) with their CCNL-typical defaults and validation.
//! - `service`: days and months in post, the service fraction.
//! - `compute`: [`compute_pay`], from pots, managers and interims to [`PayResult`].
//! - `trail`: the pay figures' trail, each manager's figures written on request.
//!
//! # Decisions on points the contracts leave open
//! - **Leap years** (`Days365`): t = calendar days in post / days of the fund year (366 in a
//!   leap year), so a whole year is exactly 1; interim days use the same divisor.
//! - **15-day rule** (`Months15`): counted per calendar month; a month fully in post, or with
//!   more than 15 days in post, is a month; 15 days or fewer is nothing.
//! - **Score**: `S = Σ w_c × s_c / 100`, rounded once half-up to 2 decimals, whatever the
//!   rounding of amounts. Bands are half-open `[from, to)`, the last closed at 100.
//! - **QuotaStep** is capped at 1 (a share of the full quota); not capped below by the
//!   threshold: below the threshold the coefficient is 0 anyway.
//! - **Art. 30**: the quota is a percentage of the eligible managers, rounded as declared, at
//!   least 1 and at most all but one. Managers tied at the cut-off score are all **excluded**
//!   (the quota is a maximum and equal evaluations get equal treatment), so the top group may
//!   be smaller than the quota, or empty. The average is over the managers paid (or eligible),
//!   result pay only (no fees, no interim). Top managers below `ceil_cent((1 + p/100) × average)`
//!   are raised to it; the difference is taken from everyone else with result pay (top managers
//!   above the minimum included), re-split by largest remainder over their current amounts;
//!   repeated until no top manager is below the (recomputed) minimum.
//! - **Fees**: the reduction applies to result pay after art. 30, never below 0; fees are paid
//!   outside the fund and are not in a manager's total.
//! - **Interim**: its full amount is set aside from the result pot; when the covering manager
//!   is below the threshold it is not paid and becomes an economia.
//! - **Carried residual**: always 0. Money not paid because of evaluations or fees is an
//!   economia (ARAN AFL 37); a carry-over needs a finding that spending was objectively
//!   impossible, which is a decision of the ente, not a computation.

mod compute;
mod rules;
mod service;
mod trail;

pub use compute::{
    compute_pay, Art30Outcome, Economie, InterimInput, InterimPay, ManagerInput, ManagerPay,
    PayError, PayResult, Pots, Reconciliation,
};
pub use rules::{
    Art30, Average, Band, BaseWeight, CoefficientFn, Component, FeeCorrelation, Model, PayRules,
    QuotaRounding, ServiceFraction,
};
pub use service::{days_in_year, service, Service};
pub use trail::PayTrail;
