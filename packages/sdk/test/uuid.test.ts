import { expect, test } from 'vitest';
import { uuidv7 } from '../src/uuid';

test('uuidv7 has the version and variant bits and the time in its first 48 bits', () => {
  const at = Date.UTC(2026, 10, 25, 12, 0, 0);
  const id = uuidv7(at);
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
});

test('ids made in the same millisecond still sort in the order they were made', () => {
  const ids = Array.from({ length: 1000 }, () => uuidv7(1_800_000_000_000));
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
});
