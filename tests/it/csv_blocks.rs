//! The CSV reader cuts a file into blocks read on all cores: whatever the block size, and
//! whatever the text (quotes, newlines inside quotes, CRLF, lone CR, blank lines, spaces,
//! text beyond the header), it gives the same rows, cells and lines as reading the whole file
//! with the `csv` crate, and each row's line is the line its record starts on. The search of
//! delimiters and line ends, 64 bytes at a time, finds every one of them and nothing else.

use ccdi::input::csv::scan::separators;
use ccdi::input::csv::{opt, req, Column, CsvFile, CsvOptions};
use proptest::prelude::*;

const COLUMNS: &[Column] = &[req("a"), req("b"), opt("c")];

/// One row as read: line and the three expected cells, or a syntax/extra-text problem.
type Read = Vec<(usize, Vec<String>)>;

/// The reference: the `csv` crate over the whole text, lines counted from the record's first
/// byte (after the previous record's terminator).
fn reference(text: &str) -> (Read, Vec<String>) {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    let mut header = true;
    let mut width = 0;
    let mut positions: Vec<Option<usize>> = Vec::new();
    let mut out = Vec::new();
    let mut extra = Vec::new();
    let bytes = text.as_bytes();
    while r.read_record(&mut rec).unwrap() {
        if header {
            header = false;
            width = rec.len();
            positions = ["a", "b", "c"]
                .iter()
                .map(|n| rec.iter().position(|h| h.trim() == *n))
                .collect();
            continue;
        }
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut at = rec.position().unwrap().byte() as usize;
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        for (i, c) in rec.iter().enumerate() {
            if i >= width && !c.trim().is_empty() {
                extra.push(format!("{line}:{}", i + 1));
            }
        }
        let cells = positions
            .iter()
            .map(|p| p.and_then(|i| rec.get(i)).unwrap_or("").trim().to_string())
            .collect();
        out.push((line, cells));
    }
    (out, extra)
}

/// The block reader with blocks of `size` bytes.
fn blocks(text: &str, size: usize) -> (Read, Vec<String>) {
    let f = CsvFile::open(
        "t.csv",
        text,
        Default::default(),
        COLUMNS,
        CsvOptions {
            delimiter: Some(b';'),
            ..Default::default()
        },
    )
    .expect("header");
    let mut out = Vec::new();
    let mut extra = Vec::new();
    let all = f.blocks(size);
    // Blocks cover the body with no gap and no overlap.
    for w in all.windows(2) {
        assert_eq!(w[0].end, w[1].start);
    }
    for b in all {
        let t = f.read(b);
        for row in &t.rows {
            out.push((
                row.line,
                (0..3).map(|k| t.cell_at(row, k).to_string()).collect(),
            ));
        }
        for d in &t.diags.list {
            extra.push(format!("{}:{}", d.location.line, d.location.column));
        }
    }
    (out, extra)
}

#[track_caller]
fn check(text: &str) {
    let expected = reference(text);
    for size in [1, 2, 3, 5, 8, 13, 64, 1 << 20] {
        assert_eq!(blocks(text, size), expected, "size {size}, text {text:?}");
    }
}

#[test]
fn table_of_texts() {
    for text in [
        "a;b;c\n1;2;3\n4;5;6\n",
        "a;b;c\r\n1;2;3\r\n4;5;6\r\n",
        "a;b;c\r\n\r\n1;2;3\r\n\r\n\r\n4;5;6",
        "a;b;c\n\"x\ny\";2;3\n4;\"5;5\";6\n",
        "a;b;c\r\n\"x\r\ny\";2;3\r\n4;\"a\"\"b\";6\r\n",
        "a;b;c\r1;2;3\r4;5;6\r",
        "a;b;c\n1;2;3;oltre\n;;\n  ;  ;  \n7; 8 ;9\n",
        "\n\na;b;c\n1;2\n",
        "a;b\n1;2;3\n",
        "a;b;c\n1\u{a0};\u{a0}2;3\n",
        "a;b;c\nx\"y;2;3\n4;5;6\n",
        // The last line without a line end, ending with a delimiter or an empty cell.
        "a;b;c\nx;",
        "a;b;c\n1;2;3\n;",
        "a;b;c\r\nx;;\r\ny",
    ] {
        check(text);
    }
}

#[test]
fn crlf_rows_are_on_their_own_lines() {
    let (rows, _) = blocks("a;b;c\r\n1;2;3\r\n4;5;6\r\n", 1 << 20);
    let lines: Vec<usize> = rows.iter().map(|r| r.0).collect();
    assert_eq!(lines, vec![2, 3]);
}

fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("x".to_string()),
        Just("12".to_string()),
        Just(";".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\"".to_string()),
        Just("\"a;b\"".to_string()),
        Just("\"q\nr\"".to_string()),
        Just(" ".to_string()),
        Just("\u{a0}".to_string()),
        Just("è".to_string()),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|p| format!("a;b;c\n{}", p.concat()))
}

proptest! {
    #[test]
    fn blocks_read_what_the_csv_crate_reads(text in text_strategy()) {
        let expected = reference(&text);
        for size in [1usize, 4, 16, 1 << 20] {
            prop_assert_eq!(blocks(&text, size), expected.clone(), "size {}", size);
        }
    }
}

proptest! {
    #[test]
    fn separators_are_every_delimiter_and_line_end(
        bytes in prop::collection::vec(prop_oneof![
            Just(b';'), Just(b'\n'), Just(b'\r'), Just(b'x'), Just(0xE8u8), Just(0xFFu8), any::<u8>()
        ], 0..400),
        delimiter in prop_oneof![Just(b';'), Just(b','), Just(b'\t'), Just(0xE8u8)],
    ) {
        let expected: Vec<usize> = bytes
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == delimiter || b == b'\n' || b == b'\r')
            .map(|(i, _)| i)
            .collect();
        let found: Vec<usize> = separators(&bytes, delimiter, b'\n', b'\r').collect();
        prop_assert_eq!(found, expected);
    }
}

#[test]
fn separators_at_the_chunks_edges() {
    // Matches on the first and last byte of 64-byte chunks, and texts of 63, 64, 65 bytes.
    for len in [0usize, 1, 63, 64, 65, 127, 128, 129, 200] {
        for at in [0usize, 62, 63, 64, 65, 127, 128] {
            let mut bytes = vec![b'x'; len];
            if at < len {
                bytes[at] = b';';
            }
            if len > 0 {
                bytes[len - 1] = b'\n';
            }
            let expected: Vec<usize> = [at, len.wrapping_sub(1)]
                .into_iter()
                .filter(|&i| i < len)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let found: Vec<usize> = separators(&bytes, b';', b'\n', b'\r').collect();
            assert_eq!(found, expected, "len {len}, match at {at}");
        }
    }
}
