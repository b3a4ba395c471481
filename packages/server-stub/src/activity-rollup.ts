import type Database from 'better-sqlite3';
import type { IdentifyItem } from '@cxkit/protocol';
import { activityCalendar, type CalendarWrites } from './activity-calendar.js';
import { DAY_MS, QUARTER_MS, TimeZoneError, zone as zoneNamed, type Zone } from './calendar.js';
import type { RolledItem } from './rollup.js';

/** Bounds the seen-cache: subject-days whose recorded quarter hours are known (~100 bytes each). */
const SEEN_LIMIT = 200_000;
const QUARTERS_PER_DAY = 96;

type Quarters = [number, number, number];
type ZoneWrites = { zone: Zone; writes: CalendarWrites };

/** One row of activity_subject_days. */
export interface SubjectDay {
  day: number;
  subject: string;
  quarters: Quarters;
}

export interface ActivityRollup {
  /** Called inside the ingest transaction with the items it newly stored. */
  record(projectId: string, items: readonly RolledItem[]): void;
  /** Adds subject-days recorded before the project's zone calendar was being kept to it (zone-rollup-build.ts). */
  replayIntoZone(projectId: string, subjectDays: readonly SubjectDay[]): void;
}

/**
 * Keeps the activity rollup that DAU/MAU are read from, inside the ingest transaction:
 * - activity_subject_days: per UTC day and subject (the item's userId, else its anonymousId), the
 *   quarter hours with activity (96 bits in three 32-bit words: exact local days in any zone);
 * - identities: anonymous id → user id, from the earliest identify of that anonymous id;
 * - two calendars of user-days and day totals (activity-calendar.ts): UTC days, and the days of
 *   the project's time zone unless that is UTC or its calendar is being cleared for a new zone.
 * Most items repeat a quarter hour already recorded; a bounded cache of what is recorded skips
 * them without touching the database, and a new quarter hour of a known day is one write (two
 * when it starts a new day in the project's zone).
 */
export function createActivityRollup(db: Database.Database): ActivityRollup {
  const nextGeneration = db.prepare('UPDATE rollup_state SET generation = generation + 1 WHERE id = 1 RETURNING generation').pluck();
  const upsertSubjectDay = db.prepare(
    `INSERT INTO activity_subject_days (project_id, day, subject, quarters_0, quarters_1, quarters_2) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (project_id, day, subject) DO UPDATE SET quarters_0 = activity_subject_days.quarters_0 | excluded.quarters_0,
       quarters_1 = activity_subject_days.quarters_1 | excluded.quarters_1, quarters_2 = activity_subject_days.quarters_2 | excluded.quarters_2`,
  );
  const subjectDays = db
    .prepare<[string, string], [number, number, number, number]>(
      'SELECT day, quarters_0, quarters_1, quarters_2 FROM activity_subject_days WHERE project_id = ? AND subject = ? ORDER BY day',
    )
    .raw();
  const aliasOf = db.prepare<[string, string], string>('SELECT user_id FROM identities WHERE project_id = ? AND anonymous_id = ?').pluck();
  const identity = db.prepare<[string, string], { user_id: string; at: number; item_id: string }>(
    'SELECT user_id, at, item_id FROM identities WHERE project_id = ? AND anonymous_id = ?',
  );
  const saveIdentity = db.prepare(
    `INSERT INTO identities (project_id, anonymous_id, user_id, at, item_id) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (project_id, anonymous_id) DO UPDATE SET user_id = excluded.user_id, at = excluded.at, item_id = excluded.item_id`,
  );
  const anonymousIdsOf = db.prepare<[string, string], string>('SELECT anonymous_id FROM identities WHERE project_id = ? AND user_id = ?').pluck();
  // The project's zone, when its calendar is kept: not UTC (the UTC calendar serves), not being cleared.
  const keptZone = db
    .prepare<[string], string>(
      `SELECT time_zone FROM projects WHERE id = ? AND time_zone <> 'UTC'
       AND NOT EXISTS (SELECT 1 FROM zone_rollup_builds WHERE project_id = projects.id AND phase = 'clearing')`,
    )
    .pluck();
  const utcCalendar = activityCalendar(db, { userDays: 'activity_user_days', totals: 'activity_day_totals' });
  const zoneCalendar = activityCalendar(db, { userDays: 'activity_zone_user_days', totals: 'activity_zone_day_totals' });
  const zones = new Map<string, Zone>();

  /** The project's zone and its calendar's writes, when it is kept. */
  function zoneOf(projectId: string): ZoneWrites | undefined {
    const name = keptZone.get(projectId);
    if (name === undefined) return undefined;
    let zone = zones.get(name);
    if (!zone) zones.set(name, (zone = zoneNamed(name)));
    return { zone, writes: zoneCalendar(projectId) };
  }

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

    const utc = utcCalendar(projectId);
    const local = zoneOf(projectId);
    for (const { item, at } of items) {
      if (item.type === 'identify') identify(projectId, item, at, utc, local);
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
      const userOf = () => item.userId ?? aliasOf.get(projectId, item.anonymousId) ?? item.anonymousId;
      const localDays = local && quarterDays(local.zone, day);
      if (known) {
        // The UTC day is recorded; the zone's day is too when a known quarter hour falls on it.
        if (local && localDays && !onSameDay(known, localDays, quarter)) local.writes.add(userOf(), localDays[quarter]!);
        known[word] = (known[word]! | bit) >>> 0;
        continue;
      }
      if (seen.size >= SEEN_LIMIT) seen.delete(seen.keys().next().value!);
      seen.set(key, quarters);
      const user = userOf();
      utc.add(user, day);
      if (local && localDays) local.writes.add(user, localDays[quarter]!);
    }
    utc.finish();
    local?.writes.finish();
  }

  // An anonymous id belongs to the user of its earliest identify, whatever order items arrive in.
  function identify(projectId: string, item: IdentifyItem, at: number, utc: CalendarWrites, local: ZoneWrites | undefined): void {
    if (item.anonymousId === item.userId) return;
    const known = identity.get(projectId, item.anonymousId);
    if (known && (known.at < at || (known.at === at && known.item_id <= item.id))) return;
    saveIdentity.run(projectId, item.anonymousId, item.userId, at, item.id);
    if (known?.user_id === item.userId) return;
    for (const user of [known?.user_id ?? item.anonymousId, item.userId]) {
      // A user's days come from the subjects that are theirs now: their own, and the anonymous ids
      // that identified as them; a user who is an alias themselves has none.
      const aliased = aliasOf.get(projectId, user) !== undefined;
      const rows = (aliased ? [] : [user, ...anonymousIdsOf.all(projectId, user)]).flatMap((subject) => subjectDays.all(projectId, subject));
      utc.replace(user, distinctSorted(rows.map(([day]) => day)));
      local?.writes.replace(user, distinctSorted(rows.flatMap(([day, q0, q1, q2]) => zoneDays(local.zone, day, [q0, q1, q2]))));
    }
  }

  return {
    record,
    replayIntoZone(projectId, rows) {
      const local = zoneOf(projectId);
      if (!local) return;
      for (const { day, subject, quarters } of rows) {
        const user = aliasOf.get(projectId, subject) ?? subject;
        for (const localDay of zoneDays(local.zone, day, quarters)) local.writes.add(user, localDay);
      }
      local.writes.finish();
    },
  };
}

/**
 * The local day of each quarter hour of a UTC day, or undefined where the zone was off UTC by
 * other than whole quarter hours (before 1972): metrics refuse to read such days (metrics.ts),
 * so the zone's calendar need not keep them, and ingest must not fail on them.
 */
function quarterDays(zone: Zone, utcDay: number): Int32Array | undefined {
  try {
    return zone.quarterDays(utcDay);
  } catch (error) {
    if (error instanceof TimeZoneError) return undefined;
    throw error;
  }
}

/** Whether a quarter hour falls on the same local day as one of the known ones. */
function onSameDay(known: Quarters, localDays: Int32Array, quarter: number): boolean {
  const day = localDays[quarter];
  for (let q = 0; q < QUARTERS_PER_DAY; q++) {
    if (localDays[q] === day && (known[q >> 5]! & (1 << (q & 31))) !== 0) return true;
  }
  return false;
}

/** The local days a subject-day's quarter hours fall on. */
function zoneDays(zone: Zone, utcDay: number, quarters: Quarters): number[] {
  const localDays = quarterDays(zone, utcDay);
  if (!localDays) return [];
  const days: number[] = [];
  for (let q = 0; q < QUARTERS_PER_DAY; q++) {
    if ((quarters[q >> 5]! & (1 << (q & 31))) !== 0 && !days.includes(localDays[q]!)) days.push(localDays[q]!);
  }
  return days;
}

const distinctSorted = (days: number[]): number[] => [...new Set(days)].sort((a, b) => a - b);
