import type { DisplayHistory, Item, Metric, ProjectRules, SurveyDefinition } from '@cxkit/protocol';
import type { DayTotals } from './activity-math.js';

export interface Project {
  id: string;
  name: string;
  writeKey: string;
  /** Origins allowed to call the API from a browser; ['*'] for any. */
  allowedOrigins: string[];
}

/** An item that passed validation, with its timestamp corrected for the device's clock skew. */
export interface StoredItem {
  item: Item;
  /** The item's JSON as it was sent, kept as the payload. */
  json: string;
  /** Corrected event time, ms since epoch. */
  at: number;
  receivedAt: number;
}

/** The validated items of one request, for one project. */
export interface ProjectWrite {
  projectId: string;
  items: StoredItem[];
}

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

export interface NewProject extends Project {
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

/**
 * Everything the server keeps. SQLite implements it today; the schema is Postgres-compatible
 * so a Postgres adapter can implement the same interface (docs/server.md).
 */
export interface Storage {
  /** Creates the project and answers true, or leaves one with that id or write key as it is. */
  ensureProject(project: NewProject): boolean;
  projects(): ProjectListing[];
  /** Replaces the project's allowed origins; false when there is no such project. */
  setAllowedOrigins(projectId: string, origins: string[]): boolean;
  /** Replaces the project's read key (the old one stops working); false when there is no such project. */
  setReadKey(projectId: string, readKey: string): boolean;
  /** The project's targeting rules (cooldown between surveys, "remind me later" limit); undefined for no such project. */
  rules(projectId: string): ProjectRules | undefined;
  /** Replaces the project's rules; false when there is no such project. */
  setRules(projectId: string, rules: ProjectRules): boolean;
  /** Sets the project's time zone (a name parseZone gave); a new one starts a build of its calendar. False for no such project. */
  setTimeZone(projectId: string, timeZone: string): boolean;
  /**
   * Does one step of a pending build of a zone calendar (about `maxRows` rows); false when none is
   * pending. Throws StorageUnavailableError when no write can be committed now.
   */
  buildZoneRollup(maxRows: number): boolean;
  projectByWriteKey(writeKey: string): Project | undefined;
  /** The project whose secret read key this is (compared by hash). */
  projectByReadKey(readKey: string): Project | undefined;
  /**
   * Commits the writes of several requests in one transaction, all or none, and returns only
   * once it is durable: one result per write, in order. Throws when storage cannot commit:
   * StorageUnavailableError when no write could be committed now.
   */
  commit(writes: ProjectWrite[]): IngestResult[];
  surveys(projectId: string): SurveyDefinition[];
  close(): void;

  // Read side: metrics, responses and survey admin (metrics-api.ts, responses-api.ts, survey-admin.ts).
  /** DAU and MAU changes per UTC day, every day up to `toDay`, sorted by day. */
  activityTotals(projectId: string, toDay: number): DayTotals[];
  /** The project's time zone, undefined for no such project. */
  timeZone(projectId: string): ProjectTimeZone | undefined;
  /** As activityTotals, in days of the project's time zone; complete only when timeZone says ready. */
  zoneActivityTotals(projectId: string, toDay: number): DayTotals[];
  /** Each subject's (userId, else anonymousId) active quarter hours per UTC day, in day order. */
  forEachSubjectDay(projectId: string, fromDay: number, toDay: number, visit: SubjectDayVisitor): void;
  /** Anonymous id → the user it belongs to (its earliest identify). */
  identities(projectId: string): Map<string, string>;
  /** Responses first scored in [fromAt, toAt), optionally of one survey. */
  scores(projectId: string, fromAt: number, toAt: number, surveyId?: string): ScoreRow[];
  /** Times surveys were shown in [fromAt, toAt), optionally one survey. */
  shownTimes(projectId: string, fromAt: number, toAt: number, surveyId?: string): number[];
  /** Responses newest first, filtered and paged. */
  listResponses(projectId: string, query: ResponseQuery): ResponseRow[];
  /** What a user has seen and answered, on every device, anonymous ids they identified from included. */
  displayHistory(projectId: string, userId: string): DisplayHistory;
  /** Every survey of the project with its state, deleted ones included. */
  allSurveys(projectId: string): StoredSurvey[];
  /** Creates or replaces a survey; a deleted one comes back. */
  putSurvey(projectId: string, survey: SurveyDefinition, active: boolean): void;
  setSurveyActive(projectId: string, id: string, active: boolean): void;
  /** Keeps the definition so its responses still read right, but no longer lists or serves it. */
  deleteSurvey(projectId: string, id: string): void;
}

/** Quarter hours 0–31, 32–63 and 64–95 of the day with activity, one bit each. */
export type SubjectDayVisitor = (day: number, subject: string, quarters0: number, quarters1: number, quarters2: number) => void;

export interface ScoreRow {
  surveyId: string;
  metric: Metric;
  score: number;
  at: number;
}

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
