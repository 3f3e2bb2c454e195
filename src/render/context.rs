//! The values templates see, built once per build from the Site and shared by every page.

use crate::amount::Amount;
use crate::charts::Rendered;
use crate::content::article::Article;
use crate::content::period::{Declared, Figures};
use crate::labels;
use crate::model::Batch;
use crate::site::Site;
use crate::urls;
use serde_json::{json, Value};

/// Values shared by all pages.
pub struct Shared {
    pub site: Value,
    pub t: Value,
    pub nav: Value,
    /// One row per project, in site order, for tables.
    pub rows: Vec<Value>,
    pub batches: Vec<Value>,
    pub charts: Vec<(String, Value)>,
    /// The headline chart, for share cards.
    pub headline: Option<crate::charts::Chart>,
    /// `site`, `t`, `nav` and `urls`, as a template context to clone for each page.
    pub base: tera::Context,
}

fn money(site: &Site, a: Option<Amount>) -> Value {
    a.map_or(Value::Null, |a| {
        Value::String(format!("{} {}", a.plain(), site.config.unit))
    })
}

fn figures(site: &Site, f: Option<&Figures>) -> Value {
    match f {
        None => Value::Null,
        Some(f) => json!({
            "count": f.count,
            "investment": money(site, f.investment),
            "annual_plan": money(site, f.annual_plan),
        }),
    }
}

/// Declared figures of a period, batch by batch, for templates.
pub fn declared(site: &Site, d: Option<&Declared>) -> Value {
    match d {
        None => Value::Null,
        Some(d) => json!({
            "batches": Batch::ALL.iter().filter_map(|&b| d.batch(b).map(|f| {
                let mut v = figures(site, Some(f));
                v["label"] = json!(labels::batch(b));
                v["key"] = json!(b.key());
                v
            })).collect::<Vec<_>>(),
            "new": figures(site, d.new.as_ref()),
        }),
    }
}

impl Shared {
    pub fn new(site: &Site, charts: &[Rendered]) -> Shared {
        let c = &site.config;
        let site_v = json!({
            "title": c.title,
            "description": c.description,
            "publisher": c.publisher,
            "language": c.language,
            "base_url": c.base_url,
            "unit": c.unit,
            "extra": c.extra,
            "has_bulletins": !site.bulletins.is_empty(),
        });
        let mut nav = vec![
            json!({"path": urls::HOME, "label": labels::label("home")}),
            json!({"path": urls::PROJECTS, "label": labels::label("projects")}),
        ];
        for b in Batch::ALL {
            nav.push(json!({"path": urls::batch(b), "label": labels::batch(b)}));
        }
        nav.push(json!({"path": urls::BULLETINS, "label": labels::label("bulletins")}));
        for a in &site.pages {
            nav.push(json!({"path": urls::page(&a.slug), "label": a.title}));
        }
        let rows = site.projects.iter().map(|p| project_row(site, p)).collect();
        let batches = site
            .batches
            .iter()
            .map(|s| {
                json!({
                    "key": s.batch.key(),
                    "label": labels::batch(s.batch),
                    "short": labels::batch_short(s.batch),
                    "path": urls::batch(s.batch),
                    "count": s.projects.len(),
                    "sum": money(site, Some(s.sum)),
                    "with_amount": s.with_amount,
                    "missing": s.missing(),
                    "declared": figures(site, s.declared.as_ref()),
                    "investment": money(site, Some(s.investment)),
                    "source": s.source.key(),
                    "source_label": labels::label(&format!("source.{}", s.source.key())),
                })
            })
            .collect();
        let headline = charts
            .iter()
            .find(|r| r.chart.name == "investment-by-batch")
            .map(|r| r.chart.clone());
        let charts = charts
            .iter()
            .map(|r| (r.chart.name.clone(), chart(r)))
            .collect();
        Shared {
            site: site_v,
            t: json!(labels::table(&c.language)),
            nav: Value::Array(nav),
            rows,
            batches,
            charts,
            headline,
            base: tera::Context::new(),
        }
        .with_base()
    }

    fn with_base(mut self) -> Shared {
        let mut base = tera::Context::new();
        base.insert("site", &self.site);
        base.insert("t", &self.t);
        base.insert("nav", &self.nav);
        base.insert(
            "urls",
            &json!({
                "feed": urls::FEED, "style": urls::STYLE, "projects_csv": urls::PROJECTS_CSV,
                "projects_json": urls::PROJECTS_JSON, "projects_xlsx": urls::PROJECTS_XLSX, "projects": urls::PROJECTS, "bulletins": urls::BULLETINS,
            }),
        );
        self.base = base;
        self
    }

    pub fn chart(&self, name: &str) -> Option<&Value> {
        self.charts.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

fn chart(r: &Rendered) -> Value {
    let c = &r.chart;
    json!({
        "name": c.name,
        "title": c.title,
        "desc": c.desc,
        "svg": r.svg,
        "svg_path": urls::chart_svg(&c.name),
        "csv_path": urls::chart_csv(&c.name),
        "head": c.table_head,
        "rows": c.table_rows,
        "empty_note": c.empty_note,
    })
}

/// A project as a row of a table.
pub fn project_row(site: &Site, p: &crate::content::project::Project) -> Value {
    json!({
        "id": p.id,
        "name": p.name,
        "path": urls::project(&p.id),
        "batch": p.batch.key(),
        "batch_label": labels::batch(p.batch),
        "batch_path": urls::batch(p.batch),
        "period": p.period,
        "period_label": labels::period(p.period),
        "period_path": urls::period(p.period),
        "investment": money(site, p.investment),
        "sector": p.sector,
        "sector_path": p.sector.as_deref().and_then(|s| site.sector_slug(s)).map(urls::sector),
        "owner": p.owner,
        "progress": p.progress.map(|x| x.key()),
        "progress_label": p.progress.map(labels::progress),
    })
}

/// A bulletin or page in a list.
pub fn article_item(a: &Article, path: String) -> Value {
    json!({
        "title": a.title,
        "path": path,
        "date": a.date.map(|d| d.iso()),
        "date_zh": a.date.map(|d| d.chinese()),
        "summary": a.summary,
        "period": a.period,
        "period_label": a.period.map(labels::period),
    })
}
