// The read pool on real worker threads: stand-in workers for its bounds, the built read-worker.js
// (pnpm build first) for the answers themselves.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createApp } from '../src/app';
import { parseDay, TimeZoneError } from '../src/calendar';
import { computeMetrics, METRIC_NAMES, type MetricsReport, type MetricsRequest } from '../src/metrics';
import { ReadsUnavailableError } from '../src/metrics-reader';
import { createReadPool, type ReadPool } from '../src/read-pool';
import { accountReport } from '../src/accounts/account-metrics';
import type { AccountHealthAnswer } from '../src/accounts-api';
import { DEFAULT_HEALTH_WEIGHTS } from '@cxkit/protocol';
import { openSqlite } from '../src/sqlite/open';
import { commitItems, item, PROJECT, response, shown, SURVEYS } from './read-side-fixtures';

const STAND_IN = new URL('./read-worker-stand-in.mjs', import.meta.url);
const BUILT_WORKER = new URL('../dist/read-worker.js', import.meta.url);

let pool: ReadPool | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await pool?.close();
  pool = undefined;
});

const request = (tz: string): MetricsRequest => ({
  projectId: PROJECT.id,
  from: parseDay('2026-03-01')!,
  to: parseDay('2026-03-31')!,
  period: 'day',
  tz,
  metrics: METRIC_NAMES,
});

const threadOf = async (answer: Promise<MetricsReport>) => ((await answer) as unknown as { threadId: number }).threadId;

describe('bounds', () => {
  test('a request past its deadline is answered 503, and the worker still busy with it is replaced', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    pool = createReadPool({ file: 'unused.db', workers: 1, timeoutMs: 30_000, workerUrl: STAND_IN });
    const first = await threadOf(pool.read(request('UTC')));
    const stuck = pool.read(request('never'));
    vi.advanceTimersByTime(20_000);
    const next = pool.read(request('UTC'));
    vi.advanceTimersByTime(10_000);
    await expect(stuck).rejects.toMatchObject({ constructor: ReadsUnavailableError, retryAfterSeconds: 30 });
    // The request that waited behind it has its own deadline, and a new worker answers it.
    const second = await threadOf(next);
    expect(second).not.toBe(first);
  });

  test('requests beyond the waiting limit are refused at once, and closing refuses the rest', async () => {
    pool = createReadPool({ file: 'unused.db', workers: 1, maxWaiting: 2, workerUrl: STAND_IN });
    const running = pool.read(request('never'));
    const waiting = [pool.read(request('UTC')), pool.read(request('UTC'))];
    await expect(pool.read(request('UTC'))).rejects.toMatchObject({
      message: '2 metrics requests are waiting already; retry later',
      retryAfterSeconds: 5,
    });
    const outcomes = Promise.all([running, ...waiting].map((answer) => answer.catch((error: Error) => error.message)));
    await pool.close();
    expect(await outcomes).toEqual(['the server is stopping', 'the server is stopping', 'the server is stopping']);
  });

  test('two workers answer side by side: a slow request does not hold up the next', async () => {
    pool = createReadPool({ file: 'unused.db', workers: 2, workerUrl: STAND_IN });
    void pool.read(request('never')).catch(() => undefined);
    expect(await pool.read(request('UTC'))).toMatchObject({ tz: 'UTC' });
  });

  test('a worker that dies fails its request, and a new worker answers the next', async () => {
    pool = createReadPool({ file: 'unused.db', workers: 1, workerUrl: STAND_IN });
    const first = await threadOf(pool.read(request('UTC')));
    await expect(pool.read(request('dies'))).rejects.toThrow('the worker died');
    expect(await threadOf(pool.read(request('UTC')))).not.toBe(first);
  });

  test('a zone the worker refuses comes back as the same TimeZoneError as in-process', async () => {
    pool = createReadPool({ file: 'unused.db', workerUrl: STAND_IN });
    await expect(pool.read(request('refused'))).rejects.toEqual(new TimeZoneError('not whole quarter hours'));
  });
});

describe('answers', () => {
  async function seeded() {
    const file = join(mkdtempSync(join(tmpdir(), 'cxkit-read-pool-')), 'cxkit.db');
    const storage = openSqlite(file);
    await storage.projects.ensure(PROJECT);
    for (const survey of SURVEYS) await storage.surveys.put(PROJECT.id, survey, true);
    await commitItems(storage, PROJECT.id, [
      item('2026-03-02T08:00:00Z', { anonymousId: 'a', userId: 'ada' }),
      item('2026-03-02T23:50:00Z', { anonymousId: 'b' }),
      shown('2026-03-03T10:00:00Z', 'nps-main'),
      response('2026-03-03T10:01:00Z', 'nps-main', 'nps', 9),
      response('2026-03-04T10:00:00Z', 'ces-export', 'ces', 4),
    ]);
    return { file, storage };
  }

  test.each(['UTC', 'Asia/Kolkata', 'America/New_York'])(
    'a worker reads the committed data and answers what the same request answers in-process (%s)',
    async (tz) => {
      const { file, storage } = await seeded();
      pool = createReadPool({ file, workerUrl: BUILT_WORKER });
      const expected = await computeMetrics(storage, request(tz));
      expect(expected.total.activity!.dau).toBeGreaterThan(0);
      expect(await pool.read(request(tz))).toEqual(expected);
      await storage.close();
    },
  );

  test("a worker answers the accounts' health as in-process, read from the committed data", async () => {
    const { file, storage } = await seeded();
    await commitItems(storage, PROJECT.id, [
      item('2026-03-02T08:01:00Z', { type: 'group', accountId: 'acme', anonymousId: 'a', userId: 'ada' }),
      response('2026-03-03T10:05:00Z', 'nps-main', 'nps', 10, { anonymousId: 'a', userId: 'ada' }),
    ]);
    pool = createReadPool({ file, workerUrl: BUILT_WORKER });
    const request = { kind: 'accounts', projectId: PROJECT.id, now: Date.parse('2026-03-05T00:00:00Z'), weights: DEFAULT_HEALTH_WEIGHTS, history: [] } as const;
    const expected = await accountReport(storage, request);
    expect(expected.accounts.get('acme')!.nps.n).toBe(1);
    expect(await pool.accounts(request)).toEqual(expected);
    const app = createApp({ storage, accountsReader: pool.accounts, now: () => request.now });
    const answer = await app.request('/v1/account-health', { headers: { Authorization: `Bearer ${PROJECT.readKey}` } });
    expect(((await answer.json()) as AccountHealthAnswer).accounts[0]!.health.index).toBe(expected.accounts.get('acme')!.health.index);
    await storage.close();
  });

  test('a worker answers a breakdown, with its comparison, as the same request in-process', async () => {
    const { file, storage } = await seeded();
    await commitItems(storage, PROJECT.id, [
      response('2026-03-05T10:00:00Z', 'nps-main', 'nps', 10, { traits: { plan: 'team' } }),
      response('2026-03-05T11:00:00Z', 'nps-main', 'nps', 2, { traits: { plan: 'free' } }),
    ]);
    pool = createReadPool({ file, workerUrl: BUILT_WORKER });
    const grouped: MetricsRequest = { ...request('UTC'), groupBy: { kind: 'trait', key: 'plan' }, compare: ['team', 'free'] };
    const expected = await computeMetrics(storage, grouped);
    expect(expected.breakdown!.nps!.groups.map((g) => g.key)).toEqual(['free', 'team']);
    expect(await pool.read(grouped)).toEqual(expected);
    await storage.close();
  });

  test('through GET /v1/metrics: answers, 400 for a refused zone, 503 with Retry-After past the deadline', async () => {
    const { file, storage } = await seeded();
    pool = createReadPool({ file, workerUrl: BUILT_WORKER });
    const app = createApp({ storage, metricsReader: pool.read });
    const get = (query: string) => app.request(`/v1/metrics?${query}`, { headers: { Authorization: `Bearer ${PROJECT.readKey}` } });
    const answer = await get('from=2026-03-01&to=2026-03-07&tz=Asia/Kolkata');
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as MetricsReport).total.nps!.n).toBe(1);
    const refused = await get('tz=Africa/Monrovia&from=1971-01-01&to=1971-01-02');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/quarter hours/);

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const stuckPool = createReadPool({ file, timeoutMs: 1000, workerUrl: STAND_IN });
    const stuck = createApp({ storage, metricsReader: (r) => stuckPool.read({ ...r, tz: 'never' }) });
    const pending = stuck.request('/v1/metrics', { headers: { Authorization: `Bearer ${PROJECT.readKey}` } });
    await vi.waitFor(() => vi.getTimerCount() > 0);
    vi.advanceTimersByTime(1000);
    const unavailable = await pending;
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('30');
    await stuckPool.close();
    await storage.close();
  });
});
