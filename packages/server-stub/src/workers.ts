import cluster, { type Worker } from 'node:cluster';

/** What a worker process tells the primary once it listens. */
type Ready = { listening: string };

/**
 * `cxkit-server --workers N`: N server processes on one machine sharing one port (node:cluster
 * hands each new connection to one of them) and one PostgreSQL database. The primary prepares the
 * database once (migrations, demo data), then only starts, replaces and stops workers; a worker
 * that dies is replaced, so one crash costs its requests in flight, never the service.
 */
export async function runWorkers(count: number, prepare: () => Promise<void>, ready: (url: string) => void): Promise<void> {
  await prepare();
  let stopping = false;
  let url: string | undefined;
  const waiting = new Set<Worker>();

  const fork = (): void => {
    const worker = cluster.fork();
    waiting.add(worker);
    worker.on('message', (message: Ready) => {
      if (!waiting.delete(worker) || url !== undefined) return;
      if (waiting.size === 0) ready((url = message.listening));
    });
    worker.once('exit', (code, signal) => {
      waiting.delete(worker);
      if (stopping) return;
      console.error(`cxkit-server: worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
      fork();
    });
  };
  for (let i = 0; i < count; i++) fork();

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      let left = workers.length;
      if (left === 0) process.exit(0);
      for (const worker of workers) {
        worker.once('exit', () => --left === 0 && process.exit(0));
        // Each worker answers what it has in flight before it exits (server.ts close()).
        worker.process.kill('SIGTERM');
      }
    });
  }
}

/** In a worker: tells the primary the server listens. */
export const reportListening = (url: string): void => void process.send?.({ listening: url } satisfies Ready);

export const isWorker = (): boolean => cluster.isWorker;
