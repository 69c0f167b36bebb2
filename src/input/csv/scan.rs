//! The positions of three bytes in a text (a CSV file's delimiter and line ends), found 64
//! bytes at a time: each chunk is compared once and its matches read off a bit mask. A
//! search that starts again after every match (`memchr3_iter`) compares the same bytes
//! several times when matches are a few bytes apart, as a CSV's cells are.

/// Iterator over the positions of `a`, `b` or `c` in `bytes`, in increasing order.
pub struct Separators<'a> {
    bytes: &'a [u8],
    needles: [u8; 3],
    /// Start of the chunk whose matches are in `mask`.
    chunk: usize,
    /// Matches of the current chunk not yet returned, one bit per byte.
    mask: u64,
}

const CHUNK: usize = 64;

/// The positions of `a`, `b` or `c` in `bytes`, in increasing order.
pub fn separators(bytes: &[u8], a: u8, b: u8, c: u8) -> Separators<'_> {
    let needles = [a, b, c];
    Separators {
        bytes,
        needles,
        chunk: 0,
        mask: chunk_mask(bytes, 0, needles),
    }
}

impl Iterator for Separators<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        loop {
            if self.mask != 0 {
                let i = self.mask.trailing_zeros() as usize;
                self.mask &= self.mask - 1;
                return Some(self.chunk + i);
            }
            let next = self.chunk + CHUNK;
            if next >= self.bytes.len() {
                return None;
            }
            self.chunk = next;
            self.mask = chunk_mask(self.bytes, next, self.needles);
        }
    }
}

/// The matches among the (up to) 64 bytes from `at`, bit `i` for byte `at + i`.
#[inline]
fn chunk_mask(bytes: &[u8], at: usize, needles: [u8; 3]) -> u64 {
    match bytes.get(at..at + CHUNK) {
        #[cfg(target_arch = "x86_64")]
        Some(chunk) => sse2_mask(chunk, needles),
        _ => scalar_mask(&bytes[at.min(bytes.len())..], needles),
    }
}

/// A byte at a time: the last, short chunk (and every chunk off x86-64).
fn scalar_mask(chunk: &[u8], [a, b, c]: [u8; 3]) -> u64 {
    chunk
        .iter()
        .take(CHUNK)
        .enumerate()
        .filter(|&(_, &x)| x == a || x == b || x == c)
        .fold(0, |m, (i, _)| m | 1 << i)
}

/// Sixteen bytes per comparison (SSE2, part of every x86-64 processor).
#[cfg(target_arch = "x86_64")]
#[inline]
fn sse2_mask(chunk: &[u8], [a, b, c]: [u8; 3]) -> u64 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    assert!(chunk.len() >= CHUNK);
    // SAFETY: SSE2 is enabled on every x86-64 target, and the four unaligned loads read
    // the 64 bytes of `chunk`, whose length was just checked.
    unsafe {
        let (a, b, c) = (
            _mm_set1_epi8(a as i8),
            _mm_set1_epi8(b as i8),
            _mm_set1_epi8(c as i8),
        );
        let mut mask = 0u64;
        for k in 0..CHUNK / 16 {
            let v = _mm_loadu_si128(chunk.as_ptr().add(16 * k).cast::<__m128i>());
            let hit = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, a), _mm_cmpeq_epi8(v, b)),
                _mm_cmpeq_epi8(v, c),
            );
            mask |= u64::from(_mm_movemask_epi8(hit) as u16) << (16 * k);
        }
        mask
    }
}

/// Whether `bytes` may hold a control character (C0 but tab and line ends, DEL, or the
/// 0xC2 that opens the C1 controls in UTF-8): a quick test before the cells are looked at.
/// Each 64-byte chunk is folded without branches, so that the compiler compares many bytes
/// at once; a short-circuiting `any` over the bytes was a tenth of a large ente's reading.
pub fn may_hold_control(bytes: &[u8]) -> bool {
    bytes.chunks(CHUNK).any(|chunk| {
        chunk.iter().fold(false, |found, &b| {
            let c0 = (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r');
            found | c0 | (b == 0x7f) | (b == 0xc2)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::may_hold_control;

    /// The chunked test agrees with the byte-by-byte definition, at every position of a
    /// chunk and across chunk edges.
    #[test]
    fn the_quick_test_finds_every_control_byte() {
        let plain = "Matricola;Nome;Incarico àèìòù €\tx\r\n".repeat(5);
        assert!(!may_hold_control(plain.as_bytes()));
        for bad in [0x00u8, 0x1b, 0x1f, 0x7f, 0xc2] {
            for at in [0, 1, 63, 64, 65, plain.len() - 1] {
                let mut bytes = plain.clone().into_bytes();
                bytes[at] = bad;
                assert!(may_hold_control(&bytes), "{bad:#x} at {at}");
            }
        }
        assert!(!may_hold_control(b""));
    }
}
