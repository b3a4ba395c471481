// RFC 9562 UUIDv7: 48-bit Unix milliseconds, then random bits. Time-ordered ids keep the
// queue in creation order and give the server a dedupe key that indexes well.

let lastMs = -1;
let counter = 0;

export function uuidv7(now: number = Date.now()): string {
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
  const random = crypto.getRandomValues(new Uint8Array(8));
  // Version 7 in the high nibble of the counter's 16 bits; variant 10 in the top bits of the first random byte.
  random[0] = (random[0]! & 0x3f) | 0x80;
  let hex = now.toString(16).padStart(12, '0') + (0x7000 | counter).toString(16);
  for (const b of random) hex += (b | 0x100).toString(16).slice(1);
  return hex.replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}

/** The Unix milliseconds a uuidv7 was made at (its first 48 bits). */
export function uuidTime(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
