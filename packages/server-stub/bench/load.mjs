// Load generator for the ingest benchmark, run as its own process so it does not share an event
// loop with the server. Keeps N keep-alive connections busy with POST /v1/batch for a fixed
// time, each batch made of new items (unique ids), and prints one JSON line of results.
//
//   node load.mjs <url> <writeKey> <connections> <seconds> <itemsPerBatch>
import { Agent, request } from 'node:http';

const [url, writeKey, connections, seconds, itemsPerBatch] = process.argv.slice(2);
const target = new URL('/v1/batch', url);
const agent = new Agent({ keepAlive: true, maxSockets: Number(connections) });

const hex = (value, width) => Math.floor(value).toString(16).padStart(width, '0');
/** Shaped like the sdk's uuidv7 ids (time first, random after), which decides how they index. */
function uuidv7() {
  const now = Date.now();
  return `${hex(now / 0x10000, 8)}-${hex(now % 0x10000, 4)}-7${hex(Math.random() * 0x1000, 3)}-` +
    `${hex(0x8000 + Math.random() * 0x4000, 4)}-${hex(Math.random() * 0x1000000, 6)}${hex(Math.random() * 0x1000000, 6)}`;
}

// A realistic mix: mostly tracked events, some activity pings and session starts, a few answers.
const SHAPES = [
  ...Array(16).fill((common) =>
    `{${common},"type":"track","event":"checkout_completed","properties":{"total":90.5,"currency":"EUR","items":3}}`),
  (common) => `{${common},"type":"active"}`,
  (common) => `{${common},"type":"session_start"}`,
  (common) => `{${common},"type":"survey_shown","surveyId":"nps-checkout"}`,
  (common, n) =>
    `{${common},"type":"survey_response","surveyId":"nps-checkout","responseId":"r-${n}","metric":"nps","score":${n % 11},"final":true}`,
];

let sequence = 0;
function batchBody(worker) {
  const now = new Date().toISOString();
  const items = [];
  for (let i = 0; i < Number(itemsPerBatch); i++) {
    const n = sequence++;
    const common =
      `"id":"${uuidv7()}","timestamp":"${now}","anonymousId":"anon-${worker}-${n % 97}",` +
      `"userId":"user-${n % 1000}","sessionId":"session-${worker}","context":{"url":"https://app.example.com/cart","locale":"en"}`;
    items.push(SHAPES[n % SHAPES.length](common, n));
  }
  return `{"writeKey":"${writeKey}","sentAt":"${now}","batch":[${items.join(',')}]}`;
}

function send(body) {
  return new Promise((resolve) => {
    const req = request(
      target,
      { method: 'POST', agent, headers: { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, text: error.message }));
    req.end(body);
  });
}

const latencies = [];
const statuses = {};
let accepted = 0;
let duplicates = 0;
let rejected = 0;
const started = performance.now();
const deadline = started + Number(seconds) * 1000;

async function worker(index) {
  while (performance.now() < deadline) {
    const body = batchBody(index);
    const sentAt = performance.now();
    const { status, text } = await send(body);
    latencies.push(performance.now() - sentAt);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 200) {
      const answer = JSON.parse(text);
      accepted += answer.accepted ?? 0;
      duplicates += answer.duplicates ?? 0;
      rejected += answer.rejected?.length ?? 0;
    } else if (status === 0) {
      // The connection failed; do not spin on a dead server.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

await Promise.all(Array.from({ length: Number(connections) }, (_, i) => worker(i)));
const elapsedMs = performance.now() - started;
agent.destroy();
latencies.sort((a, b) => a - b);
const percentile = (p) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? NaN;
console.log(
  JSON.stringify({
    elapsedMs,
    requests: latencies.length,
    statuses,
    accepted,
    duplicates,
    rejected,
    p50: percentile(50),
    p99: percentile(99),
  }),
);
