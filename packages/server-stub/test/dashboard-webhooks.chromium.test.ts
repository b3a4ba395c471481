// The alerts panel in the system Chromium (dashboard-browser.ts): a webhook created with its
// filters, the wrong URL named at its field, the secret shown once, a test event and an answer in
// the delivery log, pause and delete. A delivery worker sends to a receiver on 127.0.0.1.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_PROJECT } from '../src/demo';
import { deliveryWorker, type DeliveryWorker } from '../src/webhook-delivery';
import { SHOTS, signIn, useDashboard } from './dashboard-browser';
import { startReceiver, verifySignature } from './webhook-receiver';

const dashboard = useDashboard();
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let worker: DeliveryWorker;
beforeAll(async () => {
  receiver = await startReceiver();
  worker = deliveryWorker(dashboard.storage, { publicUrl: dashboard.url, pollMs: 20 });
  worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await receiver?.close();
});

test('creates a webhook with filters, shows its secret once, sends a test and an answer, logs them, pauses and deletes it', async () => {
  const { page, problems } = await dashboard.openPage();
  await signIn(page);
  const panel = page.getByRole('region', { name: 'Alerts' });
  await panel.getByRole('button', { name: 'New webhook' }).click();
  const form = panel.getByRole('form', { name: 'New webhook' });
  await form.getByLabel('Endpoint URL').fill('ftp://files.example.com/hook');
  await form.getByLabel('Survey').selectOption('nps-main');
  await form.getByRole('checkbox', { name: 'negative' }).check();
  await form.getByLabel('Comment').selectOption('with');
  await form.getByRole('button', { name: 'Create webhook' }).click();
  const issues = panel.getByRole('alert', { name: 'Problems with the webhook' });
  await expect.poll(() => issues.textContent()).toMatch(/url.*http:\/\/ or https:\/\//);
  await panel.screenshot({ path: join(SHOTS, 'dashboard-webhook-form.png') });

  await form.getByLabel('Endpoint URL').fill(receiver.url);
  // New responses by default; accounts entering poor health too when ticked.
  expect(await form.getByRole('checkbox', { name: 'New responses' }).isChecked()).toBe(true);
  await form.getByRole('checkbox', { name: 'Accounts entering poor health' }).check();
  await form.getByRole('button', { name: 'Create webhook' }).click();
  const secret = panel.locator('code.secret');
  await secret.waitFor();
  const shown = (await secret.textContent())!;
  expect(shown).toMatch(/^whsec_/);
  const row = panel.getByRole('row', { name: new RegExp(receiver.url) });
  expect(await row.getByRole('cell').first().textContent()).toBe('survey nps-main · negative · with a comment; accounts entering poor health');

  await row.getByRole('button', { name: 'Send test' }).click();
  await fetch(`${dashboard.url}/v1/batch`, {
    method: 'POST',
    body: JSON.stringify({
      writeKey: DEMO_PROJECT.writeKey,
      sentAt: new Date().toISOString(),
      batch: [
        { id: 'wh-item-1', type: 'survey_response', timestamp: new Date().toISOString(), anonymousId: 'a', sessionId: 's', surveyId: 'nps-main', responseId: 'wh-r-1', metric: 'nps', score: 1, final: true, comment: 'Export keeps failing' },
        { id: 'wh-item-2', type: 'survey_response', timestamp: new Date().toISOString(), anonymousId: 'b', sessionId: 's', surveyId: 'nps-main', responseId: 'wh-r-2', metric: 'nps', score: 10, final: true, comment: 'Love it' },
      ],
    }),
  });
  await expect.poll(() => receiver.delivered().length, { timeout: 10_000 }).toBe(2);
  const request = receiver.received.find((r) => r.body.includes('wh-r-1'))!;
  expect(verifySignature(shown, { 'webhook-id': request.id, 'webhook-timestamp': String(request.timestamp), 'webhook-signature': request.signature }, request.body, Date.now() / 1000)).toBe(true);

  await row.getByRole('button', { name: 'Deliveries' }).click();
  const log = panel.getByRole('table', { name: 'Delivery log' });
  await expect
    .poll(async () => {
      await panel.getByRole('button', { name: 'Refresh' }).click();
      return log.getByText('delivered').count();
    }, { timeout: 10_000 })
    .toBe(2);
  expect(await log.getByRole('row', { name: /wh-r-1/ }).textContent()).toMatch(/delivered.*1.*200 in \d+ ms/);
  expect(await log.getByRole('row', { name: /wh-r-2/ }).count()).toBe(0);
  await panel.screenshot({ path: join(SHOTS, 'dashboard-webhooks.png') });

  // The link in the alert opens that response on the dashboard (here the page only follows the hash).
  await page.goto((JSON.parse(request.body) as { response: { dashboardUrl: string } }).response.dashboardUrl);
  const linked = page.getByRole('region', { name: 'Linked response' });
  await linked.getByText('Export keeps failing').waitFor();
  expect(await linked.textContent()).toMatch(/NPS 1/);
  await linked.getByRole('button', { name: 'Close' }).click();
  await linked.waitFor({ state: 'detached' });
  // Once the page is left, the secret is not shown again.
  await page.reload();
  await row.waitFor();
  expect(await secret.count()).toBe(0);
  await row.getByRole('button', { name: 'Pause' }).click();
  await row.getByText('paused').waitFor();
  await row.getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached' });
  expect(await (await fetch(`${dashboard.url}/v1/webhooks`, { headers: { Authorization: `Bearer ${DEMO_PROJECT.readKey}` } })).json()).toEqual({ webhooks: [] });
  expect(problems).toEqual([]);
  await page.close();
}, 60_000);
