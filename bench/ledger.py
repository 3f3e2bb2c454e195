#!/usr/bin/env python3
"""What importing a ledger of N rows costs (issue 13).

    pip install openpyxl && python3 bench/ledger.py [N] [SANPI]     default: 1000 rows, target/release/sanpi

Writes into bench/work/ledger-N/ (git-ignored): a site with 3 periods, a first ledger of N
projects in sections with 小计 rows (all new), and the next period's ledger in which a tenth of
the projects moved on and a tenth have a revised amount. Times, best of 3 each: the first
import (N new files), the same ledger again (nothing changes), the next ledger (in-place
edits), and a --dry-run of it."""
import random, shutil, subprocess, sys, time
from pathlib import Path
from openpyxl import Workbook

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
here = Path(__file__).resolve().parent
sanpi = str(Path(sys.argv[2]).resolve()) if len(sys.argv) > 2 else str(here.parent / "target/release/sanpi")
work = here / "work" / f"ledger-{n}"
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
rng = random.Random(13)
words = "华 安 恒 泰 联 达 博 远 鼎 盛 新 明 卓 越 科 中 成 信 宏 凯".split()
kinds = ["智能制造产业园", "数据中心", "研发生产基地", "物流枢纽", "中试平台", "总部基地"]
batches = ["签约", "开工", "投产"]
projects = []
for i in range(n):
    name = f"{rng.choice(words)}{rng.choice(words)}{rng.choice(kinds)}（{i + 1}号）"
    projects.append({"name": name, "batch": rng.randrange(3), "inv": rng.randrange(100, 500000),
                     "owner": f"{rng.choice(words)}{rng.choice(words)}实业有限公司", "sector": rng.choice(["新材料", "生物医药", "高端装备"])})


def ledger(path, title):
    wb = Workbook()
    ws = wb.active
    ws.title = "项目台账"
    ws.append([title])
    ws.append(["序号", "项目名称", "建设单位", "所属行业", "总投资\n（万元）", "进展情况"])
    for b, word in enumerate(batches):
        rows = [p for p in projects if p["batch"] == b]
        ws.append([f"{'一二三'[b]}、{word}项目（{len(rows)}个）"])
        for k, p in enumerate(rows):
            ws.append([k + 1, p["name"], p["owner"], p["sector"], p["inv"], "已开工" if b else "已签约"])
        ws.append(["小计", None, None, None, sum(p["inv"] for p in rows)])
    wb.save(path)


site = work / "site"
(site / "content/periods").mkdir(parents=True)
(site / "content/site.yaml").write_text("title: 台账基准\nunit: 亿元\n", encoding="utf-8")
for k in (1, 2, 3):
    (site / f"content/periods/0{k}.yaml").write_text(f"number: {k}\ndate: 2024-0{k}-15\n", encoding="utf-8")
ledger(work / "p1.xlsx", "第一期")
for p in projects:
    if p["batch"] < 2 and rng.random() < 0.1:
        p["batch"] += 1
    elif rng.random() < 0.1:
        p["inv"] += 100
ledger(work / "p2.xlsx", "第二期")


def timed(args, reset=None, runs=3):
    best = None
    for _ in range(runs):
        if reset:
            reset()
        t = time.perf_counter()
        p = subprocess.run([sanpi, *args], capture_output=True, text=True)
        dt = time.perf_counter() - t
        if p.returncode != 0:
            sys.exit(p.stderr[-2000:])
        best = dt if best is None else min(best, dt)
    return best, p.stdout.strip().splitlines()[-1]


empty = work / "empty"
shutil.copytree(site, empty)
def fresh():
    shutil.rmtree(site)
    shutil.copytree(empty, site)

first, s1 = timed(["import", work / "p1.xlsx", site, "--period", "1"], reset=fresh)
again, s2 = timed(["import", work / "p1.xlsx", site, "--period", "1"])
after1 = work / "after1"
shutil.copytree(site, after1)
def back():
    shutil.rmtree(site)
    shutil.copytree(after1, site)
dry, s3 = timed(["import", work / "p2.xlsx", site, "--period", "2", "--dry-run"])
nxt, s4 = timed(["import", work / "p2.xlsx", site, "--period", "2"], reset=back)
print(f"| step ({n} rows) | seconds | summary |\n| --- | --- | --- |")
for label, t, s in [("first import (all new)", first, s1), ("same ledger again", again, s2),
                    ("next period, --dry-run", dry, s3), ("next period", nxt, s4)]:
    print(f"| {label} | {t:.3f} | {s} |")
