// pnpm bench:metrics — builds a 10 million event, 100,000 user activity history in a temporary
// SQLite database through the ingest rollup (the code ingest runs) for a project whose own time
// zone is Europe/Berlin, then times 90-day DAU/MAU series through GET /v1/metrics in-process: in
// UTC and the project's zone, read from their calendars, and in other zones, computed from the
// subject-days. Then it starts the built cxkit-server on that database and measures ingest (the
// load of pnpm bench:ingest) alone, while a client keeps asking for a series in another zone, and
// while the project's zone changes and its calendar is built again.
// BENCH_EVENTS and BENCH_USERS make a smaller run, BENCH_LOAD_SECONDS a shorter load,
// BENCH_PROJECT_TZ=UTC a project without a zone of its own; the data and timings are printed.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad, startProcess, stopProcess } from '../packages/server-stub/bench/processes.mjs';
import { createApp, openSqlite } from '../packages/server-stub/dist/index.js';
import { createRollup } from '../packages/server-stub/dist/sqlite/rollup.js';
import { seededRandom } from '../packages/server-stub/dist/seeded-random.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SERIES_DAYS = 90;
// 29 days before the series so its first day already has a full 30-day MAU window.
const HISTORY_DAYS = SERIES_DAYS + 29;
const TIME_LIMIT_MS = 15 * 60_000;
const DAY = 86_400_000;
const END_DAY = Math.floor(Date.parse('2026-11-24T00:00:00Z') / DAY);
const FIRST_DAY = END_DAY - HISTORY_DAYS + 1;
const PROJECT_ZONE = process.env.BENCH_PROJECT_TZ ?? 'Europe/Berlin';
const NEXT_ZONE = 'America/New_York';

const random = seededRandom(42);

// Users differ: a few come daily, most now and then. Events per active day follow from the total.
const activity = Float64Array.from({ length: USERS }, () => 0.02 + 0.6 * random() ** 2);
const expectedUserDays = activity.reduce((sum, p) => sum + p, 0) * HISTORY_DAYS;
const eventsPerUserDay = EVENTS / expectedUserDays;
// 15% of users start anonymous and log in on some day of the history: an identify merge.
const identifyDay = Int32Array.from({ length: USERS }, () => (random() < 0.15 ? FIRST_DAY + Math.floor(random() * HISTORY_DAYS) : -1));

const dir = mkdtempSync(join(tmpdir(), 'cxkit-bench-metrics-'));
const file = join(dir, 'metrics.db');
const storage = openSqlite(file);
const PROJECT = { id: 'bench', name: 'Bench', writeKey: 'pk_bench', readKey: 'sk_bench', allowedOrigins: ['*'] };
await storage.projects.ensure(PROJECT);
await storage.activity.setTimeZone(PROJECT.id, PROJECT_ZONE);
while (await storage.activity.buildZoneStep(1000));
const rollup = createRollup(storage.db);
const record = storage.db.transaction((items) => rollup.record(PROJECT.id, items));
const commit = (items) => rollup.committing(() => record.immediate(items));

console.log(
  `Generating ${EVENTS.toLocaleString('en')} events of ${USERS.toLocaleString('en')} users over ${HISTORY_DAYS} days ` +
    `(project zone ${PROJECT_ZONE}) into ${file}`,
);
const started = performance.now();
let events = 0;
let sequence = 0;
let batch = [];
const flush = () => {
  commit(batch);
  batch = [];
};
for (let day = FIRST_DAY; day <= END_DAY && events < EVENTS; day++) {
  for (let user = 0; user < USERS && events < EVENTS; user++) {
    if (random() >= activity[user]) continue;
    const anonymousId = `anon-${user}`;
    const identified = identifyDay[user] === -1 || day >= identifyDay[user];
    const userId = identified ? `user-${user}` : undefined;
    // One or two sessions a day, events a few minutes apart.
    let at = day * DAY + Math.floor(random() * 20 * 3_600_000);
    const count = Math.max(1, Math.round(eventsPerUserDay * (0.5 + random())));
    for (let e = 0; e < count && events < EVENTS; e++) {
      if (e === Math.floor(count / 2) && random() < 0.3) at += 2 * 3_600_000;
      at += Math.floor(random() * 240_000);
      const type = day === identifyDay[user] && e === 0 ? 'identify' : 'track';
      batch.push({ item: { id: `e${++sequence}`, type, anonymousId, ...(type === 'identify' || userId ? { userId: `user-${user}` } : {}) }, at, receivedAt: at });
      events++;
      if (batch.length === 5000) flush();
    }
  }
  if (performance.now() - started > TIME_LIMIT_MS) {
    console.log(`Stopped generating after ${TIME_LIMIT_MS / 60_000} minutes, at ${events.toLocaleString('en')} events.`);
    break;
  }
}
flush();
const generationSeconds = (performance.now() - started) / 1000;
const rows = (table) => storage.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get().n;
storage.db.pragma('wal_checkpoint(TRUNCATE)');
console.log(
  `Generated ${events.toLocaleString('en')} events in ${generationSeconds.toFixed(1)} s ` +
    `(${Math.round(events / generationSeconds).toLocaleString('en')} events/s through the rollup); ` +
    `${rows('activity_user_days').toLocaleString('en')} user-days (${rows('activity_zone_user_days').toLocaleString('en')} in the project's zone), ` +
    `${rows('identities').toLocaleString('en')} identify merges, ` +
    `database ${(statSync(file).size / 1e6).toFixed(0)} MB`,
);

const app = createApp({ storage, now: () => (END_DAY + 1) * DAY - 1 });
const from = new Date((END_DAY - SERIES_DAYS + 1) * DAY).toISOString().slice(0, 10);
const to = new Date(END_DAY * DAY).toISOString().slice(0, 10);
const series = (extra) => `/v1/metrics?metrics=activity&from=${from}&to=${to}${extra}`;
const headers = { Authorization: `Bearer ${PROJECT.readKey}` };

/** Asks each series five times through `ask(path)` and prints a table row for each. */
async function timeSeries(ask, cases) {
  console.log('| series | first run | median | fastest | last day DAU / MAU |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, extra] of cases) {
    const times = [];
    let report;
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      const answer = await ask(series(extra));
      report = await answer.json();
      times.push(performance.now() - t0);
      if (answer.status !== 200) throw new Error(`${name}: ${answer.status} ${JSON.stringify(report)}`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const last = report.series[report.series.length - 1].activity;
    console.log(
      `| ${name} | ${times[0].toFixed(0)} ms | ${sorted[2].toFixed(0)} ms | ${sorted[0].toFixed(0)} ms | ` +
        `${Math.round(last.dau).toLocaleString('en')} / ${Math.round(last.mau).toLocaleString('en')} |`,
    );
  }
}

console.log(`\n90-day DAU/MAU series ${from} … ${to}, GET /v1/metrics?metrics=activity in-process (5 runs each)`);
await timeSeries((path) => app.request(path, { headers }), [
  ['UTC, by day', ''],
  ['UTC, by week', '&period=week'],
  ['UTC, by month', '&period=month'],
  ...(PROJECT_ZONE === 'UTC'
    ? []
    : [
        [`${PROJECT_ZONE} (the project's zone), by day`, `&tz=${PROJECT_ZONE}`],
        [`${PROJECT_ZONE} (the project's zone), by week`, `&tz=${PROJECT_ZONE}&period=week`],
      ]),
  ['Asia/Kolkata (+5:30), by day', '&tz=Asia/Kolkata'],
  ['America/New_York (DST), by day', '&tz=America/New_York'],
]);

// Accounts: every user in one of BENCH_ACCOUNTS companies (a group item each, through ingest), a
// fifth of them with an NPS and a CSAT answer, then the health of every account and one account's page.
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 2_000);
const now = (END_DAY + 1) * DAY - 1;
const joined = performance.now();
for (let first = 0; first < USERS; first += 500) {
  const items = [];
  for (let user = first; user < Math.min(USERS, first + 500); user++) {
    const at = FIRST_DAY * DAY + user;
    const base = { anonymousId: `anon-${user}`, userId: `user-${user}`, sessionId: 's', timestamp: new Date(at).toISOString() };
    items.push({ item: { ...base, id: `g${user}`, type: 'group', accountId: `acct-${user % ACCOUNTS}` }, json: '{}', at, receivedAt: at });
    if (user % 5 !== 0) continue;
    const answered = now - Math.floor(random() * 150) * DAY;
    for (const [metric, surveyId, max, min] of [['nps', 'nps-main', 10, 0], ['csat', 'csat-support', 5, 1]]) {
      items.push({
        item: { ...base, id: `${metric}${user}`, type: 'survey_response', surveyId, responseId: `${metric}-${user}`, metric, score: min + Math.floor(random() * (max - min + 1)), final: true },
        json: '{}',
        at: answered,
        receivedAt: answered,
      });
    }
  }
  await storage.ingest.commit([{ projectId: PROJECT.id, items }]);
}
console.log(`\nAccounts: ${USERS.toLocaleString('en')} users joined ${ACCOUNTS.toLocaleString('en')} accounts, ${(USERS / 5 * 2).toLocaleString('en')} answers, in ${((performance.now() - joined) / 1000).toFixed(1)} s`);
const accountsApp = createApp({ storage, now: () => now });
console.log('| question | first run | median | fastest | answer |');
console.log('| --- | ---: | ---: | ---: | --- |');
for (const [name, path, summary] of [
  ['GET /v1/account-health (every account)', '/v1/account-health', (body) => `${body.accounts.length} accounts, ${body.atRisk.accounts.length} at risk`],
  ['GET /v1/accounts/acct-1/metrics (12 weeks of health)', '/v1/accounts/acct-1/metrics', (body) => `${body.usage.users} users, index ${body.health.index}`],
]) {
  const times = [];
  let body;
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    const answer = await accountsApp.request(path, { headers });
    body = await answer.json();
    times.push(performance.now() - t0);
    if (answer.status !== 200) throw new Error(`${name}: ${answer.status} ${JSON.stringify(body)}`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`| ${name} | ${times[0].toFixed(0)} ms | ${sorted[2].toFixed(0)} ms | ${sorted[0].toFixed(0)} ms | ${summary(body)} |`);
}
await storage.close();

// Over HTTP, the built server on this database: ingest alone, beside slow reads, and while the
// project's zone changes and its calendar is built again.
const LOAD = { connections: 16, seconds: Number(process.env.BENCH_LOAD_SECONDS ?? 10), batch: 50 };
const server = await startProcess([
  fileURLToPath(new URL('../packages/server-stub/dist/cli.js', import.meta.url)), '--port', '0', '--db', file, '--rate-limit', '0',
]);
const get = (path, init) => fetch(server.url + path, { ...init, headers });
const alone = await runLoad(server.url, PROJECT.writeKey, LOAD);

const reads = [];
let reading = true;
const reader = (async () => {
  while (reading) {
    const t0 = performance.now();
    const answer = await get(series('&tz=Asia/Kolkata'));
    await answer.arrayBuffer();
    reads.push({ ms: performance.now() - t0, status: answer.status });
  }
})();
const beside = await runLoad(server.url, PROJECT.writeKey, LOAD);
reading = false;
await reader;

const changed = performance.now();
const put = await get('/v1/time-zone', { method: 'PUT', body: JSON.stringify({ timeZone: NEXT_ZONE }) });
if (put.status !== 200) throw new Error(`PUT /v1/time-zone: ${put.status} ${await put.text()}`);
const ready = async () => (await (await get('/v1/time-zone')).json()).ready;
let builtMs;
const watcher = (async () => {
  while (!(await ready())) await new Promise((resolve) => setTimeout(resolve, 250));
  builtMs = performance.now() - changed;
})();
const building = await runLoad(server.url, PROJECT.writeKey, LOAD);
const builtUnderLoad = builtMs !== undefined;
await watcher;

console.log(`\nIngest over HTTP, ${LOAD.connections} connections × ${LOAD.batch}-event batches, ${LOAD.seconds} s each, cxkit-server on this database`);
console.log('| ingest | events/s accepted | p50 | p99 | statuses |');
console.log('| --- | ---: | ---: | ---: | --- |');
for (const [name, result] of [
  ['alone', alone],
  ['while Asia/Kolkata series are asked for, one after another', beside],
  [`while the project's zone changes to ${NEXT_ZONE} and its calendar is built`, building],
]) {
  const statuses = Object.entries(result.statuses).map(([status, n]) => `${status}×${n}`).join(' ');
  console.log(
    `| ${name} | ${Math.round(result.accepted / (result.elapsedMs / 1000)).toLocaleString('en')} | ` +
      `${result.p50.toFixed(1)} ms | ${result.p99.toFixed(1)} ms | ${statuses} |`,
  );
}
const readTimes = reads.map((r) => r.ms).sort((a, b) => a - b);
console.log(
  `Asia/Kolkata series during that load: ${reads.length} answered ` +
    `(${[...new Set(reads.map((r) => r.status))].join(', ')}), median ${readTimes[Math.floor(readTimes.length / 2)]?.toFixed(0)} ms, ` +
    `slowest ${readTimes[readTimes.length - 1]?.toFixed(0)} ms`,
);
console.log(
  `The calendar of ${NEXT_ZONE} was ready ${(builtMs / 1000).toFixed(1)} s after the change ` +
    `(${builtUnderLoad ? 'all of it' : `the first ${LOAD.seconds} s`} under that ingest load)`,
);

console.log(`\n90-day DAU/MAU series over HTTP once ${NEXT_ZONE} is the project's zone (5 runs each)`);
await timeSeries(get, [
  [`${NEXT_ZONE} (the project's zone), by day`, `&tz=${NEXT_ZONE}`],
  [`${PROJECT_ZONE} (no longer the project's zone), by day`, `&tz=${PROJECT_ZONE}`],
]);
await stopProcess(server.child);
rmSync(dir, { recursive: true, force: true });
