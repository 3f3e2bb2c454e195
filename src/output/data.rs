//! Data downloads: data/projects.csv and data/projects.json.

use crate::amount::Amount;
use crate::labels;
use crate::site::Site;
use crate::urls;
use serde_json::{json, Map, Value};

fn amount(a: Option<Amount>) -> String {
    a.map(Amount::plain).unwrap_or_default()
}

/// data/projects.csv.
pub(crate) fn projects_csv(site: &Site) -> Vec<u8> {
    let head = [
        "id",
        "name",
        "batch",
        "batch_label",
        "period",
        "investment",
        "annual_plan",
        "invested",
        "sector",
        "location",
        "owner",
        "progress",
        "progress_label",
        "updated",
        "url",
    ];
    let rows: Vec<Vec<String>> = site
        .projects
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                p.name.clone(),
                p.batch.key().into(),
                labels::batch(p.batch).into(),
                p.period.map(|n| n.to_string()).unwrap_or_default(),
                amount(p.investment),
                amount(p.annual_plan),
                amount(p.invested),
                p.sector.clone().unwrap_or_default(),
                p.location.clone().unwrap_or_default(),
                p.owner.clone().unwrap_or_default(),
                p.progress.map(|x| x.key().to_string()).unwrap_or_default(),
                p.progress
                    .map(|x| labels::progress(x).to_string())
                    .unwrap_or_default(),
                p.updated.map(|d| d.iso()).unwrap_or_default(),
                page_url(site, &urls::project(&p.id)),
            ]
        })
        .collect();
    crate::csvfile::bytes(&head, &rows)
}

fn page_url(site: &Site, path: &str) -> String {
    site.url_or_path(path)
}

/// An amount as a JSON number: its shortest form reads back to the same decimal.
fn number(a: Option<Amount>) -> Value {
    a.and_then(|a| a.plain().parse::<serde_json::Number>().ok())
        .map_or(Value::Null, Value::Number)
}

/// data/projects.json: the site's unit and every published project.
pub(crate) fn projects_json(site: &Site) -> Vec<u8> {
    let projects: Vec<Value> = site
        .projects
        .iter()
        .map(|p| {
            let mut m = Map::new();
            m.insert("id".into(), json!(p.id));
            m.insert("name".into(), json!(p.name));
            m.insert("batch".into(), json!(p.batch.key()));
            m.insert("period".into(), json!(p.period));
            m.insert("history".into(), json!(p.history));
            m.insert("investment".into(), number(p.investment));
            m.insert("annual_plan".into(), number(p.annual_plan));
            m.insert("invested".into(), number(p.invested));
            m.insert("sector".into(), json!(p.sector));
            m.insert("location".into(), json!(p.location));
            m.insert("owner".into(), json!(p.owner));
            m.insert("progress".into(), json!(p.progress.map(|x| x.key())));
            m.insert("milestones".into(), json!(p.milestones));
            m.insert("updated".into(), json!(p.updated));
            m.insert("url".into(), json!(page_url(site, &urls::project(&p.id))));
            Value::Object(m)
        })
        .collect();
    let doc = json!({
        "title": site.config.title,
        "unit": site.config.unit,
        "batches": site.batches.iter().map(|b| json!({
            "batch": b.batch.key(),
            "projects": b.projects.len(),
            "sum_of_entries": b.sum.plain(),
            "entries_with_amount": b.with_amount,
            "declared": b.declared,
            "investment": b.investment.plain(),
            "source": b.source.key(),
        })).collect::<Vec<_>>(),
        "projects": projects,
    });
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}
