//! What every kind of entry shares: where its YAML sits in its file, and turning YAML errors
//! into diagnostics at the right line and column of the original file.

use crate::content::source::{split_front_matter, Source};
use crate::diagnostics::{Diagnostic, Place, Pos};
use crate::yaml::{self, Key, YamlError};
use serde::de::DeserializeOwned;

/// Where an entry's YAML came from, kept so that later checks can point into it.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Path relative to the site root.
    pub rel: String,
    /// The YAML text (front matter, or the whole file).
    pub yaml: String,
    /// Line of the file on which the YAML starts.
    pub first_line: usize,
}

impl Origin {
    /// The position, in the file, of the value at `path`; the YAML's start when not found.
    pub fn at(&self, path: &[Key<'_>]) -> Option<Pos> {
        yaml::locate(&self.yaml, path)
            .map(|p| self.shift(p))
            .or(Some(Pos::new(self.first_line, 1)))
    }

    /// Where the string `value` at `path` sits in the file, for positions inside it.
    pub fn place(&self, path: &[Key<'_>], value: &str) -> Place {
        match yaml::place(&self.yaml, path, value) {
            Some(p) => Place {
                start: self.shift(p.start),
                ..p
            },
            None => Place {
                start: Pos::new(self.first_line, 1),
                indent: 0,
                exact: false,
            },
        }
    }

    fn shift(&self, p: Pos) -> Pos {
        Pos::new(p.line + self.first_line - 1, p.col)
    }

    /// An error about the value at `path`.
    pub fn error(&self, path: &[Key<'_>], message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.rel, self.at(path), message)
    }

    pub fn warning(&self, path: &[Key<'_>], message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(&self.rel, self.at(path), message)
    }

    fn yaml_error(&self, e: YamlError) -> Diagnostic {
        let pos = e
            .pos
            .map(|p| self.shift(p))
            .or(Some(Pos::new(self.first_line, 1)));
        let mut d = Diagnostic::error(&self.rel, pos, e.message);
        d.hint = e.hint;
        d
    }
}

/// A parsed entry: its typed YAML, where it came from, and its Markdown body if any.
pub struct Parsed<T> {
    pub raw: T,
    pub origin: Origin,
    /// The body and the file line it starts on (Markdown files only).
    pub body: Option<(String, usize)>,
}

/// Parses a Markdown file with front matter, or a pure YAML file, into `T`.
pub fn parse<T: DeserializeOwned>(src: &Source, markdown: bool) -> Result<Parsed<T>, Diagnostic> {
    let (yaml_text, first_line, body) = if markdown {
        let s = split_front_matter(&src.text)
            .map_err(|(pos, msg)| Diagnostic::error(&src.rel, Some(pos), msg))?;
        (
            s.front.to_string(),
            s.front_line,
            Some((s.body.to_string(), s.body_line)),
        )
    } else {
        (src.text.clone(), 1, None)
    };
    let origin = Origin {
        rel: src.rel.clone(),
        yaml: yaml_text,
        first_line,
    };
    match yaml::parse::<T>(&origin.yaml) {
        Ok(raw) => Ok(Parsed { raw, origin, body }),
        Err(e) => Err(origin.yaml_error(e)),
    }
}

/// Trims a text field; an empty one is an error at its key.
pub fn required_text(
    origin: &Origin,
    key: &str,
    value: &str,
    errors: &mut Vec<Diagnostic>,
) -> String {
    let t = value.trim();
    if t.is_empty() {
        errors.push(origin.error(&[Key::Field(key)], format!("`{key}` is empty")));
    }
    t.to_string()
}

/// Trims an optional text field; blank counts as absent.
pub fn optional_text(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}
