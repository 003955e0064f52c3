// The built site is relocatable: copied under a sub-path of a static host, it still loads every
// asset from beside its index.html and renders the app.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { distDir, exampleScenario, launchBrowser, openPage, serveDirectory } from './support.mjs';

const subPath = '/published/ctsync/';
let hostRoot;
let server;
let browser;

before(async () => {
  hostRoot = await mkdtemp(path.join(os.tmpdir(), 'ctsync-host-'));
  await cp(distDir, path.join(hostRoot, subPath), { recursive: true });
  server = await serveDirectory(hostRoot);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (hostRoot) await rm(hostRoot, { recursive: true, force: true });
});

test(`renders the app when the site is served under ${subPath}`, async () => {
  const { page, errors } = await openPage(browser, `${server.origin}${subPath}`);
  assert.equal(await page.getByTestId('tenant-node').count(), exampleScenario.tenants.length);
  assert.deepEqual(errors, []);
  const outside = server.requests.filter((p) => !p.startsWith(subPath));
  assert.deepEqual(outside, [], 'every request stays under the sub-path');
  assert.ok(
    server.requests.some((p) => p.endsWith('.wasm')),
    `the wasm was loaded from under the sub-path: ${server.requests.join(', ')}`,
  );
});
