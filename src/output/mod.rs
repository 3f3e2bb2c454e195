//! Output: the plan of pages, data files, feeds, and the atomic write of the whole site.

pub(crate) mod data;
pub(crate) mod feeds;
pub(crate) mod lock;
pub(crate) mod search;
pub(crate) mod target;
pub(crate) mod write;

use crate::charts::Rendered;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Batch, Date};
use crate::plan::Page;
use crate::render::Renderer;
use crate::site::Site;
use crate::urls;

/// Every file of the output besides the pages and static files: charts, data, the search
/// index, feeds, the sitemap and robots.txt, as (path, bytes). A feed or sitemap template
/// that fails to render is reported and left out.
pub(crate) fn files(
    site: &Site,
    renderer: &Renderer,
    charts: &[Rendered],
    pages: &[Page],
    diags: &mut Diagnostics,
) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for r in charts {
        out.push((urls::chart_svg(&r.chart.name), r.svg.clone().into_bytes()));
        out.push((urls::chart_csv(&r.chart.name), r.csv.clone()));
        if let Some(png) = &r.png {
            out.push((urls::chart_png(&r.chart.name), png.clone()));
        }
        // data/indicators.csv is the indicators chart's CSV, byte for byte (FORMAT.md).
        if r.chart.name == crate::model::SiteChart::Indicators.name() {
            out.push((urls::INDICATORS_CSV.into(), r.csv.clone()));
        }
    }
    out.push((urls::PROJECTS_CSV.into(), data::projects_csv(site)));
    out.extend(search::files(site));
    out.push((urls::PROJECTS_JSON.into(), data::projects_json(site)));
    match xlsx::projects_xlsx(site) {
        Ok(bytes) => out.push((urls::PROJECTS_XLSX.into(), bytes)),
        Err(e) => diags.push(Diagnostic::error("", None, e)),
    }
    let mut rendered = |path: String, r: Result<String, Diagnostic>| match r {
        Ok(text) => out.push((path, text.into_bytes())),
        Err(d) => diags.push(d),
    };
    let bulletins: Vec<_> = site.bulletins.iter().collect();
    let title = &site.config.title;
    rendered(
        urls::FEED.into(),
        feeds::atom(site, renderer, title, urls::FEED, &bulletins),
    );
    for b in Batch::ALL {
        rendered(urls::batch_feed(b), feeds::batch_feed(site, renderer, b));
    }
    let listed: Vec<(String, Option<Date>)> = pages
        .iter()
        .filter(|x| x.listed())
        .map(|x| (x.path.clone(), x.lastmod))
        .collect();
    if let Some(sm) = feeds::sitemap(site, renderer, &listed) {
        rendered(urls::SITEMAP.into(), sm);
    }
    out.push((urls::ROBOTS.into(), feeds::robots(site).into_bytes()));
    out
}
pub(crate) mod xlsx;
