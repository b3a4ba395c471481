// Array parameters in PostgreSQL's binary form (array_recv). node-postgres sends a Buffer
// parameter as binary, and a `$1::text[]` parameter takes it as it is: each element is its
// length and its UTF-8 bytes, so neither side escapes or parses quotes, which for the items'
// JSON payloads and ids cost more CPU in the driver than the insert took in PostgreSQL.
// Layout: ndim, has-nulls flag, element type oid, then per dimension its length and lower bound
// (1), then each element as an int32 byte length (-1 for NULL) and its bytes.

const TEXT = 25;
const INT8 = 20;
const INT4 = 23;
const BOOL = 16;
const TWO_32 = 2 ** 32;

function header(buffer: Buffer, length: number, elementType: number): number {
  buffer.writeInt32BE(length === 0 ? 0 : 1, 0);
  buffer.writeInt32BE(0, 4);
  buffer.writeInt32BE(elementType, 8);
  if (length === 0) return 12;
  buffer.writeInt32BE(length, 12);
  buffer.writeInt32BE(1, 16);
  return 20;
}

/** A text[] parameter; null elements are NULL. */
export function textArray(values: readonly (string | null)[]): Buffer {
  // A UTF-16 code unit takes at most 3 bytes of UTF-8: room enough, cut to what was written.
  let room = 20 + 4 * values.length;
  for (const value of values) if (value !== null) room += 3 * value.length;
  const buffer = Buffer.allocUnsafe(room);
  let at = header(buffer, values.length, TEXT);
  let nulls = 0;
  for (const value of values) {
    if (value === null) {
      buffer.writeInt32BE(-1, at);
      at += 4;
      nulls = 1;
      continue;
    }
    const bytes = buffer.write(value, at + 4);
    buffer.writeInt32BE(bytes, at);
    at += 4 + bytes;
  }
  buffer.writeInt32BE(nulls, 4);
  return buffer.subarray(0, at);
}

/** An array of fixed-width elements, each written by `write` at its offset. */
function fixedWidthArray<T>(values: readonly T[], elementType: number, width: number, write: (buffer: Buffer, value: T, at: number) => void): Buffer {
  const buffer = Buffer.allocUnsafe(20 + (4 + width) * values.length);
  let at = header(buffer, values.length, elementType);
  for (const value of values) {
    buffer.writeInt32BE(width, at);
    write(buffer, value, at + 4);
    at += 4 + width;
  }
  return buffer.subarray(0, at);
}

/** A bigint[] parameter of whole numbers (times in ms, quarter-hour words): exact up to 2^53. */
export const bigintArray = (values: readonly number[]): Buffer =>
  fixedWidthArray(values, INT8, 8, (buffer, value, at) => {
    buffer.writeInt32BE(Math.floor(value / TWO_32), at);
    buffer.writeUInt32BE(value >>> 0, at + 4);
  });

/** An int[] parameter (scores, days). */
export const intArray = (values: readonly number[]): Buffer => fixedWidthArray(values, INT4, 4, (buffer, value, at) => buffer.writeInt32BE(value, at));

/** A boolean[] parameter. */
export const booleanArray = (values: readonly boolean[]): Buffer =>
  fixedWidthArray(values, BOOL, 1, (buffer, value, at) => buffer.writeUInt8(value ? 1 : 0, at));
