//! Data downloads: data/projects.csv and data/projects.json, and the CSV writer every CSV uses.

use crate::amount::Amount;
use crate::labels;
use crate::site::Site;
use crate::urls;
use serde_json::{json, Map, Value};

const BOM: &[u8] = b"\xef\xbb\xbf";

/// Text that a spreadsheet would run as a formula is prefixed with `'`, as OWASP advises.
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A CSV file: UTF-8 with a byte-order mark, so that spreadsheets show Chinese correctly.
pub fn csv_bytes(head: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    // Writing into a Vec cannot fail.
    let _ = w.write_record(head);
    for r in rows {
        let _ = w.write_record(r.iter().map(|c| defuse(c)));
    }
    w.into_inner().unwrap_or_default()
}

fn amount(a: Option<Amount>) -> String {
    a.map(Amount::plain).unwrap_or_default()
}

/// data/projects.csv.
pub fn projects_csv(site: &Site) -> Vec<u8> {
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
                p.period.to_string(),
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
    csv_bytes(&head, &rows)
}

fn page_url(site: &Site, path: &str) -> String {
    match &site.config.base_url {
        Some(b) => urls::absolute(b, path),
        None => path.to_string(),
    }
}

/// An amount as a JSON number: its shortest form reads back to the same decimal.
fn number(a: Option<Amount>) -> Value {
    a.and_then(|a| a.plain().parse::<serde_json::Number>().ok())
        .map_or(Value::Null, Value::Number)
}

/// data/projects.json: the site's unit and every published project.
pub fn projects_json(site: &Site) -> Vec<u8> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_bom_and_defuses_formulas() {
        let b = csv_bytes(
            &["a", "b"],
            &[
                vec!["=1+2".into(), "-3.5".into()],
                vec!["x,y".into(), "中".into()],
            ],
        );
        assert!(b.starts_with(BOM));
        let t = String::from_utf8(b[3..].to_vec()).unwrap();
        assert_eq!(t, "a,b\r\n'=1+2,-3.5\r\n\"x,y\",中\r\n");
    }
}
