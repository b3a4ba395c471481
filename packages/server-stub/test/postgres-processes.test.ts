// Several server processes on one PostgreSQL database, each played by its own storage (its own
// pool and listening connection): migrations, dedupe, response merging and caches must stay exact.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Item } from '@cxkit/protocol';
import { dailyActivity } from '../src/activity-series';
import { createApp } from '../src/app';
import { DAY_MS, parseDay, UTC, zone as zoneNamed } from '../src/calendar';
import { projectLock, ZONE_BUILD_LOCK } from '../src/postgres/advisory-locks';
import { MIGRATIONS } from '../src/postgres/migrations';
import { openPostgres } from '../src/postgres/open';
import { postgresRollup } from '../src/postgres/activity-rollup';
import { postgresIngest } from '../src/postgres/ingest';
import { isUnavailable } from '../src/postgres/unavailable';
import { LEASE_SECONDS } from '../src/rate-limit';
import { StorageUnavailableError, type StoredItem } from '../src/storage';
import { bruteForce, intlDayOf, randomHistory } from './activity-fixtures';
import { testDatabase } from './postgres-database';

type Opened = Awaited<ReturnType<typeof openPostgres>>;
const PROJECT = { id: 'acme', name: 'Acme', writeKey: 'pk_acme', readKey: 'sk_acme', allowedOrigins: ['*'] };
const T0 = Date.parse('2026-11-01T00:00:00Z');

let first: Opened;
let second: Opened;
beforeAll(async () => {
  const url = await testDatabase();
  // Both start at once, as the workers of one server do.
  [first, second] = await Promise.all([openPostgres(url), openPostgres(url)]);
  await first.projects.ensure(PROJECT);
});
afterAll(async () => {
  await first?.close();
  await second?.close();
});

function stored(fields: Record<string, unknown>, at: number): StoredItem {
  const item = { type: 'track', event: 'e', timestamp: new Date(at).toISOString(), anonymousId: 'anon', sessionId: 's', ...fields } as Item;
  return { item, json: JSON.stringify(item), at, receivedAt: at };
}

/** A deterministic shuffle, so a failure can be replayed. */
function shuffled<T>(values: T[], seed: number): T[] {
  const out = [...values];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Commits the items in batches of `size`, `parallel` commits at a time; answers the total accepted. */
async function commitAll(storage: Opened, items: StoredItem[], size: number, parallel: number): Promise<number> {
  const batches: StoredItem[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  let accepted = 0;
  const worker = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      const [result] = await storage.ingest.commit([{ projectId: PROJECT.id, items: batch }]);
      accepted += result!.accepted;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return accepted;
}

/** Polls until `read` satisfies `check` or `ms` pass; answers the last value read. */
async function within<T>(ms: number, read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('processes opening a new database together apply each migration once', async () => {
  const { rows } = await first.pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
});

test('two processes committing the same items at once store each exactly once, without deadlocking', async () => {
  const items = Array.from({ length: 3000 }, (_, i) => stored({ id: `dedupe-${String(i).padStart(5, '0')}` }, T0 + i));
  const [a, b] = await Promise.all([commitAll(first, shuffled(items, 1), 100, 3), commitAll(second, shuffled(items, 2), 100, 3)]);
  expect(a + b).toBe(items.length);
  const { rows } = await first.pool.query<{ n: number }>("SELECT count(*) AS n FROM items WHERE id LIKE 'dedupe-%'");
  expect(rows[0]!.n).toBe(items.length);
});

test('a response sent in parts through two processes at once merges as one row by the upsert rule', async () => {
  const responses = 200;
  const items: StoredItem[] = [];
  for (let r = 0; r < responses; r++) {
    const base = { type: 'survey_response', surveyId: 'nps', metric: 'nps', responseId: `resp-${r}`, userId: `user-${r}` };
    const at = T0 + r * 10;
    items.push(stored({ ...base, id: `part-${r}-a`, score: 3, final: false }, at));
    items.push(stored({ ...base, id: `part-${r}-b`, score: 9, final: false }, at + 2));
    items.push(stored({ ...base, id: `part-${r}-c`, score: 5, comment: `why ${r}`, final: true }, at + 1));
  }
  // Every part goes through both processes, in different orders and batches.
  await Promise.all([commitAll(first, shuffled(items, 3), 7, 3), commitAll(second, shuffled(items, 4), 11, 3)]);
  const { rows } = await first.pool.query(
    "SELECT response_id, score, comment, final, user_id, at, updated_at FROM responses WHERE response_id LIKE 'resp-%' ORDER BY at",
  );
  expect(rows).toEqual(
    Array.from({ length: responses }, (_, r) => ({
      response_id: `resp-${r}`,
      score: 9,
      comment: `why ${r}`,
      final: true,
      user_id: `user-${r}`,
      at: T0 + r * 10,
      updated_at: T0 + r * 10 + 2,
    })),
  );
});

test("a commit waits for the project's lock only when its items may change the rollup", async () => {
  const at = T0 + 40 * DAY_MS;
  const activity = (id: string, anonymousId: string) => stored({ id, anonymousId }, at);
  await first.ingest.commit([{ projectId: PROJECT.id, items: [activity('lock-seen-1', 'lock-anon')] }]);
  const holder = await first.pool.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1)', [projectLock(PROJECT.id).toString()]);
    // The same subject in the same quarter hour: known recorded, so no lock and no wait.
    expect(await first.ingest.commit([{ projectId: PROJECT.id, items: [activity('lock-seen-2', 'lock-anon')] }])).toEqual([{ accepted: 1, duplicates: 0 }]);
    // A subject never seen must be recorded under the lock: it waits for the holder.
    let settled = false;
    const waiting = first.ingest.commit([{ projectId: PROJECT.id, items: [activity('lock-new', 'lock-other-anon')] }]).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    await holder.query('COMMIT');
    expect(await waiting).toEqual([{ accepted: 1, duplicates: 0 }]);
  } finally {
    holder.release();
  }
  const { rows } = await first.pool.query<{ n: number }>(
    "SELECT count(*) AS n FROM activity_subject_days WHERE project_id = $1 AND subject IN ('lock-anon', 'lock-other-anon')",
    [PROJECT.id],
  );
  expect(rows[0]!.n).toBe(2);
});

test("one process builds a zone calendar at a time: a step finding another's build under way leaves it to that one", async () => {
  await first.activity.setTimeZone(PROJECT.id, 'Asia/Tokyo');
  const building = await first.pool.connect();
  try {
    await building.query('BEGIN');
    await building.query('SELECT pg_advisory_xact_lock($1)', [ZONE_BUILD_LOCK.toString()]);
    expect(await second.activity.buildZoneStep(100)).toBe(false);
    await building.query('ROLLBACK');
  } finally {
    building.release();
  }
  while (await second.activity.buildZoneStep(100));
  expect(await first.activity.timeZone(PROJECT.id)).toEqual({ timeZone: 'Asia/Tokyo', ready: true });
});

describe('caches across processes', () => {
  const survey = (id: string) => ({ id, metric: 'nps' as const, name: id, trigger: { event: 'e' } });

  test('serve from memory until a change is announced, then reload within a second', async () => {
    await first.surveys.put(PROJECT.id, survey('s-1'), true);
    // Let the announcement of that change land before caching, or it would (rightly) empty the cache.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await second.surveys.active(PROJECT.id)).map((s) => s.id)).toEqual(['s-1']);
    expect(await second.projects.rules(PROJECT.id)).toEqual({ cooldownDays: 14, maxRemindLater: 2 });
    expect((await second.projects.byWriteKey(PROJECT.writeKey))?.allowedOrigins).toEqual(['*']);

    // A change nobody announces is not seen: the second process answers from its cache.
    await first.pool.query("UPDATE surveys SET active = false WHERE id = 's-1'");
    await first.pool.query("UPDATE projects SET cooldown_days = 99, allowed_origins = '{https://x.example}'");
    expect((await second.surveys.active(PROJECT.id)).map((s) => s.id)).toEqual(['s-1']);
    expect((await second.projects.rules(PROJECT.id))?.cooldownDays).toBe(14);
    await first.pool.query("UPDATE surveys SET active = true WHERE id = 's-1'");
    await first.pool.query("UPDATE projects SET cooldown_days = 14, allowed_origins = '{*}'");

    await first.surveys.put(PROJECT.id, survey('s-2'), true);
    const ids = await within(1000, () => second.surveys.active(PROJECT.id), (list) => list.length === 2);
    expect(ids.map((s) => s.id)).toEqual(['s-1', 's-2']);

    await first.projects.setRules(PROJECT.id, { cooldownDays: 3, maxRemindLater: 1 });
    expect(await within(1000, () => second.projects.rules(PROJECT.id), (rules) => rules?.cooldownDays === 3)).toEqual({
      cooldownDays: 3,
      maxRemindLater: 1,
    });

    await first.projects.setAllowedOrigins(PROJECT.id, ['https://app.acme.com']);
    const project = await within(1000, () => second.projects.byWriteKey(PROJECT.writeKey), (p) => p?.allowedOrigins[0] !== '*');
    expect(project?.allowedOrigins).toEqual(['https://app.acme.com']);

    await first.surveys.delete(PROJECT.id, 's-2');
    expect((await within(1000, () => second.surveys.active(PROJECT.id), (list) => list.length === 1)).map((s) => s.id)).toEqual(['s-1']);
  });

  test("a survey's new scale made through one process is what the other checks answers against within a second", async () => {
    const ces = (scaleMax: 5 | 7) => ({ id: 'ces-scale', metric: 'ces' as const, scaleMax, name: 'ces', trigger: { event: 'e' } });
    await first.surveys.put(PROJECT.id, ces(5), true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await second.surveys.scales(PROJECT.id))('ces-scale', 'ces')).toBe(5);
    await first.surveys.put(PROJECT.id, ces(7), true);
    const scales = await within(1000, () => second.surveys.scales(PROJECT.id), (scaleMax) => scaleMax('ces-scale', 'ces') === 7);
    expect(scales('ces-scale', 'ces')).toBe(7);
  });

  test('processes whose listening connections drop listen again, and forget what they cached meanwhile', async () => {
    const listeners = () =>
      first.pool
        .query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'")
        .then((result) => result.rows.map((row) => row.pid));
    const before = await listeners();
    expect(before).toHaveLength(2);
    expect((await second.surveys.active(PROJECT.id)).map((s) => s.id)).toContain('s-1');
    // The server ends both listening connections, as a restart or a network cut would.
    await first.pool.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [before]);
    const after = await within(3000, listeners, (pids) => pids.length === 2 && !pids.some((pid) => before.includes(pid)));
    expect(after).toHaveLength(2);
    expect(after.some((pid) => before.includes(pid))).toBe(false);
    // What changed while nobody listened is read afresh, not served from before the drop.
    await first.pool.query("UPDATE surveys SET active = false WHERE id = 's-1'");
    expect((await second.surveys.active(PROJECT.id)).map((s) => s.id)).not.toContain('s-1');
    await first.surveys.setActive(PROJECT.id, 's-1', true);

    await first.surveys.put(PROJECT.id, survey('s-3'), true);
    const list = await within(1000, () => second.surveys.active(PROJECT.id), (surveys) => surveys.some((s) => s.id === 's-3'));
    expect(list.map((s) => s.id)).toContain('s-3');
    await first.surveys.active(PROJECT.id);
    await second.surveys.put(PROJECT.id, survey('s-4'), true);
    const seen = await within(1000, () => first.surveys.active(PROJECT.id), (surveys) => surveys.some((s) => s.id === 's-4'));
    expect(seen.map((s) => s.id)).toContain('s-4');
  });
});

describe('a database that cannot commit', () => {
  test('a refused connection is StorageUnavailableError', async () => {
    const pool = new pg.Pool({ host: '127.0.0.1', port: 1, user: 'postgres', database: 'none' });
    try {
      await expect(postgresIngest(pool, postgresRollup()).commit([{ projectId: 'acme', items: [stored({ id: 'x' }, T0)] }])).rejects.toBeInstanceOf(
        StorageUnavailableError,
      );
    } finally {
      await pool.end();
    }
  });

  test.each([
    ['too many clients', '53300'],
    ['disk full', '53100'],
    ['administrator shutdown', '57P01'],
    ['server starting up', '57P03'],
  ])('%s is unavailable; a constraint broken by the write is not', (_, code) => {
    expect(isUnavailable(Object.assign(new Error('x'), { code }))).toBe(true);
    expect(isUnavailable(Object.assign(new Error('x'), { code: '23502' }))).toBe(false);
  });
});

describe('rate limits', () => {
  test("a project's limit holds across processes: together they pass its burst, not one burst each", async () => {
    const now = () => T0;
    const limit = { perSecond: 100, burst: 300 };
    const apps = [first, second].map((storage) => createApp({ storage, now, rateLimit: limit }));
    let passed = 0;
    let refused = 0;
    for (let round = 0; round < 40; round++) {
      for (const app of apps) {
        const items = Array.from({ length: 10 }, (_, i) => ({
          id: `limit-${round}-${apps.indexOf(app)}-${i}`,
          type: 'track',
          event: 'e',
          timestamp: new Date(T0).toISOString(),
          anonymousId: 'anon',
          sessionId: 's',
        }));
        const response = await app.request('/v1/batch', {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain' },
          body: JSON.stringify({ writeKey: PROJECT.writeKey, sentAt: new Date(T0).toISOString(), batch: items }),
        });
        if (response.status === 200) passed += 10;
        else if (response.status === 429) refused += 10;
      }
    }
    expect(passed + refused).toBe(800);
    // Each process may hold a lease it has not spent yet (LEASE_SECONDS of the limit), never more.
    expect(passed).toBeLessThanOrEqual(300);
    expect(passed).toBeGreaterThanOrEqual(300 - 2 * limit.perSecond * LEASE_SECONDS);
  });
});

describe('DAU and MAU', () => {
  test('two processes committing interleaved batches for the same users keep them exact, day by day, in UTC and the project zone', async () => {
    const project = { ...PROJECT, id: 'shared', writeKey: 'pk_shared', readKey: 'sk_shared' };
    await first.projects.ensure(project);
    await first.activity.setTimeZone(project.id, 'Asia/Kolkata');
    while (await second.activity.buildZoneStep(500));
    const start = Date.parse('2026-02-20T00:00:00Z');
    const history = randomHistory(21, 3000, start, 60);
    const batches: StoredItem[][] = [];
    for (let i = 0; i < history.length; i += 37) batches.push(history.slice(i, i + 37));
    // Both processes take batches from one queue, so each user's items reach both, interleaved;
    // every fifth batch goes through both at once, as a retry through a load balancer would.
    let next = 0;
    const worker = async (storage: Opened, other: Opened) => {
      for (let index = next++; index < batches.length; index = next++) {
        const write = [{ projectId: project.id, items: batches[index]! }];
        await (index % 5 === 0 ? Promise.all([storage.ingest.commit(write), other.ingest.commit(write)]) : storage.ingest.commit(write));
      }
    };
    await Promise.all([worker(first, second), worker(second, first), worker(first, second), worker(second, first)]);

    const from = parseDay('2026-03-01')!;
    const to = parseDay('2026-04-15')!;
    for (const [name, zone, dayOf] of [
      ['UTC', UTC, (at: number) => Math.floor(at / DAY_MS)],
      ['Asia/Kolkata', zoneNamed('Asia/Kolkata'), intlDayOf('Asia/Kolkata')],
    ] as const) {
      const expected = bruteForce(history, dayOf, from, to);
      expect(expected.some((day) => day.mau > day.dau && day.dau > 0), name).toBe(true);
      for (const storage of [first, second]) {
        const series = await dailyActivity(storage.activity, project.id, zone, from, to);
        expect(series.map(({ day, dau, mau }) => ({ day, dau, mau })), name).toEqual(expected);
      }
    }
    // The zone's series came from its calendar, kept by both processes' commits.
    expect(await first.activity.timeZone(project.id)).toEqual({ timeZone: 'Asia/Kolkata', ready: true });
  });
});
