import type pg from 'pg';
import { DEFAULT_HEALTH_WEIGHTS, type AccountTraits, type HealthWeights } from '@cxkit/protocol';
import { composeChanges, latestMemberships, type AccountAnswer, type AccountChange, type Membership, type StoredAccount } from '../accounts/changes.js';
import type { AccountsPort } from '../ports.js';
import { bigintArray, textArray } from './binary-arrays.js';
import { inTransaction } from './transaction.js';

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type AccountRow = { id: string; traits: AccountTraits; created_at: number; updated_at: number; users: number };
const COLUMNS = `a.id, a.traits, a.created_at, a.updated_at,
  (SELECT COUNT(*)::int FROM account_users u WHERE u.project_id = a.project_id AND u.account_id = a.id) AS users`;
const toAccount = (row: AccountRow): StoredAccount => ({ id: row.id, traits: row.traits, createdAt: row.created_at, updatedAt: row.updated_at, users: row.users });

/** Each project's values reduced on their own (a user id or account id means something only within its project). */
function perProject<T extends object>(entries: readonly { projectId: string; value: T }[], reduce: (values: T[]) => T[]): (T & { projectId: string })[] {
  const byProject = new Map<string, T[]>();
  for (const { projectId, value } of entries) {
    let list = byProject.get(projectId);
    if (!list) byProject.set(projectId, (list = []));
    list.push(value);
  }
  return [...byProject].flatMap(([projectId, values]) => reduce(values).map((value) => ({ ...value, projectId })));
}

/**
 * Applies trait changes as accounts/changes.ts says: composed per account first (one statement may
 * not change a row twice), then, in key order as every write here, merged with jsonb: `||` sets, and
 * jsonb_strip_nulls removes the traits a null named (traits are flat, so it strips nothing else).
 * Runs inside the caller's transaction.
 */
export async function putAccounts(client: pg.ClientBase, changes: readonly { projectId: string; change: AccountChange }[]): Promise<void> {
  const rows = perProject(changes.map(({ projectId, change }) => ({ projectId, value: change })), composeChanges).sort(
    (a, b) => byKey(a.projectId, b.projectId) || byKey(a.accountId, b.accountId),
  );
  if (rows.length === 0) return;
  const values = [
    textArray(rows.map((r) => r.projectId)),
    textArray(rows.map((r) => r.accountId)),
    textArray(rows.map((r) => JSON.stringify(r.traits))),
    bigintArray(rows.map((r) => r.at)),
  ];
  // The patch goes in as sent, nulls and all, so the update can read them as removals; an older
  // patch's nulls are overlaid by the stored traits where those have the trait.
  await client.query({
    name: 'cxkit_put_accounts',
    text: `INSERT INTO accounts (project_id, id, traits, created_at, updated_at)
           SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::text[])::jsonb, unnest($4::bigint[]), unnest($4::bigint[])
           ON CONFLICT (project_id, id) DO UPDATE SET
             traits = jsonb_strip_nulls(CASE WHEN excluded.updated_at >= accounts.updated_at THEN accounts.traits || excluded.traits
                                             ELSE excluded.traits || accounts.traits END),
             created_at = LEAST(accounts.created_at, excluded.created_at),
             updated_at = GREATEST(accounts.updated_at, excluded.updated_at)`,
    values,
  });
  // A new account was inserted with the patch as it was: its nulls, which removed nothing, go.
  if (rows.some((r) => Object.values(r.traits).includes(null))) {
    await client.query({
      name: 'cxkit_strip_account_nulls',
      text: `UPDATE accounts a SET traits = jsonb_strip_nulls(a.traits)
             FROM unnest($1::text[], $2::text[]) AS c (p, i) WHERE a.project_id = c.p AND a.id = c.i AND a.traits <> jsonb_strip_nulls(a.traits)`,
      values: values.slice(0, 2),
    });
  }
}

/** Each user's latest account, in key order; an older group() than the stored one changes nothing. */
export async function putMemberships(client: pg.ClientBase, memberships: readonly { projectId: string; membership: Membership }[]): Promise<void> {
  const rows = perProject(memberships.map(({ projectId, membership }) => ({ projectId, value: membership })), latestMemberships).sort(
    (a, b) => byKey(a.projectId, b.projectId) || byKey(a.subject, b.subject),
  );
  if (rows.length === 0) return;
  await client.query({
    name: 'cxkit_put_memberships',
    text: `INSERT INTO account_users (project_id, subject, account_id, at)
           SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), unnest($4::bigint[])
           ON CONFLICT (project_id, subject) DO UPDATE SET account_id = excluded.account_id, at = excluded.at
           WHERE excluded.at >= account_users.at`,
    values: [textArray(rows.map((r) => r.projectId)), textArray(rows.map((r) => r.subject)), textArray(rows.map((r) => r.accountId)), bigintArray(rows.map((r) => r.at))],
  });
}

export function postgresAccounts(pool: pg.Pool): AccountsPort {
  return {
    put: (projectId, changes) => inTransaction(pool, (client) => putAccounts(client, changes.map((change) => ({ projectId, change })))),
    async get(projectId, accountId) {
      const { rows } = await pool.query<AccountRow>(`SELECT ${COLUMNS} FROM accounts a WHERE a.project_id = $1 AND a.id = $2`, [projectId, accountId]);
      return rows[0] && toAccount(rows[0]);
    },
    async list(projectId, { after = '', limit }) {
      const { rows } = await pool.query<AccountRow>(`SELECT ${COLUMNS} FROM accounts a WHERE a.project_id = $1 AND a.id > $2 ORDER BY a.id LIMIT $3`, [projectId, after, limit]);
      return rows.map(toAccount);
    },
    async answers(projectId, fromAt, toAt) {
      const { rows } = await pool.query<AccountAnswer>(
        `SELECT response_id AS "responseId", survey_id AS "surveyId", metric, score, comment, at, COALESCE(user_id, anonymous_id) AS subject, anonymous_id AS "anonymousId"
         FROM responses WHERE project_id = $1 AND at >= $2 AND at < $3 ORDER BY at, response_id`,
        [projectId, fromAt, toAt],
      );
      return rows;
    },
    async weights(projectId) {
      const { rows } = await pool.query<{ weights: HealthWeights | null }>('SELECT health_weights AS weights FROM projects WHERE id = $1', [projectId]);
      return rows[0] && { ...DEFAULT_HEALTH_WEIGHTS, ...rows[0].weights };
    },
    async setWeights(projectId, weights) {
      const { rowCount } = await pool.query('UPDATE projects SET health_weights = $2 WHERE id = $1', [projectId, JSON.stringify(weights)]);
      return rowCount === 1;
    },
    async members(projectId) {
      const { rows } = await pool.query<[string, string]>({ text: 'SELECT subject, account_id FROM account_users WHERE project_id = $1', values: [projectId], rowMode: 'array' });
      return new Map(rows);
    },
  };
}
