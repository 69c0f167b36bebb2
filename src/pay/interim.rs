//! Step 2, the interim supplements (*retribuzione di risultato per l'interim*, CCNL 2020 art.
//! 58): a percentage of the covered post's position pay for the days covered, set aside in full
//! from the result pot (`[interim] base = "posizione"`, the default), or a percentage of the
//! covered post's yearly result quota, paid from the quota the post's holders did not take
//! (`base = "risultato"`, computed after the split); paid as the CCDI declares against the
//! covering manager's evaluation, or the covered structure's (`punteggio = "struttura"`):
//! × min(1, c) by default, or in full at the threshold, nothing below the threshold.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::error::{non_negative, ov, sub, sum, PayError};
use super::manager::{evaluation, Row};
use super::model::{InterimInput, InterimPay, Pots};
use super::posts::{yearly_quota, PostQuotas};
use super::rules::{num, InterimBase, InterimPayment, InterimScore, PayRules};
use super::service::{interim_fraction, row_service, Service};
use crate::money::date_it;
use crate::money::Money;
use crate::staff::Post;
use crate::trail::{Figure, Term};

/// The interim supplements with their figures, and what is due, paid and not paid.
pub(super) struct Interims {
    /// Sorted by matricola, covered post, start, end, percent.
    pub pays: Vec<InterimPay>,
    /// One per supplement, in the same order.
    pub figures: Vec<Figure>,
    /// Set aside from the result pot.
    pub due: Money,
    pub paid: Money,
    /// Not paid for the covering manager's evaluation: an economia.
    pub unpaid: Money,
}

/// What an interim supplement is computed from besides its own row: the organisation chart
/// and, for a result-based interim, each post's yearly quota.
pub(super) struct Covered<'p> {
    pub posts: &'p [Post],
    pub quotas: &'p PostQuotas,
}

impl Interims {
    /// No supplement (those of the other base, computed at another step).
    pub fn none() -> Interims {
        Interims {
            pays: Vec::new(),
            figures: Vec::new(),
            due: Money::ZERO,
            paid: Money::ZERO,
            unpaid: Money::ZERO,
        }
    }
}

/// Every interim supplement, from the rows (in matricola order) of the covering managers.
pub(super) fn interim_supplements(
    rows: &[Row],
    interims: &[InterimInput],
    covered: &Covered,
    pots: &Pots,
    rules: &PayRules,
) -> Result<Interims, PayError> {
    let mut sorted: Vec<&InterimInput> = interims.iter().collect();
    sorted.sort_by(|a, b| key(a).cmp(&key(b)));
    let mut pays = Vec::with_capacity(sorted.len());
    let mut figures = Vec::with_capacity(sorted.len());
    for i in sorted {
        let row = covering_row(rows, i)?;
        check_interim(i, rules)?;
        let (pay, figure) = supplement(i, row, covered, pots, rules)?;
        pays.push(pay);
        figures.push(figure);
    }
    let due = sum(pays.iter().map(|p| p.due))?;
    let paid = sum(pays.iter().map(|p| p.paid))?;
    let unpaid = sub(due, paid)?;
    Ok(Interims {
        pays,
        figures,
        due,
        paid,
        unpaid,
    })
}

/// The order of the supplements: matricola, covered post, start, end, percent.
fn key<'a>(i: &InterimInput<'a>) -> (&'a str, &'a str, Dates, Option<i64>, Decimal) {
    let a = i.interim;
    (
        &a.matricola,
        &a.covered_post,
        (a.start, a.end),
        a.days,
        i.percent,
    )
}

/// An interim's dates, when given.
type Dates = (Option<NaiveDate>, Option<NaiveDate>);

/// The covering manager's row, which must exist.
fn covering_row<'r, 'a>(rows: &'r [Row<'a>], i: &InterimInput) -> Result<&'r Row<'a>, PayError> {
    let a = i.interim;
    // Rows are in matricola order.
    let found = rows.binary_search_by(|r| (*r.manager().matricola).cmp(&a.matricola));
    found
        .ok()
        .map(|k| &rows[k])
        .ok_or_else(|| PayError::InterimManager {
            matricola: a.matricola.clone(),
            post: a.covered_post.clone(),
        })
}

/// The percentage within the rules' bounds, no negative pay.
fn check_interim(i: &InterimInput, rules: &PayRules) -> Result<(), PayError> {
    let a = i.interim;
    let (lo, hi) = rules.interim_percent_bounds;
    if i.percent < lo || i.percent > hi {
        return Err(PayError::InterimPercent {
            matricola: a.matricola.clone(),
            post: a.covered_post.clone(),
            percent: num(i.percent),
            min: num(lo),
            max: num(hi),
        });
    }
    non_negative(
        format_args!("retribuzione di posizione di \"{}\"", a.covered_post),
        a.covered_position_pay,
    )
}

/// Who scores an interim row (*valutazione dell'interim*): the covering manager, or the
/// covered structure through the rules' threshold and coefficient.
#[derive(Debug, Clone, Copy)]
struct Assessor {
    score: Decimal,
    eligible: bool,
    coefficient: Decimal,
}

/// The covering manager's evaluation, or the covered structure's score (`posti.csv`) under
/// `[interim] punteggio = "struttura"`.
fn assessor(
    i: &InterimInput,
    row: &Row,
    post: Option<&Post>,
    svc: Service,
    rules: &PayRules,
) -> Result<Assessor, PayError> {
    let a = i.interim;
    if rules.interim_score == InterimScore::Covering {
        return Ok(Assessor {
            score: row.score,
            eligible: row.eligible,
            coefficient: row.coefficient,
        });
    }
    let post = post.ok_or_else(|| PayError::InterimUnknownPost {
        matricola: a.matricola.clone(),
        post: a.covered_post.clone(),
    })?;
    let score = post.score.ok_or_else(|| PayError::MissingStructureScore {
        matricola: a.matricola.clone(),
        post: a.covered_post.clone(),
    })?;
    let who = || format!("{} (struttura \"{}\")", a.matricola, a.covered_post);
    let (eligible, coefficient) = evaluation(score, svc.units, who, rules)?;
    Ok(Assessor {
        score,
        eligible,
        coefficient,
    })
}

/// The yearly amount the percentage applies to: the covered post's position pay, or its
/// yearly result quota (exact).
fn yearly_base(
    i: &InterimInput,
    post: Option<&Post>,
    who: &Assessor,
    covered: &Covered,
    rules: &PayRules,
) -> Result<Decimal, PayError> {
    let a = i.interim;
    if rules.interim_base == InterimBase::PositionPay {
        return Ok(a.covered_position_pay.value());
    }
    let post = post.ok_or_else(|| PayError::InterimUnknownPost {
        matricola: a.matricola.clone(),
        post: a.covered_post.clone(),
    })?;
    yearly_quota(post, who.score, covered.quotas, rules)
}

/// One supplement: the yearly base (covered position pay, or the covered post's result
/// quota) × percent / 100 × days / the year's divisor (the rules' count of days; calendar
/// days under the months' rule), rounded once; paid as the rules say against the evaluation
/// of the covering manager or of the covered structure.
fn supplement(
    i: &InterimInput,
    row: &Row,
    covered: &Covered,
    pots: &Pots,
    rules: &PayRules,
) -> Result<(InterimPay, Figure), PayError> {
    let year = pots.year;
    let a = i.interim;
    let how = interim_fraction(rules.service);
    let svc = row_service(&a.matricola, (a.start, a.end, a.days), year, how)?;
    let post = covered.posts.iter().find(|p| *p.name == *a.covered_post);
    let who = assessor(i, row, post, svc, rules)?;
    let base = yearly_base(i, post, &who, covered, rules)?;
    let exact = ov(base
        .checked_mul(i.percent)
        .and_then(|x| x.checked_mul(Decimal::from(svc.units)))
        .and_then(|x| x.checked_div(Decimal::from(svc.per_year)))
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)))?;
    let due = Money::from_exact(exact, rules.rounding);
    let pay = InterimPay {
        matricola: a.matricola.clone(),
        covered_post: a.covered_post.clone(),
        days: svc.days,
        percent: i.percent,
        base: rules.interim_base,
        yearly_base: Money::from_exact(base, rules.rounding),
        scored_by: rules.interim_score,
        score: who.score,
        due,
        coefficient: who.coefficient,
        payment: rules.interim_payment,
        paid: paid((exact, due), &who, rules)?,
    };
    let figure = interim_figure(i, &pay, svc, &who, pots, rules);
    Ok((pay, figure))
}

/// What is paid of `due`: nothing below the threshold; else due × min(1, c) rounded once (on
/// the exact due for a result-based interim, a single rounding as for the quotas), or all of
/// it, as the rules say.
fn paid(
    (exact, due): (Decimal, Money),
    who: &Assessor,
    rules: &PayRules,
) -> Result<Money, PayError> {
    if !who.eligible {
        return Ok(Money::ZERO);
    }
    let from = match rules.interim_base {
        InterimBase::PositionPay => due.value(),
        InterimBase::ResultQuota => exact,
    };
    Ok(match rules.interim_payment {
        InterimPayment::AllOrNothing => due,
        InterimPayment::Proportional => Money::from_exact(
            ov(from.checked_mul(who.coefficient.min(Decimal::ONE)))?,
            rules.rounding,
        ),
    })
}

/// The figure of one supplement; its term names the covering manager until the caller
/// names the interim rows ([`super::PayTrail::set_interim_origins`]).
fn interim_figure(
    i: &InterimInput,
    pay: &InterimPay,
    svc: Service,
    who: &Assessor,
    pots: &Pots,
    rules: &PayRules,
) -> Figure {
    let source = &pots.sources.interim;
    let a = i.interim;
    let computed = format!(
        "{} × {}% × {}/{} = {}",
        pay.yearly_base,
        num(i.percent),
        svc.units,
        svc.per_year,
        pay.due
    );
    let formula = formula(computed, pay, who, rules);
    let (base_words, base_origin) = match rules.interim_base {
        InterimBase::PositionPay => (
            "Retribuzione di posizione del posto coperto",
            format!("interim:{}", a.matricola),
        ),
        InterimBase::ResultQuota => (
            "Quota di risultato annua del posto coperto",
            if rules.quota.is_fixed() {
                format!("interim:{}", a.matricola)
            } else {
                format!("posto:{}", a.covered_post)
            },
        ),
    };
    Figure {
        voce: format!("interim:{}:{}", a.matricola, a.covered_post),
        description: format!(
            "Interim di {} su \"{}\" {}",
            a.matricola,
            a.covered_post,
            period_words(a.start, a.end, svc.days)
        ),
        value: pay.paid.into(),
        formula,
        terms: vec![Term {
            description: base_words.into(),
            value: pay.yearly_base,
            sign: 1,
            origin: base_origin,
            source: Some(source.clone().into()),
        }],
        sources: vec![source.clone().into()],
        roundings: vec![rules.rounding.per_cent().into()],
    }
}

/// "dal … al …", or the days given.
fn period_words(start: Option<NaiveDate>, end: Option<NaiveDate>, days: i64) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!("dal {} al {}", date_it(s), date_it(e)),
        _ => format!("per {days} giorni"),
    }
}

/// The supplement's formula after its due amount: what was paid and why, with the
/// coefficient of the covering manager or of the covered structure.
fn formula(computed: String, pay: &InterimPay, who: &Assessor, rules: &PayRules) -> String {
    let whose = match pay.scored_by {
        InterimScore::Covering => String::new(),
        InterimScore::Structure => format!(
            " della struttura coperta \"{}\" (posti.csv)",
            pay.covered_post
        ),
    };
    if !who.eligible {
        format!(
            "{computed}, non erogato: punteggio{whose} {} sotto la soglia {} (economia)",
            num(who.score),
            num(rules.threshold)
        )
    } else if pay.payment == InterimPayment::Proportional {
        let from = match pay.base {
            InterimBase::PositionPay => pay.due.to_string(),
            InterimBase::ResultQuota => "il valore esatto (non arrotondato)".to_string(),
        };
        format!(
            "{computed}; erogato {from} × min(1; coefficiente{whose} {}) = {}{}",
            num(pay.coefficient),
            pay.paid,
            if pay.paid < pay.due {
                " (la differenza è economia)"
            } else {
                ""
            }
        )
    } else {
        format!(
            "{computed}, erogato per intero: punteggio{whose} {} non sotto la soglia {} (coefficiente {}, pagamento tutto o niente)",
            num(who.score),
            num(rules.threshold),
            num(pay.coefficient)
        )
    }
}
