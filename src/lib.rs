//! ccdi: the managers' pay fund of an Italian comune (*fondo per la retribuzione di posizione e
//! di risultato della dirigenza*), from the rules file to every figure, exact to the cent.
//!
//! # Pipeline
//! 1. The input wing (`input`) reads the rules file and the data folder (or the bundled
//!    example) and validates them once into the core's types ([`rules::Rules`],
//!    [`peg::Peg`], [`staff::Staff`]), collecting every problem with file, line, column and
//!    key.
//! 2. The core computes: [`engine::compute`] runs `fund` (constitution, split, carry-overs,
//!    percentages, 2016 cap), `objectives` (PEG attainment) and `pay` (individual pay and the
//!    reconciliation), each recording its figures in a [`trail::Trail`]; `audit` checks
//!    every constraint (`verifica`) and finds the figures `spiega` names.
//! 3. The output wing (`output`) renders text, CSV, JSON, HTML and the workbook from one
//!    definition of each table; `cli` prints the result or writes the files of `--out`.
//!
//! # Code map
//! Foundations, used by every wing:
//! - `money`: `Money`, `Percent`, the one rounding function with its named strategies, the
//!   Italian display of amounts and dates.
//! - `parse`: how offices write amounts, percentages, numbers and dates: the one place they
//!   are read.
//! - `alloc`: the one split of money by largest remainder ([`alloc::split`]), exact: integer
//!   floors and remainders over the sum of the weights, on 64 bits or on 384 (`alloc::wide`),
//!   ties by the larger exact share then the code; displayed percentage columns.
//! - `diag`: located errors and warnings, rendered with a caret; at most 200 problems listed,
//!   the rest counted by kind; control characters escaped, echoed values cut to 80 characters;
//!   `LineIndex` for linear locations in a file.
//! - `trail`: how each figure was made (formula, terms with their [`trail::Origin`],
//!   sources, roundings).
//! - `par`: parallel steps whose results and first error do not depend on the threads.
//!
//! The core (pure: validated types in, results and trail out):
//! - `rules`: the validated rules of one year (what the rules file declares).
//! - `national`: the national rules by fund year: the dated catalogue's types
//!   ([`national::Catalogue`]) and what it says for one year ([`national::National`]:
//!   citations, result share, art. 30, interim, position pay range, carry-overs, fund
//!   increments, fees).
//! - `fund`: the fund's constitution, split, carry-overs, percentages, 2016 cap, budget
//!   coverage; `fund::previous`: the previous year's certified figures, the seal of
//!   `fondo.json`, the carry-over its economie propose.
//! - `compare`: two runs' figures (or a certified `fondo.json`) compared per manager and per
//!   fund line, sorted by absolute difference, with the closing checks (`ccdi confronta`).
//! - `peg`: the PEG as validated (`store`), targets and measured values as written
//!   (`target`, `measure`), attainment formulas (`attain`).
//! - `objectives`: the attainment of every indicator, objective and manager.
//! - `staff`: the staff as validated (managers, evaluations, interim, fees, reductions, the
//!   organisation chart's posts).
//! - `pay`: individual pay as a pipeline of named steps (`manager` with the service count of
//!   `service`, `interim`, `pot`, `split` — Model A or B on the pot, rounded at each step or
//!   once, or the fixed bases per post —, `posts` — Model B over the organisation chart, each
//!   post's quota shared by its holders' service, and a post's yearly quota for the
//!   result-based interims —, `art30` — the floor, or the supplement from the
//!   economie —, `fees` — declared reductions, fees, the ente's share of a shared manager —,
//!   `reconcile`), its types in `model`, the rules and their validation in `rules`, the
//!   managers' figures written on request (`trail`).
//! - `engine`: validated inputs → every result; gathers each manager's scores and fees in
//!   matricola order and joins the objectives' scores.
//! - `audit`: the `verifica` checklist (`verify`), the year's national rules shown at its
//!   head and the fees the year does not admit (`national`), the `spiega` look-ups, the
//!   catalogue of the voci (`VOCI`) and the declared figures (`explain`).
//!
//! The input wing (`input`: raw files → validated types; no domain rule in the machinery):
//! - `input::files`: the only reading from disk (regular files only, each within its size
//!   limit), the SHA-256 of every file, `load_inputs`;
//!   the data folder's listing checked (files not read named with the closest expected name,
//!   names differing only in case, a rules section whose file is missing).
//! - `input::reductions`: `riduzioni.csv`, the declared cuts of a manager's result pay.
//! - `input::posts`: `posti.csv`, the organisation chart, checked against the managers, the
//!   interim assignments and the keys that need it.
//! - `input::previous`: `--precedente`, a sealed `fondo.json` of the year before (seal, ente
//!   and year checked); `input::compared`: a sealed `fondo.json` as one side of `confronta`;
//!   `input::leavers`: `cessati.csv`, the RIA of the managers who left.
//! - `input::xlsx`: the office's Excel workbooks (`dirigenti.xlsx`..., or `dati.xlsx` with one
//!   sheet per file), each sheet turned into the CSV text the readers read, cells read from
//!   their types, problems located in A1 notation (`dati.xlsx[dirigenti]!C7`).
//! - `input::rules`: the TOML rules file, one file per group of sections (the contract's
//!   fund increments in `increments`); the national catalogue `rules/nazionale.toml`, built
//!   into the binary and read once (`catalogue`).
//! - `input::csv`: CSV bytes → blocks of whole records → located text cells, read typed
//!   (`file`, `table`, `scan`: delimiters and line ends 64 bytes at a time); `;`, `,` or tab,
//!   UTF-8, Windows-1252 or UTF-16 with its BOM; a header split by another delimiter is one
//!   error saying what to write.
//! - `input::pieces`: a large file read in pieces of whole records, its blocks checked on all
//!   cores in waves, the results in file order; the domain supplied by the caller.
//! - `input::peg`, `input::staff`: the data folder's files → `Peg`, `Staff`, with the
//!   cross-file checks.
//!
//! The output wing (`output`: results → what people read):
//! - `output::table`, `output::tables`: every table defined once (columns, headers, JSON
//!   keys, formats, typed cells, totals); the amounts to pay per manager (`payout`, with the
//!   employer's charges of `Charges`).
//! - `output::text`, `csv`, `json`, `html`, `xlsx`: the renderers; `checklist` (verifica),
//!   `explain` (spiega), `target`, `relazioni` and `documents` (RGS 25/2012 tables; the
//!   relazione illustrativa in `documents::illustrativa`), `transparency`. The workbook
//!   (`xlsx`) prints A4 landscape one page wide, its totals `=SUM` cached with the engine's
//!   figures, no cell over Excel's limits (a cut text names the file that has it whole), the
//!   writer's errors in Italian.
//! - `output::files`: the files of `calcola --out` (`liquidazione.csv` among them; the
//!   published `relazione.html` and the internal `relazione-interna.html`);
//!   `output::templates`: the blank templates of `templates/` (`ccdi modelli`);
//!   `output::compare`: `confronta` in text, CSV, JSON, `confronto.xlsx` (`xlsx::Sheets`) and
//!   `confronto.html` with its chart; `output::write`: the only writing to disk: an output
//!   folder locked (`lock`), its files written into a private staging folder and switched in
//!   as a whole (`staging`), never through a link; OS errors in Italian (`diag::io_message`).
//!
//! Around them: `cli` (clap at the edge in `args`, its errors and `help COMANDO` in Italian in
//! `usage`, one function per command in `commands`, `modelli` and `esempio` in `files`, the
//! verdict closing `calcola` in `verdict`, `spiega --elenco` in `voci`),
//! `batch` (many entes in parallel, one summary row each), `generate` (seeded synthetic
//! entes). The binary's `tune` room (`src/tune.rs`, also included by the benchmark) holds
//! the allocator and the memory settings, told the run's phases through [`cli::Phases`].
//!
//! # Invariants
//! - No `f32`/`f64` anywhere but at the workbooks' edges (an input cell's double becomes the
//!   shortest decimal that reads back to it, then the CSV cell's checks; an output amount is
//!   written as a double): amounts are `rust_decimal::Decimal`, parsed exactly (`parse`).
//! - Every rounding goes through [`money::round`] with a named [`money::Rounding`].
//! - Every split of money sums exactly to the amount split ([`alloc::split`], declared
//!   tie-break).
//! - Only `input::files` reads files and only `output::write` writes them (the generator's
//!   tree too); the core takes validated types and returns results + trail.
//! - No module of the core uses the input or the output wing; no import cycle between
//!   modules.
//! - No national number or citation is written in the code: they come from the catalogue,
//!   by the fund's year; a rule of a contract never applies to a year before the first it
//!   governs (the catalogue's reader and a property test check it).
//! - Published files (`relazione.html`, the relazioni in every format, `trasparenza.csv`)
//!   carry no matricola, no name, and no figure about fewer than 3 managers
//!   (`output::transparency`); per-person detail is in `relazione-interna.html` (a test checks
//!   every scenario).
//! - `fondo.json` ends with its own SHA-256 (`impronta_documento_sha256`): a figure changed by
//!   hand is refused where the file is read back (`--precedente`, `confronta`).
//! - The library never changes a process-wide setting: the memory tuning is the binary's.
//! - Any input error stops the run before any output is written.
//! - Every problem list is bounded (200 listed, the rest counted) and no message prints a
//!   raw control character.
//! - Results and problems do not depend on the number of threads: parallel steps
//!   (`input::pieces`, `input::peg`, `objectives`, `pay`, `engine`, `batch`) gather in
//!   input order and report the first error in that order.
//! - Explanations of indicators, objectives and manager scores, and each manager's pay
//!   figures of the trail, are built by the renderers from the figures and the inputs (same
//!   pure functions), not stored per row.
//! - No input file is held whole in memory when it can be read in pieces (the indicators').

pub mod alloc;
pub mod audit;
pub mod batch;
pub mod cli;
pub mod compare;
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
