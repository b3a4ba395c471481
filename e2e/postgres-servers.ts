// cxkit servers on a real PostgreSQL for end-to-end tests: a throwaway cluster for the tests of one
// file (the benchmark's, bench/postgres-cluster.mjs), server processes as the CLI runs them, and
// direct reads of what they stored.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type PostgresServer } from '../packages/server-stub/bench/postgres-cluster.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A PostgreSQL cluster started before the file's tests and stopped after them, also when they fail. */
export function usePostgres(): { createDatabase(): Promise<string> } {
  let server: PostgresServer | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.stop());
  return { createDatabase: () => server!.createDatabase() };
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<void>;
  /** What the process wrote to stderr so far. */
  errors(): string;
  /** Sends the signal and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `cxkit-server <args>` (the built CLI) and resolves once it says where it listens. */
export async function startServerProcess(args: string[]): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['packages/server-stub/dist/cli.js', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk) => {
    errors += chunk;
    process.stderr.write(chunk);
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`cxkit server exited early with code ${code}: ${errors}`)));
    child.stdout!.on('data', (chunk) => {
      const listening = /listening on (http:\/\/\S+)/.exec(String(chunk))?.[1];
      if (listening) resolve(listening);
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid!,
    exited,
    errors: () => errors,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Runs one query on the database at `url` with a connection of its own. */
export async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
