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
