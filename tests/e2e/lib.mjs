// What the browser tests share: Debian's Chromium, launched headless with the flags this
// project's guide gives, and the `ok`/`FAIL` lines that ./run counts.
import { chromium } from 'playwright-core';

export const launch = () => chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic'],
});

let failed = 0;

/** Prints one check as `ok   NAME` or `FAIL NAME`, with its detail. */
export const check = (name, ok, detail = '') => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ': ' + detail : ''}`);
  if (!ok) failed += 1;
};

/** Ends the script: says how many checks failed, with an exit code of 1 when any did. */
export const finish = (name) => {
  console.log(failed ? `${name}: ${failed} failed` : `${name}: all passed`);
  process.exit(failed ? 1 : 0);
};
