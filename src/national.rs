//! National rules with their validity (*disciplina contrattuale nazionale applicabile*): which
//! contract article governs a figure, chosen by the fund year, so that a 2019 fund cites the
//! contracts in force in 2019 and a 2021 fund the CCNL 17/12/2020.

/// One citation valid for fund years `from..=to`.
struct Citation {
    key: &'static str,
    from: i32,
    to: i32,
    text: &'static str,
}

const CITATIONS: &[Citation] = &[
    Citation {
        key: "costituzione",
        from: 2000,
        to: 2020,
        text: "CCNL Area II 23/12/1999 art. 26 e successive modifiche",
    },
    Citation {
        key: "costituzione",
        from: 2021,
        to: 9999,
        text: "CCNL Area Funzioni Locali 17/12/2020 art. 57",
    },
    Citation {
        key: "risorse",
        from: 2000,
        to: 2020,
        text: "CCNL Area II 23/12/1999 art. 26",
    },
    Citation {
        key: "risorse",
        from: 2021,
        to: 9999,
        text: "CCNL Area Funzioni Locali 17/12/2020 art. 57 c.2",
    },
    Citation {
        key: "ripartizione",
        from: 2000,
        to: 2020,
        text: "CCNL Area II 23/12/1999 artt. 27 e 28",
    },
    Citation {
        key: "ripartizione",
        from: 2021,
        to: 9999,
        text: "CCNL Area Funzioni Locali 17/12/2020 art. 45 c.1 lett. a",
    },
    Citation {
        key: "riporti",
        from: 2000,
        to: 2020,
        text: "CCNL Area II 23/12/1999 art. 28, disciplina previgente: riferimento da verificare",
    },
    Citation {
        key: "riporti",
        from: 2021,
        to: 9999,
        text: "CCNL Area Funzioni Locali 17/12/2020 art. 57 c.3",
    },
    Citation {
        key: "decurtazioni",
        from: 2014,
        to: 9999,
        text: "L. 147/2013 art. 1 c.456; d.lgs. 75/2017 art. 23 c.2",
    },
    Citation {
        key: "limite_2016",
        from: 2017,
        to: 9999,
        text: "d.lgs. 75/2017 art. 23 c.2",
    },
    Citation {
        key: "arrotondamento",
        from: 2000,
        to: 9999,
        text: "Reg. CE 1103/97 art. 5",
    },
];

/// The citation for `key` in fund year `year`; a generic pointer if none is recorded.
pub fn cite(key: &str, year: i32) -> &'static str {
    CITATIONS
        .iter()
        .find(|c| c.key == key && (c.from..=c.to).contains(&year))
        .map_or("disciplina contrattuale vigente", |c| c.text)
}
