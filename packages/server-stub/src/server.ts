import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { createApp } from './app.js';
import { DEMO_PROJECT, DEMO_SURVEYS, seedDemo } from './demo.js';
import { seedDemoHistory } from './demo-history.js';
import { openSqlite } from './sqlite.js';

export interface ServerOptions {
  port: number;
  hostname: string;
  db: string;
  demo: boolean;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const storage = openSqlite(options.db);
  if (options.demo) {
    seedDemo(storage);
    seedDemoHistory(storage, DEMO_PROJECT.id, DEMO_SURVEYS);
  }
  const app = createApp({ storage, sdkDir: findSdkDir(), dashboardDir: fileURLToPath(new URL('./dashboard', import.meta.url)) });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.hostname}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          storage.close();
          resolve();
        });
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

function findSdkDir(): string | undefined {
  try {
    return dirname(fileURLToPath(import.meta.resolve('@cxkit/sdk/cdn/cxkit.js')));
  } catch {
    return undefined;
  }
}
