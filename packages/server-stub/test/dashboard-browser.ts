// The dashboard in the system Chromium against a real server on 127.0.0.1, with 90 days of
// generated history: what the dashboard's browser tests share. Screenshots go to test-results/
// (git-ignored) for a person to look at.
import { mkdirSync, mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../../e2e/harness';
import { createApp } from '../src/app';
import { DEMO_PROJECT } from '../src/demo';
import { seedDemoHistory } from '../src/demo-history';
import { openSqlite } from '../src/sqlite/open';
import { commitItems, item, SURVEYS } from './read-side-fixtures';

const DASHBOARD_DIR = fileURLToPath(new URL('../dist/dashboard', import.meta.url));
/** The script-tag build: the editor's preview draws with its widget chunk. */
const SDK_DIR = fileURLToPath(new URL('../../sdk/dist/cdn', import.meta.url));
export const SHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));
export const XSS = '<img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script> broke checkout';

export interface Dashboard {
  url: string;
  storage: ReturnType<typeof openSqlite>;
  /** A page that fails the test on any script error or CSP violation. */
  openPage(width?: number, timezoneId?: string, colorScheme?: 'light' | 'dark'): Promise<{ page: Page; problems: string[] }>;
}

/** A server and a browser started before the file's tests and stopped after them. */
export function useDashboard(): Dashboard {
  let server: ReturnType<typeof serve>;
  let browser: Browser;
  const dashboard = {
    url: '',
    storage: undefined as unknown as ReturnType<typeof openSqlite>,
    async openPage(width = 1280, timezoneId = 'UTC', colorScheme: 'light' | 'dark' = 'light') {
      const page = await browser.newPage({ viewport: { width, height: 900 }, timezoneId, colorScheme });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        // Chromium logs every 4xx answer; the ones a test provokes are checked where it provokes them.
        if (message.type() === 'error' && !/Failed to load resource: .* 40[019]/.test(message.text())) problems.push(message.text());
      });
      await page.goto(`${dashboard.url}/dashboard`);
      return { page, problems };
    },
  };

  beforeAll(async () => {
    const storage = openSqlite(join(mkdtempSync(join(tmpdir(), 'cxkit-dashboard-')), 'cxkit.db'));
    dashboard.storage = storage;
    await storage.projects.ensure(DEMO_PROJECT);
    for (const survey of SURVEYS) await storage.surveys.put(DEMO_PROJECT.id, survey, true);
    await seedDemoHistory(storage, DEMO_PROJECT.id, SURVEYS);
    await commitItems(storage, DEMO_PROJECT.id, [
      item(Date.now() - 60_000, { type: 'survey_response', surveyId: 'nps-main', responseId: 'xss', metric: 'nps', score: 2, final: true, comment: XSS }),
    ]);
    await storage.ingest.commit([
      { projectId: DEMO_PROJECT.id, items: [], dropped: { id: 'report-1', at: Date.now() - 60_000, counts: { queue_full: 1234, expired: 3 } } },
    ]);
    const app = createApp({ storage, dashboardDir: DASHBOARD_DIR, sdkDir: SDK_DIR });
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    dashboard.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    dashboard.storage?.close();
  });
  return dashboard;
}

export async function signIn(page: Page, key = DEMO_PROJECT.readKey) {
  await page.getByLabel('Read key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
