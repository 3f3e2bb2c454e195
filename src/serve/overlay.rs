//! The files of serve's last edit, answered from memory from the moment the reload is
//! announced until they are in the output folder (written right after, by `Live::write`):
//! a reader sees the edit as soon as it is rendered, and the disk's writes (a few hundred
//! files when a project comes or goes at 10,000 projects) are not in its wait.

use crate::Staged;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// What the overlay holds of a path of the output.
#[derive(Debug, Clone, PartialEq)]
pub enum Held {
    /// The file's new bytes.
    File(Arc<Vec<u8>>),
    /// The file is gone (still on disk until the edit is written).
    Gone,
}

/// The files of the edit being written, by their path in the output (`a/b/index.html`).
#[derive(Debug, Default)]
pub struct Overlay {
    files: RwLock<HashMap<String, Held>>,
}

impl Overlay {
    /// Holds what `staged` makes and removes, instead of what was held.
    pub fn set(&self, staged: &Staged) {
        let mut files: HashMap<String, Held> = staged
            .gone
            .iter()
            .map(|g| (g.clone(), Held::Gone))
            .collect();
        for (rel, bytes) in &staged.files {
            files.insert(rel.clone(), Held::File(bytes.clone()));
        }
        *self.files.write().unwrap_or_else(|e| e.into_inner()) = files;
    }

    /// Holds nothing: the output folder has it all.
    pub fn clear(&self) {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        if !files.is_empty() {
            *files = HashMap::new();
        }
    }

    /// What is held of the output's file `rel`; None when the folder has the answer.
    pub fn get(&self, rel: &str) -> Option<Held> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files.get(rel).cloned()
    }

    /// Whether a folder's page, `rel/index.html`, is held as made.
    pub fn has_page(&self, rel: &str) -> bool {
        matches!(self.get(&index_of(rel)), Some(Held::File(_)))
    }
}

/// The page of folder `rel` (`""` for the site's root).
pub(super) fn index_of(rel: &str) -> String {
    if rel.is_empty() {
        "index.html".to_string()
    } else {
        format!("{rel}/index.html")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_the_last_edit_only() {
        let o = Overlay::default();
        let staged = Staged {
            files: vec![("projects/a/index.html".into(), Arc::new(b"new".to_vec()))],
            gone: vec!["projects/b/index.html".into()],
        };
        o.set(&staged);
        assert_eq!(
            o.get("projects/a/index.html"),
            Some(Held::File(Arc::new(b"new".to_vec())))
        );
        assert_eq!(o.get("projects/b/index.html"), Some(Held::Gone));
        assert!(o.has_page("projects/a"));
        assert!(!o.has_page("projects/b"));
        assert_eq!(o.get("index.html"), None);
        o.set(&Staged::default());
        assert_eq!(o.get("projects/a/index.html"), None);
        o.set(&staged);
        o.clear();
        assert_eq!(o.get("projects/b/index.html"), None);
    }
}
