//! The anonymous table an ente publishes in "Amministrazione trasparente" (*dati relativi ai
//! premi*, d.lgs. 33/2013 art. 20): result pay allocated and paid, managers per score band,
//! average, minimum and maximum result pay, and a differentiation index. No names, no
//! matricole, and no figure that tells about fewer than [`FEWEST`] managers: score bands
//! are merged, and the other figures withheld as [`WITHHELD`], by the rules of
//! [`Transparency::lines`] (stated in the table itself). The relazione illustrativa's Modulo
//! 2 D applies the same rules ([`count_publishable`], [`pay_figures_publishable`]).

use rust_decimal::Decimal;

use crate::money::{round, Money, Rounding};
use crate::output::table::{Cell, Digits};
use crate::pay::PayResult;

/// The fewest managers a published figure may describe: a count, a band or a statistic of
/// one or two people would tell about those people.
pub const FEWEST: usize = 3;

/// What a withheld figure says in its cell.
pub const WITHHELD: &str = "dato non pubblicabile";

/// Whether a group of `k` managers is too small to be described (1 or 2: 0 describes no one).
fn few(k: usize) -> bool {
    k > 0 && k < FEWEST
}

/// Whether a count of `n` managers out of the published `total` may be published: neither
/// they nor the others (`total − n`, known from the total) are one or two people.
pub fn count_publishable(n: usize, total: usize) -> bool {
    !few(n) && !few(total.saturating_sub(n))
}

/// Whether the total, minimum, maximum and differentiation index of the result pay of
/// `paid` of the `managers` may be published: at least [`FEWEST`] paid, or none paid when
/// that count is publishable.
pub fn pay_figures_publishable(paid: usize, managers: usize) -> bool {
    if paid == 0 {
        count_publishable(0, managers)
    } else {
        paid >= FEWEST
    }
}

/// How many managers were paid some result pay.
pub fn paid_count(p: &PayResult) -> usize {
    p.managers
        .iter()
        .filter(|m| !m.result_paid.value().is_zero())
        .count()
}

/// Whether the pay's totals may be published with the documents: the figures of
/// [`pay_figures_publishable`] for this pay (else a total paid is one or two people's).
pub fn pay_totals_publishable(p: &PayResult) -> bool {
    pay_figures_publishable(paid_count(p), p.managers.len())
}

/// Whether the average result pay may be published: the other figures are, and so is the
/// count of managers paid (the total paid divided by the average would give it).
pub fn average_publishable(paid: usize, managers: usize) -> bool {
    pay_figures_publishable(paid, managers) && count_publishable(paid, managers)
}

/// One score band (`from` included, `to` excluded but 100) and how many managers fall in
/// it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub label: String,
    pub from: u32,
    pub to: u32,
    pub managers: usize,
}

impl Band {
    fn new(from: u32, to: u32, managers: usize) -> Band {
        let label = if to == 100 {
            format!("da {from} a {to}")
        } else {
            format!("da {from} a meno di {to}")
        };
        Band {
            label,
            from,
            to,
            managers,
        }
    }
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
    /// The bands as published: adjacent bands merged until none holds one or two managers
    /// ([`merged`]).
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
        bands: merged(&bands(p)),
        average,
        minimum: amounts.iter().min().map_or(Money::ZERO, exact),
        maximum: amounts.iter().max().map_or(Money::ZERO, exact),
        gini: gini(&amounts, total),
    }
}

/// How many managers score in each band of [`BANDS`].
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
            Band::new(lo, hi, count)
        })
        .collect()
}

/// The bands as published: from the lowest up, a band of one or two managers is joined to
/// the next ones until the joined band holds at least [`FEWEST`]; a last band still too
/// small is joined to the band before it (and on down). A band of none stays as it is. No
/// band is withheld, so none can be worked out from the total and the others.
pub fn merged(fine: &[Band]) -> Vec<Band> {
    let mut out: Vec<Band> = Vec::new();
    let mut open: Option<Band> = None;
    for b in fine {
        let joined = match open.take() {
            Some(o) => Band::new(o.from, b.to, o.managers + b.managers),
            None => b.clone(),
        };
        if few(joined.managers) {
            open = Some(joined);
        } else {
            out.push(joined);
        }
    }
    if let Some(mut last) = open {
        while let Some(prev) = out.pop() {
            last = Band::new(prev.from, last.to, prev.managers + last.managers);
            if !few(last.managers) {
                break;
            }
        }
        out.push(last);
    }
    out
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
    /// (CSV, workbook, HTML) prints. A figure that would tell about one or two managers is
    /// [`WITHHELD`]; the last line states the rule.
    pub fn lines(&self) -> Vec<(String, Cell<'static>)> {
        let (paid, all) = (self.managers_paid, self.managers);
        let shown = |ok: bool, c: Cell<'static>| if ok { c } else { Cell::text(WITHHELD) };
        let figures = pay_figures_publishable(paid, all);
        let mut out = vec![
            (
                "Premi stanziati (retribuzione di risultato e interim)".to_string(),
                Cell::Amount(self.allocated),
            ),
            (
                "Premi distribuiti".to_string(),
                shown(figures, Cell::Amount(self.paid)),
            ),
            ("Dirigenti valutati".to_string(), count(all)),
            (
                "Dirigenti con retribuzione di risultato".to_string(),
                shown(count_publishable(paid, all), count(paid)),
            ),
        ];
        out.extend(self.bands.iter().map(|b| {
            (
                format!("Dirigenti con punteggio {}", b.label),
                count(b.managers),
            )
        }));
        out.extend([
            (
                "Retribuzione di risultato media".to_string(),
                shown(average_publishable(paid, all), Cell::Amount(self.average)),
            ),
            (
                "Retribuzione di risultato minima".to_string(),
                shown(figures, Cell::Amount(self.minimum)),
            ),
            (
                "Retribuzione di risultato massima".to_string(),
                shown(figures, Cell::Amount(self.maximum)),
            ),
            (
                "Indice di differenziazione (Gini: 0 = tutti uguali, 1 = tutto a uno)".to_string(),
                shown(figures, Cell::Number(self.gini, Digits::AtLeast(4))),
            ),
            (format!("Nota: {}", rule()), Cell::Empty),
        ]);
        out
    }
}

fn count(n: usize) -> Cell<'static> {
    Cell::Count(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The rule of what is withheld, as the table states it.
pub fn rule() -> String {
    format!(
        "tutela dei dati personali: nessun dato riguarda meno di {FEWEST} dirigenti. Le fasce di punteggio con 1 o 2 dirigenti sono unite alle fasce vicine finché ne contano almeno {FEWEST}. Il numero dei dirigenti con retribuzione di risultato non è indicato se sono 1 o 2, o se lo sono quelli senza; i premi distribuiti, la retribuzione di risultato minima e massima e l'indice di differenziazione non sono indicati se i dirigenti con retribuzione di risultato sono 1 o 2 (o nessuno, su 1 o 2 valutati); la media neppure quando il loro numero non è indicato, perché si ricaverebbe dai premi distribuiti. Questi dati sono scritti «{WITHHELD}»."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The five bands with these counts.
    fn fine(counts: [usize; 5]) -> Vec<Band> {
        BANDS
            .iter()
            .zip(counts)
            .map(|(&(lo, hi), n)| Band::new(lo, hi, n))
            .collect()
    }

    fn shown(bands: &[Band]) -> Vec<(u32, u32, usize)> {
        bands.iter().map(|b| (b.from, b.to, b.managers)).collect()
    }

    /// A band of one or two is joined upward until the joined band holds three; a last one
    /// still too small is joined downward; bands of none or of three and more stay.
    #[test]
    fn small_bands_are_merged_never_withheld() {
        // The five counts, and the bands published: from, to, managers.
        type Case = ([usize; 5], Vec<(u32, u32, usize)>);
        let cases: [Case; 5] = [
            // Prato: one below 60, none in 60-70, three in 70-80.
            (
                [1, 0, 3, 12, 4],
                vec![(0, 80, 4), (80, 90, 12), (90, 100, 4)],
            ),
            // One manager: one band over the whole range.
            ([0, 0, 0, 1, 0], vec![(0, 100, 1)]),
            // The last band of two joins the one before.
            (
                [0, 0, 3, 3, 2],
                vec![(0, 60, 0), (60, 70, 0), (70, 80, 3), (80, 100, 5)],
            ),
            // Two, then two: joined at four.
            (
                [0, 2, 2, 5, 0],
                vec![(0, 60, 0), (60, 80, 4), (80, 90, 5), (90, 100, 0)],
            ),
            // Nothing to merge.
            (
                [3, 0, 4, 5, 6],
                vec![
                    (0, 60, 3),
                    (60, 70, 0),
                    (70, 80, 4),
                    (80, 90, 5),
                    (90, 100, 6),
                ],
            ),
        ];
        for (counts, expected) in cases {
            let merged = merged(&fine(counts));
            assert_eq!(shown(&merged), expected, "{counts:?}");
            assert!(merged.iter().all(|b| !few(b.managers)) || merged.len() == 1);
            let total: usize = counts.iter().sum();
            assert_eq!(merged.iter().map(|b| b.managers).sum::<usize>(), total);
        }
        assert_eq!(merged(&fine([0, 0, 3, 3, 2]))[3].label, "da 80 a 100");
        assert_eq!(
            merged(&fine([1, 0, 3, 12, 4]))[0].label,
            "da 0 a meno di 80"
        );
    }

    /// A count is withheld when it or the rest of the total is one or two; the pay figures
    /// with fewer than three paid, and the average also when the count is withheld.
    #[test]
    fn small_groups_are_withheld() {
        assert!(!count_publishable(1, 1));
        assert!(!count_publishable(0, 1));
        assert!(!count_publishable(19, 20));
        assert!(!count_publishable(2, 8));
        assert!(count_publishable(0, 8));
        assert!(count_publishable(8, 8));
        assert!(count_publishable(3, 6));
        assert!(!pay_figures_publishable(2, 10));
        assert!(!pay_figures_publishable(0, 2));
        assert!(pay_figures_publishable(0, 5));
        assert!(pay_figures_publishable(19, 20));
        assert!(!average_publishable(19, 20));
        assert!(average_publishable(8, 8));
    }
}
