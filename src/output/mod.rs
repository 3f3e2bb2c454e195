//! Output: the plan of pages, data files, feeds, and the atomic write of the whole site.

pub(crate) mod data;
pub(crate) mod datapackage;
pub(crate) mod digest;
pub(crate) mod feeds;
pub(crate) mod lock;
pub(crate) mod oc4ids;
pub(crate) mod regions;
pub(crate) mod search;
pub(crate) mod target;
pub(crate) mod targets;
pub(crate) mod write;

use crate::charts::Rendered;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Batch, Date};
use crate::plan::Page;
use crate::render::Renderer;
use crate::site::Site;
use crate::urls;

/// Every file of the output besides the pages, the static files and the search index
/// (`search::files`, made beside it): charts, data, feeds, the sitemap and robots.txt, each
/// handed to `emit` (path, bytes) as soon as it is made, so that no more than one of them is
/// held at a time. A feed or sitemap template that fails to render is reported and left out.
/// Returns how many files were emitted.
pub(crate) fn files(
    site: &Site,
    renderer: &Renderer,
    charts: &[Rendered],
    pages: &[Page],
    diags: &mut Diagnostics,
    emit: &mut dyn FnMut(&str, &[u8]),
) -> usize {
    let mut count = 0;
    // Every CSV written, for datapackage.json.
    let csvs = std::cell::RefCell::new(Vec::new());
    let mut out = |path: &str, bytes: &[u8]| {
        count += 1;
        if path.ends_with(".csv") {
            csvs.borrow_mut().push(datapackage::Csv {
                path: path.to_string(),
                header: datapackage::header_of(bytes),
                title: csv_title(path, charts),
            });
        }
        emit(path, bytes);
    };
    for r in charts {
        out(&urls::chart_svg(&r.chart.name), r.svg.as_bytes());
        out(&urls::chart_csv(&r.chart.name), &r.csv);
        if let Some(png) = &r.png {
            out(&urls::chart_png(&r.chart.name), png);
        }
        // data/indicators.csv is the indicators chart's CSV, byte for byte (FORMAT.md).
        if r.chart.name == crate::model::SiteChart::Indicators.name() {
            out(urls::INDICATORS_CSV, &r.csv);
        }
    }
    out(urls::PROJECTS_CSV, &data::projects_csv(site));
    if site.has_regions() {
        out(urls::REGIONS_CSV, &regions::regions_csv(site));
        out(urls::RANKINGS_CSV, &regions::rankings_csv(site));
        out(urls::REGIONS_CHAIN_CSV, &targets::regions_chain_csv(site));
    }
    out(urls::CHAIN_CSV, &targets::chain_csv(site));
    if !site.targets.is_empty() {
        out(urls::TARGETS_CSV, &targets::targets_csv(site));
    }
    out(urls::PROJECTS_JSON, &data::projects_json(site));
    match oc4ids::package(site) {
        Ok(bytes) => out(urls::OC4IDS_JSON, &bytes),
        // Said once by the build (`oc4ids_prefix` missing) or here.
        Err(oc4ids::Skipped::Prefix | oc4ids::Skipped::Projects) => {}
        Err(oc4ids::Skipped::Date) => diags.push(
            Diagnostic::warning("", None, "data/oc4ids.json is left out: no period and no project gives a date for its publishedDate")
                .with_hint("give the latest period a `date`, or the projects an `updated` date"),
        ),
    }
    // Only a paginated `/projects/` needs its rows as data: small sites keep their files.
    let size = site.config.page_size;
    if !crate::plan::Pager::all(site.projects.len(), size).is_empty() {
        out(urls::PROJECTS_ROWS_JS, &data::projects_rows_js(site));
    }
    let mut warnings = Vec::new();
    match xlsx::projects_xlsx(site, &mut warnings) {
        Ok(bytes) => out(urls::PROJECTS_XLSX, &bytes),
        Err(e) => diags.push(Diagnostic::error("", None, e)),
    }
    for w in warnings {
        diags.push(w);
    }
    let mut rendered = |path: &str, r: Result<String, Diagnostic>| match r {
        Ok(text) => out(path, text.as_bytes()),
        Err(d) => diags.push(d),
    };
    let bulletins: Vec<_> = site.bulletins.iter().collect();
    let title = &site.config.title;
    rendered(
        urls::FEED,
        feeds::atom(site, renderer, title, urls::FEED, &bulletins),
    );
    for b in Batch::ALL {
        rendered(&urls::batch_feed(b), feeds::batch_feed(site, renderer, b));
    }
    for (i, r) in site.region_tree.list.iter().enumerate() {
        if r.level == 1 {
            rendered(
                &urls::region_feed(&r.slug),
                feeds::region_feed(site, renderer, i),
            );
        }
    }
    let listed: Vec<(String, Option<Date>)> = pages
        .iter()
        .filter(|x| x.listed())
        .map(|x| (x.path.clone(), x.lastmod))
        .collect();
    for (path, sm) in feeds::sitemaps(site, renderer, &listed) {
        rendered(&path, sm);
    }
    if site.writes_robots() {
        rendered(urls::ROBOTS, Ok(feeds::robots(site)));
    }
    let package = datapackage::package(site, &csvs.borrow());
    out(urls::DATAPACKAGE, &package);
    count
}

/// What a CSV is, for datapackage.json: its chart's title, else the data file's name.
fn csv_title(path: &str, charts: &[Rendered]) -> String {
    let key = match path {
        urls::PROJECTS_CSV => "projects_csv",
        urls::INDICATORS_CSV => "indicators_csv",
        urls::REGIONS_CSV => "regions",
        urls::RANKINGS_CSV => "rankings",
        urls::TARGETS_CSV => "targets",
        urls::CHAIN_CSV => "chain",
        urls::REGIONS_CHAIN_CSV => {
            return format!(
                "{} · {}",
                crate::labels::label("regions"),
                crate::labels::label("chain")
            )
        }
        _ => {
            return charts
                .iter()
                .find(|r| urls::chart_csv(&r.chart.name) == path)
                .map_or_else(|| path.to_string(), |r| r.chart.title.clone())
        }
    };
    crate::labels::label(key).to_string()
}
pub(crate) mod xlsx;
