import type { Item } from '@cxkit/protocol';

// How an item is kept in the items table: the fields its columns hold (id, type, anonymousId,
// userId, sessionId) once, in those columns, and everything else as sent (timestamp, event,
// properties, context, survey fields, fields the server does not know yet) as the payload's JSON.
// Rows stored before the payload was made compact hold the whole item: they decode the same.

/** The item fields the items table keeps in columns of their own. */
const COLUMN_FIELDS = new Set(['id', 'type', 'anonymousId', 'userId', 'sessionId']);

export interface EncodedItem {
  /** What the payload column keeps: the item's JSON without the fields its columns hold. */
  payload: string;
  /** The byte size of the whole item's JSON as sent, which the item limit applies to. */
  bytes: number;
}

/** The payload of an item as it was parsed from the batch, and the size of its whole JSON. */
export function encodeItem(raw: unknown): EncodedItem {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const json = JSON.stringify(raw) ?? '';
    return { payload: json, bytes: Buffer.byteLength(json) };
  }
  const rest: Record<string, unknown> = {};
  // The whole JSON's size, without writing it out: the payload's, plus each column field's
  // `"key":value` (the keys are ASCII) and the comma that joins it.
  let columnBytes = 0;
  let columnFields = 0;
  for (const key of Object.keys(raw)) {
    const value = (raw as Record<string, unknown>)[key];
    if (!COLUMN_FIELDS.has(key)) {
      rest[key] = value;
      continue;
    }
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) continue;
    columnBytes += key.length + 3 + Buffer.byteLength(json) + 1;
    columnFields++;
  }
  const payload = JSON.stringify(rest);
  // No comma is needed after the last field: one fewer when the payload adds none of its own.
  const joins = columnFields > 0 && payload === '{}' ? 1 : 0;
  return { payload, bytes: Buffer.byteLength(payload) + columnBytes - joins };
}

/** An items row as both engines read it. */
export interface ItemRow {
  id: string;
  type: string;
  anonymous_id: string;
  user_id: string | null;
  session_id: string;
  payload: string;
}

/** The item as it was sent, from its row: the columns, then the payload, whose own fields win (older rows hold them all). */
export function storedItem(row: ItemRow): Item {
  return {
    id: row.id,
    type: row.type,
    anonymousId: row.anonymous_id,
    ...(row.user_id !== null && { userId: row.user_id }),
    sessionId: row.session_id,
    ...(JSON.parse(row.payload) as object),
  } as Item;
}
