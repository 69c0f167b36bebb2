//! The integration tests, one binary (linked once): each module is a former test file, run
//! with `cargo test --locked`. Modules: the CLI and its scenarios (`cli`, `scenari`, `lotto`,
//! `compare`, `export`, `varianti`), money and splits (`money`, `props`, `split_exact`), the CSV
//! reader (`cells`, `csv_blocks`, `peg_pieces`), the PEG (`peg_targets`, `peg_attainment`), the
//! pay (`pay_rules`, `pay_table`, `pay_props`, `pay_cuts`, `pay_fixed`, `pay_posts`), the inputs
//! (`posts_input`), robustness (`nopanic`; `bounded`: bounded work on any input, messages that
//! cannot mislead), the outputs' safety (`out_safety`), the published files' privacy
//! (`privacy`), one year after another (`previous`) and the Excel workbook as input
//! (`xlsx_input`).

mod bounded;
mod cells;
mod cli;
mod compare;
mod csv_blocks;
mod export;
mod lotto;
mod money;
mod national;
mod nopanic;
#[cfg(unix)]
mod out_safety;
mod pay_cuts;
mod pay_fixed;
mod pay_posts;
mod pay_props;
mod pay_rounding;
mod pay_rules;
mod pay_table;
mod peg_attainment;
mod peg_pieces;
mod peg_targets;
mod posts_input;
mod previous;
mod privacy;
mod props;
mod scenari;
mod split_exact;
mod varianti;
mod xlsx_input;
