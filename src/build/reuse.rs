//! A build after a change renders only the pages whose inputs changed (issue 31), and takes
//! every other page's bytes from the output the last build wrote.
//!
//! The last build recorded (`unchanged.rs`) a fingerprint of each project file, of each
//! project's row, of the values of every page told by its values, and of the values every
//! page gets (`deps.rs` says which page is told how). The next build reuses a page only when
//! everything else it read is the same: every input but the project files (templates,
//! site.yaml, periods, bulletins, options, the program: else no page is reused), the output
//! still exactly as that build left it (its digest, taken under the output's lock), and then
//! - a project's page: its file, its row and `base` the same, and no shortcode in its body;
//! - any other page: the fingerprint of its values and `base` the same.
//!
//! A reused page is staged as another name for the output's file (a hard link,
//! `Staging::link`), or where that cannot be, its bytes are read from the output and staged
//! like a rendered page's; the output is replaced whole as always. Nothing writes into a
//! file in place, so the file a reader of the output sees never changes. tests/live.rs
//! compares the output after random edits and builds with a clean build's.

use super::deps;
use crate::charts::Rendered;
use crate::output::search::hash;
use crate::plan::Page;
use crate::render::context::Shared;
use crate::site::Site;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the last build into the output recorded of its pages (read by `unchanged::prior`).
pub(super) struct Prior {
    pub projects: HashMap<String, u128>,
    pub rows: HashMap<String, u128>,
    pub prints: HashMap<String, u128>,
    pub base: u128,
    /// The output's digest as that build left it.
    pub digest: u128,
    /// Each chart's PNG as that build wrote it, by the chart's name: the hash of the SVG it
    /// was drawn from, and of its bytes.
    pub pngs: HashMap<String, (u128, u128)>,
    /// Each share card's key (`Cards::plan`) by its file in the output.
    pub cards: HashMap<String, u128>,
}

/// What this build notes of its pages for the next one.
#[derive(Default)]
pub(super) struct Memo {
    pub rows: Vec<(String, u128)>,
    pub prints: Vec<(String, u128)>,
    pub base: u128,
    pub pngs: Vec<(String, (u128, u128))>,
    pub cards: Vec<(String, u128)>,
}

/// Each project's row hashed ([`Shared::row_prints`]), by the project's file.
pub(super) fn rows(site: &Site, shared: &Shared) -> Vec<(String, u128)> {
    site.projects
        .iter()
        .zip(&shared.row_prints)
        .map(|(p, &r)| (p.origin.rel.clone(), r))
        .collect()
}

/// How this build decides which pages to take from the output.
pub(super) struct Reuse<'a> {
    prior: Prior,
    /// Each project file's fingerprint now.
    files: &'a HashMap<String, u128>,
    /// Each project's row hashed now, by its file.
    rows: HashMap<&'a str, u128>,
    same_base: bool,
    out: PathBuf,
}

impl<'a> Reuse<'a> {
    pub(super) fn new(
        prior: Prior,
        files: &'a HashMap<String, u128>,
        rows: &'a [(String, u128)],
        base: u128,
        out: PathBuf,
    ) -> Reuse<'a> {
        Reuse {
            same_base: prior.base == base,
            rows: rows.iter().map(|(k, v)| (k.as_str(), *v)).collect(),
            prior,
            files,
            out,
        }
    }

    /// Whether project `i`'s page reads what it read at the last build.
    fn project_same(&self, site: &Site, i: usize) -> bool {
        let p = &site.projects[i];
        let rel = p.origin.rel.as_str();
        let same = |now: Option<&u128>, then: Option<&u128>| now.is_some() && now == then;
        self.same_base
            && !p.body.has_shortcodes()
            && same(self.files.get(rel), self.prior.projects.get(rel))
            && same(self.rows.get(rel), self.prior.rows.get(rel))
    }

    /// Whether `page` reads what it read at the last build (`print`: the fingerprint of its
    /// values, for a page told by its values), so that the output's file can stand for it.
    pub(super) fn same(&self, site: &Site, page: &Page, print: Option<u128>) -> bool {
        match (deps::told(page), print) {
            (deps::Told::Project(i), _) => self.project_same(site, i),
            (deps::Told::Values, Some(p)) => {
                self.same_base && self.prior.prints.get(&page.path) == Some(&p)
            }
            (deps::Told::Values, None) => false,
        }
    }

    /// Whether the output's share card at `rel` is the card of `key`.
    pub(super) fn card_same(&self, rel: &str, key: u128) -> bool {
        self.prior.cards.get(rel) == Some(&key)
    }

    /// The file at `rel` in the output, as the last build wrote it (the digest said so).
    pub(super) fn path(&self, rel: &str) -> PathBuf {
        self.out.join(rel)
    }

    /// The bytes of the file at `rel` in the output, when it is a plain file there.
    pub(super) fn bytes(&self, rel: &str) -> Option<Vec<u8>> {
        read_own(&self.out, rel)
    }
}

/// Takes from the output `out` the PNG of each chart whose SVG is the one the last build drew
/// it from, when the file still holds exactly the bytes that build wrote: a picture is
/// drawn again rather than taken from an output changed since, or from a file planted there.
/// Returns how many were taken. (Drawing them is most of a province's build after an edit:
/// three charts per region.)
pub(super) fn chart_pngs(charts: &mut [Rendered], prior: &Prior, out: &Path) -> usize {
    charts
        .par_iter_mut()
        .filter(|r| r.png.is_none())
        .filter_map(|r| {
            let (svg, png) = prior.pngs.get(&r.chart.name)?;
            if hash(r.svg.as_bytes()) != *svg {
                return None;
            }
            let bytes = read_own(out, &crate::urls::chart_png(&r.chart.name))?;
            (hash(&bytes) == *png).then(|| r.png = Some(bytes))
        })
        .count()
}

/// What the next build needs to take the charts' PNGs from this one's output.
pub(super) fn note_chart_pngs(charts: &[Rendered]) -> Vec<(String, (u128, u128))> {
    charts
        .par_iter()
        .filter_map(|r| {
            let png = r.png.as_deref()?;
            Some((r.chart.name.clone(), (hash(r.svg.as_bytes()), hash(png))))
        })
        .collect()
}

/// The bytes of the plain file at `rel` in the output `out` (a real path), read without
/// following a symbolic link, at the file or at a folder on the way to it: the digest says
/// the output is as the last build left it, and this makes sure that nothing planted since
/// is read in its place. None otherwise (the page is then rendered).
fn read_own(out: &Path, rel: &str) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut f = crate::output::write::open_plain(&out.join(rel))?;
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

#[cfg(all(test, unix))]
mod tests {
    use super::{chart_pngs, hash, note_chart_pngs, read_own, Prior};
    use crate::charts::{Chart, Rendered};

    fn chart(name: &str, svg: &str, png: Option<&[u8]>) -> Rendered {
        Rendered {
            chart: Chart {
                name: name.into(),
                ..Chart::default()
            },
            svg: svg.into(),
            svg_print: 0,
            csv: Vec::new(),
            png: png.map(<[u8]>::to_vec),
        }
    }

    /// A chart's PNG is taken from the output only when its SVG is the one it was drawn from
    /// and the file holds the bytes the last build wrote; never through a link.
    #[test]
    fn a_charts_png_is_taken_only_as_it_was_written_for_the_same_svg() {
        let tmp = tempfile::tempdir().unwrap();
        let out = std::fs::canonicalize(tmp.path()).unwrap().join("out");
        std::fs::create_dir_all(out.join("charts")).unwrap();
        let then = [
            chart("same", "<svg>1</svg>", Some(b"png same")),
            chart("redrawn", "<svg>2</svg>", Some(b"png redrawn")),
            chart("touched", "<svg>3</svg>", Some(b"png touched")),
            chart("linked", "<svg>4</svg>", Some(b"png linked")),
            chart("gone", "<svg>5</svg>", Some(b"png gone")),
        ];
        for r in &then {
            let file = out.join(format!("charts/{}.png", r.chart.name));
            std::fs::write(file, r.png.as_ref().unwrap()).unwrap();
        }
        let prior = Prior {
            projects: Default::default(),
            rows: Default::default(),
            prints: Default::default(),
            base: 0,
            digest: 0,
            pngs: note_chart_pngs(&then).into_iter().collect(),
            cards: Default::default(),
        };
        std::fs::write(out.join("charts/touched.png"), "png changed since").unwrap();
        std::fs::remove_file(out.join("charts/linked.png")).unwrap();
        std::fs::write(tmp.path().join("elsewhere.png"), "png linked").unwrap();
        std::os::unix::fs::symlink(
            tmp.path().join("elsewhere.png"),
            out.join("charts/linked.png"),
        )
        .unwrap();
        std::fs::remove_file(out.join("charts/gone.png")).unwrap();
        let mut now = [
            chart("same", "<svg>1</svg>", None),
            chart("redrawn", "<svg>2, another figure</svg>", None),
            chart("touched", "<svg>3</svg>", None),
            chart("linked", "<svg>4</svg>", None),
            chart("gone", "<svg>5</svg>", None),
            chart("new", "<svg>6</svg>", None),
        ];
        assert_eq!(chart_pngs(&mut now, &prior, &out), 1);
        assert_eq!(now[0].png.as_deref(), Some(&b"png same"[..]));
        assert!(now[1..].iter().all(|r| r.png.is_none()));
        assert_eq!(
            prior.pngs["same"],
            (hash(b"<svg>1</svg>"), hash(b"png same"))
        );
    }

    /// A page of the output replaced by a link, or under a folder replaced by one, is not
    /// read: what it points at never reaches the new site.
    #[test]
    fn links_in_the_output_are_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = std::fs::canonicalize(tmp.path()).unwrap().join("out");
        let secret = tmp.path().join("secret.txt");
        std::fs::write(&secret, "secret").unwrap();
        std::fs::create_dir_all(out.join("projects/a")).unwrap();
        std::fs::write(out.join("projects/a/index.html"), "page a").unwrap();
        assert_eq!(
            read_own(&out, "projects/a/index.html").as_deref(),
            Some(&b"page a"[..])
        );
        std::fs::create_dir_all(out.join("projects/b")).unwrap();
        std::os::unix::fs::symlink(&secret, out.join("projects/b/index.html")).unwrap();
        assert_eq!(read_own(&out, "projects/b/index.html"), None);
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("index.html"), "secret").unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("projects/c")).unwrap();
        assert_eq!(read_own(&out, "projects/c/index.html"), None);
        assert_eq!(read_own(&out, "projects/none/index.html"), None);
    }
}
