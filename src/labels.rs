//! The words of the site's interface, in one table per language, so that another can follow.
//!
//! Templates read them as `t.KEY`; Rust code asks [`label`]. Only zh-CN exists today: a site
//! whose `language` has no table of its own falls back to it.

use crate::model::{Batch, Progress};
use std::collections::BTreeMap;

/// The zh-CN table: key, words.
const ZH_CN: &[(&str, &str)] = &[
    ("batch.signed", "签约一批"),
    ("batch.started", "开工一批"),
    ("batch.producing", "投产一批"),
    ("batch_short.signed", "签约"),
    ("batch_short.started", "开工"),
    ("batch_short.producing", "投产"),
    ("progress.pending", "未启动"),
    ("progress.fulfilled", "已履约"),
    ("progress.under_construction", "已开工"),
    ("progress.in_production", "已投产"),
    ("progress.at_capacity", "已达效"),
    ("home", "首页"),
    ("projects", "项目"),
    ("all_projects", "全部项目"),
    ("batches", "批次"),
    ("periods", "期次"),
    ("sectors", "行业"),
    ("bulletins", "进展通报"),
    ("latest_bulletins", "最新通报"),
    ("all_bulletins", "全部通报"),
    ("charts", "图表"),
    ("data", "数据下载"),
    ("name", "项目名称"),
    ("batch", "批次"),
    ("period", "期次"),
    ("investment", "总投资"),
    ("annual_plan", "年度计划投资"),
    ("invested", "已完成投资"),
    ("sector", "行业"),
    ("location", "所在区域"),
    ("owner", "建设单位"),
    ("progress", "进展"),
    ("milestones", "节点"),
    ("history", "批次变更"),
    ("updated", "更新于"),
    ("published", "发布于"),
    ("author", "作者"),
    ("count", "项目数"),
    ("unknown", "未公布"),
    ("not_dated", "日期未公布"),
    ("period_unknown", "期次未公布"),
    ("period_n", "第{n}期"),
    ("declared", "公布数"),
    ("entries_sum", "条目合计"),
    ("entries_count", "条目数"),
    ("missing_amounts", "{n} 个项目投资额未公布"),
    ("source.entries", "按条目合计"),
    ("source.declared", "采用公布数"),
    ("source.partial", "部分合计"),
    ("headline", "项目池概况"),
    (
        "declared_note",
        "公布数为官方发布的数字；条目合计为本站收录项目的投资额之和，二者并列以便核对。",
    ),
    ("new_in_period", "本期新增"),
    ("annual_plan_short", "年度计划"),
    ("data_table", "图表数据"),
    ("download_svg", "下载 SVG"),
    ("download_csv", "下载 CSV"),
    ("download_json", "下载 JSON"),
    ("projects_csv", "全部项目（CSV）"),
    ("projects_json", "全部项目（JSON）"),
    ("projects_xlsx", "项目台账（Excel）"),
    ("feed", "订阅（Atom）"),
    ("not_found", "页面不存在"),
    ("not_found_text", "您访问的页面不存在或已移动。"),
    ("back_home", "返回首页"),
    ("redirect_text", "本页已移至"),
    ("no_projects", "暂无项目。"),
    ("no_bulletins", "暂无通报。"),
    ("skip_to_content", "跳到正文"),
    ("projects_in", "所含项目"),
    ("main_nav", "主导航"),
    ("more", "更多"),
    ("previous_batch", "原批次"),
    ("changes_in_period", "本期批次变动"),
    ("entered", "进入"),
    ("other_sector", "未分类"),
    ("footer_generated", "本站由 sanpi 生成"),
    ("chart.investment-by-batch", "各批次总投资"),
    ("chart.projects-by-batch", "各批次项目数"),
    ("chart.investment-by-period", "各期次进入各批次的投资"),
    ("chart.projects-by-period", "各期次进入各批次的项目数"),
    ("chart.investment-by-sector", "各行业总投资"),
    ("chart.producing-plan", "投产一批：计划与完成投资"),
    ("chart.batch", "{batch}：各期次进入的项目"),
    ("chart.period", "{period}：进入各批次的项目"),
    ("chart.sector", "{sector}：各批次项目"),
    ("chart.no_periods", "尚无期次。"),
    ("chart.no_amounts", "各期项目均未公布投资额。"),
    ("chart.no_sectors", "项目均未标注行业。"),
    ("source", "数据来源"),
    ("as_of", "截至"),
    ("figures_caption", "公布数与条目合计"),
    ("added", "新增"),
    ("current_batch", "现批次"),
    ("unit_projects", "个"),
    ("total", "合计"),
    ("search", "搜索"),
    ("search_placeholder", "项目名称、企业、行业"),
    ("search_found", "找到 {n} 条结果"),
    (
        "search_needs_js",
        "搜索需要浏览器启用 JavaScript；也可在“全部项目”表格中查找。",
    ),
    ("page", "页面"),
    ("filter", "筛选"),
    ("all", "全部"),
    ("filter_shown", "显示 {n} / {total} 个项目"),
    ("anchor_link", "本处链接"),
    ("cite", "引用本页"),
    ("cite_title", "标题"),
    ("cite_publisher", "发布者"),
    ("cite_url", "永久链接"),
    ("cite_format", "引用格式（GB/T 7714）"),
    ("cite_note", "引用时请补充引用日期。"),
    ("batch_feed", "订阅本批次（Atom）"),
];

/// The words of `language`, as a map for templates.
pub fn table(language: &str) -> BTreeMap<&'static str, &'static str> {
    let _ = language; // one table today; see the module documentation
    ZH_CN.iter().copied().collect()
}

/// One word of the zh-CN table; a missing key is a programming error caught by the tests.
pub fn label(key: &str) -> &'static str {
    ZH_CN
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .unwrap_or("")
}

pub fn batch(b: Batch) -> &'static str {
    label(&format!("batch.{}", b.key()))
}

pub fn batch_short(b: Batch) -> &'static str {
    label(&format!("batch_short.{}", b.key()))
}

pub fn progress(p: Progress) -> &'static str {
    label(&format!("progress.{}", p.key()))
}

/// An amount with its unit, as every page, chart and card writes it: `228.35 亿元`.
pub fn money(a: crate::amount::Amount, unit: &str) -> String {
    format!("{} {unit}", a.plain())
}

/// `3 个项目投资额未公布`.
pub fn missing_amounts(n: usize) -> String {
    label("missing_amounts").replace("{n}", &n.to_string())
}

/// `第7期`.
pub fn period(n: u32) -> String {
    label("period_n").replace("{n}", &n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_enum_value_has_words() {
        for b in Batch::ALL {
            assert!(!batch(b).is_empty() && !batch_short(b).is_empty());
        }
        for p in Progress::ALL {
            assert!(!progress(p).is_empty());
        }
        assert_eq!(period(7), "第7期");
    }

    #[test]
    fn every_chart_has_a_title() {
        for name in crate::model::SiteChart::ALL.map(|c| c.name()) {
            assert!(!label(&format!("chart.{name}")).is_empty(), "{name}");
        }
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = ZH_CN.iter().map(|(k, _)| k).collect();
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(n, keys.len());
    }
}
