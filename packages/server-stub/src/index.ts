export { createApp, type AppOptions } from './app.js';
export { DEFAULT_RATE_LIMIT, type RateLimit } from './rate-limit.js';
export { openSqlite } from './sqlite/open.js';
export { seedDemo, DEMO_PROJECT, DEMO_SURVEYS } from './demo.js';
export { startServer, type ServerOptions, type RunningServer } from './server.js';
export type { Storage, ProjectsPort, IngestPort, SurveysPort, ResponsesPort, ActivityPort, RetentionPort } from './ports.js';
export type { Project, ProjectWrite, StoredItem, IngestResult } from './storage.js';
