//! Sharding: a large index split into shards of postings, pieces of their own for the most
//! common grams, and chunks of documents, each handed on as it is made; the manifest names
//! how many of each there are. The postings and the layout can be kept ([`Index`]), so that
//! serve rewrites after one document's change only the pieces that hold it.

use super::format::{piece, postings_json, shard_of};
use super::grams::{doc_grams, gram_string, Postings};
use super::{row, Doc, FIELDS};
use crate::urls;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// The postings' map, hashed the fast way (foldhash, with a fixed seed: the map's order
/// never reaches the output, which sorts the grams, but a build should not depend on luck).
type Grams<V> = HashMap<u64, V, foldhash::fast::FixedState>;
use std::ops::Range;

/// About how many bytes a shard of postings (counting those of very common grams, which are
/// moved to pieces of their own), or a chunk of documents, holds.
pub(super) const SHARD_BYTES: usize = 8 * 1024;
const CHUNK_BYTES: usize = 16 * 1024;

/// Documents whose grams are found at once (on every core) before they join the postings:
/// enough to keep the cores busy, few enough that their grams take little memory.
const GRAM_BATCH: usize = 1024;

/// The split index as serve keeps it: every gram's postings, the grams of each shard in
/// order, and what decides the pieces' layout (the shards' total size, the documents'
/// lengths). A change to one document updates the postings of the grams it gained or lost
/// and rewrites only their shards and its chunk.
pub(super) struct Index {
    postings: Grams<Postings>,
    /// The grams of each shard, sorted (a key's order is its gram's order as text: the
    /// characters' code points, first then second).
    keys: Vec<Vec<u64>>,
    /// The postings' size as counted for the shard count: gram, postings and punctuation.
    total: usize,
    /// The length of each document's JSON array.
    pub(super) lens: Vec<usize>,
    per_chunk: usize,
}

/// The documents of an index, each made when it is asked for (a project's text made again,
/// or taken from those held: see `mod.rs`).
pub(super) trait Source: Sync {
    fn len(&self) -> usize;
    fn doc(&self, k: usize) -> Doc<'_>;
}

impl Source for Vec<Doc<'_>> {
    fn len(&self) -> usize {
        <[Doc]>::len(self)
    }

    fn doc(&self, k: usize) -> Doc<'_> {
        self[k].clone()
    }
}

/// Every gram's postings: for each gram, the documents holding it and in which groups, in
/// document order. Built a batch of documents at a time.
fn postings_of(docs: &dyn Source) -> Grams<Postings> {
    postings_and_lens(docs, false).0
}

/// [`postings_of`], and with `lens` the length of each document's JSON array, found as its
/// grams are (each document made once for both).
fn postings_and_lens(docs: &dyn Source, lens: bool) -> (Grams<Postings>, Vec<usize>) {
    let mut postings: Grams<Postings> = Default::default();
    let mut sizes = Vec::new();
    let n = docs.len();
    for start in (0..n).step_by(GRAM_BATCH) {
        let batch = start..(start + GRAM_BATCH).min(n);
        let found: Vec<(Vec<(u64, u8)>, usize)> = batch
            .into_par_iter()
            .map(|k| {
                let d = docs.doc(k);
                (doc_grams(&d), if lens { row(&d).len() } else { 0 })
            })
            .collect();
        for (j, (mine, len)) in found.into_iter().enumerate() {
            let n = (start + j) as u32;
            for (key, mask) in mine {
                postings.entry(key).or_default().push(n, mask);
            }
            if lens {
                sizes.push(len);
            }
        }
    }
    (postings, sizes)
}

/// A gram's size as the shard count counts it.
fn size(key: u64, post: &str) -> usize {
    gram_string(key).len() + post.len() + 6
}

/// The number of shards for postings of this size.
fn shard_count(total: usize) -> u32 {
    total.div_ceil(SHARD_BYTES).max(1) as u32
}

/// How many documents a chunk holds, for documents of these lengths.
fn per_chunk(lens: &[usize]) -> usize {
    let bytes: usize = lens.iter().map(|l| l + 1).sum();
    (CHUNK_BYTES * lens.len() / bytes.max(1)).max(1)
}

/// The postings laid out in shards: each shard's grams in order with their postings' JSON,
/// and the total size.
fn layout(postings: &Grams<Postings>) -> (Vec<Vec<(u64, String)>>, usize) {
    let mut grams: Vec<(u64, String)> = postings
        .par_iter()
        .map(|(&k, v)| (k, postings_json(&v.decode())))
        .collect();
    grams.par_sort_unstable_by_key(|g| g.0);
    let total: usize = grams.iter().map(|(k, p)| size(*k, p)).sum();
    let shards = shard_count(total);
    let mut by_shard: Vec<Vec<(u64, String)>> = vec![Vec::new(); shards as usize];
    for (key, post) in grams {
        by_shard[shard_of(&gram_string(key), shards) as usize].push((key, post));
    }
    (by_shard, total)
}

/// Shard `s` and the pieces of its largest grams, from its grams in order with their
/// postings' JSON.
fn emit_shard(
    s: usize,
    grams: Vec<(u64, String)>,
    shards: usize,
    emit: &mut dyn FnMut(&str, &[u8]),
) {
    // A gram whose postings alone would fill half a shard gets a piece of its own, so that no
    // shard is much larger than the others; the shard names it and gives its size, so that a
    // query can leave out the largest (the most common, which say least).
    let mut body: Vec<String> = Vec::with_capacity(grams.len());
    for (k, (gram, post)) in grams.into_iter().enumerate() {
        let key = serde_json::to_string(&gram_string(gram)).unwrap_or_default();
        if post.len() > SHARD_BYTES / 2 && shards > 1 {
            let name = format!("x/{s}-{k}");
            emit(
                &format!("{}{name}.js", urls::SEARCH),
                &piece(&name, &format!("{{{key}:{post}}}")),
            );
            body.push(format!("{key}:[\"{name}\",{}]", post.len()));
        } else {
            body.push(format!("{key}:{post}"));
        }
    }
    let name = format!("s/{s}");
    emit(
        &format!("{}{name}.js", urls::SEARCH),
        &piece(&name, &format!("{{{}}}", body.join(","))),
    );
}

/// Chunk `c` of the documents, from their rows.
fn emit_chunk(c: usize, rows: &[String], emit: &mut dyn FnMut(&str, &[u8])) {
    let name = format!("d/{c}");
    emit(
        &format!("{}{name}.js", urls::SEARCH),
        &piece(&name, &format!("[{}]", rows.join(","))),
    );
}

/// The manifest of a split index.
fn manifest(docs: usize, shards: usize, per_chunk: usize) -> String {
    format!(
        "{{\"fields\":{},\"split\":{{\"docs\":{docs},\"shards\":{shards},\"per_chunk\":{per_chunk}}}}}",
        serde_json::to_string(&FIELDS).unwrap_or_default(),
    )
}

/// Every piece but the manifest, from the layout; returns the documents in a chunk.
fn emit_all(
    by_shard: Vec<Vec<(u64, String)>>,
    docs: &dyn Source,
    lens: &[usize],
    emit: &mut dyn FnMut(&str, &[u8]),
) -> usize {
    let shards = by_shard.len();
    for (s, grams) in by_shard.into_iter().enumerate() {
        emit_shard(s, grams, shards, emit);
    }
    // Documents in chunks of a fixed count, so that the manifest need not list them.
    let per_chunk = per_chunk(lens);
    for (c, start) in (0..docs.len()).step_by(per_chunk).enumerate() {
        let chunk = start..(start + per_chunk).min(docs.len());
        let rows: Vec<String> = chunk.map(|k| row(&docs.doc(k))).collect();
        emit_chunk(c, &rows, emit);
    }
    per_chunk
}

/// The pieces of a split index, each handed to `emit` as it is made; returns the manifest.
/// `lens` are the lengths of the documents' JSON arrays. The postings are let go before
/// anything is written, so that a build holds them and their JSON no longer than it must.
pub(super) fn split(
    docs: &dyn Source,
    lens: &[usize],
    emit: &mut dyn FnMut(&str, &[u8]),
) -> String {
    let postings = postings_of(docs);
    let (by_shard, _) = layout(&postings);
    drop(postings);
    let shards = by_shard.len();
    let per_chunk = emit_all(by_shard, docs, lens, emit);
    manifest(docs.len(), shards, per_chunk)
}

/// [`split`] for documents made each time they are asked for (see `mod.rs`), when the
/// index is sure to be split: each document is made twice (for its grams and length, then
/// for its chunk) instead of three times. None, with nothing written, when it fits one
/// file after all.
pub(super) fn split_made(docs: &dyn Source, emit: &mut dyn FnMut(&str, &[u8])) -> Option<String> {
    let (postings, lens) = postings_and_lens(docs, true);
    if super::one_file_len(&lens) <= super::SPLIT_ABOVE {
        return None;
    }
    let (by_shard, _) = layout(&postings);
    drop(postings);
    let shards = by_shard.len();
    let per_chunk = emit_all(by_shard, docs, &lens, emit);
    Some(manifest(docs.len(), shards, per_chunk))
}

/// What [`Index::replace`] wrote: the manifest, and the prefixes of the paths whose pieces
/// were all made again (a piece under one of them that was not made is gone).
pub(super) struct Replaced {
    pub(super) manifest: String,
    pub(super) remade: Vec<String>,
}

impl Index {
    /// [`split`], keeping the index.
    pub(super) fn new(
        docs: &dyn Source,
        lens: Vec<usize>,
        emit: &mut dyn FnMut(&str, &[u8]),
    ) -> (Index, String) {
        let postings = postings_of(docs);
        let (by_shard, total) = layout(&postings);
        let keys = by_shard
            .iter()
            .map(|g| g.iter().map(|(k, _)| *k).collect())
            .collect();
        let shards = by_shard.len();
        let per_chunk = emit_all(by_shard, docs, &lens, emit);
        let index = Index {
            postings,
            keys,
            total,
            lens,
            per_chunk,
        };
        (index, manifest(docs.len(), shards, per_chunk))
    }

    /// After document `doc` changed from `old` to `new` (their grams, as [`doc_grams`] gives
    /// them, and the new length of its row), the pieces that changed: the shards of the
    /// grams it gained, lost or holds in other groups, with their own pieces, and its chunk
    /// (every chunk when their size changed). `rows` makes the rows of a range of documents.
    /// None when the number of shards changed: then every piece changes, and the index is
    /// made again whole.
    pub(super) fn replace(
        &mut self,
        doc: usize,
        old: &[(u64, u8)],
        new: &[(u64, u8)],
        new_len: usize,
        rows: &dyn Fn(Range<usize>) -> Vec<String>,
        emit: &mut dyn FnMut(&str, &[u8]),
    ) -> Option<Replaced> {
        let shards = self.keys.len() as u32;
        let mut changed: HashMap<u64, Option<u8>> = HashMap::new();
        for &(k, m) in new {
            changed.insert(k, Some(m));
        }
        for &(k, m) in old {
            match changed.get(&k) {
                Some(&Some(now)) if now == m => {
                    changed.remove(&k);
                }
                Some(_) => {}
                None => {
                    changed.insert(k, None);
                }
            }
        }
        let mut touched: BTreeSet<usize> = BTreeSet::new();
        for (key, mask) in changed {
            let s = shard_of(&gram_string(key), shards) as usize;
            touched.insert(s);
            let mut list = self
                .postings
                .get(&key)
                .map(Postings::decode)
                .unwrap_or_default();
            if !list.is_empty() {
                self.total -= size(key, &postings_json(&list));
            }
            let at = list.binary_search_by_key(&(doc as u32), |e| e.0);
            match (at, mask) {
                (Ok(i), Some(m)) => list[i].1 = m,
                (Ok(i), None) => {
                    list.remove(i);
                }
                (Err(i), Some(m)) => list.insert(i, (doc as u32, m)),
                (Err(_), None) => {}
            }
            let grams = &mut self.keys[s];
            let place = grams.binary_search(&key);
            if list.is_empty() {
                self.postings.remove(&key);
                if let Ok(i) = place {
                    grams.remove(i);
                }
                continue;
            }
            self.total += size(key, &postings_json(&list));
            self.postings.insert(key, Postings::from_list(&list));
            if let Err(i) = place {
                grams.insert(i, key);
            }
        }
        self.lens[doc] = new_len;
        if shard_count(self.total) != shards {
            return None;
        }
        let mut remade = Vec::new();
        for s in touched {
            let grams: Vec<(u64, String)> = self.keys[s]
                .iter()
                .map(|&k| (k, postings_json(&self.postings[&k].decode())))
                .collect();
            emit_shard(s, grams, shards as usize, emit);
            remade.push(format!("{}x/{s}-", urls::SEARCH));
        }
        let docs = self.lens.len();
        let per_chunk = per_chunk(&self.lens);
        let chunks: Vec<usize> = if per_chunk == self.per_chunk {
            vec![doc / per_chunk]
        } else {
            remade.push(format!("{}d/", urls::SEARCH));
            (0..docs.div_ceil(per_chunk)).collect()
        };
        self.per_chunk = per_chunk;
        for c in chunks {
            let range = c * per_chunk..((c + 1) * per_chunk).min(docs);
            emit_chunk(c, &rows(range), emit);
        }
        Some(Replaced {
            manifest: manifest(docs, shards as usize, per_chunk),
            remade,
        })
    }
}
