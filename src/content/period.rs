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
    regions: Option<BTreeMap<String, RegionDeclared>>,
    extra: Option<yaml::Value>,
}

/// A region's figures as of a period (`regions:` in a period file, keyed by the region's
/// path): the period's own keys, for the region.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RegionDeclared {
    pub declared: Option<Declared>,
    /// The day the region's declared progress counts refer to (default: the period's).
    pub as_of: Option<Date>,
    /// Where they were published (default: the period's source).
    pub source: Option<DeclaredSource>,
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

impl DeclaredSource {
    /// The source as a line cites it: `《标题》（发布者，2023年1月28日）`, the brackets left out
    /// when neither is known.
    pub fn cited(&self) -> String {
        let mut said = crate::labels::work_title(&self.title);
        let when: Vec<String> = self
            .publisher
            .iter()
            .cloned()
            .chain(self.date.map(|d| d.chinese()))
            .collect();
        if !when.is_empty() {
            said.push_str(&format!("（{}）", when.join("，")));
        }
        said
    }
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
    /// The share of the batch's projects that have reached at least each state, as the source
    /// published it (a percentage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rates: Option<BTreeMap<Progress, Rate>>,
}

/// A percentage as a source published it, from 0 to 100 with at most one decimal: `85.7`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rate {
    /// In tenths of a percent: 857 for 85.7%.
    pub tenths: u64,
}

impl Rate {
    /// Reads `85.7`, `100`, `0.5` exactly (digit by digit, never through a float).
    pub fn parse(text: &str) -> Result<Rate, String> {
        let t = text.trim().trim_end_matches('%');
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits(int) || !digits(frac) || (t.contains('.') && frac.is_empty()) {
            return Err(format!(
                "`{text}` is not a rate: write the percentage the source published, such as 85.7"
            ));
        }
        if frac.len() > 1 {
            return Err(format!(
                "`{text}` has more than one decimal: rates are shown with one, and sanpi does not round what a source published"
            ));
        }
        let whole: u64 = int
            .trim_start_matches('0')
            .parse()
            .unwrap_or(if int.len() > 4 { u64::MAX } else { 0 });
        let tenths = whole
            .saturating_mul(10)
            .saturating_add(frac.parse().unwrap_or(0));
        if tenths > 1000 {
            return Err(format!(
                "`{text}` is above 100: a rate is a share of the batch's projects"
            ));
        }
        Ok(Rate { tenths })
    }
}

impl Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{}.{}", self.tenths / 10, self.tenths % 10))
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Rate;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a percentage such as 85.7")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Rate, E> {
                Rate::parse(v).map_err(E::custom)
            }
        }
        // As for amounts: the scalar's text as written, never rounded through an f64.
        d.deserialize_str(V)
    }
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
    /// Figures declared per region, by the region's path (trimmed of `/`).
    pub regions: BTreeMap<String, RegionDeclared>,
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
        check_source(s, &[], &origin, &mut errors);
    }
    if let Some(d) = &raw.declared {
        impossible_progress(d, &[], &origin, &mut errors);
        stray_rates(d, &[], &origin, &mut errors);
    }
    let mut regions = BTreeMap::new();
    for (path, r) in raw.regions.into_iter().flatten() {
        let prefix = [Key::Field("regions"), Key::Field(&path)];
        if let Some(s) = &r.source {
            check_source(s, &prefix, &origin, &mut errors);
        }
        if let Some(d) = &r.declared {
            impossible_progress(d, &prefix, &origin, &mut errors);
            stray_rates(d, &prefix, &origin, &mut errors);
        }
        regions.insert(path.trim().trim_matches('/').to_string(), r);
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
        regions,
        extra: raw
            .extra
            .as_ref()
            .map(yaml::to_json)
            .unwrap_or(serde_json::Value::Null),
        origin,
    })
}

/// A source needs a title, and its `url` must be a web address; `prefix` is the path of the
/// map holding `source` (empty for the period's own).
fn check_source(s: &DeclaredSource, prefix: &[Key], origin: &Origin, errors: &mut Vec<Diagnostic>) {
    let at = |k: &'static str| [prefix, &[Key::Field("source"), Key::Field(k)]].concat();
    if s.title.trim().is_empty() {
        errors.push(origin.error(&at("title"), "a source needs a title"));
    }
    if let Some(u) = &s.url {
        let lower = u.trim().to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            errors.push(
                origin
                    .error(&at("url"), format!("`{u}` is not a web address"))
                    .with_hint("write the address in full, starting with https://"),
            );
        }
    }
}

/// A declared rate that is none of the campaign's rates (`signed` has 履约率 only, `new` none):
/// no page could show it, so it is refused where it stands.
fn stray_rates(d: &Declared, prefix: &[Key], origin: &Origin, errors: &mut Vec<Diagnostic>) {
    let batches = [
        ("signed", Some(Batch::Signed), &d.signed),
        ("started", Some(Batch::Started), &d.started),
        ("producing", Some(Batch::Producing), &d.producing),
        ("new", None, &d.new),
    ];
    for (key, batch, figures) in batches {
        let Some(rates) = figures.as_ref().and_then(|f| f.rates.as_ref()) else {
            continue;
        };
        let allowed: Vec<&str> = crate::model::RATES
            .iter()
            .filter(|(b, _)| Some(*b) == batch)
            .map(|(_, s)| s.key())
            .collect();
        for state in rates.keys() {
            if !allowed.contains(&state.key()) {
                let at = [
                    prefix,
                    &[
                        Key::Field("declared"),
                        Key::Field(key),
                        Key::Field("rates"),
                        Key::Field(state.key()),
                    ],
                ]
                .concat();
                let hint = if allowed.is_empty() {
                    format!("`{key}` has no rate")
                } else {
                    format!("the rates of `{key}` are keyed {}", allowed.join(", "))
                };
                errors.push(
                    origin
                        .error(&at, format!("`{key}` has no rate of `{}`", state.key()))
                        .with_hint(&hint),
                );
            }
        }
    }
}

/// Declared progress that cannot be true, which would publish a rate over 100%: more
/// projects of a batch at a state than the batch's declared count, or more at a later state
/// than at an earlier one (each counts the projects that reached *at least* that state).
fn impossible_progress(
    d: &Declared,
    prefix: &[Key],
    origin: &Origin,
    errors: &mut Vec<Diagnostic>,
) {
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
                prefix,
                &[
                    Key::Field("declared"),
                    Key::Field(key),
                    Key::Field("progress"),
                    Key::Field(state.key()),
                ],
            ]
            .concat()
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
    fn a_published_rate_is_read_exactly_and_refused_where_it_stands() {
        let p =
            period("number: 7\ndeclared:\n  producing: {rates: {at_capacity: 85.7}}\n").unwrap();
        let f = p.declared.unwrap().producing.unwrap();
        assert_eq!(f.rates.unwrap()[&Progress::AtCapacity].tenths, 857);
        for (text, tenths) in [("100", 1000), ("0", 0), ("'85.7%'", 857), ("7.0", 70)] {
            let y =
                format!("number: 7\ndeclared:\n  producing: {{rates: {{at_capacity: {text}}}}}\n");
            let f = period(&y).unwrap().declared.unwrap().producing.unwrap();
            assert_eq!(
                f.rates.unwrap()[&Progress::AtCapacity].tenths,
                tenths,
                "{text}"
            );
        }
        for (text, why) in [
            ("85.71", "more than one decimal"),
            ("100.1", "above 100"),
            ("-5", "not a rate"),
            ("很高", "not a rate"),
            ("1e2", "not a rate"),
        ] {
            let y =
                format!("number: 7\ndeclared:\n  producing: {{rates: {{at_capacity: {text}}}}}\n");
            let e = period(&y).unwrap_err();
            let t = e[0].to_string();
            assert!(
                t.starts_with("error: periods/07.yaml:3:") && t.contains(why),
                "{text}: {t}"
            );
        }
        let e =
            period("number: 7\ndeclared:\n  signed:\n    rates: {at_capacity: 50}\n").unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "error: periods/07.yaml:4:26: `signed` has no rate of `at_capacity`; the rates of `signed` are keyed fulfilled"
        );
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

    #[test]
    fn figures_per_region_are_read_and_checked_where_they_stand() {
        let p = period("number: 3\nregions:\n  dongchuan/linhe/:\n    declared:\n      started: {count: 4, progress: {under_construction: 3}}\n    as_of: 2023-08-31\n").unwrap();
        let r = &p.regions["dongchuan/linhe"];
        assert_eq!(
            r.declared.as_ref().unwrap().started.as_ref().unwrap().count,
            Some(4)
        );
        assert_eq!(r.as_of.unwrap().iso(), "2023-08-31");
        let e = period("number: 3\nregions:\n  xiling:\n    declared:\n      started: {count: 2, progress: {under_construction: 3}}\n").unwrap_err();
        assert!(
            e[0].to_string()
                .starts_with("error: periods/07.yaml:5:58: 3 projects of `started`"),
            "{}",
            e[0]
        );
        let e = period("number: 3\nregions:\n  xiling:\n    source: {title: 通报, url: ftp://x}\n")
            .unwrap_err();
        assert!(
            e[0].to_string()
                .starts_with("error: periods/07.yaml:4:30: `ftp://x` is not a web address"),
            "{}",
            e[0]
        );
        let e = period("number: 3\nregions:\n  xiling:\n    counts: {}\n").unwrap_err();
        assert!(e[0].to_string().contains("4:5"), "{}", e[0]);
    }
}
