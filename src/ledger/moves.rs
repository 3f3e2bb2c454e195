//! A row that changes a project's batch: a move forward, its old batch appended to `history`,
//! or a move undone (the row gives back the batch the history ends with), which pops that
//! entry and restores its period instead of appending a step backwards.

use super::apply::{Edit, Kind};
use super::rows::Record;
use crate::content::project::Project;

/// Moves the project to the row's batch (and period) when the batch differs; says how it
/// moved (`Kind::Moved` or `Kind::Reverted`), `None` when it did not.
pub(super) fn move_batch(e: &mut Edit, p: &Project, rec: &Record, period: u32) -> Option<Kind> {
    let b = rec.batch.filter(|b| *b != p.batch)?;
    // A period cell that still shows the period the project had (as the site's own
    // data/projects.xlsx does) says nothing about when it moved.
    let stale = rec.period.is_some() && rec.period == p.period;
    let fresh = rec.period.filter(|_| !stale);
    let back = p.history.last().filter(|h| h.batch == b);
    let (to, word, kind) = match back {
        // Undone: the period it had in that batch, unless the row gives another.
        Some(h) => {
            if !e.doc.pop_history() {
                let rest = &p.history[..p.history.len() - 1];
                e.doc.remove("history");
                for h in rest {
                    e.doc.push_history(h.period, h.batch.key());
                }
            }
            e.new.history.pop();
            (fresh.or(h.period), "reverted", Kind::Reverted)
        }
        None => {
            e.doc.push_history(p.period, p.batch.key());
            e.new.history.push((p.period, p.batch));
            (Some(fresh.unwrap_or(period)), "moved", Kind::Moved)
        }
    };
    e.doc.set("batch", b.key());
    e.new.batch = b;
    let mut m = format!("{word} {} → {}", p.batch.key(), b.key());
    if to != p.period {
        let show = |n: Option<u32>| n.map_or("(none)".to_string(), |n| n.to_string());
        match to {
            Some(n) => e.doc.set("period", &n.to_string()),
            None => e.doc.remove("period"),
        }
        m.push_str(&format!(", period {} → {}", show(p.period), show(to)));
        if stale && kind == Kind::Moved {
            m.push_str(&format!(
                " (--period {period}: the row's period cell still says {})",
                show(p.period)
            ));
        }
        e.new.period = to;
    }
    e.changes.insert(0, m);
    Some(kind)
}
