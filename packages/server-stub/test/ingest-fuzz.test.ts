import { createApp } from '../src/app';
import { openSqlite } from '../src/sqlite';
import { FUZZ_PROJECTS, fuzzIngest } from './ingest-fuzz';

fuzzIngest(async () => {
  const storage = openSqlite(':memory:');
  for (const project of FUZZ_PROJECTS) storage.ensureProject(project);
  const app = createApp({ storage, rateLimit: { perSecond: 1e9, burst: 1e9 } });
  return {
    app,
    rows: async (sql) => storage.db.prepare(sql).all() as Record<string, unknown>[],
    close: () => storage.close(),
  };
});
