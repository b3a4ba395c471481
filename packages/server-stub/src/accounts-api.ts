import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as v from 'valibot';
import {
  HEALTH_AT_RISK_DROP,
  HEALTH_BANDS,
  HEALTH_COMPONENTS,
  LIMITS,
  type AccountTraits,
  type HealthWeights,
} from '@cxkit/protocol';
import type { AccountMetrics } from './accounts/account-metrics.js';
import type { AccountChange, StoredAccount } from './accounts/changes.js';
import { healthIndex, type HealthIndex } from './accounts/health.js';
import { accountFormulas, portfolioFormulas, type AccountFormulas, type PortfolioFormulas } from './accounts/trait-formulas.js';
import { DAY_MS } from './calendar.js';
import { inProcessAccounts, type AccountsReader } from './metrics-reader.js';
import { accountIdSchema, accountTraitsSchema, mrrOf } from './accounts/traits.js';
import { requireReadKey, type ReadKeyEnv } from './auth.js';
import { parseCsv } from './csv.js';
import { readJson } from './json-body.js';
import { answerErrors, BadRequest, parseIntegerParam, rejectUnknown } from './query-params.js';
import type { Storage } from './ports.js';
import { isStorableText } from './validate.js';

const PAGE = { default: 100, max: 1000 };
const PUT_BODY_BYTES = 64 * 1024;

/** A problem with one account of an import: its row (1 is the first account) and what is wrong. */
export interface ImportIssue {
  row: number;
  field?: string;
  message: string;
}

const accountSchema = v.strictObject({ id: accountIdSchema, traits: v.optional(accountTraitsSchema) });

/** What is wrong with a value for this schema, as the API tells it: the field and valibot's message. */
function issueOf(schema: v.GenericSchema, value: unknown): { field?: string; message: string } | undefined {
  const result = v.safeParse(schema, value);
  if (result.success) return undefined;
  const issue = result.issues[0];
  return { ...(v.getDotPath(issue) !== null && { field: v.getDotPath(issue)! }), message: issue.message };
}

/**
 * A CSV cell as a trait: a number where it reads as one (MRR 1200, 99.5), true/false, else the text.
 * An empty cell sets nothing.
 */
function cellValue(text: string): string | number | boolean | undefined {
  if (text === '') return undefined;
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** The accounts of an import body: JSON {"accounts": [{id, traits}]} (or the bare list), or CSV with an `id` column. */
function importedAccounts(body: string, csv: boolean): { accounts: { id: string; traits?: AccountTraits }[] } | { issues: ImportIssue[] } | { error: string } {
  let list: unknown;
  if (csv) {
    const rows = parseCsv(body);
    if (!rows || rows.length === 0) return { error: 'the CSV is empty or a quote is left open' };
    const [header, ...data] = rows as [string[], ...string[][]];
    const idColumn = header.indexOf('id');
    if (idColumn < 0) return { error: 'the CSV needs a header row with an "id" column; every other column is a trait' };
    const issues: ImportIssue[] = [];
    list = data.map((cells, index) => {
      if (cells.length !== header.length) issues.push({ row: index + 1, message: `has ${cells.length} cells, the header ${header.length}` });
      const traits: Record<string, unknown> = {};
      header.forEach((name, column) => {
        const value = column === idColumn ? undefined : cellValue(cells[column] ?? '');
        if (value !== undefined) traits[name] = value;
      });
      return { id: cells[idColumn], traits };
    });
    if (issues.length > 0) return { issues };
  } else {
    const json = (() => {
      try {
        return JSON.parse(body) as unknown;
      } catch {
        return undefined;
      }
    })();
    list = Array.isArray(json) ? json : (json as { accounts?: unknown } | undefined)?.accounts;
    if (!Array.isArray(list)) return { error: 'send {"accounts": [{"id": "acme", "traits": {"plan": "team", "mrr": 1200}}]}, a JSON list of them, or CSV' };
  }
  const accounts = list as unknown[];
  if (accounts.length > LIMITS.accountsPerImport) return { error: `at most ${LIMITS.accountsPerImport} accounts an import; send the rest in another` };
  const issues: ImportIssue[] = [];
  const seen = new Set<string>();
  accounts.forEach((account, index) => {
    const issue = storableIssue(account) ?? issueOf(accountSchema, account);
    if (issue) return void issues.push({ row: index + 1, ...issue });
    const id = (account as { id: string }).id;
    if (seen.has(id)) issues.push({ row: index + 1, field: 'id', message: `account ${id} is listed twice` });
    seen.add(id);
  });
  return issues.length > 0 ? { issues } : { accounts: accounts as { id: string; traits?: AccountTraits }[] };
}

/** Text no engine stores as sent (validate.ts), anywhere in the account. */
function storableIssue(value: unknown, field = ''): { field?: string; message: string } | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : { ...(field && { field }), message: 'holds text that cannot be stored (U+0000 or a lone surrogate)' };
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const issue = storableIssue(key, field) ?? storableIssue(inner, field ? `${field}.${key}` : key);
    if (issue) return issue;
  }
  return undefined;
}

const weightsSchema = v.pipe(
  v.strictObject(Object.fromEntries(HEALTH_COMPONENTS.map((c) => [c, v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1000))])) as unknown as Record<keyof HealthWeights, v.GenericSchema<unknown, number>>),
  v.check((weights) => Object.values(weights).some((w) => w > 0), 'at least one weight must be above 0'),
) as v.GenericSchema<unknown, HealthWeights>;

/** One account of GET /v1/account-health. */
export interface AccountHealthRow extends StoredAccount {
  health: HealthIndex;
  /** Index now minus HEALTH_WINDOW_DAYS days ago; null when either is unknown. */
  change: number | null;
  atRisk: boolean;
  signals: AccountMetrics['signals'] | null;
  usage: AccountMetrics['usage'] | null;
}

export interface AccountHealthAnswer {
  day: string;
  weights: HealthWeights;
  bands: typeof HEALTH_BANDS;
  atRiskDrop: number;
  accounts: AccountHealthRow[];
  atRisk: { accounts: string[]; revenueAtRisk: number | null; withMrr: number };
  /** The article's business formulas, over the accounts whose traits carry their inputs. */
  formulas: PortfolioFormulas;
}

/** GET /v1/accounts/:id/metrics; an account no user joined has its health (nothing known) only. */
export type AccountPageAnswer = { account: StoredAccount; day: string; weights: HealthWeights; formulas: AccountFormulas } & Partial<AccountMetrics> &
  Pick<AccountMetrics, 'health'>;

/** Weeks of health history an account's own page shows. */
const HISTORY_WEEKS = 12;

/** Every account of the project, in id order. */
async function allAccounts(storage: Storage, projectId: string): Promise<StoredAccount[]> {
  const all: StoredAccount[] = [];
  for (let page: StoredAccount[] = []; ; ) {
    page = await storage.accounts.list(projectId, { after: all.at(-1)?.id, limit: PAGE.max });
    all.push(...page);
    if (page.length < PAGE.max) return all;
  }
}

const nothingKnown = (weights: HealthWeights): HealthIndex => healthIndex({ nps: null, csat: null, ces: null, active: null, trend: null, recency: null }, weights);

/** In poor health, or fallen by HEALTH_AT_RISK_DROP or more since HEALTH_WINDOW_DAYS days before. */
export function atRisk(health: HealthIndex, before: HealthIndex): boolean {
  return health.category === 'poor' || (health.index !== null && before.index !== null && before.index - health.index >= HEALTH_AT_RISK_DROP);
}

/**
 * The accounts API (read key; docs/accounts.md): the team's backend sets what lives in its billing
 * system (plan, MRR, renewal date) beside what the sdk's group() sends.
 */
export function accountsApi(storage: Storage, now: () => number, reader: AccountsReader = inProcessAccounts(storage)): Hono<ReadKeyEnv> {
  const api = new Hono<ReadKeyEnv>();
  api.onError(answerErrors);
  const guard = requireReadKey(storage.projects);

  api.get('/accounts', guard, async (c) => {
    const params = c.req.query();
    rejectUnknown(params, ['after', 'limit']);
    const limit = parseIntegerParam('limit', params.limit, 1, PAGE.max) ?? PAGE.default;
    const accounts = await storage.accounts.list(c.get('project').id, { after: params.after, limit });
    c.header('Cache-Control', 'private, no-cache');
    return c.json({ accounts, next: accounts.length === limit ? accounts.at(-1)!.id : null });
  });

  api.get('/account-health', guard, async (c) => {
    rejectUnknown(c.req.query(), []);
    const projectId = c.get('project').id;
    const weights = (await storage.accounts.weights(projectId))!;
    const [accounts, report] = await Promise.all([allAccounts(storage, projectId), reader({ kind: 'accounts', projectId, now: now(), weights, history: [] })]);
    const rows = accounts.map((account): AccountHealthRow => {
      const metrics = report.accounts.get(account.id);
      const health = metrics?.health ?? nothingKnown(weights);
      const before = metrics?.healthBefore ?? health;
      return {
        ...account,
        health,
        change: health.index !== null && before.index !== null ? health.index - before.index : null,
        atRisk: atRisk(health, before),
        signals: metrics?.signals ?? null,
        usage: metrics?.usage ?? null,
      };
    });
    // Worst first; accounts with nothing known last.
    rows.sort((a, b) => (a.health.index ?? 101) - (b.health.index ?? 101) || (a.id < b.id ? -1 : 1));
    const risky = rows.filter((r) => r.atRisk);
    const mrr = risky.map((r) => mrrOf(r.traits)).filter((m): m is number => m !== null);
    c.header('Cache-Control', 'private, no-cache');
    const answer: AccountHealthAnswer = {
      day: report.day,
      weights,
      bands: HEALTH_BANDS,
      atRiskDrop: HEALTH_AT_RISK_DROP,
      accounts: rows,
      atRisk: { accounts: risky.map((r) => r.id), revenueAtRisk: mrr.length > 0 ? mrr.reduce((sum, m) => sum + m, 0) : null, withMrr: mrr.length },
      formulas: portfolioFormulas(accounts.map((a) => a.traits)),
    };
    return c.json(answer);
  });

  api.get('/account-health/weights', guard, async (c) => c.json((await storage.accounts.weights(c.get('project').id))!));

  api.put('/account-health/weights', guard, bodyLimit({ maxSize: 1024, onError: (c) => c.json({ error: 'body is over 1024 bytes' }, 413) }), async (c) => {
    const body = await readJson(c);
    const issue = issueOf(weightsSchema, body);
    if (issue) return c.json({ error: `${issue.field ?? 'body'}: ${issue.message}; send every one of ${HEALTH_COMPONENTS.join(', ')} as a weight of 0–1000`, ...issue }, 400);
    await storage.accounts.setWeights(c.get('project').id, body as HealthWeights);
    return c.json(body);
  });

  api.get('/accounts/:id/metrics', guard, async (c) => {
    rejectUnknown(c.req.query(), []);
    const projectId = c.get('project').id;
    const account = await storage.accounts.get(projectId, c.req.param('id'));
    if (!account) return c.json({ error: `no account ${c.req.param('id')}` }, 404);
    const at = now();
    const today = Math.floor(at / DAY_MS);
    const history = Array.from({ length: HISTORY_WEEKS }, (_, week) => today - 7 * (HISTORY_WEEKS - week));
    const weights = (await storage.accounts.weights(projectId))!;
    const report = await reader({ kind: 'accounts', projectId, now: at, weights, history, accountId: account.id });
    const answer: AccountPageAnswer = {
      account,
      day: report.day,
      weights,
      formulas: accountFormulas(account.traits),
      ...(report.accounts.get(account.id) ?? { health: nothingKnown(weights) }),
    };
    c.header('Cache-Control', 'private, no-cache');
    return c.json(answer);
  });

  api.get('/accounts/:id', guard, async (c) => {
    const account = await storage.accounts.get(c.get('project').id, c.req.param('id'));
    c.header('Cache-Control', 'private, no-cache');
    return account ? c.json(account) : c.json({ error: `no account ${c.req.param('id')}` }, 404);
  });

  api.put(
    '/accounts/:id',
    guard,
    bodyLimit({ maxSize: PUT_BODY_BYTES, onError: (c) => c.json({ error: `body is over ${PUT_BODY_BYTES} bytes` }, 413) }),
    async (c) => {
      const id = c.req.param('id');
      const body = await readJson(c);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new BadRequest('send {"traits": {"plan": "team", "mrr": 1200}}; a null removes a trait');
      }
      const issue = storableIssue({ id, ...body }) ?? issueOf(accountSchema, { id, ...body });
      if (issue) return c.json({ error: `${issue.field ?? 'body'}: ${issue.message}`, ...issue }, 400);
      const projectId = c.get('project').id;
      await storage.accounts.put(projectId, [{ accountId: id, traits: (body as { traits?: AccountTraits }).traits ?? {}, at: now() }]);
      return c.json((await storage.accounts.get(projectId, id))!);
    },
  );

  api.post(
    '/accounts/import',
    guard,
    bodyLimit({ maxSize: LIMITS.importBytes, onError: (c) => c.json({ error: `body is over ${LIMITS.importBytes} bytes; split the import` }, 413) }),
    async (c) => {
      const csv = /^text\/csv\b/i.test(c.req.header('content-type') ?? '');
      const read = importedAccounts(await c.req.text(), csv);
      if ('error' in read) return c.json({ error: read.error }, 400);
      if ('issues' in read) return c.json({ error: `${read.issues.length} accounts cannot be imported; nothing was`, issues: read.issues.slice(0, 100) }, 400);
      const at = now();
      const changes: AccountChange[] = read.accounts.map(({ id, traits }) => ({ accountId: id, traits: traits ?? {}, at }));
      await storage.accounts.put(c.get('project').id, changes);
      return c.json({ imported: changes.length });
    },
  );
  return api;
}
