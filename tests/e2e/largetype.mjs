// The reading mode (适老化) and a site on a government portal (issue 30), in Chromium.
//
// Usage: node largetype.mjs BASE-URL SCREENSHOT-DIR
//
// BASE-URL serves the sample site built with a `portal:` block in site.yaml. Checks:
//   - the header's reading-mode button is reached with Tab, switched with the keyboard,
//     says so (aria-pressed), and the mode is remembered across a reload and a new page;
//   - axe-core at AA on a few pages in both modes, at 390 and 1280 px (no violation of
//     any impact), with the page never scrolling sideways;
//   - every page carries the portal's metadata, and the footer its numbers;
//   - full-page screenshots of the large type at 390 and 1280 px (large-NAME-WIDTH.png).
// Prints `ok`/`FAIL` lines; exits 1 on a failure.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { check, finish, launch } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const KEY = 'sanpi-large-type';

const PAGES = [
  ['home', '/'],
  ['projects', '/projects/'],
  ['project', '/projects/shengding-construction-tech-park-1/'],
  ['bulletin', '/bulletins/2023-01-28-period-7/'],
  ['chart', '/charts/investment-by-batch/'],
  ['targets', '/targets/'],
];
const SHOTS = new Set(['home', 'bulletin']);
const META = ['SiteName', 'SiteDomain', 'SiteIDCode', 'ColumnName', 'ArticleTitle', 'PubDate', 'ContentSource', 'Keywords', 'Description', 'Url'];

const [base, shotDir] = process.argv.slice(2);
if (!base || !shotDir) {
  console.error('usage: node largetype.mjs BASE-URL SCREENSHOT-DIR');
  process.exit(2);
}

const browser = await launch();
try {
  // The keyboard: Tab reaches the button, Enter and Space switch it, a reload keeps it.
  {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    let tabs = 0;
    let focused = '';
    while (tabs < 10 && focused !== 'reading-mode') {
      await page.keyboard.press('Tab');
      tabs += 1;
      focused = await page.evaluate(() => document.activeElement?.className ?? '');
    }
    check('the reading-mode button is reached by keyboard', focused === 'reading-mode', `after ${tabs} Tab presses`);
    const state = () => page.evaluate(() => ({
      large: document.documentElement.classList.contains('large-type'),
      pressed: document.querySelector('button.reading-mode').getAttribute('aria-pressed'),
      tag: document.querySelector('button.reading-mode').tagName,
      size: parseFloat(getComputedStyle(document.body).fontSize),
    }));
    const before = await state();
    check('the switch is a <button>, off at first', before.tag === 'BUTTON' && !before.large && before.pressed === 'false',
      JSON.stringify(before));
    await page.keyboard.press('Enter');
    const on = await state();
    check('Enter turns large type on (aria-pressed, bigger text)', on.large && on.pressed === 'true' && on.size >= before.size * 1.25,
      `${before.size} px → ${on.size} px`);
    await page.reload();
    const reloaded = await state();
    check('large type is remembered across a reload', reloaded.large && reloaded.pressed === 'true', JSON.stringify(reloaded));
    await page.goto(`${base}/projects/`);
    const other = await state();
    check('large type holds on another page', other.large && other.pressed === 'true', JSON.stringify(other));
    await page.focus('button.reading-mode');
    await page.keyboard.press('Space');
    const off = await state();
    await page.reload();
    const offReloaded = await state();
    check('Space turns it off, and that is remembered too', !off.large && off.pressed === 'false' && !offReloaded.large,
      JSON.stringify(offReloaded));
    await context.close();
  }

  // axe, sideways scrolling and the portal's metadata, in both modes and at both widths.
  for (const large of [false, true]) {
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: width < 800 ? 844 : 900 }, deviceScaleFactor: 1 });
      if (large) await context.addInitScript((key) => localStorage.setItem(key, '1'), KEY);
      const mode = large ? 'large type' : 'normal type';
      for (const [name, path] of PAGES) {
        const page = await context.newPage();
        const label = `${name} ${path} @${width}px, ${mode}`;
        try {
          await page.goto(base + path, { waitUntil: 'load' });
          await page.addScriptTag({ content: AXE_SOURCE });
          const result = await page.evaluate(() => window.axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
            resultTypes: ['violations'],
          }));
          const bad = result.violations;
          const facts = await page.evaluate((names) => ({
            large: document.documentElement.classList.contains('large-type'),
            scroll: document.documentElement.scrollWidth - innerWidth,
            missing: names.filter((n) => !document.querySelector(`meta[name="${n}" i]`)),
            footer: document.querySelector('.portal-info')?.textContent ?? '',
          }), META);
          check(`axe ${label}`, !bad.length && facts.large === large,
            bad.map((v) => `${v.id} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`).join('; ') ||
            `${result.violations.length} minor violations`);
          check(`no sideways scroll ${label}`, facts.scroll <= 1, `${facts.scroll} px too wide`);
          if (!large && width === 1280) {
            check(`portal metadata and footer on ${name}`, !facts.missing.length &&
              ['网站标识码', 'ICP备案号', '公安机关备案号', '主办单位', '承办单位', '联系方式'].every((w) => facts.footer.includes(w)),
            facts.missing.length ? `missing ${facts.missing.join(', ')}` : '');
          }
          if (large && SHOTS.has(name)) {
            await page.screenshot({ path: join(shotDir, `large-${name}-${width}.png`), fullPage: true });
          }
        } catch (e) {
          check(`axe ${label}`, false, String(e).split('\n')[0]);
        } finally {
          await page.close();
        }
      }
      await context.close();
    }
  }
} catch (e) {
  check('largetype.mjs ran', false, String(e));
} finally {
  await browser.close();
}
finish('largetype');
