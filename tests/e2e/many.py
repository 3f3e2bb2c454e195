#!/usr/bin/env python3
"""Writes a site whose search for 智能装备 has more results than one page shows (issue 29).

Usage: python3 many.py OUT [--long]

OUT/content/ gets 250 projects named …智能装备项目 (full matches in the name), 20 whose
text alone says 智能装备 (full matches, scored below a name), 5 named …智能焊接装备基地
(partial matches: 智能 and 装备 but not the term whole) and 3 that do not match: 275 results
for 智能装备, 5 of them partial. With --long every text is padded to some 700 characters, so
that the search index is over 256 KB and split into pieces (search.js's other path).
search.mjs knows these numbers.
"""
import sys
from pathlib import Path

FULL_NAME, FULL_TEXT, PARTIAL, OTHER = 250, 20, 5, 3
# Filler without any character of 智能装备.
FILLER = "本项目位于示范区东部，总用地面积约一百亩，主要建设标准厂房、研发中心及配套设施，" \
         "达产后年产值约十亿元，新增就业岗位三百个。"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    long = "--long" in sys.argv
    content = Path(args[0]) / "content"
    (content / "projects").mkdir(parents=True)
    (content / "periods").mkdir()
    (content / "site.yaml").write_text(
        "title: 搜索分页测试站点\n"
        "base_url: https://example.org/many/\n"
        "description: 搜索结果多于一页的测试用虚构站点\n"
        "publisher: 测试管委会\n"
        "share_images: false\n",
        encoding="utf-8",
    )
    (content / "periods" / "01.yaml").write_text("number: 1\ndate: 2023-03-01\n", encoding="utf-8")
    pad = FILLER * 12 if long else ""
    projects = (
        [(f"示范区{i:03d}号智能装备项目", "智能装备项目的简介。") for i in range(1, FULL_NAME + 1)]
        + [(f"示范区{i:03d}号厂房配套工程", "为入园的智能装备企业建设厂房。") for i in range(1, FULL_TEXT + 1)]
        + [(f"示范区{i}号智能焊接装备基地", "焊接设备生产线。") for i in range(1, PARTIAL + 1)]
        + [(f"示范区{i}号污水处理厂", "污水处理。") for i in range(1, OTHER + 1)]
    )
    for n, (name, text) in enumerate(projects, 1):
        (content / "projects" / f"p{n:03d}.md").write_text(
            f"---\nname: '{name}'\nbatch: signed\nperiod: 1\ninvestment: 1.5\n---\n{text}{pad}\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
