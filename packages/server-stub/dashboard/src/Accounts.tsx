import { useEffect, useState } from 'preact/hooks';
import { HEALTH_BANDS, healthCategory, type HealthComponent } from '@cxkit/protocol';
import type { AccountHealthAnswer, AccountHealthRow, AccountPageAnswer } from '../../src/accounts-api';
import { getJson } from './api';
import { Chart } from './Chart';
import { count, dateIn, decimal, interval, percent, signed } from './format';
import { useLatest } from './use-latest';

const COMPONENT_NAMES: Record<HealthComponent, string> = {
  nps: 'NPS',
  csat: 'CSAT',
  ces: 'CES',
  active: 'Active users',
  trend: 'Usage trend',
  recency: 'Last seen',
};

const money = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

const FORMULA_NAMES: [keyof AccountHealthAnswer['formulas'], string, (n: number) => string][] = [
  ['renewalRate', 'Renewal rate', percent],
  ['upsellRate', 'Upsell rate', percent],
  ['mrrChurnRate', 'MRR churn', percent],
  ['lifetimeValue', 'Mean LTV', (n) => money.format(n)],
  ['retentionCost', 'Retention cost', (n) => money.format(n)],
  ['firstContactResolution', 'First contact resolution', percent],
  ['averageResponseMinutes', 'Average response', (n) => `${decimal(n)} min`],
];
const nameOf = (row: { id: string; traits: Record<string, unknown> }) => (typeof row.traits.name === 'string' ? row.traits.name : row.id);

function Health({ index, category }: { index: number | null; category: string | null }) {
  return index === null ? <span class="sub">no data yet</span> : <span class={`health ${category}`}>{index} {category}</span>;
}

function signalsOf(row: Pick<AccountHealthRow, 'signals'>): string[] {
  const s = row.signals;
  if (!s) return [];
  return [
    ...(s.usageDrop ? ['usage down'] : []),
    ...(s.promoterTurnedDetractor.length > 0 ? [`${s.promoterTurnedDetractor.length} promoter${s.promoterTurnedDetractor.length === 1 ? '' : 's'} turned detractor`] : []),
    ...(s.risingEffort ? ['effort rising'] : []),
  ];
}

/** Accounts by health, the accounts at risk with the revenue they carry, and one account's own page. */
export function Accounts({ apiKey, version, onError }: { apiKey: string; version: number; onError: (error: unknown) => void }) {
  const [answer, setAnswer] = useState<AccountHealthAnswer | null>(null);
  const [open, setOpen] = useState<AccountPageAnswer | null>(null);
  useLatest(() => getJson<AccountHealthAnswer>(apiKey, '/v1/account-health'), setAnswer, onError, [apiKey, version]);

  async function show(id: string) {
    try {
      setOpen(await getJson<AccountPageAnswer>(apiKey, `/v1/accounts/${encodeURIComponent(id)}/metrics`));
    } catch (error) {
      onError(error);
    }
  }

  // An alert links to its account's page (`/dashboard#account=…`).
  useEffect(() => {
    const linked = /^#account=(.+)$/.exec(location.hash)?.[1];
    if (linked) void show(decodeURIComponent(linked));
  }, [apiKey]);

  if (!answer) return null;
  const risky = answer.accounts.filter((a) => a.atRisk);
  return (
    <section class="card wide" aria-labelledby="accounts-title">
      <div class="section-head">
        <h2 id="accounts-title">Accounts</h2>
        <p class="sub">
          Health 1–100: good from {HEALTH_BANDS.good}, medium from {HEALTH_BANDS.medium}, poor below. At risk: poor, or down {answer.atRiskDrop} or more in 30 days.
        </p>
      </div>
      {answer.accounts.length === 0 ? (
        <p class="sub">No accounts yet: call cxkit.group(accountId) after sign-in, or import them (docs/accounts.md).</p>
      ) : (
        <>
          <div class="at-risk" role="region" aria-label="Accounts at risk">
            <p class="headline">
              {risky.length} <small>{risky.length === 1 ? 'account' : 'accounts'} at risk</small>
            </p>
            <p class="sub">
              {answer.atRisk.revenueAtRisk === null
                ? 'MRR unknown: send it as the mrr trait to see the revenue at risk.'
                : `${money.format(answer.atRisk.revenueAtRisk)} MRR at risk (${answer.atRisk.withMrr} of ${risky.length} with MRR)`}
            </p>
          </div>
          <p class="sub formulas">
            {FORMULA_NAMES.filter(([key]) => answer.formulas[key]).map(([key, name, format]) => `${name} ${format(answer.formulas[key]!.value)} (${answer.formulas[key]!.accounts} accounts)`).join(' · ') ||
              'Renewal, upsell and MRR churn rates, LTV, retention cost and support figures appear here once accounts carry their traits (docs/accounts.md).'}
          </p>
          <div class="table-scroll">
            <table class="surveys accounts">
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Health</th>
                  <th scope="col">30 days</th>
                  <th scope="col">Pulled down by</th>
                  <th scope="col">Users</th>
                  <th scope="col">MRR</th>
                  <th scope="col">Signals</th>
                </tr>
              </thead>
              <tbody>
                {answer.accounts.map((row) => (
                  <tr class={row.atRisk ? 'risk' : undefined}>
                    <th scope="row">
                      <button type="button" class="link" aria-pressed={open?.account.id === row.id} onClick={() => show(row.id)}>
                        {nameOf(row)}
                      </button>
                    </th>
                    <td>
                      <Health {...row.health} />
                    </td>
                    <td>{signed(row.change)}</td>
                    <td>{row.health.weakest ? COMPONENT_NAMES[row.health.weakest] : '–'}</td>
                    <td>{count(row.users)}</td>
                    <td>{typeof row.traits.mrr === 'number' ? money.format(row.traits.mrr) : '–'}</td>
                    <td>{signalsOf(row).join(', ') || '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {open && <AccountPage page={open} onClose={() => setOpen(null)} />}
    </section>
  );
}

function AccountPage({ page, onClose }: { page: AccountPageAnswer; onClose: () => void }) {
  const { nps, csat, ces, usage, health, history, latestComments } = page;
  return (
    <div class="theme-comments" role="region" aria-label={`Account ${nameOf(page.account)}`}>
      <div class="section-head">
        <h3>
          {nameOf(page.account)} <Health {...health} />
        </h3>
        <button type="button" class="quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <div class="tiles">
        <article class="tile" aria-label="Account NPS">
          <h3>NPS</h3>
          <p class="headline">{signed(nps?.score ?? null)}</p>
          <p class="sub">{count(nps?.n ?? 0)} users · {interval(nps?.interval ?? null, (n) => signed(n))}</p>
        </article>
        <article class="tile" aria-label="Account CSAT">
          <h3>CSAT</h3>
          <p class="headline">{percent(csat?.score ?? null)}</p>
          <p class="sub">{count(csat?.n ?? 0)} users · {interval(csat?.interval ?? null, (n) => percent(n))}</p>
        </article>
        <article class="tile" aria-label="Account CES">
          <h3>CES</h3>
          <p class="headline">{ces?.score === null ? percent(ces.easyShare) : decimal(ces?.score ?? null)}</p>
          <p class="sub">{count(ces?.n ?? 0)} users · {ces?.score === null ? 'easy share, scales mixed' : interval(ces?.interval ?? null, (n) => decimal(n))}</p>
        </article>
        <article class="tile" aria-label="Account usage">
          <h3>Usage</h3>
          <p class="headline">
            {count(usage?.activeUsers ?? 0)} <small>of {count(usage?.users ?? 0)} users active in 30 days</small>
          </p>
          <p class="sub">
            mean DAU {decimal(usage?.meanDau ?? null)} · stickiness {percent(usage?.stickiness ?? null)} · user-days {count(usage?.activeDays ?? 0)} against {count(usage?.activeDaysBefore ?? 0)} before ·
            last seen {usage?.lastSeenDay == null ? 'not in 90 days' : dateIn(new Date(usage.lastSeenDay * 86_400_000).toISOString(), 'UTC')}
          </p>
        </article>
      </div>
      <h3>What the index is made of</h3>
      <ul class="components">
        {(Object.keys(COMPONENT_NAMES) as HealthComponent[]).map((c) => {
          const value = health.components[c];
          return (
            <li>
              <span>{COMPONENT_NAMES[c]}</span>
              {value === null ? (
                <span class="sub">missing: nothing to read yet</span>
              ) : (
                <>
                  <span class="bar" aria-hidden="true">
                    <span class={healthCategory(value)} style={{ width: `${value}%` }} />
                  </span>
                  <span>
                    {Math.round(value)} × weight {page.weights[c]}
                    {health.weakest === c && ' · pulls it down most'}
                  </span>
                </>
              )}
            </li>
          );
        })}
      </ul>
      {history && history.length > 0 && (
        <Chart
          label="Health index by week"
          days={history.map((h) => h.day)}
          lines={[{ label: 'Health', values: history.map((h) => h.health.index), color: '#2563eb' }]}
          height={120}
          range={[0, 100]}
        />
      )}
      <h3>Latest comments</h3>
      {!latestComments || latestComments.length === 0 ? (
        <p class="sub">No comments from this account's users.</p>
      ) : (
        <ul>
          {latestComments.map((c) => (
            <li class="comment">
              <p class="comment-text">{c.comment}</p>
              <p class="facts">
                {c.metric.toUpperCase()} {c.score} · {dateIn(new Date(c.at).toISOString(), 'UTC')} · {c.user}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
