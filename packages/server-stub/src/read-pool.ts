import { Worker } from 'node:worker_threads';
import { TimeZoneError } from './calendar.js';
import type { AccountReport, AccountsRequest } from './accounts/account-metrics.js';
import type { MetricsReport, MetricsRequest } from './metrics.js';
import { ReadsUnavailableError, type AccountsReader, type MetricsReader } from './metrics-reader.js';

export interface ReadPoolOptions {
  /** The SQLite database file; each worker opens it read-only (WAL lets it read beside the writer). */
  file: string;
  /** Worker threads, each answering one request at a time. */
  workers?: number;
  /** Requests that may wait for a worker; more are answered 503 at once. */
  maxWaiting?: number;
  /** How long a request may wait and run; past that it is answered 503 and its worker replaced. */
  timeoutMs?: number;
  /** The worker's module; tests pass stand-ins. */
  workerUrl?: URL;
}

export const READ_POOL_DEFAULTS = { workers: 2, maxWaiting: 32, timeoutMs: 30_000 };

/** What a worker posts back for each request. */
export type WorkerAnswer = { report: MetricsReport | AccountReport } | { error: string; timeZone: boolean };

export interface ReadPool {
  read: MetricsReader;
  /** Every account's metrics and health (accounts/account-metrics.ts), which read every user-day of 60 days and more. */
  accounts: AccountsReader;
  /** Stops the workers; requests still waiting or running are refused. */
  close(): Promise<void>;
}

interface Job {
  request: MetricsRequest | AccountsRequest;
  resolve(report: MetricsReport | AccountReport): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

/**
 * Answers metrics on worker threads with their own read-only connections, so a slow read (a series
 * in a zone without a rollup reads millions of rows) never holds up the event loop that commits
 * ingest. Bounded: a few workers, started when first needed; a short queue; a deadline after which
 * the request is answered 503 and a worker still busy with it is stopped.
 */
export function createReadPool({
  file,
  workers = READ_POOL_DEFAULTS.workers,
  maxWaiting = READ_POOL_DEFAULTS.maxWaiting,
  timeoutMs = READ_POOL_DEFAULTS.timeoutMs,
  workerUrl = new URL('./read-worker.js', import.meta.url),
}: ReadPoolOptions): ReadPool {
  const slots: Slot[] = [];
  const waiting: Job[] = [];
  let closed = false;

  function spawn(): Slot {
    const slot: Slot = { worker: new Worker(workerUrl, { workerData: { file } }) };
    // A worker never keeps the process alive: the server decides when to stop.
    slot.worker.unref();
    slot.worker.on('message', (answer: WorkerAnswer) => {
      const job = slot.job;
      if (!job) return;
      slot.job = undefined;
      clearTimeout(job.timer);
      if ('report' in answer) job.resolve(answer.report);
      else job.reject(answer.timeZone ? new TimeZoneError(answer.error) : new Error(answer.error));
      dispatch();
    });
    // The worker died (it could not open the database, ran out of memory…): its request fails, a
    // new worker takes the next one.
    slot.worker.on('error', (error) => {
      const job = slot.job;
      retire(slot);
      if (job) {
        clearTimeout(job.timer);
        job.reject(error);
      }
      dispatch();
    });
    slots.push(slot);
    return slot;
  }

  function retire(slot: Slot): void {
    slot.job = undefined;
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    void slot.worker.terminate();
  }

  function dispatch(): void {
    while (waiting.length > 0 && !closed) {
      const slot = slots.find((s) => !s.job) ?? (slots.length < workers ? spawn() : undefined);
      if (!slot) return;
      const job = waiting.shift()!;
      slot.job = job;
      slot.worker.postMessage(job.request);
    }
  }

  function expire(job: Job): void {
    const index = waiting.indexOf(job);
    if (index >= 0) waiting.splice(index, 1);
    // A synchronous read cannot be interrupted: the worker goes, and a new one starts when needed.
    const slot = slots.find((s) => s.job === job);
    if (slot) retire(slot);
    job.reject(
      new ReadsUnavailableError(
        `the metrics took over ${timeoutMs / 1000} s to compute; retry later, or ask in UTC or the project's time zone, which are kept ready`,
        30,
      ),
    );
    dispatch();
  }

  function ask(request: MetricsRequest | AccountsRequest): Promise<MetricsReport | AccountReport> {
    if (closed) return Promise.reject(new ReadsUnavailableError('the server is stopping', 5));
    if (waiting.length >= maxWaiting) {
      return Promise.reject(new ReadsUnavailableError(`${waiting.length} metrics requests are waiting already; retry later`, 5));
    }
    return new Promise((resolve, reject) => {
      const job: Job = { request, resolve, reject, timer: setTimeout(() => expire(job), timeoutMs) };
      waiting.push(job);
      dispatch();
    });
  }

  return {
    read: (request) => ask(request) as Promise<MetricsReport>,
    accounts: (request) => ask(request) as Promise<AccountReport>,
    async close() {
      closed = true;
      const stopping = new ReadsUnavailableError('the server is stopping', 5);
      for (const job of [...waiting.splice(0), ...slots.flatMap((s) => (s.job ? [s.job] : []))]) {
        clearTimeout(job.timer);
        job.reject(stopping);
      }
      await Promise.all(slots.splice(0).map((slot) => slot.worker.terminate()));
    },
  };
}
