//! The Italian text report of `calcola` (quadro di sintesi, constitution, 2016 cap, objectives,
//! managers' pay, reconciliation, the trail's figures), the plain-text table it is made of,
//! and the pieces other text outputs share: a figure of the trail and the files' fingerprints.

use crate::alloc::TIE_BREAK_RULE;
use crate::engine::{Inputs, Outcome};
use crate::fund::FundResult;
use crate::money::{format_it, Money, Rounding};
use crate::objectives::PegResult;
use crate::output::table::{Cell, Format, Table};
use crate::output::tables::{self, PegContext, QUADRO_TITLE};
use crate::output::ENGINE;
use crate::pay::{
    Art30, Art30Model, Art30Outcome, Average, BaseWeight, FeeCorrelation, InterimBase,
    InterimPayment, InterimScore, Model, PayResult, PayRules, QuotaPosts, QuotaRounding,
    RoundingSteps, ServiceFraction, Ties,
};
use crate::peg::Peg;
use crate::rules::{FundItem, Rules};
use crate::trail::Figure;

/// A plain-text table with right-aligned numeric columns.
pub struct TextTable {
    pub headers: Vec<String>,
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

impl TextTable {
    pub fn render(&self, indent: &str) -> String {
        let cols = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let mut out = self.line(&self.headers, &widths, indent);
        out.push('\n');
        let total: usize = widths.iter().sum::<usize>() + 2 * cols.saturating_sub(1);
        out.push_str(indent);
        out.push_str(&"─".repeat(total));
        out.push('\n');
        for row in &self.rows {
            out.push_str(&self.line(row, &widths, indent));
            out.push('\n');
        }
        out
    }

    /// One line: cells padded to their column's width, figures on the right.
    fn line(&self, cells: &[String], widths: &[usize], indent: &str) -> String {
        let cols = self.headers.len();
        let mut out = String::from(indent);
        for (i, cell) in cells.iter().enumerate().take(cols) {
            let pad = widths[i] - cell.chars().count();
            if i > 0 {
                out.push_str("  ");
            }
            if self.numeric[i] {
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            } else {
                out.push_str(cell);
                if i + 1 < cols {
                    out.push_str(&" ".repeat(pad));
                }
            }
        }
        out.trim_end().to_string()
    }
}

/// A defined table as text: its text columns, the rows, then its total row if it has one.
fn table<'a, C, R>(t: &Table<'a, C, R>, rows: impl Iterator<Item = R> + Clone) -> String {
    let readable = |cells: Vec<Cell>| cells.iter().map(|c| c.readable().into_owned()).collect();
    let mut body: Vec<Vec<String>> = rows
        .clone()
        .map(|r| readable(t.cells(Format::Text, &r)))
        .collect();
    body.extend(t.total_row(Format::Text, rows).map(readable));
    TextTable {
        headers: t.headers(Format::Text),
        numeric: t.right(Format::Text),
        rows: body,
    }
    .render("  ")
}

/// A two-column table of figures, `Voce` and `Importo`.
fn figures(rows: Vec<Vec<String>>) -> String {
    TextTable {
        headers: vec!["Voce".into(), "Importo".into()],
        numeric: vec![false, true],
        rows,
    }
    .render("  ")
}

/// The Italian text report.
pub fn report(inputs: &Inputs, outcome: &Outcome) -> String {
    let (rules, r) = (&inputs.rules, &outcome.fund);
    let mut out = format!(
        "{} — Fondo per la retribuzione di posizione e di risultato della dirigenza, anno {}\n",
        rules.ente, rules.year
    );
    out.push_str(&format!(
        "Calcolato da {ENGINE} con le regole di {}\n\n",
        rules.file
    ));
    out.push_str(&quadro(rules, r));
    out.push_str(&constitution(rules, r));
    out.push_str(&cap(rules, r));
    if let (Some(p), Some(peg)) = (&outcome.peg, &inputs.peg) {
        out.push_str(&objectives(p, peg, &inputs.rules));
    }
    if let Some(p) = &outcome.pay {
        out.push_str(&pay(p, &inputs.rules));
    }
    out.push_str("\nCome si ottengono le cifre\n");
    for f in crate::audit::figures(outcome) {
        out.push_str(&figure(&f));
    }
    out.push_str(&fingerprints(inputs));
    out
}

/// The quadro di sintesi, with the note on the adjusted percentages.
fn quadro(rules: &Rules, r: &FundResult) -> String {
    let mut out = format!("{QUADRO_TITLE}\n\n");
    let q = tables::quadro(rules, r);
    out.push_str(&table(&tables::quadro_table(&q), q.rows.iter()));
    if r.percentages.adjusted {
        out.push_str("  Nota: percentuali riportate a 100,00 con il metodo del resto maggiore.\n");
    }
    out
}

/// The fund's items and its totals (*costituzione del fondo*).
fn constitution(rules: &Rules, r: &FundResult) -> String {
    let mut out = String::from("\nCostituzione del fondo\n\n");
    out.push_str("  Risorse\n");
    out.push_str(&items(&rules.resources));
    if !rules.cuts.is_empty() {
        out.push_str("\n  Decurtazioni\n");
        out.push_str(&items(&rules.cuts));
    }
    out.push('\n');
    out.push_str(&figures(vec![
        vec!["Risorse stabili".into(), r.stable.it()],
        vec!["Risorse variabili".into(), r.variable.it()],
        vec!["Decurtazioni".into(), minus(r.cuts)],
        vec!["Fondo certificato".into(), r.fund.it()],
    ]));
    out
}

/// The items' table, then the legal source of each, one line each.
fn items(items: &[FundItem]) -> String {
    let mut out = table(&tables::fund_items(), items.iter());
    for i in items {
        out.push_str(&format!("  fonte {}: {}\n", i.code, i.source));
    }
    out
}

/// `−1.234,00` for a subtraction; plain `0,00` when there is nothing to subtract.
fn minus(m: Money) -> String {
    if m.value().is_zero() {
        m.it()
    } else {
        format!("−{}", m.it())
    }
}

/// The 2016 cap (d.lgs. 75/2017 art. 23 c.2), when the rules give it.
fn cap(rules: &Rules, r: &FundResult) -> String {
    let (Some(cap), Some(c)) = (&r.cap, &rules.cap2016) else {
        return String::new();
    };
    let mut rows = vec![vec![
        "Fondo dirigenti: voci soggette al limite, al netto delle decurtazioni soggette"
            .to_string(),
        cap.this_fund.it(),
    ]];
    rows.extend(
        c.other_funds
            .iter()
            .map(|f| vec![f.description.clone(), f.amount.it()]),
    );
    rows.push(vec!["Totale soggetto al limite".into(), cap.total.it()]);
    rows.push(vec![
        format!("Limite 2016 dell'ente ({})", c.source),
        cap.limit.it(),
    ]);
    rows.push(if cap.headroom.is_negative() {
        vec![
            "SUPERAMENTO del limite: decurtazione necessaria".into(),
            Money::ZERO
                .checked_sub(cap.headroom)
                .unwrap_or(Money::ZERO)
                .it(),
        ]
    } else {
        vec!["Margine disponibile".into(), cap.headroom.it()]
    });
    format!(
        "\nLimite 2016 ({})\n\n{}",
        rules.national.cite(crate::national::Voce::Limite2016),
        figures(rows)
    )
}

/// The engine version and the SHA-256 of every file read, closing every text output.
pub fn fingerprints(inputs: &Inputs) -> String {
    let mut out = format!("\nMotore: {ENGINE}. File letti (impronta SHA-256):\n");
    for f in &inputs.fingerprints {
        out.push_str(&format!("  {}  {}\n", f.sha256, f.file));
    }
    out
}

/// The pay rules in words, for the report header.
fn pay_rules(rules: &Rules) -> String {
    let p = &rules.pay;
    let components: Vec<String> = p
        .components
        .iter()
        .map(|c| {
            format!(
                "{} {}{}",
                c.code,
                format_it(c.weight.normalize(), 0),
                if c.organisational {
                    " (organizzativa)"
                } else {
                    ""
                }
            )
        })
        .collect();
    // A fixed base per post has its own base and no model of the split.
    let (base, model) = if p.quota.is_fixed() {
        (
            format!("{} (quota \"{}\")", p.quota.base_words(), p.quota.key()),
            format!(
                "{}; la quota non dipende dagli altri dirigenti presenti, il risultato non assegnato è economia",
                p.quota.describe()
            ),
        )
    } else {
        let mut model = model_words(p.model, p.rounding_steps);
        if p.theoretical_quota == QuotaPosts::OrgChart {
            model.push_str("; quota teorica sui posti dell'organigramma (posti.csv), coperti o no: la quota di un posto vacante o scoperto non va agli altri dirigenti");
        }
        (base_words(p.base).to_string(), model)
    };
    let mut out = format!(
        "  componenti: {}; soglia di accesso {}; {}; base: {base}; servizio: {}; {model}\n",
        components.join(", "),
        format_it(p.threshold.normalize(), 0),
        p.coefficient.describe(),
        service_words(p.service),
    );
    out.push_str(&art30_rules(p.art30.as_ref()));
    out.push_str(&interim_rules(p));
    out.push_str(&pay_sources(rules));
    out
}

/// The differentiation as the CCDI declares it, in words: the mark-up, the average, the
/// quota and the rule for a tie at the cut-off.
fn art30_rules(a: Option<&Art30>) -> String {
    let Some(a) = a else {
        return "  differenziazione: non definita dal CCDI (nessuna sezione [differenziazione]): nessuna maggiorazione\n".into();
    };
    let average = match a.average {
        Average::Destined => "delle risorse destinate al risultato per dirigente valutato",
        Average::AllPaid => "della retribuzione di risultato dei dirigenti a cui è erogata",
        Average::AllEligible => {
            "della retribuzione di risultato dei dirigenti valutati positivamente"
        }
    };
    let what = match a.model {
        Art30Model::Floor => format!(
            "almeno il {}% sopra la media {average}",
            format_it(a.percent.normalize(), 0)
        ),
        Art30Model::Supplement => format!(
            "una maggiorazione del {}% della media {average} in aggiunta al proprio risultato, pagata con le economie della ripartizione (modello \"maggiorazione\")",
            format_it(a.percent.normalize(), 0)
        ),
    };
    let min_score = a.min_score.map_or(String::new(), |m| {
        format!(
            ", con almeno {} punti (punteggio_minimo)",
            format_it(m.normalize(), 0)
        )
    });
    let rounding = match a.quota_rounding {
        QuotaRounding::Up => "per eccesso",
        QuotaRounding::Down => "per difetto",
        QuotaRounding::HalfUp => "all'unità più vicina",
    };
    format!(
        "  differenziazione: {what} per il {}% dei dirigenti valutati (numero arrotondato {rounding}, almeno 1 e non tutti i valutati positivamente), quelli con la valutazione più alta{min_score}{}; parità al limite della quota: {}\n",
        format_it(a.quota.normalize(), 0),
        if a.c5 { " (comma 5)" } else { "" },
        ties_words(a.ties.unwrap_or_default(), a.ties.is_some())
    )
}

/// The rule for a tie at the cut-off, in words, saying whether it was declared.
fn ties_words(ties: Ties, declared: bool) -> String {
    let rule = match ties {
        Ties::Exclude => "esclusi tutti i dirigenti a pari punteggio",
        Ties::Include => "inclusi tutti i dirigenti a pari punteggio",
    };
    format!("{rule} ({})", ties_rule(ties, declared))
}

/// Where the rule for a tie at the cut-off comes from: the key as declared, or the default.
fn ties_rule(ties: Ties, declared: bool) -> String {
    if declared {
        format!("parita_al_limite = \"{}\"", ties.key())
    } else {
        format!(
            "regola predefinita \"{}\": parita_al_limite non dichiarata",
            ties.key()
        )
    }
}

/// The interim's base and score when the CCDI declares other than the defaults.
fn interim_rules(p: &PayRules) -> String {
    let base = match p.interim_base {
        InterimBase::PositionPay => "della retribuzione di posizione del posto coperto",
        InterimBase::ResultQuota => "della quota di risultato annua del posto coperto",
    };
    let score = match p.interim_score {
        InterimScore::Covering => "il punteggio del dirigente che copre",
        InterimScore::Structure => "il punteggio della struttura coperta (posti.csv)",
    };
    if p.interim_base == InterimBase::PositionPay && p.interim_score == InterimScore::Covering {
        return String::new();
    }
    format!("  interim: una percentuale {base} per il periodo coperto, secondo {score}\n")
}

/// What each manager's share of the result pot is weighed by, in words.
pub(crate) fn base_words(b: BaseWeight) -> &'static str {
    match b {
        BaseWeight::PerHead => "quota pro capite",
        BaseWeight::PositionPay => "retribuzione di posizione",
        BaseWeight::GradingPoints => "punti di pesatura",
    }
}

/// How the time in service is counted, in words.
pub(crate) fn service_words(s: ServiceFraction) -> &'static str {
    s.describe()
}

/// The distribution model, in words, with the rounding of Model B's rows when declared once.
fn model_words(m: Model, steps: RoundingSteps) -> String {
    match (m, steps) {
        (Model::Full, _) => "ripartizione integrale (modello A)".to_string(),
        (Model::Quota, RoundingSteps::EachStep) => {
            "quota teorica (modello B): la parte non erogata è economia".to_string()
        }
        (Model::Quota, RoundingSteps::Once) => format!(
            "quota teorica (modello B): la parte non erogata è economia; arrotondamento_passaggi = \"una_volta\": {}",
            steps.describe()
        ),
    }
}

/// The fees' reduction and the sources of the pay rules.
fn pay_sources(rules: &Rules) -> String {
    let mut out = String::new();
    if let FeeCorrelation::Reduce { percent } = rules.pay.fees {
        out.push_str(&format!(
            "  compensi ex lege: il risultato è ridotto del {}% dei compensi\n",
            format_it(percent.normalize(), 0)
        ));
    }
    if rules.pay_sources.is_empty() {
        out.push_str("  fonte: criteri predefiniti del motore (nessuna sezione [valutazione] nelle regole)\n");
    }
    for (section, source) in &rules.pay_sources {
        out.push_str(&format!("  fonte [{section}]: {source}\n"));
    }
    out
}

/// One row per manager, interim supplements, art. 30 and the reconciliation.
fn pay(p: &PayResult, rules: &Rules) -> String {
    let mut out = String::from("\nRetribuzione di posizione e di risultato dei dirigenti\n");
    out.push_str(&pay_rules(rules));
    out.push('\n');
    out.push_str(&table(&tables::managers(None), p.managers.iter()));
    out.push_str("  Totale = posizione + risultato + differenziazione + interim − riduzione dichiarata − riduzione per compensi − quota a carico di altro ente; i compensi ex lege sono pagati fuori dal fondo.\n");
    out.push_str(&interims(p));
    out.push_str(&differentiation(p, rules));
    out.push_str(&reconciliation(p));
    out.push_str(&cents_moved(p));
    out
}

/// The interim supplements (art. 58), one line each.
fn interims(p: &PayResult) -> String {
    if p.interims.is_empty() {
        return String::new();
    }
    let first = &p.interims[0];
    let whose = match first.scored_by {
        InterimScore::Covering => "del dirigente",
        InterimScore::Structure => "della struttura coperta",
    };
    let payment = match first.payment {
        InterimPayment::Proportional => {
            format!("erogato in proporzione al coefficiente di valutazione {whose} (massimo 1)")
        }
        InterimPayment::AllOrNothing => {
            format!(
                "erogato per intero se il punteggio {whose} raggiunge la soglia (tutto o niente)"
            )
        }
    };
    let base = match first.base {
        InterimBase::PositionPay => "",
        InterimBase::ResultQuota => " sulla quota di risultato annua del posto coperto",
    };
    let mut out = format!("\n  Interim (art. 58){base}: {payment}, nulla sotto la soglia\n");
    for i in &p.interims {
        out.push_str(&format!(
            "  {} per {}: {} giorni al {}%, dovuto {}, erogato {}\n",
            i.matricola,
            i.covered_post,
            i.days,
            format_it(i.percent.normalize(), 0),
            i.due.it(),
            i.paid.it()
        ));
    }
    out
}

/// The differentiation of art. 30: who is on top, the average and the minimum.
fn differentiation(p: &PayResult, rules: &Rules) -> String {
    let a = &p.art30;
    let mut out = String::from("\n  Differenziazione della retribuzione di risultato\n");
    if a.applied {
        out.push_str(&applied_words(a, rules.rounding));
    }
    if !a.below_min_score.is_empty() {
        out.push_str(&format!(
            "  esclusi perché sotto il punteggio minimo di {} pur entro la quota: {}\n",
            format_it(a.min_score.unwrap_or_default().normalize(), 0),
            a.below_min_score.join(", ")
        ));
    }
    let rule = ties_rule(a.ties, a.ties_declared);
    if !a.tied_out.is_empty() {
        out.push_str(&format!(
            "  esclusi per parità di punteggio al limite della quota: {} ({rule})\n",
            a.tied_out.join(", ")
        ));
    }
    if !a.tied_in.is_empty() {
        out.push_str(&format!(
            "  inclusi per parità di punteggio al limite della quota: {} ({rule})\n",
            a.tied_in.join(", ")
        ));
    }
    if !a.ties_declared && !a.tied_out.is_empty() {
        out.push_str("  avviso: parità al limite della quota senza una regola dichiarata: dichiararla in [differenziazione] parita_al_limite = \"escludi\" o \"includi\"\n");
    }
    if let Some(n) = &a.note {
        out.push_str(&format!("  {n}\n"));
    }
    if let Some(w) = &a.warning {
        out.push_str(&format!("  avviso: {w}\n"));
    }
    out
}

/// Who is on top, the average and what they got: the minimum and its rounds, or the
/// supplement and the economie that paid it.
fn applied_words(a: &Art30Outcome, rounding: Rounding) -> String {
    let head = format!(
        "  dirigenti con la valutazione più alta (quota: {} su {} dirigenti valutati): {}; media pro capite {}",
        a.quota_count,
        a.evaluated,
        a.top.join(", "),
        format_it(crate::money::round(a.average, 2, rounding), 2),
    );
    match a.model {
        Art30Model::Floor => format!(
            "{head}; minimo garantito {} (passaggi di riequilibrio: {})\n",
            a.minimum.it(),
            a.rounds
        ),
        Art30Model::Supplement => format!(
            "{head}; maggiorazione del {}% della media: {} ciascuno in aggiunta al risultato; dovute {}, pagate con le economie della ripartizione {} su {} disponibili\n",
            format_it(a.percent.normalize(), 0),
            a.supplement.it(),
            a.supplements_due.it(),
            a.supplements_paid.it(),
            a.economie_available.it()
        ),
    }
}

/// The reconciliation (*quadratura*): fund and carry-overs against what was paid, carried and
/// saved, and the equation it proves.
fn reconciliation(p: &PayResult) -> String {
    let r = &p.reconciliation;
    let mut out = String::from("\n  Quadratura: fondo + riporti = posizione + risultato + interim + residui riportati + economie\n");
    let (main, detail) = tables::reconciliation(r);
    let rows = main
        .iter()
        .map(|l| vec![l.label.to_string(), l.amount.it()])
        .chain(
            detail
                .iter()
                .map(|l| vec![format!("  di cui {}", l.label), l.amount.it()]),
        );
    out.push_str(&figures(rows.collect()));
    let lhs = r.fund.checked_add(r.carryovers).unwrap_or(Money::ZERO);
    out.push_str(&format!(
        "  {} + {} = {} = {} + {} + {} + {} + {} ✓\n",
        r.fund.it(),
        r.carryovers.it(),
        lhs.it(),
        r.position_paid.it(),
        r.result_paid.it(),
        r.interim.it(),
        r.carried_residual.it(),
        r.economie.it()
    ));
    out
}

/// The cents the largest-remainder split gave, with its tie-break rule.
fn cents_moved(p: &PayResult) -> String {
    if p.cents_moved.is_empty() {
        return String::new();
    }
    let moved: Vec<String> = p
        .cents_moved
        .iter()
        .map(|(m, c)| format!("{m} +{c}"))
        .collect();
    format!(
        "\n  Centesimi assegnati con il resto maggiore: {}\n  ({TIE_BREAK_RULE})\n",
        moved.join(", ")
    )
}

/// The objectives section: per manager, per objective, per indicator with its explanation.
fn objectives(p: &PegResult, peg: &Peg, rules: &Rules) -> String {
    let mut out =
        String::from("\nRaggiungimento degli obiettivi (PEG / Piano della Performance)\n");
    if let Some(src) = &rules.attainment_source {
        out.push_str(&format!("  regole: {src}\n"));
    }
    out.push('\n');
    let scores = tables::manager_scores(PegContext::new(p, peg, rules));
    out.push_str(&table(&scores, p.managers.iter()));
    let objectives_of = p.objectives_by_manager(peg);
    let indicators_of = p.indicators_by_objective(peg);
    let at = &rules.attainment;
    for m in &p.managers {
        out.push_str(&format!(
            "\n  {} — punteggio obiettivi {}\n",
            m.matricola,
            format_it(m.score, 2)
        ));
        let objs = objectives_of
            .get(&*m.matricola)
            .map_or(&[][..], Vec::as_slice);
        out.push_str(&format!("    {}\n", m.explanation(objs, peg, at)));
        for o in objs {
            let os = o.source(peg);
            out.push_str(&format!(
                "    {} {} (peso {}): {}% ({})\n",
                os.code,
                os.title,
                format_it(os.weight.normalize(), 0),
                format_it(o.attainment, 2),
                os.origin
            ));
            let items = indicators_of.of(o.index());
            out.push_str(&format!("      {}\n", o.explanation(&items, peg, at)));
            for i in items {
                let src = i.source(peg);
                out.push_str(&format!(
                    "      {}/{} {} (peso {}): {}% ({})\n        {}\n",
                    src.objective,
                    src.number,
                    src.description,
                    format_it(src.weight.normalize(), 0),
                    format_it(i.attainment, 2),
                    src.origin,
                    i.explanation(peg, at)
                ));
            }
        }
    }
    out
}

/// One figure of the trail as text (used by the report and by `spiega`).
pub fn figure(f: &Figure) -> String {
    let mut out = format!("\n  [{}] {}: {}\n", f.voce, f.description, f.value.it());
    out.push_str(&format!("    calcolo: {}\n", f.formula));
    for t in &f.terms {
        let sign = if t.sign < 0 { "−" } else { "+" };
        out.push_str(&format!(
            "    {sign} {} {} ({})",
            t.value.it(),
            t.description,
            t.origin
        ));
        if let Some(s) = &t.source {
            out.push_str(&format!(" — fonte: {s}"));
        }
        out.push('\n');
    }
    for r in &f.roundings {
        out.push_str(&format!("    arrotondamento: {r}\n"));
    }
    if !f.sources.is_empty() {
        out.push_str(&format!("    fonti: {}\n", f.sources.join("; ")));
    }
    out
}
