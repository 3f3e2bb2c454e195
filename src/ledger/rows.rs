//! The rows of a ledger below its header: project rows read into records, section rows
//! (`一、签约项目（6个）`) giving their batch to the rows below, and 小计/合计 rows checked
//! against the rows they sum and skipped.

use super::header::{Column, Field};
use super::read::{Cell, Grid};
use super::value::{self, is_blank, squeeze};
use crate::amount::Amount;
use crate::model::{Batch, Progress};

/// Where a cell is: row and column in the grid.
pub type At = (usize, usize);

/// One project row, its values read and checked.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub row: usize,
    pub name: String,
    pub name_at: At,
    pub id: Option<String>,
    pub batch: Option<Batch>,
    pub period: Option<u32>,
    pub investment: Option<Amount>,
    pub annual_plan: Option<Amount>,
    pub invested: Option<Amount>,
    pub sector: Option<String>,
    pub location: Option<String>,
    pub owner: Option<String>,
    pub progress: Option<Progress>,
    pub description: Option<String>,
    /// Other columns (and progress text that is not a state), by header.
    pub extra: Vec<(String, String)>,
    /// The header of the progress column, when the ledger has one.
    pub progress_header: Option<String>,
    /// A cell of the row could not be read (an error was reported for it).
    pub failed: bool,
}

/// A finding at a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub at: At,
    pub message: String,
}

/// What the rows gave.
#[derive(Debug, Default)]
pub struct Rows {
    pub records: Vec<Record>,
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

fn is_subtotal(text: &str) -> bool {
    let t = squeeze(text);
    // `合计`, `小计（5个）`, `总计:` — not a name such as `总计算中心`.
    ["合计", "小计", "总计"].iter().any(|w| {
        t.strip_prefix(w).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| "(:[【".contains(c) || c.is_ascii_digit())
        })
    })
}

/// A section heading: `一、签约项目（6个）`, `(二)开工项目`, `投产一批`.
fn looks_like_section(text: &str) -> bool {
    let t = squeeze(text);
    let numbered = t
        .trim_start_matches('(')
        .chars()
        .take_while(|c| "一二三四五六七八九十".contains(*c))
        .count()
        > 0
        && t.trim_start_matches('(')
            .trim_start_matches(|c| "一二三四五六七八九十".contains(c))
            .starts_with(['、', '.', ')']);
    numbered || value::batch_in(&t).is_some() && !t.contains("有限") && t.chars().count() <= 20
}

/// Reads the rows below the header row `head`.
pub fn read(grid: &Grid, head: usize, columns: &[Column], site_unit: &str) -> Rows {
    let mut out = Rows::default();
    let col_of = |f: Field| columns.iter().find(|c| c.field == f);
    let Some(name_col) = col_of(Field::Name) else {
        return out;
    };
    let serial = columns
        .iter()
        .find(|c| c.field == Field::Ignored && super::header::clean(&c.header).0 == "序号");
    let first_col = columns.iter().map(|c| c.col).min().unwrap_or(0);
    let amount_cols: Vec<&Column> = columns
        .iter()
        .filter(|c| {
            matches!(
                c.field,
                Field::Investment | Field::AnnualPlan | Field::Invested
            )
        })
        .collect();
    let mut section: Option<Batch> = None;
    // Records since the last section or 小计, for checking 小计; all records for 合计.
    let mut since_section: Vec<usize> = Vec::new();
    for r in head + 1..grid.rows.len() {
        let filled: Vec<(usize, &Cell)> = grid.rows[r]
            .iter()
            .enumerate()
            .filter(|(_, c)| !is_blank(c.text()))
            .collect();
        if filled.is_empty() {
            continue;
        }
        let name_text = grid.cell(r, name_col.col).text();
        let serial_text = serial.map_or("", |c| grid.cell(r, c.col).text());
        if is_subtotal(name_text)
            || is_subtotal(serial_text)
            || (is_subtotal(filled[0].1.text()) && filled[0].0 <= name_col.col)
        {
            let label = squeeze(if is_subtotal(name_text) {
                name_text
            } else if is_subtotal(serial_text) {
                serial_text
            } else {
                filled[0].1.text()
            });
            let rows: Vec<&Record> = if label.starts_with("小计") {
                since_section.iter().map(|&i| &out.records[i]).collect()
            } else {
                out.records.iter().collect()
            };
            for c in &amount_cols {
                let text = grid.cell(r, c.col).text();
                if is_blank(text) {
                    continue;
                }
                let sum: Amount = rows
                    .iter()
                    .filter_map(|rec| match c.field {
                        Field::Investment => rec.investment,
                        Field::AnnualPlan => rec.annual_plan,
                        _ => rec.invested,
                    })
                    .sum();
                match value::amount(text, c.unit.as_deref(), site_unit) {
                    Ok(total) if total == sum => {}
                    Ok(total) => out.warnings.push(Finding {
                        at: (r, c.col),
                        message: format!(
                            "{label} {} is not the sum of its {} rows, {} ({site_unit}); the rows were imported as they are",
                            total.plain(),
                            rows.len(),
                            sum.plain()
                        ),
                    }),
                    Err(e) => out.warnings.push(Finding {
                        at: (r, c.col),
                        message: format!("{e}; this {label} was not checked"),
                    }),
                }
            }
            if label.starts_with("小计") {
                since_section.clear();
            }
            continue;
        }
        // `其中：…` breaks a group down; it is neither a project nor a checked subtotal.
        if squeeze(name_text).starts_with("其中") || squeeze(serial_text).starts_with("其中") {
            continue;
        }
        let only = (filled.len() == 1).then(|| filled[0]);
        if let Some((c, cell)) = only {
            let text = cell.text();
            // The one cell is merged across three columns or more.
            let across = grid.merges.iter().any(|m| {
                m.first_row <= r
                    && r <= m.last_row
                    && m.first_col <= c
                    && c <= m.last_col
                    && m.last_col - m.first_col >= 2
            });
            let section_like = across
                || (c == first_col && c != name_col.col)
                || (c != name_col.col && looks_like_section(text))
                || (c == name_col.col
                    && looks_like_section(text)
                    && value::batch_in(text).is_some()
                    && text.contains(['、', '（', '(']));
            if section_like {
                section = value::batch_in(&squeeze(text));
                since_section.clear();
                continue;
            }
        }
        if is_blank(name_text) {
            let meaningful = filled.iter().any(|(c, _)| {
                columns
                    .iter()
                    .any(|col| col.col == *c && !matches!(col.field, Field::Ignored))
            });
            if meaningful {
                out.errors.push(Finding {
                    at: (r, name_col.col),
                    message: "this row has values but no project name".into(),
                });
            }
            continue;
        }
        let mut rec = Record {
            row: r,
            name: name_text
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(""),
            name_at: (r, name_col.col),
            batch: section,
            ..Record::default()
        };
        for c in columns {
            let cell = grid.cell(r, c.col);
            let text = cell.text().trim();
            if is_blank(text) {
                continue;
            }
            let mut errs: Vec<String> = Vec::new();
            let mut err = |m: String| errs.push(m);
            let amount = |t: &str| value::amount(t, c.unit.as_deref(), site_unit);
            match c.field {
                Field::Name | Field::Ignored => {}
                Field::Id => rec.id = Some(squeeze(text).to_lowercase()),
                Field::Batch => match value::batch(text) {
                    Some(b) => rec.batch = Some(b),
                    None => err(format!("\"{text}\" is not a batch: write 签约, 开工 or 投产 (or signed, started, producing)")),
                },
                Field::Period => match value::period(text) {
                    Some(n) => rec.period = Some(n),
                    None => err(format!("\"{text}\" is not a period: write 7, 第7期 or 第七期")),
                },
                Field::Investment => match amount(text) {
                    Ok(a) => rec.investment = Some(a),
                    Err(e) => err(e),
                },
                Field::AnnualPlan => match amount(text) {
                    Ok(a) => rec.annual_plan = Some(a),
                    Err(e) => err(e),
                },
                Field::Invested => match amount(text) {
                    Ok(a) => rec.invested = Some(a),
                    Err(e) => err(e),
                },
                Field::Sector => rec.sector = Some(text.to_string()),
                Field::Location => rec.location = Some(text.to_string()),
                Field::Owner => rec.owner = Some(text.to_string()),
                Field::Progress => match value::progress(text) {
                    Some(p) => rec.progress = Some(p),
                    None => rec.extra.push((c.header.clone(), text.to_string())),
                },
                Field::Description => rec.description = Some(text.to_string()),
                Field::Extra => rec.extra.push((c.header.clone(), text.to_string())),
            }
            for m in errs {
                rec.failed = true;
                out.errors.push(Finding {
                    at: (r, c.col),
                    message: m,
                });
            }
        }
        if let Some(c) = col_of(Field::Progress) {
            rec.progress_header = Some(c.header.clone());
        }
        since_section.push(out.records.len());
        out.records.push(rec);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::header::columns;
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            sheet: Some("S".into()),
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|s| {
                            if s.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(s.to_string())
                            }
                        })
                        .collect()
                })
                .collect(),
            merges: vec![],
        }
    }

    fn read_all(rows: &[&[&str]]) -> Rows {
        let g = grid(rows);
        let head: Vec<String> = g.rows[0].iter().map(|c| c.text().to_string()).collect();
        let cols = columns(&head).unwrap();
        read(&g, 0, &cols, "亿元")
    }

    #[test]
    fn sections_give_their_batch_and_subtotals_are_checked() {
        let r = read_all(&[
            &["序号", "项目名称", "总投资（万元）", "进展情况"],
            &["一、签约项目（2个）", "", "", ""],
            &["1", "甲", "10000", "已履约"],
            &["2", "乙", "—", "洽谈中"],
            &["", "其中：省重点项目", "10000", ""],
            &["小计", "", "10000", ""],
            &["二、开工项目（1个）", "", "", ""],
            &["1", "丙", "5000", ""],
            &["小计", "", "6000", ""],
            &["", "", "", ""],
            &["合计", "", "15000", ""],
        ]);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let names: Vec<_> = r
            .records
            .iter()
            .map(|x| (x.name.as_str(), x.batch))
            .collect();
        assert_eq!(
            names,
            [
                ("甲", Some(Batch::Signed)),
                ("乙", Some(Batch::Signed)),
                ("丙", Some(Batch::Started))
            ]
        );
        assert_eq!(r.records[0].investment.unwrap().plain(), "1");
        assert_eq!(r.records[0].progress, Some(Progress::Fulfilled));
        assert_eq!(
            r.records[1].extra,
            [("进展情况".to_string(), "洽谈中".to_string())]
        );
        assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
        assert_eq!(r.warnings[0].at, (8, 2));
        assert!(r.warnings[0]
            .message
            .contains("小计 0.6 is not the sum of its 1 rows, 0.5"));
    }

    #[test]
    fn subtotal_words_and_names_that_begin_like_them() {
        for t in ["合计", "小 计", "小计（5个）", "总计:", "合计20个"] {
            assert!(is_subtotal(t), "{t}");
        }
        for t in ["总计算中心", "合计划", "项目合计"] {
            assert!(!is_subtotal(t), "{t}");
        }
        assert!(looks_like_section("一、签约项目（6个）"));
        assert!(looks_like_section("（二）开工项目"));
        assert!(!looks_like_section("某某有限公司投产项目配套工程"));
    }

    #[test]
    fn errors_name_their_cells() {
        let r = read_all(&[
            &["项目名称", "批次", "期次", "总投资"],
            &["甲", "签约", "第三期", "约5亿"],
            &["乙", "已完成", "x", "1"],
            &["", "签约", "", "2"],
        ]);
        let at: Vec<_> = r.errors.iter().map(|f| f.at).collect();
        assert_eq!(at, [(1, 3), (2, 1), (2, 2), (3, 0)]);
        assert_eq!(r.records[0].period, Some(3));
        assert!(r.errors[0].message.contains("\"约5亿\" is not an amount"));
    }
}
