#!/usr/bin/env python3
"""Summarise the Nu HTML checker's JSON report (vnu.jar --format json).

Usage: vnu_report.py VNU.json FILE-LIST

FILE-LIST holds the checked files, one a line, each starting with its site's
folder (sample/..., mini/...). Prints every distinct error message with its
count and one example (file:line and the source extract), then one line
`errors-in SITE: N` per site. Exits 0 with no error, 1 with errors, 2 when the
report cannot be read.
"""
import collections
import json
import sys
import urllib.parse


def main():
    report_path, list_path = sys.argv[1], sys.argv[2]
    with open(list_path, encoding="utf-8") as f:
        files = [line.strip() for line in f if line.strip()]
    sites = sorted({name.split("/", 1)[0] for name in files})
    try:
        with open(report_path, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as err:
        print(f"cannot read the vnu report {report_path}: {err}")
        return 2

    def relative(url):
        path = urllib.parse.unquote(urllib.parse.urlsplit(url or "").path)
        for name in files:
            if path.endswith("/" + name):
                return name
        return path or "?"

    errors = collections.OrderedDict()  # message -> [count, example, files]
    per_site = collections.Counter()
    for msg in report.get("messages", []):
        kind = msg.get("type")
        if kind == "info":  # warnings; --errors-only should leave none
            continue
        text = msg.get("message", "").strip()
        if kind != "error":
            text = f"[{kind}] {text}"
        name = relative(msg.get("url"))
        per_site[name.split("/", 1)[0]] += 1
        line = msg.get("lastLine", msg.get("firstLine", "?"))
        entry = errors.setdefault(text, [0, None, set()])
        entry[0] += 1
        entry[2].add(name)
        if entry[1] is None:
            extract = " ".join(msg.get("extract", "").split())
            entry[1] = f"{name}:{line}" + (f"  `{extract}`" if extract else "")

    total = sum(e[0] for e in errors.values())
    if errors:
        print(f"{total} errors, {len(errors)} distinct messages:")
        for text, (count, example, names) in sorted(errors.items(), key=lambda kv: -kv[1][0]):
            print(f"  {count:4d} x (in {len(names)} files) {text}")
            print(f"         e.g. {example}")
    else:
        print("no errors")
    for site in sites:
        print(f"errors-in {site}: {per_site.get(site, 0)}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
