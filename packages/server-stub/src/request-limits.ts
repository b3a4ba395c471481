import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

const BATCH_TYPES = ['text/plain', 'application/json'];

/** 415 for anything but the two types a batch is sent as (text/plain spares browsers a preflight). */
export const requireBatchType: MiddlewareHandler = async (c, next) => {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!BATCH_TYPES.includes(type)) {
    return c.json({ error: 'send the batch as text/plain or application/json' }, 415);
  }
  await next();
};

/**
 * 413 for a body over maxBytes. A declared Content-Length is checked before anything is read
 * (Node reads exactly that many bytes), which keeps the adapter's fast path for reading the
 * body; only a chunked body is counted while it streams in.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = { error: `body is over ${maxBytes} bytes` };
  const streamed = bodyLimit({ maxSize: maxBytes, onError: (c) => c.json(tooLarge, 413) });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    if (Number(length) > maxBytes) return c.json(tooLarge, 413);
    await next();
  };
}
