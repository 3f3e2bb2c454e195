//! The search index of every project, bulletin and page, searched in the browser by
//! substring, so that any fragment of a Chinese name finds it (no word segmentation to get
//! wrong) and Latin words match regardless of case. A small site's index is one file; a large
//! one's is split (issue 19): a manifest, shards of postings of characters and character
//! pairs, and chunks of documents, each a script, so that a query loads only what it needs,
//! from disk as over the network.
//!
//! `grams.rs` finds the grams and collects the postings, `slots.rs` numbers the documents
//! of a split index, `split.rs` shards it, `format.rs` is the pieces' format, shared with
//! the script, `sets.rs` a gram's sets of documents in that format (and edited in place),
//! `kept.rs` the index serve keeps and updates.

mod format;
mod grams;
mod kept;
mod sets;
mod slots;
mod split;
#[cfg(test)]
mod tests;

use crate::content::article::Article;
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

/// A project's document, with its [`indexed_text`].
fn project_doc<'a>(site: &'a Site, i: usize, text: Cow<'a, str>) -> Doc<'a> {
    let p = &site.projects[i];
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
        text,
    )
}

fn bulletin_doc(a: &Article) -> Doc<'_> {
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
}

fn page_doc(a: &Article) -> Doc<'_> {
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
}

/// Document `k` of the index, in the order of the site: projects, bulletins, pages; a
/// project's [`indexed_text`] taken from `project_texts` (held by serve, so that it can
/// rewrite the index after one project's edit without reading every body again).
fn doc_at<'a>(site: &'a Site, project_texts: &'a [String], k: usize) -> Doc<'a> {
    let text = project_texts.get(k).map_or("", String::as_str);
    doc_with(site, k, || Cow::Borrowed(text))
}

/// Document `k` of the index, a project's text from `text`.
fn doc_with<'a>(site: &'a Site, k: usize, text: impl FnOnce() -> Cow<'a, str>) -> Doc<'a> {
    let (p, b) = (site.projects.len(), site.bulletins.len());
    if k < p {
        project_doc(site, k, text())
    } else if k < p + b {
        bulletin_doc(&site.bulletins[k - p])
    } else {
        page_doc(&site.pages[k - p - b])
    }
}

/// A document's head: its group (its kind, and a project's batch and period, the site's
/// order: see [`slots`]) and URL. This is for documents given whole (in tests); a site's
/// are headed by [`head_at`], whose groups are the same runs of documents.
#[cfg(test)]
fn head_of<'a>(d: &Doc<'a>) -> slots::Head<'a> {
    let key = if d.1 == "p" {
        format!("p\u{1}{}\u{1}{}", d.3, d.4)
    } else {
        d.1.to_string()
    };
    slots::Head {
        group: slots::fnv64(key.as_bytes()),
        url: Cow::Owned(d.0.clone()),
    }
}

/// The head of document `k` of `site`, made without its text: its group (a project's
/// batch and period, the site's order; the bulletins; the pages) and URL.
fn head_at(site: &Site, k: usize) -> slots::Head<'static> {
    let (p, b) = (site.projects.len(), site.bulletins.len());
    let (url, group) = if k < p {
        let project = &site.projects[k];
        let period = project.period.map_or(0, |n| u64::from(n) + 1);
        (
            urls::project(&project.id),
            (1 << 40) | ((project.batch as u64) << 33) | period,
        )
    } else if k < p + b {
        (urls::bulletin(&site.bulletins[k - p].slug), 2 << 40)
    } else {
        (urls::page(&site.pages[k - p - b].slug), 3 << 40)
    };
    slots::Head {
        group,
        url: Cow::Owned(url),
    }
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
    if site.projects.len() <= HOLD_TEXTS_UP_TO {
        return files_with(site, &project_texts(site), emit);
    }
    let made = Made { site };
    match split::split_made(&made, emit) {
        Some(manifest) => emit(urls::SEARCH_INDEX_JS, &as_script(manifest.as_bytes())),
        None => {
            write(&made, false, emit);
        }
    }
}

/// Up to this many projects a build makes every project's [`indexed_text`] once and holds
/// them all while it makes the index; above, it makes each where it is needed (twice: for
/// the documents' grams and lengths, then for their chunk), which costs a few percent of a
/// build's time and spares holding them: at 100,000 projects some 140 MB of its peak.
const HOLD_TEXTS_UP_TO: usize = 20_000;

/// The documents of the index with the projects' texts held, one per project in order.
struct WithTexts<'a> {
    site: &'a Site,
    texts: &'a [String],
}

/// The documents of the index, each project's text made when its document is.
struct Made<'a> {
    site: &'a Site,
}

impl split::Source for WithTexts<'_> {
    fn len(&self) -> usize {
        doc_count(self.site)
    }

    fn doc(&self, k: usize) -> Doc<'_> {
        doc_at(self.site, self.texts, k)
    }

    fn head(&self, k: usize) -> slots::Head<'_> {
        head_at(self.site, k)
    }
}

impl split::Source for Made<'_> {
    fn len(&self) -> usize {
        doc_count(self.site)
    }

    fn doc(&self, k: usize) -> Doc<'_> {
        doc_with(self.site, k, || {
            Cow::Owned(indexed_text(&self.site.projects[k].body))
        })
    }

    fn head(&self, k: usize) -> slots::Head<'_> {
        head_at(self.site, k)
    }
}

/// How many documents the index of `site` holds: its projects, bulletins and pages.
fn doc_count(site: &Site) -> usize {
    site.projects.len() + site.bulletins.len() + site.pages.len()
}

/// Every project's [`indexed_text`], in order.
fn project_texts(site: &Site) -> Vec<String> {
    site.projects
        .par_iter()
        .map(|p| indexed_text(&p.body))
        .collect()
}

/// A file's bytes, hashed to tell whether a piece changed.
pub(crate) fn hash(bytes: &[u8]) -> u128 {
    use siphasher::sip128::{Hasher128, SipHasher13};
    use std::hash::Hasher;
    let mut h = SipHasher13::new();
    h.write(bytes);
    h.finish128().as_u128()
}

/// The search index as serve holds it after a build: each project's [`indexed_text`], the
/// split index when it is split, and each file of the index with a hash of its bytes.
pub(crate) struct Held {
    pub(crate) texts: Vec<String>,
    pub(crate) kept: Option<Kept>,
    pub(crate) files: Vec<(String, u128)>,
}

/// [`files`], holding the index for serve: made once, for the build and for the edits
/// that follow.
pub(crate) fn files_held(site: &Site, emit: &mut dyn FnMut(&str, &[u8])) -> Held {
    let texts = project_texts(site);
    let mut files = Vec::new();
    let held = WithTexts {
        site,
        texts: &texts,
    };
    let kept = write(&held, true, &mut |rel, bytes| {
        files.push((rel.to_string(), hash(bytes)));
        emit(rel, bytes);
    });
    Held { texts, kept, files }
}

/// [`files`] with the projects' [`indexed_text`] given, one per project in order.
pub(crate) fn files_with(site: &Site, project_texts: &[String], emit: &mut dyn FnMut(&str, &[u8])) {
    let held = WithTexts {
        site,
        texts: project_texts,
    };
    write(&held, false, emit);
}

/// The files of the index, keeping a split index when `keep` is set.
fn write(docs: &dyn split::Source, keep: bool, emit: &mut dyn FnMut(&str, &[u8])) -> Option<Kept> {
    let n = docs.len();
    // The length of each document's JSON array decides between one file and a split index,
    // and how many documents a chunk holds; the arrays themselves are made again where they
    // are written, rather than all kept meanwhile.
    let lens: Vec<usize> = (0..n)
        .into_par_iter()
        .map(|k| row(&docs.doc(k)).len())
        .collect();
    if one_file_len(&lens) <= SPLIT_ABOVE {
        let rows: Vec<String> = (0..n).map(|k| row(&docs.doc(k))).collect();
        let json = one_file_of(&rows);
        emit(urls::SEARCH_INDEX_JS, &as_script(&json));
        emit(urls::SEARCH_INDEX, &json);
        return None;
    }
    if !keep {
        let manifest = split::split(docs, &lens, emit);
        emit(urls::SEARCH_INDEX_JS, &as_script(manifest.as_bytes()));
        return None;
    }
    let (index, manifest) = kept::Index::new(docs, &lens, emit);
    emit(urls::SEARCH_INDEX_JS, &as_script(manifest.as_bytes()));
    Some(Kept { index })
}

/// A split index kept in memory by serve, so that a change to one project rewrites only the
/// pieces that hold it (at 10,000 projects a few of some 1,400, in milliseconds instead of
/// half a second).
pub(crate) struct Kept {
    index: kept::Index,
}

/// The pieces of an index that [`Kept::update`] made again.
pub(crate) struct Remade {
    /// Prefixes of paths under which every piece was made again: a piece under one of them
    /// that was not made is no longer part of the index.
    pub(crate) prefixes: Vec<String>,
}

/// A project as the index holds it (its URL and grams), taken before a change, for
/// [`Kept::update`].
pub(crate) struct Before {
    url: String,
    grams: Vec<(u64, u8)>,
}

impl Kept {
    /// [`files_with`], keeping the index when it is split.
    pub(crate) fn files(
        site: &Site,
        project_texts: &[String],
        emit: &mut dyn FnMut(&str, &[u8]),
    ) -> Option<Kept> {
        let held = WithTexts {
            site,
            texts: project_texts,
        };
        write(&held, true, emit)
    }

    /// Project `i` as the index holds it now.
    pub(crate) fn before(site: &Site, project_texts: &[String], i: usize) -> Before {
        let doc = doc_at(site, project_texts, i);
        Before {
            grams: grams::doc_grams(&doc),
            url: doc.0,
        }
    }

    /// After one project changed (`before`: as the index held it, unless it is new; `came`:
    /// its place in `site` now, unless it was removed), the files of the index that may have
    /// changed, each handed to `emit`, the manifest last; the result names the prefixes whose
    /// pieces were all made again. None when the change alters the layout of the whole index
    /// (see [`kept::Index::update`]): then [`Kept::files`] makes it again.
    pub(crate) fn update(
        &mut self,
        site: &Site,
        project_texts: &[String],
        before: Option<Before>,
        came: Option<usize>,
        emit: &mut dyn FnMut(&str, &[u8]),
    ) -> Option<Remade> {
        let held = WithTexts {
            site,
            texts: project_texts,
        };
        let gone = before.as_ref().map(|b| kept::Gone {
            url: &b.url,
            grams: &b.grams,
        });
        let done = self.index.update(&held, gone, came, emit)?;
        emit(urls::SEARCH_INDEX_JS, &as_script(done.manifest.as_bytes()));
        Some(Remade {
            prefixes: done.remade,
        })
    }
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

/// `search/index.js`: the index as a script that sets `window.sanpiSearchIndex`, for the
/// search page opened from disk, where the browser refuses to fetch `index.json`. JSON is a
/// JavaScript expression; the file is loaded by `src`, so no `</script>` can end it early.
pub(crate) fn as_script(json: &[u8]) -> Vec<u8> {
    let mut out = b"window.sanpiSearchIndex = ".to_vec();
    out.extend_from_slice(json);
    out.extend_from_slice(b";\n");
    out
}
