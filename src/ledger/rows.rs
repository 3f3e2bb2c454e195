//! The rows of a ledger below its header: project rows read into records, section rows
//! (`一、签约项目（6个）`) giving their batch to the rows below, and 小计/合计 rows checked
//! against the rows they sum and skipped.

use super::header::{Column, Field, PROGRESS_KEY};
use super::read::{Cell, Grid};
use super::value::{self, is_blank, squeeze};
use crate::amount::Amount;
use crate::model::{is_slug, Batch, Date, Progress};

/// Where a cell is: row and column in the grid.
pub type At = (usize, usize);

/// One project row, its values read and checked.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub row: usize,
    pub name: String,
    pub name_at: At,
    pub id: Option<String>,
    /// The cell of the id, when the row has one.
    pub id_at: Option<At>,
    pub batch: Option<Batch>,
    pub period: Option<u32>,
    pub investment: Option<Amount>,
    pub annual_plan: Option<Amount>,
    pub invested: Option<Amount>,
    pub sector: Option<String>,
    pub location: Option<String>,
    pub owner: Option<String>,
    /// The region columns' texts, as the cells give them (trimmed, not blank), with their
    /// cells, left to right (省辖市, then 县（市、区）).
    pub region_text: Vec<(String, At)>,
    /// The region's path: the region column's, read against content/regions.yaml, else
    /// `--region`'s (set by the import after reading the rows).
    pub region: Option<String>,
    pub progress: Option<Progress>,
    /// The tags column's cell, when it gives tags (or `无`).
    pub tags: Option<TagsCell>,
    pub description: Option<String>,
    /// `body_hash`: the hash of the body the description was exported from.
    pub body_hash: Option<String>,
    /// Full dates of milestone columns (开工时间 …): (title, date).
    pub milestones: Vec<(&'static str, Date)>,
    /// Other columns (and progress text that is not a state, under [`PROGRESS_KEY`]), by key.
    pub extra: Vec<(String, String)>,
    /// The header of the progress column, when the ledger has one.
    pub progress_header: Option<String>,
    /// A cell of the row could not be read (an error was reported for it).
    pub failed: bool,
}

/// A cell of a tags column that gives tags, or `无`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagsCell {
    /// The cell's text, trimmed.
    pub text: String,
    pub at: At,
    /// Its tags, or why they cannot be read (a tag too long). The error is said only where
    /// the cell changes the project (see [`super::apply`]): a cell that is exactly the
    /// project's tags as data/projects.xlsx writes them changes nothing, whatever they hold.
    pub tags: Result<Vec<String>, String>,
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
    let Some(name_col) = columns.iter().find(|c| c.field == Field::Name) else {
        return out;
    };
    let serial = columns
        .iter()
        .find(|c| c.field == Field::Ignored && super::header::clean(&c.header).0 == "序号");
    let first_col = columns.iter().map(|c| c.col).min().unwrap_or(0);
    let amount_cols: Vec<&Column> = columns.iter().filter(|c| is_amount(&c.field)).collect();
    let mut section: Option<Batch> = None;
    // Records since the last section or 小计, for checking 小计; all records for 合计.
    let mut since_section: Vec<usize> = Vec::new();
    for (r, row) in grid.rows_from(head + 1) {
        let filled: Vec<(usize, &Cell)> = row
            .iter()
            .map(|(c, cell)| (*c, cell))
            .filter(|(_, c)| !is_blank(c.text()))
            .collect();
        if filled.is_empty() {
            continue;
        }
        let name_text = grid.cell(r, name_col.col).text();
        let serial_text = serial.map_or("", |c| grid.cell(r, c.col).text());
        if let Some(label) = subtotal_label(name_text, serial_text, filled[0], name_col.col) {
            let rows: Vec<&Record> = if label.starts_with("小计") {
                since_section.iter().map(|&i| &out.records[i]).collect()
            } else {
                out.records.iter().collect()
            };
            let warnings = check_subtotal(grid, r, &label, &rows, &amount_cols, site_unit);
            out.warnings.extend(warnings);
            if label.starts_with("小计") {
                since_section.clear();
            }
            continue;
        }
        // `其中：…` breaks a group down; it is neither a project nor a checked subtotal.
        if squeeze(name_text).starts_with("其中") || squeeze(serial_text).starts_with("其中") {
            continue;
        }
        if let [(c, cell)] = filled[..] {
            if is_section_row(grid, r, c, cell.text(), first_col, name_col.col) {
                section = value::batch_in(&squeeze(cell.text()));
                since_section.clear();
                continue;
            }
        }
        if is_blank(name_text) {
            if has_values(&filled, columns) {
                out.errors.push(Finding {
                    at: (r, name_col.col),
                    message: "this row has values but no project name".into(),
                });
            }
            continue;
        }
        let rec = read_record(grid, r, name_col.col, columns, section, site_unit, &mut out);
        since_section.push(out.records.len());
        out.records.push(rec);
    }
    out
}

/// Whether a field holds an amount (the fields a 小计/合计 row sums).
fn is_amount(field: &Field) -> bool {
    matches!(
        field,
        Field::Investment | Field::AnnualPlan | Field::Invested
    )
}

/// Whether any of a row's filled cells is in a column the import reads.
fn has_values(filled: &[(usize, &Cell)], columns: &[Column]) -> bool {
    filled.iter().any(|(c, _)| {
        columns
            .iter()
            .any(|col| col.col == *c && !matches!(col.field, Field::Ignored))
    })
}

/// The label of a 小计/合计 row (squeezed), or `None` when neither its name cell, its serial cell
/// nor its first filled cell (left of the name) holds one.
fn subtotal_label(
    name_text: &str,
    serial_text: &str,
    first: (usize, &Cell),
    name_col: usize,
) -> Option<String> {
    if is_subtotal(name_text) {
        Some(squeeze(name_text))
    } else if is_subtotal(serial_text) {
        Some(squeeze(serial_text))
    } else if is_subtotal(first.1.text()) && first.0 <= name_col {
        Some(squeeze(first.1.text()))
    } else {
        None
    }
}

/// Checks each amount of the 小计/合计 row `r` against the sum of `rows`, giving a warning
/// for each total that differs or cannot be read.
fn check_subtotal(
    grid: &Grid,
    r: usize,
    label: &str,
    rows: &[&Record],
    amount_cols: &[&Column],
    site_unit: &str,
) -> Vec<Finding> {
    let mut warnings = Vec::new();
    for c in amount_cols {
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
            Ok(total) => warnings.push(Finding {
                at: (r, c.col),
                message: format!(
                    "{label} {} is not the sum of its {} rows, {} ({site_unit}); the rows were imported as they are",
                    total.plain(),
                    rows.len(),
                    sum.plain()
                ),
            }),
            Err(e) => warnings.push(Finding {
                at: (r, c.col),
                message: format!("{e}; this {label} was not checked"),
            }),
        }
    }
    warnings
}

/// Whether a row whose one filled cell is `text` at column `c` is a section heading: the
/// cell is merged across three columns or more, stands in the first column, or reads as one.
fn is_section_row(
    grid: &Grid,
    r: usize,
    c: usize,
    text: &str,
    first_col: usize,
    name_col: usize,
) -> bool {
    grid.in_wide_merge(r, c)
        || (c == first_col && c != name_col)
        || (c != name_col && looks_like_section(text))
        || (c == name_col
            && looks_like_section(text)
            && value::batch_in(text).is_some()
            && text.contains(['、', '（', '(']))
}

/// Reads the project row `r` into a record of batch `section`, reporting each cell that
/// cannot be read into `out.errors` (and a milestone cell that is no full date into
/// `out.warnings`).
fn read_record(
    grid: &Grid,
    r: usize,
    name_col: usize,
    columns: &[Column],
    section: Option<Batch>,
    site_unit: &str,
    out: &mut Rows,
) -> Record {
    let mut rec = Record {
        row: r,
        name: grid
            .cell(r, name_col)
            .text()
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(""),
        name_at: (r, name_col),
        batch: section,
        ..Record::default()
    };
    for c in columns {
        let text = grid.cell(r, c.col).text().trim();
        // `无` is a blank cell, but in a tags column it says the project has no tags.
        if is_blank(text) && !(c.field == Field::Tags && value::is_no_tags(text)) {
            continue;
        }
        if c.field == Field::Id {
            rec.id_at = Some((r, c.col));
        }
        let date = matches!(grid.cell(r, c.col), Cell::Date(_));
        if let Field::Milestone(title) = c.field {
            match value::date(text) {
                Some(d) => rec.milestones.push((title, d)),
                None => {
                    // One key whichever synonym heads the column (开工日期 is 开工时间), as
                    // data/projects.xlsx writes it back.
                    let key = super::milestones::text_key(title);
                    out.warnings.push(Finding {
                        at: (r, c.col),
                        message: format!(
                            "\"{text}\" is not a full date (such as 2023-03-15), so it is no milestone `{title}`: kept under extra as `{key}`"
                        ),
                    });
                    rec.extra.push((key, text.to_string()));
                }
            }
            continue;
        }
        let checked = if date && is_amount(&c.field) {
            Err(format!(
                "\"{text}\" is a date, not an amount: the cell is formatted as a date; format it as a number and write the amount"
            ))
        } else {
            set_field(&mut rec, c, text, site_unit)
        };
        if let Err(message) = checked {
            rec.failed = true;
            out.errors.push(Finding {
                at: (r, c.col),
                message,
            });
        }
    }
    if columns.iter().any(|c| c.field == Field::Progress) {
        rec.progress_header = Some(PROGRESS_KEY.to_string());
    }
    rec
}

/// Sets the field of column `c` in `rec` from the cell's (trimmed, non-blank) text, or says
/// why the text is not a value of that field.
fn set_field(rec: &mut Record, c: &Column, text: &str, site_unit: &str) -> Result<(), String> {
    let amount = |t: &str| value::amount(t, c.unit.as_deref(), site_unit);
    match c.field {
        Field::Name | Field::Ignored | Field::Milestone(_) => {}
        Field::Id => {
            // Not lowercased nor squeezed: `ABC` or `a b` is a typo, not the project `abc`.
            let id = value::half_width(text);
            if !is_slug(&id) {
                return Err(format!(
                    "\"{text}\" is not a project id: write it as the project's file is named, \
                     in lowercase letters, digits and hyphens (such as `tianjianhu-west`)"
                ));
            }
            rec.id = Some(id);
        }
        Field::Batch => {
            rec.batch = Some(value::batch(text).ok_or_else(|| {
                format!("\"{text}\" is not a batch: write 签约, 开工 or 投产 (or signed, started, producing)")
            })?);
        }
        Field::Period => {
            rec.period =
                Some(value::period(text).ok_or_else(|| {
                    format!("\"{text}\" is not a period: write 7, 第7期 or 第七期")
                })?);
        }
        Field::Investment => rec.investment = Some(amount(text)?),
        Field::AnnualPlan => rec.annual_plan = Some(amount(text)?),
        Field::Invested => rec.invested = Some(amount(text)?),
        Field::Sector => rec.sector = Some(text.to_string()),
        Field::Location => rec.location = Some(text.to_string()),
        Field::Owner => rec.owner = Some(text.to_string()),
        Field::Region => rec.region_text.push((text.to_string(), (rec.row, c.col))),
        Field::Progress => match value::progress(text) {
            Some(p) => rec.progress = Some(p),
            None => rec.extra.push((PROGRESS_KEY.to_string(), text.to_string())),
        },
        Field::Tags => {
            let tags = value::tags(text).transpose();
            rec.tags = tags.map(|tags| TagsCell {
                text: text.to_string(),
                at: (rec.row, c.col),
                tags,
            });
        }
        Field::Description => rec.description = Some(text.to_string()),
        Field::BodyHash => rec.body_hash = Some(text.to_string()),
        Field::Extra | Field::Note => rec.extra.push((c.header.clone(), text.to_string())),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::header::columns;
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid::from_rows(
            Some("S".into()),
            rows.iter()
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
            vec![],
        )
    }

    fn read_all(rows: &[&[&str]]) -> Rows {
        let g = grid(rows);
        let head = g.texts(0);
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
    fn milestone_columns_give_dates_or_keep_their_text_under_one_key() {
        let r = read_all(&[
            &["项目名称", "开工日期", "计划投产时间", "备注"],
            &["甲", "2023/3/15", "2024年", "重点"],
        ]);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let rec = &r.records[0];
        assert_eq!(rec.milestones.len(), 1);
        assert_eq!(rec.milestones[0].0, "开工");
        assert_eq!(rec.milestones[0].1.iso(), "2023-03-15");
        assert_eq!(
            rec.extra,
            [
                ("计划投产时间".to_string(), "2024年".to_string()),
                ("备注".to_string(), "重点".to_string())
            ]
        );
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(r.warnings[0].at, (1, 2));
        let r = read_all(&[&["项目名称", "开工日期"], &["甲", "2023年3月"]]);
        assert_eq!(
            r.records[0].extra,
            [("开工时间".to_string(), "2023年3月".to_string())]
        );
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
    fn a_tags_column_gives_tags_none_or_nothing() {
        let r = read_all(&[
            &["项目名称", "项目类型"],
            &["甲", "制造业、省重点"],
            &["乙", "无"],
            &["丙", "—"],
            &["丁", ""],
            &["戊", &"长".repeat(51)],
        ]);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let tags: Vec<_> = r
            .records
            .iter()
            .map(|x| x.tags.as_ref().map(|t| (t.at, t.tags.clone())))
            .collect();
        let v = |xs: &[&str]| Ok(xs.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(tags[0], Some(((1, 1), v(&["制造业", "省重点"]))));
        assert_eq!(tags[1], Some(((2, 1), v(&[]))));
        assert_eq!(tags[2], None);
        assert_eq!(tags[3], None);
        // A tag too long is said where the cell would change a project (apply.rs).
        let (at, e) = tags[4].clone().unwrap();
        assert_eq!(at, (5, 1));
        assert!(e.unwrap_err().contains("51 characters long"));
        assert_eq!(r.records[4].tags.as_ref().unwrap().text, "长".repeat(51));
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

    /// The column `header` would be at `col` in a ledger with a name column.
    fn column(col: usize, header: &str) -> Column {
        let mut c = columns(&["项目名称".to_string(), header.to_string()]).unwrap()[1].clone();
        c.col = col;
        c
    }

    #[test]
    fn a_subtotal_is_checked_against_the_rows_it_sums() {
        let g = grid(&[&["小计", "", "15000", "x"]]);
        let rows = [
            Record {
                investment: Some(value::amount("1", None, "亿元").unwrap()),
                ..Record::default()
            },
            Record {
                investment: Some(value::amount("0.5", None, "亿元").unwrap()),
                ..Record::default()
            },
        ];
        let rows: Vec<&Record> = rows.iter().collect();
        let inv = column(2, "总投资（万元）");
        let plan = column(3, "年度计划投资（万元）");
        assert!(check_subtotal(&g, 0, "小计", &rows, &[&inv], "亿元").is_empty());
        let w = check_subtotal(&g, 0, "小计", &rows, &[&inv, &plan], "亿元");
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].at, (0, 3));
        assert!(
            w[0].message.ends_with("; this 小计 was not checked"),
            "{}",
            w[0].message
        );
        let g = grid(&[&["合计", "", "16000"]]);
        let w = check_subtotal(&g, 0, "合计", &rows, &[&inv], "亿元");
        assert_eq!(
            w[0].message,
            "合计 1.6 is not the sum of its 2 rows, 1.5 (亿元); the rows were imported as they are"
        );
    }

    #[test]
    fn set_field_reads_a_cell_into_its_field_or_says_why_not() {
        let mut rec = Record::default();
        let progress = column(1, "进展情况");
        set_field(&mut rec, &column(1, "批次"), "开工", "亿元").unwrap();
        set_field(&mut rec, &column(1, "期次"), "第七期", "亿元").unwrap();
        set_field(&mut rec, &progress, "已履约", "亿元").unwrap();
        set_field(&mut rec, &progress, "洽谈中", "亿元").unwrap();
        assert_eq!(rec.batch, Some(Batch::Started));
        assert_eq!(rec.period, Some(7));
        assert_eq!(rec.progress, Some(Progress::Fulfilled));
        assert_eq!(rec.extra, [("进展情况".to_string(), "洽谈中".to_string())]);
        let e = set_field(&mut rec, &column(1, "批次"), "已完成", "亿元").unwrap_err();
        assert!(e.starts_with("\"已完成\" is not a batch"), "{e}");
        assert_eq!(rec.batch, Some(Batch::Started));
        assert!(set_field(&mut rec, &column(1, "总投资（万元）"), "约5亿", "亿元").is_err());
        assert_eq!(rec.investment, None);
    }
}
