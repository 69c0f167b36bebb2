//! A large CSV file read a piece of whole records at a time and checked on all cores, never
//! whole in memory: the performance machinery behind the indicators' file, with no domain
//! rule in it. A [`Source`] hands over the file's bytes; each piece is cut into blocks, the
//! blocks are checked on all cores a wave at a time (their tables' lists reused from a pool),
//! and the checked blocks are handed back in file order, each wave while the next one is
//! checked, each piece while the next one is read. What a block's rows become is the caller's
//! `check`, where they go the caller's [`Gather`]. A file with quotes (a quoted cell may hold
//! newlines) or, undeclared, not in UTF-8 is read whole after all, through the same waves.

use rayon::prelude::*;

use super::csv::{
    decode, newlines, not_utf8, Block, Buffers, Column, CsvFile, CsvOptions, Encoding, Table,
    BLOCK_BYTES,
};
use crate::diag::Diagnostics;

/// The size of the blocks of rows checked on one core. Tuned on the indicators' file, where
/// each block reads its own distinct descriptions, targets and measured values once, so
/// that larger blocks read fewer (2 MB rather than 1: `verifica` at 100.000 managers 0,57 s
/// rather than 0,59 at the median of nine runs, the same peak; blocks of a quarter or an
/// eighth of a 1 MB piece made a 10.000-manager ente 10-20 % slower).
const CHECK_BLOCK_BYTES: usize = 2 * BLOCK_BYTES;

/// Blocks of rows checked at once on all cores, per core.
const WAVE_BLOCKS: usize = 8;

/// Bytes of a file taken at a time when it is read in pieces (at most; a
/// sixteenth of a smaller file, at least 1 MB): bounds the text held in memory whatever the
/// file's size.
pub const PIECE_BYTES: usize = 8 << 20;

/// A file handed over a piece at a time (*file letto a pezzi*): the loader reads it from
/// disk (and computes its fingerprint on the way); the reading here only sees bytes.
pub trait Source: Send {
    /// The name shown in messages.
    fn name(&self) -> &str;
    /// Appends up to `max` more bytes of the file to `buf`; false at the end of the file.
    fn read(&mut self, buf: &mut Vec<u8>, max: usize) -> Result<bool, Diagnostics>;
    /// Starts again from the first byte: for a file that must be read whole after all.
    fn restart(&mut self) -> Result<(), Diagnostics>;
    /// The file's size, when known (to size the caller's lists once).
    fn size(&self) -> usize;
}

/// A file already in memory as a [`Source`] (the bundled example, tests).
pub struct Bytes<'a> {
    name: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(name: &'a str, bytes: &'a [u8]) -> Bytes<'a> {
        Bytes {
            name,
            bytes,
            pos: 0,
        }
    }
}

impl Source for Bytes<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn read(&mut self, buf: &mut Vec<u8>, max: usize) -> Result<bool, Diagnostics> {
        let end = self.pos.saturating_add(max).min(self.bytes.len());
        buf.extend_from_slice(&self.bytes[self.pos..end]);
        self.pos = end;
        Ok(end < self.bytes.len())
    }

    fn restart(&mut self) -> Result<(), Diagnostics> {
        self.pos = 0;
        Ok(())
    }

    fn size(&self) -> usize {
        self.bytes.len()
    }
}

/// The size of the pieces in which a file of `file_size` bytes is read: small files in
/// smaller pieces (the two piece buffers and the waves of blocks being checked are most of
/// their memory: with an eighth of the file, a 10.000-manager ente peaked just over 3 times
/// its input).
pub fn piece_size(file_size: usize) -> usize {
    (file_size / 16).clamp(BLOCK_BYTES, PIECE_BYTES)
}

/// Whether a file with these options can be read in pieces: not when declared in
/// Windows-1252, which is decoded whole (whether quotes or bytes outside UTF-8 make it be
/// read whole after all is found on the way).
pub fn reads_in_pieces(opts: CsvOptions) -> bool {
    opts.encoding != Encoding::Windows1252
}

/// Where the checked blocks of a file go: taken one at a time in file order, and all dropped
/// when the file must be read again from its start.
pub trait Gather<C>: Send {
    /// Takes the next block's results.
    fn take(&mut self, block: C);
    /// Back to nothing taken: the file is read again, whole.
    fn restart(&mut self);
}

/// What the reading found about the file as CSV, apart from what its rows mean.
#[derive(Debug, Default)]
pub struct Syntax {
    /// Problems with the header.
    pub header: Diagnostics,
    /// Problems with the CSV syntax of the rows, in file order.
    pub rows: Diagnostics,
    /// Warnings on how the file was read (e.g. the encoding).
    pub notes: Diagnostics,
}

/// The checked blocks on their way to the caller, and the file's syntax problems.
struct Reading<'g, G> {
    gather: &'g mut G,
    syntax: Syntax,
}

impl<G> Reading<'_, G> {
    /// Hands over checked blocks, in file order.
    fn take<C>(&mut self, results: Checked<C>)
    where
        G: Gather<C>,
    {
        for (block, d) in results {
            self.syntax.rows.extend(d);
            self.gather.take(block);
        }
    }
}

/// Blocks checked and not yet gathered, in file order, each with its rows' syntax problems.
type Checked<C> = Vec<(C, Diagnostics)>;

/// Checks the blocks of one text of the file on all cores, a wave at a time, each wave
/// gathered while the next one is checked; `pending`, the last wave of the text before, is
/// gathered while the first wave of this one is checked. Returns the line after the text and
/// its own last wave, still to be gathered.
fn check_text<C, F, G>(
    file: &CsvFile,
    check: &F,
    st: &mut Reading<G>,
    pool: &Pool,
    mut pending: Checked<C>,
) -> (usize, Checked<C>)
where
    C: Send,
    F: Fn(&Table) -> C + Sync,
    G: Gather<C>,
{
    let blocks = file.blocks(CHECK_BLOCK_BYTES);
    let check_wave = |wave: &[Block]| -> Checked<C> {
        wave.par_iter()
            .map(|&b| {
                let reuse = pool.lock().ok().and_then(|mut p| p.pop());
                let mut t = file.read_into(b, reuse.unwrap_or_default());
                let checked = check(&t);
                let diags = std::mem::take(&mut t.diags);
                if let Ok(mut p) = pool.lock() {
                    p.push(t.recycle());
                }
                (checked, diags)
            })
            .collect()
    };
    for wave in blocks.chunks(WAVE_BLOCKS * rayon::current_num_threads().max(1)) {
        let done = std::mem::take(&mut pending);
        let (results, ()) = rayon::join(|| check_wave(wave), || st.take(done));
        pending = results;
    }
    (file.line_after(&blocks), pending)
}

/// The lists of the blocks' tables already checked, to read the next blocks into: a large
/// file's million rows then do not take fresh memory block after block.
type Pool = std::sync::Mutex<Vec<Buffers>>;

/// Whether the file could be read in pieces.
enum Pieces {
    Read,
    /// Not UTF-8, or with quotes (a quoted cell may hold newlines): read it whole.
    Whole,
}

/// A piece of the file: whole records, read and checked as UTF-8 while the
/// piece before it is checked.
struct Piece {
    /// The records' text, or its bytes and the length of their valid UTF-8 start.
    text: Result<String, (Vec<u8>, usize)>,
    /// Whether the text has a `"` (a quoted cell may hold newlines).
    quoted: bool,
    /// The bytes after the last whole record: the start of the next piece.
    rest: Vec<u8>,
    /// False once the file has been read to the end.
    more: bool,
}

/// Reads onto `buf` (the bytes left from the piece before) at least `piece` bytes and a
/// whole record, or up to the end of the file, and cuts them after the last whole record.
fn next_piece(
    src: &mut dyn Source,
    mut buf: Vec<u8>,
    mut more: bool,
    piece: usize,
    first: bool,
) -> Result<Piece, Diagnostics> {
    while more && (buf.len() < piece || memchr::memrchr(b'\n', &buf).is_none()) {
        // Short of a piece, the rest of it; past it (a record longer than a piece), another.
        let want = match piece.saturating_sub(buf.len()) {
            0 => piece,
            short => short,
        };
        more = src.read(&mut buf, want)?;
    }
    let cut = if more {
        memchr::memrchr(b'\n', &buf).map_or(buf.len(), |i| i + 1)
    } else {
        buf.len()
    };
    let rest = buf[cut..].to_vec();
    buf.truncate(cut);
    if first && buf.starts_with(b"\xef\xbb\xbf") {
        buf.drain(..3);
    }
    let quoted = memchr::memchr(b'"', &buf).is_some();
    let text = String::from_utf8(buf).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        (e.into_bytes(), valid)
    });
    Ok(Piece {
        text,
        quoted,
        rest,
        more,
    })
}

/// A piece's text, or `None` when the file must be read whole after all: it has quotes, or it
/// is not UTF-8 and its encoding is undeclared (declared UTF-8, that is an error at the line
/// of the first bad byte; the piece starts on `line`).
fn piece_text(
    text: Result<String, (Vec<u8>, usize)>,
    quoted: bool,
    line: usize,
    name: &str,
    opts: CsvOptions,
) -> Result<Option<String>, Diagnostics> {
    if quoted {
        return Ok(None);
    }
    match text {
        Ok(t) => Ok(Some(t)),
        Err(_) if opts.encoding == Encoding::Auto => Ok(None),
        Err((bytes, valid)) => {
            let bad = line + newlines(&bytes[..valid]);
            Err(Diagnostics(vec![not_utf8(name, bad)]))
        }
    }
}

/// The buffer the next piece is read into: the spare one, emptied, starting with the bytes
/// after the last whole record of this piece (`len` bytes of text), room for as many again.
fn next_buffer(mut spare: Vec<u8>, rest: &[u8], len: usize) -> Vec<u8> {
    spare.clear();
    spare.reserve(len + rest.len());
    spare.extend_from_slice(rest);
    spare
}

/// Reads the file a piece of whole records at a time, each piece checked while the next is
/// read, so that the file is never whole in memory. Only for UTF-8 without quotes; otherwise
/// says so and the file is read whole.
fn read_pieces<C, F, G>(
    src: &mut dyn Source,
    columns: &'static [Column],
    opts: CsvOptions,
    piece: usize,
    check: &F,
    st: &mut Reading<G>,
) -> Result<Pieces, Diagnostics>
where
    C: Send,
    F: Fn(&Table) -> C + Sync,
    G: Gather<C>,
{
    let piece = piece.max(1);
    if !reads_in_pieces(opts) {
        return Ok(Pieces::Whole);
    }
    let name = src.name().to_string();
    let first = Vec::with_capacity(piece + (piece >> 2));
    let mut current = next_piece(src, first, true, piece, true)?;
    let mut template: Option<CsvFile<'static>> = None;
    let mut line = 1;
    let pool = Pool::default();
    let mut spare: Vec<u8> = Vec::new();
    let mut pending = Checked::new();
    loop {
        let Some(text) = piece_text(current.text, current.quoted, line, &name, opts)? else {
            return Ok(Pieces::Whole);
        };
        let file = match &template {
            Some(t) => t.continued(&text, line),
            None => {
                let f = CsvFile::open(&name, &text, Diagnostics::default(), columns, opts)?;
                st.syntax.header = f.diags.clone();
                template = Some(f.continued("", 1));
                f
            }
        };
        let more = current.more;
        // This piece is checked while the next one is read, into the other of two buffers.
        let next = next_buffer(std::mem::take(&mut spare), &current.rest, text.len());
        let (read, (next_line, last)) = rayon::join(
            || more.then(|| next_piece(src, next, more, piece, false)),
            || check_text(&file, check, st, &pool, pending),
        );
        drop(file);
        line = next_line;
        pending = last;
        spare = text.into_bytes();
        match read.transpose()? {
            // The file ended with this piece, or with a line end at its cut.
            None => break,
            Some(p) if !p.more && p.text.as_ref().is_ok_and(String::is_empty) => break,
            Some(p) => current = p,
        }
    }
    st.take(pending);
    Ok(Pieces::Read)
}

/// Reads a file in pieces of `piece` bytes when it can, else whole: its blocks checked on all
/// cores by `check` and handed to `gather` in file order (what was gathered from the pieces
/// is dropped before the file is read whole). Returns what was found about the file as CSV;
/// an unreadable file, or one without a header, is an error.
pub fn read<C, F, G>(
    src: &mut dyn Source,
    columns: &'static [Column],
    opts: CsvOptions,
    piece: usize,
    check: &F,
    gather: &mut G,
) -> Result<Syntax, Diagnostics>
where
    C: Send,
    F: Fn(&Table) -> C + Sync,
    G: Gather<C>,
{
    let mut st = Reading {
        gather,
        syntax: Syntax::default(),
    };
    if let Pieces::Read = read_pieces(src, columns, opts, piece, check, &mut st)? {
        return Ok(st.syntax);
    }
    st.gather.restart();
    st.syntax = Syntax::default();
    src.restart()?;
    let mut bytes = Vec::with_capacity(src.size());
    while src.read(&mut bytes, usize::MAX)? {}
    let name = src.name().to_string();
    let (text, notes) = decode(&name, &bytes, opts)?;
    let file = CsvFile::open(&name, &text, notes, columns, opts)?;
    st.syntax.header = file.diags.clone();
    st.syntax.notes = file.notes.clone();
    let (_, last) = check_text(&file, check, &mut st, &Pool::default(), Checked::new());
    st.take(last);
    Ok(st.syntax)
}
