//! The comparison of `ccdi confronta` for people to read: the managers' table and the fund
//! lines' table (each defined once, as `tables` defines the year's), the closing checks, in
//! text, CSV, JSON, the workbook `confronto.xlsx` and the page `confronto.html` with a chart
//! of the per-manager differences. Matricole and names: an internal file for the
//! negotiation, never published.

use std::fmt::Write;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::audit::Verdict;
use crate::compare::{Change, Closing, Comparison, LineChange, ManagerChange, Presence, TOTAL};
use crate::engine::Fingerprint;
use crate::money::{round, Money, Rounding};
use crate::output::html::esc;
use crate::output::table::{Cell, Column, Digits, Format, Formats, Table};
use crate::output::text::TextTable;
use crate::output::ENGINE;

/// A comparison with the files each side read, as every format states them.
pub struct Confronto<'a> {
    pub comparison: &'a Comparison,
    pub fingerprints_a: &'a [Fingerprint],
    pub fingerprints_b: &'a [Fingerprint],
}

/// The manager's figures compared besides the total: name in headers, short name in the
/// text and HTML, JSON key.
const FIGURES: [(&str, &str, [&str; 4]); TOTAL] = [
    (
        "Posizione",
        "Δ posiz.",
        [
            "posizione_a",
            "posizione_b",
            "posizione_differenza",
            "posizione_variazione_percentuale",
        ],
    ),
    (
        "Risultato erogato",
        "Δ risult.",
        [
            "risultato_a",
            "risultato_b",
            "risultato_differenza",
            "risultato_variazione_percentuale",
        ],
    ),
    (
        "Differenziazione art. 30",
        "Δ art. 30",
        [
            "art30_a",
            "art30_b",
            "art30_differenza",
            "art30_variazione_percentuale",
        ],
    ),
    (
        "Interim",
        "Δ interim",
        [
            "interim_a",
            "interim_b",
            "interim_differenza",
            "interim_variazione_percentuale",
        ],
    ),
];

/// The percentage change, `n.d.` when A is zero.
fn percent(c: &Change) -> Cell<'static> {
    match c.percent {
        Some(p) => Cell::Percent(p, Digits::Padded(2)),
        None => Cell::text("n.d."),
    }
}

/// A manager or line present on one side only, in words.
fn presence(p: Presence) -> Cell<'static> {
    match p {
        Presence::Both => Cell::Empty,
        Presence::OnlyA => Cell::text("solo in A"),
        Presence::OnlyB => Cell::text("solo in B"),
    }
}

type ManagerCol<'a> = Column<'a, (), &'a ManagerChange>;

/// The four columns of one of a manager's figures: A and B and the percentage in the CSV, the
/// workbook and the JSON; the difference everywhere, summed.
fn figure_columns<'a>(k: usize) -> Vec<ManagerCol<'a>> {
    let (name, short, keys) = FIGURES[k];
    let full = Formats::CSV.with(Formats::XLSX);
    vec![
        ManagerCol::figure(format!("{name} A"), move |_, m| {
            Cell::Amount(m.figures[k].a)
        })
        .key(keys[0])
        .only(full)
        .summed(),
        ManagerCol::figure(format!("{name} B"), move |_, m| {
            Cell::Amount(m.figures[k].b)
        })
        .key(keys[1])
        .only(full)
        .summed(),
        ManagerCol::figure(format!("{name} differenza"), move |_, m| {
            Cell::Amount(m.figures[k].diff)
        })
        .short(short)
        .key(keys[2])
        .summed(),
        ManagerCol::figure(format!("{name} variazione %"), move |_, m| {
            percent(&m.figures[k])
        })
        .key(keys[3])
        .only(full),
    ]
}

/// The managers compared: matricola, name, each figure's difference (with A, B and the
/// percentage where there is room), then the total under A and B, its difference and its
/// percentage; a total row sums the amounts.
pub fn managers_table<'a>() -> Table<'a, (), &'a ManagerChange> {
    let mut columns = vec![
        ManagerCol::text("Matricola", |_, m| Cell::text(&*m.matricola)).key("matricola"),
        ManagerCol::text("Nome", |_, m| Cell::text(&*m.name)).key("nome"),
    ];
    columns.extend((0..TOTAL).flat_map(figure_columns));
    columns.extend([
        ManagerCol::figure("Totale A", |_, m| Cell::Amount(m.total().a))
            .key("totale_a")
            .summed(),
        ManagerCol::figure("Totale B", |_, m| Cell::Amount(m.total().b))
            .key("totale_b")
            .summed(),
        ManagerCol::figure("Differenza", |_, m| Cell::Amount(m.total().diff))
            .key("totale_differenza")
            .summed(),
        ManagerCol::figure("Variazione %", |_, m| percent(m.total()))
            .short("Var. %")
            .key("totale_variazione_percentuale"),
        ManagerCol::text("Nota", |_, m| presence(m.presence)).key("presenza"),
    ]);
    let readable = Formats::TEXT.with(Formats::HTML);
    Table::new((), columns)
        .short_in(readable)
        .total("Totale", Formats::ALL)
}

/// The fund lines compared.
pub fn lines_table<'a>() -> Table<'a, (), &'a LineChange> {
    type Col<'a> = Column<'a, (), &'a LineChange>;
    Table::new(
        (),
        vec![
            Col::json("chiave", |_, l| Cell::text(&*l.key)),
            Col::text("Voce", |_, l| Cell::text(&*l.description)).key("descrizione"),
            Col::figure("A", |_, l| Cell::Amount(l.change.a)).key("a"),
            Col::figure("B", |_, l| Cell::Amount(l.change.b)).key("b"),
            Col::figure("Differenza", |_, l| Cell::Amount(l.change.diff)).key("differenza"),
            Col::figure("Variazione %", |_, l| percent(&l.change))
                .short("Var. %")
                .key("variazione_percentuale"),
            Col::text("Nota", |_, l| presence(l.presence)).key("presenza"),
        ],
    )
    .short_in(Formats::TEXT.with(Formats::HTML))
}

/// A defined table's rows as strings (`cell` reads each cell for the format `f`): headers,
/// rows, then its total row if `f` prints one.
fn strings<'a, C, R>(
    f: Format,
    t: &Table<'a, C, R>,
    rows: impl Iterator<Item = R> + Clone,
    cell: fn(&Cell<'a>) -> String,
) -> Vec<Vec<String>> {
    let read = |cells: Vec<Cell<'a>>| cells.iter().map(cell).collect::<Vec<_>>();
    let mut out = vec![t.headers(f)];
    out.extend(rows.clone().map(|r| read(t.cells(f, &r))));
    out.extend(t.total_row(f, rows).map(read));
    out
}

/// An amount with its sign written as a term of a sum: `+ 5,00`, `− 5,00`.
fn term(m: Money) -> String {
    match m.is_negative() {
        true => format!("− {}", Money::ZERO.checked_sub(m).unwrap_or(m)),
        false => format!("+ {m}"),
    }
}

fn mark(holds: bool) -> &'static str {
    match holds {
        true => Verdict::Holds.mark(),
        false => Verdict::Fails.mark(),
    }
}

/// The closing checks in words, one sentence each, with their mark.
pub fn closing_sentences(c: &Closing) -> [String; 2] {
    [
        format!(
            "Somma delle differenze dei dirigenti {} = variazione del totale erogato ai dirigenti {} {}",
            c.managers_sum,
            c.paid,
            mark(c.managers_agree())
        ),
        format!(
            "Variazione di fondo e riporti {} = variazione dell'erogato {} {} (residui riportati) {} (economie) {}",
            c.fund,
            c.paid,
            term(c.residuals),
            term(c.economie),
            mark(c.fund_agrees())
        ),
    ]
}

/// What the sides are, one line each.
fn sides(c: &Comparison) -> [String; 2] {
    [
        format!("A: {} ({}, anno {})", c.a.file, c.a.ente, c.a.year),
        format!("B: {} ({}, anno {})", c.b.file, c.b.ente, c.b.year),
    ]
}

/// Why there is no managers' table.
const NO_MANAGERS: &str = "Nessun confronto per dirigente: i dati dei dirigenti mancano in almeno uno dei due calcoli (indicare la cartella con --dati).";

/// The title of the comparison.
fn title(c: &Comparison) -> String {
    format!(
        "{} — Confronto del fondo della dirigenza {}",
        c.a.ente, c.a.year
    )
}

/// The files each side read with their SHA-256, one line each.
fn fingerprint_lines(r: &Confronto) -> Vec<String> {
    let side = |s: &str, fps: &[Fingerprint]| {
        fps.iter()
            .map(|f| format!("{s}: {} {}", f.file, f.sha256))
            .collect::<Vec<_>>()
    };
    let mut out = side("A", r.fingerprints_a);
    out.extend(side("B", r.fingerprints_b));
    out
}

/// The text report.
pub fn text(r: &Confronto) -> String {
    let c = r.comparison;
    let readable = |x: &Cell| x.readable().into_owned();
    let table = |rows: Vec<Vec<String>>, numeric: Vec<bool>| {
        let mut rows = rows.into_iter();
        let headers = rows.next().unwrap_or_default();
        TextTable {
            headers,
            numeric,
            rows: rows.collect(),
        }
        .render("  ")
    };
    let mut out = format!("{}\n", title(c));
    for s in sides(c) {
        let _ = writeln!(out, "  {s}");
    }
    out.push_str("  Differenza = B − A; variazione % = differenza / A × 100, arrotondata al centesimo (n.d. quando A è zero).\n\n");
    match &c.managers {
        Some(m) => {
            out.push_str("Dirigenti, in ordine di differenza assoluta del totale\n");
            let t = managers_table();
            out.push_str(&table(
                strings(Format::Text, &t, m.iter(), readable),
                t.right(Format::Text),
            ));
        }
        None => out.push_str(NO_MANAGERS),
    }
    out.push_str("\nVoci del fondo, in ordine di differenza assoluta\n");
    let t = lines_table();
    out.push_str(&table(
        strings(Format::Text, &t, c.lines.iter(), readable),
        t.right(Format::Text),
    ));
    if let Some(cl) = &c.closing {
        out.push_str("\nQuadratura del confronto\n");
        for s in closing_sentences(cl) {
            let _ = writeln!(out, "  {s}");
        }
    }
    let _ = writeln!(
        out,
        "\nCalcolato da {ENGINE}. File letti e loro impronta SHA-256:"
    );
    for l in fingerprint_lines(r) {
        let _ = writeln!(out, "  {l}");
    }
    out
}

/// The CSV: the managers' table, the lines' table, the closing checks and the files read,
/// parted by an empty row.
pub fn csv(r: &Confronto) -> String {
    let c = r.comparison;
    let cell = |x: &Cell| x.csv().into_owned();
    let one = |s: String| vec![crate::output::csv::safe_cell(&s)];
    let mut blocks = vec![sides(c).map(one).to_vec()];
    if let Some(m) = &c.managers {
        blocks.push(strings(Format::Csv, &managers_table(), m.iter(), cell));
    }
    blocks.push(strings(Format::Csv, &lines_table(), c.lines.iter(), cell));
    if let Some(cl) = &c.closing {
        blocks.push(closing_sentences(cl).map(one).to_vec());
    }
    let mut files = vec![vec!["File".to_string(), "SHA-256".to_string()]];
    let side = |s: &str, fps: &[Fingerprint]| {
        fps.iter()
            .map(|f| vec![format!("{s}: {}", f.file), f.sha256.clone()])
            .collect::<Vec<_>>()
    };
    files.extend(side("A", r.fingerprints_a));
    files.extend(side("B", r.fingerprints_b));
    blocks.push(files);
    crate::output::csv::stream(&blocks)
}

/// The JSON document: amounts as decimal strings with a dot.
pub fn json(r: &Confronto) -> String {
    use crate::output::json::{pretty, row};
    let c = r.comparison;
    let side = |o: &crate::compare::Origin, fps: &[Fingerprint]| {
        json!({
            "regole": o.file,
            "ente": o.ente,
            "anno": o.year,
            "impronte_sha256": fps.iter().map(|f| json!({"file": f.file, "sha256": f.sha256})).collect::<Vec<_>>(),
        })
    };
    let (mt, lt) = (managers_table(), lines_table());
    let doc = json!({
        "motore": ENGINE,
        "a": side(&c.a, r.fingerprints_a),
        "b": side(&c.b, r.fingerprints_b),
        "dirigenti": c.managers.as_ref().map(|m| m.iter().map(|x| undefined_null(row(&mt, &x))).collect::<Vec<_>>()),
        "voci": c.lines.iter().map(|l| undefined_null(row(&lt, &l))).collect::<Vec<_>>(),
        "quadratura": c.closing.as_ref().map(closing_json),
    });
    pretty(&doc)
}

/// A JSON row whose percentage the text writes `n.d.` (A is zero): `null` there.
fn undefined_null(mut row: Value) -> Value {
    if let Value::Object(map) = &mut row {
        let undefined = |(k, v): &(&String, &mut Value)| {
            k.ends_with("variazione_percentuale") && v.as_str() == Some("n.d.")
        };
        for (_, v) in map.iter_mut().filter(undefined) {
            *v = Value::Null;
        }
    }
    row
}

fn closing_json(c: &Closing) -> Value {
    json!({
        "somma_differenze_dirigenti": c.managers_sum.plain(),
        "variazione_totale_erogato": c.paid.plain(),
        "dirigenti_quadrano": c.managers_agree(),
        "variazione_fondo_e_riporti": c.fund.plain(),
        "variazione_residui_riportati": c.residuals.plain(),
        "variazione_economie": c.economie.plain(),
        "fondo_quadra": c.fund_agrees(),
    })
}

/// The workbook `confronto.xlsx`: a sheet for the managers (when compared), one for the fund
/// lines with the closing checks and the files read under it.
pub fn workbook(r: &Confronto) -> Result<Vec<u8>, crate::output::xlsx::WorkbookError> {
    let c = r.comparison;
    let mut wb = crate::output::xlsx::Sheets::new(&title(c), c.a.year)?;
    let mut notes: Vec<String> = sides(c).to_vec();
    if let Some(m) = &c.managers {
        wb.add("Confronto dirigenti", &managers_table(), m.iter(), &notes)?;
    }
    if let Some(cl) = &c.closing {
        notes.extend(closing_sentences(cl));
    }
    notes.extend(fingerprint_lines(r));
    wb.add("Confronto voci", &lines_table(), c.lines.iter(), &notes)?;
    wb.finish(&c.a.ente, c.a.year)
}

/// Up to this many managers the chart draws a bar each; beyond, the largest differences.
const CHARTED: usize = 60;

/// An SVG coordinate: one decimal, dot separator.
fn coord(d: Decimal) -> String {
    round(d, 1, Rounding::HalfUp).normalize().to_string()
}

/// Horizontal bars of each manager's difference of the total, from a zero axis in the middle:
/// gains to the right in green, losses to the left in red, labelled by matricola and amount;
/// in the table's order, the first sixty managers.
pub fn differences_chart(managers: &[ManagerChange]) -> String {
    let shown = &managers[..managers.len().min(CHARTED)];
    let max = shown
        .iter()
        .map(|m| m.total().diff.value().abs())
        .max()
        .unwrap_or(Decimal::ZERO)
        .max(Decimal::ONE);
    let (zero, half, row) = (Decimal::from(330), Decimal::from(200), 18usize);
    let height = 40 + row * shown.len();
    let mut svg = format!(
        "<svg viewBox=\"0 0 660 {height}\" width=\"660\" height=\"{height}\" role=\"img\" aria-label=\"Differenza del totale per dirigente\">"
    );
    let _ = write!(
        svg,
        "<line x1=\"330\" y1=\"10\" x2=\"330\" y2=\"{}\" stroke=\"#555\"/><text x=\"330\" y=\"{}\" text-anchor=\"middle\">differenza del totale (B − A, €)</text>",
        height - 22,
        height - 6
    );
    for (i, m) in shown.iter().enumerate() {
        let d = m.total().diff;
        let w = half * d.value().abs() / max;
        let y = 12 + row * i;
        let (x, fill, anchor, tx) = match d.is_negative() {
            true => (zero - w, "#b00020", "end", zero - w - Decimal::from(4)),
            false => (zero, "#176d2c", "start", zero + w + Decimal::from(4)),
        };
        let _ = write!(
            svg,
            "<text x=\"8\" y=\"{}\">{}</text><rect x=\"{}\" y=\"{y}\" width=\"{}\" height=\"12\" fill=\"{fill}\"><title>{}: {} €</title></rect><text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
            y + 11,
            esc(&m.matricola),
            coord(x),
            coord(w),
            esc(&m.matricola),
            d,
            coord(tx),
            y + 11,
            d
        );
    }
    svg.push_str("</svg>");
    if shown.iter().all(|m| m.total().diff.value().is_zero()) {
        svg.push_str(
            "<p class=\"nota\">Nessun dirigente cambia: tutte le differenze sono 0,00.</p>",
        );
    }
    if managers.len() > CHARTED {
        let _ = write!(
            svg,
            "<p class=\"nota\">Il grafico mostra i {CHARTED} dirigenti con la differenza maggiore su {}; l'elenco completo è nella tabella.</p>",
            managers.len()
        );
    }
    svg
}

/// The page `confronto.html`: the sides, the chart and the managers' table, the fund lines,
/// the closing checks and the files read.
pub fn html(r: &Confronto) -> String {
    use crate::output::html::defined_table;
    let c = r.comparison;
    let mut body = format!("<h1>{}</h1>\n<p class=\"intro\">", esc(&title(c)));
    for s in sides(c) {
        let _ = write!(body, "{}<br>", esc(&s));
    }
    body.push_str("Differenza = B − A; variazione % = differenza / A × 100 (n.d. quando A è zero). Uso interno: contiene matricole e nomi, non pubblicare.</p>\n");
    body.push_str("<section class=\"prima\">\n<h2>Dirigenti</h2>\n");
    match &c.managers {
        Some(m) => {
            body.push_str(&differences_chart(m));
            defined_table(&mut body, "larga", &managers_table(), m.iter());
        }
        None => {
            let _ = write!(body, "<p class=\"nota\">{}</p>", esc(NO_MANAGERS));
        }
    }
    body.push_str("</section>\n<section>\n<h2>Voci del fondo</h2>\n");
    defined_table(&mut body, "", &lines_table(), c.lines.iter());
    if let Some(cl) = &c.closing {
        body.push_str("<h3>Quadratura del confronto</h3>\n<ul>");
        for s in closing_sentences(cl) {
            let _ = write!(body, "<li>{}</li>", esc(&s));
        }
        body.push_str("</ul>\n");
    }
    let _ = write!(
        body,
        "</section>\n<section>\n<h2>Riproducibilità</h2>\n<p>Calcolato da {}. File letti e loro impronta SHA-256:</p>\n<ul>",
        esc(ENGINE)
    );
    for l in fingerprint_lines(r) {
        let _ = write!(body, "<li><code>{}</code></li>", esc(&l));
    }
    body.push_str("</ul>\n</section>\n");
    crate::output::html::page(&title(c), &body)
}

/// The files of `confronta --out`, each with its name.
pub fn files(r: &Confronto) -> Result<Vec<(String, Vec<u8>)>, String> {
    let xlsx = workbook(r).map_err(|e| format!("confronto.xlsx: {e}"))?;
    Ok(vec![
        ("confronto.xlsx".to_string(), xlsx),
        ("confronto.html".to_string(), html(r).into_bytes()),
    ])
}
