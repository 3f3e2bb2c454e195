// sanpi: filters the projects table by batch, period, sector and progress, without a server.
// Without JavaScript the page is the complete table.
(() => {
  const table = document.querySelector("table.projects[data-filter]");
  if (!table) return;
  const rows = [...table.tBodies[0].rows].filter((r) => r.dataset.batch);
  const words = JSON.parse(document.getElementById("filter-words").textContent);
  const keys = ["batch", "period", "sector", "progress"];
  const bar = document.createElement("form");
  bar.className = "filters";
  bar.setAttribute("role", "search");
  bar.setAttribute("aria-label", words.filter);
  const selects = {};
  for (const k of keys) {
    const values = [...new Set(rows.map((r) => r.dataset[k]).filter(Boolean))];
    if (values.length < 2) continue;
    values.sort((a, b) => (k === "period" ? Number(a.replace(/\D/g, "")) - Number(b.replace(/\D/g, "")) : a.localeCompare(b, "zh")));
    const label = document.createElement("label");
    label.textContent = words[k] + " ";
    const sel = document.createElement("select");
    sel.name = k;
    const all = document.createElement("option");
    all.value = "";
    all.textContent = words.all;
    sel.append(all);
    for (const v of values) { const o = document.createElement("option"); o.value = v; o.textContent = v; sel.append(o); }
    label.append(sel);
    bar.append(label);
    selects[k] = sel;
  }
  const count = document.createElement("output");
  bar.append(count);
  const apply = () => {
    let n = 0;
    for (const r of rows) {
      const show = Object.entries(selects).every(([k, s]) => !s.value || r.dataset[k] === s.value);
      r.hidden = !show;
      if (show) n += 1;
    }
    count.textContent = words.shown.replace("{n}", n).replace("{total}", rows.length);
  };
  bar.addEventListener("change", apply);
  table.parentElement.before(bar);
  apply();
})();
