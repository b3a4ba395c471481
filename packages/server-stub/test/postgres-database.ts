import { inject } from 'vitest';
import { createDatabase } from './postgres-harness.js';

/** A new, empty database on the test run's PostgreSQL server, for this test file alone. */
export function testDatabase(): Promise<string> {
  return createDatabase(inject('postgresUrl'));
}
