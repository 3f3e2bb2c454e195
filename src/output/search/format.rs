//! The format of the split index's pieces, as `themes/default/static/search.js` reads them:
//! a gram's shard, a set of document numbers in 64 characters, a gram's postings by field
//! group, and the script each piece is.

#[cfg(test)]
use super::sets::encode;
use super::sets::Encoded;

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

/// A sorted set of document numbers, as the shorter of its two forms (see [`super::sets::Set`]).
#[cfg(test)]
pub(super) fn encode_set(ids: &[u32]) -> String {
    let [set, ..] = encode(|| ids.iter().map(|&id| (id, 1)));
    set.map(|s| s.text().to_string()).unwrap_or_default()
}

/// A piece of the split index: a script that hands its data to `sanpiSearchPiece`.
pub(super) fn piece(name: &str, data: &str) -> Vec<u8> {
    format!("{PIECE_OPEN}{name}\",{data}{PIECE_CLOSE}").into_bytes()
}

/// What a piece's script holds before its name, and after its data.
pub(super) const PIECE_OPEN: &str = "sanpiSearchPiece(\"";
pub(super) const PIECE_CLOSE: &str = ");\n";

/// One gram's postings: for each field group holding it, the group's letter and its set.
/// `entries` are (document, mask of groups) in document order (read twice: see [`encode`]).
pub(super) fn postings_json<I: Iterator<Item = (u32, u8)>>(entries: impl Fn() -> I) -> String {
    Encoded::of(entries).json()
}
