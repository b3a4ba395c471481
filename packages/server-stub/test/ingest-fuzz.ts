// Properties of POST /v1/batch under malformed and hostile input, written once for every storage
// engine: each engine's test file calls fuzzIngest with a function that opens an app on it.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { REFUSAL_REASONS, REJECT_REASONS, type BatchResponse } from '@cxkit/protocol';
import { storedItem, type ItemRow } from '../src/item-encoding';
import type { NewProject } from '../src/storage';
import { validateItem } from '../src/validate';
import { hostileRequest, isoTime, mixedBatch, SCALES, validItem, type Entry } from './ingest-arbitraries';

export const FUZZ_PROJECTS: NewProject[] = [
  { id: 'demo', name: 'Demo', writeKey: 'pk_demo', readKey: 'sk_demo', allowedOrigins: ['*'] },
  { id: 'acme', name: 'Acme', writeKey: 'pk_acme', readKey: 'sk_acme', allowedOrigins: ['https://app.acme.com'] },
];

export interface FuzzBackend {
  /** The app on this engine, with FUZZ_PROJECTS created and no rate limit that thousands of batches would reach. */
  app: { request(path: string, init: RequestInit): Response | Promise<Response> };
  /**
   * The rows of a plain SELECT, read straight from the database: the test checks what was stored,
   * not what the storage interface chooses to return.
   */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void> | void;
}

/** The statuses POST /v1/batch may answer (docs/protocol.md#answers); 503 is not one an in-memory engine has cause for. */
const PROTOCOL_STATUSES = [200, 400, 401, 403, 413, 415, 429];
const MAX_ID = 64;
const SENT_AT = '2026-11-25T12:00:00.000Z';

/** Runs enough cases to reach the rarer mutations while the whole suite stays within seconds. */
const RUNS = { mixed: 150, hostile: 250, anything: 200 };

export function fuzzIngest(makeApp: () => Promise<FuzzBackend>): void {
  let backend: FuzzBackend;
  beforeAll(async () => {
    backend = await makeApp();
  });
  afterAll(() => backend.close());

  const post = (body: string, headers: Record<string, string> = { 'Content-Type': 'text/plain' }) =>
    backend.app.request('/v1/batch', { method: 'POST', headers, body });
  const itemCount = async () => Number((await backend.rows('SELECT COUNT(*) AS n FROM items'))[0]!.n);

  let run = 0;

  test('valid items of a mixed batch are stored exactly once; the invalid ones are named and never stored', async () => {
    await fc.assert(
      fc.asyncProperty(mixedBatch, fc.constantFrom(...FUZZ_PROJECTS), isoTime, async ({ entries, resent }, project, sentAt) => {
        // Ids are made unique to this run, so its duplicates are only the ones it sends on purpose.
        const prefix = `run${++run}:`;
        const scoped = entries.map((entry) => ({ ...entry, item: scope(entry.item, prefix) }) as Entry);
        const scopedResent = resent.map((item) => scope(item, prefix) as Record<string, unknown>);
        const before = await itemCount();

        if (scopedResent.length > 0) await batchAnswer(await post(envelope(project.writeKey, scopedResent, sentAt)));
        const earlier = new Set(scopedResent.map((item) => item.id));

        const validIds = scoped.filter((entry) => entry.valid).map((entry) => (entry.item as { id: string }).id);
        const firsts = new Map<unknown, Entry>();
        for (const entry of scoped) if (entry.valid && !firsts.has(entry.item.id)) firsts.set(entry.item.id, entry);
        const expectedAccepted = [...firsts.keys()].filter((id) => !earlier.has(id as string)).length;
        const invalidIndexes = scoped.flatMap((entry, index) => (entry.valid ? [] : [index]));

        // Any device clock: the skew it implies moves every stored time, as far as year 0 or 9999 would.
        const body = envelope(project.writeKey, scoped.map((entry) => entry.item), sentAt);
        const first = await batchAnswer(await post(body));
        expect(first.rejected.map((rejection: { index: number }) => rejection.index)).toEqual(invalidIndexes);
        expect(first.accepted).toBe(expectedAccepted);
        expect(first.accepted + first.duplicates).toBe(validIds.length);

        const again = await batchAnswer(await post(body));
        expect(again).toEqual({ accepted: 0, duplicates: validIds.length, rejected: first.rejected });

        const stored = await backend.rows(`SELECT * FROM items WHERE id LIKE '${prefix}%'`);
        expect(stored).toHaveLength(new Set([...earlier, ...firsts.keys()]).size);
        expect(await itemCount()).toBe(before + stored.length);
        for (const row of stored) {
          expectValidItemRow(row);
          expect(row.project_id).toBe(project.id);
          const item = storedItem(row as unknown as ItemRow);
          // An item is stored as it was first sent: the first valid one with its id, unless sent earlier.
          const sentFirst = earlier.has(item.id) ? scopedResent.find((sent) => sent.id === item.id) : firsts.get(item.id)?.item;
          // Compared as it went over the wire, where -0 is written 0.
          expect(item).toEqual(JSON.parse(JSON.stringify(sentFirst)));
        }
      }),
      { numRuns: RUNS.mixed },
    );
    await expectOnlyValidRows();
  }, 120_000);

  test('an envelope the protocol refuses is answered 400, 401, 413 or 415 and nothing is stored', async () => {
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (request) => {
        const before = await itemCount();
        const response = await post(request.body, request.headers);
        const answer = await answerOf(response);
        expect(response.status).toBe(request.status);
        expect(answer).toEqual(request.status === 401 ? { error: expect.any(String), reason: 'unknown_write_key' } : { error: expect.any(String) });
        expect(await itemCount()).toBe(before);
      }),
      { numRuns: RUNS.hostile },
    );
  }, 120_000);

  test('whatever arrives, concurrently or not, the answer is a protocol status with a JSON body and what is stored is valid', async () => {
    const anyBody = fc.oneof(
      hostileRequest.map((request) => ({ body: request.body, headers: request.headers })),
      fc.tuple(mixedBatch, fc.constantFrom(...FUZZ_PROJECTS)).map(([{ entries }, project]) => ({
        body: envelope(project.writeKey, entries.map((entry) => entry.item)),
        headers: { 'Content-Type': 'application/json' },
      })),
      fc.tuple(fc.anything({ maxDepth: 3 }), fc.array(validItem, { maxLength: 3 })).map(([junk, items]) => ({
        body: envelope('pk_demo', [...items, junk], SENT_AT),
        headers: { 'Content-Type': 'text/plain' },
      })),
      fc.anything({ maxDepth: 4 }).map((junk) => ({ body: JSON.stringify(junk) ?? 'undefined', headers: { 'Content-Type': 'text/plain' } })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(anyBody, { minLength: 1, maxLength: 4 }), async (requests) => {
        const responses = await Promise.all(requests.map((request) => post(request.body, request.headers)));
        for (const response of responses) await answerOf(response);
      }),
      { numRuns: RUNS.anything },
    );
    await expectOnlyValidRows();
  }, 120_000);

  /** Every stored item re-validates and is in a known project; every response row is on its metric's scale. */
  async function expectOnlyValidRows() {
    const projects = FUZZ_PROJECTS.map((project) => project.id);
    for (const row of await backend.rows('SELECT * FROM items')) {
      expect(projects).toContain(row.project_id);
      expectValidItemRow(row);
    }
    for (const row of await backend.rows('SELECT project_id, metric, score FROM responses')) {
      expect(projects).toContain(row.project_id);
      expect(Object.keys(SCALES)).toContain(row.metric);
      const [min, max] = SCALES[row.metric as keyof typeof SCALES];
      expect(Number(row.score)).toBeGreaterThanOrEqual(min);
      expect(Number(row.score)).toBeLessThanOrEqual(max);
    }
  }
}

/** A stored item passes the server's own validation again, and is not timed after its receipt. */
function expectValidItemRow(row: Record<string, unknown>) {
  const check = validateItem(storedItem(row as unknown as ItemRow));
  expect(check.ok ? 'valid' : check.reason).toBe('valid');
  expect(Number.isFinite(Number(row.at))).toBe(true);
  expect(Number(row.at)).toBeLessThanOrEqual(Number(row.received_at));
}

function envelope(writeKey: string, batch: unknown[], sentAt = SENT_AT): string {
  return JSON.stringify({ writeKey, sentAt, batch });
}

/**
 * The item with its id made unique to one run, its length kept within the limit when it was
 * (and over it when it was not), so the change never turns an item valid or invalid.
 */
function scope(item: unknown, prefix: string): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  const { id } = item as { id?: unknown };
  if (typeof id !== 'string' || id === '') return item;
  // Cut to length, a surrogate pair may lose its first half: the tail then starts after the pair, as
  // a lone half makes the id one no engine stores, and a valid item invalid.
  const tail = id.slice(prefix.length);
  const scoped = (prefix + id).length <= MAX_ID ? prefix + id : prefix + (/^[\udc00-\udfff]/.test(tail) ? tail.slice(1) : tail);
  return { ...item, id: scoped };
}

/** The 200 answer to a batch with an envelope the server reads. */
async function batchAnswer(response: Response): Promise<BatchResponse> {
  expect(response.status).toBe(200);
  return (await answerOf(response)) as BatchResponse;
}

/** The answer's body, after checking it is one the protocol has: a known status, JSON, the right shape. */
async function answerOf(response: Response): Promise<unknown> {
  expect(PROTOCOL_STATUSES).toContain(response.status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status === 401 || response.status === 403) {
    // A refused write key or origin: the page can read why, as a code from the closed list.
    expect(body).toMatchObject({ error: expect.any(String), reason: expect.toBeOneOf([...REFUSAL_REASONS]) });
    return body;
  }
  if (response.status !== 200) {
    expect(body).toEqual({ error: expect.any(String) });
    return body;
  }
  expect(body).toEqual({ accepted: expect.any(Number), duplicates: expect.any(Number), rejected: expect.any(Array) });
  for (const rejection of body.rejected as unknown[]) expect(rejection).toMatchObject({ index: expect.any(Number), reason: expect.toBeOneOf([...REJECT_REASONS]) });
  return body;
}
