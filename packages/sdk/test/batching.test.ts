import { expect, test } from 'vitest';
import { byteLength, takeBatch } from '../src/batching';
import type { QueueEntry } from '../src/storage';

const entries = (n: number, json: string): QueueEntry[] => Array.from({ length: n }, (_, i) => [`b:${i}`, json]);

test('a batch takes entries from the front up to the item limit', () => {
  const batch = takeBatch(entries(250, '{}'), 100, 1e9);
  expect(batch.map(([key]) => key)).toEqual(entries(100, '{}').map(([key]) => key));
});

test('a batch stops before the entry that would cross the byte limit, counting commas', () => {
  // Each entry weighs 10 bytes plus its comma.
  const batch = takeBatch(entries(10, '"12345678"'), 100, 33);
  expect(batch).toHaveLength(3);
  expect(takeBatch(entries(10, '"12345678"'), 100, 32)).toHaveLength(2);
});

test('sizes are UTF-8 bytes, not characters', () => {
  expect(byteLength('é')).toBe(2);
  expect(byteLength('€')).toBe(3);
  expect(byteLength('😀')).toBe(4);
  // Four characters each: 9 bytes with the comma for "€€", 5 for "ab".
  expect(takeBatch(entries(4, '"€€"'), 100, 18)).toHaveLength(2);
  expect(takeBatch(entries(4, '"ab"'), 100, 18)).toHaveLength(3);
  expect(takeBatch(entries(4, '"ü€"'), 100, 14)).toHaveLength(1);
});

test('one entry always goes, even alone above the byte limit, so the queue cannot stall', () => {
  expect(takeBatch(entries(3, '"a long item"'), 100, 1)).toHaveLength(1);
  expect(takeBatch([], 100, 1)).toEqual([]);
});
