//! Rendering: the tera environment, with the theme's templates and sanpi's filters.

pub(crate) mod card;
pub(crate) mod check;
pub(crate) mod context;
pub(crate) mod jsonld;
pub(crate) mod later;
pub(crate) mod pages;
pub(crate) mod portal;
pub(crate) mod reads;
pub(crate) mod regions;
pub(crate) mod rows;
pub(crate) mod targets;
pub(crate) mod theme;
pub(crate) mod views;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use std::collections::HashMap;
use tera::{Context, Tera, Value};

/// The tera environment of one build.
pub struct Renderer {
    tera: Tera,
    /// Template name -> its file (relative to the root), for messages.
    origins: HashMap<String, String>,
    /// Template name -> what it reads of its values (`reads.rs`).
    reads: HashMap<String, Option<reads::Reads>>,
}

/// Escapes what HTML needs and nothing more (tera's default also rewrites `/`).
fn escape(s: &str) -> String {
    crate::escape::html(s)
}

/// `{{ "2023-01-28" | zh_date }}` -> 2023年1月28日.
fn zh_date(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let s = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("zh_date expects a date string such as 2023-01-28"))?;
    let d = crate::model::Date::parse(s).map_err(tera::Error::msg)?;
    Ok(Value::String(d.chinese()))
}

/// `{{ value | json_script | safe }}`: JSON that cannot end a `<script>` element.
fn json_script(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let json = serde_json::to_string(value).map_err(|e| tera::Error::msg(e.to_string()))?;
    Ok(Value::String(crate::escape::json_for_script(&json)))
}

impl Renderer {
    /// Compiles the theme's templates; syntax errors are reported with file, line and column.
    pub fn new(theme: &theme::Theme, diags: &mut Diagnostics) -> Option<Renderer> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape);
        tera.register_filter("zh_date", zh_date);
        tera.register_filter("json_script", json_script);
        let mut origins = HashMap::new();
        for t in &theme.templates {
            origins.insert(t.name.clone(), origin_of(t));
        }
        // Each file on its own first: a syntax error is then blamed on its file alone, not
        // also on every template that extends it.
        let parsed = match check::parse_each(&theme.templates, origin_of) {
            Ok(p) => p,
            Err(errors) => {
                diags.extend(errors);
                return None;
            }
        };
        let cycles = check::cycles(&parsed);
        if !cycles.is_empty() {
            diags.extend(cycles);
            return None;
        }
        let all: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.text.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(all) {
            // A missing parent or macro file: tera names the template in quotes.
            let message = chain(&e);
            let origin = theme
                .templates
                .iter()
                .filter(|t| {
                    ['\'', '`']
                        .iter()
                        .any(|q| message.contains(&format!("{q}{}{q}", t.name)))
                })
                .map(origin_of)
                .next()
                .unwrap_or_else(|| "templates".to_string());
            diags.push(Diagnostic::error(origin, None, message));
            return None;
        }
        let reads = reads::of_all(&tera);
        Some(Renderer {
            tera,
            origins,
            reads,
        })
    }

    /// Renders `template` with `ctx`.
    pub fn render(&self, template: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, ctx)
            .map_err(|e| self.error(template, &e))
    }

    /// Renders `template` with `ctx` at the end of `out` (no string of its own: a list's
    /// rows are drawn one by one into one buffer).
    pub(crate) fn render_to(
        &self,
        template: &str,
        ctx: &Context,
        out: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        self.tera
            .render_to(template, ctx, out)
            .map_err(|e| self.error(template, &e))
    }

    /// `e`, met rendering `template`, as an error naming the template's file.
    fn error(&self, template: &str, e: &tera::Error) -> Diagnostic {
        let origin = self
            .origins
            .get(template)
            .cloned()
            .unwrap_or_else(|| template.to_string());
        Diagnostic::error(origin, None, chain(e))
    }

    /// What `template` reads of its values; None when it may read anything.
    pub(crate) fn reads(&self, template: &str) -> Option<&reads::Reads> {
        self.reads.get(template).and_then(Option::as_ref)
    }

    /// Whether `template` may read the value `name` (any value, when it may read anything).
    pub(crate) fn reads_name(&self, template: &str, name: &str) -> bool {
        match self.reads.get(template) {
            Some(Some(r)) => r.names(name),
            _ => true,
        }
    }

    pub fn has(&self, template: &str) -> bool {
        self.tera.get_template_names().any(|n| n == template)
    }
}

/// The file of a template, for messages.
fn origin_of(t: &theme::Template) -> String {
    t.origin
        .clone()
        .unwrap_or_else(|| format!("(built-in theme) templates/{}", t.name))
}

/// A tera error with its causes, on one line.
fn chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    parts
        .join(": ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A template syntax error, positioned from tera's ` --> LINE:COL` marker.
pub(super) fn template_error(origin: &str, e: &tera::Error) -> Diagnostic {
    let full = {
        let mut parts = vec![e.to_string()];
        let mut src = std::error::Error::source(e);
        while let Some(s) = src {
            parts.push(s.to_string());
            src = s.source();
        }
        parts.join("\n")
    };
    let pos = full.split("--> ").nth(1).and_then(|rest| {
        let mut it = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        Some(Pos::new(it.next()?.parse().ok()?, it.next()?.parse().ok()?))
    });
    let message = full
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with("-->")
                && !l.starts_with('|')
                && !l.chars().next().is_some_and(|c| c.is_ascii_digit())
        })
        .collect::<Vec<_>>()
        .join(": ");
    Diagnostic::error(origin, pos, message)
}
