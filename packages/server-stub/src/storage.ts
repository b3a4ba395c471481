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
  /** Corrected event time, ms since epoch. */
  at: number;
  receivedAt: number;
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

/**
 * Everything the server keeps. SQLite implements it today; the schema is Postgres-compatible
 * so a Postgres adapter can implement the same interface.
 */
export interface NewProject extends Project {
  /** The secret read key in clear; only its hash is kept. */
  readKey: string;
}

export interface Storage {
  /** Creates the project, or leaves an existing one with that id as it is. */
  ensureProject(project: NewProject): void;
  projectByWriteKey(writeKey: string): Project | undefined;
  /** The project whose secret read key this is (compared by hash). */
  projectByReadKey(readKey: string): Project | undefined;
  saveSurvey(projectId: string, survey: SurveyDefinition, active: boolean): void;
  /** Commits all items or none; returns only after the commit is durable. */
  ingest(projectId: string, items: StoredItem[]): IngestResult;
  surveys(projectId: string): SurveyDefinition[];
  responses(projectId: string): ResponseRow[];
  close(): void;
}
