// A chart's embed code at work on another site, in Chromium: the code is taken from the chart
// page's text box, pasted into a page of another origin, and the iframe must take the height
// the embed page reports (no inner scrolling, no gap), at 390 and 1280 px, with the chart's
// text at least 12 px and never larger than its own size, also when the host strips the
// script or the iframe's style, a link back to the chart page, and the copy button copying the code.
// Usage: node embed.mjs BASE-URL PUBLIC-BASE-URL [SCREENSHOT-DIR]. Prints `ok`/`FAIL` lines;
// exits 1 on a failure.
import { check, finish, launch } from './lib.mjs';

const [base, publicBase, shots] = process.argv.slice(2);
const CHARTS = ['investment-by-batch', 'pool-by-period'];
// The newsroom's page: another origin (localhost, not 127.0.0.1) of the same test server, so
// that Chromium's local network access checks let it frame the site as a public page would.
const host = new URL(base);
host.hostname = 'localhost';
const browser = await launch();
try {
  for (const width of [390, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(base).origin });
    const page = await context.newPage();
    for (const name of CHARTS) {
      await page.goto(`${base}/charts/${name}/`);
      const code = await page.inputValue('#embed-code');
      check(`${width}px ${name}: the embed code is an iframe of the embed page`,
        code.startsWith('<iframe ') && code.includes(`charts/${name}/embed/`), code.slice(0, 80));
      await page.click('button[data-copy]');
      await page.waitForFunction(() => document.querySelector('.copy-status').textContent !== '');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      check(`${width}px ${name}: the copy button copies the code`, copied === code);
      // The code pasted into a newsroom's page on another origin; the iframe's address is the
      // site's public one, served here from the test server. Three ways a CMS keeps it: whole;
      // without its script (WeChat's editor and many CMSs strip scripts); without the
      // iframe's style attribute as well.
      const whole = code.split(publicBase).join(`${base}/`);
      const noScript = whole.replace(/<script>[\s\S]*<\/script>/, '');
      const bare = noScript.replace(/ style="[^"]*"/, '');
      for (const [how, pasted] of [['whole', whole], ['no script', noScript], ['no script, no style', bare]]) {
        const at = `${width}px ${name} (${how})`;
        await page.goto(`${host.origin}/robots.txt`);
        await page.setContent(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>报道</title></head><body style="margin:0 16px"><p>正文一段。</p>${pasted}<p id="after">正文另一段。</p></body></html>`);
        const frameEl = await page.waitForSelector('iframe[data-sanpi-chart]');
        const frame = await frameEl.contentFrame();
        await frame.waitForSelector('svg');
        await frame.waitForLoadState('load');
        // With its script the host gives the iframe the height the embed page reports: wait
        // until the two agree (or fail after 10 s). Without it the iframe's own ratio or size
        // must already fit.
        const heights = () => Promise.all([
          frame.evaluate(() => document.documentElement.getBoundingClientRect().height),
          frameEl.evaluate((f) => f.clientHeight),
        ]);
        let [inner, outer] = await heights();
        for (let i = 0; how === 'whole' && i < 100 && Math.abs(inner - outer) > 2; i += 1) {
          await page.waitForTimeout(100);
          [inner, outer] = await heights();
        }
        check(`${at}: the iframe is as tall as the chart (nothing cut off, no gap)`,
          Math.abs(inner - outer) <= 2, `content ${inner} px, iframe ${outer} px`);
        const credit = await frame.evaluate(() => {
          const c = document.querySelector('figcaption').getBoundingClientRect();
          return { bottom: c.bottom, shown: c.height > 8 };
        });
        check(`${at}: the credit line is inside the frame`, credit.shown && credit.bottom <= outer + 1,
          `credit ends at ${credit.bottom} px of ${outer}`);
        const scale = await frame.evaluate(() => {
          const svg = document.querySelector('svg');
          return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        });
        const smallest = await frame.evaluate(() => Math.min(...[...document.querySelectorAll('svg text')]
          .map((t) => parseFloat(t.getAttribute('font-size')))));
        check(`${at}: no chart text under 12 px`, smallest * scale >= 12,
          `${(smallest * scale).toFixed(1)} px`);
        check(`${at}: the text never grows past its own size`, scale <= 1.001, `scale ${scale.toFixed(3)}`);
        check(`${at}: the host is another origin`, await frame.evaluate(() => location.origin) !== await page.evaluate(() => location.origin));
        const back = await frame.$eval('figcaption a', (a) => a.href);
        check(`${at}: the embed links back to the chart page`, back.endsWith(`charts/${name}/`), back);
        const source = await frame.$eval('svg', (s) => s.textContent.includes('来源'));
        check(`${at}: the chart carries its source line`, source);
        const suffix = how === 'whole' ? '' : `-${how.replace(/[, ]+/g, '-')}`;
        if (shots) await page.screenshot({ path: `${shots}/embed-${name}-${width}${suffix}.png`, fullPage: true });
      }
    }
    await context.close();
  }
} catch (e) {
  check('embed.mjs ran', false, String(e));
} finally {
  await browser.close();
}
finish('embed');
