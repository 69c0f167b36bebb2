//! The `ccdi` binary: parses arguments and maps the outcome to an exit code.

fn main() {}
