import { afterEach, expect, test, vi } from 'vitest';
import { backgroundSteps, STEP_RETRY_MS } from '../src/background-steps';
import { StorageUnavailableError } from '../src/storage';
import { manualSchedule } from './fixtures';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

test('runs a step at a time, each scheduled after the one before, until a step finds no work', async () => {
  const steps = manualSchedule();
  let work = 3;
  const runner = backgroundSteps(async () => work-- > 0, steps.schedule);
  runner.start();
  runner.start();
  expect(steps.waiting).toBe(1);
  await steps.runNext();
  expect(work).toBe(2);
  await steps.runAll();
  expect(work).toBe(-1);
  runner.start();
  expect(steps.waiting).toBe(1);
});

test('a step storage cannot commit is tried again later; another failure waits for the next start', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  vi.spyOn(console, 'error').mockImplementation(() => {});
  const steps = manualSchedule();
  const outcomes: (() => boolean)[] = [
    () => {
      throw new StorageUnavailableError('database is locked');
    },
    () => false,
    () => {
      throw new Error('a bug');
    },
    () => false,
  ];
  let calls = 0;
  const runner = backgroundSteps(async () => outcomes[calls++]!(), steps.schedule);
  runner.start();
  await steps.runAll();
  expect(calls).toBe(1);
  await vi.advanceTimersByTimeAsync(STEP_RETRY_MS);
  expect(calls).toBe(2);

  runner.start();
  await steps.runAll();
  expect(calls).toBe(3);
  await vi.advanceTimersByTimeAsync(10 * STEP_RETRY_MS);
  expect(calls).toBe(3);
  runner.start();
  await steps.runAll();
  expect(calls).toBe(4);
});
