//! The `extra:` values an import sets: columns it keeps by their header, and progress text
//! that is not a state, under one key whichever synonym heads the column (moving text an older
//! import kept under a synonym's key); edited line by line, or the key rewritten.

use super::apply::{show_text, Edit, State};
use super::edit::scalar;
use super::header::{self, Field, PROGRESS_KEY};
use super::rows::Record;
use crate::content::project::Project;
use serde_json::Value;
use std::collections::BTreeMap;

/// An extra value as text, for comparing with a cell.
pub(super) fn extra_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The keys under the project's `extra:` that an earlier import gave progress text under,
/// other than [`PROGRESS_KEY`]: headers of a progress column (形象进度, 项目进展（6月）).
pub(super) fn progress_synonyms(p: &Project) -> Vec<String> {
    let Value::Object(map) = &p.extra else {
        return Vec::new();
    };
    map.keys()
        .filter(|k| {
            k.as_str() != PROGRESS_KEY && header::field(&header::clean(k).0) == Field::Progress
        })
        .cloned()
        .collect()
}

/// Removes the `extra:` keys of `keys` that the project has; says whether each could be
/// removed line by line.
pub(super) fn remove_extra(e: &mut Edit, old: &State, keys: &[String]) -> bool {
    let mut ok = true;
    for k in keys {
        if let Some(Some(old_text)) = old.extra.get(k) {
            ok &= e.doc.remove_extra(k);
            e.changes.push(format!("extra.{k} {old_text} → none"));
            e.new.extra.insert(k.clone(), None);
        }
    }
    ok
}

/// Sets the progress state and the `extra:` values the row changes; says whether every
/// `extra:` edit could be made line by line. A row with a progress value moves progress text
/// kept under a synonym's key (`形象进度`) to [`PROGRESS_KEY`], or drops it for a state.
pub(super) fn set_progress_and_extra(
    e: &mut Edit,
    p: &Project,
    rec: &Record,
    old: &State,
    synonyms: &[String],
) -> bool {
    let mut extra_ok = true;
    let has_progress = rec.progress.is_some() || rec.extra.iter().any(|(k, _)| k == PROGRESS_KEY);
    if has_progress {
        extra_ok &= remove_extra(e, old, synonyms);
    }
    if let Some(pg) = rec.progress.filter(|pg| Some(*pg) != p.progress) {
        e.doc.set("progress", pg.key());
        e.changes.push(format!(
            "progress {} → {}",
            show_text(p.progress.map(|x| x.key())),
            pg.key()
        ));
        e.new.progress = Some(pg);
        // Progress text an earlier import kept under extra is now a state.
        if let Some(h) = &rec.progress_header {
            if let Some(Some(old_text)) = old.extra.get(h) {
                extra_ok &= e.doc.remove_extra(h);
                e.changes.push(format!("extra.{h} {old_text} → none"));
                e.new.extra.insert(h.clone(), None);
            }
        }
    }
    for (k, v) in &rec.extra {
        if e.new.extra.get(k).and_then(|x| x.as_deref()) != Some(v.as_str()) {
            extra_ok &= e.doc.set_extra(k, &scalar(v));
            e.changes.push(format!(
                "extra.{k} {} → {v}",
                show_text(old.extra.get(k).and_then(|x| x.as_deref()))
            ));
            e.new.extra.insert(k.clone(), Some(v.clone()));
        }
    }
    extra_ok
}

/// Rewrites the whole `extra:` key, for a file whose `extra:` is written in a form that
/// cannot be edited line by line.
pub(super) fn rewrite_extra(e: &mut Edit, p: &Project) {
    let map = merged_extra(&p.extra, &e.new.extra);
    let lines = extra_lines(&map);
    e.doc.rewrite("extra", &lines);
}

/// The project's `extra:` map with the new values set and the values taken away removed.
pub(super) fn merged_extra(
    extra: &Value,
    new: &BTreeMap<String, Option<String>>,
) -> serde_json::Map<String, Value> {
    let mut map = match extra {
        Value::Object(m) => m.clone(),
        _ => serde_json::Map::new(),
    };
    for (k, v) in new {
        match v {
            Some(v) => map.insert(k.clone(), Value::String(v.clone())),
            None => map.remove(k),
        };
    }
    map
}

/// `extra:` as block lines from a map.
pub(super) fn extra_lines(map: &serde_json::Map<String, Value>) -> Vec<String> {
    if map.is_empty() {
        return Vec::new();
    }
    let mut lines = vec!["extra:".to_string()];
    for (k, v) in map {
        match v {
            Value::String(s) => lines.push(format!("  {}: {}", scalar(k), scalar(s))),
            other => {
                let y = serde_yaml::to_string(other).unwrap_or_default();
                if y.lines().count() <= 1 && !matches!(other, Value::Object(_) | Value::Array(_)) {
                    lines.push(format!("  {}: {}", scalar(k), y.trim_end()));
                } else {
                    lines.push(format!("  {}:", scalar(k)));
                    lines.extend(y.lines().map(|l| format!("    {l}")));
                }
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merged_extra_sets_new_values_and_removes_taken_ones() {
        let extra = json!({"备注": "旧", "进展情况": "洽谈中", "联系人": "张三"});
        let new = BTreeMap::from([
            ("备注".to_string(), Some("新".to_string())),
            ("进展情况".to_string(), None),
            ("责任单位".to_string(), Some("区发改局".to_string())),
        ]);
        let map = merged_extra(&extra, &new);
        assert_eq!(
            Value::Object(map),
            json!({"备注": "新", "联系人": "张三", "责任单位": "区发改局"})
        );
        // A project with no `extra:` (or one that is not a map) starts from nothing.
        let map = merged_extra(&Value::Null, &new);
        assert_eq!(
            Value::Object(map),
            json!({"备注": "新", "责任单位": "区发改局"})
        );
    }
}
