// sanpi search: loads search/index.json once and matches every term of the query as a
// substring (case-insensitive) of a document's fields; names count most. No server.
(() => {
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-q");
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  if (!form || !input || !list) return;
  const root = form.dataset.root || "./";
  const words = JSON.parse(document.getElementById("search-words").textContent);
  const WEIGHT = { name: 100, owner: 30, sector: 30, location: 20, batch: 5, period: 5, text: 10 };
  let docs = null;
  let fields = [];

  const load = async () => {
    if (docs) return;
    const r = await fetch(root + "search/index.json");
    const idx = await r.json();
    fields = idx.fields;
    docs = idx.docs.map((d, n) => {
      const o = { n };
      fields.forEach((f, i) => { o[f] = d[i]; });
      o.lower = {};
      for (const f of Object.keys(WEIGHT)) o.lower[f] = (o[f] || "").toLowerCase();
      return o;
    });
  };

  // Text with each occurrence of the terms wrapped in <mark>, built as DOM nodes.
  const marked = (text, terms) => {
    const frag = document.createDocumentFragment();
    const lower = text.toLowerCase();
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
    const lower = text.toLowerCase();
    const k = Math.min(...terms.map((t) => { const i = lower.indexOf(t); return i === -1 ? Infinity : i; }));
    if (!isFinite(k)) return text.slice(0, 60);
    const start = Math.max(0, k - 20);
    return (start > 0 ? "…" : "") + text.slice(start, start + 80) + (start + 80 < text.length ? "…" : "");
  };

  const search = (q) => {
    const terms = q.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length) return [];
    const hits = [];
    for (const d of docs) {
      let score = 0;
      let all = true;
      for (const t of terms) {
        let s = 0;
        for (const f in WEIGHT) if (d.lower[f].includes(t)) s = Math.max(s, WEIGHT[f]);
        if (!s) { all = false; break; }
        if (d.lower.name.startsWith(t)) s += 20;
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
    const terms = q.toLowerCase().split(/\s+/).filter(Boolean);
    const hits = search(q);
    list.replaceChildren();
    status.textContent = terms.length ? words.found.replace("{n}", hits.length) : "";
    for (const d of hits.slice(0, 100)) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = root + d.url;
      a.append(marked(d.name, terms));
      li.append(a);
      const meta = [words.kind[d.kind], d.batch, d.period, d.sector, d.owner, d.location].filter(Boolean).join(" · ");
      const p = document.createElement("p");
      p.className = "muted";
      p.textContent = meta;
      li.append(p);
      if (d.text && !d.lower.name.includes(terms[0])) {
        const s = document.createElement("p");
        s.append(marked(snippet(d.text, terms), terms));
        li.append(s);
      }
      list.append(li);
    }
  };

  const run = async () => {
    await load();
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
