#!/usr/bin/env python3
"""Parses every Atom feed of the given site outputs with feedparser.

Usage: feeds.py SAMPLE-OUTPUT MINI-OUTPUT      (run with the venv's python)

Every *.xml file must be well-formed XML; each whose root element is an Atom
<feed> must parse with bozo == 0, and the mini site's feed.xml must have at
least one entry. Writes one line per check to stdout: 1|0, name, detail
(tab-separated); details go to stderr. Exits 0 when all pass, 1 otherwise.
"""
import os
import sys
import xml.etree.ElementTree as ET

import feedparser

ATOM_FEED = "{http://www.w3.org/2005/Atom}feed"
results = []


def check(ok, name, detail):
    results.append(ok)
    print(f"{1 if ok else 0}\t{name}\t{detail}")


def root_tag(path):
    for _, elem in ET.iterparse(path, events=("start",)):
        return elem.tag
    return None


def main():
    sites = {"sample": sys.argv[1], "mini": sys.argv[2]}
    for site, out in sites.items():
        xml_files = sorted(
            os.path.relpath(os.path.join(d, n), out)
            for d, _, names in os.walk(out)
            for n in names
            if n.endswith(".xml")
        )
        feeds, malformed = [], []
        for rel in xml_files:
            try:
                if root_tag(os.path.join(out, rel)) == ATOM_FEED:
                    feeds.append(rel)
            except ET.ParseError as err:
                malformed.append(f"{rel}: {err}")
        check(not malformed, f"{site}: {len(xml_files)} .xml files are well-formed XML",
              "; ".join(malformed) or ", ".join(xml_files))
        if not feeds:
            check(False, f"{site}: an Atom feed", "no .xml file has an Atom <feed> root")
        for rel in feeds:
            with open(os.path.join(out, rel), "rb") as f:
                parsed = feedparser.parse(f.read())
            n = len(parsed.entries)
            detail = f"bozo={parsed.bozo}, {n} entries, version {parsed.version or '?'}"
            if parsed.bozo:
                detail += f": {type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}"
            print(f"{site}/{rel}: {detail}", file=sys.stderr)
            for e in parsed.entries[:1]:
                print(f"    first entry: {e.get('title', '?')} | {e.get('link', '?')} | updated {e.get('updated', '?')}",
                      file=sys.stderr)
            check(parsed.bozo == 0, f"{site}: {rel} parses cleanly", detail)
            if site == "mini" and rel == "feed.xml":
                check(n >= 1, "mini: feed.xml has at least one entry", f"{n} entries")
        if site == "mini" and "feed.xml" not in feeds:
            check(False, "mini: feed.xml has at least one entry", "no Atom feed.xml in the mini site")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
