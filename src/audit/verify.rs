//! The checklist of `verifica`: every legal and arithmetic constraint of a computed year,
//! each figure recomputed from its parts rather than taken from the engine's own totals.

use rust_decimal::Decimal;

use super::{add, check, sub, sum, Check, Verdict};
use crate::engine::{Inputs, Outcome};
use crate::fund::FundResult;
use crate::money::{format_it, Money, Percent};
use crate::national::{National, ResultShare, Voce};
use crate::pay::{
    Art30, Art30Model, Art30Outcome, Average, InterimBase, InterimPay, ManagerPay, PayResult,
    PayRules, Sources,
};
use crate::rules::{FundItem, Nature, Rules};

/// Every check on a computed year, in the order the checklist shows them. Recomputes each
/// figure from its parts rather than trusting the engine's own totals.
pub fn verify(inputs: &Inputs, outcome: &Outcome) -> Vec<Check> {
    let rules = &inputs.rules;
    let f = &outcome.fund;
    let mut out = fund_checks(inputs, outcome);
    // Budget coverage of the fund, contributions and IRAP, when chapters are declared.
    for (use_, need, appropriated) in crate::fund::coverage_by_use(rules, f) {
        out.push(check(
            appropriated >= need,
            &format!("Copertura in bilancio: {}", use_.key()),
            rules.national.cite(Voce::CoperturaBilancio),
            format!("stanziato {}, necessario {}", appropriated.it(), need.it()),
        ));
    }
    out.push(cap_check(f, &rules.national));
    out.extend(carry_proposal_check(inputs, f));
    out.push(result_share_check(f, &rules.national.result_share));
    if let Some(p) = &outcome.pay {
        out.extend(pay_checks(inputs, outcome, p));
    }
    out.extend(super::national::fee_checks(inputs));
    out.insert(0, super::national::unverified_check(&rules.national));
    out
}

/// The fund's own arithmetic: constitution, split, carry-overs, displayed percentages, and
/// position pay covered by stable resources.
fn fund_checks(inputs: &Inputs, outcome: &Outcome) -> Vec<Check> {
    let rules = &inputs.rules;
    let f = &outcome.fund;
    let of_nature = |items: &[FundItem], n: crate::rules::Nature| {
        sum(items.iter().filter(|i| i.nature == n).map(|i| i.amount))
    };
    let stable = of_nature(&rules.resources, Nature::Stable);
    let variable = of_nature(&rules.resources, Nature::Variable);
    let cuts = sum(rules.cuts.iter().map(|i| i.amount));
    let fund = sub(add(stable, variable), cuts);
    let carried = sum(rules.carryovers.iter().map(|c| c.amount));
    let mut out = vec![
        check(
            fund == f.fund && !fund.is_negative(),
            "Fondo = risorse stabili + risorse variabili − decurtazioni",
            rules.national.cite(Voce::Costituzione),
            format!(
                "{} + {} − {} = {} (fondo esposto {})",
                stable.it(),
                variable.it(),
                cuts.it(),
                fund.it(),
                f.fund.it()
            ),
        ),
        check(
            add(f.position, f.result) == f.fund,
            "Quota di posizione + quota di risultato = fondo",
            rules.national.cite(Voce::Ripartizione),
            format!(
                "{} + {} = {} (fondo {})",
                f.position.it(),
                f.result.it(),
                add(f.position, f.result).it(),
                f.fund.it()
            ),
        ),
        check(
            add(f.result, carried) == f.result_total && add(f.fund, carried) == f.grand_total,
            "Riporti: risultato + riporti e fondo + riporti",
            rules.national.cite(Voce::Riporti),
            format!(
                "{} + {} = {}; {} + {} = {}",
                f.result.it(),
                carried.it(),
                f.result_total.it(),
                f.fund.it(),
                carried.it(),
                f.grand_total.it()
            ),
        ),
        percentages_check(f, &rules.national),
        stable_coverage_check(rules, f),
    ];
    out.extend(result_only_check(rules, f));
    out
}

/// The position share does not use money that may fund result pay only (a contract's
/// result-only increment, or a resource the rules file marks `solo_risultato`): position ≤
/// fund − result-only resources. No line when the fund has no such resource.
fn result_only_check(rules: &Rules, f: &FundResult) -> Option<Check> {
    let only: Vec<&FundItem> = rules.resources.iter().filter(|i| i.result_only).collect();
    if only.is_empty() {
        return None;
    }
    let total = sum(only.iter().map(|i| i.amount));
    let available = sub(f.fund, total);
    let mut sources: Vec<&str> = Vec::new();
    for i in &only {
        if !sources.contains(&i.source.as_str()) {
            sources.push(&i.source);
        }
    }
    let listed: Vec<String> = only
        .iter()
        .map(|i| format!("{} {}", i.code, i.amount.it()))
        .collect();
    Some(check(
        f.position <= available,
        "Retribuzione di posizione senza risorse destinate al solo risultato",
        &sources.join("; "),
        format!(
            "posizione {} e fondo {} − risorse solo risultato {} ({}) = {}",
            f.position.it(),
            f.fund.it(),
            total.it(),
            listed.join(", "),
            available.it()
        ),
    ))
}

/// Certain and continuous destinations (position pay) covered by stable resources, net of
/// the stable cuts.
fn stable_coverage_check(rules: &Rules, f: &FundResult) -> Check {
    let stable_cuts = sum(rules
        .cuts
        .iter()
        .filter(|i| i.nature == Nature::Stable)
        .map(|i| i.amount));
    let stable_net = sub(f.stable, stable_cuts);
    check(
        f.position <= stable_net,
        "Retribuzione di posizione coperta da risorse stabili",
        rules.national.cite(Voce::CoperturaStabile),
        format!(
            "posizione {} e risorse stabili al netto delle decurtazioni {}",
            f.position.it(),
            stable_net.it()
        ),
    )
}

/// Displayed percentages: each within 0,01 of the exact ratio, the column at 100,00.
fn percentages_check(f: &FundResult, national: &National) -> Check {
    let pcts = &f.percentages.values;
    let total_pct: Decimal = pcts.iter().map(|p| p.value()).sum();
    let close = |part: Money, p: Percent| {
        f.fund.value().is_zero()
            || (part.value() * Decimal::ONE_HUNDRED / f.fund.value() - p.value()).abs()
                <= Decimal::new(1, 2)
    };
    check(
        (f.fund.value().is_zero() || total_pct == Decimal::ONE_HUNDRED)
            && close(f.position, pcts[0])
            && close(f.result, pcts[1]),
        "Percentuali esposte coerenti con gli importi",
        national.cite(Voce::Arrotondamento),
        format!(
            "{}% + {}% = {}%",
            pcts[0].it(2),
            pcts[1].it(2),
            format_it(total_pct, 2)
        ),
    )
}

/// The 2016 cap, or a warning that its inputs were not given.
/// The carry-over from the previous year (`--precedente`): what this year's rules carry from
/// it against the residual its certified economie propose; an avviso with both figures when
/// they differ, or when that year has no economie to check against.
fn carry_proposal_check(inputs: &Inputs, f: &FundResult) -> Option<Check> {
    let prev = inputs.previous.as_ref().filter(|p| p.certified)?;
    let rules = &inputs.rules;
    let y = prev.year;
    let typed: Vec<_> = rules.carryovers.iter().filter(|c| c.year == y).collect();
    let total = sum(typed.iter().map(|c| c.amount));
    let at: Vec<String> = typed.iter().map(|c| c.origin.to_string()).collect();
    let written = if at.is_empty() {
        format!("nessun riporto dal {y} nelle regole")
    } else {
        format!("riportato nelle regole {} ({})", total.it(), at.join(", "))
    };
    let name = format!("Riporto del residuo del risultato {y} (fondo.json dell'anno precedente)");
    let source = rules.national.carryover.source.to_string();
    let Some(p) = &f.carry_proposal else {
        return (!typed.is_empty()).then(|| Check {
            verdict: Verdict::Warning,
            name,
            source,
            figures: format!("{} non ha le economie del {y} (calcolato senza --dati): {written}, non verificabile", prev.file),
        });
    };
    let figures = format!(
        "economie {y} {} − risorse variabili non utilizzate {} − riporti non utilizzati {} = residuo proposto {}; {written}{}",
        p.economie.it(),
        p.budget_saving.it(),
        p.once_only.it(),
        p.amount.it(),
        if p.typed == p.amount {
            String::new()
        } else {
            format!(": scrivere in [[riporti]] anno_origine = {y}, importo = \"{}\" (spiega riporto_proposto)", p.amount.it())
        }
    );
    Some(Check {
        verdict: if p.typed == p.amount {
            Verdict::Holds
        } else {
            Verdict::Warning
        },
        name,
        source,
        figures,
    })
}

fn cap_check(f: &FundResult, national: &National) -> Check {
    let Some(c) = &f.cap else {
        return Check {
            verdict: Verdict::Warning,
            name: "Limite 2016 del trattamento accessorio".into(),
            source: national.cite(Voce::Limite2016).into(),
            figures:
                "dati del limite non forniti nelle regole ([limite_2016]): verifica non eseguita"
                    .into(),
        };
    };
    check(
        !c.headroom.is_negative(),
        "Limite 2016 del trattamento accessorio",
        national.cite(Voce::Limite2016),
        format!(
            "risorse soggette {} (fondo dirigenti {} + altri fondi {}) contro limite {}: {} {}",
            c.total.it(),
            c.this_fund.it(),
            c.other_funds.it(),
            c.limit.it(),
            if c.headroom.is_negative() {
                "superamento"
            } else {
                "margine"
            },
            Money::from_cents(c.headroom.cents().unwrap_or(0).abs()).it()
        ),
    )
}

/// The minimum result share of the year's national rules: a ✗ below it where it binds, an
/// avviso where it is only a reference.
fn result_share_check(f: &FundResult, rule: &ResultShare) -> Check {
    let share = if f.fund.value().is_zero() {
        Decimal::ZERO
    } else {
        f.result.value() * Decimal::ONE_HUNDRED / f.fund.value()
    };
    let shown = format!(
        "risultato {} su fondo {} = {}%",
        f.result.it(),
        f.fund.it(),
        format_it(
            crate::money::round(share, 2, crate::money::Rounding::HalfUp),
            2
        )
    );
    let minimum = format_it(rule.percent.normalize(), 0);
    if rule.binding {
        return check(
            share >= rule.percent,
            &format!("Quota di risultato almeno il {minimum}% delle risorse (inderogabile)"),
            rule.source.as_str(),
            shown,
        );
    }
    Check {
        verdict: if share >= rule.percent {
            Verdict::Holds
        } else {
            Verdict::Warning
        },
        name: format!(
            "Quota di risultato: riferimento del {minimum}%, non vincolante in quest'anno (solo avviso)"
        ),
        source: rule.source.to_string(),
        figures: shown,
    }
}

/// What the passes over a large ente's managers find, made on all cores.
struct ManagerPasses {
    /// The matricole below the threshold, or "nessuno".
    ineligible: String,
    /// A warning per position pay outside the minimum and maximum.
    ranges: Vec<Check>,
    /// The art. 30 average recomputed from the managers' rows (or the result pot) as the
    /// rules declare it, exact.
    average: Decimal,
    /// Whether every art. 30 top manager has the minimum, and their pay listed.
    tops: (bool, String),
    /// Position, result and interim paid, re-added from the managers' rows.
    totals: (Money, Money, Money),
}

impl ManagerPasses {
    fn new(inputs: &Inputs, p: &PayResult) -> ManagerPasses {
        let art30 = inputs.rules.pay.art30.as_ref();
        let average = art30.map_or(Decimal::ZERO, |a| art30_average(a, p));
        let model = art30.map_or(Art30Model::Floor, |a| a.model);
        let minimum = art30.map_or(Decimal::ZERO, |a| {
            let base = match a.model {
                Art30Model::Floor => Decimal::ONE_HUNDRED,
                Art30Model::Supplement => Decimal::ZERO,
            };
            let factor = base
                .checked_add(a.percent)
                .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED));
            factor
                .and_then(|f| average.checked_mul(f))
                .unwrap_or(Decimal::MAX)
        });
        let ((ineligible, ranges), (tops, totals)) = rayon::join(
            || rayon::join(|| ineligible_list(&p.managers), || position_ranges(inputs)),
            || {
                rayon::join(
                    || top_managers(&p.managers, model, minimum),
                    || paid_totals(&p.managers),
                )
            },
        );
        ManagerPasses {
            ineligible,
            ranges,
            average,
            tops,
            totals,
        }
    }
}

/// The average of art. 30 as declared, from the managers' rows after art. 30 (before it
/// with `maggiorazione`: the supplements are added to the average's result pay, not part of
/// it), or the result pot over the managers evaluated, exact; 0 when there is nothing to
/// average.
fn art30_average(a: &Art30, p: &PayResult) -> Decimal {
    let ms = &p.managers;
    let pay = |m: &ManagerPay| match a.model {
        Art30Model::Floor => m.result_after_art30,
        Art30Model::Supplement => m.result_pay,
    };
    let (total, heads) = match a.average {
        Average::Destined => (p.reconciliation.result_pot.value(), ms.len()),
        Average::AllPaid => {
            let paid = ms.iter().filter(|m| pay(m).is_positive());
            (paid.clone().map(|m| pay(m).value()).sum(), paid.count())
        }
        Average::AllEligible => {
            let eligible = ms.iter().filter(|m| m.eligible);
            (
                eligible.clone().map(|m| pay(m).value()).sum(),
                eligible.count(),
            )
        }
    };
    total
        .checked_div(Decimal::from(heads))
        .unwrap_or(Decimal::ZERO)
}

/// Individual pay: the evaluation system, the threshold, position pay ranges, interim,
/// art. 30 and the reconciliation re-added from the managers' rows.
fn pay_checks(inputs: &Inputs, outcome: &Outcome, p: &PayResult) -> Vec<Check> {
    let rules = &inputs.rules;
    let passes = ManagerPasses::new(inputs, p);
    let mut out = evaluation_checks(&rules.pay, &rules.national, &passes.ineligible);
    out.extend(passes.ranges);
    out.extend(p.interims.iter().map(|i| interim_check(rules, i)));
    out.extend(art30_check(rules, p, passes.average, passes.tops));
    out.push(reconciliation_check(rules, &outcome.fund, p, passes.totals));
    out
}

/// An interim within the year's national range of the covered post's position pay; a
/// result-based interim (`[interim] base = "risultato"`) is a clause of the CCDI outside that
/// rule: an avviso with its figures.
fn interim_check(rules: &Rules, i: &InterimPay) -> Check {
    let range = &rules.national.interim;
    let (lo, hi) = (
        format_it(range.min.normalize(), 0),
        format_it(range.max.normalize(), 0),
    );
    let figures = format!(
        "{}% su {} per {} giorni: {}",
        format_it(i.percent.normalize(), 0),
        i.covered_post,
        i.days,
        i.paid.it()
    );
    if i.base == InterimBase::ResultQuota {
        return Check {
            verdict: Verdict::Warning,
            name: format!(
                "Interim di {} sulla quota di risultato del posto coperto (il contratto lo fissa al {lo}-{hi}% della posizione)",
                i.matricola
            ),
            source: range.source.to_string(),
            figures: format!(
                "{figures}; {}% della quota di risultato annua {} ([interim] base = \"risultato\"): clausola del CCDI da verificare",
                format_it(i.percent.normalize(), 0),
                i.yearly_base.it()
            ),
        };
    }
    check(
        i.percent >= range.min && i.percent <= range.max,
        &format!(
            "Interim di {} entro il {lo}-{hi}% della posizione del posto coperto",
            i.matricola
        ),
        range.source.as_str(),
        figures,
    )
}

/// The evaluation system: weights adding to 100, the organisational part prevailing, the
/// threshold within 0-100 (with who is below it).
fn evaluation_checks(pr: &PayRules, national: &National, ineligible: &str) -> Vec<Check> {
    let weights: Decimal = pr.components.iter().map(|c| c.weight).sum();
    let warnings = pr.warnings();
    vec![
        check(
            weights == Decimal::ONE_HUNDRED,
            "Pesi delle componenti della valutazione = 100",
            national.cite(Voce::Valutazione),
            pr.components
                .iter()
                .map(|c| format!("{} {}", c.code, format_it(c.weight.normalize(), 0)))
                .collect::<Vec<_>>()
                .join(" + ")
                + &format!(" = {}", format_it(weights.normalize(), 0)),
        ),
        Check {
            verdict: if warnings.is_empty() {
                Verdict::Holds
            } else {
                Verdict::Warning
            },
            name: "Peso prevalente della performance organizzativa".into(),
            source: national.cite(Voce::ValutazionePrevalente).into(),
            figures: if warnings.is_empty() {
                "la componente organizzativa ha il peso maggiore".into()
            } else {
                warnings.join("; ")
            },
        },
        check(
            pr.threshold >= Decimal::ZERO && pr.threshold <= Decimal::ONE_HUNDRED,
            "Soglia di accesso alla retribuzione di risultato entro 0-100",
            national.cite(Voce::Soglia),
            format!(
                "soglia {}; non idonei: {}",
                format_it(pr.threshold.normalize(), 0),
                ineligible
            ),
        ),
    ]
}

/// Art. 30: where the year's contract provides it and the CCDI has not defined it, an avviso;
/// where the ente is too small for it, an avviso; else the declared mark-up at the minimum for
/// the ente's size, every top manager at least at the minimum, and an avviso for a tie at the
/// cut-off under a rule not declared. Nothing in a year without a contract's differentiation
/// when the CCDI has none.
fn art30_check(rules: &Rules, p: &PayResult, average: Decimal, tops: (bool, String)) -> Vec<Check> {
    let national = rules.national.differentiation.as_ref();
    let Some(declared) = &rules.pay.art30 else {
        return national
            .map(|d| Check {
                verdict: Verdict::Warning,
                name: "Differenziazione della retribuzione di risultato definita dal CCDI".into(),
                source: d.source.to_string(),
                figures: "il contratto lascia al CCDI la percentuale e la quota dei dirigenti, che il CCDI non ha definito (nessuna sezione [differenziazione] nelle regole): nessuna maggiorazione applicata; definirle in [differenziazione] percentuale e quota".into(),
            })
            .into_iter()
            .collect();
    };
    let managers = p.managers.len();
    if let Some(d) = national.filter(|d| managers <= d.excluded_up_to as usize) {
        return vec![Check {
            verdict: Verdict::Warning,
            name: format!(
                "Differenziazione: non applicata con non più di {} dirigenti in servizio",
                d.excluded_up_to
            ),
            source: d.exclusion_source.to_string(),
            figures: format!(
                "{managers} dirigenti in servizio: maggiorazione del {}% dichiarata e non applicata; la retribuzione di risultato deve comunque restare selettiva",
                format_it(declared.percent.normalize(), 0)
            ),
        }];
    }
    let mut out = vec![art30_applied_check(rules, declared, p, average, tops)];
    out.extend(art30_tie_check(rules, p));
    out
}

/// The declared mark-up at the minimum of the year's contract for the ente's size (none
/// before a contract provides one), and every top manager at least at the minimum.
fn art30_applied_check(
    rules: &Rules,
    declared: &Art30,
    p: &PayResult,
    average: Decimal,
    (all_above, tops): (bool, String),
) -> Check {
    let a = &p.art30;
    let floor = rules
        .national
        .differentiation
        .as_ref()
        .and_then(|d| d.minimum(p.managers.len(), declared.c5));
    let floor_ok = floor.map_or(true, |f| declared.percent >= f);
    let pct = |d: Decimal| format_it(d.normalize(), 0);
    let floor_text = floor.map_or(String::new(), |f| {
        format!(
            "minimo del contratto {}% per {} dirigenti; ",
            pct(f),
            p.managers.len()
        )
    });
    let short = a.supplements_paid < a.supplements_due;
    Check {
        verdict: if !floor_ok || (!all_above && !short) {
            Verdict::Fails
        } else if a.applied && !short {
            Verdict::Holds
        } else {
            Verdict::Warning
        },
        name: match declared.model {
            Art30Model::Floor => format!(
                "Differenziazione: i dirigenti con la valutazione più alta almeno il {}% sopra la media",
                pct(declared.percent)
            ),
            Art30Model::Supplement => format!(
                "Differenziazione: i dirigenti con la valutazione più alta hanno il proprio risultato più il {}% della media",
                pct(declared.percent)
            ),
        },
        source: Sources::art30(&rules.national, rules.source_of("differenziazione")),
        figures: if a.applied {
            applied_figures(&floor_text, a, average, &tops)
        } else {
            format!(
                "{floor_text}{}",
                a.note.clone().unwrap_or_else(|| "non applicata".into())
            )
        },
    }
}

/// The figures of an applied differentiation: the average, the minimum or the supplement
/// (and the economie that paid it, with the reduction when they were not enough), the top
/// managers' pay.
fn applied_figures(floor_text: &str, a: &Art30Outcome, average: Decimal, tops: &str) -> String {
    let average = format_it(
        crate::money::round(average, 2, crate::money::Rounding::HalfUp),
        2,
    );
    match a.model {
        Art30Model::Floor => format!(
            "{floor_text}media {average}; minimo {}; {tops}",
            a.minimum.it()
        ),
        Art30Model::Supplement => {
            let reduced = if a.supplements_paid < a.supplements_due {
                format!(
                    "; ridotte in proporzione: dovute {}, economie della ripartizione {}",
                    a.supplements_due.it(),
                    a.economie_available.it()
                )
            } else {
                String::new()
            };
            format!(
                "{floor_text}media {average}; maggiorazione {} ciascuno, pagate con le economie {}{reduced}; {tops}",
                a.supplement.it(),
                a.supplements_paid.it()
            )
        }
    }
}

/// An avviso when managers were tied at the cut-off of the quota and the CCDI did not
/// declare what happens then (they were excluded).
fn art30_tie_check(rules: &Rules, p: &PayResult) -> Option<Check> {
    let a = &p.art30;
    if a.ties_declared || (a.tied_out.is_empty() && a.tied_in.is_empty()) {
        return None;
    }
    Some(Check {
        verdict: Verdict::Warning,
        name: "Differenziazione: parità al limite della quota senza una regola dichiarata".into(),
        source: Sources::art30(&rules.national, rules.source_of("differenziazione")),
        figures: format!(
            "{} a pari punteggio al limite della quota: esclusi tutti (regola predefinita); dichiarare in [differenziazione] parita_al_limite = \"escludi\" o \"includi\"",
            a.tied_out.join(", ")
        ),
    })
}

/// The reconciliation, re-added from the managers' rows.
fn reconciliation_check(
    rules: &Rules,
    f: &FundResult,
    p: &PayResult,
    totals: (Money, Money, Money),
) -> Check {
    let r = &p.reconciliation;
    let (pos, res, int) = totals;
    let lhs = add(f.fund, f.carryover_total);
    let rhs = sum([pos, res, int, r.carried_residual, r.economie]);
    check(
        lhs == rhs && pos == r.position_paid && res == r.result_paid && int == r.interim,
        "Quadratura: fondo + riporti = posizione + risultato + interim + residui + economie",
        &format!(
            "{}; {}",
            rules.national.cite(Voce::Quadratura),
            rules.national.cite(Voce::Riporti)
        ),
        format!(
            "{} + {} = {}; {} + {} + {} + {} + {} = {}",
            f.fund.it(),
            f.carryover_total.it(),
            lhs.it(),
            pos.it(),
            res.it(),
            int.it(),
            r.carried_residual.it(),
            r.economie.it(),
            rhs.it()
        ),
    )
}

/// The matricole below the threshold, or "nessuno".
fn ineligible_list(managers: &[ManagerPay]) -> String {
    let below: Vec<&str> = managers
        .iter()
        .filter(|m| !m.eligible)
        .map(|m| &*m.matricola)
        .collect();
    if below.is_empty() {
        "nessuno".to_string()
    } else {
        below.join(", ")
    }
}

/// A warning for each position pay outside the minimum and maximum of the year's national
/// rules (in the years they give one).
fn position_ranges(inputs: &Inputs) -> Vec<Check> {
    let Some(range) = &inputs.rules.national.position else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in inputs.staff.iter().flat_map(|s| &s.managers) {
        let pay = m.yearly_position_pay;
        if pay < range.min || pay > range.max {
            out.push(Check {
                verdict: Verdict::Warning,
                name: format!(
                    "Retribuzione di posizione di {} entro minimo e massimo",
                    m.matricola
                ),
                source: range.source.to_string(),
                figures: format!(
                    "{} fuori da {} - {} ({})",
                    pay.it(),
                    range.min.it(),
                    range.max.it(),
                    m.origin
                ),
            });
        }
    }
    out
}

/// Whether every art. 30 top manager has at least `minimum` (`minimo`), or a supplement of
/// at least `minimum` on top of their own result pay (`maggiorazione`), and their pay listed.
fn top_managers(managers: &[ManagerPay], model: Art30Model, minimum: Decimal) -> (bool, String) {
    let tops: Vec<&ManagerPay> = managers.iter().filter(|m| m.art30_top).collect();
    let (all_above, listed) = match model {
        Art30Model::Floor => (
            tops.iter().all(|m| m.result_after_art30.value() >= minimum),
            tops.iter()
                .map(|m| format!("{} {}", m.matricola, m.result_after_art30.it()))
                .collect::<Vec<_>>(),
        ),
        Art30Model::Supplement => (
            tops.iter().all(|m| m.art30_supplement.value() >= minimum),
            tops.iter()
                .map(|m| {
                    format!(
                        "{} {} + {} = {}",
                        m.matricola,
                        m.result_pay.it(),
                        m.art30_supplement.it(),
                        m.result_after_art30.it()
                    )
                })
                .collect(),
        ),
    };
    (all_above, listed.join(", "))
}

/// Position, result and interim paid by this ente, re-added from the managers' rows in one
/// pass (a large ente's rows are read from memory once, not three times): a shared manager's
/// amounts less the other ente's parts.
fn paid_totals(managers: &[ManagerPay]) -> (Money, Money, Money) {
    let zero = Some(Money::ZERO);
    let (pos, res, int) = managers.iter().fold((zero, zero, zero), |(a, b, c), m| {
        let o = &m.other_ente;
        (
            a.and_then(|a| a.checked_add(m.position_paid)?.checked_sub(o.position)),
            b.and_then(|b| b.checked_add(m.result_paid)?.checked_sub(o.result)),
            c.and_then(|c| c.checked_add(m.interim)?.checked_sub(o.interim)),
        )
    });
    (
        pos.unwrap_or(Money::ZERO),
        res.unwrap_or(Money::ZERO),
        int.unwrap_or(Money::ZERO),
    )
}
