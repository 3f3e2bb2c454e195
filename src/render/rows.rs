//! A list's table rows (`project_rows`): each project's row drawn on its own from
//! `partials/project_row.html` (a period's changes likewise from
//! `partials/change_row.html`), and serve's store of rows kept between edits. A project
//! added or removed shifts the rows of every later page of the lists it is in (some 200
//! pages at 10,000 projects), and every page of them states the list's count: those pages
//! are rendered again, but their rows, but one, are the ones serve already drew.
//!
//! A row sees the values every page gets (`base`), `p`, `root` and `hide_batch`, nothing else
//! of its page, so that its HTML depends on the row, those two and `base` only: the store
//! keys it by the row's hash ([`Shared::row_prints`]), `hide_batch` and `root`, and forgets
//! every row when `base` changes ([`RowStore::keep_for`]). A store belongs to one set of
//! templates (serve makes a new one when they change).

use super::context::Shared;
use super::views::{ChangeRow, ChangesView, ProjectRow};
use super::Renderer;
use crate::diagnostics::Diagnostic;
use serde::Serialize;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;
use tera::Context;

/// The template of one row.
pub(crate) const ROW_TEMPLATE: &str = "partials/project_row.html";

/// The template of one row of a period's changes.
pub(crate) const CHANGE_ROW_TEMPLATE: &str = "partials/change_row.html";

/// The HTML the store holds at most: a site much larger than serve's usual (some 20 MB of
/// rows at 10,000 projects, each row drawn at two or three depths) draws again what it
/// cannot keep.
const MAX_BYTES: usize = 96 << 20;

/// What a list's template gets as `project_rows`.
#[derive(Serialize)]
pub(crate) struct DrawnRows {
    /// The rows, one after another.
    pub html: String,
    pub count: usize,
    /// Whether a row states no amount (the table's note explains the dash).
    pub unpublished: bool,
}

/// Rows drawn by one serve session, for its next edits (see the module's note).
#[derive(Default)]
pub(crate) struct RowStore {
    inner: Mutex<Store>,
}

/// A row's hash is already a hash: its low half is the map's.
#[derive(Default)]
struct PrintHasher(u64);

impl Hasher for PrintHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Not used by a `u128` key; any other input still hashes (FNV-1a).
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 ^= n as u64;
    }
}

type ByPrint = HashMap<u128, Box<str>, BuildHasherDefault<PrintHasher>>;

#[derive(Default)]
struct Store {
    /// The fingerprint of the `base` the rows were drawn with.
    base: u128,
    bytes: usize,
    /// By `root`, then with the batch column and without, by the row's hash.
    rows: HashMap<String, [ByPrint; 2]>,
}

impl RowStore {
    /// A store for rows drawn with the `base` of fingerprint `base`.
    pub(crate) fn for_base(base: u128) -> RowStore {
        let store = RowStore::default();
        store.keep_for(base);
        store
    }

    /// Forgets every row unless they were drawn with the `base` of fingerprint `base`.
    pub(crate) fn keep_for(&self, base: u128) {
        let mut s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if s.base != base {
            *s = Store {
                base,
                ..Store::default()
            };
        }
    }

    /// Writes the rows of `prints` held for `root` and `hide` into `out`, one after another,
    /// and returns where each row not held was to go: its byte offset in `out` and its
    /// place in `prints`.
    fn fill(
        &self,
        root: &str,
        hide: bool,
        prints: &[u128],
        out: &mut String,
    ) -> Vec<(usize, usize)> {
        let s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let Some(m) = s.rows.get(root).map(|m| &m[usize::from(hide)]) else {
            return (0..prints.len()).map(|k| (0, k)).collect();
        };
        let mut holes = Vec::new();
        for (k, p) in prints.iter().enumerate() {
            match m.get(p) {
                Some(h) => out.push_str(h),
                None => holes.push((out.len(), k)),
            }
        }
        holes
    }

    fn put(&self, root: &str, hide: bool, drawn: Vec<(u128, Box<str>)>) {
        let mut s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let more: usize = drawn.iter().map(|(_, h)| h.len()).sum();
        if s.bytes + more > MAX_BYTES {
            s.rows.clear();
            s.bytes = 0;
        }
        s.bytes += more;
        let m = &mut s.rows.entry(root.to_string()).or_default()[usize::from(hide)];
        for (p, h) in drawn {
            m.insert(p, h);
        }
    }
}

/// Draws the rows `list` (places in `shared.rows`) for a page at `root`, with `full` holding
/// the values every page gets (`base`), taking from `store` the rows it holds and giving it
/// those drawn. `full` is handed back as it came.
pub(crate) fn draw(
    renderer: &Renderer,
    shared: &Shared,
    list: &[usize],
    root: &str,
    hide_batch: bool,
    full: &mut Context,
    store: Option<&RowStore>,
) -> Result<DrawnRows, Diagnostic> {
    let prints: Vec<u128> = list.iter().map(|&i| shared.row_prints[i]).collect();
    let unpublished = list.iter().any(|&i| shared.rows[i].states_no_amount());
    let values: Vec<&ProjectRow> = list.iter().map(|&i| &shared.rows[i]).collect();
    let html = draw_rows(
        renderer,
        ROW_TEMPLATE,
        root,
        (root, hide_batch),
        &prints,
        &values,
        full,
        store,
    )?;
    Ok(DrawnRows {
        html,
        count: list.len(),
        unpublished,
    })
}

/// Draws the rows of one batch of a period's changes (`ChangesView::rows`) as
/// [`draw`] draws a list's, each from `partials/change_row.html`; the store keeps them
/// apart from a list's rows.
pub(crate) fn draw_changes(
    renderer: &Renderer,
    shared: &Shared,
    changes: &ChangesView,
    root: &str,
    full: &mut Context,
    store: Option<&RowStore>,
) -> Result<String, Diagnostic> {
    use siphasher::sip128::{Hasher128, SipHasher13};
    use std::hash::Hash;
    let prints: Vec<u128> = changes
        .projects
        .iter()
        .map(|c| {
            let mut h = SipHasher13::new();
            h.write_u128(shared.row_prints[c.index]);
            (c.entered, c.previous_label, c.still_here).hash(&mut h);
            h.finish128().as_u128()
        })
        .collect();
    let values: Vec<&ChangeRow> = changes.projects.iter().collect();
    let key = format!("{CHANGE_ROW_TEMPLATE}\n{root}");
    draw_rows(
        renderer,
        CHANGE_ROW_TEMPLATE,
        &key,
        (root, false),
        &prints,
        &values,
        full,
        store,
    )
}

/// Draws a row from `template` for each of `values` (whose hashes are `prints`), with `p`,
/// `root` and `hide_batch` (`page`) put into `full` for the drawing and taken out after it,
/// taking from `store` the rows it holds under `key` and giving it those drawn.
#[allow(clippy::too_many_arguments)]
fn draw_rows<T: Serialize>(
    renderer: &Renderer,
    template: &str,
    key: &str,
    page: (&str, bool),
    prints: &[u128],
    values: &[&T],
    full: &mut Context,
    store: Option<&RowStore>,
) -> Result<String, Diagnostic> {
    let (root, hide_batch) = page;
    let mut held = String::new();
    let holes = match store {
        Some(s) => {
            held.reserve(values.len() * 720);
            s.fill(key, hide_batch, prints, &mut held)
        }
        None => (0..values.len()).map(|k| (0, k)).collect(),
    };
    if holes.is_empty() {
        return Ok(held);
    }
    // The row's own values go into `full` for the drawing and out again after it.
    const KEYS: [&str; 3] = ["p", "root", "hide_batch"];
    let saved = KEYS.map(|k| full.remove(k));
    let mut drawing = || -> Result<String, Diagnostic> {
        full.insert("root", root);
        full.insert("hide_batch", &hide_batch);
        let mut html = String::with_capacity(held.len() + holes.len() * 720);
        let mut drawn: Vec<(u128, Box<str>)> = Vec::new();
        let mut row: Vec<u8> = Vec::with_capacity(1024);
        let mut at = 0;
        for &(offset, k) in &holes {
            html.push_str(&held[at..offset]);
            at = offset;
            full.insert("p", values[k]);
            row.clear();
            renderer.render_to(template, full, &mut row)?;
            // tera writes text only: never lossy.
            let text = String::from_utf8_lossy(&row);
            html.push_str(&text);
            if store.is_some() {
                drawn.push((prints[k], text.into()));
            }
        }
        html.push_str(&held[at..]);
        if let Some(s) = store {
            s.put(key, hide_batch, drawn);
        }
        Ok(html)
    };
    let drawn = drawing();
    for (k, v) in KEYS.into_iter().zip(saved) {
        match v {
            Some(v) => full.insert(k, &v),
            None => {
                full.remove(k);
            }
        }
    }
    drawn
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows `fill` wrote and the places of those it did not hold.
    fn filled(store: &RowStore, root: &str, hide: bool, prints: &[u128]) -> (String, Vec<usize>) {
        let mut out = String::new();
        let holes = store.fill(root, hide, prints, &mut out);
        (out, holes.into_iter().map(|(_, k)| k).collect())
    }

    #[test]
    fn a_store_forgets_its_rows_when_base_changes_or_it_is_full() {
        let store = RowStore::for_base(1);
        store.put("../", false, vec![(7, "<tr>a</tr>\n".into())]);
        assert_eq!(
            filled(&store, "../", false, &[8, 7, 8]),
            ("<tr>a</tr>\n".into(), vec![0, 2])
        );
        // Another root, or the batch column hidden, is another row.
        assert_eq!(filled(&store, "../../", false, &[7]).1, [0]);
        assert_eq!(filled(&store, "../", true, &[7]).1, [0]);
        store.keep_for(1);
        assert!(filled(&store, "../", false, &[7]).1.is_empty());
        store.keep_for(2);
        assert_eq!(filled(&store, "../", false, &[7]).1, [0]);
        // Past its limit, the store starts again rather than grow.
        let big: Box<str> = "x".repeat(MAX_BYTES / 2 + 1).into();
        store.put("../", false, vec![(1, big.clone())]);
        store.put("../", false, vec![(2, big)]);
        assert_eq!(filled(&store, "../", false, &[1, 2]).1, [0]);
    }
}
