// pnpm bench:ingest [--duration 10] [--connections 16] [--batch 50] [--tz UTC] [--db postgres://…]
//                   [--workers 2] [-- <cxkit-server flags>]
//
// Drives the built cxkit-server from a separate load-generator process for a fixed time, on each
// engine in turn: SQLite (one process), PostgreSQL with one process and with --workers processes,
// then a bare node:http server that only parses the JSON, for comparison. Each row counts the rows
// actually committed and the bytes the items table takes for them. PostgreSQL is the server --db
// names (a fresh database made in it, dropped after), else a throwaway cluster (fsync on) started
// for the run and stopped at its end. With --tz, the project reads in that zone, so ingest also
// keeps DAU/MAU in its days.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createDatabase, startPostgres } from './postgres-cluster.mjs';
import { runLoad, startProcess, stopProcess } from './processes.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values: options, positionals: serverFlags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    batch: { type: 'string', default: '50' },
    tz: { type: 'string', default: 'UTC' },
    db: { type: 'string' },
    workers: { type: 'string', default: '2' },
  },
  allowPositionals: true,
});
const load = { connections: options.connections, seconds: options.duration, batch: options.batch };

/** Runs the load against cxkit-server on `db`; answers the load's results once the server has stopped. */
async function measureServer(db, flags = []) {
  // All the load uses one write key: its rate limit (a million events, then 20,000 a second) would
  // answer 429 within a longer run and measure the limit instead of ingest. A flag after -- wins.
  const cxkit = await startProcess([join(here, '../dist/cli.js'), '--port', '0', '--db', db, '--demo', '--rate-limit', '0', ...flags, ...serverFlags]);
  try {
    const headers = { Authorization: 'Bearer sk_demo' };
    const put = await fetch(`${cxkit.url}/v1/time-zone`, { method: 'PUT', headers, body: JSON.stringify({ timeZone: options.tz }) });
    if (put.status !== 200) throw new Error(`--tz ${options.tz}: ${await put.text()}`);
    while (!(await (await fetch(`${cxkit.url}/v1/time-zone`, { headers })).json()).ready) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return await runLoad(cxkit.url, 'pk_demo', load);
  } finally {
    await stopProcess(cxkit.child);
  }
}

/** Rows committed, and the bytes the items table with its indexes and the whole database take. */
function sqliteStorage(file) {
  const db = new Database(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const rows = db.prepare('SELECT COUNT(*) AS n FROM items').get().n;
    const items = db
      .prepare("SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'items')")
      .get().bytes;
    return { rows, items, database: statSync(file).size };
  } finally {
    db.close();
  }
}

async function postgresStorage(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Dead tuples and free space are counted as they are after a busy run: no VACUUM first.
    const { rows } = await client.query(
      "SELECT COUNT(*)::bigint AS n, pg_total_relation_size('items') AS items, pg_database_size(current_database()) AS database FROM items",
    );
    return { rows: Number(rows[0].n), items: Number(rows[0].items), database: Number(rows[0].database) };
  } finally {
    await client.end();
  }
}

async function dropDatabase(serverUrl, url) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(new URL(url).pathname.slice(1))}`);
  } finally {
    await client.end();
  }
}

const seconds = (ms) => ms / 1000;
const row = (name, result, stored) => ({
  server: name,
  'events/s': Math.round((stored?.rows ?? result.accepted) / seconds(result.elapsedMs)),
  'requests/s': Math.round(result.requests / seconds(result.elapsedMs)),
  'p50 ms': Number(result.p50.toFixed(2)),
  'p99 ms': Number(result.p99.toFixed(2)),
  'B/event items': stored ? Math.round(stored.items / stored.rows) : '',
  'B/event db': stored ? Math.round(stored.database / stored.rows) : '',
  statuses: Object.entries(result.statuses).map(([status, n]) => `${status}×${n}`).join(' '),
});

const table = [];
const mismatches = [];
/** Adds a row, and notes an engine that answered accepted for more or fewer rows than it holds. */
function record(name, result, stored) {
  table.push(row(name, result, stored));
  if (stored && stored.rows !== result.accepted) mismatches.push(`${name} answered accepted=${result.accepted} but the database holds ${stored.rows} rows`);
}

const dir = mkdtempSync(join(tmpdir(), 'cxkit-bench-'));
let cluster;
try {
  const dbFile = join(dir, 'bench.db');
  record('cxkit SQLite, 1 process', await measureServer(dbFile), sqliteStorage(dbFile));

  cluster = options.db ? undefined : await startPostgres();
  const serverUrl = options.db ?? cluster.url;
  for (const workers of ['1', options.workers]) {
    const url = await createDatabase(serverUrl);
    try {
      const result = await measureServer(url, ['--workers', workers]);
      record(`cxkit PostgreSQL, ${workers} process${workers === '1' ? '' : 'es'}`, result, await postgresStorage(url));
    } finally {
      await dropDatabase(serverUrl, url);
    }
  }

  const bare = await startProcess([join(here, 'bare-server.mjs')]);
  try {
    record('bare node:http + JSON.parse', await runLoad(bare.url, 'pk_demo', load));
  } finally {
    await stopProcess(bare.child);
  }

  console.log(
    `\n${options.connections} connections, ${options.batch} events a batch, ${options.duration} s each, project zone ${options.tz}, ` +
      `PostgreSQL ${options.db ? 'at --db' : '15, a throwaway cluster (fsync on)'}` +
      (serverFlags.length ? `, cxkit-server ${serverFlags.join(' ')}` : ''),
  );
  console.table(table);
  console.log('events/s counts the rows committed; B/event: the items table with its indexes, and the whole database, by rows');
  for (const mismatch of mismatches) console.error(mismatch);
  if (mismatches.length > 0) process.exitCode = 1;
} finally {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}
