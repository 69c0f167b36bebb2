//! The result pot (*retribuzione di risultato da ripartire*): the result share, the carry-overs
//! and the position money left unused this year (CCNL 2020 art. 57 c.3), less the interim
//! supplements set aside.

use super::error::{add, sub, sum, PayError};
use super::manager::Row;
use super::model::Pots;
use crate::money::Money;
use crate::trail::{Figure, Term};

/// The position pay paid and what is left of the position share.
pub(super) struct Position {
    pub paid: Money,
    /// Position share − position paid: moved to this year's result pot.
    pub unused: Money,
    pub figure: Figure,
}

/// The position pay paid, which may not exceed the position share, and the share left unused.
pub(super) fn unused_position(pots: &Pots, rows: &[Row]) -> Result<Position, PayError> {
    let paid = sum(rows.iter().map(|r| r.position_paid))?;
    let unused = sub(pots.position_share, paid)?;
    if unused.is_negative() {
        return Err(PayError::PositionExceeds {
            paid: paid.it(),
            share: pots.position_share.it(),
            excess: sub(paid, pots.position_share)?.it(),
        });
    }
    let mut figure = Figure::sum(
        "posizione_non_utilizzata",
        "Quota di posizione non utilizzata, destinata al risultato dello stesso anno",
        unused,
        vec![
            Term::figure("Quota di posizione", pots.position_share, 1, "posizione"),
            Term::figure("Posizione erogata", paid, -1, "posizione:*"),
        ],
        &[&pots.sources.unused_position],
    );
    figure.formula = format!("{} − {} = {}", pots.position_share, paid, unused);
    Ok(Position {
        paid,
        unused,
        figure,
    })
}

/// The result pot, which may not be negative, and its figure.
pub(super) fn result_pot(
    pots: &Pots,
    unused_position: Money,
    interim_due: Money,
) -> Result<(Money, Figure), PayError> {
    let pot = sub(
        add(add(pots.result_share, pots.carryovers)?, unused_position)?,
        interim_due,
    )?;
    if pot.is_negative() {
        return Err(PayError::ResultPotNegative {
            result: pots.result_share.it(),
            carry: pots.carryovers.it(),
            unused: unused_position.it(),
            interim: interim_due.it(),
            pot: pot.it(),
        });
    }
    let figure = Figure {
        voce: "risultato_da_ripartire".into(),
        description: "Retribuzione di risultato da ripartire tra i dirigenti".into(),
        value: pot.into(),
        formula: format!(
            "{} + {} + {} − {} = {}",
            pots.result_share, pots.carryovers, unused_position, interim_due, pot
        ),
        terms: vec![
            Term::figure("Quota di risultato", pots.result_share, 1, "risultato"),
            Term::figure("Riporti", pots.carryovers, 1, "riporti"),
            Term::figure(
                "Posizione non utilizzata",
                unused_position,
                1,
                "posizione_non_utilizzata",
            ),
            Term::figure("Interim spettanti", interim_due, -1, "interim:*"),
        ],
        sources: vec![
            pots.sources.result.clone().into(),
            pots.sources.interim.clone().into(),
        ],
        roundings: Vec::new(),
    };
    Ok((pot, figure))
}
