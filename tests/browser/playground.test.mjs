// The playground's four scripts from issue 5, in a real headless Chromium against the release
// build: what a trainer does and what the class sees. Every test also fails on any page or console
// error. Expected numbers for the user hub come from the CLI (tests/browser/fixtures, kept in step
// by tests/browser_fixtures.rs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  dragBetween, effectCounts, nodeCounts, openTemplate, selectTenant, step, until, useSite,
} from './support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const userHub = JSON.parse(readFileSync(path.join(here, 'fixtures/user-hub-after-tick-0.json'), 'utf8'));

/** Serves the site around these tests; `fresh()` opens a page, `check()` asserts no error was logged. */
const site = useSite();
const fresh = site.fresh;

test('1. user hub: Step provisions users into every spoke; node and change-list counts agree with ctsync run', async () => {
  const { page, check } = await fresh();
  await openTemplate(page, 'user-hub');
  await step(page);
  for (const [tenant, expected] of Object.entries(userHub.tenants)) {
    assert.deepEqual(await nodeCounts(page, tenant), expected, `counts on the node of ${tenant}`);
    if (tenant !== 'contoso') assert.ok(expected.externalMembers > 0, `users appear in ${tenant}`);
  }
  const counts = await effectCounts(page);
  for (const [effect, n] of Object.entries(counts)) {
    assert.equal(n, userHub.tickSummary[effect] ?? 0, `change-list count of ${effect}`);
  }
  while (await page.getByTestId('show-more').count()) await page.getByTestId('show-more').first().click();
  assert.equal(
    await page.locator('[data-testid="change-row"][data-effect="created"]').count(),
    userHub.tickSummary.created,
    'one created row per created user',
  );
  // Each spoke's node is highlighted as changed, and every created row is green.
  assert.equal(await page.locator('.tenant-node.changed').count(), 4);
  const colour = await page.locator('[data-testid="change-row"][data-effect="created"] .effect-pill').first()
    .evaluate((el) => getComputedStyle(el).borderTopColor);
  assert.equal(colour, 'rgb(16, 124, 16)', 'created is green');
  check();
});

test('2. a new tenant and a dragged connection: readiness lists what is missing, the policy check fails, the fixes make users appear', async () => {
  const { page, check } = await fresh();
  await page.getByTestId('add-tenant').click();
  const newNode = page.locator('[data-testid="tenant-node"][data-tenant="tenant1"]');
  await newNode.waitFor();
  await page.waitForTimeout(100);
  await dragBetween(
    page,
    page.locator('[data-tenant="contoso"] [data-testid="connect-handle"]'),
    newNode.locator('.tenant-card'),
  );
  const arrow = page.locator('.sync-job[data-job="contoso-to-tenant1"]');
  // A vertical arrow has no width: wait for it to be there, not "visible".
  await arrow.waitFor({ state: 'attached' });
  assert.equal(await arrow.getAttribute('data-state'), 'not started');
  // The new configuration is selected: its readiness checklist lists everything missing.
  const readiness = page.getByTestId('readiness');
  await readiness.waitFor();
  const missing = await page.locator('[data-testid="readiness-item"][data-ready="false"]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-requirement')));
  assert.deepEqual(missing, ['targetAllowsSync', 'targetAutoRedemption', 'sourceAutoRedemption', 'someoneAssigned', 'jobStarted']);
  assert.match(await readiness.innerText(), /Enable cross-tenant sync and auto-redemption/);
  // Start it, and step: the connection test fails with Entra's code on the arrow.
  await page.locator('[data-requirement="jobStarted"] [data-testid="readiness-fix"]').click();
  await step(page);
  await until(async () => (await arrow.getAttribute('data-state')) === 'failing', 'the arrow shows failing');
  const label = page.locator('.job-label-group[data-job="contoso-to-tenant1"]');
  assert.equal(await label.getByTestId('job-error').textContent(), 'AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure');
  // Apply every one-click fix, and assign a group.
  for (let i = 0; i < 5; i++) {
    const fix = page.getByTestId('readiness-fix').first();
    if (!(await fix.count())) break;
    await fix.click();
    await page.waitForTimeout(50);
  }
  await page.getByTestId('inspector-tab-assign').click();
  await page.getByTestId('assign-group').selectOption('test-access');
  await page.getByTestId('inspector-tab-overview').click();
  await until(async () => (await page.locator('[data-testid="readiness-item"][data-ready="false"]').count()) === 0, 'every readiness item is ready');
  await step(page);
  const counts = await nodeCounts(page, 'tenant1');
  assert.ok(counts.externalMembers > 0, `users were created in the new tenant: ${JSON.stringify(counts)}`);
  assert.ok((await effectCounts(page)).created > 0);
  assert.equal(await arrow.getAttribute('data-state'), 'running');
  check();
});

test('3. configure example: a department change soft deletes (amber), 30 days later hard deletes; going back and undoing', async () => {
  const { page, check } = await fresh();
  await openTemplate(page, 'configure-example');
  await step(page);
  assert.equal((await nodeCounts(page, 'target')).externalMembers, 2);
  await selectTenant(page, 'source');
  await page.getByTestId('inspector-tab-users').click();
  await page.locator('[data-testid="user-row"][data-upn="users1@source.example"]').click();
  const department = page.getByTestId('attr-department');
  assert.equal(await department.inputValue(), 'Marketing');
  await department.fill('Sales');
  await department.press('Tab');
  await page.locator('[data-testid="timeline-mark"][data-tick="1"]').waitFor();
  await step(page);
  const softDeleted = page.locator('[data-testid="change-row"][data-effect="softDeleted"]');
  assert.equal(await softDeleted.count(), 1);
  assert.equal(await softDeleted.getAttribute('data-user'), 'users1@source.example');
  const amber = await softDeleted.locator('.effect-pill').evaluate((el) => getComputedStyle(el).borderTopColor);
  assert.equal(amber, 'rgb(193, 156, 0)', 'soft-deleted is amber');
  assert.equal((await nodeCounts(page, 'target')).softDeleted, 1);
  // Fast-forward 30 days: the recycle bin deletes the user permanently.
  await page.getByTestId('ff-days').fill('30');
  await page.getByTestId('ff-go').click();
  await page.getByTestId('tick').filter({ hasText: /^1082$/ }).waitFor({ timeout: 60_000 });
  const hard = page.locator('[data-testid="change-row"][data-effect="hardDeleted"]');
  assert.equal(await hard.count(), 1, 'the last tick hard-deleted the user');
  assert.match(await hard.getAttribute('data-user'), /^users1_source\.example#EXT#@/);
  const red = await hard.locator('.effect-pill').evaluate((el) => getComputedStyle(el).borderTopColor);
  assert.equal(red, 'rgb(197, 15, 31)', 'hard-deleted is red');
  // UserS1 is gone for good; UserS3, moved to Sales by the scenario at tick 3, is still in the recycle bin.
  assert.deepEqual(await nodeCounts(page, 'target'), { internal: 3, externalMembers: 0, externalGuests: 0, softDeleted: 1 });
  // Go back to before the change, and undo it.
  await page.getByTestId('goto-tick').fill('1');
  await page.getByTestId('goto-tick').press('Enter');
  await page.getByTestId('tick').filter({ hasText: /^1$/ }).waitFor();
  await page.getByTestId('undo').click();
  await until(async () => (await page.locator('[data-testid="timeline-mark"][data-tick="1"]').count()) === 0, 'the edit left the timeline');
  await page.locator('[data-testid="user-row"][data-upn="users1@source.example"]').click();
  assert.equal(await page.getByTestId('attr-department').inputValue(), 'Marketing');
  await step(page);
  assert.equal(await page.locator('[data-testid="change-row"][data-effect="softDeleted"]').count(), 0);
  assert.deepEqual(await nodeCounts(page, 'target'), { internal: 3, externalMembers: 2, externalGuests: 0, softDeleted: 0 });
  check();
});

test('4. a target admin blocks sign-in on a synced user: it stays blocked until the source user changes', async () => {
  const { page, check } = await fresh();
  await openTemplate(page, 'configure-example');
  await step(page);
  await selectTenant(page, 'target');
  await page.getByTestId('inspector-tab-users').click();
  const synced = page.locator('[data-testid="user-row"][data-upn="users1_source.example#EXT#@target.onmicrosoft.com"]');
  await synced.click();
  const block = page.getByTestId('block-sign-in');
  assert.equal(await block.innerText(), 'Target admin: Block sign-in');
  await block.click();
  await until(async () => (await synced.getByTestId('user-state').innerText()).startsWith('Sign-in blocked'), 'blocked in the view');
  await step(page);
  assert.match(await synced.getByTestId('user-state').innerText(), /^Sign-in blocked/, 'still blocked after a cycle');
  // The source user changes: the next cycle updates the account, sign-in flows again.
  await selectTenant(page, 'source');
  await page.getByTestId('inspector-tab-users').click();
  await page.locator('[data-testid="user-row"][data-upn="users1@source.example"]').click();
  const title = page.getByTestId('attr-jobTitle');
  await title.fill('Senior campaign manager');
  await title.press('Tab');
  await step(page);
  const update = page.locator('[data-testid="change-row"][data-user="users1@source.example"]');
  assert.equal(await update.getAttribute('data-effect'), 'updated');
  assert.match(await update.innerText(), /accountEnabled: False → True/);
  await selectTenant(page, 'target');
  await page.getByTestId('inspector-tab-users').click();
  assert.match(await synced.getByTestId('user-state').innerText(), /^Active/, 'sign-in re-enabled');
  check();
});
