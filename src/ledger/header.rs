//! The header row of a ledger: which column is which field (the words, in
//! [`crate::columns`], shared with data/projects.xlsx), and each amount column's unit.

use super::value::unit_of;
pub use crate::columns::{clean, field, Field, MILESTONES, PROGRESS_KEY};

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

/// The columns of a header row, when it holds a name column. A field named twice is read
/// from its first column; the others are kept under `extra:`, but for region columns, which
/// may be several (省辖市, then 县（市、区）: see [`super::region`]). data/projects.csv's
/// `region_name` (the names of its `region`, derived) is ignored beside another region
/// column, and is the region column where it is the only one.
pub fn columns(cells: &[String]) -> Option<Vec<Column>> {
    let mut out: Vec<Column> = Vec::new();
    let derived = |key: &str| key == "region_name";
    let other_region = cells.iter().any(|t| {
        let key = clean(t).0;
        !derived(&key) && field(&key) == Field::Region
    });
    for (col, text) in cells.iter().enumerate() {
        let header: String = text.split_whitespace().collect::<Vec<_>>().join("");
        if header.is_empty() {
            continue;
        }
        let (key, brackets) = clean(text);
        let mut f = field(&key);
        if f == Field::Region && derived(&key) && other_region {
            f = Field::Ignored;
        }
        if !matches!(
            f,
            Field::Extra | Field::Ignored | Field::Note | Field::Region
        ) && out.iter().any(|c| c.field == f)
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
    fn region_columns_and_the_derived_region_name() {
        for h in [
            "地区",
            "所属地区",
            "县区",
            "所属县区",
            "县（市、区）",
            "县(市)",
            "区县",
            "省辖市",
            "地市",
            "region",
            "region_name",
        ] {
            assert_eq!(field(&clean(h).0), Field::Region, "{h}");
        }
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let f = |cells: &[&str]| -> Vec<Field> {
            columns(&s(cells))
                .unwrap()
                .into_iter()
                .map(|c| c.field)
                .collect()
        };
        assert_eq!(
            f(&["name", "region", "region_name"]),
            [Field::Name, Field::Region, Field::Ignored]
        );
        assert_eq!(
            f(&["name", "region_name", "县区"]),
            [Field::Name, Field::Ignored, Field::Region]
        );
        assert_eq!(f(&["name", "region_name"]), [Field::Name, Field::Region]);
        // Two region columns: both are read, as one region.
        assert_eq!(
            f(&["项目名称", "省辖市", "县（市、区）"]),
            [Field::Name, Field::Region, Field::Region]
        );
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
