import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { serve } from '@hono/node-server';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { createApp, zoneRollupBuilds } from './app.js';
import { DEMO_PROJECT, DEMO_SURVEYS, seedDemo } from './demo.js';
import { seedDemoHistory } from './demo-history.js';
import type { RateLimit } from './rate-limit.js';
import { inProcessAccounts, inProcessReader } from './metrics-reader.js';
import { openStorage } from './open-storage.js';
import { createReadPool } from './read-pool.js';
import { retentionSweeps, RETENTION_SWEEP_MS } from './retention.js';
import { deliveryWorker, type DeliveryWorker } from './webhook-delivery.js';
import { healthAlerts } from './accounts/health-alerts.js';

export interface ServerOptions {
  port: number;
  hostname: string;
  /** A SQLite file, or a postgres:// URL. */
  db: string;
  demo: boolean;
  /** With demo: generated history for a new database, so the dashboard has something to show. */
  demoHistory?: boolean;
  rateLimit: RateLimit;
  /** The address users reach this server at, for the dashboard links in alerts; its own URL when not given. */
  publicUrl?: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const opened = await openStorage(options.db);
  const { storage } = opened;
  if (options.demo) await seedDemo(storage);
  if (options.demoHistory) await seedDemoHistory(storage, DEMO_PROJECT.id, DEMO_SURVEYS);
  // SQLite answers slow metrics on worker threads with their own connections; PostgreSQL computes
  // in its own processes and only streams rows here.
  const reads =
    opened.engine === 'sqlite'
      ? createReadPool({ file: opened.file })
      : { read: inProcessReader(storage), accounts: inProcessAccounts(storage), close: async () => {} };
  const zoneBuilds = zoneRollupBuilds(storage.activity);
  // A build that a stop interrupted goes on from where it was.
  zoneBuilds.start();
  // Expired raw events are deleted at start and every so often; no step starts once the server stops.
  let stopping = false;
  const sweeps = retentionSweeps(storage.retention, Date.now, (run) => setImmediate(() => stopping || run()));
  sweeps.start();
  const sweepEvery = setInterval(sweeps.start, RETENTION_SWEEP_MS);
  // Alerts go out from this process once it listens; with several processes each claims its own (webhook-delivery.ts).
  let deliveries: DeliveryWorker | undefined;
  const app = createApp({
    storage,
    metricsReader: reads.read,
    accountsReader: reads.accounts,
    zoneBuilds,
    retentionSweeps: sweeps,
    deliveries: { wake: () => deliveries?.wake() },
    publicUrl: options.publicUrl,
    // PostgreSQL commits in its own processes: a second transaction goes in while the first waits
    // on its round trips and its flush. SQLite's commits run one at a time whatever is asked.
    ...(opened.engine === 'postgres' && { commits: { concurrentCommits: 2 } }),
    sdkDir: findSdkDir(),
    dashboardDir: fileURLToPath(new URL('./dashboard', import.meta.url)),
    rateLimit: options.rateLimit,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname }, () => resolve(s as Server));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.hostname}:${port}`;
  deliveries = deliveryWorker(storage, { publicUrl: options.publicUrl ?? url });
  deliveries.start();
  // Every process checks; the outbox's key per account and day queues each alert once (health-alerts.ts).
  const alerts = healthAlerts(storage, { reader: reads.accounts, publicUrl: options.publicUrl ?? url, wake: () => deliveries?.wake() });
  alerts.start();
  return {
    url,
    // Requests in flight get their answer (their commit is already queued); a client that keeps
    // sending on its connection is cut off after a few seconds and will retry elsewhere or later.
    close: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        clearInterval(sweepEvery);
        server.close(() => {
          void Promise.all([alerts.stop(), deliveries!.stop()])
            .then(() => reads.close())
            .then(() => storage.close())
            .then(resolve);
        });
        setTimeout(() => server.closeAllConnections(), 3000).unref();
      }),
  };
}

function findSdkDir(): string | undefined {
  try {
    // require.resolve, not import.meta.resolve: the CommonJS build of this module runs this too.
    return dirname(createRequire(import.meta.url).resolve('@cxkit/sdk/cdn/cxkit.js'));
  } catch {
    return undefined;
  }
}
