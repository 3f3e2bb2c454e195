//! Every URL of the output, computed in one place. Paths are relative to the site root and
//! end with `/` for pages (written as `PATH/index.html`).

use crate::model::Batch;

pub(crate) const HOME: &str = "";
pub(crate) const PROJECTS: &str = "projects/";
pub(crate) const BULLETINS: &str = "bulletins/";
pub(crate) const PROJECTS_CSV: &str = "data/projects.csv";
pub(crate) const PROJECTS_JSON: &str = "data/projects.json";
/// The projects as an OC4IDS project package (only with an `oc4ids_prefix`).
pub(crate) const OC4IDS_JSON: &str = "data/oc4ids.json";
/// The Frictionless Data Package describing every CSV, at the output's root.
pub(crate) const DATAPACKAGE: &str = "datapackage.json";
pub(crate) const PROJECTS_XLSX: &str = "data/projects.xlsx";
pub(crate) const INDICATORS_CSV: &str = "data/indicators.csv";
pub(crate) const REGIONS_CSV: &str = "data/regions.csv";
pub(crate) const RANKINGS_CSV: &str = "data/rankings.csv";
pub(crate) const TARGETS_CSV: &str = "data/targets.csv";
pub(crate) const CHAIN_CSV: &str = "data/chain.csv";
pub(crate) const REGIONS_CHAIN_CSV: &str = "data/regions-chain.csv";
pub(crate) const FEED: &str = "feed.xml";
pub(crate) const SITEMAP: &str = "sitemap.xml";
pub(crate) const ROBOTS: &str = "robots.txt";
pub(crate) const NOT_FOUND: &str = "404.html";
pub(crate) const STYLE: &str = "sanpi.css";
pub(crate) const SEARCH: &str = "search/";
pub(crate) const SEARCH_INDEX: &str = "search/index.json";
/// The same index as a script that sets `window.sanpiSearchIndex`: a page opened from disk
/// may load a script but not fetch a file.
pub(crate) const SEARCH_INDEX_JS: &str = "search/index.js";

/// The compact table of `/projects/` (what its rows show, for sorting and filtering across its
/// pages), as a script that sets `window.sanpiProjectRows`, so that it loads from disk too.
pub(crate) const PROJECTS_ROWS_JS: &str = "data/projects-rows.js";
/// The segment of a list's later pages (`LIST/page/N/`): no project id may take it.
pub(crate) const PAGER: &str = "page";

/// First path segments that sanpi's own pages use; a page slug may not take one.
pub(crate) const RESERVED: &[&str] = &[
    "projects",
    "batches",
    "periods",
    "sectors",
    "bulletins",
    "charts",
    "data",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "datapackage.json",
    "404.html",
    "index.html",
    "sanpi.css",
    "favicon.svg",
    "search",
    "search.js",
    "sanpi.js",
    "filter.js",
    "chart.js",
    "feeds",
];

pub(crate) fn project(id: &str) -> String {
    format!("projects/{id}/")
}

pub(crate) fn batch(b: Batch) -> String {
    format!("batches/{}/", b.key())
}

pub(crate) fn period(n: u32) -> String {
    format!("periods/{n}/")
}

pub(crate) fn sector(slug: &str) -> String {
    format!("sectors/{slug}/")
}

/// The tree of regions with each region's figures.
pub(crate) const REGIONS: &str = "regions/";
/// Every ranking of regions.
pub(crate) const RANKINGS: &str = "rankings/";

/// Every year's targets.
pub(crate) const TARGETS: &str = "targets/";

/// One year's targets.
pub(crate) fn targets_year(year: i32) -> String {
    format!("{TARGETS}{year}/")
}

/// A region's page, by its path (`dongchuan/linhe`). A subregion's slug is never `page`,
/// which the region's list of projects takes for its later pages.
pub(crate) fn region(path: &str) -> String {
    format!("{REGIONS}{path}/")
}

/// The name of a region's chart of its batches: `region-` and its path with `.` for `/` (a
/// slug holds no dot, so no two regions share a name), a file beside the site's other charts.
pub(crate) fn region_chart(path: &str) -> String {
    format!("region-{}", path.replace('/', "."))
}

/// The name of a region's chart of rates (`_rates`) or of its pool over time (`_pool`): its
/// batches chart's name and a suffix after `_`, which no slug holds.
pub(crate) fn region_chart_of(path: &str, suffix: &str) -> String {
    format!("{}_{suffix}", region_chart(path))
}

pub(crate) fn bulletin(slug: &str) -> String {
    format!("bulletins/{slug}/")
}

pub(crate) fn page(slug: &str) -> String {
    format!("{slug}/")
}

/// Page `n` of the list at `list` (a page path ending with `/`): the list's own URL for page 1,
/// `LIST/page/N/` after it.
pub(crate) fn list_page(list: &str, n: usize) -> String {
    if n <= 1 {
        list.to_string()
    } else {
        format!("{list}{PAGER}/{n}/")
    }
}

/// The Atom feed of one batch's projects.
pub(crate) fn batch_feed(b: Batch) -> String {
    format!("feeds/{}.xml", b.key())
}

/// The Atom feed of a top-level region's projects.
pub(crate) fn region_feed(slug: &str) -> String {
    format!("feeds/regions/{slug}.xml")
}

pub(crate) fn chart_svg(name: &str) -> String {
    format!("charts/{name}.svg")
}

pub(crate) fn chart_csv(name: &str) -> String {
    format!("charts/{name}.csv")
}

/// One chart's page.
pub(crate) fn chart_page(name: &str) -> String {
    format!("charts/{name}/")
}

/// One chart alone, for an iframe on another site.
pub(crate) fn chart_embed(name: &str) -> String {
    format!("charts/{name}/embed/")
}

/// A chart as a PNG, twice the SVG's size.
pub(crate) fn chart_png(name: &str) -> String {
    format!("charts/{name}.png")
}

/// The share image (PNG card) of the page at `path`.
pub(crate) fn share_image(path: &str) -> String {
    format!("{path}og.png")
}

/// The file a URL path is written to.
pub(crate) fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The relative path from the page at `path` to the site root: `./`, `../`, `../../`.
pub(crate) fn root_of(path: &str) -> String {
    let file = file_of(path);
    let depth = file.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// The absolute URL of `path` under `base` (which ends with `/`).
/// The sitemaps protocol's limit of URLs in one file; a larger sitemap is split in parts.
pub(crate) const SITEMAP_MAX_URLS: usize = 50_000;

/// The MIIT's record site, where an ICP备案号 is looked up: portals link their number to it.
pub(crate) const MIIT_RECORDS: &str = "https://beian.miit.gov.cn/";

/// The public security filing site's page of the record numbered `code` (公安机关备案号).
pub(crate) fn police_record(code: &str) -> String {
    format!("https://beian.mps.gov.cn/#/query/webSearch?code={code}")
}

/// Part `n` (from 1) of a sitemap too large for one file; `sitemap.xml` is then their index.
pub(crate) fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

pub(crate) fn absolute(base: &str, path: &str) -> String {
    format!("{base}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_are_relative() {
        assert_eq!(root_of(HOME), "./");
        assert_eq!(root_of(NOT_FOUND), "./");
        assert_eq!(root_of(&project("a")), "../../");
        assert_eq!(root_of(&page("about")), "../");
        assert_eq!(file_of(&project("a")), "projects/a/index.html");
        assert_eq!(list_page(PROJECTS, 1), PROJECTS);
        assert_eq!(
            list_page(&batch(Batch::Signed), 3),
            "batches/signed/page/3/"
        );
        assert_eq!(root_of(&list_page(PROJECTS, 2)), "../../../");
    }
}
