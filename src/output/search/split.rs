//! Sharding: a large index split into shards of postings, pieces of their own for the most
//! common grams, and chunks of documents, each handed on as it is made; the manifest names
//! how many of each there are.

use super::format::{piece, postings_json, shard_of};
use super::grams::{doc_grams, gram_string, Postings};
use super::{row, Doc, FIELDS};
use crate::urls;
use rayon::prelude::*;

/// About how many bytes a shard of postings (counting those of very common grams, which are
/// moved to pieces of their own), or a chunk of documents, holds.
pub(super) const SHARD_BYTES: usize = 8 * 1024;
const CHUNK_BYTES: usize = 16 * 1024;

/// Documents whose grams are found at once (on every core) before they join the postings:
/// enough to keep the cores busy, few enough that their grams take little memory.
const GRAM_BATCH: usize = 1024;

/// The pieces of a split index, each handed to `emit` as it is made; returns the manifest.
/// `lens` are the lengths of the documents' JSON arrays.
pub(super) fn split(docs: &[Doc], lens: &[usize], emit: &mut dyn FnMut(&str, &[u8])) -> String {
    // Postings: for each gram, the documents holding it and in which groups, in document
    // order. Built a batch of documents at a time; the grams are sorted before anything is
    // written.
    let mut postings: std::collections::HashMap<u64, Postings> = Default::default();
    for (b, batch) in docs.chunks(GRAM_BATCH).enumerate() {
        let found: Vec<Vec<(u64, u8)>> = batch.par_iter().map(doc_grams).collect();
        for (j, mine) in found.into_iter().enumerate() {
            let n = (b * GRAM_BATCH + j) as u32;
            for (key, mask) in mine {
                postings.entry(key).or_default().push(n, mask);
            }
        }
    }
    let mut grams: Vec<(String, String)> = postings
        .into_par_iter()
        .map(|(k, v)| (gram_string(k), postings_json(&v.decode())))
        .collect();
    // Grams are distinct, so an unstable sort gives one order.
    grams.par_sort_unstable();
    let total: usize = grams.iter().map(|(g, p)| g.len() + p.len() + 6).sum();
    let shards = total.div_ceil(SHARD_BYTES).max(1) as u32;
    // A gram whose postings alone would fill half a shard gets a piece of its own, so that no
    // shard is much larger than the others; the shard names it and gives its size, so that a
    // query can leave out the largest (the most common, which say least).
    let mut by_shard: Vec<Vec<(String, String)>> = vec![Vec::new(); shards as usize];
    for (gram, post) in grams {
        let s = shard_of(&gram, shards);
        let key = serde_json::to_string(&gram).unwrap_or_default();
        if post.len() > SHARD_BYTES / 2 && shards > 1 {
            let name = format!("x/{s}-{}", by_shard[s as usize].len());
            emit(
                &format!("{}{name}.js", urls::SEARCH),
                &piece(&name, &format!("{{{key}:{post}}}")),
            );
            by_shard[s as usize].push((key, format!("[\"{name}\",{}]", post.len())));
        } else {
            by_shard[s as usize].push((key, post));
        }
    }
    for (s, entries) in by_shard.into_iter().enumerate() {
        let body: Vec<String> = entries.iter().map(|(k, p)| format!("{k}:{p}")).collect();
        drop(entries);
        let name = format!("s/{s}");
        emit(
            &format!("{}{name}.js", urls::SEARCH),
            &piece(&name, &format!("{{{}}}", body.join(","))),
        );
    }
    // Documents in chunks of a fixed count, so that the manifest need not list them.
    let bytes: usize = lens.iter().map(|l| l + 1).sum();
    let per_chunk = (CHUNK_BYTES * lens.len() / bytes.max(1)).max(1);
    for (c, chunk) in docs.chunks(per_chunk).enumerate() {
        let rows: Vec<String> = chunk.iter().map(row).collect();
        let name = format!("d/{c}");
        emit(
            &format!("{}{name}.js", urls::SEARCH),
            &piece(&name, &format!("[{}]", rows.join(","))),
        );
    }
    format!(
        "{{\"fields\":{},\"split\":{{\"docs\":{},\"shards\":{shards},\"per_chunk\":{per_chunk}}}}}",
        serde_json::to_string(&FIELDS).unwrap_or_default(),
        docs.len()
    )
}
