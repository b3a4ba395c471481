// The demo app shows each prompt type after its own key action, and each answer reaches the database;
// its sign-in and sign-out tell cxkit who the visitor is.
// Each test is a new visitor (a fresh browser context), so no display history of an earlier test
// (shown before, recontact days) holds a prompt back.
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { SCREENSHOTS, settled } from './fixtures/prompt-page';
import { useDemo, waitFor } from './harness';

const running = useDemo();
let context: BrowserContext;
let page: Page;

beforeEach(async () => {
  context = await running.browser.newContext({ viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  await page.goto(running.demo.url);
});

afterEach(async () => {
  await context?.close();
});

interface ResponseRow {
  survey_id: string;
  metric: string;
  score: number;
  comment: string | null;
  final: number;
}

function storedResponse(surveyId: string): Promise<ResponseRow> {
  return waitFor(
    () => {
      page.evaluate(() => (window as unknown as { cxkit: { flush(): Promise<void> } }).cxkit.flush()).catch(() => {});
      return running.server.query<ResponseRow>("SELECT * FROM responses WHERE survey_id = ?", surveyId)[0];
    },
    15_000,
    `the ${surveyId} response in the database`,
  );
}

test('"Close support chat" asks CSAT with faces in the bottom-left corner; the answer is stored', async () => {
  await page.getByRole('button', { name: 'Close support chat' }).click();
  await settled(page);
  await page.screenshot({ path: `${SCREENSHOTS}/demo-csat.png` });
  expect(await page.getByRole('radiogroup').textContent()).toBe('1 Very dissatisfied2345 Very satisfied');
  expect(await page.locator('cxkit-prompt [part~="card"]').evaluate((el) => el.getBoundingClientRect().left)).toBe(16);
  await page.getByRole('radio', { name: '4' }).click();
  await page.getByRole('textbox', { name: 'What do you like most?' }).fill('Sam was quick');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Thank you for your feedback!').waitFor();
  await page.keyboard.press('Escape');
  const row = await waitFor(() => {
    page.evaluate(() => (window as unknown as { cxkit: { flush(): Promise<void> } }).cxkit.flush()).catch(() => {});
    return running.server.query<ResponseRow>("SELECT * FROM responses WHERE survey_id = 'csat-support' AND comment IS NOT NULL")[0];
  }, 15_000, 'the CSAT comment in the database');
  expect(row).toMatchObject({ metric: 'csat', score: 4, comment: 'Sam was quick' });
});

test('"Export report" asks CES 1–7 inside the reports card, in the page language, without a comment', async () => {
  await page.selectOption('#lang', 'de');
  await page.getByRole('button', { name: 'Export report' }).click();
  await page.locator('#export-feedback cxkit-prompt').waitFor();
  await settled(page);
  // Rendered below the button, near the bottom of the window: the demo brings it into sight.
  const { top, bottom } = await page.locator('#export-feedback cxkit-prompt').evaluate((el) => el.getBoundingClientRect());
  expect([top >= 0, bottom <= 900]).toEqual([true, true]);
  await page.screenshot({ path: `${SCREENSHOTS}/demo-ces-inline-de.png` });
  expect(await page.getByRole('radio').count()).toBe(7);
  expect(await page.locator('cxkit-prompt #cxkit-question').textContent()).toBe('Wie einfach war es, Ihr Anliegen zu erledigen?');
  await page.getByRole('radio', { name: '6' }).click();
  await page.getByText('Vielen Dank für Ihr Feedback!').waitFor();
  expect(await storedResponse('ces-export')).toMatchObject({ metric: 'ces', score: 6, comment: null, final: 1 });
  await page.keyboard.press('Escape');
});

test('"Complete checkout" asks NPS with the survey\'s own follow-up for a detractor', async () => {
  await page.getByRole('button', { name: 'Complete checkout' }).click();
  await settled(page);
  expect(await page.getByRole('radio').count()).toBe(11);
  await page.getByRole('radio', { name: '5', exact: true }).click();
  await page.getByRole('textbox', { name: 'What let you down at Acme Books?' }).waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}/demo-nps-followup.png` });
  expect(await storedResponse('nps-checkout')).toMatchObject({ metric: 'nps', score: 5 });
});

test('signing in names the visitor and their company on every page load; signing out resets cxkit', async () => {
  const track = (event: string) => page.evaluate((event) => (window as unknown as { cxkit: { track(e: string): void } }).cxkit.track(event), event);
  const item = (event: string) =>
    waitFor(() => {
      page.evaluate(() => (window as unknown as { cxkit: { flush(): Promise<void> } }).cxkit.flush()).catch(() => {});
      return running.server.query<{ user_id: string | null; anonymous_id: string; account: string | null }>(
        "SELECT user_id, anonymous_id, json_extract(payload, '$.accountId') AS account FROM items WHERE json_extract(payload, '$.event') = ?",
        event,
      )[0];
    }, 15_000, `the "${event}" item in the database`);

  await page.getByRole('button', { name: 'Sign in as Ada' }).click();
  await page.reload();
  await expect.poll(() => page.locator('#who').textContent()).toBe('Signed in as Ada');
  await track('demo signed in');
  const signedIn = await item('demo signed in');
  expect(signedIn.user_id).toBe('user-ada');
  // Ada works at Globex: the sign-in joins her to it.
  expect(signedIn.account).toBe('globex');
  expect(running.server.query("SELECT account_id FROM account_users WHERE subject = 'user-ada'")).toEqual([{ account_id: 'globex' }]);

  await page.getByRole('button', { name: 'Sign out' }).click();
  expect(await page.locator('#who').textContent()).toBe('Not signed in');
  await track('demo signed out');
  const signedOut = await item('demo signed out');
  expect(signedOut.user_id).toBeNull();
  expect(signedOut.account).toBeNull();
  expect(signedOut.anonymous_id).not.toBe(signedIn.anonymous_id);
});
