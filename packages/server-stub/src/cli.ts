#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { PROJECT_USAGE, runProjectCommand } from './project-commands.js';
import { DEFAULT_RATE_LIMIT } from './rate-limit.js';
import { startServer } from './server.js';

const USAGE = `Usage: cxkit-server [--port 8787] [--host 127.0.0.1] [--db ./cxkit.db] [--demo [--demo-history]]
                    [--rate-limit ${DEFAULT_RATE_LIMIT.perSecond}] [--rate-burst ${DEFAULT_RATE_LIMIT.burst}]
       cxkit-server project create|list|set-origins|rotate-read-key …

  --port        port to listen on (default 8787; 0 picks a free one)
  --host        address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --db          SQLite database file (default ./cxkit.db; created when missing)
  --demo        create the demo project (keys pk_demo / sk_demo) and its surveys
  --demo-history  with --demo, fill a new database with 90 days of generated activity and answers
  --rate-limit  events a second each write key may send on average (0 turns the limit off)
  --rate-burst  events a write key may send at once after a quiet spell

${PROJECT_USAGE}`;

async function serve(argv: string[]): Promise<void> {
  const { values: args } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string', default: './cxkit.db' },
      demo: { type: 'boolean', default: false },
      'demo-history': { type: 'boolean', default: false },
      'rate-limit': { type: 'string', default: String(DEFAULT_RATE_LIMIT.perSecond) },
      'rate-burst': { type: 'string', default: String(DEFAULT_RATE_LIMIT.burst) },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (args.help) return console.log(USAGE);
  const server = await startServer({
    port: wholeNumber('--port', args.port, 0, 65535),
    hostname: args.host,
    db: args.db,
    demo: args.demo,
    demoHistory: args.demo && args['demo-history'],
    rateLimit: {
      perSecond: wholeNumber('--rate-limit', args['rate-limit']),
      burst: wholeNumber('--rate-burst', args['rate-burst'], 1),
    },
  });
  console.log(`cxkit server listening on ${server.url} (database ${args.db})`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void server.close().then(() => process.exit(0)));
  }
}

function wholeNumber(flag: string, text: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (/^\d+$/.test(text) && value >= min && value <= max) return value;
  const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
  throw new Error(`${flag} must be a whole number ${range}, not "${text}"`);
}

const argv = process.argv.slice(2);
try {
  if (argv[0] === 'project') await runProjectCommand(argv.slice(1), (text) => console.log(text));
  else await serve(argv);
} catch (error) {
  console.error(`cxkit-server: ${(error as Error).message}`);
  process.exit(1);
}
