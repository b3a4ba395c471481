import type pg from 'pg';
import { emptyKeys, isEmpty, loadedActivity, loadedReads, readsNeeded, type ActivityKeys, type LoadedActivity } from '../activity/loaded-reads.js';
import { planActivity, planZoneReplay } from '../activity/plan.js';
import type { Quarters } from '../activity/quarters.js';
import type { ActivityChanges, ActivityItem, ActivityReads, CalendarChanges, CalendarName, SubjectDay } from '../activity/reads.js';
import { seenCache } from '../activity/seen-cache.js';
import { zone as zoneNamed, type Zone } from '../calendar.js';

// The activity rollup on PostgreSQL: the planner (activity/plan.ts) decides, this file loads what
// it reads in a few batched queries and applies its changes. Both run inside a transaction that
// holds the project's advisory lock (advisory-locks.ts), so no other process changes the project's
// rollup between the reads and the writes.

// Table names are ours, never input.
const TABLES: Record<CalendarName, { userDays: string; totals: string }> = {
  utc: { userDays: 'activity_user_days', totals: 'activity_day_totals' },
  zone: { userDays: 'activity_zone_user_days', totals: 'activity_zone_day_totals' },
};

export interface PostgresRollup {
  /**
   * Of the items the transaction newly stored for the project, those that may change its rollup
   * (seen-cache.ts). When there are none, the rollup needs neither the project's lock nor a read.
   */
  unseen<T extends ActivityItem>(projectId: string, items: readonly T[]): T[];
  /**
   * Records what `unseen` answered, under the project's lock. Answers what the seen-cache may
   * learn, to be called only once the transaction has committed.
   */
  record(client: pg.ClientBase, projectId: string, unseen: readonly ActivityItem[]): Promise<() => void>;
  /** Adds subject-days recorded before the project's zone calendar was kept to it (zone-build.ts). */
  replayIntoZone(client: pg.ClientBase, projectId: string, subjectDays: readonly SubjectDay[]): Promise<void>;
}

export function postgresRollup(): PostgresRollup {
  // Per process: what this process knows is committed. Other processes only ever add quarter
  // hours, so what is known stays true.
  const seen = seenCache();
  const zones = new Map<string, Zone>();

  async function keptZone(client: pg.ClientBase, projectId: string): Promise<Zone | undefined> {
    const { rows } = await client.query<{ time_zone: string }>(
      `SELECT time_zone FROM projects WHERE id = $1 AND time_zone <> 'UTC'
       AND NOT EXISTS (SELECT 1 FROM zone_rollup_builds WHERE project_id = projects.id AND phase = 'clearing')`,
      [projectId],
    );
    const name = rows[0]?.time_zone;
    if (name === undefined) return undefined;
    let zone = zones.get(name);
    if (!zone) zones.set(name, (zone = zoneNamed(name)));
    return zone;
  }

  return {
    unseen: (projectId, items) => seen.unseen(projectId, items),
    async record(client, projectId, unseen) {
      if (unseen.length === 0) return () => {};
      const zone = await keptZone(client, projectId);
      const changes = await planLoading(client, projectId, readsNeeded(unseen), (reads) => planActivity(unseen, reads, zone));
      await apply(client, projectId, changes);
      return () => seen.learn(projectId, changes.subjectDays);
    },
    async replayIntoZone(client, projectId, subjectDays) {
      const zone = await keptZone(client, projectId);
      if (!zone) return;
      const changes = await planLoading(client, projectId, emptyKeys(), (reads) => planZoneReplay(subjectDays, reads, zone));
      await applyCalendar(client, projectId, 'zone', changes);
    },
  };
}

/** Plans over what is loaded, loads what the plan found missing, and plans again until nothing is. */
async function planLoading<T>(client: pg.ClientBase, projectId: string, first: ActivityKeys, plan: (reads: ActivityReads) => T): Promise<T> {
  const loaded = loadedActivity();
  await load(client, projectId, first, loaded);
  for (;;) {
    const missing = emptyKeys();
    const planned = plan(loadedReads(loaded, missing));
    if (isEmpty(missing)) return planned;
    await load(client, projectId, missing, loaded);
  }
}

type QuarterRow = [subject: string, day: number, q0: number, q1: number, q2: number];

/** One query a kind of key; keys not found are loaded as absent. */
async function load(client: pg.ClientBase, projectId: string, keys: ActivityKeys, loaded: LoadedActivity): Promise<void> {
  const rows = async <Row>(text: string, ...values: unknown[]) =>
    (await client.query<Row & unknown[]>({ text, values: [projectId, ...values], rowMode: 'array' })).rows as Row[];
  const daysOf = (subject: string) => {
    let days = loaded.subjectDays.get(subject);
    if (!days) loaded.subjectDays.set(subject, (days = new Map()));
    return days;
  };

  if (keys.identities.size > 0) {
    const ids = [...keys.identities];
    for (const id of ids) loaded.identities.set(id, undefined);
    for (const [anonymousId, userId, at, itemId] of await rows<[string, string, number, string]>(
      'SELECT anonymous_id, user_id, at, item_id FROM identities WHERE project_id = $1 AND anonymous_id = ANY($2)',
      ids,
    )) {
      loaded.identities.set(anonymousId, { userId, at, itemId });
    }
  }
  if (keys.anonymousIdsOf.size > 0) {
    const users = [...keys.anonymousIdsOf];
    const found = new Map<string, string[]>(users.map((user) => [user, []]));
    for (const [userId, anonymousId] of await rows<[string, string]>(
      'SELECT user_id, anonymous_id FROM identities WHERE project_id = $1 AND user_id = ANY($2)',
      users,
    )) {
      found.get(userId)!.push(anonymousId);
    }
    for (const [user, ids] of found) loaded.anonymousIdsOf.set(user, ids);
  }
  if (keys.subjectDays.size > 0) {
    const pairs = [...keys.subjectDays].flatMap(([subject, days]) => [...days].map((day) => [subject, day] as const));
    for (const [subject, day] of pairs) daysOf(subject).set(day, undefined);
    for (const [subject, day, q0, q1, q2] of await rows<QuarterRow>(
      `SELECT s.subject, s.day, s.quarters_0, s.quarters_1, s.quarters_2 FROM activity_subject_days s
       JOIN unnest($2::text[], $3::int[]) AS k (subject, day) ON s.subject = k.subject AND s.day = k.day
       WHERE s.project_id = $1`,
      pairs.map(([subject]) => subject),
      pairs.map(([, day]) => day),
    )) {
      daysOf(subject).set(day, [q0, q1, q2] as Quarters);
    }
  }
  if (keys.allSubjectDays.size > 0) {
    const subjects = [...keys.allSubjectDays];
    for (const [subject, day, q0, q1, q2] of await rows<QuarterRow>(
      'SELECT subject, day, quarters_0, quarters_1, quarters_2 FROM activity_subject_days WHERE project_id = $1 AND subject = ANY($2)',
      subjects,
    )) {
      daysOf(subject).set(day, [q0, q1, q2] as Quarters);
    }
    for (const subject of subjects) loaded.allSubjectDays.add(subject);
  }
  for (const calendar of ['utc', 'zone'] as const) {
    const table = TABLES[calendar].userDays;
    const between = [...keys.userDaysBetween[calendar]];
    if (between.length > 0) {
      const found = new Map<string, number[]>(between.map(([user]) => [user, []]));
      for (const [user, day] of await rows<[string, number]>(
        `SELECT u.user_key, u.day FROM ${table} u
         JOIN unnest($2::text[], $3::int[], $4::int[]) AS k (user_key, from_day, to_day)
           ON u.user_key = k.user_key AND u.day BETWEEN k.from_day AND k.to_day
         WHERE u.project_id = $1`,
        between.map(([user]) => user),
        between.map(([, span]) => span.from),
        between.map(([, span]) => span.to),
      )) {
        found.get(user)!.push(day);
      }
      for (const [user, span] of between) loaded.userDays[calendar].set(user, { ...span, days: found.get(user)! });
    }
    const all = [...keys.allUserDays[calendar]];
    if (all.length > 0) {
      const found = new Map<string, number[]>(all.map((user) => [user, []]));
      for (const [user, day] of await rows<[string, number]>(`SELECT user_key, day FROM ${table} WHERE project_id = $1 AND user_key = ANY($2)`, all)) {
        found.get(user)!.push(day);
      }
      for (const [user, days] of found) loaded.userDays[calendar].set(user, { from: -Infinity, to: Infinity, days });
    }
  }
}

/** Writes a plan's changes, a statement a kind. */
async function apply(client: pg.ClientBase, projectId: string, changes: ActivityChanges): Promise<void> {
  const { subjectDays, identities } = changes;
  if (subjectDays.length > 0) {
    await client.query(
      `INSERT INTO activity_subject_days (project_id, day, subject, quarters_0, quarters_1, quarters_2)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[])
       ON CONFLICT (project_id, day, subject) DO UPDATE SET
         quarters_0 = activity_subject_days.quarters_0 | excluded.quarters_0,
         quarters_1 = activity_subject_days.quarters_1 | excluded.quarters_1,
         quarters_2 = activity_subject_days.quarters_2 | excluded.quarters_2`,
      [
        projectId,
        subjectDays.map((s) => s.day),
        subjectDays.map((s) => s.subject),
        subjectDays.map((s) => s.quarters[0]),
        subjectDays.map((s) => s.quarters[1]),
        subjectDays.map((s) => s.quarters[2]),
      ],
    );
  }
  if (identities.length > 0) {
    await client.query(
      `INSERT INTO identities (project_id, anonymous_id, user_id, at, item_id)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[])
       ON CONFLICT (project_id, anonymous_id) DO UPDATE SET user_id = excluded.user_id, at = excluded.at, item_id = excluded.item_id`,
      [projectId, identities.map((i) => i.anonymousId), identities.map((i) => i.userId), identities.map((i) => i.at), identities.map((i) => i.itemId)],
    );
  }
  await applyCalendar(client, projectId, 'utc', changes.utc);
  await applyCalendar(client, projectId, 'zone', changes.zone);
}

async function applyCalendar(client: pg.ClientBase, projectId: string, calendar: CalendarName, { added, replaced, totals }: CalendarChanges): Promise<void> {
  const { userDays, totals: totalsTable } = TABLES[calendar];
  if (replaced.length > 0) {
    await client.query(`DELETE FROM ${userDays} WHERE project_id = $1 AND user_key = ANY($2)`, [projectId, replaced.map((r) => r.user)]);
  }
  const inserted = [...replaced.flatMap(({ user, days }) => days.map((day) => ({ user, day }))), ...added];
  if (inserted.length > 0) {
    await client.query(
      `INSERT INTO ${userDays} (project_id, user_key, day) SELECT $1, * FROM unnest($2::text[], $3::int[]) ON CONFLICT DO NOTHING`,
      [projectId, inserted.map((d) => d.user), inserted.map((d) => d.day)],
    );
  }
  if (totals.length > 0) {
    await client.query(
      `INSERT INTO ${totalsTable} (project_id, day, dau, mau_delta) SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[])
       ON CONFLICT (project_id, day) DO UPDATE SET dau = ${totalsTable}.dau + excluded.dau, mau_delta = ${totalsTable}.mau_delta + excluded.mau_delta`,
      [projectId, totals.map((t) => t.day), totals.map((t) => t.dau), totals.map((t) => t.mauDelta)],
    );
  }
}
