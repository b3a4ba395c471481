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
  const columns: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) (COLUMN_FIELDS.has(key) ? columns : rest)[key] = value;
  const payload = JSON.stringify(rest);
  const picked = JSON.stringify(columns);
  // '{a}' and '{b}' make '{a,b}' once joined: one brace pair and a comma, unless one side is '{}'.
  const join = payload === '{}' || picked === '{}' ? 2 : 1;
  return { payload, bytes: Buffer.byteLength(payload) + Buffer.byteLength(picked) - join };
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
