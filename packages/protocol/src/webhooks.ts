// Alerts: what a webhook is told, how it is chosen, and the bounds of its delivery (docs/alerts.md).
import type { ListedResponse } from './responses.js';
import type { Metric, ScoreBucket } from './scales.js';

export const WEBHOOK_FORMATS = ['json', 'slack'] as const;
/** json: the event below, signed; slack: a Slack incoming-webhook message (also signed). */
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** Which responses a webhook is told of; every field given must hold, an absent one holds for all. */
export interface WebhookFilter {
  surveys?: string[];
  metrics?: Metric[];
  buckets?: ScoreBucket[];
  minScore?: number;
  maxScore?: number;
  /** true: only responses with a comment; false: only those without one. */
  hasComment?: boolean;
}

/** A webhook as the API shows it; its secret is shown only once, when it is created. */
export interface Webhook {
  id: string;
  url: string;
  format: WebhookFormat;
  filter: WebhookFilter;
  status: 'active' | 'paused';
  createdAt: string;
}

/** The body of a json webhook's request. */
export interface WebhookEvent {
  type: 'response.completed' | 'webhook.test';
  /** The same on every attempt of this event, and in the webhook-id header: deduplicate by it. */
  id: string;
  createdAt: string;
  projectId: string;
  webhookId: string;
  /** The response as GET /v1/responses lists it, with where the dashboard shows it. */
  response: ListedResponse & { dashboardUrl: string };
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The bounds of alerts, written once: the server enforces them, the docs and the dashboard quote them. */
export const WEBHOOK_LIMITS = {
  perProject: 20,
  urlChars: 2048,
  surveysPerFilter: 50,
  /** A response that stops after its score (no final item) is alerted this long after it arrived. */
  settleMs: 5 * MINUTE,
  /** One attempt: connect, send, and the receiver's status line. */
  attemptTimeoutMs: 10 * SECOND,
  /** Retries wait about base × 2^(n−1), half of it random, up to the cap… */
  retryBaseMs: 30 * SECOND,
  retryCapMs: HOUR,
  /** …until this long after the event was made; then it is marked failed. */
  giveUpAfterMs: 3 * 24 * HOUR,
  /** Attempts kept per delivery (the latest ones), and how long finished deliveries are kept. */
  attemptsLogged: 10,
  logDays: 30,
  /** Characters of a failed attempt's answer kept in the log as its error. */
  answerChars: 200,
  /** Largest body POST and PATCH /v1/webhooks take. */
  apiBodyBytes: 16 * 1024,
  /** Attempts one process has in flight at once, and how often it looks at the outbox. */
  concurrency: 4,
  pollMs: 1000,
} as const;
