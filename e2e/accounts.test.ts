// group() in a real Chromium: the account is remembered across a reload, every later item carries
// it, the server keeps its traits and the user's membership, and reset() forgets it (the demo's
// sign-in joining an account is in widget-demo.test.ts).
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { callCxkit, cxkitStarted, proxiedPages, useFaultProxy, waitFor } from './harness';

const setup = useFaultProxy();
const openPage = proxiedPages(setup);

interface Cxkit {
  track(event: string): void;
  identify(userId: string): void;
  group(accountId: string, traits?: Record<string, string | number | boolean | null>): void;
  reset(): void;
  flush(): Promise<void>;
}

const call = (page: Page, fn: (cxkit: Cxkit) => unknown) => callCxkit<Cxkit>(page, fn);
const accountOf = (event: string) =>
  setup.server.query<{ account: string | null }>("SELECT json_extract(payload, '$.accountId') AS account FROM items WHERE json_extract(payload, '$.event') = ?", event)[0];

test('group() is remembered across a reload, later items carry the account, the server keeps it, and reset() forgets it', async () => {
  const page = await openPage();
  await call(page, (cxkit) => {
    cxkit.identify('e2e-grace');
    cxkit.track('e2e group before');
    cxkit.group('e2e-initrode', { name: 'Initrode', plan: 'team', mrr: 640 });
    cxkit.track('e2e group after');
    return cxkit.flush();
  });
  expect((await waitFor(() => accountOf('e2e group after')))!.account).toBe('e2e-initrode');
  expect(accountOf('e2e group before')!.account).toBeNull();

  await page.reload();
  await cxkitStarted(page);
  await call(page, (cxkit) => {
    cxkit.track('e2e group reloaded');
    return cxkit.flush();
  });
  expect((await waitFor(() => accountOf('e2e group reloaded')))!.account).toBe('e2e-initrode');
  const stored = setup.server.query<{ traits: string }>("SELECT traits FROM accounts WHERE id = 'e2e-initrode'")[0]!;
  expect(JSON.parse(stored.traits)).toEqual({ name: 'Initrode', plan: 'team', mrr: 640 });
  expect(setup.server.query("SELECT account_id FROM account_users WHERE subject = 'e2e-grace'")).toEqual([{ account_id: 'e2e-initrode' }]);

  await call(page, (cxkit) => {
    cxkit.reset();
    cxkit.track('e2e group after reset');
    return cxkit.flush();
  });
  expect((await waitFor(() => accountOf('e2e group after reset')))!.account).toBeNull();
  expect(await page.evaluate(() => localStorage.getItem('cxkit.accountId'))).toBeNull();
});
