//! What a page's share card says: its title, a line of context, the headline chart.

use super::pages::Pages;
use crate::labels;
use crate::plan::{Kind, Page};

impl<'a> Pages<'a> {
    /// The share card of `page`, or None for pages that have none.
    pub(crate) fn card(&self, page: &Page) -> Option<crate::share::Card<'a>> {
        let site = self.site;
        let count = |n: usize| format!("{n} {}", labels::label("unit_projects"));
        let (title, subtitle): (&str, Option<String>) = match &page.kind {
            Kind::Home => (&site.config.title, site.config.description.clone()),
            Kind::Projects => (
                labels::label("all_projects"),
                Some(count(site.projects.len())),
            ),
            Kind::Project(i) => {
                let p = &site.projects[*i];
                let mut sub = format!(
                    "{} · {}",
                    labels::batch(p.batch),
                    labels::period_or_unknown(p.period)
                );
                if let Some(a) = p.investment {
                    sub.push_str(&format!(
                        " · {} {}",
                        labels::label("investment"),
                        labels::money(a, &site.config.unit)
                    ));
                }
                (&p.name, Some(sub))
            }
            Kind::Batch(b) => (
                labels::batch(*b),
                Some(count(site.batch(*b).projects.len())),
            ),
            Kind::Period(i) => {
                let p = &site.periods[*i];
                (
                    p.title.as_deref().unwrap_or(labels::label("periods")),
                    p.date.map(|d| d.chinese()),
                )
            }
            Kind::Sector(i) => (
                &site.sectors[*i].name,
                Some(labels::label("sector").to_string()),
            ),
            Kind::Bulletins => (labels::label("bulletins"), None),
            Kind::Bulletin(i) => {
                let a = &site.bulletins[*i];
                (&a.title, a.date.map(|d| d.chinese()))
            }
            Kind::Page(i) => (&site.pages[*i].title, None),
            Kind::Chart(name) => (
                self.shared.chart(name).map_or("", |c| c.title.as_str()),
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
            host,
            chart: self.shared.headline.as_ref(),
        })
    }
}
