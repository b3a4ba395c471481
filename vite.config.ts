import { defineConfig } from 'vitest/config';

/** Server tests that hold for every storage engine: run on SQLite and again on PostgreSQL. */
const ENGINE_SUITE = [
  'ingest',
  'refusals',
  'cors',
  'metrics-api',
  'read-auth',
  'read-cors',
  'responses-api',
  'survey-admin',
  'time-zone-api',
  'ingest-fuzz',
  'activity-rollup',
  'zone-rollup',
  'drop-reports',
  'retention',
  'comment-themes-api',
  'accounts-api',
  'account-metrics',
  'webhooks',
  'breakdown-api',
  'health-alerts',
].map((name) => `test/${name}.test.ts`);

export default defineConfig({
  test: {
    // Two files at a time on CI's two cores (Vitest's default there is one): most of a file's time is
    // spent waiting on a browser, a server process or PostgreSQL, not computing.
    maxWorkers: 2,
    projects: [
      {
        test: { name: 'protocol', root: 'packages/protocol', include: ['test/**/*.test.ts'], environment: 'node' },
      },
      {
        test: { name: 'sdk', root: 'packages/sdk', include: ['test/**/*.test.ts'], environment: 'happy-dom' },
      },
      {
        // The widget's own config, for its JSX setting: the tests compile it as the build does.
        extends: './packages/widget/vite.config.ts',
        test: { name: 'widget', root: 'packages/widget', include: ['test/**/*.test.{ts,tsx}'], environment: 'happy-dom' },
      },
      {
        test: {
          name: 'server',
          root: 'packages/server-stub',
          include: ['test/**/*.test.ts'],
          exclude: ['test/postgres-*.test.ts'],
          environment: 'node',
          provide: { engine: 'sqlite' },
        },
      },
      {
        // The same behaviour on PostgreSQL: one server for the run (a missing PostgreSQL fails it),
        // a database a test; its URL is inject('postgresUrl').
        test: {
          name: 'server-postgres',
          root: 'packages/server-stub',
          include: [...ENGINE_SUITE, 'test/postgres-*.test.ts'],
          environment: 'node',
          globalSetup: ['test/postgres-global-setup.ts'],
          provide: { engine: 'postgres' },
          // Thousands of small commits, each a few round trips to a server that fsyncs.
          testTimeout: 30_000,
        },
      },
      {
        // Real processes and a real Chromium against the built script-tag files.
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
