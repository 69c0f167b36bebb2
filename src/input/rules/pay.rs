//! The pay sections of the rules file: `[valutazione]` (threshold, weighting base, service
//! fraction, model, the result quota shared or fixed per post with its value, components and the score→coefficient function with its `[[fasce]]`),
//! `[differenziazione]` (the art. 30 CCNL differentiation: its percentage, at least the lowest
//! minimum of the year's national rules, and its quota are required; its model, `minimo` or
//! `maggiorazione`, and minimum score optional), `[interim]` (with `base` and `punteggio`,
//! the result-based interim scored by the structure) and `[compensi_ex_lege]`; the keys over
//! the organisation chart (`quota_teorica`, `[interim] base` and `punteggio`) are recorded
//! where written, for the error when the data folder has no `posti.csv`, and their
//! combination problems are reported at the key. The other keys are optional, with their
//! default; the typed rules' own validation is reported at the header of the section it
//! concerns, citing the year's national rules. The year's national interim range and exclusion from the differentiation are set on
//! the pay rules here.

use rust_decimal::Decimal;

use super::{key_span, Reader, Tbl};
use crate::diag::Location;
use crate::money::{format_it, Rounding};
use crate::national::{National, Voce};
use crate::pay::{
    AmountBand, Art30, Art30Model, Average, Band, BaseWeight, CoefficientFn, Component,
    FeeCorrelation, InterimBase, InterimPayment, InterimScore, Model, PayRules, QuotaPosts,
    QuotaRounding, ResultQuota, RoundingSteps, ServiceFraction, Sources, Ties,
};

/// Keys of `[valutazione]`.
const EVAL_KEYS: &[&str] = &[
    "soglia",
    "coefficiente",
    "base",
    "servizio",
    "modello",
    "arrotondamento_passaggi",
    "quota",
    "quota_teorica",
    "valore_punto",
    "fasce_importo",
    "percentuale",
    "euro_per_punto",
    "quota_alla_soglia",
    "passo_per_punto",
    "componenti",
    "fasce",
    "fonte",
];
/// Keys of each `[[valutazione.componenti]]`.
const COMPONENT_KEYS: &[&str] = &["codice", "descrizione", "peso", "organizzativa"];
/// Keys of each `[[valutazione.fasce]]`.
const BAND_KEYS: &[&str] = &["da", "a", "coefficiente"];
/// Keys of each `[[valutazione.fasce_importo]]`.
const AMOUNT_BAND_KEYS: &[&str] = &["da", "a", "importo"];
/// The words of `[valutazione] quota`, each with the key holding its value.
const QUOTA_KINDS: [(&str, Option<&str>); 5] = [
    ("ripartita", None),
    ("valore_punto", Some("valore_punto")),
    ("importo_fascia", Some("fasce_importo")),
    ("percentuale_posizione", Some("percentuale")),
    ("euro_per_punto", Some("euro_per_punto")),
];
/// Keys of `[differenziazione]`.
const ART30_KEYS: &[&str] = &[
    "percentuale",
    "comma_5",
    "quota",
    "arrotondamento_quota",
    "media",
    "parita_al_limite",
    "modello",
    "punteggio_minimo",
    "fonte",
];
/// Keys of `[interim]`.
const INTERIM_KEYS: &[&str] = &["percentuale", "pagamento", "base", "punteggio", "fonte"];
/// Keys of `[compensi_ex_lege]`.
const FEES_KEYS: &[&str] = &["correlazione", "percentuale_riduzione", "fonte"];

/// The sections whose typed rules check themselves, in the order they are checked.
const CHECKED_SECTIONS: [&str; 3] = ["valutazione", "differenziazione", "compensi_ex_lege"];

/// The legal source quoted beside the problems of a checked section, from the year's
/// citations (none when the year is not known): the evaluation, the differentiation (the
/// national contract's, or the CCDI's in a year no contract provides it), the fees.
fn checked_source(section: &str, national: Option<&National>, ccdi_art30: Option<&str>) -> String {
    let Some(n) = national else {
        return String::new();
    };
    match section {
        "valutazione" => n.cite(Voce::Valutazione).to_string(),
        "differenziazione" => Sources::art30(n, ccdi_art30),
        _ => n.cite(Voce::Compensi).to_string(),
    }
}

/// What the pay sections declare (*regole della retribuzione individuale*): the typed pay
/// rules, the CCDI's interim percentage and the source of each declared section.
pub(super) struct PaySections {
    pub(super) rules: PayRules,
    pub(super) interim_percent: Option<Decimal>,
    /// (section name, its `fonte`), in the file's section order.
    pub(super) sources: Vec<(String, String)>,
    /// The keys written that need the organisation chart (`posti.csv`), with where.
    pub(super) posts_keys: Vec<(String, Location)>,
}

/// The kinds of score→coefficient function (`coefficiente`).
#[derive(Clone, Copy)]
enum CoefficientKind {
    Linear,
    Bands,
    QuotaStep,
}

impl Reader<'_> {
    /// The pay sections, with the year's national interim range and exclusion from the
    /// differentiation (when the year is known); the typed rules' own validation is reported
    /// at the section header.
    pub(super) fn pay(
        &mut self,
        top: &Tbl,
        rounding: Rounding,
        national: Option<&National>,
    ) -> PaySections {
        let mut pay = PaySections {
            rules: PayRules {
                rounding,
                ..PayRules::default()
            },
            interim_percent: None,
            sources: Vec::new(),
            posts_keys: Vec::new(),
        };
        if let Some(n) = national {
            pay.rules.interim_percent_bounds = (n.interim.min, n.interim.max);
        }
        self.evaluation(top, &mut pay);
        self.differentiation(top, &mut pay, national);
        self.interim(top, &mut pay);
        self.interim_on_result(top, &mut pay.rules, national);
        self.fees(top, &mut pay);
        self.pay_rules_problems(top, &pay, national);
        self.posts_keys_problems(top, &pay);
        pay
    }

    /// The section's `fonte`, recorded under the section's name.
    fn section_source(&mut self, t: &Tbl, what: &str, sources: &mut Vec<(String, String)>) {
        if let Some((s, _)) = self.string(t, "fonte", what) {
            sources.push((t.path.clone(), s));
        }
    }

    /// `[valutazione]`: how evaluation scores become result pay.
    fn evaluation(&mut self, top: &Tbl, pay: &mut PaySections) {
        let Some(t) = self.section(top, "valutazione", EVAL_KEYS) else {
            return;
        };
        self.evaluation_basis(&t, &mut pay.rules);
        self.rounding_steps(&t, &mut pay.rules);
        self.result_quota(&t, &mut pay.rules);
        self.theoretical_quota(&t, pay);
        self.components(&t, &mut pay.rules);
        self.coefficient(&t, &mut pay.rules);
        self.section_source(
            &t,
            "il sistema di misurazione e valutazione (SMVP) o l'articolo del CCDI",
            &mut pay.sources,
        );
    }

    /// The threshold score, the weighting base, the service fraction and the model.
    fn evaluation_basis(&mut self, t: &Tbl, rules: &mut PayRules) {
        if let Some(v) = self.opt_number(t, "soglia", Decimal::ZERO, Decimal::ONE_HUNDRED) {
            rules.threshold = v;
        }
        if let Some(b) = self.choice(
            t,
            "base",
            &[
                ("pro_capite", BaseWeight::PerHead),
                ("retribuzione_posizione", BaseWeight::PositionPay),
                ("punti_pesatura", BaseWeight::GradingPoints),
            ],
        ) {
            rules.base = b;
        }
        if let Some(v) = self.choice(
            t,
            "servizio",
            &[
                ("giorni", ServiceFraction::CalendarDays),
                ("giorni_365", ServiceFraction::Fixed365),
                ("giorni_360", ServiceFraction::Commercial360),
                ("mesi", ServiceFraction::Months15),
            ],
        ) {
            rules.service = v;
        }
        if let Some(m) = self.choice(
            t,
            "modello",
            &[
                ("ripartizione_integrale", Model::Full),
                ("quota_teorica", Model::Quota),
            ],
        ) {
            rules.model = m;
        }
    }

    /// `arrotondamento_passaggi`: a Model B row rounded at each step (the default) or once at
    /// its end.
    fn rounding_steps(&mut self, t: &Tbl, rules: &mut PayRules) {
        let options = [RoundingSteps::EachStep, RoundingSteps::Once].map(|r| (r.key(), r));
        let key = "arrotondamento_passaggi";
        let Some(r) = self.choice(t, key, &options) else {
            return;
        };
        rules.rounding_steps = r;
        if r == RoundingSteps::Once && rules.model == Model::Full {
            let span = t.get(key).map_or(0..0, |v| v.span());
            self.warning(
                span,
                Some(t.key_path(key)),
                "con modello = \"ripartizione_integrale\" ogni quota è già la quota esatta arrotondata una volta (metodo del resto maggiore): arrotondamento_passaggi vale solo per modello = \"quota_teorica\" e qui non cambia nulla; toglierlo, o scrivere modello = \"quota_teorica\"",
            );
        }
    }

    /// `quota`: the result quota shared among those present (`ripartita`, the default) or a
    /// base fixed per post, with its value key; a value key of another model, or `base` and
    /// `modello` beside a fixed base, are errors saying what to write.
    fn result_quota(&mut self, t: &Tbl, rules: &mut PayRules) {
        let kind = self.choice(t, "quota", &QUOTA_KINDS).unwrap_or(None);
        for (word, key) in QUOTA_KINDS.iter().filter_map(|(w, k)| Some((w, (*k)?))) {
            match t.get(key) {
                Some(v) if Some(key) != kind => self.error(
                    v.span(),
                    Some(t.key_path(key)),
                    format!("{key} vale solo con quota = \"{word}\": scrivere quota = \"{word}\" oppure togliere {key}"),
                ),
                _ => {}
            }
        }
        let Some(key) = kind else {
            return;
        };
        if let Some(quota) = self.fixed_value(t, key) {
            rules.quota = quota;
            rules.quota_origin = t.get(key).map(|v| self.origin(&v.span()));
        }
        for other in ["base", "modello"] {
            if let Some(v) = t.get(other) {
                self.error(
                    v.span(),
                    Some(t.key_path(other)),
                    format!("{other} vale solo con quota = \"ripartita\": con una quota fissa per posto la base è quella del modello; togliere {other}"),
                );
            }
        }
    }

    /// The value of a fixed base under its key: euros per point, the bands, the percentage.
    fn fixed_value(&mut self, t: &Tbl, key: &str) -> Option<ResultQuota> {
        let max = Decimal::from(1_000_000);
        Some(match key {
            "valore_punto" => ResultQuota::PointValue(self.number(
                t,
                key,
                "gli euro per punto di pesatura, come \"40,25\"",
                Decimal::ZERO,
                max,
            )?),
            "euro_per_punto" => ResultQuota::ScorePoint(self.number(
                t,
                key,
                "gli euro per punto di valutazione, come \"45,00\"",
                Decimal::ZERO,
                max,
            )?),
            "percentuale" => ResultQuota::PositionPercent(self.number(
                t,
                key,
                "la percentuale della retribuzione di posizione, come \"20%\"",
                Decimal::ZERO,
                Decimal::ONE_HUNDRED,
            )?),
            _ => {
                let bands = self.table_array(t, key);
                if bands.is_empty() {
                    self.missing(
                        t,
                        key,
                        "almeno una [[valutazione.fasce_importo]] con da, a, importo",
                    );
                    return None;
                }
                let read: Vec<Option<AmountBand>> =
                    bands.iter().map(|b| self.amount_band(b)).collect();
                ResultQuota::BandAmount(read.into_iter().collect::<Option<Vec<_>>>()?)
            }
        })
    }

    /// One band of amounts: posts graded from `da` to `a` points get `importo`.
    fn amount_band(&mut self, b: &Tbl) -> Option<AmountBand> {
        self.check_keys(b, AMOUNT_BAND_KEYS);
        let what = "da, a (punti di pesatura) e importo di ogni fascia";
        let max = Decimal::from(1_000_000);
        let from = self.number(b, "da", what, Decimal::ZERO, max);
        let to = self.number(b, "a", what, Decimal::ZERO, max);
        let amount = self.amount(b, "importo", what);
        Some(AmountBand {
            from: from?,
            to: to?,
            amount: amount?,
        })
    }

    /// `[[valutazione.componenti]]`: the evaluation's components; declared ones replace the
    /// default list.
    fn components(&mut self, t: &Tbl, rules: &mut PayRules) {
        let components = self.table_array(t, "componenti");
        if !components.is_empty() {
            rules.components.clear();
        }
        for c in components {
            rules.components.extend(self.component(&c));
        }
    }

    /// One component: its code, its weight on 100 and whether it is the organisational one.
    fn component(&mut self, c: &Tbl) -> Option<Component> {
        self.check_keys(c, COMPONENT_KEYS);
        let code = self.string(
            c,
            "codice",
            "il codice della componente, come in valutazioni.csv (\"obiettivi\" è calcolata dal PEG)",
        );
        let weight = self.number(
            c,
            "peso",
            "il peso della componente su 100",
            Decimal::ZERO,
            Decimal::ONE_HUNDRED,
        );
        let organisational = self.opt_bool(c, "organizzativa").unwrap_or(false);
        let _ = self.opt_string(c, "descrizione");
        Some(Component {
            code: code?.0.to_lowercase(),
            weight: weight?,
            organisational,
        })
    }

    /// `coefficiente`: the function from score to pay coefficient, linear by default.
    fn coefficient(&mut self, t: &Tbl, rules: &mut PayRules) {
        let kind = self.choice(
            t,
            "coefficiente",
            &[
                ("lineare", CoefficientKind::Linear),
                ("fasce", CoefficientKind::Bands),
                ("quota_e_passo", CoefficientKind::QuotaStep),
            ],
        );
        let bands = self.table_array(t, "fasce");
        match kind {
            Some(CoefficientKind::Bands) => rules.coefficient = self.bands(t, &bands),
            Some(CoefficientKind::QuotaStep) => {
                if let Some(c) = self.quota_step(t) {
                    rules.coefficient = c;
                }
            }
            _ if !bands.is_empty() => self.error(
                t.span.clone(),
                Some(t.key_path("fasce")),
                "fasce indicate ma coefficiente non è \"fasce\"",
            ),
            _ => {}
        }
    }

    /// `[[valutazione.fasce]]`: the coefficient by score band; at least one is required.
    fn bands(&mut self, t: &Tbl, bands: &[Tbl]) -> CoefficientFn {
        let mut list = Vec::new();
        for b in bands {
            list.extend(self.band(b));
        }
        if bands.is_empty() {
            self.missing(
                t,
                "fasce",
                "almeno una [[valutazione.fasce]] con da, a, coefficiente",
            );
        }
        CoefficientFn::Bands(list)
    }

    /// One band: scores from `da` to `a` get `coefficiente`.
    fn band(&mut self, b: &Tbl) -> Option<Band> {
        self.check_keys(b, BAND_KEYS);
        let what = "da, a e coefficiente di ogni fascia";
        let hundred = Decimal::ONE_HUNDRED;
        let from = self.number(b, "da", what, Decimal::ZERO, hundred);
        let to = self.number(b, "a", what, Decimal::ZERO, hundred);
        let coefficient = self.number(b, "coefficiente", what, Decimal::ZERO, Decimal::TEN);
        Some(Band {
            from: from?,
            to: to?,
            coefficient: coefficient?,
        })
    }

    /// `quota_e_passo`: a coefficient at the threshold plus a step for each point above it.
    fn quota_step(&mut self, t: &Tbl) -> Option<CoefficientFn> {
        let at_threshold = self.number(
            t,
            "quota_alla_soglia",
            "il coefficiente alla soglia, tra 0 e 1",
            Decimal::ZERO,
            Decimal::ONE,
        );
        let per_point = self.number(
            t,
            "passo_per_punto",
            "l'incremento del coefficiente per punto sopra la soglia",
            Decimal::ZERO,
            Decimal::ONE,
        );
        Some(CoefficientFn::QuotaStep {
            at_threshold: at_threshold?,
            per_point: per_point?,
        })
    }

    /// `[differenziazione]`: the art. 30 CCNL differentiation of result pay, as the CCDI
    /// defines it: its percentage (at least the year's lowest national minimum) and quota
    /// required, the rest optional.
    fn differentiation(&mut self, top: &Tbl, pay: &mut PaySections, national: Option<&National>) {
        let Some(t) = self.section(top, "differenziazione", ART30_KEYS) else {
            return;
        };
        let percent = self.number(
            &t,
            "percentuale",
            "la maggiorazione sulla media, in percentuale, come la definisce il CCDI",
            Decimal::ZERO,
            Decimal::from(1000),
        );
        let quota = self.number(
            &t,
            "quota",
            "la quota dei dirigenti valutati con la valutazione più alta, in percentuale",
            Decimal::ZERO,
            Decimal::ONE_HUNDRED,
        );
        self.section_source(
            &t,
            "l'articolo del CCDI sulla differenziazione della retribuzione di risultato",
            &mut pay.sources,
        );
        let (Some(percent), Some(quota)) = (percent, quota) else {
            return;
        };
        let mut a = Art30::new(percent, quota);
        a.origin = t.get("percentuale").map(|v| self.origin(&v.span()));
        a.excluded_up_to =
            national.and_then(|n| n.differentiation.as_ref().map(|d| d.excluded_up_to));
        self.art30_options(&t, &mut a);
        if let Some(n) = national {
            self.art30_lowest(&t, &a, n);
        }
        pay.rules.art30 = Some(a);
    }

    /// The optional keys of `[differenziazione]`: c.5, the quota's rounding, the average, the
    /// rule for a tie at the cut-off, the model and the minimum score.
    fn art30_options(&mut self, t: &Tbl, a: &mut Art30) {
        self.art30_model(t, a);
        if let Some(v) = self.opt_bool(t, "comma_5") {
            a.c5 = v;
        }
        if let Some(v) = self.choice(
            t,
            "arrotondamento_quota",
            &[
                ("eccesso", QuotaRounding::Up),
                ("difetto", QuotaRounding::Down),
                ("commerciale", QuotaRounding::HalfUp),
            ],
        ) {
            a.quota_rounding = v;
        }
        if let Some(v) = self.choice(
            t,
            "media",
            &[
                ("destinate", Average::Destined),
                ("erogati", Average::AllPaid),
                ("idonei", Average::AllEligible),
            ],
        ) {
            a.average = v;
        }
        a.ties = self.choice(
            t,
            "parita_al_limite",
            &[
                (Ties::Exclude.key(), Ties::Exclude),
                (Ties::Include.key(), Ties::Include),
            ],
        );
    }

    /// `modello` (`minimo`, the default, or `maggiorazione`) and `punteggio_minimo` (none by
    /// default), the score a manager needs to enter the top group.
    fn art30_model(&mut self, t: &Tbl, a: &mut Art30) {
        if let Some(v) = self.choice(
            t,
            "modello",
            &[
                (Art30Model::Floor.key(), Art30Model::Floor),
                (Art30Model::Supplement.key(), Art30Model::Supplement),
            ],
        ) {
            a.model = v;
        }
        a.min_score = self.opt_number(t, "punteggio_minimo", Decimal::ZERO, Decimal::ONE_HUNDRED);
    }

    /// The declared percentage against the lowest minimum of the year's national rules (any
    /// ente size; the minimum for the ente's size is checked when the managers are known).
    fn art30_lowest(&mut self, t: &Tbl, a: &Art30, n: &National) {
        let Some(d) = &n.differentiation else {
            return;
        };
        let Some(lowest) = d.lowest(a.c5) else {
            return;
        };
        if a.percent >= lowest {
            return;
        }
        let shown = |p: Decimal| format_it(p.normalize(), 0);
        let by_size = d
            .minima
            .iter()
            .any(|m| m.c5 == a.c5 && m.up_to_managers.is_some());
        let mut msg = format!(
            "maggiorazione del {}% sotto il minimo del contratto dell'anno {}: almeno il {}%{} (fonte: {}); indicare una percentuale di almeno {}",
            shown(a.percent),
            n.year,
            shown(lowest),
            if by_size { " per gli enti più piccoli, di più secondo il numero dei dirigenti" } else { "" },
            d.source,
            shown(lowest)
        );
        if let Some(c5) = d.lowest(true).filter(|c5| !a.c5 && *c5 < lowest) {
            msg.push_str(&format!(
                ", oppure dichiarare comma_5 = true dove l'ente ne ha le condizioni (minimo {}%)",
                shown(c5)
            ));
        }
        let span = t.get("percentuale").map_or(t.span.clone(), |v| v.span());
        self.error(span, Some(t.key_path("percentuale")), msg);
    }

    /// `[interim]`: the CCDI's percentage for interim assignments (art. 58 CCNL).
    fn interim(&mut self, top: &Tbl, pay: &mut PaySections) {
        let Some(t) = self.section(top, "interim", INTERIM_KEYS) else {
            return;
        };
        pay.interim_percent =
            self.opt_number(&t, "percentuale", Decimal::ZERO, Decimal::ONE_HUNDRED);
        if let Some(v) = self.choice(
            &t,
            "pagamento",
            &[
                (
                    InterimPayment::Proportional.key(),
                    InterimPayment::Proportional,
                ),
                (
                    InterimPayment::AllOrNothing.key(),
                    InterimPayment::AllOrNothing,
                ),
            ],
        ) {
            pay.rules.interim_payment = v;
        }
        self.interim_posts(&t, pay);
        self.section_source(
            &t,
            "l'articolo del CCDI che fissa la percentuale (art. 58 CCNL)",
            &mut pay.sources,
        );
    }

    /// `[compensi_ex_lege]`: whether fees paid by law reduce result pay, and by how much.
    fn fees(&mut self, top: &Tbl, pay: &mut PaySections) {
        let Some(t) = self.section(top, "compensi_ex_lege", FEES_KEYS) else {
            return;
        };
        match self.choice(
            &t,
            "correlazione",
            &[("nessuna", false), ("riduzione", true)],
        ) {
            Some(true) => {
                if let Some(percent) = self.number(
                    &t,
                    "percentuale_riduzione",
                    "la percentuale dei compensi da detrarre dal risultato",
                    Decimal::ZERO,
                    Decimal::ONE_HUNDRED,
                ) {
                    pay.rules.fees = FeeCorrelation::Reduce { percent };
                }
            }
            Some(false) => pay.rules.fees = FeeCorrelation::None,
            None => {}
        }
        self.section_source(
            &t,
            "l'articolo del CCDI sulla correlazione (art. 45 c.1 lett. e CCNL)",
            &mut pay.sources,
        );
    }

    /// The typed rules check themselves (weights, bands, quota, ...). The defaults are
    /// valid, so the problems of rules that differ from them in one section only are that
    /// section's problems: each is reported at its own header, with the year's source.
    fn pay_rules_problems(&mut self, top: &Tbl, pay: &PaySections, national: Option<&National>) {
        let ccdi_art30 = pay
            .sources
            .iter()
            .find(|(s, _)| s == "differenziazione")
            .map(|(_, f)| f.as_str());
        for section in CHECKED_SECTIONS {
            let source = checked_source(section, national, ccdi_art30);
            let cited = |text: String| {
                if source.is_empty() {
                    text
                } else {
                    format!("{text} (fonte: {source})")
                }
            };
            let partial = section_only(section, &pay.rules);
            let span = key_span(top.table, section).unwrap_or(0..0);
            for p in partial.problems() {
                self.error(span.clone(), Some(section.to_string()), cited(p));
            }
            for w in partial.warnings() {
                self.warning(span.clone(), Some(section.to_string()), cited(w));
            }
        }
    }
}

/// The rules as one checked section declares them, the rest at their (valid) defaults.
fn section_only(section: &str, rules: &PayRules) -> PayRules {
    match section {
        "valutazione" => PayRules {
            components: rules.components.clone(),
            threshold: rules.threshold,
            coefficient: rules.coefficient.clone(),
            quota: rules.quota.clone(),
            ..PayRules::default()
        },
        "differenziazione" => PayRules {
            art30: rules.art30.clone(),
            ..PayRules::default()
        },
        _ => PayRules {
            fees: rules.fees.clone(),
            ..PayRules::default()
        },
    }
}

impl Reader<'_> {
    /// A choice among an enum's words (`key()`), recorded in `posts_keys` when it is
    /// `needs_chart` (a key that needs `posti.csv`).
    fn posts_choice<T: Copy + PartialEq>(
        &mut self,
        t: &Tbl,
        key: &str,
        (options, needs_chart): (&[(&str, T)], T),
        posts_keys: &mut Vec<(String, Location)>,
    ) -> Option<T> {
        let v = self.choice(t, key, options)?;
        if v == needs_chart {
            let word = options.iter().find(|o| o.1 == v).map_or("", |o| o.0);
            let span = t.get(key).map_or(0..0, |v| v.span());
            let written = format!("{} = \"{word}\"", t.key_path(key));
            posts_keys.push((written, self.loc(span, Some(t.key_path(key)))));
        }
        Some(v)
    }

    /// `[valutazione] quota_teorica`: Model B's quota over the managers present (the
    /// default) or over every post of the organisation chart.
    fn theoretical_quota(&mut self, t: &Tbl, pay: &mut PaySections) {
        let options = [QuotaPosts::Present, QuotaPosts::OrgChart].map(|q| (q.key(), q));
        let (keys, rules) = (&mut pay.posts_keys, &mut pay.rules);
        let read = (&options[..], QuotaPosts::OrgChart);
        if let Some(q) = self.posts_choice(t, "quota_teorica", read, keys) {
            rules.theoretical_quota = q;
        }
    }

    /// `[interim] base` (the covered post's position pay, the default, or its result quota)
    /// and `[interim] punteggio` (the covering manager's score, the default, or the covered
    /// structure's).
    fn interim_posts(&mut self, t: &Tbl, pay: &mut PaySections) {
        let (keys, rules) = (&mut pay.posts_keys, &mut pay.rules);
        let bases = [InterimBase::PositionPay, InterimBase::ResultQuota].map(|b| (b.key(), b));
        let read = (&bases[..], InterimBase::ResultQuota);
        if let Some(b) = self.posts_choice(t, "base", read, keys) {
            rules.interim_base = b;
        }
        let scores = [InterimScore::Covering, InterimScore::Structure].map(|s| (s.key(), s));
        let read = (&scores[..], InterimScore::Structure);
        if let Some(s) = self.posts_choice(t, "punteggio", read, keys) {
            rules.interim_score = s;
        }
    }

    /// With `[interim] base = "risultato"` the percentage is of the covered post's result
    /// quota: its bounds are 0-100, not the year's national range (a percentage of position
    /// pay); an avviso says that the contract sets the interim on position pay, so the CCDI's
    /// clause is the ente's responsibility.
    fn interim_on_result(&mut self, top: &Tbl, rules: &mut PayRules, national: Option<&National>) {
        if rules.interim_base != InterimBase::ResultQuota {
            return;
        }
        rules.interim_percent_bounds = (Decimal::ZERO, Decimal::ONE_HUNDRED);
        let Some(n) = national else {
            return;
        };
        self.warning(
            value_span(top, "interim", "base"),
            Some("interim.base".into()),
            format!(
                "con base = \"risultato\" la percentuale dell'interim si applica alla quota di risultato del posto coperto, tra 0 e 100; il contratto nazionale dell'anno {} la fissa invece sulla retribuzione di posizione del posto coperto, tra il {}% e il {}% (fonte: {}): la clausola del CCDI che la calcola sul risultato è responsabilità dell'ente; verificarla, o scrivere base = \"posizione\"",
                n.year,
                format_it(n.interim.min.normalize(), 0),
                format_it(n.interim.max.normalize(), 0),
                n.interim.source
            ),
        );
    }

    /// The problems of the keys over the posts (`PayRules::posts_problems`), each at its key:
    /// those `quota_teorica` adds to the quota and model declared, then those `[interim]
    /// base` and `punteggio` add to them (the other problems are reported at their sections).
    fn posts_keys_problems(&mut self, top: &Tbl, pay: &PaySections) {
        let r = &pay.rules;
        let declared = PayRules {
            quota: r.quota.clone(),
            model: r.model,
            ..PayRules::default()
        };
        let with_quota = PayRules {
            theoretical_quota: r.theoretical_quota,
            ..declared.clone()
        };
        let with_interim = PayRules {
            interim_base: r.interim_base,
            interim_score: r.interim_score,
            ..with_quota.clone()
        };
        let steps = [
            (&declared, &with_quota, "valutazione", "quota_teorica"),
            (&with_quota, &with_interim, "interim", "base"),
        ];
        for (before, after, section, key) in steps {
            let known = before.problems();
            let span = value_span(top, section, key);
            for p in after.problems().into_iter().filter(|p| !known.contains(p)) {
                self.error(span.clone(), Some(format!("{section}.{key}")), p);
            }
        }
    }
}

/// The span of `[section] key`'s value, when written (else empty, at the file's start).
fn value_span(top: &Tbl, section: &str, key: &str) -> std::ops::Range<usize> {
    match top.get(section).map(|v| v.get_ref()) {
        Some(toml::de::DeValue::Table(t)) => t.get(key).map_or(0..0, |v| v.span()),
        _ => 0..0,
    }
}
