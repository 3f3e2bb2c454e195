// sanpi search: takes the index from search/index.js (a script, so that it loads from disk
// too) or else fetches search/index.json, and matches every term of the query as a substring
// (case-insensitive, full-width forms folded) of a document's fields; names count most, then
// the batch, so 签约一批 lists the signed projects first. A Chinese term of three or more
// characters that is not found whole still finds documents holding most of its character
// pairs (传感器 finds 传感产品 and 传感及控制器), ranked below whole matches. No server.
(() => {
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-q");
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  if (!form || !input || !list) return;
  const root = form.dataset.root || "./";
  const words = JSON.parse(document.getElementById("search-words").textContent);
  const WEIGHT = { name: 100, batch: 60, period: 40, owner: 30, sector: 30, location: 20, text: 10 };
  // Full-width ASCII forms (ＭＥＭＳ, ３Ｃ) and the ideographic space read as their ASCII
  // selves, then lower case: one character for one, so that positions still point into the
  // original text for highlighting.
  const fold = (s) => s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ").toLowerCase();
  const terms = (q) => fold(q).split(/\s+/).filter(Boolean);
  const HAN = /^[\u3400-\u9fff]{3,}$/;
  const pairs = (t) => Array.from({ length: t.length - 1 }, (_, i) => t.slice(i, i + 2));
  let docs = null;
  let fields = [];

  const load = async () => {
    if (docs) return;
    let idx = window.sanpiSearchIndex;
    if (!idx) {
      const r = await fetch(root + "search/index.json");
      if (!r.ok) throw new Error(r.statusText);
      idx = await r.json();
    }
    fields = idx.fields;
    docs = idx.docs.map((d, n) => {
      const o = { n };
      fields.forEach((f, i) => { o[f] = d[i]; });
      o.lower = {};
      for (const f of Object.keys(WEIGHT)) o.lower[f] = fold(o[f] || "");
      return o;
    });
  };

  // Text with each occurrence of the terms wrapped in <mark>, built as DOM nodes.
  const marked = (text, terms) => {
    const frag = document.createDocumentFragment();
    const lower = fold(text);
    let i = 0;
    while (i < text.length) {
      let best = -1, len = 0;
      for (const t of terms) {
        const k = lower.indexOf(t, i);
        if (k !== -1 && (best === -1 || k < best)) { best = k; len = t.length; }
      }
      if (best === -1) { frag.append(text.slice(i)); break; }
      frag.append(text.slice(i, best));
      const m = document.createElement("mark");
      m.textContent = text.slice(best, best + len);
      frag.append(m);
      i = best + len;
    }
    return frag;
  };

  const snippet = (text, terms) => {
    const lower = fold(text);
    const k = Math.min(...terms.map((t) => { const i = lower.indexOf(t); return i === -1 ? Infinity : i; }));
    if (!isFinite(k)) return text.slice(0, 60);
    const start = Math.max(0, k - 20);
    return (start > 0 ? "…" : "") + text.slice(start, start + 80) + (start + 80 < text.length ? "…" : "");
  };

  // A term's score in a document: the best weight of a field holding it whole; else, for a
  // long Chinese term, a fraction of that for the field holding most of its pairs.
  const termScore = (d, t) => {
    let s = 0;
    for (const f in WEIGHT) if (d.lower[f].includes(t)) s = Math.max(s, WEIGHT[f]);
    if (s) return d.lower.name.startsWith(t) ? s + 20 : s;
    if (!HAN.test(t)) return 0;
    const ps = pairs(t);
    for (const f in WEIGHT) {
      const n = ps.filter((p) => d.lower[f].includes(p)).length;
      // At least half the pairs, and the first: 传感器 needs 传感.
      if (n * 2 >= ps.length && d.lower[f].includes(ps[0])) s = Math.max(s, (WEIGHT[f] * n) / ps.length / 4);
    }
    return s;
  };

  const search = (q) => {
    const ts = terms(q);
    if (!ts.length) return [];
    const hits = [];
    for (const d of docs) {
      let score = 0;
      let all = true;
      for (const t of ts) {
        const s = termScore(d, t);
        if (!s) { all = false; break; }
        score += s;
      }
      if (all) hits.push([score, d]);
    }
    // Best score first; ties keep the site's order (a numeric sort: collating Chinese names
    // for ten thousand hits would cost more than the search).
    hits.sort((a, b) => b[0] - a[0] || a[1].n - b[1].n);
    return hits.map((h) => h[1]);
  };

  const show = (q) => {
    const ts = terms(q);
    // Highlight the whole terms, and the pairs of a long Chinese term found only in part.
    const marks = ts.flatMap((t) => (HAN.test(t) ? [t, ...pairs(t)] : [t]));
    const hits = search(q);
    list.replaceChildren();
    status.textContent = ts.length ? words.found.replace("{n}", hits.length) : "";
    for (const d of hits.slice(0, 100)) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = root + d.url;
      a.append(marked(d.name, marks));
      li.append(a);
      const meta = [words.kind[d.kind], d.batch, d.period, d.sector, d.owner, d.location].filter(Boolean).join(" · ");
      const p = document.createElement("p");
      p.className = "muted";
      p.textContent = meta;
      li.append(p);
      // Where it matched, when not in the name: the passage of the text around the term.
      if (d.text && !ts.every((t) => d.lower.name.includes(t)) && marks.some((t) => d.lower.text.includes(t))) {
        const s = document.createElement("p");
        s.className = "snippet";
        s.append(marked(snippet(d.text, marks), marks));
        li.append(s);
      }
      list.append(li);
    }
  };

  const unavailable = () => {
    status.textContent = words.unavailable;
    const more = document.getElementById("search-unavailable");
    if (more) more.hidden = false;
  };

  const run = async () => {
    try {
      await load();
    } catch {
      unavailable();
      return;
    }
    const q = input.value.trim();
    show(q);
    const url = new URL(location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
  };
  input.addEventListener("input", run);
  form.addEventListener("submit", (e) => { e.preventDefault(); run(); });
  const q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; run(); }
})();
