// The dashboard's accounts in the system Chromium (dashboard-browser.ts), on the generated demo
// history: accounts worst health first, the accounts at risk with the revenue they carry, and an
// account's own page. Screenshots go to test-results/ for a person to look at.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { AccountHealthAnswer } from '../src/accounts-api';
import { DEMO_PROJECT } from '../src/demo';
import { SHOTS, signIn, useDashboard } from './dashboard-browser';

const dashboard = useDashboard();

test('lists accounts worst first with the accounts at risk and their MRR; an account opens its own page', async () => {
  const api = (await (await fetch(`${dashboard.url}/v1/account-health`, { headers: { Authorization: `Bearer ${DEMO_PROJECT.readKey}` } })).json()) as AccountHealthAnswer;
  const { page, problems } = await dashboard.openPage();
  await signIn(page);
  const section = page.getByRole('region', { name: 'Accounts at risk' });
  await section.waitFor();
  const risky = api.atRisk.accounts.length;
  expect(risky).toBeGreaterThan(0);
  expect(await section.textContent()).toContain(`${risky} accounts at risk`);
  expect(await section.textContent()).toContain(`${new Intl.NumberFormat('en').format(api.atRisk.revenueAtRisk!)} MRR at risk`);

  const table = page.locator('table.accounts');
  const rows = table.locator('tbody tr');
  expect(await rows.count()).toBe(api.accounts.length);
  // Worst first, each with its index and band as the API gives them.
  const first = api.accounts[0]!;
  expect(await rows.first().textContent()).toContain(`${first.health.index} ${first.health.category}`);
  expect(await table.locator('tr.risk').count()).toBe(risky);
  await page.locator('section[aria-labelledby="accounts-title"]').screenshot({ path: join(SHOTS, 'dashboard-accounts.png') });

  const name = String(first.traits.name ?? first.id);
  await rows.first().getByRole('button', { name }).click();
  const own = page.getByRole('region', { name: `Account ${name}` });
  await own.waitFor();
  expect(await own.getByRole('article', { name: 'Account NPS' }).textContent()).toMatch(/users · (95% CI|too few)/);
  expect(await own.getByRole('article', { name: 'Account usage' }).textContent()).toMatch(/of \d+ users active in 30 days/);
  expect(await own.locator('.components li').count()).toBe(6);
  expect(await own.textContent()).toContain('pulls it down most');
  expect(await own.locator('canvas').count()).toBeGreaterThan(0);
  await own.screenshot({ path: join(SHOTS, 'dashboard-account.png') });
  await own.getByRole('button', { name: 'Close' }).click();
  expect(await own.count()).toBe(0);
  expect(problems).toEqual([]);
  await page.close();
}, 60_000);
