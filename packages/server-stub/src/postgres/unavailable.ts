import { StorageUnavailableError } from '../storage.js';

// PostgreSQL's codes for a server that takes no write now, whatever the write: too many clients,
// disk full, out of memory, shutting down or starting up, connection failures.
const SERVER_CODES = new Set(['53000', '53100', '53200', '53300', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
// Node's codes for a server that cannot be reached.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
// node-postgres says these in words only: a connection dropped mid-query, a pool with none free in time.
const DRIVER_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (SERVER_CODES.has(code) || SOCKET_CODES.has(code))) return true;
  return error instanceof Error && DRIVER_MESSAGES.test(error.message);
}

/** Runs a write, turning PostgreSQL's "no write can succeed now" into StorageUnavailableError. */
export async function whenAvailable<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUnavailable(error)) throw new StorageUnavailableError((error as Error).message, { cause: error });
    throw error;
  }
}
