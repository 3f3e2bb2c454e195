//! End-to-end builds of the fixture sites and of the sample site.

mod common;

use std::path::Path;

use common::*;
use std::fs;

const PAGES: &[&str] = &[
    "",
    "projects/",
    "projects/alpha/",
    "projects/beta/",
    "projects/gamma-data-hub/",
    "projects/delta/",
    "projects/eta/",
    "batches/signed/",
    "batches/started/",
    "batches/producing/",
    "periods/1/",
    "periods/2/",
    "sectors/new-materials/",
    "sectors/wu-lian-wang/",
    "sectors/sheng-ming-jian-kang/",
    "sectors/dian-zi-xin-xi/",
    "bulletins/",
    "bulletins/2022-07-01-period-2/",
    "bulletins/2022-03-01-period-1/",
    "about/",
];

#[test]
fn builds_every_page_of_the_url_table() {
    let (_tmp, root) = fixture("basic");
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    let out = root.join("output");
    for p in PAGES {
        assert!(out.join(p).join("index.html").is_file(), "missing {p}");
    }
    for f in [
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "sanpi.css",
        "data/projects.csv",
        "data/projects.json",
        "img/site.svg",
        "projects/gamma-hub-old/index.html",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
    for name in sanpi::model::SiteChart::ALL.map(|c| c.name()) {
        assert!(out.join(format!("charts/{name}.svg")).is_file());
        assert!(fs::read(out.join(format!("charts/{name}.csv")))
            .unwrap()
            .starts_with(b"\xef\xbb\xbf"));
    }
    let s = o.summary.unwrap();
    assert_eq!(s.projects, 5);
}

#[test]
fn drafts_and_ignored_files_are_left_out_unless_asked() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let out = root.join("output");
    assert!(!out.join("projects/theta-draft").exists());
    assert!(!out.join("projects/_notes").exists() && !out.join("projects/.hidden").exists());
    let mut opts = sanpi::BuildOptions::new(&root);
    opts.drafts = true;
    assert!(sanpi::build(&opts).ok());
    assert!(out.join("projects/theta-draft/index.html").is_file());
}

#[test]
fn figures_are_exact_and_say_where_they_come_from() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let csv = read(&root.join("output/charts/investment-by-batch.csv"));
    assert_eq!(
        csv,
        "\u{feff}batch,label,projects,investment,source\r\nsigned,签约一批,2,30.75,entries\r\nstarted,开工一批,2,20.05,entries\r\nproducing,投产一批,1,99,declared\r\n"
    );
    let home = read(&root.join("output/index.html"));
    assert!(home.contains("30.75 亿元") && home.contains("20.05 亿元"));
    // Declared total and sum of entries, side by side.
    assert!(home.contains("149.8 亿元"), "30.75 + 20.05 + 99 declared");
    let json: serde_json::Value =
        serde_json::from_str(&read(&root.join("output/data/projects.json"))).unwrap();
    let delta = json["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "delta")
        .unwrap();
    assert_eq!(delta["investment"].to_string(), "7.75");
    // Written one project at a time, byte for byte what pretty-printing the whole document
    // gives.
    let text = read(&root.join("output/data/projects.json"));
    assert_eq!(serde_json::to_string_pretty(&json).unwrap() + "\n", text);
    assert_eq!(json["batches"][1]["sum_of_entries"], 20.05);
}

#[test]
fn every_relative_link_resolves() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let broken = broken_links(&root.join("output"));
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn content_is_escaped_and_raw_html_left_out() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/projects/beta.md",
        "name: 贝塔智能传感器产业园",
        "name: \"<script>alert('x')</script>贝塔\"",
    );
    edit(
        &root,
        "content/projects/beta.md",
        "sector: 物联网",
        "sector: \"<b>物联网</b>\"",
    );
    assert!(build(&root).ok());
    // Data files hold the strings as data; every file a browser renders holds them inert.
    for (rel, bytes) in tree(&root.join("output")) {
        if ![".html", ".svg", ".xml"].iter().any(|x| rel.ends_with(x)) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<script>alert"), "{rel}");
        assert!(!text.contains("<b>物联网"), "{rel}");
        assert!(!text.to_lowercase().contains("javascript:alert"), "{rel}");
    }
    let page = read(&root.join("output/projects/beta/index.html"));
    assert!(page.contains("<h1>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;贝塔</h1>"));
}

#[test]
fn windows_files_and_yaml_projects_read_correctly() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let eta = read(&root.join("output/projects/eta/index.html"));
    assert!(eta.contains("<h1>艾塔物联网终端生产基地</h1>") && eta.contains("投资额尚未公布。"));
    let delta = read(&root.join("output/projects/delta/index.html"));
    assert!(delta.contains("以创新生物药为重点") && delta.contains("期次未公布"));
    let alpha = read(&root.join("output/projects/alpha/index.html"));
    assert!(
        alpha.contains("研发中心。第二行紧接第一行。"),
        "Chinese soft breaks join"
    );
}

#[test]
fn shortcodes_and_internal_links_render() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let b = read(&root.join("output/bulletins/2022-07-01-period-2/index.html"));
    assert!(b.contains("<svg") && b.contains("<table") && b.contains("签约一批"));
    assert!(
        b.contains("href=\"../../projects/gamma-data-hub/\"")
            && b.contains("href=\"../../projects/delta/\"")
    );
    assert!(
        !b.contains("href=\"../../projects/alpha/\""),
        "only started projects of period 2"
    );
    let g = read(&root.join("output/projects/gamma-data-hub/index.html"));
    assert!(g.contains("href=\"../../projects/alpha/\"") && g.contains("href=\"../../about/\""));
    assert!(g.contains("id=\"项目概况\"") && g.contains("src=\"../../img/site.svg\""));
}

#[test]
fn aliases_redirect_to_the_permanent_url() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let r = read(&root.join("output/projects/gamma-hub-old/index.html"));
    assert!(r.contains("http-equiv=\"refresh\" content=\"0; url=../../projects/gamma-data-hub/\""));
    assert!(r.contains(
        "<link rel=\"canonical\" href=\"https://example.org/sub/projects/gamma-data-hub/\">"
    ));
}

#[test]
fn two_builds_are_byte_identical() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let first = tree(&root.join("output"));
    let mut opts = sanpi::BuildOptions::new(&root);
    opts.output = Some(root.join("again"));
    assert!(sanpi::build(&opts).ok());
    assert_eq!(first, tree(&root.join("again")));
}

#[test]
fn a_failed_build_leaves_the_last_good_output() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let before = tree(&root.join("output"));
    edit(&root, "content/projects/beta.md", "period: 2", "period: 9");
    let o = build(&root);
    assert!(!o.ok());
    assert_eq!(before, tree(&root.join("output")));
    let leftovers: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output"))
        .collect();
    assert!(
        leftovers.iter().all(|n| n == ".output.sanpi-spare"),
        "nothing but the spare is left beside the output: {leftovers:?}"
    );
}

#[test]
fn a_removed_entry_leaves_no_stale_page() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    fs::remove_file(root.join("content/projects/beta.md")).unwrap();
    assert!(build(&root).ok());
    assert!(!root.join("output/projects/beta").exists());
}

#[test]
fn refuses_to_replace_a_folder_that_is_not_a_site() {
    let (_tmp, root) = fixture("basic");
    let precious = root.join("precious");
    fs::create_dir_all(&precious).unwrap();
    fs::write(precious.join("thesis.docx"), b"years of work").unwrap();
    let mut opts = sanpi::BuildOptions::new(&root);
    opts.output = Some(precious.clone());
    let o = sanpi::build(&opts);
    assert!(!o.ok());
    assert!(precious.join("thesis.docx").is_file());
    opts.output = Some(root.join("content/out"));
    assert!(!sanpi::build(&opts).ok());
}

#[test]
fn feed_and_sitemap_use_the_base_url() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let feed = read(&root.join("output/feed.xml"));
    assert!(feed.contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://example.org/sub/bulletins/2022-07-01-period-2/\"/>"));
    assert_eq!(feed.matches("<entry>").count(), 2);
    assert!(!feed.contains("<script>"));
    let sm = read(&root.join("output/sitemap.xml"));
    assert!(sm.contains("<loc>https://example.org/sub/projects/alpha/</loc>"));
    assert!(!sm.contains("gamma-hub-old") && !sm.contains("404"));
    // Under a sub-path no crawler reads a robots.txt: none is written (issue 29, item 10).
    assert!(!root.join("output/robots.txt").exists());
    // At a domain's root, it names the sitemap.
    let o = sanpi::build(&sanpi::BuildOptions {
        base_url: Some("https://example.org/".into()),
        ..sanpi::BuildOptions::new(&root)
    });
    assert!(o.ok());
    assert!(
        read(&root.join("output/robots.txt")).contains("Sitemap: https://example.org/sitemap.xml")
    );
}

#[test]
fn the_sample_site_builds_with_its_37_projects() {
    let tmp = tempfile::tempdir().unwrap();
    let mut opts = sanpi::BuildOptions::new(repo());
    opts.output = Some(tmp.path().join("out"));
    let o = sanpi::build(&opts);
    assert!(o.ok(), "{:?}", errors(&o));
    let out = tmp.path().join("out");
    let projects = fs::read_dir(out.join("projects"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
        .count();
    assert_eq!(projects, 37, "one page per project");
    let csv = read(&out.join("charts/investment-by-batch.csv"));
    assert!(csv.contains("signed,签约一批,6,166,declared"));
    assert!(csv.contains("started,开工一批,24,228.35,declared"));
    assert!(csv.contains("producing,投产一批,7,70.4,declared"));
    assert!(
        read(&out.join("index.html")).contains("464.75 亿元"),
        "166 + 228.35 + 70.4, exactly"
    );
    for p in ["periods/7/", "bulletins/", "about/", "batches/started/"] {
        assert!(out.join(p).join("index.html").is_file(), "{p}");
    }
    assert!(broken_links(&out).is_empty());
}

/// Every page of the built site, with its path.
fn pages_of(out: &Path) -> Vec<(String, String)> {
    let mut v = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                v.push((p.display().to_string(), read(&p)));
            }
        }
    }
    v
}

/// Issue 14: the sample site's rates, and nothing shown that the seed article does not say.
#[test]
fn the_sample_site_states_only_what_its_source_says() {
    let tmp = tempfile::tempdir().unwrap();
    let mut opts = sanpi::BuildOptions::new(repo());
    opts.output = Some(tmp.path().join("out"));
    let o = sanpi::build(&opts);
    assert!(o.ok(), "{:?}", errors(&o));
    let out = tmp.path().join("out");
    let home = read(&out.join("index.html"));
    // The rates, as published (declared by period 7, as of 2022-12-31).
    assert_eq!(
        read(&out.join("data/indicators.csv")).replace("\r\n", "\n"),
        "\u{feff}indicator,label,batch,reached,of,rate,source\n\
         fulfilled,履约率,signed,3,6,50.0,declared\n\
         under_construction,开工率,started,14,24,58.3,declared\n\
         in_production,投产率,started,4,24,16.7,declared\n\
         at_capacity,达效率,producing,6,7,85.7,declared\n"
    );
    assert_eq!(
        read(&out.join("charts/indicators.csv")),
        read(&out.join("data/indicators.csv"))
    );
    // Issue 26: the source published 85.7% itself; the other rates are sanpi's arithmetic
    // on published counts, and every picture says which is which.
    assert!(
        home.contains("达效率")
            && home.contains("85.7%")
            && home.contains("6 个 / 7 个 · 公布<")
            && home.contains("3 个 / 6 个 · 按公布数计算<"),
        "{home}"
    );
    let svg = read(&out.join("charts/indicators.svg"));
    assert!(
        svg.contains("85.7%（公布）")
            && svg.contains("50.0%（按公布数计算）")
            && !svg.contains("50.0%（公布）"),
        "{svg}"
    );
    let embed = read(&out.join("charts/indicators/embed/index.html"));
    assert!(
        embed.contains("按公布数计算") && embed.contains("（公布）"),
        "{embed}"
    );
    // Issue 26: each chart is dated by what it shows: the rates rest on progress counts as of
    // 2022-12-31; the pool and its money are as of the period's day, 2023-01-28.
    assert!(svg.contains("数据截至2022年12月31日"), "{svg}");
    for name in [
        "investment-by-batch",
        "pool-by-period",
        "conversions-by-period",
        "period-7",
    ] {
        let svg = read(&out.join(format!("charts/{name}.svg")));
        assert!(
            svg.contains("数据截至2023年1月28日") && !svg.contains("2022年12月31日"),
            "{name}: {svg}"
        );
    }
    // Issue 26: the source gives no batch figures of periods 1–6: they are unknown, never 0.
    for n in 1..=6 {
        let page = read(&out.join(format!("periods/{n}/index.html")));
        assert!(
            !page.contains(">0 个") && !page.contains(" 0 个"),
            "period {n}: {page}"
        );
        assert!(page.contains("来源只公布了第七期的项目库"), "period {n}");
    }
    let moves = read(&out.join("charts/conversions-by-period.csv")).replace("\r\n", "\n");
    assert!(
        moves.contains("\n1,第一期,signed_started,\n")
            && moves.contains("\n5,第五期,signed_started,5\n"),
        "{moves}"
    );
    assert!(
        moves.contains("\n7,第七期,signed_started,0\n"),
        "period 7's pool is whole: {moves}"
    );
    let seven = read(&out.join("periods/7/index.html"));
    assert!(
        !seven.contains("来源只公布了"),
        "period 7's figures are all known"
    );
    // Issue 26: each project page names where its facts come from and as of when, and its
    // citation carries that day.
    let moved = read(&out.join("projects/aigelaide-auto-sensor-controller-base/index.html"));
    let provenance = &moved[moved.find("id=\"provenance\"").expect("provenance")..];
    let provenance = &provenance[..provenance.find("</section>").unwrap()];
    assert!(
        provenance.contains("<dt>列入开工一批</dt>")
            && provenance.contains(">第五期</a>")
            && provenance.contains("<dt>所在项目库</dt>")
            && provenance
                .contains(">第七期</a>（<time datetime=\"2023-01-28\">2023年1月28日</time>）")
            && provenance.contains(
                "《动如脱兔跃千里 万帆竞发起长虹——郑州高新区高质量推进“三个一批”项目建设》"
            )
            && provenance.contains("<dt>本页数据截至</dt>"),
        "{provenance}"
    );
    assert!(
        moved.contains("艾格莱德汽车传感及控制器研发生产基地项目[EB/OL]. (2023-01-28). https://"),
        "{moved}"
    );
    // Item 1: three signed projects without a period, and no progress resting on that guess.
    let signed = read(&out.join("batches/signed/index.html"));
    assert_eq!(
        signed
            .matches("<span class=\"muted\">期次未载明</span>")
            .count(),
        3,
        "{signed}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&read(&out.join("data/projects.json"))).unwrap();
    let projects = json["projects"].as_array().unwrap();
    assert!(
        projects.iter().all(|p| p["progress"].is_null()),
        "no project states its progress by itself: the counts are declared"
    );
    let no_period: Vec<&str> = projects
        .iter()
        .filter(|p| p["period"].is_null())
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(no_period.len(), 3, "{no_period:?}");
    assert!(
        read(&out.join("projects/beidou-industrial-park-incubator/index.html"))
            .contains("期次未载明")
    );
    // Item 2: each declared figure names its source; 公布, never 官方, on home and batch pages.
    for page in [
        "index.html",
        "batches/signed/index.html",
        "batches/producing/index.html",
        "periods/7/index.html",
    ] {
        let html = read(&out.join(page));
        assert!(!html.contains("官方"), "{page}");
        assert!(
            html.contains("公布来源：《动如脱兔跃千里 万帆竞发起长虹"),
            "{page}"
        );
        assert!(html.contains("发布日期未载明"), "{page}: no invented date");
    }
    // Item 3: the 合计 row says its 公布数 is sanpi's sum.
    assert!(home.contains("464.75 亿元<br><span class=\"muted\">各批次公布数之和</span>"));
    assert!(home.contains("不是来源公布的数字"));
    // Item 4: no page claims a government publisher.
    for (path, html) in pages_of(&out) {
        assert!(!html.contains("GovernmentOrganization"), "{path}");
        assert!(
            !html.contains("第7期") && !html.contains("未公布"),
            "{path}: item 11"
        );
    }
    // Item 5: period 7's published new investment is shown, not denied.
    assert!(!home.contains("各期项目均未公布投资额"));
    let inv = read(&out.join("charts/investment-by-period.csv")).replace("\r\n", "\n");
    assert!(inv.contains("7,第七期,new,12,160.7,,declared"), "{inv}");
    // Item 6: unknown investment is an empty cell.
    assert!(inv.contains("7,第七期,started,9,,9,entries"), "{inv}");
    assert!(
        !inv.lines()
            .skip(1)
            .any(|l| l.split(',').nth(4) == Some("0")),
        "{inv}"
    );
    // Item 7: projects-by-period is its own chart, with the unknown periods under their label.
    let prj = read(&out.join("charts/projects-by-period.csv")).replace("\r\n", "\n");
    assert_ne!(prj, inv);
    assert!(prj.contains(",期次未载明,signed,8\n"), "{prj}");
    // Item 8: no sectors known: said once, no empty chart drawn.
    assert_eq!(home.matches("收录项目均未载明所属行业").count(), 1);
    assert!(
        !home.contains("<title>各行业总投资</title>"),
        "no empty chart drawn"
    );
    // Items 9 and 10: the bulletin's wording and dates.
    let bulletin = read(&out.join("bulletins/2023-01-28-period-7/index.html"));
    for wrong in ["两张图", "距开工约半年", "年产50万吨面向3C", "(2023-01-28)"] {
        assert!(!bulletin.contains(wrong), "{wrong}");
    }
    assert!(bulletin.contains("超硬3C材料") && bulletin.contains("本站采用的读法"));
    assert!(bulletin.contains("所记日期 <time datetime=\"2023-01-28\">"));
    assert!(!bulletin.contains("datePublished"));
    assert!(!read(&out.join("feed.xml")).contains("<published>"));
    for (path, html) in pages_of(&out) {
        assert!(!html.contains("清华河北院"), "{path}");
    }
    // Item 11: the report's words.
    for w in ["项目库概况", "收录项目数", "按公布数"] {
        assert!(home.contains(w), "{w}");
    }
    assert!(read(&out.join("periods/7/index.html")).contains("列入签约一批"));
    assert!(
        read(&out.join("projects/shengding-construction-tech-park-1/index.html"))
            .contains("进展节点")
    );
    // The pool and the moves, on the home, period and batch pages.
    let pool = read(&out.join("charts/pool-by-period.csv")).replace("\r\n", "\n");
    assert!(
        pool.contains("7,第七期,started,24,,24\n") && pool.contains("5,第五期,started,10,,10\n")
    );
    assert!(read(&out.join("charts/conversions-by-period.csv"))
        .replace("\r\n", "\n")
        .contains("5,第五期,signed_started,5\n"));
    assert!(
        home.contains("charts/pool-by-period.svg")
            && home.contains("charts/conversions-by-period.svg")
    );
    assert!(read(&out.join("periods/5/index.html")).contains("签约转开工 5 个"));
    assert!(read(&out.join("batches/started/index.html")).contains("id=\"pool\""));
}

#[test]
fn init_makes_a_site_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    sanpi::init::init(&dir).unwrap();
    assert!(dir.join("themes/default/templates/base.html").is_file());
    let o = build(&dir);
    assert!(o.ok(), "{:?}", errors(&o));
    assert!(
        sanpi::init::init(&dir).is_err(),
        "refuses a folder that is not empty"
    );
}

#[test]
fn a_site_template_overrides_the_theme() {
    let (_tmp, root) = fixture("basic");
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(root.join("templates/404.html"), "{% extends \"base.html\" %}{% block main %}<p>走丢了：{{ site.title }}</p>{% endblock main %}").unwrap();
    assert!(build(&root).ok());
    assert!(read(&root.join("output/404.html")).contains("走丢了：测试高新区"));
}

#[test]
fn a_batch_with_missing_amounts_and_nothing_declared_is_partial() {
    let (_tmp, root) = fixture("basic");
    // Period 2 stops declaring; alpha loses its amount: signed becomes a partial sum.
    edit(&root, "content/periods/02.yaml", "declared:", "extra:");
    edit(&root, "content/projects/alpha.md", "investment: 10.5\n", "");
    assert!(build(&root).ok());
    let csv = read(&root.join("output/charts/investment-by-batch.csv"));
    assert!(csv.contains("signed,签约一批,2,20.25,partial"), "{csv}");
    // Issue 26: a batch whose projects state no amount has no figure, never 0.
    assert!(csv.contains("producing,投产一批,1,,\r\n"), "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&read(&root.join("output/data/projects.json"))).unwrap();
    let producing = &json["batches"][2];
    assert_eq!(producing["batch"], "producing");
    assert!(
        producing["investment"].is_null()
            && producing["source"].is_null()
            && producing["sum_of_entries"].is_null(),
        "{producing}"
    );
    let home = read(&root.join("output/index.html"));
    assert!(!home.contains(">0 亿元"), "{home}");
    let svg = read(&root.join("output/charts/investment-by-batch.svg"));
    assert!(svg.contains("20.25 亿元（1 个项目投资额未载明）"), "{svg}");
    assert!(svg.contains("<desc>") && svg.contains("签约一批 20.25 亿元（1 个项目投资额未载明）"));
}

#[test]
fn batch_period_and_sector_pages_show_their_charts() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let out = root.join("output");
    for (page, chart) in [
        ("batches/started/", "batch-started"),
        ("periods/2/", "period-2"),
        ("sectors/wu-lian-wang/", "sector-wu-lian-wang"),
    ] {
        let html = read(&out.join(page).join("index.html"));
        assert!(
            html.contains("<svg") && html.contains(&format!("charts/{chart}.csv")),
            "{page}"
        );
        assert!(out.join(format!("charts/{chart}.svg")).is_file());
    }
    let csv = read(&out.join("charts/period-2.csv"));
    assert!(
        csv.contains("signed,签约一批,2,30.75,0") && csv.contains("started,开工一批,2,20.05,0"),
        "{csv}"
    );
}

/// The JSON-LD block of a page, parsed.
fn jsonld(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("a JSON-LD block")
        + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[test]
fn pages_carry_structured_data_and_share_tags() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/bulletins/2022-07-01-period-2.md",
        "title: 第二期“三个一批”项目建设活动举行",
        "title: \"</script><script>alert(1)</script>\"\npublished: 2022-07-03",
    );
    assert!(build(&root).ok());
    let out = root.join("output");
    let b = read(&out.join("bulletins/2022-07-01-period-2/index.html"));
    let v = jsonld(&b);
    assert_eq!(v["@type"], "NewsArticle");
    assert_eq!(v["headline"], "</script><script>alert(1)</script>");
    assert_eq!(
        v["datePublished"], "2022-07-03",
        "the day the source appeared, not the day of the event (2022-07-01)"
    );
    assert_eq!(
        v["publisher"]["@type"], "Organization",
        "no claim to be a government body unless publisher_type says so"
    );
    let first = jsonld(&read(&out.join("bulletins/2022-03-01-period-1/index.html")));
    assert!(
        first.get("datePublished").is_none(),
        "an unknown publication date is left out, never taken from the event"
    );
    assert_eq!(
        v["url"],
        "https://example.org/sub/bulletins/2022-07-01-period-2/"
    );
    assert!(b.contains("<meta property=\"og:url\" content=\"https://example.org/sub/bulletins/2022-07-01-period-2/\">"));
    assert!(b.contains("<meta name=\"twitter:card\""));
    let home = jsonld(&read(&out.join("index.html")));
    assert_eq!(home["@type"], "Dataset");
    let downloads: Vec<&str> = home["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["contentUrl"].as_str().unwrap())
        .collect();
    assert!(downloads.contains(&"https://example.org/sub/data/projects.csv"));
    assert!(downloads.contains(&"https://example.org/sub/data/indicators.csv"));
    edit(
        &root,
        "content/site.yaml",
        "base_url:",
        "publisher_type: government\nbase_url:",
    );
    assert!(build(&root).ok());
    let home = jsonld(&read(&out.join("index.html")));
    assert_eq!(home["publisher"]["@type"], "GovernmentOrganization");
    let p = jsonld(&read(&out.join("projects/alpha/index.html")));
    assert_eq!(p["about"]["name"], "阿尔法新材料研发基地项目");
}

#[test]
fn projects_and_bulletins_say_how_to_cite_them() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let b = read(&root.join("output/bulletins/2022-07-01-period-2/index.html"));
    // No `published`: the citation gives no date rather than the day of the event.
    assert!(b.contains("测试管委会. 第二期“三个一批”项目建设活动举行[EB/OL]. https://example.org/sub/bulletins/2022-07-01-period-2/."), "{b}");
    edit(
        &root,
        "content/bulletins/2022-07-01-period-2.md",
        "date: 2022-07-01\n",
        "date: 2022-07-01\npublished: 2022-07-02\n",
    );
    assert!(build(&root).ok());
    let b = read(&root.join("output/bulletins/2022-07-01-period-2/index.html"));
    assert!(b.contains("测试管委会. 第二期“三个一批”项目建设活动举行[EB/OL]. (2022-07-02). https://example.org/sub/bulletins/2022-07-01-period-2/."), "{b}");
    assert!(
        b.contains("所记日期 <time datetime=\"2022-07-01\">")
            && b.contains("发布于 <time datetime=\"2022-07-02\">")
    );
    let p = read(&root.join("output/projects/gamma-data-hub/index.html"));
    assert!(p.contains("<h2 id=\"cite\">引用本页</h2>"));
    assert!(p.contains("href=\"#p-") || p.contains("id=\"m-2022-09-30-1\""));
}

#[test]
fn the_404_page_works_at_any_depth_with_or_without_a_base_url() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let nf = read(&root.join("output/404.html"));
    assert!(nf.contains("href=\"https://example.org/sub/sanpi.css\""));
    assert!(!nf.contains("rel=\"canonical\""));
    edit(
        &root,
        "content/site.yaml",
        "base_url: https://example.org/sub/\n",
        "",
    );
    assert!(build(&root).ok());
    // Without one, the stylesheet is written in and the links start at the server's root,
    // for the script to move them under the site's folder.
    let nf = read(&root.join("output/404.html"));
    assert!(
        !nf.contains("sanpi.css\">") && nf.contains("<style>/* sanpi default theme"),
        "{nf}"
    );
    assert!(
        nf.contains("<a class=\"brand\" href=\"/\">") && nf.contains("fetch(base + \"sanpi.css\"")
    );
}

#[test]
fn each_batch_has_a_feed() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let f = read(&root.join("output/feeds/started.xml"));
    assert_eq!(f.matches("<entry>").count(), 2);
    assert!(f.contains("<id>https://example.org/sub/projects/gamma-data-hub/</id>"));
    assert!(read(&root.join("output/batches/started/index.html"))
        .contains("href=\"../../feeds/started.xml\""));
}

#[test]
fn a_batch_feed_carries_the_newest_hundred_projects() {
    let (_tmp, root) = fixture("basic");
    // 120 more started projects: 60 of period 1, then 60 of period 2 (the newer).
    for i in 0..120 {
        let period = if i < 60 { 1 } else { 2 };
        std::fs::write(
            root.join(format!("content/projects/bulk-{i:03}.yaml")),
            format!("name: 批量项目{i:03}\nbatch: started\nperiod: {period}\n"),
        )
        .unwrap();
    }
    assert!(build(&root).ok());
    let f = read(&root.join("output/feeds/started.xml"));
    assert_eq!(f.matches("<entry>").count(), 100);
    // The newest first: every project of period 2 is in; the older ones fill the rest.
    for i in 60..120 {
        assert!(f.contains(&format!("批量项目{i:03}")), "{i}");
    }
    // In order: no project of period 1 before one of period 2.
    let numbers: Vec<usize> = f
        .split("批量项目")
        .skip(1)
        .map(|s| s[..3].parse().unwrap())
        .collect();
    let last_new = numbers.iter().rposition(|&n| n >= 60).unwrap();
    assert!(numbers[..last_new].iter().all(|&n| n >= 60), "{numbers:?}");
    // The whole batch is still in the data.
    let csv = read(&root.join("output/data/projects.csv"));
    assert!(csv.contains("批量项目000") && csv.contains("批量项目119"));
}

#[test]
fn a_feed_entry_is_dated_by_its_own_update_else_its_period() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/projects/alpha.md",
        "period: 2\n",
        "period: 2\nupdated: 2022-09-15\n",
    );
    assert!(build(&root).ok());
    let entry = |feed: &str, name: &str| {
        let f = read(&root.join(format!("output/feeds/{feed}.xml")));
        let at = f.find(&format!("<title>{name}</title>")).unwrap();
        let rest = &f[at..];
        rest[rest.find("<updated>").unwrap() + 9..rest.find("</updated>").unwrap()].to_string()
    };
    // eta entered in period 1 (2022-03-01), alpha in period 2 but was updated later.
    assert_eq!(
        entry("producing", "艾塔物联网终端生产基地"),
        "2022-03-01T00:00:00Z"
    );
    assert_eq!(
        entry("signed", "阿尔法新材料研发基地项目"),
        "2022-09-15T00:00:00Z"
    );
}

#[test]
fn share_images_are_drawn_when_a_cjk_font_is_installed() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/site.yaml",
        "share_images: false",
        "share_images: true",
    );
    let o = build(&root);
    assert!(o.ok());
    let out = root.join("output");
    let html = read(&out.join("bulletins/2022-07-01-period-2/index.html"));
    if sanpi::share::Painter::new().is_ok() {
        let png = std::fs::read(out.join("bulletins/2022-07-01-period-2/og.png")).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        // IHDR: width and height, big-endian, at bytes 16..24.
        assert_eq!(
            &png[16..24],
            &[0, 0, 0x04, 0xb0, 0, 0, 0x02, 0x76],
            "1200×630"
        );
        assert!(html.contains("<meta property=\"og:image\" content=\"https://example.org/sub/bulletins/2022-07-01-period-2/og.png\">"));
        assert!(html.contains("summary_large_image"));
        assert!(
            !out.join("404.html").with_file_name("og.png").exists() || out.join("og.png").is_file()
        );
    } else {
        assert!(!html.contains("og:image"), "no card without a font");
        assert!(o
            .diagnostics
            .iter()
            .any(|d| d.message.contains("no CJK font")));
    }
    edit(
        &root,
        "content/site.yaml",
        "share_images: true",
        "share_images: false",
    );
    assert!(build(&root).ok());
    assert!(!out.join("og.png").exists() && !read(&out.join("index.html")).contains("og:image"));
}

#[test]
fn a_changed_project_redraws_its_card_and_the_others_come_from_the_cache() {
    if sanpi::share::Painter::new().is_err() {
        return; // no CJK font: no cards
    }
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/site.yaml",
        "share_images: false",
        "share_images: true",
    );
    let out = root.join("output");
    let entries = || sanpi::cards::cached_keys(&root).unwrap();
    let first = build(&root).summary.unwrap().cards;
    assert!(first.drawn > 5 && first.reused == 0, "{first:?}");
    let cards = first.drawn;
    assert_eq!(entries().len(), cards);
    let alpha = std::fs::read(out.join("projects/alpha/og.png")).unwrap();
    let beta = std::fs::read(out.join("projects/beta/og.png")).unwrap();

    // Nothing changed: the build does nothing at all.
    assert!(build(&root).summary.unwrap().unchanged);
    // Rendered again all the same (its record of the last build forgotten): nothing drawn,
    // every card from the cache, the same bytes.
    std::fs::remove_dir_all(root.join(".sanpi/cache/builds")).unwrap();
    let again = build(&root).summary.unwrap();
    assert!(!again.unchanged);
    let again = again.cards;
    assert_eq!((again.drawn, again.reused), (0, cards));
    assert_eq!(
        std::fs::read(out.join("projects/alpha/og.png")).unwrap(),
        alpha
    );

    // One project's name: its card alone is drawn; its old entry is pruned.
    let before = entries();
    edit(
        &root,
        "content/projects/alpha.md",
        "name: 阿尔法新材料研发基地项目",
        "name: 阿尔法新材料研发基地二期项目",
    );
    let one = build(&root).summary.unwrap().cards;
    assert_eq!((one.drawn, one.reused), (1, cards - 1));
    assert_ne!(
        std::fs::read(out.join("projects/alpha/og.png")).unwrap(),
        alpha
    );
    assert_eq!(
        std::fs::read(out.join("projects/beta/og.png")).unwrap(),
        beta
    );
    let after = entries();
    assert_eq!(after.len(), cards);
    assert_eq!(before.iter().filter(|e| !after.contains(e)).count(), 1);

    // An investment: only the cards that show it are drawn again: the project's own, and
    // those of its batch, its period, its sector and the home page (the headline chart).
    let cards_now = || {
        let mut m = std::collections::BTreeMap::new();
        for e in walkdir::WalkDir::new(&out) {
            let e = e.unwrap();
            if e.file_name() == "og.png" {
                let rel = e.path().strip_prefix(&out).unwrap();
                m.insert(
                    rel.to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                );
            }
        }
        m
    };
    let before = cards_now();
    edit(
        &root,
        "content/projects/beta.md",
        "investment: 20.25",
        "investment: 30.25",
    );
    let some = build(&root).summary.unwrap().cards;
    let after = cards_now();
    assert_eq!(before.len(), after.len());
    let changed: Vec<&str> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(
        (some.drawn, some.reused),
        (changed.len(), cards - changed.len())
    );
    assert!(
        changed.contains(&"og.png") && changed.contains(&"projects/beta/og.png"),
        "{changed:?}"
    );
    for c in &changed {
        assert!(
            [
                "og.png",
                "projects/beta/og.png",
                "batches/signed/og.png",
                "periods/2/og.png"
            ]
            .contains(c)
                || c.starts_with("sectors/")
                // A chart's card is the chart: those of beta's amount change with it.
                || c.starts_with("charts/"),
            "{c} does not show beta's investment: {changed:?}"
        );
    }

    // The output never shares a file with the cache.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let cache = root.join(sanpi::cards::CACHE_DIR);
        let inodes: std::collections::HashSet<u64> = std::fs::read_dir(&cache)
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().ino())
            .collect();
        let card = std::fs::metadata(out.join("projects/beta/og.png")).unwrap();
        assert!(!inodes.contains(&card.ino()) && card.nlink() == 1);
    }
}

#[test]
fn new_entries_build_at_once() {
    let (_tmp, root) = fixture("basic");
    for kind in [
        sanpi::new::Kind::Project,
        sanpi::new::Kind::Bulletin,
        sanpi::new::Kind::Page,
    ] {
        let files = sanpi::new::create(&root, kind, "天健湖“生命健康”: 新园区").unwrap();
        assert_eq!(files.len(), 1);
        let text = read(&root.join(&files[0]));
        assert!(text.contains("\"天健湖“生命健康”: 新园区\""), "{text}");
    }
    let again =
        sanpi::new::create(&root, sanpi::new::Kind::Project, "天健湖“生命健康”: 新园区").unwrap();
    assert!(
        again[0].to_string_lossy().ends_with("-2.md"),
        "never overwrites"
    );
    let project = read(&root.join(&again[0]));
    assert!(
        project.contains("period: 2 "),
        "the latest period: {project}"
    );
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    assert!(root
        .join("output/projects/tian-jian-hu-sheng-ming-jian-kang-xin-yuan-qu/index.html")
        .is_file());
}

#[test]
fn the_search_index_lists_every_entry() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let v: serde_json::Value =
        serde_json::from_str(&read(&root.join("output/search/index.json"))).unwrap();
    let fields: Vec<&str> = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(fields[..3], ["url", "kind", "name"]);
    let docs = v["docs"].as_array().unwrap();
    assert_eq!(docs.len(), 5 + 2 + 1, "projects, bulletins and pages");
    let alpha = docs.iter().find(|d| d[0] == "projects/alpha/").unwrap();
    assert_eq!(alpha[2], "阿尔法新材料研发基地项目");
    assert_eq!(alpha[6], "阿尔法材料有限公司");
    assert!(
        alpha[8]
            .as_str()
            .unwrap()
            .starts_with("阿尔法新材料研发基地主要建设高性能铝合金"),
        "text without markup"
    );
    // The same index as a script, for the search page opened from disk (issue 15, item 9).
    let script = read(&root.join("output/search/index.js"));
    let json = read(&root.join("output/search/index.json"));
    assert_eq!(script, format!("window.sanpiSearchIndex = {json};\n"));
    let page = read(&root.join("output/search/index.html"));
    assert!(page.contains("src=\"../search.js\"") && page.contains("<noscript>"));
    assert!(
        page.find("src=\"../search/index.js\"") < page.find("src=\"../search.js\""),
        "the index script loads before the search script"
    );
    // One search box on the search page, its landmark labelled (item 10).
    assert_eq!(page.matches("type=\"search\"").count(), 1);
    assert!(page.contains("role=\"search\" aria-label=\"搜索\""));
    assert!(read(&root.join("output/projects/index.html")).contains("data-filter"));
}

#[test]
fn a_site_can_override_the_feed_and_sitemap_templates() {
    let (_tmp, root) = fixture("basic");
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/feed.xml"),
        "<feed>{% for e in feed.entries %}<e>{{ e.title }}</e>{% endfor %}</feed>\n",
    )
    .unwrap();
    fs::write(
        root.join("templates/sitemap.xml"),
        "{% for u in urls %}{{ u.loc }}\n{% endfor %}",
    )
    .unwrap();
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    let feed = read(&root.join("output/feed.xml"));
    assert!(
        feed.starts_with("<feed><e>") && feed.matches("<e>").count() == 2,
        "{feed}"
    );
    let batch = read(&root.join("output/feeds/started.xml"));
    assert!(batch.starts_with("<feed><e>"), "{batch}");
    let sm = read(&root.join("output/sitemap.xml"));
    assert!(
        sm.lines()
            .all(|l| l.starts_with("https://example.org/sub/")),
        "{sm}"
    );
}

/// `data/indicators.csv` without its byte-order mark, with plain line ends.
fn indicators(root: &Path) -> String {
    read(&root.join("output/data/indicators.csv"))
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
}

#[test]
fn indicators_come_from_entries_declarations_or_both() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    // Some projects state their progress and nothing is declared: partial rates over those
    // that do; the producing batch states nothing and declares nothing: no row, never a 0.
    assert_eq!(
        indicators(&root),
        "indicator,label,batch,reached,of,rate,source\n\
         fulfilled,履约率,signed,1,1,100.0,partial\n\
         under_construction,开工率,started,1,1,100.0,partial\n\
         in_production,投产率,started,0,1,0.0,partial\n\
         completion,年度投资完成率,started,1.2,3.5,34.3,partial\n\
         completion,年度投资完成率,all,1.2,3.5,34.3,partial\n"
    );
    // The latest period declares progress counts; every started project states its own.
    edit(
        &root,
        "content/periods/02.yaml",
        "producing: {count: 1, investment: 99}",
        "producing: {count: 1, investment: 99, progress: {at_capacity: 1}}",
    );
    edit(
        &root,
        "content/periods/02.yaml",
        "started: {count: 2, investment: 20.05}",
        "started: {count: 2, investment: 20.05, progress: {under_construction: 1}}",
    );
    edit(
        &root,
        "content/projects/more/delta.yaml",
        "investment: 7.75",
        "investment: 7.75\nprogress: in_production",
    );
    assert!(build(&root).ok());
    let csv = indicators(&root);
    assert!(
        csv.contains("under_construction,开工率,started,2,2,100.0,entries\n")
            && csv.contains("in_production,投产率,started,1,2,50.0,entries\n"),
        "the entries win where all state theirs: {csv}"
    );
    assert!(
        csv.contains("at_capacity,达效率,producing,1,1,100.0,declared\n"),
        "{csv}"
    );
    assert!(csv.contains("fulfilled,履约率,signed,1,1,100.0,partial\n"));
    let home = read(&root.join("output/index.html"));
    assert!(home.contains("id=\"indicator-at_capacity-producing\""));
    // A batch with no projects keeps its declared rate; without a declaration, no row.
    fs::remove_file(root.join("content/projects/eta.md")).unwrap();
    assert!(build(&root).ok());
    assert!(indicators(&root).contains("at_capacity,达效率,producing,1,1,100.0,declared\n"));
    edit(
        &root,
        "content/periods/02.yaml",
        ", progress: {at_capacity: 1}",
        "",
    );
    assert!(build(&root).ok());
    assert!(!indicators(&root).contains("producing"));
}

#[test]
fn the_pool_and_conversions_per_period() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let out = root.join("output");
    let pool = read(&out.join("charts/pool-by-period.csv")).replace("\r\n", "\n");
    assert!(
        pool.contains("1,第一期,signed,1,12.3,0\n")
            && pool.contains("2,第二期,started,2,20.05,0\n"),
        "gamma was signed in period 1, started in 2: {pool}"
    );
    assert!(
        pool.contains("1,第一期,producing,1,,1\n"),
        "unknown is empty"
    );
    let conv = read(&out.join("charts/conversions-by-period.csv")).replace("\r\n", "\n");
    assert!(conv.contains("2,第二期,signed_started,2\n"), "{conv}");
    let period = read(&out.join("periods/2/index.html"));
    assert!(period.contains("签约转开工 2 个") && period.contains("id=\"pool\""));
    let batch = read(&out.join("batches/started/index.html"));
    assert!(batch.contains("id=\"pool\"") && batch.contains("id=\"indicators\""));
    // A project without a period: 期次未载明 everywhere, never a broken link.
    edit(&root, "content/projects/beta.md", "period: 2\n", "");
    assert!(build(&root).ok());
    let beta = read(&out.join("projects/beta/index.html"));
    assert!(beta.contains("<span class=\"muted\">期次未载明</span>"));
    let csv = read(&out.join("data/projects.csv"));
    assert!(
        csv.contains("beta,贝塔智能传感器产业园,signed,签约一批,,20.25"),
        "{csv}"
    );
    let by_period = read(&out.join("charts/projects-by-period.csv"));
    assert!(
        by_period.contains(",期次未载明,signed,2"),
        "beta, and delta's signing without a period: {by_period}"
    );
    assert!(broken_links(&out).is_empty());
}

#[test]
fn every_chart_has_a_png_a_page_and_an_embed_page() {
    let (_tmp, root) = fixture("basic");
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    let out = root.join("output");
    let font = sanpi::share::Painter::new().is_ok();
    let svg = read(&out.join("charts/investment-by-batch.svg"));
    assert!(svg.contains("来源："), "the source line is in the picture");
    let page = read(&out.join("charts/investment-by-batch/index.html"));
    assert!(page.contains("<textarea id=\"embed-code\""));
    assert!(
        page.contains("&lt;iframe src=&quot;"),
        "the embed code is shown as text"
    );
    assert!(page.contains("charts/investment-by-batch/embed/"));
    assert!(page.contains("href=\"../../charts/investment-by-batch.csv\""));
    assert!(page.contains("src=\"../../chart.js\""));
    let embed = read(&out.join("charts/investment-by-batch/embed/index.html"));
    assert!(embed.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(embed.contains("<svg") && !embed.contains("site-header"));
    let home = read(&out.join("index.html"));
    assert!(
        home.contains("href=\"./charts/investment-by-batch/\""),
        "charts link to their page"
    );
    assert!(!read(&out.join("sitemap.xml")).contains("/embed/"));
    let png = out.join("charts/investment-by-batch.png");
    if font {
        let bytes = std::fs::read(&png).unwrap();
        let height: u32 = svg
            .split(" height=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        assert_eq!((w, h), (800, 2 * height), "twice the SVG's size");
        assert!(page.contains("href=\"../../charts/investment-by-batch.png\""));
        assert!(!o
            .diagnostics
            .iter()
            .any(|d| d.message.contains("no CJK font")));
    } else {
        assert!(!png.exists() && !page.contains(".png\""));
        let warned = o
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("no CJK font"))
            .count();
        assert_eq!(warned, 1, "one warning");
    }
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
}

/// Issue 15: what a reader meets on the pages (the browser checks are in
/// tests/e2e/readers.mjs; these hold the HTML they rely on).
#[test]
fn pages_for_readers_on_phones_and_in_feeds() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let batch = read(&root.join("output/batches/signed/index.html"));
    // The headline figure comes right after the heading; no batch column repeats the page.
    let h1 = batch.find("</h1>").unwrap();
    assert!(batch[h1..]
        .trim_start_matches("</h1>\n")
        .starts_with("<p class=\"headline\"><span class=\"headline-figure\">"));
    let table = &batch[batch.find("<table class=\"projects\"").unwrap()..];
    assert!(!table.contains("<th scope=\"col\">批次</th>"));
    // Every other project table keeps it, and labels each cell for the stacked rows.
    let all = read(&root.join("output/projects/index.html"));
    assert!(all.contains("<th scope=\"col\">批次</th>"));
    assert!(all.contains("<td class=\"num\" data-label=\"总投资\">"));
    // Anchors: hidden from screen readers and the tab order, never named 本处链接.
    assert!(all
        .contains("class=\"anchor\" href=\"#p-alpha\" aria-hidden=\"true\" tabindex=\"-1\">#</a>"));
    assert!(!all.contains("本处链接"));
    // An unknown amount is "—" in its cell, and 未载明 said once under the table.
    assert!(!all.contains("未载明</span></td>"));
    assert_eq!(all.matches("class=\"muted table-note\"").count(), 1);
    // Home: the project count is a card; the missing amounts are said once, not per row.
    let home = read(&root.join("output/index.html"));
    assert!(home.contains("<span class=\"card-label\">收录项目数</span>"));
    let figures = &home[home.find("<table class=\"figures\">").unwrap()..];
    let figures = &figures[..figures.find("</table>").unwrap()];
    assert!(!figures.contains("未公布") && !figures.contains("未载明"));
    let note = &home[home.find("<p class=\"muted table-note\">").unwrap()..];
    assert!(
        note.starts_with("<p class=\"muted table-note\">收录项目投资合计：1 个项目投资额未载明"),
        "{note}"
    );
    // The header's search box is everywhere but on the search page, with a label.
    assert!(home.contains("role=\"search\" aria-label=\"全站搜索\""));
    // A batch feed's entry gives the facts, not only batch and period.
    let feed = read(&root.join("output/feeds/signed.xml"));
    assert!(
        feed.contains(
            "<summary>签约一批 · 第二期 · 总投资 10.5 亿元 · 建设单位 阿尔法材料有限公司</summary>"
        ),
        "{feed}"
    );
}

#[test]
fn a_text_longer_than_an_excel_cell_builds_with_a_warning_at_its_key() {
    use calamine::{Data, Reader};
    let (_tmp, root) = fixture("basic");
    let long = "阿".repeat(40_000);
    edit(
        &root,
        "content/projects/alpha.md",
        "owner: 阿尔法材料有限公司",
        &format!("owner: {long}"),
    );
    for outcome in [sanpi::check(&sanpi::BuildOptions::new(&root)), build(&root)] {
        assert!(outcome.ok(), "{:?}", errors(&outcome));
        let w: Vec<String> = outcome
            .diagnostics
            .iter()
            .map(|d| d.to_string())
            .filter(|d| d.contains("Excel"))
            .collect();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].starts_with(
                "warning: content/projects/alpha.md:7:8: `owner` is 40000 characters long"
            ),
            "{}",
            w[0]
        );
    }
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook(root.join("output/data/projects.xlsx")).unwrap();
    let sheet = wb.worksheet_range("项目台账").unwrap();
    let owners: Vec<usize> = sheet
        .rows()
        .filter_map(|r| match &r[9] {
            Data::String(s) if s.starts_with('阿') => Some(s.chars().count()),
            _ => None,
        })
        .collect();
    assert!(owners.contains(&32_767), "{owners:?}");
    // The page keeps the whole text.
    assert!(read(&root.join("output/projects/alpha/index.html")).contains(&long));
}

#[test]
fn declared_progress_over_its_batch_is_an_error_with_both_numbers() {
    let (_tmp, root) = fixture("basic");
    // Against the declared count.
    edit(
        &root,
        "content/periods/02.yaml",
        "started: {count: 2, investment: 20.05}",
        "started: {count: 2, investment: 20.05, progress: {under_construction: 33}}",
    );
    let o = build(&root);
    let e = errors(&o);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("error: content/periods/02.yaml:7:"),
        "{}",
        e[0]
    );
    assert!(e[0].contains("33 projects") && e[0].contains("the 2 the batch's `count`"));
    assert!(!root.join("output").exists(), "nothing is published");
    // Without a count: against the batch's entries (2 started projects).
    edit(
        &root,
        "content/periods/02.yaml",
        "count: 2, investment: 20.05, ",
        "",
    );
    let e = errors(&build(&root));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].contains("33 projects of `started`")
            && e[0].contains("more than the 2 the batch's entries list"),
        "{}",
        e[0]
    );
    edit(
        &root,
        "content/periods/02.yaml",
        "under_construction: 33",
        "under_construction: 2",
    );
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
}

#[test]
fn a_theme_draws_its_rows_through_project_row_or_loops_over_projects_itself() {
    // The site's own row: every list draws its rows with it, the batch's own list without
    // the batch column, and the default table's note still follows a row with no amount.
    let (_tmp, root) = fixture("basic");
    fs::create_dir_all(root.join("templates/partials")).unwrap();
    fs::write(
        root.join("templates/partials/project_row.html"),
        "<tr class=\"own-row\"><td>{{ site.title }}·{{ p.name }}·{% if hide_batch %}同批{% else %}{{ p.batch_label }}{% endif %}</td><td><a href=\"{{ root }}{{ p.path }}\">{{ t.investment }}</a></td></tr>\n",
    )
    .unwrap();
    assert!(build(&root).ok());
    let list = read(&root.join("output/projects/index.html"));
    assert!(
        list.contains(
            "<tr class=\"own-row\"><td>测试高新区“三个一批”项目进展·阿尔法新材料研发基地项目·"
        ),
        "{list}"
    );
    assert!(list.contains("<a href=\"../projects/alpha/\">"), "{list}");
    let batch = read(&root.join("output/batches/signed/index.html"));
    assert!(batch.contains("阿尔法新材料研发基地项目·同批"), "{batch}");
    assert!(
        batch.contains("<a href=\"../../projects/alpha/\">"),
        "{batch}"
    );

    // A table of its own that loops over `projects`, as themes did before `project_rows`.
    fs::write(
        root.join("templates/partials/project_table.html"),
        "<ul class=\"own-table\">{% for p in projects %}<li>{{ p.name }} {{ p.investment | default(value=\"-\") }}</li>{% endfor %}</ul>",
    )
    .unwrap();
    assert!(build(&root).ok());
    let list = read(&root.join("output/projects/index.html"));
    assert!(
        list.contains("<ul class=\"own-table\"><li>阿尔法新材料研发基地项目 10.5 亿元</li>"),
        "{list}"
    );
    assert!(!list.contains("own-row"), "{list}");
}
