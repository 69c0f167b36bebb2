//! What-ifs person by person (`ccdi confronta`): the figures of two runs (the same data under
//! two rules files, A and B) in, the comparison out. Per manager and per fund line: both
//! figures, the difference B − A and the percentage change, sorted by absolute difference;
//! with the two checks that close it: the managers' differences add up to the change of the
//! total paid, and the change of the fund and carry-overs is the change paid plus the change
//! of the residuals carried and of the economie. Pure: each side is built from an outcome
//! ([`Side::of`]) or, by the input wing, from a certified `fondo.json`.

use std::collections::BTreeMap;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::engine::Outcome;
use crate::fund::FundResult;
use crate::money::{round, Money, Rounding};
use crate::pay::{ManagerPay, Reconciliation};
use crate::rules::Rules;

/// How many figures a manager's row compares: position, result paid, the art. 30
/// differentiation (included in the result), interim, total.
pub const MANAGER_FIGURES: usize = 5;

/// The index of the total among a manager's figures.
pub const TOTAL: usize = 4;

/// One manager's figures on one side: position paid, result paid, art. 30 movement, interim,
/// total paid from this fund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagerFigures {
    pub matricola: Arc<str>,
    pub name: Arc<str>,
    pub figures: [Money; MANAGER_FIGURES],
}

impl ManagerFigures {
    /// A manager's figures as the pay computed them.
    pub fn of(m: &ManagerPay) -> ManagerFigures {
        ManagerFigures {
            matricola: m.matricola.clone(),
            name: m.name.clone(),
            figures: [
                m.position_paid,
                m.result_paid,
                m.art30_supplement,
                m.interim,
                m.total,
            ],
        }
    }
}

/// One line of the fund on one side: its key (the `fondo.json` key, `risorsa:<codice>` for an
/// item), its description and its amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFigure {
    pub key: String,
    pub description: String,
    pub amount: Money,
}

impl LineFigure {
    pub fn new(key: impl Into<String>, description: impl Into<String>, amount: Money) -> Self {
        LineFigure {
            key: key.into(),
            description: description.into(),
            amount,
        }
    }
}

/// The keys of the lines the closing checks read.
pub mod keys {
    pub const FUND: &str = "fondo";
    pub const CARRYOVERS: &str = "riporti";
    pub const PAID: &str = "totale_erogato";
    pub const RESIDUALS: &str = "residui_riportati";
    pub const ECONOMIE: &str = "economie";
}

/// One side of a comparison: where its figures come from and the figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// The rules file (or the `fondo.json`) the figures come from.
    pub file: String,
    pub ente: String,
    pub year: i32,
    /// Each manager's figures; `None` when the run had no data folder.
    pub managers: Option<Vec<ManagerFigures>>,
    /// The fund's lines in the order they are read.
    pub lines: Vec<LineFigure>,
}

/// The fund's figures of one side, as `fondo.json` states them too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundFigures {
    pub stable: Money,
    pub variable: Money,
    pub cuts: Money,
    pub fund: Money,
    pub position: Money,
    pub result: Money,
    pub carryovers: Money,
    /// Fund plus carry-overs.
    pub grand_total: Money,
    /// Each resource: code, description, amount.
    pub resource_items: Vec<(String, String, Money)>,
    /// Each cut: code, description, amount.
    pub cut_items: Vec<(String, String, Money)>,
}

impl FundFigures {
    /// The figures of a fund as computed from its rules.
    pub fn of(rules: &Rules, f: &FundResult) -> FundFigures {
        let items = |items: &[crate::rules::FundItem]| {
            items
                .iter()
                .map(|i| (i.code.clone(), i.description.clone(), i.amount))
                .collect()
        };
        FundFigures {
            stable: f.stable,
            variable: f.variable,
            cuts: f.cuts,
            fund: f.fund,
            position: f.position,
            result: f.result,
            carryovers: f.carryover_total,
            grand_total: f.grand_total,
            resource_items: items(&rules.resources),
            cut_items: items(&rules.cuts),
        }
    }

    /// The fund's constitution and split, then each resource and cut by its code.
    fn lines(&self) -> Vec<LineFigure> {
        let mut lines = vec![
            LineFigure::new("risorse_stabili", "Risorse stabili", self.stable),
            LineFigure::new("risorse_variabili", "Risorse variabili", self.variable),
            LineFigure::new("totale_decurtazioni", "Decurtazioni", self.cuts),
            LineFigure::new(keys::FUND, "Fondo certificato", self.fund),
            LineFigure::new(
                "quota_posizione",
                "Quota per la retribuzione di posizione",
                self.position,
            ),
            LineFigure::new(
                "quota_risultato",
                "Quota per la retribuzione di risultato",
                self.result,
            ),
            LineFigure::new(
                keys::CARRYOVERS,
                "Riporti da anni precedenti",
                self.carryovers,
            ),
            LineFigure::new("fondo_e_riporti", "Fondo e riporti", self.grand_total),
        ];
        let items = |kind: &str, label: &str, items: &[(String, String, Money)]| {
            items
                .iter()
                .map(|(code, description, amount)| {
                    LineFigure::new(
                        format!("{kind}:{code}"),
                        format!("{label}: {description} ({code})"),
                        *amount,
                    )
                })
                .collect::<Vec<_>>()
        };
        lines.extend(items("risorsa", "Risorsa", &self.resource_items));
        lines.extend(items("decurtazione", "Decurtazione", &self.cut_items));
        lines
    }
}

/// What was paid, carried and saved on one side (the reconciliation's figures).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaidFigures {
    pub position_paid: Money,
    pub unused_position: Money,
    pub result_pot: Money,
    pub result_paid: Money,
    pub interim: Money,
    pub carried_residual: Money,
    pub economie: Money,
}

impl PaidFigures {
    pub fn of(r: &Reconciliation) -> PaidFigures {
        PaidFigures {
            position_paid: r.position_paid,
            unused_position: r.unused_position,
            result_pot: r.result_pot,
            result_paid: r.result_paid,
            interim: r.interim,
            carried_residual: r.carried_residual,
            economie: r.economie,
        }
    }

    /// The reconciliation's lines, with the total paid to the managers.
    fn lines(&self) -> Result<Vec<LineFigure>, CompareError> {
        let paid = Money::checked_sum([self.position_paid, self.result_paid, self.interim])
            .ok_or(CompareError::Overflow)?;
        Ok(vec![
            LineFigure::new("posizione_erogata", "Posizione erogata", self.position_paid),
            LineFigure::new(
                "posizione_non_utilizzata",
                "Posizione non utilizzata, passata al risultato dello stesso anno",
                self.unused_position,
            ),
            LineFigure::new(
                "risultato_da_ripartire",
                "Risultato da ripartire",
                self.result_pot,
            ),
            LineFigure::new("risultato_erogato", "Risultato erogato", self.result_paid),
            LineFigure::new("interim", "Interim erogato", self.interim),
            LineFigure::new(keys::PAID, "Totale erogato ai dirigenti", paid),
            LineFigure::new(
                keys::RESIDUALS,
                "Residui riportati all'anno successivo",
                self.carried_residual,
            ),
            LineFigure::new(keys::ECONOMIE, "Economie", self.economie),
        ])
    }
}

impl Side {
    /// The figures of one run.
    pub fn of(rules: &Rules, outcome: &Outcome) -> Result<Side, CompareError> {
        Side::from_figures(
            (&rules.file, &rules.ente, rules.year),
            &FundFigures::of(rules, &outcome.fund),
            outcome
                .pay
                .as_ref()
                .map(|p| PaidFigures::of(&p.reconciliation)),
            outcome
                .pay
                .as_ref()
                .map(|p| p.managers.iter().map(ManagerFigures::of).collect()),
        )
    }

    /// A side from its figures: the file they come from, the ente and the year; the fund;
    /// what was paid and each manager's figures, when known.
    pub fn from_figures(
        (file, ente, year): (&str, &str, i32),
        fund: &FundFigures,
        paid: Option<PaidFigures>,
        managers: Option<Vec<ManagerFigures>>,
    ) -> Result<Side, CompareError> {
        let mut lines = fund.lines();
        if let Some(p) = paid {
            lines.extend(p.lines()?);
        }
        Ok(Side {
            file: file.to_string(),
            ente: ente.to_string(),
            year,
            managers,
            lines,
        })
    }
}

/// Why a comparison could not be made (only on amounts beyond any real budget).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    #[error("confronto impossibile: importi troppo grandi")]
    Overflow,
}

/// Which sides have a manager or a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Both,
    OnlyA,
    OnlyB,
}

/// One figure under A and under B: the difference B − A and the percentage change (display,
/// two decimals half-up; `None` when A is zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub a: Money,
    pub b: Money,
    pub diff: Money,
    pub percent: Option<Decimal>,
}

impl Change {
    pub fn new(a: Money, b: Money) -> Result<Change, CompareError> {
        let diff = b.checked_sub(a).ok_or(CompareError::Overflow)?;
        let percent = match a.value().is_zero() {
            true => None,
            false => {
                let exact = diff
                    .value()
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .and_then(|x| x.checked_div(a.value()))
                    .ok_or(CompareError::Overflow)?;
                Some(round(exact, 2, Rounding::HalfUp))
            }
        };
        Ok(Change {
            a,
            b,
            diff,
            percent,
        })
    }

    /// |B − A| in cents, for the order (amounts are bounded well within `i64` cents).
    fn size(&self) -> u64 {
        self.diff.cents().map_or(u64::MAX, i64::unsigned_abs)
    }
}

/// One manager compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagerChange {
    pub matricola: Arc<str>,
    pub name: Arc<str>,
    pub presence: Presence,
    /// Position, result paid, art. 30, interim, total: as [`ManagerFigures::figures`].
    pub figures: [Change; MANAGER_FIGURES],
}

impl ManagerChange {
    pub fn total(&self) -> &Change {
        &self.figures[TOTAL]
    }
}

/// One fund line compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineChange {
    pub key: String,
    pub description: String,
    pub presence: Presence,
    pub change: Change,
}

/// The checks that close the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closing {
    /// Σ over the managers of their total's difference.
    pub managers_sum: Money,
    /// The change of the total paid to the managers (reconciliation: position + result +
    /// interim paid).
    pub paid: Money,
    /// The change of the fund plus the change of the carry-overs.
    pub fund: Money,
    /// The change of the residuals carried to the next year.
    pub residuals: Money,
    /// The change of the economie.
    pub economie: Money,
}

impl Closing {
    /// The managers' differences add up to the change of the total paid.
    pub fn managers_agree(&self) -> bool {
        self.managers_sum == self.paid
    }

    /// The change of the fund and carry-overs = change paid + residuals + economie.
    pub fn fund_agrees(&self) -> bool {
        Money::checked_sum([self.paid, self.residuals, self.economie]) == Some(self.fund)
    }
}

/// Where a side's figures come from: its file, ente and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub ente: String,
    pub year: i32,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub a: Origin,
    pub b: Origin,
    /// Sorted by the absolute difference of the total, largest first, ties by matricola;
    /// `None` when a side has no managers.
    pub managers: Option<Vec<ManagerChange>>,
    /// Sorted by the absolute difference, largest first, ties in the order of the lines.
    pub lines: Vec<LineChange>,
    /// `None` when a side has no managers or no total paid.
    pub closing: Option<Closing>,
}

/// Compares two sides.
pub fn compare(a: &Side, b: &Side) -> Result<Comparison, CompareError> {
    let managers = match (&a.managers, &b.managers) {
        (Some(ma), Some(mb)) => Some(managers(ma, mb)?),
        _ => None,
    };
    let lines = lines(&a.lines, &b.lines)?;
    let closing = match &managers {
        Some(m) => closing(m, &lines)?,
        None => None,
    };
    let origin = |s: &Side| Origin {
        file: s.file.clone(),
        ente: s.ente.clone(),
        year: s.year,
    };
    Ok(Comparison {
        a: origin(a),
        b: origin(b),
        managers,
        lines,
        closing,
    })
}

/// The managers of either side, joined by matricola (zero on the side that lacks one).
fn managers(
    a: &[ManagerFigures],
    b: &[ManagerFigures],
) -> Result<Vec<ManagerChange>, CompareError> {
    let mut joined: BTreeMap<&str, (Option<&ManagerFigures>, Option<&ManagerFigures>)> =
        BTreeMap::new();
    for m in a {
        joined.entry(&m.matricola).or_default().0 = Some(m);
    }
    for m in b {
        joined.entry(&m.matricola).or_default().1 = Some(m);
    }
    let zero = [Money::ZERO; MANAGER_FIGURES];
    let mut out = Vec::with_capacity(joined.len());
    for (ma, mb) in joined.into_values() {
        let (presence, named) = match (ma, mb) {
            (Some(x), Some(_)) => (Presence::Both, x),
            (Some(x), None) => (Presence::OnlyA, x),
            (None, Some(y)) => (Presence::OnlyB, y),
            (None, None) => continue,
        };
        let fa = ma.map_or(&zero, |m| &m.figures);
        let fb = mb.map_or(&zero, |m| &m.figures);
        let mut figures = [Change::new(Money::ZERO, Money::ZERO)?; MANAGER_FIGURES];
        for (k, f) in figures.iter_mut().enumerate() {
            *f = Change::new(fa[k], fb[k])?;
        }
        out.push(ManagerChange {
            matricola: named.matricola.clone(),
            name: named.name.clone(),
            presence,
            figures,
        });
    }
    // Stable: the matricola order of the join breaks the ties.
    out.sort_by_key(|m| std::cmp::Reverse(m.total().size()));
    Ok(out)
}

/// The lines of either side, joined by key in A's order then B's own.
fn lines(a: &[LineFigure], b: &[LineFigure]) -> Result<Vec<LineChange>, CompareError> {
    let in_b: BTreeMap<&str, &LineFigure> = b.iter().map(|l| (l.key.as_str(), l)).collect();
    let in_a: BTreeMap<&str, &LineFigure> = a.iter().map(|l| (l.key.as_str(), l)).collect();
    let mut out = Vec::with_capacity(a.len() + b.len());
    for l in a {
        let (presence, other) = match in_b.get(l.key.as_str()) {
            Some(o) => (Presence::Both, o.amount),
            None => (Presence::OnlyA, Money::ZERO),
        };
        out.push(line(l, presence, Change::new(l.amount, other)?));
    }
    for l in b.iter().filter(|l| !in_a.contains_key(l.key.as_str())) {
        out.push(line(
            l,
            Presence::OnlyB,
            Change::new(Money::ZERO, l.amount)?,
        ));
    }
    out.sort_by_key(|l| std::cmp::Reverse(l.change.size()));
    Ok(out)
}

fn line(l: &LineFigure, presence: Presence, change: Change) -> LineChange {
    LineChange {
        key: l.key.clone(),
        description: l.description.clone(),
        presence,
        change,
    }
}

/// The closing checks, when both sides have the lines they need.
fn closing(
    managers: &[ManagerChange],
    lines: &[LineChange],
) -> Result<Option<Closing>, CompareError> {
    let diff = |key: &str| {
        lines
            .iter()
            .find(|l| l.key == key && l.presence == Presence::Both)
            .map(|l| l.change.diff)
    };
    let (Some(paid), Some(fund), Some(carry), Some(residuals), Some(economie)) = (
        diff(keys::PAID),
        diff(keys::FUND),
        diff(keys::CARRYOVERS),
        diff(keys::RESIDUALS),
        diff(keys::ECONOMIE),
    ) else {
        return Ok(None);
    };
    let managers_sum = Money::checked_sum(managers.iter().map(|m| m.total().diff))
        .ok_or(CompareError::Overflow)?;
    Ok(Some(Closing {
        managers_sum,
        paid,
        fund: fund.checked_add(carry).ok_or(CompareError::Overflow)?,
        residuals,
        economie,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(cents: i64) -> Money {
        Money::from_cents(cents)
    }

    /// The percentage is (B − A) / A × 100, two decimals half-up; none when A is zero.
    #[test]
    fn the_change_states_difference_and_percentage() {
        let c = Change::new(m(300), m(400)).unwrap();
        assert_eq!(c.diff, m(100));
        // 1 / 3 × 100 = 33,333… → 33,33
        assert_eq!(c.percent, Some(Decimal::new(3333, 2)));
        let c = Change::new(m(800), m(700)).unwrap();
        // −1 / 8 × 100 = −12,5
        assert_eq!(c.percent, Some(Decimal::new(-1250, 2)));
        let c = Change::new(m(600), m(601)).unwrap();
        // 1 / 600 × 100 = 0,1666… → 0,17
        assert_eq!(c.percent, Some(Decimal::new(17, 2)));
        assert_eq!(Change::new(m(0), m(5)).unwrap().percent, None);
    }

    fn side(managers: &[(&str, i64)], lines: &[(&str, i64)]) -> Side {
        Side {
            file: "a.toml".into(),
            ente: "Ente".into(),
            year: 2024,
            managers: Some(
                managers
                    .iter()
                    .map(|&(mat, total)| ManagerFigures {
                        matricola: mat.into(),
                        name: mat.into(),
                        figures: [m(0), m(0), m(0), m(0), m(total)],
                    })
                    .collect(),
            ),
            lines: lines
                .iter()
                .map(|&(k, v)| LineFigure::new(k, k, m(v)))
                .collect(),
        }
    }

    /// Sorted by absolute difference, ties by matricola; a manager on one side only counts
    /// zero on the other; the closing checks hold when the figures agree.
    #[test]
    fn managers_are_sorted_and_the_closing_checks_hold() {
        let closing_lines = |paid, eco| {
            vec![
                (keys::FUND, 1000),
                (keys::CARRYOVERS, 0),
                (keys::PAID, paid),
                (keys::RESIDUALS, 0),
                (keys::ECONOMIE, eco),
            ]
        };
        let a = side(
            &[("D2", 500), ("D1", 300), ("D3", 100)],
            &closing_lines(900, 100),
        );
        let b = side(
            &[("D1", 200), ("D2", 600), ("D4", 50)],
            &closing_lines(850, 150),
        );
        let c = compare(&a, &b).unwrap();
        let order: Vec<(&str, i64)> = c
            .managers
            .as_ref()
            .unwrap()
            .iter()
            .map(|x| (&*x.matricola, x.total().diff.cents().unwrap()))
            .collect();
        // D1 −100 and D2 +100 tie: matricola order; then D3 −100 (only in A)... all 100
        // apart from D4 +50.
        assert_eq!(order, [("D1", -100), ("D2", 100), ("D3", -100), ("D4", 50)]);
        let closing = c.closing.unwrap();
        assert_eq!(closing.managers_sum, m(-50));
        assert!(closing.managers_agree());
        assert!(closing.fund_agrees());
        assert_eq!(c.lines[0].change.diff.cents(), Some(-50));
    }
}
