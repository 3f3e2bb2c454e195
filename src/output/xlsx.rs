//! data/projects.xlsx: every project as a ledger with the Chinese headers `sanpi import`
//! reads, so that staff can download it, edit it for the next period and import it again,
//! losing nothing: the fields, the ledger's milestone dates, 建设内容 (the body), every
//! scalar `extra:` value in a column of its own, and the hidden `body_hash` that lets an
//! edited 建设内容 replace the body. The only module that uses rust_xlsxwriter.

use crate::columns::{self, body_hash, Field, MILESTONES, PROGRESS_KEY};
use crate::content::project::Milestone;
use crate::content::project::Project;
use crate::diagnostics::Diagnostic;
use crate::labels;
use crate::site::Site;
use crate::yaml::Key;
use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};
use serde_json::Value;

/// The headers, in order; amount headers get the site's unit in brackets.
pub(crate) const HEADERS: [&str; 11] = [
    "项目编号",
    "项目名称",
    "批次",
    "期次",
    "总投资",
    "年度计划投资",
    "累计完成投资",
    "所属行业",
    "建设地点",
    "建设单位",
    "进展情况",
];

/// The columns of a sheet of Excel.
const MAX_COLUMNS: usize = 16_384;

/// The most a cell of Excel holds: 32,767 characters, counted as UTF-16 units.
const MAX_CELL: usize = 32_767;

/// The workbook's bytes: the same for the same site (its date is the latest period's). A
/// text longer than a cell holds is cut, with a warning in `warnings` naming its file and key.
pub(crate) fn projects_xlsx(
    site: &Site,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<u8>, String> {
    build(site, warnings).map_err(|e| format!("cannot write data/projects.xlsx: {e}"))
}

/// `text` as a cell holds it: whole, or its first 32,767 UTF-16 units (never half a
/// character), with a warning at `key` of the project's file.
fn cell<'a>(
    p: &Project,
    key: &[Key<'_>],
    text: &'a str,
    warnings: &mut Vec<Diagnostic>,
) -> &'a str {
    if text.len() <= MAX_CELL {
        return text; // at most one UTF-16 unit per byte
    }
    let mut units = 0;
    let mut cut = text.len();
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL {
            cut = i;
            break;
        }
    }
    if cut < text.len() {
        let name = key
            .iter()
            .map(|k| match k {
                Key::Field(f) | Key::Name(f) => f.to_string(),
                Key::Index(i) => i.to_string(),
            })
            .collect::<Vec<_>>()
            .join(".");
        warnings.push(Diagnostic::warning(
            &p.origin.rel,
            p.origin.at(key),
            format!(
                "`{name}` is {units_all} characters long; a cell of Excel holds at most {MAX_CELL}, so data/projects.xlsx has its first {kept} and the rest only on the pages and in the other data files",
                units_all = text.encode_utf16().count(),
                kept = text[..cut].chars().count(),
            ),
        ));
    }
    &text[..cut]
}

fn build(site: &Site, warnings: &mut Vec<Diagnostic>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let date = site
        .periods
        .iter()
        .filter_map(|p| p.date)
        .max()
        .map(|d| (d.0.year(), d.0.month(), d.0.day()));
    let (y, m, d) = date.unwrap_or((2000, 1, 1));
    let created = ExcelDateTime::from_ymd(u16::try_from(y).unwrap_or(2000), m as u8, d as u8)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&site.config.title)
            .set_creation_datetime(&created),
    );
    let head = Format::new().set_bold().set_text_wrap();
    // Each row is written out as the next starts (rust_xlsxwriter's constant memory mode,
    // through a temporary file, with the texts inline): at 100,000 projects the workbook
    // held in memory was a tenth of a build's peak.
    let ws = wb.add_worksheet_with_constant_memory();
    ws.set_name("项目台账")?;
    let unit = &site.config.unit;
    for (c, h) in HEADERS.iter().enumerate() {
        let text = if (4..=6).contains(&c) {
            format!("{h}（{unit}）")
        } else {
            h.to_string()
        };
        ws.write_string_with_format(0, c as u16, text, &head)?;
    }
    for (c, w) in [18, 36, 10, 6, 12, 12, 12, 16, 16, 24, 12]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    // A site with regions: 地区, each project's region by its names from the top (东川市/临河县),
    // which the import reads back as the same region. A site without has no such column.
    let regions = site.has_regions();
    // A site whose projects have tags: 标签, each project's tags joined by 、 (无 for
    // `tags: []`, an empty cell where a project gives none), after 地区.
    let tags = tags_column(&site.projects);
    let tags_col = (HEADERS.len() + usize::from(regions)) as u16;
    let fixed = HEADERS.len() + usize::from(regions) + usize::from(tags);
    if regions {
        let c = HEADERS.len() as u16;
        ws.write_string_with_format(0, c, columns::REGION_HEADER, &head)?;
        ws.set_column_width(c, 20)?;
    }
    if tags {
        ws.write_string_with_format(0, tags_col, columns::TAGS_HEADER, &head)?;
        ws.set_column_width(tags_col, 20)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let (dated, mut extras) = more_columns(&site.projects, tags);
    // A sheet has 16,384 columns: extra keys beyond are left out, with a warning.
    let room = MAX_COLUMNS - (fixed + dated.len() + 2);
    if extras.len() > room {
        warnings.push(Diagnostic::warning(
            "",
            None,
            format!(
                "the projects have {} keys under `extra:`; a sheet of Excel holds {MAX_COLUMNS} columns, so data/projects.xlsx has the first {room} and leaves out the others",
                extras.len()
            ),
        ));
        extras.truncate(room);
    }
    let mut c = fixed as u16;
    let more = dated
        .iter()
        .map(|(title, _)| (format!("{title}时间"), 14))
        .chain([("建设内容".to_string(), 40)])
        .chain(extras.iter().map(|k| (k.clone(), 16)))
        .chain([("body_hash".to_string(), 18)]);
    for (h, w) in more {
        ws.write_string_with_format(0, c, h, &head)?;
        ws.set_column_width(c, w)?;
        c += 1;
    }
    ws.set_column_hidden(c - 1)?;
    for (i, p) in site.projects.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, cell(p, &[Key::Field("id")], &p.id, warnings))?;
        ws.write_string(r, 1, cell(p, &[Key::Field("name")], &p.name, warnings))?;
        ws.write_string(r, 2, labels::batch(p.batch))?;
        if let Some(n) = p.period {
            ws.write_number(r, 3, f64::from(n))?;
        }
        for (c, a) in [(4, p.investment), (5, p.annual_plan), (6, p.invested)] {
            if let Some(v) = a.and_then(|a| a.plain().parse::<f64>().ok()) {
                ws.write_number(r, c, v)?;
            }
        }
        for (c, key, t) in [
            (7, "sector", &p.sector),
            (8, "location", &p.location),
            (9, "owner", &p.owner),
        ] {
            if let Some(t) = t {
                ws.write_string(r, c, cell(p, &[Key::Field(key)], t, warnings))?;
            }
        }
        // A state, else the progress text an import kept under extra.
        let progress = p
            .progress
            .map(|x| labels::progress(x).to_string())
            .or_else(|| scalar(p.extra.get(PROGRESS_KEY)));
        if let Some(t) = progress {
            let key = [Key::Field("extra"), Key::Field(PROGRESS_KEY)];
            ws.write_string(r, 10, cell(p, &key, &t, warnings))?;
        }
        if let Some(g) = site.region_of.get(i).copied().flatten().filter(|_| regions) {
            let names = site.region_names(g);
            ws.write_string(r, HEADERS.len() as u16, names)?;
        }
        if let Some(t) = columns::tags_cell(p.tags.as_deref()).filter(|_| tags) {
            ws.write_string(r, tags_col, cell(p, &[Key::Field("tags")], &t, warnings))?;
        }
        let mut c = fixed as u16;
        for (title, names) in &dated {
            let date = p.milestones.iter().find(|m| is_ledger(m, title));
            let text = date
                .map(|m| m.date.iso())
                .or_else(|| names.iter().find_map(|n| scalar(p.extra.get(*n))));
            if let Some(t) = text {
                ws.write_string(r, c, cell(p, &[Key::Field("milestones")], &t, warnings))?;
            }
            c += 1;
        }
        let body = p.body_source.trim();
        let kept = cell(p, &[Key::Field("body")], body, warnings);
        if !kept.is_empty() {
            ws.write_string(r, c, kept)?;
        }
        for k in &extras {
            c += 1;
            if let Some(t) = scalar(p.extra.get(k)) {
                let key = [Key::Field("extra"), Key::Field(k)];
                ws.write_string(r, c, cell(p, &key, &t, warnings))?;
            }
        }
        // A body cut to fit a cell has no hash: its 建设内容 cannot replace the body.
        if kept.len() == body.len() {
            ws.write_string(r, c + 1, body_hash(&p.body_source))?;
        }
    }
    wb.save_to_buffer()
}

/// A scalar `extra:` value as a cell's text; `None` for nothing, null, a list or a map (which
/// a cell cannot give back).
fn scalar(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether data/projects.xlsx has the tags column 标签: when a project has `tags`, or an
/// `extra:` key that would read back as the tags column (类型, kept by an import before
/// tags were read): after 标签 such a column reads as an `extra:` key again.
fn tags_column(projects: &[Project]) -> bool {
    projects.iter().any(|p| {
        p.tags.is_some()
            || p.extra.as_object().is_some_and(|m| {
                m.keys()
                    .any(|k| columns::field(&columns::clean(k).0) == Field::Tags)
            })
    })
}

/// The columns after the fixed ones: the milestone columns some project has a ledger
/// milestone or kept text for (title, the headers its text may be kept under), and the
/// `extra:` keys (in the order they first appear) that import back as themselves: a key
/// the import reads as a field of its own (名称, 形象进度, 开工时间), or one with spaces or line
/// breaks (which a header loses), has no column. A key that names the tags column (类型)
/// has one when the sheet has `tags_column` (after it, it reads as itself).
fn more_columns(
    projects: &[Project],
    tags_column: bool,
) -> (Vec<(&'static str, &'static [&'static str])>, Vec<String>) {
    let dated = MILESTONES
        .iter()
        .filter(|(title, names)| {
            projects.iter().any(|p| {
                p.milestones.iter().any(|m| is_ledger(m, title))
                    || names.iter().any(|n| scalar(p.extra.get(*n)).is_some())
            })
        })
        .copied()
        .collect();
    let mut extras: Vec<String> = Vec::new();
    for p in projects {
        let Value::Object(map) = &p.extra else {
            continue;
        };
        for (k, v) in map {
            let own = match columns::field(&columns::clean(k).0) {
                Field::Extra | Field::Note => true,
                Field::Tags => tags_column,
                _ => false,
            };
            let whole = !k.is_empty() && !k.chars().any(char::is_whitespace);
            if own && whole && scalar(Some(v)).is_some() && !extras.contains(k) {
                extras.push(k.clone());
            }
        }
    }
    (dated, extras)
}

/// Whether `m` is the milestone a ledger's column for `title` made.
fn is_ledger(m: &Milestone, title: &str) -> bool {
    columns::is_ledger_milestone(&m.title, m.note.as_deref(), title)
}
