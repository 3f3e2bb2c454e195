//! The search index: one compact JSON file of every project, bulletin and page, searched in
//! the browser by substring, so that any fragment of a Chinese name finds it (no word
//! segmentation to get wrong) and Latin words match regardless of case.

use crate::labels;
use crate::site::Site;
use crate::urls;
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
    fn the_script_sets_a_global() {
        let s = as_script(br#"{"fields":[],"docs":[]}"#);
        assert_eq!(
            String::from_utf8_lossy(&s),
            "window.sanpiSearchIndex = {\"fields\":[],\"docs\":[]};\n"
        );
    }
}
