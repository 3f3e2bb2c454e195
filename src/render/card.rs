//! What a page's share card says: the page's own facts. A project's card shows the project,
//! a batch's its batch, a period's what it added (as published) and what entered each batch
//! in it, a region's its figures, a chart's page the chart itself with its source line, the
//! home page's the site's headline chart; other pages a card of the site with their title. No card carries another
//! page's figures as if they were its own.

use super::pages::Pages;
use crate::labels;
use crate::plan::{Kind, Page};
use crate::share::Figure;
use std::borrow::Cow;

/// What a card says besides the site's title and host.
struct Says<'a> {
    title: Cow<'a, str>,
    subtitle: Option<String>,
    figure: Option<Figure>,
    facts: Vec<String>,
    chart: Option<&'a crate::charts::Chart>,
    source: Option<&'a str>,
}

impl<'a> Says<'a> {
    fn titled(title: impl Into<Cow<'a, str>>, subtitle: Option<String>) -> Says<'a> {
        Says {
            title: title.into(),
            subtitle,
            figure: None,
            facts: Vec::new(),
            chart: None,
            source: None,
        }
    }
}

/// `条目数 12 个项目`.
fn counted(n: usize) -> String {
    format!(
        "{} {n} {}",
        labels::label("entries_count"),
        labels::label("unit_projects")
    )
}

/// An amount under `label`, or the site's word for a figure not published.
fn investment(a: Option<crate::amount::Amount>, label: String, unit: &str) -> Figure {
    match a {
        Some(a) => Figure {
            label,
            value: labels::money(a, unit),
            known: true,
        },
        None => Figure {
            label,
            value: labels::label("not_published").to_string(),
            known: false,
        },
    }
}

impl<'a> Pages<'a> {
    /// The share card of `page`, or None for pages that have none.
    pub(crate) fn card(&self, page: &Page) -> Option<crate::share::Card<'a>> {
        let site = self.site;
        let says = match &page.kind {
            Kind::Home => Says {
                chart: self.shared.headline(),
                ..Says::titled(site.config.title.as_str(), site.config.description.clone())
            },
            Kind::Projects => Says::titled(
                labels::label("all_projects"),
                Some(format!(
                    "{} {}",
                    site.projects.len(),
                    labels::label("unit_projects")
                )),
            ),
            Kind::Project(i) => self.project_card(*i),
            Kind::Batch(b) => self.batch_card(*b),
            Kind::Period(i) => self.period_card(*i),
            Kind::Sector(i) => self.sector_card(*i),
            Kind::Bulletins => Says::titled(labels::label("bulletins"), None),
            Kind::Bulletin(i) => {
                let a = &site.bulletins[*i];
                Says::titled(a.title.as_str(), a.date.map(|d| d.chinese()))
            }
            Kind::Page(i) => Says::titled(site.pages[*i].title.as_str(), None),
            Kind::Chart(name) => match self.shared.chart_data.get(name) {
                // The chart itself, with its unit and source line: the picture that travels.
                Some(c) => Says {
                    chart: Some(c),
                    source: Some(c.source.as_str()),
                    ..Says::titled(c.title.as_str(), c.subtitle.clone())
                },
                None => Says::titled(name.clone(), Some(labels::label("charts").to_string())),
            },
            Kind::Regions => Says::titled(
                labels::label("regions"),
                Some(format!(
                    "{} {}",
                    site.region_tree.list.len(),
                    labels::label("unit_regions")
                )),
            ),
            Kind::Region(i) => self.region_card(*i),
            Kind::Rankings => Says::titled(labels::label("rankings"), None),
            Kind::Targets => Says::titled(labels::label("targets"), None),
            Kind::TargetsYear(y) => Says::titled(
                labels::label("targets_year").replace("{year}", &y.to_string()),
                None,
            ),
            Kind::NotFound | Kind::Redirect { .. } | Kind::Search | Kind::ChartEmbed(_) => {
                return None
            }
        };
        let host = site.config.base_url.as_deref().unwrap_or("");
        let host = host
            .split("://")
            .nth(1)
            .unwrap_or(host)
            .trim_end_matches('/');
        Some(crate::share::Card {
            site_title: &site.config.title,
            title: says.title,
            subtitle: says.subtitle,
            figure: says.figure,
            facts: says.facts,
            host,
            chart: says.chart,
            source: says.source,
        })
    }

    /// A region: its names from the top, its investment (with what it stands on), its
    /// projects per batch.
    fn region_card(&self, i: usize) -> Says<'a> {
        let site = self.site;
        let r = &site.region_tree.list[i];
        let s = &site.regions[i];
        let mut says = Says::titled(r.name.as_str(), Some(site.region_names(i)));
        let total = s.investment();
        let label = match total.map(|t| t.1) {
            Some(crate::site::FigureSource::Entries) | None => {
                labels::label("investment").to_string()
            }
            Some(f) => format!(
                "{}（{}）",
                labels::label("investment"),
                labels::label(&format!("source.{}", f.key()))
            ),
        };
        says.figure = Some(investment(total.map(|t| t.0), label, &site.config.unit));
        for b in crate::model::Batch::ALL {
            says.facts.push(format!(
                "{} {} {}",
                labels::batch(b),
                s.batch(b).projects.len(),
                labels::label("unit_projects")
            ));
        }
        says
    }

    /// A project: batch · period, its investment, its owner (else its location).
    fn project_card(&self, i: usize) -> Says<'a> {
        let site = self.site;
        let p = &site.projects[i];
        let sub = format!(
            "{} · {}",
            labels::batch(p.batch),
            labels::period_or_unknown(p.period)
        );
        let mut says = Says::titled(p.name.as_str(), Some(sub));
        says.figure = Some(investment(
            p.investment,
            labels::label("investment").to_string(),
            &site.config.unit,
        ));
        if let Some(o) = &p.owner {
            says.facts.push(format!("{} {o}", labels::label("owner")));
        } else if let Some(l) = &p.location {
            says.facts
                .push(format!("{} {l}", labels::label("location")));
        }
        says
    }

    /// A batch: its headline figure and where it comes from, its count, the amounts missing.
    fn batch_card(&self, b: crate::model::Batch) -> Says<'a> {
        let site = self.site;
        let s = site.batch(b);
        let mut says = Says::titled(labels::batch(b), None);
        if !s.projects.is_empty() || s.declared.is_some() {
            let label = match s.investment {
                Some(_) => format!(
                    "{} · {}",
                    labels::label("investment"),
                    labels::label(&format!("source.{}", s.source.key()))
                ),
                None => labels::label("investment").to_string(),
            };
            says.figure = Some(investment(s.investment, label, &site.config.unit));
        }
        says.facts.push(counted(s.projects.len()));
        if s.missing() > 0 {
            says.facts.push(labels::missing_amounts(s.missing()));
        }
        says
    }

    /// A period: its title and date, and the bars of what entered each batch in it.
    fn period_card(&self, i: usize) -> Says<'a> {
        let p = &self.site.periods[i];
        let date = p.date.map(|d| d.chinese());
        let mut says = match &p.title {
            Some(t) => {
                let mut sub = labels::period(p.number);
                if let Some(d) = date {
                    sub.push_str(&format!(" · {d}"));
                }
                Says::titled(t.as_str(), Some(sub))
            }
            None => Says::titled(labels::period(p.number), date),
        };
        says.chart = self.shared.period_chart(p.number);
        // What the period added, as published: `本期新增（公布数）12 个项目 · 160.7 亿元`.
        if let Some(new) = p.declared.as_ref().and_then(|d| d.new.as_ref()) {
            let parts: Vec<String> = new
                .count
                .map(|c| format!("{c} {}", labels::label("unit_projects")))
                .into_iter()
                .chain(
                    new.investment
                        .map(|a| labels::money(a, &self.site.config.unit)),
                )
                .collect();
            if !parts.is_empty() {
                says.figure = Some(Figure {
                    label: format!(
                        "{}（{}）",
                        labels::label("new_in_period"),
                        labels::label("declared")
                    ),
                    value: parts.join(" · "),
                    known: true,
                });
            }
        }
        says
    }

    /// A sector: the sum of its entries, its count, the amounts missing.
    fn sector_card(&self, i: usize) -> Says<'a> {
        let site = self.site;
        let s = &site.sectors[i];
        let mut says = Says::titled(s.name.as_str(), Some(labels::label("sector").to_string()));
        if s.with_amount > 0 {
            says.figure = Some(investment(
                Some(s.sum),
                labels::label("entries_sum").to_string(),
                &site.config.unit,
            ));
        }
        says.facts.push(counted(s.projects.len()));
        let missing = s.projects.len() - s.with_amount;
        if missing > 0 {
            says.facts.push(labels::missing_amounts(missing));
        }
        says
    }
}
