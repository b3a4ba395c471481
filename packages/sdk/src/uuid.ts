// RFC 9562 UUIDv7: 48-bit Unix milliseconds, then random bits. Time-ordered ids keep the
// queue in creation order and give the server a dedupe key that indexes well.

let lastMs = -1;
let counter = 0;

export function uuidv7(now: number = Date.now()): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  // A 12-bit counter in rand_a (method 1 of RFC 9562 §6.2) keeps ids made in the same
  // millisecond sorted in the order they were made.
  if (now <= lastMs) {
    now = lastMs;
    counter++;
    if (counter > 0xfff) {
      now = ++lastMs;
      counter = 0;
    }
  } else {
    lastMs = now;
    counter = 0;
  }
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  let hex = '';
  for (const b of bytes) hex += (b < 16 ? '0' : '') + b.toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
