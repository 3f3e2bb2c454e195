//! The words of the site's interface, in one table per language, so that another can follow.
//!
//! Templates read them as `t.KEY`; Rust code asks [`label`]. Only zh-CN exists today: a site
//! whose `language` has no table of its own falls back to it.

use crate::model::{Batch, Progress};
use std::collections::BTreeMap;

/// The `note` of a milestone that `sanpi import` made from a ledger's date column (开工时间):
/// shown on the project page as any note is, and the mark by which a later import knows the
/// milestone as its own (to replace its date) and leaves every other milestone alone. Kept
/// in every language, since it is written into content files.
pub(crate) const LEDGER_NOTE: &str = "据项目台账";

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
    ("milestones", "进展节点"),
    ("history", "批次变更"),
    ("updated", "更新于"),
    ("published", "发布于"),
    ("date_reported", "所记日期"),
    ("author", "作者"),
    ("count", "项目数"),
    ("unknown", "未载明"),
    ("not_dated", "日期未载明"),
    ("period_unknown", "期次未载明"),
    ("period_n", "第{n}期"),
    ("declared", "公布数"),
    ("entries_sum", "收录项目投资合计"),
    ("entries_count", "收录项目数"),
    ("missing_amounts", "{n} 个项目投资额未载明"),
    ("not_published", "未载明"),
    ("not_counted", "未计入合计。"),
    ("unpublished_note", "总投资为“—”的项目，报道未载明投资额。"),
    ("source.entries", "按收录项目合计"),
    ("source.declared", "按公布数"),
    ("source.partial", "部分合计"),
    ("source.regions", "下级地区合计"),
    ("headline", "项目库概况"),
    (
        "declared_note",
        "公布数是公开发布的数字，出处见“公布来源”；收录项目投资合计是本站收录项目所载投资额之和，二者并列以便核对。",
    ),
    (
        "total_note",
        "合计行的公布数一栏是本站将各批次公布数相加所得，不是来源公布的数字；收录项目一栏是本站收录项目的合计。",
    ),
    ("indicators_csv", "主要指标（CSV）"),
    ("source_publisher", "发布者"),
    ("source_link", "原文链接"),
    ("sum_of_declared", "各批次公布数之和"),
    ("declared_source", "公布来源"),
    ("source_date_unknown", "发布日期未载明"),
    ("indicators", "主要指标"),
    ("indicator.fulfilled", "履约率"),
    ("indicator.under_construction", "开工率"),
    ("indicator.in_production", "投产率"),
    ("indicator.at_capacity", "达效率"),
    ("indicator.completion", "年度投资完成率"),
    ("indicator", "指标"),
    ("reached", "达到"),
    ("of", "基数"),
    ("rate", "比率"),
    ("source.all", "全部批次"),
    ("all_batches", "全部批次"),
    ("chart.indicators", "各批次主要指标"),
    ("chart.unit", "单位：{unit}"),
    ("chart.source", "来源"),
    ("chart.as_of", "数据截至{date}"),
    ("chart.as_of_progress", "进展数据截至{date}"),
    ("chart.as_of_both", "进展数据截至{progress}，其余数据截至{date}"),
    ("chart.note_prefix", "注："),
    ("chart.note_declared", "注：标“公布数”的为公开报道公布的数字，其余为项目合计。"),
    ("chart.note_partial", "注：部分项目未载明投资额，所示为已载明的合计。"),
    ("chart.note_unknown", "注：标“未载明”的数字来源没有公布，本站收录的项目中也没有，不记为 0。"),
    ("chart.pool-by-period", "各期后的项目库"),
    ("chart.conversions-by-period", "各期批次转化"),
    ("chart.no_indicators", "收录项目与各期公布数都没有可计算比率的进展数据。"),
    ("conversion.signed_started", "签约转开工"),
    ("conversion.started_producing", "开工转投产"),
    ("conversions", "批次转化"),
    ("pool_by_period", "项目库变化"),
    ("pool_note", "各期项目库由本站收录项目所载的期次与批次变更推算，只含现有收录项目，不含此前调出项目库的项目；期次未载明的项目只计入最新一期。"),
    ("rate_note", "比率按收录项目所载进展计算；标“按公布数计算”的，由本站按最新一期公布的个数计算；标“公布”的，是来源公布的比率。"),
    ("rate.published", "公布"),
    ("rate.computed", "按公布数计算"),
    ("chart.note_rates", "注：标“公布”的比率为公开报道公布，标“按公布数计算”的由本站按报道公布的个数计算。"),
    ("chart.note_rates_published", "注：标“公布”的比率为公开报道公布。"),
    ("chart.note_rates_computed", "注：标“按公布数计算”的比率由本站按报道公布的个数计算，报道没有公布这些比率。"),
    ("declared_new", "公布的本期新增投资"),
    ("unplaced", "另有 {n} 个期次未载明"),
    ("pool_unknown", "来源只公布了{periods}的项目库；其他各期本站只收录了仍在库中的项目，没有收录的数字记为“未载明”，不记为 0。"),
    ("pool_unknown_none", "来源没有公布此前各期的项目库；本站只收录了仍在库中的项目，没有收录的数字记为“未载明”，不记为 0。"),
    ("entries_only", "仅计本站收录项目"),
    ("no_projects_unknown", "本站收录的项目中没有；来源未载明本期的这一数字。"),

    ("new_in_period", "本期新增"),
    ("annual_plan_short", "年度计划"),
    ("data_table", "图表数据"),
    ("download_svg", "下载 SVG"),
    ("download_csv", "下载 CSV"),
    ("download_png", "下载 PNG"),
    ("chart_page", "图表页"),
    ("downloads", "下载"),
    ("permalink", "永久链接"),
    ("embed_code", "嵌入代码"),
    ("embed_needs_base_url", "本站未设置公开网址（site.yaml 的 base_url），嵌入代码需要它才能在别的网站显示图表。可以下载上面的 PNG 或 SVG 图片使用。"),
    ("embed_hint", "把这段代码贴进网页，图表会按宽度自动调整高度；也可以下载 PNG 图片用于微信文章。"),
    ("copy", "复制"),
    ("copied", "已复制"),
    ("chart_from", "图表来自"),
    ("download_json", "下载 JSON"),
    ("projects_csv", "全部项目（CSV）"),
    ("projects_json", "全部项目（JSON）"),
    ("projects_xlsx", "项目台账（Excel）"),
    ("feed", "订阅（Atom）"),
    ("not_found", "页面不存在"),
    ("not_found_text", "您访问的页面不存在或已移动。"),
    ("license", "许可协议"),
    ("field.id", "项目编号"),
    ("field.name", "名称"),
    ("field.batch", "批次"),
    ("field.batch_label", "批次名称"),
    ("field.period", "期次"),
    ("field.investment", "总投资"),
    ("field.annual_plan", "年度计划投资"),
    ("field.invested", "累计完成投资"),
    ("field.sector", "所属行业"),
    ("field.location", "建设地点"),
    ("field.owner", "建设单位"),
    ("field.progress", "进展"),
    ("field.progress_label", "进展情况"),
    ("field.updated", "更新日期"),
    ("field.url", "网址"),
    ("field.region", "地区"),
    ("field.region_name", "地区名称"),
    ("field.label", "名称"),
    ("field.projects", "项目数"),
    ("field.missing", "未载明投资额的项目数"),
    ("field.source", "来源"),
    ("field.key", "键"),
    ("field.declared_projects", "公布的项目数"),
    ("field.indicator", "指标"),
    ("field.reached", "达到的项目数"),
    ("field.of", "基数"),
    ("field.rate", "比率"),
    ("field.conversion", "转化"),
    ("field.slug", "网址名"),
    ("field.target", "目标"),
    ("field.share", "完成比例"),
    ("field.as_of", "截至月份"),
    ("field.time_share", "时序进度"),
    ("field.ahead", "超前或滞后"),
    ("field.year", "年度"),
    ("field.measure", "计量"),
    ("field.at_least", "目标值"),
    ("field.achieved", "完成值"),
    ("field.level", "层级"),
    ("field.parent", "上级地区"),
    ("field.group", "组别"),
    ("field.rank", "名次"),
    ("field.value", "数值"),
    ("field.points_unit", "个百分点"),
    ("field.ahead_note", "完成比例减时序进度，单位：个百分点；正数为超前，负数为滞后。"),
    ("field.month_unit", "月"),
    ("field.measured_note", "单位随本行的计量（measure）：投资额为{unit}，项目数为个，比率为%。"),
    ("field.unit_is", "单位："),
    ("field.rate_parts_note", "比率的分子或分母：项目数（个）；年度投资完成率一行为投资额（{unit}）。"),
    ("field.source_note", "数字的来源："),
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
    ("entered", "列入"),
    ("milestone.planned", "计划"),
    ("provenance", "来源与时效"),
    ("provenance_pool", "所在项目库"),
    ("provenance_as_of", "本页数据截至"),
    ("provenance_source", "来源"),
    ("provenance_no_source", "该期没有注明来源"),
    ("provenance_ledger", "项目台账"),
    ("region_level_1", "地区"),
    ("region_level_2", "县区"),
    ("region_level_n", "第{n}级"),
    ("provenance_ledger_listed", "台账列有本项目"),
    ("other_sector", "未分类"),
    ("footer_generated", "本站由 sanpi 生成"),
    ("chart.investment-by-batch", "各批次总投资"),
    ("chart.projects-by-batch", "各批次项目数"),
    ("chart.investment-by-period", "各期列入各批次的投资"),
    ("chart.projects-by-period", "各期列入各批次的项目数"),
    ("chart.investment-by-sector", "各行业总投资"),
    ("chart.producing-plan", "投产一批：计划与完成投资"),
    ("chart.batch", "{batch}：各期列入的项目"),
    ("chart.period", "{period}：列入各批次的项目"),
    ("chart.sector", "{sector}：各批次项目"),
    ("chart.region", "{region}：各批次项目"),
    ("chart.region_rates", "{region}：主要指标"),
    ("chart.region_pool", "{region}：各期项目库"),
    ("chart.investment-by-region", "各地区各批次总投资"),
    ("chart.projects-by-region", "各地区各批次项目数"),
    ("region", "地区"),
    ("chart.targets", "{year}年目标完成情况"),
    ("chart.note_targets", "注：完成比例按目标值计算；灰色为同期时序进度（按月份，或按逐月分解计划）。"),
    ("targets", "目标"),
    ("targets_year", "{year}年目标"),
    ("target", "目标"),
    ("share", "完成比例"),
    ("time_share", "时序进度"),
    ("at_least", "目标值"),
    ("achieved", "完成"),
    ("target_scope", "范围"),
    ("target_months", "1—{m}月"),
    ("target_month_one", "1月"),
    ("target_ahead", "超时序进度 {n} 个百分点"),
    ("target_behind", "滞后时序进度 {n} 个百分点"),
    ("target_level", "与时序进度持平"),
    ("target_source.entries", "按收录项目合计"),
    ("target_source.declared", "公布数"),
    ("target_source.partial", "部分合计"),
    ("target_unknown_some", "另有 {n} 个项目未载明标签或行业，无法判断是否计入，所示只计可判断的项目"),
    ("target_unknown_all", "{n} 个项目都未载明标签或行业，无法判断是否计入，来源也没有公布完成数"),
    ("target_partial", "部分项目未载明金额，所示为已载明的合计"),
    ("target_none", "没有载明金额的项目，来源也没有公布完成数"),
    ("targets_note", "完成数：收录项目都载明时为项目合计；否则用来源公布的最近月份累计数；再否则为已载明部分的合计。没有依据的数写作“未载明”，不写作 0%。时序进度为截至月份占全年的比例，有逐月分解计划时按计划计算。"),
    ("targets_reported", "公布"),
    ("chain", "考核指标链"),
    ("all_targets", "全部目标"),
    ("method", "计算方法"),
    ("chain_note", "考核指标链逐级计算：每一级只以上一级通过的项目为基数。批次比率（如开工率）以当前批次的项目为基数，二者口径不同，数值也可能不同。进展未载明、批次也不能说明的项目不计入分子分母，该级标为“部分合计”。"),
    ("chain.fulfilled_method", "签约过的项目（现为签约一批，或历史中签约过）中，已履约或已转入开工、投产的个数"),
    ("chain.under_construction_method", "上一级已履约的项目中，已转入开工、投产，或进展为已开工及以后的个数"),
    ("chain.in_production_method", "开工过的项目中，已投产或已转入投产一批的个数"),
    ("chain.at_capacity_method", "投产过的项目中，已达效的个数"),
    ("chain.fulfilled", "签约项目履约率"),
    ("chain.under_construction", "履约项目开工率"),
    ("chain.in_production", "开工项目投产率"),
    ("chain.at_capacity", "投产项目达效率"),
    ("regions", "各地区"),
    ("rankings", "地区排名"),
    ("unit_regions", "个地区"),
    ("region_unplaced", "地区未载明"),
    ("region_own", "直属本地区"),
    ("region_sources", "各期公布数的来源"),
    ("region_children", "下辖"),
    ("region_tree", "地区一览"),
    ("region_code", "行政区划代码"),
    ("region_group", "分组"),
    ("region_level", "层级"),
    ("rank", "名次"),
    ("value", "数值"),
    ("region_unplaced_note", "另有 {n} 个项目没有载明所属地区，只计入全站合计。"),
    ("region_figures_note", "各地区总投资：项目都载明金额时为项目合计；否则用最新一期公布数；再否则为下级地区合计（各下级地区都有非部分合计的数）；都没有时为部分合计。没有依据的数空着，不写作 0。"),
    ("ranking_note", "同值同名次，下一名次顺延（1、2、2、4）；没有数值的地区排在最后，不列名次。"),
    ("all_regions", "全部地区"),
    ("breadcrumbs", "所在位置"),
    ("download", "下载"),
    ("region_total", "各批次合计"),
    ("region_feed", "订阅本地区项目（Atom）"),
    ("region_pool_note", "各期项目库按收录项目的批次变动推算；某期某批次的数只有在与该期公布的本地区个数相符、或为最新一期时才能确认，否则写作“未载明”。"),
    ("chart.no_periods", "尚无期次。"),
    ("chart.no_amounts", "各期均无可用的投资额：收录项目未载明投资额，各期也未公布新增投资。"),
    ("chart.no_sectors", "收录项目均未载明所属行业，暂无分行业图表。"),
    ("source", "数据来源"),
    ("as_of", "截至"),
    ("figures_caption", "公布数与收录项目合计"),
    ("added", "新增"),
    ("current_batch", "现批次"),
    ("unit_projects", "个"),
    ("total", "合计"),
    ("search", "搜索"),
    ("search_placeholder", "项目名称、企业、行业"),
    ("search_found", "找到 {n} 条结果"),
    ("search_found_so_far", "已找到 {n} 条结果，可能还有更多"),
    ("search_unavailable", "搜索索引未能载入，无法搜索。可在“全部项目”表格中查找。"),
    ("search_site", "全站搜索"),
    (
        "search_piece_failed",
        "搜索索引的一部分（{piece}）未能载入，无法完成本次搜索。可在“全部项目”表格中查找。",
    ),
    ("search_more", "更多结果"),
    ("search_partial_note", "标“部分匹配”的结果只含查询词中的部分字词，不含完整的查询词，排在完整匹配之后。"),
    ("search_more_left", "更多结果（还有 {n} 条）"),
    ("search_shown", "显示 1—{n} 条，共 {total} 条"),
    ("search_partial", "部分匹配"),
    (
        "search_needs_js",
        "搜索需要浏览器启用 JavaScript；也可在“全部项目”表格中查找。",
    ),
    ("page", "页面"),
    ("filter", "筛选"),
    ("all", "全部"),
    ("filter_shown", "显示 {n} / {total} 个项目"),
    ("cite", "引用本页"),
    ("cite_title", "标题"),
    ("cite_publisher", "发布者"),
    ("cite_url", "永久链接"),
    ("cite_format", "引用格式（GB/T 7714）"),
    ("cite_as_of", "数据截至"),
    ("cite_plain", "文中注明"),
    ("cite_note", "引用时请补充引用日期。"),
    ("batch_feed", "订阅本批次（Atom）"),
    ("pages", "分页"),
    ("page_first", "第一页"),
    ("page_previous", "上一页"),
    ("page_next", "下一页"),
    ("page_last", "最后一页"),
    ("page_n_of_m", "第 {n} 页，共 {m} 页"),
    ("page_title", "{title}（第 {n} 页）"),
    ("page_items", "本页列出第 {from}–{to} 个，共 {total} 个项目。"),
    ("page_bulletins", "本页列出第 {from}–{to} 篇，共 {total} 篇通报。"),
    ("page_changes", "本页列出第 {from}–{to} 条，共 {total} 条批次变动，涉及 {projects} 个项目。"),
    ("page_figures", "本列表的合计、指标与图表见第一页。"),
    ("complete_list", "完整列表"),
    ("sort", "排序"),
    ("sort_default", "默认顺序"),
    ("sort_investment_desc", "总投资从高到低"),
    ("sort_investment_asc", "总投资从低到高"),
    ("sort_name", "项目名称"),
    ("show_all", "显示全部 {n} 个项目"),
    ("rows_loading", "正在载入全部项目……"),
    ("rows_unavailable", "全部项目未能载入，筛选和排序只作用于本页。"),
    // A site on a government portal (site.yaml `portal`), and the reading mode (适老化).
    ("portal_site_id_code", "网站标识码"),
    ("portal_icp", "ICP备案号"),
    ("portal_police", "公安机关备案号"),
    ("portal_sponsor", "主办单位"),
    ("portal_organizer", "承办单位"),
    ("portal_contact", "联系方式"),
    ("notice", "公文信息"),
    ("notice_index_no", "索引号"),
    ("notice_issuer", "发文机关"),
    ("notice_doc_no", "发文字号"),
    ("notice_published", "发布日期"),
    ("notice_source", "来源"),
    ("large_type", "大字模式"),
];

/// The words of `language`, as a map for templates.
pub(crate) fn table(language: &str) -> BTreeMap<&'static str, &'static str> {
    let _ = language; // one table today; see the module documentation
    ZH_CN.iter().copied().collect()
}

/// One word of the zh-CN table; a missing key is a programming error caught by the tests.
pub(crate) fn label(key: &str) -> &'static str {
    ZH_CN
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .unwrap_or("")
}

pub(crate) fn batch(b: Batch) -> &'static str {
    label(&format!("batch.{}", b.key()))
}

pub(crate) fn batch_short(b: Batch) -> &'static str {
    label(&format!("batch_short.{}", b.key()))
}

pub(crate) fn progress(p: Progress) -> &'static str {
    label(&format!("progress.{}", p.key()))
}

/// The title of an article or document as Chinese text cites it, in 《》 (kept as it is when
/// it already has them).
pub(crate) fn work_title(title: &str) -> String {
    if title.starts_with('《') && title.ends_with('》') {
        title.to_string()
    } else {
        format!("《{title}》")
    }
}

/// An amount with its unit, as every page, chart and card writes it: `228.35 亿元`.
pub(crate) fn money(a: crate::amount::Amount, unit: &str) -> String {
    format!("{} {unit}", a.plain())
}

/// A project's facts in one line, for a feed entry's summary: `开工一批 · 第5期 · 总投资 12.5 亿元
/// · 建设单位 某公司` (总投资未载明 when no amount is published; the owner, else the location,
/// when the source names one).
pub(crate) fn project_facts(
    batch_label: &str,
    period: Option<u32>,
    investment: Option<String>,
    owner: Option<&str>,
    location: Option<&str>,
) -> String {
    let mut parts = vec![batch_label.to_string(), period_or_unknown(period)];
    parts.push(match investment {
        Some(m) => format!("{} {m}", label("investment")),
        None => format!("{}{}", label("investment"), label("not_published")),
    });
    if let Some(o) = owner {
        parts.push(format!("{} {o}", label("owner")));
    } else if let Some(l) = location {
        parts.push(format!("{} {l}", label("location")));
    }
    parts.join(" · ")
}

/// The name of a rate by its key (the state it counts, or `completion`): 达效率, 年度投资完成率.
pub(crate) fn indicator(key: &str) -> &'static str {
    label(&format!("indicator.{key}"))
}

/// `另有 3 个项目期次未载明，未计入`.
pub(crate) fn unplaced(n: usize) -> String {
    label("unplaced").replace("{n}", &n.to_string())
}

/// `3 个项目投资额未载明`.
pub(crate) fn missing_amounts(n: usize) -> String {
    label("missing_amounts").replace("{n}", &n.to_string())
}

/// `第 2 页，共 5 页`.
pub(crate) fn page_n_of_m(n: usize, m: usize) -> String {
    label("page_n_of_m")
        .replace("{n}", &n.to_string())
        .replace("{m}", &m.to_string())
}

/// A list's title on its page `n` (≥ 2): `全部项目（第 2 页）`.
pub(crate) fn page_title(title: &str, n: usize) -> String {
    label("page_title")
        .replace("{title}", title)
        .replace("{n}", &n.to_string())
}

/// Which items a page of a list shows, in the words of `key`: `page_items` (本页列出第
/// 101–200 个，共 1234 个项目。) or `page_bulletins` (本页列出第 1–100 篇，共 2000 篇通报。).
/// `projects`: how many distinct projects the list's items concern, for `page_changes`
/// (本页列出第 1–100 条，共 240 条批次变动，涉及 230 个项目。), where a project that moved twice in a
/// period is two items.
pub(crate) fn page_items(
    key: &str,
    from: usize,
    to: usize,
    total: usize,
    projects: Option<usize>,
) -> String {
    let mut s = label(key)
        .replace("{from}", &from.to_string())
        .replace("{to}", &to.to_string())
        .replace("{total}", &total.to_string());
    if let Some(n) = projects {
        s = s.replace("{projects}", &n.to_string());
    }
    s
}

/// `第七期`.
pub(crate) fn period(n: u32) -> String {
    label("period_n").replace("{n}", &chinese_number(n))
}

/// A period's label, or 期次未载明 when the source does not say.
pub(crate) fn period_or_unknown(n: Option<u32>) -> String {
    n.map_or_else(|| label("period_unknown").to_string(), period)
}

/// A number in Chinese numerals, as periods are named: 7 → 七, 10 → 十, 12 → 十二,
/// 20 → 二十, 105 → 一百零五. From 10,000 on, Arabic digits.
pub(crate) fn chinese_number(n: u32) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const UNITS: [&str; 4] = ["千", "百", "十", ""];
    if n == 0 {
        return "零".into();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    if (10..20).contains(&n) {
        let ones = n % 10;
        return if ones == 0 {
            "十".into()
        } else {
            format!("十{}", DIGITS[ones as usize])
        };
    }
    let ds = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let mut zero = false;
    for (i, &d) in ds.iter().enumerate() {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        out.push(DIGITS[d as usize]);
        out.push_str(UNITS[i]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_summary_gives_the_facts() {
        assert_eq!(
            project_facts(
                "开工一批",
                Some(5),
                Some("12.5 亿元".into()),
                Some("某公司"),
                Some("高新区")
            ),
            "开工一批 · 第五期 · 总投资 12.5 亿元 · 建设单位 某公司"
        );
        assert_eq!(
            project_facts("签约一批", None, None, None, Some("高新区")),
            "签约一批 · 期次未载明 · 总投资未载明 · 所在区域 高新区"
        );
    }

    #[test]
    fn every_enum_value_has_words() {
        for b in Batch::ALL {
            assert!(!batch(b).is_empty() && !batch_short(b).is_empty());
        }
        for p in Progress::ALL {
            assert!(!progress(p).is_empty());
        }
        assert_eq!(period(7), "第七期");
        assert_eq!(period_or_unknown(None), "期次未载明");
    }

    #[test]
    fn chinese_numerals() {
        let cases = [
            (1, "一"),
            (7, "七"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (21, "二十一"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (1001, "一千零一"),
            (1010, "一千零一十"),
            (9999, "九千九百九十九"),
            (10000, "10000"),
        ];
        for (n, want) in cases {
            assert_eq!(chinese_number(n), want, "{n}");
        }
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
