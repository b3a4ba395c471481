import { accountReport, type AccountReads, type AccountReport, type AccountsRequest } from './accounts/account-metrics.js';
import { computeMetrics, type MetricsReport, type MetricsRequest, type MetricsStorage } from './metrics.js';

/**
 * Answers metrics requests. A series in a zone without a rollup reads every subject-day of the
 * range and takes seconds on a large project: the server answers on worker threads
 * (read-pool.ts), so that ingest on the event loop never waits for it.
 */
export type MetricsReader = (request: MetricsRequest) => Promise<MetricsReport>;

/** On the caller's thread: for tests and in-memory databases, which no other thread can open. */
export const inProcessReader =
  (storage: MetricsStorage): MetricsReader =>
  (request) =>
    computeMetrics(storage, request);

/** Answers every account's metrics and health; as slow as a series in another zone on a large project. */
export type AccountsReader = (request: AccountsRequest) => Promise<AccountReport>;

export const inProcessAccounts =
  (storage: AccountReads): AccountsReader =>
  (request) =>
    accountReport(storage, request);

/** No answer now (too many requests waiting, or one ran too long); answered 503 with Retry-After. */
export class ReadsUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
