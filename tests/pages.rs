//! Lists with pages (tests/fixtures/paged: 11 projects, 3 a page): the URLs `LIST/page/N/`,
//! the pager's links, the head's rel links, every project on exactly one page of each list,
//! no pager on a short list, and small sites untouched.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// The project ids in the rows of a page's list tables, in order.
fn ids(html: &str) -> Vec<String> {
    let mut v = Vec::new();
    for part in html.split("<th scope=\"row\"><a href=\"").skip(1) {
        let href = part.split('"').next().unwrap_or("");
        if let Some((_, id)) = href.rsplit_once("projects/") {
            v.push(id.trim_end_matches('/').to_string());
        }
    }
    v
}

/// The pages of the list at `list` (a folder under `out`), in order.
fn pages(out: &Path, list: &str) -> Vec<String> {
    let mut v = vec![read(&out.join(list).join("index.html"))];
    for n in 2.. {
        let p = out.join(list).join(format!("page/{n}/index.html"));
        if !p.exists() {
            break;
        }
        v.push(read(&p));
    }
    v
}

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = fixture("paged");
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    (tmp, root)
}

#[test]
fn every_project_is_on_exactly_one_page_of_each_list() {
    let (_t, root) = built();
    let out = root.join("output");
    let all: Vec<String> = (1..=11).map(|i| format!("p{i:02}")).collect();
    // list, pages, its projects in the list's order
    let lists: &[(&str, usize, &[&str])] = &[
        ("projects", 4, &[]),
        (
            "batches/signed",
            3,
            &["p01", "p02", "p03", "p04", "p05", "p06", "p07"],
        ),
        ("batches/started", 1, &["p08", "p09", "p10"]),
        ("batches/producing", 1, &["p11"]),
        ("periods/1", 2, &["p01", "p02", "p03", "p04", "p08", "p09"]),
        ("periods/2", 2, &["p05", "p06", "p07", "p10", "p11"]),
        (
            "sectors/new-materials",
            2,
            &["p01", "p04", "p06", "p08", "p10"],
        ),
        ("sectors/electronics", 1, &["p03", "p07"]),
    ];
    for (list, count, want) in lists {
        let pages = pages(&out, list);
        assert_eq!(pages.len(), *count, "{list}");
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut order = Vec::new();
        for (i, html) in pages.iter().enumerate() {
            let ids = ids(html);
            assert!(
                ids.len() <= 3 && !ids.is_empty(),
                "{list} page {}: {ids:?}",
                i + 1
            );
            for id in ids {
                *seen.entry(id.clone()).or_default() += 1;
                order.push(id);
            }
        }
        let want: Vec<String> = if want.is_empty() {
            all.clone()
        } else {
            want.iter().map(|s| s.to_string()).collect()
        };
        assert_eq!(
            order, want,
            "{list}: every project once, in the list's order"
        );
        assert!(seen.values().all(|&n| n == 1), "{list}: {seen:?}");
        // A list on one page has no pager and no page/ folder.
        if *count == 1 {
            assert!(!pages[0].contains("class=\"pager\""), "{list}");
            assert!(!pages[0].contains("rel=\"next\""), "{list}");
            assert!(!out.join(list).join("page").exists(), "{list}");
        }
    }
    // Page 1 is the list's own URL: there is no page/1/.
    assert!(!out.join("projects/page/1").exists());
}

#[test]
fn the_pager_links_first_previous_next_and_last() {
    let (_t, root) = built();
    let out = root.join("output");
    let pages = pages(&out, "projects");
    let (first, second, last) = (&pages[0], &pages[1], &pages[3]);
    // The head: neighbours, and the page itself as canonical.
    assert!(first.contains("<link rel=\"next\" href=\"../projects/page/2/\">"));
    assert!(!first.contains("rel=\"prev\""));
    assert!(second.contains("<link rel=\"prev\" href=\"../../../projects/\">"));
    assert!(second.contains("<link rel=\"next\" href=\"../../../projects/page/3/\">"));
    assert!(last.contains("<link rel=\"prev\" href=\"../../../projects/page/3/\">"));
    assert!(!last.contains("rel=\"next\""));
    assert!(second
        .contains("<link rel=\"canonical\" href=\"https://example.org/paged/projects/page/2/\">"));
    assert!(first.contains("<link rel=\"canonical\" href=\"https://example.org/paged/projects/\">"));
    // Titles say the page after the first.
    assert!(first.contains("<title>全部项目 | 分页测试站点</title>"));
    assert!(second.contains("<title>全部项目（第 2 页） | 分页测试站点</title>"));
    // The pager: first and previous, next and last, and where the page stands.
    assert!(second.contains("<a href=\"../../../projects/\">第一页</a>"));
    assert!(second.contains("<a href=\"../../../projects/\" rel=\"prev\">上一页</a>"));
    assert!(second.contains("<a href=\"../../../projects/page/3/\" rel=\"next\">下一页</a>"));
    assert!(second.contains("<a href=\"../../../projects/page/4/\">最后一页</a>"));
    assert!(second.contains("第 2 页，共 4 页"));
    assert!(second.contains("本页列出第 4–6 个，共 11 个项目。"));
    assert!(first.contains("<span class=\"muted\">第一页</span>"));
    assert!(last.contains("<span class=\"muted\">最后一页</span>"));
    // The complete list as data, from every page; the rows for the filter from /projects/.
    for html in &pages {
        assert!(html.contains("data/projects.csv") && html.contains("data/projects.xlsx"));
        assert!(html.contains("data-rows=\""));
    }
    let rows = read(&out.join("data/projects-rows.js"));
    assert!(rows.starts_with("window.sanpiProjectRows = {"));
    assert_eq!(rows.matches("[\"p").count(), 11);
}

#[test]
fn figures_stay_on_a_lists_first_page() {
    let (_t, root) = built();
    let out = root.join("output");
    let batch = pages(&out, "batches/signed");
    // The batch's totals and chart are the whole list's: on the first page only, and the
    // later pages say where they are.
    assert!(batch[0].contains("收录项目数") && batch[0].contains("<figure"));
    for later in &batch[1..] {
        assert!(!later.contains("收录项目数") && !later.contains("<figure"));
        assert!(later.contains(
            "<a href=\"../../../../batches/signed/\">本列表的合计、指标与图表见第一页。</a>"
        ));
        // The batch's feed stays reachable from every page.
        assert!(later.contains("feeds/signed.xml"));
    }
    let period = pages(&out, "periods/1");
    assert!(period[1].contains("<h1>第一期（第 2 页）</h1>"));
    // The period's second page continues 签约 and shows 开工 (its rows start there).
    assert!(period[1].contains("entered-signed") && period[1].contains("entered-started"));
    assert!(!period[0].contains("entered-started"));
}

#[test]
fn later_pages_are_not_in_the_sitemap() {
    let (_t, root) = built();
    let sitemap = read(&root.join("output/sitemap.xml"));
    assert!(sitemap.contains("https://example.org/paged/projects/</loc>"));
    assert!(!sitemap.contains("/page/"));
}

#[test]
fn small_sites_have_no_pages() {
    // The basic fixture's lists are shorter than the default page size; with page_size: 0 a
    // long list is one page too.
    let (_t, root) = fixture("basic");
    assert!(build(&root).ok());
    let out = root.join("output");
    assert!(!out.join("projects/page").exists());
    assert!(!out.join("data/projects-rows.js").exists());
    assert!(!read(&out.join("projects/index.html")).contains("pager"));
    let (_t, root) = fixture("paged");
    edit(&root, "content/site.yaml", "page_size: 3", "page_size: 0");
    assert!(build(&root).ok());
    let out = root.join("output");
    assert!(!out.join("projects/page").exists());
    assert_eq!(ids(&read(&out.join("projects/index.html"))).len(), 11);
}

#[test]
fn the_bulletin_archive_has_pages_too() {
    let (_t, root) = fixture("paged");
    std::fs::create_dir_all(root.join("content/bulletins")).unwrap();
    for i in 1..=7 {
        std::fs::write(
            root.join(format!("content/bulletins/2022-01-{i:02}-b{i}.md")),
            format!("---\ntitle: 通报{i}号\ndate: 2022-01-{i:02}\n---\n正文。\n"),
        )
        .unwrap();
    }
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    let out = root.join("output");
    let pages = pages(&out, "bulletins");
    assert_eq!(pages.len(), 3);
    // Newest first, each bulletin on exactly one page.
    let titles: Vec<String> = pages
        .iter()
        .flat_map(|h| {
            h.split("\">通报")
                .skip(1)
                .map(|s| s.split('<').next().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(titles, ["7号", "6号", "5号", "4号", "3号", "2号", "1号"]);
    assert!(pages[0].contains("本页列出第 1–3 篇，共 7 篇通报。"));
    assert!(pages[1].contains("<link rel=\"prev\" href=\"../../../bulletins/\">"));
    assert!(pages[1].contains("<link rel=\"next\" href=\"../../../bulletins/page/3/\">"));
    assert!(
        pages[2].contains("<title>进展通报（第 3 页）"),
        "{}",
        &pages[2][..600]
    );
    // The complete list of bulletins is the feed, not the projects' data files.
    assert!(pages[1].contains("完整列表：<a href=\"../../../feed.xml\">"));
    let complete = pages[1].split("完整列表：").nth(1).unwrap();
    let complete = complete.split("</p>").next().unwrap();
    assert!(!complete.contains("projects.csv"), "{complete}");
    let feed = read(&out.join("feed.xml"));
    assert_eq!(feed.matches("<entry>").count(), 7);
}

/// Without `base_url`, a feed's links are relative to the feed itself, as a feed reader
/// resolves them (issue 29, item 1): a batch feed at feeds/started.xml links
/// ../projects/ID/, and every link of every feed leads to a file of the output.
#[test]
fn feeds_without_base_url_link_from_where_they_are() {
    let (_t, root) = fixture("basic");
    edit(
        &root,
        "content/site.yaml",
        "base_url: https://example.org/sub/\n",
        "",
    );
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    let out = root.join("output");
    let started = read(&out.join("feeds/started.xml"));
    assert!(started.contains("href=\"../projects/delta/\""), "{started}");
    assert!(
        started.contains("href=\"../feeds/started.xml\""),
        "{started}"
    );
    let feed = read(&out.join("feed.xml"));
    assert!(
        feed.contains("href=\"./bulletins/2022-07-01-period-2/\""),
        "{feed}"
    );
    for file in [
        "feed.xml",
        "feeds/signed.xml",
        "feeds/started.xml",
        "feeds/producing.xml",
    ] {
        let text = read(&out.join(file));
        let dir = out.join(file).parent().unwrap().to_path_buf();
        for href in text
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            if href.starts_with("http") {
                continue;
            }
            let target = dir.join(href);
            let target = if href.ends_with('/') {
                target.join("index.html")
            } else {
                target
            };
            assert!(target.is_file(), "{file}: {href} leads nowhere");
        }
    }
}
