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
  // The read side: activity rollups for DAU/MAU, survey displays, indexes for reading responses,
  // and deleted surveys kept for their responses (docs/metrics.md, docs/server.md).
  `
  CREATE TABLE rollup_state (
    id INTEGER PRIMARY KEY,
    generation BIGINT NOT NULL
  );
  INSERT INTO rollup_state (id, generation) VALUES (1, 0);
  CREATE TABLE identities (
    project_id TEXT NOT NULL,
    anonymous_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    item_id TEXT NOT NULL,
    PRIMARY KEY (project_id, anonymous_id)
  );
  CREATE INDEX identities_user ON identities (project_id, user_id);
  CREATE TABLE activity_subject_days (
    project_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    subject TEXT NOT NULL,
    quarters_0 BIGINT NOT NULL,
    quarters_1 BIGINT NOT NULL,
    quarters_2 BIGINT NOT NULL,
    PRIMARY KEY (project_id, day, subject)
  );
  CREATE INDEX activity_subject_days_subject ON activity_subject_days (project_id, subject, day);
  CREATE TABLE activity_user_days (
    project_id TEXT NOT NULL,
    user_key TEXT NOT NULL,
    day INTEGER NOT NULL,
    PRIMARY KEY (project_id, user_key, day)
  );
  CREATE TABLE activity_day_totals (
    project_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    dau INTEGER NOT NULL,
    mau_delta INTEGER NOT NULL,
    PRIMARY KEY (project_id, day)
  );
  CREATE TABLE survey_events (
    project_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    survey_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    anonymous_id TEXT NOT NULL,
    user_id TEXT,
    PRIMARY KEY (project_id, item_id)
  );
  CREATE INDEX survey_events_at ON survey_events (project_id, at);
  CREATE INDEX survey_events_user ON survey_events (project_id, user_id);
  CREATE INDEX survey_events_anonymous ON survey_events (project_id, anonymous_id);
  CREATE INDEX responses_at ON responses (project_id, at, response_id);
  CREATE INDEX responses_user ON responses (project_id, user_id);
  CREATE INDEX responses_anonymous ON responses (project_id, anonymous_id);
  ALTER TABLE surveys ADD COLUMN deleted_at BIGINT;
  `,
  // Project rules for targeting, the same for all of a project's surveys (docs/surveys.md#rules).
  `
  ALTER TABLE projects ADD COLUMN cooldown_days INTEGER NOT NULL DEFAULT 14;
  ALTER TABLE projects ADD COLUMN max_remind_later INTEGER NOT NULL DEFAULT 2;
  `,
  // The project's own time zone, and a second calendar of DAU/MAU kept in it as the UTC one is,
  // with the state of its build after a change (docs/metrics.md#the-projects-time-zone).
  `
  ALTER TABLE projects ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
  CREATE TABLE activity_zone_user_days (
    project_id TEXT NOT NULL,
    user_key TEXT NOT NULL,
    day INTEGER NOT NULL,
    PRIMARY KEY (project_id, user_key, day)
  );
  CREATE TABLE activity_zone_day_totals (
    project_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    dau INTEGER NOT NULL,
    mau_delta INTEGER NOT NULL,
    PRIMARY KEY (project_id, day)
  );
  CREATE TABLE zone_rollup_builds (
    project_id TEXT PRIMARY KEY,
    phase TEXT NOT NULL,
    after_day INTEGER,
    after_subject TEXT
  );
  `,
  // What devices reported dropping unsent, each report once (docs/protocol.md#drop-reports).
  `
  CREATE TABLE drop_reports (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    at BIGINT NOT NULL,
    counts TEXT NOT NULL,
    PRIMARY KEY (project_id, id)
  );
  CREATE INDEX drop_reports_at ON drop_reports (project_id, at);
  `,
  // Raw events kept for a number of days per project (null: for ever), and the index the deletion
  // of expired ones walks: raw types only, by time of receipt (docs/server.md#retention). The type
  // test is written as equalities: SQLite evaluates a partial index's condition on every insert,
  // and an IN list of four builds a lookup table each time (about a quarter of an item's insert).
  `
  ALTER TABLE projects ADD COLUMN raw_event_retention_days INTEGER;
  CREATE INDEX items_raw_received ON items (project_id, received_at)
    WHERE type = 'track' OR type = 'session_start' OR type = 'active' OR type = 'identify';
  `,
  // Origins allowed to use the read key from a browser, space-separated; none by default (docs/server.md#cors).
  `
  ALTER TABLE projects ADD COLUMN read_origins TEXT NOT NULL DEFAULT '';
  `,
  // Responses counted by survey, for surveys that stop after a number of them (docs/surveys.md#schedule-and-caps).
  `
  CREATE INDEX responses_survey ON responses (project_id, survey_id);
  `,
  // Accounts (the companies users belong to), their traits as JSON, and each user's account by
  // their latest group(), and the weights of the project's health index (docs/accounts.md).
  `
  CREATE TABLE accounts (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    traits TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, id)
  );
  CREATE TABLE account_users (
    project_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    account_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (project_id, subject)
  );
  CREATE INDEX account_users_account ON account_users (project_id, account_id);
  ALTER TABLE projects ADD COLUMN health_weights TEXT;
  `,
  // Alerts: webhooks, the outbox their events wait in (written in the commit of the answer), and the
  // latest attempts of each delivery (docs/alerts.md).
  `
  CREATE TABLE webhooks (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    format TEXT NOT NULL,
    filter TEXT NOT NULL,
    active INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, id)
  );
  CREATE TABLE webhook_outbox (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    webhook_id TEXT NOT NULL,
    response_id TEXT NOT NULL,
    state TEXT NOT NULL,
    ready_at BIGINT NOT NULL,
    lease_until BIGINT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT,
    attempts INTEGER NOT NULL DEFAULT 0,
    body TEXT,
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, webhook_id, response_id)
  );
  CREATE INDEX webhook_outbox_due ON webhook_outbox (ready_at) WHERE state = 'pending';
  CREATE INDEX webhook_outbox_log ON webhook_outbox (project_id, webhook_id, created_at);
  CREATE TABLE webhook_attempts (
    project_id TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    at BIGINT NOT NULL,
    status INTEGER,
    duration_ms INTEGER NOT NULL,
    error TEXT,
    PRIMARY KEY (project_id, delivery_id, attempt)
  );
  `,
  // What an answer is grouped by in breakdowns, as its first item carried it (docs/metrics.md#breakdowns):
  // the traits and the trigger's properties kept (answer-context.ts), as SQLite's binary JSON,
  // which json_extract reads without parsing text (a third of a breakdown's time per row), and the locale.
  `
  ALTER TABLE responses ADD COLUMN traits BLOB;
  ALTER TABLE responses ADD COLUMN trigger_properties BLOB;
  ALTER TABLE responses ADD COLUMN locale TEXT;
  `,
];
