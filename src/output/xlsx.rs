//! data/projects.xlsx: every project as a ledger with the Chinese headers `sanpi import`
//! reads, so that staff can download it, edit it for the next period and import it again.
//! The only module that uses rust_xlsxwriter.

use crate::labels;
use crate::site::Site;
use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

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

/// The workbook's bytes: the same for the same site (its date is the latest period's).
pub(crate) fn projects_xlsx(site: &Site) -> Result<Vec<u8>, String> {
    build(site).map_err(|e| format!("cannot write data/projects.xlsx: {e}"))
}

fn build(site: &Site) -> Result<Vec<u8>, XlsxError> {
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
    let ws = wb.add_worksheet();
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
    ws.set_freeze_panes(1, 0)?;
    for (i, p) in site.projects.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &p.id)?;
        ws.write_string(r, 1, &p.name)?;
        ws.write_string(r, 2, labels::batch(p.batch))?;
        if let Some(n) = p.period {
            ws.write_number(r, 3, f64::from(n))?;
        }
        for (c, a) in [(4, p.investment), (5, p.annual_plan), (6, p.invested)] {
            if let Some(v) = a.and_then(|a| a.plain().parse::<f64>().ok()) {
                ws.write_number(r, c, v)?;
            }
        }
        for (c, t) in [(7, &p.sector), (8, &p.location), (9, &p.owner)] {
            if let Some(t) = t {
                ws.write_string(r, c, t)?;
            }
        }
        // A state, else the progress text an import kept under extra.
        let progress = p
            .progress
            .map(|x| labels::progress(x).to_string())
            .or_else(|| {
                p.extra
                    .get(HEADERS[10])
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            });
        if let Some(t) = progress {
            ws.write_string(r, 10, t)?;
        }
    }
    wb.save_to_buffer()
}
