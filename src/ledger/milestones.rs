//! Milestones from a ledger's date columns: a 开工时间 cell `2023-03-15` is the milestone
//! `{date: 2023-03-15, title: 开工, note: 据项目台账}`. The note marks it as the ledger's: a
//! later import replaces its date (never appending a second one) and leaves every other
//! milestone, written by hand, alone.

use super::apply::Edit;
use super::edit::scalar;
use crate::content::project::Milestone;
use crate::labels::LEDGER_NOTE;
use crate::model::Date;

/// Whether `m` is the milestone a ledger's column for `title` made.
pub fn is_ledger(m: &Milestone, title: &str) -> bool {
    crate::columns::is_ledger_milestone(&m.title, m.note.as_deref(), title)
}

/// The milestone a ledger's column for `title` makes.
pub(super) fn made(title: &str, date: Date) -> Milestone {
    Milestone {
        date,
        title: title.to_string(),
        note: Some(LEDGER_NOTE.to_string()),
    }
}

/// A milestone as a one-line flow mapping: `{date: 2023-03-15, title: 开工, note: 据项目台账}`.
pub(super) fn flow(m: &Milestone) -> String {
    let note = m
        .note
        .as_deref()
        .map(|n| format!(", note: {}", scalar(n)))
        .unwrap_or_default();
    format!(
        "{{date: {}, title: {}{note}}}",
        m.date.iso(),
        scalar(&m.title)
    )
}

/// Brings the project's ledger milestones in line with the row's dates: a new one appended,
/// a changed date replaced on the milestone's own line (or, when that line cannot be found
/// as an import writes it, the `milestones:` key rewritten, hand-written items with their
/// values as they were).
pub(super) fn apply(e: &mut Edit, dates: &[(&'static str, Date)]) {
    let mut rewrite = false;
    for &(title, date) in dates {
        match e.new.milestones.iter().position(|m| is_ledger(m, title)) {
            Some(i) if e.new.milestones[i].date == date => {}
            Some(i) => {
                let was = e.new.milestones[i].clone();
                e.new.milestones[i].date = date;
                let old = format!("- {}", flow(&was));
                let new = format!("- {}", flow(&e.new.milestones[i]));
                if rewrite || !e.doc.replace_item_line("milestones", &old, &new) {
                    rewrite = true;
                }
                e.changes
                    .push(format!("milestone {title} {} → {date}", was.date));
            }
            None => {
                let m = made(title, date);
                if !rewrite && !e.doc.push_item("milestones", &flow(&m)) {
                    rewrite = true;
                }
                e.new.milestones.push(m);
                e.changes.push(format!("milestone {title} none → {date}"));
            }
        }
    }
    if rewrite {
        e.doc.rewrite("milestones", &lines(&e.new.milestones));
    }
}

/// The `extra:` keys under which the columns of `dates` keep text that is no full date
/// (`开工时间`): a full date now given makes such text stale.
pub(super) fn text_keys(dates: &[(&'static str, Date)]) -> Vec<String> {
    dates.iter().map(|(t, _)| text_key(t)).collect()
}

/// The `extra:` key of text in the column of `title` that is no full date: `开工时间`,
/// whichever synonym heads the column; also that column's header in data/projects.xlsx.
pub(super) fn text_key(title: &str) -> String {
    format!("{title}时间")
}

/// `milestones:` as block lines, one flow item each.
pub(super) fn lines(ms: &[Milestone]) -> Vec<String> {
    if ms.is_empty() {
        return Vec::new();
    }
    let mut out = vec!["milestones:".to_string()];
    out.extend(ms.iter().map(|m| format!("  - {}", flow(m))));
    out
}
