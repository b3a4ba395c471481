// The storage engine the server suite runs against. The same test files run once per engine (the
// `server` and `server-postgres` projects in vite.config.ts): each engine must keep every promise.
import type Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import type { Storage } from '../src/ports';
import { openPostgres } from '../src/postgres/open';
import { openSqlite } from '../src/sqlite/open';
import { createDatabase } from './postgres-harness';

export type Engine = 'sqlite' | 'postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The engine this project's run tests; SQLite unless the project says otherwise. */
    engine: Engine;
  }
}

export const ENGINE: Engine = inject('engine') ?? 'sqlite';

export interface TestStorage extends Storage {
  engine: Engine;
  /** Rows of a query in the engine's SQL (plain SELECTs read the same on both). */
  rows<Row = Record<string, unknown>>(sql: string): Promise<Row[]>;
  /** The same database opened anew, as a server started again on it would (SQLite: on a file, not :memory:). */
  reopen(): Promise<TestStorage>;
  /** The SQLite connection, for the tests of what only SQLite does (locks, pragmas). */
  db?: Database.Database;
}

const open: TestStorage[] = [];
// Whatever a test file opened and did not close is closed after it, so connections do not pile up.
afterAll(async () => {
  await Promise.all(open.splice(0).map((storage) => storage.close()));
});

let template: Promise<string> | undefined;

/** A migrated, empty database to copy: CREATE DATABASE … TEMPLATE is far quicker than migrating each. */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const url = await createDatabase(inject('postgresUrl'));
    await (await openPostgres(url)).close();
    return new URL(url).pathname.slice(1);
  })();
  return template;
}

async function freshPostgres(): Promise<string> {
  const server = inject('postgresUrl');
  const name = `cxkit_${Math.random().toString(36).slice(2, 12)}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${await migratedTemplate()}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh, empty storage of the engine under test; a file name keeps SQLite on disk. */
export async function openTestStorage(file = ':memory:'): Promise<TestStorage> {
  return openAt(ENGINE === 'postgres' ? await freshPostgres() : file);
}

/** The engine's storage on this database (a PostgreSQL URL, or a SQLite file). */
async function openAt(database: string): Promise<TestStorage> {
  let storage: TestStorage;
  const reopen = () => openAt(database);
  if (ENGINE === 'postgres') {
    const opened = await openPostgres(database, { poolSize: 4 });
    storage = { ...opened, engine: 'postgres', reopen, rows: async <Row>(sql: string) => (await opened.pool.query(sql)).rows as Row[] };
  } else {
    const opened = openSqlite(database);
    const rows = async <Row>(sql: string) => {
      const statement = opened.db.prepare(sql);
      return (statement.reader ? statement.all() : (statement.run(), [])) as Row[];
    };
    storage = { ...opened, engine: 'sqlite', reopen, rows };
  }
  let closed: Promise<void> | undefined;
  const close = storage.close;
  storage.close = () => (closed ??= close());
  open.push(storage);
  return storage;
}
