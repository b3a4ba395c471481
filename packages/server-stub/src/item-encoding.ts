import type { Item } from '@cxkit/protocol';

// How an item is kept in the items table: the fields its columns hold (id, type, anonymousId,
// userId, sessionId) once, in those columns, and everything else as sent (timestamp, event,
// properties, context, survey fields, fields the server does not know yet) as the payload's JSON.
// Rows stored before the payload was made compact hold the whole item: they decode the same.

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
  // The column fields (id, type, anonymousId, userId, sessionId) are left out by a rest pattern,
  // which copies the others in one step, in the order they were sent.
  const { id, type, anonymousId, userId, sessionId, ...rest } = raw as Record<string, unknown>;
  const payload = JSON.stringify(rest);
  // The whole JSON's size, without writing it out: the payload's, plus each column field's
  // `"key":value` and the comma that joins it; one comma fewer when the payload adds no field.
  const columns = [fieldBytes('id', id), fieldBytes('type', type), fieldBytes('anonymousId', anonymousId), fieldBytes('userId', userId), fieldBytes('sessionId', sessionId)];
  let bytes = Buffer.byteLength(payload);
  let fields = 0;
  for (const size of columns) {
    if (size === 0) continue;
    bytes += size + 1;
    fields++;
  }
  return { payload, bytes: fields > 0 && payload === '{}' ? bytes - 1 : bytes };
}

// A string with none of these is written by JSON as it is, between quotes (a surrogate may be a
// lone one, which JSON escapes).
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** The bytes of `"key":value` (the keys are ASCII), 0 for a field JSON leaves out. */
function fieldBytes(key: string, value: unknown): number {
  if (typeof value === 'string' && !ESCAPED.test(value)) return key.length + 5 + Buffer.byteLength(value);
  const json = JSON.stringify(value) as string | undefined;
  return json === undefined ? 0 : key.length + 3 + Buffer.byteLength(json);
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
