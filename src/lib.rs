//! ccdi: the managers' pay fund of an Italian comune (*fondo per la retribuzione di posizione e
//! di risultato della dirigenza*), from the rules file to every figure, exact to the cent.
//!
//! # Pipeline
//! 1. `load` reads the rules file and the data folder (or the bundled example); `rules`,
//!    `csvin` and `dataset` validate them once into typed inputs, collecting every problem with
//!    file, line, column and key.
//! 2. `engine` runs the pure core: `fund` (constitution, split, carry-overs, percentages, 2016
//!    cap), `objectives` (PEG attainment), `pay` (individual pay and the reconciliation), each
//!    recording its figures in a [`trail::Trail`].
//! 3. `report` renders text, CSV or JSON into a `String`; `cli` prints or writes it.
//!
//! # Code map
//! - `money`: `Money`, `Percent`, the one rounding function, Italian/plain amount parsing.
//! - `audit`: `verifica` (every constraint, ✓/✗/avviso with its fonte) and `spiega` lookups.
//! - `batch`: many entes in parallel (rayon), one summary row each (`calcola --lotto`).
//! - `par`: parallel steps in input order, first error first (thread-count independent).
//! - `alloc`: largest-remainder splits (to the cent, or to 0,01 points for percentages); the
//!   pay's splits on integers where that provably gives the decimal split's cents.
//! - `diag`: located errors and warnings, rendered with a caret.
//! - `rules`: the rules file, raw TOML tree → validated types.
//! - `fund`: the fund computation.
//! - `national`: national contract citations by fund year.
//! - `transparency`: the anonymous table for Amministrazione trasparente (d.lgs. 33/2013).
//! - `xlsx`: the Excel workbook (the only conversion of amounts to binary doubles, at the edge).
//! - `trail`: how each figure was made (formula, terms with origin, sources, roundings).
//! - `csvin`: CSV exports → blocks of whole records → located text cells (pointing into the
//!   file's text) and typed cell readers.
//! - `scan`: the positions of a CSV's delimiters and line ends, 64 bytes at a time.
//! - `dataset`: the year's CSV inputs validated into compact records, with cross-file checks;
//!   the indicators' file taken from a [`dataset::Source`] in pieces.
//! - `peg`: reading PEG targets and measured values; indicator and objective attainment.
//! - `objectives`: attainment of every indicator, objective and manager, with explanations.
//! - `engine`: validated inputs → every result (fund, objectives, individual pay).
//! - `pay`: individual position and result pay, art. 30, interim, fees, reconciliation; the
//!   managers' figures of the trail written on request (`pay::PayTrail`).
//! - `documents`: relazione tecnico-finanziaria (Moduli I-IV) and relazione illustrativa
//!   (Moduli 1 and 2 B) on the Circolare RGS 25/2012 schemas.
//! - `html`: the self-contained printable report with inline SVG charts.
//! - `generate`: synthetic, reproducible batches of entes (`ccdi genera`).
//! - `report`: text, CSV, JSON renderers.
//! - `load`: file reads (the indicators' file in pieces, hashed on the way, its first piece
//!   read ahead by the core free first), atomic writes, and how freed memory goes back to
//!   the system, by the input's size.
//! - `cli`: argument parsing (clap stays there) and `run`.
//!
//! # Invariants
//! - No `f32`/`f64` anywhere: amounts are `rust_decimal::Decimal`, parsed exactly.
//! - Every rounding goes through [`money::round`] with a named [`money::Rounding`].
//! - Every split of an amount sums exactly to it (largest remainder, declared tie-break).
//! - Only `cli` and `load` do IO; the core takes validated types and returns results + trail.
//! - Any input error stops the run before any output is written.
//! - Results and problems do not depend on the number of threads: parallel steps (`dataset`,
//!   `objectives`, `pay`, `engine`, `batch`) gather in input order and report the first error
//!   in that order.
//! - Explanations of indicators, objectives and manager scores, and each manager's pay
//!   figures of the trail, are built by the renderers from the figures and the inputs (same
//!   pure functions), not stored per row.
//! - No input file is held whole in memory when it can be read in pieces (the indicators').

pub mod alloc;
pub mod audit;
pub mod batch;
pub mod cli;
pub mod diag;
pub mod engine;
pub mod fund;
pub mod generate;
pub mod input;
pub mod money;
pub mod national;
pub mod objectives;
pub mod output;
pub mod par;
pub mod parse;
pub mod pay;
pub mod peg;
pub mod rules;
pub mod staff;
pub mod trail;
