//! The header row of a ledger: which column is which field (with the synonyms staff use and
//! the column names of data/projects.csv), and each amount column's unit.

use super::value::{half_width, unit_of};

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Name,
    Id,
    Batch,
    Period,
    Investment,
    AnnualPlan,
    Invested,
    Sector,
    Location,
    Owner,
    Progress,
    /// 建设内容: the Markdown body.
    Description,
    /// 开工时间, 计划开工时间, 投产时间 …: a dated milestone with this title.
    Milestone(&'static str),
    /// 备注: kept under `extra:` with its header as the key, as a column the import knows.
    Note,
    /// `body_hash` (data/projects.xlsx, hidden): the hash of the body the row's 建设内容 was
    /// exported from, so that an edited 建设内容 can replace a body nobody changed since.
    BodyHash,
    /// 序号, and data/projects.csv columns that are derived (labels, URLs): read, not kept.
    Ignored,
    /// Any other column, kept under `extra:` with its header as the key (with a warning).
    Extra,
}

/// The columns of dated milestones: (title, the cleaned headers that name it). The title is
/// the milestone's; its header in data/projects.xlsx is the title with 时间.
pub const MILESTONES: [(&str, &[&str]); 6] = [
    ("计划开工", &["计划开工时间", "计划开工日期"]),
    ("开工", &["开工时间", "开工日期", "实际开工时间"]),
    ("计划投产", &["计划投产时间", "计划投产日期"]),
    ("投产", &["投产时间", "投产日期", "实际投产时间"]),
    ("计划竣工", &["计划竣工时间", "计划竣工日期"]),
    ("竣工", &["竣工时间", "竣工日期"]),
];

/// The key under `extra:` of progress text that is not a state, whichever synonym heads the
/// column (进展情况, 项目进展, 形象进度), so that renaming the column changes nothing.
pub const PROGRESS_KEY: &str = "进展情况";

/// One column of the header row.
#[derive(Debug, Clone)]
pub struct Column {
    pub col: usize,
    pub field: Field,
    /// The unit in the header's brackets (`万元`), for amount columns.
    pub unit: Option<String>,
    /// The header without line breaks and surrounding spaces: the key under `extra:`.
    pub header: String,
}

/// A header as compared: no spaces, line breaks or bracketed text, half-width, lowercase;
/// and the bracketed texts.
pub fn clean(header: &str) -> (String, Vec<String>) {
    let mut key = String::new();
    let mut brackets = Vec::new();
    let mut depth = 0usize;
    let mut inner = String::new();
    for c in half_width(header).chars() {
        match c {
            '(' | '[' | '【' | '〔' => {
                depth += 1;
                if depth == 1 {
                    inner.clear();
                }
            }
            ')' | ']' | '】' | '〕' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    brackets.push(std::mem::take(&mut inner));
                }
            }
            c if depth > 0 => inner.push(c),
            c if c.is_whitespace() => {}
            c => key.push(c.to_ascii_lowercase()),
        }
    }
    (key, brackets)
}

/// The field a cleaned header names.
pub fn field(key: &str) -> Field {
    let is = |names: &[&str]| names.contains(&key);
    if is(&["项目名称", "名称", "name"]) {
        Field::Name
    } else if is(&["项目编号", "编号", "id"]) {
        Field::Id
    } else if is(&["批次", "类别", "项目类别", "batch"]) {
        Field::Batch
    } else if is(&["期次", "期数", "period"]) {
        Field::Period
    } else if is(&[
        "总投资",
        "计划总投资",
        "项目总投资",
        "投资额",
        "投资总额",
        "总投资额",
        "计划投资",
        "investment",
    ]) {
        Field::Investment
    } else if is(&["年度计划投资", "年计划投资", "annual_plan"]) || year_plan(key) {
        Field::AnnualPlan
    } else if is(&["累计完成投资", "完成投资", "已完成投资", "invested"]) {
        Field::Invested
    } else if is(&["所属行业", "行业", "产业类别", "产业领域", "sector"]) {
        Field::Sector
    } else if is(&[
        "建设地点",
        "地点",
        "所在园区",
        "项目地址",
        "建设地址",
        "location",
    ]) {
        Field::Location
    } else if is(&[
        "建设单位",
        "项目单位",
        "业主单位",
        "责任单位",
        "实施主体",
        "建设主体",
        "owner",
    ]) {
        Field::Owner
    } else if is(&["进展情况", "项目进展", "形象进度", "progress"]) {
        Field::Progress
    } else if is(&["建设内容", "主要建设内容", "建设规模及内容"]) {
        Field::Description
    } else if is(&["序号", "batch_label", "progress_label", "updated", "url"]) {
        Field::Ignored
    } else if let Some((title, _)) = MILESTONES.iter().find(|(_, names)| is(names)) {
        Field::Milestone(title)
    } else if is(&["备注"]) {
        Field::Note
    } else if is(&["body_hash"]) {
        Field::BodyHash
    } else {
        Field::Extra
    }
}

/// `2024年计划投资`.
fn year_plan(key: &str) -> bool {
    key.strip_suffix("年计划投资")
        .is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
}

/// The columns of a header row, when it holds a name column. A field named twice is read
/// from its first column; the others are kept under `extra:`.
pub fn columns(cells: &[String]) -> Option<Vec<Column>> {
    let mut out: Vec<Column> = Vec::new();
    for (col, text) in cells.iter().enumerate() {
        let header: String = text.split_whitespace().collect::<Vec<_>>().join("");
        if header.is_empty() {
            continue;
        }
        let (key, brackets) = clean(text);
        let mut f = field(&key);
        if !matches!(f, Field::Extra | Field::Ignored | Field::Note)
            && out.iter().any(|c| c.field == f)
        {
            f = Field::Extra;
        }
        let unit = brackets.iter().find_map(|b| unit_of(b));
        out.push(Column {
            col,
            field: f,
            unit,
            header,
        });
    }
    out.iter().any(|c| c.field == Field::Name).then_some(out)
}

/// Reads a second header row under the first, as in `投资情况（万元）` over `总投资 | 年度计划投资`:
/// when `below` names fields in columns whose header above names none, those columns take
/// them, with the unit of the header above when they have none. None when `below` is not
/// such a row (its name cell holds a name).
pub fn with_sub_header(
    columns: &[Column],
    above: &[String],
    below: &[String],
) -> Option<Vec<Column>> {
    let name = columns.iter().find(|c| c.field == Field::Name)?;
    let name_below = below.get(name.col).map_or("", |s| s.trim());
    if !name_below.is_empty() && clean(name_below).0 != clean(&above[name.col]).0 {
        return None;
    }
    let mut out: Vec<Column> = columns.to_vec();
    let mut any = false;
    for (col, text) in below.iter().enumerate() {
        let (key, brackets) = clean(text);
        let f = field(&key);
        if key.is_empty() || matches!(f, Field::Extra | Field::Name | Field::Note) {
            continue;
        }
        let over = out.iter().position(|c| c.col == col);
        if over.is_some_and(|i| !matches!(out[i].field, Field::Extra)) {
            continue;
        }
        if out.iter().any(|c| c.field == f) {
            continue;
        }
        // The unit of the nearest header at or left of this column (a merged parent).
        let parent_unit = (0..=col.min(above.len().saturating_sub(1)))
            .rev()
            .find(|&c| !above[c].trim().is_empty())
            .and_then(|c| clean(&above[c]).1.iter().find_map(|b| unit_of(b)));
        let unit = brackets.iter().find_map(|b| unit_of(b)).or(parent_unit);
        let column = Column {
            col,
            field: f,
            unit,
            header: text.split_whitespace().collect::<Vec<_>>().join(""),
        };
        match over {
            Some(i) => out[i] = column,
            None => out.push(column),
        }
        any = true;
    }
    out.sort_by_key(|c| c.col);
    any.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_brackets_and_units() {
        let cells: Vec<String> = [
            "序号",
            "项目名称\n（全称）",
            "总投资\n（万元）",
            "2024年计划投资(亿元)",
            "建 设 单 位",
            "所在园区",
            "形象进度",
            "备注",
            "",
            "期数",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let cols = columns(&cells).unwrap();
        let f: Vec<_> = cols.iter().map(|c| c.field.clone()).collect();
        assert_eq!(
            f,
            [
                Field::Ignored,
                Field::Name,
                Field::Investment,
                Field::AnnualPlan,
                Field::Owner,
                Field::Location,
                Field::Progress,
                Field::Note,
                Field::Period
            ]
        );
        assert_eq!(cols[2].unit.as_deref(), Some("万元"));
        assert_eq!(cols[3].unit.as_deref(), Some("亿元"));
        assert_eq!(cols[1].unit, None);
        assert_eq!(cols[7].header, "备注");
        assert_eq!(cols[8].col, 9);
    }

    /// Issue 26, item 5: the words staff use.
    #[test]
    fn words_staff_use() {
        for (h, f) in [
            ("投资总额（万元）", Field::Investment),
            ("总投资额", Field::Investment),
            ("计划投资", Field::Investment),
            ("责任单位", Field::Owner),
            ("实施主体", Field::Owner),
            ("建设主体", Field::Owner),
            ("项目地址", Field::Location),
            ("建设地址", Field::Location),
            ("开工时间", Field::Milestone("开工")),
            ("计划开工时间", Field::Milestone("计划开工")),
            ("投产时间", Field::Milestone("投产")),
            ("备注", Field::Note),
            ("年度计划投资", Field::AnnualPlan),
            ("联系人", Field::Extra),
        ] {
            assert_eq!(field(&clean(h).0), f, "{h}");
        }
    }

    #[test]
    fn a_second_header_row_under_a_merged_parent() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let above = s(&["序号", "项目名称", "投资情况（万元）", "", "建设单位"]);
        let below = s(&["序号", "项目名称", "总投资", "2025年计划投资", "建设单位"]);
        let cols = columns(&above).unwrap();
        let cols = with_sub_header(&cols, &above, &below).unwrap();
        let f: Vec<_> = cols
            .iter()
            .map(|c| (c.col, c.field.clone(), c.unit.clone()))
            .collect();
        let wan = Some("万元".to_string());
        assert_eq!(
            f,
            [
                (0, Field::Ignored, None),
                (1, Field::Name, None),
                (2, Field::Investment, wan.clone()),
                (3, Field::AnnualPlan, wan),
                (4, Field::Owner, None)
            ]
        );
        let data = s(&["1", "甲", "100", "10", "甲公司"]);
        assert!(with_sub_header(&columns(&above).unwrap(), &above, &data).is_none());
    }

    #[test]
    fn projects_csv_names_and_no_name_column() {
        let cells: Vec<String> = ["id", "name", "batch", "batch_label", "investment", "url"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let cols = columns(&cells).unwrap();
        assert_eq!(cols[0].field, Field::Id);
        assert_eq!(cols[3].field, Field::Ignored);
        assert!(columns(&["序号".to_string(), "总投资".to_string()]).is_none());
        assert_eq!(field(&clean("项目名称（全称）").0), Field::Name);
        assert_eq!(field(&clean("２０２５年计划投资").0), Field::AnnualPlan);
    }
}
