//! A certified `fondo.json` (what `calcola --out` wrote, e.g. for the previous year) read as
//! one side of `ccdi confronta`: the fund's figures, what was paid and each manager's
//! figures. A figure missing or not an amount is an error naming its key; the bytes come from
//! `files` (the only reads from disk).

use rust_decimal::Decimal;
use serde_json::Value;

use crate::compare::{FundFigures, ManagerFigures, PaidFigures, Side};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::money::Money;

/// What to do about a file that is not a `fondo.json`.
const WHAT_TO_PASS: &str = "il file non sembra il fondo.json scritto da ccdi calcola --out: indicare quel file, oppure un file delle regole (.toml)";

/// Reads the figures of one document, collecting every problem.
struct Reader<'a> {
    file: &'a str,
    diags: Diagnostics,
}

impl Reader<'_> {
    fn error(&mut self, key: &str, what: String) {
        self.diags.push(Diagnostic::error(
            Location::at(self.file, 0, 0, Some(key.to_string())),
            format!("{what}; {WHAT_TO_PASS}"),
        ));
    }

    /// The value at a dotted path (`costituzione.fondo`).
    fn at<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
        path.split('.').try_fold(v, |v, k| v.get(k))
    }

    /// An amount written as a decimal string with at most two decimals.
    fn amount(&mut self, v: &Value, path: &str, shown: &str) -> Money {
        let read = Reader::at(v, path)
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<Decimal>().ok())
            .and_then(Money::from_cents_decimal);
        read.unwrap_or_else(|| {
            self.error(shown, "manca, o non è un importo".to_string());
            Money::ZERO
        })
    }

    fn text(&mut self, v: &Value, path: &str, shown: &str) -> String {
        match Reader::at(v, path).and_then(Value::as_str) {
            Some(s) => s.to_string(),
            None => {
                self.error(shown, "manca, o non è un testo".to_string());
                String::new()
            }
        }
    }

    /// The elements of an array (none, with an error, when it is not one).
    fn array<'v>(&mut self, v: &'v Value, path: &str) -> &'v [Value] {
        match Reader::at(v, path).and_then(Value::as_array) {
            Some(a) => a,
            None => {
                self.error(path, "manca, o non è un elenco".to_string());
                &[]
            }
        }
    }

    /// The items of the constitution (`risorse` or `decurtazioni`): code, description, amount.
    fn items(&mut self, doc: &Value, path: &str) -> Vec<(String, String, Money)> {
        let items = self.array(doc, path);
        let mut out = Vec::with_capacity(items.len());
        for (k, i) in items.iter().enumerate() {
            let at = format!("{path}[{}]", k + 1);
            out.push((
                self.text(i, "codice", &format!("{at}.codice")),
                self.text(i, "descrizione", &format!("{at}.descrizione")),
                self.amount(i, "importo", &format!("{at}.importo")),
            ));
        }
        out
    }
}

/// The fund's figures: the constitution, the split and the carry-overs.
fn fund(r: &mut Reader, doc: &Value) -> FundFigures {
    let mut a = |path: &str| r.amount(doc, path, path);
    let (stable, variable) = (
        a("costituzione.risorse_stabili"),
        a("costituzione.risorse_variabili"),
    );
    let (cuts, fund) = (
        a("costituzione.totale_decurtazioni"),
        a("costituzione.fondo"),
    );
    let (position, result) = (
        a("utilizzo.posizione.importo"),
        a("utilizzo.risultato.importo"),
    );
    let carried: Vec<Money> = r
        .array(doc, "riporti")
        .iter()
        .enumerate()
        .map(|(k, c)| r.amount(c, "importo", &format!("riporti[{}].importo", k + 1)))
        .collect();
    let carryovers = Money::checked_sum(carried).unwrap_or(Money::ZERO);
    FundFigures {
        stable,
        variable,
        cuts,
        fund,
        position,
        result,
        carryovers,
        grand_total: fund.checked_add(carryovers).unwrap_or(Money::ZERO),
        resource_items: r.items(doc, "costituzione.risorse"),
        cut_items: r.items(doc, "costituzione.decurtazioni"),
    }
}

/// What was paid, when the document has the reconciliation.
fn paid(r: &mut Reader, doc: &Value) -> Option<PaidFigures> {
    let rec = doc.get("riconciliazione")?;
    let mut a = |key: &str| r.amount(rec, key, &format!("riconciliazione.{key}"));
    Some(PaidFigures {
        position_paid: a("posizione_erogata"),
        unused_position: a("posizione_non_utilizzata"),
        result_pot: a("risultato_da_ripartire"),
        result_paid: a("risultato_erogato"),
        interim: a("interim"),
        carried_residual: a("residui_riportati"),
        economie: a("economie"),
    })
}

/// Each manager's figures, when the document has them.
fn managers(r: &mut Reader, doc: &Value) -> Option<Vec<ManagerFigures>> {
    let rows = doc.get("dirigenti")?.as_array()?;
    let mut out = Vec::with_capacity(rows.len());
    for (k, m) in rows.iter().enumerate() {
        let at = |key: &str| format!("dirigenti[{}].{key}", k + 1);
        let mut a = |key: &str| r.amount(m, key, &at(key));
        let figures = [
            a("posizione"),
            a("risultato_erogato"),
            a("art30"),
            a("interim"),
            a("totale"),
        ];
        out.push(ManagerFigures {
            matricola: r.text(m, "matricola", &at("matricola")).into(),
            name: r.text(m, "nome", &at("nome")).into(),
            figures,
        });
    }
    Some(out)
}

/// The side of a comparison that a sealed `fondo.json` states (its seal checked); `file` is its name as shown.
pub fn side(file: &str, bytes: &[u8]) -> Result<Side, Diagnostics> {
    // A changed figure is refused, as `--precedente` refuses it.
    super::previous::check_seal(file, bytes)?;
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            Location::at(file, e.line(), e.column(), None),
            format!("JSON non valido a questo punto; {WHAT_TO_PASS}"),
        )])
    })?;
    let mut r = Reader {
        file,
        diags: Diagnostics::default(),
    };
    let ente = r.text(&doc, "ente", "ente");
    let year = doc.get("anno").and_then(Value::as_i64);
    let year = year.and_then(|y| i32::try_from(y).ok()).unwrap_or_else(|| {
        r.error("anno", "manca, o non è un anno".to_string());
        0
    });
    let fund = fund(&mut r, &doc);
    let paid = paid(&mut r, &doc);
    let managers = managers(&mut r, &doc);
    if r.diags.has_errors() {
        return Err(r.diags);
    }
    Side::from_figures((file, &ente, year), &fund, paid, managers)
        .map_err(|e| Diagnostics(vec![Diagnostic::error(Location::file(file), e.to_string())]))
}
