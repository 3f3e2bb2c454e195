//! A list's table rows (`project_rows`): each project's row drawn on its own from
//! `partials/project_row.html`, and serve's store of rows kept between edits. A project
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
use super::Renderer;
use crate::diagnostics::Diagnostic;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tera::Context;

/// The template of one row.
pub(crate) const ROW_TEMPLATE: &str = "partials/project_row.html";

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

#[derive(Default)]
struct Store {
    /// The fingerprint of the `base` the rows were drawn with.
    base: u128,
    bytes: usize,
    /// By `root`, then by the row's hash and `hide_batch`.
    rows: HashMap<String, HashMap<(u128, bool), Arc<str>>>,
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

    /// The rows of `prints` held for `root` and `hide`, None where none is.
    fn get(&self, root: &str, hide: bool, prints: &[u128]) -> Vec<Option<Arc<str>>> {
        let s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match s.rows.get(root) {
            Some(m) => prints.iter().map(|&p| m.get(&(p, hide)).cloned()).collect(),
            None => vec![None; prints.len()],
        }
    }

    fn put(&self, root: &str, hide: bool, drawn: Vec<(u128, Arc<str>)>) {
        let mut s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let more: usize = drawn.iter().map(|(_, h)| h.len()).sum();
        if s.bytes + more > MAX_BYTES {
            s.rows.clear();
            s.bytes = 0;
        }
        s.bytes += more;
        let m = s.rows.entry(root.to_string()).or_default();
        for (p, h) in drawn {
            m.insert((p, hide), h);
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
    const KEYS: [&str; 3] = ["p", "root", "hide_batch"];
    let saved = KEYS.map(|k| full.remove(k));
    let drawn = draw_in(renderer, shared, list, root, hide_batch, full, store);
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

fn draw_in(
    renderer: &Renderer,
    shared: &Shared,
    list: &[usize],
    root: &str,
    hide_batch: bool,
    full: &mut Context,
    store: Option<&RowStore>,
) -> Result<DrawnRows, Diagnostic> {
    let prints: Vec<u128> = list.iter().map(|&i| shared.row_prints[i]).collect();
    let held = match store {
        Some(s) => s.get(root, hide_batch, &prints),
        None => vec![None; list.len()],
    };
    full.insert("root", root);
    full.insert("hide_batch", &hide_batch);
    let mut drawn: Vec<(u128, Arc<str>)> = Vec::new();
    let mut html: Vec<u8> = Vec::with_capacity(list.len() * 720);
    let mut unpublished = false;
    for ((&i, held), &print) in list.iter().zip(held).zip(&prints) {
        let row = &shared.rows[i];
        unpublished |= row.investment.as_deref().is_none_or(str::is_empty);
        match held {
            Some(h) => html.extend_from_slice(h.as_bytes()),
            None => {
                full.insert("p", row);
                let start = html.len();
                renderer.render_to(ROW_TEMPLATE, full, &mut html)?;
                if store.is_some() {
                    drawn.push((print, String::from_utf8_lossy(&html[start..]).into()));
                }
            }
        }
    }
    // tera writes text only: never lossy.
    let html = String::from_utf8(html)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    if let Some(s) = store {
        if !drawn.is_empty() {
            s.put(root, hide_batch, drawn);
        }
    }
    Ok(DrawnRows {
        html,
        count: list.len(),
        unpublished,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_forgets_its_rows_when_base_changes_or_it_is_full() {
        let store = RowStore::default();
        store.keep_for(1);
        store.put("../", false, vec![(7, "<tr>a</tr>\n".into())]);
        assert_eq!(
            store
                .get("../", false, &[7, 8])
                .iter()
                .filter(|h| h.is_some())
                .count(),
            1
        );
        // Another root, or the batch column hidden, is another row.
        assert!(store.get("../../", false, &[7])[0].is_none());
        assert!(store.get("../", true, &[7])[0].is_none());
        store.keep_for(1);
        assert!(store.get("../", false, &[7])[0].is_some());
        store.keep_for(2);
        assert!(store.get("../", false, &[7])[0].is_none());
        // Past its limit, the store starts again rather than grow.
        let big: Arc<str> = "x".repeat(MAX_BYTES / 2 + 1).into();
        store.put("../", false, vec![(1, big.clone())]);
        store.put("../", false, vec![(2, big)]);
        let held = store.get("../", false, &[1, 2]);
        assert!(held[0].is_none() && held[1].is_some());
    }
}
