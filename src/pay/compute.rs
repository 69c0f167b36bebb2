//! The computation of individual pay (*calcolo dei compensi individuali*) as a pipeline of its
//! steps: each manager's own figures, the interim supplements, the result pot, its split by
//! Model A or Model B, art. 30 differentiation, the fee correlation and each manager's pay, the
//! economie and the reconciliation of the fund.
//!
//! Pure: typed inputs in, [`PayResult`] out, every figure in the trail. Managers are sorted by
//! matricola first, so no result depends on the order of the input rows.

use super::art30::art30;
use super::error::sub;
use super::error::{non_negative, PayError};
use super::fees::{fee_percent, manager_pays};
use super::interim::{interim_supplements, Covered, Interims};
use super::manager::manager_rows;
use super::manager::Row;
use super::model::Economie;
use super::model::{Context, PayTrail};
use super::model::{InterimInput, ManagerInput, ManagerPay, PayResult, Pots};
use super::posts::{org_chart_split, OrgChart, PostQuotas};
use super::pot::{result_pot, unused_position};
use super::reconcile::{reconcile, Sums};
use super::rules::PayRules;
use super::rules::{InterimBase, QuotaPosts};
use super::split::{once_total_weight, split_pot};
use crate::money::Money;
use crate::staff::Post;

/// Computes every manager's pay, the economie and the reconciliation. Pure: no IO. `posts`
/// is the organisation chart (`posti.csv`), empty when not given.
pub fn compute_pay(
    pots: &Pots,
    managers: &[ManagerInput],
    interims: &[InterimInput],
    posts: &[Post],
    rules: &PayRules,
) -> Result<PayResult, PayError> {
    check_rules_and_pots(pots, rules)?;
    let sorted = by_matricola(managers)?;
    let mut rows = manager_rows(&sorted, pots.year, rules)?;
    let position = unused_position(pots, &rows)?;
    // Position-based interims are set aside before the split; result-based ones after it,
    // from the quotas of the posts they cover.
    let early = rules.interim_base == InterimBase::PositionPay;
    let mut interim = match early {
        true => interims_with(&rows, interims, posts, &PostQuotas::default(), pots, rules)?,
        false => Interims::none(),
    };
    let (pot, pot_figure) = result_pot(pots, position.unused, interim.due)?;
    // Cents added by the largest remainder, per manager in matricola order, over all splits.
    let mut moved = vec![0i64; rows.len()];
    let total_weight = once_total_weight(&rows, rules)?;
    let mut split = split(&mut rows, pot, posts, rules, &mut moved)?;
    if !early {
        interim = interims_with(&rows, interims, posts, &split.quotas, pots, rules)?;
        take_unassigned(&mut split.economie, interim.due)?;
    }
    let mut economie = split.economie;
    let art30 = art30(&mut rows, rules, pot, &mut economie, &mut moved)?;
    let fee_percent = fee_percent(&rules.fees);
    let out = manager_pays(&rows, &interim.pays, fee_percent, rules.rounding)?;
    let sums = Sums {
        position_paid: position.paid,
        unused_position: position.unused,
        interim_paid: interim.paid,
        interim_unpaid: interim.unpaid,
        result_pot: pot,
    };
    let (reconciliation, closing) = reconcile(pots, &sums, &out, economie)?;
    // The pots, the posts' quotas and the interim supplements are kept; the managers' own
    // figures are written from `ManagerPay` when asked, naming each manager's row.
    let mut kept = Vec::with_capacity(interim.figures.len() + split.figures.len() + 2);
    kept.push(position.figure);
    kept.extend(interim.figures);
    kept.push(pot_figure);
    kept.extend(split.figures);
    let context = context(rules, fee_percent, pot, total_weight, pots);
    let origins = rows.iter().map(|r| r.manager().origin.clone()).collect();
    Ok(PayResult {
        cents_moved: cents_moved(&moved, &out),
        managers: out,
        interims: interim.pays,
        art30,
        reconciliation,
        trail: PayTrail::new(kept, closing, context, origins),
    })
}

/// The interim supplements, with the organisation chart and the posts' quotas.
fn interims_with(
    rows: &[Row],
    interims: &[InterimInput],
    posts: &[Post],
    quotas: &PostQuotas,
    pots: &Pots,
    rules: &PayRules,
) -> Result<Interims, PayError> {
    let covered = Covered { posts, quotas };
    interim_supplements(rows, interims, &covered, pots, rules)
}

/// The split of the pot by the rules: over the organisation chart, or among the managers
/// present (Model A or B, or the fixed bases).
fn split(
    rows: &mut [Row],
    pot: Money,
    posts: &[Post],
    rules: &PayRules,
    moved: &mut [i64],
) -> Result<OrgChart, PayError> {
    if rules.theoretical_quota == QuotaPosts::OrgChart {
        return org_chart_split(rows, pot, posts, rules, moved);
    }
    Ok(OrgChart {
        economie: split_pot(rows, pot, rules, moved)?,
        quotas: PostQuotas::default(),
        figures: Vec::new(),
    })
}

/// The result-based interims are paid from the result not assigned to the posts' holders,
/// which must cover them.
fn take_unassigned(economie: &mut Economie, due: Money) -> Result<(), PayError> {
    if due > economie.unassigned {
        return Err(PayError::InterimExceedsUnassigned {
            due: due.it(),
            available: economie.unassigned.it(),
            excess: sub(due, economie.unassigned)?.it(),
        });
    }
    economie.unassigned = sub(economie.unassigned, due)?;
    Ok(())
}

/// What the managers' figures are written from.
fn context(
    rules: &PayRules,
    fee_percent: Option<rust_decimal::Decimal>,
    pot: Money,
    total_weight: rust_decimal::Decimal,
    pots: &Pots,
) -> Context {
    Context {
        threshold: rules.threshold,
        coefficient: rules.coefficient.describe(),
        model: rules.model,
        quota: rules.quota.clone(),
        org_chart: rules.theoretical_quota == QuotaPosts::OrgChart,
        rounding: rules.rounding,
        fee_percent,
        service: rules.service,
        pot,
        rounding_steps: rules.rounding_steps,
        total_weight,
        sources: pots.sources.clone(),
    }
}

/// Rules without problems, a representable year, no negative pot.
fn check_rules_and_pots(pots: &Pots, rules: &PayRules) -> Result<(), PayError> {
    let problems = rules.problems();
    if !problems.is_empty() {
        return Err(PayError::Rules(problems));
    }
    if super::service::year_bounds(pots.year).is_none() {
        return Err(PayError::Year(pots.year));
    }
    non_negative("quota di posizione", pots.position_share)?;
    non_negative("quota di risultato", pots.result_share)?;
    non_negative("riporti", pots.carryovers)
}

/// The managers in matricola order, each matricola once.
fn by_matricola<'m, 'a>(
    managers: &'m [ManagerInput<'a>],
) -> Result<Vec<&'m ManagerInput<'a>>, PayError> {
    let mut sorted: Vec<&ManagerInput> = managers.iter().collect();
    sorted.sort_by(|a, b| a.manager.matricola.cmp(&b.manager.matricola));
    if let Some(w) = sorted
        .windows(2)
        .find(|w| w[0].manager.matricola == w[1].manager.matricola)
    {
        return Err(PayError::DuplicateMatricola(
            w[0].manager.matricola.to_string(),
        ));
    }
    Ok(sorted)
}

/// The managers to whom the largest remainder gave cents, with how many.
fn cents_moved(moved: &[i64], managers: &[ManagerPay]) -> Vec<(String, i64)> {
    moved
        .iter()
        .enumerate()
        .filter(|(_, c)| **c != 0)
        .map(|(k, c)| (managers[k].matricola.to_string(), *c))
        .collect()
}
