// A site built without base_url (the default of `sanpi init`), as readers meet it (issue 29,
// item 1): served in a folder of a server that answers a missing address with the site's
// 404 page, as GitHub Pages, Netlify and nginx's `error_page` do. The 404 page at any depth
// is styled and leads home; every feed's links lead to pages; a chart page offers no embed
// code that cannot work elsewhere, and says why.
// Usage: node nobase.mjs OUTPUT-DIR [SCREENSHOT-DIR]. Prints `ok`/`FAIL` lines; exits 1 on
// a failure.
import { createServer } from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { check, finish, launch } from './lib.mjs';

const [dir, shots] = process.argv.slice(2);
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.xml': 'application/atom+xml', '.svg': 'image/svg+xml', '.png': 'image/png', '.csv': 'text/csv',
  '.json': 'application/json' };

/** Serves DIR under PREFIX (`/` or `/folder/`); a miss gets PREFIX's 404.html with 404. */
const serve = (prefix) => new Promise((resolve) => {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = null;
    if (path.startsWith(prefix)) {
      file = normalize(join(dir, path.slice(prefix.length)));
      if (!file.startsWith(dir)) file = null;
      else if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
    }
    const body = file && await readFile(file).catch(() => null);
    if (body) {
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } else {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(req.method === 'HEAD' ? undefined : await readFile(join(dir, '404.html')));
    }
  });
  server.listen(0, '127.0.0.1', () => resolve(server));
});

const browser = await launch();
try {
  for (const prefix of ['/', '/site/']) {
    const server = await serve(prefix);
    const origin = `http://127.0.0.1:${server.address().port}`;
    const home = `${origin}${prefix}`;
    const title = await (await fetch(home)).text().then((t) => t.match(/<title>([^<]*)</)[1]);
    for (const width of [390, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      for (const missing of ['nope', 'projects/nope/', 'a/b/c/d/nope.html']) {
        const at = `${width}px 404 at ${prefix}${missing}`;
        const r = await page.goto(`${home}${missing}`);
        check(`${at}: status 404`, r.status() === 404, String(r.status()));
        const styled = await page.evaluate(() => getComputedStyle(document.querySelector('.wrap')).maxWidth !== 'none');
        check(`${at}: the stylesheet applies`, styled);
        // The script that finds the site's folder runs after load: wait for the link to settle.
        await page.waitForFunction((h) => document.querySelector('main a').href === h, home, { timeout: 5000 })
          .catch(() => {});
        await page.click('main a');
        await page.waitForLoadState('load');
        check(`${at}: 返回首页 leads to the home page`, page.url() === home && await page.title() === title,
          page.url());
        if (shots && missing.startsWith('a/') && prefix !== '/') {
          await page.goto(`${home}${missing}`);
          await page.screenshot({ path: `${shots}/404-nobase-${width}.png`, fullPage: true });
        }
      }
      await page.close();
    }
    // Every link of every feed, resolved against the feed's own address, is a page.
    const feeds = [];
    const walk = async (d) => {
      for (const e of await readdir(join(dir, d), { withFileTypes: true })) {
        if (e.isDirectory()) await walk(join(d, e.name));
        else if (e.name.endsWith('.xml') && d.startsWith('feeds')) feeds.push(join(d, e.name));
      }
    };
    await walk('feeds').catch(() => {});
    if (await stat(join(dir, 'feed.xml')).catch(() => null)) feeds.push('feed.xml');
    let links = 0;
    const dead = [];
    for (const f of feeds) {
      const url = `${home}${f}`;
      const xml = await (await fetch(url)).text();
      for (const m of xml.matchAll(/<link[^>]*href="([^"]+)"/g)) {
        const target = new URL(m[1].replace(/&amp;/g, '&'), url);
        links += 1;
        const s = (await fetch(target)).status;
        if (s !== 200) dead.push(`${f}: ${m[1]} (${s})`);
      }
    }
    check(`${prefix}: every link of the ${feeds.length} feeds leads to a page`, feeds.length > 0 && links > 0 && !dead.length,
      dead.length ? dead.slice(0, 3).join('; ') : `${links} links`);
    // A chart page: no embed code that would load another site's 404, and a note on base_url.
    const page = await browser.newPage();
    await page.goto(`${home}charts/investment-by-batch/`);
    check(`${prefix}: a chart page offers no embed code without base_url`, await page.$('#embed-code') === null);
    check(`${prefix}: a chart page says the embed code needs base_url`,
      (await page.textContent('main')).includes('base_url'));
    check(`${prefix}: a chart page gives no address it cannot know as its permanent link`,
      !(await page.textContent('main')).includes('永久链接'));
    await page.close();
    server.close();
  }
} catch (e) {
  check('nobase.mjs ran', false, String(e));
} finally {
  await browser.close();
}
finish('nobase');
