import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabase } from './postgres-database.js';

describe('the PostgreSQL test server', () => {
  it('gives each caller its own database to connect to', async () => {
    const first = await testDatabase();
    const second = await testDatabase();
    expect(first).not.toBe(second);
    const client = new pg.Client({ connectionString: first });
    await client.connect();
    try {
      const { rows } = await client.query<{ one: number; db: string }>('SELECT 1 AS one, current_database() AS db');
      expect(rows).toEqual([{ one: 1, db: new URL(first).pathname.slice(1) }]);
    } finally {
      await client.end();
    }
  });
});
