//! The printable HTML report: one self-contained file (no external fonts, scripts or images),
//! in Italian, for the screen and for A4 paper, with inline SVG charts drawn here: the fund's
//! composition, each manager's score against their result pay, and how the scores and
//! coefficients are distributed. Pure: returns a `String`.

use std::collections::BTreeMap;
use std::fmt::Write;

use rust_decimal::Decimal;

use crate::audit::Check;
use crate::engine::{Inputs, Outcome};
use crate::money::{format_it, round, Money, Rounding};
use crate::output::documents::{Cell, Document};
use crate::output::report::{quadro, ENGINE};
use crate::output::transparency::Transparency;

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
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; color: #1a1a1a; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
h2 { font-size: 13pt; border-bottom: 1px solid #999; padding-bottom: 2pt; margin-top: 18pt; }
h3 { font-size: 11pt; margin: 12pt 0 4pt; }
p.nota, p.intro { color: #444; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; }
th, td { border: 1px solid #bbb; padding: 2pt 4pt; vertical-align: top; }
th { background: #eee; text-align: left; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.tot td { font-weight: bold; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
.ok { color: #176d2c; } .ko { color: #b00020; font-weight: bold; } .av { color: #8a5a00; }
svg { display: block; margin: 6pt 0; max-width: 100%; height: auto; }
svg text { font-family: inherit; font-size: 9px; }
section { page-break-before: always; }
section.prima { page-break-before: auto; }
code { font-size: 8pt; word-break: break-all; }
table.larga { font-size: 7.5pt; }
table.larga th, table.larga td { padding: 1pt 2pt; }
p.didascalia { font-weight: bold; margin: 8pt 0 0; }
@media print { a { color: inherit; text-decoration: none; } }
"#;

fn table(out: &mut String, headers: &[String], rows: &[Vec<(String, bool)>], total_last: bool) {
    table_with_class(out, "", headers, rows, total_last);
}

/// A table with a CSS class (`larga`: many columns, smaller type so it fits A4).
fn table_with_class(
    out: &mut String,
    class: &str,
    headers: &[String],
    rows: &[Vec<(String, bool)>],
    total_last: bool,
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
        if total_last && i + 1 == rows.len() {
            out.push_str("<tr class=\"tot\">");
        } else {
            out.push_str("<tr>");
        }
        for (text, numeric) in r {
            if *numeric {
                let _ = write!(out, "<td class=\"n\">{}</td>", esc(text));
            } else {
                let _ = write!(out, "<td>{}</td>", esc(text));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

fn t(s: impl Into<String>) -> (String, bool) {
    (s.into(), false)
}

fn n(s: impl Into<String>) -> (String, bool) {
    (s.into(), true)
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

/// Each manager's score (x, 0-100) against result pay paid (y), with the threshold line.
fn scatter_chart(points: &[(String, Decimal, Money)], threshold: Decimal) -> String {
    let (w, h) = (Decimal::from(520), Decimal::from(220));
    let (x0, y0) = (Decimal::from(50), Decimal::from(240));
    let max = points
        .iter()
        .map(|p| p.2.value())
        .max()
        .unwrap_or(Decimal::ONE)
        .max(Decimal::ONE);
    let mut svg = String::from(
        "<svg viewBox=\"0 0 600 270\" width=\"600\" height=\"270\" role=\"img\" aria-label=\"Punteggio e retribuzione di risultato\">",
    );
    let _ = write!(
        svg,
        "<line x1=\"50\" y1=\"240\" x2=\"570\" y2=\"240\" stroke=\"#555\"/><line x1=\"50\" y1=\"20\" x2=\"50\" y2=\"240\" stroke=\"#555\"/>"
    );
    for k in 0..=10 {
        let x = x0 + w * Decimal::from(k * 10) / Decimal::ONE_HUNDRED;
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"254\" text-anchor=\"middle\">{}</text>",
            c(x),
            k * 10
        );
    }
    for k in 0..=4 {
        let v = max * Decimal::from(k) / Decimal::from(4);
        let y = y0 - h * Decimal::from(k) / Decimal::from(4);
        let _ = write!(
            svg,
            "<text x=\"46\" y=\"{}\" text-anchor=\"end\">{}</text><line x1=\"50\" y1=\"{}\" x2=\"570\" y2=\"{}\" stroke=\"#ddd\"/>",
            c(y + Decimal::from(3)),
            format_it(round(v, 0, Rounding::HalfUp), 0),
            c(y),
            c(y)
        );
    }
    let tx = x0 + w * threshold / Decimal::ONE_HUNDRED;
    let _ = write!(
        svg,
        "<line x1=\"{0}\" y1=\"20\" x2=\"{0}\" y2=\"240\" stroke=\"#b00020\" stroke-dasharray=\"4 3\"/><text x=\"{0}\" y=\"16\" text-anchor=\"middle\">soglia {1}</text>",
        c(tx),
        format_it(threshold.normalize(), 0)
    );
    for (label, score, pay) in points {
        let x = x0 + w * *score / Decimal::ONE_HUNDRED;
        let y = y0 - h * pay.value() / max;
        let _ = write!(
            svg,
            "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"#1f5fa8\"><title>{}: punteggio {}, risultato {} €</title></circle>",
            c(x),
            c(y),
            esc(label),
            format_it(*score, 2),
            pay.it()
        );
    }
    let _ = write!(
        svg,
        "<text x=\"310\" y=\"268\" text-anchor=\"middle\">punteggio</text><text x=\"12\" y=\"130\" transform=\"rotate(-90 12 130)\" text-anchor=\"middle\">risultato (€)</text>"
    );
    svg.push_str("</svg>");
    svg
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

fn check_class(c: &Check) -> &'static str {
    match c.verdict {
        crate::audit::Verdict::Holds => "ok",
        crate::audit::Verdict::Fails => "ko",
        crate::audit::Verdict::Warning => "av",
    }
}

/// The whole report.
pub fn report(
    inputs: &Inputs,
    outcome: &Outcome,
    docs: &[Document],
    checks: &[Check],
    transparency: Option<&Transparency>,
) -> String {
    let rules = &inputs.rules;
    let f = &outcome.fund;
    let mut out = String::new();
    let title = format!("{} — Fondo della dirigenza {}", rules.ente, rules.year);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"it\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&title)
    );

    // 1. Summary.
    let _ = write!(
        out,
        "<section class=\"prima\">\n<h1>{}</h1>\n<p class=\"intro\">Fondo per la retribuzione di posizione e di risultato della dirigenza: costituzione, utilizzo e retribuzione di ogni dirigente, con la fonte di ogni cifra. Tutti gli importi sono in euro, lordi per il dipendente, al netto degli oneri a carico dell'ente, arrotondati al centesimo ({}).</p>\n",
        esc(&title),
        esc(rules.rounding.describe())
    );
    out.push_str("<h2>Quadro di sintesi delle modalità di utilizzo delle risorse</h2>\n<p class=\"nota\">Relazione illustrativa, Modulo 2 B.</p>\n");
    let q = quadro(rules, f);
    let mut headers = vec![
        "Descrizione".to_string(),
        "Importo".into(),
        "% distribuzione".into(),
    ];
    headers.extend(q.carryover_headers.iter().cloned());
    headers.push("TOTALE".into());
    let rows: Vec<Vec<(String, bool)>> = q
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![t(&r.description), n(r.amount.it()), n(&r.percent)];
            row.extend(
                r.carryovers
                    .iter()
                    .map(|c| n(c.map(Money::it).unwrap_or_default())),
            );
            row.push(n(r.total.it()));
            row
        })
        .collect();
    table(&mut out, &headers, &rows, true);
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

    // 2. The documents.
    for d in docs {
        let _ = write!(out, "<section>\n<h2>{}</h2>\n", esc(&d.title));
        for tbl in &d.tables {
            let _ = writeln!(out, "<h3>{}</h3>", esc(&tbl.title));
            let rows: Vec<Vec<(String, bool)>> = tbl
                .rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|cell| match cell {
                            Cell::Text(s) => t(s),
                            Cell::Amount(m) => n(m.it()),
                            Cell::Number(s) => n(s),
                            Cell::Empty => t(""),
                        })
                        .collect()
                })
                .collect();
            table(&mut out, &tbl.headers, &rows, false);
            for note in &tbl.notes {
                let _ = writeln!(out, "<p class=\"nota\">Nota: {}</p>", esc(note));
            }
        }
        out.push_str("</section>\n");
    }

    // 3. Managers.
    if let Some(p) = &outcome.pay {
        out.push_str("<section>\n<h2>Retribuzione dei dirigenti</h2>\n");
        let headers: Vec<String> = [
            "Matricola",
            "Nome",
            "Giorni",
            "Posizione",
            "Punteggio",
            "Coeff.",
            "Risultato",
            "Art. 30",
            "Interim",
            "Riduz. compensi",
            "Totale",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut rows: Vec<Vec<(String, bool)>> = p
            .managers
            .iter()
            .map(|m| {
                vec![
                    t(&*m.matricola),
                    t(&*m.name),
                    n(m.days.to_string()),
                    n(m.position_paid.it()),
                    n(format_it(m.score, 2)),
                    n(if m.eligible {
                        format_it(m.coefficient.normalize(), 0)
                    } else {
                        "non idoneo".into()
                    }),
                    n(m.result_pay.it()),
                    n(m.art30_supplement.it()),
                    n(m.interim.it()),
                    n(m.fee_reduction.it()),
                    n(m.total.it()),
                ]
            })
            .collect();
        let sum = |g: fn(&crate::pay::ManagerPay) -> Money| {
            Money::checked_sum(p.managers.iter().map(g))
                .unwrap_or(Money::ZERO)
                .it()
        };
        rows.push(vec![
            t("Totale"),
            t(""),
            t(""),
            n(sum(|m| m.position_paid)),
            t(""),
            t(""),
            n(sum(|m| m.result_pay)),
            n(sum(|m| m.art30_supplement)),
            n(sum(|m| m.interim)),
            n(sum(|m| m.fee_reduction)),
            n(sum(|m| m.total)),
        ]);
        table_with_class(&mut out, "larga", &headers, &rows, true);
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
        let mut bands: Vec<(String, usize)> = (0..10)
            .map(|k| (format!("{}-{}", k * 10, k * 10 + 10), 0))
            .collect();
        for m in &p.managers {
            let k = (m.score / Decimal::TEN).floor();
            let k = usize::try_from(k.mantissa()).unwrap_or(0).min(9);
            bands[k].1 += 1;
        }
        let first = bands.iter().position(|b| b.1 > 0).unwrap_or(0);
        out.push_str(&bars_chart(
            "Dirigenti per fascia di punteggio",
            &bands[first..],
        ));
        let mut coefficients: BTreeMap<Decimal, usize> = BTreeMap::new();
        for m in &p.managers {
            *coefficients
                .entry(round(m.coefficient, 2, Rounding::HalfUp).normalize())
                .or_default() += 1;
        }
        let coefficients: Vec<(String, usize)> = coefficients
            .into_iter()
            .map(|(k, v)| (format_it(k, 0), v))
            .collect();
        out.push_str("<p class=\"didascalia\">Dirigenti per coefficiente attribuito</p>\n");
        out.push_str(&bars_chart("Dirigenti per coefficiente", &coefficients));
        out.push_str("</section>\n");
    }

    // 4. Objectives.
    if let (Some(peg), Some(ip)) = (&outcome.peg, &inputs.peg) {
        out.push_str("<section>\n<h2>Raggiungimento degli obiettivi (PEG)</h2>\n");
        let headers: Vec<String> = [
            "Obiettivo",
            "Matricola",
            "Titolo",
            "Peso",
            "Raggiungimento %",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let rows: Vec<Vec<(String, bool)>> = peg
            .objectives
            .iter()
            .map(|o| {
                let src = o.source(ip);
                vec![
                    t(src.code),
                    t(src.matricola),
                    t(src.title),
                    n(format_it(src.weight.normalize(), 0)),
                    n(format_it(o.attainment, 2)),
                ]
            })
            .collect();
        table(&mut out, &headers, &rows, false);
        out.push_str("</section>\n");
    }

    // 5. The checklist.
    out.push_str("<section>\n<h2>Verifica dei vincoli</h2>\n<table><thead><tr><th>Esito</th><th>Controllo</th><th>Cifre</th><th>Fonte</th></tr></thead><tbody>");
    for ch in checks {
        let _ = write!(
            out,
            "<tr><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            check_class(ch),
            esc(ch.verdict.mark()),
            esc(&ch.name),
            esc(&ch.figures),
            esc(&ch.source)
        );
    }
    out.push_str("</tbody></table>\n</section>\n");

    // 6. Transparency.
    if let Some(tr) = transparency {
        out.push_str("<section>\n<h2>Dati relativi ai premi (Amministrazione trasparente)</h2>\n<p class=\"nota\">d.lgs. 33/2013 art. 20: tabella anonima, senza nomi né matricole.</p>\n");
        let rows: Vec<Vec<(String, bool)>> = tr
            .lines()
            .into_iter()
            .map(|(label, v)| vec![t(label), n(v.it())])
            .collect();
        table(
            &mut out,
            &["Voce".to_string(), "Valore".to_string()],
            &rows,
            false,
        );
        out.push_str("</section>\n");
    }

    // 7. Reproducibility.
    let _ = write!(out, "<section>\n<h2>Riproducibilità</h2>\n<p>Calcolato da {}. File letti e loro impronta SHA-256:</p>\n<ul>", esc(ENGINE));
    for fp in &inputs.fingerprints {
        let _ = write!(
            out,
            "<li>{}: <code>{}</code></li>",
            esc(&fp.file),
            esc(&fp.sha256)
        );
    }
    out.push_str("</ul>\n</section>\n</body>\n</html>\n");
    out
}
