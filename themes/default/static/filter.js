// sanpi: filters the projects table by batch, period, sector, region and progress, without a
// server. A region chosen shows the projects of its subregions too (a row's region is its
// names from the top, joined by "/").
// Without JavaScript the page is the complete table, or, when the list has pages, this page
// of it in its default order (the complete list is a click away as CSV, JSON and xlsx).
// A list with pages (`data-rows` on the table) also sorts, and a filter or sort shows the
// matching rows of every page: it loads the compact table of all projects, a script (not a
// fetch), so that it works opened from disk too.
(() => {
  const table = document.querySelector("table.projects[data-filter]");
  if (!table) return;
  const body = table.tBodies[0];
  const rows = [...body.rows].filter((r) => r.dataset.batch);
  const words = JSON.parse(document.getElementById("filter-words").textContent);
  const paged = Boolean(table.dataset.rows && words.values);
  const keys = ["batch", "period", "sector", "region", "progress"];
  // A region and every region above it: 东川市/临河县 → 东川市, 东川市/临河县.
  const within = (v) => (v ? v.split("/").map((_, i, a) => a.slice(0, i + 1).join("/")) : []);
  const matches = (k, v, chosen) => (k === "region" ? v === chosen || (v || "").startsWith(chosen + "/") : v === chosen);
  const bar = document.createElement("form");
  bar.className = "filters";
  bar.setAttribute("role", "search");
  bar.setAttribute("aria-label", words.filter);
  const selects = {};
  const select = (name, text, options) => {
    const label = document.createElement("label");
    label.textContent = text + " ";
    const sel = document.createElement("select");
    sel.name = name;
    for (const [value, shown] of options) {
      const o = document.createElement("option");
      o.value = value;
      o.textContent = shown;
      sel.append(o);
    }
    label.append(sel);
    bar.append(label);
    return sel;
  };
  for (const k of keys) {
    // In the site's order (batches as the campaign runs, periods by number, regions as the
    // tree), as the page gives them; on one page, those its rows hold.
    let values = words.values && words.values[k];
    if (values && !paged) {
      const here = new Set(rows.flatMap((r) => (k === "region" ? within(r.dataset[k]) : [r.dataset[k]])));
      values = values.filter((v) => here.has(v));
    }
    if (!values || values.length < 2) continue;
    selects[k] = select(k, words[k], [["", words.all], ...values.map((v) => [v, v])]);
  }
  const sort = paged
    ? select("sort", words.sort, [
      ["", words.sort_default],
      ["investment-desc", words.sort_investment_desc],
      ["investment-asc", words.sort_investment_asc],
      ["name", words.sort_name],
    ])
    : null;
  const count = document.createElement("output");
  bar.append(count);
  // The chosen filters and sort live in the URL's query, so that a link reopens the view.
  const restore = () => {
    const q = new URLSearchParams(location.search);
    let any = false;
    for (const [k, s] of Object.entries(sort ? { ...selects, sort } : selects)) {
      const v = q.get(k);
      if (v && [...s.options].some((o) => o.value === v)) {
        s.value = v;
        any = true;
      }
    }
    return any;
  };
  const remember = () => {
    const q = new URLSearchParams(location.search);
    for (const [k, s] of Object.entries(sort ? { ...selects, sort } : selects)) {
      if (s.value) q.set(k, s.value);
      else q.delete(k);
    }
    const qs = q.toString();
    try {
      history.replaceState(history.state, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
    } catch {
      // A page opened from disk may refuse: the view works, its link does not keep it.
    }
  };
  const shown = (n, total) => words.shown.replace("{n}", n).replace("{total}", total);

  // A list on one page: rows are shown or hidden in place.
  const applyHere = () => {
    let n = 0;
    for (const r of rows) {
      const show = Object.entries(selects).every(([k, s]) => !s.value || matches(k, r.dataset[k], s.value));
      r.hidden = !show;
      if (show) n += 1;
    }
    count.textContent = shown(n, rows.length);
  };
  if (!paged) {
    bar.addEventListener("change", () => {
      remember();
      applyHere();
    });
    table.parentElement.before(bar);
    restore();
    applyHere();
    return;
  }

  // A list with pages: the rows of all pages, from data/projects-rows.js.
  const root = table.dataset.root || "";
  const fromDisk = location.protocol === "file:";
  const href = (path) => root + path + (fromDisk && path.endsWith("/") ? "index.html" : "");
  const heads = [...table.tHead.rows[0].cells].map((c) => c.textContent);
  const pageParts = [...document.querySelectorAll("nav.pager, #page-items")];
  let data = null;
  let loading = null;
  const load = () => {
    if (window.sanpiProjectRows) return Promise.resolve(window.sanpiProjectRows);
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = table.dataset.rows;
        s.onload = () => (window.sanpiProjectRows ? resolve(window.sanpiProjectRows) : reject(new Error("no rows")));
        s.onerror = () => reject(new Error("rows did not load"));
        document.head.append(s);
      });
    }
    return loading;
  };
  const cell = (tag, label, path, text, muted) => {
    const c = document.createElement(tag);
    if (label) c.dataset.label = label;
    if (path) {
      const a = document.createElement("a");
      a.href = href(path);
      a.textContent = text;
      c.append(a);
    } else if (muted) {
      const s = document.createElement("span");
      s.className = "muted";
      s.textContent = text;
      c.append(s);
    } else c.textContent = text;
    return c;
  };
  // One row as the page's table writes it (columns in the header's order).
  const render = (r) => {
    const [id, name, b, pe, investment, s, g, reg] = r;
    const tr = document.createElement("tr");
    tr.id = "p-" + id;
    const th = cell("th", null, data.project.replace("{id}", id), name);
    th.scope = "row";
    const [batchLabel, batchPath] = data.batches[b];
    const [periodLabel, periodPath] = data.periods[pe];
    const sector = s >= 0 ? data.sectors[s] : null;
    tr.append(th);
    tr.append(cell("td", heads[1], batchPath, batchLabel));
    tr.append(cell("td", heads[2], periodPath, periodLabel, true));
    const money = cell("td", heads[3], null, investment === null ? "—" : investment, investment === null);
    money.className = "num";
    tr.append(money);
    tr.append(cell("td", heads[4], sector ? sector[1] : null, sector ? sector[0] : "—", true));
    let next = 5;
    if (data.regions) {
      const region = reg >= 0 ? data.regions[reg] : null;
      tr.append(cell("td", heads[next], region ? region[1] : null, region ? region[0] : words.region_unplaced, true));
      next += 1;
    }
    tr.append(cell("td", heads[next], null, g >= 0 ? data.progress[g] : "—", g < 0));
    return tr;
  };
  const amount = (r) => (r[4] === null ? null : parseFloat(r[4]));
  const collator = new Intl.Collator("zh");
  const order = {
    "investment-desc": (a, b) => (amount(a) === null) - (amount(b) === null) || amount(b) - amount(a),
    "investment-asc": (a, b) => (amount(a) === null) - (amount(b) === null) || amount(a) - amount(b),
    name: (a, b) => collator.compare(a[1], b[1]),
  };
  const valueOf = {
    batch: (r) => data.batches[r[2]][0],
    period: (r) => data.periods[r[3]][0],
    sector: (r) => (r[5] >= 0 ? data.sectors[r[5]][0] : ""),
    progress: (r) => (r[6] >= 0 ? data.progress[r[6]] : ""),
    region: (r) => (data.regions && r[7] >= 0 ? data.regions[r[7]][0] : ""),
  };
  const original = [...body.childNodes];
  // Drawing thousands of rows takes seconds on a phone: the first LIMIT, then all on request.
  const LIMIT = 500;
  const more = document.createElement("button");
  more.type = "button";
  more.hidden = true;
  table.parentElement.after(more);
  let pending = [];
  more.addEventListener("click", () => {
    body.append(...pending.map(render));
    pending = [];
    more.hidden = true;
  });
  // Each apply draws only if no later one began while it waited for the rows: else a slow
  // load would draw an old choice over the new one (say, all rows after 默认排序).
  let generation = 0;
  const apply = async () => {
    const mine = ++generation;
    const chosen = Object.entries(selects).filter(([, s]) => s.value);
    if (!chosen.length && !sort.value) {
      body.replaceChildren(...original);
      more.hidden = true;
      for (const r of rows) r.hidden = false;
      for (const p of pageParts) p.hidden = false;
      count.textContent = "";
      return;
    }
    if (!data) {
      count.textContent = words.rows_loading;
      try {
        data = await load();
      } catch {
        if (mine !== generation) return;
        // Without the rows of the other pages, filter and sort this page's.
        body.replaceChildren(...original);
        applyHere();
        const key = { "investment-desc": -1, "investment-asc": 1 }[sort.value];
        const num = (r) => parseFloat(r.cells[3].textContent);
        const sorted = [...rows];
        if (key) sorted.sort((a, b) => isNaN(num(a)) - isNaN(num(b)) || key * (num(a) - num(b)));
        else if (sort.value === "name") sorted.sort((a, b) => collator.compare(a.cells[0].textContent, b.cells[0].textContent));
        body.replaceChildren(...sorted);
        count.textContent = words.rows_unavailable + " " + count.textContent;
        return;
      }
      if (mine !== generation) return;
    }
    let matching = data.rows.filter((r) => chosen.every(([k, s]) => matches(k, valueOf[k](r), s.value)));
    if (order[sort.value]) matching = [...matching].sort(order[sort.value]);
    body.replaceChildren(...matching.slice(0, LIMIT).map(render));
    pending = matching.slice(LIMIT);
    more.hidden = !pending.length;
    more.textContent = words.show_all.replace("{n}", matching.length);
    for (const p of pageParts) p.hidden = true;
    count.textContent = shown(matching.length, data.rows.length);
  };
  bar.addEventListener("change", () => {
    remember();
    apply();
  });
  table.parentElement.before(bar);
  if (restore()) apply();
})();
