//! Step 5, the differentiation of result pay (*differenziazione della retribuzione di
//! risultato*, CCNL 2020 art. 30 c.2-4), when the CCDI declares it: the managers with the
//! highest evaluations, within the quota of the managers evaluated and at or above the
//! minimum score when one is declared, get more, by the declared model. `minimo`: they are
//! raised to (1 + percent/100) × the average per-head result pay, the difference taken from
//! all the others in proportion, until no top manager is below the minimum. `maggiorazione`:
//! they get percent% of the average on top of their own result pay, paid from the economie
//! of the split (reduced in proportion when those are not enough), never by cutting the
//! others. Not applied where the managers of the pay are at most the national exclusion of
//! the year.

use rust_decimal::Decimal;

use super::error::{add, ceil_cent, ov, sub, sum, PayError};
use super::manager::Row;
use super::model::{Art30Outcome, Economie};
use super::rules::{num, Art30, Art30Model, Average, PayRules, QuotaRounding, Ties};
use crate::alloc::{self, Ordered};
use crate::money::{round, Money, Rounding};

/// Art. 30 c.2-4 on the rows (in matricola order), from the result pay of the split (already
/// in `current`), the result `pot` split and the split's `economie`: raises the top managers
/// (reducing the others, or paying from the economie, which shrink by what is paid), marks
/// the top.
pub(super) fn art30(
    rows: &mut [Row],
    rules: &PayRules,
    pot: Money,
    economie: &mut Economie,
    moved: &mut [i64],
) -> Result<Art30Outcome, PayError> {
    let Some(a) = &rules.art30 else {
        return Ok(Art30Outcome {
            evaluated: rows.len(),
            note: Some(
                "differenziazione non definita dal CCDI (nessuna sezione [differenziazione] nelle regole): nessuna maggiorazione".into(),
            ),
            ..Art30Outcome::default()
        });
    };
    // The rounds go over every manager several times: on compact columns, not on the rows.
    let mut c = Columns {
        scores: rows.iter().map(|r| r.score).collect(),
        eligible: (0..rows.len()).filter(|&i| rows[i].eligible).collect(),
        current: rows.iter().map(|r| r.current).collect(),
        top: vec![false; rows.len()],
        pot,
        economie: sum([
            economie.quota_reductions,
            economie.ineligible_quotas,
            economie.undistributed,
            economie.unassigned,
        ])?,
        moved,
    };
    let names = |i: usize| rows[i].manager().matricola.to_string();
    let out = differentiate(&mut c, a, &names);
    if let Ok(o) = &out {
        economie.art30_supplements = o.supplements_paid;
    }
    let Columns { current, top, .. } = c;
    for ((r, c), t) in rows.iter_mut().zip(current).zip(top) {
        r.current = c;
        r.top = t;
    }
    out
}

/// What art. 30 works on, one entry per row in matricola order.
struct Columns<'m> {
    scores: Vec<Decimal>,
    /// The rows of the managers above the threshold.
    eligible: Vec<usize>,
    /// The result pay, raised or reduced here.
    current: Vec<Money>,
    /// The managers with the highest evaluations, set here.
    top: Vec<bool>,
    /// The result pot split among the managers (the resources destined).
    pot: Money,
    /// The economie of the split, what `maggiorazione` pays from.
    economie: Money,
    /// Cents added by the largest remainder, per row.
    moved: &'m mut [i64],
}

/// The top group within the quota and at the minimum score, then the declared model: the
/// rounds that raise it to the minimum, or the supplements paid from the economie.
fn differentiate(
    c: &mut Columns,
    a: &Art30,
    matricola: &impl Fn(usize) -> String,
) -> Result<Art30Outcome, PayError> {
    let evaluated = c.scores.len();
    let mut out = Art30Outcome {
        evaluated,
        ties: a.ties.unwrap_or_default(),
        ties_declared: a.ties.is_some(),
        model: a.model,
        percent: a.percent,
        min_score: a.min_score,
        ..Art30Outcome::default()
    };
    if let Some(n) = a.excluded_up_to.filter(|&n| evaluated <= n as usize) {
        out.note = Some(format!(
            "non applicata: {evaluated} dirigenti in servizio, non più di {n}, e il contratto dell'anno esclude la differenziazione; la retribuzione di risultato resta comunque selettiva"
        ));
        return Ok(out);
    }
    if a.quota.is_zero() {
        out.note = Some("quota della differenziazione pari a zero".into());
        return Ok(out);
    }
    if c.eligible.len() < 2 {
        out.note =
            Some("meno di due dirigenti valutati positivamente: nessuna differenziazione".into());
        return Ok(out);
    }
    out.quota_count = quota_count(a, evaluated, c.eligible.len())?;
    let candidates = candidates(c, a.min_score, out.quota_count, matricola, &mut out);
    if candidates.is_empty() {
        out.note = Some(format!(
            "nessun dirigente valutato positivamente raggiunge il punteggio minimo {} per la differenziazione: nessuna maggiorazione",
            num(a.min_score.unwrap_or_default())
        ));
        return Ok(out);
    }
    let cut = top_group(c, &candidates, out.quota_count, matricola, &mut out);
    if let Some(note) = no_top(&out, c.eligible.len(), cut) {
        c.top.iter_mut().for_each(|t| *t = false);
        out.top.clear();
        out.note = Some(note);
        return Ok(out);
    }
    match a.model {
        Art30Model::Floor => raise_top(c, a, matricola, &mut out)?,
        Art30Model::Supplement => supplement_top(c, a, matricola, &mut out)?,
    }
    Ok(out)
}

/// The eligible managers who may enter the top group: all of them, or those at or above the
/// minimum score; the ones within the quota by rank (highest score first, then matricola)
/// but below it are named in `out`.
fn candidates(
    c: &Columns,
    min_score: Option<Decimal>,
    count: usize,
    matricola: &impl Fn(usize) -> String,
    out: &mut Art30Outcome,
) -> Vec<usize> {
    let Some(min) = min_score else {
        return c.eligible.clone();
    };
    let scores = &c.scores;
    let ordered = Ordered::new(scores);
    let order = |x: &usize, y: &usize| ordered.cmp(*y, *x).then(x.cmp(y));
    let mut ranked = c.eligible.clone();
    if count < ranked.len() {
        ranked.select_nth_unstable_by(count, order);
        ranked.truncate(count);
    }
    ranked.sort_by(order);
    out.below_min_score = ranked
        .iter()
        .filter(|&&i| scores[i] < min)
        .map(|&i| matricola(i))
        .collect();
    c.eligible
        .iter()
        .copied()
        .filter(|&i| scores[i] >= min)
        .collect()
}

/// Why there is no top group to raise: all tied at the cut-off were excluded and none is
/// left, or all were included and no one is left to take from.
fn no_top(out: &Art30Outcome, eligible: usize, cut: Decimal) -> Option<String> {
    if out.top.is_empty() {
        return Some(format!(
            "dirigenti a pari punteggio {} al limite della quota: esclusi tutti, nessuno è tra i più valutati",
            num(cut)
        ));
    }
    (out.top.len() >= eligible).then(|| {
        format!(
            "dirigenti a pari punteggio {} al limite della quota: inclusi tutti, sono tutti i valutati positivamente e non resta nessuno da cui differenziarli",
            num(cut)
        )
    })
}

/// The number of top managers: the quota of the `evaluated` managers, rounded as declared,
/// at least 1 and at most all the `eligible` ones but one.
fn quota_count(a: &Art30, evaluated: usize, eligible: usize) -> Result<usize, PayError> {
    let raw = ov(a
        .quota
        .checked_mul(Decimal::from(evaluated))
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)))?;
    let rounded = match a.quota_rounding {
        QuotaRounding::Down => round(raw, 0, Rounding::Down),
        QuotaRounding::HalfUp => round(raw, 0, Rounding::HalfUp),
        QuotaRounding::Up => {
            let d = round(raw, 0, Rounding::Down);
            if d < raw {
                d + Decimal::ONE
            } else {
                d
            }
        }
    };
    Ok(
        usize::try_from(rounded.mantissa() / 10i128.pow(rounded.scale()))
            .unwrap_or(0)
            .clamp(1, eligible - 1),
    )
}

/// Marks the `count` highest scores among the `candidates` as the top (all of them when they
/// are not more than `count`), those tied at the cut-off all excluded or all included as
/// `out.ties` says, and names them in `out`; returns the cut-off score.
fn top_group(
    c: &mut Columns,
    candidates: &[usize],
    count: usize,
    matricola: &impl Fn(usize) -> String,
    out: &mut Art30Outcome,
) -> Decimal {
    let scores = &c.scores;
    // Highest score first, then matricola (rows are in matricola order). Only the first
    // `count + 1` and those tied with the cut-off matter: selected, then only they sorted.
    let ordered = Ordered::new(scores);
    let order = |x: &usize, y: &usize| ordered.cmp(*y, *x).then(x.cmp(y));
    let mut ranked = candidates.to_vec();
    let count = count.min(ranked.len());
    let more = count < ranked.len();
    if more {
        ranked.select_nth_unstable_by(count, order);
    }
    let cut = ranked[..count]
        .iter()
        .map(|&i| scores[i])
        .min()
        .unwrap_or_default();
    let tie = more && scores[ranked[count]] == cut;
    let mut ranked: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&i| scores[i] >= cut)
        .collect();
    ranked.sort_by(order);
    let include = out.ties == Ties::Include;
    for &i in &ranked {
        let tied = tie && scores[i] == cut;
        if tied {
            if include {
                out.tied_in.push(matricola(i));
            } else {
                out.tied_out.push(matricola(i));
            }
        }
        if !tied || include {
            c.top[i] = true;
            out.top.push(matricola(i));
        }
    }
    out.top.sort();
    cut
}

/// The rounds: each recomputes the average and the minimum, raises the top managers below it
/// and takes the difference from the others; until no top manager is below the minimum.
fn raise_top(
    c: &mut Columns,
    a: &Art30,
    matricola: &impl Fn(usize) -> String,
    out: &mut Art30Outcome,
) -> Result<(), PayError> {
    let factor = ov(Decimal::ONE_HUNDRED
        .checked_add(a.percent)
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)))?;
    let n_rows = c.current.len();
    let mut raised = vec![false; n_rows];
    let limit = 2 * n_rows + 2;
    loop {
        let Some(minimum) = applied_at(c, a.average, factor, out)? else {
            return Ok(());
        };
        out.minimum = minimum;
        let below: Vec<usize> = (0..n_rows)
            .filter(|&i| c.top[i] && c.current[i] < minimum)
            .collect();
        if below.is_empty() {
            return Ok(());
        }
        out.rounds += 1;
        if out.rounds > limit {
            return Err(PayError::Overflow);
        }
        for &i in &below {
            raised[i] = true;
        }
        fund_the_raise(c, &raised, minimum, matricola)?;
    }
}

/// The average (recorded in `out`, the differentiation applied) and `factor` × the average
/// rounded up to the cent; `None`, with the note, when there is no result pay to average.
fn applied_at(
    c: &Columns,
    average: Average,
    factor: Decimal,
    out: &mut Art30Outcome,
) -> Result<Option<Money>, PayError> {
    let Some((avg, amount)) = average_and_minimum(c, average, factor)? else {
        out.note = Some("nessuna retribuzione di risultato da differenziare".into());
        return Ok(None);
    };
    out.average = avg;
    out.applied = true;
    Ok(Some(amount))
}

/// The average per-head result pay (exact) and the minimum for the top, `factor` × the
/// average rounded up to the cent; `None` when there is no result pay to average.
fn average_and_minimum(
    c: &Columns,
    average: Average,
    factor: Decimal,
) -> Result<Option<(Decimal, Money)>, PayError> {
    let current = &c.current;
    let (total, heads) = match average {
        Average::Destined => (c.pot, c.scores.len()),
        Average::AllPaid => {
            let paid = current.iter().filter(|v| v.is_positive());
            (sum(paid.clone().copied())?, paid.count())
        }
        Average::AllEligible => (
            sum(c.eligible.iter().map(|&i| current[i]))?,
            c.eligible.len(),
        ),
    };
    if heads == 0 || total.value().is_zero() {
        return Ok(None);
    }
    let avg = ov(total.value().checked_div(Decimal::from(heads)))?;
    let minimum = ceil_cent(ov(avg.checked_mul(factor))?)?;
    Ok(Some((avg, minimum)))
}

/// `maggiorazione`: every top manager gets p% of the average on top of their own result pay,
/// rounded up to the cent, paid from the economie of the split; when those are not enough,
/// they are split among the top managers in proportion to the supplements (largest
/// remainder), with an avviso stating the figures. No one else's pay changes.
fn supplement_top(
    c: &mut Columns,
    a: &Art30,
    matricola: &impl Fn(usize) -> String,
    out: &mut Art30Outcome,
) -> Result<(), PayError> {
    let rate = ov(a.percent.checked_div(Decimal::ONE_HUNDRED))?;
    let Some(supplement) = applied_at(c, a.average, rate, out)? else {
        return Ok(());
    };
    out.supplement = supplement;
    out.economie_available = c.economie;
    let tops: Vec<usize> = (0..c.current.len()).filter(|&i| c.top[i]).collect();
    out.supplements_due = sum(std::iter::repeat(supplement).take(tops.len()))?;
    let paid: Vec<Money> = if out.supplements_due <= c.economie {
        vec![supplement; tops.len()]
    } else {
        let claims = vec![supplement.value(); tops.len()];
        let shares = alloc::split(c.economie, &claims, |k| matricola(tops[k]))?;
        for (&i, s) in tops.iter().zip(&shares) {
            c.moved[i] += i64::from(s.extra);
        }
        shares.into_iter().map(|s| s.value).collect()
    };
    for (&i, p) in tops.iter().zip(&paid) {
        c.current[i] = add(c.current[i], *p)?;
    }
    out.supplements_paid = sum(paid.iter().copied())?;
    if out.supplements_paid < out.supplements_due {
        out.warning = Some(shortfall_warning(out, a.percent, tops.len()));
    }
    Ok(())
}

/// The avviso of supplements reduced in proportion: what was due, what the economie had,
/// what each top manager got.
fn shortfall_warning(out: &Art30Outcome, percent: Decimal, tops: usize) -> String {
    format!(
        "maggiorazioni della differenziazione ridotte in proporzione: dovute {} ({}, il {}% della media {}, × {tops} dirigenti più valutati), economie della ripartizione disponibili {}, erogate {}; le retribuzioni degli altri dirigenti non sono ridotte",
        out.supplements_due.it(),
        out.supplement.it(),
        num(percent),
        crate::money::format_it(round(out.average, 2, Rounding::HalfUp), 2),
        out.economie_available.it(),
        out.supplements_paid.it()
    )
}

/// Brings every raised manager to the minimum (those raised earlier may need more) and takes
/// what that needs from the others with result pay, re-split by largest remainder over their
/// current amounts.
fn fund_the_raise(
    c: &mut Columns,
    raised: &[bool],
    minimum: Money,
    matricola: &impl Fn(usize) -> String,
) -> Result<(), PayError> {
    let current = &mut c.current;
    let mut needed = Money::ZERO;
    for (i, v) in current.iter().enumerate() {
        if raised[i] {
            needed = add(needed, sub(minimum, *v)?)?;
        }
    }
    let givers: Vec<usize> = (0..current.len())
        .filter(|&i| !raised[i] && current[i].is_positive())
        .collect();
    let available = sum(givers.iter().map(|&i| current[i]))?;
    if available < needed {
        return Err(PayError::Art30Infeasible {
            needed: needed.it(),
            minimum: minimum.it(),
            available: available.it(),
        });
    }
    // Givers are in matricola order: the tie-break of the split.
    let claims: Vec<Decimal> = givers.iter().map(|&i| current[i].value()).collect();
    let shares = alloc::split(sub(available, needed)?, &claims, |k| matricola(givers[k]))?;
    for (&i, s) in givers.iter().zip(&shares) {
        c.moved[i] += i64::from(s.extra);
        current[i] = s.value;
    }
    for (i, v) in current.iter_mut().enumerate() {
        if raised[i] {
            *v = minimum;
        }
    }
    Ok(())
}
