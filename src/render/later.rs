//! What a page's values get only when the page is rendered: a list's rows (`projects`,
//! `project_rows`, a period's `changes`) and a page's large values ([`Late`]). serve's and a
//! build's fingerprint of a page (`build/deps.rs`) hashes them as they are, through
//! [`Pages::hash_later`], instead of copying them into the template's values and walking
//! those; [`Pages::put_later`] puts them in to render the page.

use super::pages::Pages;
use super::rows;
use super::views::ChangesView;
use crate::diagnostics::Diagnostic;
use crate::plan::Pager;
use tera::Context;

/// A page's value kept out of its values until the page is rendered: serve's fingerprint
/// (`build/deps.rs`) hashes it as it is, instead of copying it into JSON and walking that
/// (two thirds of telling a region's or a chart's page unchanged). Hashed whole, it tells a
/// page changed whatever part of it changed: for values a template shows whole.
pub(crate) trait Late {
    /// Feeds the value to `h`.
    fn print(&self, h: &mut dyn std::hash::Hasher);
    /// Puts the value into `ctx` as `key`.
    fn put(&self, key: &str, ctx: &mut Context);
}

impl<T: serde::Serialize + std::hash::Hash> Late for T {
    fn print(&self, mut h: &mut dyn std::hash::Hasher) {
        self.hash(&mut h);
    }

    fn put(&self, key: &str, ctx: &mut Context) {
        ctx.insert(key, self);
    }
}

/// What a page's values get only when it is rendered: its rows and its [`Late`] values.
#[derive(Default)]
pub(crate) struct Later<'s> {
    pub rows: Option<Rows>,
    pub values: Vec<(&'static str, Box<dyn Late + 's>)>,
}

impl Later<'_> {
    /// Whether there is nothing to put in later.
    pub(crate) fn is_empty(&self) -> bool {
        self.rows.is_none() && self.values.is_empty()
    }

    /// Whether `name` is one of the values these put in.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.rows.as_ref().is_some_and(|r| r.keys().contains(&name))
            || self.values.iter().any(|(k, _)| *k == name)
    }
}

/// The rows of projects a list's page shows, kept apart from its other values until the
/// page is rendered, so that telling whether the page changed needs no copy of a hundred
/// rows: `build/deps.rs` hashes them as they are ([`Pages::hash_rows`]).
pub(crate) enum Rows {
    /// `projects`: the rows of these projects (by their place in the site).
    Projects(Vec<usize>),
    /// `changes`: what entered each batch in period `.0`, on the page of `.1`
    /// ([`ChangesView::of_period`]).
    Changes(u32, Option<Pager>),
}

impl Rows {
    /// The names the rows have among the page's values: `projects` as rows, `project_rows`
    /// as drawn ([`rows::draw`]); a period's `changes`.
    pub(crate) fn keys(&self) -> &'static [&'static str] {
        match self {
            Rows::Projects(_) => &["projects", "project_rows"],
            Rows::Changes(..) => &["changes"],
        }
    }
}

impl Pages<'_> {
    /// Puts `later` into a page's values, as `template` reads them: the rows as `projects`
    /// (the rows' values) and `project_rows` (the rows drawn, [`rows::draw`]), or `changes`;
    /// then the [`Late`] values.
    pub(crate) fn put_later(
        &self,
        template: &str,
        ctx: &mut Context,
        later: &Later,
    ) -> Result<(), Diagnostic> {
        for (key, value) in &later.values {
            value.put(key, ctx);
        }
        match &later.rows {
            Some(Rows::Projects(list)) => self.put_projects(template, ctx, list)?,
            Some(r @ Rows::Changes(n, pager)) => {
                let mut views =
                    ChangesView::of_period(self.site, &self.shared.rows, *n, pager.as_ref());
                let root = ctx
                    .get("root")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                self.with_base(|full| {
                    for v in &mut views {
                        v.rows = Some(rows::draw_changes(
                            self.renderer,
                            self.shared,
                            v,
                            &root,
                            full,
                            self.rows_kept,
                        )?);
                    }
                    Ok::<(), Diagnostic>(())
                })?;
                ctx.insert(r.keys()[0], &views);
            }
            None => {}
        }
        Ok(())
    }

    /// Puts the rows `list` into `ctx` as `projects` and `project_rows`, those of the two
    /// `template` reads, `project_rows` drawn at `ctx`'s `root` and `hide_batch`.
    pub(super) fn put_projects(
        &self,
        template: &str,
        ctx: &mut Context,
        list: &[usize],
    ) -> Result<(), Diagnostic> {
        if self.renderer.reads_name(template, "projects") {
            ctx.insert("projects", &self.shared.rows(list));
        }
        if self.renderer.reads_name(template, "project_rows") {
            let root = ctx
                .get("root")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let hide = ctx.get("hide_batch").and_then(|v| v.as_bool()) == Some(true);
            let drawn = self.with_base(|full| {
                rows::draw(
                    self.renderer,
                    self.shared,
                    list,
                    &root,
                    hide,
                    full,
                    self.rows_kept,
                )
            })?;
            ctx.insert("project_rows", &drawn);
        }
        Ok(())
    }

    /// Hashes `later` as [`Pages::put_later`] would put it, without copying it.
    pub(crate) fn hash_later<H: std::hash::Hasher>(&self, later: &Later, h: &mut H) {
        use std::hash::Hash;
        later.values.len().hash(h);
        for (key, value) in &later.values {
            key.hash(h);
            value.print(h);
        }
        if let Some(rows) = &later.rows {
            h.write_u8(1);
            self.hash_rows(rows, h);
        }
    }

    /// Hashes `rows` as [`Pages::put_later`] would put them, without copying them.
    fn hash_rows<H: std::hash::Hasher>(&self, rows: &Rows, h: &mut H) {
        use std::hash::Hash;
        match rows {
            Rows::Projects(list) => {
                "projects".hash(h);
                list.len().hash(h);
                for &i in list {
                    h.write_u128(self.shared.row_prints[i]);
                }
            }
            Rows::Changes(n, pager) => {
                "changes".hash(h);
                // Each row by its print, as `Projects` are: hashing the rows whole was a
                // tenth of serve's pages step on the province.
                let views =
                    ChangesView::of_period(self.site, &self.shared.rows, *n, pager.as_ref());
                views.len().hash(h);
                for v in &views {
                    (v.key, v.label, &v.path, v.established).hash(h);
                    v.projects.len().hash(h);
                    for c in &v.projects {
                        h.write_u128(self.shared.row_prints[c.index]);
                        (c.previous_label, c.still_here).hash(h);
                    }
                }
            }
        }
    }
}
