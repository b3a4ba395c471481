// The storage engine the server suite runs against. The same test files run once per engine
// (vite.config.ts): each engine must pass every behaviour the server promises.
import type Database from 'better-sqlite3';
import type { Storage } from '../src/ports';
import { openSqlite } from '../src/sqlite';

export interface TestStorage extends Storage {
  /** Rows of a query in the engine's SQL (plain SELECTs read the same on both). */
  rows<Row = Record<string, unknown>>(sql: string): Promise<Row[]>;
  /** The SQLite connection, for the tests of what only SQLite does (locks, pragmas). */
  db?: Database.Database;
}

/** A fresh, empty storage of the engine under test; a file name keeps SQLite on disk. */
export async function openTestStorage(file = ':memory:'): Promise<TestStorage> {
  const storage = openSqlite(file);
  return { ...storage, rows: async <Row>(sql: string) => storage.db.prepare(sql).all() as Row[] };
}
