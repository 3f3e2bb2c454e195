//! What a page's share card says: the page's own facts. A project's card shows the project,
//! a batch's its batch, a period's what entered each batch in it, the home page's the site's
//! headline chart; other pages a card of the site with their title. No card carries another
//! page's figures as if they were its own.

use super::pages::Pages;
use crate::labels;
use crate::plan::{Kind, Page};
use crate::share::Figure;
use std::borrow::Cow;

impl<'a> Pages<'a> {
    /// The share card of `page`, or None for pages that have none.
    pub(crate) fn card(&self, page: &Page) -> Option<crate::share::Card<'a>> {
        let site = self.site;
        let unit = &site.config.unit;
        let count = |n: usize| format!("{n} {}", labels::label("unit_projects"));
        let counted = |n: usize| {
            format!(
                "{} {n} {}",
                labels::label("entries_count"),
                labels::label("unit_projects")
            )
        };
        let investment = |a: Option<crate::amount::Amount>, label: String| match a {
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
        };
        let mut figure = None;
        let mut facts = Vec::new();
        let mut chart = None;
        let (title, subtitle): (Cow<'a, str>, Option<String>) = match &page.kind {
            Kind::Home => {
                chart = self.shared.headline.as_ref();
                (
                    site.config.title.as_str().into(),
                    site.config.description.clone(),
                )
            }
            Kind::Projects => (
                labels::label("all_projects").into(),
                Some(count(site.projects.len())),
            ),
            Kind::Project(i) => {
                let p = &site.projects[*i];
                figure = Some(investment(
                    p.investment,
                    labels::label("investment").to_string(),
                ));
                if let Some(o) = &p.owner {
                    facts.push(format!("{} {o}", labels::label("owner")));
                } else if let Some(l) = &p.location {
                    facts.push(format!("{} {l}", labels::label("location")));
                }
                let sub = format!(
                    "{} · {}",
                    labels::batch(p.batch),
                    labels::period_or_unknown(p.period)
                );
                (p.name.as_str().into(), Some(sub))
            }
            Kind::Batch(b) => {
                let s = site.batch(*b);
                if !s.projects.is_empty() || s.declared.is_some() {
                    let label = format!(
                        "{} · {}",
                        labels::label("investment"),
                        labels::label(&format!("source.{}", s.source.key()))
                    );
                    figure = Some(investment(Some(s.investment), label));
                }
                facts.push(counted(s.projects.len()));
                if s.missing() > 0 {
                    facts.push(labels::missing_amounts(s.missing()));
                }
                (labels::batch(*b).into(), None)
            }
            Kind::Period(i) => {
                let p = &site.periods[*i];
                chart = self.shared.period_chart(p.number);
                let date = p.date.map(|d| d.chinese());
                match &p.title {
                    Some(t) => {
                        let mut sub = labels::period(p.number);
                        if let Some(d) = date {
                            sub.push_str(&format!(" · {d}"));
                        }
                        (t.as_str().into(), Some(sub))
                    }
                    None => (labels::period(p.number).into(), date),
                }
            }
            Kind::Sector(i) => {
                let s = &site.sectors[*i];
                if s.with_amount > 0 {
                    figure = Some(investment(
                        Some(s.sum),
                        labels::label("entries_sum").to_string(),
                    ));
                }
                facts.push(counted(s.projects.len()));
                let missing = s.projects.len() - s.with_amount;
                if missing > 0 {
                    facts.push(labels::missing_amounts(missing));
                }
                (
                    s.name.as_str().into(),
                    Some(labels::label("sector").to_string()),
                )
            }
            Kind::Bulletins => (labels::label("bulletins").into(), None),
            Kind::Bulletin(i) => {
                let a = &site.bulletins[*i];
                (a.title.as_str().into(), a.date.map(|d| d.chinese()))
            }
            Kind::Page(i) => (site.pages[*i].title.as_str().into(), None),
            Kind::Chart(name) => (
                self.shared
                    .chart(name)
                    .map_or("", |c| c.title.as_str())
                    .into(),
                Some(labels::label("charts").to_string()),
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
            title,
            subtitle,
            figure,
            facts,
            host,
            chart,
        })
    }
}
