// pnpm bench:ingest [--duration 10] [--connections 16] [--batch 50] [--tz UTC] [-- <cxkit-server flags>]
//
// Starts the built cxkit-server on 127.0.0.1 with a fresh database, drives it from a separate
// load-generator process for a fixed time, then counts the rows actually committed. Runs the
// same load against a bare node:http server that only parses the JSON, for comparison. With --tz,
// the project reads in that zone, so ingest also keeps DAU/MAU in its days.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { runLoad, startProcess, stopProcess } from './processes.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values: options, positionals: serverFlags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    batch: { type: 'string', default: '50' },
    tz: { type: 'string', default: 'UTC' },
  },
  allowPositionals: true,
});

const dir = mkdtempSync(join(tmpdir(), 'cxkit-bench-'));
const dbFile = join(dir, 'bench.db');
try {
  // All the load uses one write key: its rate limit (a million events, then 20,000 a second) would
  // answer 429 within a longer run and measure the limit instead of ingest. A flag after -- wins.
  const cxkit = await startProcess([
    join(here, '../dist/cli.js'), '--port', '0', '--db', dbFile, '--demo', '--rate-limit', '0', ...serverFlags,
  ]);
  const headers = { Authorization: 'Bearer sk_demo' };
  const put = await fetch(`${cxkit.url}/v1/time-zone`, { method: 'PUT', headers, body: JSON.stringify({ timeZone: options.tz }) });
  if (put.status !== 200) throw new Error(`--tz ${options.tz}: ${await put.text()}`);
  while (!(await (await fetch(`${cxkit.url}/v1/time-zone`, { headers })).json()).ready) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const load = { connections: options.connections, seconds: options.duration, batch: options.batch };
  const served = await runLoad(cxkit.url, 'pk_demo', load);
  await stopProcess(cxkit.child);
  const db = new Database(dbFile, { readonly: true });
  const committed = db.prepare('SELECT COUNT(*) AS n FROM items').get().n;
  db.close();

  const bare = await startProcess([join(here, 'bare-server.mjs')]);
  const parsed = await runLoad(bare.url, 'pk_demo', load);
  await stopProcess(bare.child);

  const seconds = (ms) => ms / 1000;
  const row = (name, result, events) => ({
    server: name,
    'events/s': Math.round(events / seconds(result.elapsedMs)),
    'requests/s': Math.round(result.requests / seconds(result.elapsedMs)),
    'p50 ms': Number(result.p50.toFixed(2)),
    'p99 ms': Number(result.p99.toFixed(2)),
    statuses: Object.entries(result.statuses).map(([status, n]) => `${status}×${n}`).join(' '),
  });
  console.log(
    `\n${options.connections} connections, ${options.batch} events a batch, ${options.duration} s each, project zone ${options.tz}` +
      (serverFlags.length ? `, cxkit-server ${serverFlags.join(' ')}` : ''),
  );
  console.table([row('cxkit (committed rows)', served, committed), row('bare node:http + JSON.parse', parsed, parsed.accepted)]);
  if (committed !== served.accepted) {
    console.error(`cxkit answered accepted=${served.accepted} but the database holds ${committed} rows`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
