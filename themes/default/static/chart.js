// sanpi: the chart pages. The copy button copies the embed code; the embed page tells the
// page that shows it in an iframe how tall it is, whenever that changes.
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector(".copy-status");
    if (!field) return;
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      // Without the clipboard API (an http page, an old browser): select it for Ctrl+C.
      field.focus();
      field.select();
      return;
    }
    if (status) status.textContent = button.dataset.copied || "";
  });
}
if (document.documentElement.classList.contains("embed") && window.parent !== window) {
  const report = () => {
    // The content's own height: scrollHeight never reports less than the frame's height, so
    // a frame first made too tall would never shrink.
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ sanpiChart: 1, height }, "*");
  };
  addEventListener("load", report);
  addEventListener("resize", report);
  if ("ResizeObserver" in window) new ResizeObserver(report).observe(document.body);
  report();
}
