import type Database from 'better-sqlite3';
import { DEFAULT_HEALTH_WEIGHTS, type AccountTraits, type GroupItem, type HealthWeights } from '@cxkit/protocol';
import { changeOf, membershipOf, type AccountAnswer, type AccountChange, type StoredAccount } from '../accounts/changes.js';
import type { AccountsPort } from '../ports.js';

type AccountRow = { id: string; traits: string; created_at: number; updated_at: number; users: number };

/**
 * Accounts on SQLite. json_patch is JSON merge patch: a newer change is patched over the stored
 * traits; an older one, its nulls dropped (patched onto {}), is overlaid by the stored traits.
 * Changes apply one by one in the order they come, which ends where composing them first does.
 */
export function sqliteAccounts(db: Database.Database): { port: AccountsPort; record(projectId: string, item: GroupItem, at: number): void } {
  const upsertAccount = db.prepare(
    `INSERT INTO accounts (project_id, id, traits, created_at, updated_at) VALUES (@projectId, @accountId, json_patch('{}', @patch), @at, @at)
     ON CONFLICT (project_id, id) DO UPDATE SET
       traits = CASE WHEN @at >= accounts.updated_at THEN json_patch(accounts.traits, @patch)
                     ELSE json_patch(json_patch('{}', @patch), accounts.traits) END,
       created_at = MIN(accounts.created_at, @at),
       updated_at = MAX(accounts.updated_at, @at)`,
  );
  const upsertMember = db.prepare(
    `INSERT INTO account_users (project_id, subject, account_id, at) VALUES (?, ?, ?, ?)
     ON CONFLICT (project_id, subject) DO UPDATE SET account_id = excluded.account_id, at = excluded.at
     WHERE excluded.at >= account_users.at`,
  );
  const columns = `a.id, a.traits, a.created_at, a.updated_at,
    (SELECT COUNT(*) FROM account_users u WHERE u.project_id = a.project_id AND u.account_id = a.id) AS users`;
  const selectOne = db.prepare<[string, string], AccountRow>(`SELECT ${columns} FROM accounts a WHERE a.project_id = ? AND a.id = ?`);
  const selectPage = db.prepare<[string, string, number], AccountRow>(`SELECT ${columns} FROM accounts a WHERE a.project_id = ? AND a.id > ? ORDER BY a.id LIMIT ?`);
  const selectAnswers = db.prepare<[string, number, number], AccountAnswer>(
    `SELECT response_id AS responseId, survey_id AS surveyId, metric, score, comment, at, COALESCE(user_id, anonymous_id) AS subject, anonymous_id AS anonymousId
     FROM responses WHERE project_id = ? AND at >= ? AND at < ? ORDER BY at, response_id`,
  );
  const selectWeights = db.prepare<[string], { health_weights: string | null }>('SELECT health_weights FROM projects WHERE id = ?');
  const updateWeights = db.prepare('UPDATE projects SET health_weights = ? WHERE id = ?');
  const selectMembers = db.prepare<[string], { subject: string; account_id: string }>('SELECT subject, account_id FROM account_users WHERE project_id = ?');

  const apply = (projectId: string, { accountId, traits, at }: AccountChange) => upsertAccount.run({ projectId, accountId, patch: JSON.stringify(traits), at });
  const put = db.transaction((projectId: string, changes: readonly AccountChange[]) => {
    for (const change of changes) apply(projectId, change);
  });
  const toAccount = (row: AccountRow | undefined): StoredAccount | undefined =>
    row && { id: row.id, traits: JSON.parse(row.traits) as AccountTraits, createdAt: row.created_at, updatedAt: row.updated_at, users: row.users };

  return {
    port: {
      put: async (projectId, changes) => void put.immediate(projectId, changes),
      get: async (projectId, accountId) => toAccount(selectOne.get(projectId, accountId)),
      list: async (projectId, { after = '', limit }) => selectPage.all(projectId, after, limit).map((row) => toAccount(row)!),
      members: async (projectId) => new Map(selectMembers.all(projectId).map((row) => [row.subject, row.account_id])),
      async weights(projectId) {
        const row = selectWeights.get(projectId);
        return row && (row.health_weights === null ? DEFAULT_HEALTH_WEIGHTS : { ...DEFAULT_HEALTH_WEIGHTS, ...(JSON.parse(row.health_weights) as HealthWeights) });
      },
      setWeights: async (projectId, weights) => updateWeights.run(JSON.stringify(weights), projectId).changes === 1,
      answers: async (projectId, fromAt, toAt) => selectAnswers.all(projectId, fromAt, toAt),
    },
    record(projectId, item, at) {
      apply(projectId, changeOf(item, at));
      const m = membershipOf(item, at);
      upsertMember.run(projectId, m.subject, m.accountId, m.at);
    },
  };
}
