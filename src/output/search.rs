//! The search index of every project, bulletin and page, searched in the browser by
//! substring, so that any fragment of a Chinese name finds it (no word segmentation to get
//! wrong) and Latin words match regardless of case. A small site's index is one file; a large
//! one's is split (issue 19): a manifest, shards of postings of characters and character
//! pairs, and chunks of documents, each a script, so that a query loads only what it needs,
//! from disk as over the network.

use crate::labels;
use crate::site::Site;
use crate::urls;
use rayon::prelude::*;
use std::borrow::Cow;

/// The body as plain text: tags dropped, entities of the five escaped characters decoded,
/// whitespace collapsed. The whole text is kept: a reader searches for what a bulletin says
/// anywhere in it (issue 15: 明晟 in its last paragraph found nothing when only the opening
/// was indexed).
fn plain_text(html: &str) -> String {
    // Heading anchors (`<a class="anchor" …>#</a>`) are no part of the text: without this,
    // a passage reads 本期概况# 7月28日.
    let mut html = html.to_string();
    while let Some(i) = html.find("<a class=\"anchor\"") {
        let Some(end) = html[i..].find("</a>") else {
            break;
        };
        html.replace_range(i..i + end + "</a>".len(), "");
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            // Inline tags join their text (建设<b>高性能</b> reads 建设高性能); the line
            // breaks between block elements keep paragraphs apart.
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of a project's body that the index holds: when an edit leaves it the same, the
/// index needs no rewriting.
pub(crate) fn indexed_text(body: &crate::markdown::Markdown) -> String {
    plain_text(&body.plain_html(""))
}

/// One document of the index, in the order of [`FIELDS`].
type Doc<'a> = (
    String,
    &'static str,
    &'a str,
    &'static str,
    String,
    &'a str,
    &'a str,
    String,
    Cow<'a, str>,
);

const FIELDS: [&str; 9] = [
    "url", "kind", "name", "batch", "period", "sector", "owner", "location", "text",
];

/// The documents of the index, in the order of the site: projects, bulletins, pages. The
/// projects' [`indexed_text`] is given, one per project in order, so that serve can rewrite
/// the index after one project's edit without reading every body again.
fn docs<'a>(site: &'a Site, project_texts: &'a [String]) -> Vec<Doc<'a>> {
    let projects = site.projects.iter().enumerate().map(|(i, p)| -> Doc {
        (
            urls::project(&p.id),
            "p",
            &p.name,
            labels::batch(p.batch),
            labels::period_or_unknown(p.period),
            p.sector.as_deref().unwrap_or(""),
            p.owner.as_deref().unwrap_or(""),
            // In a site with regions, the region (from the top) leads the place, so that
            // a search for 临河县 finds its projects and results show where each one is.
            match site.region_of.get(i).copied().flatten() {
                Some(r) => [Some(site.region_names(r)), p.location.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
                None => p.location.clone().unwrap_or_default(),
            },
            Cow::Borrowed(project_texts.get(i).map_or("", String::as_str)),
        )
    });
    let bulletins = site.bulletins.iter().map(|a| -> Doc {
        (
            urls::bulletin(&a.slug),
            "b",
            &a.title,
            "",
            a.period.map(labels::period).unwrap_or_default(),
            "",
            a.author.as_deref().unwrap_or(""),
            a.date.map(|d| d.chinese()).unwrap_or_default(),
            Cow::Owned(plain_text(&format!(
                "{} {}",
                a.summary.as_deref().unwrap_or(""),
                a.body.plain_html("")
            ))),
        )
    });
    let pages = site.pages.iter().map(|a| -> Doc {
        (
            urls::page(&a.slug),
            "g",
            &a.title,
            "",
            String::new(),
            "",
            "",
            String::new(),
            Cow::Owned(plain_text(&a.body.plain_html(""))),
        )
    });
    projects.chain(bulletins).chain(pages).collect()
}

/// The head of `search/index.json`, before the documents' arrays.
fn one_file_head() -> String {
    format!(
        "{{\"fields\":{},\"docs\":[",
        serde_json::to_string(&FIELDS).unwrap_or_default()
    )
}

/// The length of [`one_file_of`] rows of these lengths, without making it.
fn one_file_len(lens: &[usize]) -> usize {
    let commas = lens.len().saturating_sub(1);
    one_file_head().len() + lens.iter().sum::<usize>() + commas + 2
}

/// `search/index.json` from each document's JSON array, byte for byte as [`one_file`].
fn one_file_of(rows: &[String]) -> Vec<u8> {
    let mut out = one_file_head();
    out.push_str(&rows.join(","));
    out.push_str("]}");
    out.into_bytes()
}

/// `search/index.json`: `{"fields": [...], "docs": [[...], ...]}`, one array per document in
/// the order of `fields`. Serialised straight from borrowed values: a tree of JSON values for
/// ten thousand projects would cost more memory than the file itself.
#[cfg(test)]
fn one_file(docs: &[Doc]) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Index<'a> {
        fields: [&'static str; 9],
        docs: &'a [Doc<'a>],
    }
    serde_json::to_vec(&Index {
        fields: FIELDS,
        docs,
    })
    .unwrap_or_default()
}

/// The files of the search index, as (path, bytes). Up to [`SPLIT_ABOVE`] bytes, the index is
/// one file, `search/index.json`, and the same as a script, `search/index.js`. Above, it is
/// split: `search/index.js` sets the manifest, and the pieces are scripts under `search/`:
/// `s/N.js` the postings of the grams of shard N, `x/N-K.js` those of one large gram, `d/N.js`
/// a chunk of documents.
/// Each file is handed to `emit` (path, bytes) as soon as it is made, so that the pieces of a
/// large index are never all in memory at once.
pub(crate) fn files(site: &Site, emit: &mut dyn FnMut(&str, &[u8])) {
    let texts: Vec<String> = site
        .projects
        .par_iter()
        .map(|p| indexed_text(&p.body))
        .collect();
    files_with(site, &texts, emit)
}

/// [`files`] with the projects' [`indexed_text`] given, one per project in order.
pub(crate) fn files_with(site: &Site, project_texts: &[String], emit: &mut dyn FnMut(&str, &[u8])) {
    let docs = docs(site, project_texts);
    // The length of each document's JSON array decides between one file and a split index,
    // and how many documents a chunk holds; the arrays themselves are made again where they
    // are written, rather than all kept meanwhile.
    let lens: Vec<usize> = docs.par_iter().map(|d| row(d).len()).collect();
    if one_file_len(&lens) <= SPLIT_ABOVE {
        let rows: Vec<String> = docs.iter().map(row).collect();
        let json = one_file_of(&rows);
        emit(urls::SEARCH_INDEX_JS, &as_script(&json));
        emit(urls::SEARCH_INDEX, &json);
        return;
    }
    let manifest = split(&docs, &lens, emit);
    emit(urls::SEARCH_INDEX_JS, &as_script(manifest.as_bytes()));
}

/// A document's JSON array, as the index holds it.
fn row(d: &Doc) -> String {
    serde_json::to_string(d).unwrap_or_default()
}

/// Above this many bytes, the one-file index is split (see [`files`]): 256 KB is what a
/// phone loads in about a second on a slow connection, while a query of a split index loads
/// 25 to 150 KB of it (tests/e2e/searchsplit.mjs at 10,000 and 100,000 projects), in more
/// requests. The sample site's index (37 projects) is 18 KB.
pub(crate) const SPLIT_ABOVE: usize = 256 * 1024;

/// About how many bytes a shard of postings (counting those of very common grams, which are
/// moved to pieces of their own), or a chunk of documents, holds.
const SHARD_BYTES: usize = 8 * 1024;
const CHUNK_BYTES: usize = 16 * 1024;

/// A posting's field groups, as the letters the script reads, with their bit in a mask:
/// name, name start (the name's first character and first pair), batch, period, owner or
/// sector, location, text.
const GROUPS: [char; 7] = ['n', 's', 'b', 'p', 'o', 'l', 't'];

/// The 64 characters of the postings' encoding: JSON- and URL-safe.
const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Text as the search script compares it: full-width ASCII forms as ASCII, the ideographic
/// space as a space, lower case (the script's `fold`).
pub(crate) fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect::<String>()
        .to_lowercase()
}

/// The grams of a folded text: every character and every pair of adjacent characters, none
/// holding a space (a query's terms never do), each with whether it starts the text. A gram
/// is a key: its first character in the high 32 bits, the second (or 0) in the low ones.
fn grams(folded: &str, mut add: impl FnMut(u64, bool)) {
    let chars: Vec<char> = folded.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            continue;
        }
        add(u64::from(u32::from(c)) << 32, i == 0);
        if let Some(&next) = chars.get(i + 1).filter(|n| !n.is_whitespace()) {
            add(
                (u64::from(u32::from(c)) << 32) | u64::from(u32::from(next)),
                i == 0,
            );
        }
    }
}

fn gram_string(key: u64) -> String {
    [(key >> 32) as u32, key as u32]
        .into_iter()
        .filter(|&c| c != 0)
        .filter_map(char::from_u32)
        .collect()
}

/// The shard of a gram: FNV-1a over its characters, as the script computes it.
pub(crate) fn shard_of(gram: &str, shards: u32) -> u32 {
    let mut h: u32 = 2_166_136_261;
    for c in gram.chars() {
        h = (h ^ c as u32).wrapping_mul(16_777_619);
    }
    h % shards.max(1)
}

/// A sorted set of document numbers, as the shorter of two forms: the gaps between them as
/// variable-length numbers (five bits a character, a character of the upper half of the
/// alphabet saying that more follow), or `~` and a bitmap, six documents a character.
pub(crate) fn encode_set(ids: &[u32]) -> String {
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
fn piece(name: &str, data: &str) -> Vec<u8> {
    format!("sanpiSearchPiece(\"{name}\",{data});\n").into_bytes()
}

/// One gram's postings: for each field group holding it, the group's letter and its set.
fn postings_json(entries: &[(u32, u8)]) -> String {
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

/// A document's grams, each once with the mask of the field groups that hold it, by gram.
fn doc_grams(d: &Doc) -> Vec<(u64, u8)> {
    let mut mine: Vec<(u64, u8)> = Vec::new();
    let fields: [(&str, u8); 7] = [
        (d.2, 0),
        (d.3, 2),
        (&d.4, 3),
        (d.5, 4),
        (d.6, 4),
        (&d.7, 5),
        (&d.8, 6),
    ];
    for (text, bit) in fields {
        grams(&fold(text), |key, start| {
            mine.push((key, 1 << bit));
            if start && bit == 0 {
                mine.push((key, 1 << 1));
            }
        });
    }
    mine.sort_unstable();
    let mut merged: Vec<(u64, u8)> = Vec::with_capacity(mine.len());
    for (key, mask) in mine {
        match merged.last_mut() {
            Some(last) if last.0 == key => last.1 |= mask,
            _ => merged.push((key, mask)),
        }
    }
    merged
}

/// One gram's postings while the index is built: for each document holding it, in order,
/// the gap since the previous one as a variable-length number (seven bits a byte) and the
/// mask of its field groups: about 2.5 bytes a posting instead of 8 in a vector of pairs,
/// which at 100,000 projects (some 70 million postings) is most of a build's memory.
#[derive(Default)]
struct Postings {
    /// The next document number a gap counts from.
    next: u32,
    bytes: Vec<u8>,
}

impl Postings {
    fn push(&mut self, doc: u32, mask: u8) {
        let mut gap = doc - self.next;
        while gap >= 0x80 {
            self.bytes.push((gap as u8 & 0x7f) | 0x80);
            gap >>= 7;
        }
        self.bytes.push(gap as u8);
        self.bytes.push(mask);
        self.next = doc + 1;
    }

    fn decode(&self) -> Vec<(u32, u8)> {
        let mut out = Vec::new();
        let mut next = 0u32;
        let mut it = self.bytes.iter();
        while let Some(&first) = it.next() {
            let (mut gap, mut shift, mut b) = (0u32, 0, first);
            loop {
                gap |= u32::from(b & 0x7f) << shift;
                if b < 0x80 {
                    break;
                }
                shift += 7;
                b = it.next().copied().unwrap_or(0);
            }
            let doc = next + gap;
            out.push((doc, it.next().copied().unwrap_or(0)));
            next = doc + 1;
        }
        out
    }
}

/// Documents whose grams are found at once (on every core) before they join the postings:
/// enough to keep the cores busy, few enough that their grams take little memory.
const GRAM_BATCH: usize = 1024;

/// The pieces of a split index, each handed to `emit` as it is made; returns the manifest.
/// `lens` are the lengths of the documents' JSON arrays.
fn split(docs: &[Doc], lens: &[usize], emit: &mut dyn FnMut(&str, &[u8])) -> String {
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

/// `search/index.js`: the index as a script that sets `window.sanpiSearchIndex`, for the
/// search page opened from disk, where the browser refuses to fetch `index.json`. JSON is a
/// JavaScript expression; the file is loaded by `src`, so no `</script>` can end it early.
pub(crate) fn as_script(json: &[u8]) -> Vec<u8> {
    let mut out = b"window.sanpiSearchIndex = ".to_vec();
    out.extend_from_slice(json);
    out.extend_from_slice(b";\n");
    out
}

#[cfg(test)]
mod tests {
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

    /// The split index of `docs`, as `files_with` makes it.
    fn split_docs(docs: &[Doc]) -> Split {
        let lens: Vec<usize> = docs.iter().map(|d| row(d).len()).collect();
        let mut files = Vec::new();
        let manifest = split(docs, &lens, &mut |p, b| {
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
        assert_eq!(manifest["split"]["docs"], 3000);
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
        // Documents are in chunks of per_chunk, in order.
        assert!(files["search/d/0.js"].contains("\"projects/p0/\""));
        let last = format!("search/d/{}.js", 2999 / per_chunk);
        assert!(files[&last].contains("\"projects/p2999/\""));
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
            .map(|g| decode_set(postings_of(&files, shards, g)["n"].as_str().unwrap()))
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
        assert_eq!(start.len(), 15_000);
        assert_eq!(plan("郑", shards).0, ["郑"]);
        // 签约一批 is in every batch: a bitmap, 15,000 documents in 2,500 characters.
        let batch = postings_of(&files, shards, "一批")["b"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(batch.starts_with('~') && batch.len() == 2501);
        // A pair of the text only: 9段 ends the text of every tenth document.
        let t = decode_set(postings_of(&files, shards, "9段")["t"].as_str().unwrap());
        assert_eq!(t, (0..15_000).filter(|i| i % 10 == 9).collect::<Vec<u32>>());
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
}
