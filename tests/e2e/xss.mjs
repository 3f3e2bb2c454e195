// Script injection in a real browser: opens every page of a site built from hostile
// content and fails when any dialog opens (each hostile string calls alert) or any script
// from content runs. Usage: node xss.mjs BASE-URL OUTPUT-DIR
// Prints one line per page and `N pages, M with script`; exits 1 when any page ran script.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { launch } from './lib.mjs';

const [base, dir] = process.argv.slice(2);
if (!base || !dir) {
  console.error('usage: node xss.mjs BASE-URL OUTPUT-DIR');
  process.exit(2);
}
const pages = [];
(function walk(d) {
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.html') || name.endsWith('.svg') || name.endsWith('.xml')) pages.push(relative(dir, p));
  }
})(dir);
// The search page shows hostile names and texts as results.
for (const q of ['script', 'alert', 'img', 'onerror', '"', '<']) pages.push(`search/?q=${encodeURIComponent(q)}`);

const browser = await launch();
let bad = 0;
try {
  const context = await browser.newContext();
  // Network beyond the local server is not followed: an injected image or frame elsewhere
  // would show up as a blocked request, never as a fetch.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    return url.startsWith(base) || url.startsWith('data:') ? route.continue() : route.abort();
  });
  for (const rel of pages) {
    const page = await context.newPage();
    const dialogs = [];
    page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
    await page.goto(`${base}/${rel}`, { waitUntil: 'load' });
    // Hover and click everything, so that event handlers would fire if any were live.
    for (const el of await page.$$('a, span, img, h1, h2, td, th, p, svg, text')) {
      await el.dispatchEvent('mouseover').catch(() => {});
      await el.dispatchEvent('click').catch(() => {});
    }
    await page.waitForTimeout(rel.startsWith('search/?') ? 300 : 50);
    const hidden = await page.evaluate(() => document.body && getComputedStyle(document.body).display === 'none').catch(() => false);
    if (dialogs.length || hidden) {
      bad += 1;
      console.log(`FAIL ${rel}: ${dialogs.length ? 'dialogs ' + JSON.stringify(dialogs) : ''}${hidden ? ' a style from content hid the page' : ''}`);
    } else {
      console.log(`ok   ${rel}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`${pages.length} pages, ${bad} with script`);
process.exit(bad ? 1 : 0);
