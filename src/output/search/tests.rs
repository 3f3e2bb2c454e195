//! Tests of the search index: its text, its grams and sets, one file or split, and queries
//! answered from the shards as the script answers them.

use super::format::*;
use super::grams::*;
use super::kept::*;
use super::sets::Encoded;
use super::split::*;
use super::*;
use std::collections::{BTreeMap, BTreeSet};

/// shard_of("传感", 5000), as search.js computes it (checked with node).
const SHARD_OF_CHUANGAN: u32 = 3208;

#[test]
fn plain_text_of_html() {
    assert_eq!(
        plain_text("<p>甲 &amp; <b>乙</b>丁</p>\n<p>丙</p>"),
        "甲 & 乙丁 丙"
    );
}

#[test]
fn heading_anchors_are_not_text() {
    assert_eq!(
        plain_text("<h2 id=\"a\">概况<a class=\"anchor\" href=\"#a\" aria-label=\"#\">#</a></h2>\n<p>正文</p>"),
        "概况 正文"
    );
}

#[test]
fn the_whole_text_is_indexed() {
    let long = format!("<p>{}明晟</p>", "开".repeat(500));
    assert!(plain_text(&long).ends_with("明晟"));
}

#[test]
fn folding_reads_full_width_forms_as_ascii() {
    assert_eq!(fold("ＭＥＭＳ\u{3000}３Ｃ"), "mems 3c");
}

#[test]
fn grams_are_characters_and_pairs_without_spaces() {
    let mut got = Vec::new();
    grams("ab c", |k, start| got.push((gram_string(k), start)));
    let want = [("a", true), ("ab", true), ("b", false), ("c", false)];
    assert_eq!(got, want.map(|(g, s)| (g.to_string(), s)));
}

/// The script's decoder, to check the encoding both ways.
fn decode_set(s: &str) -> Vec<u32> {
    let digit = |c: u8| ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
    let mut out = Vec::new();
    if let Some(bits) = s.strip_prefix('~') {
        for (k, c) in bits.bytes().enumerate() {
            let v = digit(c);
            out.extend(
                (0..6)
                    .filter(|i| v & (1 << i) != 0)
                    .map(|i| k as u32 * 6 + i),
            );
        }
        return out;
    }
    let (mut acc, mut shift, mut prev) = (0u32, 0, -1i64);
    for c in s.bytes() {
        let v = digit(c);
        if v >= 32 {
            acc |= (v - 32) << shift;
            shift += 5;
        } else {
            acc |= v << shift;
            prev += i64::from(acc) + 1;
            out.push(prev as u32);
            (acc, shift) = (0, 0);
        }
    }
    out
}

#[test]
fn sets_are_encoded_as_gaps_or_bitmaps_whichever_is_shorter() {
    let sparse = [0, 5, 40, 1000, 70_000];
    let s = encode_set(&sparse);
    assert!(!s.starts_with('~'));
    assert_eq!(decode_set(&s), sparse);
    let dense: Vec<u32> = (0..3000).filter(|i| i % 3 != 0).collect();
    let d = encode_set(&dense);
    assert!(d.starts_with('~') && d.len() == 1 + 500, "{}", d.len());
    assert_eq!(decode_set(&d), dense);
    assert_eq!(encode_set(&[]), "");
}

#[test]
fn a_gram_has_the_same_shard_here_and_in_the_script() {
    // search.js computes the same FNV-1a over code points: 传感 is in shard 3,208 of 5,000.
    assert_eq!(shard_of("传感", 5000), SHARD_OF_CHUANGAN);
    assert_eq!(shard_of("a", 1), 0);
    assert!((0..1000).all(|n| shard_of(&n.to_string(), 7) < 7));
}

/// Synthetic documents: a name of the form 甲N号传感器项目, with a long text.
fn synthetic(n: usize) -> Vec<(String, String, String)> {
    (0..n)
        .map(|i| {
            let name = format!("郑州{i}号{}项目", ["传感器", "数据中心", "冷链物流"][i % 3]);
            let text = format!(
                "{name}由某公司投资建设。{}第{i}段结束。",
                "项目主要建设生产车间、研发楼及配套设施。".repeat(8)
            );
            (format!("projects/p{i}/"), name, text)
        })
        .collect()
}

fn docs_of(rows: &[(String, String, String)]) -> Vec<Doc<'_>> {
    rows.iter()
        .map(|(url, name, text)| -> Doc {
            (
                url.clone(),
                "p",
                name,
                "签约一批",
                "第7期".to_string(),
                "电子信息",
                "某公司",
                "郑州".to_string(),
                Cow::Borrowed(text),
            )
        })
        .collect()
}

/// The query planning of search.js: the grams of a term (its character when it has one,
/// else its pairs, at most sixteen of them, the first and the last among them), and the
/// shards that hold them.
fn plan(query: &str, shards: u32) -> (Vec<String>, BTreeSet<String>) {
    let mut gs = Vec::new();
    for t in fold(query).split_whitespace() {
        let c: Vec<char> = t.chars().collect();
        if c.len() == 1 {
            gs.push(t.to_string());
            continue;
        }
        let pairs: Vec<String> = c.windows(2).map(|w| w.iter().collect()).collect();
        let k = pairs.len();
        let picked: BTreeSet<usize> = if k <= 16 {
            (0..k).collect()
        } else {
            (0..16).map(|j| j * (k - 1) / 15).collect()
        };
        gs.extend(picked.into_iter().map(|i| pairs[i].clone()));
    }
    let pieces = gs
        .iter()
        .map(|g| format!("s/{}", shard_of(g, shards)))
        .collect();
    (gs, pieces)
}

/// The postings of a gram from the pieces written, following a shard's reference to a
/// piece of its own.
fn postings_of(files: &BTreeMap<String, String>, shards: u32, gram: &str) -> serde_json::Value {
    let data = |name: &str| -> serde_json::Value {
        let text = &files[&format!("search/{name}.js")];
        let prefix = format!("sanpiSearchPiece(\"{name}\",");
        let json = text
            .strip_prefix(&prefix)
            .unwrap()
            .strip_suffix(");\n")
            .unwrap();
        serde_json::from_str(json).unwrap()
    };
    let entry = data(&format!("s/{}", shard_of(gram, shards)))[gram].clone();
    match entry[0].as_str() {
        Some(own) => data(own)[gram].clone(),
        None => entry,
    }
}

/// The split index: the pieces besides the manifest, as (path, bytes), and the manifest.
struct Split {
    files: Vec<(String, Vec<u8>)>,
    manifest: String,
}

impl Split {
    /// The pieces as text by path, and the manifest as JSON.
    fn read(&self) -> (BTreeMap<String, String>, serde_json::Value) {
        let files = self
            .files
            .iter()
            .map(|(p, b)| (p.clone(), String::from_utf8(b.clone()).unwrap()))
            .collect();
        (files, serde_json::from_str(&self.manifest).unwrap())
    }
}

/// The document in each slot of the split index of `docs`.
fn doc_in_slot(docs: &[Doc]) -> Vec<Option<u32>> {
    super::slots::Slots::of(&split::heads(&docs.to_vec())).docs()
}

/// The documents (their places in `docs`) of a set of slots.
fn docs_in(docs: &[Doc], set: &[u32]) -> Vec<u32> {
    let in_slot = doc_in_slot(docs);
    let mut out: Vec<u32> = set.iter().map(|&s| in_slot[s as usize].unwrap()).collect();
    out.sort_unstable();
    out
}

/// The split index of `docs`, as `files_with` makes it.
fn split_docs(docs: &[Doc]) -> Split {
    let lens: Vec<usize> = docs.iter().map(|d| row(d).len()).collect();
    let mut files = Vec::new();
    let manifest = split(&docs.to_vec(), &lens, &mut |p, b| {
        files.push((p.to_string(), b.to_vec()))
    });
    Split { files, manifest }
}

#[test]
fn postings_decode_to_what_was_pushed() {
    let pushed = [
        (0, 1),
        (1, 64),
        (2, 3),
        (130, 1),
        (20_000, 127),
        (1_000_000, 2),
    ];
    let mut p = Postings::default();
    for (d, m) in pushed {
        p.push(d, m);
    }
    assert_eq!(p.decode(), pushed);
    // Close documents take two bytes each.
    assert_eq!(p.bytes[..6], [0, 1, 0, 64, 0, 3]);
    assert!(Postings::default().decode().is_empty());
}

#[test]
fn the_one_file_made_of_rows_is_the_one_serialised_whole() {
    for n in [0, 1, 7] {
        let rows = synthetic(n);
        let docs = docs_of(&rows);
        let each: Vec<String> = docs
            .iter()
            .map(|d| serde_json::to_string(d).unwrap())
            .collect();
        let whole = one_file(&docs);
        assert_eq!(one_file_of(&each), whole);
        let lens: Vec<usize> = each.iter().map(String::len).collect();
        assert_eq!(one_file_len(&lens), whole.len());
    }
}

#[test]
fn a_large_index_is_split_into_shards_that_grow_with_the_site() {
    let rows = synthetic(3000);
    let docs = docs_of(&rows);
    let split = split_docs(&docs);
    let (files, manifest) = split.read();
    let shards = manifest["split"]["shards"].as_u64().unwrap() as u32;
    let per_chunk = manifest["split"]["per_chunk"].as_u64().unwrap() as usize;
    // The slots: half again as many as the documents, on the ladder (5 × 1,024).
    assert_eq!(manifest["split"]["docs"], 5120);
    assert!(
        shards > 1 && per_chunk > 1,
        "{shards} shards, {per_chunk} a chunk"
    );
    // The manifest is small, and no piece is much larger than its target.
    assert!(split.manifest.len() < 300, "{}", split.manifest.len());
    for (path, text) in &files {
        assert!(text.len() < 3 * SHARD_BYTES, "{path}: {}", text.len());
    }
    // A twice larger site has about twice the shards.
    let rows2 = synthetic(6000);
    let docs2 = docs_of(&rows2);
    let m2: serde_json::Value = serde_json::from_str(&split_docs(&docs2).manifest).unwrap();
    let shards2 = m2["split"]["shards"].as_u64().unwrap() as u32;
    assert!(shards2 > shards * 3 / 2, "{shards} then {shards2}");
    // The same documents give the same bytes.
    let again = split_docs(&docs_of(&rows));
    assert!(again.files == split.files && again.manifest == split.manifest);
    // Slots are in chunks of per_chunk, in order, a free slot written 0.
    let in_slot = doc_in_slot(&docs);
    for k in [0, 1234, 2999] {
        let slot = in_slot.iter().position(|&d| d == Some(k)).unwrap();
        let chunk = &files[&format!("search/d/{}.js", slot / per_chunk)];
        let data = chunk[chunk.find(',').unwrap() + 1..chunk.len() - 3].to_string();
        let rows: serde_json::Value = serde_json::from_str(&data).unwrap();
        assert_eq!(rows[slot % per_chunk][0], format!("projects/p{k}/"));
    }
    let chunks = files.keys().filter(|p| p.contains("/d/")).count();
    assert_eq!(chunks, 5120usize.div_ceil(per_chunk));
    assert!(per_chunk.is_power_of_two());
}

#[test]
fn a_query_loads_the_shards_of_its_grams_and_finds_its_documents() {
    let rows = synthetic(15_000);
    let docs = docs_of(&rows);
    let split = split_docs(&docs);
    let (files, manifest) = split.read();
    let shards = manifest["split"]["shards"].as_u64().unwrap() as u32;
    // 1234号: by its pairs 12, 23, 34 and 4号, in the names (group n).
    let (gs, pieces) = plan("1234号", shards);
    assert_eq!(gs, ["12", "23", "34", "4号"]);
    assert!(pieces.len() <= 4);
    let name_sets: Vec<Vec<u32>> = gs
        .iter()
        .map(|g| {
            let set = decode_set(postings_of(&files, shards, g)["n"].as_str().unwrap());
            docs_in(&docs, &set)
        })
        .collect();
    let both: Vec<u32> = name_sets[0]
        .iter()
        .copied()
        .filter(|d| name_sets.iter().all(|s| s.contains(d)))
        .collect();
    // The candidates: every name holding the four pairs; 12234 holds them apart, and the
    // script, checking each shown document whole, leaves those out.
    assert_eq!(both, [1234, 11_234, 12_234, 12_334, 12_344]);
    let whole: Vec<u32> = both
        .into_iter()
        .filter(|&d| fold(docs[d as usize].2).contains("1234号"))
        .collect();
    assert_eq!(whole, [1234, 11_234]);
    // A long term is planned by sixteen of its pairs, the first and the last among them.
    let long = "郑州1234号传感器项目郑州1234号传感器项目";
    let (gs, pieces) = plan(long, shards);
    assert_eq!(gs.len(), 16);
    assert!(gs[0] == "郑州" && gs[15] == "项目" && pieces.len() <= 16);
    // A very common gram has a piece of its own, which its shard names with its size.
    let entry = |g: &str| {
        let text = &files[&format!("search/s/{}.js", shard_of(g, shards))];
        let key = serde_json::to_string(g).unwrap();
        text[text.find(&format!("{key}:")).unwrap() + key.len() + 1..]
            .chars()
            .take(30)
            .collect::<String>()
    };
    assert!(entry("项目").starts_with("[\"x/"), "{}", entry("项目"));
    assert!(entry("4号").starts_with('{'), "{}", entry("4号"));
    // 郑州 starts every name; 郑 too, a single character.
    let start = decode_set(postings_of(&files, shards, "郑州")["s"].as_str().unwrap());
    assert_eq!(docs_in(&docs, &start), (0..15_000).collect::<Vec<u32>>());
    assert_eq!(plan("郑", shards).0, ["郑"]);
    // 签约一批 is in every batch: a bitmap, six slots a character, up to the last taken.
    let batch = postings_of(&files, shards, "一批")["b"]
        .as_str()
        .unwrap()
        .to_string();
    let last = doc_in_slot(&docs)
        .iter()
        .rposition(Option::is_some)
        .unwrap();
    assert!(batch.starts_with('~') && batch.len() == 1 + (last + 1).div_ceil(6));
    // A pair of the text only: 9段 ends the text of every tenth document.
    let t = decode_set(postings_of(&files, shards, "9段")["t"].as_str().unwrap());
    assert_eq!(
        docs_in(&docs, &t),
        (0..15_000).filter(|i| i % 10 == 9).collect::<Vec<u32>>()
    );
    assert!(postings_of(&files, shards, "9段").get("n").is_none());
}

#[test]
fn a_small_index_stays_one_file() {
    let rows = synthetic(20);
    let json = one_file(&docs_of(&rows));
    assert!(json.len() < SPLIT_ABOVE);
}

#[test]
fn the_script_sets_a_global() {
    let s = as_script(br#"{"fields":[],"docs":[]}"#);
    assert_eq!(
        String::from_utf8_lossy(&s),
        "window.sanpiSearchIndex = {\"fields\":[],\"docs\":[]};\n"
    );
}

/// The pieces of a split index by path, the manifest among them.
fn pieces_of(docs: &[Doc]) -> BTreeMap<String, Vec<u8>> {
    let split = split_docs(docs);
    let mut out: BTreeMap<String, Vec<u8>> = split.files.into_iter().collect();
    out.insert("manifest".into(), split.manifest.into_bytes());
    out
}

/// An edit of the synthetic documents: one changed in place (a new name and text), one
/// added at a place, or one removed.
enum Edit {
    Change(usize, Option<&'static str>, String),
    Add(usize, &'static str),
    Remove(usize),
}

#[test]
fn a_kept_index_remakes_only_what_a_change_touches_and_gives_the_same_bytes() {
    let mut rows = synthetic(3000);
    let lens: Vec<usize> = docs_of(&rows).iter().map(|d| row(d).len()).collect();
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let (mut index, manifest) = Index::new(&docs_of(&rows), &lens, &mut |p, b| {
        files.insert(p.to_string(), b.to_vec());
    });
    files.insert("manifest".into(), manifest.into_bytes());
    assert_eq!(files, pieces_of(&docs_of(&rows)));
    let total = files.len();
    // A new character, one taken away, a name changed, a gram in another group, a text
    // made long (the chunks' size changes), and back to what it was; documents added and
    // removed, at the start, in the middle and at the end.
    let edits = vec![
        Edit::Change(17, None, format!("{}鑫", rows[17].2)),
        Edit::Change(17, None, rows[17].2.replace('鑫', "")),
        Edit::Change(2999, Some("洛阳新区项目"), rows[2999].2.clone()),
        Edit::Change(0, None, format!("{}郑州", rows[0].2)),
        Edit::Change(1500, None, "很长的一段文字。".repeat(2000)),
        Edit::Change(1500, None, rows[1500].2.clone()),
        Edit::Change(42, None, String::new()),
        Edit::Add(0, "projects/new-a/"),
        Edit::Add(1200, "projects/new-b/"),
        Edit::Add(3002, "projects/new-c/"),
        Edit::Remove(1),
        Edit::Remove(1200),
        Edit::Remove(2999),
        Edit::Remove(0),
    ];
    for (n, edit) in edits.into_iter().enumerate() {
        let old = docs_of(&rows);
        let before = |k: usize| (old[k].0.clone(), grams::doc_grams(&old[k]));
        let (gone, came) = match edit {
            Edit::Change(k, name, text) => {
                let b = before(k);
                if let Some(name) = name {
                    rows[k].1 = name.to_string();
                }
                rows[k].2 = text;
                (Some(b), Some(k))
            }
            Edit::Add(k, url) => {
                let name = format!("新增{k}号项目");
                rows.insert(
                    k,
                    (url.to_string(), name.clone(), format!("{name}的文字。")),
                );
                (None, Some(k))
            }
            Edit::Remove(k) => {
                let b = before(k);
                rows.remove(k);
                (Some(b), None)
            }
        };
        let docs = docs_of(&rows);
        let mut made: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let gone = gone.as_ref().map(|(url, grams)| Gone { url, grams });
        let done = index
            .update(&docs, gone, came, &mut |p, b| {
                made.insert(p.to_string(), b.to_vec());
            })
            .unwrap_or_else(|| panic!("edit {n}: the layout stays"));
        // Only a few pieces are made, unless the chunks' size changed.
        if !done.remade.iter().any(|p| p.ends_with("d/")) {
            assert!(
                made.len() < total * 2 / 3,
                "edit {n}: {} of {total}",
                made.len()
            );
        }
        files.retain(|p, _| {
            !done.remade.iter().any(|r| p.starts_with(r.as_str())) || made.contains_key(p)
        });
        files.extend(made);
        files.insert("manifest".into(), done.manifest.into_bytes());
        assert!(
            files == pieces_of(&docs),
            "edit {n}: the pieces differ from a clean split"
        );
    }
}

#[test]
fn a_change_that_alters_the_layout_is_left_to_a_whole_index() {
    let mut rows = synthetic(3000);
    let lens: Vec<usize> = docs_of(&rows).iter().map(|d| row(d).len()).collect();
    let (mut index, _) = Index::new(&docs_of(&rows), &lens, &mut |_, _| {});
    let (url, before) = {
        let old = &docs_of(&rows)[5];
        (old.0.clone(), grams::doc_grams(old))
    };
    // Thousands of characters never seen before: many more grams, many more bytes.
    rows[5].2 = (0x4e00u32..0x4e00 + 6000)
        .filter_map(char::from_u32)
        .collect();
    let docs = docs_of(&rows);
    let gone = Some(Gone {
        url: &url,
        grams: &before,
    });
    assert!(index.update(&docs, gone, Some(5), &mut |_, _| {}).is_none());
    // A document added to a group that then needs more slots.
    let mut rows = synthetic(3413);
    let lens: Vec<usize> = docs_of(&rows).iter().map(|d| row(d).len()).collect();
    let (mut index, _) = Index::new(&docs_of(&rows), &lens, &mut |_, _| {});
    rows.push(("projects/new/".into(), "新项目".into(), String::new()));
    assert!(index
        .update(&docs_of(&rows), None, Some(3413), &mut |_, _| {})
        .is_none());
}

#[test]
fn encoded_postings_set_one_document_as_made_again_would() {
    let list: Vec<(u32, u8)> = vec![(0, 1), (3, 2), (200, 1), (201, 64), (70_000, 3)];
    let changes: [(u32, u8); 10] = [
        (0, 0),
        (0, 5),
        (1, 1),
        (3, 0),
        (199, 2),
        (200, 4),
        (201, 0),
        (70_000, 0),
        (80_000, 1),
        (5, 0),
    ];
    for (doc, mask) in changes {
        let mut p = Encoded::of(|| list.iter().copied());
        p.set(doc, mask);
        let mut want: Vec<(u32, u8)> = list.iter().copied().filter(|e| e.0 != doc).collect();
        if mask != 0 {
            want.push((doc, mask));
            want.sort_unstable();
        }
        assert_eq!(p, Encoded::of(|| want.iter().copied()), "{doc} {mask}");
        assert_eq!(p.json(), postings_json(|| want.iter().copied()));
        // A document put after the change counts from the right one.
        p.set(90_000, 1);
        want.push((90_000, 1));
        assert_eq!(
            p,
            Encoded::of(|| want.iter().copied()),
            "{doc} {mask} then put"
        );
    }
}

/// The basic fixture's site, its projects repeated `times` times (enough of them split the
/// index).
fn fixture_site(times: usize) -> Site {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
    let mut diags = crate::diagnostics::Diagnostics::new();
    let content = crate::content::load(&root, &Default::default(), &mut diags).unwrap();
    let mut site = crate::site::assemble(content, false, &mut diags).unwrap();
    let one = site.projects.clone();
    for _ in 1..times {
        site.projects.extend(one.iter().cloned());
    }
    site
}

#[test]
fn texts_made_where_needed_give_the_index_of_texts_held() {
    for times in [1, 300] {
        let site = fixture_site(times);
        let texts = project_texts(&site);
        let mut held = Vec::new();
        files_with(&site, &texts, &mut |p, b| {
            held.push((p.to_string(), b.to_vec()))
        });
        let mut made = Vec::new();
        write(&Made { site: &site }, false, &mut |p, b| {
            made.push((p.to_string(), b.to_vec()))
        });
        assert!(held == made, "{times}: the two ways differ");
        // Made twice only, when sure to be split.
        let mut once = Vec::new();
        match split::split_made(&Made { site: &site }, &mut |p, b| {
            once.push((p.to_string(), b.to_vec()))
        }) {
            Some(m) => {
                once.push((urls::SEARCH_INDEX_JS.to_string(), as_script(m.as_bytes())));
                assert!(held == once, "{times}: the split made twice differs");
            }
            None => assert!(once.is_empty() && times == 1, "{times}: not split"),
        }
        let split = held.iter().any(|(p, _)| p.contains("/s/"));
        assert_eq!(split, times > 1, "{times}: split as expected");
    }
}
