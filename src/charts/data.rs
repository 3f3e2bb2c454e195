//! The numbers of each chart, computed from the Site.

use super::{Bar, Chart, Part};
use crate::amount::Amount;
use crate::content::project::Project;
use crate::labels;
use crate::model::{Batch, SiteChart};
use crate::site::{FigureSource, Measure, Site};

/// Builds one of the charts every site has.
pub fn build(site: &Site, chart: SiteChart) -> Chart {
    match chart {
        SiteChart::InvestmentByBatch => investment_by_batch(site),
        SiteChart::ProjectsByBatch => projects_by_batch(site),
        SiteChart::InvestmentByPeriod => by_period(site, true),
        SiteChart::ProjectsByPeriod => by_period(site, false),
        SiteChart::InvestmentBySector => investment_by_sector(site),
        SiteChart::Indicators => indicators(site),
        SiteChart::PoolByPeriod => pool_by_period(site),
        SiteChart::ConversionsByPeriod => conversions_by_period(site),
    }
}

/// Gives `chart` its subtitle (the unit of a money chart), its notes line (where figures are
/// declared or partial) and its source line: the site's title, the source of the declared
/// figures where any are shown, and the date of the figures (the period's `as_of`, else its
/// date: the chart of period N is dated by period N, the others by the latest period).
pub fn credit(site: &Site, chart: &mut Chart) {
    if let Some(year) = super::targets::year_of(&chart.name) {
        return super::targets::credit(site, chart, year);
    }
    let period = super::period_number(&chart.name)
        .and_then(|n| site.periods.iter().find(|p| p.number == n))
        .or_else(|| site.latest_period());
    if chart.name.contains("investment") && chart.empty_note.is_none() {
        chart.subtitle = Some(labels::label("chart.unit").replace("{unit}", &site.config.unit));
    }
    let declared_word = labels::label("declared");
    let rates = chart.name == SiteChart::Indicators.name() || super::regions::is_rates(&chart.name);
    let indicators = rates_of(site, &chart.name);
    let declared = chart
        .bars
        .iter()
        .any(|b| b.note.as_deref().is_some_and(|n| n.contains(declared_word)))
        || chart
            .series
            .iter()
            .any(|s| s == labels::label("declared_new"))
        || chart.csv_rows.iter().flatten().any(|c| c == "declared");
    let partial = chart.csv_rows.iter().flatten().any(|c| c == "partial");
    // A count left empty: the site holds no such project and cannot tell there was none.
    let unknown_count = chart
        .csv_head
        .iter()
        .position(|&h| h == "projects")
        .is_some_and(|i| {
            chart
                .csv_rows
                .iter()
                .any(|r| r.get(i).is_some_and(String::is_empty))
        });
    let mut notes = Vec::new();
    if rates {
        // Rates say which the source published and which sanpi computed from its counts.
        let computed = indicators
            .iter()
            .any(|i| i.source_label_key() == "rate.computed");
        let published = indicators.iter().any(|i| i.published);
        match (published, computed) {
            (true, true) => notes.push(labels::label("chart.note_rates")),
            (true, false) => notes.push(labels::label("chart.note_rates_published")),
            (false, true) => notes.push(labels::label("chart.note_rates_computed")),
            (false, false) => {}
        }
    } else if declared {
        notes.push(labels::label("chart.note_declared"));
    }
    if partial {
        notes.push(labels::label("chart.note_partial"));
    }
    if unknown_count {
        notes.push(labels::label("chart.note_unknown"));
    }
    chart.notes = joined_notes(&notes);
    let mut source = vec![site.config.title.clone()];
    if declared {
        if let Some(s) = period.and_then(|p| p.source.as_ref()) {
            let said = s.cited();
            source.push(said);
        }
    }
    if let Some(line) = dated(site, chart, period) {
        source.push(line);
    }
    chart.source = format!("{}：{}", labels::label("chart.source"), source.join("；"));
}

/// Notes one after another under one `注：` (each note's word is its own, for a chart of one).
fn joined_notes(notes: &[&str]) -> Option<String> {
    let (first, rest) = notes.split_first()?;
    let prefix = labels::label("chart.note_prefix");
    let mut s = first.to_string();
    for n in rest {
        s.push_str(n.strip_prefix(prefix).unwrap_or(n));
    }
    Some(s)
}

/// The rates a chart shows: a region's for a region's chart of rates, else the site's.
fn rates_of<'a>(site: &'a Site, name: &str) -> &'a [crate::site::Indicator] {
    match super::regions::region_of_rates(site, name) {
        Some(i) => &site.regions[i].indicators,
        None => &site.indicators,
    }
}

/// The date line of a chart: its figures are as of the period's date (the pool, counts and
/// money), except rates resting on declared progress counts, which are as of the period's
/// `as_of`; a chart holding both says both. None where the date is not known.
fn dated(
    site: &Site,
    chart: &Chart,
    period: Option<&crate::content::period::Period>,
) -> Option<String> {
    let p = period?;
    let date = p.date;
    let progress = p.as_of.or(p.date);
    let (on_progress, on_pool) = if chart.name == SiteChart::Indicators.name()
        || super::regions::is_rates(&chart.name)
    {
        let indicators = rates_of(site, &chart.name);
        let declared =
            |i: &&crate::site::Indicator| i.state.is_some() && i.source == FigureSource::Declared;
        (
            indicators.iter().any(|i| declared(&i)),
            indicators.iter().any(|i| !declared(&i)),
        )
    } else {
        (false, true)
    };
    let day = |d: crate::model::Date| d.chinese();
    match (
        on_progress.then_some(progress).flatten(),
        on_pool.then_some(date).flatten(),
    ) {
        (Some(a), Some(d)) if a != d => Some(
            labels::label("chart.as_of_both")
                .replace("{progress}", &day(a))
                .replace("{date}", &day(d)),
        ),
        (Some(a), None) if on_pool => {
            Some(labels::label("chart.as_of_progress").replace("{date}", &day(a)))
        }
        (Some(d), _) | (None, Some(d)) => {
            Some(labels::label("chart.as_of").replace("{date}", &day(d)))
        }
        (None, None) => None,
    }
}

pub(super) fn money(site: &Site, a: Amount) -> String {
    labels::money(a, &site.config.unit)
}

pub(super) fn title(name: &str) -> String {
    labels::label(&format!("chart.{name}")).to_string()
}

/// A chart being built one bar at a time: each bar with its table row, its CSV row and its
/// figures in words (for screen readers).
#[derive(Default)]
pub(super) struct Rows {
    bars: Vec<Bar>,
    table: Vec<Vec<String>>,
    csv: Vec<Vec<String>>,
    said: Vec<String>,
}

impl Rows {
    /// One bar, its table row and its CSV rows; `said` follows its label in the chart's
    /// description.
    pub(super) fn push(&mut self, bar: Bar, table: Vec<String>, csv: Vec<Vec<String>>, said: &str) {
        self.said.push(format!("{} {said}", bar.label));
        self.bars.push(bar);
        self.table.push(table);
        self.csv.extend(csv);
    }

    /// A bar of its own in the picture, with no row in the table or the CSV (a marker such
    /// as a target's time progress, which its target's row already gives).
    pub(super) fn push_bar(&mut self, bar: Bar, said: &str) {
        self.said.push(format!("{} {said}", bar.label));
        self.bars.push(bar);
    }

    pub(super) fn chart(
        self,
        name: String,
        title: String,
        series: Vec<String>,
        table_head: Vec<String>,
        csv_head: Vec<&'static str>,
    ) -> Chart {
        Chart {
            desc: format!("{title}：{}。", self.said.join("；")),
            name,
            title,
            subtitle: None,
            notes: None,
            source: String::new(),
            series,
            bars: self.bars,
            empty_note: None,
            scale_max: None,
            table_head,
            table_rows: self.table,
            csv_head,
            csv_rows: self.csv,
        }
    }
}

/// A bar of one series.
pub(super) fn bar(
    label: &str,
    series: usize,
    value: f64,
    value_text: &str,
    note: Option<String>,
) -> Bar {
    Bar {
        label: label.to_string(),
        parts: vec![Part { series, value }],
        value_text: value_text.to_string(),
        note,
    }
}

/// `text（note）`, or the text alone.
pub(super) fn with_note(text: &str, note: Option<&String>) -> String {
    match note {
        Some(n) => format!("{text}（{n}）"),
        None => text.to_string(),
    }
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
        subtitle: None,
        notes: None,
        source: String::new(),
        desc: note.clone(),
        series: vec![],
        bars: vec![],
        empty_note: Some(note),
        scale_max: None,
        table_head: head,
        table_rows: vec![],
        csv_head,
        csv_rows: vec![],
    }
}

fn investment_by_batch(site: &Site) -> Chart {
    let name = SiteChart::InvestmentByBatch.name();
    let mut rows = Rows::default();
    for s in &site.batches {
        let label = labels::batch(s.batch);
        let note = match s.source {
            FigureSource::Entries => None,
            FigureSource::Declared => Some(labels::label("declared").to_string()),
            // The site's batches are never summed from regions.
            FigureSource::Regions => Some(labels::label("source.regions").to_string()),
            FigureSource::Partial => Some(labels::missing_amounts(s.missing())),
        };
        let text = s
            .investment
            .map_or_else(|| labels::label("unknown").to_string(), |a| money(site, a));
        let note = note.filter(|_| s.investment.is_some());
        let said = with_note(&text, note.as_ref());
        let count = s.projects.len().to_string();
        let source = match s.investment {
            Some(_) => labels::label(&format!("source.{}", s.source.key())),
            None => "—",
        };
        let value = s.investment.map_or(0.0, Amount::as_f64);
        rows.push(
            bar(label, s.batch.index(), value, &text, note),
            vec![label.into(), count.clone(), text, source.into()],
            vec![vec![
                s.batch.key().into(),
                label.into(),
                count,
                s.investment.map(Amount::plain).unwrap_or_default(),
                s.investment
                    .map(|_| s.source.key().to_string())
                    .unwrap_or_default(),
            ]],
            &said,
        );
    }
    let head = ["batch", "count", "investment", "source"].map(|k| labels::label(k).to_string());
    rows.chart(
        name.into(),
        title(name),
        vec![],
        head.into(),
        vec!["batch", "label", "projects", "investment", "source"],
    )
}

fn projects_by_batch(site: &Site) -> Chart {
    let name = SiteChart::ProjectsByBatch.name();
    let unit = labels::label("unit_projects");
    let mut rows = Rows::default();
    for s in &site.batches {
        let label = labels::batch(s.batch);
        let n = s.projects.len();
        let declared = s.declared.as_ref().and_then(|d| d.count);
        let note = declared
            .filter(|&d| d != n as u64)
            .map(|d| format!("{} {d} {unit}", labels::label("declared")));
        let text = format!("{n} {unit}");
        let said = with_note(&text, note.as_ref());
        let declared = declared.map(|d| d.to_string());
        rows.push(
            bar(label, s.batch.index(), n as f64, &text, note),
            vec![
                label.into(),
                n.to_string(),
                declared.clone().unwrap_or_else(|| "—".into()),
            ],
            vec![vec![
                s.batch.key().into(),
                label.into(),
                n.to_string(),
                declared.unwrap_or_default(),
            ]],
            &said,
        );
    }
    let head = ["batch", "entries_count", "declared"].map(|k| labels::label(k).to_string());
    rows.chart(
        name.into(),
        title(name),
        vec![],
        head.into(),
        vec!["batch", "label", "projects", "declared_projects"],
    )
}

/// For each period, what entered each batch: current batches and earlier ones from history;
/// then, when any step's period is unknown, a bar for those (期次未载明). In the investment
/// chart, a period whose entries state no amount shows its published new investment instead
/// (`declared.new`), in grey and marked as published.
fn by_period(site: &Site, investment: bool) -> Chart {
    let chart = if investment {
        SiteChart::InvestmentByPeriod
    } else {
        SiteChart::ProjectsByPeriod
    };
    let name = chart.name();
    let mut series: Vec<String> = Batch::ALL
        .iter()
        .map(|&b| labels::batch(b).to_string())
        .collect();
    let mut head = vec![labels::label("period").to_string()];
    head.extend(series.iter().cloned());
    let csv_head = if investment {
        vec![
            "period",
            "label",
            "batch",
            "projects",
            "investment",
            "missing",
            "source",
        ]
    } else {
        vec!["period", "label", "batch", "projects"]
    };
    if site.periods.is_empty() {
        let note = labels::label("chart.no_periods").into();
        return empty(name, head, csv_head, note);
    }
    let mut rows = Rows::default();
    let (mut any_amount, mut any_declared) = (false, false);
    for n in period_keys(site) {
        let mut p = PeriodBar::new(site, n, investment);
        any_amount |= p.known > 0;
        let (value_text, note) = p.value_text(site, investment);
        any_declared |= note.is_some();
        if investment {
            p.declared_new(site);
        }
        let said = with_note(&value_text, note.as_ref());
        let bar = Bar {
            label: p.label,
            parts: p.parts,
            value_text,
            note,
        };
        // Each period has a CSV row per batch.
        rows.push(bar, p.cells, p.csv, &said);
    }
    if investment {
        head.push(labels::label("declared_new").to_string());
        if !any_amount {
            // No bar of the entries: their colours need no legend.
            series.iter_mut().for_each(String::clear);
        }
        if any_declared {
            series.push(labels::label("declared_new").to_string());
        }
    }
    let mut c = rows.chart(name.into(), title(name), series, head, csv_head);
    if investment && !any_amount && !any_declared {
        c.bars.clear();
        c.empty_note = Some(labels::label("chart.no_amounts").to_string());
    }
    c
}

/// The periods of the period charts, and `None` (期次未载明) when some step has no period.
fn period_keys(site: &Site) -> Vec<Option<u32>> {
    let mut keys: Vec<Option<u32>> = site.periods.iter().map(|p| Some(p.number)).collect();
    if site
        .projects
        .iter()
        .any(|p| p.steps().any(|(_, n)| n.is_none()))
    {
        keys.push(None);
    }
    keys
}

/// One period's bar of the period charts: what entered each batch in it.
struct PeriodBar {
    n: Option<u32>,
    key: String,
    label: String,
    parts: Vec<Part>,
    cells: Vec<String>,
    csv: Vec<Vec<String>>,
    total: Amount,
    count: usize,
    /// How many of the entering projects state an amount.
    known: usize,
    /// Whether any batch's count is known (a 0 the entries establish counts).
    any_figure: bool,
}

impl PeriodBar {
    fn new(site: &Site, n: Option<u32>, investment: bool) -> PeriodBar {
        let label = labels::period_or_unknown(n);
        let mut p = PeriodBar {
            n,
            key: n.map(|n| n.to_string()).unwrap_or_default(),
            cells: vec![label.clone()],
            label,
            parts: Vec::new(),
            csv: Vec::new(),
            total: Amount::ZERO,
            count: 0,
            known: 0,
            any_figure: false,
        };
        for b in Batch::ALL {
            let entering: Vec<&Project> =
                site.projects.iter().filter(|x| x.entered(b, n)).collect();
            let (count, sum, known) = count_and_sum(&entering);
            p.total = p.total + sum;
            p.count += count;
            p.known += known;
            let v = if investment {
                sum.as_f64()
            } else {
                count as f64
            };
            if v > 0.0 {
                p.parts.push(Part {
                    series: b.index(),
                    value: v,
                });
            }
            let known_sum = (known > 0).then_some(sum);
            let figure = site.figure(count, b, n);
            p.any_figure |= figure.is_some();
            p.cells.push(if investment {
                known_sum.map_or_else(|| "—".into(), |a| money(site, a))
            } else {
                figure.map_or_else(|| labels::label("unknown").into(), |c| c.to_string())
            });
            let mut row = vec![
                p.key.clone(),
                p.label.clone(),
                b.key().into(),
                figure.map(|c| c.to_string()).unwrap_or_default(),
            ];
            if investment {
                row.extend([
                    known_sum.map(Amount::plain).unwrap_or_default(),
                    figure.map(|c| (c - known).to_string()).unwrap_or_default(),
                    figure
                        .map(|_| FigureSource::Entries.key().into())
                        .unwrap_or_default(),
                ]);
            }
            p.csv.push(row);
        }
        p
    }

    /// The figures the period published for its new projects.
    fn new_figures<'s>(&self, site: &'s Site) -> Option<&'s crate::content::period::Figures> {
        self.n
            .and_then(|n| site.period(n))
            .and_then(|p| p.declared.as_ref())
            .and_then(|d| d.new.as_ref())
    }

    /// The figure written at the end of the bar, and its note: the entries' sum, else the
    /// period's declared investment of its new projects (drawn as a bar of its own).
    fn value_text(&mut self, site: &Site, investment: bool) -> (String, Option<String>) {
        if !investment {
            if self.count == 0 && !self.any_figure {
                return (labels::label("unknown").to_string(), None);
            }
            return (
                format!("{} {}", self.count, labels::label("unit_projects")),
                None,
            );
        }
        if self.known > 0 {
            return (money(site, self.total), None);
        }
        match self.new_figures(site).and_then(|f| f.investment) {
            Some(x) => {
                self.parts = vec![Part {
                    series: 3,
                    value: x.as_f64(),
                }];
                let note = Some(labels::label("declared").to_string());
                (money(site, x), note)
            }
            None => (labels::label("unknown").to_string(), None),
        }
    }

    /// The table cell and CSV row of the period's declared new projects.
    fn declared_new(&mut self, site: &Site) {
        let Some(f) = self.new_figures(site) else {
            self.cells.push("—".into());
            return;
        };
        self.cells
            .push(f.investment.map_or_else(|| "—".into(), |a| money(site, a)));
        self.csv.push(vec![
            self.key.clone(),
            self.label.clone(),
            "new".into(),
            f.count.map(|c| c.to_string()).unwrap_or_default(),
            f.investment.map(Amount::plain).unwrap_or_default(),
            String::new(),
            FigureSource::Declared.key().into(),
        ]);
    }
}

/// The campaign's rates, one bar each, on a scale of 100%.
fn indicators(site: &Site) -> Chart {
    let name = SiteChart::Indicators.name();
    indicators_chart(site, name.into(), title(name), &site.indicators)
}

/// Rates (the site's or a region's), one bar each, on a scale of 100%.
pub(super) fn indicators_chart(
    site: &Site,
    name: String,
    title: String,
    indicators: &[crate::site::Indicator],
) -> Chart {
    let head: Vec<String> = ["indicator", "batch", "reached", "of", "rate", "source"]
        .map(|k| labels::label(k).to_string())
        .into();
    let csv_head = crate::site::indicators::CSV_HEAD.to_vec();
    if indicators.is_empty() {
        let note = labels::label("chart.no_indicators").into();
        return Chart {
            name,
            title,
            ..empty("", head, csv_head, note)
        };
    }
    let mut rows = Rows::default();
    for i in indicators {
        let word = labels::indicator(i.key());
        let batch = i.batch.map_or(labels::label("all_batches"), labels::batch);
        let label = format!(
            "{word}（{}）",
            i.batch
                .map_or(labels::label("all_batches"), labels::batch_short)
        );
        let (reached, of, reached_csv, of_csv) = match i.measure {
            Measure::Count { reached, of } => (
                format!("{reached} {}", labels::label("unit_projects")),
                format!("{of} {}", labels::label("unit_projects")),
                reached.to_string(),
                of.to_string(),
            ),
            Measure::Money { reached, of } => (
                money(site, reached),
                money(site, of),
                reached.plain(),
                of.plain(),
            ),
            Measure::Published => ("—".into(), "—".into(), String::new(), String::new()),
        };
        let rate = format!("{}%", i.rate_text());
        let source = labels::label(i.source_label_key());
        let note = match i.source {
            FigureSource::Entries => None,
            _ => Some(source.to_string()),
        };
        let said = match i.measure {
            Measure::Published => with_note(&rate, note.as_ref()),
            _ => with_note(&format!("{rate}，{reached}/{of}"), note.as_ref()),
        };
        rows.push(
            Bar {
                label,
                parts: vec![Part {
                    series: i.batch.map_or(3, Batch::index),
                    value: i.tenths as f64 / 10.0,
                }],
                value_text: rate.clone(),
                note,
            },
            vec![word.into(), batch.into(), reached, of, rate, source.into()],
            vec![vec![
                i.key().into(),
                word.into(),
                i.batch.map_or("all", Batch::key).into(),
                reached_csv,
                of_csv,
                i.rate_text(),
                i.source.key().into(),
            ]],
            &said,
        );
    }
    let mut c = rows.chart(name, title, vec![], head, csv_head);
    c.scale_max = Some(100.0);
    c
}

/// The pool as of each period: its projects in each batch, and their investment where known.
fn pool_by_period(site: &Site) -> Chart {
    let name = SiteChart::PoolByPeriod.name();
    pool_chart(site, name.into(), title(name), &site.pool)
}

/// A pool (the site's or a region's) as of each period.
pub(super) fn pool_chart(
    site: &Site,
    name: String,
    title: String,
    pool: &[crate::site::PoolRow],
) -> Chart {
    let series: Vec<String> = Batch::ALL
        .iter()
        .map(|&b| labels::batch(b).to_string())
        .collect();
    let mut head = vec![labels::label("period").to_string()];
    head.extend(series.iter().cloned());
    head.push(labels::label("total").to_string());
    let csv_head = vec![
        "period",
        "label",
        "batch",
        "projects",
        "investment",
        "missing",
    ];
    if pool.is_empty() {
        let note = labels::label("chart.no_periods").into();
        return Chart {
            name,
            title,
            ..empty("", head, csv_head, note)
        };
    }
    let unit = labels::label("unit_projects");
    let mut rows = Rows::default();
    for r in pool {
        let label = labels::period(r.period);
        let mut cells = vec![label.clone()];
        let mut csv = Vec::new();
        let mut parts = Vec::new();
        for b in Batch::ALL {
            let c = r.batches[b.index()];
            if c.projects > 0 {
                parts.push(Part {
                    series: b.index(),
                    value: c.projects as f64,
                });
            }
            let Some(n) = r.count(b) else {
                cells.push(labels::label("unknown").into());
                let key = r.period.to_string();
                csv.push(vec![
                    key,
                    label.clone(),
                    b.key().into(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
                continue;
            };
            let mut cell = format!("{n} {unit}");
            if c.known > 0 {
                cell.push_str(&format!(" · {}", money(site, c.investment)));
            }
            cells.push(cell);
            csv.push(vec![
                r.period.to_string(),
                label.clone(),
                b.key().into(),
                n.to_string(),
                if c.known > 0 {
                    c.investment.plain()
                } else {
                    String::new()
                },
                (c.projects - c.known).to_string(),
            ]);
        }
        let total: usize = r.batches.iter().map(|c| c.projects).sum();
        let complete = r.established.iter().all(|&e| e);
        let text = if complete || total > 0 {
            format!("{total} {unit}")
        } else {
            labels::label("unknown").to_string()
        };
        cells.push(if complete {
            text.clone()
        } else {
            labels::label("unknown").into()
        });
        let unplaced: usize = r.unplaced.iter().sum();
        let mut notes = Vec::new();
        if !complete && total > 0 {
            notes.push(labels::label("entries_only").to_string());
        }
        if unplaced > 0 {
            notes.push(labels::unplaced(unplaced));
        }
        let note = (!notes.is_empty()).then(|| notes.join("，"));
        let said = with_note(&text, note.as_ref());
        rows.push(
            Bar {
                label,
                parts,
                value_text: text,
                note,
            },
            cells,
            csv,
            &said,
        );
    }
    rows.chart(name, title, series, head, csv_head)
}

/// The moves between batches in each period: 签约转开工 and 开工转投产.
fn conversions_by_period(site: &Site) -> Chart {
    let name = SiteChart::ConversionsByPeriod.name();
    let kinds = [
        ("signed_started", Batch::Started),
        ("started_producing", Batch::Producing),
    ];
    let series: Vec<String> = kinds
        .iter()
        .map(|(k, _)| labels::label(&format!("conversion.{k}")).to_string())
        .collect();
    let mut head = vec![labels::label("period").to_string()];
    head.extend(series.iter().cloned());
    let csv_head = vec!["period", "label", "conversion", "projects"];
    if site.conversions.is_empty() {
        let note = labels::label("chart.no_periods").into();
        return empty(name, head, csv_head, note);
    }
    let unit = labels::label("unit_projects");
    let mut rows = Rows::default();
    for r in &site.conversions {
        let label = labels::period_or_unknown(r.period);
        let key = r.period.map(|n| n.to_string()).unwrap_or_default();
        let counts = [r.signed_started, r.started_producing];
        let parts = counts
            .iter()
            .zip(kinds)
            .filter_map(|(&n, (_, to))| {
                n.filter(|&n| n > 0).map(|n| Part {
                    series: to.index(),
                    value: n as f64,
                })
            })
            .collect();
        // The moves there were, in words; a period where none is known says 0 where the
        // entries establish it, else 未载明.
        let moved: Vec<String> = series
            .iter()
            .zip(counts)
            .filter_map(|(s, n)| n.filter(|&n| n > 0).map(|n| format!("{s} {n} {unit}")))
            .collect();
        let text = if !moved.is_empty() {
            moved.join(" · ")
        } else if counts.iter().any(Option::is_some) {
            format!("0 {unit}")
        } else {
            labels::label("unknown").to_string()
        };
        let mut cells = vec![label.clone()];
        cells.extend(counts.iter().map(|n| match n {
            Some(n) => format!("{n} {unit}"),
            None => labels::label("unknown").into(),
        }));
        let csv = kinds
            .iter()
            .zip(counts)
            .map(|((k, _), n)| {
                let n = n.map(|n| n.to_string()).unwrap_or_default();
                vec![key.clone(), label.clone(), (*k).into(), n]
            })
            .collect();
        rows.push(
            Bar {
                label,
                parts,
                value_text: text.clone(),
                note: None,
            },
            cells,
            csv,
            &text,
        );
    }
    // Colours follow the batch moved into: started (orange), producing (green).
    let legend = vec![String::new(), series[0].clone(), series[1].clone()];
    rows.chart(name.into(), title(name), legend, head, csv_head)
}

/// How many projects, the sum of the amounts they state, and how many state one.
fn count_and_sum(projects: &[&Project]) -> (usize, Amount, usize) {
    let sum = projects.iter().filter_map(|p| p.investment).sum();
    let known = projects.iter().filter(|p| p.investment.is_some()).count();
    (projects.len(), sum, known)
}

fn investment_by_sector(site: &Site) -> Chart {
    let name = SiteChart::InvestmentBySector.name();
    let head: Vec<String> = ["sector", "count", "investment"]
        .map(|k| labels::label(k).to_string())
        .into();
    let csv_head = vec!["sector", "slug", "projects", "investment", "missing"];
    if site.sectors.is_empty() {
        let note = labels::label("chart.no_sectors").into();
        return empty(name, head, csv_head, note);
    }
    let mut sectors: Vec<&crate::site::Sector> = site.sectors.iter().collect();
    sectors.sort_by(|a, b| b.sum.cmp(&a.sum).then(a.slug.cmp(&b.slug)));
    let mut rows = Rows::default();
    for s in sectors {
        let missing = s.projects.len() - s.with_amount;
        // A sector whose projects state no amount has no figure, never 0.
        let known = s.with_amount > 0;
        let note = (known && missing > 0).then(|| labels::missing_amounts(missing));
        let text = if known {
            money(site, s.sum)
        } else {
            labels::label("unknown").to_string()
        };
        let count = s.projects.len().to_string();
        let said = with_note(&text, note.as_ref());
        rows.push(
            bar(&s.name, 0, s.sum.as_f64(), &text, note),
            vec![s.name.clone(), count.clone(), text.clone()],
            vec![vec![
                s.name.clone(),
                s.slug.clone(),
                count,
                if known { s.sum.plain() } else { String::new() },
                missing.to_string(),
            ]],
            &said,
        );
    }
    rows.chart(name.into(), title(name), vec![], head, csv_head)
}

/// A group of a chart of groups: its key, label, series, projects, and whether the projects
/// are all there were (else a group without any is unknown, not 0).
type Group<'a> = (String, String, usize, Vec<&'a Project>, bool);

/// A bar per group of projects: how many, and their investment where known.
fn groups_chart(
    site: &Site,
    name: String,
    title: String,
    key_head: &'static str,
    groups: Vec<Group>,
) -> Chart {
    let unit = labels::label("unit_projects");
    let mut rows = Rows::default();
    for (key, label, series, projects, established) in groups {
        let (n, sum, known) = count_and_sum(&projects);
        if n == 0 && !established {
            // The site holds none, and cannot tell that there were none.
            let unknown = labels::label("unknown");
            rows.push(
                bar(&label, series, 0.0, unknown, None),
                vec![label.clone(), unknown.into(), unknown.into()],
                vec![vec![
                    key,
                    label,
                    String::new(),
                    String::new(),
                    String::new(),
                ]],
                unknown,
            );
            continue;
        }
        let money_text = (known > 0).then(|| money(site, sum));
        let mut text = format!("{n} {unit}");
        if let Some(m) = &money_text {
            text.push_str(&format!(" · {m}"));
        }
        let note = (known > 0 && known < n).then(|| labels::missing_amounts(n - known));
        rows.push(
            bar(&label, series, n as f64, &text, note),
            vec![
                label.clone(),
                n.to_string(),
                money_text.unwrap_or_else(|| labels::label("unknown").into()),
            ],
            vec![vec![
                key,
                label,
                n.to_string(),
                if known > 0 {
                    sum.plain()
                } else {
                    String::new()
                },
                (n - known).to_string(),
            ]],
            &text,
        );
    }
    let head = vec![
        key_head.into(),
        labels::label("count").into(),
        labels::label("investment").into(),
    ];
    let csv_head = vec!["key", "label", "projects", "investment", "missing"];
    rows.chart(name, title, vec![], head, csv_head)
}

/// The projects of batch `b` by the period in which they entered it.
pub fn batch_chart(site: &Site, b: Batch) -> Chart {
    // Projects whose period the source does not state come first, under 期次未载明.
    let keys = std::iter::once(None).chain(site.periods.iter().map(|p| Some(p.number)));
    let groups = keys
        .map(|n| {
            let ps: Vec<&Project> = site
                .batch(b)
                .projects
                .iter()
                .map(|&i| &site.projects[i])
                .filter(|x| x.period == n)
                .collect();
            (
                n.map(|n| n.to_string()).unwrap_or_default(),
                labels::period_or_unknown(n),
                b.index(),
                ps,
                true,
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
    established: impl Fn(Batch) -> bool,
) -> Vec<Group<'a>> {
    Batch::ALL
        .iter()
        .map(|&b| {
            let ps = projects.iter().copied().filter(|p| keep(p, b)).collect();
            (
                b.key().to_string(),
                labels::batch(b).to_string(),
                b.index(),
                ps,
                established(b),
            )
        })
        .collect()
}

/// What entered each batch in period `n`, current batches and history alike.
pub fn period_chart(site: &Site, n: u32) -> Chart {
    let all: Vec<&Project> = site.projects.iter().collect();
    let groups = per_batch(
        &all,
        |p, b| p.entered(b, Some(n)),
        |b| site.established(b, Some(n)),
    );
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
    let groups = per_batch(&members, |p, b| p.batch == b, |_| true);
    let title = labels::label("chart.sector").replace("{sector}", &s.name);
    groups_chart(
        site,
        super::sector_name(&s.slug),
        title,
        labels::label("batch"),
        groups,
    )
}
