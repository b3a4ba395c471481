import type { QueueEntry } from './storage';

export const BATCH_MAX_ITEMS = 100;
export const BATCH_MAX_BYTES = 256 * 1024;
/** Browsers refuse keepalive requests (and beacons) once 64 KiB of them are in flight. */
export const KEEPALIVE_MAX_BYTES = 64 * 1024;

const encoder = new TextEncoder();

/** UTF-8 size of a string: what it weighs on the wire. */
export const byteLength = (text: string): number => encoder.encode(text).length;

/**
 * The longest run of entries from the front whose items fit both limits (each item counted with
 * its separating comma). Never empty when entries are not: a single item always goes, as the
 * queue refuses items above the server's item limit, far below any batch limit.
 */
export function takeBatch(entries: QueueEntry[], maxItems: number, maxBytes: number): QueueEntry[] {
  let bytes = 0;
  let n = 0;
  while (n < entries.length && n < maxItems) {
    bytes += byteLength(entries[n]![1]) + 1;
    if (bytes > maxBytes && n > 0) break;
    n++;
  }
  return entries.slice(0, n);
}
