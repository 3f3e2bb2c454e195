//! The numbers of each chart, computed from the Site.

use super::{Bar, Chart, Part};
use crate::amount::Amount;
use crate::content::project::Project;
use crate::labels;
use crate::model::{Batch, SiteChart};
use crate::site::{FigureSource, Site};

/// Builds the chart called `name` (one of [`super::NAMES`]).
pub fn build(site: &Site, chart: SiteChart) -> Chart {
    match chart {
        SiteChart::InvestmentByBatch => investment_by_batch(site),
        SiteChart::ProjectsByBatch => projects_by_batch(site),
        SiteChart::InvestmentByPeriod => by_period(site, true),
        SiteChart::ProjectsByPeriod => by_period(site, false),
        SiteChart::InvestmentBySector => investment_by_sector(site),
    }
}

fn money(site: &Site, a: Amount) -> String {
    labels::money(a, &site.config.unit)
}

fn title(name: &str) -> String {
    labels::label(&format!("chart.{name}")).to_string()
}

fn empty(
    name: &'static str,
    head: Vec<String>,
    csv_head: Vec<&'static str>,
    note: String,
) -> Chart {
    Chart {
        name: name.to_string(),
        title: title(name),
        desc: note.clone(),
        series: vec![],
        bars: vec![],
        empty_note: Some(note),
        table_head: head,
        table_rows: vec![],
        csv_head,
        csv_rows: vec![],
    }
}

fn investment_by_batch(site: &Site) -> Chart {
    let name = "investment-by-batch";
    let mut bars = Vec::new();
    let mut rows = Vec::new();
    let mut csv = Vec::new();
    let mut desc = Vec::new();
    for s in &site.batches {
        let label = labels::batch(s.batch).to_string();
        let note = match s.source {
            FigureSource::Entries => None,
            FigureSource::Declared => Some(labels::label("declared").to_string()),
            FigureSource::Partial => Some(labels::missing_amounts(s.missing())),
        };
        let text = money(site, s.investment);
        desc.push(format!(
            "{label} {text}{}",
            note.as_ref()
                .map(|n| format!("（{n}）"))
                .unwrap_or_default()
        ));
        bars.push(Bar {
            label: label.clone(),
            parts: vec![Part {
                series: s.batch.index(),
                value: s.investment.as_f64(),
            }],
            value_text: text.clone(),
            note,
        });
        rows.push(vec![
            label.clone(),
            s.projects.len().to_string(),
            text,
            labels::label(&format!("source.{}", s.source.key())).to_string(),
        ]);
        csv.push(vec![
            s.batch.key().to_string(),
            label,
            s.projects.len().to_string(),
            s.investment.plain(),
            s.source.key().to_string(),
        ]);
    }
    Chart {
        name: name.to_string(),
        title: title(name),
        desc: format!("{}：{}。", title(name), desc.join("；")),
        series: vec![],
        bars,
        empty_note: None,
        table_head: vec![
            labels::label("batch").into(),
            labels::label("count").into(),
            labels::label("investment").into(),
            labels::label("source").into(),
        ],
        table_rows: rows,
        csv_head: vec!["batch", "label", "projects", "investment", "source"],
        csv_rows: csv,
    }
}

fn projects_by_batch(site: &Site) -> Chart {
    let name = "projects-by-batch";
    let unit = labels::label("unit_projects");
    let mut bars = Vec::new();
    let mut rows = Vec::new();
    let mut csv = Vec::new();
    let mut desc = Vec::new();
    for s in &site.batches {
        let label = labels::batch(s.batch).to_string();
        let n = s.projects.len();
        let declared = s.declared.as_ref().and_then(|d| d.count);
        let note = declared
            .filter(|&d| d != n as u64)
            .map(|d| format!("{} {d} {unit}", labels::label("declared")));
        desc.push(format!(
            "{label} {n} {unit}{}",
            note.as_ref()
                .map(|x| format!("（{x}）"))
                .unwrap_or_default()
        ));
        bars.push(Bar {
            label: label.clone(),
            parts: vec![Part {
                series: s.batch.index(),
                value: n as f64,
            }],
            value_text: format!("{n} {unit}"),
            note,
        });
        rows.push(vec![
            label.clone(),
            n.to_string(),
            declared
                .map(|d| d.to_string())
                .unwrap_or_else(|| "—".into()),
        ]);
        csv.push(vec![
            s.batch.key().into(),
            label,
            n.to_string(),
            declared.map(|d| d.to_string()).unwrap_or_default(),
        ]);
    }
    Chart {
        name: name.to_string(),
        title: title(name),
        desc: format!("{}：{}。", title(name), desc.join("；")),
        series: vec![],
        bars,
        empty_note: None,
        table_head: vec![
            labels::label("batch").into(),
            labels::label("entries_count").into(),
            labels::label("declared").into(),
        ],
        table_rows: rows,
        csv_head: vec!["batch", "label", "projects", "declared_projects"],
        csv_rows: csv,
    }
}

/// For each period, what entered each batch: current batches and earlier ones from history.
fn by_period(site: &Site, investment: bool) -> Chart {
    let name: &'static str = if investment {
        "investment-by-period"
    } else {
        "projects-by-period"
    };
    let series: Vec<String> = Batch::ALL
        .iter()
        .map(|&b| labels::batch(b).to_string())
        .collect();
    let mut bars = Vec::new();
    let mut rows = Vec::new();
    let mut csv = Vec::new();
    let mut desc = Vec::new();
    let mut any_amount = false;
    for p in &site.periods {
        let mut parts = Vec::new();
        let mut cells = vec![labels::period(p.number)];
        let mut total = Amount::ZERO;
        let mut total_n = 0usize;
        for b in Batch::ALL {
            let entering: Vec<&Project> = site
                .projects
                .iter()
                .filter(|x| x.entered(b, p.number))
                .collect();
            let sum: Amount = entering.iter().filter_map(|x| x.investment).sum();
            let missing = entering.iter().filter(|x| x.investment.is_none()).count();
            any_amount |= entering.iter().any(|x| x.investment.is_some());
            total = total + sum;
            total_n += entering.len();
            let v = if investment {
                sum.as_f64()
            } else {
                entering.len() as f64
            };
            if v > 0.0 {
                parts.push(Part {
                    series: b.index(),
                    value: v,
                });
            }
            cells.push(if investment {
                money(site, sum)
            } else {
                entering.len().to_string()
            });
            csv.push(vec![
                p.number.to_string(),
                b.key().to_string(),
                entering.len().to_string(),
                sum.plain(),
                missing.to_string(),
            ]);
        }
        let value_text = if investment {
            money(site, total)
        } else {
            format!("{total_n} {}", labels::label("unit_projects"))
        };
        desc.push(format!("{} {}", labels::period(p.number), value_text));
        rows.push(cells);
        bars.push(Bar {
            label: labels::period(p.number),
            parts,
            value_text,
            note: None,
        });
    }
    let mut head = vec![labels::label("period").to_string()];
    head.extend(series.iter().cloned());
    let csv_head = vec!["period", "batch", "projects", "investment", "missing"];
    if site.periods.is_empty() {
        return empty(
            name,
            head,
            csv_head,
            labels::label("chart.no_periods").into(),
        );
    }
    let empty_note =
        (investment && !any_amount).then(|| labels::label("chart.no_amounts").to_string());
    Chart {
        name: name.to_string(),
        title: title(name),
        desc: format!("{}：{}。", title(name), desc.join("；")),
        series,
        bars: if empty_note.is_some() { vec![] } else { bars },
        empty_note,
        table_head: head,
        table_rows: rows,
        csv_head,
        csv_rows: csv,
    }
}

fn investment_by_sector(site: &Site) -> Chart {
    let name = "investment-by-sector";
    let head = vec![
        labels::label("sector").into(),
        labels::label("count").into(),
        labels::label("investment").into(),
    ];
    let csv_head = vec!["sector", "slug", "projects", "investment", "missing"];
    if site.sectors.is_empty() {
        return empty(
            name,
            head,
            csv_head,
            labels::label("chart.no_sectors").into(),
        );
    }
    let mut sectors: Vec<&crate::site::Sector> = site.sectors.iter().collect();
    sectors.sort_by(|a, b| b.sum.cmp(&a.sum).then(a.slug.cmp(&b.slug)));
    let mut bars = Vec::new();
    let mut rows = Vec::new();
    let mut csv = Vec::new();
    let mut desc = Vec::new();
    for s in sectors {
        let missing = s.projects.len() - s.with_amount;
        let note = (missing > 0).then(|| labels::missing_amounts(missing));
        let text = money(site, s.sum);
        desc.push(format!("{} {text}", s.name));
        bars.push(Bar {
            label: s.name.clone(),
            parts: vec![Part {
                series: 0,
                value: s.sum.as_f64(),
            }],
            value_text: text.clone(),
            note,
        });
        rows.push(vec![s.name.clone(), s.projects.len().to_string(), text]);
        csv.push(vec![
            s.name.clone(),
            s.slug.clone(),
            s.projects.len().to_string(),
            s.sum.plain(),
            missing.to_string(),
        ]);
    }
    Chart {
        name: name.to_string(),
        title: title(name),
        desc: format!("{}：{}。", title(name), desc.join("；")),
        series: vec![],
        bars,
        empty_note: None,
        table_head: head,
        table_rows: rows,
        csv_head,
        csv_rows: csv,
    }
}

/// A bar per group of projects: how many, and their investment where known.
fn groups_chart(
    site: &Site,
    name: String,
    title: String,
    key_head: &'static str,
    groups: Vec<(String, String, usize, Vec<&Project>)>,
) -> Chart {
    let unit = labels::label("unit_projects");
    let mut bars = Vec::new();
    let mut rows = Vec::new();
    let mut csv = Vec::new();
    let mut desc = Vec::new();
    for (key, label, series, projects) in groups {
        let n = projects.len();
        let sum: Amount = projects.iter().filter_map(|p| p.investment).sum();
        let known = projects.iter().filter(|p| p.investment.is_some()).count();
        let money_text = if known > 0 {
            Some(money(site, sum))
        } else {
            None
        };
        let mut text = format!("{n} {unit}");
        if let Some(m) = &money_text {
            text.push_str(&format!(" · {m}"));
        }
        let note = (known > 0 && known < n).then(|| labels::missing_amounts(n - known));
        desc.push(text.clone());
        let desc_last = desc.last_mut().expect("just pushed");
        *desc_last = format!("{label} {desc_last}");
        bars.push(Bar {
            label: label.clone(),
            parts: vec![Part {
                series,
                value: n as f64,
            }],
            value_text: text,
            note,
        });
        rows.push(vec![
            label.clone(),
            n.to_string(),
            money_text.unwrap_or_else(|| labels::label("unknown").into()),
        ]);
        csv.push(vec![
            key,
            label,
            n.to_string(),
            if known > 0 {
                sum.plain()
            } else {
                String::new()
            },
            (n - known).to_string(),
        ]);
    }
    Chart {
        desc: format!("{title}：{}。", desc.join("；")),
        name,
        title,
        series: vec![],
        bars,
        empty_note: None,
        table_head: vec![
            key_head.into(),
            labels::label("count").into(),
            labels::label("investment").into(),
        ],
        table_rows: rows,
        csv_head: vec!["key", "label", "projects", "investment", "missing"],
        csv_rows: csv,
    }
}

/// The projects of batch `b` by the period in which they entered it.
pub fn batch_chart(site: &Site, b: Batch) -> Chart {
    let groups = site
        .periods
        .iter()
        .map(|p| {
            let ps: Vec<&Project> = site
                .batch(b)
                .projects
                .iter()
                .map(|&i| &site.projects[i])
                .filter(|x| x.period == p.number)
                .collect();
            (
                p.number.to_string(),
                labels::period(p.number),
                b.index(),
                ps,
            )
        })
        .filter(|g| !g.3.is_empty())
        .collect();
    let title = labels::label("chart.batch").replace("{batch}", labels::batch(b));
    groups_chart(
        site,
        super::batch_name(b),
        title,
        labels::label("period"),
        groups,
    )
}

/// One group of projects per batch, in batch order: those of `projects` that `keep` accepts
/// for that batch.
fn per_batch<'a>(
    projects: &[&'a Project],
    keep: impl Fn(&Project, Batch) -> bool,
) -> Vec<(String, String, usize, Vec<&'a Project>)> {
    Batch::ALL
        .iter()
        .map(|&b| {
            let ps = projects.iter().copied().filter(|p| keep(p, b)).collect();
            (
                b.key().to_string(),
                labels::batch(b).to_string(),
                b.index(),
                ps,
            )
        })
        .collect()
}

/// What entered each batch in period `n`, current batches and history alike.
pub fn period_chart(site: &Site, n: u32) -> Chart {
    let all: Vec<&Project> = site.projects.iter().collect();
    let groups = per_batch(&all, |p, b| p.entered(b, n));
    let title = labels::label("chart.period").replace("{period}", &labels::period(n));
    groups_chart(
        site,
        super::period_name(n),
        title,
        labels::label("batch"),
        groups,
    )
}

/// The projects of a sector per batch.
pub fn sector_chart(site: &Site, s: &crate::site::Sector) -> Chart {
    let members: Vec<&Project> = s.projects.iter().map(|&i| &site.projects[i]).collect();
    let groups = per_batch(&members, |p, b| p.batch == b);
    let title = labels::label("chart.sector").replace("{sector}", &s.name);
    groups_chart(
        site,
        super::sector_name(&s.slug),
        title,
        labels::label("batch"),
        groups,
    )
}
