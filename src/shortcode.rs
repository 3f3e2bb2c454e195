//! Shortcodes: `{{ name(key="value", key=7) }}` on a line of its own in Markdown.

use crate::diagnostics::Diagnostic;
use crate::model::{Batch, SiteChart};

/// A validated shortcode call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// A chart with its data table.
    Chart { chart: SiteChart },
    /// A table of projects, optionally of one batch and one period.
    Projects {
        batch: Option<Batch>,
        period: Option<u32>,
    },
}

/// A value written in a shortcode's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Arg {
    Str(String),
    Int(i64),
    Bool(bool),
}

/// The shortcodes that exist, with their arguments, for messages.
pub const KNOWN: &str = "chart(name=\"…\") and projects(batch=\"…\", period=N)";

/// Whether a paragraph's text is meant as a shortcode.
pub fn looks_like(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("{{") && t.ends_with("}}")
}

/// What is wrong with a shortcode, and what would be right.
type Problem = (String, Option<String>);

/// Parses and validates one shortcode; the error says what is wrong and what would be right.
/// It has no path or position yet ([`Diagnostic::placed`] gives them).
pub fn parse(text: &str) -> Result<Call, Diagnostic> {
    call(text).map_err(|(message, hint)| {
        let mut d = Diagnostic::error("", None, message);
        d.hint = hint;
        d
    })
}

fn call(text: &str) -> Result<Call, Problem> {
    let inner = text
        .trim()
        .strip_prefix("{{")
        .and_then(|t| t.strip_suffix("}}"))
        .map(str::trim)
        .ok_or_else(|| ("a shortcode is written {{ name(args) }}".to_string(), None))?;
    let open = inner.find('(').ok_or_else(|| {
        (
            format!("`{inner}` is not a shortcode call"),
            Some(format!("write it as a call, such as {{{{ chart(name=\"investment-by-batch\") }}}}; known: {KNOWN}")),
        )
    })?;
    let name = inner[..open].trim();
    let args_text = inner[open + 1..].strip_suffix(')').ok_or_else(|| {
        (
            format!("the shortcode `{name}` has no closing parenthesis"),
            None,
        )
    })?;
    let args = parse_args(args_text).map_err(|m| (format!("shortcode `{name}`: {m}"), None))?;
    match name {
        "chart" => {
            let mut chart = None;
            for (k, v) in args {
                match (k.as_str(), v) {
                    ("name", Arg::Str(s)) => chart = Some(s),
                    ("name", _) => {
                        return Err(("chart: `name` must be a quoted string".into(), None))
                    }
                    (other, _) => return Err(unknown_arg("chart", other, &["name"])),
                }
            }
            let name = chart
                .ok_or_else(|| ("chart: `name` is required".to_string(), Some(chart_list())))?;
            let chart = SiteChart::from_name(&name).ok_or_else(|| {
                (
                    format!("there is no chart named `{name}`"),
                    Some(chart_list()),
                )
            })?;
            Ok(Call::Chart { chart })
        }
        "projects" => {
            let (mut batch, mut period) = (None, None);
            for (k, v) in args {
                match (k.as_str(), v) {
                    ("batch", Arg::Str(s)) => {
                        batch = Some(Batch::from_key(&s).ok_or_else(|| {
                            (
                                format!("projects: `{s}` is not a batch"),
                                Some("expected one of signed, started, producing".to_string()),
                            )
                        })?)
                    }
                    ("period", Arg::Int(n)) if n >= 1 && n <= i64::from(u32::MAX) => {
                        period = Some(n as u32)
                    }
                    ("batch", _) => {
                        return Err(("projects: `batch` must be a quoted string".into(), None))
                    }
                    ("period", _) => {
                        return Err((
                            "projects: `period` must be a whole number from 1".into(),
                            None,
                        ))
                    }
                    (other, _) => return Err(unknown_arg("projects", other, &["batch", "period"])),
                }
            }
            Ok(Call::Projects { batch, period })
        }
        other => {
            let hint = crate::diagnostics::did_you_mean(other, ["chart", "projects"])
                .map(|m| format!("did you mean `{m}`? known shortcodes: {KNOWN}"))
                .unwrap_or_else(|| format!("known shortcodes: {KNOWN}"));
            Err((format!("unknown shortcode `{other}`"), Some(hint)))
        }
    }
}

fn chart_list() -> String {
    let names: Vec<&str> = SiteChart::ALL.iter().map(|c| c.name()).collect();
    format!("known charts: {}", names.join(", "))
}

fn unknown_arg(code: &str, arg: &str, known: &[&str]) -> Problem {
    (
        format!("{code}: unknown argument `{arg}`"),
        Some(format!("{code} takes {}", known.join(", "))),
    )
}

fn parse_args(text: &str) -> Result<Vec<(String, Arg)>, String> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .ok_or_else(|| format!("`{rest}` is not an argument: write key=value"))?;
        let key = rest[..eq].trim();
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(format!("`{key}` is not an argument name"));
        }
        if out.iter().any(|(k, _)| k == key) {
            return Err(format!("the argument `{key}` is given twice"));
        }
        rest = rest[eq + 1..].trim_start();
        let (value, tail) = if let Some(s) = rest.strip_prefix('"') {
            let end = s
                .find('"')
                .ok_or_else(|| format!("the string of `{key}` is not closed"))?;
            (Arg::Str(s[..end].to_string()), &s[end + 1..])
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            let word = rest[..end].trim();
            let v = match word {
                "true" => Arg::Bool(true),
                "false" => Arg::Bool(false),
                _ => Arg::Int(word.parse().map_err(|_| {
                    format!("`{word}` is not a value: quote strings, write numbers plainly")
                })?),
            };
            (v, &rest[end..])
        };
        out.push((key.to_string(), value));
        rest = tail.trim_start();
        if let Some(t) = rest.strip_prefix(',') {
            rest = t.trim_start();
        } else if !rest.is_empty() {
            return Err(format!("expected `,` between arguments, found `{rest}`"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_two_shortcodes() {
        assert_eq!(
            parse("{{ chart(name=\"investment-by-batch\") }}").unwrap(),
            Call::Chart {
                chart: SiteChart::InvestmentByBatch
            }
        );
        assert_eq!(
            parse("{{ projects(batch=\"started\", period=7) }}").unwrap(),
            Call::Projects {
                batch: Some(Batch::Started),
                period: Some(7)
            }
        );
        assert_eq!(
            parse("{{projects()}}").unwrap(),
            Call::Projects {
                batch: None,
                period: None
            }
        );
    }

    #[test]
    fn explains_mistakes() {
        let (m, h) = call("{{ chrt(name=\"investment-by-batch\") }}").unwrap_err();
        assert!(m.contains("unknown shortcode `chrt`") && h.unwrap().contains("`chart`"));
        let (m, h) = call("{{ chart(name=\"no-such-chart\") }}").unwrap_err();
        assert!(m.contains("no-such-chart") && h.unwrap().contains("investment-by-batch"));
        assert!(parse("{{ projects(batch=\"startd\") }}").is_err());
        assert!(parse("{{ projects(period=0) }}").is_err());
        assert!(parse("{{ projects(colour=\"red\") }}").is_err());
        assert!(parse("{{ projects(period=1, period=2) }}").is_err());
        assert!(parse("{{ chart(name=\"x) }}").is_err());
        assert!(parse("{{ hello }}").is_err());
    }
}
