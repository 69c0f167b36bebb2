//! The fund computation (*costituzione e utilizzo del fondo*): stable + variable − cuts, the
//! split between position and result pay, carry-overs, totals, displayed percentages and the
//! 2016 cap; every figure with the trail of how it was made. The previous year's certified
//! figures and the carry-over they propose are in [`previous`].

pub mod previous;

use rust_decimal::Decimal;

use crate::alloc::{percent_column, PercentColumn};
use crate::money::{round, Money, Percent, Rounding};
use crate::national::Voce;
use crate::rules::{Cap2016, ChapterUse, FundItem, IncrementBasis, Nature, Rules, ShareSpec};
use crate::trail::{Figure, Term, Trail};

/// The 2016 cap check (*verifica del limite 2016*, d.lgs. 75/2017 art. 23 c.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapCheck {
    pub limit: Money,
    /// This fund's items subject to the cap, net of the cuts subject to it.
    pub this_fund: Money,
    pub other_funds: Money,
    pub total: Money,
    /// limit − total: positive is headroom (*margine*), negative an excess (*superamento*).
    pub headroom: Money,
}

/// The computed fund of one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundResult {
    pub stable: Money,
    pub variable: Money,
    pub cuts: Money,
    /// The certified fund: stable + variable − cuts.
    pub fund: Money,
    pub position: Money,
    pub result: Money,
    /// Displayed percentages of position and result pay over the fund.
    pub percentages: PercentColumn,
    /// Each carry-over's amount, in rules-file order.
    pub carryovers: Vec<Money>,
    pub carryover_total: Money,
    /// Result pay plus carry-overs.
    pub result_total: Money,
    /// Fund plus carry-overs.
    pub grand_total: Money,
    pub cap: Option<CapCheck>,
    /// The carry-over the previous year's certified economie propose (`--precedente`).
    pub carry_proposal: Option<previous::CarryProposal>,
    pub trail: Trail,
}

impl FundResult {
    pub fn position_percent(&self) -> Percent {
        self.percentages.values[0]
    }

    pub fn result_percent(&self) -> Percent {
        self.percentages.values[1]
    }
}

/// Why the fund could not be computed (only on amounts beyond any real budget).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FundError {
    #[error("calcolo impossibile: importi troppo grandi")]
    Overflow,
}

fn add(a: Money, b: Money) -> Result<Money, FundError> {
    a.checked_add(b).ok_or(FundError::Overflow)
}

fn sub(a: Money, b: Money) -> Result<Money, FundError> {
    a.checked_sub(b).ok_or(FundError::Overflow)
}

fn sum(items: impl IntoIterator<Item = Money>) -> Result<Money, FundError> {
    Money::checked_sum(items).ok_or(FundError::Overflow)
}

/// The items as terms of a sum: a contract increment names its own figure
/// (`voce:incremento:<code>`), the others their line of the rules file.
fn item_terms<'a>(items: impl IntoIterator<Item = &'a FundItem>, sign: i8) -> Vec<Term> {
    items
        .into_iter()
        .map(|i| Term {
            description: i.description.clone().into(),
            value: i.amount,
            sign,
            origin: match i.increment {
                Some(_) => format!("voce:{}", increment_voce(i)),
                None => i.origin.to_string(),
            },
            source: Some(i.source.clone().into()),
        })
        .collect()
}

/// The trail's voce of a contract increment: `incremento:<code>` (`spiega <code>` finds it).
fn increment_voce(i: &FundItem) -> String {
    format!("incremento:{}", i.code)
}

/// Each contract increment of the resources (*incremento contrattuale*): the declared pay
/// bill × the contract's percentage, or the amount per post × the posts, rounded once with
/// the rules' rounding.
fn increments(rules: &Rules, trail: &mut Trail) -> Result<(), FundError> {
    for i in &rules.resources {
        let Some(basis) = &i.increment else {
            continue;
        };
        let exact = basis.exact().ok_or(FundError::Overflow)?;
        let amount = Money::from_exact(exact, rules.rounding);
        let shown = crate::money::format_it(exact.normalize(), 2);
        let (product, term) = increment_term(i, basis);
        let rounded = exact != amount.value();
        let (formula, roundings) = if rounded {
            (
                format!("{product} = {shown} → {amount}"),
                vec![format!("{shown} → {amount} ({})", rules.rounding.describe()).into()],
            )
        } else {
            (format!("{product} = {shown}"), Vec::new())
        };
        trail.push(Figure {
            voce: increment_voce(i),
            description: i.description.clone(),
            value: amount.into(),
            formula,
            terms: vec![term],
            sources: vec![i.source.clone().into()],
            roundings,
        });
    }
    Ok(())
}

/// An increment's product in words (`monte salari 2018 1.234.567,89 × 2,01%`) and its one
/// input term: the declared pay bill, or the contract's amount per post.
fn increment_term(i: &FundItem, basis: &IncrementBasis) -> (String, Term) {
    match basis {
        IncrementBasis::PayBill {
            year,
            pay_bill,
            percent,
            source,
        } => (
            format!(
                "monte salari {year} {pay_bill} × {}%",
                crate::money::format_it(percent.normalize(), 0)
            ),
            Term {
                description: format!("Monte salari {year} dichiarato").into(),
                value: *pay_bill,
                sign: 1,
                origin: i.origin.to_string(),
                source: Some(source.clone().into()),
            },
        ),
        IncrementBasis::PerPost { per_post, posts } => (
            format!("{per_post} per posto × {posts} posti"),
            Term {
                description: "Importo per posto di funzione".into(),
                value: *per_post,
                sign: 1,
                origin: i.origin.to_string(),
                source: Some(i.source.clone().into()),
            },
        ),
    }
}

/// Computes the fund from validated rules: its constitution, the split, the displayed
/// percentages, the carry-overs and the 2016 cap, each figure in the trail. Pure: no IO.
pub fn compute(rules: &Rules) -> Result<FundResult, FundError> {
    let mut trail = Trail::default();
    let c = constitution(rules, &mut trail)?;
    let (position, result) = split(rules, c.fund, &mut trail)?;
    let percentages = percentages(rules, c.fund, position, result, &mut trail)?;
    let carried = carryovers(rules, c.fund, result, &mut trail)?;
    let cap = match &rules.cap2016 {
        None => None,
        Some(cap) => Some(cap_check(rules, cap, &mut trail)?),
    };
    Ok(FundResult {
        stable: c.stable,
        variable: c.variable,
        cuts: c.cuts,
        fund: c.fund,
        position,
        result,
        percentages,
        carryovers: carried.each,
        carryover_total: carried.total,
        result_total: carried.result_total,
        grand_total: carried.grand_total,
        cap,
        carry_proposal: None,
        trail,
    })
}

/// The fund's constitution (*costituzione*): its stable and variable resources and cuts.
struct Constitution {
    stable: Money,
    variable: Money,
    cuts: Money,
    /// stable + variable − cuts.
    fund: Money,
}

/// Stable + variable − cuts, each sum a figure of the trail, after the computation of each
/// contract increment.
fn constitution(rules: &Rules, trail: &mut Trail) -> Result<Constitution, FundError> {
    increments(rules, trail)?;
    let of = |n: Nature| rules.resources.iter().filter(move |i| i.nature == n);
    let stable = sum(of(Nature::Stable).map(|i| i.amount))?;
    trail.push(Figure::sum(
        "risorse_stabili",
        "Risorse stabili",
        stable,
        item_terms(of(Nature::Stable), 1),
        &[rules.national.cite(Voce::Risorse)],
    ));
    let variable = sum(of(Nature::Variable).map(|i| i.amount))?;
    trail.push(Figure::sum(
        "risorse_variabili",
        "Risorse variabili",
        variable,
        item_terms(of(Nature::Variable), 1),
        &[rules.national.cite(Voce::Risorse)],
    ));
    let cuts = sum(rules.cuts.iter().map(|i| i.amount))?;
    trail.push(Figure::sum(
        "decurtazioni",
        "Decurtazioni",
        cuts,
        item_terms(&rules.cuts, 1),
        &[rules.national.cite(Voce::Decurtazioni)],
    ));
    let fund = sub(add(stable, variable)?, cuts)?;
    trail.push(Figure {
        voce: "fondo".into(),
        description: "Fondo certificato (risorse stabili + risorse variabili − decurtazioni)"
            .into(),
        value: fund.into(),
        formula: format!("{} + {} − {} = {}", stable, variable, cuts, fund),
        terms: vec![
            Term::figure("Risorse stabili", stable, 1, "risorse_stabili"),
            Term::figure("Risorse variabili", variable, 1, "risorse_variabili"),
            Term::figure("Decurtazioni", cuts, -1, "decurtazioni"),
        ],
        sources: vec![rules.national.cite(Voce::Costituzione).to_string().into()],
        roundings: Vec::new(),
    });
    Ok(Constitution {
        stable,
        variable,
        cuts,
        fund,
    })
}

/// The displayed percentages of position and result pay over the fund (*% distribuzione*),
/// adding to 100,00.
fn percentages(
    rules: &Rules,
    fund: Money,
    position: Money,
    result: Money,
    trail: &mut Trail,
) -> Result<PercentColumn, FundError> {
    let rounding = rules.national.cite(Voce::Arrotondamento);
    let percentages = percent_column(&[position, result], fund).map_err(|_| FundError::Overflow)?;
    let pct_formula = |part: Money, p: Percent| {
        let exact = part
            .value()
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|x| x.checked_div(fund.value()))
            .unwrap_or_default();
        format!(
            "100 × {} / {} = {}…% → {}% (metà per eccesso a due decimali{})",
            part,
            fund,
            crate::money::format_it(round(exact, 7, Rounding::Down).normalize(), 0),
            p.it(2),
            if percentages.adjusted {
                "; colonna riportata a 100,00 con il metodo del resto maggiore"
            } else {
                ""
            }
        )
    };
    trail.push(Figure::display(
        "percentuale_posizione",
        "% distribuzione della retribuzione di posizione (valore di sola esposizione)",
        percentages.values[0],
        pct_formula(position, percentages.values[0]),
        rounding,
    ));
    trail.push(Figure::display(
        "percentuale_risultato",
        "% distribuzione della retribuzione di risultato (valore di sola esposizione)",
        percentages.values[1],
        pct_formula(result, percentages.values[1]),
        rounding,
    ));
    Ok(percentages)
}

/// The carry-overs from earlier years (*riporti*) and the totals with them.
struct Carried {
    /// Each carry-over's amount, in rules-file order.
    each: Vec<Money>,
    total: Money,
    /// Result pay plus carry-overs.
    result_total: Money,
    /// Fund plus carry-overs.
    grand_total: Money,
}

/// The carry-overs, outside the certified fund, added to result pay and to the fund.
fn carryovers(
    rules: &Rules,
    fund: Money,
    result: Money,
    trail: &mut Trail,
) -> Result<Carried, FundError> {
    let each: Vec<Money> = rules.carryovers.iter().map(|c| c.amount).collect();
    let total = sum(each.iter().copied())?;
    trail.push(Figure::sum(
        "riporti",
        "Riporti da anni precedenti (fuori dal fondo certificato)",
        total,
        rules
            .carryovers
            .iter()
            .map(|c| Term {
                description: format!("{} (anno {})", c.description, c.year).into(),
                value: c.amount,
                sign: 1,
                origin: c.origin.to_string(),
                source: Some(c.source.clone().into()),
            })
            .collect(),
        &[rules.national.cite(Voce::Riporti)],
    ));
    let result_total = add(result, total)?;
    trail.push(Figure {
        voce: "risultato_totale".into(),
        description: "Retribuzione di risultato con i riporti".into(),
        value: result_total.into(),
        formula: format!("{} + {} = {}", result, total, result_total),
        terms: vec![
            Term::figure("Retribuzione di risultato", result, 1, "risultato"),
            Term::figure("Riporti", total, 1, "riporti"),
        ],
        sources: vec![rules.national.cite(Voce::Riporti).to_string().into()],
        roundings: Vec::new(),
    });
    let grand_total = add(fund, total)?;
    trail.push(Figure {
        voce: "totale".into(),
        description: "Totale delle risorse da utilizzare (fondo + riporti)".into(),
        value: grand_total.into(),
        formula: format!("{} + {} = {}", fund, total, grand_total),
        terms: vec![
            Term::figure("Fondo certificato", fund, 1, "fondo"),
            Term::figure("Riporti", total, 1, "riporti"),
        ],
        sources: Vec::new(),
        roundings: Vec::new(),
    });
    Ok(Carried {
        each,
        total,
        result_total,
        grand_total,
    })
}

/// Adds the carry-over the previous year proposes, and its figure, to a computed fund.
pub fn with_previous(f: &mut FundResult, rules: &Rules, prev: &previous::Previous) {
    if let Some((p, figure)) = previous::proposal(prev, rules) {
        f.trail.push(figure);
        f.carry_proposal = Some(p);
    }
}

/// The 2016 cap: this fund's items subject to it, net of the cuts subject to it, plus the
/// ente's other funds, against the limit.
fn cap_check(rules: &Rules, c: &Cap2016, trail: &mut Trail) -> Result<CapCheck, FundError> {
    let subject = |items: &[FundItem]| {
        let subject = items.iter().filter(|i| i.subject_to_cap);
        sum(subject.map(|i| i.amount))
    };
    let this_fund = sub(subject(&rules.resources)?, subject(&rules.cuts)?)?;
    let other_funds = sum(c.other_funds.iter().map(|f| f.amount))?;
    let total = add(this_fund, other_funds)?;
    let headroom = sub(c.limit, total)?;
    let mut terms = item_terms(rules.resources.iter().filter(|i| i.subject_to_cap), 1);
    terms.extend(item_terms(
        rules.cuts.iter().filter(|i| i.subject_to_cap),
        -1,
    ));
    terms.extend(c.other_funds.iter().map(|f| Term {
        description: f.description.clone().into(),
        value: f.amount,
        sign: 1,
        origin: f.origin.to_string(),
        source: Some(f.source.clone().into()),
    }));
    trail.push(Figure {
        voce: "limite_2016".into(),
        description: if headroom.is_negative() {
            "Superamento del limite 2016 (limite − risorse soggette al limite, negativo)".into()
        } else {
            "Margine rispetto al limite 2016 (limite − risorse soggette al limite)".into()
        },
        value: headroom.into(),
        formula: format!(
            "{} − ({} + {}) = {}",
            c.limit, this_fund, other_funds, headroom
        ),
        terms,
        sources: vec![
            rules.national.cite(Voce::Limite2016).to_string().into(),
            c.source.clone().into(),
        ],
        roundings: Vec::new(),
    });
    Ok(CapCheck {
        limit: c.limit,
        this_fund,
        other_funds,
        total,
        headroom,
    })
}

/// The split: an amount is taken as written; a percentage is applied to the fund and rounded
/// once with the declared rounding; the other share is always the rest, so the sum is exact.
fn split(rules: &Rules, fund: Money, trail: &mut Trail) -> Result<(Money, Money), FundError> {
    let sr = &rules.split;
    let origin = sr.origin.to_string();
    let mut roundings = Vec::new();
    let mut amount_of = |spec: ShareSpec, label: &str| {
        share_amount(rules, fund, spec, label, &origin, &mut roundings)
    };
    // The position share is computed first unless it is the rest.
    let (position, result, pos_formula, res_formula) = match (sr.position, sr.result) {
        (ShareSpec::Rest, r) => {
            let (res, f) = amount_of(r, "risultato")?.ok_or(FundError::Overflow)?;
            let pos = sub(fund, res)?;
            (pos, res, format!("{} − {} (resto)", fund, res), f)
        }
        (p, _) => {
            let (pos, f) = amount_of(p, "posizione")?.ok_or(FundError::Overflow)?;
            let res = sub(fund, pos)?;
            let rf = match sr.result {
                ShareSpec::Amount(_) => format!(
                    "importo indicato nel CCDI ({origin}), pari a {} − {}",
                    fund, pos
                ),
                _ => format!("{} − {} (resto)", fund, pos),
            };
            (pos, res, f, rf)
        }
    };
    let source: Vec<String> = vec![
        sr.source.clone(),
        rules.national.cite(Voce::Ripartizione).to_string(),
    ];
    let figure = |voce: &str, what: &str, value: Money, formula: String, terms: Vec<Term>| Figure {
        voce: voce.to_string(),
        description: format!("Retribuzione di {what} dei dirigenti {}", rules.year),
        value: value.into(),
        formula,
        terms,
        sources: source.iter().cloned().map(Into::into).collect(),
        roundings: roundings.iter().cloned().map(Into::into).collect(),
    };
    let of_fund = || Term::figure("Fondo certificato", fund, 1, "fondo");
    trail.push(figure(
        "posizione",
        "posizione",
        position,
        pos_formula,
        vec![of_fund()],
    ));
    trail.push(figure(
        "risultato",
        "risultato",
        result,
        res_formula,
        vec![
            of_fund(),
            Term::figure("Retribuzione di posizione", position, -1, "posizione"),
        ],
    ));
    Ok((position, result))
}

/// One share as declared: an amount as written, or a percentage of the fund rounded once
/// (the rounding recorded); `None` for the rest. With the formula of the trail.
fn share_amount(
    rules: &Rules,
    fund: Money,
    spec: ShareSpec,
    label: &str,
    origin: &str,
    roundings: &mut Vec<String>,
) -> Result<Option<(Money, String)>, FundError> {
    Ok(match spec {
        ShareSpec::Amount(a) => Some((a, format!("importo indicato nel CCDI ({origin})"))),
        ShareSpec::Percent(p) => {
            let exact = fund
                .value()
                .checked_mul(p.value())
                .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
                .ok_or(FundError::Overflow)?;
            let m = Money::from_exact(exact, rules.rounding);
            roundings.push(format!(
                "{label}: {} × {}% = {} → {} ({})",
                fund,
                p.it(2),
                crate::money::format_it(exact.normalize(), 2),
                m,
                rules.rounding.describe()
            ));
            Some((m, format!("{} × {}%", fund, p.it(2))))
        }
        ShareSpec::Rest => None,
    })
}

/// The budget coverage per use: (use, needed, appropriated), when chapters are declared.
pub fn coverage_by_use(rules: &Rules, f: &FundResult) -> Vec<(ChapterUse, Money, Money)> {
    let Some(c) = &rules.coverage else {
        return Vec::new();
    };
    if c.chapters.is_empty() {
        return Vec::new();
    }
    let base = f.grand_total;
    let charge = |rate: Decimal| {
        Money::from_exact(base.value() * rate / Decimal::ONE_HUNDRED, rules.rounding)
    };
    [
        (ChapterUse::Fund, base),
        (
            ChapterUse::Contributions,
            charge(c.contributions_rate.value()),
        ),
        (ChapterUse::Irap, charge(c.irap_rate.value())),
    ]
    .into_iter()
    .map(|(u, need)| {
        (
            u,
            need,
            Money::checked_sum(
                c.chapters
                    .iter()
                    .filter(|ch| ch.use_ == u)
                    .map(|ch| ch.amount),
            )
            .unwrap_or(Money::ZERO),
        )
    })
    .collect()
}
