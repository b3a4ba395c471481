import { backgroundSteps } from './background-steps.js';
import type { RetentionPort } from './ports.js';

// Raw events (track, session_start, active, identify) are kept for a project's number of days;
// what was derived from them (the activity rollups, identities) and every survey item, response
// and display stay (docs/server.md#retention).

/** Expired items one step deletes: a short transaction, between commits of ingest. */
export const RETENTION_STEP_ROWS = 5000;
/** How often a server looks for expired items (and once at start). */
export const RETENTION_SWEEP_MS = 60 * 60 * 1000;

/**
 * The shortest retention: the sdk may resend an item for up to 7 days (its queue's bound), and
 * dedupe by id needs the first copy still stored when the second arrives.
 */
export const MIN_RETENTION_DAYS = 7;
export const MAX_RETENTION_DAYS = 3650;

/** A retention as the API and the CLI take it: whole days in range, or null for ever; undefined when it is neither. */
export function parseRetentionDays(value: unknown): number | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
  return value >= MIN_RETENTION_DAYS && value <= MAX_RETENTION_DAYS ? value : undefined;
}

export const RETENTION_RULE = `a whole number of days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}, or null to keep raw events for ever`;

/** Deletes expired raw events in the background, a step at a time, until none are left. */
export const retentionSweeps = (retention: Pick<RetentionPort, 'deleteExpired'>, now: () => number = Date.now, schedule?: (run: () => Promise<void>) => void) =>
  backgroundSteps(() => retention.deleteExpired(now(), RETENTION_STEP_ROWS), schedule);
