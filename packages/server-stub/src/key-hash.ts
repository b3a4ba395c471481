import { createHash } from 'node:crypto';

/** A secret read key is stored only as its SHA-256: a copy of the database holds no key that works. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
