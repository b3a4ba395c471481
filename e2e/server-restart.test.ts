// The durability promise end to end: a 200 means the items are on disk. Many senders keep the
// real server busy, it is killed with SIGKILL in the middle, restarted on the same database, and
// the senders retry whatever was not acknowledged, as the sdk does.
import { afterAll, expect, test } from 'vitest';
import { startSenders } from './batch-senders';
import { startCxkitServer, waitFor, type CxkitServer } from './harness';

const ITEMS_PER_BATCH = 40;

let server: CxkitServer;
afterAll(() => server?.stop());

test('every item acknowledged before a kill -9 is found after the restart, and none is stored twice', async () => {
  server = await startCxkitServer();
  const run = startSenders({ senders: 12, itemsPerBatch: ITEMS_PER_BATCH, targets: () => [server.url] });

  await waitFor(() => (run.acknowledged.size >= 4000 ? true : undefined), 30_000, '4,000 acknowledged items');
  await server.stop('SIGKILL');
  const acknowledgedBeforeKill = [...run.acknowledged];
  const drained = run.drain();
  await server.start();
  await drained;

  expect(run.refusals).toEqual([]);
  // The kill came mid-load: some batches were in flight and had to be sent again.
  expect(run.retriedBatches).toBeGreaterThan(0);
  const stored = new Set(server.query<{ id: string }>('SELECT id FROM items').map((row) => row.id));
  expect(acknowledgedBeforeKill.filter((id) => !stored.has(id))).toEqual([]);
  // Every item sent is stored exactly once. An item committed in the instant before the kill,
  // too late for its 200, comes back with the retry and is answered as a duplicate.
  expect(stored.size).toBe(run.sent.size);
  expect(server.query<{ n: number }>('SELECT COUNT(*) AS n FROM items')[0]!.n).toBe(run.sent.size);
  expect(run.accepted + run.duplicates).toBe(run.sent.size);
  expect(server.query<{ n: number }>('SELECT COUNT(*) AS n FROM responses')[0]!.n).toBe(run.responses.size);
});
