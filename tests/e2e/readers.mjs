// What readers meet (issue 15), in Chromium on the sample site: project tables on a phone,
// quiet anchors, the batch headline, the home figures, Chinese punctuation, print, the feed
// wording, search from disk and the search page's landmarks.
// Usage: node readers.mjs BASE-URL OUTPUT-DIR. Prints `ok`/`FAIL` lines; exits 1 on a failure.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { check, finish, launch } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const [base, out] = process.argv.slice(2);
const dir = resolve(out);
const browser = await launch();
// WCAG contrast of two `rgb(...)` colours.
const contrast = (a, b) => {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m);
  return (x + 0.05) / (y + 0.05);
};
try {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const wide = await browser.newPage({ viewport: { width: 1280, height: 900 } });

  // 1. At 390 px, each project row shows name, batch, period and investment on screen,
  // without sideways scrolling, and the table is still a table with rows for screen readers.
  for (const path of ['/projects/', '/periods/7/', '/bulletins/2023-01-28-period-7/']) {
    await phone.goto(base + path);
    const r = await phone.evaluate(() => {
      const rows = [...document.querySelectorAll('table.projects tbody tr')];
      const off = rows.flatMap((tr) => [...tr.children].filter((c) => {
        const b = c.getBoundingClientRect();
        return b.width > 0 && (b.left < 0 || b.right > innerWidth + 0.5);
      }).map((c) => c.textContent));
      return { rows: rows.length, off, scroll: document.documentElement.scrollWidth };
    });
    check(`1. ${path} at 390 px: every cell of ${r.rows} rows on screen`, r.rows > 0 && r.off.length === 0, r.off.slice(0, 3).join(' | '));
    check(`1. ${path} at 390 px: no sideways scrolling`, r.scroll <= 390, `scrollWidth ${r.scroll}`);
  }
  await phone.goto(`${base}/projects/`);
  const cells = await phone.$$eval('table.projects tbody tr:first-child td', (tds) => tds.map((td) => getComputedStyle(td, '::before').content));
  check('1. stacked cells carry their column name', cells.some((c) => c.includes('总投资')), cells.join(' '));
  // The browser's own accessibility tree, as a screen reader gets it.
  const ax = await phone.context().newCDPSession(phone);
  const { nodes } = await ax.send('Accessibility.getFullAXTree');
  const roles = (r) => nodes.filter((n) => n.role && n.role.value === r).length;
  check('1. the stacked table is still a table of rows to screen readers', roles('table') >= 1 && roles('row') === 38, `${roles('table')} table, ${roles('row')} rows`);
  check('1. and keeps its column headers', roles('columnheader') === 6, `${roles('columnheader')}`);

  // 2. No batch column on a batch's own page; anchors hidden from screen readers and the tab
  // order, legible (contrast at least 4.5:1).
  await wide.goto(`${base}/batches/started/`);
  const cols = await wide.$$eval('table.projects thead th', (th) => th.map((h) => h.textContent));
  check('2. a batch page has no batch column', !cols.includes('批次') && cols.length === 5, cols.join(','));
  const anchors = await wide.$$eval('a.anchor', (as) => as.map((a) => ({
    hidden: a.getAttribute('aria-hidden'), tab: a.tabIndex, label: a.getAttribute('aria-label'),
    color: getComputedStyle(a).color, opacity: getComputedStyle(a).opacity,
  })));
  check('2. anchors are hidden from screen readers and skipped by Tab', anchors.length > 0 && anchors.every((a) => a.hidden === 'true' && a.tab === -1 && !a.label), `${anchors.length} anchors`);
  const c = anchors.length ? contrast(anchors[0].color, 'rgb(255,255,255)') : 0;
  check('2. anchors have contrast of at least 4.5:1', c >= 4.5 && anchors[0].opacity === '1', c.toFixed(2));
  const announced = await wide.getByRole('link', { name: '#' }).count();
  check('2. no link named "#" is announced', announced === 0, `${announced}`);

  // 3. The batch page opens with its headline figure, large.
  const head = await wide.evaluate(() => {
    const h1 = document.querySelector('main h1');
    const next = h1.nextElementSibling;
    const fig = next && next.querySelector('.headline-figure');
    return fig && { text: fig.textContent, size: parseFloat(getComputedStyle(fig).fontSize), body: parseFloat(getComputedStyle(document.body).fontSize) };
  });
  check('3. the headline figure comes right after the heading, large', head && /亿元/.test(head.text) && head.size >= 1.8 * head.body, head ? `${head.text} at ${head.size}px` : 'none');

  // 4, 5, 15. The home figures: no per-row note of missing amounts, said once under the
  // table; the number columns close together at 1280 px; the project count among the cards.
  await wide.goto(`${base}/`);
  const fig = await wide.evaluate(() => {
    const t = document.querySelector('table.figures');
    const row = t.querySelector('tbody tr');
    const [a, b] = [...row.querySelectorAll('td.num')].map((td) => td.getBoundingClientRect().right);
    const note = t.closest('.table-wrap').nextElementSibling;
    return { inTable: (t.textContent.match(/未公布|未载明/g) || []).length, gap: b - a, note: note && note.textContent };
  });
  check('4. the figures table does not repeat the missing amounts per row', fig.inTable === 0, `${fig.inTable}`);
  check('4. 15. it says so once under the table', /未载明/.test(fig.note || ''), fig.note);
  check('4. its number columns sit close at 1280 px', fig.gap < 300, `${Math.round(fig.gap)} px apart`);
  const cards = await wide.$$eval('.cards:not(.indicators) .card', (cs) => cs.map((x) => x.textContent.replace(/\s+/g, ' ')));
  check('5. the project count is a headline card', cards.some((x) => /收录项目数 37 个/.test(x)), cards.join(' / '));

  // 6. Quotation marks in Chinese headings come from a CJK font.
  await wide.goto(`${base}/periods/1/`);
  const cdp = await wide.context().newCDPSession(wide);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  await wide.evaluate(() => { const s = document.createElement('span'); s.id = 'quote-probe'; s.textContent = '“”'; document.querySelector('h1').append(s); });
  await wide.evaluate(() => document.fonts.ready.then(() => document.getElementById('quote-probe').getBoundingClientRect().width));
  const face = await wide.evaluate(() => ({
    first: getComputedStyle(document.querySelector('h1')).fontFamily.split(',')[0],
    local: document.fonts.check('700 16px "sanpi CJK punctuation"', '“'),
  }));
  check('6. headings take “ and ” from the CJK punctuation face, which a local font backs', face.first.includes('sanpi CJK punctuation') && face.local, JSON.stringify(face));
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '#quote-probe' });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  // For comparison, the same marks in the Latin part of the stack alone (reported, not checked:
  // it depends on the machine's Latin fonts).
  await wide.evaluate(() => { document.getElementById('quote-probe').style.fontFamily = 'Roboto, "Helvetica Neue", Arial, sans-serif'; });
  const latin = (await cdp.send('CSS.getPlatformFontsForNode', { nodeId })).fonts.map((f) => f.familyName).join(', ');
  console.log(`info without the CJK punctuation face the marks would be drawn by: ${latin}`);
  check('6. “ and ” in a heading are drawn by a CJK font', fonts.length > 0 && fonts.every((f) => /CJK|PingFang|YaHei|Han Sans|WenQuanYi/i.test(f.familyName)), fonts.map((f) => f.familyName).join(', '));

  // 14. Print: no navigation or search, headings kept with what follows, the source and
  // the permanent address in the footer.
  await wide.goto(`${base}/periods/7/`);
  await wide.emulateMedia({ media: 'print' });
  const printed = await wide.evaluate(() => ({
    header: getComputedStyle(document.querySelector('.site-header')).display,
    h2: getComputedStyle(document.querySelector('main h2')).breakAfter,
    url: [...document.querySelectorAll('.site-footer .print-only')].filter((p) => getComputedStyle(p).display !== 'none').map((p) => p.textContent).join(''),
    canonical: document.querySelector('link[rel=canonical]')?.href,
    publisher: document.querySelector('.site-footer p')?.textContent,
  }));
  check('14. print hides the header, its navigation and search', printed.header === 'none', printed.header);
  check('14. print keeps headings with what follows', printed.h2 === 'avoid', printed.h2);
  check('14. the printed footer gives the permanent address', printed.canonical && printed.url.includes(printed.canonical), printed.url);

  // 14b. Printing a bulletin (issue 29): each chart at most 80 mm tall and 100 mm wide and
  // not bound to its data table, which follows under its own label; so a chart moved to the
  // next page leaves under a third of it blank. A4 less its margins is 182 mm (688 px).
  const size = wide.viewportSize();
  await wide.setViewportSize({ width: 688, height: 1000 });
  await wide.goto(`${base}/bulletins/2023-01-28-period-7/`);
  await wide.emulateMedia({ media: 'print' });
  const charts = await wide.evaluate(() => [...document.querySelectorAll('main figure.chart')].map((f) => {
    const r = f.querySelector('svg').getBoundingClientRect();
    const label = f.querySelector('details summary');
    return {
      mmH: r.height / 96 * 25.4, mmW: r.width / 96 * 25.4,
      bound: getComputedStyle(f).breakInside, whole: getComputedStyle(f.querySelector('svg')).breakInside,
      label: label ? getComputedStyle(label).display !== 'none' && label.textContent.trim() : '',
    };
  }));
  check('14b. a printed bulletin has charts', charts.length >= 2, String(charts.length));
  check('14b. each printed chart is at most 80 mm tall and 100 mm wide, whole',
    charts.every((c) => c.mmH <= 80.5 && c.mmW <= 100.5 && c.whole === 'avoid'),
    `${charts.map((c) => `${c.mmW.toFixed(0)}×${c.mmH.toFixed(0)} mm`).join(', ')}${await wide.evaluate(() => matchMedia('print').matches) ? '' : ' (not as printed)'}`);
  check('14b. a printed chart is not bound to its table, which is labelled',
    charts.every((c) => c.bound === 'auto' && c.label), charts.map((c) => `${c.bound} ${c.label}`).join('; '));
  await wide.setViewportSize(size);
  await wide.emulateMedia({ media: 'screen' });

  // 15. The projects table: a missing amount is said once, in a note under the table (in the
  // words issue 14 chose for a report: 未载明, not 未公布).
  await wide.goto(`${base}/projects/`);
  const t15 = await wide.evaluate(() => ({
    cells: [...document.querySelectorAll('table.projects td[data-label="总投资"]')].filter((td) => /未载明|未公布/.test(td.textContent)).length,
    note: document.querySelector('.table-note')?.textContent,
  }));
  check('15. no investment cell of the projects table says 未载明 or 未公布', t15.cells === 0, `${t15.cells}`);
  check('15. a note under the table says what — means', /未载明/.test(t15.note || ''), t15.note);

  // 10. The search page: one search box, every landmark uniquely labelled (axe).
  await wide.goto(`${base}/search/`);
  const boxes = await wide.$$eval('input[type=search]', (i) => i.length);
  check('10. the search page has one search box', boxes === 1, `${boxes}`);
  await wide.addScriptTag({ content: AXE_SOURCE });
  const lm = await wide.evaluate(() => window.axe.run(document, { runOnly: ['landmark-unique', 'region', 'landmark-no-duplicate-main'] }));
  check('10. its landmarks are unique (axe)', lm.violations.length === 0, lm.violations.map((v) => v.id).join(','));

  // 9. Search from disk: the header box leads to the search page, which finds.
  await wide.goto(`file://${dir}/projects/index.html`);
  await wide.fill('#header-q', '天健湖');
  await Promise.all([wide.waitForURL(/search\/index\.html\?q=/), wide.press('#header-q', 'Enter')]);
  await wide.waitForFunction(() => document.getElementById('search-status').textContent !== '');
  const diskHits = await wide.$$eval('#search-results li', (l) => l.length);
  check('9. from disk, the header box opens the search page, which finds', diskHits > 0, `${diskHits} results at ${wide.url().replace(/^.*\/search\//, 'search/')}`);
  // Where the index cannot be had, the page says so.
  const blocked = await browser.newPage();
  await blocked.route(/search\/index\.(js|json)/, (r) => r.abort());
  await blocked.goto(`${base}/search/?q=${encodeURIComponent('天健湖')}`);
  await blocked.waitForFunction(() => document.getElementById('search-status').textContent !== '');
  const said = await blocked.textContent('#search-status');
  check('9. without its index, search says it cannot search', /无法搜索/.test(said), said);
  await blocked.close();
} finally {
  await browser.close();
}
finish('readers');
