//! The vocabulary of the domain: batches, progress states and dates, shared by every step.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The three batches of a “三个一批” campaign, in their natural order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Batch {
    Signed,
    Started,
    Producing,
}

impl Batch {
    pub const ALL: [Batch; 3] = [Batch::Signed, Batch::Started, Batch::Producing];

    /// The key used in content, URLs and data files.
    pub fn key(self) -> &'static str {
        match self {
            Batch::Signed => "signed",
            Batch::Started => "started",
            Batch::Producing => "producing",
        }
    }

    pub fn from_key(key: &str) -> Option<Batch> {
        Batch::ALL.into_iter().find(|b| b.key() == key)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The charts every site has, in the order the home page shows them. Pages of a batch,
/// a period and a sector have charts of their own besides (see `charts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SiteChart {
    InvestmentByBatch,
    ProjectsByBatch,
    InvestmentByPeriod,
    ProjectsByPeriod,
    InvestmentBySector,
    Indicators,
    PoolByPeriod,
    ConversionsByPeriod,
}

impl SiteChart {
    pub const ALL: [SiteChart; 8] = [
        SiteChart::Indicators,
        SiteChart::InvestmentByBatch,
        SiteChart::ProjectsByBatch,
        SiteChart::PoolByPeriod,
        SiteChart::ConversionsByPeriod,
        SiteChart::InvestmentByPeriod,
        SiteChart::ProjectsByPeriod,
        SiteChart::InvestmentBySector,
    ];

    /// The name used in shortcodes, URLs (`charts/NAME.svg`) and the word table.
    pub fn name(self) -> &'static str {
        match self {
            SiteChart::InvestmentByBatch => "investment-by-batch",
            SiteChart::ProjectsByBatch => "projects-by-batch",
            SiteChart::InvestmentByPeriod => "investment-by-period",
            SiteChart::ProjectsByPeriod => "projects-by-period",
            SiteChart::InvestmentBySector => "investment-by-sector",
            SiteChart::Indicators => "indicators",
            SiteChart::PoolByPeriod => "pool-by-period",
            SiteChart::ConversionsByPeriod => "conversions-by-period",
        }
    }

    pub fn from_name(name: &str) -> Option<SiteChart> {
        SiteChart::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// How far a project has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    Pending,
    Fulfilled,
    UnderConstruction,
    InProduction,
    AtCapacity,
}

impl Progress {
    pub const ALL: [Progress; 5] = [
        Progress::Pending,
        Progress::Fulfilled,
        Progress::UnderConstruction,
        Progress::InProduction,
        Progress::AtCapacity,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Progress::Pending => "pending",
            Progress::Fulfilled => "fulfilled",
            Progress::UnderConstruction => "under_construction",
            Progress::InProduction => "in_production",
            Progress::AtCapacity => "at_capacity",
        }
    }
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub chrono::NaiveDate);

impl Date {
    pub fn parse(text: &str) -> Result<Date, String> {
        let t = text.trim();
        let shaped = t.len() == 10
            && t.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !shaped {
            return Err(format!(
                "`{text}` is not a date: write it as YYYY-MM-DD, such as 2023-01-28"
            ));
        }
        chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Date)
            .map_err(|_| {
                format!("`{text}` is not a day of the calendar: check the month and the day")
            })
    }

    /// ISO 8601, for data files and feeds: `2023-01-28`.
    pub fn iso(self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }

    /// The Chinese way, for pages: `2023年1月28日`.
    pub fn chinese(self) -> String {
        use chrono::Datelike;
        format!("{}年{}月{}日", self.0.year(), self.0.month(), self.0.day())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as 2023-01-28")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Date, E> {
                Date::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Date, E> {
                Date::parse(&v.to_string()).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Whether `s` is an ASCII slug `[a-z0-9-]+` that can stand as a URL segment.
pub fn is_slug(s: &str) -> bool {
    slug_fault(s).is_none()
}

/// The most bytes a slug (an id, a URL segment) may have: a file name must stay well under
/// the 255 bytes most file systems allow.
pub const MAX_SLUG: usize = 120;

/// Why `s` is not a slug, in words that end a sentence ("it is empty"); None when it is one.
pub fn slug_fault(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("it is empty".into());
    }
    if let Some(c) = s
        .chars()
        .find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    {
        let shown = if c.is_whitespace() || c.is_control() {
            format!("U+{:04X}", c as u32)
        } else {
            format!("`{c}`")
        };
        return Some(format!(
            "{shown} is not allowed: only lowercase ASCII letters, digits and hyphens are"
        ));
    }
    (s.len() > MAX_SLUG).then(|| {
        format!(
            "it is {} characters long, and at most {MAX_SLUG} are allowed",
            s.len()
        )
    })
}

/// `s` cut for a message when it is long: its first 40 characters and an ellipsis.
pub fn clipped(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().count() <= 60 {
        return s.into();
    }
    format!("{}…", s.chars().take(40).collect::<String>()).into()
}

/// The rates of FORMAT.md, in the order they are shown: the batch and the state reached
/// (履约率, 开工率, 投产率, 达效率).
pub const RATES: [(Batch, Progress); 4] = [
    (Batch::Signed, Progress::Fulfilled),
    (Batch::Started, Progress::UnderConstruction),
    (Batch::Started, Progress::InProduction),
    (Batch::Producing, Progress::AtCapacity),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_and_formatted() {
        let d = Date::parse("2023-01-28").unwrap();
        assert_eq!(d.chinese(), "2023年1月28日");
        assert_eq!(d.iso(), "2023-01-28");
        assert!(Date::parse("2022-13-45").unwrap_err().contains("not a day"));
        assert!(Date::parse("2022-02-29").is_err());
        assert!(Date::parse("2023/01/28")
            .unwrap_err()
            .contains("YYYY-MM-DD"));
    }

    #[test]
    fn slugs() {
        assert!(is_slug("gamma-data-hub"));
        for s in ["", "中文", "A", "a_b", "../x", "a/b", "a.b"] {
            assert!(!is_slug(s), "{s}");
        }
    }
}
