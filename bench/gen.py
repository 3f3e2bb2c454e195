#!/usr/bin/env python3
"""Generates a synthetic “三个一批” site of N projects twice: as a sanpi site and as an
equivalent Hugo site, from the same data.

    python3 bench/gen.py N [--out bench/work] [--seed 7] [--province]

writes OUT/sanpi-N/ (content/site.yaml, periods/01..10.yaml, projects/ID.md,
bulletins/DATE-SLUG.md) and OUT/hugo-N/ (config.toml, content/, layouts/). Both folders
are replaced. With --province it writes OUT/sanpi-pN/ instead: the same projects and
bulletins as a province's site, with regions.yaml (18 省辖市 and their 县（市、区）and
development zones, about 160 regions in three peer groups), each project in a region, its
progress, tags, completed investment and history, per-region figures declared in the
periods, and targets per year for the province and each city. The output depends only on
N and the seed: Python's standard library only, seeded random.Randoms, no clock.
"""

import argparse
import os
import random
import shutil
import sys

SEED = 7
N_PERIODS = 10
PROJECTS_PER_BULLETIN = 50
MAX_CHART_BULLETINS = 2

# ---------------------------------------------------------------------------
# Word lists

PLACES = """郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口
驻马店 济源 巩义 兰考 汝州 滑县 长垣 邓州 永城 固始 鹿邑 新蔡 中牟 新郑 荥阳 登封 新密
偃师 孟州 禹州 长葛 舞钢 林州 卫辉 辉县 沁阳 义马 灵宝 宝丰 叶县 鲁山 郏县 尉氏 杞县 通许
伊川 宜阳 孟津 栾川 嵩县 汝阳 洛宁 新安 温县 武陟 修武 博爱 原阳 延津 封丘 获嘉 内黄 汤阴
淇县 浚县 范县 台前 清丰 南乐 鄢陵 襄城 临颍 舞阳 渑池 卢氏 西峡 淅川 镇平 内乡 社旗 唐河
新野 桐柏 方城 睢县 宁陵 柘城 民权 虞城 夏邑 罗山 光山 新县 商城 潢川 淮滨 息县 扶沟 西华
商水 太康 郸城 沈丘 项城 西平 上蔡 平舆 正阳 确山 泌阳 汝南 遂平""".split()

ZONES = """高新技术产业开发区 经济技术开发区 产业集聚区 先进制造业开发区 现代服务业开发区
综合保税区 临空经济区 科技产业园 新材料产业园 食品产业园 装备制造产业园 物流园区 循环经济产业园
高新区东区 高新区西区 城乡一体化示范区 商务中心区 特色产业园""".split()

COMPANIES = """华创 宇恒 中原 豫能 天瑞 恒达 金丰 瑞祥 鼎盛 嘉禾 汇通 新程 博远 宏图 信和 正大 科达
瀚海 安泰 永兴 星河 绿源 东方 启明 众合 卓越 同创 华夏 国投 中科 豫发 润丰 康达 天泽 锦程
德润 华锐 凯盛 远大 中联 豫信 银河 万邦 盛世 龙腾 金源 恒通 百川 泰和 聚德 弘毅 明远 鸿运
丰源 嘉盛 华中 长江 黄河 嵩山 伏牛 太行 中州 天中 商都 牧野 豫北 豫南 中亚 汉唐 宏远 兴业
光大 海川 九州 隆基 新华 三和 四方 五洲 六合 七彩 八方 万达 千禧 百盛 一诺 力拓 晶华 合众
智联 云帆 新锐 领航 精工 睿信 晨光 曙光 旭日 朝阳 瑞丰 金诚 诚信 宏达 永泰 福瑞 祥和""".split()

# sector name, slug, industries (names of what a project makes or does)
SECTORS = [
    ("装备制造", "equipment", "智能装备 数控机床 矿山机械 农业机械 工程机械 起重装备 电力装备 轴承 液压件 阀门"),
    ("新能源汽车", "new-energy-vehicles", "新能源汽车 汽车零部件 动力电池 电机电控 充电桩 智能网联汽车 车用线束 汽车电子"),
    ("电子信息", "electronics", "电子信息 智能终端 光电显示 印制电路板 电子元器件 光通信器件 5G通信设备 智能传感器"),
    ("生物医药", "biomedicine", "生物医药 创新药 疫苗 中药饮片 原料药 基因检测 生物制剂 医药中间体"),
    ("新材料", "new-materials", "新材料 高端铝材 超硬材料 碳纤维 特种钢材 耐火材料 尼龙新材料 石墨烯 电子级硅材料"),
    ("现代物流", "logistics", "现代物流 冷链物流 智慧物流 电商物流 多式联运 保税仓储 快递分拨 供应链"),
    ("食品加工", "food", "食品加工 速冻食品 预制菜 休闲食品 乳制品 肉制品 面制品 调味品 饮料"),
    ("纺织服装", "textiles", "纺织服装 高端面料 家纺 智能服装 无纺布 功能性纤维 鞋业 服饰"),
    ("绿色建材", "building-materials", "绿色建材 装配式建筑 新型墙材 节能门窗 建筑陶瓷 环保涂料 预拌混凝土"),
    ("节能环保", "environment", "节能环保 环保装备 固废资源化 污水处理 再生资源 烟气治理 土壤修复"),
    ("新能源", "new-energy", "新能源 光伏组件 储能电池 氢能 风电装备 分布式光伏 氢燃料电池 生物质能源"),
    ("数字经济", "digital-economy", "数字经济 数据中心 云计算 软件和信息服务 工业互联网 区块链 信创 算力中心"),
    ("现代农业", "agriculture", "现代农业 高标准农田 智慧农业 种业 农产品深加工 设施农业 畜禽养殖 中药材种植"),
    ("文化旅游", "culture-tourism", "文化旅游 文旅综合体 特色小镇 康养旅游 研学基地 影视文化 非遗文创"),
    ("现代化工", "chemicals", "现代化工 精细化工 化工新材料 煤化工 盐化工 可降解塑料 电子化学品"),
    ("商贸服务", "commerce", "商贸服务 商业综合体 专业市场 会展 跨境电商 总部经济 金融服务"),
    ("医疗健康", "health", "医疗健康 医疗器械 医用耗材 康复辅具 体外诊断 医养结合 健康管理"),
    ("人工智能", "artificial-intelligence", "人工智能 工业机器人 服务机器人 机器视觉 智能语音 无人机 智能算法"),
    ("航空航天", "aerospace", "航空航天 航空零部件 通用航空 卫星应用 航空物流 无人机整机 航空维修"),
    ("城市基础设施", "infrastructure", "城市基础设施 城市更新 综合管廊 保障性住房 智慧停车 污水管网 海绵城市"),
]
SECTORS = [(n, s, i.split()) for n, s, i in SECTORS]

SUFFIXES = """产业园项目 研发中心项目 生产基地项目 智能制造基地项目 产业化项目 总部基地项目 扩建项目
技术改造项目 综合体项目 示范园项目 生产线项目 产业基地项目 创新中心项目 科技园项目 加工基地项目
仓储中心项目 智能工厂项目 检测中心项目 孵化基地项目 产业城项目""".split()

PHASES = ["（一期）", "（二期）", "（三期）", "一期", "二期"]

COMPANY_KINDS = ["有限公司", "股份有限公司", "集团有限公司", "科技有限公司", "实业有限公司"]

# The unit of a “年产…” name, for the sectors whose projects are named so.
UNITS = {"装备制造": "台（套）", "新能源汽车": "万套", "电子信息": "万片", "生物医药": "亿支",
         "新材料": "万吨", "食品加工": "万吨", "纺织服装": "万件", "绿色建材": "万平方米",
         "新能源": "GWh", "现代化工": "万吨", "医疗健康": "万件"}

STATUS_SENTENCES = [
    "目前已完成土地摘牌和规划设计，正在办理施工许可手续",
    "目前主体结构已全部封顶，正在进行设备安装和室内装修",
    "目前已完成场地平整，桩基工程全面展开",
    "目前一号车间已投入使用，二号车间正在进行钢结构吊装",
    "目前项目已签订投资协议，正在开展前期手续办理",
    "目前生产线已进入联动调试阶段，预计年内实现达产",
    "目前已完成环评、能评等前期工作，计划下月开工",
    "目前已建成投产，产品陆续发往省内外客户",
]

PURPOSES = [
    "重点发展{ind}产品的研发、生产和销售",
    "打造集研发设计、生产制造、检验检测于一体的{ind}产业平台",
    "填补当地{ind}产业链中高端环节的空白",
    "推动{ind}产业向高端化、智能化、绿色化方向发展",
    "与本地龙头企业形成上下游配套，延伸{ind}产业链条",
]

EXTRA_PARAGRAPHS = [
    "项目建设过程中，{place}坚持“要素跟着项目走”，组建专班实行“一个项目、一名领导、一套班子、一抓到底”的工作机制，"
    "在用地、用能、融资等方面给予重点保障，推动项目早开工、早投产、早见效。",
    "为保障项目顺利推进，当地相关部门主动上门服务，推行“拿地即开工”审批模式，将施工许可等手续办理时限压缩至"
    "{days}个工作日以内，企业负责人表示，良好的营商环境是项目落地的重要原因。",
    "项目采用数字化车间和智能仓储系统，关键工序数控化率达到{pct}%以上，单位产品能耗较行业平均水平降低约{cut}%，"
    "是当地推进制造业高质量发展的重点项目之一。",
    "项目所在园区已形成较为完整的{ind}产业生态，集聚上下游企业{firms}家，园区内道路、供水、供电、供气和污水处理"
    "等基础设施配套齐全，能够满足项目建设和生产运营需要。",
]

BULLETIN_ACTIONS = ["集中签约", "集中开工", "集中投产", "观摩推进", "拉练评比", "集中推进"]

CN_NUM = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

BATCHES = [("signed", "签约一批"), ("started", "开工一批"), ("producing", "投产一批")]


def cn_period(n):
    return CN_NUM[n] if n <= 10 else str(n)


# ---------------------------------------------------------------------------
# The data


class Project:
    __slots__ = ("id", "name", "batch", "period", "sector", "slug", "investment",
                 "location", "owner", "body", "cents")


def amount(rng):
    """An amount in 亿元 with two decimals (sometimes one or none), as text and in cents."""
    v = rng.lognormvariate(1.9, 1.0)  # median about 6.7
    v = min(max(v, 0.3), 480.0)
    cents = int(round(v * 100))
    r = rng.random()
    if r < 0.15:
        cents -= cents % 10
    elif r < 0.25:
        cents -= cents % 100
    cents = max(cents, 10)
    return cents


def fmt_cents(c):
    s = f"{c // 100}.{c % 100:02d}"
    s = s.rstrip("0").rstrip(".") if s.endswith("0") else s
    return s


def project_name(rng, used):
    for _ in range(1000):
        place = rng.choice(PLACES)
        company = rng.choice(COMPANIES)
        sector = rng.randrange(len(SECTORS))
        ind = rng.choice(SECTORS[sector][2])
        r = rng.random()
        unit = UNITS.get(SECTORS[sector][0])
        if r < 0.2 and unit:
            n = rng.choice([1, 2, 3, 5, 6, 8, 10, 12, 15, 20, 30, 50, 100])
            if unit == "台（套）":
                n *= 100
            name = f"{place}{company}年产{n}{unit}{ind}生产线项目"
        else:
            suffix = rng.choice(SUFFIXES)
            name = f"{place}{company}{ind}{suffix}"
            if r > 0.9:
                name = name[:-2] + rng.choice(PHASES) + "项目"  # 产业园（一期）项目
        if name not in used:
            used.add(name)
            return name, place, company, sector, ind
    raise SystemExit("gen.py: could not find a new project name")


def project_body(rng, p, place, company, ind):
    zone = rng.choice(ZONES)
    inv = f"，总投资{fmt_cents(p.cents)}亿元" if p.cents is not None else "，投资额以最终批复为准"
    para1 = (
        f"{p.name}由{p.owner}投资建设，位于{place}{zone}，规划总用地约{rng.randint(30, 900)}亩，"
        f"总建筑面积约{rng.randint(2, 60)}.{rng.randint(0, 9)}万平方米{inv}。项目主要建设{ind}生产车间、"
        f"研发楼、仓储用房及配套设施，{rng.choice(PURPOSES).format(ind=ind)}。"
    )
    heading = rng.choice(["## 建设内容", "## 主要建设内容", "## 项目概况", "## 建设规模"])
    items = [
        f"- 新建标准化生产车间{rng.randint(2, 12)}栋，购置{ind}相关生产及检测设备{rng.randint(50, 900)}台（套）；",
        f"- 建设研发中心和检测中心，建筑面积约{rng.randint(3, 40) * 1000}平方米；",
        "- 配套建设仓储、办公、职工宿舍、道路、绿化等公用设施；",
    ]
    if rng.random() < 0.5:
        items.append(f"- 建设屋顶分布式光伏电站，装机容量约{rng.randint(2, 30)}兆瓦。")
    para2 = (
        f"项目{rng.choice(STATUS_SENTENCES)}。建成后预计可实现年产值{rng.randint(3, 120)}亿元、"
        f"年纳税{rng.randint(500, 30000)}万元，带动就业{rng.randint(150, 5000)}人，"
        f"对{place}壮大{ind}产业集群、培育新的经济增长点具有重要意义。"
    )
    para3 = rng.choice(EXTRA_PARAGRAPHS).format(
        place=place, ind=ind, days=rng.randint(5, 30), pct=rng.randint(60, 95),
        cut=rng.randint(8, 30), firms=rng.randint(12, 160))
    return f"{para1}\n\n{heading}\n\n" + "\n".join(items) + f"\n\n{para2}\n\n{para3}\n"


def make_projects(rng, n):
    used = set()
    projects = []
    for i in range(n):
        p = Project()
        p.id = f"p{i + 1:06d}"
        name, place, company, sector, ind = project_name(rng, used)
        p.name = name
        r = rng.random()
        p.batch = "signed" if r < 0.3 else "started" if r < 0.8 else "producing"
        p.period = rng.randint(1, N_PERIODS)
        p.sector, p.slug = SECTORS[sector][0], SECTORS[sector][1]
        p.cents = amount(rng) if rng.random() < 0.7 else None
        p.investment = fmt_cents(p.cents) if p.cents is not None else None
        p.location = f"{place}{rng.choice(ZONES)}"
        p.owner = f"{place}{company}{ind}{rng.choice(COMPANY_KINDS)}"
        p.body = project_body(rng, p, place, company, ind)
        projects.append(p)
    return projects


def period_dates():
    # One period a quarter or so, from 2021 on.
    out = []
    y, m = 2021, 1
    for i in range(N_PERIODS):
        out.append(f"{y}-{m:02d}-{[28, 18, 26, 22][i % 4]:02d}")
        m += 4 if i % 3 == 2 else 3
        if m > 12:
            y, m = y + 1, m - 12
    return out


def declared(projects, period):
    """The published figures as of `period`: counts and investment per batch of the pool
    (projects that entered their batch by then), investment estimated for the entries
    without an amount as the published figures would be, and the new projects of the
    period."""
    out = {}
    for key, _ in BATCHES:
        ps = [p for p in projects if p.batch == key and p.period <= period]
        known = [p.cents for p in ps if p.cents is not None]
        est = sum(known) * len(ps) // len(known) if known else 0
        out[key] = (len(ps), est)
    new = [p for p in projects if p.period == period]
    known = [p.cents for p in new if p.cents is not None]
    out["new"] = (len(new), sum(known) * len(new) // len(known) if known else 0)
    return out


class Bulletin:
    __slots__ = ("slug", "title", "date", "period", "summary", "body", "chart")


def make_bulletins(rng, projects, dates):
    count = max(1, len(projects) // PROJECTS_PER_BULLETIN)
    bulletins = []
    for i in range(count):
        b = Bulletin()
        b.period = rng.randint(1, N_PERIODS)
        y, m, d = dates[b.period - 1].split("-")
        day = min(28, int(d) + rng.randint(0, 10))
        b.date = f"{y}-{m}-{day:02d}"
        b.slug = f"{b.date}-{i + 1:05d}"
        place = rng.choice(PLACES)
        action = rng.choice(BULLETIN_ACTIONS)
        k = rng.randint(6, 60)
        inv = rng.randint(20, 900)
        b.title = f"第{cn_period(b.period)}期“三个一批”活动：{place}{k}个项目{action}，总投资{inv}亿元"
        b.summary = f"{place}在第{cn_period(b.period)}期“三个一批”项目建设活动中{action}{k}个项目，总投资{inv}亿元。"
        b.chart = i < MAX_CHART_BULLETINS
        sample = rng.sample(projects, min(2, len(projects)))
        fields = rng.sample([name for name, _, _ in SECTORS], 3)
        s = rng.randint(1, max(1, k // 3))
        st = rng.randint(1, max(1, k // 2))
        pr = max(0, k - s - st)
        paras = [
            "## 本期概况",
            f"{int(m)}月{day}日上午，{place}第{cn_period(b.period)}期“三个一批”项目建设活动在{rng.choice(ZONES)}举行。"
            f"本期共有{k}个项目参加，总投资{inv}亿元，涵盖{fields[0]}、{fields[1]}、{fields[2]}等领域，项目数量和投资规模均较上期有所增长。",
            "本期参加活动的项目按批次划分如下：",
            f"- 签约一批：{s}个项目；\n- 开工一批：{st}个项目；\n- 投产一批：{pr}个项目。",
        ]
        if b.chart:
            paras.append('{{ chart(name="investment-by-batch") }}')
        paras += [
            "## 重点项目",
            f"其中，{sample[0].name}、{sample[1 % len(sample)].name}等项目投资规模大、科技含量高、带动能力强，"
            f"是推动当地产业转型升级的重要支撑。活动现场，有关负责人逐一听取项目建设情况汇报，"
            f"要求各级各部门持续优化营商环境，强化要素保障，确保项目按时间节点推进。",
            f"下一步，{place}将坚持以项目为王，滚动推进“签约一批、开工一批、投产一批”，"
            "加快推动签约项目尽早开工、开工项目尽早投产、投产项目尽早达效。",
        ]
        b.body = "\n\n".join(paras) + "\n"
        bulletins.append(b)
    return bulletins


# ---------------------------------------------------------------------------
# Writing


def q(s):
    """A YAML double-quoted string."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_sanpi(root, n, projects, bulletins, dates, extra=None):
    c = os.path.join(root, "content")
    sectors = "\n".join(f"  {name}: {slug}" for name, slug, _ in SECTORS)
    write(os.path.join(c, "site.yaml"),
          f"title: 河南省“三个一批”项目建设进展（基准测试，{n}个项目）\n"
          "base_url: https://example.org/bench/\n"
          "language: zh-CN\n"
          "description: sanpi 基准测试用的合成站点，项目名称和数字均为虚构。\n"
          "publisher: 基准测试\n"
          "unit: 亿元\n"
          "share_images: false\n"
          f"sectors:\n{sectors}\n")
    for i, date in enumerate(dates, start=1):
        d = declared(projects, i)
        lines = [f"number: {i}", f"date: {date}",
                 f"title: 第{cn_period(i)}期“三个一批”项目建设活动",
                 f"summary: 第{cn_period(i)}期活动中新增项目{d['new'][0]}个，合计总投资{fmt_cents(d['new'][1])}亿元。",
                 "declared:"]
        for key in ["signed", "started", "producing", "new"]:
            cnt, cents = d[key]
            lines.append(f"  {key}: {{count: {cnt}, investment: {fmt_cents(cents)}}}")
        write(os.path.join(c, "periods", f"{i:02d}.yaml"), "\n".join(lines) + "\n")
    for p in projects:
        fm = [f"name: {q(p.name)}", f"batch: {p.batch}", f"period: {p.period}"]
        if p.investment is not None:
            fm.append(f"investment: {p.investment}")
        fm += [f"sector: {p.sector}", f"location: {q(p.location)}", f"owner: {q(p.owner)}"]
        if extra:
            e = extra[int(p.id[1:]) - 1]
            if e["region"]:
                fm.insert(1, f"region: {e['region']}")
            fm.append(f"tags: {e['tags']}")
            if e["progress"]:
                fm.append(f"progress: {e['progress']}")
            if e["invested"]:
                fm.append(f"invested: {e['invested']}")
            if e["history"]:
                fm.append("history:")
                fm += [f"  - {{period: {hp}, batch: {hb}}}" for hp, hb in e["history"]]
        write(os.path.join(c, "projects", f"{p.id}.md"), "---\n" + "\n".join(fm) + "\n---\n" + p.body)
    for b in bulletins:
        fm = [f"title: {q(b.title)}", f"date: {b.date}", f"period: {b.period}", f"summary: {q(b.summary)}"]
        write(os.path.join(c, "bulletins", f"{b.slug}.md"), "---\n" + "\n".join(fm) + "\n---\n" + b.body)


HUGO_CONFIG = """baseURL = "https://example.org/bench/"
languageCode = "zh-CN"
title = "{title}"
hasCJKLanguage = true
enableRobotsTXT = true
disableHugoGeneratorInject = true

[taxonomies]
  batch = "batches"
  period = "periods"
  sector = "sectors"

# As sanpi: a feed of the bulletins (home), a feed per batch (set in each batch's
# _index.md), the projects as JSON (home), a sitemap, robots.txt and a 404 page.
[outputs]
  home = ["HTML", "RSS", "JSON"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]

[markup.goldmark.renderer]
  unsafe = false
"""

LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} - {{ end }}{{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:site_name" content="{{ .Site.Title }}">
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Site.Params.description }}{{ end }}">
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | relURL }}">
</head>
<body>
<header><a class="site" href="{{ "" | relURL }}">{{ .Site.Title }}</a>
<nav><a href="{{ "projects/" | relURL }}">全部项目</a>
{{ range $.Site.Taxonomies.batches.ByCount }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}
<a href="{{ "periods/" | relURL }}">期次</a> <a href="{{ "sectors/" | relURL }}">行业</a>
<a href="{{ "bulletins/" | relURL }}">动态</a></nav></header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer><p>{{ .Site.Title }} · 金额单位：亿元 · 由 Hugo 生成</p></footer>
</body>
</html>
""",
    "partials/table.html": """<table class="projects">
<thead><tr><th>项目名称</th><th>批次</th><th>期次</th><th>行业</th><th>总投资（亿元）</th></tr></thead>
<tbody>
{{ range . }}<tr id="p-{{ .File.ContentBaseName }}"><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td>
<td>{{ range .GetTerms "batches" }}{{ .Title }}{{ end }}</td><td>{{ index .Params.periods 0 }}</td>
<td>{{ .Params.sector }}</td><td>{{ with .Params.investment }}{{ . }}{{ else }}未公布{{ end }}</td></tr>
{{ end }}</tbody>
</table>
""",
    "partials/batchsums.html": """{{ $pages := where .Site.RegularPages "Section" "projects" }}
<table class="sums">
<thead><tr><th>批次</th><th>项目数</th><th>有投资额的项目</th><th>投资额合计（亿元）</th></tr></thead>
<tbody>
{{ range $key, $label := dict "signed" "签约一批" "started" "开工一批" "producing" "投产一批" }}
{{ $sum := 0.0 }}{{ $n := 0 }}{{ $known := 0 }}
{{ range where $pages "Params.batches" "intersect" (slice $key) }}{{ $n = add $n 1 }}{{ with .Params.investment }}{{ $sum = add $sum . }}{{ $known = add $known 1 }}{{ end }}{{ end }}
<tr><td>{{ $label }}</td><td>{{ $n }}</td><td>{{ $known }}</td><td>{{ lang.FormatNumber 2 $sum }}</td></tr>
{{ end }}
</tbody>
</table>
""",
    "index.html": """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<p>{{ .Site.Params.description }}</p>
<h2>项目库</h2>
{{ partial "batchsums.html" . }}
<h2>最新动态</h2>
<ul>{{ range first 10 (where .Site.RegularPages "Section" "bulletins").ByDate.Reverse }}<li><time>{{ .Date.Format "2006-01-02" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<h2>期次</h2>
<ul>{{ range .Site.Taxonomies.periods.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>（{{ .Count }}个项目）</li>{{ end }}</ul>
<h2>行业</h2>
<ul>{{ range .Site.Taxonomies.sectors.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>（{{ .Count }}个项目）</li>{{ end }}</ul>
{{ end }}
""",
    "index.xml": """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{{ .Site.Title }}</title><link>{{ .Permalink }}</link>
{{ range (where .Site.RegularPages "Section" "bulletins").ByDate.Reverse }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid><pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" }}</pubDate><description>{{ .Params.summary }}</description></item>
{{ end }}</channel></rss>
""",
    "index.json": """{"title":{{ .Site.Title | jsonify }},"unit":"亿元","projects":[
{{ range $i, $p := where .Site.RegularPages "Section" "projects" }}{{ if $i }},
{{ end }}{"id":{{ $p.File.ContentBaseName | jsonify }},"name":{{ $p.Title | jsonify }},"batch":{{ index $p.Params.batches 0 | jsonify }},"period":{{ index $p.Params.periods 0 }},"investment":{{ with $p.Params.investment }}{{ . }}{{ else }}null{{ end }},"sector":{{ $p.Params.sector | jsonify }},"location":{{ $p.Params.location | jsonify }},"owner":{{ $p.Params.owner | jsonify }},"url":{{ $p.Permalink | jsonify }}}{{ end }}
]}
""",
    "_default/term.rss.xml": """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{{ .Title }} - {{ .Site.Title }}</title><link>{{ .Permalink }}</link>
{{ range .Pages }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid><description>{{ .Params.sector }} {{ .Params.location }}</description></item>
{{ end }}</channel></rss>
""",
    "_default/single.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<table class="facts">
<tr><th>批次</th><td>{{ range .GetTerms "batches" }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</td></tr>
<tr><th>期次</th><td>{{ range .GetTerms "periods" }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</td></tr>
<tr><th>行业</th><td>{{ range .GetTerms "sectors" }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</td></tr>
<tr><th>总投资</th><td>{{ with .Params.investment }}{{ . }} 亿元{{ else }}未公布{{ end }}</td></tr>
<tr><th>地点</th><td>{{ .Params.location }}</td></tr>
<tr><th>业主单位</th><td>{{ .Params.owner }}</td></tr>
</table>
{{ .Content }}
<p class="cite">引用本页：{{ .Site.Title }}. {{ .Title }}[EB/OL]. {{ .Permalink }}.</p>
</article>
{{ end }}
""",
    "bulletins/single.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="meta"><time>{{ .Date.Format "2006-01-02" }}</time>{{ with .Params.period }} · <a href="{{ printf "periods/%v/" . | relURL }}">第{{ . }}期</a>{{ end }}</p>
{{ .Content }}
<p class="cite">引用本页：{{ .Site.Title }}. {{ .Title }}[EB/OL]. ({{ .Date.Format "2006-01-02" }}). {{ .Permalink }}.</p>
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ if eq .Section "bulletins" }}
<ul>{{ range .Pages.ByDate.Reverse }}<li><time>{{ .Date.Format "2006-01-02" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Params.summary }}</p></li>{{ end }}</ul>
{{ else }}
<p>共 {{ len .Pages }} 个项目。</p>
{{ partial "table.html" .Pages }}
{{ end }}
{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>（{{ .Count }}个项目）</li>{{ end }}</ul>
{{ end }}
""",
    "_default/term.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ $sum := 0.0 }}{{ $known := 0 }}{{ range .Pages }}{{ with .Params.investment }}{{ $sum = add $sum . }}{{ $known = add $known 1 }}{{ end }}{{ end }}
<p>共 {{ len .Pages }} 个项目，其中 {{ $known }} 个公布了投资额，合计 {{ lang.FormatNumber 2 $sum }} 亿元。</p>
{{ partial "table.html" .Pages }}
{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>页面不存在</h1><p><a href="{{ "" | absURL }}">返回首页</a></p>{{ end }}
""",
    "shortcodes/chart.html": """<figure class="chart"><figcaption>各批次投资额（{{ .Get "name" }}）</figcaption>
{{ partial "batchsums.html" .Page }}
</figure>
""",
}

HUGO_CSS = """body{font-family:sans-serif;max-width:60rem;margin:auto;padding:1rem;line-height:1.6}
nav a{margin-right:.8rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.2rem .4rem;text-align:left}
footer{margin-top:2rem;color:#666;font-size:.9em}
"""


def write_hugo(root, n, projects, bulletins, dates):
    write(os.path.join(root, "config.toml"),
          HUGO_CONFIG.replace("{title}", f"河南省“三个一批”项目建设进展（基准测试，{n}个项目）")
          + '\n[params]\n  description = "sanpi 基准测试用的合成站点，项目名称和数字均为虚构。"\n')
    for name, text in LAYOUTS.items():
        write(os.path.join(root, "layouts", name), text)
    write(os.path.join(root, "static", "style.css"), HUGO_CSS)
    c = os.path.join(root, "content")
    write(os.path.join(c, "_index.md"), "---\ntitle: 首页\n---\n")
    write(os.path.join(c, "projects", "_index.md"), "---\ntitle: 全部项目\n---\n")
    write(os.path.join(c, "bulletins", "_index.md"), "---\ntitle: 进展动态\n---\n")
    write(os.path.join(c, "batches", "_index.md"), "---\ntitle: 批次\n---\n")
    for key, label in BATCHES:
        write(os.path.join(c, "batches", key, "_index.md"),
              f"---\ntitle: {label}\noutputs: [HTML, RSS]\n---\n")
    write(os.path.join(c, "periods", "_index.md"), "---\ntitle: 期次\n---\n")
    for i, date in enumerate(dates, start=1):
        d = declared(projects, i)
        rows = "\n".join(f"| {label} | {d[key][0]} | {fmt_cents(d[key][1])} |" for key, label in BATCHES)
        write(os.path.join(c, "periods", str(i), "_index.md"),
              f"---\ntitle: 第{cn_period(i)}期“三个一批”项目建设活动\ndate: {date}\n---\n"
              f"第{cn_period(i)}期活动中新增项目{d['new'][0]}个，合计总投资{fmt_cents(d['new'][1])}亿元。\n\n"
              "## 公布数\n\n| 批次 | 项目数 | 总投资（亿元） |\n| --- | --- | --- |\n" + rows + "\n")
    write(os.path.join(c, "sectors", "_index.md"), "---\ntitle: 行业\n---\n")
    for name, slug, _ in SECTORS:
        write(os.path.join(c, "sectors", slug, "_index.md"), f"---\ntitle: {name}\n---\n")
    for p in projects:
        fm = [f"title: {q(p.name)}", f"batches: [{p.batch}]", f'periods: ["{p.period}"]',
              f"sectors: [{p.slug}]", f"sector: {p.sector}"]
        if p.investment is not None:
            fm.append(f"investment: {p.investment}")
        fm += [f"location: {q(p.location)}", f"owner: {q(p.owner)}"]
        write(os.path.join(c, "projects", f"{p.id}.md"), "---\n" + "\n".join(fm) + "\n---\n" + p.body)
    for b in bulletins:
        fm = [f"title: {q(b.title)}", f"date: {b.date}", f"period: {b.period}", f"summary: {q(b.summary)}",
              f"slug: {b.slug}"]
        body = b.body.replace('{{ chart(name="investment-by-batch") }}',
                              '{{< chart name="investment-by-batch" >}}')
        write(os.path.join(c, "bulletins", f"{b.slug}.md"), "---\n" + "\n".join(fm) + "\n---\n" + body)


# ---------------------------------------------------------------------------
# A province: regions, and what a province's site says of its projects besides

N_CITIES = 18  # the first 18 PLACES are the cities; the others are shared out as counties
MANUFACTURING = {"装备制造", "新能源汽车", "电子信息", "生物医药", "新材料", "食品加工",
                 "纺织服装", "绿色建材", "新能源", "现代化工", "医疗健康", "人工智能", "航空航天"}


def province_regions():
    """[(city name, city slug, [(name, slug, group), ...]), ...] and {place: region path}."""
    cities = []
    where = {}
    for i, place in enumerate(PLACES[:N_CITIES]):
        slug = f"c{i + 1:02d}"
        subs = [(f"{place}高新区", "gaoxin", "开发区"), (f"{place}经开区", "jingkai", "开发区"),
                (f"{place}中心城区", "chengqu", "市辖区")]
        cities.append((f"{place}市", slug, subs))
        where[place] = slug
    for k, place in enumerate(PLACES[N_CITIES:]):
        name, slug, subs = cities[k % N_CITIES]
        sub = f"x{k // N_CITIES + 1:02d}"
        county = place if place[-1] in "县市" else f"{place}县" if k % 4 else f"{place}市"
        subs.append((county, sub, "县（市）"))
        where[place] = f"{slug}/{sub}"
    return cities, where


def regions_yaml(cities):
    out = ["# 基准测试用的合成省份：省辖市及其县（市、区）、开发区，名称和代码均为虚构。"]
    for i, (name, slug, subs) in enumerate(cities):
        out += [f"- name: {name}", f"  slug: {slug}", f'  code: "99{i + 1:02d}00"', "  regions:"]
        out += [f"    - {{ name: {n}, slug: {s}, group: {g} }}" for n, s, g in subs]
    return "\n".join(out) + "\n"


def provincial(rng, projects, where, cities):
    """Each project's region, progress, tags, invested and history (a dict per project)."""
    extra = []
    subs = {slug: [s for _, s, _ in ss] for _, slug, ss in cities}
    for p in projects:
        place = next((pl for pl in PLACES if p.location.startswith(pl)), None)
        region = where.get(place)
        r = rng.random()
        if r < 0.03:
            region = None  # the source does not say where
        elif region and "/" not in region and r < 0.75:
            region = f"{region}/{rng.choice(subs[region][:3])}"
        progress = {"signed": ["pending", "fulfilled"], "started": ["under_construction"],
                    "producing": ["in_production", "at_capacity"]}[p.batch]
        e = {"region": region,
             "progress": rng.choice(progress) if rng.random() < 0.85 else None,
             "tags": "[制造业]" if p.sector in MANUFACTURING else "[]",
             "invested": None, "history": None}
        if p.cents is not None and p.batch != "signed" and rng.random() < 0.6:
            e["invested"] = fmt_cents(p.cents * rng.randint(5, 100) // 100 or 1)
        if p.batch != "signed" and p.period > 2 and rng.random() < 0.5:
            e["history"] = [(rng.randint(1, p.period - 1), "signed")]
        extra.append(e)
    return extra


def write_province(root, n, projects, bulletins, dates, seed):
    rng = random.Random(seed + 1000)
    cities, where = province_regions()
    extra = provincial(rng, projects, where, cities)
    write_sanpi(root, n, projects, bulletins, dates, extra)
    c = os.path.join(root, "content")
    conf = os.path.join(c, "site.yaml")
    with open(conf, encoding="utf-8") as f:
        text = f.read()
    write(conf, text.replace("（基准测试，", "（基准测试，全省，") + "region_levels: [省辖市, 县（市、区）]\n")
    write(os.path.join(c, "regions.yaml"), regions_yaml(cities))
    # Each period declares each city's pool per batch (as a city's 通报 would) and a third of
    # the counties' started projects; the cities' own figures then stand on these.
    top = {}
    for p, e in zip(projects, extra):
        if e["region"]:
            top.setdefault(e["region"].split("/")[0], []).append(p)
    for i in range(1, N_PERIODS + 1):
        path = os.path.join(c, "periods", f"{i:02d}.yaml")
        with open(path, encoding="utf-8") as f:
            lines = [f.read().rstrip("\n"), "regions:"]
        for _, slug, subs in cities:
            d = declared(top.get(slug, []), i)
            parts = ", ".join(f"{k}: {{count: {d[k][0]}, investment: {fmt_cents(d[k][1])}}}"
                              for k in ("signed", "started", "producing"))
            lines.append(f"  {slug}:\n    declared: {{{parts}}}")
            for _, sub, _ in subs[3::3]:
                count = rng.randint(1, 40)
                lines.append(f"  {slug}/{sub}:\n    declared: {{started: {{count: {count}, "
                             f"progress: {{under_construction: {rng.randint(0, count)}}}}}}}\n"
                             f"    as_of: {dates[i - 1]}")
        write(path, "\n".join(lines) + "\n")
    # Targets: the province's and each city's, for the last two years of periods.
    for year in sorted({int(d[:4]) for d in dates})[-2:]:
        for slug in [None] + [s for _, s, _ in cities]:
            scale = 1 if slug is None else N_CITIES
            body = [f"year: {year}"]
            if slug:
                body.append(f"region: {slug}")
            body += [f"source: {{ title: {year}年“三个一批”活动目标（基准测试）, date: {year}-02-10 }}",
                     "targets:",
                     f"  - {{ id: signed-investment, label: 新签约项目签约额, measure: investment, batch: signed, at_least: {max(1, n * 2 // scale)} }}",
                     f"  - {{ id: started-investment, label: 新开工项目总投资, measure: investment, batch: started, at_least: {max(1, n * 3 // scale)}, plan: {{ 6: {max(1, n // scale)}, 12: {max(1, n * 3 // scale)} }} }}",
                     f"  - {{ id: started-projects, label: 新开工项目, measure: projects, batch: started, at_least: {max(1, n // 8 // scale)} }}",
                     f"  - {{ id: manufacturing-signed, label: 制造业项目签约, measure: projects, batch: signed, tags: [制造业], at_least: {max(1, n // 20 // scale)} }}",
                     f"  - {{ id: invested, label: 年度完成投资, measure: invested, at_least: {max(1, n // scale)}, plan: {{ 3: {max(1, n // 4 // scale)}, 6: {max(1, n // 2 // scale)}, 9: {max(1, n * 3 // 4 // scale)}, 12: {max(1, n // scale)} }} }}",
                     "reported:",
                     f"  - {{ month: 6, values: {{ invested: {max(1, n * 2 // 5 // scale)} }}, source: {{ title: {year}年1—6月项目建设通报（基准测试）, date: {year}-07-12 }} }}"]
            name = f"{year}.yaml" if slug is None else f"{year}-{slug}.yaml"
            write(os.path.join(c, "targets", name), "\n".join(body) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of projects")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "work"))
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--province", action="store_true",
                    help="write the province-shaped site sanpi-pN (regions, targets) only")
    args = ap.parse_args()
    if args.n < 1:
        sys.exit("gen.py: N must be at least 1")
    rng = random.Random(args.seed)
    projects = make_projects(rng, args.n)
    dates = period_dates()
    bulletins = make_bulletins(rng, projects, dates)
    if args.province:
        root = os.path.join(args.out, f"sanpi-p{args.n}")
        if os.path.exists(root):
            shutil.rmtree(root)
        write_province(root, args.n, projects, bulletins, dates, args.seed)
        print(f"generated a province of {args.n} projects into {root}")
        return
    for kind, writer in (("sanpi", write_sanpi), ("hugo", write_hugo)):
        root = os.path.join(args.out, f"{kind}-{args.n}")
        if os.path.exists(root):
            shutil.rmtree(root)
        writer(root, args.n, projects, bulletins, dates)
    print(f"generated {args.n} projects, {len(bulletins)} bulletins, {N_PERIODS} periods, "
          f"{len(SECTORS)} sectors into {args.out}/{{sanpi,hugo}}-{args.n}")


if __name__ == "__main__":
    main()
