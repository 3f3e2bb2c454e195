//! data/oc4ids.json: the site's projects as an OC4IDS 0.9.5 project package (the Open
//! Contracting for Infrastructure Data Standard), field by field as docs/open-data.md maps
//! them. Written only when site.yaml gives an `oc4ids_prefix`: a project's OC4IDS id must
//! begin with a prefix the standard's maintainers registered for the publisher.

use crate::amount::{unit_exponent, Amount};
use crate::content::project::Project;
use crate::model::{Batch, Date};
use crate::site::Site;
use crate::{labels, urls};
use serde_json::{json, Map, Value};

/// The party role of a project's owner (an addition to the open partyRole codelist).
pub(crate) const OWNER_ROLE: &str = "projectOwner";

/// The schema version the package declares.
pub(crate) const VERSION: &str = "0.9";

/// What the package lacks, when it cannot be written (for one warning).
pub(crate) enum Skipped {
    /// site.yaml gives no `oc4ids_prefix`.
    Prefix,
    /// The site has no projects (a package holds at least one).
    Projects,
    /// No period and no project gives a date for `publishedDate`.
    Date,
}

/// The package's bytes, or why there is none.
pub(crate) fn package(site: &Site) -> Result<Vec<u8>, Skipped> {
    let prefix = site
        .config
        .oc4ids_prefix
        .as_deref()
        .ok_or(Skipped::Prefix)?;
    if site.projects.is_empty() {
        return Err(Skipped::Projects);
    }
    let published = published(site).ok_or(Skipped::Date)?;
    let projects: Vec<Value> = site
        .projects
        .iter()
        .map(|p| project(site, prefix, p))
        .collect();
    let publisher = site
        .config
        .publisher
        .as_deref()
        .unwrap_or(&site.config.title);
    let mut pkg = Map::new();
    pkg.insert("uri".into(), json!(uri(site, urls::OC4IDS_JSON)));
    pkg.insert("publishedDate".into(), json!(date_time(published)));
    pkg.insert("version".into(), json!(VERSION));
    pkg.insert("publisher".into(), json!({ "name": publisher }));
    if let Some(l) = &site.config.license {
        pkg.insert("license".into(), json!(l.url));
    }
    pkg.insert("projects".into(), Value::Array(projects));
    let mut out = serde_json::to_vec_pretty(&Value::Object(pkg)).unwrap_or_default();
    out.push(b'\n');
    Ok(out)
}

/// The day the package's contents were last changed: the latest period's date or the latest
/// day a project was updated, whichever is later (never the day of the build).
pub(crate) fn published(site: &Site) -> Option<Date> {
    let latest = site.latest_period().and_then(|p| p.date);
    site.projects
        .iter()
        .filter_map(|p| p.updated)
        .max()
        .max(latest)
}

/// A date as OC4IDS writes one: the start of the day in China Standard Time, where the
/// campaign's dates are.
fn date_time(d: Date) -> String {
    format!("{}T00:00:00+08:00", d.iso())
}

/// An absolute URL of the site, or a `urn:` made of the site's title and the path when it
/// has no `base_url` (the package's `uri` must be a URI).
fn uri(site: &Site, path: &str) -> String {
    site.absolute_url(path).unwrap_or_else(|| {
        let hex: String = site
            .config
            .title
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("urn:sanpi:{hex}:{path}")
    })
}

/// The OC4IDS status of a batch: signed projects are being prepared, started ones built,
/// producing ones complete.
pub(crate) fn status(b: Batch) -> &'static str {
    match b {
        Batch::Signed => "preparation",
        Batch::Started => "implementation",
        Batch::Producing => "completion",
    }
}

/// An amount in the site's unit as a number of 元, exact (None for a unit sanpi cannot turn
/// into 元, such as 美元).
pub(crate) fn yuan(a: Amount, unit: &str) -> Option<Value> {
    let e = unit_exponent(unit)?;
    let m = i128::from(a.millionths()) * 10i128.pow(e);
    let scale = 1_000_000i128;
    if m % scale == 0 {
        let whole = i64::try_from(m / scale).ok()?;
        return Some(json!(whole));
    }
    // Fractions of a 元 (a unit of 元 or 万元 with decimals): at most six decimals, which an
    // f64 holds exactly enough for serde_json to print them back.
    let text = format!(
        "{}{}.{:06}",
        if m < 0 { "-" } else { "" },
        (m.abs() / scale),
        m.abs() % scale
    );
    text.trim_end_matches('0')
        .parse::<f64>()
        .ok()
        .map(|f| json!(f))
}

/// The projectSector code of a sector name, where the codelist has one that fits it
/// exactly; OC4IDS has no code for manufacturing, industry parks or commerce, and a
/// sector it does not fit is left out rather than mislabelled.
pub(crate) fn sector_code(name: &str) -> Option<&'static str> {
    Some(match name.trim() {
        "教育" => "education",
        "卫生" | "医疗卫生" | "卫生健康" => "health",
        "能源" => "energy",
        "交通" | "交通运输" => "transport",
        "通信" | "信息通信" => "communications",
        "保障性住房" | "保障房" => "socialHousing",
        "文化体育" | "文体" => "cultureSportsAndRecreation",
        _ => return None,
    })
}

fn project(site: &Site, prefix: &str, p: &Project) -> Value {
    let unit = site.config.unit.as_str();
    let mut o = Map::new();
    o.insert("id".into(), json!(format!("{prefix}-{}", p.id)));
    let latest = site.latest_period().and_then(|l| l.date);
    if let Some(d) = p.updated.max(latest) {
        o.insert("updated".into(), json!(date_time(d)));
    }
    o.insert("language".into(), json!(site.config.language));
    o.insert(
        "identifiers".into(),
        json!([{ "id": p.id, "scheme": site.config.title }]),
    );
    o.insert("title".into(), json!(p.name));
    let text = crate::output::search::indexed_text(&p.body);
    if !text.trim().is_empty() {
        o.insert("description".into(), json!(text));
    }
    o.insert("status".into(), json!(status(p.batch)));
    if let Some(code) = p.sector.as_deref().and_then(sector_code) {
        o.insert("sector".into(), json!([code]));
    }
    if let Some(amount) = p.investment.and_then(|a| yuan(a, unit)) {
        o.insert(
            "budget".into(),
            json!({ "amount": { "amount": amount, "currency": "CNY" } }),
        );
    }
    let region = p
        .region
        .as_deref()
        .and_then(|r| site.region_tree.find(r))
        .map(|r| site.region_names(r));
    if region.is_some() || p.location.is_some() {
        let mut l = Map::new();
        l.insert("id".into(), json!("1"));
        let description: Vec<&str> = region
            .as_deref()
            .into_iter()
            .chain(p.location.as_deref())
            .collect();
        l.insert("description".into(), json!(description.join(" ")));
        if let Some(r) = &region {
            l.insert("address".into(), json!({ "region": r }));
        }
        o.insert("locations".into(), json!([l]));
    }
    if let Some(owner) = &p.owner {
        // The owner (建设单位), often an enterprise: partyRole has no code for a project's
        // owner and is an open codelist, so sanpi adds `projectOwner` rather than call an
        // enterprise the public authority.
        o.insert(
            "parties".into(),
            json!([{ "id": "owner", "name": owner, "roles": [OWNER_ROLE] }]),
        );
    }
    let milestones = milestones(site, p);
    if !milestones.is_empty() {
        o.insert("milestones".into(), Value::Array(milestones));
    }
    if let Some(url) = site.absolute_url(&urls::project(&p.id)) {
        o.insert(
            "documents".into(),
            json!([{
                "id": "page",
                "title": p.name,
                "url": url,
                "format": "text/html",
                "language": site.config.language,
            }]),
        );
    }
    Value::Object(o)
}

/// Its entries into batches (in a period with a known date) and its own milestones: a
/// planned one (`计划开工`) is `scheduled` and due on its date, any other `met` on it.
fn milestones(site: &Site, p: &Project) -> Vec<Value> {
    let mut out = Vec::new();
    for (b, n) in p.steps() {
        let Some(period) = n.and_then(|n| site.period(n)) else {
            continue;
        };
        let mut m = Map::new();
        m.insert("id".into(), json!(format!("batch-{}", b.key())));
        m.insert(
            "title".into(),
            json!(format!(
                "{}{}（{}）",
                labels::label("entered"),
                labels::batch(b),
                labels::period(period.number)
            )),
        );
        m.insert("type".into(), json!("approval"));
        if let Some(d) = period.date {
            m.insert("dateMet".into(), json!(date_time(d)));
        }
        m.insert("status".into(), json!("met"));
        out.push(Value::Object(m));
    }
    for (k, ms) in p.milestones.iter().enumerate() {
        let planned = ms.title.starts_with(labels::label("milestone.planned"));
        let mut m = Map::new();
        m.insert("id".into(), json!(format!("m{}", k + 1)));
        m.insert("title".into(), json!(ms.title));
        if let Some(n) = &ms.note {
            m.insert("description".into(), json!(n));
        }
        let (when, status) = if planned {
            ("dueDate", "scheduled")
        } else {
            ("dateMet", "met")
        };
        m.insert(when.into(), json!(date_time(ms.date)));
        m.insert("status".into(), json!(status));
        out.push(Value::Object(m));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_in_yuan() {
        let a = |s: &str| Amount::parse(s).unwrap();
        assert_eq!(yuan(a("228.35"), "亿元"), Some(json!(22_835_000_000i64)));
        assert_eq!(yuan(a("0.000001"), "亿元"), Some(json!(100)));
        assert_eq!(yuan(a("12.34"), "万元"), Some(json!(123_400)));
        assert_eq!(yuan(a("1.5"), "元"), Some(json!(1.5)));
        assert_eq!(yuan(a("3"), "美元"), None);
    }

    #[test]
    fn statuses_and_sectors() {
        assert_eq!(status(Batch::Signed), "preparation");
        assert_eq!(status(Batch::Started), "implementation");
        assert_eq!(status(Batch::Producing), "completion");
        assert_eq!(sector_code("交通运输"), Some("transport"));
        assert_eq!(sector_code("先进制造业"), None);
        assert_eq!(sector_code("电子信息"), None);
    }
}
