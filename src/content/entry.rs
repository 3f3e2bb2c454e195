//! What every kind of entry shares: where its YAML sits in its file, and turning YAML errors
//! into diagnostics at the right line and column of the original file.

use crate::diagnostics::{Diagnostic, Place, Pos};
use crate::model::{clipped, is_slug, slug_fault, MAX_SLUG};
use crate::source::{split_front_matter, Source};
use crate::yaml::{self, Key};
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

    fn yaml_error(&self, e: Diagnostic) -> Diagnostic {
        let fallback = Some(Pos::new(self.first_line, 1));
        e.placed(&self.rel, |p| self.shift(p), fallback)
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
        let s = split_front_matter(&src.text).map_err(|d| d.placed(&src.rel, |p| p, None))?;
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

/// The URL segment of an entry (a project's `id`, an article's `slug`): the value of `key`,
/// else the file's stem; either must be a slug. `what` names it in messages ("id", "slug"),
/// and `example` ends the hint.
pub fn url_segment(
    origin: &Origin,
    key: &'static str,
    given: Option<&str>,
    stem: &str,
    example: &str,
    errors: &mut Vec<Diagnostic>,
) -> String {
    match given {
        Some(s) if is_slug(s) => s.to_string(),
        Some(s) => {
            let why = slug_fault(s).unwrap_or_default();
            errors.push(
                origin
                    .error(&[Key::Field(key)], format!("`{}` is not a valid {key}: {why}", clipped(s)))
                    .with_hint(format!(
                        "{} {key} is lowercase ASCII letters, digits and hyphens, at most {MAX_SLUG} characters{example}",
                        if key == "id" { "an" } else { "a" }
                    )),
            );
            String::new()
        }
        None if is_slug(stem) => stem.to_string(),
        None => {
            let what = if key == "id" { "an id" } else { "a URL slug" };
            let why = slug_fault(stem).unwrap_or_default();
            errors.push(
                Diagnostic::error(&origin.rel, Some(Pos::new(1, 1)), format!("the file name `{}` cannot be {what}: {why}", clipped(stem)))
                    .with_hint(format!("add `{key}:` with lowercase ASCII letters, digits and hyphens (at most {MAX_SLUG}), or rename the file so")),
            );
            String::new()
        }
    }
}

/// Former URL segments (`aliases`), each of which must be a slug like the entry's `key`.
pub fn check_aliases(origin: &Origin, aliases: &[String], key: &str, errors: &mut Vec<Diagnostic>) {
    for (i, a) in aliases.iter().enumerate() {
        if !is_slug(a) {
            errors.push(
                origin
                    .error(
                        &[Key::Field("aliases"), Key::Index(i)],
                        format!(
                            "the alias `{}` is not a valid {key}: {}",
                            clipped(a),
                            slug_fault(a).unwrap_or_default()
                        ),
                    )
                    .with_hint(format!(
                        "an alias is a former {key}: lowercase ASCII letters, digits and hyphens, at most {MAX_SLUG} characters"
                    )),
            );
        }
    }
}
