//! The printable HTML report: one self-contained file (no external fonts, scripts or images),
//! in Italian, for the screen and for A4 paper, with inline SVG charts drawn here: the fund's
//! composition, each manager's score against their result pay, and how the scores and
//! coefficients are distributed. Pure: returns a `String`.

use std::collections::BTreeMap;
use std::fmt::Write;

use rust_decimal::Decimal;

use crate::audit::{Check, Verdict};
use crate::engine::{Inputs, Outcome};
use crate::money::{format_it, round, Money, Rounding};
use crate::output::documents::Document;
use crate::output::table::{Cell, Format, Table};
use crate::output::tables::{self, ObjectiveRow, PegContext};
use crate::output::transparency::Transparency;
use crate::output::ENGINE;
use crate::pay::PayResult;
use crate::rules::Rules;

/// Escapes text for HTML content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An SVG coordinate: one decimal, dot separator.
fn c(d: Decimal) -> String {
    round(d, 1, Rounding::HalfUp).normalize().to_string()
}

const STYLE: &str = r#"
@page { size: A4; margin: 14mm 12mm 18mm; @bottom-center { content: "Pagina " counter(page) " di " counter(pages); font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; color: #1a1a1a; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
h2 { font-size: 13pt; border-bottom: 1px solid #999; padding-bottom: 2pt; margin-top: 18pt; }
h3 { font-size: 11pt; margin: 12pt 0 4pt; }
h1, h2, h3, p.didascalia { break-after: avoid; page-break-after: avoid; break-inside: avoid; page-break-inside: avoid; }
h1 + p, h2 + p.nota, h3 + p.nota { break-after: avoid; page-break-after: avoid; }
p.nota, p.intro { color: #444; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; }
th, td { border: 1px solid #bbb; padding: 2pt 4pt; vertical-align: top; }
th { background: #eee; text-align: left; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.tot td { font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.ok { color: #176d2c; } .ko { color: #b00020; font-weight: bold; } .av { color: #8a5a00; }
svg { display: block; margin: 6pt 0; max-width: 100%; height: auto; break-inside: avoid; page-break-inside: avoid; }
svg text { font-family: inherit; font-size: 12px; fill: #1a1a1a; }
svg text.etichetta { font-size: 10px; fill: #0d3a6e; }
section { break-before: page; page-break-before: always; }
section.prima { break-before: auto; page-break-before: auto; }
code { font-size: 8pt; word-break: break-all; }
table.larga { font-size: 7.5pt; }
table.larga th, table.larga td { padding: 1pt 2pt; }
p.didascalia { font-weight: bold; margin: 8pt 0 0; }
@media print { a { color: inherit; text-decoration: none; } }
"#;

/// The running head of every printed page (`@page`'s top left margin box): the report's
/// title as a CSS string.
fn page_head(title: &str) -> String {
    let mut css = String::from("@page { @top-left { content: \"");
    for ch in title.chars() {
        match ch {
            '"' | '\\' | '<' | '>' | '&' => {
                let _ = write!(css, "\\{:x} ", u32::from(ch));
            }
            c if c.is_control() => css.push(' '),
            c => css.push(c),
        }
    }
    css.push_str("\"; font-family: \"DejaVu Sans\", \"Liberation Sans\", Arial, sans-serif; font-size: 8pt; color: #555; } }\n");
    css
}

/// A defined table: its HTML columns, the rows, then its total row if it has one; `class`
/// is the table's CSS class (`larga`: many columns, smaller type so it fits A4).
fn table<C, R>(
    out: &mut String,
    class: &str,
    t: &Table<C, R>,
    rows: impl Iterator<Item = R> + Clone,
) {
    let right = t.right(Format::Html);
    let mut body: Vec<Vec<(Cell, bool)>> = rows
        .clone()
        .map(|r| {
            t.cells(Format::Html, &r)
                .into_iter()
                .zip(right.iter().copied())
                .collect()
        })
        .collect();
    let total = t.total_row(Format::Html, rows);
    body.extend(total.map(|cells| {
        cells
            .into_iter()
            .map(|c| (c.clone(), c.is_figure()))
            .collect()
    }));
    let bold_last = t.ends_with_total() || t.has_total(Format::Html);
    write_table(out, class, &t.headers(Format::Html), &body, bold_last);
}

/// Writes a table of cells, each with whether it is right-aligned; a verdict is coloured.
fn write_table(
    out: &mut String,
    class: &str,
    headers: &[String],
    rows: &[Vec<(Cell, bool)>],
    bold_last: bool,
) {
    if class.is_empty() {
        out.push_str("<table><thead><tr>");
    } else {
        let _ = write!(out, "<table class=\"{class}\"><thead><tr>");
    }
    for h in headers {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for (i, r) in rows.iter().enumerate() {
        if bold_last && i + 1 == rows.len() {
            out.push_str("<tr class=\"tot\">");
        } else {
            out.push_str("<tr>");
        }
        for (cell, right) in r {
            let text = esc(&cell.readable());
            match cell {
                Cell::Verdict(v) => {
                    let _ = write!(out, "<td class=\"{}\">{text}</td>", verdict_class(*v));
                }
                _ if *right => {
                    let _ = write!(out, "<td class=\"n\">{text}</td>");
                }
                _ => {
                    let _ = write!(out, "<td>{text}</td>");
                }
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

/// Horizontal stacked bar of the fund's uses: position, result, carry-overs.
fn composition_chart(parts: &[(&str, Money, &str)]) -> String {
    let total: Decimal = parts.iter().map(|p| p.1.value()).sum();
    let width = Decimal::from(560);
    let mut x = Decimal::from(10);
    let mut svg = String::from(
        "<svg viewBox=\"0 0 580 110\" width=\"580\" height=\"110\" role=\"img\" aria-label=\"Composizione delle risorse\">",
    );
    // The legend's percentages add to 100,00 like every displayed column.
    let amounts: Vec<Money> = parts.iter().map(|p| p.1).collect();
    let total_money = Money::checked_sum(amounts.iter().copied()).unwrap_or(Money::ZERO);
    let pcts = crate::alloc::percent_column(&amounts, total_money)
        .map(|c| c.values)
        .unwrap_or_default();
    for (i, (label, amount, color)) in parts.iter().enumerate() {
        let w = if total.is_zero() {
            Decimal::ZERO
        } else {
            width * amount.value() / total
        };
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"10\" width=\"{}\" height=\"34\" fill=\"{color}\"><title>{}: {}</title></rect>",
            c(x),
            c(w),
            esc(label),
            amount.it()
        );
        let pct = pcts.get(i).map_or(Decimal::ZERO, |p| p.value());
        let ly = 62 + 16 * i;
        let _ = write!(
            svg,
            "<rect x=\"10\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"26\" y=\"{}\">{}: {} € ({}%)</text>",
            ly - 9,
            ly,
            esc(label),
            amount.it(),
            format_it(pct, 2)
        );
        x += w;
    }
    svg.push_str("</svg>");
    svg
}

/// The scatter chart's plotting area: origin (bottom left) and size, in SVG units.
struct Plot {
    x0: Decimal,
    y0: Decimal,
    w: Decimal,
    h: Decimal,
}

impl Plot {
    fn new() -> Plot {
        Plot {
            x0: Decimal::from(80),
            y0: Decimal::from(240),
            w: Decimal::from(490),
            h: Decimal::from(220),
        }
    }

    /// The x of a score (0-100).
    fn x(&self, score: Decimal) -> Decimal {
        self.x0 + self.w * score / Decimal::ONE_HUNDRED
    }

    /// The y of `num / den` of the height (multiplied first, as the figures were drawn).
    fn y(&self, num: Decimal, den: Decimal) -> Decimal {
        self.y0 - self.h * num / den
    }
}

/// Each manager's score (x, 0-100) against result pay paid (y), with the threshold line;
/// each point labelled with its matricola where the label fits (see [`point_labels`]), the
/// points left without one listed under the chart.
fn scatter_chart(points: &[(String, Decimal, Money)], threshold: Decimal) -> String {
    let plot = Plot::new();
    let max = points
        .iter()
        .map(|p| p.2.value())
        .max()
        .unwrap_or(Decimal::ONE)
        .max(Decimal::ONE);
    let mut svg = String::from(
        "<svg viewBox=\"0 0 600 276\" width=\"600\" height=\"276\" role=\"img\" aria-label=\"Punteggio e retribuzione di risultato\">",
    );
    scatter_axes(&mut svg, &plot, max);
    let tx = round(plot.x(threshold), 1, Rounding::HalfUp);
    let _ = write!(
        svg,
        "<line x1=\"{0}\" y1=\"20\" x2=\"{0}\" y2=\"240\" stroke=\"#b00020\" stroke-dasharray=\"4 3\"/><text x=\"{0}\" y=\"16\" text-anchor=\"middle\">soglia {1}</text>",
        c(tx),
        format_it(threshold.normalize(), 0)
    );
    let at: Vec<(Decimal, Decimal)> = points
        .iter()
        .map(|(_, score, pay)| {
            let x = round(plot.x(*score), 1, Rounding::HalfUp);
            (x, round(plot.y(pay.value(), max), 1, Rounding::HalfUp))
        })
        .collect();
    for ((label, score, pay), (x, y)) in points.iter().zip(&at) {
        let _ = write!(
            svg,
            "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"#1f5fa8\"><title>{}: punteggio {}, risultato {} €</title></circle>",
            c(*x),
            c(*y),
            esc(label),
            format_it(*score, 2),
            pay.it()
        );
    }
    let names: Vec<&str> = points.iter().map(|p| p.0.as_str()).collect();
    let (labels, unlabelled) = point_labels(&names, &at, tx);
    svg.push_str(&labels);
    let _ = write!(
        svg,
        "<text x=\"325\" y=\"268\" text-anchor=\"middle\">punteggio</text><text x=\"14\" y=\"130\" transform=\"rotate(-90 14 130)\" text-anchor=\"middle\">risultato (€)</text>"
    );
    svg.push_str("</svg>");
    svg.push_str(&unlabelled_note(points, &unlabelled));
    svg
}

/// Up to this many managers the scatter's points carry their matricole.
const LABELLED_UP_TO: usize = 80;

/// A rectangle of the scatter chart (left, top, right, bottom), in SVG units.
#[derive(Debug, Clone, Copy)]
struct Area(Decimal, Decimal, Decimal, Decimal);

impl Area {
    fn around(x: Decimal, y: Decimal, half: i64) -> Area {
        let h = Decimal::from(half);
        Area(x - h, y - h, x + h, y + h)
    }

    fn overlaps(&self, o: &Area) -> bool {
        self.0 < o.2 && o.0 < self.2 && self.1 < o.3 && o.1 < self.3
    }

    /// Inside the plotting area, clear of the axes' figures and the threshold's label.
    fn inside_plot(&self) -> bool {
        self.0 >= Decimal::from(82)
            && self.2 <= Decimal::from(598)
            && self.1 >= Decimal::from(18)
            && self.3 <= Decimal::from(238)
    }
}

/// Where a point's label may go, tried in order: the text's anchor offset from the point
/// and its alignment (right, left, above, below, then the corners).
const PLACES: [(i64, i64, &str); 8] = [
    (7, 4, "start"),
    (-7, 4, "end"),
    (0, -8, "middle"),
    (0, 16, "middle"),
    (5, -6, "start"),
    (5, 14, "start"),
    (-5, -6, "end"),
    (-5, 14, "end"),
];

/// The area of a label of `chars` characters (10 px type, about 6 px a character) placed
/// at `place` around the point (x, y).
fn label_area(x: Decimal, y: Decimal, place: (i64, i64, &str), chars: usize) -> Area {
    let w = Decimal::from(6 * chars);
    let (ax, base) = (x + Decimal::from(place.0), y + Decimal::from(place.1));
    let left = match place.2 {
        "start" => ax,
        "end" => ax - w,
        _ => ax - w / Decimal::TWO,
    };
    Area(
        left,
        base - Decimal::from(9),
        left + w,
        base + Decimal::from(2),
    )
}

/// The matricola labels of the scatter's points, points at the same spot sharing one
/// (`1021, 1034`): each at the first place around its point where it covers no other
/// label, no point and the threshold's label, inside the plot. Returns the labels' SVG and
/// the points (indices) left without one: all of them beyond [`LABELLED_UP_TO`] managers.
fn point_labels(names: &[&str], at: &[(Decimal, Decimal)], tx: Decimal) -> (String, Vec<usize>) {
    if names.len() > LABELLED_UP_TO {
        return (String::new(), (0..names.len()).collect());
    }
    let mut spots: Vec<((Decimal, Decimal), Vec<usize>)> = Vec::new();
    for (i, p) in at.iter().enumerate() {
        match spots.iter_mut().find(|s| s.0 == *p) {
            Some(s) => s.1.push(i),
            None => spots.push((*p, vec![i])),
        }
    }
    let mut taken: Vec<Area> = at.iter().map(|(x, y)| Area::around(*x, *y, 4)).collect();
    taken.push(label_area(tx, Decimal::from(20), (0, -4, "middle"), 9));
    let (mut svg, mut left_out) = (String::new(), Vec::new());
    for ((x, y), members) in &spots {
        let text = members
            .iter()
            .map(|&i| names[i])
            .collect::<Vec<_>>()
            .join(", ");
        let chars = text.chars().count();
        let free = PLACES.iter().find_map(|&place| {
            let area = label_area(*x, *y, place, chars);
            (area.inside_plot() && !taken.iter().any(|t| t.overlaps(&area)))
                .then_some((place, area))
        });
        let Some((place, area)) = free else {
            left_out.extend(members.iter().copied());
            continue;
        };
        taken.push(area);
        let _ = write!(
            svg,
            "<text class=\"etichetta\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>",
            c(*x + Decimal::from(place.0)),
            c(*y + Decimal::from(place.1)),
            place.2,
            esc(&text)
        );
    }
    left_out.sort_unstable();
    (svg, left_out)
}

/// The note under the scatter naming the points without a label, with their figures (or,
/// for a large ente, saying where each manager's figures are).
fn unlabelled_note(points: &[(String, Decimal, Money)], unlabelled: &[usize]) -> String {
    if unlabelled.is_empty() {
        return String::new();
    }
    if points.len() > LABELLED_UP_TO {
        return format!(
            "\n<p class=\"nota\">Con {} dirigenti i punti non hanno etichetta: punteggio e retribuzione di risultato di ognuno sono nella tabella «Retribuzione dei dirigenti».</p>",
            points.len()
        );
    }
    let listed: Vec<String> = unlabelled
        .iter()
        .map(|&i| {
            let (m, score, pay) = &points[i];
            format!(
                "{} (punteggio {}, risultato {} €)",
                esc(m),
                format_it(*score, 2),
                pay.it()
            )
        })
        .collect();
    format!(
        "\n<p class=\"nota\">Punti senza etichetta, troppo vicini ad altri: {}.</p>",
        listed.join("; ")
    )
}

/// The scatter chart's axes: scores every ten points, result pay in quarters of `max`.
fn scatter_axes(svg: &mut String, plot: &Plot, max: Decimal) {
    let _ = write!(
        svg,
        "<line x1=\"{0}\" y1=\"240\" x2=\"570\" y2=\"240\" stroke=\"#555\"/><line x1=\"{0}\" y1=\"20\" x2=\"{0}\" y2=\"240\" stroke=\"#555\"/>",
        plot.x0
    );
    for k in 0..=10 {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"254\" text-anchor=\"middle\">{}</text>",
            c(plot.x(Decimal::from(k * 10))),
            k * 10
        );
    }
    for k in 0..=4 {
        let v = max * Decimal::from(k) / Decimal::from(4);
        let y = plot.y(Decimal::from(k), Decimal::from(4));
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><line x1=\"{}\" y1=\"{}\" x2=\"570\" y2=\"{}\" stroke=\"#ddd\"/>",
            plot.x0 - Decimal::from(4),
            c(y + Decimal::from(4)),
            format_it(round(v, 0, Rounding::HalfUp), 0),
            plot.x0,
            c(y),
            c(y)
        );
    }
}

/// Vertical bars: how many managers per label.
fn bars_chart(title: &str, counts: &[(String, usize)]) -> String {
    let max = counts.iter().map(|c| c.1).max().unwrap_or(1).max(1);
    let bw = 44;
    let width = 40 + counts.len() * (bw + 12);
    let mut svg = format!(
        "<svg viewBox=\"0 0 {width} 170\" width=\"{width}\" height=\"170\" role=\"img\" aria-label=\"{}\">",
        esc(title)
    );
    for (i, (label, count)) in counts.iter().enumerate() {
        let h = Decimal::from(120 * count) / Decimal::from(max);
        let x = 30 + i * (bw + 12);
        let y = Decimal::from(135) - h;
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"{bw}\" height=\"{}\" fill=\"#6a8fc7\"><title>{}: {}</title></rect><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{count}</text><text x=\"{}\" y=\"150\" text-anchor=\"middle\">{}</text>",
            c(y),
            c(h),
            esc(label),
            count,
            x + bw / 2,
            c(y - Decimal::from(3)),
            x + bw / 2,
            esc(label)
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"25\" y1=\"135\" x2=\"{}\" y2=\"135\" stroke=\"#555\"/>",
        width - 5
    );
    svg.push_str("</svg>");
    svg
}

/// The CSS class of a verdict: green, red, amber.
fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Holds => "ok",
        Verdict::Fails => "ko",
        Verdict::Warning => "av",
    }
}

/// Who a report is for: the published one (`relazione.html`) has no one in it; the internal
/// one (`relazione-interna.html`) has every manager's figures and says it is not to be
/// published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Published,
    Internal,
}

/// The published report: the quadro, the RGS documents, the checks and the transparency
/// table, aggregate only (no name, no matricola, no manager's figure: the checks about one
/// manager say so and point to the internal report).
pub fn report(
    inputs: &Inputs,
    outcome: &Outcome,
    docs: &[Document],
    checks: &[Check],
    transparency: Option<&Transparency>,
) -> String {
    report_for(
        Audience::Published,
        inputs,
        outcome,
        docs,
        checks,
        transparency,
    )
}

/// The report for `audience`: the published one ([`report`]), or the internal one with
/// everything, every manager's pay, the charts by matricola and the PEG, marked at the top
/// and on every printed page as not to be published.
pub fn report_for(
    audience: Audience,
    inputs: &Inputs,
    outcome: &Outcome,
    docs: &[Document],
    checks: &[Check],
    transparency: Option<&Transparency>,
) -> String {
    match audience {
        Audience::Published => {
            let few = outcome
                .pay
                .as_ref()
                .is_some_and(|p| !crate::output::transparency::pay_totals_publishable(p));
            let checks = published_checks(inputs, checks, few);
            render(audience, inputs, outcome, (docs, &checks), transparency)
        }
        Audience::Internal => render(audience, inputs, outcome, (docs, checks), transparency),
    }
}

/// What the internal report says at its top and on every printed page.
const INTERNAL: &str = "Uso interno, non pubblicare";

/// A report for `audience`, with the documents and the checks it shows.
fn render(
    audience: Audience,
    inputs: &Inputs,
    outcome: &Outcome,
    (docs, checks): (&[Document], &[Check]),
    transparency: Option<&Transparency>,
) -> String {
    let rules = &inputs.rules;
    let mut out = String::new();
    let title = format!("{} — Fondo della dirigenza {}", rules.ente, rules.year);
    let head = match audience {
        Audience::Published => title.clone(),
        Audience::Internal => format!("{title} — {}", INTERNAL.to_uppercase()),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"it\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n",
        esc(&head),
        page_head(&head)
    );
    if audience == Audience::Internal {
        let _ = writeln!(
            out,
            "<div class=\"interno\" role=\"note\" style=\"border: 2px solid #b00020; padding: 4pt 8pt; margin: 0 0 10pt;\">\n<p class=\"ko\">{INTERNAL}: questa relazione contiene nomi, matricole, punteggi e retribuzioni dei singoli dirigenti. Il documento da pubblicare è relazione.html, con i soli dati aggregati.</p>\n</div>"
        );
    }
    banner(&mut out, checks);
    summary(&mut out, &title, inputs, outcome, audience);
    documents(&mut out, docs);
    if audience == Audience::Internal {
        people(&mut out, inputs, outcome);
    }
    out.push_str("<section>\n<h2>Verifica dei vincoli</h2>\n");
    table(&mut out, "", &tables::checks(), checks.iter());
    out.push_str("</section>\n");
    if let Some(tr) = transparency {
        let _ = write!(
            out,
            "<section>\n<h2>Dati relativi ai premi (Amministrazione trasparente)</h2>\n<p class=\"nota\">{}: tabella anonima, senza nomi né matricole.</p>\n",
            esc(inputs.rules.national.cite(crate::national::Voce::Trasparenza))
        );
        let lines = tr.lines();
        table(&mut out, "", &tables::transparency(), lines.iter());
        out.push_str("</section>\n");
    }
    reproducibility(&mut out, inputs);
    out.push_str("</body>\n</html>\n");
    out
}

/// The sections about each manager, in the internal report only: pay, charts, PEG.
fn people(out: &mut String, inputs: &Inputs, outcome: &Outcome) {
    let rules = &inputs.rules;
    if let Some(p) = &outcome.pay {
        managers(out, p, rules);
    }
    if let (Some(peg), Some(ip)) = (&outcome.peg, &inputs.peg) {
        out.push_str("<section>\n<h2>Raggiungimento degli obiettivi (PEG)</h2>\n");
        let t = tables::objectives(PegContext::new(peg, ip, rules));
        table(
            out,
            "",
            &t,
            peg.objectives.iter().map(|o| ObjectiveRow::new(o, ip)),
        );
        out.push_str("</section>\n");
    }
}

/// What a published check about one manager says instead of its figures.
const PERSONAL: &str =
    "controllo riferito a singoli dirigenti: il dettaglio è nella relazione interna (relazione-interna.html)";

/// What every published check says instead of its figures when fewer than three managers
/// are paid (the reconciliation's totals would be one or two people's pay).
const FEW: &str =
    "cifre nella relazione interna (relazione-interna.html): con meno di 3 dirigenti con retribuzione di risultato i totali della retribuzione sono riferibili a singole persone";

/// The checks as the published report shows them: a check that names a manager (matricola
/// or name, in any of its texts) keeps its verdict, its name with "un dirigente" for the
/// person and its fonte, its figures replaced by [`PERSONAL`] (every check's by [`FEW`]
/// when `few` managers are paid); consecutive checks that become the same are shown once,
/// with how many they are.
fn published_checks(inputs: &Inputs, checks: &[Check], few: bool) -> Vec<Check> {
    let people: Vec<&str> = inputs.staff.as_ref().map_or_else(Vec::new, |s| {
        s.managers
            .iter()
            .flat_map(|m| [&*m.matricola, &*m.name])
            .filter(|t| !t.trim().is_empty())
            .collect()
    });
    let mut out: Vec<(Check, usize)> = Vec::new();
    for c in checks {
        let texts = [&c.name, &c.figures, &c.source];
        let mut shown = if texts.iter().any(|t| people.iter().any(|p| names(t, p))) {
            Check {
                verdict: c.verdict,
                name: people.iter().fold(c.name.clone(), |n, p| anonymised(&n, p)),
                source: people
                    .iter()
                    .fold(c.source.clone(), |n, p| anonymised(&n, p)),
                figures: PERSONAL.to_string(),
            }
        } else {
            c.clone()
        };
        if few {
            shown.figures = FEW.to_string();
        }
        match out.last_mut() {
            Some((last, n)) if *last == shown => *n += 1,
            _ => out.push((shown, 1)),
        }
    }
    out.into_iter()
        .map(|(c, n)| match n {
            1 => c,
            n => Check {
                name: format!("{} ({n} controlli)", c.name),
                ..c
            },
        })
        .collect()
}

/// The places where `who` stands in `text` as a whole word (not inside a longer one).
fn occurrences<'t>(text: &'t str, who: &'t str) -> impl Iterator<Item = usize> + 't {
    text.match_indices(who).map(|(i, _)| i).filter(move |&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + who.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Whether `text` names `who` as a whole word.
fn names(text: &str, who: &str) -> bool {
    occurrences(text, who).next().is_some()
}

/// `text` with every whole-word `who` written "un dirigente".
fn anonymised(text: &str, who: &str) -> String {
    let (mut out, mut from) = (String::new(), 0);
    for i in occurrences(text, who).collect::<Vec<_>>() {
        out.push_str(&text[from..i]);
        out.push_str("un dirigente");
        from = i + who.len();
    }
    out.push_str(&text[from..]);
    out
}

/// The banner that opens the page when a check failed: each ✗ with its figures and fonte,
/// before anything else (the whole checklist is in the section "Verifica dei vincoli").
fn banner(out: &mut String, checks: &[Check]) {
    let failed: Vec<&Check> = checks
        .iter()
        .filter(|c| c.verdict == Verdict::Fails)
        .collect();
    if failed.is_empty() {
        return;
    }
    let what = if failed.len() == 1 {
        "1 vincolo violato".to_string()
    } else {
        format!("{} vincoli violati", failed.len())
    };
    let _ = write!(
        out,
        "<div class=\"violati\" role=\"alert\" style=\"border: 2px solid #b00020; padding: 4pt 8pt; margin: 0 0 10pt;\">\n<p class=\"ko\">Attenzione: {what} (il dettaglio di ogni controllo è nella sezione «Verifica dei vincoli»)</p>\n<ul>\n"
    );
    for c in failed {
        let _ = writeln!(
            out,
            "<li><strong>✗ {}</strong>: {} <span class=\"av\">(fonte: {})</span></li>",
            esc(&c.name),
            esc(&c.figures),
            esc(&c.source)
        );
    }
    out.push_str("</ul>\n</div>\n");
}

/// The first section: what the report is, the quadro di sintesi and the composition of the
/// resources.
fn summary(out: &mut String, title: &str, inputs: &Inputs, outcome: &Outcome, audience: Audience) {
    let (rules, f) = (&inputs.rules, &outcome.fund);
    let what = match audience {
        Audience::Published => "costituzione e utilizzo, in dati aggregati senza nomi né matricole (la retribuzione di ogni dirigente è nella relazione interna, da non pubblicare)",
        Audience::Internal => "costituzione, utilizzo e retribuzione di ogni dirigente",
    };
    let _ = write!(
        out,
        "<section class=\"prima\">\n<h1>{}</h1>\n<p class=\"intro\">Fondo per la retribuzione di posizione e di risultato della dirigenza: {what}, con la fonte di ogni cifra. Tutti gli importi sono in euro, lordi per il dipendente, al netto degli oneri a carico dell'ente, arrotondati al centesimo ({}).</p>\n",
        esc(title),
        esc(rules.rounding.describe())
    );
    out.push_str("<h2>Quadro di sintesi delle modalità di utilizzo delle risorse</h2>\n<p class=\"nota\">Relazione illustrativa, Modulo 2 B.</p>\n");
    let q = tables::quadro(rules, f);
    table(out, "", &tables::quadro_table(&q), q.rows.iter());
    let _ = write!(
        out,
        "<h3>Composizione delle risorse da utilizzare</h3>\n<p class=\"nota\">Percentuali sul totale delle risorse da utilizzare ({} €), riporti inclusi.</p>\n",
        f.grand_total.it()
    );
    out.push_str(&composition_chart(&[
        ("Retribuzione di posizione", f.position, "#1f5fa8"),
        ("Retribuzione di risultato", f.result, "#6a8fc7"),
        ("Riporti di anni precedenti", f.carryover_total, "#e3a21a"),
    ]));
    out.push_str("\n</section>\n");
}

/// The RGS documents, one section each; their figures right-aligned cell by cell.
fn documents(out: &mut String, docs: &[Document]) {
    for d in docs {
        let _ = write!(out, "<section>\n<h2>{}</h2>\n", esc(&d.title));
        for tbl in &d.tables {
            let _ = writeln!(out, "<h3>{}</h3>", esc(&tbl.title));
            let rows: Vec<Vec<(Cell, bool)>> = tbl
                .rows
                .iter()
                .map(|r| r.iter().map(|c| (c.clone(), c.is_figure())).collect())
                .collect();
            write_table(out, "", &tbl.headers, &rows, false);
            for note in &tbl.notes {
                let _ = writeln!(out, "<p class=\"nota\">Nota: {}</p>", esc(note));
            }
        }
        out.push_str("</section>\n");
    }
}

/// The managers' pay, the reconciliation and the charts of scores and coefficients.
fn managers(out: &mut String, p: &PayResult, rules: &Rules) {
    out.push_str("<section>\n<h2>Retribuzione dei dirigenti</h2>\n");
    table(out, "larga", &tables::managers(None), p.managers.iter());
    let r = &p.reconciliation;
    let _ = write!(
        out,
        "<h3>Quadratura</h3>\n<p>Fondo {} + riporti {} = {} = posizione {} + risultato {} + interim {} + residui riportati {} + economie {}.</p>\n",
        r.fund.it(),
        r.carryovers.it(),
        r.fund.checked_add(r.carryovers).unwrap_or(Money::ZERO).it(),
        r.position_paid.it(),
        r.result_paid.it(),
        r.interim.it(),
        r.carried_residual.it(),
        r.economie.it()
    );
    out.push_str("<h3>Punteggio e retribuzione di risultato di ogni dirigente</h3>\n<p class=\"nota\">Ogni punto è un dirigente; la linea tratteggiata è la soglia di accesso.</p>\n");
    let points: Vec<(String, Decimal, Money)> = p
        .managers
        .iter()
        .map(|m| (m.matricola.to_string(), m.score, m.result_paid))
        .collect();
    out.push_str(&scatter_chart(&points, rules.pay.threshold));
    out.push_str("<h3>Quanto sono differenziate le valutazioni</h3>\n<p class=\"nota\">Numero di dirigenti per fascia di punteggio e per coefficiente attribuito.</p>\n");
    let bands = score_bands(p);
    let first = bands.iter().position(|b| b.1 > 0).unwrap_or(0);
    out.push_str(&bars_chart(
        "Dirigenti per fascia di punteggio",
        &bands[first..],
    ));
    out.push_str("<p class=\"didascalia\">Dirigenti per coefficiente attribuito</p>\n");
    out.push_str(&bars_chart(
        "Dirigenti per coefficiente",
        &coefficient_counts(p),
    ));
    out.push_str("</section>\n");
}

/// How many managers score in each band of ten points (100 in the last).
fn score_bands(p: &PayResult) -> Vec<(String, usize)> {
    let mut bands: Vec<(String, usize)> = (0..10)
        .map(|k| (format!("{}-{}", k * 10, k * 10 + 10), 0))
        .collect();
    for m in &p.managers {
        let k = (m.score / Decimal::TEN).floor();
        let k = usize::try_from(k.mantissa()).unwrap_or(0).min(9);
        bands[k].1 += 1;
    }
    bands
}

/// How many managers have each coefficient (to two decimals), in increasing order.
fn coefficient_counts(p: &PayResult) -> Vec<(String, usize)> {
    let mut coefficients: BTreeMap<Decimal, usize> = BTreeMap::new();
    for m in &p.managers {
        *coefficients
            .entry(round(m.coefficient, 2, Rounding::HalfUp).normalize())
            .or_default() += 1;
    }
    coefficients
        .into_iter()
        .map(|(k, v)| (format_it(k, 0), v))
        .collect()
}

/// The engine and the files read with their SHA-256.
fn reproducibility(out: &mut String, inputs: &Inputs) {
    let _ = write!(out, "<section>\n<h2>Riproducibilità</h2>\n<p>Calcolato da {}. File letti e loro impronta SHA-256:</p>\n<ul>", esc(ENGINE));
    for fp in &inputs.fingerprints {
        let _ = write!(
            out,
            "<li>{}: <code>{}</code></li>",
            esc(&fp.file),
            esc(&fp.sha256)
        );
    }
    out.push_str("</ul>\n</section>\n");
}

/// A defined table as the report writes it, for the pages made elsewhere (`confronto.html`).
pub fn defined_table<C, R>(
    out: &mut String,
    class: &str,
    t: &Table<C, R>,
    rows: impl Iterator<Item = R> + Clone,
) {
    table(out, class, t, rows);
}

/// A page of its own with the report's style and running head: `title`, then `body`.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"it\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        esc(title),
        page_head(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A matricola is found and replaced as a whole word only: not inside a longer
    /// matricola or a number.
    #[test]
    fn a_person_is_replaced_as_a_whole_word() {
        let text = "Interim di D001 (D0010, XD001) su D001";
        assert!(names(text, "D001"));
        assert!(!names("D0010 e 1.021,00", "D001"));
        assert!(!names("1.021,00", "21"));
        assert_eq!(
            anonymised(text, "D001"),
            "Interim di un dirigente (D0010, XD001) su un dirigente"
        );
        assert_eq!(
            anonymised("Rossi Mario: 3 giorni", "Rossi Mario"),
            "un dirigente: 3 giorni"
        );
    }
}
