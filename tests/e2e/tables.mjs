// No table is clipped on a phone (issue 29, item 6): every HTML page of a site at 390 px,
// with every <details> open. The page itself never scrolls sideways; a table either fits or
// scrolls inside its box, which fits, and is then a labelled region the keyboard reaches; the
// row headers of charts' data tables stay on one line (no "第一/期").
// Usage: node tables.mjs [--large-type] BASE-URL OUTPUT-DIR [BASE-URL OUTPUT-DIR ...]. Prints `ok`/`FAIL`
// lines; exits 1 on a failure.
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { check, finish, launch } from './lib.mjs';

// With --large-type first, the pages are read in the reading mode (适老化, issue 30).
const large = process.argv[2] === '--large-type';
const args = process.argv.slice(large ? 3 : 2);
const pagesOf = async (dir) => {
  const out = [];
  const walk = async (d) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name === 'index.html' && !p.includes('/embed/')) out.push(relative(dir, p).replace(/index\.html$/, ''));
    }
  };
  await walk(dir);
  return out.sort();
};

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
  if (large) await page.addInitScript(() => localStorage.setItem('sanpi-large-type', '1'));
  for (let i = 0; i + 1 < args.length; i += 2) {
    const [base, dir] = [args[i], args[i + 1]];
    const paths = await pagesOf(dir);
    let tables = 0;
    const bad = [];
    for (const path of paths) {
      await page.goto(`${base}/${path}`);
      const found = await page.evaluate(async () => {
        for (const d of document.querySelectorAll('details')) d.open = true;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const problems = [];
        if (document.documentElement.scrollWidth > innerWidth + 1) {
          problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px)`);
        }
        const all = [...document.querySelectorAll('main table')];
        for (const t of all) {
          const r = t.getBoundingClientRect();
          if (r.width === 0) continue;
          const name = (t.querySelector('th')?.textContent || '').trim().slice(0, 12);
          if (r.right > innerWidth + 1 || r.left < -1) {
            const box = t.closest('.table-wrap');
            const style = box && getComputedStyle(box);
            const b = box && box.getBoundingClientRect();
            if (!box || !/auto|scroll/.test(style.overflowX) || b.right > innerWidth + 1) {
              problems.push(`table "${name}" is cut off at ${Math.round(r.right)} px`);
            } else if (box.tabIndex !== 0 || box.getAttribute('role') !== 'region' || !box.getAttribute('aria-label')) {
              problems.push(`the box of table "${name}" scrolls but is no labelled region the keyboard reaches`);
            }
          }
          if (t.classList.contains('chart-data')) {
            for (const th of t.querySelectorAll('tbody th')) {
              const lh = parseFloat(getComputedStyle(th).lineHeight);
              const range = document.createRange();
              range.selectNodeContents(th);
              const lines = new Set([...range.getClientRects()].map((x) => Math.round(x.top))).size;
              if (lines > 1) problems.push(`row header "${th.textContent}" wraps (${lines} lines, line ${lh} px)`);
            }
          }
        }
        return { problems, count: all.length };
      });
      tables += found.count;
      for (const p of found.problems) bad.push(`/${path}: ${p}`);
    }
    check(`${base}: no table clipped at 390 px on ${paths.length} pages (${tables} tables)${large ? ' in large type' : ''}`, !bad.length,
      bad.slice(0, 5).join('; '));
  }
} catch (e) {
  check('tables.mjs ran', false, String(e));
} finally {
  await browser.close();
}
finish('tables');
