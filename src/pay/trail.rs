//! The trail of individual pay (*traccia dei compensi*): the figures of the pots, the interim
//! supplements and the reconciliation are kept as made; each manager's figures (position,
//! result, art. 30, fee reduction, total) are written when a renderer or `spiega` asks, from
//! the figures kept in [`ManagerPay`], so that a large ente keeps no formatted text per
//! manager. The same text as if it had been written during the computation.

use super::model::{Art30Outcome, Context, ManagerPay, PayResult};
use rust_decimal::Decimal;

use super::rules::{num, Art30Model, Model, ResultQuota, RoundingSteps, ServiceFraction};
use crate::alloc::TIE_BREAK_RULE;
use crate::money::{format_it, round, Money, Rounding};
use crate::trail::{Figure, Term, Text};

impl PayResult {
    /// Every pay figure in the order of the computation: the managers' position pay, the
    /// pots and interim supplements, each manager's result, art. 30, fee reduction, result
    /// paid, total and amount to pay, then economie and the reconciliation.
    pub fn figures(&self) -> impl Iterator<Item = Figure> + '_ {
        let positions = (0..self.managers.len()).map(|k| self.position_figure(k));
        let rest = (0..self.managers.len()).flat_map(|k| self.manager_figures(k));
        positions
            .chain(self.trail.pots.iter().cloned())
            .chain(rest)
            .chain(self.trail.closing.iter().cloned())
    }

    /// The figures whose voce is `voce`, or, when none is, every figure of the matricola
    /// `voce` (`risultato:D001`, `totale:D001`, `interim:D001:...`).
    pub fn figures_named(&self, voce: &str) -> Vec<Figure> {
        let of = |k: usize| {
            let mut all = vec![self.position_figure(k)];
            all.extend(self.manager_figures(k));
            all
        };
        let kept = || self.trail.pots.iter().chain(&self.trail.closing);
        let by_matricola = |m: &str| self.managers.binary_search_by(|p| (*p.matricola).cmp(m));
        // A manager's voce names its matricola after the first `:`.
        let exact: Vec<Figure> = match voce.split_once(':') {
            Some((_, m)) => match by_matricola(m) {
                Ok(k) => of(k).into_iter().filter(|f| f.voce == voce).collect(),
                Err(_) => Vec::new(),
            },
            None => Vec::new(),
        };
        let exact: Vec<Figure> = exact
            .into_iter()
            .chain(kept().filter(|f| f.voce == voce).cloned())
            .collect();
        if !exact.is_empty() {
            return self.in_order(exact);
        }
        let mut named: Vec<Figure> = match by_matricola(voce) {
            Ok(k) => of(k),
            Err(_) => Vec::new(),
        };
        named.extend(
            kept()
                .filter(|f| f.voce.split(':').nth(1) == Some(voce))
                .cloned(),
        );
        self.in_order(named)
    }

    /// Figures found by name, in the order of [`PayResult::figures`].
    fn in_order(&self, mut found: Vec<Figure>) -> Vec<Figure> {
        let rank = |f: &Figure| -> u8 {
            if f.voce.starts_with("posizione:") {
                0
            } else if self.trail.pots.iter().any(|p| p.voce == f.voce) {
                1
            } else if self.trail.closing.iter().any(|p| p.voce == f.voce) {
                3
            } else {
                2
            }
        };
        found.sort_by_key(rank);
        found
    }

    /// A term read from the `k`-th manager's input row.
    fn row_term(&self, k: usize, description: &'static str, value: Money, source: &str) -> Term {
        Term {
            description: description.into(),
            value,
            sign: 1,
            origin: self.trail.rows[k].to_string(),
            source: Some(source.to_string().into()),
        }
    }

    /// The `k`-th manager's ex-lege fees, from the rows of the fees' file (the manager's own
    /// row when they are not known).
    fn fee_term(&self, k: usize) -> Term {
        let m = &self.managers[k];
        let sources = &self.trail.context.sources;
        let mut term = self.row_term(k, "Compensi ex lege", m.fees, &sources.fees);
        if let Some(rows) = self.trail.fee_rows.get(&*m.matricola) {
            term.origin = rows.clone();
        }
        term
    }

    /// The `k`-th manager's position pay figure.
    fn position_figure(&self, k: usize) -> Figure {
        let m = &self.managers[k];
        let ctx = &self.trail.context;
        Figure {
            voce: format!("posizione:{}", m.matricola),
            description: format!("Retribuzione di posizione di {} ({})", m.name, m.post),
            value: m.position_paid.into(),
            formula: format!(
                "{} × {}/{} = {}{}",
                m.yearly_position_pay,
                m.service_units,
                m.service_per_year,
                m.position_paid,
                service_note(ctx.service)
            ),
            terms: vec![self.row_term(
                k,
                "Retribuzione di posizione annua (pesatura)",
                m.yearly_position_pay,
                &ctx.sources.position,
            )],
            sources: vec![ctx.sources.position.clone().into()],
            roundings: vec![position_rounding(ctx)],
        }
    }

    /// The `k`-th manager's result, art. 30 (when it moved money), fee reduction (when
    /// there was one), result paid, total and amount to pay figures.
    fn manager_figures(&self, k: usize) -> Vec<Figure> {
        let m = &self.managers[k];
        let ctx = &self.trail.context;
        let mut figures = Vec::with_capacity(4);
        figures.push(result_figure(m, ctx));
        if !m.art30_supplement.value().is_zero() {
            figures.push(match self.art30.model {
                Art30Model::Floor => art30_figure(m, ctx),
                Art30Model::Supplement => supplement_figure(m, ctx, &self.art30),
            });
        }
        if !m.reduction.value().is_zero() {
            figures.push(self.reduction_figure(k));
        }
        if !m.fee_reduction.value().is_zero() {
            figures.push(self.fee_figure(k));
        }
        figures.push(result_paid_figure(m, ctx));
        if !m.other_ente.total.value().is_zero() {
            figures.push(other_ente_figure(m, ctx));
        }
        figures.push(with_new_terms(total_figure(m, ctx), m));
        figures.push(with_new_terms(payout_figure(m, ctx), m));
        figures
    }

    /// The `k`-th manager's declared cut of result pay (`riduzioni.csv`): its percentage of
    /// the result after art. 30, rounded once, with the rows' reasons and sources.
    fn reduction_figure(&self, k: usize) -> Figure {
        let m = &self.managers[k];
        let ctx = &self.trail.context;
        let rows = self.trail.reduction_rows.get(&*m.matricola);
        let reasons = rows.map_or(String::new(), |r| r.reasons.join("; "));
        let mut sources: Vec<Text> = rows
            .map(|r| r.sources.iter().map(|s| s.clone().into()).collect())
            .unwrap_or_default();
        sources.dedup();
        Figure {
            voce: format!("riduzione:{}", m.matricola),
            description: format!("Riduzione dichiarata del risultato di {} ({reasons})", m.name),
            value: m.reduction.into(),
            formula: format!(
                "{} × {}% = {}",
                m.result_after_art30,
                num(m.reduction_percent),
                m.reduction
            ),
            terms: vec![Term {
                description: format!(
                    "Risultato dopo la differenziazione, ridotto del {}% dichiarato in riduzioni.csv",
                    num(m.reduction_percent)
                )
                .into(),
                value: m.result_after_art30,
                sign: 1,
                origin: rows.map_or_else(|| self.trail.rows[k].to_string(), |r| r.rows.clone()),
                source: sources.first().cloned(),
            }],
            sources,
            roundings: vec![ctx.rounding.per_cent().into()],
        }
    }

    /// The `k`-th manager's reduction of result pay for ex-lege fees.
    fn fee_figure(&self, k: usize) -> Figure {
        let m = &self.managers[k];
        let ctx = &self.trail.context;
        Figure {
            voce: format!("riduzione_compensi:{}", m.matricola),
            description: format!("Riduzione per compensi ex lege di {}", m.name),
            value: m.fee_reduction.into(),
            formula: format!(
                "min({}; {} × {}%) = {}",
                // The result left after the declared cut, which comes first.
                m.result_after_art30
                    .checked_sub(m.reduction)
                    .unwrap_or(m.result_after_art30),
                m.fees,
                num(ctx.fee_percent.unwrap_or_default()),
                m.fee_reduction
            ),
            terms: vec![self.fee_term(k)],
            sources: vec![ctx.sources.fees.clone().into()],
            roundings: vec![ctx.rounding.per_cent().into()],
        }
    }
}

/// A manager's art. 30 movement: raised to the minimum, or reduced to finance it.
fn art30_figure(m: &ManagerPay, ctx: &Context) -> Figure {
    let why = if m.art30_top {
        "minimo per i più valutati"
    } else {
        "quota ricalcolata in proporzione per finanziare la maggiorazione"
    };
    Figure {
        voce: format!("art30:{}", m.matricola),
        description: format!(
            "Differenziazione della retribuzione di risultato per {}",
            m.name
        ),
        value: m.art30_supplement.into(),
        formula: format!(
            "{} − {} = {} ({why})",
            m.result_after_art30, m.result_pay, m.art30_supplement
        ),
        terms: vec![Term::figure(
            "Retribuzione di risultato prima della differenziazione",
            m.result_pay,
            1,
            &format!("risultato:{}", m.matricola),
        )],
        sources: vec![ctx.sources.art30.clone().into()],
        roundings: vec![TIE_BREAK_RULE.into()],
    }
}

/// A top manager's art. 30 supplement (`maggiorazione`): p% of the average on top of the
/// manager's own result pay, paid from the economie of the split, reduced in proportion when
/// they were not enough.
fn supplement_figure(m: &ManagerPay, ctx: &Context, a: &Art30Outcome) -> Figure {
    let average = format_it(round(a.average, 2, ctx.rounding), 2);
    let mut formula = format!(
        "{}% × media {average} = {}, arrotondata per eccesso al centesimo",
        num(a.percent),
        a.supplement
    );
    let reduced = a.supplements_paid < a.supplements_due;
    if reduced {
        formula.push_str(&format!(
            "; ridotta in proporzione perché le economie della ripartizione ({}) non bastano per tutte le maggiorazioni ({}): {}",
            a.economie_available, a.supplements_due, m.art30_supplement
        ));
    }
    Figure {
        voce: format!("art30:{}", m.matricola),
        description: format!(
            "Differenziazione della retribuzione di risultato per {}: maggiorazione in aggiunta al risultato, pagata con le economie della ripartizione",
            m.name
        ),
        value: m.art30_supplement.into(),
        formula,
        terms: vec![Term::figure(
            "Economie della ripartizione che la pagano (quote teoriche non erogate, prima delle maggiorazioni)",
            a.economie_available,
            1,
            "risultato:*",
        )],
        sources: vec![ctx.sources.art30.clone().into()],
        roundings: vec![if reduced {
            TIE_BREAK_RULE.into()
        } else {
            "per eccesso al centesimo, perché la maggiorazione sia almeno la percentuale dichiarata della media".into()
        }],
    }
}

/// A manager's total charged to the fund: position, result after art. 30 and fees, interim.
fn total_figure(m: &ManagerPay, ctx: &Context) -> Figure {
    let term = |description: &'static str, value: Money, sign: i8, voce: &str| {
        Term::figure(description, value, sign, &format!("{voce}:{}", m.matricola))
    };
    Figure {
        voce: format!("totale:{}", m.matricola),
        description: format!("Totale a carico del fondo per {}", m.name),
        value: m.total.into(),
        formula: format!(
            "{} + {} + {} − {} + {} = {}",
            m.position_paid, m.result_pay, m.art30_supplement, m.fee_reduction, m.interim, m.total
        ),
        // The terms of the formula, each the figure it names (the differentiation only where
        // it moved the manager's pay: only then is `art30:<m>` a figure).
        terms: [
            Some(term("Posizione", m.position_paid, 1, "posizione")),
            Some(term(
                "Risultato prima della differenziazione",
                m.result_pay,
                1,
                "risultato",
            )),
            art30_term(m),
            Some(term(
                "Riduzione per compensi",
                m.fee_reduction,
                -1,
                "riduzione_compensi",
            )),
            Some(Term::figure(
                "Interim",
                m.interim,
                1,
                &format!("interim:{}:*", m.matricola),
            )),
        ]
        .into_iter()
        .flatten()
        .collect(),
        sources: vec![
            ctx.sources.position.clone().into(),
            ctx.sources.result.clone().into(),
        ],
        roundings: Vec::new(),
    }
}

/// The differentiation's term of a manager's sum, where it moved the manager's pay (only then
/// is `art30:<m>` a figure): a raise added, a reduction that finances it subtracted.
fn art30_term(m: &ManagerPay) -> Option<Term> {
    if m.art30_supplement.value().is_zero() {
        return None;
    }
    let voce = format!("art30:{}", m.matricola);
    Some(match m.art30_supplement.is_negative() {
        true => Term::figure(
            "Differenziazione: riduzione che finanzia la maggiorazione",
            Money::ZERO
                .checked_sub(m.art30_supplement)
                .unwrap_or(Money::ZERO),
            -1,
            &voce,
        ),
        false => Term::figure(
            "Differenziazione: maggiorazione",
            m.art30_supplement,
            1,
            &voce,
        ),
    })
}

/// The service rule after the position formula, when not the default (calendar days over the
/// year's days, stated in the rules' summary).
fn service_note(how: ServiceFraction) -> String {
    match how {
        ServiceFraction::CalendarDays => String::new(),
        other => format!(" (servizio \"{}\": {})", other.key(), other.describe()),
    }
}

/// The rounding note of every position figure.
fn position_rounding(ctx: &Context) -> Text {
    format!("{} ({})", ctx.rounding.per_cent(), ctx.sources.rounding).into()
}

/// A manager's result pay before art. 30, with the score, coefficient, base and service.
fn result_figure(m: &ManagerPay, ctx: &Context) -> Figure {
    let head = format!(
        "punteggio {} (soglia {}), {}: {}; base {} × servizio {}/{}",
        num(m.score),
        num(ctx.threshold),
        ctx.coefficient,
        num(m.coefficient),
        num(m.base_weight),
        m.service_units,
        m.service_per_year
    );
    let formula = match (ctx.model, m.eligible) {
        (_, false) if m.service_units == 0 => format!(
            "{head}; nessun giorno di servizio contato nell'anno: nessuna retribuzione di risultato"
        ),
        (_, false) => format!("{head}; sotto la soglia: nessuna retribuzione di risultato"),
        (_, true) if ctx.quota.is_fixed() => fixed_formula(m, ctx),
        (Model::Full, true) => format!(
            "{head}; quota per b × t × c col metodo del resto maggiore = {}",
            m.result_pay
        ),
        (Model::Quota, true) if ctx.org_chart => format!("{head}; {}", org_chart_formula(m, ctx)),
        (Model::Quota, true) if ctx.rounding_steps == RoundingSteps::Once => {
            format!("{head}; {}", once_formula(m, ctx))
        }
        (Model::Quota, true) => format!(
            "{head}; quota teorica {} × min(1; {}) = {}",
            m.quota,
            num(m.coefficient),
            m.result_pay
        ),
    };
    Figure {
        voce: format!("risultato:{}", m.matricola),
        description: format!(
            "Retribuzione di risultato di {} prima della differenziazione",
            m.name
        ),
        value: m.result_pay.into(),
        formula,
        terms: vec![Term::figure(
            "Retribuzione di risultato da ripartire",
            ctx.pot,
            1,
            "risultato_da_ripartire",
        )],
        sources: vec![ctx.sources.result.clone().into()],
        roundings: result_roundings(m, ctx),
    }
}

/// The roundings of a manager's result: the split's and the cent's, or, rounded once (Model
/// B, `una_volta`), the one rounding at the end of the row.
fn result_roundings(m: &ManagerPay, ctx: &Context) -> Vec<Text> {
    if ctx.quota.is_fixed() {
        return vec![format!("arrotondata una volta, {}", ctx.rounding.per_cent()).into()];
    }
    if ctx.model == Model::Quota && ctx.rounding_steps == RoundingSteps::Once && m.eligible {
        return vec![format!(
            "arrotondamento_passaggi = \"una_volta\": {} una sola volta, alla fine della riga (quota teorica esatta, non arrotondata)",
            ctx.rounding.per_cent()
        )
        .into()];
    }
    vec![TIE_BREAK_RULE.into(), ctx.rounding.per_cent().into()]
}

/// Model B rounded once: the exact quota R × b × t / Σ b × t, × min(1, c), the one rounding,
/// and the quota as split to the cent (the one shown in the tables).
fn once_formula(m: &ManagerPay, ctx: &Context) -> String {
    let w = m
        .base_weight
        .checked_mul(Decimal::from(m.service_units))
        .unwrap_or_default();
    let pot = ctx.pot.value();
    let c = m.coefficient.min(Decimal::ONE);
    let numerator = |f: &[Decimal]| f.iter().try_fold(Decimal::ONE, |a, x| a.checked_mul(*x));
    let shown = |f: &[Decimal]| {
        numerator(f).map_or_else(|| "?".to_string(), |n| exact_shown(n, ctx.total_weight))
    };
    format!(
        "quota teorica esatta {} × {} × {} / {} (Σ base × servizio) = {}, non arrotondata; × min(1; {}) = {}, arrotondata una volta = {} (quota teorica ripartita al centesimo {})",
        ctx.pot,
        num(m.base_weight),
        m.service_units,
        num(ctx.total_weight),
        shown(&[pot, w]),
        num(m.coefficient),
        shown(&[pot, w, c]),
        m.result_pay,
        m.quota
    )
}

/// Model B over the organisation chart: the share of the post's quota for the service, then
/// × min(1, c), at each step or rounded once.
fn org_chart_formula(m: &ManagerPay, ctx: &Context) -> String {
    let share = format!(
        "parte della quota del posto \"{}\" (voce posto:{}) per il servizio {}/{}, col metodo dei resti più alti = {}",
        m.post, m.post, m.service_units, m.service_per_year, m.quota
    );
    if ctx.rounding_steps == RoundingSteps::Once {
        format!(
            "{share}; quota del posto × servizio × min(1; {}) esatta, arrotondata una volta = {}",
            num(m.coefficient),
            m.result_pay
        )
    } else {
        format!(
            "{share}; × min(1; {}) = {}",
            num(m.coefficient),
            m.result_pay
        )
    }
}

/// `n / d` the Italian way: in full when it ends within six decimals (at least two), else
/// its first six decimals followed by `…`.
fn exact_shown(n: Decimal, d: Decimal) -> String {
    let Some(q) = n.checked_div(d) else {
        return "?".to_string();
    };
    let six = round(q, 6, Rounding::Down);
    if six.checked_mul(d) == Some(n) {
        let six = six.normalize();
        return format_it(six, six.scale().max(2));
    }
    format!("{}…", format_it(six, 6))
}

/// The result of an eligible manager under a fixed base (`[valutazione] quota`): the base,
/// the value, the service and the coefficient, one product rounded once; the quota does not
/// depend on who else is present.
fn fixed_formula(m: &ManagerPay, ctx: &Context) -> String {
    let eur = |d: rust_decimal::Decimal| format_it(d, 2);
    let base = match &ctx.quota {
        ResultQuota::PointValue(v) => format!(
            "valore_punto: punti di pesatura {} × {} € per punto",
            num(m.base_weight),
            eur(*v)
        ),
        ResultQuota::BandAmount(bands) => format!(
            "importo_fascia: importo della fascia dei {} punti di pesatura {}",
            num(m.base_weight),
            ResultQuota::band_amount(bands, m.base_weight).unwrap_or(Money::ZERO)
        ),
        ResultQuota::PositionPercent(p) => format!(
            "percentuale_posizione: {}% della retribuzione di posizione annua {}",
            num(*p),
            m.yearly_position_pay
        ),
        ResultQuota::ScorePoint(v) => format!(
            "euro_per_punto: punteggio {} × {} € per punto",
            num(m.score),
            eur(*v)
        ),
        ResultQuota::Shared => String::new(),
    };
    let service = format!("servizio {}/{}", m.service_units, m.service_per_year);
    let paid = if ctx.quota.with_coefficient() {
        format!(
            "= {}; × min(1; {}) = {}",
            m.quota,
            num(m.coefficient),
            m.result_pay
        )
    } else {
        format!("= {}", m.result_pay)
    };
    let head = if ctx.quota.with_coefficient() {
        format!(
            "punteggio {} (soglia {}), {}: {}",
            num(m.score),
            num(ctx.threshold),
            ctx.coefficient,
            num(m.coefficient)
        )
    } else {
        format!(
            "punteggio {} (soglia {}; il punteggio è la valutazione, nessun coefficiente)",
            num(m.score),
            num(ctx.threshold)
        )
    };
    format!(
        "{head}; {base} × {service} {paid} (quota fissa per posto, arrotondata una volta: non dipende dagli altri dirigenti presenti)"
    )
}

/// A formula that adds signed terms: `a + b − c = total`, each term's sign applied to its
/// value (a negative art. 30 movement is written `− 410,00`).
fn signed_sum(terms: &[Term], total: Money) -> String {
    let mut out = String::new();
    for (i, t) in terms.iter().enumerate() {
        let negative = (t.sign < 0) != t.value.value().is_sign_negative();
        let shown = crate::money::format_it(t.value.value().abs(), 2);
        match (i, negative) {
            (0, false) => out.push_str(&shown),
            (0, true) => out.push_str(&format!("−{shown}")),
            (_, false) => out.push_str(&format!(" + {shown}")),
            (_, true) => out.push_str(&format!(" − {shown}")),
        }
    }
    format!("{out} = {total}")
}

/// A manager's result pay actually paid (*retribuzione di risultato erogata*): the result
/// before art. 30, its art. 30 movement and the fee reduction (each when there is one).
fn result_paid_figure(m: &ManagerPay, ctx: &Context) -> Figure {
    let of = |voce: &str| format!("{voce}:{}", m.matricola);
    let mut terms = vec![Term::figure(
        "Retribuzione di risultato prima della differenziazione",
        m.result_pay,
        1,
        &of("risultato"),
    )];
    let mut sources: Vec<Text> = vec![ctx.sources.result.clone().into()];
    if let Some(t) = art30_term(m) {
        terms.push(t);
        sources.push(ctx.sources.art30.clone().into());
    }
    if let Some(t) = reduction_term(m) {
        terms.push(t);
    }
    if !m.fee_reduction.value().is_zero() {
        terms.push(Term::figure(
            "Riduzione per compensi ex lege",
            m.fee_reduction,
            -1,
            &of("riduzione_compensi"),
        ));
        sources.push(ctx.sources.fees.clone().into());
    }
    Figure {
        voce: of("risultato_erogato"),
        description: format!(
            "Retribuzione di risultato erogata a {}, dopo la differenziazione e la riduzione per compensi",
            m.name
        ),
        value: m.result_paid.into(),
        formula: match terms.len() {
            1 => format!(
                "{} (nessuna differenziazione né riduzione per compensi) = {}",
                m.result_pay, m.result_paid
            ),
            _ => signed_sum(&terms, m.result_paid),
        },
        terms,
        sources,
        roundings: Vec::new(),
    }
}

/// A manager's amount to pay (*importo da liquidare*): position, result paid and interim;
/// the ex-lege fees are paid outside the fund.
fn payout_figure(m: &ManagerPay, ctx: &Context) -> Figure {
    let terms = paid_terms(m);
    Figure {
        voce: format!("liquidazione:{}", m.matricola),
        description: format!(
            "Importo da liquidare a {} (posizione + risultato erogato + interim)",
            m.name
        ),
        value: m.total.into(),
        formula: signed_sum(&terms, m.total),
        terms,
        sources: vec![
            ctx.sources.position.clone().into(),
            ctx.sources.result.clone().into(),
        ],
        roundings: Vec::new(),
    }
}

/// The amounts paid to a manager, each the figure it names: position, result paid, interim.
fn paid_terms(m: &ManagerPay) -> Vec<Term> {
    let of = |voce: &str| format!("{voce}:{}", m.matricola);
    vec![
        Term::figure("Posizione", m.position_paid, 1, &of("posizione")),
        Term::figure(
            "Risultato erogato",
            m.result_paid,
            1,
            &of("risultato_erogato"),
        ),
        Term::figure(
            "Interim",
            m.interim,
            1,
            &format!("interim:{}:*", m.matricola),
        ),
    ]
}

/// The declared cut's term of a manager's sum, where there is one.
fn reduction_term(m: &ManagerPay) -> Option<Term> {
    (!m.reduction.value().is_zero()).then(|| {
        Term::figure(
            "Riduzione dichiarata (riduzioni.csv)",
            m.reduction,
            -1,
            &format!("riduzione:{}", m.matricola),
        )
    })
}

/// The other ente's parts of a shared manager's pay (*a carico di altro ente*): each amount
/// less this ente's share of it, rounded once per amount.
fn other_ente_figure(m: &ManagerPay, ctx: &Context) -> Figure {
    let o = &m.other_ente;
    let share = num(m.ente_share);
    let part = |name: &str, whole: Money, other: Money| {
        let own = whole.checked_sub(other).unwrap_or(Money::ZERO);
        format!("{name} {whole} − {whole} × {share}% ({own}) = {other}")
    };
    let of = |voce: &str| format!("{voce}:{}", m.matricola);
    Figure {
        voce: of("quota_ente"),
        description: format!(
            "A carico di altro ente per {} (convenzione: questo ente paga il {share}%)",
            m.name
        ),
        value: o.total.into(),
        formula: format!(
            "{}; {}; {}; totale {} + {} + {} = {}",
            part("posizione", m.position_paid, o.position),
            part("risultato erogato", m.result_paid, o.result),
            part("interim", m.interim, o.interim),
            o.position,
            o.result,
            o.interim,
            o.total
        ),
        terms: paid_terms(m),
        sources: vec![ctx.sources.shared.clone().into()],
        roundings: vec![format!(
            "quota di questo ente arrotondata una volta per importo, {}",
            ctx.rounding.per_cent()
        )
        .into()],
    }
}

/// A manager's total or amount to pay with the declared cut and the other ente's parts, where
/// there are any: their terms subtracted and the formula the terms' signed sum (unchanged
/// otherwise).
fn with_new_terms(mut f: Figure, m: &ManagerPay) -> Figure {
    let total_figure = f.voce.starts_with("totale:");
    let cut = reduction_term(m).filter(|_| total_figure);
    let other = (!m.other_ente.total.value().is_zero()).then(|| {
        Term::figure(
            "A carico di altro ente",
            m.other_ente.total,
            -1,
            &format!("quota_ente:{}", m.matricola),
        )
    });
    if cut.is_none() && other.is_none() {
        return f;
    }
    if let Some(t) = cut {
        // Before the fees' reduction: the order of the steps.
        let at = f
            .terms
            .iter()
            .position(|t| t.origin.starts_with("voce:riduzione_compensi:"));
        f.terms.insert(at.unwrap_or(f.terms.len()), t);
    }
    f.terms.extend(other);
    f.formula = signed_sum(&f.terms, m.total);
    f
}
