import { expect, test } from 'vitest';
import { createCommitQueue, OverloadedError } from '../src/commit-queue';
import { StorageUnavailableError, type IngestResult, type ProjectWrite, type StoredItem } from '../src/storage';
import { manualSchedule } from './fixtures';

const write = (projectId: string, count: number): ProjectWrite => ({
  projectId,
  items: Array.from({ length: count }, () => ({}) as StoredItem),
});

/** A commit that records what each transaction held and accepts everything. */
function recordingCommit() {
  const transactions: ProjectWrite[][] = [];
  return {
    transactions,
    commit: async (writes: ProjectWrite[]): Promise<IngestResult[]> => {
      transactions.push(writes);
      return writes.map((w) => ({ accepted: w.items.length, duplicates: 0 }));
    },
  };
}

test('writes submitted before the queue runs share one transaction, each answered with its own counts', async () => {
  const clock = manualSchedule();
  const store = recordingCommit();
  const submit = createCommitQueue({ commit: store.commit, schedule: clock.schedule });
  const answers = [submit(write('a', 3)), submit(write('b', 1)), submit(write('a', 2))];
  expect(store.transactions).toHaveLength(0);
  expect(clock.waiting).toBe(1);
  clock.runNext();
  expect(store.transactions).toHaveLength(1);
  expect(store.transactions[0]!.map((w) => [w.projectId, w.items.length])).toEqual([['a', 3], ['b', 1], ['a', 2]]);
  expect(await Promise.all(answers)).toEqual([
    { accepted: 3, duplicates: 0 },
    { accepted: 1, duplicates: 0 },
    { accepted: 2, duplicates: 0 },
  ]);
});

test('no answer settles before its transaction has committed', async () => {
  const clock = manualSchedule();
  const store = recordingCommit();
  const submit = createCommitQueue({ commit: store.commit, schedule: clock.schedule });
  let settled = false;
  const answer = submit(write('a', 1)).then(() => (settled = true));
  await Promise.resolve();
  await Promise.resolve();
  expect(settled).toBe(false);
  clock.runNext();
  await answer;
  expect(settled).toBe(true);
});

test('a transaction takes at most maxItemsPerCommit items and never splits a request', async () => {
  const clock = manualSchedule();
  const store = recordingCommit();
  const submit = createCommitQueue({ commit: store.commit, schedule: clock.schedule, maxItemsPerCommit: 10 });
  const answers = [submit(write('a', 4)), submit(write('a', 5)), submit(write('a', 3)), submit(write('a', 12))];
  await clock.runAll();
  await Promise.all(answers);
  expect(store.transactions.map((t) => t.map((w) => w.items.length))).toEqual([[4, 5], [3], [12]]);
});

test('writes arriving while one group commits form the next group', async () => {
  const clock = manualSchedule();
  const store = recordingCommit();
  const submit = createCommitQueue({ commit: store.commit, schedule: clock.schedule });
  const first = submit(write('a', 1));
  clock.runNext();
  const later = [submit(write('a', 2)), submit(write('b', 2))];
  expect(clock.waiting).toBe(0);
  await first;
  expect(clock.waiting).toBe(1);
  clock.runNext();
  await Promise.all([first, ...later]);
  expect(store.transactions.map((t) => t.length)).toEqual([1, 2]);
});

test('with concurrentCommits 2, a second group commits while the first is in flight, and a third waits for one of them', async () => {
  const clock = manualSchedule();
  const inFlight: { writes: ProjectWrite[]; done(): void }[] = [];
  const commit = (writes: ProjectWrite[]) =>
    new Promise<IngestResult[]>((resolve) =>
      inFlight.push({ writes, done: () => resolve(writes.map((w) => ({ accepted: w.items.length, duplicates: 0 }))) }),
    );
  const submit = createCommitQueue({ commit, schedule: clock.schedule, concurrentCommits: 2 });
  const first = submit(write('a', 1));
  clock.runNext();
  const second = submit(write('a', 2));
  expect(clock.waiting).toBe(1);
  clock.runNext();
  expect(inFlight.map((t) => t.writes.length)).toEqual([1, 1]);
  const third = [submit(write('b', 3)), submit(write('b', 4))];
  expect(clock.waiting).toBe(0);
  inFlight.shift()!.done();
  expect(await first).toEqual({ accepted: 1, duplicates: 0 });
  expect(clock.waiting).toBe(1);
  clock.runNext();
  expect(inFlight.map((t) => t.writes.map((w) => w.items.length))).toEqual([[2], [3, 4]]);
  for (const transaction of inFlight.splice(0)) transaction.done();
  expect(await Promise.all([second, ...third])).toEqual([2, 3, 4].map((n) => ({ accepted: n, duplicates: 0 })));
});

test('a failed commit rejects every write in it, and the next group commits normally', async () => {
  const clock = manualSchedule();
  let fail = true;
  const submit = createCommitQueue({
    schedule: clock.schedule,
    commit: async (writes) => {
      if (fail) throw new Error('SQLITE_FULL: database or disk is full');
      return writes.map((w) => ({ accepted: w.items.length, duplicates: 0 }));
    },
  });
  const failed = [submit(write('a', 1)), submit(write('b', 1))].map((p) => p.catch((error: Error) => error.message));
  clock.runNext();
  expect(await Promise.all(failed)).toEqual(['SQLITE_FULL: database or disk is full', 'SQLITE_FULL: database or disk is full']);
  fail = false;
  const next = submit(write('a', 1));
  clock.runNext();
  expect(await next).toEqual({ accepted: 1, duplicates: 0 });
});

test('when a group fails, its writes are retried one by one, so a write that cannot be stored fails alone', async () => {
  const clock = manualSchedule();
  const store = recordingCommit();
  const submit = createCommitQueue({
    schedule: clock.schedule,
    commit: async (writes) => {
      if (writes.some((w) => w.projectId === 'broken')) throw new Error('NOT NULL constraint failed: items.at');
      return store.commit(writes);
    },
  });
  const answers = [submit(write('a', 2)), submit(write('broken', 1)), submit(write('b', 3))].map((p) =>
    p.then((result) => result.accepted, (error: Error) => error.message),
  );
  clock.runNext();
  expect(await Promise.all(answers)).toEqual([2, 'NOT NULL constraint failed: items.at', 3]);
  expect(store.transactions.map((t) => t.map((w) => w.projectId))).toEqual([['a'], ['b']]);
});

test('when storage as a whole cannot commit, the group fails at once instead of being retried write by write', async () => {
  const clock = manualSchedule();
  let tries = 0;
  const submit = createCommitQueue({
    schedule: clock.schedule,
    commit: async () => {
      tries++;
      throw new StorageUnavailableError('SQLITE_BUSY: database is locked');
    },
  });
  const answers = [submit(write('a', 1)), submit(write('b', 1)), submit(write('c', 1))].map((p) => p.catch((error: Error) => error.message));
  clock.runNext();
  expect(await Promise.all(answers)).toEqual(Array(3).fill('SQLITE_BUSY: database is locked'));
  expect(tries).toBe(1);
});

test('beyond maxPendingItems a write is turned away at once instead of queueing', async () => {
  const clock = manualSchedule();
  const store = recordingCommit();
  const submit = createCommitQueue({ commit: store.commit, schedule: clock.schedule, maxPendingItems: 10 });
  const queued = [submit(write('a', 6)), submit(write('a', 4))];
  await expect(submit(write('a', 1))).rejects.toBeInstanceOf(OverloadedError);
  clock.runNext();
  await Promise.all(queued);
  // Once the queue has drained there is room again.
  const after = submit(write('a', 1));
  clock.runNext();
  await expect(after).resolves.toEqual({ accepted: 1, duplicates: 0 });
});

test('by default a group runs on setImmediate, after the I/O already waiting', async () => {
  const store = recordingCommit();
  const submit = createCommitQueue({ commit: store.commit });
  await Promise.all([submit(write('a', 1)), submit(write('a', 1)), submit(write('a', 1))]);
  expect(store.transactions).toHaveLength(1);
});
