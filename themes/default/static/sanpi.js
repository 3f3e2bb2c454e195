// sanpi: what every page of the default theme does in the browser.
// Printed pages show every chart's data table.
addEventListener("beforeprint", () => { for (const d of document.querySelectorAll("details")) d.open = true; });
// Opened from disk, folders do not open their index.html: point links at it.
if (location.protocol === "file:") {
  for (const a of document.querySelectorAll("a[href]")) {
    const h = a.getAttribute("href");
    if (!/^[a-z][a-z0-9+.-]*:/i.test(h) && !h.startsWith("#")) {
      const [path, frag] = h.split("#");
      if (path.endsWith("/")) a.setAttribute("href", path + "index.html" + (frag !== undefined ? "#" + frag : ""));
    }
  }
  // The header's search box too: search/ would open a listing of the folder.
  for (const f of document.querySelectorAll("form.search-box[action]")) {
    const act = f.getAttribute("action");
    if (act.endsWith("/")) f.setAttribute("action", act + "index.html");
  }
}
// Tables marked data-sortable sort by a column when its header is pressed (each cell's
// data-value is what it sorts by; empty values last); pressed again, the other way.
for (const table of document.querySelectorAll("table[data-sortable]")) {
  const body = table.tBodies[0];
  const heads = [...table.tHead.rows[0].cells];
  heads.forEach((th, col) => {
    const b = document.createElement("button");
    b.type = "button";
    b.append(...th.childNodes);
    th.append(b);
    b.addEventListener("click", () => {
      const down = th.getAttribute("aria-sort") !== "descending";
      for (const h of heads) h.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", down ? "descending" : "ascending");
      const value = (r) => r.cells[col]?.dataset.value ?? "";
      const rows = [...body.rows].sort((x, y) => {
        const a = value(x), c = value(y);
        if (a === "" || c === "") return (a === "") - (c === "");
        const d = parseFloat(a) - parseFloat(c);
        return col === 0 ? d : (down ? -d : d);
      });
      body.append(...rows);
    });
  });
}
// A table wider than its box scrolls sideways inside it (the page never does). Such a box
// becomes a labelled region that the keyboard reaches and scrolls; its name is the table's
// caption, else the heading or summary before it. Checked again when the width changes and
// when a closed table (in <details>) opens.
const nameOf = (box) => {
  const caption = box.querySelector("caption");
  if (caption) return caption.textContent.trim();
  for (let e = box; e && e !== document.body; e = e.parentElement) {
    for (let s = e.previousElementSibling; s; s = s.previousElementSibling) {
      if (/^(H[1-6]|SUMMARY)$/.test(s.tagName)) return s.textContent.trim();
    }
  }
  return document.title;
};
const markScrolling = () => {
  for (const box of document.querySelectorAll(".table-wrap")) {
    const wide = box.scrollWidth > box.clientWidth + 1;
    if (wide && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", nameOf(box));
      box.dataset.scrolls = "";
    } else if (!wide && "scrolls" in box.dataset) {
      for (const a of ["tabindex", "role", "aria-label", "data-scrolls"]) box.removeAttribute(a);
    }
  }
};
markScrolling();
addEventListener("resize", markScrolling);
for (const d of document.querySelectorAll("details")) d.addEventListener("toggle", markScrolling);
// The reading mode (适老化): large type and strong contrast, remembered in this browser. The
// page's head applies it before the first paint; the header's button switches it.
const readingMode = document.querySelector("button.reading-mode");
if (readingMode) {
  const html = document.documentElement;
  // Where a policy refuses the head's inline script, this applies the mode (after a flash).
  if (!html.classList.contains("js")) {
    html.classList.add("js");
    try {
      if (localStorage.getItem("sanpi-large-type")) html.classList.add("large-type");
    } catch {
      // Storage is off: the mode starts off.
    }
  }
  const show = () => readingMode.setAttribute("aria-pressed", String(html.classList.contains("large-type")));
  show();
  readingMode.addEventListener("click", () => {
    const on = html.classList.toggle("large-type");
    try {
      if (on) localStorage.setItem("sanpi-large-type", "1");
      else localStorage.removeItem("sanpi-large-type");
    } catch {
      // Storage is off: the mode holds for this page only.
    }
    show();
    markScrolling();
  });
}
