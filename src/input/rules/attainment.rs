//! `[raggiungimento]` of the rules file: how the PEG's indicators and objectives are scored
//! (quantity targets, deadlines, minimum score, how an objective is met, rounding) and how
//! weights that do not add up to 100 are treated. Every key is optional, with its default.

use rust_decimal::prelude::ToPrimitive;
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
            // The value, not its mantissa: `30.0` is 30 days (its mantissa is 300).
            Some(d) if d.fract().is_zero() => Some(DeadlineTolerance::LinearDecay {
                days: d.to_u32().unwrap_or(1),
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
            match d.fract().is_zero() {
                true => rules.decimals = d.to_u32().unwrap_or(2),
                false => self.error(
                    t.span.clone(),
                    Some(t.key_path("decimali")),
                    "decimali deve essere un numero intero (0-6)",
                ),
            }
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

#[cfg(test)]
mod tests {
    use crate::input::rules::parse_rules;
    use crate::peg::attain::DeadlineTolerance;

    const HEAD: &str = "[ente]\nnome = \"Comune\"\nanno = 2023\n[[risorse]]\ncodice = \"a\"\ndescrizione = \"a\"\nnatura = \"stabile\"\nsoggetta_limite_2016 = true\nimporto = \"1.000,00\"\nfonte = \"f\"\n[ripartizione]\nposizione = \"70%\"\nrisultato = \"resto\"\nfonte = \"f\"\n[raggiungimento]\nfonte = \"SMVP\"\nscadenze = \"decadimento_lineare\"\n";

    /// Whole numbers written with a decimal part are read as their value, not their mantissa
    /// (`30.0` was read as 300 days); a fractional count is an error.
    #[test]
    fn whole_numbers_are_read_by_value() {
        for (text, days, decimals) in [
            ("giorni_tolleranza = 30\ndecimali = 2\n", 30, 2),
            ("giorni_tolleranza = 30.0\ndecimali = 2.0\n", 30, 2),
            ("giorni_tolleranza = \"30,00\"\ndecimali = \"3,0\"\n", 30, 3),
        ] {
            let (rules, _) = parse_rules("r.toml", &format!("{HEAD}{text}")).expect(text);
            let a = rules.attainment;
            assert_eq!(
                a.deadline,
                DeadlineTolerance::LinearDecay { days },
                "{text}"
            );
            assert_eq!(a.decimals, decimals, "{text}");
        }
        for text in [
            "giorni_tolleranza = 30.5\n",
            "giorni_tolleranza = 30\ndecimali = 2.5\n",
        ] {
            let errors = parse_rules("r.toml", &format!("{HEAD}{text}")).unwrap_err();
            assert!(errors.to_string().contains("intero"), "{text}: {errors}");
        }
    }
}
