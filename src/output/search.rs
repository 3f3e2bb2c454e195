//! The search index: one compact JSON file of every project, bulletin and page, searched in
//! the browser by substring, so that any fragment of a Chinese name finds it (no word
//! segmentation to get wrong) and Latin words match regardless of case.

use crate::labels;
use crate::site::Site;
use crate::urls;
use std::borrow::Cow;

/// How much of a body is indexed: the opening of a text says what it is about, and the index
/// of ten thousand projects stays small enough to load at once.
const TEXT_CHARS: usize = 160;

/// The body as plain text: tags dropped, entities of the five escaped characters decoded,
/// whitespace collapsed.
fn plain_text(html: &str, limit: usize) -> String {
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
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.chars().take(limit).collect()
}

/// The text of a project's body that the index holds: when an edit leaves it the same, the
/// index needs no rewriting.
pub(crate) fn indexed_text(body: &crate::markdown::Markdown) -> String {
    plain_text(&body.plain_html(""), TEXT_CHARS)
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

/// `search/index.json`: `{"fields": [...], "docs": [[...], ...]}`, one array per document in
/// the order of `fields`. Serialised straight from borrowed values: a tree of JSON values for
/// ten thousand projects would cost more memory than the file itself.
pub(crate) fn index(site: &Site) -> Vec<u8> {
    let texts: Vec<String> = site
        .projects
        .iter()
        .map(|p| indexed_text(&p.body))
        .collect();
    index_with(site, &texts)
}

/// [`index`] with the projects' [`indexed_text`] given, one per project in order, so that
/// serve can rewrite the index after one project's edit without reading every body again.
pub(crate) fn index_with(site: &Site, project_texts: &[String]) -> Vec<u8> {
    let projects = site.projects.iter().enumerate().map(|(i, p)| -> Doc {
        (
            urls::project(&p.id),
            "p",
            &p.name,
            labels::batch(p.batch),
            labels::period_or_unknown(p.period),
            p.sector.as_deref().unwrap_or(""),
            p.owner.as_deref().unwrap_or(""),
            p.location.clone().unwrap_or_default(),
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
            Cow::Owned(plain_text(
                &format!(
                    "{} {}",
                    a.summary.as_deref().unwrap_or(""),
                    a.body.plain_html("")
                ),
                TEXT_CHARS,
            )),
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
            Cow::Owned(plain_text(&a.body.plain_html(""), TEXT_CHARS)),
        )
    });
    let docs: Vec<Doc> = projects.chain(bulletins).chain(pages).collect();
    #[derive(serde::Serialize)]
    struct Index<'a> {
        fields: [&'static str; 9],
        docs: &'a [Doc<'a>],
    }
    serde_json::to_vec(&Index {
        fields: FIELDS,
        docs: &docs,
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_of_html() {
        assert_eq!(
            plain_text("<p>甲 &amp; <b>乙</b>丁</p>\n<p>丙</p>", 100),
            "甲 & 乙丁 丙"
        );
        assert_eq!(plain_text("<p>一二三四</p>", 2), "一二");
    }
}
