//! Reading ledger cells as values: batches, periods, progress states, and amounts converted
//! exactly into the site's unit, with full-width digits and `—`-style empty cells.

use crate::amount::Amount;
use crate::labels;
use crate::model::{Batch, Progress};

pub use crate::columns::body_hash;
pub use crate::text::half_width;

/// Whether a cell holds nothing: blank, or only a dash, slash or 无, as ledgers write it.
pub fn is_blank(s: &str) -> bool {
    let t: String = half_width(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    t.is_empty() || t.chars().all(|c| matches!(c, '—' | '-' | '–' | '/')) || t == "无"
}

/// A text with its whitespace removed and full-width forms made half-width, for comparing.
pub fn squeeze(s: &str) -> String {
    half_width(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A batch: `签约`, `签约一批`, `签约项目`, `signed`, the site's labels (开工, 投产 likewise);
/// also a short text that names one batch only, such as `签约类项目` (not `未开工`).
pub fn batch(s: &str) -> Option<Batch> {
    let t = squeeze(s).to_lowercase();
    let exact = Batch::ALL.into_iter().find(|&b| {
        let word = match b {
            Batch::Signed => "签约",
            Batch::Started => "开工",
            Batch::Producing => "投产",
        };
        t == b.key()
            || t == labels::batch(b)
            || t == labels::batch_short(b)
            || [
                word.to_string(),
                format!("{word}一批"),
                format!("{word}项目"),
                format!("{word}类"),
                format!("{word}批"),
            ]
            .contains(&t)
    });
    exact.or_else(|| {
        let named: Vec<Batch> = [
            ("签约", Batch::Signed),
            ("开工", Batch::Started),
            ("投产", Batch::Producing),
        ]
        .into_iter()
        .filter(|(w, _)| t.contains(w))
        .map(|(_, b)| b)
        .collect();
        match named.as_slice() {
            [b] if t.chars().count() <= 8 && !t.contains('未') && !t.contains('已') => Some(*b),
            _ => None,
        }
    })
}

/// The batch named in a section row such as `一、签约项目（6个）`, if any.
pub fn batch_in(s: &str) -> Option<Batch> {
    let words = [
        ("签约", Batch::Signed),
        ("开工", Batch::Started),
        ("投产", Batch::Producing),
    ];
    words
        .iter()
        .filter_map(|(w, b)| s.find(w).map(|i| (i, *b)))
        .min()
        .map(|(_, b)| b)
}

/// A number written in Chinese numerals up to 99 (`七`, `十二`, `二十三`).
fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c);
    let cs: Vec<char> = s
        .chars()
        .map(|c| if c == '两' { '二' } else { c })
        .collect();
    match cs.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d).map(|n| n as u32),
        ['十', d] => digit(*d).map(|n| 10 + n as u32),
        [t, '十'] => digit(*t).map(|n| 10 * n as u32),
        [t, '十', d] => Some(10 * digit(*t)? as u32 + digit(*d)? as u32),
        _ => None,
    }
}

/// A period: `7`, `7.0` (a spreadsheet number), `第7期`, `第七期`, `7期`, full-width digits.
pub fn period(s: &str) -> Option<u32> {
    let t = squeeze(s);
    let t = t.strip_prefix('第').unwrap_or(&t);
    let t = t.strip_suffix('期').unwrap_or(t);
    let t = t.strip_suffix(".0").unwrap_or(t);
    let n = if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok()
    } else {
        chinese_number(t)
    };
    n.filter(|&n| n >= 1)
}

/// A progress state: the site's labels, the keys, and `未开工`, `在建`, `达产`.
pub fn progress(s: &str) -> Option<Progress> {
    let t = squeeze(s).to_lowercase();
    if let Some(p) = Progress::ALL
        .into_iter()
        .find(|&p| t == p.key() || t == labels::progress(p))
    {
        return Some(p);
    }
    match t.as_str() {
        "未开工" => Some(Progress::Pending),
        "在建" => Some(Progress::UnderConstruction),
        "达产" => Some(Progress::AtCapacity),
        _ => None,
    }
}

/// The power of ten of a money unit in 元, for the unit as a ledger writes it (full-width,
/// spaced): `万元` is 4, `亿元` 8.
pub fn unit_exponent(unit: &str) -> Option<u32> {
    crate::amount::unit_exponent(&squeeze(unit))
}

/// A full date as a ledger writes it: a date cell (`2023-03-15`, with or without a time of
/// day), or text `2023-03-15`, `2023/3/15`, `2023.3.15`, `2023年3月15日`; `None` for anything
/// else, such as `2023年3月` (a month is not a day) or `待定`.
pub fn date(text: &str) -> Option<crate::model::Date> {
    let t = squeeze(text);
    let t = t.strip_suffix('日').unwrap_or(&t);
    // A date cell with a time of day: the day is the milestone's.
    let t = match t.split_once(':') {
        Some(_) if t.len() > 10 && t.is_char_boundary(10) => &t[..10],
        _ => t,
    };
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts[..] else {
        return None;
    };
    let num = |s: &str, max: usize| {
        (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (y, m, d) = (num(y, 4)?, num(m, 2)?, num(d, 2)?);
    if y < 1000 {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d).map(crate::model::Date)
}

/// The units a value or header may carry, longest first so that `万元` wins over `元`.
const UNITS: [&str; 9] = [
    "十万元",
    "百万元",
    "千万元",
    "千元",
    "万元",
    "亿元",
    "元",
    "万",
    "亿",
];

/// `t` (squeezed, so full-width commas are `,`) without its thousands separators, or `None`
/// when a comma does not separate groups of three digits before the point (`1,23`, `1,2345`,
/// `1.2,3`): such a text is a typo, not a number to guess at.
fn without_thousands(t: &str) -> Option<String> {
    if !t.contains(',') {
        return Some(t.to_string());
    }
    let (sign, t) = t.strip_prefix('-').map_or(("", t), |rest| ("-", rest));
    let end = t
        .find(|c: char| c != ',' && !c.is_ascii_digit())
        .unwrap_or(t.len());
    let (int, rest) = t.split_at(end);
    if rest.contains(',') {
        return None;
    }
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
        return None;
    }
    Some(format!("{sign}{}{rest}", int.replace(',', "")))
}

/// An amount as a ledger writes it: a spreadsheet number, or text such as `12,345.6`,
/// `1.2亿元`, `5000万元` or full-width digits, in `unit` (the column's, else the site's),
/// converted exactly into the site's unit, with no more decimals than it takes
/// ([`crate::amount::max_decimals`]: 6 in 亿元, 2 in 万元); never rounded.
pub fn amount(text: &str, unit: Option<&str>, site_unit: &str) -> Result<Amount, String> {
    let not = || format!("\"{}\" is not an amount", text.trim());
    let mut t = without_thousands(&squeeze(text)).ok_or_else(|| {
        format!(
            "\"{}\" is not an amount: commas may only separate groups of three digits (12,345.6)",
            text.trim()
        )
    })?;
    let mut unit = unit.map(str::to_string);
    if let Some(u) = UNITS.iter().find(|u| t.ends_with(*u)) {
        t.truncate(t.len() - u.len());
        unit = Some(u.to_string());
    }
    if t.starts_with('-') && t.len() > 1 {
        return Err(format!(
            "\"{}\" is negative: an amount cannot be below 0",
            text.trim()
        ));
    }
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(not());
    }
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    if digits.len() > 30 {
        return Err(format!(
            "\"{}\" is too large to be a real amount",
            text.trim()
        ));
    }
    let mantissa: u128 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| not())?
    };
    let site_exp = unit_exponent(site_unit);
    let from_exp = match (&unit, site_exp) {
        (None, _) => site_exp.unwrap_or(0),
        (Some(u), Some(_)) => unit_exponent(u).unwrap_or(0),
        (Some(u), None) if squeeze(u) == squeeze(site_unit) => 0,
        (Some(u), None) => {
            return Err(format!(
                "\"{}\" is in {u}, which cannot be converted into the site's unit {site_unit}",
                text.trim()
            ))
        }
    };
    let to_exp = site_exp.unwrap_or(0);
    // value = mantissa / 10^frac * 10^from, in millionths of 10^to.
    let shift = i64::from(from_exp) + i64::from(crate::amount::DECIMALS)
        - i64::from(to_exp)
        - frac.len() as i64;
    let max = crate::amount::max_decimals(site_unit);
    let inexact = || {
        format!(
            "\"{}\" cannot be written exactly in {site_unit}: an amount is exact to 100 元, which is at most {max} decimal{} of {site_unit}; sanpi never rounds",
            text.trim(),
            if max == 1 { "" } else { "s" }
        )
    };
    let n = if shift >= 0 {
        10u128
            .checked_pow(shift as u32)
            .and_then(|p| mantissa.checked_mul(p))
    } else {
        let p = 10u128.checked_pow((-shift) as u32).unwrap_or(u128::MAX);
        if mantissa % p != 0 {
            return Err(inexact());
        }
        Some(mantissa / p)
    };
    match n {
        Some(n) if n <= 100_000_000_000_000 => {
            let a = Amount::from_millionths(n as i64);
            if a.decimals() > max {
                return Err(inexact());
            }
            Ok(a)
        }
        _ => Err(format!(
            "\"{}\" is too large to be a real amount",
            text.trim()
        )),
    }
}

/// The most characters a tag from a cell may have: longer, it is taken for a list written
/// with a separator the import does not know, or for text in the wrong column.
pub const MAX_TAG: usize = 50;

/// The characters that separate the tags of a cell, with line breaks.
const TAG_SEPARATORS: &[char] = &['、', ',', '，', ';', '；', '/', '／', '|', '｜', '\n', '\r'];

/// Whether a tags cell says the project has no tags: `无` alone. (Elsewhere `无` is an empty
/// cell, as ledgers write it.)
pub fn is_no_tags(text: &str) -> bool {
    squeeze(text) == crate::columns::NO_TAGS
}

/// The tags of a cell: its parts between separators (`、 , ， ; ； / ／ | ｜` and line
/// breaks), trimmed, without empty or blank parts (`—`), each once in the order first
/// given. `Some([])` for `无` (the project has none); `None` for a cell that gives no tag
/// (nothing changes); an error for a tag longer than [`MAX_TAG`] characters.
pub fn tags(text: &str) -> Result<Option<Vec<String>>, String> {
    if is_no_tags(text) {
        return Ok(Some(Vec::new()));
    }
    let mut out: Vec<String> = Vec::new();
    for part in text.split(TAG_SEPARATORS).map(str::trim) {
        if is_blank(part) || out.iter().any(|t| t == part) {
            continue;
        }
        let n = part.chars().count();
        if n > MAX_TAG {
            return Err(format!(
                "the tag \"{part}\" is {n} characters long; a tag has at most {MAX_TAG}: \
                 separate tags with 、 (such as 制造业、省重点)"
            ));
        }
        out.push(part.to_string());
    }
    Ok((!out.is_empty()).then_some(out))
}

/// The unit in a header's brackets, if it is one: `总投资（万元）` gives `万元`.
pub fn unit_of(bracketed: &str) -> Option<String> {
    let t = squeeze(bracketed);
    let t = t.strip_prefix("单位:").unwrap_or(&t);
    unit_exponent(t).map(|_| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(text: &str, unit: Option<&str>) -> Result<String, String> {
        amount(text, unit, "亿元").map(Amount::plain)
    }

    #[test]
    fn amounts_convert_exactly_into_the_site_unit() {
        assert_eq!(a("242500", Some("万元")).unwrap(), "24.25");
        assert_eq!(a("12,345", Some("万元")).unwrap(), "1.2345");
        assert_eq!(amount("1,234.5", None, "万元").unwrap().plain(), "1234.5");
        assert_eq!(
            amount("1，234，567", None, "万元").unwrap().plain(),
            "1234567"
        );
        assert_eq!(amount("1,234万元", None, "万元").unwrap().plain(), "1234");
        for t in [
            "1,23", "1,2345", ",123", "1,,234", "1234,567", "1.2,34", "1,234,", "1、234",
        ] {
            let e = amount(t, None, "万元").unwrap_err();
            assert!(
                e.starts_with(&format!("\"{t}\" is not an amount")),
                "{t}: {e}"
            );
        }
        assert_eq!(a("12,345.6", Some("万元")).unwrap(), "1.23456");
        assert!(a("12,345.605", Some("万元"))
            .unwrap_err()
            .contains("exactly"));
        assert_eq!(amount("12,345.6", None, "万元").unwrap().plain(), "12345.6");
        assert_eq!(a("1.2亿元", Some("万元")).unwrap(), "1.2");
        assert_eq!(a("5000万元", None).unwrap(), "0.5");
        assert_eq!(a("５０００万", None).unwrap(), "0.5");
        assert_eq!(a("３．２５", None).unwrap(), "3.25");
        assert!(a("1", Some("元")).unwrap_err().contains("exactly"));
        assert_eq!(
            amount("1.5", Some("亿元"), "万元").unwrap().plain(),
            "15000"
        );
        assert!(a("约5亿", None)
            .unwrap_err()
            .contains("\"约5亿\" is not an amount"));
        assert!(a("-3", None).unwrap_err().contains("negative"));
        assert!(a("1.2345678", None).is_err());
        // 1200.5万元 is 0.12005 亿元: exact to 100 元 (issue 26).
        assert_eq!(a("1200.5万元", None).unwrap(), "0.12005");
        assert_eq!(a("1200.5", Some("万元")).unwrap(), "0.12005");
        assert_eq!(a("1.23456", None).unwrap(), "1.23456");
        assert_eq!(a("1.5", Some("元")).unwrap_err(), "\"1.5\" cannot be written exactly in 亿元: an amount is exact to 100 元, which is at most 6 decimals of 亿元; sanpi never rounds");
        assert_eq!(amount("1.25", None, "万元").unwrap().plain(), "1.25");
        assert!(amount("1.255", None, "万元")
            .unwrap_err()
            .contains("at most 2 decimals of 万元"));
        assert_eq!(amount("1.255", None, "元").unwrap_err(), "\"1.255\" cannot be written exactly in 元: an amount is exact to 100 元, which is at most 2 decimals of 元; sanpi never rounds");
        assert!(amount("12.3456789", None, "美元")
            .unwrap_err()
            .contains("exactly"));
        assert!(amount("3", Some("万元"), "美元").is_err());
        assert_eq!(amount("3", None, "美元").unwrap().plain(), "3");
    }

    #[test]
    fn batches_periods_and_progress() {
        for s in ["签约", "签约一批", "签约项目", "signed", " 签约 "] {
            assert_eq!(batch(s), Some(Batch::Signed), "{s}");
        }
        assert_eq!(batch("投产一批"), Some(Batch::Producing));
        assert_eq!(batch("在建"), None);
        assert_eq!(batch("签约类项目"), Some(Batch::Signed));
        assert_eq!(batch("未开工"), None);
        assert_eq!(batch("签约开工"), None);
        assert_eq!(batch_in("二、开工项目（8个）"), Some(Batch::Started));
        for (s, n) in [
            ("7", 7),
            ("7.0", 7),
            ("第7期", 7),
            ("第七期", 7),
            ("第十二期", 12),
            ("第二十三期", 23),
            ("第３期", 3),
            ("第三期", 3),
        ] {
            assert_eq!(period(s), Some(n), "{s}");
        }
        assert_eq!(period("0"), None);
        assert_eq!(period("下期"), None);
        assert_eq!(progress("已开工"), Some(Progress::UnderConstruction));
        assert_eq!(progress("未开工"), Some(Progress::Pending));
        assert_eq!(progress("在建"), Some(Progress::UnderConstruction));
        assert_eq!(progress("达产"), Some(Progress::AtCapacity));
        assert_eq!(progress("at_capacity"), Some(Progress::AtCapacity));
        assert_eq!(progress("已签约"), None);
    }

    #[test]
    fn full_dates_only() {
        for t in [
            "2023-03-15",
            "2023-03-15 00:00:00",
            "2023-03-15 08:30:00",
            "2023/3/15",
            "2023.3.15",
            "2023年3月15日",
            "２０２３年３月１５日",
        ] {
            assert_eq!(
                date(t).map(|d| d.iso()).as_deref(),
                Some("2023-03-15"),
                "{t}"
            );
        }
        for t in [
            "2023年3月",
            "2023-03",
            "待定",
            "2023-02-30",
            "45000",
            "23-3-15",
            "2023年3月15日前",
        ] {
            assert_eq!(date(t), None, "{t}");
        }
    }

    #[test]
    fn tags_split_trim_and_dedupe() {
        let t = |s: &str| tags(s).unwrap();
        let v = |xs: &[&str]| Some(xs.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(t("制造业、省重点"), v(&["制造业", "省重点"]));
        assert_eq!(
            t(" 制造业 ,省重点，专精特新;外资；数字经济/绿色／民营|技改｜外贸 "),
            v(&[
                "制造业",
                "省重点",
                "专精特新",
                "外资",
                "数字经济",
                "绿色",
                "民营",
                "技改",
                "外贸"
            ])
        );
        assert_eq!(t("制造业\r\n\n  省重点\n"), v(&["制造业", "省重点"]));
        // Spaces inside a tag are its own; empty and blank parts go; the first of a
        // repeated tag stays where it was.
        assert_eq!(
            t("高新 技术、、—、省重点、高新 技术"),
            v(&["高新 技术", "省重点"])
        );
        assert_eq!(t("无"), v(&[]));
        assert_eq!(t(" 无 "), v(&[]));
        assert_eq!(t("、 ,"), None);
        assert_eq!(t(&"长".repeat(50)), v(&[&"长".repeat(50)]));
        let e = tags(&format!("制造业、{}", "长".repeat(51))).unwrap_err();
        assert!(
            e.contains("is 51 characters long; a tag has at most 50"),
            "{e}"
        );
    }

    #[test]
    fn blanks_and_widths() {
        for s in ["", " ", "—", "-", "/", "无", "——", "－"] {
            assert!(is_blank(s), "{s:?}");
        }
        assert!(!is_blank("0"));
        assert_eq!(half_width("（二期）１２"), "(二期)12");
        assert_eq!(unit_of("万元").as_deref(), Some("万元"));
        assert_eq!(unit_of("单位：亿元").as_deref(), Some("亿元"));
        assert_eq!(unit_of("全称"), None);
    }
}
