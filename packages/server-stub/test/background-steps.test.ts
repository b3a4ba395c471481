import { afterEach, expect, test, vi } from 'vitest';
import { backgroundSteps, STEP_RETRY_MS } from '../src/background-steps';
import { StorageUnavailableError } from '../src/storage';
import { manualSchedule } from './fixtures';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

test('runs a step at a time, each scheduled after the one before, until a step finds no work', () => {
  const steps = manualSchedule();
  let work = 3;
  const runner = backgroundSteps(() => work-- > 0, steps.schedule);
  runner.start();
  runner.start();
  expect(steps.waiting).toBe(1);
  steps.runNext();
  expect(work).toBe(2);
  steps.runAll();
  expect(work).toBe(-1);
  runner.start();
  expect(steps.waiting).toBe(1);
});

test('a step storage cannot commit is tried again later; another failure waits for the next start', () => {
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
  const runner = backgroundSteps(() => outcomes[calls++]!(), steps.schedule);
  runner.start();
  steps.runAll();
  expect(calls).toBe(1);
  vi.advanceTimersByTime(STEP_RETRY_MS);
  expect(calls).toBe(2);

  runner.start();
  steps.runAll();
  expect(calls).toBe(3);
  vi.advanceTimersByTime(10 * STEP_RETRY_MS);
  expect(calls).toBe(3);
  runner.start();
  steps.runAll();
  expect(calls).toBe(4);
});
