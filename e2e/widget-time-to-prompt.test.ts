// How fast a prompt appears, in a real Chromium: from showSurvey() (or a track() that triggers a survey
// with no delay) to the frame that paints it, with the chunks in the browser's cache and without; no
// long task of cxkit's scripts while the page loads or a prompt appears; no layout shift. The figures
// are printed; the targets (16 ms cached, 50 ms uncached from 127.0.0.1) are for a quiet machine. A
// showSurvey(id) of a stored survey does not wait for GET /v1/surveys, however slow it is.
import type { BrowserContext, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { SurveyDefinition, SurveysResponse } from '@cxkit/protocol';
import { useHost } from './fixtures/prompt-page';

const host = useHost();
const RUNS = Number(process.env.RUNS ?? 7);

/** Shown on every report_exported: it may ask again at once (recontactDays 0, and no cooldown below). */
const TRIGGERED: SurveyDefinition = { id: 'triggered', metric: 'nps', trigger: { event: 'report_exported' }, sampleRate: 1, recontactDays: 0 };

/** Runs in the page before any of its scripts: watches long frames, long tasks and layout shifts. */
function watchPerformance() {
  const seen = { longTasks: [] as number[], cxkitScripts: [] as { url: string; ms: number }[], layoutShift: 0 };
  (window as unknown as { seen: typeof seen }).seen = seen;
  new PerformanceObserver((list) => list.getEntries().forEach((e) => seen.longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const frame of list.getEntries() as (PerformanceEntry & { scripts: { sourceURL: string; duration: number }[] })[]) {
      for (const script of frame.scripts) if (script.sourceURL.includes('/sdk/')) seen.cxkitScripts.push({ url: script.sourceURL, ms: script.duration });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
  new PerformanceObserver((list) => list.getEntries().forEach((e) => (seen.layoutShift += (e as PerformanceEntry & { value: number }).value))).observe({ type: 'layout-shift', buffered: true });
}

type Seen = { longTasks: number[]; cxkitScripts: { url: string; ms: number }[]; layoutShift: number };

async function newContext(): Promise<BrowserContext> {
  const context = await host.browser.newContext({ viewport: { width: 1024, height: 720 } });
  await context.addInitScript(watchPerformance);
  await context.route('**/v1/surveys*', (route) =>
    route.fulfill({ json: { surveys: [TRIGGERED], rules: { cooldownDays: 0, maxRemindLater: 2 } } satisfies SurveysResponse }),
  );
  return context;
}

/** Loads the host page and waits until cxkit has its survey definitions. */
async function load(page: Page): Promise<void> {
  const surveys = page.waitForResponse('**/v1/surveys*');
  await page.goto(`${host.server.url}/`);
  await surveys;
  await page.waitForLoadState('load');
  // Lets the sdk finish what it does after the definitions arrived.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
}

/**
 * Milliseconds from the call to the frame that paints the prompt: the first animation frame in which
 * the card is in the page is the one that paints it, and a message posted from it arrives after.
 */
function timeToPrompt(page: Page, how: 'showSurvey' | 'track', surveyId?: string): Promise<number> {
  return page.evaluate(([how, surveyId]) => {
    const cxkit = (window as unknown as { cxkit: { showSurvey(s: unknown): void; track(e: string): void } }).cxkit;
    return new Promise<number>((resolve, reject) => {
      setTimeout(() => reject(new Error(`no prompt 5 s after ${how}`)), 5000);
      const started = performance.now();
      const frame = () => {
        if (!document.querySelector('cxkit-prompt')?.shadowRoot?.querySelector('[part~="card"]')) return requestAnimationFrame(frame);
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now() - started);
        channel.port2.postMessage(undefined);
      };
      requestAnimationFrame(frame);
      if (how === 'track') cxkit.track('report_exported');
      else cxkit.showSurvey(surveyId ?? { id: `shown-${Math.random()}`, metric: 'nps' });
    });
  }, [how, surveyId] as const);
}

async function close(page: Page): Promise<void> {
  await page.locator('cxkit-prompt').getByRole('button', { name: 'Close' }).click();
  await page.locator('cxkit-prompt').waitFor({ state: 'detached' });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const figures = (values: number[]) =>
  `median ${median(values).toFixed(1)} ms, best ${Math.min(...values).toFixed(1)} ms (${values.map((v) => v.toFixed(1)).join(', ')})`;

test('time to prompt: showSurvey() and a trigger with no delay, chunks cached and not; no long task, no layout shift', async () => {
  const uncached: number[] = [];
  const cached: number[] = [];
  const mounted: number[] = [];
  const triggeredUncached: number[] = [];
  const triggeredCached: number[] = [];
  const seen: Seen[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await newContext();
    try {
      const page = await context.newPage();
      await load(page);
      // A first visit: the targeting runtime and the widget chunk come from 127.0.0.1.
      (run % 2 ? triggeredUncached : uncached).push(await timeToPrompt(page, run % 2 ? 'track' : 'showSurvey'));
      await close(page);
      // The chunks already imported by this page: only the mount.
      mounted.push(await timeToPrompt(page, 'showSurvey'));
      await close(page);
      seen.push(await page.evaluate(() => (window as unknown as { seen: Seen }).seen));
      // The next page load finds the chunks in the browser's cache.
      await load(page);
      (run % 2 ? triggeredCached : cached).push(await timeToPrompt(page, run % 2 ? 'track' : 'showSurvey'));
      await close(page);
      seen.push(await page.evaluate(() => (window as unknown as { seen: Seen }).seen));
    } finally {
      await context.close();
    }
  }
  console.log(
    [
      `time to prompt over ${RUNS} fresh visitors, showSurvey() and track() alternating:`,
      `  showSurvey, chunks fetched from 127.0.0.1: ${figures(uncached)}`,
      `  showSurvey, chunks in the browser's cache (next page load): ${figures(cached)}`,
      `  showSurvey, chunks already imported by the page: ${figures(mounted)}`,
      `  trigger with no delay, chunks fetched: ${figures(triggeredUncached)}`,
      `  trigger with no delay, chunks cached: ${figures(triggeredCached)}`,
      `  long tasks (any, > 50 ms) per page: ${seen.map((s) => s.longTasks.length).join(', ')}`,
      `  longest cxkit script in a long animation frame, per page (ms): ${seen.map((s) => Math.max(0, ...s.cxkitScripts.map((c) => c.ms)).toFixed(1)).join(', ')}`,
    ].join('\n'),
  );
  // Other processes on the machine only ever add time, so the best of the runs shows what the prompt
  // costs itself. These bounds fail when a prompt waits for a timer, an idle callback or a network
  // round trip it does not need, or when cxkit blocks the page with a long task.
  for (const page of seen) expect(page.layoutShift).toBe(0);
  expect(median(seen.map((page) => Math.max(0, ...page.cxkitScripts.map((script) => script.ms))))).toBeLessThan(50);
  expect(Math.min(...cached, ...triggeredCached)).toBeLessThan(50);
  expect(Math.min(...mounted)).toBeLessThan(50);
  expect(Math.min(...uncached, ...triggeredUncached)).toBeLessThan(100);
});

test('showSurvey(id) of a stored survey does not wait for the definitions to revalidate: a slow GET /v1/surveys holds back no prompt', async () => {
  const SLOW_MS = 3000;
  const context = await newContext();
  try {
    const page = await context.newPage();
    // A first visit stores the definitions and caches the chunks.
    await load(page);
    await context.unroute('**/v1/surveys*');
    await context.route('**/v1/surveys*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
      await route.fulfill({ json: { surveys: [TRIGGERED], rules: { cooldownDays: 0, maxRemindLater: 2 } } satisfies SurveysResponse }).catch(() => undefined);
    });
    await page.reload({ waitUntil: 'load' });
    const ms = await timeToPrompt(page, 'showSurvey', TRIGGERED.id);
    console.log(`showSurvey(id) while GET /v1/surveys takes ${SLOW_MS} ms: prompt painted after ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(SLOW_MS / 3);
  } finally {
    await context.close();
  }
});
