// The playground's editors and views beyond the four scripts, in headless Chromium against the
// release build: the scoping filter builder's live results, the mapping editor's inline parse
// errors and Test expression, the provisioning log's filters and steps, keyboard undo, templates
// opening beside changed work, a tenant's name, domains and deletion, dialogs' keyboard focus, and
// the SVG export. Every test fails on any page or console error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  nodeCounts, openTemplate, selectTenant, step, until, useSite,
} from './support.mjs';

/** Serves the site around these tests; `fresh()` opens a page, `check()` asserts no error was logged. */
const site = useSite();
const fresh = site.fresh;

async function selectJob(page, id) {
  await page.locator(`.job-label-group[data-job="${id}"] [data-testid="job-badge"]`).click();
  await page.getByTestId('inspector-title').waitFor();
}

test('the scoping filter builder shows live who passes and which clause fails; Ctrl+Z undoes', async () => {
  const { page, check } = await fresh();
  await openTemplate(page, 'configure-example');
  await selectJob(page, 'source-to-target');
  await page.getByTestId('inspector-tab-filters').click();
  const summary = page.getByTestId('scope-summary');
  assert.match(await summary.innerText(), /^2 of 3/);
  // Every operator is offered, each with its rule as help.
  assert.equal(await page.getByTestId('clause-operator').locator('option').count(), 14);
  assert.match(await page.locator('.clause-help').innerText(), /EQUALS: the attribute equals the value exactly/);
  const value = page.getByTestId('clause-value');
  await value.fill('Finance');
  await value.press('Tab');
  await until(async () => /^1 of 3/.test(await summary.innerText()), 'one user passes');
  const users1 = page.locator('[data-testid="scope-row"][data-upn="users1@source.example"]');
  assert.equal(await users1.getAttribute('data-in-scope'), 'false');
  assert.match(await users1.innerText(), /Marketing department filter\.department EQUALS 'Finance'/);
  assert.equal(await page.locator('[data-testid="scope-row"][data-upn="users2@source.example"]').getAttribute('data-in-scope'), 'true');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await until(async () => /^2 of 3/.test(await summary.innerText()), 'undone');
  check();
});

test('the mapping editor shows parse errors inline, tests an expression and lists results for users in scope', async () => {
  const { page, check } = await fresh();
  await openTemplate(page, 'configure-example');
  await selectJob(page, 'source-to-target');
  await page.getByTestId('inspector-tab-mappings').click();
  assert.equal(await page.getByTestId('mapping-row').count(), 23, "Entra's 23 default mappings");
  await page.getByTestId('add-mapping').click();
  await page.getByTestId('mapping-target').fill('extensionAttribute1');
  const expression = page.getByTestId('expression');
  await expression.fill('Join(" ", [givenName], [surname]');
  const error = page.getByTestId('parse-error');
  await error.waitFor();
  assert.match(await error.innerText(), /at position 32/);
  assert.ok(await page.getByTestId('save-mapping').isDisabled());
  await expression.fill('Join(" ", [givenName], [surname], [department])');
  await until(async () => (await error.count()) === 0, 'the error went away');
  // The picker searches by name or UPN: "UserS1" names one user, who is tested on Enter.
  await page.getByTestId('test-user').fill('UserS1');
  await page.getByTestId('test-user').press('Enter');
  assert.equal(await page.getByTestId('test-user-chosen').innerText(), 'For UserS1 (users1@source.example)');
  assert.equal(await page.getByTestId('test-result').innerText(), 'Result: User S1 Marketing');
  const results = page.getByTestId('mapping-results').locator('tbody tr');
  assert.equal(await results.count(), 2, 'UserS1 and UserS3 are in scope');
  await page.getByTestId('save-mapping').click();
  await page.locator('[data-testid="mapping-row"][data-target="extensionAttribute1"]').waitFor();
  check();
});

test('the provisioning log filters by effect and opens the steps of an entry in Entra\'s words', async () => {
  const { page, check } = await fresh();
  await openTemplate(page, 'configure-example');
  await step(page);
  await page.getByTestId('tab-log').click();
  await page.getByTestId('filter-effect').selectOption('created');
  assert.equal(await page.getByTestId('log-count').innerText(), '2 entries');
  await page.getByTestId('filter-effect').selectOption('skipped');
  await page.locator('[data-testid="change-row"][data-user="users2@source.example"]').click();
  const steps = page.getByTestId('steps-panel');
  await steps.waitFor();
  const names = await steps.locator('.step-name').allTextContents();
  assert.deepEqual(names, ['EntryImport', 'EntrySynchronizationScoping', 'EntrySynchronizationSkip']);
  assert.match(await steps.innerText(), /Marketing department filter\.department EQUALS 'Marketing'/);
  assert.match(await steps.innerText(), /NotEffectivelyEntitled/);
  check();
});

test('opening a template over changes keeps them: the changed scenario stays a local scenario', async () => {
  const { page, check } = await fresh();
  await page.getByTestId('add-tenant').click();
  await page.locator('[data-testid="tenant-node"][data-tenant="tenant1"]').waitFor();
  await page.getByTestId('templates').click();
  await page.locator('[data-testid="template"][data-template="mesh"]').click();
  await until(async () => (await page.getByTestId('tenant-node').count()) === 3, 'the mesh opened');
  assert.equal(await page.getByTestId('confirm-dialog').count(), 0, 'nothing to confirm: the changes are kept');
  await page.getByTestId('scenarios').click();
  await page.getByTestId('scenario-entry').filter({ hasText: 'Production → test' }).getByTestId('scenario-open').click();
  await page.locator('[data-testid="tenant-node"][data-tenant="tenant1"]').waitFor();
  check();
});

test('the topology exports as a standalone SVG', async () => {
  const { page, check } = await fresh();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-svg').click(),
  ]);
  assert.match(download.suggestedFilename(), /^production-test.*\.svg$/);
  const svg = await readFile(await download.path(), 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /data-tenant="contoso-test"/);
  assert.match(svg, /<style>/);
  check();
});

test('the topology exports as PNG; Play steps on its own until paused', async () => {
  const { page, check } = await fresh();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-png').click(),
  ]);
  assert.match(download.suggestedFilename(), /\.png$/);
  const png = await readFile(await download.path());
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  await page.getByTestId('speed').selectOption('10');
  await page.getByTestId('play').click();
  const tick = async () => Number(await page.getByTestId('tick').innerText());
  await until(async () => (await tick()) >= 3, 'Play runs ticks');
  await page.getByTestId('play').click();
  const paused = await tick();
  await page.waitForTimeout(400);
  assert.equal(await tick(), paused, 'Pause stops');
  check();
});

test('provision on demand: pick a user by typing, the step-by-step result shows at once', async () => {
  const { page, check } = await fresh();
  await openTemplate(page, 'configure-example');
  await selectJob(page, 'source-to-target');
  await page.getByTestId('inspector-tab-ondemand').click();
  const picker = page.getByTestId('on-demand-user');
  await picker.fill('users1@');
  await picker.press('Enter');
  const result = page.getByTestId('on-demand-result');
  await result.waitFor();
  assert.deepEqual(
    await result.locator('.step-name').allTextContents(),
    ['EntryImport', 'EntrySynchronizationScoping', 'EntrySynchronizationAdd', 'EntryExportAdd'],
  );
  assert.match(await result.innerText(), /Created/);
  check();
});

test('Delete removes the selected configuration, from the canvas; undo brings it back', async () => {
  const { page, check } = await fresh();
  await selectJob(page, 'prod-to-test');
  await page.keyboard.press('Delete');
  await until(async () => (await page.locator('.sync-job[data-job="prod-to-test"]').count()) === 0, 'the arrow is gone');
  await page.getByTestId('undo').click();
  await page.locator('.sync-job[data-job="prod-to-test"]').waitFor({ state: 'attached' });
  // Delete typed in a field edits the field, not the topology.
  await selectJob(page, 'prod-to-test');
  await page.getByTestId('inspector-tab-settings').click();
  await page.getByTestId('prevention-threshold').focus();
  await page.keyboard.press('Delete');
  assert.equal(await page.locator('.sync-job[data-job="prod-to-test"]').count(), 1);
  check();
});

test('a tenant is renamed and its domains edited in the inspector; Delete removes it with its configurations, undo brings them back; deleted while running, the users it provisioned stay', async () => {
  const { page, check } = await fresh();
  await selectTenant(page, 'contoso-test');
  const name = page.getByTestId('tenant-name');
  await name.fill('Contoso QA');
  await name.press('Enter');
  await until(async () => (await page.getByTestId('inspector-title').innerText()) === 'Contoso QA', 'the inspector shows the new name');
  const node = page.locator('[data-testid="tenant-node"][data-tenant="contoso-test"]');
  await until(async () => /Contoso QA/.test(await node.locator('.tenant-name').textContent()), 'the node shows the new name');
  // A domain that is not one is refused with the reason, and the field shows the domains again.
  const domains = page.getByTestId('tenant-domains');
  const before = await domains.inputValue();
  await domains.fill('qa.contoso.com, contoso qa');
  await domains.press('Enter');
  await until(async () => /'contoso' is not a domain name/.test(await page.getByTestId('notice').innerText()), 'the refusal says why');
  assert.equal(await domains.inputValue(), before);
  await domains.fill('qa.contoso.com');
  await domains.press('Enter');
  await until(async () => /qa\.contoso\.com/.test(await page.locator('.facts').first().innerText()), 'the new domain is listed');
  // Delete on the canvas: the tenant and the configuration into it go; undo brings both back, renamed.
  await selectTenant(page, 'contoso-test');
  await page.keyboard.press('Delete');
  await until(async () => (await node.count()) === 0, 'the tenant is gone');
  assert.equal(await page.locator('.sync-job[data-job="prod-to-test"]').count(), 0, 'its configuration is gone');
  assert.match(await page.getByTestId('notice').innerText(), /users they provisioned in other tenants stay/);
  await page.getByTestId('undo').click();
  await node.waitFor();
  await page.locator('.sync-job[data-job="prod-to-test"]').waitFor({ state: 'attached' });
  assert.match(await node.locator('.tenant-name').textContent(), /Contoso QA/);
  // In a running simulation: the source tenant goes, the users its configuration provisioned stay.
  await step(page);
  const synced = async () => {
    const c = await nodeCounts(page, 'contoso-test');
    return c.externalMembers + c.externalGuests;
  };
  const provisioned = await synced();
  assert.ok(provisioned > 0, 'the first cycle provisioned users');
  await selectTenant(page, 'contoso');
  await page.getByTestId('delete-tenant').click();
  await until(async () => (await page.locator('[data-testid="tenant-node"][data-tenant="contoso"]').count()) === 0, 'the source tenant is gone');
  assert.equal(await page.locator('.sync-job[data-job="prod-to-test"]').count(), 0, 'its configuration ended');
  await step(page);
  assert.equal(await synced(), provisioned, 'the users it provisioned stay');
  check();
});

test('dialogs keep keyboard focus inside, close on Escape and give focus back to the control that opened them', async () => {
  const { page, check } = await fresh();
  const focusIn = (testid) => page.evaluate((id) => !!document.activeElement?.closest(`[data-testid="${id}"]`), testid);
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
  // About, opened from the keyboard over a change that could be undone.
  await page.getByTestId('add-tenant').click();
  const added = page.locator('[data-testid="tenant-node"][data-tenant="tenant1"]');
  await added.waitFor();
  await page.getByTestId('about').focus();
  await page.keyboard.press('Enter');
  const about = page.getByTestId('about-dialog');
  await about.waitFor();
  await until(() => focusIn('about-dialog'), 'focus moves into the dialog');
  for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key);
    assert.ok(await focusIn('about-dialog'), `${key} keeps focus in the About dialog`);
  }
  await page.keyboard.press('Control+z');
  assert.equal(await added.count(), 1, 'the page\'s shortcuts wait while a dialog is open');
  await page.keyboard.press('Escape');
  await until(async () => (await about.count()) === 0, 'Escape closes the dialog');
  assert.equal(await focused(), 'about', 'focus is back on the About button');
  // Open a link: Tab and Shift+Tab wrap around its field and two buttons.
  await page.getByTestId('open-link').click();
  await page.getByTestId('open-link-dialog').waitFor();
  await until(async () => (await focused()) === 'open-link-text', 'the link field has focus');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(), 'open-link-cancel', 'Shift+Tab from the first control wraps to the last');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'open-link-text', 'Tab from the last control wraps to the first');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'open-link-go');
  await page.keyboard.press('Escape');
  await until(async () => (await page.getByTestId('open-link-dialog').count()) === 0, 'Escape closes it');
  assert.equal(await focused(), 'open-link', 'focus is back on the button that opened it');
  check();
});
