// Each entry upgrades a PostgreSQL database by one version, recorded in schema_migrations
// (migrate.ts). The tables are those of the SQLite schema (../schema.ts) in PostgreSQL's own
// types: every primary key leads with project_id (so a project's rows sit together, and a
// distribution by project, as Citus does it, needs no change), times are BIGINT milliseconds,
// quarter-hour words are BIGINT because they are unsigned 32-bit values, and identifiers use the
// "C" collation: byte order as SQLite compares them, so the response list pages alike on both
// engines, and cheaper to compare than a language's collation.
//
// items, survey_events and responses keep their times (`at`, and `received_at` on items) so they can
// become range partitions by time; the dedupe key (project_id, id) does not include a time, and a
// unique key on a partitioned table must: docs/server.md#postgresql-several-processes-on-one-database
// gives the two ways out (a narrow item_ids table, or a time bucket taken from the uuidv7 id).
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE projects (
    id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    write_key TEXT COLLATE "C" NOT NULL UNIQUE,
    read_key_hash TEXT COLLATE "C" NOT NULL UNIQUE,
    allowed_origins TEXT[] NOT NULL DEFAULT '{*}',
    created_at BIGINT NOT NULL,
    cooldown_days INTEGER NOT NULL DEFAULT 14,
    max_remind_later INTEGER NOT NULL DEFAULT 2,
    time_zone TEXT NOT NULL DEFAULT 'UTC'
  );
  CREATE TABLE items (
    project_id TEXT COLLATE "C" NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    type TEXT NOT NULL,
    at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    anonymous_id TEXT COLLATE "C" NOT NULL,
    user_id TEXT COLLATE "C",
    session_id TEXT COLLATE "C" NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (project_id, id)
  );
  CREATE TABLE responses (
    project_id TEXT COLLATE "C" NOT NULL,
    response_id TEXT COLLATE "C" NOT NULL,
    survey_id TEXT COLLATE "C" NOT NULL,
    metric TEXT NOT NULL,
    score INTEGER NOT NULL,
    comment TEXT,
    final BOOLEAN NOT NULL,
    anonymous_id TEXT COLLATE "C" NOT NULL,
    user_id TEXT COLLATE "C",
    at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, response_id)
  );
  CREATE INDEX responses_at ON responses (project_id, at, response_id);
  CREATE INDEX responses_user ON responses (project_id, user_id);
  CREATE INDEX responses_anonymous ON responses (project_id, anonymous_id);
  CREATE TABLE surveys (
    project_id TEXT COLLATE "C" NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    definition TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT true,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT,
    PRIMARY KEY (project_id, id)
  );
  CREATE TABLE survey_events (
    project_id TEXT COLLATE "C" NOT NULL,
    item_id TEXT COLLATE "C" NOT NULL,
    survey_id TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    anonymous_id TEXT COLLATE "C" NOT NULL,
    user_id TEXT COLLATE "C",
    PRIMARY KEY (project_id, item_id)
  );
  CREATE INDEX survey_events_at ON survey_events (project_id, at);
  CREATE INDEX survey_events_user ON survey_events (project_id, user_id);
  CREATE INDEX survey_events_anonymous ON survey_events (project_id, anonymous_id);
  CREATE TABLE identities (
    project_id TEXT COLLATE "C" NOT NULL,
    anonymous_id TEXT COLLATE "C" NOT NULL,
    user_id TEXT COLLATE "C" NOT NULL,
    at BIGINT NOT NULL,
    item_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (project_id, anonymous_id)
  );
  CREATE INDEX identities_user ON identities (project_id, user_id);
  CREATE TABLE activity_subject_days (
    project_id TEXT COLLATE "C" NOT NULL,
    day INTEGER NOT NULL,
    subject TEXT COLLATE "C" NOT NULL,
    quarters_0 BIGINT NOT NULL,
    quarters_1 BIGINT NOT NULL,
    quarters_2 BIGINT NOT NULL,
    PRIMARY KEY (project_id, day, subject)
  );
  CREATE INDEX activity_subject_days_subject ON activity_subject_days (project_id, subject, day);
  CREATE TABLE activity_user_days (
    project_id TEXT COLLATE "C" NOT NULL,
    user_key TEXT COLLATE "C" NOT NULL,
    day INTEGER NOT NULL,
    PRIMARY KEY (project_id, user_key, day)
  );
  CREATE TABLE activity_day_totals (
    project_id TEXT COLLATE "C" NOT NULL,
    day INTEGER NOT NULL,
    dau INTEGER NOT NULL,
    mau_delta INTEGER NOT NULL,
    PRIMARY KEY (project_id, day)
  );
  CREATE TABLE activity_zone_user_days (
    project_id TEXT COLLATE "C" NOT NULL,
    user_key TEXT COLLATE "C" NOT NULL,
    day INTEGER NOT NULL,
    PRIMARY KEY (project_id, user_key, day)
  );
  CREATE TABLE activity_zone_day_totals (
    project_id TEXT COLLATE "C" NOT NULL,
    day INTEGER NOT NULL,
    dau INTEGER NOT NULL,
    mau_delta INTEGER NOT NULL,
    PRIMARY KEY (project_id, day)
  );
  CREATE TABLE zone_rollup_builds (
    project_id TEXT COLLATE "C" PRIMARY KEY,
    phase TEXT NOT NULL,
    after_day INTEGER,
    after_subject TEXT COLLATE "C"
  );
  `,
  // Rate-limit buckets shared by every server process (rate-limit.ts), one row a project.
  `
  CREATE TABLE rate_limit_buckets (
    project_id TEXT COLLATE "C" PRIMARY KEY,
    tokens DOUBLE PRECISION,
    at BIGINT
  );
  `,
  // What devices reported dropping unsent, each report once (docs/protocol.md#drop-reports).
  `
  CREATE TABLE drop_reports (
    project_id TEXT COLLATE "C" NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    at BIGINT NOT NULL,
    counts TEXT NOT NULL,
    PRIMARY KEY (project_id, id)
  );
  CREATE INDEX drop_reports_at ON drop_reports (project_id, at);
  `,
  // Raw events kept for a number of days per project (null: for ever), and the index the deletion
  // of expired ones walks: raw types only, by time of receipt (docs/server.md#retention).
  `
  ALTER TABLE projects ADD COLUMN raw_event_retention_days INTEGER;
  CREATE INDEX items_raw_received ON items (project_id, received_at) WHERE type IN ('track', 'session_start', 'active', 'identify');
  `,
  // Origins allowed to use the read key from a browser; none by default (docs/server.md#cors).
  `
  ALTER TABLE projects ADD COLUMN read_origins TEXT[] NOT NULL DEFAULT '{}';
  `,
  // Responses counted by survey, for surveys that stop after a number of them (docs/surveys.md#schedule-and-caps).
  `
  CREATE INDEX responses_survey ON responses (project_id, survey_id);
  `,
  // Accounts (the companies users belong to), their traits, and each user's account by their latest
  // group(), and the weights of the project's health index (docs/accounts.md).
  `
  CREATE TABLE accounts (
    project_id TEXT COLLATE "C" NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    traits JSONB NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, id)
  );
  CREATE TABLE account_users (
    project_id TEXT COLLATE "C" NOT NULL,
    subject TEXT COLLATE "C" NOT NULL,
    account_id TEXT COLLATE "C" NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (project_id, subject)
  );
  CREATE INDEX account_users_account ON account_users (project_id, account_id);
  ALTER TABLE projects ADD COLUMN health_weights JSONB;
  `,
  // Alerts: webhooks, the outbox their events wait in (written in the commit of the answer), and the
  // latest attempts of each delivery (docs/alerts.md).
  `
  CREATE TABLE webhooks (
    project_id TEXT COLLATE "C" NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    format TEXT NOT NULL,
    filter TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, id)
  );
  CREATE TABLE webhook_outbox (
    project_id TEXT COLLATE "C" NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    webhook_id TEXT COLLATE "C" NOT NULL,
    response_id TEXT COLLATE "C" NOT NULL,
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
    project_id TEXT COLLATE "C" NOT NULL,
    delivery_id TEXT COLLATE "C" NOT NULL,
    attempt INTEGER NOT NULL,
    at BIGINT NOT NULL,
    status INTEGER,
    duration_ms INTEGER NOT NULL,
    error TEXT,
    PRIMARY KEY (project_id, delivery_id, attempt)
  );
  `,
  // What an answer is grouped by in breakdowns, as its first item carried it (docs/metrics.md#breakdowns):
  // the traits and the trigger's properties kept (answer-context.ts), and the locale.
  `
  ALTER TABLE responses ADD COLUMN traits JSONB, ADD COLUMN trigger_properties JSONB, ADD COLUMN locale TEXT;
  `,
];
