//! The anonymous table an ente publishes in "Amministrazione trasparente" (*dati relativi ai
//! premi*, d.lgs. 33/2013 art. 20): result pay allocated and paid, managers per score band,
//! average, minimum and maximum result pay, and a differentiation index. No names, no
//! matricole.

use rust_decimal::Decimal;

use crate::money::{round, Money, Rounding};
use crate::output::table::{Cell, Digits};
use crate::pay::PayResult;

/// One score band and how many managers fall in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub label: String,
    pub managers: usize,
}

/// The transparency table (*premi stanziati e distribuiti*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transparency {
    /// Money available for result pay: result share + carry-overs + unused position money.
    pub allocated: Money,
    /// Result pay and interim supplements paid.
    pub paid: Money,
    pub managers: usize,
    pub managers_paid: usize,
    pub bands: Vec<Band>,
    /// Over the managers paid some result pay.
    pub average: Money,
    pub minimum: Money,
    pub maximum: Money,
    /// Gini index of the result pay paid, 0 (all equal) to 1, four decimals.
    pub gini: Decimal,
}

/// Score bands: below 60, then ten points each up to 100 (included in the last).
const BANDS: [(u32, u32); 5] = [(0, 60), (60, 70), (70, 80), (80, 90), (90, 100)];

/// Builds the table from the computed pay.
pub fn transparency(p: &PayResult) -> Transparency {
    let r = &p.reconciliation;
    let allocated = r.result_pot.checked_add(r.interim).unwrap_or(Money::ZERO);
    let paid = r.result_paid.checked_add(r.interim).unwrap_or(Money::ZERO);
    let amounts: Vec<Decimal> = p
        .managers
        .iter()
        .map(|m| m.result_paid.value())
        .filter(|v| !v.is_zero())
        .collect();
    let total: Decimal = amounts.iter().sum();
    let average = if amounts.is_empty() {
        Money::ZERO
    } else {
        Money::from_exact(total / Decimal::from(amounts.len()), Rounding::HalfUp)
    };
    let exact = |d: &Decimal| Money::from_exact(*d, Rounding::HalfUp);
    Transparency {
        allocated,
        paid,
        managers: p.managers.len(),
        managers_paid: amounts.len(),
        bands: bands(p),
        average,
        minimum: amounts.iter().min().map_or(Money::ZERO, exact),
        maximum: amounts.iter().max().map_or(Money::ZERO, exact),
        gini: gini(&amounts, total),
    }
}

/// How many managers score in each band.
fn bands(p: &PayResult) -> Vec<Band> {
    BANDS
        .iter()
        .map(|&(lo, hi)| {
            let (lo_d, hi_d) = (Decimal::from(lo), Decimal::from(hi));
            let count = p
                .managers
                .iter()
                .filter(|m| m.score >= lo_d && (m.score < hi_d || (hi == 100 && m.score <= hi_d)))
                .count();
            Band {
                label: if hi == 100 {
                    format!("da {lo} a {hi}")
                } else {
                    format!("da {lo} a meno di {hi}")
                },
                managers: count,
            }
        })
        .collect()
}

/// The Gini index of the amounts paid (their sum `total`), four decimals; zero for fewer
/// than two or nothing paid.
fn gini(amounts: &[Decimal], total: Decimal) -> Decimal {
    if amounts.len() < 2 || total.is_zero() {
        return Decimal::ZERO;
    }
    // On the amounts sorted ascending: G = 2 Σ i·x_(i) / (n Σ x) − (n + 1) / n, which equals
    // Σ|x_i − x_j| / (2 n Σ x) and is linear in n.
    let n = Decimal::from(amounts.len());
    let mut sorted = amounts.to_vec();
    sorted.sort();
    let weighted: Decimal = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| Decimal::from(i + 1) * x)
        .sum();
    let g = Decimal::TWO * weighted / (n * total) - (n + Decimal::ONE) / n;
    round(g.max(Decimal::ZERO), 4, Rounding::HalfUp)
}

impl Transparency {
    /// The published lines, in order, with their Italian labels: the one list every output
    /// (CSV, workbook, HTML) prints.
    pub fn lines(&self) -> Vec<(String, Cell<'static>)> {
        let mut out = vec![
            (
                "Premi stanziati (retribuzione di risultato e interim)".to_string(),
                Cell::Amount(self.allocated),
            ),
            ("Premi distribuiti".to_string(), Cell::Amount(self.paid)),
            (
                "Dirigenti valutati".to_string(),
                Cell::Count(self.managers as i64),
            ),
            (
                "Dirigenti con retribuzione di risultato".to_string(),
                Cell::Count(self.managers_paid as i64),
            ),
        ];
        out.extend(self.bands.iter().map(|b| {
            (
                format!("Dirigenti con punteggio {}", b.label),
                Cell::Count(b.managers as i64),
            )
        }));
        out.push((
            "Retribuzione di risultato media".to_string(),
            Cell::Amount(self.average),
        ));
        out.push((
            "Retribuzione di risultato minima".to_string(),
            Cell::Amount(self.minimum),
        ));
        out.push((
            "Retribuzione di risultato massima".to_string(),
            Cell::Amount(self.maximum),
        ));
        out.push((
            "Indice di differenziazione (Gini: 0 = tutti uguali, 1 = tutto a uno)".to_string(),
            Cell::Number(self.gini, Digits::AtLeast(4)),
        ));
        out
    }
}
