import type pg from 'pg';
import type { IngestPort } from '../ports.js';
import type { IngestResult, ProjectWrite, StoredItem } from '../storage.js';
import type { PostgresRollup } from './activity-rollup.js';
import { changeOf, membershipOf } from '../accounts/changes.js';
import { putAccounts, putMemberships } from './accounts.js';
import { lockProjects } from './advisory-locks.js';
import { bigintArray, booleanArray, intArray, textArray } from './binary-arrays.js';
import { mergeResponse, responseWrite, type ResponseWrite } from './response-merge.js';
import { inTransaction } from './transaction.js';
import { whenAvailable } from './unavailable.js';
import { queueAlerts } from './webhooks.js';
import { alertRows } from '../webhook-rows.js';

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Commits the writes of many requests in one transaction. Several processes commit at once, so
 * rows are written in one global order (items, then responses, then survey events, accounts and
 * account users, each sorted by key, then the project locks in key order): two transactions
 * touching the same rows wait for one another in a line, never in a circle. Only a project whose rollup the items may change is locked:
 * most repeat a quarter hour already recorded, and a commit holding no lock does not wait for the
 * commit before it to be flushed. Dedupe rests on the unique key: of two processes storing
 * the same item, one inserts it and the other's ON CONFLICT finds it.
 *
 * Each statement is named, so a connection has PostgreSQL parse and plan it once rather than on
 * every commit, and arrays are unnested in the select list, which streams their elements where
 * unnest in FROM first copies every row into a tuplestore.
 */
export function postgresIngest(pool: pg.Pool, rollup: PostgresRollup): IngestPort {
  return {
    async commit(writes) {
      const learned: (() => void)[] = [];
      const results = await whenAvailable(() => inTransaction(pool, (client) => commitWrites(client, writes, rollup, learned)));
      // Only now that it is committed may the rollup's cache take what the transaction recorded as known.
      for (const learn of learned) learn();
      return results;
    },
  };
}

async function commitWrites(client: pg.ClientBase, writes: ProjectWrite[], rollup: PostgresRollup, learned: (() => void)[]): Promise<IngestResult[]> {
  const all = writes.flatMap(({ projectId, items }) => items.map((stored) => ({ projectId, stored, position: 0 })));
  all.forEach((entry, position) => (entry.position = position));
  // A stable sort: of two copies of an item in the group, the first is stored, as one by one would.
  const sorted = [...all].sort((a, b) => byKey(a.projectId, b.projectId) || byKey(a.stored.item.id, b.stored.item.id));
  const known = await insertItems(client, sorted);

  const results: IngestResult[] = [];
  const newItems = new Map<string, StoredItem[]>();
  let position = 0;
  for (const { projectId, items } of writes) {
    let accepted = 0;
    for (const stored of items) {
      if (known.has(position++)) continue;
      accepted++;
      let ofProject = newItems.get(projectId);
      if (!ofProject) newItems.set(projectId, (ofProject = []));
      ofProject.push(stored);
    }
    results.push({ accepted, duplicates: items.length - accepted });
  }

  await upsertResponses(client, newItems);
  // An acknowledged answer has its alerts queued: in the transaction that commits it.
  // By project, not by write: two requests of one project in the group share its new items.
  const targets = new Map(writes.flatMap(({ projectId, webhooks }) => (webhooks && webhooks.length > 0 ? [[projectId, webhooks] as const] : [])));
  await queueAlerts(client, [...targets].flatMap(([projectId, webhooks]) => alertRows(newItems.get(projectId) ?? [], webhooks).map((row) => ({ ...row, projectId }))));
  await insertSurveyEvents(client, newItems);
  await recordGroups(client, newItems);
  await insertDropReports(client, writes);
  const changing = [...newItems]
    .map(([projectId, items]) => ({ projectId, unseen: rollup.unseen(projectId, items) }))
    .filter(({ unseen }) => unseen.length > 0)
    .sort((a, b) => byKey(a.projectId, b.projectId));
  await lockProjects(client, changing.map(({ projectId }) => projectId));
  for (const { projectId, unseen } of changing) learned.push(await rollup.record(client, projectId, unseen));
  return results;
}

/** An item of the group, at its position among the group's items in the order the writes hold them. */
type Keyed = { projectId: string; stored: StoredItem; position: number };

/**
 * Inserts the items, sorted by key, in one statement; answers the positions of those it did not
 * store: later copies of an item in the group (next to the first once sorted), and items stored
 * before. The statement reads back only the keys it found stored already, so a group of new items
 * reads no rows. The columns go as binary arrays (binary-arrays.ts).
 */
async function insertItems(client: pg.ClientBase, sorted: Keyed[]): Promise<Set<number>> {
  const known = new Set<number>();
  const items = sorted.filter((entry, index) => {
    const before = sorted[index - 1];
    const copy = before !== undefined && before.projectId === entry.projectId && before.stored.item.id === entry.stored.item.id;
    if (copy) known.add(entry.position);
    return !copy;
  });
  if (items.length === 0) return known;
  const column = <T>(value: (entry: Keyed) => T) => items.map(value);
  const { rows } = await client.query<[string, string]>({
    name: 'cxkit_insert_items',
    text: `WITH stored AS (
             INSERT INTO items (project_id, id, type, at, received_at, anonymous_id, user_id, session_id, payload)
             SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), unnest($4::bigint[]), unnest($5::bigint[]),
                    unnest($6::text[]), unnest($7::text[]), unnest($8::text[]), unnest($9::text[])
             ON CONFLICT DO NOTHING RETURNING project_id, id)
           SELECT unnest($1::text[]), unnest($2::text[]) EXCEPT ALL SELECT project_id, id FROM stored`,
    values: [
      textArray(column((e) => e.projectId)),
      textArray(column((e) => e.stored.item.id)),
      textArray(column((e) => e.stored.item.type)),
      bigintArray(column((e) => e.stored.at)),
      bigintArray(column((e) => e.stored.receivedAt)),
      textArray(column((e) => e.stored.item.anonymousId)),
      textArray(column((e) => e.stored.item.userId ?? null)),
      textArray(column((e) => e.stored.item.sessionId)),
      textArray(column((e) => e.stored.json)),
    ],
    rowMode: 'array',
  });
  if (rows.length === 0) return known;
  const before = new Set(rows.map(([projectId, id]) => `${projectId}\n${id}`));
  for (const { projectId, stored, position } of items) if (before.has(`${projectId}\n${stored.item.id}`)) known.add(position);
  return known;
}

/**
 * A response arrives as several items sharing responseId (score first, comment later), maybe out of
 * order and through several processes: the newest score wins, a comment is never erased, final only
 * moves to true, `at` is the earliest, the context (traits, trigger properties, locale) is the first item's. The items of one commit are merged first (one statement may
 * not update a row twice), then upserted by the same rule against the stored row.
 */
async function upsertResponses(client: pg.ClientBase, newItems: Map<string, StoredItem[]>): Promise<void> {
  const writes: ResponseWrite[] = [];
  for (const [projectId, items] of newItems) {
    for (const { item, at } of items) if (item.type === 'survey_response') writes.push(responseWrite(projectId, item, at));
  }
  if (writes.length === 0) return;
  // A response keeps the metric it was first stored with: an item claiming another changes nothing
  // (its score is on another scale), whether the row is stored already or made by this commit.
  const metrics = await storedMetrics(client, writes);
  const merged = new Map<string, ResponseWrite>();
  for (const write of writes) {
    const key = `${write.projectId}\n${write.responseId}`;
    const known = merged.get(key);
    if ((metrics.get(key) ?? known?.metric ?? write.metric) !== write.metric) continue;
    merged.set(key, known ? mergeResponse(known, write) : write);
  }
  const rows = [...merged.values()].sort((a, b) => byKey(a.projectId, b.projectId) || byKey(a.responseId, b.responseId));
  const column = <T>(value: (row: ResponseWrite) => T) => rows.map(value);
  await client.query({
    name: 'cxkit_upsert_responses',
    text: `INSERT INTO responses (project_id, response_id, survey_id, metric, score, comment, final, anonymous_id, user_id, at, updated_at,
                           traits, trigger_properties, locale)
     SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), unnest($5::int[]), unnest($6::text[]),
            unnest($7::boolean[]), unnest($8::text[]), unnest($9::text[]), unnest($10::bigint[]), unnest($11::bigint[]),
            unnest($12::text[])::jsonb, unnest($13::text[])::jsonb, unnest($14::text[])
     ON CONFLICT (project_id, response_id) DO UPDATE SET
       score = CASE WHEN excluded.updated_at >= responses.updated_at THEN excluded.score ELSE responses.score END,
       comment = COALESCE(excluded.comment, responses.comment),
       final = responses.final OR excluded.final,
       user_id = COALESCE(responses.user_id, excluded.user_id),
       at = LEAST(responses.at, excluded.at),
       updated_at = GREATEST(responses.updated_at, excluded.updated_at)
     WHERE responses.metric = excluded.metric`,
    values: [
      textArray(column((r) => r.projectId)),
      textArray(column((r) => r.responseId)),
      textArray(column((r) => r.surveyId)),
      textArray(column((r) => r.metric)),
      intArray(column((r) => r.score)),
      textArray(column((r) => r.comment)),
      booleanArray(column((r) => r.final)),
      textArray(column((r) => r.anonymousId)),
      textArray(column((r) => r.userId)),
      bigintArray(column((r) => r.at)),
      bigintArray(column((r) => r.updatedAt)),
      textArray(column((r) => r.traits)),
      textArray(column((r) => r.triggerProperties)),
      textArray(column((r) => r.locale)),
    ],
  });
}

/** The metric each of these responses is stored with, for those stored already (`project\nresponseId` → metric). */
async function storedMetrics(client: pg.ClientBase, writes: ResponseWrite[]): Promise<Map<string, string>> {
  const { rows } = await client.query<[string, string, string]>({
    name: 'cxkit_stored_metrics',
    text: `SELECT r.project_id, r.response_id, r.metric FROM responses r
           JOIN unnest($1::text[], $2::text[]) AS k (project_id, response_id) USING (project_id, response_id)`,
    values: [textArray(writes.map((w) => w.projectId)), textArray(writes.map((w) => w.responseId))],
    rowMode: 'array',
  });
  return new Map(rows.map(([projectId, responseId, metric]) => [`${projectId}\n${responseId}`, metric]));
}

/** What group items say: the accounts' traits, then each user's account. */
async function recordGroups(client: pg.ClientBase, newItems: Map<string, StoredItem[]>): Promise<void> {
  const groups = [...newItems].flatMap(([projectId, items]) =>
    items.flatMap(({ item, at }) => (item.type === 'group' ? [{ projectId, item, at }] : [])),
  );
  if (groups.length === 0) return;
  await putAccounts(client, groups.map(({ projectId, item, at }) => ({ projectId, change: changeOf(item, at) })));
  await putMemberships(client, groups.map(({ projectId, item, at }) => ({ projectId, membership: membershipOf(item, at) })));
}

/** The requests' drop reports, each once per (project, id), in key order as every other table here. */
async function insertDropReports(client: pg.ClientBase, writes: ProjectWrite[]): Promise<void> {
  const reports = writes
    .flatMap(({ projectId, dropped }) => (dropped ? [{ projectId, ...dropped }] : []))
    .sort((a, b) => byKey(a.projectId, b.projectId) || byKey(a.id, b.id));
  if (reports.length === 0) return;
  await client.query({
    name: 'cxkit_insert_drop_reports',
    text: `INSERT INTO drop_reports (project_id, id, at, counts)
     SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::bigint[]), unnest($4::text[])
     ON CONFLICT DO NOTHING`,
    values: [
      textArray(reports.map((r) => r.projectId)),
      textArray(reports.map((r) => r.id)),
      bigintArray(reports.map((r) => r.at)),
      textArray(reports.map((r) => JSON.stringify(r.counts))),
    ],
  });
}

/** Survey displays and dismissals, as display history and the response rate read them. */
async function insertSurveyEvents(client: pg.ClientBase, newItems: Map<string, StoredItem[]>): Promise<void> {
  const rows: { projectId: string; itemId: string; surveyId: string; kind: string; at: number; anonymousId: string; userId: string | null }[] = [];
  for (const [projectId, items] of newItems) {
    for (const { item, at } of items) {
      if (item.type !== 'survey_shown' && item.type !== 'survey_dismissed') continue;
      const kind = item.type === 'survey_shown' ? 'shown' : item.reason;
      rows.push({ projectId, itemId: item.id, surveyId: item.surveyId, kind, at, anonymousId: item.anonymousId, userId: item.userId ?? null });
    }
  }
  if (rows.length === 0) return;
  rows.sort((a, b) => byKey(a.projectId, b.projectId) || byKey(a.itemId, b.itemId));
  await client.query({
    name: 'cxkit_insert_survey_events',
    text: `INSERT INTO survey_events (project_id, item_id, survey_id, kind, at, anonymous_id, user_id)
     SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), unnest($5::bigint[]), unnest($6::text[]), unnest($7::text[])
     ON CONFLICT DO NOTHING`,
    values: [
      textArray(rows.map((r) => r.projectId)),
      textArray(rows.map((r) => r.itemId)),
      textArray(rows.map((r) => r.surveyId)),
      textArray(rows.map((r) => r.kind)),
      bigintArray(rows.map((r) => r.at)),
      textArray(rows.map((r) => r.anonymousId)),
      textArray(rows.map((r) => r.userId)),
    ],
  });
}
