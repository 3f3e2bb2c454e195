//! content/targets/*.yaml: a year's targets for the site or for a region (FORMAT.md, "Targets
//! and time progress"), each a measure over the projects entering a batch in the year, with
//! an optional monthly plan and the cumulative figures reported against them.

use crate::amount::Amount;
use crate::content::entry::{self, Origin};
use crate::content::period::DeclaredSource;
use crate::diagnostics::Diagnostic;
use crate::model::{is_slug, Batch};
use crate::source::Source;
use crate::yaml::{self, Key};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

/// What a target measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The `investment` of the projects entering the batch.
    Investment,
    /// How many projects enter the batch.
    Projects,
    /// The `invested` (完成投资) of the projects.
    Invested,
}

impl Measure {
    pub fn key(self) -> &'static str {
        match self {
            Measure::Investment => "investment",
            Measure::Projects => "projects",
            Measure::Invested => "invested",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    year: i64,
    region: Option<String>,
    source: Option<DeclaredSource>,
    #[serde(default)]
    targets: Vec<RawTarget>,
    #[serde(default)]
    reported: Vec<RawReported>,
    extra: Option<yaml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    id: String,
    label: String,
    measure: Measure,
    batch: Option<Batch>,
    tags: Option<Vec<String>>,
    sectors: Option<Vec<String>>,
    at_least: Amount,
    plan: Option<BTreeMap<i64, Amount>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReported {
    month: i64,
    values: BTreeMap<String, Amount>,
    source: Option<DeclaredSource>,
}

/// One target.
#[derive(Debug, Clone)]
pub struct Target {
    pub id: String,
    pub label: String,
    pub measure: Measure,
    /// The batch the counted projects enter in the year; None for `invested` over all of them.
    pub batch: Option<Batch>,
    /// The projects kept have all these tags (empty: no filter).
    pub tags: Vec<String>,
    /// … and one of these sectors (empty: no filter).
    pub sectors: Vec<String>,
    pub at_least: Amount,
    /// 逐月分解: the cumulative plan by month (1–12), not decreasing.
    pub plan: BTreeMap<u32, Amount>,
}

/// Figures published for the year so far (1—N月), by target id.
#[derive(Debug, Clone)]
pub struct Reported {
    pub month: u32,
    pub values: BTreeMap<String, Amount>,
    /// Its own source, else the file's.
    pub source: Option<DeclaredSource>,
}

/// One file of content/targets/.
#[derive(Debug, Clone)]
pub struct Targets {
    pub year: i32,
    /// A region's path (checked with the site), None for the whole site.
    pub region: Option<String>,
    pub source: Option<DeclaredSource>,
    pub targets: Vec<Target>,
    /// By month, oldest first.
    pub reported: Vec<Reported>,
    pub origin: Origin,
}

/// The years a target may be for.
const YEARS: std::ops::RangeInclusive<i64> = 2000..=2100;

impl Targets {
    /// Reads one file; every error of it, each at its value.
    pub fn parse(src: &Source) -> Result<Targets, Vec<Diagnostic>> {
        let parsed = entry::parse::<RawFile>(src, false).map_err(|d| vec![d])?;
        let (raw, origin) = (parsed.raw, parsed.origin);
        let mut errors = Vec::new();
        if !YEARS.contains(&raw.year) {
            errors.push(
                origin
                    .error(
                        &[Key::Field("year")],
                        format!("{} is not a year of a campaign", raw.year),
                    )
                    .with_hint("write the year in full, such as 2023"),
            );
        }
        let mut ids = HashSet::new();
        let mut targets = Vec::new();
        for (i, t) in raw.targets.iter().enumerate() {
            let at = |k: &'static str| [Key::Field("targets"), Key::Index(i), Key::Field(k)];
            if !is_slug(&t.id) {
                errors.push(
                    origin
                        .error(&at("id"), format!("`{}` is not a target's id", t.id))
                        .with_hint("lowercase ASCII letters, digits and hyphens, such as signed-investment"),
                );
            } else if !ids.insert(t.id.clone()) {
                errors.push(origin.error(
                    &at("id"),
                    format!("the id `{}` is taken by another target of the file", t.id),
                ));
            }
            if t.label.trim().is_empty() {
                errors
                    .push(origin.error(&at("label"), "a target needs a label (新签约项目签约额)"));
            }
            if t.batch.is_none() && t.measure != Measure::Invested {
                errors.push(
                    origin
                        .error(&at("measure"), format!("a target of `{}` needs a `batch`: the projects entering it in the year are counted", t.measure.key()))
                        .with_hint("add `batch: signed`, `started` or `producing`"),
                );
            }
            if t.at_least == Amount::ZERO {
                errors.push(origin.error(
                    &at("at_least"),
                    "`at_least` is 0: a target is a positive amount or count",
                ));
            }
            if t.measure == Measure::Projects && t.at_least.decimals() > 0 {
                errors.push(origin.error(&at("at_least"), "a count of projects is a whole number"));
            }
            for (j, tag) in t.tags.iter().flatten().enumerate() {
                if tag.trim().is_empty() {
                    let k = [
                        Key::Field("targets"),
                        Key::Index(i),
                        Key::Field("tags"),
                        Key::Index(j),
                    ];
                    errors.push(origin.error(&k, "a tag is empty"));
                }
            }
            let mut plan = BTreeMap::new();
            let mut before: Option<(i64, Amount)> = None;
            for (&month, &value) in t.plan.iter().flatten() {
                let m = month.to_string();
                let k = [
                    Key::Field("targets"),
                    Key::Index(i),
                    Key::Field("plan"),
                    Key::Name(&m),
                ];
                if !(1..=12).contains(&month) {
                    errors.push(
                        origin.error(&k, format!("{month} is not a month: months are 1 to 12")),
                    );
                    continue;
                }
                if let Some((bm, bv)) = before.filter(|&(_, bv)| value < bv) {
                    errors.push(
                        origin
                            .error(&k, format!("the plan decreases: {} by month {month}, after {} by month {bm}", value.plain(), bv.plain()))
                            .with_hint("a plan (逐月分解) is cumulative: each month's figure includes the months before it"),
                    );
                }
                before = Some((month, value));
                plan.insert(month as u32, value);
            }
            targets.push(Target {
                id: t.id.clone(),
                label: t.label.trim().to_string(),
                measure: t.measure,
                batch: t.batch,
                tags: t
                    .tags
                    .iter()
                    .flatten()
                    .map(|s| s.trim().to_string())
                    .collect(),
                sectors: t
                    .sectors
                    .iter()
                    .flatten()
                    .map(|s| s.trim().to_string())
                    .collect(),
                at_least: t.at_least,
                plan,
            });
        }
        let mut reported = Vec::new();
        for (i, r) in raw.reported.iter().enumerate() {
            let at = |k: &'static str| [Key::Field("reported"), Key::Index(i), Key::Field(k)];
            if !(1..=12).contains(&r.month) {
                errors.push(origin.error(
                    &at("month"),
                    format!("{} is not a month: months are 1 to 12", r.month),
                ));
                continue;
            }
            for id in r.values.keys().filter(|id| !ids.contains(*id)) {
                let k = [
                    Key::Field("reported"),
                    Key::Index(i),
                    Key::Field("values"),
                    Key::Name(id),
                ];
                let known: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
                errors.push(
                    origin
                        .error(&k, format!("no target of the file has the id `{id}`"))
                        .with_hint(format!("the targets are {}", known.join(", "))),
                );
            }
            reported.push(Reported {
                month: r.month as u32,
                values: r.values.clone(),
                source: r.source.clone(),
            });
        }
        reported.sort_by_key(|r| r.month);
        if !errors.is_empty() {
            return Err(errors);
        }
        let _ = raw.extra;
        Ok(Targets {
            year: raw.year as i32,
            region: entry::optional_text(raw.region).map(|r| r.trim_matches('/').to_string()),
            source: raw.source,
            targets,
            reported,
            origin,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Targets, Vec<String>> {
        let src =
            crate::source::decode(text.as_bytes().to_vec(), "content/targets/2023.yaml").unwrap();
        Targets::parse(&src).map_err(|e| e.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn a_years_targets_read_with_plans_and_reports() {
        let t = parse("year: 2023\nregion: dongchuan/\ntargets:\n  - {id: signed-investment, label: 新签约项目签约额, measure: investment, batch: signed, at_least: 400}\n  - id: invested\n    label: 年度完成投资\n    measure: invested\n    at_least: 15.8\n    plan: {3: 3.2, 12: 15.8}\nreported:\n  - {month: 9, values: {invested: 4.1}}\n  - {month: 3, values: {invested: 1}}\n").unwrap();
        assert_eq!(t.year, 2023);
        assert_eq!(t.region.as_deref(), Some("dongchuan"));
        assert_eq!(t.targets[1].plan[&3].plain(), "3.2");
        assert_eq!(
            t.reported.iter().map(|r| r.month).collect::<Vec<_>>(),
            [3, 9]
        );
    }

    #[test]
    fn bad_input_is_an_error_where_it_stands() {
        let e = parse("year: 23\n").unwrap_err();
        assert_eq!(e, ["error: content/targets/2023.yaml:1:7: 23 is not a year of a campaign; write the year in full, such as 2023"]);
        let e = parse("year: 2023\ntargets:\n  - {id: a, label: 甲, measure: projects, batch: signed, at_least: 3}\n  - {id: a, label: 乙, measure: money, batch: signed, at_least: 3}\n").unwrap_err();
        assert!(
            e[0].starts_with("error: content/targets/2023.yaml:4:"),
            "{e:?}"
        );
        assert!(e[0].contains("money"), "{e:?}");
        let e = parse("year: 2023\ntargets:\n  - {id: a, label: 甲, measure: projects, batch: signed, at_least: 3}\n  - {id: a, label: 乙, measure: projects, at_least: 0}\n").unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].contains("4:10: the id `a` is taken"), "{e:?}");
        assert!(e[1].contains("needs a `batch`"), "{e:?}");
        assert!(e[2].contains("`at_least` is 0"), "{e:?}");
        let e = parse("year: 2023\ntargets:\n  - id: a\n    label: 甲\n    measure: invested\n    at_least: 10\n    plan: {3: 4, 6: 2, 13: 9}\nreported:\n  - {month: 0, values: {}}\n  - {month: 5, values: {b: 1}}\n").unwrap_err();
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(
            e[0].contains("7:18: the plan decreases: 2 by month 6, after 4 by month 3"),
            "{e:?}"
        );
        assert!(e[1].contains("7:24: 13 is not a month"), "{e:?}");
        assert!(e[2].contains("9:13: 0 is not a month"), "{e:?}");
        assert!(
            e[3].contains("10:25: no target of the file has the id `b`"),
            "{e:?}"
        );
        let e = parse("year: 2023\ntargets:\n  - {id: a, label: 甲, measure: projects, batch: signed, at_least: 3, tags: [[x]]}\n").unwrap_err();
        assert!(
            e[0].starts_with("error: content/targets/2023.yaml:3:"),
            "{e:?}"
        );
    }
}
