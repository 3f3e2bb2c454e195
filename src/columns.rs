//! The columns of a ledger, shared by `sanpi import` (ledger/) and data/projects.xlsx
//! (output/): which header names which field, with the synonyms staff use; the milestone
//! columns; the key of progress text; the mark of a ledger's milestone; the hash of a body.

use crate::labels::LEDGER_NOTE;

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
    /// 地区, 县区, 省辖市 … and data/projects.csv's `region`: the region of the project, as its
    /// path, its names from the top joined by `/`, or its name (read against
    /// content/regions.yaml by the import).
    Region,
    /// 标签, 项目标签, 项目类型, 类型 and `tags`: the project's tags, a list in one cell
    /// (制造业、省重点), read by [`crate::ledger::value::tags`].
    Tags,
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

/// The cleaned headers of a region column. `县` is how 县（市、区）, 县（市）and 县（区）clean (the
/// bracketed text is dropped). `region_name` is data/projects.csv's derived column: read as
/// the region only where it is the only region column (see [`crate::ledger::header::columns`]).
pub const REGION_HEADERS: [&str; 10] = [
    "地区",
    "所属地区",
    "县区",
    "所属县区",
    "县",
    "区县",
    "省辖市",
    "地市",
    "region",
    "region_name",
];

/// The header of the region column of data/projects.xlsx (the region's names from the top,
/// joined by `/`).
pub const REGION_HEADER: &str = "地区";

/// The cleaned headers of a tags column. 类型 and 项目类型 are not 类别 and 项目类别, which
/// name the batch.
pub const TAGS_HEADERS: [&str; 5] = ["标签", "项目标签", "项目类型", "类型", "tags"];

/// The header of the tags column of data/projects.xlsx.
pub const TAGS_HEADER: &str = "标签";

/// A tags cell of a project that is known to have none (`tags: []`).
pub const NO_TAGS: &str = "无";

/// The tags of a project as a cell: joined by `、`, [`NO_TAGS`] for none (`tags: []`);
/// `None` where the project gives none (unknown), which is an empty cell.
pub fn tags_cell(tags: Option<&[String]>) -> Option<String> {
    match tags? {
        [] => Some(NO_TAGS.to_string()),
        tags => Some(tags.join("、")),
    }
}

/// The key under `extra:` of progress text that is not a state, whichever synonym heads the
/// column (进展情况, 项目进展, 形象进度), so that renaming the column changes nothing.
pub const PROGRESS_KEY: &str = "进展情况";

/// Whether a milestone (its title and note) is the one a ledger's column for `column` made.
pub fn is_ledger_milestone(title: &str, note: Option<&str>, column: &str) -> bool {
    title == column && note == Some(LEDGER_NOTE)
}

/// The hash data/projects.xlsx writes beside a project's 建设内容 (`body_hash`), of the body
/// with CRLF as LF and without surrounding space: 16 hex digits, the same on every machine.
pub fn body_hash(body: &str) -> String {
    use std::hash::Hasher;
    let mut h = siphasher::sip::SipHasher13::new_with_keys(0x0073_616e_7069, 0x0000_626f_6479);
    h.write(body.replace("\r\n", "\n").trim().as_bytes());
    format!("{:016x}", h.finish())
}

/// A header as compared: no spaces, line breaks or bracketed text, half-width, lowercase;
/// and the bracketed texts.
pub fn clean(header: &str) -> (String, Vec<String>) {
    let mut key = String::new();
    let mut brackets = Vec::new();
    let mut depth = 0usize;
    let mut inner = String::new();
    for c in crate::text::half_width(header).chars() {
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
    } else if is(&REGION_HEADERS) {
        Field::Region
    } else if is(&TAGS_HEADERS) {
        Field::Tags
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_headers_and_cells() {
        for h in [
            "标签",
            "项目标签",
            "项目 类型",
            "类型（可多选）",
            "tags",
            "Tags",
        ] {
            assert_eq!(field(&clean(h).0), Field::Tags, "{h}");
        }
        // 类别 is the batch, not the tags.
        assert_eq!(field(&clean("项目类别").0), Field::Batch);
        let tags = ["制造业".to_string(), "省重点".to_string()];
        assert_eq!(tags_cell(Some(&tags)).as_deref(), Some("制造业、省重点"));
        assert_eq!(tags_cell(Some(&[])).as_deref(), Some("无"));
        assert_eq!(tags_cell(None), None);
    }
}
