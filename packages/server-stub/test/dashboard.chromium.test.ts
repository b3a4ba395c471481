// The dashboard's overview, comments, rules and zones in the system Chromium (dashboard-browser.ts).
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DEMO_PROJECT } from '../src/demo';
import { SHOTS, signIn, useDashboard, XSS } from './dashboard-browser';

const dashboard = useDashboard();
const openPage = dashboard.openPage;

test('asks for the read key, refuses a wrong one, and keeps a right one for the tab\'s session', async () => {
  const { page } = await openPage();
  await page.screenshot({ path: join(SHOTS, 'dashboard-sign-in.png') });
  await signIn(page, 'sk_wrong');
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not accepted/);
  await signIn(page);
  await page.getByRole('article', { name: 'NPS' }).waitFor();
  expect(await page.evaluate(() => sessionStorage.getItem('cxkit.readKey'))).toBe('sk_demo');
  await page.reload();
  await page.getByRole('article', { name: 'NPS' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Read key').waitFor();
  expect(await page.evaluate(() => sessionStorage.getItem('cxkit.readKey'))).toBeNull();
  await page.close();
}, 60_000);

test('shows NPS, CSAT and CES with intervals and trends, DAU/MAU, and comments as inert text', async () => {
  const { page, problems } = await openPage();
  await signIn(page);
  const nps = page.getByRole('article', { name: 'NPS' });
  await expect.poll(() => nps.textContent(), { timeout: 15_000 }).toMatch(/95% CI/);
  for (const tile of ['NPS', 'CSAT', 'CES']) {
    expect(await page.getByRole('article', { name: tile }).locator('canvas').count()).toBeGreaterThan(0);
  }
  expect(await nps.textContent()).toMatch(/Promoters \d+ · Passives \d+ · Detractors \d+/);
  expect(await page.getByRole('article', { name: 'Daily and monthly active users' }).locator('canvas').count()).toBe(1);
  expect(await page.getByRole('article', { name: 'Response rate' }).textContent()).toMatch(/responses of [\d,]+ surveys shown/);
  const dropped = page.getByRole('article', { name: 'Dropped on devices' });
  expect(await dropped.getByRole('row').allTextContents()).toEqual([
    'ReasonItems',
    'expiredQueued more than 7 days and never delivered3',
    expect.stringMatching(/^queue_fullEvicted from a full queue.*1,234$/),
  ]);

  const negative = page.getByLabel('Negative comments');
  await negative.getByText('broke checkout').waitFor();
  // The markup is shown as the characters the user typed; nothing of it became an element or ran.
  expect(await negative.getByText(XSS, { exact: true }).count()).toBe(1);
  expect(await page.locator('.comment img, .comment script').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.getByLabel('Positive comments').locator('.comment').count()).toBeGreaterThan(0);

  await page.screenshot({ path: join(SHOTS, 'dashboard.png'), fullPage: true });
  await page.getByLabel('By', { exact: true }).selectOption('week');
  await expect.poll(() => page.getByText('means per week').count()).toBe(1);
  await page.screenshot({ path: join(SHOTS, 'dashboard-weekly.png'), fullPage: false });
  expect(problems).toEqual([]);
  await page.close();
}, 60_000);

test('comment themes: each bucket shows its phrases with counts, and a phrase opens the comments that say it', async () => {
  const { page, problems } = await openPage();
  await signIn(page);
  const negative = page.getByLabel('Negative themes');
  const first = negative.getByRole('button').first();
  await first.waitFor();
  const phrase = (await first.locator('.theme-phrase').textContent())!;
  const count = Number(await first.locator('.theme-count').textContent());
  expect(count).toBeGreaterThanOrEqual(2);
  expect(await page.getByLabel('Positive themes').getByRole('button').count()).toBeGreaterThan(0);

  await first.click();
  const opened = page.getByRole('region', { name: `Comments that say “${phrase}”` });
  await opened.waitFor();
  expect(await first.getAttribute('aria-pressed')).toBe('true');
  expect(await opened.getByRole('heading').textContent()).toBe(`${count} comments say “${phrase}”`);
  const texts = await opened.locator('.comment-text').allTextContents();
  expect(texts).toHaveLength(Math.min(count, 20));
  for (const text of texts) expect(text.toLowerCase()).toContain(phrase.split(' ')[0]);
  await page.screenshot({ path: join(SHOTS, 'dashboard-themes.png'), fullPage: true });
  await opened.getByRole('button', { name: 'Close' }).click();
  await expect.poll(() => opened.count()).toBe(0);
  expect(problems).toEqual([]);
  await page.close();
}, 60_000);

test('says so when no device reported dropping anything', async () => {
  const { page, problems } = await openPage();
  await page.route(/\/v1\/metrics\?/, async (route) => {
    // Only the overview asks for dropped counts; the survey list asks each survey's response rate.
    const report = (await (await route.fetch()).json()) as { total: { dropped?: Record<string, number> } };
    for (const code of Object.keys(report.total.dropped ?? {})) report.total.dropped![code] = 0;
    await route.fulfill({ json: report });
  });
  await signIn(page);
  const dropped = page.getByRole('article', { name: 'Dropped on devices' });
  await expect.poll(() => dropped.textContent(), { timeout: 15_000 }).toMatch('No device reported dropping anything in this range.');
  expect(await dropped.getByRole('table').count()).toBe(0);
  expect(problems).toEqual([]);
  // Requests still in flight as the page closes are not this test's to answer.
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.close();
}, 60_000);

test('an answer that comes back after a newer one does not replace it', async () => {
  const { page, problems } = await openPage();
  await signIn(page);
  await page.getByText('means per day in UTC').waitFor();
  // The metrics by month are held back until the ones by week, asked for after them, are shown.
  let release!: () => Promise<void>;
  const monthHeld = new Promise<void>((resolve) => {
    void page.route(/\/v1\/metrics\?.*period=month/, (route) => {
      release = () => route.continue();
      resolve();
    });
  });
  const period = page.getByLabel('By', { exact: true });
  await period.selectOption('month');
  await monthHeld;
  await period.selectOption('week');
  await page.getByText('means per week in UTC').waitFor();
  const late = page.waitForResponse(/\/v1\/metrics\?.*period=month/);
  await release();
  await (await late).finished();
  // Time for the late answer to reach the page, were it to be shown.
  await page.waitForTimeout(500);
  expect(await page.getByText(/means per \w+ in UTC/).textContent()).toMatch('means per week');
  expect(problems).toEqual([]);
  await page.close();
}, 60_000);

test('edits the rules for all surveys; the sdk gets them on its next load', async () => {
  const { page, problems } = await openPage();
  await signIn(page);
  const days = page.getByLabel('Days between any two surveys to one person');
  await expect.poll(() => days.inputValue()).toBe('14');
  await days.fill('30');
  await page.getByLabel('Times “Remind me later” may bring a survey back').fill('1');
  await page.getByRole('button', { name: 'Save rules' }).click();
  await page.getByText('Rules saved').waitFor();
  const served = (await (await fetch(`${dashboard.url}/v1/surveys?writeKey=pk_demo`)).json()) as { rules: unknown };
  expect(served.rules).toEqual({ cooldownDays: 30, maxRemindLater: 1 });
  await page.reload();
  await expect.poll(() => page.getByLabel('Days between any two surveys to one person').inputValue()).toBe('30');
  await page.getByRole('form', { name: 'Rules for all surveys' }).screenshot({ path: join(SHOTS, 'dashboard-rules.png') });
  await dashboard.storage.projects.setRules(DEMO_PROJECT.id, { cooldownDays: 14, maxRemindLater: 2 });
  expect(problems).toEqual([]);
  await page.close();
}, 60_000);

test('fits a phone screen', async () => {
  const { page, problems } = await openPage(390);
  await signIn(page);
  await expect.poll(() => page.getByRole('article', { name: 'NPS' }).textContent(), { timeout: 15_000 }).toMatch(/95% CI/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.screenshot({ path: join(SHOTS, 'dashboard-phone.png'), fullPage: true });
  expect(overflow).toBeLessThanOrEqual(0);
  expect(problems).toEqual([]);
  await page.close();
}, 60_000);

test('counts days in the browser\'s zone when asked', async () => {
  const { page, problems } = await openPage(1280, 'Asia/Kolkata');
  await signIn(page);
  await page.getByText('means per day in UTC').waitFor();
  // Chromium may name the zone by its older alias, Asia/Calcutta; the API takes either.
  const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  expect(['Asia/Kolkata', 'Asia/Calcutta']).toContain(zone);
  const metricsCall = page.waitForRequest((request) => request.url().includes(`tz=${encodeURIComponent(zone)}`));
  await page.getByLabel('Days in', { exact: true }).selectOption(zone);
  await metricsCall;
  await page.getByText(`means per day in ${zone}`).waitFor();
  expect(problems).toEqual([]);
  await page.close();
}, 60_000);

test("the project's zone is the filters' default; changing it shows the new zone and whether it is kept ready", async () => {
  const { page, problems } = await openPage();
  await signIn(page);
  await page.getByText('means per day in UTC').waitFor();
  expect(await page.getByLabel('Days in', { exact: true }).inputValue()).toBe('UTC');
  const input = page.getByLabel("The project's days begin at midnight in");
  await input.fill('Mars/Olympus');
  await page.getByRole('button', { name: 'Save time zone' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/IANA time zone/);

  await input.fill('Asia/Kathmandu');
  await page.getByRole('button', { name: 'Save time zone' }).click();
  await page.getByText('means per day in Asia/Kathmandu').waitFor();
  expect(await page.getByRole('option', { name: 'Asia/Kathmandu (project)' }).count()).toBe(1);
  // The demo history is small: its calendar is built in moments, and the page asks again until it is.
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'kept ready' }).count(), { timeout: 15_000 }).toBe(1);
  expect(await dashboard.storage.activity.timeZone(DEMO_PROJECT.id)).toEqual({ timeZone: 'Asia/Kathmandu', ready: true });
  await page.getByRole('region', { name: 'Time zone' }).screenshot({ path: join(SHOTS, 'dashboard-time-zone.png') });
  await page.reload();
  await page.getByText('means per day in Asia/Kathmandu').waitFor();
  await fetch(`${dashboard.url}/v1/time-zone`, { method: 'PUT', headers: { Authorization: `Bearer ${DEMO_PROJECT.readKey}` }, body: '{"timeZone": "UTC"}' });
  expect(problems).toEqual([]);
  await page.close();
}, 60_000);
