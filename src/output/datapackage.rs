//! datapackage.json: a Frictionless Data Package that describes every CSV of `data/` and
//! `charts/` (each column's type, title, unit and, for `source`, what its values mean), with
//! the site's licence and the published sources its declared figures come from. At the
//! output's root, so that each resource's path stays inside the package.

use crate::labels;
use crate::site::Site;
use serde_json::{json, Map, Value};

/// One CSV the build wrote: its path and its header.
pub(crate) struct Csv {
    pub path: String,
    pub header: Vec<String>,
    /// What it is (a chart's title, a data file's label).
    pub title: String,
}

/// The header of a CSV's bytes (the first line, without the BOM that Excel needs).
pub(crate) fn header_of(bytes: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(bytes).unwrap_or("");
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(first.as_bytes());
    r.records()
        .next()
        .and_then(Result::ok)
        .map(|rec| rec.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

/// What a column holds: its Table Schema type, its unit (None: none), and whether its
/// values are the site's money unit.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Integer,
    Count,
    Money,
    Percent,
    Points,
    Date,
    Month,
    /// A figure whose unit is its row's measure (a target's, a ranking's).
    Measured,
    /// A rate's numerator or denominator: projects, or money for the completion of the
    /// year's investment.
    RateParts,
    /// Where a figure comes from: `entries`, `declared`, `partial`, `regions`.
    Source,
}

fn kind(column: &str) -> Kind {
    match column {
        "projects" | "declared_projects" | "missing" => Kind::Count,
        "reached" | "of" => Kind::RateParts,
        "period" | "year" | "level" | "rank" => Kind::Integer,
        "investment" | "annual_plan" | "invested" => Kind::Money,
        "rate" | "share" | "time_share" => Kind::Percent,
        "ahead" => Kind::Points,
        "updated" => Kind::Date,
        "as_of" => Kind::Month,
        "at_least" | "achieved" | "value" => Kind::Measured,
        "source" => Kind::Source,
        _ => Kind::Text,
    }
}

/// The Table Schema field of `column` in a site whose money unit is `unit`.
fn field(column: &str, unit: &str) -> Value {
    let mut f = Map::new();
    f.insert("name".into(), json!(column));
    let title = labels::label(&format!("field.{column}"));
    if !title.is_empty() {
        f.insert("title".into(), json!(title));
    }
    let (ty, unit, description): (&str, Option<String>, Option<String>) = match kind(column) {
        Kind::Text => ("string", None, None),
        Kind::Integer => ("integer", None, None),
        Kind::Count => ("integer", Some(labels::label("unit_projects").into()), None),
        Kind::Money => ("number", Some(unit.into()), None),
        Kind::Percent => ("number", Some("%".into()), None),
        Kind::Points => (
            "number",
            Some(labels::label("field.points_unit").into()),
            Some(labels::label("field.ahead_note").into()),
        ),
        Kind::Date => ("date", None, None),
        Kind::Month => (
            "integer",
            Some(labels::label("field.month_unit").into()),
            None,
        ),
        Kind::Measured => (
            "number",
            None,
            Some(labels::label("field.measured_note").replace("{unit}", unit)),
        ),
        Kind::RateParts => (
            "number",
            None,
            Some(labels::label("field.rate_parts_note").replace("{unit}", unit)),
        ),
        Kind::Source => ("string", None, Some(source_meanings())),
    };
    f.insert("type".into(), json!(ty));
    if let Some(d) = description.or_else(|| {
        unit.as_ref()
            .map(|u| format!("{}{u}", labels::label("field.unit_is")))
    }) {
        f.insert("description".into(), json!(d));
    }
    if let Some(u) = unit {
        // Not a Table Schema property: tools keep it, and readers see it in `description`.
        f.insert("unit".into(), json!(u));
    }
    if let Kind::Source = kind(column) {
        f.insert(
            "constraints".into(),
            json!({ "enum": SOURCES.iter().map(|(k, _)| *k).collect::<Vec<_>>() }),
        );
    }
    Value::Object(f)
}

/// The values of a `source` column, each with its label key.
const SOURCES: [(&str, &str); 4] = [
    ("entries", "source.entries"),
    ("declared", "source.declared"),
    ("partial", "source.partial"),
    ("regions", "source.regions"),
];

/// `entries：按收录项目合计；declared：…` for a `source` field's description.
fn source_meanings() -> String {
    let parts: Vec<String> = SOURCES
        .iter()
        .map(|(k, l)| format!("{k}：{}", labels::label(l)))
        .collect();
    format!("{}{}", labels::label("field.source_note"), parts.join("；"))
}

/// A resource name from a path: lowercase, with only the characters a name may hold.
fn resource_name(path: &str) -> String {
    path.trim_end_matches(".csv")
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '-' | '.' | '_') => c,
            _ => '-',
        })
        .collect()
}

/// The package's bytes.
pub(crate) fn package(site: &Site, csvs: &[Csv]) -> Vec<u8> {
    let unit = site.config.unit.as_str();
    let resources: Vec<Value> = csvs
        .iter()
        .map(|c| {
            let fields: Vec<Value> = c.header.iter().map(|h| field(h, unit)).collect();
            let mut schema = Map::new();
            schema.insert("fields".into(), Value::Array(fields));
            if c.path == crate::urls::PROJECTS_CSV {
                schema.insert("primaryKey".into(), json!(["id"]));
            }
            json!({
                "name": resource_name(&c.path),
                "path": c.path,
                "title": c.title,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                // The files begin with a byte order mark, for Excel.
                "encoding": "utf-8-sig",
                "schema": Value::Object(schema),
            })
        })
        .collect();
    let mut p = Map::new();
    p.insert("profile".into(), json!("tabular-data-package"));
    p.insert("title".into(), json!(site.config.title));
    if let Some(d) = &site.config.description {
        p.insert("description".into(), json!(d));
    }
    if let Some(url) = site.absolute_url(crate::urls::HOME) {
        p.insert("homepage".into(), json!(url));
    }
    if let Some(l) = &site.config.license {
        let mut lic = Map::new();
        if let Some(id) = &l.id {
            lic.insert("name".into(), json!(id));
        }
        lic.insert("path".into(), json!(l.url));
        if let Some(t) = &l.title {
            lic.insert("title".into(), json!(t));
        }
        p.insert("licenses".into(), json!([lic]));
    }
    let publisher = site
        .config
        .publisher
        .as_deref()
        .unwrap_or(&site.config.title);
    p.insert(
        "contributors".into(),
        json!([{ "title": publisher, "role": "publisher" }]),
    );
    // The published sources of the declared figures, one per period that names one.
    let mut sources: Vec<Value> = Vec::new();
    for period in &site.periods {
        if let Some(s) = &period.source {
            let mut v = Map::new();
            let title = s.cited();
            v.insert(
                "title".into(),
                json!(format!("{}：{title}", labels::period(period.number))),
            );
            if let Some(u) = &s.url {
                v.insert("path".into(), json!(u));
            }
            sources.push(Value::Object(v));
        }
    }
    if !sources.is_empty() {
        p.insert("sources".into(), Value::Array(sources));
    }
    p.insert("resources".into(), Value::Array(resources));
    let mut out = serde_json::to_vec_pretty(&Value::Object(p)).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_past_the_bom() {
        assert_eq!(
            header_of("\u{feff}id,name\n1,a\n".as_bytes()),
            ["id", "name"]
        );
        assert_eq!(header_of(b"a,\"b,c\"\n"), ["a", "b,c"]);
    }

    #[test]
    fn money_columns_carry_the_sites_unit() {
        let f = field("investment", "万元");
        assert_eq!(f["type"], "number");
        assert_eq!(f["unit"], "万元");
        assert_eq!(field("projects", "亿元")["type"], "integer");
        assert_eq!(field("updated", "亿元")["type"], "date");
        let s = field("source", "亿元");
        assert_eq!(s["constraints"]["enum"][1], "declared");
        assert!(s["description"]
            .as_str()
            .unwrap()
            .contains("declared：按公布数"));
        assert_eq!(
            resource_name("charts/region-a.b_pool.csv"),
            "charts-region-a.b_pool"
        );
    }
}
