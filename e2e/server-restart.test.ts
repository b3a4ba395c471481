// The durability promise end to end: a 200 means the items are on disk. Many senders keep the
// real server busy, it is killed with SIGKILL in the middle, restarted on the same database, and
// the senders retry whatever was not acknowledged, as the sdk does.
import { afterAll, expect, test } from 'vitest';
import { startCxkitServer, waitFor, type CxkitServer } from './harness';

const SENDERS = 12;
const ITEMS_PER_BATCH = 40;

let server: CxkitServer;
afterAll(() => server?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('every item acknowledged before a kill -9 is found after the restart, and none is stored twice', async () => {
  server = await startCxkitServer();
  const acknowledged = new Set<string>();
  const sent = new Set<string>();
  let accepted = 0;
  let duplicates = 0;
  let retriedBatches = 0;
  let phase: 'load' | 'drain' = 'load';

  function newBatch(sender: number, sequence: number) {
    const now = new Date().toISOString();
    const base = { timestamp: now, anonymousId: `anon-${sender}`, sessionId: `session-${sender}` };
    const items: Record<string, unknown>[] = Array.from({ length: ITEMS_PER_BATCH - 1 }, (_, i) => ({
      ...base,
      id: `s${sender}-b${sequence}-i${i}`,
      type: 'track',
      event: 'checkout_completed',
    }));
    items.push({
      ...base,
      id: `s${sender}-b${sequence}-answer`,
      type: 'survey_response',
      surveyId: 'nps-checkout',
      responseId: `s${sender}-b${sequence}`,
      metric: 'nps',
      score: sequence % 11,
      final: true,
    });
    for (const item of items) sent.add(item.id as string);
    return { ids: items.map((item) => item.id as string), body: JSON.stringify({ writeKey: 'pk_demo', sentAt: now, batch: items }) };
  }

  async function sender(index: number) {
    for (let sequence = 0; ; sequence++) {
      if (phase === 'drain') return;
      const batch = newBatch(index, sequence);
      // Like the sdk: keep the batch until the server has said 200, retrying through the outage.
      for (let attempt = 0; ; attempt++) {
        if (attempt === 1) retriedBatches++;
        try {
          const response = await fetch(`${server.url}/v1/batch`, {
            method: 'POST',
            headers: { 'Content-Type': 'text/plain' },
            body: batch.body,
          });
          if (response.status === 200) {
            const answer = (await response.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
            expect(answer.rejected).toEqual([]);
            accepted += answer.accepted;
            duplicates += answer.duplicates;
            for (const id of batch.ids) acknowledged.add(id);
            break;
          }
        } catch {
          // Connection refused or reset: the server is down.
        }
        await sleep(50);
      }
    }
  }

  const senders = Array.from({ length: SENDERS }, (_, index) => sender(index));
  await waitFor(() => (acknowledged.size >= 4000 ? true : undefined), 30_000, '4,000 acknowledged items');
  await server.stop('SIGKILL');
  const acknowledgedBeforeKill = [...acknowledged];
  phase = 'drain';
  await server.start();
  await Promise.all(senders);

  // The kill came mid-load: some batches were in flight and had to be sent again.
  expect(retriedBatches).toBeGreaterThan(0);
  const stored = new Set(server.query<{ id: string }>('SELECT id FROM items').map((row) => row.id));
  expect(acknowledgedBeforeKill.filter((id) => !stored.has(id))).toEqual([]);
  // Every item sent is stored exactly once. An item committed in the instant before the kill,
  // too late for its 200, comes back with the retry and is answered as a duplicate.
  expect(stored.size).toBe(sent.size);
  expect(server.query<{ n: number }>('SELECT COUNT(*) AS n FROM items')[0]!.n).toBe(sent.size);
  expect(accepted + duplicates).toBe(sent.size);
  expect(server.query<{ n: number }>('SELECT COUNT(*) AS n FROM responses')[0]!.n).toBe(sent.size / ITEMS_PER_BATCH);
});
