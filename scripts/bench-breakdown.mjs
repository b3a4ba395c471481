// pnpm bench:breakdown — writes survey answers that carry traits, a locale and their trigger's
// properties into a temporary SQLite database through ingest (the code the server runs), then
// times GET /v1/metrics in-process over the whole range: the totals alone, and broken down by a
// trait, a trigger property, the locale and the survey, with and without a comparison of two groups.
// BENCH_RESPONSES sets how many answers (default 1,000,000); the data and timings are printed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, openSqlite } from '../packages/server-stub/dist/index.js';
import { seededRandom } from '../packages/server-stub/dist/seeded-random.js';

const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 1_000_000);
const USERS = Math.max(1, Math.round(RESPONSES / 5));
const DAYS = 90;
const DAY = 86_400_000;
const END = Date.parse('2026-11-24T00:00:00Z');
const START = END - DAYS * DAY;
const random = seededRandom(7);
const pick = (list) => list[Math.floor(random() * list.length)];

const dir = mkdtempSync(join(tmpdir(), 'cxkit-bench-breakdown-'));
const storage = openSqlite(join(dir, 'breakdown.db'));
const PROJECT = { id: 'bench', name: 'Bench', writeKey: 'pk_bench', readKey: 'sk_bench', allowedOrigins: ['*'] };
await storage.projects.ensure(PROJECT);
const SURVEYS = [
  { id: 'nps', metric: 'nps', trigger: { event: 'checkout_completed' } },
  { id: 'csat', metric: 'csat', trigger: { event: 'chat_closed' } },
  { id: 'ces', metric: 'ces', trigger: { event: 'export_done' } },
];
for (const survey of SURVEYS) await storage.surveys.put(PROJECT.id, survey, true);
const SCALE = { nps: 11, csat: 5, ces: 7 };
const FIRST = { nps: 0, csat: 1, ces: 1 };

console.log(`Writing ${RESPONSES.toLocaleString('en')} answers of ${USERS.toLocaleString('en')} users over ${DAYS} days into ${dir}`);
let started = performance.now();
let batch = [];
for (let i = 0; i < RESPONSES; i++) {
  const user = Math.floor(random() * USERS);
  const survey = pick(SURVEYS);
  const at = START + Math.floor((i / RESPONSES) * DAYS * DAY);
  const item = {
    id: `r${i}`,
    type: 'survey_response',
    timestamp: new Date(at).toISOString(),
    anonymousId: `anon-${user}`,
    userId: `user-${user}`,
    sessionId: `s-${user}`,
    context: { url: 'https://app.example.com/', locale: pick(['en-US', 'de-DE', 'fr-FR', 'ro-RO', 'es-ES', 'en-GB']) },
    surveyId: survey.id,
    responseId: `r${i}`,
    metric: survey.metric,
    score: FIRST[survey.metric] + Math.floor(random() * SCALE[survey.metric]),
    final: true,
    traits: { plan: pick(['free', 'team', 'business']), country: `C${user % 40}`, seats: user % 200, email: `user-${user}@example.com` },
    trigger: { kind: 'event', event: survey.trigger.event, properties: { payment: pick(['card', 'paypal', 'invoice']), total: 10 + (i % 90) } },
  };
  batch.push({ item, json: JSON.stringify(item), at, receivedAt: at });
  if (batch.length === 5000) {
    await storage.ingest.commit([{ projectId: PROJECT.id, items: batch }]);
    batch = [];
  }
}
if (batch.length > 0) await storage.ingest.commit([{ projectId: PROJECT.id, items: batch }]);
const seconds = (performance.now() - started) / 1000;
console.log(`Written in ${seconds.toFixed(1)} s (${Math.round(RESPONSES / seconds).toLocaleString('en')} answers/s)\n`);

const app = createApp({ storage, now: () => END });
const headers = { Authorization: `Bearer ${PROJECT.readKey}` };
const range = `from=${new Date(START).toISOString().slice(0, 10)}&to=${new Date(END - DAY).toISOString().slice(0, 10)}&period=month`;
console.log('| GET /v1/metrics?… (90 days, in-process) | groups | median of 5 | fastest |');
console.log('| --- | ---: | ---: | ---: |');
for (const query of [
  'metrics=nps,csat,ces',
  'metrics=nps,csat,ces&groupBy=trait:plan',
  'metrics=nps,csat,ces&groupBy=trait:country',
  'metrics=nps,csat,ces&groupBy=event:payment',
  'metrics=nps,csat,ces&groupBy=locale',
  'metrics=nps,csat,ces&groupBy=survey',
  'metrics=nps&groupBy=trait:plan&compare=team&compare=free',
]) {
  const times = [];
  let body;
  for (let run = 0; run < 5; run++) {
    started = performance.now();
    const answer = await app.request(`/v1/metrics?${range}&${query}`, { headers });
    body = await answer.json();
    if (answer.status !== 200) throw new Error(`${query}: ${answer.status} ${JSON.stringify(body)}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const nps = body.breakdown?.nps;
  const groups = nps ? `${nps.groups.length}${nps.other ? ` + other (${nps.other.groups})` : ''}` : '–';
  console.log(`| \`${query}\` | ${groups} | ${times[2].toFixed(0)} ms | ${times[0].toFixed(0)} ms |`);
}
await storage.close();
rmSync(dir, { recursive: true, force: true });
