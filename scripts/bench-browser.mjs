// pnpm bench:browser — the built script-tag files (packages/sdk/dist/cdn) in a real headless
// Chromium, served from 127.0.0.1 with a fake collector, next to posthog-js (a dev dependency,
// only here) on the same machine in the same run. Prints:
// - gzip sizes of the files a page loads;
// - track() µs a call (median and p95 over groups of calls, each group in its own task, as an app
//   makes them), a burst of 10,000 calls in one task, and whether the burst stayed exact under the
//   queue's bound; posthog.capture() the same way, and the ratio;
// - time from showSurvey() to the prompt painted, with the widget chunk uncached (a new profile)
//   and cached (a reload), and from a track() that triggers a survey with no delay; long tasks (> 50 ms) during page load and the prompt, those that
//   cxkit's scripts caused, and the layout shift.
// BENCH_RUNS sets the number of runs (default 5): each is a new browser profile, and the figures
// printed are medians over the runs. CHROMIUM_PATH as for the end-to-end tests.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const cdn = join(root, 'packages/sdk/dist/cdn');
const posthogFile = join(createRequire(import.meta.url).resolve('posthog-js'), '../array.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GROUPS = 300;
const PER_GROUP = 10;
const BURST = 10_000;
// posthog-js takes about a millisecond and a half a call: a smaller burst keeps the run short.
const POSTHOG_BURST = 1_000;

const SURVEY = { id: 'bench-nps', metric: 'nps', texts: { en: { question: 'How likely are you to recommend Acme Books?' } } };
// The same prompt, shown by an event with no delay.
const TRIGGERED = { ...SURVEY, id: 'bench-nps-checkout', trigger: { event: 'bench_checkout' } };

// --- the page server: script files, two host pages and a collector that accepts everything ---

const collected = { items: 0, events: new Set() };
const loader = readFileSync(join(cdn, 'loader.js'), 'utf8').trim().replace('__CXKIT_SRC__', '/sdk/cxkit.js');
// Registered before anything else runs, so that page load is observed from its start.
const observe = `<script>
window.bench = { longTasks: [], frames: [], shift: 0 };
new PerformanceObserver((list) => bench.longTasks.push(...list.getEntries().map((e) => ({ start: e.startTime, duration: e.duration })))).observe({ type: 'longtask', buffered: true });
try {
  new PerformanceObserver((list) => bench.frames.push(...list.getEntries().map((e) => ({ start: e.startTime, duration: e.duration,
    scripts: e.scripts.map((s) => ({ url: s.sourceURL, duration: s.duration })) })))).observe({ type: 'long-animation-frame', buffered: true });
} catch {}
new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) bench.shift += e.value; }).observe({ type: 'layout-shift', buffered: true });
</script>`;
const content = `<main style="max-width:40rem;margin:2rem auto;font:16px/1.5 system-ui">
<h1>Acme Books</h1>${'<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>'.repeat(12)}
</main>`;
const pages = {
  '/cxkit.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cxkit bench</title>${observe}
<script>${loader}
cxkit.init({ writeKey: 'pk_bench', host: location.origin });</script></head><body>${content}</body></html>`,
  '/posthog.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>posthog bench</title>${observe}
<script src="/posthog/array.js"></script>
<script>posthog.init('phc_bench', {
  api_host: location.origin,
  // As fair as we can make it: every automatic feature off, nothing filtered or rate limited.
  autocapture: false, capture_pageview: false, capture_pageleave: false, capture_performance: false,
  capture_heatmaps: false, capture_dead_clicks: false, capture_exceptions: false, rageclick: false,
  disable_session_recording: true, disable_surveys: true, disable_product_tours: true,
  disable_conversations: true, disable_web_experiments: true, disable_external_dependency_loading: true,
  opt_out_useragent_filter: true, rate_limiting: { events_per_second: 1e9, events_burst_limit: 1e9 },
});</script></head><body>${content}</body></html>`,
};

function body(request) {
  return new Promise((resolve) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString()));
  });
}

const server = createServer(async (request, response) => {
  const url = new URL(request.url, 'http://127.0.0.1');
  // Cross-origin isolated pages get 5 µs timers instead of 100 µs.
  const isolated = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  if (pages[url.pathname]) {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...isolated });
    return response.end(pages[url.pathname]);
  }
  const file = url.pathname.startsWith('/sdk/') ? join(cdn, url.pathname.slice(5)) : url.pathname === '/posthog/array.js' ? posthogFile : undefined;
  if (file && request.method === 'GET') {
    try {
      const text = readFileSync(file);
      response.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'max-age=3600', ...isolated });
      return response.end(text);
    } catch {
      response.writeHead(404);
      return response.end();
    }
  }
  if (url.pathname === '/v1/surveys') {
    response.writeHead(200, { 'Content-Type': 'application/json', ...isolated });
    return response.end(JSON.stringify({ surveys: [SURVEY, TRIGGERED] }));
  }
  const text = await body(request);
  if (url.pathname === '/v1/batch') {
    const { batch } = JSON.parse(text);
    collected.items += batch.length;
    for (const item of batch) if (item.type === 'track') collected.events.add(item.event);
    response.writeHead(200, { 'Content-Type': 'application/json' });
    return response.end(JSON.stringify({ accepted: batch.length, duplicates: 0, rejected: [] }));
  }
  // posthog's endpoints (/e/, /i/v0/e/, /flags/ …): a collector that takes anything.
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end('{}');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

// --- measurements, run inside the page ---

/** µs a call for groups of calls, each group in a task of its own; then one burst in one task. */
async function timeCalls({ name, groups, perGroup, burst }) {
  const call = name === 'cxkit' ? (event, properties) => window.cxkit.track(event, properties) : (event, properties) => window.posthog.capture(event, properties);
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  for (let n = 0; n < 100; n++) call('warm up', { n });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const samples = [];
  for (let g = 0; g < groups; g++) {
    const start = performance.now();
    for (let n = 0; n < perGroup; n++) call('checkout_completed', { n, plan: 'team', total: 90.5 });
    samples.push(((performance.now() - start) * 1000) / perGroup);
    await tick();
  }
  samples.sort((a, b) => a - b);
  // The burst starts on an empty queue, so that what it drops is its own.
  await window.cxkit?.flush();
  let dropped = 0;
  window.cxkit?.on?.('dropped', ({ count }) => (dropped += count));
  const start = performance.now();
  for (let n = 0; n < burst; n++) call(`burst ${n}`, { n, plan: 'team' });
  const burstUs = ((performance.now() - start) * 1000) / burst;
  if (name === 'cxkit') await window.cxkit.flush();
  return {
    median: samples[Math.floor(samples.length / 2)],
    p95: samples[Math.floor(samples.length * 0.95)],
    burstUs,
    dropped,
    isolated: crossOriginIsolated,
  };
}

/** showSurvey(id) (or track(event)) to the first frame painted with the prompt in it (checked in each frame's rAF, taken after that frame). */
function timePrompt({ surveyId, event }) {
  return new Promise((resolve) => {
    const start = performance.now();
    if (event) window.cxkit.track(event);
    else window.cxkit.showSurvey(surveyId);
    const check = () => {
      const prompt = document.querySelector('cxkit-prompt')?.shadowRoot?.querySelector('[part~="score"]');
      if (!prompt) return requestAnimationFrame(check);
      // A message posted in rAF is delivered after the frame's paint.
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve({ ms: performance.now() - start, start });
      channel.port2.postMessage(0);
    };
    requestAnimationFrame(check);
  });
}

/** Long tasks and cxkit's share in them (from Long Animation Frames' script attribution), layout shift. */
function pageCosts() {
  const cxkitMs = (frame) => frame.scripts.filter((s) => s.url.includes('/sdk/')).reduce((sum, s) => sum + s.duration, 0);
  return {
    longTasks: bench.longTasks.length,
    longestTask: Math.max(0, ...bench.longTasks.map((t) => t.duration)),
    cxkitLongTasks: bench.frames.filter((f) => cxkitMs(f) > 50).length,
    cxkitLongestScript: Math.max(0, ...bench.frames.map(cxkitMs)),
    shift: bench.shift,
  };
}

// --- the runs ---

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

async function openPage(context, path, ready) {
  const page = await context.newPage();
  await page.goto(`${origin}${path}`, { waitUntil: 'load' });
  await page.waitForFunction(ready);
  // The page settles: the sdk's first batch and the survey definitions are in.
  await page.waitForTimeout(1500);
  return page;
}
const cxkitReady = () => window.cxkit && !('q' in window.cxkit);
const posthogReady = () => window.posthog?.__loaded;

const runs = { cxkit: [], posthog: [], uncached: [], cached: [], triggered: [] };
try {
  for (let run = 0; run < RUNS; run++) {
    for (const [name, path, ready, burst] of [
      ['cxkit', '/cxkit.html', cxkitReady, BURST],
      ['posthog', '/posthog.html', posthogReady, POSTHOG_BURST],
    ]) {
      const context = await browser.newContext();
      const page = await openPage(context, path, ready);
      const before = collected.events.size;
      const timed = await page.evaluate(timeCalls, { name, groups: GROUPS, perGroup: PER_GROUP, burst });
      if (name === 'cxkit') {
        const arrived = [...collected.events].slice(before).filter((event) => event.startsWith('burst ')).length;
        timed.exact = arrived + timed.dropped === BURST;
        timed.arrived = arrived;
      }
      runs[name].push(timed);
      await context.close();
    }
    collected.events.clear();

    const context = await browser.newContext();
    const page = await openPage(context, '/cxkit.html', cxkitReady);
    const uncached = await page.evaluate(timePrompt, { surveyId: SURVEY.id });
    await page.waitForTimeout(500);
    runs.uncached.push({ ...uncached, ...(await page.evaluate(pageCosts)) });
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(cxkitReady);
    await page.waitForTimeout(1500);
    const cached = await page.evaluate(timePrompt, { surveyId: SURVEY.id });
    await page.waitForTimeout(500);
    runs.cached.push({ ...cached, ...(await page.evaluate(pageCosts)) });
    await context.close();

    // A device that was never asked (cooldowns apply to triggers), the chunks uncached.
    const fresh = await browser.newContext();
    const triggeredPage = await openPage(fresh, '/cxkit.html', cxkitReady);
    const triggered = await triggeredPage.evaluate(timePrompt, { event: TRIGGERED.trigger.event });
    await triggeredPage.waitForTimeout(500);
    runs.triggered.push({ ...triggered, ...(await triggeredPage.evaluate(pageCosts)) });
    await fresh.close();
  }
} finally {
  await browser.close();
  server.close();
}

// --- the report ---

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const of = (list, key) => median(list.map((entry) => entry[key]));
const fixed = (value, digits = 1) => value.toFixed(digits);

console.log(`Chromium ${browser.version()}, ${RUNS} runs (a new profile each), medians over the runs; 127.0.0.1.`);
console.log(`Timers: ${runs.cxkit.every((r) => r.isolated) ? 'cross-origin isolated (5 µs)' : 'not isolated (100 µs)'}.\n`);

console.log('gzip sizes (as size-limit measures them)');
const gzip = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
for (const file of ['loader.js', 'cxkit.js', 'cxkit-definitions.js', 'cxkit-surveys.js', 'cxkit-widget.js']) {
  console.log(`  ${file.padEnd(20)} ${String(gzip(join(cdn, file))).padStart(7)} B`);
}
console.log(`  ${'posthog array.js'.padEnd(20)} ${String(gzip(posthogFile)).padStart(7)} B (its script-tag build, before any extension)\n`);

const c = runs.cxkit;
const p = runs.posthog;
console.log(`track() / capture(), µs a call (groups of ${PER_GROUP}, ${GROUPS} groups a run)`);
console.log(`  cxkit.track()      median ${fixed(of(c, 'median'), 2)}  p95 ${fixed(of(c, 'p95'), 2)}  burst of ${BURST}: ${fixed(of(c, 'burstUs'), 2)} a call`);
console.log(`  posthog.capture()  median ${fixed(of(p, 'median'), 1)}  p95 ${fixed(of(p, 'p95'), 1)}  burst of ${POSTHOG_BURST}: ${fixed(of(p, 'burstUs'), 1)} a call`);
console.log(`  ratio (posthog / cxkit): median ${fixed(of(p, 'median') / of(c, 'median'), 0)}×, p95 ${fixed(of(p, 'p95') / of(c, 'p95'), 0)}×`);
const exact = c.every((r) => r.exact);
console.log(`  burst under the queue's bound: ${c.map((r) => `${r.arrived} arrived + ${r.dropped} dropped`).join('; ')} — ${exact ? 'exact' : 'NOT EXACT'}\n`);

console.log('showSurvey() (or a trigger with no delay) to the prompt painted');
for (const [label, list] of [
  ['uncached (new profile)', runs.uncached],
  ['cached (reload)', runs.cached],
  ['track() trigger, uncached', runs.triggered],
]) {
  console.log(
    `  ${label.padEnd(26)} ${fixed(of(list, 'ms'))} ms (runs: ${list.map((r) => fixed(r.ms)).join(', ')}); ` +
      `long tasks ${of(list, 'longTasks')} (longest ${fixed(of(list, 'longestTask'), 0)} ms), ` +
      `caused by cxkit ${of(list, 'cxkitLongTasks')} (its longest script ${fixed(of(list, 'cxkitLongestScript'), 0)} ms); ` +
      `layout shift ${fixed(of(list, 'shift'), 3)}`,
  );
}
if (!exact) process.exitCode = 1;
