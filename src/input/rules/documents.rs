//! The sections of the rules file that only the RGS documents need: `[copertura]` (the budget
//! coverage: contribution and IRAP rates, budget chapters) and `[procedura]` (the CCDI's
//! dates, delegation and attestations, as written).

use super::{Reader, Tbl};
use crate::rules::{Chapter, ChapterUse, Coverage, Procedure};

/// Keys of `[copertura]`.
const COVERAGE_KEYS: &[&str] = &["aliquota_contributi", "aliquota_irap", "fonte", "capitoli"];
/// Keys of each `[[copertura.capitoli]]`.
const CHAPTER_KEYS: &[&str] = &["capitolo", "descrizione", "destinazione", "importo"];
/// Keys of `[procedura]`.
const PROCEDURE_KEYS: &[&str] = &[
    "data_preintesa",
    "data_sottoscrizione",
    "periodo",
    "delegazione_pubblica",
    "sindacati_ammessi",
    "sindacati_firmatari",
    "destinatari",
    "materie",
    "organo_di_controllo",
    "attestazioni",
];

impl Reader<'_> {
    /// `[copertura]`: contribution and IRAP rates, budget chapters.
    pub(super) fn coverage(&mut self, top: &Tbl) -> Option<Coverage> {
        let t = self.section(top, "copertura", COVERAGE_KEYS)?;
        let contributions = self.rate(
            &t,
            "aliquota_contributi",
            "l'aliquota dei contributi a carico dell'ente, come \"23,80%\"",
        );
        let irap = self.rate(&t, "aliquota_irap", "l'aliquota IRAP, come \"8,50%\"");
        let source = self.string(&t, "fonte", "la fonte delle aliquote e degli stanziamenti");
        let chapters = self.each(&t, "capitoli", Self::chapter);
        Some(Coverage {
            contributions_rate: contributions?,
            irap_rate: irap?,
            source: source?.0,
            chapters,
        })
    }

    /// One `[[copertura.capitoli]]`: a budget chapter, what it covers and its appropriation.
    fn chapter(&mut self, c: &Tbl) -> Option<Chapter> {
        self.check_keys(c, CHAPTER_KEYS);
        let code = self.string(c, "capitolo", "il numero del capitolo di bilancio");
        let description = self.string(c, "descrizione", "la descrizione del capitolo");
        let use_ = self.named(
            c,
            "destinazione",
            "fondo, contributi o irap",
            &[
                ("fondo", ChapterUse::Fund),
                ("contributi", ChapterUse::Contributions),
                ("irap", ChapterUse::Irap),
            ],
        );
        let amount = self.amount(c, "importo", "lo stanziamento del capitolo");
        Some(Chapter {
            code: code?.0,
            description: description?.0,
            use_: use_?,
            amount: amount?,
            origin: self.origin(&c.span),
        })
    }

    /// `[procedura]`: the CCDI's dates, delegation and attestations, as written.
    pub(super) fn procedure(&mut self, top: &Tbl) -> Procedure {
        let Some(t) = self.section(top, "procedura", PROCEDURE_KEYS) else {
            return Procedure::default();
        };
        Procedure {
            pre_agreement: self.date_text(&t, "data_preintesa"),
            signature: self.date_text(&t, "data_sottoscrizione"),
            period: self.opt_string(&t, "periodo"),
            public_delegation: self.texts(&t, "delegazione_pubblica"),
            unions_admitted: self.texts(&t, "sindacati_ammessi"),
            unions_signing: self.texts(&t, "sindacati_firmatari"),
            recipients: self.opt_string(&t, "destinatari"),
            subjects: self.texts(&t, "materie"),
            control_body: self.opt_string(&t, "organo_di_controllo"),
            attestations: self.texts(&t, "attestazioni"),
        }
    }
}
