import type { DisplayHistory, HealthWeights, ProjectRules, SurveyDefinition } from '@cxkit/protocol';
import type { AccountAnswer, AccountChange, AccountQuery, StoredAccount } from './accounts/changes.js';
import type { DayTotals } from './activity-math.js';
import type { SharedBuckets } from './rate-limit.js';
import type { ScaleOf } from './survey-scales.js';
import type {
  DropReportRow,
  GroupSource,
  IngestResult,
  NewProject,
  Project,
  ProjectListing,
  ProjectTimeZone,
  ProjectWrite,
  ResponseQuery,
  ResponseRow,
  ScoreRow,
  StoredSurvey,
  ClaimedDelivery,
  DeliveryOutcome,
  DeliveryRow,
  OutboxRow,
  StoredWebhook,
  WebhookChange,
  WebhookTarget,
  SubjectDayVisitor,
  UserWindow,
} from './storage.js';

// The narrow ports the server reads and writes through, one per concern. Every engine (SQLite,
// PostgreSQL) implements all of them and passes the same suite (test/backends.ts). They are
// asynchronous because a networked database is; SQLite answers them without waiting.

/** Projects, their keys, origins and targeting rules. */
export interface ProjectsPort {
  /** Creates the project and answers true, or leaves one with that id or write key as it is. */
  ensure(project: NewProject): Promise<boolean>;
  list(): Promise<ProjectListing[]>;
  /** Replaces the project's allowed origins; false when there is no such project. */
  setAllowedOrigins(projectId: string, origins: string[]): Promise<boolean>;
  /** Replaces the origins allowed to use the project's read key; false when there is no such project. */
  setReadOrigins(projectId: string, origins: string[]): Promise<boolean>;
  /** Every origin some project allows to use its read key: what a preflight, which carries no key, is answered by. */
  readOriginsInUse(): Promise<string[]>;
  /** Replaces the project's read key (the old one stops working); false when there is no such project. */
  setReadKey(projectId: string, readKey: string): Promise<boolean>;
  /** The project's targeting rules; undefined for no such project. */
  rules(projectId: string): Promise<ProjectRules | undefined>;
  /** Replaces the project's rules; false when there is no such project. */
  setRules(projectId: string, rules: ProjectRules): Promise<boolean>;
  byWriteKey(writeKey: string): Promise<Project | undefined>;
  /** The project whose secret read key this is (compared by hash). */
  byReadKey(readKey: string): Promise<Project | undefined>;
}

/** Ingest: validated items in, committed durably, deduplicated by (project, id). */
export interface IngestPort {
  /**
   * Commits the writes of several requests in one transaction, all or none, and settles only
   * once it is durable: one result per write, in order. Everything derived from the new items
   * (responses, survey displays, the activity rollup) commits with them. Rejects with
   * StorageUnavailableError when no write could be committed now.
   */
  commit(writes: ProjectWrite[]): Promise<IngestResult[]>;
}

/** Survey definitions: what the sdk is served and what the team edits. */
export interface SurveysPort {
  /** The project's active surveys, as the sdk is served them. */
  active(projectId: string): Promise<SurveyDefinition[]>;
  /** Every survey of the project with its state, deleted ones included. */
  all(projectId: string): Promise<StoredSurvey[]>;
  /**
   * The scale of each of the project's surveys (scalesOf over all of them), which ingest checks every
   * answer against. Kept in memory until one of the project's surveys changes, so a batch with
   * answers does not read the surveys again.
   */
  scales(projectId: string): Promise<ScaleOf>;
  /** Creates or replaces a survey; a deleted one comes back. */
  put(projectId: string, survey: SurveyDefinition, active: boolean): Promise<void>;
  setActive(projectId: string, id: string, active: boolean): Promise<void>;
  /** Keeps the definition so its responses still read right, but no longer lists or serves it. */
  delete(projectId: string, id: string): Promise<void>;
}

/** Responses and survey displays, as metrics, the responses list and targeting read them. */
export interface ResponsesPort {
  /** Responses first scored in [fromAt, toAt), optionally of one survey; with `groupBy`, each with its `group`. */
  scores(projectId: string, fromAt: number, toAt: number, surveyId?: string, groupBy?: GroupSource): Promise<ScoreRow[]>;
  /** Times surveys were shown in [fromAt, toAt), optionally one survey. */
  shownTimes(projectId: string, fromAt: number, toAt: number, surveyId?: string): Promise<number[]>;
  /** Responses newest first, filtered and paged. */
  list(projectId: string, query: ResponseQuery): Promise<ResponseRow[]>;
  /** What a user has seen and answered, on every device, anonymous ids they identified from included. */
  displayHistory(projectId: string, userId: string): Promise<DisplayHistory>;
  /** Responses stored so far to each of these surveys (0 for one with none). */
  counts(projectId: string, surveyIds: readonly string[]): Promise<Map<string, number>>;
}

/** The activity rollup DAU/MAU are read from, and the project's time zone it is kept in. */
export interface ActivityPort {
  /** DAU and MAU changes per UTC day, every day up to `toDay`, sorted by day. */
  totals(projectId: string, toDay: number): Promise<DayTotals[]>;
  /** As totals, in days of the project's time zone; complete only when timeZone says ready. */
  zoneTotals(projectId: string, toDay: number): Promise<DayTotals[]>;
  /** The project's time zone, undefined for no such project. */
  timeZone(projectId: string): Promise<ProjectTimeZone | undefined>;
  /** Sets the project's time zone (a name parseZone gave); a new one starts a build of its calendar. False for no such project. */
  setTimeZone(projectId: string, timeZone: string): Promise<boolean>;
  /**
   * Does one step of a pending build of a zone calendar (about `maxRows` rows); false when none is
   * pending. Rejects with StorageUnavailableError when no write can be committed now.
   */
  buildZoneStep(maxRows: number): Promise<boolean>;
  /** Visits each subject's (userId, else anonymousId) active quarter hours per UTC day, in day order. */
  forEachSubjectDay(projectId: string, fromDay: number, toDay: number, visit: SubjectDayVisitor): Promise<void>;
  /** Anonymous id → the user it belongs to (its earliest identify). */
  identities(projectId: string): Promise<Map<string, string>>;
  /**
   * Each user's active days in the window up to `asOf` and the one before it, and their last day
   * within `lookback` days, counted by the engine from the UTC calendar; with `users`, only theirs.
   */
  userWindows(projectId: string, asOf: number, window: number, lookback: number, users?: readonly string[]): Promise<UserWindow[]>;
}

/**
 * Accounts (the companies users belong to) and their traits, set by the sdk's group() and by the
 * team's backend (docs/accounts.md). Ingest records group items in its own transaction.
 */
export interface AccountsPort {
  /** Applies trait changes (changes.ts says how), creating accounts not known yet, in one transaction. */
  put(projectId: string, changes: readonly AccountChange[]): Promise<void>;
  get(projectId: string, accountId: string): Promise<StoredAccount | undefined>;
  /** Accounts in id order after `after`, at most `limit`. */
  list(projectId: string, query: AccountQuery): Promise<StoredAccount[]>;
  /** Each user (user id, else anonymous id) → the account of their latest group(). */
  members(projectId: string): Promise<Map<string, string>>;
  /** The project's health index weights; undefined for no such project, the defaults until set. */
  weights(projectId: string): Promise<HealthWeights | undefined>;
  /** False for no such project. */
  setWeights(projectId: string, weights: HealthWeights): Promise<boolean>;
  /** Responses first scored in [fromAt, toAt), with whose they are, oldest first. */
  answers(projectId: string, fromAt: number, toAt: number): Promise<AccountAnswer[]>;
}

/** What devices reported dropping unsent (docs/protocol.md#drop-reports). */
export interface ReportsPort {
  /** Drop reports that arrived in [fromAt, toAt), each once. */
  dropped(projectId: string, fromAt: number, toAt: number): Promise<DropReportRow[]>;
}
/**
 * Rate-limit buckets every server process on the database shares, so a project's limit holds
 * however many processes its requests reach. Only an engine several processes share has them.
 */
export type RateLimitsPort = SharedBuckets;

/** How long each project keeps its raw events, and their deletion once expired (retention.ts). */
export interface RetentionPort {
  /** Days the project keeps raw events (track, session_start, active, identify); null for ever; undefined for no such project. */
  rawEventDays(projectId: string): Promise<number | null | undefined>;
  /** Sets the project's retention (null: for ever); false for no such project. */
  setRawEventDays(projectId: string, days: number | null): Promise<boolean>;
  /**
   * Deletes up to `maxRows` raw items received longer ago than their project keeps them, in one
   * transaction; answers true when it deleted that many (more may be left). Rejects with
   * StorageUnavailableError when no write can be committed now.
   */
  deleteExpired(now: number, maxRows: number): Promise<boolean>;
}

/** Webhooks, and the outbox their alerts wait in until delivered (docs/alerts.md). */
export interface WebhooksPort {
  list(projectId: string): Promise<StoredWebhook[]>;
  create(projectId: string, webhook: StoredWebhook): Promise<void>;
  /** False when the project has no such webhook. */
  update(projectId: string, id: string, change: WebhookChange): Promise<boolean>;
  /** Deletes the webhook with its outbox and log; false when there is no such webhook. */
  delete(projectId: string, id: string): Promise<boolean>;
  /**
   * The project's active webhooks as ingest matches answers to them. Kept in memory until one of the
   * project's webhooks changes (in any process), so a batch costs no read.
   */
  targets(projectId: string): Promise<WebhookTarget[]>;
  /**
   * Queues an event whose body is fixed already (a test event, an account entering poor health);
   * nothing when the webhook has an event of this `responseId` key already, from any process.
   */
  enqueue(projectId: string, row: OutboxRow, body: string): Promise<void>;
  /** The webhook's latest deliveries, newest first, without those its filter skipped. */
  deliveries(projectId: string, webhookId: string, limit: number): Promise<DeliveryRow[]>;
  /**
   * Leases up to `max` due deliveries of active webhooks until `now + leaseMs`: no other claim (of
   * any process) takes them meanwhile. Each claim counts as an attempt.
   */
  claim(now: number, max: number, leaseMs: number): Promise<ClaimedDelivery[]>;
  /** Records the claim's outcome and ends its lease; ignored once another claim took the row. */
  finish(delivery: ClaimedDelivery, outcome: DeliveryOutcome, keepAttempts: number): Promise<void>;
  /** Deletes deliveries finished before `before`, and any left of deleted webhooks. */
  prune(before: number): Promise<void>;
}

/** Everything the server keeps, as its ports. */
export interface Storage {
  projects: ProjectsPort;
  ingest: IngestPort;
  surveys: SurveysPort;
  responses: ResponsesPort;
  activity: ActivityPort;
  reports: ReportsPort;
  accounts: AccountsPort;
  rateLimits?: RateLimitsPort;
  retention: RetentionPort;
  webhooks: WebhooksPort;
  close(): Promise<void>;
}
