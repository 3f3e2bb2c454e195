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

#[cfg(test)]
/// A sorted set of document numbers, as the shorter of two forms: the gaps between them as
/// variable-length numbers (five bits a character, a character of the upper half of the
/// alphabet saying that more follow), or `~` and a bitmap, six documents a character.
#[cfg(test)]
pub(super) fn encode_set(ids: &[u32]) -> String {
    let [set, ..] = sets(|| ids.iter().map(|&id| (id, 1)));
    set.unwrap_or_default()
}

/// How many characters a gap takes: five bits each.
fn digits(gap: u32) -> usize {
    1 + (32 - gap.leading_zeros() as usize).saturating_sub(1) / 5
}

/// The set of each field group (bit `i` of a mask: group `i`) in the shorter of its two
/// forms (see [`encode_set`]); None for a group no document is in. `entries` are
/// (document, mask of groups) in document order; they are read twice, first to measure
/// each form, then to write the shorter.
fn sets<I: Iterator<Item = (u32, u8)>>(entries: impl Fn() -> I) -> [Option<String>; 7] {
    let bits_of = |mask: u8| {
        let mut m = mask & 0x7f;
        std::iter::from_fn(move || {
            let bit = (m != 0).then(|| m.trailing_zeros() as usize)?;
            m &= m - 1;
            Some(bit)
        })
    };
    let mut end = [0u32; 7];
    let mut gaps_len = [0usize; 7];
    for (doc, mask) in entries() {
        for bit in bits_of(mask) {
            gaps_len[bit] += digits(doc - end[bit]);
            end[bit] = doc + 1;
        }
    }
    let bitmap: [bool; 7] =
        std::array::from_fn(|b| gaps_len[b] > 1 + (end[b] as usize).div_ceil(6));
    let mut gaps: [String; 7] =
        std::array::from_fn(|b| String::with_capacity(if bitmap[b] { 0 } else { gaps_len[b] }));
    let mut maps: [Vec<u8>; 7] = std::array::from_fn(|b| {
        vec![
            0;
            if bitmap[b] {
                (end[b] as usize).div_ceil(6)
            } else {
                0
            }
        ]
    });
    let mut from = [0u32; 7];
    for (doc, mask) in entries() {
        for bit in bits_of(mask) {
            if bitmap[bit] {
                maps[bit][doc as usize / 6] |= 1 << (doc % 6);
                continue;
            }
            let mut v = doc - from[bit];
            from[bit] = doc + 1;
            while v >= 32 {
                gaps[bit].push(ALPHABET[32 + (v & 31) as usize] as char);
                v >>= 5;
            }
            gaps[bit].push(ALPHABET[v as usize] as char);
        }
    }
    std::array::from_fn(|b| {
        if end[b] == 0 {
            None
        } else if bitmap[b] {
            let mut out = String::with_capacity(1 + maps[b].len());
            out.push('~');
            out.extend(maps[b].iter().map(|&v| ALPHABET[v as usize] as char));
            Some(out)
        } else {
            Some(std::mem::take(&mut gaps[b]))
        }
    })
}

/// A piece of the split index: a script that hands its data to `sanpiSearchPiece`.
pub(super) fn piece(name: &str, data: &str) -> Vec<u8> {
    format!("sanpiSearchPiece(\"{name}\",{data});\n").into_bytes()
}

/// One gram's postings: for each field group holding it, the group's letter and its set.
/// `entries` are (document, mask of groups) in document order (read twice: see [`sets`]).
pub(super) fn postings_json<I: Iterator<Item = (u32, u8)>>(entries: impl Fn() -> I) -> String {
    let mut out = String::from("{");
    for (letter, set) in GROUPS.iter().zip(sets(entries)) {
        let Some(set) = set else { continue };
        if out.len() > 1 {
            out.push(',');
        }
        out.push('"');
        out.push(*letter);
        out.push_str("\":\"");
        out.push_str(&set);
        out.push('"');
    }
    out.push('}');
    out
}
