//! The views of targets (a year's files, each target's progress against the time) and of
//! the rate chain, for templates.

use super::views::SourceBrief;
use crate::content::period::DeclaredSource;
use crate::content::targets::Measure;
use crate::labels;
use crate::site::chain::Link;
use crate::site::targets::{tenths_text, Progress};
use crate::site::{FigureSource, Site};
use crate::urls;
use serde::Serialize;

/// One target with its progress.
#[derive(Serialize, Hash)]
pub(crate) struct TargetView {
    pub id: String,
    pub label: String,
    /// 签约一批 · 制造业 …: what it counts.
    pub scope: String,
    pub at_least: String,
    /// None: 未载明.
    pub achieved: Option<String>,
    pub share: Option<String>,
    /// `1—9月`.
    pub as_of: Option<String>,
    pub time_share: Option<String>,
    /// 超时序进度 5.7 个百分点 / 滞后时序进度 … / 与时序进度持平.
    pub ahead: Option<String>,
    pub behind: bool,
    /// Whether the time progress is the plan's (逐月分解) rather than the month's.
    pub planned: bool,
    pub source: Option<&'static str>,
    pub source_label: Option<&'static str>,
    /// What the figure stands on, in words, where a reader would ask.
    pub note: Option<String>,
    /// The report the figure comes from, for a reported (declared) one.
    pub reported_by: Option<SourceBrief>,
}

/// One file: a year's targets for the site or a region.
#[derive(Serialize, Hash)]
pub(crate) struct TargetsView {
    pub year: i32,
    pub region: Option<String>,
    pub region_path: Option<String>,
    pub source: Option<SourceBrief>,
    pub targets: Vec<TargetView>,
}

fn brief(s: &DeclaredSource) -> SourceBrief {
    SourceBrief {
        title: s.title.clone(),
        url: s.url.clone(),
        publisher: s.publisher.clone(),
        date: s.date.map(|d| d.iso()),
        date_zh: s.date.map(|d| d.chinese()),
    }
}

/// An amount or count of a target's measure, with its unit.
fn shown(site: &Site, m: Measure, a: crate::amount::Amount) -> String {
    match m {
        Measure::Projects => format!("{} {}", a.plain(), labels::label("unit_projects")),
        _ => labels::money(a, &site.config.unit),
    }
}

/// The months a cumulative figure covers: `1—9月`, or `1月`.
fn months(m: u32) -> String {
    if m == 1 {
        labels::label("target_month_one").to_string()
    } else {
        labels::label("target_months").replace("{m}", &m.to_string())
    }
}

impl TargetView {
    fn new(site: &Site, g: &Progress) -> TargetView {
        let file = &site.targets[g.file];
        let t = &file.targets[g.target];
        let mut scope: Vec<String> = t
            .batch
            .map(|b| labels::batch(b).to_string())
            .into_iter()
            .collect();
        scope.extend(t.tags.iter().cloned());
        if !t.sectors.is_empty() {
            scope.push(t.sectors.join("、"));
        }
        let note = match g.source {
            Some(FigureSource::Partial) if g.unknown > 0 => {
                Some(labels::label("target_unknown_some").replace("{n}", &g.unknown.to_string()))
            }
            Some(FigureSource::Partial) => Some(labels::label("target_partial").to_string()),
            None if g.unknown > 0 => {
                Some(labels::label("target_unknown_all").replace("{n}", &g.unknown.to_string()))
            }
            None => Some(labels::label("target_none").to_string()),
            _ => None,
        };
        let reported_by = (g.source == Some(FigureSource::Declared))
            .then(|| {
                file.reported
                    .iter()
                    .rev()
                    .find(|r| Some(r.month) == g.as_of && r.values.contains_key(&t.id))
                    .and_then(|r| r.source.as_ref().or(file.source.as_ref()))
                    .map(brief)
            })
            .flatten();
        let ahead = g.ahead.map(|a| {
            let key = match a.signum() {
                1 => "target_ahead",
                -1 => "target_behind",
                _ => "target_level",
            };
            labels::label(key).replace("{n}", &tenths_text(a.abs()))
        });
        TargetView {
            id: t.id.clone(),
            label: t.label.clone(),
            scope: scope.join(" · "),
            at_least: shown(site, t.measure, t.at_least),
            achieved: g.achieved.map(|a| shown(site, t.measure, a)),
            share: g.share.map(|s| format!("{}%", tenths_text(s))),
            as_of: g.as_of.map(months),
            time_share: g.time_share.map(|s| format!("{}%", tenths_text(s))),
            ahead,
            behind: g.ahead.is_some_and(|a| a < 0),
            planned: g.as_of.is_some_and(|m| t.plan.contains_key(&m)),
            source: g.source.map(FigureSource::key),
            source_label: g
                .source
                .map(|s| labels::label(&format!("target_source.{}", s.key()))),
            note,
            reported_by,
        }
    }
}

impl TargetsView {
    /// The files of `year` (all years with None) whose region is `region` (any with None,
    /// the site's own with Some(None)).
    pub(crate) fn of(
        site: &Site,
        year: Option<i32>,
        region: Option<Option<&str>>,
    ) -> Vec<TargetsView> {
        site.targets
            .iter()
            .enumerate()
            .filter(|(_, f)| year.is_none_or(|y| f.year == y))
            .filter(|(_, f)| region.is_none_or(|r| f.region.as_deref() == r))
            .map(|(i, f)| {
                let r = f.region.as_deref().and_then(|p| site.region_tree.find(p));
                TargetsView {
                    year: f.year,
                    region: r.map(|r| site.region_names(r)),
                    region_path: r.map(|r| urls::region(&site.region_tree.list[r].path)),
                    source: f.source.as_ref().map(brief),
                    targets: site
                        .target_progress
                        .iter()
                        .filter(|g| g.file == i)
                        .map(|g| TargetView::new(site, g))
                        .collect(),
                }
            })
            .collect()
    }
}

/// The years with targets, newest first.
pub(crate) fn years(site: &Site) -> Vec<i32> {
    let mut y: Vec<i32> = site.targets.iter().map(|f| f.year).collect();
    y.sort_unstable_by(|a, b| b.cmp(a));
    y.dedup();
    y
}

/// A link of the rate chain.
#[derive(Serialize, Hash)]
pub(crate) struct ChainView {
    pub key: &'static str,
    pub label: &'static str,
    pub reached: u64,
    pub of: u64,
    pub rate: String,
    pub source: &'static str,
    pub source_label: &'static str,
    /// How it is counted, in the province's words.
    pub method: &'static str,
}

impl ChainView {
    pub(crate) fn all(links: &[Link]) -> Vec<ChainView> {
        links
            .iter()
            .map(|l| ChainView {
                key: l.state.key(),
                label: labels::label(l.label_key()),
                reached: l.reached,
                of: l.of,
                rate: l.rate_text(),
                source: l.source.key(),
                source_label: labels::label(&format!("source.{}", l.source.key())),
                method: labels::label(&format!("{}_method", l.label_key())),
            })
            .collect()
    }
}
