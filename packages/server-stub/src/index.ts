import type { Storage } from './ports.js';
import { openSqlite as openSqliteFile } from './sqlite/open.js';

export { createApp, type AppOptions } from './app.js';
export { DEFAULT_RATE_LIMIT, type RateLimit } from './rate-limit.js';
export { seedDemo, DEMO_PROJECT, DEMO_SURVEYS } from './demo.js';
export { startServer, type ServerOptions, type RunningServer } from './server.js';
export type { Storage, ProjectsPort, IngestPort, SurveysPort, ResponsesPort, ActivityPort, RetentionPort } from './ports.js';
export type { Project, ProjectWrite, StoredItem, IngestResult } from './storage.js';

/**
 * The embedded engine on one SQLite file (created when missing). Typed as the storage ports only:
 * the public types name no engine's, so TypeScript users need no better-sqlite3 types.
 */
export const openSqlite: (file: string) => Storage = openSqliteFile;
