// Measures search on a large generated site (issue 15, item 11): the time from opening the
// search page with a query to its results, and the time of later searches. Reports, never
// asserts (a loaded machine would fail a threshold by luck).
// Usage: python3 bench/gen.py 10000 --out DIR; sanpi build DIR/sanpi-10000 -o OUT;
//        serve OUT on 127.0.0.1:PORT; node searchbench.mjs http://127.0.0.1:PORT
import { launch } from './lib.mjs';

const [base] = process.argv.slice(2);
const browser = await launch();
try {
  for (let run = 1; run <= 3; run += 1) {
    const page = await browser.newPage();
    const t0 = Date.now();
    await page.goto(`${base}/search/?q=${encodeURIComponent('郑州')}`);
    await page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
    const first = Date.now() - t0;
    const status = await page.textContent('#search-status');
    const later = await page.evaluate(async () => {
      const input = document.getElementById('search-q');
      const st = document.getElementById('search-status');
      const qs = ['传', '传感', '传感器', '签约一批', 'mems', '新材料 郑州', '不存在的词'];
      const out = [];
      for (const q of qs) {
        const shown = new Promise((r) => new MutationObserver((_, o) => { o.disconnect(); r(); })
          .observe(st, { childList: true, characterData: true, subtree: true }));
        const t = performance.now();
        input.value = q;
        input.dispatchEvent(new Event('input'));
        await shown;
        out.push(`${q} ${(performance.now() - t).toFixed(1)} ms`);
      }
      return out;
    });
    console.log(`run ${run}: page opened to first results (${status}) in ${first} ms; then ${later.join(', ')}`);
    await page.close();
  }
} finally {
  await browser.close();
}
