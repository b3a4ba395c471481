// The dashboard in the system Chromium against a real server on 127.0.0.1, with 90 days of
// generated history. Screenshots go to test-results/ (git-ignored) for a person to look at.
import { mkdirSync, mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../../../e2e/harness';
import { createApp } from '../src/app';
import { DEMO_PROJECT } from '../src/demo';
import { seedDemoHistory } from '../src/demo-history';
import { openSqlite } from '../src/sqlite/open';
import { commitItems, item, SURVEYS } from './read-side-fixtures';

const DASHBOARD_DIR = fileURLToPath(new URL('../dist/dashboard', import.meta.url));
/** The script-tag build: the editor's preview draws with its widget chunk. */
const SDK_DIR = fileURLToPath(new URL('../../sdk/dist/cdn', import.meta.url));
const SHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));
const XSS = '<img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script> broke checkout';

let storage: ReturnType<typeof openSqlite>;
let server: ReturnType<typeof serve>;
let url: string;
let browser: Browser;

beforeAll(async () => {
  storage = openSqlite(join(mkdtempSync(join(tmpdir(), 'cxkit-dashboard-')), 'cxkit.db'));
  await storage.projects.ensure(DEMO_PROJECT);
  for (const survey of SURVEYS) await storage.surveys.put(DEMO_PROJECT.id, survey, true);
  await seedDemoHistory(storage, DEMO_PROJECT.id, SURVEYS);
  await commitItems(storage, DEMO_PROJECT.id, [
    item(Date.now() - 60_000, { type: 'survey_response', surveyId: 'nps-main', responseId: 'xss', metric: 'nps', score: 2, final: true, comment: XSS }),
  ]);
  await storage.ingest.commit([
    { projectId: DEMO_PROJECT.id, items: [], dropped: { id: 'report-1', at: Date.now() - 60_000, counts: { queue_full: 1234, expired: 3 } } },
  ]);
  const app = createApp({ storage, dashboardDir: DASHBOARD_DIR, sdkDir: SDK_DIR });
  server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  storage?.close();
});

/** A page that fails the test on any script error or CSP violation. */
async function openPage(width = 1280, timezoneId = 'UTC'): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, timezoneId });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    // Chromium logs every 4xx answer; the ones a test provokes are checked where it provokes them.
    if (message.type() === 'error' && !/Failed to load resource: .* 40[019]/.test(message.text())) problems.push(message.text());
  });
  await page.goto(`${url}/dashboard`);
  return { page, problems };
}

async function signIn(page: Page, key = DEMO_PROJECT.readKey) {
  await page.getByLabel('Read key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

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

test('manages surveys: pause and resume reach the sdk, the editor shows each wrong field, create and delete', async () => {
  const { page, problems } = await openPage();
  await signIn(page);
  const row = page.getByRole('row', { name: /Support CSAT/ });
  await row.getByRole('button', { name: 'Pause' }).click();
  await row.getByText('paused').waitFor();
  const served = async () => ((await (await fetch(`${url}/v1/surveys?writeKey=pk_demo`)).json()) as { surveys: { id: string }[] }).surveys.map((s) => s.id);
  expect(await served()).not.toContain('csat-support');
  await row.getByRole('button', { name: 'Resume' }).click();
  await row.getByText('active').waitFor();
  expect(await served()).toContain('csat-support');

  await page.getByRole('button', { name: 'New survey' }).click();
  await page.getByRole('radio', { name: 'JSON' }).check();
  const editor = page.getByLabel(/The survey as JSON/);
  await editor.fill(JSON.stringify({ id: 'ces-onboarding', metric: 'ces', scaleMax: 6, trigger: { event: 'onboarding_done' }, sampleRat: 0.5 }));
  await page.getByRole('button', { name: 'Create survey' }).click();
  const issues = page.getByRole('alert', { name: 'Problems with the survey' });
  await expect.poll(() => issues.textContent()).toMatch(/sampleRat.*not a survey field/);
  expect(await issues.textContent()).toMatch(/scaleMax must be 10 for nps, 5 for csat, 5 or 7 for ces/);
  await page.screenshot({ path: join(SHOTS, 'dashboard-survey-editor.png'), fullPage: true });
  await editor.fill(JSON.stringify({ id: 'ces-onboarding', name: 'CES after onboarding', metric: 'ces', trigger: { event: 'onboarding_done' } }));
  await page.getByRole('button', { name: 'Create survey' }).click();
  const created = page.getByRole('row', { name: /CES after onboarding/ });
  await created.waitFor();
  expect(await served()).toContain('ces-onboarding');

  await created.getByRole('button', { name: 'Delete' }).click();
  await created.getByRole('button', { name: 'Delete for good' }).click();
  await created.waitFor({ state: 'detached' });
  expect(await served()).not.toContain('ces-onboarding');
  expect(problems).toEqual([]);
  await page.close();
}, 60_000);

test("the survey editor: a form for every field, the server's issues at their fields, a live preview drawn by the widget, and duplicate", async () => {
  const { page, problems } = await openPage();
  await signIn(page);
  // Each survey's displays, responses and rate over the range, from the generated history.
  const nps = page.getByRole('row', { name: /^NPS/ });
  const figure = async (column: number) => Number((await nps.getByRole('cell').nth(column).textContent())!.replace(/,/g, ''));
  await expect.poll(() => figure(2), { timeout: 15_000 }).toBeGreaterThan(0);
  expect(await figure(3)).toBeGreaterThan(0);
  expect(await nps.getByRole('cell').nth(4).textContent()).toMatch(/^\d+\.\d%$/);

  await page.getByRole('button', { name: 'New survey' }).click();
  const form = page.getByRole('form', { name: 'New survey' });
  await form.getByLabel('Id', { exact: true }).fill('nps-after-export');
  await form.getByLabel('Name', { exact: true }).fill('NPS after an export');
  await form.getByLabel('Metric').selectOption('nps');
  await form.getByLabel('Question', { exact: true }).fill('How likely are you to recommend Acme Books?');
  await form.getByRole('radio', { name: 'one per kind of score' }).check();
  await form.getByLabel('Follow-up after a negative score').fill('What let you down?');
  await form.getByLabel('Event', { exact: true }).fill('report_exported');
  await form.getByRole('button', { name: 'Add condition' }).first().click();
  await form.getByLabel('Property').fill('format');
  await form.getByLabel('Condition', { exact: true }).selectOption('in');
  await form.getByLabel('Values, separated by commas').fill('csv, xlsx');
  await form.getByLabel('Delay after the trigger (seconds)').fill('5000');
  await form.getByLabel('Placement').selectOption('center');

  // The preview is the widget the sdk loads, redrawn as the form changes.
  const preview = page.frameLocator('iframe[title="Survey preview"]');
  const controls = page.getByRole('region', { name: 'Preview' });
  // By the scale it names: while a corner prompt is still drawn, its live region holds the question too.
  await preview.getByRole('radiogroup', { name: 'How likely are you to recommend Acme Books?' }).waitFor();
  // No German texts yet: a German device gets the English ones; then its own.
  await controls.getByLabel('Language').selectOption('de');
  await preview.getByRole('radiogroup', { name: 'How likely are you to recommend Acme Books?' }).waitFor();
  await form.getByLabel('Words for the language').selectOption('de');
  await form.getByLabel('Question', { exact: true }).fill('Würden Sie Acme Books empfehlen?');
  await preview.getByRole('radiogroup', { name: 'Würden Sie Acme Books empfehlen?' }).waitFor();
  // The widget's own labels come from its German language file, loaded as the sdk loads it.
  await preview.getByRole('button', { name: 'Später erinnern' }).waitFor();
  await controls.screenshot({ path: join(SHOTS, 'dashboard-survey-preview.png') });
  await controls.getByLabel('Theme').selectOption('dark');
  await expect.poll(() => preview.locator('cxkit-prompt .card').getAttribute('class')).toMatch(/\bdark\b/);
  await controls.getByLabel('Width').selectOption('phone');
  await expect.poll(async () => (await preview.locator('cxkit-prompt .card').boundingBox())?.width ?? 0).toBeGreaterThan(360);
  // Typing goes on in the form while the centred prompt redraws in its frame.
  await form.getByLabel('Name', { exact: true }).focus();
  await page.keyboard.type(' (v2)');
  expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe('NPS after an export (v2)');

  // The server's issue is shown at its field, tied to it for screen readers.
  await form.getByRole('button', { name: 'Create survey' }).click();
  const delay = form.getByLabel('Delay after the trigger (seconds)');
  await expect.poll(() => delay.getAttribute('aria-invalid')).toBe('true');
  const describedBy = (await delay.getAttribute('aria-describedby'))!;
  expect(await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent()).toMatch(/must be at most 3600/);
  await page.screenshot({ path: join(SHOTS, 'dashboard-survey-form.png'), fullPage: true });
  await delay.fill('2');

  // The JSON view holds what the form set, and back.
  await form.getByRole('radio', { name: 'JSON' }).check();
  const json = JSON.parse(await form.getByLabel(/The survey as JSON/).inputValue());
  expect(json).toEqual({
    id: 'nps-after-export',
    name: 'NPS after an export (v2)',
    metric: 'nps',
    texts: {
      en: { question: 'How likely are you to recommend Acme Books?', followUp: { negative: 'What let you down?' } },
      de: { question: 'Würden Sie Acme Books empfehlen?' },
    },
    trigger: { event: 'report_exported', where: [{ key: 'format', op: 'in', value: ['csv', 'xlsx'] }] },
    delaySeconds: 2,
    sampleRate: 1,
    recontactDays: 30,
    placement: 'center',
  });
  await form.getByRole('radio', { name: 'Form' }).check();
  await form.getByRole('button', { name: 'Create survey' }).click();
  const created = page.getByRole('row', { name: /NPS after an export \(v2\)/ });
  await created.waitFor();
  const stored = await (await fetch(`${url}/v1/surveys/nps-after-export`, { headers: { Authorization: `Bearer ${DEMO_PROJECT.readKey}` } })).json();
  expect(stored).toEqual({ ...json, status: 'active' });

  await created.getByRole('button', { name: 'Duplicate' }).click();
  const copy = page.getByRole('form', { name: 'New survey' });
  expect(await copy.getByLabel('Id', { exact: true }).inputValue()).toBe('nps-after-export-copy');
  await copy.getByRole('button', { name: 'Create survey' }).click();
  const copied = page.getByRole('row', { name: /NPS after an export \(v2\) \(copy\)/ });
  await copied.getByText('paused').waitFor();
  expect(problems).toEqual([]);
  await page.close();
}, 90_000);

test('the survey list says why an active survey is not shown; the editor sets its schedule in the browser\'s zone', async () => {
  const admin = (path: string, method: string, body?: unknown) =>
    fetch(`${url}${path}`, { method, headers: { Authorization: `Bearer ${DEMO_PROJECT.readKey}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  await admin('/v1/surveys', 'POST', { id: 'later-launch', name: 'Later launch', metric: 'nps', startsAt: '2099-01-01T09:00:00.000Z' });
  await admin('/v1/surveys', 'POST', { id: 'old-campaign', name: 'Old campaign', metric: 'csat', endsAt: '2020-01-01T00:00:00.000Z' });
  await admin('/v1/surveys', 'POST', { id: 'capped-ces', name: 'Capped CES', metric: 'ces', maxResponses: 1 });
  await commitItems(storage, DEMO_PROJECT.id, [
    item(Date.now() - 1000, { type: 'survey_response', surveyId: 'capped-ces', responseId: 'capped-1', metric: 'ces', score: 6, final: true }),
  ]);
  const { page, problems } = await openPage(1280, 'Europe/Berlin');
  await signIn(page);
  await page.getByRole('row', { name: /Later launch/ }).getByText('not started: starts 1 Jan 2099, 10:00').waitFor();
  await page.getByRole('row', { name: /Old campaign/ }).getByText('ended 1 Jan 2020, 01:00').waitFor();
  await page.getByRole('row', { name: /Capped CES/ }).getByText('cap reached: 1 of 1 responses').waitFor();

  await page.getByRole('row', { name: /Later launch/ }).getByRole('button', { name: 'Edit' }).click();
  const form = page.getByRole('form', { name: 'Edit later-launch' });
  expect(await form.getByLabel('Starts').inputValue()).toBe('2099-01-01T10:00');
  await form.getByLabel('Ends').fill('2099-01-31T18:30');
  await form.getByRole('button', { name: 'Save survey' }).click();
  await page.getByText('Survey saved.').waitFor();
  expect(await (await admin('/v1/surveys/later-launch', 'GET')).json()).toMatchObject({
    startsAt: '2099-01-01T09:00:00.000Z',
    endsAt: '2099-01-31T17:30:00.000Z',
    notServing: 'not-started',
  });
  for (const id of ['later-launch', 'old-campaign', 'capped-ces']) await admin(`/v1/surveys/${id}`, 'DELETE');
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
  const served = (await (await fetch(`${url}/v1/surveys?writeKey=pk_demo`)).json()) as { rules: unknown };
  expect(served.rules).toEqual({ cooldownDays: 30, maxRemindLater: 1 });
  await page.reload();
  await expect.poll(() => page.getByLabel('Days between any two surveys to one person').inputValue()).toBe('30');
  await page.getByRole('form', { name: 'Rules for all surveys' }).screenshot({ path: join(SHOTS, 'dashboard-rules.png') });
  await storage.projects.setRules(DEMO_PROJECT.id, { cooldownDays: 14, maxRemindLater: 2 });
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
  expect(await storage.activity.timeZone(DEMO_PROJECT.id)).toEqual({ timeZone: 'Asia/Kathmandu', ready: true });
  await page.getByRole('region', { name: 'Time zone' }).screenshot({ path: join(SHOTS, 'dashboard-time-zone.png') });
  await page.reload();
  await page.getByText('means per day in Asia/Kathmandu').waitFor();
  await fetch(`${url}/v1/time-zone`, { method: 'PUT', headers: { Authorization: `Bearer ${DEMO_PROJECT.readKey}` }, body: '{"timeZone": "UTC"}' });
  expect(problems).toEqual([]);
  await page.close();
}, 60_000);
