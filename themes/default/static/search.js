// sanpi search: takes the index from search/index.js (a script, so that it loads from disk
// too) or else fetches search/index.json, and matches every term of the query as a substring
// (case-insensitive, full-width forms folded) of a document's fields; names count most, then
// the batch, so 签约一批 lists the signed projects first. A Chinese term of three or more
// characters that is not found whole still finds documents holding most of its character
// pairs (传感器 finds 传感产品 and 传感及控制器): a partial match, labelled 部分匹配 and
// listed after every full match (one where each term of the query is a substring of one of
// the document's fields). No server. The results are shown 100 at a time (20 from a split
// index), with 更多结果 for the next ones; ?n= in the address keeps how many are shown.
//
// A large site's index is split (search/index.js then sets only a manifest): the script
// loads the shards holding the postings of the query's characters and character pairs,
// finds and ranks the documents holding them in each field, then loads the chunks of
// documents of the results it shows, where each is checked against its whole text. Every
// piece is a script that calls sanpiSearchPiece, so that it loads from disk too.
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
  let split = null;

  const load = async () => {
    if (docs || split) return;
    let idx = window.sanpiSearchIndex;
    if (!idx) {
      const r = await fetch(root + "search/index.json");
      if (!r.ok) throw new Error(r.statusText);
      idx = await r.json();
    }
    fields = idx.fields;
    if (idx.split) { split = idx.split; return; }
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

  // Whether a document holds the term whole in one of its fields.
  const fullIn = (d, t) => Object.keys(WEIGHT).some((f) => d.lower[f].includes(t));
  // A partial match: some term is found only by its character pairs.
  const partialIn = (d, ts) => !ts.every((t) => fullIn(d, t));

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
      if (all) hits.push([partialIn(d, ts) ? 1 : 0, score, d]);
    }
    // Full matches first, then the best score; ties keep the site's order (a numeric sort:
    // collating Chinese names for ten thousand hits would cost more than the search).
    hits.sort((a, b) => a[0] - b[0] || b[1] - a[1] || a[2].n - b[2].n);
    return hits.map((h) => h[2]);
  };

  // Highlight the whole terms, and the pairs of a long Chinese term found only in part.
  const marksOf = (ts) => ts.flatMap((t) => (HAN.test(t) ? [t, ...pairs(t)] : [t]));
  const STEP = 100;
  // What the page shows now: the query's results and how many of them are in the list.
  let view = { hits: [], shown: 0 };
  // The results of a query, the first WANT of them (at least 100), and 更多结果 for the
  // next 100 while any are left.
  const show = (q, want) => {
    const ts = terms(q);
    const hits = search(q);
    list.replaceChildren();
    const legendNow = document.getElementById("search-legend");
    if (legendNow) legendNow.hidden = true;
    view = { ts, marks: marksOf(ts), hits, shown: 0 };
    more.onclick = () => {
      reveal(showMore(STEP));
      remember();
    };
    showMore(Math.max(STEP, want));
    if (!ts.length) status.textContent = "";
  };
  // Appends the next COUNT results; returns the first of them.
  const showMore = (count) => {
    const { ts, marks, hits } = view;
    const items = hits.slice(view.shown, view.shown + count).map((d) => item(d, ts, marks));
    list.append(...items);
    view.shown += items.length;
    status.textContent = hits.length > STEP
      ? words.shown.replace("{n}", view.shown).replace("{total}", hits.length)
      : words.found.replace("{n}", hits.length);
    more.hidden = view.shown >= hits.length;
    // The button says how many are left: the count at the top is out of sight down here.
    more.textContent = words.more_left
      ? words.more_left.replace("{n}", hits.length - view.shown)
      : words.more;
    return items[0];
  };
  // Moves the focus to the first result just added (else, when none are left, to the last
  // one; else it stays on the button), so that a reader of the keyboard or a screen reader
  // goes on where the new results start.
  const reveal = (li) => {
    const target = li || (more.hidden ? list.lastElementChild : null);
    const a = target && target.querySelector("a");
    if (a) a.focus();
  };

  // A result: its name linked, what it is, and where it matched when not in its name.
  const item = (d, ts, marks) => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = root + d.url;
    a.append(marked(d.name, marks));
    li.append(a);
    if (partialIn(d, ts)) {
      const tag = document.createElement("span");
      tag.className = "match-partial";
      tag.textContent = words.partial;
      li.append(" ", tag);
      // What the tag means, said once under the list.
      const legend = document.getElementById("search-legend");
      if (legend) legend.hidden = false;
    }
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
    return li;
  };

  // ---- The split index ----
  // A piece (a shard s/N, a gram's own x/N-K, a chunk of documents d/N) is a script that
  // calls sanpiSearchPiece(name, data); each is loaded once.
  const pieces = new Map();
  const waiting = new Map();
  window.sanpiSearchPiece = (name, data) => {
    const w = waiting.get(name);
    if (w) { waiting.delete(name); w.resolve(data); }
  };
  const piece = (name) => {
    if (!pieces.has(name)) {
      pieces.set(name, new Promise((resolve, reject) => {
        const fail = () => { waiting.delete(name); pieces.delete(name); reject(new Error(name)); };
        waiting.set(name, { resolve });
        const s = document.createElement("script");
        s.src = root + "search/" + name + ".js";
        s.onerror = fail;
        // A script that ran without handing its data is no piece of this index.
        s.onload = () => { if (waiting.has(name)) fail(); };
        document.head.append(s);
      }));
    }
    return pieces.get(name);
  };
  // FNV-1a over the code points of a gram: the shard that holds it (src/output/search/format.rs).
  const shardOf = (g) => {
    let h = 2166136261;
    for (const c of g) h = Math.imul(h ^ c.codePointAt(0), 16777619) >>> 0;
    return h % split.shards;
  };
  const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  const DIGIT = new Map([...ALPHABET].map((c, i) => [c, i]));
  // A set of documents: gaps of five bits a character (the upper half saying more follow),
  // or ~ and a bitmap of six documents a character.
  const decode = (s) => {
    const out = [];
    if (s[0] === "~") {
      for (let k = 1; k < s.length; k++) {
        const v = DIGIT.get(s[k]);
        for (let i = 0; i < 6; i++) if (v & (1 << i)) out.push((k - 1) * 6 + i);
      }
      return out;
    }
    let acc = 0, mul = 1, prev = -1;
    for (const c of s) {
      const v = DIGIT.get(c);
      if (v >= 32) { acc += (v - 32) * mul; mul *= 32; } else { prev += acc + v * mul + 1; out.push(prev); acc = 0; mul = 1; }
    }
    return out;
  };
  // The grams a term is looked up by: its character, or its pairs, at most sixteen of them
  // (the first and the last among them); the documents are checked whole when shown.
  const gramsOf = (t) => {
    const c = Array.from(t);
    if (c.length === 1) return [t];
    const ps = c.slice(1).map((x, i) => c[i] + x);
    if (ps.length <= 16) return ps;
    return [...new Set(Array.from({ length: 16 }, (_, j) => Math.floor((j * (ps.length - 1)) / 15)))].map((i) => ps[i]);
  };
  const postings = new Map();
  // A gram's postings: for each field group (n name, s start of the name, b batch, p period,
  // o owner or sector, l location, t text) the documents holding it.
  const postingsOf = async (g) => {
    if (!postings.has(g)) {
      postings.set(g, (async () => {
        let p = (await piece("s/" + shardOf(g)))[g];
        if (Array.isArray(p)) p = (await piece(p[0]))[g];
        const out = {};
        for (const k in p || {}) out[k] = decode(p[k]);
        return out;
      })());
    }
    return postings.get(g);
  };
  // The grams a term is ranked by. A very common gram has a piece of its own, which its
  // shard names with its size: it is left out while the term has two others, which say more
  // for fewer bytes; else the smallest are taken. A long Chinese term keeps its first pair,
  // which the partial match needs.
  const rankedGrams = async (t) => {
    const gs = gramsOf(t);
    const entries = await Promise.all(gs.map(async (g) => (await piece("s/" + shardOf(g)))[g]));
    const used = new Set(gs.filter((g, i) => !Array.isArray(entries[i])));
    if (HAN.test(t)) used.add(gs[0]);
    const common = gs.map((g, i) => [g, entries[i]]).filter(([, e]) => Array.isArray(e)).sort((a, b) => a[1][1] - b[1][1]);
    for (const [g] of common) if (used.size < Math.min(2, gs.length)) used.add(g);
    return gs.filter((g) => used.has(g));
  };
  const GROUPS = { n: 100, b: 60, p: 40, o: 30, l: 20, t: 10 };
  // Each term's score per document as termScore computes it, from the fields holding all
  // of the term's grams (or, for a long Chinese term, most of its pairs and the first).
  const rank = async (ts) => {
    const n = split.docs;
    const total = new Float64Array(n);
    const matched = new Uint8Array(n);
    const full = new Uint8Array(n);
    for (const t of ts) {
      const gs = await rankedGrams(t);
      const ps = await Promise.all(gs.map(postingsOf));
      const startKnown = gs[0] === gramsOf(t)[0];
      const score = new Float64Array(n);
      const han = HAN.test(t);
      for (const f in GROUPS) {
        const count = new Uint8Array(n);
        for (const p of ps) for (const d of p[f] || []) count[d] += 1;
        const first = new Uint8Array(n);
        for (const d of ps[0][f] || []) first[d] = 1;
        for (let d = 0; d < n; d++) {
          const c = count[d];
          if (!c) continue;
          if (c === gs.length) score[d] = Math.max(score[d], GROUPS[f] + 1e6);
          else if (han && first[d] && c * 2 >= gs.length) score[d] = Math.max(score[d], (GROUPS[f] * c) / gs.length / 4);
        }
      }
      if (startKnown) for (const d of ps[0].s || []) if (score[d] >= 1e6 + 100) score[d] += 20;
      for (let d = 0; d < n; d++) {
        if (!score[d]) continue;
        matched[d] += 1;
        if (score[d] >= 1e6) full[d] += 1;
        total[d] += score[d] >= 1e6 ? score[d] - 1e6 : score[d];
      }
    }
    const hits = [];
    for (let d = 0; d < n; d++) if (matched[d] === ts.length) hits.push(d);
    // Those holding every term's grams in one field first, as the full matches they likely are.
    const partly = (d) => (full[d] === ts.length ? 0 : 1);
    hits.sort((a, b) => partly(a) - partly(b) || total[b] - total[a] || a - b);
    return hits;
  };
  const docOf = async (i) => {
    const c = Math.floor(i / split.per_chunk);
    const row = (await piece("d/" + c))[i - c * split.per_chunk];
    const o = { n: i };
    fields.forEach((f, k) => { o[f] = row[k]; });
    o.lower = {};
    for (const f of Object.keys(WEIGHT)) o.lower[f] = fold(o[f] || "");
    return o;
  };
  const PAGE = 20;
  let current = 0;
  // The results of a query, a page at a time: each shown as soon as its chunk and those of
  // the results before it are loaded, the first chunk loaded alone, first.
  const showSplit = async (q, want) => {
    const run = ++current;
    const ts = terms(q);
    const marks = marksOf(ts);
    list.replaceChildren();
    const legendNow = document.getElementById("search-legend");
    if (legendNow) legendNow.hidden = true;
    view = { hits: [], shown: 0 };
    more.hidden = true;
    if (!ts.length) { status.textContent = ""; return; }
    const hits = await rank(ts);
    if (run !== current) return;
    // Results proven to hold every term; the count is exact once every candidate is checked.
    let found = 0;
    let next = 0;
    // A page of results; when the grams' candidates prove not to hold the terms, the next
    // ones, three slices at most.
    const page = async () => {
      let shown = 0;
      let first = null;
      for (let round = 0; round < 3 && shown < PAGE && next < hits.length; round++) {
        const slice = hits.slice(next, next + PAGE - shown);
        next += slice.length;
        await docOf(slice[0]);
        const loaded = slice.map(docOf);
        for (const p of loaded) {
          const d = await p;
          if (run !== current) return;
          // The grams said it may hold every term; its whole fields say whether it does.
          if (ts.every((t) => termScore(d, t) > 0)) {
            const li = item(d, ts, marks);
            list.append(li);
            first = first || li;
            shown += 1;
            found += 1;
          }
        }
      }
      const done = next >= hits.length;
      status.textContent = (done ? words.found : words.found_so_far).replace("{n}", found);
      more.hidden = next >= hits.length;
      view.shown = found;
      return first;
    };
    // One page at a time: a second press while one loads does nothing.
    let loading = null;
    more.onclick = () => {
      if (loading) return;
      loading = page().then((li) => { reveal(li); remember(); }).catch(failed).finally(() => { loading = null; });
    };
    await page();
    // A link that kept more results than a page shows them again.
    while (found < want && next < hits.length && run === current) await page();
  };
  const more = document.createElement("button");
  more.type = "button";
  more.className = "search-more";
  more.hidden = true;
  more.textContent = words.more;
  list.after(more);
  const failed = (e) => {
    status.textContent = words.failed.replace("{piece}", "search/" + e.message + ".js");
    const link = document.getElementById("search-unavailable");
    if (link) link.hidden = false;
  };

  const unavailable = () => {
    status.textContent = words.unavailable;
    const more = document.getElementById("search-unavailable");
    if (more) more.hidden = false;
  };

  // Searches for what the box holds and shows WANT results, or a first page when fewer.
  const run = async (want) => {
    try {
      await load();
    } catch {
      unavailable();
      return;
    }
    const q = input.value.trim();
    if (split) {
      try {
        await showSplit(q, want);
      } catch (e) {
        failed(e);
      }
    } else show(q, want);
    remember();
  };
  // The address keeps the query (q) and, once 更多结果 has shown more than the first page,
  // how many results are shown (n), so that a link reopens the same view.
  const remember = () => {
    const q = input.value.trim();
    const url = new URL(location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    if (q && view.shown > (split ? PAGE : STEP)) url.searchParams.set("n", view.shown); else url.searchParams.delete("n");
    history.replaceState(null, "", url);
  };
  input.addEventListener("input", () => run(0));
  form.addEventListener("submit", (e) => { e.preventDefault(); run(0); });
  const params = new URLSearchParams(location.search);
  const q = params.get("q");
  // At most 10,000 results drawn at once from a link.
  const n = Math.min(10000, Math.max(0, parseInt(params.get("n"), 10) || 0));
  if (q) { input.value = q; run(n); }
})();
