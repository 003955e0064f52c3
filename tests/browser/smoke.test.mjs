// Smoke test of the built playground served at the root: the shell renders the example scenario's
// tenants and sync job, fits an ordinary laptop screen, and logs no error.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { distDir, exampleScenario, launchBrowser, openPage, serveDirectory } from './support.mjs';

let server;
let browser;
let page;
let errors;

before(async () => {
  server = await serveDirectory(distDir);
  browser = await launchBrowser();
  ({ page, errors } = await openPage(browser, `${server.origin}/`));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("draws every tenant of the example scenario, by name", async () => {
  const nodes = page.getByTestId('tenant-node');
  assert.equal(await nodes.count(), exampleScenario.tenants.length);
  assert.deepEqual(
    await nodes.evaluateAll((els) => els.map((el) => el.getAttribute('data-tenant'))),
    exampleScenario.tenants.map((t) => t.id),
  );
  assert.deepEqual(
    await nodes.locator('.tenant-name').allTextContents(),
    exampleScenario.tenants.map((t) => t.displayName),
  );
  for (let i = 0; i < exampleScenario.tenants.length; i++) {
    await assert.doesNotReject(nodes.nth(i).waitFor({ state: 'visible', timeout: 1_000 }));
  }
});

test('draws each sync job as an arrow from its source tenant to its target tenant', async () => {
  const arrows = page.getByTestId('job-arrow');
  assert.equal(await arrows.count(), exampleScenario.jobs.length);
  for (const job of exampleScenario.jobs) {
    const arrow = await page.locator(`[data-testid="job-arrow"][data-job="${job.id}"]`).boundingBox();
    const source = await page.locator(`[data-tenant="${job.source}"] .tenant-card`).boundingBox();
    const target = await page.locator(`[data-tenant="${job.target}"] .tenant-card`).boundingBox();
    assert.ok(arrow && source && target, `job ${job.id}, its arrow and both tenants are on the page`);
    assert.ok(arrow.width > 20, `the arrow of ${job.id} has a length (${arrow.width}px)`);
    // The example's source is drawn left of its target: the arrow spans the gap between them.
    assert.ok(Math.abs(arrow.x - (source.x + source.width)) < 16, `arrow starts at ${job.source}`);
    assert.ok(Math.abs(arrow.x + arrow.width - target.x) < 16, `arrow ends at ${job.target}`);
  }
});

test('shows the header with the product and scenario names, the scenario in the inspector and the clock at tick 0', async () => {
  assert.match(await page.getByTestId('app-header').innerText(), /ctsync/);
  assert.equal(await page.getByTestId('scenario-name').innerText(), exampleScenario.name);
  assert.match(await page.getByTestId('scenario-overview').innerText(), /Scripted timeline/);
  assert.equal(await page.getByTestId('tick').innerText(), '0');
  assert.match(await page.getByTestId('clock').innerText(), /^Mon 5 Jan 2026, 08:00 UTC$/);
});

test('fits 1280×800 without scrolling, with legible tenant names', async () => {
  const layout = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    scrollHeight: document.documentElement.scrollHeight,
    clientHeight: document.documentElement.clientHeight,
  }));
  assert.ok(layout.scrollWidth <= layout.clientWidth, `no horizontal scroll: ${JSON.stringify(layout)}`);
  assert.ok(layout.scrollHeight <= layout.clientHeight, `no vertical scroll: ${JSON.stringify(layout)}`);
  for (const node of await page.getByTestId('tenant-node').all()) {
    const card = await node.locator('.tenant-card').boundingBox();
    assert.ok(card.x >= 0 && card.x + card.width <= 1280 && card.y >= 0 && card.y + card.height <= 800, 'inside the viewport');
    for (const text of await node.locator('text').all()) {
      const box = await text.boundingBox();
      const label = await text.textContent();
      assert.ok(box.x + box.width <= card.x + card.width - 4, `"${label}" stays inside its card`);
    }
    const name = await node.locator('.tenant-name').boundingBox();
    assert.ok(name.height >= 12, `a tenant name is drawn at least 12px tall (${name.height}px)`);
  }
});

test('logs no page error, console error or failed request', () => {
  assert.deepEqual(errors, []);
});
