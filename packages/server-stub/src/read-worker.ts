// A worker thread of the read pool (read-pool.ts): its own read-only connection to the database,
// one metrics or accounts request at a time, each computed from one snapshot so that commits landing
// meanwhile cannot mix into it.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { accountReport, type AccountsRequest } from './accounts/account-metrics.js';
import { TimeZoneError } from './calendar.js';
import { computeMetrics, type MetricsRequest } from './metrics.js';
import type { WorkerAnswer } from './read-pool.js';
import { sqliteAccounts } from './sqlite/accounts.js';
import { sqliteReadSide } from './sqlite/read-side.js';

const db = new Database((workerData as { file: string }).file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const reads = { ...sqliteReadSide(db), accounts: sqliteAccounts(db).port };
const begin = db.prepare('BEGIN');
const end = db.prepare('COMMIT');

/** One snapshot a request: SQLite answers every read at once, so nothing else runs inside it. */
async function answer(request: MetricsRequest | AccountsRequest) {
  begin.run();
  try {
    return 'kind' in request && request.kind === 'accounts' ? await accountReport(reads, request) : await computeMetrics(reads, request as MetricsRequest);
  } finally {
    end.run();
  }
}

parentPort!.on('message', async (request: MetricsRequest | AccountsRequest) => {
  let reply: WorkerAnswer;
  try {
    reply = { report: await answer(request) };
  } catch (error) {
    reply = { error: (error as Error).message, timeZone: error instanceof TimeZoneError };
  }
  parentPort!.postMessage(reply);
});
