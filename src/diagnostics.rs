//! Diagnostics: the one error type every step reports, printed as FORMAT.md's error line.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is. Errors fail a build; warnings never do.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a source file, 1-based, columns counted in characters.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub fn new(line: usize, col: usize) -> Self {
        Pos { line, col }
    }

    /// The position of byte `offset` in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let mut cut = offset;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let before = &text[..cut];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Pos::new(line, before[line_start..].chars().count() + 1)
    }
}

/// Where a text held by a file (a Markdown body, a YAML string) sits in that file, so that a
/// byte offset in the text becomes the file's line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The file's position of the text's first character.
    pub start: Pos,
    /// How many columns the text's later lines are shifted right in the file (the
    /// indentation of a YAML block scalar; 0 for a Markdown body).
    pub indent: usize,
    /// False when the text cannot be mapped character by character (escapes, folded lines):
    /// every position is then `start`, the value's start.
    pub exact: bool,
}

impl Place {
    /// A text whose lines are the file's lines from `line` on, unindented.
    pub fn lines(line: usize) -> Self {
        Place {
            start: Pos::new(line, 1),
            indent: 0,
            exact: true,
        }
    }

    /// The file position of byte `offset` of `text`, the text this place describes.
    pub fn pos(&self, text: &str, offset: usize) -> Pos {
        if !self.exact {
            return self.start;
        }
        let p = Pos::of_offset(text, offset);
        if p.line == 1 {
            Pos::new(self.start.line, self.start.col + p.col - 1)
        } else {
            Pos::new(self.start.line + p.line - 1, self.indent + p.col)
        }
    }
}

/// One finding about the content, the templates or the command line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with forward slashes; empty when no file applies.
    pub path: String,
    pub pos: Option<Pos>,
    pub message: String,
    /// What would be right, when we can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, pos: Option<Pos>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            pos,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(path: impl Into<String>, pos: Option<Pos>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, pos, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// A diagnostic found in a piece of text (YAML, a front matter, a shortcode) placed in
    /// its file: `rel`, with `place` mapping the position inside the text to the file's
    /// (a diagnostic with no position gets `fallback`).
    pub fn placed(mut self, rel: &str, place: impl Fn(Pos) -> Pos, fallback: Option<Pos>) -> Self {
        self.path = rel.to_string();
        self.pos = self.pos.map(place).or(fallback);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `error: PATH:LINE:COL: message (hint)`, the line of FORMAT.md.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{word}: ")?;
        if !self.path.is_empty() {
            write!(f, "{}", self.path)?;
            if let Some(p) = self.pos {
                write!(f, ":{}:{}", p.line, p.col)?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "; {h}")?;
        }
        Ok(())
    }
}

/// All diagnostics of one run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by path, then position, errors before warnings at the same spot; duplicates dropped.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.path, a.pos, a.severity, &a.message).cmp(&(&b.path, b.pos, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// A site-relative display path with forward slashes.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(3) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_the_contract_line() {
        let d =
            Diagnostic::error("content/a.md", Some(Pos::new(4, 10)), "bad").with_hint("do this");
        assert_eq!(d.to_string(), "error: content/a.md:4:10: bad; do this");
        let d = Diagnostic::error("content/site.yaml", None, "missing");
        assert_eq!(d.to_string(), "error: content/site.yaml: missing");
    }

    #[test]
    fn positions_count_characters() {
        let t = "ab\n中文x";
        assert_eq!(Pos::of_offset(t, 0), Pos::new(1, 1));
        assert_eq!(Pos::of_offset(t, 3), Pos::new(2, 1));
        assert_eq!(Pos::of_offset(t, 9), Pos::new(2, 3));
    }

    #[test]
    fn places_map_offsets_into_the_file() {
        let t = "a{{\n中b";
        let block = Place {
            start: Pos::new(3, 3),
            indent: 2,
            exact: true,
        };
        assert_eq!(block.pos(t, 1), Pos::new(3, 4));
        assert_eq!(block.pos(t, 7), Pos::new(4, 4));
        assert_eq!(Place::lines(7).pos(t, 7), Pos::new(8, 2));
        let inexact = Place {
            exact: false,
            ..block
        };
        assert_eq!(inexact.pos(t, 7), Pos::new(3, 3));
    }

    #[test]
    fn suggests_close_words_only() {
        let keys = ["investment", "invested", "name"];
        assert_eq!(did_you_mean("investmnet", keys), Some("investment"));
        assert_eq!(did_you_mean("colour", keys), None);
    }
}
