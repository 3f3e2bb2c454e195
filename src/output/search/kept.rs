//! The split index as serve keeps it ([`Index`]), and its update after one document
//! changed, came or went: the postings of the grams it (and the few documents it moved to
//! other slots) gained or lost, and only the pieces that hold them written again.

use super::format::shard_of;
use super::grams::{doc_grams, gram_string};
use super::row;
use super::sets::Encoded;
use super::slots::{Head, Slots};
use super::split::*;
use crate::urls;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// The split index as serve keeps it: every gram's postings in the shards' form, the grams of
/// each shard in order, the documents' slots, and what decides the pieces' layout (the
/// shards' total size, the rows' lengths). A change to a document updates the postings of
/// the grams it gained or lost (and of the few documents its coming or going moved to
/// another slot), and rewrites only their shards and the chunks of those slots.
pub(super) struct Index {
    /// Each gram's postings as its shard holds them, ready to be edited in place.
    grams: Grams<Encoded>,
    /// The grams of each shard, sorted (a key's order is its gram's order as text: the
    /// characters' code points, first then second).
    keys: Vec<Vec<u64>>,
    /// The postings' size as counted for the shard count: gram, postings and punctuation.
    total: usize,
    /// The length of each slot's row (0 for a free slot).
    lens: Vec<usize>,
    per_chunk: usize,
    slots: Slots,
    /// Each document's slot by URL; None when two documents share a URL (then every change
    /// makes the index again).
    at: Option<HashMap<String, u32>>,
}

/// What [`Index::update`] wrote: the manifest, and the prefixes of the paths whose pieces
/// were all made again (a piece under one of them that was not made is gone).
pub(super) struct Replaced {
    pub(super) manifest: String,
    pub(super) remade: Vec<String>,
}

/// A document as it was before a change: its URL and its grams ([`doc_grams`]).
pub(super) struct Gone<'a> {
    pub(super) url: &'a str,
    pub(super) grams: &'a [(u64, u8)],
}

impl Index {
    /// [`split`], keeping the index.
    pub(super) fn new(
        docs: &dyn Source,
        doc_lens: &[usize],
        emit: &mut dyn FnMut(&str, &[u8]),
    ) -> (Index, String) {
        let heads = heads(docs);
        let slots = Slots::of(&heads);
        let postings = postings_of(docs, &slots);
        let (by_shard, total) = layout(&postings, |p| Encoded::of(|| p.iter()));
        drop(postings);
        let keys = by_shard
            .iter()
            .map(|g| g.iter().map(|(k, _)| *k).collect())
            .collect();
        let shards = by_shard.len();
        let lens = slot_lens(&slots, doc_lens);
        let per_chunk = emit_all(&by_shard, docs, &slots, &lens, emit);
        let grams = by_shard.into_iter().flatten().collect();
        let at = urls_at(&heads, &slots);
        let manifest = manifest(slots.len as usize, shards, per_chunk);
        let index = Index {
            grams,
            keys,
            total,
            lens,
            per_chunk,
            slots,
            at,
        };
        (index, manifest)
    }

    /// After one document changed (`gone`: as it was, unless it is new; `came`: its place
    /// among `docs` now, unless it was removed), the pieces that changed: the shards of the
    /// grams it and the documents it moved gained, lost or hold in other groups, with their
    /// own pieces, and the chunks of their slots (every chunk when their size changed).
    /// None when the change alters the layout of the whole index (the groups' ranges of
    /// slots, the number of shards, one file instead of a split index) or is not one
    /// document's: then the index is made again whole, and this one is of no more use.
    pub(super) fn update(
        &mut self,
        docs: &dyn Source,
        gone: Option<Gone>,
        came: Option<usize>,
        emit: &mut dyn FnMut(&str, &[u8]),
    ) -> Option<Replaced> {
        let heads = heads(docs);
        let slots = Slots::of(&heads);
        let at = self.at.as_ref()?;
        if slots.groups != self.slots.groups
            || at.len() + usize::from(came.is_some()) != heads.len() + usize::from(gone.is_some())
        {
            return None;
        }
        let changed = changes(docs, &heads, &slots, at, gone.as_ref(), came)?;
        // Each document's slot by URL: the one gone out, those that came or moved in.
        if let Some(at) = self.at.as_mut() {
            if let Some(g) = &gone {
                at.remove(g.url);
            }
            for &k in &changed.docs {
                at.insert(heads[k].url.to_string(), slots.of_doc[k]);
            }
        }
        let touched = self.apply(changed.changes);
        let moved = changed.slots;
        let shards = self.keys.len() as u32;
        let in_slot = slots.docs();
        for &s in &moved {
            self.lens[s as usize] =
                in_slot[s as usize].map_or(0, |k| row(&docs.doc(k as usize)).len());
        }
        self.slots = slots;
        if shard_count(self.total) != shards
            || one_file_len_of(&self.lens, heads.len()) <= super::SPLIT_ABOVE
        {
            return None;
        }
        let mut remade = Vec::new();
        for s in touched {
            let grams = self.keys[s].iter().map(|k| (*k, &self.grams[k]));
            emit_shard(s, grams, shards as usize, emit);
            remade.push(format!("{}x/{s}-", urls::SEARCH));
        }
        let count = self.lens.len();
        let per_chunk = per_chunk(&self.lens);
        let chunks: BTreeSet<usize> = if per_chunk == self.per_chunk {
            moved.iter().map(|&s| s as usize / per_chunk).collect()
        } else {
            remade.push(format!("{}d/", urls::SEARCH));
            (0..count.div_ceil(per_chunk)).collect()
        };
        self.per_chunk = per_chunk;
        for c in chunks {
            let rows = rows_of(docs, &in_slot, chunk_range(c, per_chunk, count));
            emit_chunk(c, &rows, emit);
        }
        Some(Replaced {
            manifest: manifest(count, shards as usize, per_chunk),
            remade,
        })
    }

    /// Makes the changes to the postings (for each gram, (slot, its new mask, 0 for none));
    /// returns the shards they touched.
    fn apply(&mut self, by_gram: HashMap<u64, Vec<(u32, u8)>>) -> BTreeSet<usize> {
        let shards = self.keys.len() as u32;
        let mut touched: BTreeSet<usize> = BTreeSet::new();
        // Each changed gram's postings edited (on every core), then put in place.
        let by_gram: Vec<Change> = by_gram
            .into_iter()
            .map(|(key, changes)| (key, self.grams.remove(&key), changes))
            .collect();
        let edited: Vec<(u64, Option<usize>, Option<Encoded>)> = by_gram
            .into_par_iter()
            .map(|(key, was, changes)| {
                let before = was.as_ref().map(Encoded::json_len);
                let mut now = was.unwrap_or_default();
                for (slot, mask) in changes {
                    now.set(slot, mask);
                }
                (key, before, (!now.is_empty()).then_some(now))
            })
            .collect();
        for (key, before, now) in edited {
            let s = shard_of(&gram_string(key), shards) as usize;
            touched.insert(s);
            if let Some(len) = before {
                self.total -= size(key, len);
            }
            let grams = &mut self.keys[s];
            let place = grams.binary_search(&key);
            match now {
                None => {
                    if let Ok(i) = place {
                        grams.remove(i);
                    }
                }
                Some(now) => {
                    self.total += size(key, now.json_len());
                    self.grams.insert(key, now);
                    if let Err(i) = place {
                        grams.insert(i, key);
                    }
                }
            }
        }
        touched
    }
}

/// Each document's slot by URL, None when two documents share one.
fn urls_at(heads: &[Head], slots: &Slots) -> Option<HashMap<String, u32>> {
    let mut at = HashMap::with_capacity(heads.len());
    for (head, &s) in heads.iter().zip(&slots.of_doc) {
        if at.insert(head.url.to_string(), s).is_some() {
            return None;
        }
    }
    Some(at)
}

/// What one document's change does to the postings: for each gram, the slots whose mask
/// changes (with the new mask, 0 for none), every slot whose document changed, and the
/// documents (by their place) that came or moved.
struct Changes {
    changes: HashMap<u64, Vec<(u32, u8)>>,
    slots: BTreeSet<u32>,
    docs: Vec<usize>,
}

/// A gram's postings taken out of the index (None for a gram it did not hold), and the
/// changes to make to them.
type Change = (u64, Option<Encoded>, Vec<(u32, u8)>);

/// The [`Changes`] of the change from the layout `at` (each document's slot by URL) to
/// `slots`, when the document `gone` went and the one at `came` came: theirs, and those of
/// the documents they moved. None when it is not one document's change.
fn changes(
    docs: &dyn Source,
    heads: &[Head],
    slots: &Slots,
    at: &HashMap<String, u32>,
    gone: Option<&Gone>,
    came: Option<usize>,
) -> Option<Changes> {
    // Each (gram, slot) whose mask changes: (before, after), 0 for none.
    let mut masks: HashMap<(u64, u32), (u8, u8)> = HashMap::new();
    let mut moved: BTreeSet<u32> = BTreeSet::new();
    let mut docs_moved = Vec::new();
    if let Some(g) = gone {
        let was = *at.get(g.url)?;
        for &(key, m) in g.grams {
            masks.entry((key, was)).or_default().0 |= m;
        }
        moved.insert(was);
    }
    for (k, head) in heads.iter().enumerate() {
        let now = slots.of_doc[k];
        let was = at.get(head.url.as_ref()).copied();
        if came == Some(k) {
            // A document that stayed is one that changed, named by `gone`.
            if was.is_some() && gone.map(|g| g.url) != Some(head.url.as_ref()) {
                return None;
            }
            for (key, m) in doc_grams(&docs.doc(k)) {
                masks.entry((key, now)).or_default().1 |= m;
            }
            moved.insert(now);
            docs_moved.push(k);
            continue;
        }
        let was = was?;
        if was != now {
            for (key, m) in doc_grams(&docs.doc(k)) {
                masks.entry((key, was)).or_default().0 |= m;
                masks.entry((key, now)).or_default().1 |= m;
            }
            moved.insert(was);
            moved.insert(now);
            docs_moved.push(k);
        }
    }
    let mut by_gram: HashMap<u64, Vec<(u32, u8)>> = HashMap::new();
    for ((key, slot), (was, now)) in masks {
        if was != now {
            by_gram.entry(key).or_default().push((slot, now));
        }
    }
    Some(Changes {
        changes: by_gram,
        slots: moved,
        docs: docs_moved,
    })
}
