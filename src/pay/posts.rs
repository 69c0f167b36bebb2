//! Step 4 over the organisation chart (*quota teorica sui posti dell'organigramma*,
//! `[valutazione] quota_teorica = "organigramma"`, `posti.csv`): the result pot is split among
//! every post, filled or not, by the post's yearly base weight; each post's quota is shared
//! among whoever held it by their service, and the part of the year nobody held it is left
//! unassigned (an economia, or the interim on that post under `[interim] base = "risultato"`),
//! so that a vacant post never raises the others' quotas. Also the yearly result quota of a
//! post, which a result-based interim is a percentage of.

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::error::{add, ov, PayError};
use super::manager::Row;
use super::model::Economie;
use super::rules::{num, BaseWeight, PayRules, ResultQuota, RoundingSteps};
use super::split::{fixed_amount, quota_economie, round_ratio, within_pot};
use crate::alloc;
use crate::money::Money;
use crate::staff::Post;
use crate::trail::{Figure, Term};

/// The yearly result quota of each post of the organisation chart (*quota del posto*), from
/// the split of the pot; empty when the quota is not over the organisation chart.
#[derive(Debug, Default)]
pub(super) struct PostQuotas {
    by_name: HashMap<Arc<str>, Money>,
}

impl PostQuotas {
    /// The post's yearly quota from the split, when there was one.
    pub fn of(&self, post: &str) -> Option<Money> {
        self.by_name.get(post).copied()
    }
}

/// What the split over the organisation chart leaves: the economie, each post's quota, and
/// one figure per post for the trail.
pub(super) struct OrgChart {
    pub economie: Economie,
    pub quotas: PostQuotas,
    pub figures: Vec<Figure>,
}

/// Splits `pot` among the posts by their yearly base weight (largest remainder), then each
/// post's quota among its holders by their service units, the part of the year not held
/// being unassigned; sets each row's base, quota and result pay.
pub(super) fn org_chart_split(
    rows: &mut [Row],
    pot: Money,
    posts: &[Post],
    rules: &PayRules,
    moved: &mut [i64],
) -> Result<OrgChart, PayError> {
    if posts.is_empty() {
        return Err(PayError::NoPosts);
    }
    let weights = posts
        .iter()
        .map(|p| post_weight(p, rules.base))
        .collect::<Result<Vec<_>, _>>()?;
    let holders = holders_by_post(rows, posts)?;
    let total = ov(weights
        .iter()
        .try_fold(Decimal::ZERO, |a, w| a.checked_add(*w)))?;
    let mut out = OrgChart {
        economie: Economie::default(),
        quotas: PostQuotas::default(),
        figures: Vec::with_capacity(posts.len()),
    };
    if total.is_zero() {
        out.economie.undistributed = pot;
        return Ok(out);
    }
    let shares = alloc::split(pot, &weights, |i| posts[i].name.clone())?;
    let mut unassigned = Money::ZERO;
    for (k, post) in posts.iter().enumerate() {
        let q = shares[k].value;
        out.quotas.by_name.insert(post.name.clone(), q);
        let held = &holders[k];
        let open = share_among_holders(rows, held, q, weights[k], rules, moved)?;
        unassigned = add(unassigned, open)?;
        out.figures.push(post_figure(
            post,
            (weights[k], total),
            pot,
            q,
            rows,
            held,
            open,
        ));
    }
    if rules.rounding_steps == RoundingSteps::Once {
        within_pot(rows, pot)?;
    }
    quota_economie(rows, &mut out.economie)?;
    out.economie.unassigned = unassigned;
    Ok(out)
}

/// A post's yearly base weight: 1, its yearly position pay or its grading points.
fn post_weight(p: &Post, base: BaseWeight) -> Result<Decimal, PayError> {
    Ok(match base {
        BaseWeight::PerHead => Decimal::ONE,
        BaseWeight::PositionPay => p.yearly_position_pay.value(),
        BaseWeight::GradingPoints => p
            .grading_points
            .ok_or_else(|| PayError::MissingPostPoints(p.name.to_string()))?,
    })
}

/// The rows holding each post (in matricola order), post by post; a row whose post is not
/// in the organisation chart is an error.
fn holders_by_post(rows: &[Row], posts: &[Post]) -> Result<Vec<Vec<usize>>, PayError> {
    let index: HashMap<&str, usize> = posts
        .iter()
        .enumerate()
        .map(|(k, p)| (&*p.name, k))
        .collect();
    let mut held = vec![Vec::new(); posts.len()];
    for (k, r) in rows.iter().enumerate() {
        let m = r.manager();
        let p = index.get(&*m.post).ok_or_else(|| PayError::UnknownPost {
            matricola: m.matricola.to_string(),
            post: m.post.to_string(),
        })?;
        held[*p].push(k);
    }
    Ok(held)
}

/// Splits the post's quota `q` among its holders by their service units and the part of the
/// year nobody held it (largest remainder, exact); sets each holder's base, quota and result
/// pay; returns the part not held. When the holders' units add up to more than the year (the
/// commercial year's part months can), they share the whole quota in proportion.
fn share_among_holders(
    rows: &mut [Row],
    held: &[usize],
    q: Money,
    base: Decimal,
    rules: &PayRules,
    moved: &mut [i64],
) -> Result<Money, PayError> {
    let Some(&first) = held.first() else {
        return Ok(q);
    };
    let per_year = rows[first].service.per_year;
    let mut units: Vec<Decimal> = held
        .iter()
        .map(|&h| Decimal::from(rows[h].service.units))
        .collect();
    let counted: i64 = held.iter().map(|&h| rows[h].service.units).sum();
    units.push(Decimal::from((per_year - counted).max(0)));
    // The part not held sorts after every matricola on a tie of remainders.
    let code = |j: usize| match held.get(j) {
        Some(&h) => rows[h].manager().matricola.to_string(),
        None => "\u{10FFFF}".to_string(),
    };
    let shares = alloc::split(q, &units, code)?;
    let denominator = per_year.max(counted);
    for (j, &h) in held.iter().enumerate() {
        moved[h] += i64::from(shares[j].extra);
        let r = &mut rows[h];
        r.base = base;
        r.quota = shares[j].value;
        r.result = holder_result(r, q, denominator, rules)?;
        r.current = r.result;
    }
    Ok(shares[held.len()].value)
}

/// A holder's result pay: its share of the post's quota × min(1, c), rounded (at each step),
/// or the exact q × units / year × min(1, c) rounded once (`una_volta`); 0 below the
/// threshold.
fn holder_result(r: &Row, q: Money, per_year: i64, rules: &PayRules) -> Result<Money, PayError> {
    if !r.eligible {
        return Ok(Money::ZERO);
    }
    let c = r.coefficient.min(Decimal::ONE);
    match rules.rounding_steps {
        RoundingSteps::EachStep => Ok(Money::from_exact(
            ov(r.quota.value().checked_mul(c))?,
            rules.rounding,
        )),
        RoundingSteps::Once => round_ratio(
            [q.value(), Decimal::from(r.service.units), c],
            Decimal::from(per_year),
            rules.rounding,
        ),
    }
}

/// The figure of one post's quota: its share of the pot, and who held it for how long.
fn post_figure(
    post: &Post,
    (weight, total): (Decimal, Decimal),
    pot: Money,
    q: Money,
    rows: &[Row],
    held: &[usize],
    open: Money,
) -> Figure {
    let mut parts: Vec<String> = held
        .iter()
        .map(|&h| {
            let r = &rows[h];
            format!(
                "{} per {}/{}: {}",
                r.manager().matricola,
                r.service.units,
                r.service.per_year,
                r.quota
            )
        })
        .collect();
    parts.push(format!("non coperto (economia o interim): {open}"));
    Figure {
        voce: format!("posto:{}", post.name),
        description: format!(
            "Quota di risultato del posto \"{}\" sull'organigramma",
            post.name
        ),
        value: q.into(),
        formula: format!(
            "{} × {} / {} (Σ delle basi di tutti i posti, coperti o no) = {} col metodo dei resti più alti; {}",
            pot,
            num(weight),
            num(total),
            q,
            parts.join("; ")
        ),
        terms: vec![Term::figure(
            "Retribuzione di risultato da ripartire",
            pot,
            1,
            "risultato_da_ripartire",
        )],
        sources: Vec::new(),
        roundings: vec![alloc::TIE_BREAK_RULE.into()],
    }
}

/// The yearly result quota of `post` (the base of a result-based interim), exact: its
/// quota over the organisation chart, or its fixed base (`score` for `euro_per_punto`).
pub(super) fn yearly_quota(
    post: &Post,
    score: Decimal,
    quotas: &PostQuotas,
    rules: &PayRules,
) -> Result<Decimal, PayError> {
    if rules.quota == ResultQuota::Shared {
        return quotas
            .of(&post.name)
            .map(|q| q.value())
            .ok_or_else(|| PayError::NoPostQuota(post.name.to_string()));
    }
    let points = || {
        post.grading_points
            .ok_or_else(|| PayError::MissingPostPoints(post.name.to_string()))
    };
    let who = format!("posto \"{}\"", post.name);
    fixed_amount(
        &rules.quota,
        points,
        (post.yearly_position_pay, score),
        &who,
    )
}
