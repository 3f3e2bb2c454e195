//! serve's path for an edit that changes a project file's front matter, or adds or removes a
//! project file: the site is assembled again from the entries held in memory (no other file
//! is read), the pages that read what changed are rendered again (`deps.rs`) and the search
//! index updated, and only the files whose bytes changed are staged for writing, with those
//! no longer made (`Live::write` puts them in the output; serve answers with them from
//! memory meanwhile). The data files (downloads: CSV, JSON, XLSX, feeds, the charts' files and
//! PNGs) follow in [`Live::finish`], which serve runs once the edits pause: at 10,000
//! projects they take longer to make than the pages (the spreadsheet alone a quarter of a
//! second), and no page embeds them.

use super::deps::{self, Before};
use super::live::Live;
use super::{render, Outcome, Summary};
use crate::content::project::Project;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::search::{self, hash};
use crate::render::pages::Pages;
use crate::{charts, output, plan, site, urls};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

/// What an edit did to the site's projects (by their place in the site before it).
pub(super) enum Change {
    /// Project `i`'s file now reads as this project.
    Replace(usize, Box<Project>),
    /// A project file was added (or a draft published).
    Add(Box<Project>),
    /// Project `i`'s file was removed (or made a draft).
    Remove(usize),
}

/// An outcome that failed with `diags`.
fn failed(diags: Diagnostics) -> Option<Outcome> {
    Some(Outcome {
        summary: None,
        diagnostics: diags.sorted(),
    })
}

impl Live {
    /// Applies `change` to the site in memory and the output (see the module's note). An
    /// error leaves the site in memory unusable: serve then drops it, and the next change
    /// builds everything.
    pub(super) fn refresh(&mut self, change: Change) -> Option<Outcome> {
        let start = Instant::now();
        let mut steps = Vec::new();
        let mut clock = Instant::now();
        let mut step = |name: &'static str| {
            steps.push((name, clock.elapsed().as_millis()));
            clock = Instant::now();
        };
        let old_count = self.prepared.site.projects.len();
        if let Change::Replace(i, _) | Change::Remove(i) = &change {
            if *i >= old_count {
                return None;
            }
        }
        // The index keeps its layout when one project changes, comes or goes: only the
        // pieces holding it are made again. Taken before the change, from the index as it
        // holds the project.
        let before_search = match &change {
            Change::Replace(i, _) | Change::Remove(i) if self.search_kept.is_some() => Some(
                search::Kept::before(&self.prepared.site, &self.search_texts, *i),
            ),
            _ => None,
        };
        let removed = matches!(change, Change::Remove(_));
        let mut before = Before::take(&self.prepared.site, &mut self.shared);
        let mut projects = std::mem::take(&mut self.prepared.site.projects);
        // The projects' indexed texts, by their places before the change.
        let mut old_texts = std::mem::take(&mut self.search_texts);
        let (edited, mut edited_text) = match change {
            Change::Replace(i, p) => {
                let text = search::indexed_text(&p.body);
                let rel = p.origin.rel.clone();
                projects[i] = *p;
                (rel, Some(text))
            }
            Change::Add(p) => {
                let text = search::indexed_text(&p.body);
                let rel = p.origin.rel.clone();
                projects.push(*p);
                (rel, Some(text))
            }
            Change::Remove(i) => (projects.remove(i).origin.rel, None),
        };

        // The site again, with the checks across entries a build makes.
        let mut diags = Diagnostics::new();
        let mut content = self.rest.without_projects();
        content.projects = projects;
        content.check(&mut diags);
        let Some(site) = site::assemble(content, self.opts.lint, &mut diags) else {
            return failed(diags);
        };
        if diags.has_errors() {
            return failed(diags);
        }
        step("assemble");
        // The pages planned and the charts drawn again (SVG and PNG, each only when its
        // figures or words changed) side by side: neither reads the other.
        let statics = self.prepared.theme.static_names();
        let old: HashMap<String, charts::Rendered> = std::mem::take(&mut self.charts)
            .into_iter()
            .map(|r| (r.chart.name.clone(), r))
            .collect();
        let ((pages, planned), mut charts) = rayon::join(
            || {
                let mut d = Diagnostics::new();
                (plan::plan(&site, &statics, &mut d), d)
            },
            || charts::render_all_from(&site, old),
        );
        diags.extend(planned.sorted());
        if diags.has_errors() {
            return failed(diags);
        }
        self.search_texts = site
            .projects
            .iter()
            .map(|p| {
                let text = if p.origin.rel == edited {
                    edited_text.take()
                } else {
                    let i = before.place(&p.origin.rel);
                    i.and_then(|i| old_texts.get_mut(i)).map(std::mem::take)
                };
                text.unwrap_or_default()
            })
            .collect();
        let came = (!removed)
            .then(|| site.projects.iter().position(|p| p.origin.rel == edited))
            .flatten();
        // Their PNGs are drawn by `finish`, after the pages are served; the pages link them
        // already (an empty PNG marks one to draw).
        if self.painter.is_some() {
            for r in charts.iter_mut().filter(|r| r.png.is_none()) {
                r.png = Some(Vec::new());
            }
        }
        step("plan, charts svg");
        // What they replace is freed after the reload (`Live::tidy`).
        let old_site = std::mem::replace(&mut self.prepared.site, site);
        let old_plan = std::mem::replace(&mut self.prepared.pages, pages);
        let mut gone = gone_files(&old_plan, &self.prepared.pages);
        self.trash.push(Box::new((old_site, old_plan, old_texts)));
        let kept = before.keep(&self.prepared.site, &edited);
        let old_shared = std::mem::replace(
            &mut self.shared,
            super::shared_reusing(&self.prepared, &charts, kept),
        );
        self.trash.push(Box::new(old_shared));
        step("shared values");

        // The pages that read what changed.
        let (site, shared) = (&self.prepared.site, &self.shared);
        let all = &self.prepared.pages;
        let renderer = &self.prepared.renderer;
        let view = Pages {
            site,
            shared,
            renderer,
            share_images: false,
            rows_kept: Some(&self.rows_kept),
        };
        let base = deps::base_fingerprint(shared);
        let same_base = base == self.base;
        self.rows_kept.keep_for(base);
        let old_prints = &self.prints;
        let rendered = all
            .par_iter()
            .filter_map(|page| {
                let file = || urls::file_of(&page.path);
                match deps::told(page) {
                    deps::Told::Project(i) => {
                        let same =
                            same_base && deps::project_same(site, shared, i, &before, &edited);
                        let html = (!same).then(|| view.render(page));
                        html.map(|h| h.map(|h| (file(), hash(&h), h, None)))
                    }
                    deps::Told::Values => {
                        let (template, ctx, later) = match view.context_parts(page) {
                            Ok(c) => c,
                            Err(d) => return Some(Err(d)),
                        };
                        let reads = renderer.reads(template);
                        let with = Some((&later, &view));
                        let (print, mut ctx) =
                            deps::fingerprint(template, ctx, reads, with, &shared.base);
                        let print_of = Some((page.path.clone(), print));
                        if same_base && old_prints.get(&page.path) == Some(&print) {
                            return Some(Ok((String::new(), 0, Vec::new(), print_of)));
                        }
                        if let Err(d) = view.put_later(template, &mut ctx, &later) {
                            return Some(Err(d));
                        }
                        let html = view.render_context(template, ctx);
                        Some(html.map(|h| (file(), hash(&h), h, print_of)))
                    }
                }
            })
            .collect::<Result<Vec<_>, Diagnostic>>();
        let rendered = match rendered {
            Ok(r) => r,
            Err(d) => {
                diags.push(d);
                return failed(diags);
            }
        };
        if diags.has_errors() {
            return failed(diags);
        }
        let mut prints = HashMap::new();
        // Each page's file, the hash of its bytes (taken on every core as it was rendered)
        // and its bytes.
        let rendered: Vec<(String, u128, Vec<u8>)> = rendered
            .into_iter()
            .filter_map(|(file, h, bytes, print)| {
                prints.extend(print);
                (!file.is_empty()).then_some((file, h, bytes))
            })
            .collect();
        let count = rendered.len();
        step("pages");

        // The pages' files now: those not rendered again are as they were, those no longer
        // planned go. The data files are made by `finish`, after the pages are served.
        let mut now = std::mem::take(&mut self.files);
        for f in &gone {
            now.remove(f);
        }
        let mut changed = Vec::new();
        for (rel, h, bytes) in rendered {
            if now.get(&rel) != Some(&h) {
                changed.push((rel.clone(), bytes));
            }
            now.insert(rel, h);
        }
        let written = changed.len();
        self.charts = charts;
        self.data_stale = true;
        self.stage(changed);
        self.files = now;
        let old_prints = std::mem::replace(&mut self.prints, prints);
        self.trash.push(Box::new((old_prints, before)));
        self.base = base;

        // The search index: the pieces holding the project.
        let (pieces, search_now, stale) = self.reindex(came, before_search);
        let written = written + pieces.len();
        self.stage(pieces);
        self.search_files = search_now;
        gone.extend(stale);
        self.stage_gone(gone);
        step("search index");
        let summary = Summary {
            rendered: count,
            pages: count,
            projects: self.prepared.site.projects.len(),
            charts: self.charts.len(),
            files: written,
            millis: start.elapsed().as_millis(),
            steps,
            cards: crate::cards::Counts::default(),
            digest: None,
            unchanged: false,
        };
        Some(Outcome {
            summary: Some(summary),
            diagnostics: diags.sorted(),
        })
    }
}

impl Live {
    /// Whether [`Live::finish`] has data files to make.
    pub fn pending(&self) -> bool {
        self.data_stale
    }

    /// Makes the data files again after an edit's pages were served (see the module's
    /// note), writing those whose bytes changed and removing those no longer made. None when
    /// nothing is pending.
    pub fn finish(&mut self) -> Option<Outcome> {
        if !std::mem::take(&mut self.data_stale) {
            return None;
        }
        let start = Instant::now();
        let site = &self.prepared.site;
        let pages: HashSet<String> = self
            .prepared
            .pages
            .iter()
            .map(|p| urls::file_of(&p.path))
            .collect();
        let mut diags = Diagnostics::new();
        // The PNGs of the charts whose SVG changed: no page embeds them either.
        if let Some(painter) = &self.painter {
            for r in self.charts.iter_mut() {
                if r.png.as_ref().is_some_and(Vec::is_empty) {
                    r.png = None;
                }
            }
            render::chart_pngs(&mut self.charts, painter, &mut diags);
            if diags.has_errors() {
                return failed(diags);
            }
        }
        let mut made = Vec::new();
        output::files(
            site,
            &self.prepared.renderer,
            &self.charts,
            &self.prepared.pages,
            &mut diags,
            &mut |rel, bytes| made.push((rel.to_string(), bytes.to_vec())),
        );
        if diags.has_errors() {
            return failed(diags);
        }
        let mut now = std::mem::take(&mut self.files);
        let mut changed = Vec::new();
        let mut data = HashSet::new();
        for (rel, bytes) in made {
            let h = hash(&bytes);
            if now.get(&rel) != Some(&h) {
                changed.push((rel.clone(), bytes));
            }
            now.insert(rel.clone(), h);
            data.insert(rel);
        }
        let mut gone: Vec<String> = now
            .keys()
            .filter(|k| !pages.contains(*k) && !data.contains(*k))
            .cloned()
            .collect();
        gone.sort();
        for k in &gone {
            now.remove(k);
        }
        let written = changed.len();
        if let Err(o) = self.put(&changed) {
            return Some(*o);
        }
        self.files = now;
        self.remove(&gone);
        let millis = start.elapsed().as_millis();
        Some(Outcome {
            summary: Some(Summary {
                pages: 0,
                projects: self.prepared.site.projects.len(),
                charts: self.charts.len(),
                files: written,
                millis,
                steps: vec![("data files", millis)],
                cards: crate::cards::Counts::default(),
                digest: None,
                unchanged: false,
                rendered: 0,
            }),
            diagnostics: diags.sorted(),
        })
    }

    /// Removes files this site wrote and no longer makes (paths in the output), and their
    /// folders when that leaves them empty (a removed project's page), as a clean build would
    /// not make them. Gone already is as good.
    pub(super) fn remove(&self, files: &[String]) {
        let out = self.opts.output_dir();
        for rel in files {
            let file = out.join(rel);
            let _ = std::fs::remove_file(&file);
            let mut dir = file.parent();
            while let Some(d) = dir.filter(|d| *d != out && d.starts_with(&out)) {
                if std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
    }
}

/// The files of the pages planned `before` that the plan `now` no longer makes, in order.
fn gone_files(before: &[plan::Page], now: &[plan::Page]) -> Vec<String> {
    let planned: HashSet<&str> = now.iter().map(|p| p.path.as_str()).collect();
    // Two paths name one file only as `dir/` and `dir/index.html` (`urls::file_of`).
    let same_file = |path: &str| match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => planned.contains(dir),
        _ => {
            (path.is_empty() || path.ends_with('/'))
                && planned.contains(format!("{path}index.html").as_str())
        }
    };
    let mut gone: Vec<String> = before
        .iter()
        .map(|p| p.path.as_str())
        .filter(|path| !planned.contains(path) && !same_file(path))
        .map(urls::file_of)
        .collect();
    gone.sort();
    gone.dedup();
    gone
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(paths: &[&str]) -> Vec<plan::Page> {
        paths
            .iter()
            .map(|p| plan::Page {
                path: p.to_string(),
                kind: plan::Kind::NotFound,
                lastmod: None,
                pager: None,
            })
            .collect()
    }

    #[test]
    fn the_files_gone_are_those_no_page_makes_now() {
        let before = plan(&[
            "",
            "projects/a/",
            "projects/b/",
            "x/",
            "y/index.html",
            "404.html",
        ]);
        let now = plan(&["index.html", "projects/b/", "x/index.html", "y/"]);
        assert_eq!(
            gone_files(&before, &now),
            ["404.html", "projects/a/index.html"]
        );
        assert!(gone_files(&now, &now).is_empty());
    }
}
