// The pages of a site with regions (tests/fixtures/regions) in Chromium: the /projects/
// filter by region at every level (a city shows its districts' projects too), and the
// table of regions sorted by a column.
//
// Usage: node regions.mjs BASE-URL
import { launch, check, finish } from './lib.mjs';

const [base] = process.argv.slice(2);
if (!base) {
  console.error('usage: node regions.mjs BASE-URL');
  process.exit(2);
}
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + '/projects/');
  const visible = () => page.$$eval('table.projects tbody tr', (rows) => rows.filter((r) => !r.hidden).length);
  const all = await visible();
  check('regions: /projects/ lists every project', all === 45, `${all} rows`);
  const options = await page.$$eval('select[name=region] option', (os) => os.map((o) => o.value));
  check('regions: the filter offers each region at every level', options.includes('东川市') && options.includes('东川市/临河县'), options.join(', '));
  await page.selectOption('select[name=region]', '东川市');
  const city = await visible();
  check('regions: a city shows its own and its districts\' projects', city === 17, `${city} rows`);
  await page.selectOption('select[name=region]', '东川市/临河县');
  const county = await visible();
  check('regions: a district shows its own', county === 5, `${county} rows`);
  await page.goto(base + '/regions/');
  // The column of the batches' total: sorted, the largest first.
  await page.click('table.regions thead th:last-child button');
  const first = await page.$eval('table.regions tbody tr th', (th) => th.textContent);
  check('regions: the table sorts by a column', first.startsWith('东川市'), first);
  check('regions: no script error', errors.length === 0, errors.join('; '));
} finally {
  await browser.close();
}
finish('regions');
