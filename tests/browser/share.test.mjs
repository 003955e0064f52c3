// Share links, autosave and local scenarios in headless Chromium against the release build: a
// copied link opens the same topology at the same tick in a fresh browser on another path (and is
// the very link the CLI makes), with the selected tenant or user; a refused clipboard leaves the link
// selected to copy by hand; a bad link shows its reason and leaves local work alone; work is
// autosaved and restored after a reload; the same link twice is one copy; delete and undo; a full
// storage says so and guards unsaved work. Every test fails on any page or console error.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  distDir, launchBrowser, nodeCounts, openPage, openTemplate, serveDirectory, step, until,
} from './support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
/** `ctsync link encode scenarios/examples/user-hub.json --tick 2` (kept in step by tests/browser_fixtures.rs). */
const cliLink = (await readFile(path.join(here, 'fixtures/user-hub-tick-2.link'), 'utf8')).trim();

const subPath = '/elsewhere/ctsync/';
let server;
let hostRoot;
let other;
let browser;

before(async () => {
  server = await serveDirectory(distDir);
  hostRoot = await mkdtemp(path.join(os.tmpdir(), 'ctsync-share-'));
  await cp(distDir, path.join(hostRoot, subPath), { recursive: true });
  other = await serveDirectory(hostRoot);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await other?.close();
  if (hostRoot) await rm(hostRoot, { recursive: true, force: true });
});

/** A page in a new browser context (empty storage), or in `context` when given. */
async function fresh(url = `${server.origin}/`, context = undefined) {
  const { page, errors } = await openPage(context ?? (await browser.newContext()), url);
  return { page, check: () => assert.deepEqual(errors, [], 'no page or console error') };
}

/** Every tenant on the canvas: id → name and the four counts. */
async function topology(page) {
  const out = {};
  for (const node of await page.getByTestId('tenant-node').all()) {
    const id = await node.getAttribute('data-tenant');
    out[id] = { name: (await node.locator('.tenant-name').textContent()).trim(), ...(await nodeCounts(page, id)) };
  }
  return out;
}

async function waitTick(page, tick) {
  await page.getByTestId('tick').filter({ hasText: new RegExp(`^${tick}$`) }).waitFor();
}

async function waitSaved(page) {
  await page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor();
}

/** The local scenarios' names, as the Scenarios panel lists them (the panel is closed again). */
async function localNames(page) {
  await page.getByTestId('scenarios').click();
  await page.getByTestId('scenarios-panel').waitFor();
  const names = await page.getByTestId('scenario-entry-name').allTextContents();
  await page.getByTestId('scenarios-close').click();
  return names;
}

async function copyLink(page) {
  await page.getByTestId('copy-link').click();
  await page.getByTestId('link-status').filter({ hasText: /Copied|did not allow/ }).waitFor();
  const link = await page.getByTestId('link-text').inputValue();
  return link;
}

test('a copied link opens the same topology at the same tick on another path, and equals the CLI link', async () => {
  const a = await fresh();
  await a.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  await openTemplate(a.page, 'user-hub');
  await step(a.page);
  await step(a.page);
  const link = await copyLink(a.page);
  assert.match(await a.page.getByTestId('link-status').innerText(), /Copied to the clipboard/);
  assert.equal(await a.page.evaluate(() => navigator.clipboard.readText()), link, 'the clipboard holds the link');
  assert.ok(link.startsWith(`${server.origin}/#`), `the link is on the page's own address: ${link}`);
  const fragment = new URL(link).hash;
  assert.equal(fragment, cliLink, 'the browser and `ctsync link encode --tick 2` make the same link');
  assert.match(await a.page.getByTestId('link-length').innerText(), new RegExp(`^${link.length.toLocaleString('en-US')} characters`));
  assert.equal(await a.page.getByTestId('link-warning').count(), link.length > 2000 ? 1 : 0);
  await a.page.getByTestId('link-close').click();
  const expected = await topology(a.page);
  assert.equal(Object.keys(expected).length, 5);
  a.check();

  const b = await fresh(`${other.origin}${subPath}${fragment}`);
  assert.match(await b.page.getByTestId('notice').innerText(), /Opened from a link/);
  await waitTick(b.page, 2);
  await until(async () => JSON.stringify(await topology(b.page)) === JSON.stringify(expected), 'the same topology and counts');
  assert.equal(new URL(b.page.url()).hash, '', 'the fragment left the address bar');
  assert.equal(new URL(b.page.url()).pathname, subPath);
  assert.deepEqual(await localNames(b.page), ['User hub (one hub, four spokes)'], 'the link is the only local scenario');
  // The link copied there is on that page's address and is the same link.
  const again = await copyLink(b.page);
  assert.equal(again, `${other.origin}${subPath}${fragment}`);
  await b.page.getByTestId('link-close').click();
  b.check();

  // The selection travels too.
  await a.page.locator('[data-testid="tenant-node"][data-tenant="sandbox"] .tenant-name').click();
  await a.page.getByTestId('inspector-title').filter({ hasText: 'Contoso Sandbox' }).waitFor();
  const selected = new URL(await copyLink(a.page)).hash;
  assert.notEqual(selected, fragment);
  const c = await fresh(`${server.origin}/${selected}`);
  await waitTick(c.page, 2);
  await c.page.getByTestId('inspector-title').filter({ hasText: 'Contoso Sandbox' }).waitFor();
  c.check();

  // A selected user travels as that user: the link opens their details in their tenant.
  await a.page.getByTestId('link-close').click();
  await a.page.getByTestId('inspector-tab-users').click();
  const row = a.page.getByTestId('user-row').first();
  const upn = await row.getAttribute('data-upn');
  await row.click();
  await a.page.getByTestId('user-detail').waitFor();
  const withUser = new URL(await copyLink(a.page)).hash;
  assert.notEqual(withUser, selected);
  const d = await fresh(`${server.origin}/${withUser}`);
  await waitTick(d.page, 2);
  await d.page.getByTestId('user-detail').waitFor();
  assert.equal(await d.page.getByTestId('inspector-title').innerText(), 'Contoso Sandbox');
  assert.ok((await d.page.getByTestId('user-detail').innerText()).includes(upn), `the details of ${upn}`);
  d.check();
});

test('when the browser refuses the clipboard, the link is selected in the field to copy by hand', async () => {
  const context = await browser.newContext();
  // Chromium's own refusal (no permission) depends on focus and flags; refuse it the same way it does.
  await context.addInitScript(() => {
    Clipboard.prototype.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
  });
  const { page, check } = await fresh(`${server.origin}/`, context);
  try {
    const link = await copyLink(page);
    assert.match(await page.getByTestId('link-status').innerText(), /did not allow copying: the link is selected below/);
    assert.ok(link.startsWith(`${server.origin}/#`), link);
    const selection = await page.getByTestId('link-text').evaluate((el) => ({
      focused: document.activeElement === el, start: el.selectionStart, end: el.selectionEnd, length: el.value.length,
    }));
    assert.deepEqual(selection, { focused: true, start: 0, end: link.length, length: link.length }, 'the whole link is selected');
    // Copy again tries once more and says the same.
    await page.getByTestId('link-copy-again').click();
    await page.getByTestId('link-status').filter({ hasText: /did not allow/ }).waitFor();
    check();
  } finally {
    await context.close();
  }
});

test('a corrupted or truncated link shows its reason and leaves local work untouched', async () => {
  const { page, check } = await fresh();
  await page.getByTestId('add-tenant').click();
  await page.locator('[data-testid="tenant-node"][data-tenant="tenant1"]').waitFor();
  await waitSaved(page);
  const before = await topology(page);

  // A new page of the same browser (same storage), opened with a truncated link.
  const truncated = cliLink.slice(0, Math.floor(cliLink.length / 2));
  const second = await fresh(`${server.origin}/${truncated}`, page.context());
  const banner = second.page.getByTestId('banner');
  await banner.waitFor();
  assert.match(await banner.innerText(), /could not be opened.*truncated.*Your local scenarios are unchanged/s);
  assert.deepEqual(await topology(second.page), before, 'the local work is what opened');
  assert.equal(new URL(second.page.url()).hash, '');

  // A link typed into the address bar of the open app, from a version this ctsync does not read.
  await second.page.getByTestId('banner-dismiss').click();
  await second.page.evaluate(() => { window.location.hash = '#9.AAAAAAAAAAAAAAAAAAAA'; });
  await banner.waitFor();
  assert.match(await banner.innerText(), /format version 9, which this ctsync does not read/);
  // Altered characters, pasted into Open link: the reason shows in the dialog.
  await second.page.getByTestId('open-link').click();
  await second.page.getByTestId('open-link-text').fill(`${cliLink.slice(0, 40)}!!${cliLink.slice(42)}`);
  await second.page.getByTestId('open-link-go').click();
  assert.match(await second.page.getByTestId('open-link-error').innerText(), /not base64url at position 41: '!'/);
  await second.page.getByTestId('open-link-cancel').click();
  assert.deepEqual(await topology(second.page), before);
  assert.equal((await localNames(second.page)).length, 1, 'no scenario was added');
  second.check();
  check();
});

test('every change is autosaved and a reload restores it at the same tick', async () => {
  const { page, check } = await fresh();
  await openTemplate(page, 'mesh');
  await page.getByTestId('add-tenant').click();
  await page.locator('[data-testid="tenant-node"][data-tenant="tenant1"]').waitFor();
  await step(page);
  await step(page);
  await step(page);
  await waitSaved(page);
  const before = await topology(page);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('ctsync.v1.index')));
  const mesh = stored.entries.find((e) => e.id === stored.lastOpen);
  assert.equal(mesh.tick, 3);
  assert.match(await page.evaluate((id) => localStorage.getItem(`ctsync.v1.scenario.${id}`), mesh.id), /^2\.[A-Za-z0-9_-]+$/,
    'stored in the link form');
  await page.reload();
  await page.getByTestId('tenant-node').first().waitFor();
  await waitTick(page, 3);
  assert.deepEqual(await topology(page), before);
  assert.deepEqual((await localNames(page)).sort(), ['Mesh of three portfolio companies', 'Production → test (1:1)']);
  check();
});

test('opening the same link twice goes to the one copy', async () => {
  const { page, check } = await fresh(`${server.origin}/${cliLink}`);
  await waitTick(page, 2);
  await page.getByTestId('notice').filter({ hasText: /Opened from a link: "User hub \(one hub, four spokes\)" at tick 2, as a new local scenario/ }).waitFor();
  // Again, into the address bar of the open app…
  await page.evaluate((l) => { window.location.hash = l; }, cliLink);
  await page.getByTestId('notice').filter({ hasText: /you already have this scenario as "User hub \(one hub, four spokes\)"/ }).waitFor();
  // …through Open link…
  await page.getByTestId('open-link').click();
  await page.getByTestId('open-link-text').fill(`https://example.org/anywhere/${cliLink}`);
  await page.getByTestId('open-link-go').click();
  await page.getByTestId('notice').filter({ hasText: /you already have this scenario/ }).waitFor();
  // …and in another tab of the same browser.
  const second = await fresh(`${server.origin}/${cliLink}`, page.context());
  await second.page.getByTestId('notice').filter({ hasText: /you already have this scenario/ }).waitFor();
  assert.deepEqual(await localNames(second.page), ['User hub (one hub, four spokes)']);
  // A template opened in the second tab shows in the first tab's list at once.
  await openTemplate(second.page, 'mesh');
  await waitSaved(second.page);
  await until(async () => (await localNames(page)).length === 2, 'the first tab lists the second tab\'s new scenario');
  second.check();
  check();
});

test('local scenarios: rename, duplicate, delete and undo', async () => {
  const { page, check } = await fresh();
  await openTemplate(page, 'mesh');
  await waitSaved(page);
  await page.getByTestId('scenarios').click();
  const panel = page.getByTestId('scenarios-panel');
  const meshRow = panel.getByTestId('scenario-entry').filter({ hasText: 'Mesh' });
  await meshRow.getByTestId('scenario-rename').click();
  await meshRow.getByTestId('scenario-rename-input').fill('Mesh, my design');
  await meshRow.getByTestId('scenario-rename-input').press('Enter');
  await panel.getByTestId('scenario-entry-name').filter({ hasText: 'Mesh, my design' }).waitFor();
  assert.equal(await page.getByTestId('scenario-name').innerText(), 'Mesh, my design');
  await panel.getByTestId('scenario-entry').filter({ hasText: 'Mesh, my design' }).getByTestId('scenario-duplicate').click();
  await panel.getByTestId('scenario-entry-name').filter({ hasText: 'Mesh, my design (copy)' }).waitFor();
  assert.equal(await panel.getByTestId('scenario-entry').count(), 3);

  // Delete the open one: the most recent other one opens; Undo brings it back, open.
  await panel.getByTestId('scenario-entry').filter({ hasText: /^Mesh, my design(?! \(copy\))/ }).first().getByTestId('scenario-delete').click();
  await until(async () => (await panel.getByTestId('scenario-entry').count()) === 2, 'two entries left');
  assert.equal(await panel.getByTestId('trash-entry').count(), 1);
  await page.getByTestId('undo-delete-notice').waitFor();
  await page.getByTestId('undo-delete').click();
  await until(async () => (await panel.getByTestId('scenario-entry').count()) === 3, 'three entries again');
  assert.equal(await panel.getByTestId('trash-entry').count(), 0);
  assert.equal(await page.getByTestId('scenario-name').innerText(), 'Mesh, my design');
  await page.getByTestId('scenarios-close').click();
  assert.equal(await page.getByTestId('tenant-node').count(), 3);
  // Deleting, then reloading: gone for good.
  await page.getByTestId('scenarios').click();
  await panel.getByTestId('scenario-entry').filter({ hasText: 'Production → test' }).getByTestId('scenario-delete').click();
  await until(async () => (await panel.getByTestId('scenario-entry').count()) === 2, 'two entries left');
  await page.reload();
  await page.getByTestId('tenant-node').first().waitFor();
  assert.deepEqual((await localNames(page)).sort(), ['Mesh, my design', 'Mesh, my design (copy)']);
  // From the keyboard: the panel takes the focus when it opens, and Escape closes it.
  await page.getByTestId('scenarios').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('scenarios-panel').waitFor();
  assert.ok(await page.evaluate(() => document.activeElement.closest('[data-testid="scenarios-panel"]') !== null));
  await page.keyboard.press('Escape');
  await until(async () => (await page.getByTestId('scenarios-panel').count()) === 0, 'Escape closed the panel');
  check();
});

test('a template opens beside changed work; a full storage says so and guards unsaved work', async () => {
  const { page, check } = await fresh();
  await page.getByTestId('add-tenant').click();
  await page.locator('[data-testid="tenant-node"][data-tenant="tenant1"]').waitFor();
  await openTemplate(page, 'mesh');
  assert.equal(await page.getByTestId('confirm-dialog').count(), 0, 'nothing to confirm: the work is kept');
  await page.getByTestId('scenarios').click();
  await page.getByTestId('scenario-entry').filter({ hasText: 'Production → test' }).getByTestId('scenario-open').click();
  await page.locator('[data-testid="tenant-node"][data-tenant="tenant1"]').waitFor();

  // Fill the site's storage, then change something.
  await page.evaluate(() => {
    const chunk = 'x'.repeat(256 * 1024);
    for (let i = 0; ; i++) {
      try { localStorage.setItem(`filler.${i}`, chunk); } catch { break; }
    }
    for (let size = 128 * 1024; size >= 1; size = Math.floor(size / 2)) {
      try { localStorage.setItem(`filler.small.${size}`, 'x'.repeat(size)); } catch { /* next size */ }
    }
  });
  await page.getByTestId('add-tenant').click();
  await page.locator('[data-testid="tenant-node"][data-tenant="tenant2"]').waitFor();
  const banner = page.locator('[data-testid="banner"][data-kind="StorageFull"]');
  await banner.waitFor();
  assert.match(await banner.innerText(), /storage for this site is full/);
  assert.equal(await page.getByTestId('save-status').innerText(), 'Not saved');
  // A template cannot be stored either, so it asks before replacing the unsaved change.
  await page.getByTestId('templates').click();
  await page.locator('[data-testid="template"][data-template="configure-example"]').click();
  await page.getByTestId('confirm-dialog').waitFor();
  await page.getByTestId('confirm-cancel').click();
  assert.equal(await page.locator('[data-testid="tenant-node"][data-tenant="tenant2"]').count(), 1);
  const [download] = await Promise.all([page.waitForEvent('download'), banner.getByTestId('banner-export').click()]);
  assert.match(download.suggestedFilename(), /\.json$/);
  assert.match(await readFile(await download.path(), 'utf8'), /"tenant2"/, 'the export holds the unsaved change');
  // Room again: the next change is saved and the banner goes.
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('filler.')) localStorage.removeItem(key);
  });
  await step(page);
  await waitSaved(page);
  assert.equal(await banner.count(), 0);
  check();
});
