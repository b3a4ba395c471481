// Each entry upgrades a PostgreSQL database by one version, recorded in schema_migrations
// (migrate.ts). The tables are those of the SQLite schema (../schema.ts) in PostgreSQL's own
// types: every primary key leads with project_id (so a project's rows sit together, and a
// distribution by project, as Citus does it, needs no change), times are BIGINT milliseconds,
// quarter-hour words are BIGINT because they are unsigned 32-bit values, and identifiers use the
// "C" collation: byte order as SQLite compares them, so the response list pages alike on both
// engines, and cheaper to compare than a language's collation.
//
// Time partitions. items, survey_events and responses grow without bound and each keeps its time
// (`at`, and `received_at` on items), so each can become a declarative range partition by time:
//   CREATE TABLE items_new (LIKE items) PARTITION BY RANGE (received_at);
//   CREATE TABLE items_2027_01 PARTITION OF items_new FOR VALUES FROM (…) TO (…);  -- one a month
// then copy, swap the names, and drop old months as retention allows (DROP TABLE is instant where
// DELETE is not). The catch is dedupe: a unique key on a partitioned table must include the
// partition key, and (project_id, id) does not. Two ways keep dedupe exact:
//   - a narrow, unpartitioned item_ids (project_id, id) table takes the ON CONFLICT DO NOTHING and
//     the partitioned items table keeps the rest with no unique key: one more small index write a
//     item, and item_ids is pruned by age (ids are uuidv7, so their time is in them);
//   - partition by a time bucket derived from the uuidv7 id itself (its first 48 bits are ms), so
//     (project_id, id_bucket, id) is unique and includes the partition key: no extra table, but
//     the partition follows the device's clock at creation rather than the server's receipt, and
//     an id with a forged time lands in an old or future partition (bounded by a DEFAULT one).
// responses are upserted by (project_id, response_id), which has no time of its own: they stay one
// table (they are few beside items), or are partitioned with the same uuidv7-bucket trick.
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
];
