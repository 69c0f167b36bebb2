//! Step 2, the interim supplements (*retribuzione di risultato per l'interim*, CCNL 2020 art.
//! 58): a percentage of the covered post's position pay for the days covered, set aside in full
//! from the result pot, paid as the CCDI declares against the covering manager's evaluation
//! (× min(1, c) by default, or in full at the threshold), nothing below the threshold.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::error::{non_negative, ov, sub, sum, PayError};
use super::manager::Row;
use super::model::{InterimInput, InterimPay, Pots};
use super::rules::{num, InterimPayment, PayRules};
use super::service::{interim_fraction, row_service, Service};
use crate::money::date_it;
use crate::money::Money;
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

/// Every interim supplement, from the rows (in matricola order) of the covering managers.
pub(super) fn interim_supplements(
    rows: &[Row],
    interims: &[InterimInput],
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
        let (pay, figure) = supplement(i, row, pots, rules)?;
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

/// One supplement: covered position pay × percent / 100 × days / the year's divisor (the
/// rules' count of days; calendar days under the months' rule), rounded once; paid as the
/// rules say against the covering manager's evaluation.
fn supplement(
    i: &InterimInput,
    row: &Row,
    pots: &Pots,
    rules: &PayRules,
) -> Result<(InterimPay, Figure), PayError> {
    let year = pots.year;
    let a = i.interim;
    let how = interim_fraction(rules.service);
    let svc = row_service(&a.matricola, (a.start, a.end, a.days), year, how)?;
    let exact = ov(a
        .covered_position_pay
        .value()
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
        due,
        coefficient: row.coefficient,
        payment: rules.interim_payment,
        paid: paid(due, row, rules)?,
    };
    let figure = interim_figure(i, &pay, svc, row, pots, rules);
    Ok((pay, figure))
}

/// What is paid of `due`: nothing below the threshold; else due × min(1, c) rounded once, or
/// all of it, as the rules say.
fn paid(due: Money, row: &Row, rules: &PayRules) -> Result<Money, PayError> {
    if !row.eligible {
        return Ok(Money::ZERO);
    }
    Ok(match rules.interim_payment {
        InterimPayment::AllOrNothing => due,
        InterimPayment::Proportional => Money::from_exact(
            ov(due.value().checked_mul(row.coefficient.min(Decimal::ONE)))?,
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
    row: &Row,
    pots: &Pots,
    rules: &PayRules,
) -> Figure {
    let source = &pots.sources.interim;
    let a = i.interim;
    let computed = format!(
        "{} × {}% × {}/{} = {}",
        a.covered_position_pay,
        num(i.percent),
        svc.units,
        svc.per_year,
        pay.due
    );
    let formula = formula(computed, pay, row, rules);
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
            description: "Retribuzione di posizione del posto coperto".into(),
            value: a.covered_position_pay,
            sign: 1,
            origin: format!("interim:{}", a.matricola),
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

/// The supplement's formula after its due amount: what was paid and why, with the covering
/// manager's coefficient.
fn formula(computed: String, pay: &InterimPay, row: &Row, rules: &PayRules) -> String {
    if !row.eligible {
        format!(
            "{computed}, non erogato: punteggio {} sotto la soglia {} (economia)",
            num(row.score),
            num(rules.threshold)
        )
    } else if pay.payment == InterimPayment::Proportional {
        format!(
            "{computed}; erogato {} × min(1; coefficiente {}) = {}{}",
            pay.due,
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
            "{computed}, erogato per intero: punteggio {} non sotto la soglia {} (coefficiente {}, pagamento tutto o niente)",
            num(row.score),
            num(rules.threshold),
            num(pay.coefficient)
        )
    }
}
