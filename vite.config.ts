import { defineConfig } from 'vitest/config';

const jsx = { oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } } } as const;

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'protocol', root: 'packages/protocol', include: ['test/**/*.test.ts'], environment: 'node' },
      },
      {
        test: { name: 'sdk', root: 'packages/sdk', include: ['test/**/*.test.ts'], environment: 'happy-dom' },
      },
      {
        ...jsx,
        test: { name: 'widget', root: 'packages/widget', include: ['test/**/*.test.{ts,tsx}'], environment: 'happy-dom' },
      },
      {
        test: {
          name: 'server',
          root: 'packages/server-stub',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          // One PostgreSQL server for the run (a missing PostgreSQL fails it); its URL is inject('postgresUrl').
          globalSetup: ['test/postgres-global-setup.ts'],
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
