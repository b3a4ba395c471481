import type { BatchResponse } from './protocol';

export interface SendResult {
  status: number;
  body?: BatchResponse;
}

/** Posts one serialized batch. Injected, so the sending logic is tested with fakes. */
export type Send = (url: string, body: string) => Promise<SendResult>;

export const fetchSend: Send = async (url, body) => {
  // text/plain keeps the request "simple": no CORS preflight, one round trip per batch.
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'text/plain' },
    credentials: 'omit',
  });
  let parsed: BatchResponse | undefined;
  if (response.ok) parsed = (await response.json().catch(() => undefined)) as BatchResponse | undefined;
  return { status: response.status, body: parsed };
};
