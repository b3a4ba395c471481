// Consent in a real Chromium: a user who declines analytics can still answer the surveys they see;
// one who opts out of everything sees none; optIn() brings analytics back.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { callCxkit, cxkitStarted, proxiedPages, useFaultProxy, waitFor } from './harness';

const setup = useFaultProxy();
const openPage = proxiedPages(setup);

interface Cxkit {
  track(event: string, properties?: Record<string, unknown>): void;
  identify(userId: string): void;
  flush(): Promise<void>;
  optOut(choice?: { analytics?: boolean }): void;
  optIn(): void;
}

const call = (page: Page, fn: (cxkit: Cxkit) => unknown) => callCxkit<Cxkit>(page, fn);

const anonymousId = (page: Page) => page.evaluate(() => localStorage.getItem('cxkit.anonymousId')!);
const itemsOf = (device: string, since: number) =>
  setup.server.query<{ type: string; event: string | null }>(
    "SELECT type, json_extract(payload, '$.event') AS event FROM items WHERE anonymous_id = ? AND at >= ? ORDER BY id",
    device,
    since,
  );

test('optOut({ analytics: true }): no session, activity, track() or identify reaches the server, but the survey is shown and its answer arrives; remembered across a reload; optIn() restores analytics', async () => {
  const page = await openPage();
  await call(page, (cxkit) => cxkit.flush());
  const device = await anonymousId(page);
  const since = Date.now();

  await call(page, (cxkit) => {
    cxkit.optOut({ analytics: true });
    cxkit.identify('consent-user');
    cxkit.track('consent declined analytics');
    cxkit.track('checkout_completed');
  });
  await page.getByRole('radio', { name: '9' }).click();
  await page.getByRole('textbox').fill('Feedback without analytics');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Thank you for your feedback!').waitFor();
  await call(page, (cxkit) => cxkit.flush());
  const response = await waitFor(
    () => setup.server.query<{ score: number; final: number }>('SELECT score, final FROM responses WHERE comment = ?', 'Feedback without analytics')[0],
    15_000,
    'the answer in the database',
  );
  expect(response).toMatchObject({ score: 9, final: 1 });

  // A reload keeps the choice.
  await page.reload();
  await cxkitStarted(page);
  await call(page, (cxkit) => {
    cxkit.track('consent after reload');
    return cxkit.flush();
  });
  expect(itemsOf(device, since).map((item) => item.type).sort()).toEqual(['survey_response', 'survey_response', 'survey_shown']);

  await call(page, (cxkit) => {
    cxkit.optIn();
    cxkit.track('consent given again');
    return cxkit.flush();
  });
  const after = await waitFor(() => {
    const items = itemsOf(device, since).filter((item) => item.type !== 'survey_response' && item.type !== 'survey_shown');
    return items.length >= 3 ? items : undefined;
  }, 15_000, 'analytics after optIn()');
  expect(after.map((item) => item.type)).toEqual(['session_start', 'active', 'track']);
  expect(after[2]!.event).toBe('consent given again');
});

test('optOut() stops everything: the survey its event triggers is not shown, and nothing is sent', async () => {
  const page = await openPage();
  await call(page, (cxkit) => cxkit.flush());
  const device = await anonymousId(page);
  const since = Date.now();
  await call(page, (cxkit) => {
    cxkit.optOut();
    cxkit.track('checkout_completed');
  });
  await page.waitForTimeout(1500);
  expect(await page.locator('cxkit-prompt').count()).toBe(0);
  await call(page, (cxkit) => cxkit.flush());
  expect(itemsOf(device, since)).toEqual([]);
});
