// One PostgreSQL server for the whole test run; each test file makes its own database on it
// (postgres-database.ts), so files never see each other's rows.
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres-harness.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's PostgreSQL server (its `postgres` database), from postgres-harness.ts. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
