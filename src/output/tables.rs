//! The tables every format prints, each defined once: the quadro di sintesi, the fund's items,
//! the managers' pay, the amounts to pay (*liquidazione*), the managers' objective scores,
//! the objectives, the indicators, the verifica checklist, the transparency table, and the
//! reconciliation's figures. What differs between formats (a column only the workbook has, a
//! short header, a number the text shows as words, a JSON key order) is stated here, column
//! by column.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::audit::Check;
use crate::fund::FundResult;
use crate::money::{Money, Percent, Rounding};
use crate::objectives::{Groups, IndicatorResult, ManagerScore, ObjectiveResult, PegResult};
use crate::output::table::{Cell, Column, Digits, Formats, Table};
use crate::pay::{ManagerPay, Reconciliation};
use crate::peg::{
    read_measure, AttainmentRules, IndicatorValue, IndicatorView, Measure, ObjectiveView, Peg,
};
use crate::rules::{FundItem, Rules};
use crate::staff::Staff;

/// Scores and attainments: two decimals at least.
const SCORE: Digits = Digits::AtLeast(2);

/// One row of the *quadro di sintesi delle modalità di utilizzo delle risorse* (relazione
/// illustrativa, Modulo 2 B).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuadroRow {
    pub description: String,
    pub amount: Money,
    /// Percentage of the fund, in points (on the total row, the sum of the others).
    pub percent: Decimal,
    /// One cell per carry-over column (None where the row has none).
    pub carryovers: Vec<Option<Money>>,
    pub total: Money,
}

/// The Modulo 2 B table: headers of the carry-over columns and three rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quadro {
    pub carryover_headers: Vec<String>,
    pub rows: Vec<QuadroRow>,
}

/// The title of the quadro di sintesi.
pub const QUADRO_TITLE: &str =
    "Quadro di sintesi delle modalità di utilizzo delle risorse (relazione illustrativa, Modulo 2 B)";

/// Builds the Modulo 2 B table from the fund result.
pub fn quadro(rules: &Rules, r: &FundResult) -> Quadro {
    let n = r.carryovers.len();
    let carried = || r.carryovers.iter().map(|m| Some(*m)).collect();
    Quadro {
        carryover_headers: rules
            .carryovers
            .iter()
            .map(|c| c.description.clone())
            .collect(),
        rows: vec![
            QuadroRow {
                description: format!("Retribuzione di posizione dei dirigenti {}", rules.year),
                amount: r.position,
                percent: r.position_percent().value(),
                carryovers: vec![None; n],
                total: r.position,
            },
            QuadroRow {
                description: format!("Retribuzione di risultato dei dirigenti {}", rules.year),
                amount: r.result,
                percent: r.result_percent().value(),
                carryovers: carried(),
                total: r.result_total,
            },
            QuadroRow {
                description: "Totale".to_string(),
                amount: r.fund,
                percent: r.percentages.values.iter().map(|p| p.value()).sum(),
                carryovers: carried(),
                total: r.grand_total,
            },
        ],
    }
}

/// The quadro's columns: one per carry-over between the percentage and the total; the JSON
/// gathers the carry-overs in one array, `riporti`.
pub fn quadro_table(q: &Quadro) -> Table<'_, (), &QuadroRow> {
    type Col<'a> = Column<'a, (), &'a QuadroRow>;
    let mut columns = vec![
        Col::text("Descrizione", |_, r| Cell::text(&r.description)).key("descrizione"),
        Col::figure("Importo", |_, r| Cell::Amount(r.amount)).key("importo"),
        Col::figure("% distribuzione", |_, r| {
            Cell::Percent(r.percent, Digits::Padded(2))
        })
        .key("percentuale"),
        Col::json("riporti", |_, r| {
            Cell::List(r.carryovers.iter().map(|c| Cell::amount(*c)).collect())
        }),
    ];
    columns.extend(
        q.carryover_headers
            .iter()
            .enumerate()
            .map(|(k, h)| Col::figure(h.as_str(), move |_, r| Cell::amount(r.carryovers[k]))),
    );
    columns.push(Col::figure("TOTALE", |_, r| Cell::Amount(r.total)).key("totale"));
    Table::new((), columns).last_is_total()
}

/// The fund's items (*voci di costituzione*: resources or cuts).
pub fn fund_items<'a>() -> Table<'a, (), &'a FundItem> {
    type Col<'a> = Column<'a, (), &'a FundItem>;
    Table::new(
        (),
        vec![
            Col::text("Codice", |_, i| Cell::text(&i.code)).key("codice"),
            Col::text("Descrizione", |_, i| Cell::text(&i.description)).key("descrizione"),
            Col::text("Natura", |_, i| Cell::text(i.nature.key())).key("natura"),
            Col::text("Limite 2016", |_, i| Cell::Bool(i.subject_to_cap))
                .key("soggetta_limite_2016"),
            Col::figure("Importo", |_, i| Cell::Amount(i.amount)).key("importo"),
            Col::json("fonte", |_, i| Cell::text(&i.source)),
            Col::json("origine", |_, i| Cell::text(i.origin.to_string())),
        ],
    )
}

/// A manager's start and end of office, when given (else the days are).
type Dates = (Option<NaiveDate>, Option<NaiveDate>);

/// What the managers' pay table looks up: each manager's period of office (*incarico*),
/// gathered on first use (only the workbook shows it).
pub struct Periods<'a> {
    staff: Option<&'a Staff>,
    by_matricola: OnceCell<BTreeMap<&'a str, Dates>>,
}

impl<'a> Periods<'a> {
    fn new(staff: Option<&'a Staff>) -> Self {
        Periods {
            staff,
            by_matricola: OnceCell::new(),
        }
    }

    /// A manager's start or end of office.
    fn date(&self, matricola: &str, end: bool) -> Cell<'a> {
        let periods = self.by_matricola.get_or_init(|| {
            self.staff
                .iter()
                .flat_map(|s| s.managers.iter().map(|m| (&*m.matricola, (m.start, m.end))))
                .collect()
        });
        match periods.get(matricola) {
            Some(&(start, finish)) => match if end { finish } else { start } {
                Some(d) => Cell::Date(d),
                None => Cell::Empty,
            },
            None => Cell::Empty,
        }
    }
}

/// The managers' pay (*retribuzione di posizione e di risultato dei dirigenti*), one row per
/// manager. The text and the HTML print short headers, a total row and an ineligible
/// manager's coefficient as `non idoneo`; the HTML leaves out the fees paid outside the fund;
/// the JSON keeps its own key order (fees before the reduction they cause).
pub fn managers(staff: Option<&Staff>) -> Table<'_, Periods<'_>, &ManagerPay> {
    type Col<'a> = Column<'a, Periods<'a>, &'a ManagerPay>;
    let not_text = Formats::CSV.with(Formats::XLSX);
    let columns = vec![
        Col::text("Matricola", |_, m| Cell::text(&*m.matricola)).key("matricola"),
        Col::text("Nome", |_, m| Cell::text(&*m.name)).key("nome"),
        Col::text("Incarico", |_, m| Cell::text(&*m.post))
            .key("incarico")
            .only(not_text),
        Col::figure("Inizio", |p, m| p.date(&m.matricola, false)).only(Formats::XLSX),
        Col::figure("Fine", |p, m| p.date(&m.matricola, true)).only(Formats::XLSX),
        Col::figure("Giorni", |_, m| Cell::Count(m.days)).key("giorni"),
        Col::json("frazione_servizio", |_, m| {
            Cell::Number(m.service_fraction, Digits::Significant)
        }),
        paid("Posizione", |m| m.position_paid).key("posizione"),
        Col::figure("Punteggio", |_, m| Cell::Number(m.score, SCORE)).key("punteggio"),
        Col::json("idoneo", |_, m| Cell::Bool(m.eligible)),
        Col::figure("Coefficiente", |_, m| coefficient(m))
            .short("Coeff.")
            .key("coefficiente"),
        Col::json("base", |_, m| {
            Cell::Number(m.base_weight, Digits::Significant)
        }),
        Col::json("quota_teorica", |_, m| Cell::Amount(m.quota)),
        paid("Risultato", |m| m.result_pay).key("risultato"),
        paid("Differenziazione", |m| m.art30_supplement).key("art30"),
        Col::json("art30_vertice", |_, m| Cell::Bool(m.art30_top)),
        paid("Interim", |m| m.interim).key("interim"),
        Col::json("compensi_ex_lege", |_, m| Cell::Amount(m.fees)),
        paid("Riduzione", |m| m.reduction)
            .short("Riduz.")
            .key("riduzione"),
        paid("Riduzione compensi", |m| m.fee_reduction)
            .short("Riduz. compensi")
            .key("riduzione_compensi"),
        Col::json("risultato_erogato", |_, m| Cell::Amount(m.result_paid)),
        Col::json("quota_ente", |_, m| {
            Cell::Number(m.ente_share, Digits::Significant)
        }),
        paid("A carico di altro ente", |m| m.other_ente.total)
            .short("Altro ente")
            .key("altro_ente"),
        paid("Totale", |m| m.total).key("totale"),
        paid("Compensi ex lege", |m| m.fees).only(Formats::TEXT.with(not_text)),
    ];
    let readable = Formats::TEXT.with(Formats::HTML);
    Table::new(Periods::new(staff), columns)
        .short_in(readable)
        .total("Totale", readable.with(Formats::XLSX))
}

/// A column of the managers' pay summed on the total row.
fn paid<'a>(
    header: &'static str,
    amount: fn(&ManagerPay) -> Money,
) -> Column<'a, Periods<'a>, &'a ManagerPay> {
    Column::figure(header, move |_, m: &&ManagerPay| Cell::Amount(amount(m))).summed()
}

/// The coefficient of a manager's result pay (*coefficiente*), `non idoneo` in words below
/// the threshold.
fn coefficient(m: &ManagerPay) -> Cell<'static> {
    match m.eligible {
        true => Cell::Number(m.coefficient, Digits::Significant),
        false => Cell::Worded(m.coefficient, Digits::Significant, "non idoneo"),
    }
}

/// The employer's charges on the amounts paid (*oneri riflessi*), when `[copertura]` declares
/// the rates: contributions and IRAP, each rounded once per manager with the rules' rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charges {
    pub contributions: Percent,
    pub irap: Percent,
    pub rounding: Rounding,
}

impl Charges {
    /// The rates of `[copertura]`, when declared.
    pub fn of(rules: &Rules) -> Option<Charges> {
        rules.coverage.as_ref().map(|c| Charges {
            contributions: c.contributions_rate,
            irap: c.irap_rate,
            rounding: rules.rounding,
        })
    }

    /// `rate`% of `amount`, rounded once (zero if it overflows, which amounts bounded at
    /// 10¹⁵ and rates up to 100% cannot).
    pub fn charge(&self, amount: Money, rate: Percent) -> Money {
        let exact = amount
            .value()
            .checked_mul(rate.value())
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED));
        exact.map_or(Money::ZERO, |x| Money::from_exact(x, self.rounding))
    }

    /// A manager's contributions, IRAP and cost to the ente (amount to pay + both).
    fn of_manager(&self, m: &ManagerPay) -> (Money, Money, Money) {
        let contributions = self.charge(m.total, self.contributions);
        let irap = self.charge(m.total, self.irap);
        let cost = Money::checked_sum([m.total, contributions, irap]).unwrap_or(Money::ZERO);
        (contributions, irap, cost)
    }
}

/// The rounding rule of the amounts to pay, stated under the table: the charges rounded per
/// manager, the totals the sums of the rows; or, without rates, what to declare.
pub fn payout_note(charges: Option<&Charges>) -> String {
    match charges {
        Some(c) => format!(
            "Contributi ({}%) e IRAP ({}%) calcolati sul totale da liquidare di ogni dirigente e arrotondati una volta per dirigente, {}. La riga Totale è la somma delle righe.",
            c.contributions.it(2),
            c.irap.it(2),
            c.rounding.per_cent()
        ),
        None => "Contributi e IRAP non calcolati: per averli, dichiarare aliquota_contributi e aliquota_irap nella sezione [copertura] delle regole.".to_string(),
    }
}

/// The amounts to pay (*liquidazione*), one row per manager for payroll and the revisori:
/// position, result paid (after the differentiation and the fee reduction, both shown), interim
/// and the total to pay; with the charges' columns when the rates are declared. A total row
/// sums every amount. Matricola and name: an HR output, never published.
pub fn payout<'a>(charges: Option<Charges>) -> Table<'a, Option<Charges>, &'a ManagerPay> {
    type Col<'a> = Column<'a, Option<Charges>, &'a ManagerPay>;
    let charged = |header: String, key: &'static str, pick: fn((Money, Money, Money)) -> Money| {
        Col::figure(header, move |c: &Option<Charges>, m: &&ManagerPay| {
            Cell::amount(c.map(|c| pick(c.of_manager(m))))
        })
        .key(key)
        .summed()
    };
    let mut columns = vec![
        Col::text("Matricola", |_, m| Cell::text(&*m.matricola)).key("matricola"),
        Col::text("Nome", |_, m| Cell::text(&*m.name)).key("nome"),
        amount("Posizione", |m| m.position_paid).key("posizione"),
        amount("Risultato erogato", |m| m.result_paid).key("risultato_erogato"),
        amount("Differenziazione (inclusa nel risultato)", |m| {
            m.art30_supplement
        })
        .key("art30"),
        amount("Riduzione dichiarata (già detratta dal risultato)", |m| {
            m.reduction
        })
        .key("riduzione"),
        amount(
            "Riduzione compensi ex lege (già detratta dal risultato)",
            |m| m.fee_reduction,
        )
        .key("riduzione_compensi"),
        amount("Interim", |m| m.interim).key("interim"),
        amount("A carico di altro ente (non compreso nel totale)", |m| {
            m.other_ente.total
        })
        .key("altro_ente"),
        amount("Totale da liquidare", |m| m.total).key("totale"),
    ];
    if let Some(c) = charges {
        columns.push(charged(
            format!("Contributi a carico dell'ente ({}%)", c.contributions.it(2)),
            "contributi",
            |x| x.0,
        ));
        columns.push(charged(format!("IRAP ({}%)", c.irap.it(2)), "irap", |x| {
            x.1
        }));
        columns.push(charged("Costo per l'ente".to_string(), "costo", |x| x.2));
    }
    Table::new(charges, columns).total("Totale", Formats::ALL)
}

/// An amount of the amounts to pay, summed on the total row.
fn amount<'a>(
    header: &'static str,
    amount: fn(&ManagerPay) -> Money,
) -> Column<'a, Option<Charges>, &'a ManagerPay> {
    Column::figure(header, move |_, m: &&ManagerPay| Cell::Amount(amount(m))).summed()
}

/// What the PEG's tables look up: the results, the PEG, the attainment rules, and the
/// groupings the explanations need, made on first use (only the formats that print the
/// explanations pay for them).
pub struct PegContext<'a> {
    result: &'a PegResult,
    peg: &'a Peg,
    rules: &'a AttainmentRules,
    indicators_of: OnceCell<Groups<'a, IndicatorResult>>,
    objectives_of: OnceCell<BTreeMap<&'a str, Vec<&'a ObjectiveResult>>>,
}

impl<'a> PegContext<'a> {
    pub fn new(result: &'a PegResult, peg: &'a Peg, rules: &'a Rules) -> Self {
        PegContext {
            result,
            peg,
            rules: &rules.attainment,
            indicators_of: OnceCell::new(),
            objectives_of: OnceCell::new(),
        }
    }

    /// How the objective's attainment is made from its indicators, in words.
    fn objective_explanation(&self, o: &ObjectiveResult) -> String {
        let groups = self
            .indicators_of
            .get_or_init(|| self.result.indicators_by_objective(self.peg));
        o.explanation(&groups.of(o.index()), self.peg, self.rules)
    }

    /// How the manager's score is made from their objectives, in words.
    fn score_explanation(&self, m: &ManagerScore) -> String {
        let by_manager = self
            .objectives_of
            .get_or_init(|| self.result.objectives_by_manager(self.peg));
        let objs = by_manager.get(&*m.matricola);
        m.explanation(objs.map_or(&[][..], Vec::as_slice), self.peg, self.rules)
    }

    /// The index of the objective an indicator belongs to.
    fn objective_of(&self, i: &IndicatorResult) -> usize {
        self.peg.indicators[i.index()].objective_index()
    }
}

/// Each manager's objective score (*punteggio obiettivi*).
pub fn manager_scores(ctx: PegContext<'_>) -> Table<'_, PegContext<'_>, &ManagerScore> {
    type Col<'a> = Column<'a, PegContext<'a>, &'a ManagerScore>;
    Table::new(
        ctx,
        vec![
            Col::text("Matricola", |_, m| Cell::text(&m.matricola)).key("matricola"),
            Col::figure("Punteggio obiettivi", |_, m| Cell::Number(m.score, SCORE))
                .key("punteggio_obiettivi"),
            Col::json("calcolo", |c, m| Cell::text(c.score_explanation(m))),
        ],
    )
}

/// A result of the PEG with its input row, read once for all its cells.
pub struct Sourced<'a, T, V> {
    result: &'a T,
    src: V,
}

/// An objective with its input row.
pub type ObjectiveRow<'a> = Sourced<'a, ObjectiveResult, ObjectiveView<'a>>;

/// An indicator with its input row.
pub type IndicatorRow<'a> = Sourced<'a, IndicatorResult, IndicatorView<'a>>;

impl<'a> ObjectiveRow<'a> {
    pub fn new(result: &'a ObjectiveResult, peg: &'a Peg) -> Self {
        Sourced {
            result,
            src: result.source(peg),
        }
    }
}

impl<'a> IndicatorRow<'a> {
    pub fn new(result: &'a IndicatorResult, peg: &'a Peg) -> Self {
        Sourced {
            result,
            src: result.source(peg),
        }
    }
}

/// The objectives of the PEG (*obiettivi*), in input order; the HTML prints short headers.
pub fn objectives(ctx: PegContext<'_>) -> Table<'_, PegContext<'_>, ObjectiveRow<'_>> {
    type Col<'a> = Column<'a, PegContext<'a>, ObjectiveRow<'a>>;
    let columns = vec![
        Col::text("Codice", |_, o| Cell::text(o.src.code))
            .short("Obiettivo")
            .key("codice"),
        Col::text("Matricola", |_, o| Cell::text(o.src.matricola)).key("matricola"),
        Col::text("Titolo", |_, o| Cell::text(o.src.title)).key("titolo"),
        Col::figure("Peso", |_, o| {
            Cell::Number(o.src.weight, Digits::Significant)
        })
        .key("peso"),
        Col::figure("Raggiungimento", |_, o| {
            Cell::Percent(o.result.attainment, SCORE)
        })
        .short("Raggiungimento %")
        .key("raggiungimento"),
        Col::text("Calcolo", |c, o| {
            Cell::text(c.objective_explanation(o.result))
        })
        .key("calcolo")
        .only(Formats::XLSX),
        Col::json("origine", |_, o| Cell::text(o.src.origin.to_string())),
    ];
    Table::new(ctx, columns).short_in(Formats::HTML)
}

/// The indicators of the PEG (*indicatori*). The CSV adds each indicator's objective and
/// lists them objective by objective ([`indicators_by_objective`]); the workbook prints short
/// headers.
pub fn indicators(ctx: PegContext<'_>) -> Table<'_, PegContext<'_>, IndicatorRow<'_>> {
    type Col<'a> = Column<'a, PegContext<'a>, IndicatorRow<'a>>;
    let workbook = Formats::CSV.with(Formats::XLSX);
    let columns = vec![
        Col::text("Matricola", |c, i| {
            Cell::text(c.peg.objective_matricola(c.objective_of(i.result)))
        })
        .only(Formats::CSV),
        Col::text("Obiettivo", |_, i| Cell::text(i.src.objective))
            .key("obiettivo")
            .only(workbook),
        Col::figure("Peso obiettivo", |c, i| {
            let weight = c.peg.objectives[c.objective_of(i.result)].weight;
            Cell::Number(weight, Digits::Significant)
        })
        .only(Formats::CSV),
        Col::figure("Raggiungimento obiettivo %", |c, i| {
            let objective = &c.result.objectives[c.objective_of(i.result)];
            Cell::Percent(objective.attainment, SCORE)
        })
        .only(Formats::CSV),
        Col::figure("Indicatore", |_, i| Cell::Count(i.src.number as i64))
            .short("N.")
            .key("numero")
            .only(workbook),
        Col::text("Descrizione", |_, i| Cell::text(i.src.description))
            .key("descrizione")
            .only(workbook),
        Col::figure("Peso indicatore", |_, i| {
            Cell::Number(i.src.weight, Digits::Significant)
        })
        .short("Peso")
        .key("peso")
        .only(workbook),
        Col::text("Target", |_, i| Cell::text(&i.src.target.text))
            .key("target")
            .only(workbook),
        Col::text("Misurato", |_, i| {
            Cell::text(i.src.measured_text().to_string())
        })
        .key("misurato")
        .only(Formats::CSV),
        Col::figure("Misurato", |_, i| measured_cell(&i.src)).only(Formats::XLSX),
        Col::figure("Raggiungimento indicatore %", |_, i| {
            Cell::Percent(i.result.attainment, SCORE)
        })
        .short("Raggiungimento")
        .key("raggiungimento")
        .only(workbook),
        Col::text("Calcolo", |c, i| {
            Cell::text(i.result.explanation(c.peg, c.rules))
        })
        .key("calcolo")
        .only(workbook),
        Col::json("origine", |_, i| Cell::text(i.src.origin.to_string())),
    ];
    Table::new(ctx, columns).short_in(Formats::XLSX)
}

/// A measured value as the workbook types it: `-12%` a percentage, `1.234,5` a number,
/// `15/09/2020` a date (text as written when it is none of them, or yes/no).
fn measured_cell<'a>(i: &IndicatorView<'a>) -> Cell<'a> {
    let measure = match i.value {
        IndicatorValue::Measured { value, .. } => Some(value),
        IndicatorValue::Manual(m) => m.measured.as_deref().and_then(|t| read_measure(t).ok()),
    };
    match measure {
        Some(Measure::Number(n)) => Cell::Number(n, Digits::Significant),
        Some(Measure::Percent(p)) => Cell::Percent(p, Digits::Significant),
        Some(Measure::Date(d)) => Cell::Date(d),
        Some(Measure::Bool(b)) => Cell::Bool(b),
        None if i.measured_text().is_empty() => Cell::Empty,
        None => Cell::text(i.measured_text().to_string()),
    }
}

/// The indicators objective by objective, each objective's in input order (the CSV's
/// order), each with its input row.
pub fn indicators_by_objective<'a>(
    p: &'a PegResult,
    peg: &'a Peg,
) -> impl Iterator<Item = IndicatorRow<'a>> + Clone + 'a {
    let groups = p.indicators_by_objective(peg);
    p.objectives
        .iter()
        .flat_map(move |o| groups.of(o.index()))
        .map(move |i| IndicatorRow::new(i, peg))
}

/// The verifica checklist (*controlli*): verdict, check, figures, source.
pub fn checks<'a>() -> Table<'a, (), &'a Check> {
    type Col<'a> = Column<'a, (), &'a Check>;
    Table::new(
        (),
        vec![
            Col::text("Esito", |_, c| Cell::Verdict(c.verdict)).key("esito"),
            Col::text("Controllo", |_, c| Cell::text(&c.name)).key("controllo"),
            Col::text("Cifre", |_, c| Cell::text(&c.figures)).key("cifre"),
            Col::text("Fonte", |_, c| Cell::text(&c.source)).key("fonte"),
        ],
    )
}

/// The transparency table's lines (*dati relativi ai premi*): label and value.
pub fn transparency<'a>() -> Table<'a, (), &'a (String, Cell<'static>)> {
    type Col<'a> = Column<'a, (), &'a (String, Cell<'static>)>;
    Table::new(
        (),
        vec![
            Col::text("Voce", |_, l| Cell::text(&l.0)),
            Col::figure("Valore", |_, l| l.1.clone()),
        ],
    )
}

/// One figure of the reconciliation (*quadratura*): its label in the text, its shorter label
/// in the CSV (none: not in the CSV), its JSON key and its amount.
pub struct Line {
    pub label: &'static str,
    pub csv: Option<&'static str>,
    pub key: &'static str,
    pub amount: Money,
}

/// A line's label, CSV label, JSON key and amount.
type LineSpec = (
    &'static str,
    Option<&'static str>,
    &'static str,
    fn(&Reconciliation) -> Money,
);

/// The reconciliation's figures: fund and carry-overs, what was paid, carried and saved.
const MAIN: [LineSpec; 9] = [
    (
        "Fondo certificato (quota posizione + quota risultato)",
        Some("Fondo certificato"),
        "fondo",
        |r| r.fund,
    ),
    (
        "Riporti da anni precedenti",
        Some("Riporti"),
        "riporti",
        |r| r.carryovers,
    ),
    (
        "Posizione erogata",
        Some("Posizione erogata"),
        "posizione_erogata",
        |r| r.position_paid,
    ),
    (
        "Posizione non utilizzata, passata al risultato dello stesso anno",
        None,
        "posizione_non_utilizzata",
        |r| r.unused_position,
    ),
    (
        "Risultato da ripartire",
        None,
        "risultato_da_ripartire",
        |r| r.result_pot,
    ),
    (
        "Risultato erogato",
        Some("Risultato erogato"),
        "risultato_erogato",
        |r| r.result_paid,
    ),
    ("Interim erogato", Some("Interim erogato"), "interim", |r| {
        r.interim
    }),
    (
        "Residui riportati all'anno successivo",
        Some("Residui riportati"),
        "residui_riportati",
        |r| r.carried_residual,
    ),
    ("Economie", Some("Economie"), "economie", |r| r.economie),
];

/// The detail of the savings (*economie*).
const SAVINGS: [LineSpec; 6] = [
    (
        "riduzioni della quota teorica",
        None,
        "riduzioni_quota_teorica",
        |r| r.economie_detail.quota_reductions,
    ),
    ("quote di non idonei", None, "quote_non_idonei", |r| {
        r.economie_detail.ineligible_quotas
    }),
    ("non ripartito", None, "non_ripartito", |r| {
        r.economie_detail.undistributed
    }),
    (
        "riduzioni per compensi ex lege",
        None,
        "riduzioni_compensi",
        |r| r.economie_detail.fee_reductions,
    ),
    ("interim non erogato", None, "interim_non_erogato", |r| {
        r.economie_detail.interim_unpaid
    }),
    (
        "meno maggiorazioni art. 30 pagate con le economie",
        None,
        "maggiorazioni_art30",
        |r| {
            Money::ZERO
                .checked_sub(r.economie_detail.art30_supplements)
                .unwrap_or(Money::ZERO)
        },
    ),
];

/// The reconciliation's figures, then the detail of the savings, which the text indents and
/// the JSON nests.
pub fn reconciliation(r: &Reconciliation) -> (Vec<Line>, Vec<Line>) {
    let lines = |specs: &[LineSpec]| -> Vec<Line> {
        specs
            .iter()
            .map(|&(label, csv, key, amount)| Line {
                label,
                csv,
                key,
                amount: amount(r),
            })
            .collect()
    };
    // The art. 30 supplements' line only where they took something from the economie.
    let mut savings = lines(&SAVINGS);
    savings.retain(|l| l.key != "maggiorazioni_art30" || !l.amount.value().is_zero());
    savings.extend(
        lines(&NEW_SAVINGS)
            .into_iter()
            .filter(|l| !l.amount.value().is_zero()),
    );
    (lines(&MAIN), savings)
}

/// The causes of savings added with the fixed result bases, `riduzioni.csv` and
/// `quota_ente`: listed only when not zero, so that a year without them reads as before.
const NEW_SAVINGS: [LineSpec; 3] = [
    (
        "risultato non assegnato ai posti (vacanti o scoperti)",
        None,
        "non_assegnato",
        |r| r.economie_detail.unassigned,
    ),
    (
        "riduzioni dichiarate (riduzioni.csv)",
        None,
        "riduzioni",
        |r| r.economie_detail.reductions,
    ),
    (
        "quote a carico di altro ente (dirigenti in convenzione)",
        None,
        "altro_ente",
        |r| r.economie_detail.other_ente,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The employer's charges: the exact product rounded once with the rules' rounding.
    #[test]
    fn charges_are_rounded_once_with_the_rules_rounding() {
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        let m = |s: &str| Money::from_cents_decimal(d(s)).expect("cents");
        let c = |rounding| Charges {
            contributions: Percent::new(d("23.80")),
            irap: Percent::new(d("8.50")),
            rounding,
        };
        let half_up = c(Rounding::HalfUp);
        // 50.726,00 × 23,80% = 12.072,788; × 8,50% = 4.311,71.
        assert_eq!(
            half_up.charge(m("50726"), half_up.contributions),
            m("12072.79")
        );
        assert_eq!(half_up.charge(m("50726"), half_up.irap), m("4311.71"));
        // 48.875,00 × 8,50% = 4.154,375: half up 4.154,38, half even 4.154,38, down 4.154,37.
        assert_eq!(half_up.charge(m("48875"), half_up.irap), m("4154.38"));
        let down = c(Rounding::Down);
        assert_eq!(down.charge(m("48875"), down.irap), m("4154.37"));
        let even = c(Rounding::HalfEven);
        // 47.625,00 × 8,50% = 4.048,125: half even 4.048,12.
        assert_eq!(even.charge(m("47625"), even.irap), m("4048.12"));
    }

    /// The workbook types measured values: a `-12%` is a percentage, not text.
    #[test]
    fn measured_values_are_typed_for_the_workbook() {
        let objectives = "codice;matricola;titolo;peso\nOB1;D1;Servizi;100\n";
        let indicators =
            "obiettivo;descrizione;peso;target;misurato;raggiungimento_manuale;motivazione\n\
            OB1;Spesa;20;massimo 0%;-12%;;\n\
            OB1;Pratiche;20;almeno 20;-1.234,5;;\n\
            OB1;Atto;20;entro il 31/12/2023;15/09/2023;;\n\
            OB1;Sportello;20;SI;sì;;\n\
            OB1;Cantieri;20;rispetto dei tempi;in corso;80;Verbale del NdV\n";
        let (peg, _) = crate::input::peg::read_peg(
            ("obiettivi.csv", objectives.as_bytes()),
            ("indicatori.csv", indicators.as_bytes()),
            crate::peg::WeightRule::MustSum100,
            Default::default(),
        )
        .expect("valid PEG");
        let cells: Vec<Cell> = (0..5).map(|k| measured_cell(&peg.indicator(k))).collect();
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        assert!(matches!(cells[0], Cell::Percent(p, _) if p == d("-12")));
        assert!(matches!(cells[1], Cell::Number(n, _) if n == d("-1234.5")));
        assert!(matches!(cells[2], Cell::Date(_)));
        assert!(matches!(cells[3], Cell::Bool(true)));
        assert!(matches!(&cells[4], Cell::Text(t) if t == "in corso"));
    }
}
