// The delivery guarantee in a real Chromium: whatever happens to the network, the tab or the
// server, every item reaches the database exactly once. Each test tracks uniquely named events
// and ends with the database holding exactly those, no more, no fewer.
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, expect, onTestFailed, test } from 'vitest';
import { useFaultProxy, waitFor } from './harness';

const setup = useFaultProxy();
let context: BrowserContext;

afterEach(async () => {
  setup.proxy.fault = undefined;
  setup.proxy.latency = 0;
  await context?.close();
});

interface Cxkit {
  track(event: string, properties?: Record<string, unknown>): void;
  flush(): Promise<void>;
}

/** A fresh browser profile (its own IndexedDB, localStorage, locks); the page log is printed if the test fails. */
async function newContext(): Promise<BrowserContext> {
  context = await setup.browser.newContext();
  const lines: string[] = [];
  context.on('console', (message) => lines.push(message.text()));
  onTestFailed(() => console.log(`page log:\n${lines.join('\n')}`));
  return context;
}

/**
 * The network goes down: the page is offline (navigator.onLine, online/offline events), and the
 * proxy drops batches too, since Chromium's offline emulation does not hold back keepalive
 * requests and beacons that outlive their page.
 */
async function goOffline(): Promise<void> {
  setup.proxy.fault = 'drop';
  await context.setOffline(true);
}

async function goOnline(): Promise<void> {
  setup.proxy.fault = undefined;
  await context.setOffline(false);
}

/** Opens the host page and waits for cxkit.js to have replaced the loader's stub. */
async function openPage(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${setup.proxy.url}/`);
  await page.waitForFunction(() => !('q' in (window as unknown as { cxkit: object }).cxkit));
  return page;
}

/** Tracks events from inside the page, yielding to the event loop now and then like a real app. */
function track(page: Page, names: string[]): Promise<void> {
  return page.evaluate(async (names) => {
    const cxkit = (window as unknown as { cxkit: Cxkit }).cxkit;
    for (const [n, name] of names.entries()) {
      cxkit.track(name, { n });
      if (n % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }, names);
}

const names = (prefix: string, count: number) => Array.from({ length: count }, (_, n) => `${prefix} ${n}`);

interface Row {
  id: string;
  type: string;
  event: string | null;
  anonymous_id: string;
}

const rows = (prefix: string) =>
  setup.server.query<Row>(
    "SELECT id, type, json_extract(payload, '$.event') AS event, anonymous_id FROM items WHERE json_extract(payload, '$.event') LIKE ?",
    `${prefix} %`,
  );

/** Waits until the database holds every expected event, then checks it holds nothing else and nothing twice. */
async function expectExactlyInDatabase(prefix: string, expected: string[], timeoutMs = 30_000): Promise<Row[]> {
  await waitFor(() => (rows(prefix).length >= expected.length ? true : undefined), timeoutMs, `${expected.length} "${prefix}" events in the database`);
  const stored = rows(prefix);
  expect(stored.map((row) => row.event).sort()).toEqual([...expected].sort());
  expect(new Set(stored.map((row) => row.event)).size).toBe(stored.length);
  expect(new Set(stored.map((row) => row.id)).size).toBe(stored.length);
  return stored;
}

/** Items of other types that belong to the same device (anonymous id) as the given rows. */
const countOf = (type: string, anonymousId: string) =>
  setup.server.query<{ n: number }>('SELECT COUNT(*) AS n FROM items WHERE type = ? AND anonymous_id = ?', type, anonymousId)[0]!.n;

test('offline, then online: what was tracked offline arrives once the network is back', async () => {
  await newContext();
  const page = await openPage();
  await goOffline();
  const offline = names('offline', 40);
  await track(page, offline);
  await page.evaluate(() => (window as unknown as { cxkit: Cxkit }).cxkit.flush());
  expect(rows('offline')).toEqual([]);

  await goOnline();
  const stored = await expectExactlyInDatabase('offline', offline);
  expect(countOf('session_start', stored[0]!.anonymous_id)).toBe(1);
  expect(countOf('active', stored[0]!.anonymous_id)).toBe(1);
});

test('an answer given offline survives a reload while still offline, and arrives once the network is back', async () => {
  await newContext();
  const page = await openPage();
  await track(page, ['answer checkout']);
  await page.evaluate(() => (window as unknown as { cxkit: Cxkit }).cxkit.track('checkout_completed'));
  const nine = page.getByRole('radio', { name: '9' });
  await nine.waitFor();

  await goOffline();
  await nine.click();
  await page.getByRole('textbox').fill('Answered offline');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Thank you for your feedback!').waitFor();
  // A new page load, straight after the answer: the page and cxkit.js come from the HTTP cache.
  await page.goto(`${setup.proxy.url}/`);
  await page.waitForFunction(() => !('q' in (window as unknown as { cxkit: object }).cxkit));
  await page.evaluate(() => (window as unknown as { cxkit: Cxkit }).cxkit.flush());
  expect(setup.server.query('SELECT * FROM responses WHERE comment = ?', 'Answered offline')).toEqual([]);

  await goOnline();
  const [stored] = await expectExactlyInDatabase('answer', ['answer checkout']);
  const response = await waitFor(
    () => setup.server.query<{ score: number; final: number; response_id: string }>('SELECT * FROM responses WHERE comment = ?', 'Answered offline')[0],
    30_000,
    'the offline answer in the database',
  );
  expect(response).toMatchObject({ score: 9, final: 1 });
  const parts = setup.server.query<{ n: number }>(
    "SELECT COUNT(*) AS n FROM items WHERE type = 'survey_response' AND json_extract(payload, '$.responseId') = ?",
    response.response_id,
  );
  expect(parts[0]!.n).toBe(2);
  expect(countOf('survey_shown', stored!.anonymous_id)).toBe(1);
});

test('three tabs tracking at once: one tab sends, every item arrives exactly once and is sent once', async () => {
  await newContext();
  const first = await openPage();
  await first.evaluate(() => (window as unknown as { cxkit: Cxkit }).cxkit.flush());
  const pages = [first, await openPage(), await openPage()];
  const deliveredBefore = setup.proxy.delivered.length;
  // A slow server: were more than one tab sending, their requests would overlap and carry the same items.
  setup.proxy.latency = 300;

  const perTab = pages.map((_, tab) => names(`tabs ${tab}`, 100));
  await Promise.all(pages.map((page, tab) => track(page, perTab[tab]!)));
  const stored = await expectExactlyInDatabase('tabs', perTab.flat());

  // Sessions and the day are shared by the tabs: one of each for the device.
  expect(countOf('session_start', stored[0]!.anonymous_id)).toBe(1);
  expect(countOf('active', stored[0]!.anonymous_id)).toBe(1);
  expect(new Set(stored.map((row) => row.anonymous_id)).size).toBe(1);
  // Not only deduped by the server: no item travelled twice.
  const sent = setup.proxy.delivered.slice(deliveredBefore);
  expect(new Set(sent).size).toBe(sent.length);
});

test('the server answers 500 for a while, then 200: everything arrives once', async () => {
  await newContext();
  setup.proxy.fault = { status: 500 };
  const failedBefore = setup.proxy.failed;
  const page = await openPage();
  const failing = names('failing', 30);
  await track(page, failing);
  await waitFor(() => (setup.proxy.failed >= failedBefore + 2 ? true : undefined), 30_000, 'two failed attempts');
  expect(rows('failing')).toEqual([]);

  setup.proxy.fault = undefined;
  await expectExactlyInDatabase('failing', failing);
});

test('a request the server accepts and never answers times out and is retried: delivery goes on', async () => {
  await newContext();
  const page = await openPage();
  await page.evaluate(() => (window as unknown as { cxkit: Cxkit }).cxkit.flush());
  setup.proxy.fault = 'hang';
  const failedBefore = setup.proxy.failed;
  const hung = names('hung', 10);
  await track(page, hung);
  await waitFor(() => (setup.proxy.failed > failedBefore ? true : undefined), 10_000, 'a request held unanswered');
  setup.proxy.fault = undefined;
  const started = Date.now();
  await expectExactlyInDatabase('hung', hung, 30_000);
  console.log(`a hung request: the items arrived ${Date.now() - started} ms after the server came back`);
});

test('the server is killed (SIGKILL) and restarted: nothing lost, nothing doubled', async () => {
  await newContext();
  const page = await openPage();
  const before = names('killed before', 20);
  await track(page, before);
  await expectExactlyInDatabase('killed before', before);

  await setup.server.stop('SIGKILL');
  const failedBefore = setup.proxy.failed;
  const during = names('killed during', 20);
  await track(page, during);
  await waitFor(() => (setup.proxy.failed > failedBefore ? true : undefined), 30_000, 'a send that found the server down');
  await setup.server.start();

  await expectExactlyInDatabase('killed during', during);
  await expectExactlyInDatabase('killed', [...before, ...during]);
});

test('without IndexedDB the queue falls back to localStorage and still survives a reload offline', async () => {
  await newContext();
  await context.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined }));
  const page = await openPage();
  await goOffline();
  const noIdb = names('no idb', 15);
  await track(page, noIdb);
  await page.evaluate(() => (window as unknown as { cxkit: Cxkit }).cxkit.flush());
  expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('cxkit.q.')).length)).toBeGreaterThanOrEqual(15);

  await page.goto(`${setup.proxy.url}/`);
  await page.waitForFunction(() => !('q' in (window as unknown as { cxkit: object }).cxkit));
  await goOnline();
  await expectExactlyInDatabase('no idb', noIdb);
  await waitFor(
    () => page.evaluate(() => Object.keys(localStorage).some((key) => key.startsWith('cxkit.q.'))).then((left) => (left ? undefined : true)),
    10_000,
  );
});

test('a host that kept the loader’s stub from before cxkit.js loaded keeps sending through it', async () => {
  await newContext();
  const page = await openPage();
  await page.evaluate(() => {
    const held = (window as unknown as { cxkitAtStartup: Cxkit }).cxkitAtStartup;
    held.track('held stub 0');
    return held.flush();
  });
  await expectExactlyInDatabase('held stub', ['held stub 0']);
});

test('track() is cheap on the main thread: no storage access or whole-item JSON during the call, one write for a burst', async () => {
  await newContext();
  const page = await openPage();
  await page.evaluate(() => (window as unknown as { cxkit: Cxkit }).cxkit.flush());
  const burst = names('burst', 1000);
  const measured = await page.evaluate((burst) => {
    const cxkit = (window as unknown as { cxkit: Cxkit }).cxkit;
    const counts = { setItem: 0, getItem: 0, put: 0, stringifiedItems: 0 };
    const setItem = Storage.prototype.setItem;
    const getItem = Storage.prototype.getItem;
    const put = IDBObjectStore.prototype.put;
    const stringify = JSON.stringify;
    Storage.prototype.setItem = function (...args) {
      counts.setItem++;
      return setItem.apply(this, args);
    };
    Storage.prototype.getItem = function (...args) {
      counts.getItem++;
      return getItem.apply(this, args);
    };
    JSON.stringify = function (this: unknown, ...args: Parameters<typeof stringify>) {
      if (args[0] && typeof args[0] === 'object' && 'anonymousId' in args[0]) counts.stringifiedItems++;
      return stringify.apply(this, args);
    } as typeof stringify;
    IDBObjectStore.prototype.put = function (...args) {
      counts.put++;
      return put.apply(this, args);
    };
    const start = performance.now();
    for (const [n, name] of burst.entries()) cxkit.track(name, { n, plan: 'team' });
    const ms = performance.now() - start;
    const during = { ...counts };
    return new Promise<{ ms: number; during: typeof counts; after: typeof counts }>((resolve) =>
      setTimeout(() => {
        Storage.prototype.setItem = setItem;
        Storage.prototype.getItem = getItem;
        IDBObjectStore.prototype.put = put;
        JSON.stringify = stringify;
        resolve({ ms, during, after: counts });
      }, 200),
    );
  }, burst);
  const started = Date.now();
  await expectExactlyInDatabase('burst', burst);
  console.log(
    `track(): ${((measured.ms * 1000) / burst.length).toFixed(1)} µs a call over ${burst.length} calls; ` +
      `${burst.length} items in the database ${Date.now() - started} ms later`,
  );
  expect(measured.during).toEqual({ setItem: 0, getItem: 0, put: 0, stringifiedItems: 0 });
  // The items were made after the calls, each serialized once.
  expect(measured.after.stringifiedItems).toBe(burst.length);
  // One IndexedDB transaction for the burst (its puts), no localStorage write but the session's, a second later.
  expect(measured.after.put).toBe(burst.length);
  expect(measured.after.setItem).toBeLessThanOrEqual(1);
});

test('three bursts of 10,000 track() 300 ms apart: the dropped events and the drop report count exactly what never reached the server', async () => {
  await newContext();
  const page = await openPage();
  await page.evaluate(() => (window as unknown as { cxkit: Cxkit }).cxkit.flush());
  const reportIds = () => setup.server.query<{ id: string }>('SELECT id FROM drop_reports').map((row) => row.id);
  const reportsBefore = new Set(reportIds());
  const bursts = 3;
  const perBurst = 10_000;
  const dropped = await page.evaluate(
    async ({ bursts, perBurst }) => {
      const cxkit = (window as unknown as { cxkit: Cxkit & { on(event: 'dropped', listener: (data: { count: number }) => void): void } }).cxkit;
      let dropped = 0;
      cxkit.on('dropped', ({ count }) => (dropped += count));
      for (let burst = 0; burst < bursts; burst++) {
        for (let n = 0; n < perBurst; n++) cxkit.track(`bursts ${burst} ${n}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      await cxkit.flush();
      // The report of the drops travels with the next batch.
      cxkit.track('bursts reported');
      await cxkit.flush();
      return dropped;
    },
    { bursts, perBurst },
  );
  const stored = rows('bursts').filter((row) => row.event !== 'bursts reported');
  expect(new Set(stored.map((row) => row.id)).size).toBe(stored.length);
  expect(dropped).toBe(bursts * perBurst - stored.length);
  expect(dropped).toBeGreaterThan(0);
  const reported = setup.server
    .query<{ id: string; counts: string }>('SELECT id, counts FROM drop_reports')
    .filter((row) => !reportsBefore.has(row.id))
    .reduce((sum, row) => sum + ((JSON.parse(row.counts) as Record<string, number>).queue_full ?? 0), 0);
  expect(reported).toBe(dropped);
});

test('a host page calling cxkit with hostile arguments sees no exception, its next calls still arrive, and what cxkit dropped is reported', async () => {
  await newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${setup.proxy.url}/`);
  await page.waitForFunction(() => !('q' in (window as unknown as { cxkit: object }).cxkit));
  await page.evaluate(async () => {
    const fail = () => {
      throw new Error('hostile');
    };
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const trap = new Proxy(function () {}, { get: fail, has: fail, ownKeys: fail, getOwnPropertyDescriptor: fail, getPrototypeOf: fail, apply: fail });
    const values = [undefined, null, 0, NaN, Symbol('s'), 10n, '', 'x'.repeat(4 << 20), [1], fail, Object.create(null), cyclic, trap,
      { get writeKey() { return fail(); } }, { toJSON: fail }, { toString: fail, valueOf: fail }];
    const cxkit = (window as unknown as { cxkit: Record<string, (...args: unknown[]) => unknown> }).cxkit;
    // Each call in its own task, as a host's handlers would make them: a throw or a rejection nobody
    // handles becomes a page error, which is what this test counts.
    for (const name of Object.keys(cxkit).filter((key) => typeof cxkit[key] === 'function')) {
      for (const value of values) {
        for (const args of [[value], ['checkout', value], [value, value]]) {
          await new Promise<void>((resolve) =>
            setTimeout(() => {
              try {
                const returned = cxkit[name]!(...args);
                if (typeof returned === 'function') returned(value);
              } finally {
                resolve();
              }
            }),
          );
        }
      }
    }
  });
  // Opting out was among the calls: the host opts in again and goes on.
  await page.evaluate(() => {
    const cxkit = (window as unknown as { cxkit: Cxkit & { optIn(): void } }).cxkit;
    cxkit.optIn();
    cxkit.track('hostile survivor');
    return cxkit.flush();
  });
  await expectExactlyInDatabase('hostile', ['hostile survivor']);
  expect(errors).toEqual([]);
  // What the hostile calls made cxkit drop (a cycle, 4 MiB of properties) was reported with a batch.
  await page.evaluate(() => {
    const cxkit = (window as unknown as { cxkit: Cxkit }).cxkit;
    cxkit.track('hostile reported');
    return cxkit.flush();
  });
  const reported = setup.server.query<{ counts: string }>('SELECT counts FROM drop_reports').map((row) => JSON.parse(row.counts) as Record<string, number>);
  const sum = (code: string) => reported.reduce((total, counts) => total + (counts[code] ?? 0), 0);
  expect(sum('not_serializable')).toBeGreaterThan(0);
  expect(sum('too_large')).toBeGreaterThan(0);
});
