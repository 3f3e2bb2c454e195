// axe-core in Debian's Chromium, driven by playwright-core.
//
// Usage: node axe.mjs BASE-URL SCREENSHOT-DIR RESULTS.tsv [paged|regions]
//
// With `paged`, the pages are the later pages of the lists of tests/fixtures/paged; with
// `regions`, the pages of regions of tests/fixtures/regions.
//
// Opens each page below at each width, runs axe-core's default rule set,
// prints every violation (id, impact, count of nodes, and the nodes of the
// failing ones) and writes a full-page screenshot NAME-WIDTH.png.
// A page passes when it has no violation of any impact (minor, moderate, serious or critical).
// RESULTS.tsv gets one line per page and width: 1|0, name, detail.
// Exits 0 when all pass, 1 when some fail, 2 when it could not run.
import { readFileSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { launch } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const PAGES = [
  ['home', '/'],
  ['projects', '/projects/'],
  ['project', '/projects/shengding-construction-tech-park-1/'],
  ['batch-started', '/batches/started/'],
  ['period-7', '/periods/7/'],
  ['bulletin', '/bulletins/2023-01-28-period-7/'],
  ['chart', '/charts/investment-by-batch/'],
  ['chart-embed', '/charts/investment-by-batch/embed/'],
  ['search', '/search/?q=%E4%BC%A0%E6%84%9F'],
  ['targets', '/targets/'],
];
const PAGED = [
  ['paged-projects-2', '/projects/page/2/'],
  ['paged-batch-signed-2', '/batches/signed/page/2/'],
  ['paged-period-1-2', '/periods/1/page/2/'],
  ['paged-sector-2', '/sectors/new-materials/page/2/'],
];
const REGIONS = [
  ['regions', '/regions/'],
  ['region-city', '/regions/dongchuan/'],
  ['rankings', '/rankings/'],
  ['regions-projects', '/projects/'],
  ['regions-project', '/projects/dc-lh-01/'],
  ['targets-2023', '/targets/2023/'],
];
const WIDTHS = [390, 1280];
const FAILING = new Set(['minor', 'moderate', 'serious', 'critical']);

const [base, shotDir, resultsPath, set] = process.argv.slice(2);
if (!base || !shotDir || !resultsPath) {
  console.error('usage: node axe.mjs BASE-URL SCREENSHOT-DIR RESULTS.tsv');
  process.exit(2);
}
mkdirSync(shotDir, { recursive: true });
writeFileSync(resultsPath, '');

const browser = await launch();

let failures = 0;
const totals = new Map(); // violation id -> {impact, nodes, pages}
try {
  for (const width of WIDTHS) {
    const context = await browser.newContext({
      viewport: { width, height: width < 800 ? 844 : 900 },
      deviceScaleFactor: 1,
    });
    for (const [name, path] of ({ paged: PAGED, regions: REGIONS }[set] ?? PAGES)) {
      const label = `${name} ${path} @${width}px`;
      const page = await context.newPage();
      const problems = [];
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()} ${m.location().url || ''}`.trim()); });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
      page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
      try {
        const response = await page.goto(base + path, { waitUntil: 'load' });
        if (!response || response.status() !== 200) {
          throw new Error(`HTTP ${response ? response.status() : 'no response'}`);
        }
        await page.addScriptTag({ content: AXE_SOURCE });
        const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        const shot = join(shotDir, `${name}-${width}.png`);
        await page.screenshot({ path: shot, fullPage: true });

        const bad = result.violations.filter((v) => FAILING.has(v.impact));
        const ok = bad.length === 0;
        if (!ok) failures += 1;
        console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}: ${result.violations.length} violations` +
          ` (${bad.length} failing); screenshot ${shot}`);
        for (const v of result.violations) {
          console.log(`       ${v.id} [${v.impact}] x${v.nodes.length}: ${v.help}`);
          if (FAILING.has(v.impact)) {
            for (const n of v.nodes.slice(0, 5)) {
              console.log(`         at ${n.target.join(' ')}: ${n.html.replace(/\s+/g, ' ').slice(0, 160)}`);
              const why = (n.failureSummary || '').split('\n').slice(1).join(' / ').trim();
              if (why) console.log(`            ${why.slice(0, 300)}`);
            }
            if (v.nodes.length > 5) console.log(`         ... and ${v.nodes.length - 5} more`);
          }
          const t = totals.get(v.id) ?? { impact: v.impact, nodes: 0, pages: 0 };
          t.nodes += v.nodes.length;
          t.pages += 1;
          totals.set(v.id, t);
        }
        for (const p of problems) console.log(`       note: ${p}`);
        const detail = result.violations.length === 0
          ? 'no violations'
          : result.violations.map((v) => `${v.id}[${v.impact}]x${v.nodes.length}`).join(', ');
        appendFileSync(resultsPath, `${ok ? 1 : 0}\t${label}\t${detail}\n`);
      } catch (err) {
        failures += 1;
        console.log(`FAIL ${label}: ${err.message}`);
        appendFileSync(resultsPath, `0\t${label}\t${String(err.message).split('\n')[0]}\n`);
      } finally {
        await page.close();
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
}

if (totals.size) {
  console.log('all violations (id, impact, nodes, page-widths):');
  for (const [id, t] of [...totals].sort((a, b) => b[1].nodes - a[1].nodes)) {
    console.log(`  ${id} [${t.impact}] ${t.nodes} nodes on ${t.pages} page-widths`);
  }
}
process.exit(failures ? 1 : 0);
