//! The chart of a year's targets, `targets-YEAR`: for each target, the share achieved beside
//! the time progress (the month's, or the plan's), from the targets' progress, never
//! recomputed here.

use super::data::{bar, with_note, Rows};
use super::Chart;
use crate::labels;
use crate::site::targets::tenths_text;
use crate::site::Site;

/// `targets-2023`.
pub fn name(year: i32) -> String {
    format!("targets-{year}")
}

/// The year of a chart of targets.
pub fn year_of(name: &str) -> Option<i32> {
    name.strip_prefix("targets-")?.parse().ok()
}

/// The years with targets, oldest first.
fn years(site: &Site) -> Vec<i32> {
    let mut y: Vec<i32> = site.targets.iter().map(|f| f.year).collect();
    y.sort_unstable();
    y.dedup();
    y
}

/// The names of the charts of targets.
pub fn names(site: &Site) -> Vec<String> {
    years(site).into_iter().map(name).collect()
}

/// Every chart of targets.
pub fn all(site: &Site) -> Vec<Chart> {
    years(site).into_iter().map(|y| chart(site, y)).collect()
}

fn chart(site: &Site, year: i32) -> Chart {
    let mut rows = Rows::default();
    let unknown = labels::label("unknown");
    for g in &site.target_progress {
        let file = &site.targets[g.file];
        if file.year != year {
            continue;
        }
        let t = &file.targets[g.target];
        let region = file
            .region
            .as_deref()
            .and_then(|p| site.region_tree.find(p))
            .map(|r| site.region_tree.list[r].name.clone());
        let label = match &region {
            Some(r) => format!("{r}·{}", t.label),
            None => t.label.clone(),
        };
        let pct = |t: Option<i64>| t.map(|t| format!("{}%", tenths_text(t)));
        let share = pct(g.share);
        let time = pct(g.time_share);
        let text = share.clone().unwrap_or_else(|| unknown.to_string());
        let note = g
            .source
            .filter(|s| *s != crate::site::FigureSource::Entries)
            .map(|s| labels::label(&format!("target_source.{}", s.key())).to_string());
        let said = with_note(
            &format!(
                "{text}，{} {}",
                labels::label("time_share"),
                time.clone().unwrap_or_else(|| unknown.to_string())
            ),
            note.as_ref(),
        );
        let value = g.share.map_or(0.0, |s| s as f64 / 10.0);
        rows.push(
            bar(&label, 0, value, &text, note),
            vec![
                label.clone(),
                share.clone().unwrap_or_else(|| unknown.into()),
                time.clone().unwrap_or_else(|| unknown.into()),
            ],
            vec![vec![
                file.region.clone().unwrap_or_default(),
                t.id.clone(),
                t.label.clone(),
                g.share.map(tenths_text).unwrap_or_default(),
                g.as_of.map(|m| m.to_string()).unwrap_or_default(),
                g.time_share.map(tenths_text).unwrap_or_default(),
                g.ahead.map(tenths_text).unwrap_or_default(),
                g.source.map(|s| s.key().to_string()).unwrap_or_default(),
            ]],
            &said,
        );
        // The time progress, marked by a bar of its own beside the target's.
        let time_label = labels::label("time_share").to_string();
        let time_value = g.time_share.map_or(0.0, |s| s as f64 / 10.0);
        let time_text = time.unwrap_or_else(|| unknown.to_string());
        let b = bar(&time_label, 3, time_value, &time_text, None);
        rows.push_bar(b, &time_text);
    }
    let head = ["target", "share", "time_share"]
        .map(|k| labels::label(k).to_string())
        .into();
    let series = vec![
        labels::label("share").to_string(),
        String::new(),
        String::new(),
        labels::label("time_share").to_string(),
    ];
    let mut c = rows.chart(
        name(year),
        labels::label("chart.targets").replace("{year}", &year.to_string()),
        series,
        head,
        vec![
            "region",
            "target",
            "label",
            "share",
            "as_of",
            "time_share",
            "ahead",
            "source",
        ],
    );
    c.notes = Some(labels::label("chart.note_targets").to_string());
    // A full bar is the target (100%), or the furthest past it.
    let longest = c
        .bars
        .iter()
        .flat_map(|b| &b.parts)
        .map(|p| p.value)
        .fold(100.0, f64::max);
    c.scale_max = Some(longest);
    c
}

/// The subtitle, notes and source line of a chart of targets: the targets' sources, and the
/// month the figures are as of.
pub fn credit(site: &Site, chart: &mut Chart, year: i32) {
    let mut source = vec![site.config.title.clone()];
    let files = site.targets.iter().filter(|f| f.year == year);
    for s in files.filter_map(|f| f.source.as_ref()) {
        let title = crate::labels::work_title(&s.title);
        if !source.contains(&title) {
            source.push(title);
        }
    }
    let month = site
        .target_progress
        .iter()
        .filter(|g| site.targets[g.file].year == year)
        .filter_map(|g| g.as_of)
        .max();
    if let Some(m) = month {
        source.push(labels::label("chart.as_of").replace("{date}", &format!("{year}年{m}月")));
    }
    chart.source = format!("{}：{}", labels::label("chart.source"), source.join("；"));
}
