// The split search index of a large site (issue 19): for each query, the bytes Chromium
// transfers before the first result appears, over the network and from disk (file://).
// Counted with Network.loadingFinished's encodedDataLength (a CDP session), for the
// requests complete when the first result is added to the page; the gzipped size of the
// same files is reported beside them. Asserts that each query shows its expected result
// first or among the results, and that the bytes before it stay under 300 KB.
// Usage: python3 bench/gen.py 10000 --out DIR; sanpi build DIR/sanpi-10000 -o OUT;
//        serve OUT on 127.0.0.1:PORT (python3 -m http.server: no compression);
//        node searchsplit.mjs http://127.0.0.1:PORT OUT
import { check, finish, launch } from './lib.mjs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const [base, outArg] = process.argv.slice(2);
const out = resolve(outArg);
const LIMIT = 300 * 1024;
const browser = await launch();
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// Opens the search page at SITE with the query in a new context (an empty cache); returns
// the results shown first, and the files complete when the first result appeared with the
// bytes CDP says each took.
const measure = async (site, q) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map();
  const bytes = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => bytes.set(urls.get(e.requestId), e.encodedDataLength));
  // The files loaded when the first result is added, noted by the page: the resources the
  // browser timed (over http) and the scripts and style sheets that fired load (file:// has
  // no resource timing).
  await page.addInitScript(() => {
    const loaded = new Set();
    document.addEventListener('load', (e) => { if (e.target.src || e.target.href) loaded.add(e.target.src || e.target.href); }, true);
    // A piece's script runs, and the result it brings is shown, before its load event.
    let register = null;
    Object.defineProperty(window, 'sanpiSearchPiece', {
      set: (f) => { register = f; },
      get: () => (name, data) => {
        loaded.add(new URL(`${name}.js`, document.querySelector('script[src$="index.js"]').src).href);
        register(name, data);
      },
    });
    new MutationObserver((_, o) => {
      const list = document.getElementById('search-results');
      if (list && list.querySelector('li')) {
        for (const r of performance.getEntriesByType('resource')) loaded.add(r.name);
        window.firstResultResources = [...loaded];
        o.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const url = `${site}/search/${site.startsWith('file:') ? 'index.html' : ''}?q=${encodeURIComponent(q)}`;
  await page.goto(url);
  await page.waitForFunction(() => window.firstResultResources && document.getElementById('search-status').textContent !== '', null, { timeout: 60000 });
  await new Promise((r) => setTimeout(r, 200)); // the last CDP events of what was loaded
  const before = await page.evaluate(() => window.firstResultResources);
  const shown = await page.$$eval('#search-results li > a', (as) => as.map((a) => a.textContent));
  const status = await page.textContent('#search-status');
  // The page itself, and every resource complete before the first result; CDP's bytes of
  // each (a file:// load may have none: its size then), and the size of the file gzipped.
  const files = [...new Set([url, ...before].map((f) => f.split('?')[0]))];
  const sentOf = new Map([...bytes].filter(([k]) => k).map(([k, n]) => [k.split('?')[0], n]));
  let sent = 0, zipped = 0, index = 0;
  for (const f of files) {
    let rel = decodeURIComponent(f.slice(site.length + 1));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    let raw;
    try { raw = readFileSync(resolve(out, rel)); } catch { raw = Buffer.alloc(0); }
    sent += sentOf.get(f) || raw.length;
    zipped += gzipSync(raw).length;
    if (rel.startsWith('search/') && rel.endsWith('.js')) index += raw.length;
  }
  await ctx.close();
  return { shown, status, sent, zipped, index, files: files.length };
};

try {
  const queries = [
    // [kind, query, a result expected, whether it comes first]
    ['a name', '沈丘曙光年产30GWh分布式光伏生产线项目', '沈丘曙光年产30GWh分布式光伏生产线项目', true],
    ['a Chinese 3-character term', '传感器', '传感器', false],
    ['a Latin term', 'gwh', 'GWh', false],
    // 内黄将坚持 is in one bulletin only, in its text.
    ['a rare word of a bulletin', '内黄将坚持', '内黄', true],
  ];
  for (const [where, site] of [['http', base], ['file://', `file://${out}`]]) {
    for (const [kind, q, want, first] of queries) {
      const m = await measure(site, q);
      const hit = first ? m.shown[0].includes(want) : m.shown.some((s) => s.includes(want));
      check(`${where} ${kind} "${q}" finds ${want}${first ? ' first' : ''}`, hit, `${m.status}; first ${m.shown[0]}`);
      const line = `${kb(m.sent)} transferred before the first result (${m.files} files, ${kb(m.index)} of them the index; ${kb(m.zipped)} gzipped)`;
      if (where === 'http') check(`${where} ${kind} "${q}" under 300 KB`, m.sent <= LIMIT, line);
      else console.log(`info ${where} ${kind} "${q}": ${line}`);
    }
  }
  // The filter of a paginated /projects/ on a list of thousands: the first 500 matching rows
  // are drawn, and a button draws the rest.
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/projects/page/2/`);
  await page.selectOption('select[name=batch]', '签约一批');
  await page.waitForFunction(() => document.querySelectorAll('table.projects tbody tr').length === 500);
  const more = page.locator('table.projects').locator('xpath=../following-sibling::button[1]');
  const label = (await more.textContent()) || '';
  const total = Number((label.match(/\d+/) || ['0'])[0]);
  check('filter: 500 rows drawn at first, a button offers the rest', (await more.isVisible()) && total > 500, label);
  await more.click();
  const drawn = await page.$$eval('table.projects tbody tr', (r) => r.length);
  check('filter: the button draws every matching row and hides', drawn === total && !(await more.isVisible()), `${drawn} of ${total}`);
  check('filter: no script error', errors.length === 0, errors.join('; '));
  await page.close();
} finally {
  await browser.close();
}
finish('searchsplit');
