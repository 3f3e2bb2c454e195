//! Regions (FORMAT.md, "Regions: one site for a city or a province"): the synthetic province
//! of tests/fixtures/regions built end to end, its data files against the rows worked out by
//! hand (tests/fixtures/regions/expect.json), its pages, and the errors of a wrong tree.

mod common;

use common::*;
use std::collections::BTreeMap;

type Row = BTreeMap<String, String>;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = fixture("regions");
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    (tmp, root)
}

#[test]
fn the_provinces_regions_csv_holds_exactly_the_rows_worked_out_by_hand() {
    let (_t, root) = built();
    let got = csv_rows(&root.join("output/data/regions.csv"));
    let want = expected_rows("regions");
    assert_eq!(got.len(), want.len());
    // In the tree's order, depth first, then signed, started, producing.
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }
}

#[test]
fn rankings_share_ranks_skip_after_ties_and_put_regions_without_a_value_last() {
    let (_t, root) = built();
    let got = csv_rows(&root.join("output/data/rankings.csv"));
    let key = |r: &Row| {
        ["measure", "level", "group", "region"]
            .map(|k| r[k].clone())
            .join("|")
    };
    let by_key: BTreeMap<String, &Row> = got.iter().map(|r| (key(r), r)).collect();
    let want = expected_rows("rankings");
    assert!(!want.is_empty());
    for w in &want {
        assert_eq!(by_key.get(&key(w)).copied(), Some(w), "{}", key(w));
    }
    // Within each measure, level and group: ranks never go down; the unranked come last.
    let mut last: BTreeMap<String, Option<usize>> = BTreeMap::new();
    for r in &got {
        let group = ["measure", "level", "group"]
            .map(|k| r[k].clone())
            .join("|");
        let rank = r["rank"].parse::<usize>().ok();
        if let Some(Some(prev)) = last.get(&group) {
            assert!(
                rank.is_none_or(|n| n >= *prev),
                "{group}: {rank:?} after {prev}"
            );
        }
        if let Some(None) = last.get(&group) {
            assert!(rank.is_none(), "{group}: a rank after an unranked region");
        }
        last.insert(group, rank);
    }
    // Every measure of the contract, for each of the 5 groups (one at level 1, four at 2).
    let measures: std::collections::BTreeSet<&str> =
        got.iter().map(|r| r["measure"].as_str()).collect();
    assert_eq!(measures.len(), 13);
    assert_eq!(got.len(), 13 * 11);
}

#[test]
fn region_pages_charts_and_data_name_each_region() {
    let (_t, root) = built();
    let out = root.join("output");
    for page in [
        "regions/index.html",
        "regions/dongchuan/index.html",
        "regions/dongchuan/linhe/index.html",
        "rankings/index.html",
        "charts/investment-by-region/index.html",
        "charts/projects-by-region.svg",
        "charts/region-dongchuan.linhe.svg",
        "charts/region-dongchuan.linhe.csv",
        "charts/region-dongchuan.linhe_rates.svg",
        "charts/region-dongchuan.linhe_pool.csv",
        "charts/region-dongchuan.linhe_rates/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
    // The city's page: its own figure where declared, its districts compared.
    let city = read(&out.join("regions/dongchuan/index.html"));
    assert!(city.contains("80.6 亿元"), "started, declared in period 3");
    assert!(city.contains(">东川高新区</a>") && city.contains(">临河县</a>"));
    assert!(
        city.contains("下辖县（市、区）"),
        "the level of its subregions, named"
    );
    // Its rates: 3 of the 4 started projects period 3 declares for 临河县 are under way.
    let rates = read(&out.join("charts/region-dongchuan.linhe_rates.csv"));
    assert!(
        rates.contains("under_construction,开工率,started,3,4,75.0,declared"),
        "{rates}"
    );
    // Its pool over time: 临河县's started count as of period 1 is not established.
    let linhe_page = read(&out.join("regions/dongchuan/linhe/index.html"));
    let pool = &linhe_page[linhe_page.find("id=\"pool\"").unwrap()..];
    let pool = &pool[..pool.find("</table>").unwrap()];
    assert!(pool.contains(">第一期</a></th><td class=\"num\">1 个</td><td class=\"num\"><span class=\"muted\">未载明</span>"), "{pool}");
    assert!(pool.contains(">第三期</a></th><td class=\"num\">1 个</td><td class=\"num\">3 个</td><td class=\"num\">1 个</td>"), "{pool}");
    // An unknown figure is 未载明, never 0 (东川经开区 has no producing project).
    let jingkai = read(&out.join("regions/dongchuan/jingkai/index.html"));
    assert!(jingkai.contains("未载明"));
    assert!(!jingkai.contains(">0 亿元<"));
    // A project: breadcrumbs from the site to its district, and the region in the data.
    let csv = csv_rows(&out.join("data/projects.csv"));
    let linhe = csv
        .iter()
        .find(|r| r["region"] == "dongchuan/linhe")
        .expect("a project of 临河县");
    assert_eq!(linhe["region_name"], "东川市/临河县");
    let page = read(&out.join(format!("projects/{}/index.html", linhe["id"])));
    assert!(
        page.contains("<a href=\"../../regions/dongchuan/\">东川市</a> › <a href=\"../../regions/dongchuan/linhe/\">临河县</a>"),
        "breadcrumbs: {page}"
    );
    assert!(
        csv.iter().any(|r| r["region"].is_empty()),
        "地区未载明 stays empty"
    );
    let json: serde_json::Value =
        serde_json::from_str(&read(&out.join("data/projects.json"))).unwrap();
    let p = json["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == linhe["id"].as_str())
        .unwrap();
    assert_eq!(p["region"], "dongchuan/linhe");
    // /projects/ shows the region column and can filter by it.
    let list = read(&out.join("projects/index.html"));
    assert!(list.contains("data-region=\"东川市/临河县\""));
    assert!(
        read(&out.join("index.html")).contains("href=\"./regions/\""),
        "in the nav"
    );
}

#[test]
fn a_site_without_regions_keeps_its_files_as_they_were() {
    let (_t, root) = fixture("basic");
    assert!(build(&root).ok());
    let out = root.join("output");
    assert!(!out.join("data/regions.csv").exists());
    assert!(!out.join("regions").exists());
    let head = read(&out.join("data/projects.csv"));
    assert!(!head.lines().next().unwrap().contains("region"));
    assert!(!read(&out.join("projects/index.html")).contains("data-region"));
}

#[test]
fn wrong_regions_are_errors_at_their_place() {
    let (_t, root) = fixture("regions");
    // A project naming a region the tree does not have, with the closest as a hint.
    edit(
        &root,
        "content/projects/dongchuan/dc-00-01.md",
        "region: dongchuan",
        "region: dongchuan/linh",
    );
    // A period declaring figures for one.
    edit(
        &root,
        "content/periods/03.yaml",
        "  nanhu/qingshan:",
        "  nanhu/qingshang:",
    );
    let o = build(&root);
    let errs = errors(&o);
    assert!(!o.ok());
    assert!(
        errs.iter().any(|e| e.starts_with("error: content/projects/dongchuan/dc-00-01.md:")
            && e.contains("there is no region `dongchuan/linh` in content/regions.yaml; did you mean dongchuan/linhe?")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.starts_with(
            "error: content/periods/03.yaml:14:3: there is no region `nanhu/qingshang`"
        )),
        "{errs:?}"
    );
    assert!(
        !root.join("output").exists(),
        "a failed build writes nothing"
    );

    // Two subregions with one slug, at the second slug.
    let (_t, root) = fixture("regions");
    edit(
        &root,
        "content/regions.yaml",
        "slug: jingkai",
        "slug: gaoxin",
    );
    let errs = errors(&build(&root));
    assert_eq!(
        errs,
        ["error: content/regions.yaml:8:28: the slug `gaoxin` is taken at this level; regions with one parent have different slugs"]
    );

    // `region` in a site without regions.yaml.
    let (_t, root) = fixture("basic");
    let file = root.join("content/projects/alpha.md");
    let text = read(&file).replacen("---\n", "---\nregion: zhengzhou\n", 1);
    std::fs::write(&file, text).unwrap();
    let errs = errors(&build(&root));
    assert!(
        errs.iter().any(|e| e.contains(
            "alpha.md:2:9: there is no region `zhengzhou`: the site has no content/regions.yaml"
        )),
        "{errs:?}"
    );
}

#[test]
fn a_page_may_not_take_the_regions_url_in_a_site_with_regions() {
    let (_t, root) = fixture("regions");
    std::fs::write(
        root.join("content/pages/rankings.md"),
        "---\ntitle: 排名\n---\n正文。\n",
    )
    .unwrap();
    let errs = errors(&build(&root));
    assert!(
        errs.iter()
            .any(|e| e.contains("the URL /rankings/ belongs to sanpi's own pages")),
        "{errs:?}"
    );
    // Without regions, the slug is the site's own.
    let (_t, root) = fixture("basic");
    std::fs::create_dir_all(root.join("content/pages")).unwrap();
    std::fs::write(
        root.join("content/pages/rankings.md"),
        "---\ntitle: 排名\n---\n正文。\n",
    )
    .unwrap();
    assert!(build(&root).ok());
}

#[test]
fn names_from_the_tree_are_escaped_wherever_they_land() {
    let (_t, root) = fixture("regions");
    edit(
        &root,
        "content/regions.yaml",
        "name: 东川市",
        "name: \"东川<script>alert(1)</script>市\"",
    );
    assert!(build(&root).ok());
    let markup = |p: &str| [".html", ".svg", ".xml"].iter().any(|e| p.ends_with(e));
    for f in tree(&root.join("output"))
        .into_iter()
        .filter(|f| markup(&f.0))
    {
        let text = String::from_utf8_lossy(&f.1);
        assert!(!text.contains("<script>alert(1)"), "{}", f.0);
    }
}

#[test]
fn a_bulletin_naming_a_region_is_listed_on_its_page_and_the_pages_above() {
    let (_t, root) = fixture("regions");
    let dir = root.join("content/bulletins");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("linhe.md"),
        "---\ntitle: 临河县第三期活动\ndate: 2023-09-26\nregion: dongchuan/linhe\n---\n正文。\n",
    )
    .unwrap();
    assert!(build(&root).ok());
    let out = root.join("output");
    for page in [
        "regions/dongchuan/linhe/index.html",
        "regions/dongchuan/index.html",
    ] {
        assert!(
            read(&out.join(page)).contains(">临河县第三期活动</a>"),
            "{page}"
        );
    }
    assert!(!read(&out.join("regions/xiling/index.html")).contains("临河县第三期活动"));
    std::fs::write(
        dir.join("linhe.md"),
        "---\ntitle: 临河县第三期活动\ndate: 2023-09-26\nregion: linhe\n---\n正文。\n",
    )
    .unwrap();
    let errs = errors(&build(&root));
    assert!(
        errs.iter()
            .any(|e| e
                .starts_with("error: content/bulletins/linhe.md:4:9: there is no region `linhe`")),
        "{errs:?}"
    );
}
