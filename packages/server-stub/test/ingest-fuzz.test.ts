import { createApp } from '../src/app';
import { openTestStorage } from './backend';
import { FUZZ_PROJECTS, fuzzIngest } from './ingest-fuzz';

fuzzIngest(async () => {
  const storage = await openTestStorage();
  for (const project of FUZZ_PROJECTS) await storage.projects.ensure(project);
  const app = createApp({ storage, rateLimit: { perSecond: 1e9, burst: 1e9 } });
  return { app, rows: (sql) => storage.rows(sql), close: () => storage.close() };
});
