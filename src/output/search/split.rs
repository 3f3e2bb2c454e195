//! Sharding: a large index split into shards of postings, pieces of their own for the most
//! common grams, and chunks of documents, each handed on as it is made; the manifest names
//! how many of each there are. `kept.rs` keeps what this makes, for serve.

use super::format::{piece, postings_json, shard_of, PIECE_CLOSE, PIECE_OPEN};
use super::grams::{doc_grams, gram_string, Postings};
use super::sets::Encoded;
use super::slots::{Head, Slots};
use super::{row, Doc, FIELDS};
use crate::urls;
use rayon::prelude::*;
use std::collections::HashMap;

/// The postings' map, hashed the fast way (foldhash, with a fixed seed: the map's order
/// never reaches the output, which sorts the grams, but a build should not depend on luck).
pub(super) type Grams<V> = HashMap<u64, V, foldhash::fast::FixedState>;
use std::ops::Range;

/// About how many bytes a shard of postings (counting those of very common grams, which are
/// moved to pieces of their own), or a chunk of documents, holds.
pub(super) const SHARD_BYTES: usize = 8 * 1024;
const CHUNK_BYTES: usize = 16 * 1024;

/// Documents whose grams are found at once (on every core) before they join the postings:
/// enough to keep the cores busy, few enough that their grams take little memory.
const GRAM_BATCH: usize = 1024;

/// The documents of an index, each made when it is asked for (a project's text made again,
/// or taken from those held: see `mod.rs`), with their heads (which need no text).
pub(super) trait Source: Sync {
    fn len(&self) -> usize;
    fn doc(&self, k: usize) -> Doc<'_>;
    fn head(&self, k: usize) -> Head<'_>;
}

#[cfg(test)]
impl Source for Vec<Doc<'_>> {
    fn len(&self) -> usize {
        <[Doc]>::len(self)
    }

    fn doc(&self, k: usize) -> Doc<'_> {
        self[k].clone()
    }

    fn head(&self, k: usize) -> Head<'_> {
        super::head_of(&self[k])
    }
}

/// The heads of every document, in order.
pub(super) fn heads(docs: &dyn Source) -> Vec<Head<'_>> {
    (0..docs.len()).map(|k| docs.head(k)).collect()
}

/// Every gram's postings: for each gram, the documents holding it and in which groups, in
/// document order. Built a batch of documents at a time.
pub(super) fn postings_of(docs: &dyn Source, slots: &Slots) -> Grams<Postings> {
    postings_and_lens(docs, slots, false).0
}

/// [`postings_of`], and with `lens` the length of each slot's JSON array (0 for a free
/// slot), found as its grams are (each document made once for both). The documents join the
/// postings in the order of their slots.
fn postings_and_lens(
    docs: &dyn Source,
    slots: &Slots,
    lens: bool,
) -> (Grams<Postings>, Vec<usize>) {
    let mut postings: Grams<Postings> = Default::default();
    let mut sizes = if lens {
        vec![0; slots.len as usize]
    } else {
        Vec::new()
    };
    let order: Vec<u32> = slots.docs().into_iter().flatten().collect();
    for batch in order.chunks(GRAM_BATCH) {
        let found: Vec<(Vec<(u64, u8)>, usize)> = batch
            .par_iter()
            .map(|&k| {
                let d = docs.doc(k as usize);
                (doc_grams(&d), if lens { row(&d).len() } else { 0 })
            })
            .collect();
        for (&k, (mine, len)) in batch.iter().zip(found) {
            let slot = slots.of_doc[k as usize];
            for (key, mask) in mine {
                postings.entry(key).or_default().push(slot, mask);
            }
            if lens {
                sizes[slot as usize] = len;
            }
        }
    }
    (postings, sizes)
}

/// A gram's size as the shard count counts it.
pub(super) fn size(key: u64, post_len: usize) -> usize {
    gram_string(key).len() + post_len + 6
}

/// A gram's postings as its shard writes them: JSON, and its length.
pub(super) trait Post {
    fn len(&self) -> usize;
    fn write(&self, out: &mut String);
}

impl Post for String {
    fn len(&self) -> usize {
        str::len(self)
    }

    fn write(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Post for Encoded {
    fn len(&self) -> usize {
        self.json_len()
    }

    fn write(&self, out: &mut String) {
        Encoded::write(self, out);
    }
}

/// The number of shards for postings of this size: a power of two, so that it stays the
/// same while the index grows or shrinks a little (a shard holds 4 to 8 KB).
pub(super) fn shard_count(total: usize) -> u32 {
    total.div_ceil(SHARD_BYTES).max(1).next_power_of_two() as u32
}

/// How many slots a chunk holds, for slots of these lengths (a free slot is written `0`): a
/// power of two, so that it stays the same while the documents change a little (a chunk
/// holds about 8 to 16 KB).
pub(super) fn per_chunk(lens: &[usize]) -> usize {
    let bytes: usize = lens.iter().map(|&l| l.max(1) + 1).sum();
    let fits = (CHUNK_BYTES * lens.len() / bytes.max(1)).max(1);
    1 << fits.ilog2()
}

/// The postings laid out in shards: each shard's grams in order with their postings as
/// `encode` makes them (their JSON, or what serve keeps to edit it), and the total size.
pub(super) fn layout<P: Post + Send>(
    postings: &Grams<Postings>,
    encode: impl Fn(&Postings) -> P + Sync,
) -> (Vec<Vec<(u64, P)>>, usize) {
    let mut grams: Vec<(u64, P)> = postings.par_iter().map(|(&k, v)| (k, encode(v))).collect();
    grams.par_sort_unstable_by_key(|g| g.0);
    let total: usize = grams.iter().map(|(k, p)| size(*k, p.len())).sum();
    let shards = shard_count(total);
    let mut by_shard: Vec<Vec<(u64, P)>> = (0..shards).map(|_| Vec::new()).collect();
    for (key, post) in grams {
        by_shard[shard_of(&gram_string(key), shards) as usize].push((key, post));
    }
    (by_shard, total)
}

/// Shard `s` and the pieces of its largest grams, from its grams in order with their
/// postings.
pub(super) fn emit_shard<'a, P: Post + 'a>(
    s: usize,
    grams: impl IntoIterator<Item = (u64, &'a P)>,
    shards: usize,
    emit: &mut dyn FnMut(&str, &[u8]),
) {
    // A gram whose postings alone would fill half a shard gets a piece of its own, so that no
    // shard is much larger than the others; the shard names it and gives its size, so that a
    // query can leave out the largest (the most common, which say least).
    let name = format!("s/{s}");
    let mut out = String::with_capacity(2 * SHARD_BYTES);
    out.push_str(PIECE_OPEN);
    out.push_str(&name);
    out.push_str("\",{");
    for (k, (gram, post)) in grams.into_iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        write_key(&mut out, gram);
        out.push(':');
        if post.len() > SHARD_BYTES / 2 && shards > 1 {
            let own = format!("x/{s}-{k}");
            let mut data = String::with_capacity(post.len() + 16);
            data.push('{');
            write_key(&mut data, gram);
            data.push(':');
            post.write(&mut data);
            data.push('}');
            emit(&format!("{}{own}.js", urls::SEARCH), &piece(&own, &data));
            out.push_str(&format!("[\"{own}\",{}]", post.len()));
        } else {
            post.write(&mut out);
        }
    }
    out.push('}');
    out.push_str(PIECE_CLOSE);
    emit(&format!("{}{name}.js", urls::SEARCH), out.as_bytes());
}

/// A gram as a JSON string.
fn write_key(out: &mut String, gram: u64) {
    let text = gram_string(gram);
    if text.chars().all(|c| c >= ' ' && c != '"' && c != '\\') {
        out.push('"');
        out.push_str(&text);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(&text).unwrap_or_default());
    }
}

/// Chunk `c` of the slots, from their rows (`0` for a free slot).
pub(super) fn emit_chunk(c: usize, rows: &[String], emit: &mut dyn FnMut(&str, &[u8])) {
    let name = format!("d/{c}");
    emit(
        &format!("{}{name}.js", urls::SEARCH),
        &piece(&name, &format!("[{}]", rows.join(","))),
    );
}

/// The manifest of a split index: `docs` is the number of slots.
pub(super) fn manifest(docs: usize, shards: usize, per_chunk: usize) -> String {
    format!(
        "{{\"fields\":{},\"split\":{{\"docs\":{docs},\"shards\":{shards},\"per_chunk\":{per_chunk}}}}}",
        serde_json::to_string(&FIELDS).unwrap_or_default(),
    )
}

/// The rows of the slots in `range`: each document's JSON array, `0` for a free slot.
pub(super) fn rows_of(
    docs: &dyn Source,
    in_slot: &[Option<u32>],
    range: Range<usize>,
) -> Vec<String> {
    in_slot[range]
        .iter()
        .map(|d| match d {
            Some(k) => row(&docs.doc(*k as usize)),
            None => "0".to_string(),
        })
        .collect()
}

/// The slots of chunk `c`.
pub(super) fn chunk_range(c: usize, per_chunk: usize, slots: usize) -> Range<usize> {
    c * per_chunk..((c + 1) * per_chunk).min(slots)
}

/// Every piece but the manifest, from the layout; `lens` are the slots' rows' lengths.
/// Returns the slots in a chunk.
pub(super) fn emit_all<P: Post>(
    by_shard: &[Vec<(u64, P)>],
    docs: &dyn Source,
    slots: &Slots,
    lens: &[usize],
    emit: &mut dyn FnMut(&str, &[u8]),
) -> usize {
    let shards = by_shard.len();
    for (s, grams) in by_shard.iter().enumerate() {
        emit_shard(s, grams.iter().map(|(k, p)| (*k, p)), shards, emit);
    }
    // Slots in chunks of a fixed count, so that the manifest need not list them.
    let per_chunk = per_chunk(lens);
    let in_slot = slots.docs();
    for c in 0..in_slot.len().div_ceil(per_chunk) {
        let rows = rows_of(docs, &in_slot, chunk_range(c, per_chunk, in_slot.len()));
        emit_chunk(c, &rows, emit);
    }
    per_chunk
}

/// The lengths of the slots' rows from those of the documents (0 for a free slot).
pub(super) fn slot_lens(slots: &Slots, doc_lens: &[usize]) -> Vec<usize> {
    let mut out = vec![0; slots.len as usize];
    for (k, &s) in slots.of_doc.iter().enumerate() {
        out[s as usize] = doc_lens[k];
    }
    out
}

/// The pieces of a split index, each handed to `emit` as it is made; returns the manifest.
/// `lens` are the lengths of the documents' JSON arrays. The postings are let go before
/// anything is written, so that a build holds them and their JSON no longer than it must.
pub(super) fn split(
    docs: &dyn Source,
    lens: &[usize],
    emit: &mut dyn FnMut(&str, &[u8]),
) -> String {
    let slots = Slots::of(&heads(docs));
    let postings = postings_of(docs, &slots);
    let (by_shard, _) = layout(&postings, |p| postings_json(|| p.iter()));
    drop(postings);
    let shards = by_shard.len();
    let lens = slot_lens(&slots, lens);
    let per_chunk = emit_all(&by_shard, docs, &slots, &lens, emit);
    manifest(slots.len as usize, shards, per_chunk)
}

/// [`split`] for documents made each time they are asked for (see `mod.rs`), when the
/// index is sure to be split: each document is made twice (for its grams and length, then
/// for its chunk) instead of three times. None, with nothing written, when it fits one
/// file after all.
pub(super) fn split_made(docs: &dyn Source, emit: &mut dyn FnMut(&str, &[u8])) -> Option<String> {
    let slots = Slots::of(&heads(docs));
    let (postings, lens) = postings_and_lens(docs, &slots, true);
    if one_file_len_of(&lens, docs.len()) <= super::SPLIT_ABOVE {
        return None;
    }
    let (by_shard, _) = layout(&postings, |p| postings_json(|| p.iter()));
    drop(postings);
    let shards = by_shard.len();
    let per_chunk = emit_all(&by_shard, docs, &slots, &lens, emit);
    Some(manifest(slots.len as usize, shards, per_chunk))
}

/// The length of the one-file index of `docs` documents whose rows have these lengths (the
/// slots' lengths, 0 for a free slot).
pub(super) fn one_file_len_of(slot_lens: &[usize], docs: usize) -> usize {
    super::one_file_head().len() + slot_lens.iter().sum::<usize>() + docs.saturating_sub(1) + 2
}
