// Alerts: what a webhook is told, how it is chosen, and the bounds of its delivery (docs/alerts.md).
import type { HealthCategory, HealthComponent } from './health.js';
import type { ListedResponse } from './responses.js';
import type { Metric, ScoreBucket } from './scales.js';

export const WEBHOOK_FORMATS = ['json', 'slack'] as const;
/** json: the event below, signed; slack: a Slack incoming-webhook message (also signed). */
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/**
 * What a webhook may be told of: a response that is complete, and an account whose health index fell
 * into poor health since the day before (docs/alerts.md#accounts-entering-poor-health).
 */
export const WEBHOOK_EVENTS = ['response.completed', 'account.poor_health'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** What a webhook whose filter names no events is told of: responses, as before events existed. */
export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEventType[] = ['response.completed'];

/** The events a webhook's filter takes. */
export const webhookEventsOf = (filter: Pick<WebhookFilter, 'events'>): readonly WebhookEventType[] => filter.events ?? DEFAULT_WEBHOOK_EVENTS;

/**
 * Which events a webhook is told of: `events` (responses only when left out), and of responses those
 * every other field given holds for, an absent one holding for all.
 */
export interface WebhookFilter {
  events?: WebhookEventType[];
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

/** The body of a json webhook's request when an account enters poor health. */
export interface AccountHealthEvent {
  type: 'account.poor_health';
  id: string;
  createdAt: string;
  projectId: string;
  webhookId: string;
  account: {
    id: string;
    /** Its `name` trait, when it has one. */
    name: string | null;
    /** Its health index now (1–100) and the component that pulls it down most. */
    index: number;
    weakest: HealthComponent | null;
    /** The index and category at the end of the day before. */
    indexBefore: number | null;
    categoryBefore: HealthCategory | null;
    /** Its `mrr` trait, when a number: the revenue at risk. */
    mrr: number | null;
    dashboardUrl: string;
  };
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
  /** How often a project with a webhook for account.poor_health has its accounts' health read. */
  healthCheckMs: 15 * MINUTE,
} as const;
