//! The figures of a run for `spiega` (every one, or those a voce or a matricola names), the
//! catalogue of the voci ([`VOCI`]: every figure's name, what it is and when a run has it,
//! for `spiega --elenco` and the messages about a name not found) and the comparison with
//! the figures a signed document declares (`verifica --dichiarati`).

use std::borrow::Cow;

use super::{sub, Check, Verdict};
use crate::engine::Outcome;
use crate::money::Money;
use crate::trail::{Figure, FigureValue};

/// Every figure of a run: the fund's, then the pay's (each manager's written on request).
pub fn figures(outcome: &Outcome) -> impl Iterator<Item = Cow<'_, Figure>> + '_ {
    let pay = outcome.pay.iter().flat_map(|p| p.figures().map(Cow::Owned));
    outcome
        .fund
        .trail
        .figures
        .iter()
        .map(Cow::Borrowed)
        .chain(pay)
}

/// The figures a `spiega` argument names: a voce id exactly, every figure of a matricola
/// (`risultato:D001`, `totale:D001`, `interim:D001:...`), or a manager's group of figures
/// (`interim:D001`, or `interim:D001:*`, for every interim of D001).
pub fn find<'a>(outcome: &'a Outcome, what: &str) -> Vec<Cow<'a, Figure>> {
    let found = find_named(outcome, what);
    if !found.is_empty() {
        return found;
    }
    group(outcome, what)
}

/// The figures of a manager's group (`interim:D001` or `interim:D001:*`): those whose voce
/// continues it after a `:`.
fn group<'a>(outcome: &'a Outcome, what: &str) -> Vec<Cow<'a, Figure>> {
    let base = what.strip_suffix(":*").unwrap_or(what);
    let Some((_, matricola)) = base.split_once(':') else {
        return Vec::new();
    };
    if matricola.is_empty() || matricola.contains(':') {
        return Vec::new();
    }
    let prefix = format!("{base}:");
    find_named(outcome, matricola)
        .into_iter()
        .filter(|f| f.voce.starts_with(&prefix))
        .collect()
}

/// The figures a voce id names exactly, or else every figure of a matricola.
fn find_named<'a>(outcome: &'a Outcome, what: &str) -> Vec<Cow<'a, Figure>> {
    // The pay figures of the voce or matricola, written once.
    let named = outcome
        .pay
        .as_ref()
        .map(|p| p.figures_named(what))
        .unwrap_or_default();
    let pick = |keep: &dyn Fn(&Figure) -> bool| -> Vec<Cow<'a, Figure>> {
        outcome
            .fund
            .trail
            .figures
            .iter()
            .filter(|f| keep(f))
            .map(Cow::Borrowed)
            .chain(named.iter().filter(|f| keep(f)).cloned().map(Cow::Owned))
            .collect()
    };
    let exact = pick(&|f| f.voce == what);
    if !exact.is_empty() {
        return exact;
    }
    pick(&|f| f.voce.split(':').nth(1) == Some(what))
}

/// One declared figure compared with the recomputation (`--dichiarati`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub voce: String,
    pub declared: Money,
    pub origin: String,
}

/// Compares declared figures with the computed ones: one check per declared row.
pub fn compare_declared(outcome: &Outcome, declared: &[Declared]) -> Vec<Check> {
    declared
        .iter()
        .map(|d| {
            let found = find(outcome, &d.voce)
                .into_iter()
                .find(|f| f.voce == d.voce);
            match found.map(|f| f.value) {
                Some(FigureValue::Money(m)) => {
                    let diff = sub(d.declared, m);
                    Check {
                        verdict: if diff.value().is_zero() {
                            Verdict::Holds
                        } else {
                            Verdict::Fails
                        },
                        name: format!("Cifra dichiarata \"{}\"", d.voce),
                        source: d.origin.clone(),
                        figures: format!(
                            "dichiarato {}, ricalcolato {}, differenza {}",
                            d.declared.it(),
                            m.it(),
                            diff.it()
                        ),
                    }
                }
                Some(FigureValue::Percent(p)) => Check {
                    verdict: if p.value() == d.declared.value() {
                        Verdict::Holds
                    } else {
                        Verdict::Fails
                    },
                    name: format!("Percentuale dichiarata \"{}\"", d.voce),
                    source: d.origin.clone(),
                    figures: format!("dichiarato {}%, ricalcolato {}%", d.declared.it(), p.it(2)),
                },
                None => Check {
                    verdict: Verdict::Fails,
                    name: format!("Cifra dichiarata \"{}\"", d.voce),
                    source: d.origin.clone(),
                    figures: not_found(outcome, &d.voce, Asked::Declared),
                },
            }
        })
        .collect()
}

/// A voce `spiega` and `--dichiarati` accept: its name (`<matricola>` stands for a manager's,
/// `<incarico>` for a covered post's), what it is, and when a run has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoceInfo {
    pub name: &'static str,
    pub description: &'static str,
    /// When a run has the figure; empty: always.
    pub when: &'static str,
}

const fn voce(name: &'static str, description: &'static str, when: &'static str) -> VoceInfo {
    VoceInfo {
        name,
        description,
        when,
    }
}

/// When the managers' figures exist.
const WITH_STAFF: &str = "con --dati (dirigenti.csv e valutazioni.csv)";

/// Every voce of the figures, in the order of the trail; the last names all of a manager's
/// figures (`spiega` only). A new figure of the trail gets its line here (a test runs every
/// scenario and finds each figure's voce in this list).
pub const VOCI: &[VoceInfo] = &[
    voce("risorse_stabili", "Risorse stabili: somma delle [[risorse]] di natura stabile", ""),
    voce("risorse_variabili", "Risorse variabili: somma delle [[risorse]] di natura variabile", ""),
    voce("decurtazioni", "Decurtazioni: somma delle [[decurtazioni]]", ""),
    voce("fondo", "Fondo certificato: risorse stabili + risorse variabili − decurtazioni", ""),
    voce("posizione", "Quota del fondo per la retribuzione di posizione ([ripartizione])", ""),
    voce("risultato", "Quota del fondo per la retribuzione di risultato ([ripartizione])", ""),
    voce("percentuale_posizione", "Percentuale della quota di posizione sul fondo (solo esposizione)", ""),
    voce("percentuale_risultato", "Percentuale della quota di risultato sul fondo (solo esposizione)", ""),
    voce("riporti", "Riporti da anni precedenti, fuori dal fondo certificato ([[riporti]])", ""),
    voce("risultato_totale", "Quota di risultato con i riporti", ""),
    voce("totale", "Totale delle risorse da utilizzare: fondo + riporti", ""),
    voce("limite_2016", "Margine rispetto al limite 2016 (negativo: superamento)", "con la sezione [limite_2016]"),
    voce("riporto_proposto", "Riporto proposto dal fondo.json dell'anno precedente: le sue economie per causa, meno le risorse variabili non utilizzate (economie di bilancio) e i riporti non utilizzati (una tantum)", "con --precedente, se l'anno precedente è stato calcolato con --dati"),
    voce("incremento:<codice>", "Incremento contrattuale del fondo: monte salari × percentuale, o importo per posto × posti", "con la sezione [incrementi_contrattuali], negli anni in cui il contratto nazionale prevede incrementi"),
    voce("posizione:<matricola>", "Retribuzione di posizione del dirigente, in proporzione al servizio", WITH_STAFF),
    voce("posizione_non_utilizzata", "Quota di posizione non utilizzata, passata al risultato dello stesso anno", WITH_STAFF),
    voce("interim:<matricola>:<incarico>", "Interim del dirigente sull'incarico coperto (interim:<matricola>: tutti i suoi interim)", "quando il dirigente copre un incarico ad interim (interim.csv)"),
    voce("risultato_da_ripartire", "Retribuzione di risultato da ripartire tra i dirigenti", WITH_STAFF),
    voce("posto:<incarico>", "Quota di risultato annua di un posto dell'organigramma (coperto o no) e le parti dei suoi titolari per il servizio", "con [valutazione] quota_teorica = \"organigramma\" e posti.csv"),
    voce("risultato:<matricola>", "Retribuzione di risultato del dirigente prima della differenziazione", WITH_STAFF),
    voce("art30:<matricola>", "Differenziazione della retribuzione di risultato del dirigente: maggiorazione, o riduzione che la finanzia", "quando la differenziazione sposta importi del dirigente"),
    voce("riduzione:<matricola>", "Riduzione dichiarata del risultato del dirigente (ritardi negli obiettivi, sanzione disciplinare): percentuale del risultato dopo la differenziazione, prima della riduzione per compensi", "quando il dirigente ha righe in riduzioni.csv"),
    voce("riduzione_compensi:<matricola>", "Riduzione del risultato del dirigente per i compensi ex lege", "quando il dirigente ha compensi ex lege (compensi.csv) e [compensi_ex_lege] correlazione = \"riduzione\""),
    voce("risultato_erogato:<matricola>", "Retribuzione di risultato erogata al dirigente: risultato prima della differenziazione + differenziazione − riduzione per compensi", WITH_STAFF),
    voce("quota_ente:<matricola>", "Parte della paga del dirigente condiviso a carico di altro ente (convenzione): ogni importo meno la quota di questo ente", "quando il dirigente ha quota_ente sotto 100 in dirigenti.csv"),
    voce("totale:<matricola>", "Totale a carico del fondo per il dirigente: posizione + risultato dopo la differenziazione − riduzione dichiarata − riduzione per compensi + interim − quota a carico di altro ente", WITH_STAFF),
    voce("liquidazione:<matricola>", "Importo da liquidare al dirigente: posizione + risultato erogato + interim (liquidazione.csv con --out)", WITH_STAFF),
    voce("economie", "Economie: somme non erogate per la valutazione, le quote fisse non assegnate, le riduzioni dichiarate, i compensi ex lege, gli interim, le quote a carico di altro ente; al netto delle maggiorazioni art. 30 pagate con esse", WITH_STAFF),
    voce("quadratura_compensi", "Quadratura: fondo + riporti = posizione + risultato + interim + residui + economie", WITH_STAFF),
    voce("<matricola>", "Tutte le cifre di un dirigente, con i suoi dati di ingresso (solo spiega)", WITH_STAFF),
];

/// Whether `voce` has the shape of `pattern`: the same names, a placeholder for any non-empty
/// text (the last one takes the rest, `:` included).
fn fits(pattern: &str, voce: &str) -> bool {
    let n = pattern.split(':').count();
    let parts: Vec<&str> = voce.splitn(n, ':').collect();
    parts.len() == n
        && pattern.split(':').zip(&parts).all(|(p, v)| {
            if p.starts_with('<') {
                !v.is_empty()
            } else {
                p == *v
            }
        })
}

/// The entry of the catalogue a figure's voce belongs to (not the bare matricola's).
pub fn catalogued(voce: &str) -> Option<&'static VoceInfo> {
    VOCI.iter()
        .filter(|v| !v.name.starts_with('<'))
        .find(|v| fits(v.name, voce))
}

/// The entry a manager's group names (`interim:D001`, `interim:D001:*`): a voce with more
/// parts whose first parts fit.
fn catalogued_group(what: &str) -> Option<&'static VoceInfo> {
    let base = what.strip_suffix(":*").unwrap_or(what);
    let k = base.split(':').count();
    VOCI.iter().find(|v| {
        let parts: Vec<&str> = v.name.split(':').collect();
        k >= 2 && parts.len() > k && fits(&parts[..k].join(":"), base)
    })
}

/// Who asks for a figure by name: `spiega` (a matricola or a group is fine) or a declared
/// figure (one name, one amount).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Explain,
    Declared,
}

/// Why no figure answers to `what`, in Italian, saying what to write instead: a manager or
/// a figure this run does not have, a name for several figures (for a declared figure), or
/// an unknown name with the valid ones.
pub fn not_found(outcome: &Outcome, what: &str, asked: Asked) -> String {
    let several: Vec<String> = find(outcome, what).iter().map(|f| f.voce.clone()).collect();
    if !several.is_empty() {
        return format!(
            "\"{what}\" indica più cifre ({}): dichiararne una col suo nome",
            several.join(", ")
        );
    }
    let entry = catalogued(what).or_else(|| catalogued_group(what));
    match entry {
        Some(v) if v.name.contains("<matricola>") => absent_for_manager(outcome, what, v),
        Some(v) => format!(
            "la voce \"{what}\" non c'è in questo calcolo: c'è solo {}",
            v.when
        ),
        None => unknown(outcome, what, asked),
    }
}

/// A manager's figure not found: no such manager, no managers at all, or the manager has no
/// such figure in this run.
fn absent_for_manager(outcome: &Outcome, what: &str, v: &VoceInfo) -> String {
    let matricola = what.split(':').nth(1).unwrap_or_default();
    if outcome.pay.is_none() {
        return format!(
            "la voce \"{what}\" c'è solo {WITH_STAFF}: questo calcolo non ha dirigenti"
        );
    }
    if find(outcome, matricola).is_empty() {
        return format!(
            "nessun dirigente con matricola \"{matricola}\"{}",
            example_matricola(outcome, " (", ")")
        );
    }
    format!(
        "il dirigente {matricola} non ha la cifra \"{what}\" in questo calcolo: c'è solo {}",
        v.when
    )
}

/// `{before}es. D001{after}` with the first manager's matricola, when the run has managers.
fn example_matricola(outcome: &Outcome, before: &str, after: &str) -> String {
    outcome
        .pay
        .as_ref()
        .and_then(|p| p.managers.first())
        .map(|m| format!("{before}es. {}{after}", m.matricola))
        .unwrap_or_default()
}

/// An unknown name: the valid voci listed, the matricola accepted by `spiega`.
fn unknown(outcome: &Outcome, what: &str, asked: Asked) -> String {
    let names: Vec<&str> = VOCI
        .iter()
        .filter(|v| !v.name.starts_with('<'))
        .map(|v| v.name)
        .collect();
    let example = example_matricola(outcome, ", ", "");
    let (kind, alone) = match asked {
        Asked::Explain => ("voce o matricola", ", oppure la sola matricola"),
        Asked::Declared => ("voce", ""),
    };
    format!(
        "{kind} \"{what}\" sconosciuta; voci: {} (<matricola>: la matricola di un dirigente{example}){alone}; l'elenco con le descrizioni: ccdi spiega --elenco",
        names.join(", ")
    )
}
