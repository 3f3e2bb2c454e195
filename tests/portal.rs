//! A site on a government portal (`portal` in site.yaml, issue 30): the portal's metadata on
//! every page, its numbers in every footer, the notice block of bulletins; nothing of it on a
//! site without `portal`; its mistakes at their line and column.

mod common;

use common::*;
use std::collections::BTreeSet;

const PORTAL: &str = "portal:
  site_name: 测试市人民政府
  site_domain: www.test.gov.cn
  site_id_code: 4101000001
  column: 三个一批专栏
  icp: 豫ICP备12345678号
  police: 豫公网安备 41010002000001号
  sponsor: 测试市人民政府办公室
  organizer: 测试市大数据局
  contact: 0371-12345678
";

const METAS: &[&str] = &[
    "SiteName",
    "SiteDomain",
    "SiteIDCode",
    "ColumnName",
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "Keywords",
    "Description",
    "Url",
];

/// The value of `<meta name="NAME" content="…">` in `html`.
fn meta<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let start = format!("<meta name=\"{name}\" content=\"");
    let at = html.find(&start)? + start.len();
    html[at..].split('"').next()
}

/// Today, and the days either side of it (the machine's time zone may differ from UTC's).
fn around_today() -> BTreeSet<String> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let today = chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap(), 0)
        .unwrap()
        .date_naive();
    [today.pred_opt(), Some(today), today.succ_opt()]
        .into_iter()
        .flatten()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect()
}

/// Every file of the site's content, as text: what "the content says".
fn content_text(root: &std::path::Path) -> String {
    tree(&root.join("content"))
        .into_iter()
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .collect()
}

fn portal_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = fixture("basic");
    edit(
        &root,
        "content/site.yaml",
        "base_url:",
        &format!("{PORTAL}base_url:"),
    );
    edit(
        &root,
        "content/bulletins/2022-07-01-period-2.md",
        "period: 2\n",
        "period: 2\nindex_no: 11410100MB0000000X/2022-00007\nissuer: 测试高新区管委会\ndoc_no: 测开管〔2022〕7号\npublished: 2022-07-02\n",
    );
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    (tmp, root)
}

#[test]
fn every_page_carries_the_portals_metadata_and_footer() {
    let (_tmp, root) = portal_site();
    let out = root.join("output");
    let today = around_today();
    let content = content_text(&root);
    let (mut pages, mut footers, mut dated) = (0, 0, 0);
    for (rel, bytes) in tree(&out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        pages += 1;
        assert_eq!(meta(&html, "SiteName"), Some("测试市人民政府"), "{rel}");
        assert_eq!(meta(&html, "SiteDomain"), Some("www.test.gov.cn"), "{rel}");
        assert_eq!(meta(&html, "SiteIDCode"), Some("4101000001"), "{rel}");
        assert_eq!(meta(&html, "ColumnName"), Some("三个一批专栏"), "{rel}");
        assert!(
            meta(&html, "ArticleTitle").is_some_and(|t| !t.is_empty()),
            "{rel}"
        );
        assert!(meta(&html, "ContentSource").is_some(), "{rel}");
        assert!(
            meta(&html, "Keywords").is_some_and(|k| k.contains("三个一批专栏")),
            "{rel}"
        );
        // One description, named as portals name it.
        assert!(!html.contains("<meta name=\"description\""), "{rel}");
        // Url wherever the page has a permanent address.
        assert_eq!(
            meta(&html, "Url").is_some(),
            html.contains("<link rel=\"canonical\""),
            "{rel}"
        );
        // The date of the page's figures or of the bulletin, never the build's.
        if let Some(d) = meta(&html, "PubDate") {
            dated += 1;
            assert!(
                !today.contains(d) || content.contains(d),
                "{rel}: PubDate {d} is today's date, which the content does not give"
            );
            assert!(
                content.contains(d),
                "{rel}: PubDate {d} is in no content file"
            );
        }
        if html.contains("<footer") {
            footers += 1;
            for words in [
                "<li>网站标识码：4101000001</li>",
                "<li>ICP备案号：<a href=\"https://beian.miit.gov.cn/\">豫ICP备12345678号</a></li>",
                "<li>公安机关备案号：<a href=\"https://beian.mps.gov.cn/#/query/webSearch?code=41010002000001\">豫公网安备 41010002000001号</a></li>",
                "<li>主办单位：测试市人民政府办公室</li>",
                "<li>承办单位：测试市大数据局</li>",
                "<li>联系方式：0371-12345678</li>",
            ] {
                assert!(html.contains(words), "{rel}: no {words}");
            }
        }
    }
    assert!(
        pages > 40 && footers > 30 && dated > 20,
        "{pages} {footers} {dated}"
    );
    // The figures' day: the latest period's on the home page, a project's own later
    // `updated` on its page, the bulletin's publication day on a bulletin.
    let home = read(&out.join("index.html"));
    assert_eq!(meta(&home, "PubDate"), Some("2022-07-01"));
    assert_eq!(
        meta(&home, "ArticleTitle"),
        Some("测试高新区“三个一批”项目进展")
    );
    assert_eq!(meta(&home, "ContentSource"), Some("测试管委会"));
    assert_eq!(meta(&home, "Url"), Some("https://example.org/sub/"));
    let bulletin = read(&out.join("bulletins/2022-07-01-period-2/index.html"));
    assert_eq!(meta(&bulletin, "PubDate"), Some("2022-07-02"));
    assert_eq!(meta(&bulletin, "ContentSource"), Some("测试高新区管委会"));
    assert_eq!(meta(&bulletin, "Keywords"), Some("第二期,三个一批专栏"));
    let first = read(&out.join("bulletins/2022-03-01-period-1/index.html"));
    assert_eq!(meta(&first, "PubDate"), Some("2022-03-01"));
    let period = read(&out.join("periods/1/index.html"));
    assert_eq!(meta(&period, "PubDate"), Some("2022-03-01"));
    assert!(meta(&read(&out.join("search/index.html")), "PubDate").is_none());
    for m in METAS {
        assert!(bulletin.contains(&format!("<meta name=\"{m}\"")), "{m}");
    }
}

#[test]
fn a_bulletin_shows_its_notice_block() {
    let (_tmp, root) = portal_site();
    let out = root.join("output");
    let html = read(&out.join("bulletins/2022-07-01-period-2/index.html"));
    let block = html
        .split("<section class=\"notice\" aria-label=\"公文信息\">")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or_else(|| panic!("no notice block: {html}"));
    for row in [
        "<dt>索引号</dt><dd>11410100MB0000000X/2022-00007</dd>",
        "<dt>发文机关</dt><dd>测试高新区管委会</dd>",
        "<dt>发文字号</dt><dd>测开管〔2022〕7号</dd>",
        "<dt>发布日期</dt><dd><time datetime=\"2022-07-02\">2022年7月2日</time></dd>",
        "<dt>来源</dt><dd>测试高新区管委会</dd>",
    ] {
        assert!(block.contains(row), "{row} not in {block}");
    }
    // A bulletin without numbers, on a portal: the day it was published is not known, and its
    // source is the site's publisher.
    let other = read(&out.join("bulletins/2022-03-01-period-1/index.html"));
    assert!(
        other.contains("<dt>发布日期</dt><dd>未载明</dd>"),
        "{other}"
    );
    assert!(
        other.contains("<dt>来源</dt><dd>测试管委会</dd>"),
        "{other}"
    );
    assert!(!other.contains("索引号"));
}

#[test]
fn without_a_portal_nothing_of_it_appears() {
    // The fixture, with a bulletin that carries no numbers, and the sample site itself.
    let (_tmp, root) = fixture("basic");
    let (_tmp2, sample) = {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        copy_dir(&repo().join("content"), &root.join("content"));
        (tmp, root)
    };
    for root in [root, sample] {
        let o = build(&root);
        assert!(o.ok(), "{:?}", errors(&o));
        let mut pages = 0;
        for (rel, bytes) in tree(&root.join("output")) {
            let text = String::from_utf8_lossy(&bytes);
            if !rel.ends_with(".html") {
                continue;
            }
            pages += 1;
            for m in METAS {
                assert!(!text.contains(&format!("<meta name=\"{m}\"")), "{rel}: {m}");
            }
            for words in [
                "portal-info",
                "class=\"notice\"",
                "网站标识码",
                "备案号",
                "主办单位",
                "承办单位",
                "beian.",
            ] {
                assert!(!text.contains(words), "{rel}: {words}");
            }
            // The reading mode is offered on every page of the site, with or without a portal.
            if text.contains("<header") {
                assert!(
                    text.contains("<button type=\"button\" class=\"reading-mode\" aria-pressed=\"false\">大字模式</button>"),
                    "{rel}"
                );
            }
        }
        assert!(pages > 30, "{pages}");
        let home = read(&root.join("output/index.html"));
        assert!(home.contains("<meta name=\"description\" content=\""));
    }
}

#[test]
fn a_portal_with_mistakes_is_an_error_at_their_place() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/site.yaml",
        "base_url:",
        "portal:\n  site_name: 测试市人民政府\n  site_id_code: 41010000O1\nbase_url:",
    );
    let e = errors(&build(&root)).join("\n");
    assert!(
        e.contains("content/site.yaml:4:17:") && e.contains("政府网站标识码"),
        "{e}"
    );
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/site.yaml",
        "base_url:",
        "portal:\n  site_name: 测试市人民政府\n  icp_no: 豫ICP备12345678号\nbase_url:",
    );
    let e = errors(&build(&root)).join("\n");
    assert!(
        e.contains("content/site.yaml:4:3:") && e.contains("unknown key `icp_no`"),
        "{e}"
    );
    // Document numbers belong to bulletins.
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/pages/about.md",
        "title:",
        "doc_no: 测开管〔2022〕7号\ntitle:",
    );
    let e = errors(&build(&root)).join("\n");
    assert!(
        e.contains("content/pages/about.md:2:9:") && e.contains("only bulletins carry `doc_no`"),
        "{e}"
    );
}
