// Acknowledged means stored, also when a server process on PostgreSQL is killed with SIGKILL under
// load: two machines behind a load balancer, one killed and replaced, and one machine running
// --workers 2, one worker killed and replaced by the primary. Senders retry what was not
// acknowledged on whichever server answers; the database must hold every item exactly once.
import { execFileSync } from 'node:child_process';
import { afterEach, expect, test } from 'vitest';
import { startSenders, type SenderRun } from './batch-senders';
import { waitFor } from './harness';
import { query, startServerProcess, usePostgres, type ServerProcess } from './postgres-servers';

const SENDERS = 10;
const ITEMS_PER_BATCH = 40;
/** Each test's waits add up to 60 s at most; on a loaded machine the steps between them take time too. */
const TEST_TIMEOUT_MS = 120_000;

const postgres = usePostgres();
let processes: ServerProcess[] = [];
let senders: SenderRun | undefined;
afterEach(async () => {
  senders?.stop();
  await Promise.all(processes.map((server) => server.stop()));
  processes = [];
});

async function startServer(args: string[]): Promise<ServerProcess> {
  const server = await startServerProcess(args);
  processes.push(server);
  return server;
}

/** Waits until `count` more items than now are acknowledged. */
function acknowledgedMore(run: SenderRun, count: number, what: string): Promise<true> {
  const goal = run.acknowledged.size + count;
  return waitFor(() => (run.acknowledged.size >= goal ? true : undefined), 20_000, what);
}

/** Every item sent is stored once, none other is, and each response row holds its final values. */
async function expectStoredExactlyOnce(db: string, run: SenderRun): Promise<void> {
  expect(run.refusals).toEqual([]);
  // After the drain every batch was acknowledged somewhere.
  expect(run.acknowledged.size).toBe(run.sent.size);
  const [counts] = await query<{ rows: number; ids: number }>(db, 'SELECT count(*)::int AS rows, count(DISTINCT id)::int AS ids FROM items');
  expect(counts).toEqual({ rows: run.sent.size, ids: run.sent.size });
  const stored = new Set((await query<{ id: string }>(db, "SELECT id FROM items WHERE project_id = 'demo'")).map((row) => row.id));
  expect([...run.acknowledged].filter((id) => !stored.has(id))).toEqual([]);
  expect([...stored].filter((id) => !run.sent.has(id))).toEqual([]);
  // Each item is counted as accepted by at most one answer, even when two servers took its batch at once.
  expect(run.accepted).toBeLessThanOrEqual(run.sent.size);
  expect(run.accepted + run.duplicates).toBeGreaterThanOrEqual(run.sent.size);

  const rows = await query<{ response_id: string; score: number; comment: string; final: boolean }>(
    db,
    "SELECT response_id, score, comment, final FROM responses WHERE project_id = 'demo'",
  );
  expect(rows).toHaveLength(run.responses.size);
  const wrong = rows.filter((row) => {
    const expected = run.responses.get(row.response_id);
    return !expected || row.score !== expected.score || row.comment !== expected.comment || row.final !== expected.final;
  });
  expect(wrong).toEqual([]);
}

test('two servers on one database: one killed with SIGKILL mid-load, the other keeps taking batches, a replacement joins, nothing acknowledged is lost or doubled', async () => {
  const db = await postgres.createDatabase();
  const args = ['--port', '0', '--db', db, '--demo'];
  // Both start at once on the new database, as machines behind a load balancer do.
  const [first, second] = await Promise.all([startServer(args), startServer(args)]);
  const balanced = [first.url, second.url];
  const run = (senders = startSenders({
    senders: SENDERS,
    itemsPerBatch: ITEMS_PER_BATCH,
    // Attempts alternate between the machines; every fourth batch goes to both at once first.
    targets: (sender, sequence, attempt) =>
      sequence % 4 === 0 && attempt === 0 ? [...balanced] : [balanced[(sender + sequence + attempt) % balanced.length]!],
  }));

  await acknowledgedMore(run, 3000, '3,000 acknowledged items');
  process.kill(first.pid, 'SIGKILL');
  await first.exited;
  const secondBefore = run.acknowledgedBy.get(second.url) ?? 0;
  await acknowledgedMore(run, 2000, '2,000 items acknowledged by the surviving server');
  expect(run.acknowledgedBy.get(second.url)).toBeGreaterThan(secondBefore);

  const replacement = await startServer(args);
  balanced[0] = replacement.url;
  await waitFor(() => ((run.acknowledgedBy.get(replacement.url) ?? 0) >= 1000 ? true : undefined), 20_000, 'the replacement to take 1,000 items');
  await run.drain();

  expect(run.acknowledgedBy.get(first.url)).toBeGreaterThan(0);
  // The kill came mid-load: batches in flight on the killed server were sent again elsewhere.
  expect(run.retriedBatches).toBeGreaterThan(0);
  await expectStoredExactlyOnce(db, run);
}, TEST_TIMEOUT_MS);

test('--workers 2: a worker killed with SIGKILL mid-load is replaced by the primary, the port keeps taking batches, nothing acknowledged is lost or doubled', async () => {
  const db = await postgres.createDatabase();
  const primary = await startServer(['--workers', '2', '--port', '0', '--db', db, '--demo']);
  const workerPids = () => execFileSync('pgrep', ['-P', String(primary.pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
  const workers = workerPids();
  expect(workers).toHaveLength(2);
  const run = (senders = startSenders({
    senders: SENDERS,
    itemsPerBatch: ITEMS_PER_BATCH,
    // Every fourth batch is sent twice at once: two connections, which the port may hand to both workers.
    targets: (_, sequence, attempt) => (sequence % 4 === 0 && attempt === 0 ? [primary.url, primary.url] : [primary.url]),
  }));

  await acknowledgedMore(run, 3000, '3,000 acknowledged items');
  const killed = workers[0]!;
  process.kill(killed, 'SIGKILL');
  await waitFor(() => (primary.errors().includes(`worker ${killed} exited (SIGKILL); starting another`) ? true : undefined), 10_000, 'the primary to replace the worker');
  const replaced = await waitFor(() => {
    const pids = workerPids();
    return pids.length === 2 && !pids.includes(killed) ? pids : undefined;
  }, 10_000, 'two workers again');
  expect(replaced).toContain(workers[1]);
  await acknowledgedMore(run, 3000, '3,000 more items after the replacement');
  await run.drain();

  expect(run.retriedBatches).toBeGreaterThan(0);
  await expectStoredExactlyOnce(db, run);
}, TEST_TIMEOUT_MS);
