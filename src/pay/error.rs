//! Why individual pay could not be computed ([`PayError`]), and the checks and the checked
//! arithmetic every step of the pay shares: an overflow is an error, never a panic or a
//! wrapped amount.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::service::within_year;
use crate::alloc::SplitError;
use crate::money::date_it;
use crate::money::{round, Money, Rounding};

/// Why individual pay could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayError {
    #[error("regole dei compensi non valide: {}", .0.join("; "))]
    Rules(Vec<String>),
    #[error("anno {0} non valido")]
    Year(i32),
    #[error("importo negativo: {what} {amount}")]
    Negative { what: String, amount: String },
    #[error("matricola {0} ripetuta")]
    DuplicateMatricola(String),
    #[error("dirigente {matricola}: periodo dal {start} al {end} non compreso nell'anno {year}")]
    Period {
        matricola: String,
        start: String,
        end: String,
        year: i32,
    },
    #[error("{matricola}: {message}")]
    Service { matricola: String, message: String },
    #[error("dirigente {matricola}: manca il punteggio della componente \"{code}\"")]
    MissingComponent { matricola: String, code: String },
    #[error("dirigente {matricola}: componente \"{code}\" sconosciuta o ripetuta")]
    UnknownComponent { matricola: String, code: String },
    #[error("dirigente {matricola}: punteggio {score} della componente \"{code}\" fuori dall'intervallo 0-100")]
    ScoreRange {
        matricola: String,
        code: String,
        score: String,
    },
    #[error("dirigente {matricola}: punteggio {score} non coperto da alcuna fascia")]
    NoBand { matricola: String, score: String },
    #[error("dirigente {0}: mancano i punti di pesatura")]
    MissingGradingPoints(String),
    #[error("la retribuzione di posizione erogata ({paid}) supera la quota di posizione ({share}) di {excess}")]
    PositionExceeds {
        paid: String,
        share: String,
        excess: String,
    },
    #[error("interim di {matricola} su \"{post}\": {matricola} non è tra i dirigenti")]
    InterimManager { matricola: String, post: String },
    #[error("interim di {matricola} su \"{post}\": percentuale {percent}% fuori dai limiti {min}-{max}%")]
    InterimPercent {
        matricola: String,
        post: String,
        percent: String,
        min: String,
        max: String,
    },
    #[error("la retribuzione di risultato da ripartire sarebbe negativa: {result} + {carry} di riporti + {unused} di posizione non utilizzata − {interim} di interim = {pot}")]
    ResultPotNegative {
        result: String,
        carry: String,
        unused: String,
        interim: String,
        pot: String,
    },
    #[error("differenziazione non realizzabile: servono {needed} per portare i dirigenti più valutati a {minimum}, ma gli altri dirigenti ricevono in tutto {available}")]
    Art30Infeasible {
        needed: String,
        minimum: String,
        available: String,
    },
    #[error("arrotondamento_passaggi = \"una_volta\": le retribuzioni di risultato arrotondate una volta sommano a {paid}, più della retribuzione di risultato da ripartire ({pot}) di {excess}, perché quasi tutti i dirigenti hanno coefficiente 1 o più e nessuna economia copre i centesimi arrotondati per eccesso; scrivere arrotondamento_passaggi = \"ogni_passaggio\" (quote teoriche ripartite al centesimo, che sommano alla retribuzione da ripartire) oppure arrotondamento = \"troncamento\"")]
    RoundedOnceExceedsPot {
        paid: String,
        pot: String,
        excess: String,
    },
    #[error("{0}")]
    FixedQuotasExceed(Box<QuotasExceed>),
    #[error("dirigente {matricola}: punti di pesatura {points} non coperti da alcuna fascia di importo ([[valutazione.fasce_importo]]): aggiungere la fascia che li comprende")]
    NoAmountBand { matricola: String, points: String },
    #[error("quota_teorica = \"organigramma\" senza posti: indicare i posti dell'organigramma in posti.csv")]
    NoPosts,
    #[error("posto \"{0}\": mancano i punti di pesatura in posti.csv")]
    MissingPostPoints(String),
    #[error("dirigente {matricola}: l'incarico \"{post}\" non è tra i posti di posti.csv")]
    UnknownPost { matricola: String, post: String },
    #[error("posto \"{0}\": nessuna quota di risultato sull'organigramma (servono quota_teorica = \"organigramma\" o una quota fissa per posto)")]
    NoPostQuota(String),
    #[error(
        "interim di {matricola} su \"{post}\": il posto coperto non è tra i posti di posti.csv"
    )]
    InterimUnknownPost { matricola: String, post: String },
    #[error("interim di {matricola} su \"{post}\": manca il punteggio della struttura coperta (colonna punteggio di posti.csv), richiesto da [interim] punteggio = \"struttura\"")]
    MissingStructureScore { matricola: String, post: String },
    #[error("gli interim sulla quota di risultato dei posti coperti spettano in tutto {due}, più della retribuzione di risultato non assegnata ai titolari ({available}) di {excess}: un posto risulta coperto insieme dal titolare e ad interim; correggere i periodi, oppure ridurre la percentuale dell'interim")]
    InterimExceedsUnassigned {
        due: String,
        available: String,
        excess: String,
    },
    #[error("quadratura non riuscita: fondo più riporti {left}, somme erogate più residui ed economie {right}")]
    Reconciliation { left: String, right: String },
    #[error("ripartizione: {0}")]
    Split(#[from] SplitError),
    #[error("calcolo impossibile: importi troppo grandi")]
    Overflow,
}

/// The fixed result quotas above the pot they are paid from (*quote fisse oltre il
/// risultato da ripartire*), with the rules' key to change and where it is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("le quote fisse di risultato (quota = \"{quota}\") sommano a {quotas}, più della retribuzione di risultato da ripartire {pot} (quota di risultato + riporti + posizione non utilizzata − interim) di {excess}: ridurre {key}, oppure aumentare la quota di risultato in [ripartizione]; le quote fisse non si riducono in proporzione")]
pub struct QuotasExceed {
    /// The word of `[valutazione] quota`.
    pub quota: String,
    /// The key of `[valutazione]` holding the value, and where it is written.
    pub key: String,
    pub origin: Option<crate::trail::Origin>,
    pub quotas: String,
    pub pot: String,
    pub excess: String,
}

/// The value, or [`PayError::Overflow`] when a checked operation gave none.
pub(super) fn ov<T>(x: Option<T>) -> Result<T, PayError> {
    x.ok_or(PayError::Overflow)
}

pub(super) fn add(a: Money, b: Money) -> Result<Money, PayError> {
    ov(a.checked_add(b))
}

pub(super) fn sub(a: Money, b: Money) -> Result<Money, PayError> {
    ov(a.checked_sub(b))
}

pub(super) fn sum(items: impl IntoIterator<Item = Money>) -> Result<Money, PayError> {
    ov(Money::checked_sum(items))
}

/// [`PayError::Negative`] for a negative input amount.
pub(super) fn non_negative(what: impl std::fmt::Display, m: Money) -> Result<(), PayError> {
    if m.is_negative() {
        return Err(PayError::Negative {
            what: what.to_string(),
            amount: m.it(),
        });
    }
    Ok(())
}

/// [`PayError::Period`] for a period (of `matricola`) not within the fund year.
pub(super) fn period_within(
    matricola: &str,
    start: NaiveDate,
    end: NaiveDate,
    year: i32,
) -> Result<(), PayError> {
    if !within_year(start, end, year) {
        return Err(PayError::Period {
            matricola: matricola.to_string(),
            start: date_it(start),
            end: date_it(end),
            year,
        });
    }
    Ok(())
}

/// Rounds up to the cent (so that the result is truly ≥ the exact value), through the one
/// rounding function.
pub(super) fn ceil_cent(x: Decimal) -> Result<Money, PayError> {
    let down = round(x, 2, Rounding::Down);
    let m = Money::from_exact(down, Rounding::Down);
    if down < x {
        add(m, Money::from_cents(1))
    } else {
        Ok(m)
    }
}
