//! A campaign period (期), content/periods/*.yaml, with the figures published for it and where they were published.

use crate::amount::Amount;
use crate::content::entry::{self, optional_text, Origin};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Markdown};
use crate::model::{Batch, Date, Progress};
use crate::source::Source;
use crate::yaml::{self, Key};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    number: u32,
    date: Option<Date>,
    title: Option<String>,
    summary: Option<String>,
    declared: Option<Declared>,
    as_of: Option<Date>,
    source: Option<DeclaredSource>,
    extra: Option<yaml::Value>,
}

/// Where a period's declared figures were published.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DeclaredSource {
    pub title: String,
    pub url: Option<String>,
    pub date: Option<Date>,
    pub publisher: Option<String>,
}

/// Published figures for one batch (or for the period's new projects).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Figures {
    pub count: Option<u64>,
    pub investment: Option<Amount>,
    pub annual_plan: Option<Amount>,
    /// How many of the batch's projects have reached at least each state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<BTreeMap<Progress, u64>>,
}

/// The published figures of the whole pool as of a period.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Declared {
    pub signed: Option<Figures>,
    pub started: Option<Figures>,
    pub producing: Option<Figures>,
    pub new: Option<Figures>,
}

impl Declared {
    pub fn batch(&self, b: Batch) -> Option<&Figures> {
        match b {
            Batch::Signed => self.signed.as_ref(),
            Batch::Started => self.started.as_ref(),
            Batch::Producing => self.producing.as_ref(),
        }
    }
}

/// A validated period.
#[derive(Debug, Clone)]
pub struct Period {
    pub number: u32,
    pub date: Option<Date>,
    pub title: Option<String>,
    pub summary: Markdown,
    pub declared: Option<Declared>,
    /// The day the declared progress counts refer to.
    pub as_of: Option<Date>,
    pub source: Option<DeclaredSource>,
    pub extra: serde_json::Value,
    pub origin: Origin,
}

pub fn parse(src: &Source, md: markdown::Settings) -> Result<Period, Vec<Diagnostic>> {
    let parsed = entry::parse::<RawPeriod>(src, false).map_err(|d| vec![d])?;
    let (raw, origin) = (parsed.raw, parsed.origin);
    let mut errors = Vec::new();
    if raw.number == 0 {
        errors.push(origin.error(&[Key::Field("number")], "periods are numbered from 1"));
    }
    let summary = match &raw.summary {
        Some(text) => {
            let place = origin.place(&[Key::Field("summary")], text);
            markdown::render(text, place, &src.rel, md, &mut errors)
        }
        None => Markdown::default(),
    };
    if let Some(s) = &raw.source {
        if s.title.trim().is_empty() {
            errors.push(origin.error(
                &[Key::Field("source"), Key::Field("title")],
                "a source needs a title",
            ));
        }
        if let Some(u) = &s.url {
            let lower = u.trim().to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://")) {
                errors.push(
                    origin
                        .error(
                            &[Key::Field("source"), Key::Field("url")],
                            format!("`{u}` is not a web address"),
                        )
                        .with_hint("write the address in full, starting with https://"),
                );
            }
        }
    }
    if let Some(d) = &raw.declared {
        impossible_progress(d, &origin, &mut errors);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Period {
        number: raw.number,
        date: raw.date,
        title: optional_text(raw.title),
        summary,
        declared: raw.declared,
        as_of: raw.as_of,
        source: raw.source,
        extra: raw
            .extra
            .as_ref()
            .map(yaml::to_json)
            .unwrap_or(serde_json::Value::Null),
        origin,
    })
}

/// Declared progress that cannot be true, which would publish a rate over 100%: more
/// projects of a batch at a state than the batch's declared count, or more at a later state
/// than at an earlier one (each counts the projects that reached *at least* that state).
fn impossible_progress(d: &Declared, origin: &Origin, errors: &mut Vec<Diagnostic>) {
    let batches = [
        ("signed", &d.signed),
        ("started", &d.started),
        ("producing", &d.producing),
        ("new", &d.new),
    ];
    for (key, figures) in batches {
        let Some(f) = figures else { continue };
        let Some(progress) = &f.progress else {
            continue;
        };
        let at = |state: Progress| {
            [
                Key::Field("declared"),
                Key::Field(key),
                Key::Field("progress"),
                Key::Field(state.key()),
            ]
        };
        let mut earlier: Option<(Progress, u64)> = None;
        for (&state, &n) in progress {
            if let Some(count) = f.count.filter(|&c| n > c) {
                errors.push(
                    origin
                        .error(
                            &at(state),
                            format!(
                                "{n} projects of `{key}` are declared to have reached `{}`, more than the {count} the batch's `count` declares",
                                state.key()
                            ),
                        )
                        .with_hint("a progress count is how many of the batch's projects reached that state: it cannot exceed the batch's count"),
                );
            } else if let Some((before, m)) = earlier.filter(|&(_, m)| n > m) {
                errors.push(
                    origin
                        .error(
                            &at(state),
                            format!(
                                "{n} projects of `{key}` are declared to have reached `{}`, more than the {m} declared to have reached `{}`, which comes before it",
                                state.key(),
                                before.key()
                            ),
                        )
                        .with_hint("each progress count includes the projects that went further: a later state cannot count more"),
                );
            }
            earlier = Some((state, n));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(yaml: &str) -> Result<Period, Vec<Diagnostic>> {
        let src = crate::source::decode(yaml.as_bytes().to_vec(), "periods/07.yaml").unwrap();
        parse(&src, markdown::Settings::default())
    }

    #[test]
    fn declared_progress_as_of_and_source() {
        let p = period(
            "number: 7\nas_of: 2022-12-31\ndeclared:\n  producing: {count: 7, progress: {at_capacity: 6}}\nsource: {title: 报道, date: 2023-01-29}\n",
        )
        .unwrap();
        let f = p.declared.unwrap().producing.unwrap();
        assert_eq!(f.progress.unwrap().get(&Progress::AtCapacity), Some(&6));
        assert_eq!(p.as_of.unwrap().iso(), "2022-12-31");
        let s = p.source.unwrap();
        assert_eq!((s.title.as_str(), s.url), ("报道", None));
    }

    #[test]
    fn a_source_needs_a_title_and_a_web_address() {
        let e =
            period("number: 7\nsource: {title: ' ', url: 'javascript:alert(1)'}\n").unwrap_err();
        let text: Vec<String> = e.iter().map(|d| d.to_string()).collect();
        assert!(text.iter().any(|t| t.contains("needs a title")), "{text:?}");
        assert!(
            text.iter().any(|t| t.contains("not a web address")),
            "{text:?}"
        );
        assert!(period("number: 7\nsource: {url: 'https://a.example/'}\n").is_err());
        assert!(period("number: 7\ndeclared: {signed: {progress: {done: 1}}}\n").is_err());
    }

    #[test]
    fn declared_progress_that_cannot_be_true_is_an_error_at_its_key() {
        let e = period(
            "number: 7\ndeclared:\n  started: {count: 24, progress: {under_construction: 33}}\n",
        )
        .unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].to_string(),
            "error: periods/07.yaml:3:55: 33 projects of `started` are declared to have reached `under_construction`, more than the 24 the batch's `count` declares; a progress count is how many of the batch's projects reached that state: it cannot exceed the batch's count"
        );
        let e = period("number: 7\ndeclared:\n  started:\n    progress: {under_construction: 4, in_production: 14}\n")
            .unwrap_err();
        assert!(e[0].to_string().starts_with("error: periods/07.yaml:4:54: 14 projects of `started` are declared to have reached `in_production`, more than the 4 declared to have reached `under_construction`"), "{}", e[0]);
        // Equal counts and the sample's figures are fine.
        assert!(period("number: 7\ndeclared:\n  started: {count: 24, progress: {under_construction: 24, in_production: 24}}\n").is_ok());
        assert!(period("number: 7\ndeclared:\n  started: {count: 24, progress: {under_construction: 14, in_production: 4}}\n").is_ok());
    }
}
