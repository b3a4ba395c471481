import { StorageUnavailableError, type IngestResult, type ProjectWrite } from './storage.js';

export interface CommitQueueOptions {
  /** Commits several writes in one durable transaction, all or none; one result per write. */
  commit(writes: ProjectWrite[]): Promise<IngestResult[]>;
  /** Most items one transaction takes; more wait for the next one. */
  maxItemsPerCommit?: number;
  /** Most items waiting to commit; beyond it requests are turned away (503) instead of queueing. */
  maxPendingItems?: number;
  /**
   * Transactions in flight at once (default 1). A networked database can take a second while the
   * first waits on its round trips and flush; SQLite commits one at a time anyway.
   */
  concurrentCommits?: number;
  /** Runs the next commit after the I/O already waiting has been read; tests pass their own. */
  schedule?: (run: () => Promise<void>) => void;
}

/** The queue is full: storage is not keeping up, the sender should come back later. */
export class OverloadedError extends Error {}

interface Pending {
  write: ProjectWrite;
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit. Every request that has been validated by the time the event loop comes round
 * (setImmediate runs after all pending network reads) joins one transaction, so N requests cost
 * one fsync instead of N. Under light load a request commits alone and waits for no one; under
 * heavy load the requests that arrived during the last commit form the next one, which bounds
 * the wait to about one commit. A request is never split between transactions, and at most
 * `concurrentCommits` transactions are in flight (a networked database commits while the loop goes on).
 */
export function createCommitQueue({
  commit,
  maxItemsPerCommit = 10_000,
  maxPendingItems = 100_000,
  concurrentCommits = 1,
  schedule = setImmediate,
}: CommitQueueOptions): (write: ProjectWrite) => Promise<IngestResult> {
  const queue: Pending[] = [];
  let pendingItems = 0;
  let scheduled = false;
  let committing = 0;

  async function run(): Promise<void> {
    scheduled = false;
    let items = 0;
    let taken = 0;
    while (taken < queue.length && (taken === 0 || items + queue[taken]!.write.items.length <= maxItemsPerCommit)) {
      items += queue[taken]!.write.items.length;
      taken++;
    }
    const group = queue.splice(0, taken);
    pendingItems -= items;
    committing++;
    try {
      const results = await commit(group.map((pending) => pending.write));
      group.forEach((pending, index) => pending.resolve(results[index]!));
    } catch (error) {
      if (group.length === 1 || error instanceof StorageUnavailableError) {
        for (const pending of group) pending.reject(error);
      } else {
        // The transaction was rolled back. Commit each write alone, so one request that cannot be
        // stored does not fail the others on every retry.
        for (const pending of group) await commitAlone(pending);
      }
    } finally {
      committing--;
      if (queue.length > 0) later();
    }
  }

  async function commitAlone(pending: Pending): Promise<void> {
    try {
      pending.resolve((await commit([pending.write]))[0]!);
    } catch (error) {
      pending.reject(error);
    }
  }

  function later(): void {
    // What arrives while the transactions in flight commit forms the next one.
    if (scheduled || committing >= concurrentCommits) return;
    scheduled = true;
    schedule(run);
  }

  return (write) => {
    if (pendingItems + write.items.length > maxPendingItems && queue.length > 0) {
      return Promise.reject(new OverloadedError(`${pendingItems} items are waiting to be committed`));
    }
    return new Promise((resolve, reject) => {
      queue.push({ write, resolve, reject });
      pendingItems += write.items.length;
      later();
    });
  };
}
