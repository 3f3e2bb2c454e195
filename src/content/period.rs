//! A campaign period (期), content/periods/*.yaml, with its officially declared figures.

use crate::amount::Amount;
use crate::content::entry::{self, optional_text, Origin};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Markdown};
use crate::model::{Batch, Date};
use crate::source::Source;
use crate::yaml::{self, Key};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    number: u32,
    date: Option<Date>,
    title: Option<String>,
    summary: Option<String>,
    declared: Option<Declared>,
    extra: Option<yaml::Value>,
}

/// Published figures for one batch (or for the period's new projects).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Figures {
    pub count: Option<u64>,
    pub investment: Option<Amount>,
    pub annual_plan: Option<Amount>,
}

/// The officially published figures of the whole pool as of a period.
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
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Period {
        number: raw.number,
        date: raw.date,
        title: optional_text(raw.title),
        summary,
        declared: raw.declared,
        extra: raw
            .extra
            .as_ref()
            .map(yaml::to_json)
            .unwrap_or(serde_json::Value::Null),
        origin,
    })
}
