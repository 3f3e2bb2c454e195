//! serve's quick path: a built site kept in memory, so that a change to one project's text
//! redoes its page (and the search index) instead of the whole site, and a change to one
//! project file's front matter, or a project file added or removed, redoes what reads it
//! (`refresh.rs`).

use super::refresh::Change;
use super::render::Written;
use super::{run_with, BuildOptions, Outcome, Prepared, Summary};
use crate::diagnostics::{self, Diagnostic, Diagnostics};
use crate::output::search::hash;
use crate::render::context::Shared;
use crate::render::pages::Pages;
use crate::render::rows::RowStore;
use crate::share::Painter;
use crate::{charts, content, markdown, output, plan, site, source, urls};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// A built site kept in memory, so that `serve` can redo one page instead of the site.
pub struct Live {
    pub(super) prepared: Prepared,
    pub(super) shared: Shared,
    pub(super) opts: BuildOptions,
    /// What was read besides the projects, to assemble the site again after an edit.
    pub(super) rest: content::Content,
    /// The charts as drawn, so that an edit draws again only the PNGs whose SVG changed.
    pub(super) charts: Vec<charts::Rendered>,
    pub(super) painter: Option<Painter>,
    /// A hash of each page and data file the output holds (not the search index's, nor the
    /// static files), so that an edit writes only what changed and removes what is gone.
    pub(super) files: HashMap<String, u128>,
    /// The fingerprint of each page told by its values, by path, and of the values every
    /// page gets (`deps.rs`).
    pub(super) prints: HashMap<String, u128>,
    pub(super) base: u128,
    /// The data files are behind the site in memory: [`Live::finish`] makes them.
    pub(super) data_stale: bool,
    /// Each project's text in the search index, so that one edit rewrites the index without
    /// reading every body again (about 10 ms instead of 200 at 10,000 projects).
    pub(super) search_texts: Vec<String>,
    /// A hash of each file of the search index the output holds, so that an edit writes only
    /// the pieces of a split index whose bytes changed (at 10,000 projects a few of 1,377)
    /// and removes those that no longer exist.
    pub(super) search_files: HashMap<String, u128>,
    /// The split search index, kept so that an edit remakes only the pieces that hold the
    /// project (None for a one-file index, or after a failed write, when the next edit
    /// writes the index whole).
    pub(super) search_kept: Option<output::search::Kept>,
    /// What the edits since the last [`Live::write`] made and removed, not yet in the output.
    pub(super) staged: Staged,
    /// The rows of lists drawn so far, for the pages the next edits render.
    pub(super) rows_kept: RowStore,
    /// What an edit replaced (the site, its pages and values before it), dropped by
    /// [`Live::tidy`] once the edit is served: freeing 10,000 projects' rows and pages took
    /// some 20 ms of every reload.
    pub(super) trash: Vec<Box<dyn std::any::Any + Send>>,
}

/// The files an edit made and those it removed, held until [`Live::write`] puts them in the
/// output: serve answers with them from memory meanwhile, so that a reader sees the edit as
/// soon as it is rendered, and the output's files follow at once.
#[derive(Debug, Default)]
pub struct Staged {
    /// Each file's path in the output and its bytes, in the order they are to be written
    /// (the search index's manifest after the pieces it names).
    pub files: Vec<(String, Arc<Vec<u8>>)>,
    /// The paths of the files no longer made.
    pub gone: Vec<String>,
}

impl Staged {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.gone.is_empty()
    }
}

/// What a build that succeeded leaves to a [`Live`].
pub(super) struct Kept {
    pub prepared: Prepared,
    pub shared: Shared,
    pub rest: content::Content,
    pub charts: Vec<charts::Rendered>,
    pub painter: Option<Painter>,
    pub written: Written,
}

/// `build`, keeping the site in memory when it succeeds.
pub fn build_live(opts: &BuildOptions) -> (Outcome, Option<Live>) {
    let mut live = None;
    let outcome = run_with(opts, true, Some(&mut live), None);
    (outcome, live)
}

/// A file to write: its path in the output and its bytes.
pub(super) type File = (String, Vec<u8>);

/// The files of the search index made after an edit: those whose bytes changed, and the
/// hashes of all that were made.
struct Emitted<'a> {
    old: &'a HashMap<String, u128>,
    now: HashMap<String, u128>,
    made: HashSet<String>,
    files: Vec<File>,
}

impl Emitted<'_> {
    fn emit(&mut self, rel: &str, bytes: &[u8]) {
        let h = hash(bytes);
        if self.old.get(rel) != Some(&h) {
            self.files.push((rel.to_string(), bytes.to_vec()));
        }
        self.now.insert(rel.to_string(), h);
        self.made.insert(rel.to_string());
    }
}

impl Live {
    /// Keeps a site that just built, with the search index its build made.
    pub(super) fn new(kept: Kept, opts: BuildOptions) -> Live {
        let Written {
            search,
            files,
            prints,
            rows,
        } = kept.written;
        let base = super::deps::base_fingerprint(&kept.shared);
        let held = search.unwrap_or(output::search::Held {
            texts: Vec::new(),
            kept: None,
            files: Vec::new(),
        });
        Live {
            prepared: kept.prepared,
            shared: kept.shared,
            opts,
            rest: kept.rest,
            charts: kept.charts,
            painter: kept.painter,
            files,
            prints,
            base,
            data_stale: false,
            search_texts: held.texts,
            search_files: held.files.into_iter().collect(),
            search_kept: held.kept,
            staged: Staged::default(),
            rows_kept: rows,
            trash: Vec::new(),
        }
    }

    /// After a change to `path` only. When it is a project file whose front matter is
    /// byte for byte the same, only that project's page and the search index can differ, so
    /// only the page is rendered and staged for the output ([`Live::write`]), and the index rewritten when the
    /// text it holds changed. The body gets the checks a full build gives it (site links,
    /// shortcode periods) against the last good site. Any other change to a project file, or
    /// one added or removed, goes to [`Live::refresh`]. None when the change needs a full
    /// build.
    pub fn update(&mut self, path: &Path) -> Option<Outcome> {
        let start = Instant::now();
        let root = &self.opts.root;
        let rel = diagnostics::rel_path(root, path);
        let markdown = content::project_file(root, path)?;
        let at = self
            .prepared
            .site
            .projects
            .iter()
            .position(|p| p.origin.rel == rel);
        let gone = std::fs::symlink_metadata(path)
            .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
        if gone {
            return at.and_then(|i| self.refresh(Change::Remove(i)));
        }
        let src = source::read(path, &rel).ok()?;
        let stem = path.file_stem()?.to_string_lossy().into_owned();
        let settings = markdown::Settings {
            unsafe_html: self.prepared.site.config.unsafe_html,
        };
        let new = match content::project::parse(&src, &stem, markdown, settings) {
            Ok(p) => p,
            Err(errors) => {
                let mut d = Diagnostics::new();
                d.extend(errors);
                return Some(Outcome {
                    summary: None,
                    diagnostics: d.sorted(),
                });
            }
        };
        let shown = !new.draft || self.opts.drafts;
        let i = match (at, shown) {
            (None, true) => return self.refresh(Change::Add(Box::new(new))),
            // A draft (still one, or a new one): the site is the same.
            (None, false) => return Some(Outcome::nothing(start)),
            (Some(i), false) => return self.refresh(Change::Remove(i)),
            (Some(i), true) => i,
        };
        let old = &self.prepared.site.projects[i];
        if new.origin.yaml != old.origin.yaml || !markdown {
            return self.refresh(Change::Replace(i, Box::new(new)));
        }
        let site = &self.prepared.site;
        let pages = &self.prepared.pages;
        let is_page = |p: &str| pages.iter().any(|x| x.path == p);
        let statics = self.prepared.theme.static_names();
        let generated = plan::Generated::new(site, pages, &statics);
        let mut errors = plan::link_errors(site, &is_page, &generated, &rel, &new.body);
        let periods = site::Periods::new(&site.periods, false);
        errors.extend(site::shortcode_errors(&periods, &rel, &new.body));
        if !errors.is_empty() {
            let mut d = Diagnostics::new();
            d.extend(errors);
            return Some(Outcome {
                summary: None,
                diagnostics: d.sorted(),
            });
        }
        let text = output::search::indexed_text(&new.body);
        let reindex = self.search_texts.get(i) != Some(&text);
        let before = (reindex && self.search_kept.is_some())
            .then(|| output::search::Kept::before(&self.prepared.site, &self.search_texts, i));
        if let Some(t) = self.search_texts.get_mut(i) {
            *t = text;
        }
        // The whole entry: its body, and the body's Markdown that the spreadsheet holds.
        self.prepared.site.projects[i] = new;
        let page = self
            .prepared
            .pages
            .iter()
            .find(|p| p.kind == plan::Kind::Project(i))?;
        let pages = Pages {
            site: &self.prepared.site,
            shared: &self.shared,
            renderer: &self.prepared.renderer,
            share_images: false,
            rows_kept: Some(&self.rows_kept),
        };
        let html = match pages.render(page) {
            Ok(h) => h,
            Err(d) => {
                return Some(Outcome {
                    summary: None,
                    diagnostics: vec![d],
                })
            }
        };
        // The spreadsheet holds the body's Markdown: `finish` makes the data files again.
        self.data_stale = true;
        let page_file = urls::file_of(&page.path);
        self.files.insert(page_file.clone(), hash(&html));
        let mut files = vec![(page_file, html)];
        // The pieces whose bytes changed, in the order they are made (the manifest last, so
        // that it never names a piece not yet written); then those no longer made go.
        let mut stale = Vec::new();
        let mut search_now = None;
        if reindex {
            let (changed, now, gone) = self.reindex(Some(i), before);
            files.extend(changed);
            search_now = Some(now);
            stale = gone;
        }
        let count = files.len();
        self.stage(files);
        if let Some(now) = search_now {
            self.search_files = now;
        }
        self.stage_gone(stale);
        let summary = Summary {
            pages: 1,
            projects: 1,
            charts: 0,
            files: count,
            millis: start.elapsed().as_millis(),
            steps: vec![("one page", start.elapsed().as_millis())],
            cards: crate::cards::Counts::default(),
            digest: None,
            unchanged: false,
            rendered: 1,
        };
        Some(Outcome {
            summary: Some(summary),
            diagnostics: vec![],
        })
    }

    /// Holds `files` for [`Live::write`] (after those held already; a path held as gone is
    /// made again).
    pub(super) fn stage(&mut self, files: Vec<File>) {
        if !self.staged.gone.is_empty() {
            let made: HashSet<&str> = files.iter().map(|(r, _)| r.as_str()).collect();
            self.staged.gone.retain(|g| !made.contains(g.as_str()));
        }
        let files = files.into_iter().map(|(r, b)| (r, Arc::new(b)));
        self.staged.files.extend(files);
    }

    /// Holds `gone` for [`Live::write`] to remove (a file held to be written is not).
    pub(super) fn stage_gone(&mut self, gone: Vec<String>) {
        if gone.is_empty() {
            return;
        }
        let removed: HashSet<&str> = gone.iter().map(String::as_str).collect();
        self.staged
            .files
            .retain(|(r, _)| !removed.contains(r.as_str()));
        self.staged.gone.extend(gone);
    }

    /// What the edits since the last [`Live::write`] made and removed; serve answers with it
    /// from memory until it is written.
    pub fn take_staged(&mut self) -> Staged {
        std::mem::take(&mut self.staged)
    }

    /// Frees what the last edits replaced (see [`Live::trash`]): serve calls it once the
    /// edit is served.
    pub fn tidy(&mut self) {
        self.trash.clear();
    }

    /// Puts `staged` in the output: its files written (each a new file renamed into place),
    /// then those gone removed. On an error the site in memory must not be used again (see
    /// [`Live::put`]).
    pub fn write(&mut self, staged: &Staged) -> Result<(), Box<Outcome>> {
        self.put(&staged.files)?;
        self.remove(&staged.gone);
        Ok(())
    }

    /// Writes `files` into the output, each a new file renamed into place. On an error, what
    /// the output holds is no longer known: the site in memory must not be used again (serve
    /// drops it on the error returned, and builds everything at the next change).
    pub(super) fn put<B: std::borrow::Borrow<Vec<u8>> + Sync>(
        &mut self,
        files: &[(String, B)],
    ) -> Result<(), Box<Outcome>> {
        use rayon::prelude::*;
        let out = self.opts.output_dir();
        let put_one = |(rel, bytes): &(String, B)| -> Result<(), String> {
            let file = out.join(rel);
            let tmp = temporary(&file);
            // A split search index may gain a folder of pieces, a new project its page's.
            if let Some(dir) = file.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            // A new file renamed into place: never the served file rewritten in place.
            output::write::new_file(&tmp)
                .and_then(|mut f| std::io::Write::write_all(&mut f, bytes.borrow()))
                .and_then(|_| std::fs::rename(&tmp, &file))
                .map_err(|e| format!("cannot write {}: {e}", file.display()))
        };
        // The last file after all the others (the search index's manifest, which names its
        // pieces); those before it on every core.
        let Some((last, files)) = files.split_last() else {
            return Ok(());
        };
        let written = files
            .par_iter()
            .map(put_one)
            .collect::<Result<(), String>>()
            .and_then(|()| put_one(last));
        if let Err(message) = written {
            self.search_files.clear();
            self.search_kept = None;
            self.files.clear();
            let d = Diagnostic::error("", None, message);
            return Err(Box::new(Outcome {
                summary: None,
                diagnostics: vec![d],
            }));
        }
        Ok(())
    }

    /// The search index after one project changed (`came`: its place in the site now,
    /// unless it was removed; `before`: as the kept index held it, unless it is new): the
    /// files to write (the manifest last, so that it never names a piece not yet written),
    /// the hashes of the index's files afterwards, and the files it no longer has. Only the
    /// pieces holding the project (and the few it moved) are made, unless the change alters
    /// the whole index's layout or no index is kept: then it is made again whole.
    pub(super) fn reindex(
        &mut self,
        came: Option<usize>,
        before: Option<output::search::Before>,
    ) -> (Vec<File>, HashMap<String, u128>, Vec<String>) {
        let old = &self.search_files;
        let site = &self.prepared.site;
        let texts = &self.search_texts;
        let mut e = Emitted {
            old,
            now: old.clone(),
            made: HashSet::new(),
            files: Vec::new(),
        };
        let remade = match self.search_kept.as_mut() {
            Some(kept) if came.is_some() || before.is_some() => {
                kept.update(site, texts, before, came, &mut |r, b| e.emit(r, b))
            }
            _ => None,
        };
        let mut gone: Vec<String> = match remade {
            Some(r) => {
                // A piece's prefix is its path up to its last `-` (a gram's own piece,
                // `x/K-J.js`) or `/`.
                let prefixes: HashSet<&str> = r.prefixes.iter().map(String::as_str).collect();
                let under = |k: &str| {
                    ['-', '/']
                        .iter()
                        .filter_map(|&c| k.rfind(c))
                        .any(|i| prefixes.contains(&k[..=i]))
                };
                e.now
                    .keys()
                    .filter(|k| under(k) && !e.made.contains(*k))
                    .cloned()
                    .collect()
            }
            None => {
                e = Emitted {
                    old,
                    now: HashMap::new(),
                    made: HashSet::new(),
                    files: Vec::new(),
                };
                self.search_kept =
                    output::search::Kept::files(site, texts, &mut |r, b| e.emit(r, b));
                old.keys()
                    .filter(|k| !e.now.contains_key(*k))
                    .cloned()
                    .collect()
            }
        };
        gone.sort();
        for k in &gone {
            e.now.remove(k);
        }
        (e.files, e.now, gone)
    }
}

/// Where [`Live::put`] writes `file` before renaming it into place: named after the whole
/// file name, since `projects.json` and `projects.csv`, written at once, must not share one.
fn temporary(file: &Path) -> std::path::PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".sanpi-tmp");
    file.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::temporary;
    use std::path::Path;

    #[test]
    fn files_written_at_once_have_temporaries_of_their_own() {
        let json = temporary(Path::new("out/data/projects.json"));
        let csv = temporary(Path::new("out/data/projects.csv"));
        assert_ne!(json, csv);
        assert_eq!(json, Path::new("out/data/projects.json.sanpi-tmp"));
    }
}
