import type { Storage } from './ports.js';
import { openSqlite } from './sqlite/open.js';

/** A `--db` that names a PostgreSQL server rather than a SQLite file. */
export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//i.test(db);

export type OpenedStorage = { engine: 'sqlite'; storage: Storage; file: string } | { engine: 'postgres'; storage: Storage };

/**
 * The storage `--db` names: a PostgreSQL URL, else a SQLite file. PostgreSQL's driver is loaded
 * only when asked for, so the embedded default starts as before.
 */
export async function openStorage(db: string): Promise<OpenedStorage> {
  if (!isPostgresUrl(db)) return { engine: 'sqlite', storage: openSqlite(db), file: db };
  const { openPostgres } = await import('./postgres/open.js');
  return { engine: 'postgres', storage: await openPostgres(db) };
}

/** The URL with its password masked, for logs. */
export function describeDb(db: string): string {
  if (!isPostgresUrl(db)) return db;
  const url = new URL(db);
  if (url.password) url.password = '***';
  return url.toString();
}
