//! The format of the split index's pieces, as `themes/default/static/search.js` reads them:
//! a gram's shard, a set of document numbers in 64 characters, a gram's postings by field
//! group, and the script each piece is.

use super::grams::GROUPS;

/// The 64 characters of the postings' encoding: JSON- and URL-safe.
pub(super) const ALPHABET: &[u8; 64] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// The shard of a gram: FNV-1a over its characters, as the script computes it.
pub(super) fn shard_of(gram: &str, shards: u32) -> u32 {
    let mut h: u32 = 2_166_136_261;
    for c in gram.chars() {
        h = (h ^ c as u32).wrapping_mul(16_777_619);
    }
    h % shards.max(1)
}

/// A sorted set of document numbers, as the shorter of two forms: the gaps between them as
/// variable-length numbers (five bits a character, a character of the upper half of the
/// alphabet saying that more follow), or `~` and a bitmap, six documents a character.
pub(super) fn encode_set(ids: &[u32]) -> String {
    let mut gaps = String::new();
    let mut prev: i64 = -1;
    for &id in ids {
        let mut v = (i64::from(id) - prev - 1) as u64;
        prev = i64::from(id);
        while v >= 32 {
            gaps.push(ALPHABET[32 + (v & 31) as usize] as char);
            v >>= 5;
        }
        gaps.push(ALPHABET[v as usize] as char);
    }
    let last = ids.last().map_or(0, |&l| l as usize + 1);
    let bitmap_len = 1 + last.div_ceil(6);
    if gaps.len() <= bitmap_len {
        return gaps;
    }
    let mut bits = vec![0u8; last.div_ceil(6)];
    for &id in ids {
        bits[id as usize / 6] |= 1 << (id % 6);
    }
    let mut out = String::from("~");
    out.extend(bits.into_iter().map(|b| ALPHABET[b as usize] as char));
    out
}

/// A piece of the split index: a script that hands its data to `sanpiSearchPiece`.
pub(super) fn piece(name: &str, data: &str) -> Vec<u8> {
    format!("sanpiSearchPiece(\"{name}\",{data});\n").into_bytes()
}

/// One gram's postings: for each field group holding it, the group's letter and its set.
pub(super) fn postings_json(entries: &[(u32, u8)]) -> String {
    let mut out = String::from("{");
    for (bit, letter) in GROUPS.iter().enumerate() {
        let ids: Vec<u32> = entries
            .iter()
            .filter(|(_, m)| m & (1 << bit) != 0)
            .map(|(d, _)| *d)
            .collect();
        if ids.is_empty() {
            continue;
        }
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&format!("\"{letter}\":\"{}\"", encode_set(&ids)));
    }
    out.push('}');
    out
}
