import { WEBHOOK_LIMITS, type AccountHealthEvent, type AccountTraits } from '@cxkit/protocol';
import { DAY_MS } from '../calendar.js';
import { randomUUID } from 'node:crypto';
import type { AccountsReader } from '../metrics-reader.js';
import type { Storage } from '../ports.js';
import { accountAlertBody } from '../webhook-payload.js';
import { takes } from '../webhook-filter.js';
import type { AccountReport } from './account-metrics.js';
import { mrrOf, nameOf } from './traits.js';

// Alerts when an account enters poor health (docs/alerts.md#accounts-entering-poor-health): every
// so often, each project with a webhook for account.poor_health has its accounts' health read, and
// an account in poor health now that was not at the end of the day before is told of once that day.

/** An account that fell into poor health since the end of the day before. */
export interface EnteredPoor {
  accountId: string;
  index: number;
  weakest: AccountHealthEvent['account']['weakest'];
  indexBefore: number | null;
  categoryBefore: AccountHealthEvent['account']['categoryBefore'];
}

/** Pure: the accounts of a report (read with the day before as its one history day) that entered poor health. */
export function enteredPoor(report: AccountReport): EnteredPoor[] {
  const entered: EnteredPoor[] = [];
  for (const [accountId, metrics] of report.accounts) {
    const { health } = metrics;
    const before = metrics.history[0]?.health;
    if (health.category !== 'poor' || health.index === null || before?.category === 'poor') continue;
    entered.push({ accountId, index: health.index, weakest: health.weakest, indexBefore: before?.index ?? null, categoryBefore: before?.category ?? null });
  }
  return entered;
}

/** The key that makes an account's alert once a day per webhook, whichever process or check queues it. */
export const alertKey = (accountId: string, day: number) => `account:${accountId}:${new Date(day * DAY_MS).toISOString().slice(0, 10)}`;

export interface HealthAlertOptions {
  reader: AccountsReader;
  /** Where the dashboard is served, for the link to each account. */
  publicUrl: string;
  /** Tells the delivery worker there is something to send. */
  wake(): void;
  now?: () => number;
  everyMs?: number;
}

/** Checks every `everyMs`; check() runs one round now and answers how many alerts it queued. */
export function healthAlerts(storage: Pick<Storage, 'projects' | 'webhooks' | 'accounts'>, options: HealthAlertOptions) {
  const { reader, publicUrl, wake, now = Date.now, everyMs = WEBHOOK_LIMITS.healthCheckMs } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function checkProject(projectId: string): Promise<number> {
    const webhooks = (await storage.webhooks.list(projectId)).filter((w) => w.active && takes(w.filter, 'account.poor_health'));
    if (webhooks.length === 0) return 0;
    const at = now();
    const day = Math.floor(at / DAY_MS);
    const weights = await storage.accounts.weights(projectId);
    if (!weights) return 0;
    const entered = enteredPoor(await reader({ kind: 'accounts', projectId, now: at, weights, history: [day - 1] }));
    for (const account of entered) {
      const traits: AccountTraits = (await storage.accounts.get(projectId, account.accountId))?.traits ?? {};
      for (const webhook of webhooks) {
        const id = `msg_${randomUUID().replace(/-/g, '')}`;
        const event: AccountHealthEvent = {
          type: 'account.poor_health',
          id,
          createdAt: new Date(at).toISOString(),
          projectId,
          webhookId: webhook.id,
          account: {
            id: account.accountId,
            name: nameOf(traits),
            index: account.index,
            weakest: account.weakest,
            indexBefore: account.indexBefore,
            categoryBefore: account.categoryBefore,
            mrr: mrrOf(traits),
            dashboardUrl: `${publicUrl}/dashboard#account=${encodeURIComponent(account.accountId)}`,
          },
        };
        const row = { id, webhookId: webhook.id, responseId: alertKey(account.accountId, day), readyAt: at, createdAt: at };
        await storage.webhooks.enqueue(projectId, row, accountAlertBody(webhook.format, event));
      }
    }
    return entered.length * webhooks.length;
  }

  async function round(): Promise<number> {
    let queued = 0;
    for (const { id } of await storage.projects.list()) {
      try {
        queued += await checkProject(id);
      } catch (error) {
        // One project that cannot be read now does not hold back the others; the next round tries again.
        console.error(error);
      }
    }
    if (queued > 0) wake();
    return queued;
  }

  const check = () => (running ??= round().finally(() => (running = undefined)));

  return {
    check,
    start(): void {
      if (timer) return;
      timer = setInterval(() => void check().catch((error) => console.error(error)), everyMs);
      timer.unref();
    },
    /** No new round; resolves once the one running (if any) is done. */
    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
