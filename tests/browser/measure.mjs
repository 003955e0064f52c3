// Measures the playground in headless Chromium against the release build (not a test: it asserts
// no timing, it reports). Run `cargo xtask dist` first, then:
//   node tests/browser/measure.mjs [users=10000] [targets=3] [changes=100] [days=30]
//
// It generates a scenario — one source tenant with `users` internal members synchronized by
// `targets` started jobs ("Sync all users and groups") into as many targets, and a timeline entry at
// tick 1 changing the department of `changes` users — imports it through the header's Import, and
// reports:
//   (a) click → next paint of Step for the initial tick (tick 0), median of 10;
//   (b) click → next paint of Step for the incremental tick with the changes (tick 1), median of 10;
//   memory after fast-forwarding `days` days: the wasm linear memory, the JS heap (CDP), and the
//   renderer process's resident set (from /proc).
// "Next paint" is taken as the first timer after the next animation frame: the frame has been
// produced by then.

import { readFileSync, readdirSync } from 'node:fs';
import { distDir, launchBrowser, serveDirectory } from './support.mjs';
import { generatedScenario } from './generate.mjs';

const [users = 10_000, targets = 3, changes = 100, days = 30] = process.argv.slice(2).map(Number);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Clicks Step inside the page and resolves to click → next paint, in ms. */
async function timeStep(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const button = document.querySelector('[data-testid="step"]');
    const t0 = performance.now();
    button.click();
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
  }));
}

async function goTo(page, tick) {
  const input = page.getByTestId('goto-tick');
  await input.fill(String(tick));
  await input.press('Enter');
  await page.getByTestId('tick').filter({ hasText: new RegExp(`^${tick}$`) }).waitFor({ timeout: 600_000 });
}

/**
 * The memory of the largest Chromium renderer — the page's (the others are spares): its resident
 * set, and its private memory (what Chrome's task manager calls the memory footprint, without the
 * shared libraries), from /proc.
 */
function renderer() {
  let best = { rss: 0, private: 0 };
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium') || !cmd.includes('--type=renderer')) continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
      const rss = kb('Rss') / 1024;
      if (rss > best.rss) best = { rss, private: (kb('Private_Clean') + kb('Private_Dirty')) / 1024 };
    } catch { /* the process ended */ }
  }
  return best;
}

/** Opens the playground in a fresh page that keeps a handle on the wasm instance's memory. */
async function openWithMemory(browser, origin) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console error: ${msg.text()}`); });
  // Trunk's loader announces the wasm instance (and its memory) once: listen from the start.
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__ctsyncWasm = e.detail.wasm; });
  });
  await page.goto(`${origin}/`);
  await page.getByTestId('tenant-node').first().waitFor();
  return { page, errors };
}

async function importScenario(page, text) {
  await page.getByTestId('import-file').setInputFiles({ name: 'measure.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.locator('[data-testid="tenant-node"][data-tenant="t1"]').waitFor({ timeout: 600_000 });
}

async function memory(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const wasmBytes = await page.evaluate(() => window.__ctsyncWasm?.memory?.buffer?.byteLength ?? 0);
  return `wasm linear memory ${(wasmBytes / 1048576).toFixed(0)} MB (its high-water mark: it never shrinks), JS heap ${(heap.usedSize / 1048576).toFixed(1)} MB, page renderer RSS ${renderer().rss.toFixed(0)} MB, private ${renderer().private.toFixed(0)} MB`;
}

const server = await serveDirectory(distDir);
const browser = await launchBrowser();
try {
  const text = JSON.stringify(generatedScenario(users, targets, changes));
  console.log(`scenario: ${users} users, ${targets} targets, ${changes} changes at tick 1 (${(text.length / 1e6).toFixed(1)} MB of JSON)`);

  // Memory: a fresh page, the scenario imported, Step, fast-forward `days` days.
  {
    const { page, errors } = await openWithMemory(browser, server.origin);
    console.log(`memory at start (the default example): ${await memory(page)}`);
    const importStarted = Date.now();
    await importScenario(page, text);
    console.log(`import: ${Date.now() - importStarted} ms; memory: ${await memory(page)}`);
    await page.getByTestId('step').click();
    await page.getByTestId('tick').filter({ hasText: /^1$/ }).waitFor({ timeout: 600_000 });
    console.log(`after the initial tick: ${await memory(page)}`);
    await page.getByTestId('ff-days').fill(String(days));
    const ffStarted = Date.now();
    await page.getByTestId('ff-go').click();
    await page.getByTestId('tick').filter({ hasText: new RegExp(`^${1 + days * 36}$`) }).waitFor({ timeout: 1_800_000 });
    console.log(`fast-forward ${days} days (${days * 36} ticks): ${((Date.now() - ffStarted) / 1000).toFixed(1)} s`);
    await page.waitForTimeout(500);
    console.log(`memory after the fast-forward: ${await memory(page)}`);
    for (const tick of [days * 18, 1]) {
      const started = Date.now();
      await goTo(page, tick);
      console.log(`going back to tick ${tick} (from the checkpoints kept): ${Date.now() - started} ms`);
    }
    if (errors.length) console.log(`page errors: ${errors.join('\n')}`);
    await page.close();
  }

  // Timings: another fresh page.
  const { page, errors } = await openWithMemory(browser, server.origin);
  await importScenario(page, text);
  const initial = [];
  for (let i = 0; i < 10; i++) {
    await goTo(page, 0);
    initial.push(await timeStep(page));
    await page.getByTestId('tick').filter({ hasText: /^1$/ }).waitFor();
  }
  const incremental = [];
  for (let i = 0; i < 10; i++) {
    await goTo(page, 1);
    incremental.push(await timeStep(page));
    await page.getByTestId('tick').filter({ hasText: /^2$/ }).waitFor();
  }
  const updated = await page.evaluate(() => document.querySelector('[data-testid="effect-counts"] [data-effect="updated"] [data-testid="effect-count"]')?.textContent);
  console.log(`(a) initial tick, click → next paint: median ${median(initial).toFixed(0)} ms (runs: ${initial.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(`(b) incremental tick (${changes} changes, ${updated} updates), click → next paint: median ${median(incremental).toFixed(0)} ms (runs: ${incremental.map((t) => t.toFixed(0)).join(', ')})`);
  if (errors.length) console.log(`page errors: ${errors.join('\n')}`);
} finally {
  await browser.close();
  await server.close();
}
