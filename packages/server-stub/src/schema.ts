// Each entry upgrades the database by one version (PRAGMA user_version). Plain SQL that also
// runs on Postgres: composite primary keys lead with project_id, times are BIGINT milliseconds.
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    write_key TEXT NOT NULL UNIQUE,
    read_key_hash TEXT NOT NULL,
    allowed_origins TEXT NOT NULL DEFAULT '*',
    created_at BIGINT NOT NULL
  );
  CREATE UNIQUE INDEX projects_read_key ON projects (read_key_hash);
  CREATE TABLE items (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    anonymous_id TEXT NOT NULL,
    user_id TEXT,
    session_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (project_id, id)
  );
  CREATE TABLE responses (
    project_id TEXT NOT NULL,
    response_id TEXT NOT NULL,
    survey_id TEXT NOT NULL,
    metric TEXT NOT NULL,
    score INTEGER NOT NULL,
    comment TEXT,
    final INTEGER NOT NULL,
    anonymous_id TEXT NOT NULL,
    user_id TEXT,
    at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, response_id)
  );
  CREATE TABLE surveys (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    definition TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, id)
  );
  `,
];
