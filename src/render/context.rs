//! The values templates see on every page, built once per build from the Site: the site,
//! the words, the navigation, a row per project, the batches and the charts.

use super::views::{BatchView, ChartView, Link, ProjectRow, SiteView};
use crate::charts::Rendered;
use crate::labels;
use crate::model::{Batch, SiteChart};
use crate::site::Site;
use crate::urls;
use rayon::prelude::*;
use serde_json::json;
use siphasher::sip128::{Hasher128, SipHasher13};

/// A row's hash ([`Shared::row_prints`]).
fn row_print(row: &ProjectRow) -> u128 {
    use std::hash::Hash;
    let mut h = SipHasher13::new();
    row.hash(&mut h);
    h.finish128().as_u128()
}

/// Values shared by all pages.
pub(crate) struct Shared {
    /// One row per project, in site order, for tables.
    pub rows: Vec<ProjectRow>,
    /// Each row hashed, so that telling a list's page changed hashes a number per row
    /// instead of the row's every word (`Pages::hash_rows`).
    pub row_prints: Vec<u128>,
    pub batches: Vec<BatchView>,
    pub charts: Vec<ChartView>,
    /// Every chart's figures by name, for the share cards: the home page's shows the
    /// headline chart, a period's its own chart, a chart's page the chart itself.
    pub chart_data: std::collections::HashMap<String, crate::charts::Chart>,
    /// The theme's stylesheet, written into the 404 page of a site without a `base_url`:
    /// that page is served at any depth, where no relative link reaches the stylesheet.
    pub not_found_style: Option<String>,
    /// `site`, `t`, `nav` and `urls`, as a template context to clone for each page: cloning
    /// it is much cheaper than serialising them again for each page.
    pub base: tera::Context,
    /// Every choice of each filter of `/projects/`, made once for all its pages (it reads
    /// every project).
    pub filter_values: std::sync::OnceLock<serde_json::Value>,
    /// The measures of the home page (0) and of each batch (1 + its index), each made once
    /// for all the pages of the list that shows them (they read every project):
    /// `Pages::measures`.
    pub measures: [std::sync::OnceLock<Vec<(&'static str, serde_json::Value)>>; 4],
    /// Tells these values from any other build's, for the copies of `base` that each
    /// rendering thread keeps (`Pages::render_context`).
    pub id: u64,
}

/// Rows kept from before an edit, by the projects' places after it: place `i` holds its
/// row and print when `have[i]` (see [`Shared::new`]).
#[derive(Default)]
pub(crate) struct KeptRows {
    pub rows: Vec<ProjectRow>,
    pub prints: Vec<u128>,
    pub have: Vec<bool>,
}

/// The next [`Shared::id`].
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Shared {
    /// The values of `site`, with `charts` drawn.
    ///
    /// The rows (and their prints) of the projects at the places `kept` has are taken as
    /// they are: serve's edit keeps those of the projects it did not touch
    /// (`build/deps.rs`), and making 10,000 rows again was a tenth of a reload.
    pub(crate) fn new(site: &Site, charts: &[Rendered], kept: KeptRows) -> Shared {
        let mut nav = vec![
            Link {
                path: urls::HOME.into(),
                label: labels::label("home").into(),
            },
            Link {
                path: urls::PROJECTS.into(),
                label: labels::label("projects").into(),
            },
        ];
        nav.extend(Batch::ALL.iter().map(|&b| Link {
            path: urls::batch(b),
            label: labels::batch(b).into(),
        }));
        if site.has_regions() {
            nav.push(Link {
                path: urls::REGIONS.into(),
                label: labels::label("regions").into(),
            });
        }
        if !site.targets.is_empty() {
            nav.push(Link {
                path: urls::TARGETS.into(),
                label: labels::label("targets").into(),
            });
        }
        nav.push(Link {
            path: urls::BULLETINS.into(),
            label: labels::label("bulletins").into(),
        });
        nav.extend(site.pages.iter().map(|a| Link {
            path: urls::page(&a.slug),
            label: a.title.clone(),
        }));
        let mut base = tera::Context::new();
        base.insert("site", &SiteView::new(site));
        base.insert("t", &labels::table(&site.config.language));
        base.insert("nav", &nav);
        base.insert(
            "urls",
            &json!({
                "feed": urls::FEED, "style": urls::STYLE, "projects_csv": urls::PROJECTS_CSV,
                "projects_json": urls::PROJECTS_JSON, "projects_xlsx": urls::PROJECTS_XLSX, "indicators_csv": urls::INDICATORS_CSV, "projects": urls::PROJECTS, "bulletins": urls::BULLETINS, "search_index_js": urls::SEARCH_INDEX_JS, "projects_rows_js": urls::PROJECTS_ROWS_JS, "regions": urls::REGIONS, "rankings": urls::RANKINGS, "regions_csv": urls::REGIONS_CSV, "rankings_csv": urls::RANKINGS_CSV, "targets": urls::TARGETS, "targets_csv": urls::TARGETS_CSV, "chain_csv": urls::CHAIN_CSV, "regions_chain_csv": urls::REGIONS_CHAIN_CSV,
            }),
        );
        // The rows not kept made in their places (the others are not moved again: a row is
        // some 400 bytes).
        let KeptRows {
            mut rows,
            prints: mut row_prints,
            mut have,
        } = kept;
        let n = site.projects.len();
        rows.resize_with(n, ProjectRow::default);
        row_prints.resize(n, 0);
        have.resize(n, false);
        rows.par_iter_mut()
            .zip(row_prints.par_iter_mut())
            .zip(have.par_iter())
            .enumerate()
            .filter(|(_, (_, &have))| !have)
            .for_each(|(i, ((row, print), _))| {
                *row = ProjectRow::new(site, i);
                *print = row_print(row);
            });
        Shared {
            rows,
            row_prints,
            batches: site
                .batches
                .iter()
                .map(|s| BatchView::new(site, s))
                .collect(),
            charts: charts.par_iter().map(ChartView::new).collect(),
            chart_data: charts
                .par_iter()
                .map(|r| (r.chart.name.clone(), r.chart.clone()))
                .collect(),
            not_found_style: None,
            base,
            filter_values: std::sync::OnceLock::new(),
            measures: Default::default(),
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// The chart named `name`.
    pub(crate) fn chart(&self, name: &str) -> Option<&ChartView> {
        self.charts.iter().find(|c| c.name == name)
    }

    /// The chart of period `n`, for its share card.
    pub(crate) fn period_chart(&self, n: u32) -> Option<&crate::charts::Chart> {
        self.chart_data.get(&crate::charts::period_name(n))
    }

    /// The site's headline chart, for the home page's share card.
    pub(crate) fn headline(&self) -> Option<&crate::charts::Chart> {
        self.chart_data.get(SiteChart::InvestmentByBatch.name())
    }

    /// The rows of the projects at `idx`.
    pub(crate) fn rows(&self, idx: &[usize]) -> Vec<&ProjectRow> {
        idx.iter().map(|&i| &self.rows[i]).collect()
    }
}
