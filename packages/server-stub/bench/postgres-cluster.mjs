// A throwaway PostgreSQL 15 server for tests, end-to-end runs and benchmarks: a fresh cluster in a
// temporary directory on a free 127.0.0.1 port, removed again when stopped or when the process
// ends. Plain Node, so the benchmark imports it as the tests do (test/postgres-harness.ts).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const BIN = '/usr/lib/postgresql/15/bin';

/**
 * Starts a cluster. fsync stays on: commit durability is part of what the benchmark measures and
 * what the tests rely on, so the server flushes as a production one does.
 */
export async function startPostgres() {
  if (!existsSync(join(BIN, 'pg_ctl'))) {
    throw new Error(
      `PostgreSQL 15 is not installed (no ${BIN}/pg_ctl), and the PostgreSQL tests need it. ` +
        'Install it (Debian/Ubuntu: apt-get install postgresql, or run `node scripts/ensure-postgres.mjs` as root), then run the tests again.',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'cxkit-pg-'));
  // PostgreSQL refuses to run as root: as root the cluster belongs to the postgres system user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  chmodSync(dir, 0o700);
  const run = (command, args) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, command), ...args], { stdio: 'pipe' })
      : execFileSync(join(BIN, command), args, { stdio: 'pipe' });

  let started = false;
  const cleanUp = () => {
    process.off('exit', cleanUp);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (started) {
      started = false;
      try {
        run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
      } catch {
        // Already gone (killed with the process group): only the directory is left to remove.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    cleanUp();
    // Ends the process as the signal would have, unless someone else (a test runner) handles it.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on('exit', cleanUp);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    run('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const port = await freePort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=300`;
    started = true;
    run('pg_ctl', ['-D', join(dir, 'data'), '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    return {
      url,
      createDatabase: (name) => createDatabase(url, name),
      stop: async () => cleanUp(),
    };
  } catch (error) {
    cleanUp();
    const output = error.stderr?.toString().trim();
    throw new Error(`PostgreSQL did not start${output ? `: ${output}` : ''}`, { cause: error });
  }
}

/** Creates a database on the server at `serverUrl` (cxkit_<random> when unnamed) and answers its URL. */
export async function createDatabase(serverUrl, name = `cxkit_${randomBytes(6).toString('hex')}`) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.href;
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}
