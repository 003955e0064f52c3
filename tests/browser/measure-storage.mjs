// Measures autosave with a large scenario in headless Chromium against the release build (not a
// test: it asserts no timing, it reports). Run `cargo xtask dist` first, then:
//   node tests/browser/measure-storage.mjs [users=10000] [targets=3] [changes=100]
//
// It imports the generated scenario of measure.mjs through the header's Import and reports: the
// time from picking the file to the hub on the canvas (parse, validate, replay, store), the bytes
// each localStorage key holds, one edit (Add tenant) until the header says "Saved" (500 ms of it
// is the autosave delay) with the long tasks the page had meanwhile, and a reload until the
// scenario is restored.

import { distDir, launchBrowser, openPage, serveDirectory } from './support.mjs';
import { generatedScenario } from './generate.mjs';

const [users = 10_000, targets = 3, changes = 100] = process.argv.slice(2).map(Number);
const json = JSON.stringify(generatedScenario(users, targets, changes));
const server = await serveDirectory(distDir);
const browser = await launchBrowser();
try {
  const { page, errors } = await openPage(await browser.newContext(), `${server.origin}/`);
  const saved = page.getByTestId('save-status').filter({ hasText: /^Saved$/ });
  await saved.waitFor();
  let t0 = Date.now();
  await page.getByTestId('import-file').setInputFiles({ name: 'generated.json', mimeType: 'application/json', buffer: Buffer.from(json) });
  await page.locator('[data-testid="tenant-node"][data-tenant="hub"]').waitFor({ timeout: 120_000 });
  await saved.waitFor({ timeout: 60_000 });
  console.log(`import of ${users} users (${json.length} bytes of JSON) until saved: ${Date.now() - t0} ms`);
  const sizes = await page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k).length])));
  console.log('localStorage characters by key:', sizes);
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask' });
  });
  t0 = Date.now();
  await page.getByTestId('add-tenant').click();
  await page.getByTestId('save-status').filter({ hasText: /^Saving/ }).waitFor();
  await saved.waitFor({ timeout: 60_000 });
  const long = await page.evaluate(() => window.longTasks);
  console.log(`Add tenant until saved: ${Date.now() - t0} ms (500 ms autosave delay included); long tasks (ms): ${long.join(', ')}`);
  t0 = Date.now();
  await page.reload();
  await page.locator('[data-testid="tenant-node"][data-tenant="hub"]').waitFor({ timeout: 120_000 });
  console.log(`reload until the scenario is back: ${Date.now() - t0} ms`);
  if (errors.length > 0) throw new Error(`the page logged errors:\n${errors.join('\n')}`);
} finally {
  await browser.close();
  await server.close();
}
