//! Data downloads: data/projects.csv and data/projects.json.

use crate::amount::Amount;
use crate::labels;
use crate::site::Site;
use crate::urls;
use serde_json::{json, Map, Value};

fn amount(a: Option<Amount>) -> String {
    a.map(Amount::plain).unwrap_or_default()
}

/// data/projects.csv; a site with regions adds `region` (the path) and `region_name` (the
/// names from the top, joined by `/`) at the end.
pub(crate) fn projects_csv(site: &Site) -> Vec<u8> {
    let mut head = vec![
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
    let regions = site.has_regions();
    if regions {
        head.extend(["region", "region_name"]);
    }
    let rows: Vec<Vec<String>> = site
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut row = vec![
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
            ];
            if regions {
                let r = site.region_of[i];
                row.push(
                    r.map(|r| site.region_tree.list[r].path.clone())
                        .unwrap_or_default(),
                );
                row.push(r.map(|r| site.region_names(r)).unwrap_or_default());
            }
            row
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

/// A batch's published figures, amounts and rates as JSON numbers like every amount of the
/// file (the figures' own serialisation writes them as strings, for the files that keep them
/// as text).
fn declared(f: &crate::content::period::Figures) -> Value {
    // A value serialised as a decimal string, as a number.
    let num = |v: Value| match v {
        Value::String(s) => s
            .parse::<serde_json::Number>()
            .map_or(Value::Null, Value::Number),
        other => other,
    };
    let mut m = serde_json::Map::new();
    m.insert("annual_plan".into(), number(f.annual_plan));
    m.insert("count".into(), json!(f.count));
    m.insert("investment".into(), number(f.investment));
    if let Some(p) = &f.progress {
        m.insert("progress".into(), json!(p));
    }
    if let Some(r) = &f.rates {
        let rates = r
            .iter()
            .map(|(k, v)| {
                (
                    json!(k).as_str().unwrap_or_default().to_string(),
                    num(json!(v)),
                )
            })
            .collect();
        m.insert("rates".into(), Value::Object(rates));
    }
    Value::Object(m)
}

/// `data/projects-rows.js`: what the table of `/projects/` shows of every project, as compact as
/// it goes, for its filter and sorts across pages (`filter.js`). A script that sets
/// `window.sanpiProjectRows`, so that it loads from disk too. Repeated values are given once
/// and rows name them by index:
///
/// - `project`: a project's path with `{id}` for its id;
/// - `batches`: `[label, path]`; `periods`: `[label, path or null]`; `sectors`:
///   `[name, path or null]`; `progress`: labels;
/// - `rows`: `[id, name, batch, period, investment as shown or null, sector or -1,
///   progress or -1]`, in the site's order;
/// - in a site with regions, `regions`: `[names from the top joined by "/", path]` in the
///   tree's order, and each row ends with its region or -1.
pub(crate) fn projects_rows_js(site: &Site) -> Vec<u8> {
    use crate::model::{Batch, Progress};
    // Periods in order, then 期次未载明; sectors and progress in the site's order.
    let periods: Vec<Option<u32>> = site
        .periods
        .iter()
        .map(|p| Some(p.number))
        .chain([None])
        .collect();
    let find = |v: Option<usize>| v.map_or(-1, |i| i64::try_from(i).unwrap_or(-1));
    let regions = site.has_regions();
    let rows: Vec<Value> = site
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let sector = p
                .sector
                .as_deref()
                .and_then(|s| site.sectors.iter().position(|x| x.name == s));
            let progress = p
                .progress
                .and_then(|g| Progress::ALL.iter().position(|x| *x == g));
            let mut row = json!([
                p.id,
                p.name,
                p.batch.index(),
                find(periods.iter().position(|n| *n == p.period)),
                p.investment.map(|a| labels::money(a, &site.config.unit)),
                find(sector),
                find(progress),
            ]);
            if let (true, Value::Array(cells)) = (regions, &mut row) {
                cells.push(json!(find(site.region_of[i])));
            }
            row
        })
        .collect();
    let mut doc = json!({
        "project": urls::project("{id}"),
        "batches": Batch::ALL.iter().map(|&b| json!([labels::batch(b), urls::batch(b)])).collect::<Vec<_>>(),
        "periods": periods.iter().map(|&n| json!([labels::period_or_unknown(n), n.map(urls::period)])).collect::<Vec<_>>(),
        "sectors": site.sectors.iter().map(|s| json!([s.name, urls::sector(&s.slug)])).collect::<Vec<_>>(),
        "progress": Progress::ALL.iter().map(|&g| labels::progress(g)).collect::<Vec<_>>(),
        "rows": rows,
    });
    if let (true, Value::Object(m)) = (regions, &mut doc) {
        let list: Vec<Value> = (0..site.region_tree.list.len())
            .map(|r| {
                json!([
                    site.region_names(r),
                    urls::region(&site.region_tree.list[r].path)
                ])
            })
            .collect();
        m.insert("regions".into(), json!(list));
    }
    let mut out = b"window.sanpiProjectRows = ".to_vec();
    out.extend(serde_json::to_vec(&doc).unwrap_or_default());
    out.extend_from_slice(b";\n");
    out
}

/// data/projects.json: the site's unit, its licence when it has one, and every published
/// project.
///
/// Written as `serde_json::to_vec_pretty` would write the whole document (keys in order, two
/// spaces a level), one project at a time: a tree of JSON values for every project would
/// take some 2.5 KB a project (250 MB at 100,000) before a byte is written.
pub(crate) fn projects_json(site: &Site) -> Vec<u8> {
    let batches: Vec<Value> = site
        .batches
        .iter()
        .map(|b| {
            json!({
                "batch": b.batch.key(),
                "projects": b.projects.len(),
                "sum_of_entries": number((b.with_amount > 0 || b.projects.is_empty()).then_some(b.sum)),
                "entries_with_amount": b.with_amount,
                "declared": b.declared.as_ref().map(declared),
                "investment": number(b.investment),
                "source": b.investment.map(|_| b.source.key()),
            })
        })
        .collect();
    // The document's keys, in serde_json's (sorted) order.
    let mut out = Vec::with_capacity(600 * site.projects.len() + 4096);
    out.extend_from_slice(b"{\n  \"batches\": ");
    pretty_at(&mut out, &Value::Array(batches), 1);
    // The licence, between `batches` and `projects` in the sorted order, only when the site
    // gives one.
    if let Some(l) = &site.config.license {
        out.extend_from_slice(b",\n  \"license\": ");
        pretty_at(
            &mut out,
            &json!({"id": l.id, "name": l.name, "title": l.title, "url": l.url}),
            1,
        );
    }
    out.extend_from_slice(b",\n  \"projects\": ");
    if site.projects.is_empty() {
        out.extend_from_slice(b"[]");
    } else {
        out.extend_from_slice(b"[\n");
        for (i, p) in site.projects.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(b",\n");
            }
            out.extend_from_slice(b"    ");
            pretty_at(&mut out, &project_json(site, i, p), 2);
        }
        out.extend_from_slice(b"\n  ]");
    }
    out.extend_from_slice(b",\n  \"title\": ");
    pretty_at(&mut out, &json!(site.config.title), 1);
    out.extend_from_slice(b",\n  \"unit\": ");
    pretty_at(&mut out, &json!(site.config.unit), 1);
    out.extend_from_slice(b"\n}\n");
    out
}

/// One project (the site's `i`th) in data/projects.json; in a site with regions, with its
/// `region` (path) and `region_name` (names from the top, joined by `/`), null without one.
fn project_json(site: &Site, i: usize, p: &crate::content::project::Project) -> Value {
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
    if site.has_regions() {
        let r = site.region_of[i];
        let path = r.map(|r| site.region_tree.list[r].path.clone());
        m.insert("region".into(), json!(path));
        m.insert("region_name".into(), json!(r.map(|r| site.region_names(r))));
    }
    Value::Object(m)
}

/// `value` pretty-printed as it would be `depth` levels down a document: every line after
/// its first indented by two spaces a level. (A JSON string holds no raw line break, so
/// every `\n` of the output is between lines.)
fn pretty_at(out: &mut Vec<u8>, value: &Value, depth: usize) {
    let text = serde_json::to_vec_pretty(value).unwrap_or_default();
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
            out.extend(std::iter::repeat_n(b' ', 2 * depth));
        }
        out.extend_from_slice(line);
    }
}
