export { createApp, type AppOptions } from './app.js';
export { ingestBatch } from './ingest.js';
export { openSqlite } from './sqlite.js';
export { seedDemo, DEMO_PROJECT, DEMO_SURVEYS } from './demo.js';
export { startServer, type ServerOptions, type RunningServer } from './server.js';
export type { Storage, Project } from './storage.js';
