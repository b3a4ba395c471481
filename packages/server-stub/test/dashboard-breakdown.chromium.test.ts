// The dashboard's breakdown in the system Chromium (dashboard-browser.ts): the 90 days of demo
// history carry plans, countries, locales and checkout's payment method.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { SHOTS, signIn, useDashboard } from './dashboard-browser';

const dashboard = useDashboard();

test('a table per group with answers, score and interval, small groups marked, two groups compared', async () => {
  const { page, problems } = await dashboard.openPage();
  await signIn(page);
  const card = page.getByRole('article', { name: 'Breakdown' });
  const table = card.locator('table');
  await table.waitFor({ timeout: 15_000 });
  const rows = async () => (await table.locator('tbody tr').all()).length;
  await page.getByLabel('Range').selectOption('90');
  await expect.poll(() => table.locator('tbody th').allTextContents()).toEqual(
    expect.arrayContaining([expect.stringMatching(/^free/), expect.stringMatching(/^team/), expect.stringMatching(/^business/)]),
  );
  // Every row: its answers, a score, and its interval or why there is none.
  for (const row of await table.locator('tbody tr').all()) {
    const cells = await row.locator('td').allTextContents();
    expect(cells[1]).toMatch(/^\d[\d,]*$/);
    expect(cells[2]).toMatch(/^[+-]?\d+$|^–$/);
    expect(cells[3]).toMatch(/^[+-]?\d+ to [+-]?\d+$|too few answers/);
    const few = (await row.getAttribute('class')) === 'few';
    expect(few).toBe(Number(cells[1]!.replace(',', '')) < 30);
    expect(await row.getByText('few answers').count()).toBe(few ? 1 : 0);
  }

  await card.getByLabel('Compare business').check();
  await expect.poll(() => card.getByRole('status').textContent()).toMatch(/Tick two groups/);
  await card.getByLabel('Compare free').check();
  await expect.poll(() => card.getByRole('status').textContent()).toMatch(/^business − free: [+-]\d+ points \(95% CI [+-]?\d+ points to [+-]?\d+ points\)\. The interval (leaves out|includes) 0/);
  await page.screenshot({ path: join(SHOTS, 'dashboard-breakdown.png'), fullPage: false, clip: (await card.boundingBox())! });
  await card.screenshot({ path: '/tmp/cxkit-breakdown.png' });

  // A third tick replaces the older of the two.
  await card.getByLabel('Compare team').check();
  await expect.poll(() => card.getByRole('status').textContent()).toMatch(/^free − team|^team − free/);
  expect(await card.getByLabel('Compare business').isChecked()).toBe(false);

  await card.getByLabel('Group by').selectOption('locale');
  await expect.poll(() => table.locator('tbody th').allTextContents()).toContainEqual(expect.stringMatching(/^de-DE/));
  expect(await card.locator('input[type=checkbox]:checked').count()).toBe(0);

  await card.getByLabel('Metric').selectOption('csat');
  await card.getByLabel('Group by').selectOption('survey');
  await expect.poll(() => table.locator('tbody th').allTextContents()).toEqual([expect.stringMatching(/^Support CSAT/)]);

  await card.getByLabel('Metric').selectOption('nps');
  await card.getByLabel('Group by').selectOption('event');
  await card.getByLabel('Property').fill('payment');
  await card.getByLabel('Property').press('Enter');
  await expect.poll(() => table.locator('tbody th').allTextContents()).toEqual(
    expect.arrayContaining([expect.stringMatching(/^card/), expect.stringMatching(/^paypal/), expect.stringMatching(/^invoice/)]),
  );
  expect(await rows()).toBeGreaterThanOrEqual(3);
  expect(problems).toEqual([]);
  await page.close();
}, 60_000);
