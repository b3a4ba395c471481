import type { DeliveryState, DroppedReport, Item, Metric, SurveyDefinition, WebhookEventType, WebhookFilter, WebhookFormat } from '@cxkit/protocol';

export interface Project {
  id: string;
  name: string;
  writeKey: string;
  /** Origins of the pages allowed to use the write key; ['*'] for any. */
  allowedOrigins: string[];
  /** Origins of the pages, other than the dashboard's, allowed to use the read key; none by default. */
  readOrigins: string[];
}

/** An item that passed validation, with its timestamp corrected for the device's clock skew. */
export interface StoredItem {
  item: Item;
  /** The payload column: the item's JSON as sent, without the fields the columns hold (item-encoding.ts). */
  json: string;
  /** Corrected event time, ms since epoch. */
  at: number;
  receivedAt: number;
}

/** The validated items of one request, for one project. */
export interface ProjectWrite {
  projectId: string;
  items: StoredItem[];
  /** The request's drop report, stored once per (project, id) with the items. */
  dropped?: StoredDropReport;
  /** The project's active webhooks, when the items hold answers: their alerts commit with the items. */
  webhooks?: WebhookTarget[];
}

export interface StoredDropReport extends DroppedReport {
  /** When it arrived, ms since epoch: drops are counted on that day. */
  at: number;
}

export type DropReportRow = Omit<StoredDropReport, 'id'>;

/**
 * Storage as a whole cannot commit now (locked by another writer past its busy timeout, disk full,
 * I/O failing): committing the same writes one at a time would only fail again, as slowly.
 */
export class StorageUnavailableError extends Error {}

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

export interface ResponseRow {
  responseId: string;
  surveyId: string;
  metric: string;
  score: number;
  comment: string | null;
  final: boolean;
  anonymousId: string;
  userId: string | null;
  at: number;
}

/** A new project allows no page to read until set-read-origins names some. */
export interface NewProject extends Omit<Project, 'readOrigins'> {
  /** The secret read key in clear; only its hash is kept. */
  readKey: string;
}

export interface ProjectListing extends Project {
  createdAt: number;
}

export interface ProjectTimeZone {
  /** The zone the project reads its metrics in by default: UTC, or an IANA name. */
  timeZone: string;
  /** Whether DAU/MAU in it are kept ready; false while its calendar is built after a change. */
  ready: boolean;
}

/** Quarter hours 0–31, 32–63 and 64–95 of the day with activity, one bit each. */
/** A user's active UTC days around a day, from the UTC calendar (one row a user who has any). */
export interface UserWindow {
  /** The user (userId, else the anonymous id), as DAU/MAU count them after identify merges. */
  user: string;
  /** Active days in (asOf − window, asOf]. */
  days: number;
  /** Active days in (asOf − 2 × window, asOf − window]. */
  daysBefore: number;
  /** The latest active day in (asOf − lookback, asOf]. */
  lastDay: number;
}

export type SubjectDayVisitor = (day: number, subject: string, quarters0: number, quarters1: number, quarters2: number) => void;

export interface ScoreRow {
  surveyId: string;
  metric: Metric;
  score: number;
  at: number;
  /** With a GroupSource: the answer's value of it, null when it has none. */
  group?: string | null;
}

/**
 * What a breakdown groups answers by (docs/metrics.md#breakdowns): a trait kept with the answer, a
 * property of the event that triggered its prompt, its locale, or its survey.
 */
export type GroupSource = { kind: 'trait' | 'event'; key: string } | { kind: 'locale' | 'survey' };

/** The responses column a GroupSource reads: the value itself, or (with a key) the JSON that holds it. */
export const GROUP_COLUMNS = { trait: 'traits', event: 'trigger_properties', locale: 'locale', survey: 'survey_id' } as const;

/** Responses matching one of these (metric, score range, optionally only or never these surveys). */
export interface ScoreCondition {
  metric: Metric;
  min: number;
  max: number;
  surveys?: { only: boolean; ids: string[] };
}

export interface ResponseQuery {
  surveyId?: string;
  metric?: Metric;
  /** At least one must hold (a score bucket across metrics and scales). */
  anyOf?: ScoreCondition[];
  minScore?: number;
  maxScore?: number;
  fromAt?: number;
  toAt?: number;
  hasComment?: boolean;
  /** One response, by its id (the link in an alert). */
  responseId?: string;
  /** Text the comment contains (case-insensitive for ASCII letters). */
  text?: string;
  /** Only responses older than this one, in newest-first order (the page cursor). */
  before?: { at: number; responseId: string };
  limit: number;
}

export interface StoredSurvey {
  definition: SurveyDefinition;
  active: boolean;
  deleted: boolean;
}


/** What ingest needs of an active webhook: which responses may concern it (the rest of its filter is read when it is sent). */
export interface WebhookTarget {
  id: string;
  /** Absent: responses only. */
  events?: WebhookEventType[];
  surveys?: string[];
  metrics?: Metric[];
}

export interface StoredWebhook {
  id: string;
  url: string;
  /** Shown once, when the webhook is created; kept in clear, since every request is signed with it. */
  secret: string;
  format: WebhookFormat;
  filter: WebhookFilter;
  active: boolean;
  createdAt: number;
}

export type WebhookChange = Partial<Pick<StoredWebhook, 'url' | 'format' | 'filter' | 'active'>>;

/** An event waiting in the outbox: one per (webhook, response), its id the idempotency key. */
export interface OutboxRow {
  id: string;
  webhookId: string;
  responseId: string;
  /** When it may first be sent: at once for a final response, after the settle time for a score alone. */
  readyAt: number;
  createdAt: number;
}

/** An outbox row a worker leased for one attempt, with what it needs to send it. */
export interface ClaimedDelivery {
  projectId: string;
  id: string;
  responseId: string;
  createdAt: number;
  /** The attempt this claim is (1 for the first); only this claim may record its outcome. */
  attempt: number;
  /** The body fixed at the first attempt, so every retry sends the same; null before. */
  body: string | null;
  webhook: Pick<StoredWebhook, 'id' | 'url' | 'secret' | 'format' | 'filter'>;
  /** The response as stored now, read for the first attempt; undefined when it has none. */
  response?: ResponseRow;
}

export interface DeliveryAttempt {
  attempt: number;
  at: number;
  /** The receiver's HTTP status; null when none came (timeout, connection refused). */
  status: number | null;
  durationMs: number;
  error: string | null;
}

/** What an attempt (or the filter, for `skipped`) decided about a claimed delivery. */
export interface DeliveryOutcome {
  state: DeliveryState | 'skipped';
  /** The next attempt, when still pending. */
  readyAt: number;
  body?: string;
  attempt?: DeliveryAttempt;
}

/** A delivery as the log on the dashboard shows it, its latest attempts first. */
export interface DeliveryRow {
  id: string;
  responseId: string;
  state: DeliveryState;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number | null;
  log: DeliveryAttempt[];
}
