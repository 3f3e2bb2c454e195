// The site opened from disk (file://): every link of the navigation and of the projects
// table is followed by a click and must land on a page with a heading.
// Usage: node disk.mjs OUTPUT-DIR. Exits 1 on a failure.
import { launch } from './lib.mjs';
import { resolve } from 'node:path';

const dir = resolve(process.argv[2]);
const browser = await launch();
let failed = 0, followed = 0;
try {
  const page = await browser.newPage();
  for (const start of ['index.html', 'projects/index.html', 'bulletins/index.html']) {
    await page.goto(`file://${dir}/${start}`);
    const links = await page.$$eval('nav a, table.projects th a, ul.articles a', (as) => as.map((a) => a.href));
    for (const href of links.slice(0, 60)) {
      await page.goto(href);
      followed += 1;
      const h1 = await page.$('h1');
      if (!h1 || !href.split('#')[0].endsWith('index.html')) {
        failed += 1;
        console.log(`FAIL ${start} -> ${href}`);
      }
    }
  }
} finally {
  await browser.close();
}
console.log(`${followed} links followed from disk, ${failed} failed`);
process.exit(failed ? 1 : 0);
