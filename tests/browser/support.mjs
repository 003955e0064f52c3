// Shared helpers of the browser tests: a static file server for the built site, Debian's Chromium
// launched headless through playwright-core, and a page that records every error it sees.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The release site built by `cargo xtask dist` (or `cargo xtask test`). */
export const distDir = path.resolve(process.env.CTSYNC_DIST ?? path.join(here, '../../dist'));

/** The example scenario the playground opens with: the tests compare the page against it. */
export const exampleScenario = JSON.parse(
  readFileSync(path.join(here, '../../scenarios/examples/production-test.json'), 'utf8'),
);

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Serves `root` on 127.0.0.1 at a free port, like a plain static host: files as they are, a folder
 * as its index.html, a folder without its trailing slash redirected to it, anything else a 404.
 * Resolves to `{ origin, requests, close }`; `requests` lists every path asked for.
 */
export async function serveDirectory(root) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const pathname = decodeURIComponent(url.pathname);
    requests.push(pathname);
    const file = path.join(root, pathname);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const info = await stat(file);
      if (info.isDirectory()) {
        if (!pathname.endsWith('/')) {
          res.writeHead(301, { Location: `${pathname}/` }).end();
          return;
        }
        await sendFile(res, path.join(file, 'index.html'));
      } else {
        await sendFile(res, file);
      }
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function sendFile(res, file) {
  const body = await readFile(file);
  const type = contentTypes[path.extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
}

/** Debian's Chromium, headless, with the machine's closed network kept out of its way. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CTSYNC_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * A 1280×800 page (of a new browser context when given the browser, else of the context given)
 * that records page errors, console errors, failed requests and error responses in `errors`: the tests assert it stays empty, because a green build can still ship a page that
 * dies at start-up.
 */
export async function openPage(browser, url) {
  // A browser gives a page in a new context (empty storage); a context, a page sharing its storage.
  const page = typeof browser.newContext === 'function'
    ? await browser.newPage({ viewport: { width: 1280, height: 800 } })
    : await browser.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  const errors = [];
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console error: ${msg.text()}`);
  });
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.goto(url);
  try {
    await page.getByTestId('tenant-node').first().waitFor({ timeout: 20_000 });
  } catch (err) {
    throw new Error(`the app did not render a tenant: ${err.message}\nerrors seen: ${JSON.stringify(errors, null, 2)}`);
  }
  return { page, errors };
}

/** Opens a built-in template from the header's Templates menu (confirming if asked). */
export async function openTemplate(page, id) {
  await page.getByTestId('templates').click();
  await page.locator(`[data-testid="template"][data-template="${id}"]`).click();
  const confirm = page.getByTestId('confirm-open');
  if (await confirm.count()) await confirm.click();
  await page.getByTestId('tick').filter({ hasText: /^0$/ }).waitFor();
}

/** Presses Step and waits for the tick counter to move on. */
export async function step(page) {
  const before = Number(await page.getByTestId('tick').innerText());
  await page.getByTestId('step').click();
  await page.getByTestId('tick').filter({ hasText: new RegExp(`^${before + 1}$`) }).waitFor();
}

/** The four user counts drawn on a tenant's node. */
export async function nodeCounts(page, tenant) {
  const node = page.locator(`[data-testid="tenant-node"][data-tenant="${tenant}"]`);
  const count = async (key) => Number(await node.locator(`[data-count="${key}"] .count-value`).textContent());
  return {
    internal: await count('internal'),
    externalMembers: await count('externalMembers'),
    externalGuests: await count('externalGuests'),
    softDeleted: await count('softDeleted'),
  };
}

/** The change view's counts by effect (core's effect names). */
export async function effectCounts(page) {
  const chips = page.locator('[data-testid="effect-counts"] [data-effect]');
  const out = {};
  for (const chip of await chips.all()) {
    out[await chip.getAttribute('data-effect')] = Number(await chip.getByTestId('effect-count').textContent());
  }
  return out;
}

/** Selects a tenant by clicking its node. */
export async function selectTenant(page, tenant) {
  await page.locator(`[data-testid="tenant-node"][data-tenant="${tenant}"] .tenant-name`).click();
  await page.getByTestId('inspector-title').waitFor();
}

/** Drags with the mouse from the centre of one element to the centre of another. */
export async function dragBetween(page, from, to) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2 + 10, (a.y + b.y) / 2 + 10, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Waits until `fn` (async, returning a truthy value) holds, or fails with `message`. */
export async function until(fn, message, timeout = 10_000) {
  const started = Date.now();
  let last;
  while (Date.now() - started < timeout) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out: ${message} (last: ${JSON.stringify(last)})`);
}

/**
 * Serves dist/ and launches Chromium around one test file's tests (node:test `before`/`after`).
 * `site.browser` is the browser; `site.fresh(context?)` opens a page at the site's root (in
 * `context`, else the browser's default context) and returns it with `check`, which asserts that no
 * page or console error was logged.
 */
export function useSite() {
  const site = {};
  before(async () => {
    site.server = await serveDirectory(distDir);
    site.browser = await launchBrowser();
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  site.fresh = async (context) => {
    const { page, errors } = await openPage(context ?? site.browser, `${site.server.origin}/`);
    return { page, check: () => assert.deepEqual(errors, [], 'no page or console error') };
  };
  return site;
}
