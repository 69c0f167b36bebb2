//! The read-ahead of the indicators' file: while the loading's two cores check the PEG and
//! the staff, whichever is free first reads the indicators' first piece, the staff's core
//! usually, while the other is still checking the objectives. The file is then read on from
//! those bytes. One call site ([`join`], in `files`): without this file it is a plain
//! `rayon::join` with the file as its own [`Source`].

use std::sync::{Mutex, MutexGuard, PoisonError};

use super::files::FileSource;
use super::pieces::{self, Source};
use crate::diag::Diagnostics;

/// Runs `peg`, given the indicators' file (if any), and `other` on two cores; the core that
/// finishes `other` reads the file's first piece if the PEG has not started reading it (and
/// `read_first`: the file is read in pieces). Gives the file back, read to where `peg` left it.
pub(crate) fn join<P: Send, O: Send>(
    file: Option<FileSource>,
    read_first: bool,
    peg: impl FnOnce(Option<&mut dyn Source>) -> P + Send,
    other: impl FnOnce() -> O + Send,
) -> (P, O, Option<FileSource>) {
    let slot = file.map(|src| Mutex::new(Ahead::new(src)));
    let (p, o) = rayon::join(
        || {
            let mut src = slot.as_ref().map(AheadSource::new);
            peg(src.as_mut().map(|s| s as &mut dyn Source))
        },
        || {
            let o = other();
            if let (Some(slot), true) = (&slot, read_first) {
                Ahead::read_first(slot);
            }
            o
        },
    );
    let file = slot.map(|s| s.into_inner().unwrap_or_else(PoisonError::into_inner).src);
    (p, o, file)
}

/// The indicators' file between the two cores of the loading: whichever is free first
/// reads its first piece ([`Ahead::read_first`]).
struct Ahead {
    src: FileSource,
    started: bool,
    /// The first piece's bytes read ahead, those from `at` not yet handed over.
    bytes: Vec<u8>,
    at: usize,
    /// What the read ahead said: more to read, or its error.
    more: Result<bool, Diagnostics>,
}

impl Ahead {
    fn new(src: FileSource) -> Ahead {
        Ahead {
            src,
            started: false,
            bytes: Vec::new(),
            at: 0,
            more: Ok(true),
        }
    }

    /// The file's state, whatever a panicking holder left (the reads then fail on their own).
    fn lock(slot: &Mutex<Ahead>) -> MutexGuard<'_, Ahead> {
        slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads the first piece now, unless the reading has already started.
    fn read_first(slot: &Mutex<Ahead>) {
        let mut a = Ahead::lock(slot);
        if a.started {
            return;
        }
        a.started = true;
        let piece = pieces::piece_size(a.src.size());
        let mut bytes = Vec::with_capacity(piece);
        a.more = a.src.read(&mut bytes, piece);
        a.bytes = bytes;
    }
}

/// The [`Source`] of an [`Ahead`] file.
struct AheadSource<'a> {
    slot: &'a Mutex<Ahead>,
    /// The file's name and size, copied out of the lock once.
    shown: String,
    size: usize,
}

impl<'a> AheadSource<'a> {
    fn new(slot: &'a Mutex<Ahead>) -> AheadSource<'a> {
        let a = Ahead::lock(slot);
        AheadSource {
            shown: a.src.name().to_string(),
            size: a.src.size(),
            slot,
        }
    }
}

impl Source for AheadSource<'_> {
    fn name(&self) -> &str {
        &self.shown
    }

    fn read(&mut self, buf: &mut Vec<u8>, max: usize) -> Result<bool, Diagnostics> {
        // Held while reading: a read ahead under way is waited for, never done twice. No
        // holder of the lock calls into rayon (a file read and its hash only), so a core
        // waiting here is never the one that must finish the read.
        let mut a = Ahead::lock(self.slot);
        a.started = true;
        // The whole piece read ahead into an empty buffer: handed over, not copied.
        if a.at == 0 && !a.bytes.is_empty() && buf.is_empty() && max >= a.bytes.len() {
            std::mem::swap(buf, &mut a.bytes);
            a.bytes = Vec::new();
            return a.more.clone();
        }
        if a.at < a.bytes.len() {
            let n = max.min(a.bytes.len() - a.at);
            buf.extend_from_slice(&a.bytes[a.at..a.at + n]);
            a.at += n;
            if a.at < a.bytes.len() {
                return Ok(true);
            }
            a.bytes = Vec::new();
            return a.more.clone();
        }
        if let Err(e) = &a.more {
            return Err(e.clone());
        }
        a.src.read(buf, max)
    }

    fn restart(&mut self) -> Result<(), Diagnostics> {
        let mut a = Ahead::lock(self.slot);
        a.bytes = Vec::new();
        a.at = 0;
        a.more = Ok(true);
        a.started = true;
        a.src.restart()
    }

    fn size(&self) -> usize {
        self.size
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::*;
    use crate::engine::Fingerprint;

    /// The bytes of a file read through an [`AheadSource`] in reads of `max` bytes, after
    /// its first piece was read ahead or not, and the fingerprint. With `restart`, the
    /// first `restart` bytes are read, then the file is read again from its start.
    fn read_through(
        path: &Path,
        ahead: bool,
        max: usize,
        restart: Option<usize>,
    ) -> (Vec<u8>, Fingerprint) {
        let slot = Mutex::new(Ahead::new(FileSource::open("f.csv", path).unwrap()));
        if ahead {
            Ahead::read_first(&slot);
        }
        let mut s = AheadSource::new(&slot);
        if let Some(n) = restart {
            s.read(&mut Vec::new(), n).unwrap();
            s.restart().unwrap();
        }
        let mut bytes = Vec::new();
        while s.read(&mut bytes, max).unwrap() {}
        let fp = slot.into_inner().unwrap().src.fingerprint();
        (bytes, fp)
    }

    #[test]
    fn a_file_read_ahead_reads_the_same_bytes_and_fingerprint() {
        let dir = std::env::temp_dir().join(format!("ccdi-ahead-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        // Three pieces and a bit (pieces are at least 1 MiB), and a file shorter than one.
        for len in [(3 << 20) + 12_345, 5_000, 0] {
            let content: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let path = dir.join(format!("f{len}.csv"));
            fs::write(&path, &content).unwrap();
            let want = Fingerprint::of("f.csv", &content);
            // Read again from the start after 10 bytes: the same bytes, once.
            for restart in [None, Some(10)] {
                for ahead in [false, true] {
                    for max in [1_000, 1 << 20, usize::MAX] {
                        let (bytes, fp) = read_through(&path, ahead, max, restart);
                        let case =
                            format!("{len} bytes, ahead {ahead}, reads of {max}, {restart:?}");
                        assert!(bytes == content, "{case}");
                        assert_eq!(fp, want, "{case}");
                    }
                }
            }
        }
        let _ = fs::remove_dir_all(&dir);
    }
}
