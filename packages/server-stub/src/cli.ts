#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { PROJECT_USAGE, runProjectCommand } from './project-commands.js';
import { DEFAULT_RATE_LIMIT } from './rate-limit.js';
import { describeDb, isPostgresUrl, openStorage } from './open-storage.js';
import { DEMO_PROJECT, DEMO_SURVEYS, seedDemo } from './demo.js';
import { seedDemoHistory } from './demo-history.js';
import { startServer } from './server.js';
import { isWorker, reportListening, runWorkers } from './workers.js';

const USAGE = `Usage: cxkit-server [--port 8787] [--host 127.0.0.1] [--db ./cxkit.db | postgres://…] [--workers 1] [--demo [--demo-history]]
                    [--public-url https://cx.example.com] [--rate-limit ${DEFAULT_RATE_LIMIT.perSecond}] [--rate-burst ${DEFAULT_RATE_LIMIT.burst}]
       cxkit-server project create|list|set-origins|rotate-read-key …

  --port        port to listen on (default 8787; 0 picks a free one)
  --host        address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --db          SQLite database file (default ./cxkit.db; created when missing), or a PostgreSQL URL
                (postgres://user:password@host:5432/cxkit); DATABASE_URL is used when --db is not given
  --workers     server processes sharing the port and the database (default 1; more need PostgreSQL)
  --demo        create the demo project (keys pk_demo / sk_demo) and its surveys
  --demo-history  with --demo, fill a new database with 90 days of generated activity and answers
  --public-url  the address people reach this server's dashboard at, for the links in alerts
                (default: the address it listens on)
  --rate-limit  events a second each write key may send on average (0 turns the limit off)
  --rate-burst  events a write key may send at once after a quiet spell

${PROJECT_USAGE}`;

async function serve(argv: string[]): Promise<void> {
  const { values: args } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string', default: process.env.DATABASE_URL || './cxkit.db' },
      workers: { type: 'string', default: '1' },
      demo: { type: 'boolean', default: false },
      'demo-history': { type: 'boolean', default: false },
      'public-url': { type: 'string' },
      'rate-limit': { type: 'string', default: String(DEFAULT_RATE_LIMIT.perSecond) },
      'rate-burst': { type: 'string', default: String(DEFAULT_RATE_LIMIT.burst) },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (args.help) return console.log(USAGE);
  const workers = wholeNumber('--workers', args.workers, 1, 64);
  if (workers > 1 && !isPostgresUrl(args.db)) {
    throw new Error('--workers above 1 needs PostgreSQL (--db postgres://…): a SQLite database takes one process');
  }
  const demo = args.demo;
  const demoHistory = args.demo && args['demo-history'];
  const options = {
    port: wholeNumber('--port', args.port, 0, 65535),
    hostname: args.host,
    db: args.db,
    ...(args['public-url'] && { publicUrl: args['public-url'].replace(/\/+$/, '') }),
    rateLimit: {
      perSecond: wholeNumber('--rate-limit', args['rate-limit']),
      burst: wholeNumber('--rate-burst', args['rate-burst'], 1),
    },
  };
  const listening = (url: string, processes = '') => console.log(`cxkit server listening on ${url} (database ${describeDb(args.db)}${processes})`);
  if (workers > 1 && !isWorker()) {
    // The database is prepared once, before any worker takes a request.
    const prepare = async () => {
      const { storage } = await openStorage(args.db);
      if (demo) await seedDemo(storage);
      if (demoHistory) await seedDemoHistory(storage, DEMO_PROJECT.id, DEMO_SURVEYS);
      await storage.close();
    };
    return runWorkers(workers, prepare, (url) => listening(url, `, ${workers} processes`));
  }
  const server = await startServer({ ...options, demo: demo && !isWorker(), demoHistory: demoHistory && !isWorker() });
  if (isWorker()) reportListening(server.url);
  else listening(server.url);
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
