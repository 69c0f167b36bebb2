//! `[raggiungimento]` of the rules file: how the PEG's indicators and objectives are scored
//! (quantity targets, deadlines, minimum score, how an objective is met, rounding) and how
//! weights that do not add up to 100 are treated. Every key is optional, with its default.

use rust_decimal::Decimal;

use super::{Reader, Tbl};
use crate::money::Rounding;
use crate::peg::attain::{AttainmentRules, DeadlineTolerance, ObjectiveRule, Scoring};
use crate::peg::WeightRule;

/// Keys of `[raggiungimento]`.
const ATTAIN_KEYS: &[&str] = &[
    "quantita",
    "scadenze",
    "giorni_tolleranza",
    "soglia_minima",
    "obiettivo",
    "tetto_100",
    "decimali",
    "arrotondamento",
    "pesi",
    "fonte",
];

impl Reader<'_> {
    /// `[raggiungimento]`: attainment rules, each key optional with its default.
    pub(super) fn attainment(
        &mut self,
        top: &Tbl,
    ) -> (AttainmentRules, WeightRule, Option<String>) {
        let mut rules = AttainmentRules::default();
        let Some(t) = self.section(top, "raggiungimento", ATTAIN_KEYS) else {
            return (rules, WeightRule::default(), None);
        };
        self.indicator_scoring(&t, &mut rules);
        self.objective_scoring(&t, &mut rules);
        let weights = self
            .choice(
                &t,
                "pesi",
                &[
                    ("somma_100", WeightRule::MustSum100),
                    ("normalizza", WeightRule::Normalize),
                ],
            )
            .unwrap_or_default();
        let source = self
            .string(
                &t,
                "fonte",
                "il sistema di misurazione e valutazione (SMVP) che fissa queste regole",
            )
            .map(|s| s.0);
        (rules, weights, source)
    }

    /// How one indicator scores: quantity targets, deadlines and the minimum score.
    fn indicator_scoring(&mut self, t: &Tbl, rules: &mut AttainmentRules) {
        if let Some(q) = self.choice(
            t,
            "quantita",
            &[
                ("proporzionale", Scoring::Proportional),
                ("tutto_o_niente", Scoring::AllOrNothing),
            ],
        ) {
            rules.quantity = q;
        }
        if let Some(d) = self.deadline(t) {
            rules.deadline = d;
        }
        if let Some(f) = self.opt_number(t, "soglia_minima", Decimal::ZERO, Decimal::ONE_HUNDRED) {
            rules.floor = Some(f);
        }
    }

    /// `scadenze` with its `giorni_tolleranza`: a strict deadline, or a score that decays
    /// linearly to zero over so many days past it.
    fn deadline(&mut self, t: &Tbl) -> Option<DeadlineTolerance> {
        let days = self.opt_number(t, "giorni_tolleranza", Decimal::ONE, Decimal::from(3660));
        let decays = self.choice(
            t,
            "scadenze",
            &[("rigida", false), ("decadimento_lineare", true)],
        )?;
        if !decays {
            return Some(DeadlineTolerance::Strict);
        }
        match days {
            Some(d) if d.fract().is_zero() => Some(DeadlineTolerance::LinearDecay {
                days: u32::try_from(d.mantissa()).unwrap_or(1),
            }),
            Some(_) => {
                self.error(
                    t.span.clone(),
                    Some(t.key_path("giorni_tolleranza")),
                    "giorni_tolleranza deve essere un numero intero di giorni",
                );
                None
            }
            None => {
                self.missing(
                    t,
                    "giorni_tolleranza",
                    "i giorni oltre la scadenza dopo cui l'indicatore vale zero",
                );
                None
            }
        }
    }

    /// How an objective is scored from its indicators: the rule, the 100 cap, the decimals
    /// kept and how they round.
    fn objective_scoring(&mut self, t: &Tbl, rules: &mut AttainmentRules) {
        if let Some(o) = self.choice(
            t,
            "obiettivo",
            &[
                ("media_ponderata", ObjectiveRule::WeightedMean),
                ("tutti_raggiunti", ObjectiveRule::AllTargetsMet),
            ],
        ) {
            rules.objective = o;
        }
        if let Some(cap) = self.opt_bool(t, "tetto_100") {
            rules.cap = cap;
        }
        if let Some(d) = self.opt_number(t, "decimali", Decimal::ZERO, Decimal::from(6)) {
            rules.decimals = u32::try_from(d.trunc().mantissa()).unwrap_or(2);
        }
        if let Some(r) = self.choice(
            t,
            "arrotondamento",
            &[
                ("commerciale", Rounding::HalfUp),
                ("bancario", Rounding::HalfEven),
                ("troncamento", Rounding::Down),
            ],
        ) {
            rules.rounding = r;
        }
    }
}
