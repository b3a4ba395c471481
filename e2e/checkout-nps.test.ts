import { expect, test } from 'vitest';
import { useDemo, waitFor } from './harness';

const running = useDemo();

interface ResponseRow {
  response_id: string;
  score: number;
  comment: string | null;
  final: number;
}

test('an NPS answer given in the demo reaches the database exactly once, with its comment', async () => {
  const { server, demo, browser } = running;
  const page = await browser.newPage();
  await page.goto(demo.url);
  await page.getByRole('button', { name: 'Complete checkout' }).click();

  // Playwright's locators pierce the widget's open shadow root.
  await page.getByRole('radio', { name: '9' }).click();
  await page.getByRole('textbox').fill('Fast checkout, <b>great</b> books');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Thank you for your feedback!').waitFor();

  const row = await waitFor(
    () => server.query<ResponseRow>('SELECT * FROM responses').find((r) => r.comment !== null),
    15_000,
    'the response with its comment in the database',
  );
  expect(row.score).toBe(9);
  expect(row.comment).toBe('Fast checkout, <b>great</b> books');
  expect(row.final).toBe(1);

  // Both parts of the answer (score, then comment) were stored once each, as one response.
  await page.evaluate(() => (window as unknown as { cxkit: { flush(): Promise<void> } }).cxkit.flush());
  const responses = server.query<ResponseRow>('SELECT * FROM responses');
  expect(responses).toHaveLength(1);
  const parts = server.query<{ n: number }>(
    "SELECT COUNT(*) AS n FROM items WHERE type = 'survey_response' AND json_extract(payload, '$.responseId') = ?",
    row.response_id,
  );
  expect(parts[0]!.n).toBe(2);
  await page.close();
});
