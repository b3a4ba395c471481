// A webhook receiver on 127.0.0.1 for the alert tests, told how to answer: 200, 500, never (the
// sender times out), or by reading the request and dropping the connection (the answer is lost).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceiverMode = 'ok' | 'fail' | 'hang' | 'drop';

export interface Received {
  id: string;
  timestamp: number;
  signature: string;
  body: string;
  /** How this request was answered. */
  mode: ReceiverMode;
}

/** `latencyMs`: how long the receiver takes before it answers 200 or 500. */
export async function startReceiver(initial: ReceiverMode = 'ok', latencyMs = 0) {
  const received: Received[] = [];
  const state = { mode: initial as ReceiverMode | ((request: Received) => ReceiverMode) };
  const hanging = new Set<() => void>();
  const load = { now: 0, most: 0 };
  const server = createServer((req, res) => {
    load.most = Math.max(load.most, ++load.now);
    res.once('close', () => load.now--);
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const entry: Received = {
        id: String(req.headers['webhook-id']),
        timestamp: Number(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']),
        body,
        mode: 'ok',
      };
      entry.mode = typeof state.mode === 'function' ? state.mode(entry) : state.mode;
      received.push(entry);
      const reply = (status: number, text: string) => setTimeout(() => res.writeHead(status).end(text), latencyMs);
      if (entry.mode === 'ok') reply(200, 'thanks');
      else if (entry.mode === 'fail') reply(500, 'receiver is down');
      else if (entry.mode === 'drop') req.socket.destroy();
      else hanging.add(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    /** The most requests it had open at once. */
    mostAtOnce: () => load.most,
    answer(mode: ReceiverMode | ((request: Received) => ReceiverMode)) {
      state.mode = mode;
    },
    /** Ids answered 200, each as often as it was. */
    delivered: () => received.filter((r) => r.mode === 'ok').map((r) => r.id),
    async close() {
      for (const end of hanging) end();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The verification docs/alerts.md gives receivers, as they would write it. */
export function verifySignature(secret: string, headers: IncomingHttpHeaders | Record<string, string>, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** Polls until `check` holds (or fails the test after `timeoutMs`). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
