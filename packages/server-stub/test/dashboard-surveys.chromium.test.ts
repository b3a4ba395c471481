// Survey management on the dashboard in the system Chromium: the list, the editor with its live
// preview, schedules and caps (dashboard-browser.ts).
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DEMO_PROJECT } from '../src/demo';
import { SHOTS, signIn, useDashboard } from './dashboard-browser';
import { commitItems, item } from './read-side-fixtures';

const dashboard = useDashboard();
const openPage = dashboard.openPage;

test('manages surveys: pause and resume reach the sdk, the editor shows each wrong field, create and delete', async () => {
  const { page, problems } = await openPage();
  await signIn(page);
  const row = page.getByRole('row', { name: /Support CSAT/ });
  await row.getByRole('button', { name: 'Pause' }).click();
  await row.getByText('paused').waitFor();
  const served = async () => ((await (await fetch(`${dashboard.url}/v1/surveys?writeKey=pk_demo`)).json()) as { surveys: { id: string }[] }).surveys.map((s) => s.id);
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
  // Typing goes on in the form while the centred prompt redraws in its frame: the redraw leaves focus
  // in the form, so no key typed after it is lost.
  const name = form.getByLabel('Name', { exact: true });
  await preview.locator('cxkit-prompt').evaluate((prompt) => prompt.setAttribute('data-before', ''));
  await name.focus();
  await page.keyboard.type(' (v');
  await preview.locator('cxkit-prompt:not([data-before])').waitFor({ state: 'attached' });
  expect(await name.evaluate((input) => input === document.activeElement)).toBe(true);
  await page.keyboard.type('2)');
  expect(await name.inputValue()).toBe('NPS after an export (v2)');

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
  const stored = await (await fetch(`${dashboard.url}/v1/surveys/nps-after-export`, { headers: { Authorization: `Bearer ${DEMO_PROJECT.readKey}` } })).json();
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
    fetch(`${dashboard.url}${path}`, { method, headers: { Authorization: `Bearer ${DEMO_PROJECT.readKey}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  await admin('/v1/surveys', 'POST', { id: 'later-launch', name: 'Later launch', metric: 'nps', startsAt: '2099-01-01T09:00:00.000Z' });
  await admin('/v1/surveys', 'POST', { id: 'old-campaign', name: 'Old campaign', metric: 'csat', endsAt: '2020-01-01T00:00:00.000Z' });
  await admin('/v1/surveys', 'POST', { id: 'capped-ces', name: 'Capped CES', metric: 'ces', maxResponses: 1 });
  await commitItems(dashboard.storage, DEMO_PROJECT.id, [
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
