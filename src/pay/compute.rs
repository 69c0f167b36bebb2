//! The computation of individual pay (*calcolo dei compensi individuali*): position pay pro
//! rata, interim supplements, the result pot, scores and coefficients, the split by Model A or
//! Model B, art. 30 differentiation, the fee correlation and the reconciliation of the fund.
//!
//! Pure: typed inputs in, [`PayResult`] out, every figure in the trail. Managers are sorted by
//! matricola first, so no result depends on the order of the input rows.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::rules::{Average, BaseWeight, FeeCorrelation, Model, PayRules, QuotaRounding};
use super::service::{date_it, days_between, days_in_year, service, within_year, Service};
use super::trail::{Context, PayTrail, SRC_INTERIM, SRC_RESULT};
use crate::alloc::{split, Ordered, SplitError};
use crate::money::{format_it, round, Money, Rounding};
use crate::par::in_order;
use crate::trail::{Figure, Term};
use rayon::prelude::*;

/// One manager's data for the year (*dirigente*), as validated by the loader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagerInput {
    pub matricola: Arc<str>,
    pub name: Arc<str>,
    pub post: Arc<str>,
    /// Yearly position pay of the post from the grading (*pesatura*, art. 54).
    pub yearly_position_pay: Money,
    /// Grading points (*punti di pesatura*), for [`BaseWeight::GradingPoints`].
    pub grading_points: Option<Decimal>,
    /// Assignment within the fund year, both ends included.
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Component code → score 0..=100.
    pub components: Vec<(Arc<str>, Decimal)>,
    /// Ex-lege fees (*compensi ex lege*, art. 60 onnicomprensività).
    pub fees: Money,
}

/// An interim assignment (*incarico ad interim*, CCNL 2020 art. 58).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterimInput {
    /// The manager covering the post.
    pub matricola: String,
    pub covered_post: String,
    /// Yearly position pay of the covered post.
    pub covered_position_pay: Money,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Percentage of the covered post's position pay, within the rules' bounds (15-30).
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
    /// Carry-overs from earlier years (*riporti*, art. 57 c.3), result pay only.
    pub carryovers: Money,
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
    /// Reduction of result pay for the fees (*riduzione per compensi ex lege*).
    pub fee_reduction: Money,
    /// Result pay finally paid: `result_after_art30 − fee_reduction`.
    pub result_paid: Money,
    /// Paid from the fund: position + result paid + interim.
    pub total: Money,
    /// Yearly position pay of the post (*pesatura*), for the position figure.
    pub yearly_position_pay: Money,
    /// The service fraction t as `service_units / service_per_year` (days or months).
    pub service_units: i64,
    pub service_per_year: i64,
}

/// One interim supplement (*compenso per l'interim*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterimPay {
    pub matricola: String,
    pub covered_post: String,
    pub days: i64,
    pub percent: Decimal,
    /// covered position pay × percent / 100 × days / days of the year, rounded once.
    pub due: Money,
    /// `due` if the covering manager is eligible, else 0 (the difference is an economia).
    pub paid: Money,
}

/// The savings (*economie*), by cause.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Economie {
    /// Model B: Q_i − R_i of eligible managers with c < 1.
    pub quota_reductions: Money,
    /// Model B: the quotas of managers below the threshold.
    pub ineligible_quotas: Money,
    /// The whole result pot when nobody is eligible or all weights are zero.
    pub undistributed: Money,
    /// Result pay reduced for ex-lege fees.
    pub fee_reductions: Money,
    /// Interim supplements not paid for a score below the threshold.
    pub interim_unpaid: Money,
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
    /// Number of top managers from the quota, before excluding ties at the cut-off.
    pub quota_count: usize,
    /// Matricole of the top managers.
    pub top: Vec<String>,
    /// Managers tied at the cut-off score and therefore excluded.
    pub tied_out: Vec<String>,
    /// Average per-head result pay (exact) and the minimum for the top, rounded up to the cent,
    /// at the last round.
    pub average: Decimal,
    pub minimum: Money,
    pub rounds: usize,
}

/// The result of [`compute_pay`].
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

/// Why individual pay could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayError {
    #[error("regole dei compensi non valide: {}", .0.join("; "))]
    Rules(Vec<String>),
    #[error("anno {0} non valido")]
    Year(i32),
    #[error("importo negativo: {what} {amount}")]
    Negative { what: String, amount: String },
    #[error("matricola {0} ripetuta")]
    DuplicateMatricola(String),
    #[error("dirigente {matricola}: periodo dal {start} al {end} non compreso nell'anno {year}")]
    Period {
        matricola: String,
        start: String,
        end: String,
        year: i32,
    },
    #[error("dirigente {matricola}: manca il punteggio della componente \"{code}\"")]
    MissingComponent { matricola: String, code: String },
    #[error("dirigente {matricola}: componente \"{code}\" sconosciuta o ripetuta")]
    UnknownComponent { matricola: String, code: String },
    #[error("dirigente {matricola}: punteggio {score} della componente \"{code}\" fuori dall'intervallo 0-100")]
    ScoreRange {
        matricola: String,
        code: String,
        score: String,
    },
    #[error("dirigente {matricola}: punteggio {score} non coperto da alcuna fascia")]
    NoBand { matricola: String, score: String },
    #[error("dirigente {0}: mancano i punti di pesatura")]
    MissingGradingPoints(String),
    #[error("la retribuzione di posizione erogata ({paid}) supera la quota di posizione ({share}) di {excess}")]
    PositionExceeds {
        paid: String,
        share: String,
        excess: String,
    },
    #[error("interim di {matricola} su \"{post}\": {matricola} non è tra i dirigenti")]
    InterimManager { matricola: String, post: String },
    #[error("interim di {matricola} su \"{post}\": percentuale {percent}% fuori dai limiti {min}-{max}%")]
    InterimPercent {
        matricola: String,
        post: String,
        percent: String,
        min: String,
        max: String,
    },
    #[error("la retribuzione di risultato da ripartire sarebbe negativa: {result} + {carry} di riporti + {unused} di posizione non utilizzata − {interim} di interim = {pot}")]
    ResultPotNegative {
        result: String,
        carry: String,
        unused: String,
        interim: String,
        pot: String,
    },
    #[error("differenziazione art. 30 non realizzabile: servono {needed} per portare i dirigenti più valutati a {minimum}, ma gli altri dirigenti ricevono in tutto {available}")]
    Art30Infeasible {
        needed: String,
        minimum: String,
        available: String,
    },
    #[error("quadratura non riuscita: fondo più riporti {left}, somme erogate più residui ed economie {right}")]
    Reconciliation { left: String, right: String },
    #[error("ripartizione: {0}")]
    Split(#[from] SplitError),
    #[error("calcolo impossibile: importi troppo grandi")]
    Overflow,
}

fn ov<T>(x: Option<T>) -> Result<T, PayError> {
    x.ok_or(PayError::Overflow)
}

fn add(a: Money, b: Money) -> Result<Money, PayError> {
    ov(a.checked_add(b))
}

fn sub(a: Money, b: Money) -> Result<Money, PayError> {
    ov(a.checked_sub(b))
}

fn sum(items: impl IntoIterator<Item = Money>) -> Result<Money, PayError> {
    ov(Money::checked_sum(items))
}

fn num(d: Decimal) -> String {
    format_it(d.normalize(), 0)
}

fn neg(d: Decimal) -> bool {
    d.is_sign_negative() && !d.is_zero()
}

fn non_negative(what: impl std::fmt::Display, m: Money) -> Result<(), PayError> {
    if m.is_negative() {
        return Err(PayError::Negative {
            what: what.to_string(),
            amount: m.it(),
        });
    }
    Ok(())
}

/// Rounds up to the cent (so that the result is truly ≥ the exact value), through the one
/// rounding function.
fn ceil_cent(x: Decimal) -> Result<Money, PayError> {
    let down = round(x, 2, Rounding::Down);
    let m = Money::from_exact(down, Rounding::Down);
    if down < x {
        add(m, Money::from_cents(1))
    } else {
        Ok(m)
    }
}

/// Weighted score S = Σ w_c × s_c / 100, rounded half-up to 2 decimals.
fn score(m: &ManagerInput, rules: &PayRules) -> Result<Decimal, PayError> {
    let mut seen: Vec<&str> = Vec::new();
    for (code, s) in &m.components {
        if seen.contains(&&**code) || !rules.components.iter().any(|c| *c.code == **code) {
            return Err(PayError::UnknownComponent {
                matricola: m.matricola.to_string(),
                code: code.to_string(),
            });
        }
        seen.push(&**code);
        if neg(*s) || *s > Decimal::ONE_HUNDRED {
            return Err(PayError::ScoreRange {
                matricola: m.matricola.to_string(),
                code: code.to_string(),
                score: num(*s),
            });
        }
    }
    let mut total = Decimal::ZERO;
    for c in &rules.components {
        let Some((_, s)) = m.components.iter().find(|(code, _)| **code == *c.code) else {
            return Err(PayError::MissingComponent {
                matricola: m.matricola.to_string(),
                code: c.code.clone(),
            });
        };
        total = ov(c.weight.checked_mul(*s).and_then(|p| total.checked_add(p)))?;
    }
    Ok(round(
        ov(total.checked_div(Decimal::ONE_HUNDRED))?,
        2,
        Rounding::HalfUp,
    ))
}

/// Working state of one manager.
struct Row<'a> {
    input: &'a ManagerInput,
    service: Service,
    position_paid: Money,
    score: Decimal,
    eligible: bool,
    coefficient: Decimal,
    base: Decimal,
    quota: Money,
    result: Money,
    current: Money,
    top: bool,
}

/// Computes every manager's pay, the economie and the reconciliation. Pure: no IO.
pub fn compute_pay(
    pots: &Pots,
    managers: &[ManagerInput],
    interims: &[InterimInput],
    rules: &PayRules,
) -> Result<PayResult, PayError> {
    let problems = rules.problems();
    if !problems.is_empty() {
        return Err(PayError::Rules(problems));
    }
    let year = pots.year;
    if super::service::year_bounds(year).is_none() {
        return Err(PayError::Year(year));
    }
    non_negative("quota di posizione", pots.position_share)?;
    non_negative("quota di risultato", pots.result_share)?;
    non_negative("riporti", pots.carryovers)?;
    let mode = rules.rounding;
    // The pots, the interim supplements and the reconciliation; the managers' own figures
    // are written from `ManagerPay` when asked.
    let mut trail: Vec<Figure> = Vec::with_capacity(interims.len() + 8);
    // Cents added by the largest remainder, per manager in matricola order.
    let mut moved: Vec<i64> = Vec::new();

    let mut sorted: Vec<&ManagerInput> = managers.iter().collect();
    sorted.sort_by(|a, b| a.matricola.cmp(&b.matricola));
    if let Some(w) = sorted.windows(2).find(|w| w[0].matricola == w[1].matricola) {
        return Err(PayError::DuplicateMatricola(w[0].matricola.to_string()));
    }

    // 1. Service, position pay, score, coefficient, base.
    // Each manager on its own, on all cores; gathered in matricola order, first error first.
    let built = in_order::<_, PayError>(sorted.len(), |k| {
        let m = sorted[k];
        if !within_year(m.start, m.end, year) {
            return Err(PayError::Period {
                matricola: m.matricola.to_string(),
                start: date_it(m.start),
                end: date_it(m.end),
                year,
            });
        }
        non_negative(
            format_args!("retribuzione di posizione di {}", m.matricola),
            m.yearly_position_pay,
        )?;
        non_negative(format_args!("compensi ex lege di {}", m.matricola), m.fees)?;
        let svc = service(m.start, m.end, year, rules.service);
        let exact = ov(svc.apply(m.yearly_position_pay.value()))?;
        let position_paid = Money::from_exact(exact, mode);
        let s = score(m, rules)?;
        let eligible = s >= rules.threshold;
        let coefficient = if eligible {
            rules
                .coefficient
                .of(s, rules.threshold)
                .ok_or_else(|| PayError::NoBand {
                    matricola: m.matricola.to_string(),
                    score: num(s),
                })?
        } else {
            Decimal::ZERO
        };
        let base = match rules.base {
            BaseWeight::PerHead => Decimal::ONE,
            BaseWeight::PositionPay => m.yearly_position_pay.value(),
            BaseWeight::GradingPoints => m
                .grading_points
                .ok_or_else(|| PayError::MissingGradingPoints(m.matricola.to_string()))?,
        };
        if neg(base) {
            return Err(PayError::Negative {
                what: format!("base di calcolo di {}", m.matricola),
                amount: num(base),
            });
        }
        Ok(Row {
            input: m,
            service: svc,
            position_paid,
            score: s,
            eligible,
            coefficient: coefficient.max(Decimal::ZERO),
            base,
            quota: Money::ZERO,
            result: Money::ZERO,
            current: Money::ZERO,
            top: false,
        })
    })?;
    let mut rows: Vec<Row> = built;
    moved.resize(rows.len(), 0);
    let position_paid = sum(rows.iter().map(|r| r.position_paid))?;
    let unused_position = sub(pots.position_share, position_paid)?;
    if unused_position.is_negative() {
        return Err(PayError::PositionExceeds {
            paid: position_paid.it(),
            share: pots.position_share.it(),
            excess: sub(position_paid, pots.position_share)?.it(),
        });
    }
    trail.push(Figure::sum(
        "posizione_non_utilizzata",
        "Quota di posizione non utilizzata, destinata al risultato dello stesso anno",
        unused_position,
        vec![
            Term::figure("Quota di posizione", pots.position_share, 1, "posizione"),
            Term::figure("Posizione erogata", position_paid, -1, "posizione:*"),
        ],
        &["CCNL Area Funzioni Locali 17/12/2020 art. 57 c.3"],
    ));
    if let Some(f) = trail.last_mut() {
        f.formula = format!(
            "{} − {} = {}",
            pots.position_share, position_paid, unused_position
        );
    }

    // 2. Interim supplements.
    let (lo, hi) = rules.interim_percent_bounds;
    let mut sorted_interims: Vec<&InterimInput> = interims.iter().collect();
    sorted_interims.sort_by(|a, b| {
        (&a.matricola, &a.covered_post, a.start, a.end, a.percent).cmp(&(
            &b.matricola,
            &b.covered_post,
            b.start,
            b.end,
            b.percent,
        ))
    });
    let mut interim_pays = Vec::with_capacity(sorted_interims.len());
    let diy = days_in_year(year);
    for i in sorted_interims {
        // Rows are in matricola order.
        let found = rows.binary_search_by(|r| (*r.input.matricola).cmp(&i.matricola));
        let Some(row) = found.ok().map(|k| &rows[k]) else {
            return Err(PayError::InterimManager {
                matricola: i.matricola.clone(),
                post: i.covered_post.clone(),
            });
        };
        if i.percent < lo || i.percent > hi {
            return Err(PayError::InterimPercent {
                matricola: i.matricola.clone(),
                post: i.covered_post.clone(),
                percent: num(i.percent),
                min: num(lo),
                max: num(hi),
            });
        }
        if !within_year(i.start, i.end, year) {
            return Err(PayError::Period {
                matricola: i.matricola.clone(),
                start: date_it(i.start),
                end: date_it(i.end),
                year,
            });
        }
        non_negative(
            format_args!("retribuzione di posizione di \"{}\"", i.covered_post),
            i.covered_position_pay,
        )?;
        let days = days_between(i.start, i.end);
        let exact = ov(i
            .covered_position_pay
            .value()
            .checked_mul(i.percent)
            .and_then(|x| x.checked_mul(Decimal::from(days)))
            .and_then(|x| x.checked_div(Decimal::from(diy)))
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)))?;
        let due = Money::from_exact(exact, mode);
        let paid = if row.eligible { due } else { Money::ZERO };
        trail.push(Figure {
            voce: format!("interim:{}:{}", i.matricola, i.covered_post),
            description: format!(
                "Interim di {} su \"{}\" dal {} al {}",
                i.matricola,
                i.covered_post,
                date_it(i.start),
                date_it(i.end)
            ),
            value: paid.into(),
            formula: if row.eligible {
                format!(
                    "{} × {}% × {days}/{diy} = {}",
                    i.covered_position_pay,
                    num(i.percent),
                    due
                )
            } else {
                format!(
                    "{} × {}% × {days}/{diy} = {}, non erogato: punteggio {} sotto la soglia {} (economia)",
                    i.covered_position_pay,
                    num(i.percent),
                    due,
                    num(row.score),
                    num(rules.threshold)
                )
            },
            terms: vec![Term {
                description: "Retribuzione di posizione del posto coperto".into(),
                value: i.covered_position_pay,
                sign: 1,
                origin: format!("interim:{}", i.matricola),
                source: Some(SRC_INTERIM.into()),
            }],
            sources: vec![SRC_INTERIM.into()],
            roundings: vec![mode.per_cent().into()],
        });
        interim_pays.push(InterimPay {
            matricola: i.matricola.clone(),
            covered_post: i.covered_post.clone(),
            days,
            percent: i.percent,
            due,
            paid,
        });
    }
    let interim_due = sum(interim_pays.iter().map(|p| p.due))?;
    let interim_paid = sum(interim_pays.iter().map(|p| p.paid))?;
    let interim_unpaid = sub(interim_due, interim_paid)?;

    // 3. The result pot.
    let pot = sub(
        add(add(pots.result_share, pots.carryovers)?, unused_position)?,
        interim_due,
    )?;
    if pot.is_negative() {
        return Err(PayError::ResultPotNegative {
            result: pots.result_share.it(),
            carry: pots.carryovers.it(),
            unused: unused_position.it(),
            interim: interim_due.it(),
            pot: pot.it(),
        });
    }
    trail.push(Figure {
        voce: "risultato_da_ripartire".into(),
        description: "Retribuzione di risultato da ripartire tra i dirigenti".into(),
        value: pot.into(),
        formula: format!(
            "{} + {} + {} − {} = {}",
            pots.result_share, pots.carryovers, unused_position, interim_due, pot
        ),
        terms: vec![
            Term::figure("Quota di risultato", pots.result_share, 1, "risultato"),
            Term::figure("Riporti", pots.carryovers, 1, "riporti"),
            Term::figure(
                "Posizione non utilizzata",
                unused_position,
                1,
                "posizione_non_utilizzata",
            ),
            Term::figure("Interim spettanti", interim_due, -1, "interim:*"),
        ],
        sources: vec![SRC_RESULT.into(), SRC_INTERIM.into()],
        roundings: Vec::new(),
    });

    let pot_figures = std::mem::take(&mut trail);

    // 4. The split.
    let mut economie = Economie::default();
    let weight = |r: &Row, with_c: bool| -> Option<Decimal> {
        let w = r.base.checked_mul(Decimal::from(r.service.units))?;
        if with_c {
            w.checked_mul(r.coefficient)
        } else {
            Some(w)
        }
    };
    let with_c = rules.model == Model::Full;
    // The only error, an overflow, names no one: the same whatever the threads.
    let claims = in_order(rows.len(), |k| {
        let r = &rows[k];
        match rules.model {
            Model::Full if !r.eligible => Ok(Decimal::ZERO),
            _ => ov(weight(r, with_c)),
        }
    })?;
    let total_weight = claims
        .iter()
        .try_fold(Decimal::ZERO, |a, c| a.checked_add(*c));
    let total_weight = ov(total_weight)?;
    let anyone_eligible = rows.iter().any(|r| r.eligible);
    if !anyone_eligible || total_weight.is_zero() {
        economie.undistributed = pot;
    } else {
        // Rows are in matricola order: the tie-break of the split.
        let shares = split(pot, &claims, |i| rows[i].input.matricola.to_string())?;
        for (m, s) in moved.iter_mut().zip(&shares) {
            *m += i64::from(s.extra);
        }
        // Each manager on its own, on all cores (the only error, an overflow, names no one).
        rows.par_iter_mut()
            .zip(&shares)
            .try_for_each(|(r, s)| -> Result<(), PayError> {
                let q = s.value;
                r.quota = q;
                r.result = match rules.model {
                    Model::Full => q,
                    Model::Quota if r.eligible => Money::from_exact(
                        ov(q.value().checked_mul(r.coefficient.min(Decimal::ONE)))?,
                        mode,
                    ),
                    Model::Quota => Money::ZERO,
                };
                r.current = r.result;
                Ok(())
            })?;
        if rules.model == Model::Quota {
            for r in &rows {
                let gap = sub(r.quota, r.result)?;
                if r.eligible {
                    economie.quota_reductions = add(economie.quota_reductions, gap)?;
                } else {
                    economie.ineligible_quotas = add(economie.ineligible_quotas, gap)?;
                }
            }
        }
    }
    // 5. Art. 30 (from the result pay of step 4, already in `current`).
    let art30 = art30(&mut rows, rules, &mut moved)?;

    // 6. Fees, and the per-manager figures.
    let fee_percent = match rules.fees {
        FeeCorrelation::None => None,
        FeeCorrelation::Reduce { percent } => Some(percent),
    };
    let interim_by: BTreeMap<&str, Money> =
        interim_pays
            .iter()
            .try_fold(BTreeMap::new(), |mut acc, p| {
                let e = acc.entry(&*p.matricola).or_insert(Money::ZERO);
                *e = add(*e, p.paid)?;
                Ok::<_, PayError>(acc)
            })?;
    // Each manager on its own, on all cores; gathered in matricola order, first error first.
    let built = in_order::<_, PayError>(rows.len(), |k| {
        let r = &rows[k];
        let m = r.input;
        let fee_reduction = match fee_percent {
            Some(p) if r.current.value() > Decimal::ZERO => {
                let x = Money::from_exact(
                    ov(m.fees
                        .value()
                        .checked_mul(p)
                        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)))?,
                    mode,
                );
                x.min(r.current)
            }
            _ => Money::ZERO,
        };
        let supplement = sub(r.current, r.result)?;
        let result_paid = sub(r.current, fee_reduction)?;
        let interim = interim_by
            .get(&*m.matricola)
            .copied()
            .unwrap_or(Money::ZERO);
        let total = add(add(r.position_paid, result_paid)?, interim)?;
        Ok(ManagerPay {
            matricola: m.matricola.clone(),
            name: m.name.clone(),
            post: m.post.clone(),
            days: r.service.days,
            service_fraction: r.service.fraction(),
            position_paid: r.position_paid,
            score: r.score,
            eligible: r.eligible,
            coefficient: r.coefficient,
            base_weight: r.base,
            quota: r.quota,
            result_pay: r.result,
            art30_supplement: supplement,
            art30_top: r.top,
            result_after_art30: r.current,
            interim,
            fees: m.fees,
            fee_reduction,
            result_paid,
            total,
            yearly_position_pay: m.yearly_position_pay,
            service_units: r.service.units,
            service_per_year: r.service.per_year,
        })
    })?;
    let out = built;
    // One pass over the rows (hundreds of bytes each in a large ente).
    let mut result_paid = Money::ZERO;
    for pay in &out {
        economie.fee_reductions = add(economie.fee_reductions, pay.fee_reduction)?;
        result_paid = add(result_paid, pay.result_paid)?;
    }

    // 7. Reconciliation.
    economie.interim_unpaid = interim_unpaid;
    economie.total = sum([
        economie.quota_reductions,
        economie.ineligible_quotas,
        economie.undistributed,
        economie.fee_reductions,
        economie.interim_unpaid,
    ])?;
    let fund = add(pots.position_share, pots.result_share)?;
    let carried_residual = Money::ZERO;
    let left = add(fund, pots.carryovers)?;
    let right = sum([
        position_paid,
        result_paid,
        interim_paid,
        carried_residual,
        economie.total,
    ])?;
    if left != right {
        return Err(PayError::Reconciliation {
            left: left.it(),
            right: right.it(),
        });
    }
    trail.push(Figure::sum(
        "economie",
        "Economie (somme non erogate per la valutazione o per i compensi ex lege)",
        economie.total,
        vec![
            Term::figure(
                "Riduzioni della quota teorica",
                economie.quota_reductions,
                1,
                "risultato:*",
            ),
            Term::figure(
                "Quote dei dirigenti sotto la soglia",
                economie.ineligible_quotas,
                1,
                "risultato:*",
            ),
            Term::figure(
                "Risultato non ripartito",
                economie.undistributed,
                1,
                "risultato_da_ripartire",
            ),
            Term::figure(
                "Riduzioni per compensi ex lege",
                economie.fee_reductions,
                1,
                "riduzione_compensi:*",
            ),
            Term::figure(
                "Interim non erogati",
                economie.interim_unpaid,
                1,
                "interim:*",
            ),
        ],
        &["ARAN AFL 37"],
    ));
    trail.push(Figure {
        voce: "quadratura_compensi".into(),
        description: "Quadratura: fondo + riporti = posizione + risultato + interim + residuo riportato + economie".into(),
        value: left.into(),
        formula: format!(
            "{} + {} = {} + {} + {} + {} + {} = {}",
            fund,
            pots.carryovers,
            position_paid,
            result_paid,
            interim_paid,
            carried_residual,
            economie.total,
            right
        ),
        terms: Vec::new(),
        sources: vec!["Circolare RGS 25/2012".into()],
        roundings: Vec::new(),
    });

    let cents_moved = moved
        .iter()
        .enumerate()
        .filter(|(_, c)| **c != 0)
        .map(|(k, c)| (out[k].matricola.to_string(), *c))
        .collect();
    Ok(PayResult {
        managers: out,
        interims: interim_pays,
        art30,
        reconciliation: Reconciliation {
            fund,
            carryovers: pots.carryovers,
            position_paid,
            result_paid,
            interim: interim_paid,
            carried_residual,
            economie: economie.total,
            economie_detail: economie,
            unused_position,
            result_pot: pot,
        },
        cents_moved,
        trail: PayTrail::new(
            pot_figures,
            trail,
            Context {
                threshold: rules.threshold,
                coefficient: rules.coefficient.describe(),
                model: rules.model,
                rounding: mode,
                fee_percent,
                pot,
            },
        ),
    })
}

/// Art. 30 c.2-4: raises the top managers to (1 + percent/100) × average, taking the
/// difference proportionally from all the others, until stable.
fn art30(rows: &mut [Row], rules: &PayRules, moved: &mut [i64]) -> Result<Art30Outcome, PayError> {
    // The rounds go over every manager several times: on compact columns, not on the rows.
    let scores: Vec<Decimal> = rows.iter().map(|r| r.score).collect();
    let mut current: Vec<Money> = rows.iter().map(|r| r.current).collect();
    let mut top = vec![false; rows.len()];
    let eligible: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].eligible).collect();
    let names = |i: usize| rows[i].input.matricola.to_string();
    let out = differentiate(
        &scores,
        &eligible,
        &mut current,
        &mut top,
        rules,
        moved,
        names,
    );
    for ((r, c), t) in rows.iter_mut().zip(current).zip(top) {
        r.current = c;
        r.top = t;
    }
    out
}

/// [`art30`] on the columns of the rows (in matricola order): scores, the eligible rows,
/// the current result pay (raised or reduced here) and the top flags (set here).
fn differentiate(
    scores: &[Decimal],
    eligible: &[usize],
    current: &mut [Money],
    top: &mut [bool],
    rules: &PayRules,
    moved: &mut [i64],
    matricola: impl Fn(usize) -> String,
) -> Result<Art30Outcome, PayError> {
    let a = &rules.art30;
    let mut out = Art30Outcome::default();
    let n_rows = current.len();
    if a.quota.is_zero() {
        out.note = Some("quota art. 30 pari a zero".into());
        return Ok(out);
    }
    if eligible.len() < 2 {
        out.note =
            Some("meno di due dirigenti valutati positivamente: nessuna differenziazione".into());
        return Ok(out);
    }
    let n = Decimal::from(eligible.len());
    let raw = ov(a
        .quota
        .checked_mul(n)
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
    let count = usize::try_from(rounded.mantissa() / 10i128.pow(rounded.scale()))
        .unwrap_or(0)
        .clamp(1, eligible.len() - 1);
    out.quota_count = count;
    // Highest score first, then matricola (rows are in matricola order). Only the first
    // `count + 1` and those tied with the cut-off matter: selected, then only they sorted.
    let ordered = Ordered::new(scores);
    let order = |x: &usize, y: &usize| ordered.cmp(*y, *x).then(x.cmp(y));
    let mut ranked = eligible.to_vec();
    ranked.select_nth_unstable_by(count, order);
    let cut = ranked[..count]
        .iter()
        .map(|&i| scores[i])
        .min()
        .unwrap_or_default();
    let tie = scores[ranked[count]] == cut;
    let mut ranked: Vec<usize> = eligible
        .iter()
        .copied()
        .filter(|&i| scores[i] >= cut)
        .collect();
    ranked.sort_by(order);
    for &i in &ranked {
        if scores[i] > cut || (!tie && scores[i] == cut) {
            top[i] = true;
            out.top.push(matricola(i));
        } else if tie && scores[i] == cut {
            out.tied_out.push(matricola(i));
        }
    }
    out.top.sort();
    if out.top.is_empty() {
        out.note = Some(format!(
            "dirigenti a pari punteggio {} al limite della quota: esclusi tutti, nessuno è tra i più valutati",
            num(cut)
        ));
        return Ok(out);
    }
    let factor = ov(Decimal::ONE_HUNDRED
        .checked_add(a.percent)
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)))?;
    let mut raised = vec![false; n_rows];
    let limit = 2 * n_rows + 2;
    loop {
        let base: Vec<usize> = match a.average {
            Average::AllPaid => (0..n_rows).filter(|&i| current[i].is_positive()).collect(),
            Average::AllEligible => eligible.to_vec(),
        };
        let total = sum(base.iter().map(|&i| current[i]))?;
        if base.is_empty() || total.value().is_zero() {
            out.note = Some("nessuna retribuzione di risultato da differenziare".into());
            return Ok(out);
        }
        let avg = ov(total.value().checked_div(Decimal::from(base.len())))?;
        let minimum = ceil_cent(ov(avg.checked_mul(factor))?)?;
        out.average = avg;
        out.minimum = minimum;
        out.applied = true;
        let below: Vec<usize> = (0..n_rows)
            .filter(|&i| top[i] && current[i] < minimum)
            .collect();
        if below.is_empty() {
            return Ok(out);
        }
        out.rounds += 1;
        if out.rounds > limit {
            return Err(PayError::Overflow);
        }
        for &i in &below {
            raised[i] = true;
        }
        // Raised managers all go to the minimum (the ones raised earlier may need more).
        let mut needed = Money::ZERO;
        for (i, c) in current.iter().enumerate() {
            if raised[i] {
                needed = add(needed, sub(minimum, *c)?)?;
            }
        }
        let givers: Vec<usize> = (0..n_rows)
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
        let shares = split(sub(available, needed)?, &claims, |k| matricola(givers[k]))?;
        for (&i, s) in givers.iter().zip(&shares) {
            moved[i] += i64::from(s.extra);
            current[i] = s.value;
        }
        for (i, c) in current.iter_mut().enumerate() {
            if raised[i] {
                *c = minimum;
            }
        }
    }
}
