//! Rendering one planned page: its template, its context, and its Markdown with shortcodes.

use super::context::{article_item, declared, Shared};
use super::Renderer;
use crate::content::article::Article;
use crate::diagnostics::Diagnostic;
use crate::labels;
use crate::markdown::{Markdown, Segment, ROOT};
use crate::model::{Batch, SiteChart};
use crate::plan::{Kind, Page};
use crate::shortcode::Call;
use crate::site::Site;
use crate::urls;
use serde_json::{json, Value};
use tera::Context;

/// Renders the pages of one build.
pub struct Pages<'a> {
    pub site: &'a Site,
    pub shared: &'a Shared,
    pub renderer: &'a Renderer,
    /// Whether share images are drawn, so that pages name them.
    pub share_images: bool,
}

/// The head of a page: what it is called and where it lives.
struct Meta<'s> {
    title: String,
    description: Option<&'s str>,
    og_type: &'static str,
}

impl<'a> Pages<'a> {
    /// The HTML of `page`.
    pub fn render(&self, page: &Page) -> Result<String, Diagnostic> {
        let site = self.site;
        let root = urls::root_of(&page.path);
        let rows_of = |idx: &[usize]| -> Value {
            Value::Array(idx.iter().map(|&i| self.shared.rows[i].clone()).collect())
        };
        let (template, meta, mut ctx) = match &page.kind {
            Kind::Home => {
                let mut ctx = Context::new();
                let charts: Vec<&Value> = SiteChart::ALL
                    .iter()
                    .filter_map(|c| self.shared.chart(c.name()))
                    .collect();
                ctx.insert("charts", &charts);
                ctx.insert("batches", &self.shared.batches);
                ctx.insert("pool", &self.pool());
                let latest: Vec<Value> = site
                    .bulletins
                    .iter()
                    .take(5)
                    .map(|a| article_item(a, urls::bulletin(&a.slug)))
                    .collect();
                ctx.insert("bulletins", &latest);
                ctx.insert("periods", &self.periods());
                if let Some(p) = site.latest_period() {
                    ctx.insert("latest_period", &self.period_value(p));
                }
                ctx.insert("sectors", &self.sectors());
                let m = Meta {
                    title: site.config.title.clone(),
                    description: site.config.description.as_deref(),
                    og_type: "website",
                };
                ("index.html", m, ctx)
            }
            Kind::Projects => {
                let mut ctx = Context::new();
                ctx.insert("projects", &self.shared.rows);
                ctx.insert("batches", &self.shared.batches);
                ctx.insert("sectors", &self.sectors());
                ctx.insert("filter", &true);
                ctx.insert(
                    "filter_words",
                    &json!({
                        "filter": labels::label("filter"), "all": labels::label("all"), "shown": labels::label("filter_shown"),
                        "batch": labels::label("batch"), "period": labels::label("period"),
                        "sector": labels::label("sector"), "progress": labels::label("progress"),
                    }),
                );
                let m = Meta {
                    title: labels::label("all_projects").into(),
                    description: None,
                    og_type: "website",
                };
                ("projects.html", m, ctx)
            }
            Kind::Project(i) => {
                let p = &site.projects[*i];
                let mut ctx = Context::new();
                ctx.insert("project", &self.project_value(*i));
                ctx.insert("content", &self.body(&p.body, &root)?);
                let m = Meta {
                    title: p.name.clone(),
                    description: None,
                    og_type: "article",
                };
                ("project.html", m, ctx)
            }
            Kind::Batch(b) => {
                let s = site.batch(*b);
                let mut ctx = Context::new();
                ctx.insert("batch", &self.shared.batches[b.index()]);
                ctx.insert("chart", &self.shared.chart(&crate::charts::batch_name(*b)));
                ctx.insert("projects", &rows_of(&s.projects));
                let m = Meta {
                    title: labels::batch(*b).into(),
                    description: None,
                    og_type: "website",
                };
                ("batch.html", m, ctx)
            }
            Kind::Period(i) => {
                let p = &site.periods[*i];
                let mut ctx = Context::new();
                let mut v = self.period_value(p);
                v["summary_html"] = json!(self.body(&p.summary, &root)?);
                ctx.insert("period", &v);
                ctx.insert("changes", &self.changes(p.number));
                ctx.insert(
                    "chart",
                    &self.shared.chart(&crate::charts::period_name(p.number)),
                );
                let title = p.title.clone().unwrap_or_else(|| labels::period(p.number));
                let m = Meta {
                    title,
                    description: None,
                    og_type: "website",
                };
                ("period.html", m, ctx)
            }
            Kind::Sector(i) => {
                let s = &site.sectors[*i];
                let mut ctx = Context::new();
                ctx.insert(
                    "sector",
                    &json!({
                        "name": s.name, "slug": s.slug, "count": s.projects.len(),
                        "sum": format!("{} {}", s.sum.plain(), site.config.unit),
                        "with_amount": s.with_amount, "missing": s.projects.len() - s.with_amount,
                    }),
                );
                ctx.insert("projects", &rows_of(&s.projects));
                ctx.insert(
                    "chart",
                    &self.shared.chart(&crate::charts::sector_name(&s.slug)),
                );
                let m = Meta {
                    title: s.name.clone(),
                    description: None,
                    og_type: "website",
                };
                ("sector.html", m, ctx)
            }
            Kind::Bulletins => {
                let mut ctx = Context::new();
                let all: Vec<Value> = site
                    .bulletins
                    .iter()
                    .map(|a| article_item(a, urls::bulletin(&a.slug)))
                    .collect();
                ctx.insert("bulletins", &all);
                let m = Meta {
                    title: labels::label("bulletins").into(),
                    description: None,
                    og_type: "website",
                };
                ("bulletins.html", m, ctx)
            }
            Kind::Bulletin(i) => {
                let a = &site.bulletins[*i];
                let (m, ctx) = self.article(a, urls::bulletin(&a.slug), &root)?;
                ("bulletin.html", m, ctx)
            }
            Kind::Page(i) => {
                let a = &site.pages[*i];
                let (m, ctx) = self.article(a, urls::page(&a.slug), &root)?;
                ("page.html", m, ctx)
            }
            Kind::Search => {
                let mut ctx = Context::new();
                ctx.insert(
                    "words",
                    &json!({
                        "found": labels::label("search_found"),
                        "kind": {"p": labels::label("projects"), "b": labels::label("bulletins"), "g": labels::label("page")},
                    }),
                );
                let m = Meta {
                    title: labels::label("search").into(),
                    description: None,
                    og_type: "website",
                };
                ("search.html", m, ctx)
            }
            Kind::NotFound => {
                let m = Meta {
                    title: labels::label("not_found").into(),
                    description: None,
                    og_type: "website",
                };
                ("404.html", m, Context::new())
            }
            Kind::Redirect { to } => {
                let mut ctx = Context::new();
                ctx.insert("target", &format!("{root}{to}"));
                ctx.insert("target_path", to);
                let m = Meta {
                    title: labels::label("redirect_text").into(),
                    description: None,
                    og_type: "website",
                };
                ("redirect.html", m, ctx)
            }
        };
        let jsonld = match &page.kind {
            Kind::Home => Some(super::jsonld::home(site)),
            Kind::Project(i) => Some(super::jsonld::project(site, &site.projects[*i])),
            Kind::Bulletin(i) => Some(super::jsonld::article(
                site,
                &site.bulletins[*i],
                &page.path,
            )),
            Kind::Page(i) => Some(super::jsonld::article(site, &site.pages[*i], &page.path)),
            Kind::NotFound | Kind::Redirect { .. } | Kind::Search => None,
            _ => Some(super::jsonld::collection(site, &meta.title, &page.path)),
        };
        let cite = match &page.kind {
            Kind::Project(i) => Some(self.cite(
                &site.projects[*i].name,
                None,
                site.projects[*i].updated,
                &page.path,
            )),
            Kind::Bulletin(i) => {
                let a = &site.bulletins[*i];
                Some(self.cite(&a.title, a.date, a.updated, &page.path))
            }
            _ => None,
        };
        ctx.insert("cite", &cite);
        let feed = match &page.kind {
            Kind::Batch(b) => Some(
                json!({"path": urls::batch_feed(*b), "title": format!("{} · {}", site.config.title, labels::batch(*b))}),
            ),
            _ => None,
        };
        ctx.insert("page_feed", &feed);
        // The 404 page is served at any depth: with a base_url its links are absolute.
        let root = match (&page.kind, &site.config.base_url) {
            (Kind::NotFound, Some(b)) => b.clone(),
            _ => root,
        };
        let canonical_path = match &page.kind {
            Kind::Redirect { to } => to.as_str(),
            _ => page.path.as_str(),
        };
        let canonical = match page.kind {
            Kind::NotFound => None,
            _ => site
                .config
                .base_url
                .as_ref()
                .map(|b| urls::absolute(b, canonical_path)),
        };
        ctx.insert(
            "page",
            &json!({
                "path": page.path,
                "kind": template.trim_end_matches(".html"),
                "title": meta.title,
                "description": meta.description.or(site.config.description.as_deref()),
                "canonical": canonical,
                "og_type": meta.og_type,
                "jsonld": jsonld,
                "image": (self.share_images && page.has_card())
                    .then(|| site.config.base_url.as_ref().map(|b| urls::absolute(b, &urls::share_image(&page.path))))
                    .flatten(),
            }),
        );
        ctx.insert("root", &root);
        // The values every page shares were made into a context once: cloning it is much
        // cheaper than serialising them again for each page.
        let mut full = self.shared.base.clone();
        full.extend(ctx);
        self.renderer.render(template, &full)
    }

    /// The share card of `page`: its title, a line of context, the headline chart.
    pub fn card(&self, page: &Page) -> Option<crate::share::Card<'a>> {
        let site = self.site;
        let (title, subtitle): (&str, Option<String>) = match &page.kind {
            Kind::Home => (&site.config.title, site.config.description.clone()),
            Kind::Projects => (
                labels::label("all_projects"),
                Some(format!(
                    "{} {}",
                    site.projects.len(),
                    labels::label("unit_projects")
                )),
            ),
            Kind::Project(i) => {
                let p = &site.projects[*i];
                let mut sub = format!("{} · {}", labels::batch(p.batch), labels::period(p.period));
                if let Some(a) = p.investment {
                    sub.push_str(&format!(
                        " · {} {} {}",
                        labels::label("investment"),
                        a.plain(),
                        site.config.unit
                    ));
                }
                (&p.name, Some(sub))
            }
            Kind::Batch(b) => (
                labels::batch(*b),
                Some(format!(
                    "{} {}",
                    site.batch(*b).projects.len(),
                    labels::label("unit_projects")
                )),
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
            Kind::NotFound | Kind::Redirect { .. } | Kind::Search => return None,
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

    /// How to cite a page: its title, publisher, dates and permanent URL, and one line in the
    /// GB/T 7714 form for electronic resources.
    fn cite(
        &self,
        title: &str,
        published: Option<crate::model::Date>,
        updated: Option<crate::model::Date>,
        path: &str,
    ) -> Value {
        let site = self.site;
        let publisher = site
            .config
            .publisher
            .as_deref()
            .unwrap_or(&site.config.title);
        let url = site
            .config
            .base_url
            .as_ref()
            .map(|b| urls::absolute(b, path));
        let dates = match (published, updated) {
            (Some(p), Some(u)) if u > p => format!("({}[{}])", p.iso(), u.iso()),
            (Some(p), _) => format!("({})", p.iso()),
            (None, Some(u)) => format!("({})", u.iso()),
            (None, None) => String::new(),
        };
        let mut parts = vec![publisher.to_string(), format!("{title}[EB/OL]")];
        parts.extend(
            [dates, url.clone().unwrap_or_default()]
                .into_iter()
                .filter(|p| !p.is_empty()),
        );
        let text = parts.join(". ") + ".";
        json!({
            "title": title,
            "publisher": publisher,
            "published": published.map(|d| d.iso()),
            "published_zh": published.map(|d| d.chinese()),
            "updated": updated.map(|d| d.iso()),
            "updated_zh": updated.map(|d| d.chinese()),
            "url": url,
            "text": text,
        })
    }

    fn article<'s>(
        &'s self,
        a: &'s Article,
        path: String,
        root: &str,
    ) -> Result<(Meta<'s>, Context), Diagnostic> {
        let mut ctx = Context::new();
        let mut v = article_item(a, path);
        v["author"] = json!(a.author);
        v["updated"] = json!(a.updated.map(|d| d.iso()));
        v["updated_zh"] = json!(a.updated.map(|d| d.chinese()));
        v["period_path"] = json!(a.period.map(urls::period));
        v["extra"] = a.extra.clone();
        v["images"] = json!(a.images);
        ctx.insert("article", &v);
        ctx.insert("content", &self.body(&a.body, root)?);
        let og = if a.kind == crate::content::article::Kind::Bulletin {
            "article"
        } else {
            "website"
        };
        Ok((
            Meta {
                title: a.title.clone(),
                description: a.summary.as_deref(),
                og_type: og,
            },
            ctx,
        ))
    }

    /// A Markdown body with its shortcodes drawn and site links made relative to `root`.
    pub fn body(&self, md: &Markdown, root: &str) -> Result<String, Diagnostic> {
        let mut out = String::new();
        for seg in &md.segments {
            match seg {
                Segment::Html(h) => out.push_str(&h.replace(ROOT, root)),
                Segment::Shortcode { call, .. } => {
                    let mut ctx = Context::new();
                    ctx.insert("root", root);
                    ctx.extend(self.shared.base.clone());
                    ctx.insert("site", &self.shared.site);
                    let template = match call {
                        Call::Chart { chart } => {
                            let chart = self.shared.chart(chart.name());
                            ctx.insert("chart", chart.unwrap_or(&Value::Null));
                            "shortcodes/chart.html"
                        }
                        Call::Projects { batch, period } => {
                            let rows: Vec<&Value> = self
                                .site
                                .select(*batch, *period)
                                .into_iter()
                                .map(|i| &self.shared.rows[i])
                                .collect();
                            ctx.insert("projects", &rows);
                            ctx.insert("batch", &batch.map(|b| b.key()));
                            ctx.insert("period", period);
                            "shortcodes/projects.html"
                        }
                    };
                    out.push_str(&self.renderer.render(template, &ctx)?);
                }
            }
        }
        Ok(out)
    }

    fn project_value(&self, i: usize) -> Value {
        let site = self.site;
        let p = &site.projects[i];
        let mut v = self.shared.rows[i].clone();
        let money = |a: Option<crate::amount::Amount>| {
            a.map(|a| format!("{} {}", a.plain(), site.config.unit))
        };
        v["annual_plan"] = json!(money(p.annual_plan));
        v["invested"] = json!(money(p.invested));
        v["location"] = json!(p.location);
        v["updated"] = json!(p.updated.map(|d| d.iso()));
        v["updated_zh"] = json!(p.updated.map(|d| d.chinese()));
        v["history"] = json!(p
            .history
            .iter()
            .map(|h| json!({
                "period": h.period,
                "period_label": h.period.map(labels::period),
                "period_path": h.period.map(urls::period),
                "batch": h.batch.key(),
                "batch_label": labels::batch(h.batch),
                "note": h.note,
            }))
            .collect::<Vec<_>>());
        v["milestones"] = json!(p
            .milestones
            .iter()
            .enumerate()
            .map(|(i, m)| json!({
                "anchor": format!("m-{}-{}", m.date.iso(), i + 1),
                "date": m.date.iso(),
                "date_zh": m.date.chinese(),
                "title": m.title,
                "note": m.note,
            }))
            .collect::<Vec<_>>());
        v["images"] = json!(p.images);
        v["aliases"] = json!(p.aliases);
        v["extra"] = p.extra.clone();
        v
    }

    fn periods(&self) -> Vec<Value> {
        self.site
            .periods
            .iter()
            .map(|p| self.period_value(p))
            .collect()
    }

    fn period_value(&self, p: &crate::content::period::Period) -> Value {
        let n = self
            .site
            .projects
            .iter()
            .filter(|x| x.period == p.number)
            .count();
        json!({
            "number": p.number,
            "label": labels::period(p.number),
            "title": p.title,
            "path": urls::period(p.number),
            "date": p.date.map(|d| d.iso()),
            "date_zh": p.date.map(|d| d.chinese()),
            "declared": declared(self.site, p.declared.as_ref()),
            "entered": n,
            "extra": p.extra,
        })
    }

    /// The whole pool: entries, and the declared figures added up where every batch has one.
    fn pool(&self) -> Value {
        let site = self.site;
        let unit = &site.config.unit;
        let declared: Option<Vec<&crate::content::period::Figures>> =
            site.batches.iter().map(|b| b.declared.as_ref()).collect();
        let count: Option<u64> = declared
            .as_ref()
            .and_then(|d| d.iter().map(|f| f.count).sum());
        let investment: Option<crate::amount::Amount> = declared
            .as_ref()
            .and_then(|d| d.iter().map(|f| f.investment).sum());
        json!({
            "count": site.projects.len(),
            "with_amount": site.batches.iter().map(|b| b.with_amount).sum::<usize>(),
            "sum": format!("{} {unit}", site.batches.iter().map(|b| b.sum).sum::<crate::amount::Amount>().plain()),
            "declared_count": count,
            "declared_investment": investment.map(|a| format!("{} {unit}", a.plain())),
        })
    }

    fn sectors(&self) -> Vec<Value> {
        self.site
            .sectors
            .iter()
            .map(|s| json!({"name": s.name, "path": urls::sector(&s.slug), "count": s.projects.len()}))
            .collect()
    }

    /// What moved in period `n`: projects entering a batch, with the batch they left.
    fn changes(&self, n: u32) -> Vec<Value> {
        let mut out = Vec::new();
        for b in Batch::ALL {
            let mut rows = Vec::new();
            for (i, p) in self.site.projects.iter().enumerate() {
                let entered_now = p.batch == b && p.period == n;
                let hist = p
                    .history
                    .iter()
                    .position(|h| h.batch == b && h.period == Some(n));
                if !entered_now && hist.is_none() {
                    continue;
                }
                let previous = if entered_now {
                    p.history.last().map(|h| h.batch)
                } else {
                    hist.and_then(|k| k.checked_sub(1))
                        .map(|k| p.history[k].batch)
                };
                let mut row = self.shared.rows[i].clone();
                row["previous_label"] = json!(previous.map(labels::batch));
                row["still_here"] = json!(entered_now);
                rows.push(row);
            }
            out.push(json!({
                "key": b.key(), "label": labels::batch(b), "path": urls::batch(b), "projects": rows,
            }));
        }
        out
    }
}
