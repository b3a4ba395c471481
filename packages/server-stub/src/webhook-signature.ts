import { createHmac, randomBytes } from 'node:crypto';

// Signed as Standard Webhooks sign (standardwebhooks.com): a receiver can verify with their
// libraries or the few lines in docs/alerts.md#verifying-a-request.

const PREFIX = 'whsec_';

/** A new secret: 24 random bytes, base64, prefixed as Standard Webhooks secrets are. */
export const newWebhookSecret = (): string => PREFIX + randomBytes(24).toString('base64');

/**
 * The headers of one attempt. The id stays the same on every attempt (the receiver deduplicates by
 * it); the timestamp is the attempt's, so a receiver can refuse old replays.
 */
export function signedHeaders(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${signature}`,
  };
}
