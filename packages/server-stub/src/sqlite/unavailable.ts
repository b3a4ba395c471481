import { StorageUnavailableError } from '../storage.js';

/** SQLite's codes for a database that cannot take any write now, whatever the write. */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB)/;

/** Runs a write, turning SQLite's "no write can succeed now" into StorageUnavailableError. */
export function whenAvailable<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE.test(code)) throw new StorageUnavailableError((error as Error).message, { cause: error });
    throw error;
  }
}
