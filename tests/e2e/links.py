#!/usr/bin/env python3
"""A link checker for a site served over HTTP (Python standard library only).

Usage: links.py START-URL [OUTPUT-DIR [BASE-URL]]

Starts at START-URL (e.g. http://127.0.0.1:18080/sanpi/), and also at every
.html file of OUTPUT-DIR (mapped below START-URL), so that pages no link
reaches are checked too. Every same-origin href, src, srcset, data, poster and
xlink:href of every HTML page, and every url() and @import of every CSS file,
is fetched without following redirects and must answer 200; every #fragment
must name an id (or an <a name>) of the target page. Pages under START-URL are
parsed for more links; other same-origin addresses are only fetched. With
BASE-URL (the site's public address, base_url in site.yaml), absolute links
under it (canonical, og:url, og:image, permalinks, ...) are checked too, as
the same path under START-URL.

Prints each broken link and missing anchor with the page that has it, then a
one-line count. Exits 0 when nothing is broken, 1 otherwise.
"""
import collections
import html.parser
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

MAX_URLS = 5000
SKIP_SCHEMES = {"mailto", "tel", "javascript", "data", "about", "blob"}
LINK_ATTRS = {"href", "src", "data", "poster", "xlink:href", "action", "cite", "longdesc"}
META_URLS = {"og:url", "og:image", "og:image:url", "og:image:secure_url", "twitter:image"}
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""")


class Page(html.parser.HTMLParser):
    """Collects the links, the ids and the <base href> of one HTML (or SVG) page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (attribute, raw value)
        self.anchors = set()
        self.base = None
        self.in_style = False
        self.style = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)
            elif name in LINK_ATTRS:
                if tag == "base" and name == "href":
                    self.base = value
                else:
                    self.links.append((f"{tag}[{name}]", value))
            elif name in ("srcset", "imagesrcset"):
                for part in value.split(","):
                    part = part.strip()
                    if part:
                        self.links.append((f"{tag}[{name}]", part.split()[0]))
            elif name == "style":
                self.links.extend(("style", u) for u in css_urls(value))
        if tag == "meta":
            a = dict(attrs)
            if (a.get("property") or a.get("name")) in META_URLS and a.get("content"):
                self.links.append((f"meta[{a.get('property') or a.get('name')}]", a["content"]))
        if tag == "style":
            self.in_style = True

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
            self.links.extend(("style", u) for u in css_urls("".join(self.style)))
            self.style = []

    def handle_data(self, data):
        if self.in_style:
            self.style.append(data)


def css_urls(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return [next(g for g in m.groups() if g is not None) for m in CSS_URL.finditer(text)]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a redirect is reported as what it is, not followed


OPENER = urllib.request.build_opener(NoRedirect)
OPENER.addheaders = [("User-Agent", "sanpi-e2e-links")]


def fetch(url):
    """(status, content type, body or None, location)."""
    try:
        with OPENER.open(url, timeout=10) as resp:
            return resp.status, resp.headers.get_content_type(), resp.read(), None
    except urllib.error.HTTPError as err:
        return err.code, None, None, err.headers.get("Location")
    except (urllib.error.URLError, OSError) as err:
        return f"error ({err})", None, None, None


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    start = sys.argv[1]
    if not start.endswith("/"):
        start += "/"
    origin = urllib.parse.urlsplit(start)[:2]
    base_url = sys.argv[3] if len(sys.argv) > 3 else None
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    via_base = 0

    queue = collections.deque([start])
    seeded = set()
    if len(sys.argv) > 2:
        out = sys.argv[2]
        for dirpath, _, names in os.walk(out, followlinks=True):
            for name in sorted(names):
                if name.endswith(".html"):
                    rel = os.path.relpath(os.path.join(dirpath, name), out).replace(os.sep, "/")
                    if rel == "index.html" or rel.endswith("/index.html"):
                        rel = rel[: -len("index.html")]
                    url = urllib.parse.urljoin(start, urllib.parse.quote(rel))
                    seeded.add(url)
                    queue.append(url)

    status = {}  # url without fragment -> status
    anchors = {}  # url -> set of ids, for parsed pages
    linked_from = collections.defaultdict(list)  # url -> [(page, raw)]
    fragments = collections.defaultdict(list)  # (url, fragment) -> [(page, raw)]
    reached = {start}  # urls some link points to
    external = collections.Counter()
    links_seen = 0
    html_pages = 0

    while queue and len(status) < MAX_URLS:
        url = queue.popleft()
        if url in status:
            continue
        code, ctype, body, location = fetch(url)
        status[url] = code if location is None else f"{code} -> {location}"
        if code != 200 or body is None:
            continue
        parse = url.startswith(start)
        found = []
        if ctype in ("text/html", "application/xhtml+xml", "image/svg+xml"):
            page = Page()
            page.feed(body.decode("utf-8", "replace"))
            page.close()
            anchors[url] = page.anchors
            if ctype != "image/svg+xml":
                html_pages += 1
            base = urllib.parse.urljoin(url, page.base) if page.base else url
            found = [(base, attr, raw) for attr, raw in page.links]
        elif ctype == "text/css":
            found = [(url, "css url()", raw) for raw in css_urls(body.decode("utf-8", "replace"))]
        if not parse:
            continue
        for base, attr, raw in found:
            raw = raw.strip()
            if not raw:
                continue
            scheme = urllib.parse.urlsplit(raw).scheme.lower()
            if scheme in SKIP_SCHEMES:
                continue
            target = urllib.parse.urljoin(base, raw)
            if base_url and (target + "/").startswith(base_url):
                target = start + target[len(base_url):]  # the site's own public address
                via_base += 1
            parts = urllib.parse.urlsplit(target)
            if parts.scheme not in ("http", "https"):
                continue
            if parts[:2] != origin:
                external[f"{parts.scheme}://{parts.netloc}"] += 1
                continue
            links_seen += 1
            bare, frag = urllib.parse.urldefrag(target)
            # quote what the page wrote unquoted (e.g. non-ASCII), as a browser does
            bare = urllib.parse.quote(bare, safe=":/?#[]@!$&'()*+,;=%~")
            linked_from[bare].append((url, f"{attr}={raw}"))
            reached.add(bare)
            if frag:
                fragments[(bare, frag)].append((url, f"{attr}={raw}"))
            if bare not in status:
                queue.append(bare)

    broken = []
    for url, code in status.items():
        if code != 200:
            sources = linked_from.get(url) or [("(seeded from the output folder)", "")]
            broken.append((url, code, sources))
    missing = []
    for (url, frag), sources in fragments.items():
        if status.get(url) != 200:
            continue  # already reported as broken
        ids = anchors.get(url)
        if ids is None:
            missing.append((url, frag, sources, "target is not an HTML page"))
            continue
        decoded = urllib.parse.unquote(frag)
        if frag in ids or decoded in ids or decoded.lower() == "top":  # "#top" always scrolls to the top
            continue
        missing.append((url, frag, sources, "no such id"))

    for url, code, sources in sorted(broken):
        print(f"BROKEN {code}: {url}")
        for page, raw in sources[:3]:
            print(f"    from {page}  {raw}")
        if len(sources) > 3:
            print(f"    ... and {len(sources) - 3} more links")
    for url, frag, sources, why in sorted(missing):
        print(f"MISSING ANCHOR #{urllib.parse.unquote(frag)} in {url} ({why})")
        for page, raw in sources[:3]:
            print(f"    from {page}  {raw}")
        if len(sources) > 3:
            print(f"    ... and {len(sources) - 3} more links")
    orphans = sorted(u for u in seeded if u not in reached)
    if orphans:
        print(f"note: {len(orphans)} pages of the output no link reaches: " + ", ".join(orphans))
    if external:
        print("note: not fetched (other origins): " + ", ".join(f"{h} x{n}" for h, n in sorted(external.items())))
    if len(status) >= MAX_URLS:
        print(f"note: stopped after {MAX_URLS} addresses")
        broken.append(("(limit)", "", []))
    print(
        f"{html_pages} HTML pages, {len(status)} addresses, {links_seen} links "
        f"({via_base} by the public address), "
        f"{len(fragments)} distinct #fragments: {len(broken)} broken, {len(missing)} missing anchors"
    )
    return 1 if broken or missing else 0


if __name__ == "__main__":
    sys.exit(main())
