// The PostgreSQL adapter port by port, on its own database; where SQLite answers the same
// question (sqlite/read-side.ts), both are fed the same items and must answer alike.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Item, SurveyDefinition } from '@cxkit/protocol';
import { bigintArray, booleanArray, intArray, textArray } from '../src/postgres/binary-arrays';
import { openPostgres } from '../src/postgres/open';
import { openSqlite } from '../src/sqlite/open';
import type { ResponseQuery, StoredItem } from '../src/storage';
import { testDatabase } from './postgres-database';
import { item, NOW, OTHER, PROJECT, response, shown, SURVEYS } from './read-side-fixtures';

let storage: Awaited<ReturnType<typeof openPostgres>>;
const sqlite = openSqlite(':memory:');
beforeAll(async () => {
  storage = await openPostgres(await testDatabase());
  for (const project of [PROJECT, OTHER]) {
    await storage.projects.ensure(project);
    await sqlite.projects.ensure(project);
  }
  for (const survey of SURVEYS) await storage.surveys.put(PROJECT.id, survey, true);
});
afterAll(async () => {
  await storage.close();
  await sqlite.close();
});

/** Commits to both engines as one request each; answers PostgreSQL's counts. */
async function commitBoth(projectId: string, items: StoredItem[]) {
  const [result] = await storage.ingest.commit([{ projectId, items }]);
  await sqlite.ingest.commit([{ projectId, items }]);
  return result;
}

const count = async (sql: string, ...values: unknown[]) =>
  (await storage.pool.query<{ n: number }>(`SELECT count(*) AS n FROM ${sql}`, values)).rows[0]!.n;

describe('projects', () => {
  test('are listed with their origins and creation time, never their read key', async () => {
    const [acme] = await storage.projects.list();
    expect(acme).toEqual({ id: 'acme', name: 'Acme', writeKey: 'pk_acme', allowedOrigins: ['*'], readOrigins: [], createdAt: expect.any(Number) });
    expect(await storage.projects.setAllowedOrigins('other', ['https://a.example', 'https://*.a.example'])).toBe(true);
    expect((await storage.projects.byWriteKey('pk_other'))?.allowedOrigins).toEqual(['https://a.example', 'https://*.a.example']);
    expect(await storage.projects.setAllowedOrigins('nope', ['*'])).toBe(false);
    const { rows } = await storage.pool.query('SELECT read_key_hash FROM projects WHERE id = $1', ['acme']);
    expect(rows[0].read_key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain('sk_acme');
  });

  test('a project id or write key that exists already is left as it is', async () => {
    expect(await storage.projects.ensure({ ...PROJECT, name: 'other name', writeKey: 'pk_new' })).toBe(false);
    expect(await storage.projects.ensure({ ...PROJECT, id: 'new', readKey: 'sk_new' })).toBe(false);
    expect((await storage.projects.list()).map((p) => [p.id, p.name])).toEqual([
      ['acme', 'Acme'],
      ['other', 'Other'],
    ]);
  });

  test('are found by write key, and by read key only while it is the current one', async () => {
    expect((await storage.projects.byWriteKey('pk_acme'))?.id).toBe('acme');
    expect(await storage.projects.byWriteKey('pk_nope')).toBeUndefined();
    expect((await storage.projects.byReadKey('sk_acme'))?.id).toBe('acme');
    expect(await storage.projects.setReadKey('acme', 'sk_rotated')).toBe(true);
    expect(await storage.projects.byReadKey('sk_acme')).toBeUndefined();
    expect((await storage.projects.byReadKey('sk_rotated'))?.id).toBe('acme');
    expect(await storage.projects.setReadKey('nope', 'sk_x')).toBe(false);
    await storage.projects.setReadKey('acme', PROJECT.readKey);
  });

  test('rules default to a 14-day cooldown and 2 reminders, and are replaced', async () => {
    expect(await storage.projects.rules('other')).toEqual({ cooldownDays: 14, maxRemindLater: 2 });
    expect(await storage.projects.setRules('other', { cooldownDays: 30, maxRemindLater: 0 })).toBe(true);
    expect(await storage.projects.rules('other')).toEqual({ cooldownDays: 30, maxRemindLater: 0 });
    expect(await storage.projects.setRules('nope', { cooldownDays: 1, maxRemindLater: 1 })).toBe(false);
    expect(await storage.projects.rules('nope')).toBeUndefined();
  });
});

describe('surveys', () => {
  const extra: SurveyDefinition = { id: 'zz-extra', metric: 'nps', name: 'Extra', trigger: { event: 'x' } };

  test('the sdk is served the active ones; paused and deleted ones stay listed for the team', async () => {
    expect((await storage.surveys.active(PROJECT.id)).map((s) => s.id)).toEqual(SURVEYS.map((s) => s.id).sort());
    await storage.surveys.put(PROJECT.id, extra, true);
    expect((await storage.surveys.active(PROJECT.id)).map((s) => s.id)).toContain('zz-extra');
    await storage.surveys.setActive(PROJECT.id, 'zz-extra', false);
    expect((await storage.surveys.active(PROJECT.id)).map((s) => s.id)).not.toContain('zz-extra');
    await storage.surveys.delete(PROJECT.id, 'zz-extra');
    await storage.surveys.setActive(PROJECT.id, 'zz-extra', true);
    expect((await storage.surveys.active(PROJECT.id)).map((s) => s.id)).not.toContain('zz-extra');
    expect((await storage.surveys.all(PROJECT.id)).find((s) => s.definition.id === 'zz-extra')).toEqual({
      definition: extra,
      active: false,
      deleted: true,
    });
  });

  test('putting a deleted survey brings it back', async () => {
    await storage.surveys.put(PROJECT.id, { ...extra, name: 'Back' }, true);
    expect((await storage.surveys.all(PROJECT.id)).find((s) => s.definition.id === 'zz-extra')).toEqual({
      definition: { ...extra, name: 'Back' },
      active: true,
      deleted: false,
    });
    await storage.surveys.delete(PROJECT.id, 'zz-extra');
    expect(await storage.surveys.active(OTHER.id)).toEqual([]);
  });
});

describe('binary array parameters', () => {
  const unnested = async (type: string, parameter: Buffer) =>
    (await storage.pool.query({ text: `SELECT unnest($1::${type}[]) AS value`, values: [parameter], rowMode: 'array' })).rows.map(([value]) => value);

  test('read back as they were written: any text, NULLs, whole numbers past 32 bits and below zero, booleans, none at all', async () => {
    const texts = ['', 'plain', '"quoted", {braced}, back\\slash', 'NULL', 'Grüße, 東京, 🙂', null, '{"a":[1,"b"]}'];
    expect(await unnested('text', textArray(texts))).toEqual(texts);
    const bigints = [0, 1, -1, 2 ** 32, 2 ** 32 + 5, -(2 ** 32) - 5, Date.parse('2026-12-03T11:00:00Z'), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    expect(await unnested('bigint', bigintArray(bigints))).toEqual(bigints);
    expect(await unnested('int', intArray([0, 10, -7, 2 ** 31 - 1]))).toEqual([0, 10, -7, 2 ** 31 - 1]);
    expect(await unnested('boolean', booleanArray([true, false, true]))).toEqual([true, false, true]);
    for (const [type, empty] of [['text', textArray([])], ['bigint', bigintArray([])], ['int', intArray([])], ['boolean', booleanArray([])]] as const) {
      expect(await unnested(type, empty)).toEqual([]);
    }
  });
});

describe('ingest', () => {
  const stored = (fields: Record<string, unknown>): StoredItem => item(NOW, { type: 'track', event: 'e', ...fields });

  test('one commit stores the writes of several requests and projects, with counts per write', async () => {
    const shared = stored({});
    const results = await storage.ingest.commit([
      { projectId: 'acme', items: [shared, stored({})] },
      { projectId: 'other', items: [shared] },
      { projectId: 'acme', items: [shared, shared] },
    ]);
    expect(results).toEqual([
      { accepted: 2, duplicates: 0 },
      { accepted: 1, duplicates: 0 },
      { accepted: 0, duplicates: 2 },
    ]);
    expect(await count('items WHERE id = $1', shared.item.id)).toBe(2);
    expect((await storage.ingest.commit([{ projectId: 'acme', items: [shared] }]))[0]).toEqual({ accepted: 0, duplicates: 1 });
  });

  test('keeps the item as sent: its columns and payload, corrected time and receipt time', async () => {
    const sent = { ...stored({ userId: 'u-9' }), at: NOW - 5000, receivedAt: NOW };
    await storage.ingest.commit([{ projectId: 'acme', items: [sent] }]);
    const { rows } = await storage.pool.query('SELECT type, at, received_at, anonymous_id, user_id, session_id, payload FROM items WHERE id = $1', [
      sent.item.id,
    ]);
    expect(rows).toEqual([
      { type: 'track', at: NOW - 5000, received_at: NOW, anonymous_id: 'anon', user_id: 'u-9', session_id: 'session', payload: sent.json },
    ]);
  });

  test('a commit is all or none: one write that cannot be stored undoes the whole transaction', async () => {
    const good = stored({});
    const broken = { ...stored({}), item: { ...stored({}).item, anonymousId: null } as unknown as Item };
    await expect(
      storage.ingest.commit([
        { projectId: 'acme', items: [good] },
        { projectId: 'other', items: [broken] },
      ]),
    ).rejects.toThrow(/null value/);
    expect(await count('items WHERE id = $1', good.item.id)).toBe(0);
  });

  test('records survey displays and dismissals once each', async () => {
    const display = shown('2026-03-30T10:00:00Z', 'nps-main', { anonymousId: 'ingest-anon' });
    const dismissal = item('2026-03-30T10:01:00Z', { type: 'survey_dismissed', surveyId: 'nps-main', reason: 'later', anonymousId: 'ingest-anon' });
    await storage.ingest.commit([{ projectId: 'acme', items: [display, dismissal, display] }]);
    await storage.ingest.commit([{ projectId: 'acme', items: [display] }]);
    const { rows } = await storage.pool.query("SELECT kind FROM survey_events WHERE anonymous_id = 'ingest-anon' ORDER BY kind");
    expect(rows).toEqual([{ kind: 'later' }, { kind: 'shown' }]);
  });
});

describe('response parts', () => {
  // Parts with tied times and several comments, so the order they are applied in matters.
  const parts = [
    { at: 1000, score: 3, final: false },
    { at: 1000, score: 4, final: false, comment: 'first thought', userId: 'u-1' },
    { at: 900, score: 8, final: true, comment: 'second thought' },
    { at: 1100, score: 6, final: false, userId: 'u-2' },
  ];
  const permutations = (n: number): number[][] =>
    n === 0 ? [[]] : permutations(n - 1).flatMap((rest) => Array.from({ length: n }, (_, i) => [...rest.slice(0, i), n - 1, ...rest.slice(i)]));

  test('merged within one commit, they store what one commit each would, in every order', async () => {
    const row = async (responseId: string) =>
      (await storage.pool.query('SELECT score, comment, final, user_id, at, updated_at FROM responses WHERE response_id = $1', [responseId])).rows;
    for (const [index, order] of permutations(parts.length).entries()) {
      const items = order.map((part) => {
        const { at, ...fields } = parts[part]!;
        return item(at, { type: 'survey_response', surveyId: 'nps-main', metric: 'nps', responseId: `merge-${index}`, ...fields });
      });
      await storage.ingest.commit([{ projectId: 'acme', items: items.map((stored) => ({ ...stored, item: { ...stored.item, responseId: `merge-${index}-one` } as Item })) }]);
      for (const stored of items) await storage.ingest.commit([{ projectId: 'acme', items: [{ ...stored, item: { ...stored.item, id: `${stored.item.id}-apart` } }] }]);
      await sqlite.ingest.commit([{ projectId: 'acme', items }]);
      const sqliteRow = sqlite.db.prepare('SELECT score, comment, final, user_id, at, updated_at FROM responses WHERE response_id = ?').get(`merge-${index}`) as Record<string, unknown>;
      expect(await row(`merge-${index}-one`)).toEqual(await row(`merge-${index}`));
      expect(await row(`merge-${index}`)).toEqual([{ ...sqliteRow, final: sqliteRow.final === 1 }]);
    }
  });
});

describe('responses', () => {
  // A project of its own, fed to both engines alike.
  const project = { id: 'rsp', name: 'Responses', writeKey: 'pk_rsp', readKey: 'sk_rsp', allowedOrigins: ['*'] };
  const days = ['2026-03-01', '2026-03-05', '2026-03-09', '2026-03-13', '2026-03-17', '2026-03-21', '2026-03-25', '2026-03-29'];
  beforeAll(async () => {
    await storage.projects.ensure(project);
    await sqlite.projects.ensure(project);
    const items: StoredItem[] = [];
    days.forEach((day, index) => {
      const at = `${day}T${String(8 + index).padStart(2, '0')}:00:00Z`;
      items.push(response(at, 'nps-main', 'nps', index + 3, { anonymousId: `anon-${index % 3}`, comment: index % 2 ? `Great 100%_${index}` : undefined }));
      items.push(response(at, 'csat-support', 'csat', (index % 5) + 1, { userId: index % 2 ? 'user-1' : undefined, anonymousId: `anon-${index % 3}` }));
      items.push(response(at, 'ces-export', 'ces', (index % 5) + 1, { anonymousId: 'anon-x' }));
      items.push(shown(at, index % 2 ? 'nps-main' : 'csat-support', { anonymousId: `anon-${index % 3}` }));
    });
    // Same time, so the page cursor must order by response id too.
    items.push(response('2026-03-29T15:00:00Z', 'nps-main', 'nps', 10, { responseId: 'r-tie-a' }));
    items.push(response('2026-03-29T15:00:00Z', 'nps-main', 'nps', 0, { responseId: 'r-tie-b' }));
    await commitBoth(project.id, items);
  });

  const queries: [string, Omit<ResponseQuery, 'limit'>][] = [
    ['everything', {}],
    ['one survey', { surveyId: 'nps-main' }],
    ['one metric', { metric: 'csat' }],
    ['a score range', { minScore: 4, maxScore: 7 }],
    ['a time window', { fromAt: Date.parse('2026-03-05T00:00:00Z'), toAt: Date.parse('2026-03-21T00:00:00Z') }],
    ['with a comment', { hasComment: true }],
    ['without a comment', { hasComment: false }],
    ['comment text, any case, wildcards taken literally', { text: 'great 100%_' }],
    ['a wildcard that matches nothing literally', { text: '_x' }],
    [
      'score buckets across metrics and surveys',
      {
        anyOf: [
          { metric: 'nps', min: 9, max: 10 },
          { metric: 'ces', min: 4, max: 5, surveys: { only: true, ids: ['ces-export'] } },
          { metric: 'csat', min: 4, max: 5, surveys: { only: false, ids: ['csat-support'] } },
        ],
      },
    ],
    ['no bucket that can match', { anyOf: [{ metric: 'ces', min: 1, max: 7, surveys: { only: true, ids: [] } }] }],
  ];
  test.each(queries)('listed newest first and paged like SQLite: %s', async (_, query) => {
    const all = await storage.responses.list(project.id, { ...query, limit: 100 });
    expect(all).toEqual(await sqlite.responses.list(project.id, { ...query, limit: 100 }));
    const pages: typeof all = [];
    for (let before: ResponseQuery['before']; ; ) {
      const page = await storage.responses.list(project.id, { ...query, before, limit: 3 });
      pages.push(...page);
      const last = page[page.length - 1];
      if (page.length < 3 || !last) break;
      before = { at: last.at, responseId: last.responseId };
    }
    expect(pages).toEqual(all);
  });

  test('a listed response reads as the sdk sent it', async () => {
    const rows = await storage.responses.list(project.id, { surveyId: 'csat-support', limit: 1 });
    expect(rows).toEqual([
      {
        responseId: expect.any(String),
        surveyId: 'csat-support',
        metric: 'csat',
        score: 3,
        comment: null,
        final: true,
        anonymousId: 'anon-1',
        userId: 'user-1',
        at: Date.parse('2026-03-29T15:00:00Z'),
      },
    ]);
  });

  test('scores and display times are those of the window, and of one survey when asked', async () => {
    const from = Date.parse('2026-03-05T00:00:00Z');
    const to = Date.parse('2026-03-25T00:00:00Z');
    for (const surveyId of [undefined, 'nps-main', 'nope']) {
      const sorted = <T>(rows: T[]) => rows.map((row) => JSON.stringify(row)).sort();
      expect(sorted(await storage.responses.scores(project.id, from, to, surveyId))).toEqual(sorted(await sqlite.responses.scores(project.id, from, to, surveyId)));
      expect((await storage.responses.shownTimes(project.id, from, to, surveyId)).sort()).toEqual(
        (await sqlite.responses.shownTimes(project.id, from, to, surveyId)).sort(),
      );
    }
    expect(await storage.responses.shownTimes(project.id, from, to, 'nps-main')).toHaveLength(3);
  });
});

describe('display history', () => {
  const project = { id: 'hist', name: 'History', writeKey: 'pk_hist', readKey: 'sk_hist', allowedOrigins: ['*'] };
  beforeAll(async () => {
    await storage.projects.ensure(project);
    await sqlite.projects.ensure(project);
    // The rollup keeps identities; here they are written as it would, so the history's join is exercised.
    for (const [anonymousId, userId] of [['phone', 'ana']]) {
      await storage.pool.query("INSERT INTO identities VALUES ('hist', $1, $2, 0, 'i-1')", [anonymousId, userId]);
      sqlite.db.prepare("INSERT INTO identities VALUES ('hist', ?, ?, 0, 'i-1')").run(anonymousId, userId);
    }
    await commitBoth(project.id, [
      shown('2026-03-01T10:00:00Z', 'nps-main', { userId: 'ana', anonymousId: 'laptop' }),
      item('2026-03-01T10:01:00Z', { type: 'survey_dismissed', surveyId: 'nps-main', reason: 'later', userId: 'ana', anonymousId: 'laptop' }),
      shown('2026-03-10T10:00:00Z', 'nps-main', { anonymousId: 'phone' }),
      shown('2026-03-12T10:00:00Z', 'csat-support', { anonymousId: 'phone' }),
      item('2026-03-12T10:01:00Z', { type: 'survey_dismissed', surveyId: 'csat-support', reason: 'never', anonymousId: 'phone' }),
      shown('2026-03-20T10:00:00Z', 'csat-support', { anonymousId: 'phone' }),
      response('2026-03-10T10:00:30Z', 'nps-main', 'nps', 9, { anonymousId: 'phone' }),
      shown('2026-03-15T10:00:00Z', 'ces-setup', { anonymousId: 'stranger' }),
    ]);
  });

  test("covers every device of the user, anonymous ids they identified from included, as SQLite's does", async () => {
    const history = await storage.responses.displayHistory(project.id, 'ana');
    expect(history).toEqual(await sqlite.responses.displayHistory(project.id, 'ana'));
    expect(history).toEqual({
      lastShownAt: Date.parse('2026-03-20T10:00:00Z'),
      surveys: {
        'nps-main': { displays: 2, answered: true, later: 1, lastShownAt: Date.parse('2026-03-10T10:00:00Z') },
        'csat-support': { displays: 2, answered: false, later: 0, lastShownAt: Date.parse('2026-03-20T10:00:00Z'), dismissed: 'never' },
      },
    });
    expect(await storage.responses.displayHistory(project.id, 'nobody')).toEqual({ surveys: {} });
  });
});

describe('activity', () => {
  const project = { id: 'act', name: 'Activity', writeKey: 'pk_act', readKey: 'sk_act', allowedOrigins: ['*'] };
  beforeAll(async () => {
    await storage.projects.ensure(project);
    // Rows as the rollup writes them.
    await storage.pool.query(
      `INSERT INTO activity_subject_days VALUES ('act', 100, 'b', 1, 0, 0), ('act', 100, 'a', 4294967295, 2, 3),
         ('act', 101, 'a', 8, 0, 0), ('act', 103, 'c', 0, 0, 2147483648)`,
    );
    await storage.pool.query("INSERT INTO activity_day_totals VALUES ('act', 100, 2, 2), ('act', 101, 1, 0), ('act', 140, 0, -2)");
    await storage.pool.query("INSERT INTO identities VALUES ('act', 'anon-1', 'user-1', 0, 'i'), ('act', 'anon-2', 'user-1', 5, 'j')");
  });

  test('totals are read up to a day, in day order', async () => {
    expect(await storage.activity.totals('act', 101)).toEqual([
      { day: 100, dau: 2, mauDelta: 2 },
      { day: 101, dau: 1, mauDelta: 0 },
    ]);
    expect(await storage.activity.zoneTotals('act', 1000)).toEqual([]);
  });

  test('subject-days are visited in day order with their quarter-hour words as unsigned numbers, across pages', async () => {
    const visited: unknown[] = [];
    await storage.activity.forEachSubjectDay('act', 100, 103, (...row) => visited.push(row));
    expect(visited).toEqual([
      [100, 'a', 4294967295, 2, 3],
      [100, 'b', 1, 0, 0],
      [101, 'a', 8, 0, 0],
      [103, 'c', 0, 0, 2147483648],
    ]);
    const later: unknown[] = [];
    await storage.activity.forEachSubjectDay('act', 101, 102, (...row) => later.push(row));
    expect(later).toEqual([[101, 'a', 8, 0, 0]]);
  });

  test('identities map each anonymous id to its user', async () => {
    expect(await storage.activity.identities('act')).toEqual(
      new Map([
        ['anon-1', 'user-1'],
        ['anon-2', 'user-1'],
      ]),
    );
  });

  test('a new time zone clears the calendar of the zone before, step by step, then replays; back to UTC needs no replay', async () => {
    expect(await storage.activity.timeZone('act')).toEqual({ timeZone: 'UTC', ready: true });
    expect(await storage.activity.timeZone('nope')).toBeUndefined();
    expect(await storage.activity.setTimeZone('nope', 'Europe/Berlin')).toBe(false);
    await storage.pool.query("INSERT INTO activity_zone_user_days VALUES ('act', 'a', 1), ('act', 'b', 1), ('act', 'c', 2)");
    await storage.pool.query("INSERT INTO activity_zone_day_totals VALUES ('act', 1, 2, 2)");
    expect(await storage.activity.setTimeZone('act', 'Europe/Berlin')).toBe(true);
    expect(await storage.activity.timeZone('act')).toEqual({ timeZone: 'Europe/Berlin', ready: false });

    expect(await storage.activity.buildZoneStep(2)).toBe(true);
    expect(await count("activity_zone_user_days WHERE project_id = 'act'")).toBe(1);
    while (await storage.activity.buildZoneStep(2));
    // The planted days of the zone before are gone; what is there now was replayed from the subject-days.
    expect(await count("activity_zone_user_days WHERE project_id = 'act' AND day <= 2")).toBe(0);
    expect(await storage.activity.zoneTotals('act', 2)).toEqual([]);
    expect(await storage.activity.timeZone('act')).toEqual({ timeZone: 'Europe/Berlin', ready: true });
    expect(await storage.activity.buildZoneStep(2)).toBe(false);

    expect(await storage.activity.setTimeZone('act', 'Europe/Berlin')).toBe(true);
    expect(await storage.activity.timeZone('act')).toEqual({ timeZone: 'Europe/Berlin', ready: true });
    expect(await storage.activity.setTimeZone('act', 'UTC')).toBe(true);
    expect(await storage.activity.buildZoneStep(100)).toBe(true);
    while (await storage.activity.buildZoneStep(100));
    expect(await count("activity_zone_user_days WHERE project_id = 'act'")).toBe(0);
    expect(await storage.pool.query("SELECT phase FROM zone_rollup_builds WHERE project_id = 'act'").then((r) => r.rows)).toEqual([]);
    expect(await storage.activity.timeZone('act')).toEqual({ timeZone: 'UTC', ready: true });
  });
});
