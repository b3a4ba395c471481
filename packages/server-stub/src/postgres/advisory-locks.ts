import { createHash } from 'node:crypto';
import type pg from 'pg';

// Advisory lock keys: one 64-bit number each. Fixed ones for work done once across processes;
// a project's is a hash of its id, so every process derives the same key.
export const MIGRATION_LOCK = 7_231_001n;
export const ZONE_BUILD_LOCK = 7_231_002n;
export const RETENTION_LOCK = 7_231_003n;

export function projectLock(projectId: string): bigint {
  return createHash('sha256').update(`project:${projectId}`).digest().readBigInt64BE(0);
}

/**
 * Waits for each project's lock in the transaction, in ascending key order, so two transactions
 * locking overlapping projects never wait for each other in a circle.
 */
export async function lockProjects(client: pg.ClientBase, projectIds: Iterable<string>): Promise<void> {
  const keys = [...new Set([...projectIds].map(projectLock))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const key of keys) await client.query({ name: 'cxkit_lock_project', text: 'SELECT pg_advisory_xact_lock($1)', values: [key.toString()] });
}
