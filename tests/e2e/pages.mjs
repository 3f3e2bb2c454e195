// A list with pages in Chromium (tests/fixtures/paged: 11 projects, 3 a page): from a later
// page of /projects/, the filter and the sorts show the matching rows of every page, served
// over http and opened from disk (file://); back to the default, the page is its own again.
// Usage: node pages.mjs BASE-URL OUTPUT-DIR [SCREENSHOT-DIR]. Prints `ok`/`FAIL` lines;
// exits 1 on a failure.
import { check, finish, launch } from './lib.mjs';
import { resolve } from 'node:path';

const [base, out, shots] = process.argv.slice(2);
const dir = resolve(out);
const browser = await launch();
// The project ids of the visible rows, in order.
const ids = (page) => page.$$eval('table.projects tbody tr:not([hidden])', (rs) => rs.map((r) => r.id.replace(/^p-/, '')));
try {
  for (const [where, url] of [['http', `${base}/projects/page/2/`], ['file://', `file://${dir}/projects/page/2/index.html`]]) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    check(`${where}: page 2 shows its own rows`, (await ids(page)).join() === 'p04,p05,p06');
    // A sector across pages: the 5 新材料 projects, from pages 1 to 4.
    await page.selectOption('select[name=sector]', '新材料');
    await page.waitForFunction(() => document.querySelector('form.filters output').textContent.includes('/'));
    check(`${where}: the sector filter shows every page's rows`, (await ids(page)).join() === 'p01,p04,p06,p08,p10', (await ids(page)).join());
    if (where === 'http') {
      // The URL keeps the filter, and a link to it shows every page's matching rows again.
      check(`${where}: the URL keeps the filter`, new URL(page.url()).searchParams.get('sector') === '新材料', page.url());
      const linked = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await linked.goto(page.url());
      await linked.waitForFunction(() => document.querySelector('form.filters output').textContent.includes('/'));
      check(`${where}: a link to the filtered list reopens it`, (await ids(linked)).join() === 'p01,p04,p06,p08,p10', (await ids(linked)).join());
      await linked.close();
    }
    check(`${where}: the pager is hidden while filtering`, await page.$eval('nav.pager', (n) => n.hidden));
    // Progress across pages: 已开工 is on page 3 only.
    await page.selectOption('select[name=sector]', '');
    await page.selectOption('select[name=progress]', '已开工');
    check(`${where}: the progress filter too`, (await ids(page)).join() === 'p08,p09', (await ids(page)).join());
    await page.selectOption('select[name=progress]', '');
    // Sorted by investment, highest first, unknown amounts last.
    await page.selectOption('select[name=sector]', '');
    await page.selectOption('select[name=sort]', 'investment-desc');
    await page.waitForFunction(() => document.querySelectorAll('table.projects tbody tr').length === 11);
    const desc = await ids(page);
    check(`${where}: sorted by investment over all pages`, desc.join() === 'p09,p04,p07,p08,p01,p11,p05,p02,p06,p03,p10', desc.join());
    await page.selectOption('select[name=sort]', 'investment-asc');
    check(`${where}: lowest first, unknown still last`, (await ids(page)).slice(0, 1).join() === 'p06' && (await ids(page)).slice(-2).join() === 'p03,p10');
    // Filter and sort together: 签约一批 by investment.
    await page.selectOption('select[name=batch]', '签约一批');
    const signed = await ids(page);
    check(`${where}: a filter and a sort together`, signed.join() === 'p06,p02,p05,p01,p07,p04,p03', signed.join());
    if (shots && where === 'http') await page.screenshot({ path: `${shots}/pages-filter-1280.png`, fullPage: true });
    // Rows drawn from the data link where the page's own rows do (from disk: to index.html).
    const href = await page.$eval('#p-p07 th a', (a) => a.getAttribute('href'));
    const want = where === 'http' ? '../../../projects/p07/' : '../../../projects/p07/index.html';
    check(`${where}: a drawn row links to its project`, href === want, href);
    check(`${where}: names are text, never markup`, (await page.$eval('#p-p07 th a', (a) => a.textContent)) === '七号“甲&乙”<联合>项目');
    await page.click('#p-p07 th a');
    check(`${where}: the link opens the project`, (await page.textContent('h1')).includes('七号'));
    await page.goBack();
    // Back to the default: the page's own rows and its pager.
    await page.goto(url);
    await page.selectOption('select[name=sort]', 'name');
    await page.selectOption('select[name=sort]', '');
    check(`${where}: the default order gives the page back`, (await ids(page)).join() === 'p04,p05,p06' && !(await page.$eval('nav.pager', (n) => n.hidden)));
    check(`${where}: no script error`, errors.length === 0, errors.join('; '));
    await page.close();
  }
  // A reader who changes their mind while the rows still load: the later choice wins. The
  // rows come 600 ms late; 名称 then 默认排序 at once must leave the page its own, with its
  // pager, also once the rows arrive.
  {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.route('**/data/projects-rows.js', async (route) => {
      await new Promise((r) => setTimeout(r, 600));
      await route.continue();
    });
    await page.goto(`${base}/projects/page/2/`);
    await page.selectOption('select[name=sort]', 'name');
    await page.selectOption('select[name=sort]', '');
    await page.waitForFunction(() => window.sanpiProjectRows !== undefined);
    await page.waitForTimeout(100);
    check('a slow load never draws over a later choice', (await ids(page)).join() === 'p04,p05,p06' && !(await page.$eval('nav.pager', (n) => n.hidden)), (await ids(page)).join());
    await page.close();
  }
  // Without JavaScript every page works in its default order, with its pager.
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const plain = await ctx.newPage();
  await plain.goto(`${base}/projects/page/4/`);
  check('without JavaScript page 4 lists the last rows', (await ids(plain)).join() === 'p10,p11');
  await plain.click('nav.pager a[rel=prev]');
  check('and its previous page is page 3', new URL(plain.url()).pathname.endsWith('/projects/page/3/'));
} finally {
  await browser.close();
}
finish('pages');
