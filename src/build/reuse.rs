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
//! A reused page's bytes are read from the output and staged like a rendered page's, so the
//! output is replaced whole as always. tests/live.rs compares the output after random edits
//! and builds with a clean build's.

use super::deps;
use crate::output::search::hash;
use crate::plan::Page;
use crate::render::context::Shared;
use crate::render::views::ProjectRow;
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
}

/// What this build notes of its pages for the next one.
#[derive(Default)]
pub(super) struct Memo {
    pub rows: Vec<(String, u128)>,
    pub prints: Vec<(String, u128)>,
    pub base: u128,
}

/// A project's row, hashed.
fn row_hash(row: &ProjectRow) -> u128 {
    hash(&serde_json::to_vec(row).unwrap_or_default())
}

/// Each project's row hashed, by the project's file.
pub(super) fn rows(site: &Site, shared: &Shared) -> Vec<(String, u128)> {
    site.projects
        .par_iter()
        .zip(&shared.rows)
        .map(|(p, r)| (p.origin.rel.clone(), row_hash(r)))
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

    /// The bytes of `page` as the last build wrote them, when its values (`print`, for a
    /// page told by its values) are what they were then; None when it must be rendered.
    pub(super) fn bytes(&self, site: &Site, page: &Page, print: Option<u128>) -> Option<Vec<u8>> {
        let same = match (deps::told(page), print) {
            (deps::Told::Project(i), _) => self.project_same(site, i),
            (deps::Told::Values, Some(p)) => {
                self.same_base && self.prior.prints.get(&page.path) == Some(&p)
            }
            (deps::Told::Values, None) => false,
        };
        if !same {
            return None;
        }
        read_own(&self.out, &crate::urls::file_of(&page.path))
    }
}

/// The bytes of the plain file at `rel` in the output `out` (a real path), read without
/// following a symbolic link, at the file or at a folder on the way to it: the digest says
/// the output is as the last build left it, and this makes sure that nothing planted since
/// is read in its place. None otherwise (the page is then rendered).
fn read_own(out: &Path, rel: &str) -> Option<Vec<u8>> {
    use std::io::Read;
    let path = out.join(rel);
    let parent = path.parent()?;
    if std::fs::canonicalize(parent).ok()? != parent {
        return None;
    }
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    let mut f = o.open(&path).ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

#[cfg(all(test, unix))]
mod tests {
    use super::read_own;

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
