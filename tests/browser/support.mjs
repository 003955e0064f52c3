// Shared helpers of the browser tests: a static file server for the built site, Debian's Chromium
// launched headless through playwright-core, and a page that records every error it sees.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
 * A 1280×800 page that records page errors, console errors, failed requests and error responses
 * in `errors`: the tests assert it stays empty, because a green build can still ship a page that
 * dies at start-up.
 */
export async function openPage(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
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
