// Takes a 1280×800 screenshot of a running playground, to look at what a person sees:
//   node tests/browser/screenshot.mjs http://127.0.0.1:8080/ docs/screenshot-shell.png
// It fails if the page logs an error or renders no tenant.

import { launchBrowser, openPage } from './support.mjs';

const [url = 'http://127.0.0.1:8080/', out = 'screenshot.png'] = process.argv.slice(2);
const browser = await launchBrowser();
try {
  const { page, errors } = await openPage(browser, url);
  await page.screenshot({ path: out });
  if (errors.length > 0) throw new Error(`the page logged errors:\n${errors.join('\n')}`);
  console.log(`${out}: screenshot of ${url}`);
} finally {
  await browser.close();
}
