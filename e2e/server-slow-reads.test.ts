// A series in a zone without a rollup reads every subject-day of its range, seconds of work on a
// large project. The real server computes it on a worker thread: batches sent meanwhile are
// committed and answered as usual instead of waiting for it.
import Database from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { startCxkitServer, type CxkitServer } from './harness';

const DAY_MS = 86_400_000;
const DAYS = 1000;
const USERS = 1000;

let server: CxkitServer;
afterAll(() => server?.stop());

test('batches are answered while a long zone series is being computed', async () => {
  server = await startCxkitServer();
  const last = Math.floor(Date.now() / DAY_MS) - 1;
  const first = last - DAYS + 1;
  // A million subject-days, written straight into the rollup: every user active every day between
  // 00:00 and 07:45 UTC, that is 05:30 to 13:15 in India.
  const db = new Database(server.db);
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${DAYS * USERS - 1})
     INSERT INTO activity_subject_days (project_id, day, subject, quarters_0, quarters_1, quarters_2)
     SELECT 'demo', ${first} + i / ${USERS}, 'user-' || (i % ${USERS}), 1 << (i % 31), 0, 0 FROM n`,
  ).run();
  db.close();

  const day = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
  let answered = false;
  const series = fetch(`${server.url}/v1/metrics?metrics=activity&tz=Asia/Kolkata&from=${day(first)}&to=${day(last)}`, {
    headers: { Authorization: 'Bearer sk_demo' },
  }).then(async (answer) => {
    answered = true;
    return { status: answer.status, body: (await answer.json()) as { series: { activity: { dau: number } }[] } };
  });

  let batches = 0;
  for (let n = 0; !answered; n++) {
    const now = new Date().toISOString();
    const item = { id: `slow-read-${n}`, type: 'track', event: 'opened', timestamp: now, anonymousId: 'a', sessionId: 's' };
    const answer = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ writeKey: 'pk_demo', sentAt: now, batch: [item] }),
    });
    expect(answer.status).toBe(200);
    if (!answered) batches++;
  }

  const { status, body } = await series;
  expect(status).toBe(200);
  expect(body.series).toHaveLength(DAYS);
  expect(body.series.at(-1)!.activity.dau).toBe(USERS);
  // On one event loop the batches would have waited for the whole series: one answered at most.
  expect(batches).toBeGreaterThanOrEqual(3);
});
