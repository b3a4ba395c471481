import { expect, test } from 'vitest';
import { outsideSchedule } from '../src/surveys';

const at = (iso: string) => Date.parse(iso);

test.each([
  [{}, '2026-12-01T00:00:00Z', undefined],
  [{ startsAt: '2026-12-01T09:00:00Z' }, '2026-12-01T08:59:59.999Z', 'not-started'],
  [{ startsAt: '2026-12-01T09:00:00Z' }, '2026-12-01T09:00:00Z', undefined],
  [{ endsAt: '2026-12-31T00:00:00+01:00' }, '2026-12-30T22:59:59.999Z', undefined],
  [{ endsAt: '2026-12-31T00:00:00+01:00' }, '2026-12-30T23:00:00Z', 'ended'],
  [{ startsAt: '2026-12-01T00:00:00Z', endsAt: '2026-12-02T00:00:00Z' }, '2026-12-03T00:00:00Z', 'ended'],
] as const)('%j at %s: %s', (schedule, now, expected) => {
  // It starts at its start and ends at its end: the start is inside, the end is not.
  expect(outsideSchedule(schedule, at(now))).toBe(expected);
});
