import { describe, expect, test } from 'vitest';
import { matchesFilter } from '../src/filters';

describe('filters', () => {
  const bag = { plan: 'team', seats: 12, tags: ['beta', 'eu'], admin: false, note: 'paid yearly' };
  test.each([
    [{ key: 'plan', op: 'eq', value: 'team' }, true],
    [{ key: 'plan', op: 'neq', value: 'team' }, false],
    [{ key: 'seats', op: 'gt', value: 12 }, false],
    [{ key: 'seats', op: 'gte', value: 12 }, true],
    [{ key: 'seats', op: 'lt', value: 20 }, true],
    [{ key: 'seats', op: 'lte', value: 11 }, false],
    [{ key: 'plan', op: 'gt', value: 1 }, false],
    [{ key: 'tags', op: 'contains', value: 'beta' }, true],
    [{ key: 'note', op: 'contains', value: 'yearly' }, true],
    [{ key: 'plan', op: 'in', value: ['free', 'team'] }, true],
    [{ key: 'admin', op: 'exists' }, true],
    [{ key: 'missing', op: 'exists' }, false],
    [{ key: 'missing', op: 'neq', value: 'x' }, true],
    [{ key: 'toString', op: 'exists' }, false],
  ] as const)('%o → %s', (filter, expected) => {
    expect(matchesFilter(filter as never, bag)).toBe(expected);
  });
});
