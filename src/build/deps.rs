//! What each page reads, in one place: after serve's edit of project entries (a project's
//! front matter changed, a project added or removed), which pages can show something else.
//!
//! A project's page reads its project, its row (which names its sector's and region's pages),
//! the site's settings and periods, the navigation and the words (none of which a project
//! entry can change: they are all in `base`, or read from files other than projects), and the
//! aggregates only through shortcodes in its body. So another project's page is rendered again
//! only when its row changed, its body draws a shortcode, or `base` changed. These pages are
//! nearly all of a large site's, and telling them apart costs nothing.
//!
//! Every other page (lists and their later pages, aggregates, charts, articles, redirects) is
//! told by a fingerprint of what it hands its template ([`fingerprint`]), kept from the last
//! build, at the paths its template reads (`render/reads.rs`): its values are made again
//! (cheap), and only a page whose values changed there is rendered (dear: a list's page
//! shows a hundred rows). An amount edited at 10,000 projects renders 81 pages of some 700
//! (317 when whole values were hashed: the later pages of a list hold its totals but do not
//! show them).
//!
//! The data files are all made again (they are few), and every file is written only when its
//! bytes changed. tests/serve.rs checks the outcome against clean builds after random edits.

use crate::plan::{Kind, Page};
use crate::render::context::{KeptRows, Shared};
use crate::render::later::Later;
use crate::render::pages::Pages;
use crate::render::reads::{Reads, Seen};
use crate::render::views::ProjectRow;
use crate::site::Site;
use siphasher::sip128::{Hasher128, SipHasher13};
use std::collections::HashMap;
use std::hash::Hasher;

/// A hash of what a page hands to its template besides `base` ([`Pages::context`]), at the
/// paths the template reads (`reads`; all of it when None): a page whose template and values
/// there hash the same as at the last build renders to the same bytes. The values are handed
/// back, unchanged, for rendering.
///
/// [`Pages::context`]: crate::render::pages::Pages::context
pub(super) fn fingerprint(
    template: &str,
    ctx: tera::Context,
    reads: Option<&Reads>,
    later: Option<(&Later, &Pages)>,
    base: &tera::Context,
) -> (u128, tera::Context) {
    // Nothing put in later hashes as no `Later` (the prints of pages without one stay).
    let later = later.filter(|(l, _)| !l.is_empty());
    let mut h = SipHasher13::new();
    h.write(template.as_bytes());
    h.write_u8(0);
    // A list's rows and the large values, apart from the others (`Later`): each whole.
    if let Some((l, pages)) = later {
        h.write_u8(1);
        pages.hash_later(l, &mut h);
    }
    h.write_u8(0);
    if let Some(reads) = reads {
        // A guard that names a value the page gets later (the rows, the large values, the
        // values every page gets) cannot be told from `ctx`: it takes every branch.
        let hidden =
            |name: &str| base.contains_key(name) || later.is_some_and(|(l, _)| l.has(name));
        reads.visit(&ctx, &hidden, &mut |seen| match seen {
            Seen::Path => h.write_u8(7),
            Seen::Whole(Some(v)) => hash_value(v, &mut h),
            Seen::Shape(Some(v)) => hash_shape(v, &mut h),
            Seen::Whole(None) | Seen::Shape(None) => h.write_u8(8),
            Seen::Branches(from, to) => {
                h.write_u8(10);
                h.write_usize(from);
                h.write_usize(to);
            }
        });
        return (h.finish128().as_u128(), ctx);
    }
    let value = ctx.into_json();
    hash_value(&value, &mut h);
    // An object always makes a context again.
    let ctx = tera::Context::from_value(value).unwrap_or_default();
    (h.finish128().as_u128(), ctx)
}

/// The values every page gets, hashed: when they change, every page is rendered again.
pub(super) fn base_fingerprint(shared: &Shared) -> u128 {
    fingerprint("", shared.base.clone(), None, None, &tera::Context::new()).0
}

/// Hashes what a condition or a loop sees of a value: a list's length, an object's keys, a
/// scalar whole.
fn hash_shape(v: &serde_json::Value, h: &mut SipHasher13) {
    use serde_json::Value;
    h.write_u8(9);
    match v {
        Value::Array(a) => {
            h.write_u8(5);
            h.write_usize(a.len());
        }
        Value::Object(m) => {
            h.write_u8(6);
            h.write_usize(m.len());
            for k in m.keys() {
                h.write_usize(k.len());
                h.write(k.as_bytes());
            }
        }
        scalar => hash_value(scalar, h),
    }
}

/// Hashes a value's structure and contents, each part tagged and its length written first,
/// so that no two different values write the same bytes.
fn hash_value(v: &serde_json::Value, h: &mut SipHasher13) {
    use serde_json::Value;
    match v {
        Value::Null => h.write_u8(0),
        Value::Bool(b) => h.write_u8(1 + u8::from(*b)),
        Value::Number(n) => {
            h.write_u8(3);
            let text = n.to_string();
            h.write_usize(text.len());
            h.write(text.as_bytes());
        }
        Value::String(s) => {
            h.write_u8(4);
            h.write_usize(s.len());
            h.write(s.as_bytes());
        }
        Value::Array(a) => {
            h.write_u8(5);
            h.write_usize(a.len());
            for x in a {
                hash_value(x, h);
            }
        }
        Value::Object(m) => {
            h.write_u8(6);
            h.write_usize(m.len());
            for (k, x) in m {
                h.write_usize(k.len());
                h.write(k.as_bytes());
                hash_value(x, h);
            }
        }
    }
}

/// The rows of the projects before an edit, by the file of each.
pub(super) struct Before {
    /// Each row and its print, by the projects' places before the edit.
    rows: Vec<ProjectRow>,
    prints: Vec<u128>,
    /// Whether [`Before::keep`] took the row at each place for the site after the edit.
    taken: Vec<bool>,
    at: HashMap<String, usize>,
    /// The sectors' names and slugs: a row names its sector's page.
    sectors: Vec<(String, String)>,
}

impl Before {
    /// Takes the rows of `shared`, the rows of `site`'s projects.
    pub(super) fn take(site: &Site, shared: &mut Shared) -> Before {
        let mut at = HashMap::with_capacity(site.projects.len());
        at.extend(
            site.projects
                .iter()
                .enumerate()
                .map(|(i, p)| (p.origin.rel.clone(), i)),
        );
        let rows = std::mem::take(&mut shared.rows);
        let prints = std::mem::take(&mut shared.row_prints);
        Before {
            taken: vec![false; rows.len()],
            rows,
            prints,
            at,
            sectors: sector_slugs(site),
        }
    }

    /// The rows (and prints) that stay the same in `site`, the site after an edit of the
    /// project file `edited`, by the projects' places in it, for `Shared::new`: a row
    /// reads its project, the region tree and the unit (which such an edit cannot change)
    /// and its sector's slug, so every project but the edited one keeps its row while the
    /// sectors keep their slugs. A row taken is the same by that, for [`project_same`].
    pub(super) fn keep(&mut self, site: &Site, edited: &str) -> KeptRows {
        if sector_slugs(site) != self.sectors {
            return KeptRows::default();
        }
        let n = site.projects.len();
        let mut kept = KeptRows {
            rows: Vec::with_capacity(n),
            prints: Vec::with_capacity(n),
            have: Vec::with_capacity(n),
        };
        for p in &site.projects {
            let was = self
                .at
                .get(&p.origin.rel)
                .copied()
                .filter(|&k| p.origin.rel != edited && k < self.rows.len() && !self.taken[k]);
            match was {
                Some(k) => {
                    self.taken[k] = true;
                    kept.rows.push(std::mem::take(&mut self.rows[k]));
                    kept.prints.push(self.prints[k]);
                    kept.have.push(true);
                }
                None => {
                    kept.rows.push(ProjectRow::default());
                    kept.prints.push(0);
                    kept.have.push(false);
                }
            }
        }
        kept
    }

    /// The place before the edit of the project read from `rel`.
    pub(super) fn place(&self, rel: &str) -> Option<usize> {
        self.at.get(rel).copied()
    }

    /// Whether the project read from `rel` had the row `row` before the edit: a row
    /// [`Before::keep`] took is the same.
    fn same_row(&self, rel: &str, row: &ProjectRow) -> bool {
        match self.at.get(rel).copied().filter(|&i| i < self.rows.len()) {
            Some(i) => self.taken[i] || self.rows[i] == *row,
            None => false,
        }
    }
}

fn sector_slugs(site: &Site) -> Vec<(String, String)> {
    site.sectors
        .iter()
        .map(|s| (s.name.clone(), s.slug.clone()))
        .collect()
}

/// How a page is told to be the same as at the last build.
pub(super) enum Told {
    /// A project's page, by its project and its row ([`project_same`]).
    Project(usize),
    /// Any other, by the [`fingerprint`] of its values.
    Values,
}

pub(super) fn told(page: &Page) -> Told {
    match page.kind {
        Kind::Project(i) => Told::Project(i),
        _ => Told::Values,
    }
}

/// Whether project `i`'s page of the site after an edit of the project file `edited` shows
/// the same bytes as before, `base` being the same (see the module's note).
pub(super) fn project_same(
    site: &Site,
    shared: &Shared,
    i: usize,
    before: &Before,
    edited: &str,
) -> bool {
    let p = &site.projects[i];
    p.origin.rel != edited
        && !p.body.has_shortcodes()
        && before.same_row(&p.origin.rel, &shared.rows[i])
}
