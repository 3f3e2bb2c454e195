//! A card's filtered rows as a zlib stream, compressed as fdeflate compresses them, with the
//! bands of rows a card leaves as its frame has them compressed once per frame.
//!
//! fdeflate's fast mode writes one Huffman block with codes fixed in advance (tuned for
//! filtered PNG rows): every byte a literal, every run of zeros a zero and a match at
//! distance 1. Each symbol stands alone, so the bits of a stretch of bytes can be made once
//! and laid into any stream at any bit offset; a run of zeros cut at a band's edge is two
//! runs, as valid. Most of a card's 630 rows are its frame's (the card's own text touches
//! a fifth of them), and compressing them again for every card was a sixth of a build with
//! cards. The encoder is fdeflate 0.3's (MIT OR Apache-2.0: its code lengths and header
//! below are its own), which the crate does not expose in pieces; a test checks that it
//! writes fdeflate's very bytes, and that the stream with bands spliced in decodes to the
//! rows.

use simd_adler32::Adler32;

/// The code length of each literal and length symbol (fdeflate's `HUFFMAN_LENGTHS`).
const LENGTHS: [u8; 286] = [
    2, 3, 4, 5, 5, 6, 6, 7, 7, 7, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 11, 11, 11, 11, 11, 11, 11,
    11, 11, 11, 10, 11, 10, 10, 10, 10, 10, 10, 10, 10, 10, 9, 9, 9, 9, 9, 8, 9, 8, 8, 8, 8, 8, 7,
    7, 7, 6, 6, 6, 5, 4, 3, 12, 12, 12, 9, 9, 11, 10, 11, 11, 10, 11, 11, 11, 11, 11, 11, 12, 11,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 9,
];

/// The zlib header and the block's header (its code lengths), as fdeflate writes them:
/// 53 bytes and 5 bits.
const HEADER: [u8; 54] = [
    120, 1, 237, 192, 3, 160, 36, 89, 150, 198, 241, 255, 119, 238, 141, 200, 204, 167, 114, 75,
    99, 174, 109, 219, 182, 109, 219, 182, 109, 219, 182, 109, 105, 140, 158, 150, 74, 175, 158,
    50, 51, 34, 238, 249, 118, 183, 106, 122, 166, 135, 59, 107, 213, 15,
];

/// The codes of the symbols, bits reversed for writing lowest first (canonical Huffman
/// codes from [`LENGTHS`]).
const CODES: [u16; 286] = codes();

const fn codes() -> [u16; 286] {
    let mut codes = [0u16; 286];
    let mut code = 0u32;
    let mut len = 1;
    while len <= 16 {
        let mut i = 0;
        while i < LENGTHS.len() {
            if LENGTHS[i] == len {
                codes[i] = (code as u16).reverse_bits() >> (16 - len);
                code += 1;
            }
            i += 1;
        }
        code <<= 1;
        len += 1;
    }
    codes
}

/// The length symbol and extra bits of a match of `len` bytes (3 to 258), as RFC 1951 has
/// them.
fn length_code(len: u32) -> (usize, u8, u32) {
    if len == 258 {
        return (285, 0, 0);
    }
    let x = len - 3;
    if x < 8 {
        return (257 + x as usize, 0, 0);
    }
    let extra = 31 - x.leading_zeros() - 2; // 8..15: 1 bit, 16..31: 2 bits, …
    let base = (4 + ((x >> extra) & 3)) << extra;
    let sym = 257 + 4 * (extra as usize + 1) + ((x >> extra) & 3) as usize;
    (sym, extra as u8, x - base)
}

/// Bits written lowest first, kept whole in memory.
#[derive(Clone, Default)]
pub(super) struct Bits {
    bytes: Vec<u8>,
    buffer: u64,
    nbits: u8,
}

impl Bits {
    fn with_capacity(n: usize) -> Bits {
        Bits {
            bytes: Vec::with_capacity(n),
            ..Bits::default()
        }
    }

    fn put(&mut self, bits: u64, nbits: u8) {
        debug_assert!(nbits <= 64);
        if nbits == 0 {
            return;
        }
        self.buffer |= bits << self.nbits;
        self.nbits += nbits;
        if self.nbits >= 64 {
            self.bytes.extend_from_slice(&self.buffer.to_le_bytes());
            self.nbits -= 64;
            self.buffer = bits.checked_shr(u32::from(nbits - self.nbits)).unwrap_or(0);
        }
    }

    /// Lays `other`'s bits after these.
    fn append(&mut self, other: &Bits) {
        let mut words = other.bytes.chunks_exact(8);
        for w in &mut words {
            self.put(u64::from_le_bytes(w.try_into().unwrap_or_default()), 64);
        }
        for &b in words.remainder() {
            self.put(u64::from(b), 8);
        }
        self.put(other.buffer, other.nbits);
    }

    /// The bytes, the last padded with zero bits.
    fn into_bytes(mut self) -> Vec<u8> {
        let n = usize::from(self.nbits).div_ceil(8);
        self.bytes
            .extend_from_slice(&self.buffer.to_le_bytes()[..n]);
        self.bytes
    }

    fn run(&mut self, mut run: u32) {
        self.put(u64::from(CODES[0]), LENGTHS[0]);
        run -= 1;
        while run >= 258 {
            self.put(u64::from(CODES[285]), LENGTHS[285] + 1);
            run -= 258;
        }
        if run > 4 {
            let (sym, extra, value) = length_code(run);
            self.put(u64::from(CODES[sym]), LENGTHS[sym]);
            // The extra bits, then the distance (code 0, one bit: distance 1).
            self.put(u64::from(value), extra + 1);
        } else {
            self.put(0, run as u8 * LENGTHS[0]);
        }
    }

    fn literal(&mut self, b: u8) {
        self.put(u64::from(CODES[usize::from(b)]), LENGTHS[usize::from(b)]);
    }

    /// Compresses `data`: its bytes as literals, its runs of zeros as runs (fdeflate's
    /// `write_data`, whose runs end with the call).
    pub(super) fn compress(&mut self, data: &[u8]) {
        let mut run = 0;
        let mut chunks = data.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            if word == 0 {
                run += 8;
                continue;
            } else if run > 0 {
                let more = word.trailing_zeros() / 8;
                self.run(run + more);
                run = 0;
                if more > 0 {
                    run = word.leading_zeros() / 8;
                    for &b in &chunk[more as usize..8 - run as usize] {
                        self.literal(b);
                    }
                    continue;
                }
            }
            let start = word.leading_zeros() / 8;
            if start > 0 {
                for &b in &chunk[..8 - start as usize] {
                    self.literal(b);
                }
                run = start;
                continue;
            }
            let (c, l) = (
                |i: usize| u64::from(CODES[usize::from(chunk[i])]),
                |i: usize| LENGTHS[usize::from(chunk[i])],
            );
            let (n0, n1, n2, n3) = (l(0), l(1), l(2), l(3));
            self.put(
                c(0) | c(1) << n0 | c(2) << (n0 + n1) | c(3) << (n0 + n1 + n2),
                n0 + n1 + n2 + n3,
            );
            let (n4, n5, n6, n7) = (l(4), l(5), l(6), l(7));
            self.put(
                c(4) | c(5) << n4 | c(6) << (n4 + n5) | c(7) << (n4 + n5 + n6),
                n4 + n5 + n6 + n7,
            );
        }
        if run > 0 {
            self.run(run);
        }
        for &b in chunks.remainder() {
            self.literal(b);
        }
    }
}

/// A stretch of bytes compressed once: its bits and its Adler-32 sums.
#[derive(Clone)]
pub(super) struct Piece {
    bits: Bits,
    adler: u32,
    len: usize,
}

impl Piece {
    pub(super) fn of(data: &[u8]) -> Piece {
        let mut bits = Bits::with_capacity(data.len() / 8);
        bits.compress(data);
        let mut a = Adler32::new();
        a.write(data);
        Piece {
            bits,
            adler: a.finish(),
            len: data.len(),
        }
    }
}

/// A zlib stream made of pieces compressed once and of bytes compressed now, in order.
pub(super) struct Stream {
    bits: Bits,
    adler: u32,
}

impl Stream {
    pub(super) fn new(capacity: usize) -> Stream {
        let mut bits = Bits::with_capacity(capacity);
        bits.bytes.extend_from_slice(&HEADER[..53]);
        bits.put(u64::from(HEADER[53]), 5);
        Stream { bits, adler: 1 }
    }

    /// Bytes compressed now.
    pub(super) fn bytes(&mut self, data: &[u8]) {
        self.bits.compress(data);
        let mut a = Adler32::from_checksum(self.adler);
        a.write(data);
        self.adler = a.finish();
    }

    /// A piece compressed before.
    pub(super) fn piece(&mut self, p: &Piece) {
        self.bits.append(&p.bits);
        self.adler = adler_combine(self.adler, p.adler, p.len);
    }

    /// The stream ended: the block's end, the checksum.
    pub(super) fn finish(mut self) -> Vec<u8> {
        self.bits.put(u64::from(CODES[256]), LENGTHS[256]);
        let mut out = self.bits.into_bytes();
        out.extend_from_slice(&self.adler.to_be_bytes());
        out
    }
}

/// The Adler-32 of `a`'s bytes followed by `len` bytes whose Adler-32 is `b` (zlib's
/// `adler32_combine`).
fn adler_combine(a: u32, b: u32, len: usize) -> u32 {
    const BASE: u64 = 65521;
    let rem = len as u64 % BASE;
    let (a1, a2) = (u64::from(a & 0xffff), u64::from(a >> 16));
    let (b1, b2) = (u64::from(b & 0xffff), u64::from(b >> 16));
    let sum1 = (a1 + b1 + BASE - 1) % BASE;
    let sum2 = (rem * a1 % BASE + a2 + b2 + BASE - rem) % BASE;
    (sum1 | sum2 << 16) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes like filtered rows: long runs of zeros, small values, some noise.
    fn rows(seed: u64, n: usize) -> Vec<u8> {
        let mut x = seed;
        (0..n)
            .map(|i| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                match (i / 300) % 4 {
                    0 => 0,
                    1 => (x >> 60) as u8 & 1,
                    2 => (x >> 56) as u8,
                    _ => [0, 0, 0, 1, 255, 4][(x >> 61) as usize % 6],
                }
            })
            .collect()
    }

    #[test]
    fn it_writes_fdeflates_bytes() {
        for (seed, n) in [(1, 0), (2, 7), (3, 8), (4, 1000), (5, 65_537), (6, 300_001)] {
            let data = rows(seed, n);
            let mut z = fdeflate::Compressor::new(Vec::new()).unwrap();
            let mut s = Stream::new(0);
            for part in data.chunks(4099) {
                z.write_data(part).unwrap();
                s.bytes(part);
            }
            assert_eq!(s.finish(), z.finish().unwrap(), "{n} bytes");
        }
        for len in 3..=258 {
            let (sym, extra, value) = length_code(len);
            assert!((257..=285).contains(&sym) && value < 1 << extra, "{len}");
        }
    }

    #[test]
    fn pieces_laid_anywhere_decode_to_the_bytes() {
        let parts: Vec<Vec<u8>> = (0..40).map(|i| rows(i, 97 * i as usize + 13)).collect();
        let pieces: Vec<Piece> = parts.iter().map(|p| Piece::of(p)).collect();
        let mut s = Stream::new(0);
        let mut all = Vec::new();
        for (i, (part, piece)) in parts.iter().zip(&pieces).enumerate() {
            if i % 3 == 0 {
                s.bytes(part);
            } else {
                s.piece(piece);
            }
            all.extend_from_slice(part);
        }
        let z = s.finish();
        assert_eq!(fdeflate::decompress_to_vec(&z).unwrap(), all);
        let mut a = Adler32::new();
        a.write(&all);
        assert_eq!(&z[z.len() - 4..], a.finish().to_be_bytes());
    }
}
