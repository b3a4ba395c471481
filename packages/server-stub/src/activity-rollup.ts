import type Database from 'better-sqlite3';
import type { IdentifyItem } from '@cxkit/sdk/protocol';
import { addedCoverage, coverage } from './activity-math.js';
import { DAY_MS, QUARTER_MS } from './calendar.js';
import type { RolledItem } from './rollup.js';

/** Bounds the seen-cache: subject-days whose recorded quarter hours are known (~100 bytes each). */
const SEEN_LIMIT = 200_000;

type Quarters = [number, number, number];
type DayChanges = Map<number, { dau: number; mauDelta: number }>;

/**
 * Keeps the activity rollup that DAU/MAU are read from, inside the ingest transaction:
 * - activity_subject_days: per UTC day and subject (the item's userId, else its anonymousId), the
 *   quarter hours with activity (96 bits in three 32-bit words: exact local days in any zone);
 * - identities: anonymous id → user id, from the earliest identify of that anonymous id;
 * - activity_user_days: the days each user was active, anonymous ids merged into their user;
 * - activity_day_totals: per day, DAU and the change of MAU (see activity-math.ts).
 * Most items repeat a quarter hour already recorded; a bounded cache of what is recorded skips
 * them without touching the database, and a new quarter hour of a known day is one write.
 */
export function createActivityRollup(db: Database.Database): { record(projectId: string, items: readonly RolledItem[]): void } {
  const nextGeneration = db.prepare('UPDATE rollup_state SET generation = generation + 1 WHERE id = 1 RETURNING generation').pluck();
  const upsertSubjectDay = db.prepare(
    `INSERT INTO activity_subject_days (project_id, day, subject, quarters_0, quarters_1, quarters_2) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (project_id, day, subject) DO UPDATE SET quarters_0 = activity_subject_days.quarters_0 | excluded.quarters_0,
       quarters_1 = activity_subject_days.quarters_1 | excluded.quarters_1, quarters_2 = activity_subject_days.quarters_2 | excluded.quarters_2`,
  );
  const subjectDays = db
    .prepare<[string, string], number>('SELECT day FROM activity_subject_days WHERE project_id = ? AND subject = ?')
    .pluck();
  const aliasOf = db.prepare<[string, string], string>('SELECT user_id FROM identities WHERE project_id = ? AND anonymous_id = ?').pluck();
  const identity = db.prepare<[string, string], { user_id: string; at: number; item_id: string }>(
    'SELECT user_id, at, item_id FROM identities WHERE project_id = ? AND anonymous_id = ?',
  );
  const saveIdentity = db.prepare(
    `INSERT INTO identities (project_id, anonymous_id, user_id, at, item_id) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (project_id, anonymous_id) DO UPDATE SET user_id = excluded.user_id, at = excluded.at, item_id = excluded.item_id`,
  );
  const anonymousIdsOf = db.prepare<[string, string], string>('SELECT anonymous_id FROM identities WHERE project_id = ? AND user_id = ?').pluck();
  const insertUserDay = db.prepare('INSERT INTO activity_user_days (project_id, user_key, day) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const previousDay = db
    .prepare<[string, string, number], number | null>('SELECT MAX(day) FROM activity_user_days WHERE project_id = ? AND user_key = ? AND day < ?')
    .pluck();
  const nextDay = db
    .prepare<[string, string, number], number | null>('SELECT MIN(day) FROM activity_user_days WHERE project_id = ? AND user_key = ? AND day > ?')
    .pluck();
  const daysOf = db
    .prepare<[string, string], number>('SELECT day FROM activity_user_days WHERE project_id = ? AND user_key = ? ORDER BY day')
    .pluck();
  const deleteUserDays = db.prepare('DELETE FROM activity_user_days WHERE project_id = ? AND user_key = ?');
  const addTotals = db.prepare(
    `INSERT INTO activity_day_totals (project_id, day, dau, mau_delta) VALUES (?, ?, ?, ?)
     ON CONFLICT (project_id, day) DO UPDATE SET dau = activity_day_totals.dau + excluded.dau,
       mau_delta = activity_day_totals.mau_delta + excluded.mau_delta`,
  );

  // Subject-day → the quarter hours known to be recorded for it.
  const seen = new Map<string, Quarters>();
  let generation = 0;

  function record(projectId: string, items: readonly RolledItem[]): void {
    // The cache must only hold what is committed. Every call bumps a counter in the same
    // transaction; had an earlier transaction rolled back, its bump is gone and the counter
    // comes back no higher than before, and what that transaction cached is forgotten.
    const current = nextGeneration.get() as number;
    if (current <= generation) seen.clear();
    generation = current;

    const changes: DayChanges = new Map();
    for (const { item, at } of items) {
      if (item.type === 'identify') identify(projectId, item, at, changes);
      const subject = item.userId ?? item.anonymousId;
      const day = Math.floor(at / DAY_MS);
      const quarter = Math.floor((at - day * DAY_MS) / QUARTER_MS);
      const word = quarter >> 5;
      const bit = (1 << (quarter & 31)) >>> 0;
      const key = `${projectId}\n${subject}\n${day}`;
      const known = seen.get(key);
      if (known && (known[word]! & bit) !== 0) continue;

      const quarters: Quarters = [0, 0, 0];
      quarters[word] = bit;
      upsertSubjectDay.run(projectId, day, subject, ...quarters);
      if (known) {
        known[word] = (known[word]! | bit) >>> 0;
        continue;
      }
      if (seen.size >= SEEN_LIMIT) seen.delete(seen.keys().next().value!);
      seen.set(key, quarters);
      const user = item.userId ?? aliasOf.get(projectId, item.anonymousId) ?? item.anonymousId;
      addUserDay(projectId, user, day, changes);
    }
    for (const [day, { dau, mauDelta }] of changes) {
      if (dau !== 0 || mauDelta !== 0) addTotals.run(projectId, day, dau, mauDelta);
    }
  }

  function addUserDay(projectId: string, user: string, day: number, changes: DayChanges): void {
    if (insertUserDay.run(projectId, user, day).changes === 0) return;
    change(changes, day, 1, 0);
    const added = addedCoverage(day, previousDay.get(projectId, user, day) ?? undefined, nextDay.get(projectId, user, day) ?? undefined);
    if (added) cover(changes, added, 1);
  }

  // An anonymous id belongs to the user of its earliest identify, whatever order items arrive in.
  function identify(projectId: string, item: IdentifyItem, at: number, changes: DayChanges): void {
    if (item.anonymousId === item.userId) return;
    const known = identity.get(projectId, item.anonymousId);
    if (known && (known.at < at || (known.at === at && known.item_id <= item.id))) return;
    saveIdentity.run(projectId, item.anonymousId, item.userId, at, item.id);
    if (known?.user_id === item.userId) return;
    rederive(projectId, known?.user_id ?? item.anonymousId, changes);
    rederive(projectId, item.userId, changes);
  }

  /** Rebuilds a user's days from the subjects that are theirs now, and their share of the totals. */
  function rederive(projectId: string, user: string, changes: DayChanges): void {
    const before = daysOf.all(projectId, user);
    for (const day of before) change(changes, day, -1, 0);
    for (const range of coverage(before)) cover(changes, range, -1);
    deleteUserDays.run(projectId, user);

    const aliased = aliasOf.get(projectId, user) !== undefined;
    const subjects = aliased ? [] : [user, ...anonymousIdsOf.all(projectId, user)];
    const after = [...new Set(subjects.flatMap((subject) => subjectDays.all(projectId, subject)))].sort((a, b) => a - b);
    for (const day of after) {
      insertUserDay.run(projectId, user, day);
      change(changes, day, 1, 0);
    }
    for (const range of coverage(after)) cover(changes, range, 1);
  }

  function cover(changes: DayChanges, [start, end]: [number, number], sign: 1 | -1): void {
    change(changes, start, 0, sign);
    change(changes, end + 1, 0, -sign);
  }

  return { record };
}

function change(changes: DayChanges, day: number, dau: number, mauDelta: number): void {
  const entry = changes.get(day);
  if (entry) {
    entry.dau += dau;
    entry.mauDelta += mauDelta;
  } else changes.set(day, { dau, mauDelta });
}
