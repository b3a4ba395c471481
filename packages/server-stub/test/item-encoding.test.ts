import fc from 'fast-check';
import { expect, test } from 'vitest';
import { encodeItem, storedItem } from '../src/item-encoding';

const item = {
  id: '0192f3a4-0000-7000-8000-000000000001',
  type: 'track',
  timestamp: '2026-11-25T12:00:00.000Z',
  anonymousId: 'anon-1',
  userId: 'u-1',
  sessionId: 's-1',
  context: { url: 'https://app.example.com/cart', locale: 'en' },
  event: 'checkout_completed',
  properties: { total: 90.5 },
  futureField: [1, 'two'],
};

const row = (fields: Partial<Parameters<typeof storedItem>[0]>) => ({
  id: item.id,
  type: item.type,
  anonymous_id: item.anonymousId,
  user_id: item.userId,
  session_id: item.sessionId,
  payload: '{}',
  ...fields,
});

test('the payload keeps what the columns do not: the timestamp as sent, the event, its properties, unknown fields', () => {
  expect(JSON.parse(encodeItem(item).payload)).toEqual({
    timestamp: item.timestamp,
    context: item.context,
    event: item.event,
    properties: item.properties,
    futureField: item.futureField,
  });
});

test('an item is rebuilt as it was sent from its columns and payload', () => {
  expect(storedItem(row({ payload: encodeItem(item).payload }))).toEqual(item);
  const { userId: _, ...anonymous } = item;
  expect(storedItem(row({ user_id: null, payload: encodeItem(anonymous).payload }))).toEqual(anonymous);
});

test('a row stored with the whole item as its payload reads the same, its payload winning over the columns', () => {
  expect(storedItem(row({ payload: JSON.stringify(item) }))).toEqual(item);
  expect(storedItem(row({ user_id: 'other', payload: JSON.stringify(item) })).userId).toBe('u-1');
});

test('the size the item limit is checked against is the byte size of the whole item as sent', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.dictionary(fc.constantFrom('id', 'type', 'anonymousId', 'userId', 'sessionId'), fc.string({ unit: 'grapheme' })), (value, columns) => {
      const raw = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...columns, ...value } : value;
      expect(encodeItem(raw).bytes).toBe(Buffer.byteLength(JSON.stringify(raw)));
    }),
  );
});
