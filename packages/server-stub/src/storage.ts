import type { Item, SurveyDefinition } from '@cxkit/sdk/protocol';

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
  projectByWriteKey(writeKey: string): Project | undefined;
  /** The project whose secret read key this is (compared by hash). */
  projectByReadKey(readKey: string): Project | undefined;
  saveSurvey(projectId: string, survey: SurveyDefinition, active: boolean): void;
  /**
   * Commits the writes of several requests in one transaction, all or none, and returns only
   * once it is durable: one result per write, in order. Throws when storage cannot commit.
   */
  commit(writes: ProjectWrite[]): IngestResult[];
  surveys(projectId: string): SurveyDefinition[];
  responses(projectId: string): ResponseRow[];
  close(): void;
}
