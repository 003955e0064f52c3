// Takes a 1280×800 screenshot of a running playground, to look at what a person sees:
//   node tests/browser/screenshot.mjs http://127.0.0.1:8080/ docs/screenshot.png [template] [steps] [select]
// e.g. `… user-hub 1 tenant:dev` opens the user-hub template, steps once and selects tenant dev
// (or `job:<id>`). Without a URL argument it serves dist/ itself. It fails if the page logs an
// error or renders no tenant.

import { distDir, launchBrowser, openPage, serveDirectory } from './support.mjs';

const [urlArg, out = 'screenshot.png', template, steps = '0', select] = process.argv.slice(2);
const server = urlArg && urlArg !== '-' ? null : await serveDirectory(distDir);
const url = server ? `${server.origin}/` : urlArg;
const browser = await launchBrowser();
try {
  const { page, errors } = await openPage(browser, url);
  if (template) {
    await page.getByTestId('templates').click();
    await page.locator(`[data-testid="template"][data-template="${template}"]`).click();
  }
  for (let i = 0; i < Number(steps); i++) await page.getByTestId('step').click();
  if (select) {
    const [kind, id] = select.split(':');
    if (kind === 'tenant') await page.locator(`[data-testid="tenant-node"][data-tenant="${id}"] .tenant-card`).click();
    else await page.locator(`.job-label-group[data-job="${id}"] .job-badge`).click();
  }
  // Notices fade on their own; close them so the picture shows the workspace.
  while (await page.getByTestId('notice').count()) await page.getByTestId('notice').getByRole('button').click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: out });
  if (errors.length > 0) throw new Error(`the page logged errors:\n${errors.join('\n')}`);
  console.log(`${out}: screenshot of ${url}`);
} finally {
  await browser.close();
  await server?.close();
}
