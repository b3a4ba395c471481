#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startServer } from './server.js';

const USAGE = `Usage: cxkit-server [--port 8787] [--host 127.0.0.1] [--db ./cxkit.db] [--demo]

  --port   port to listen on (default 8787; 0 picks a free one)
  --host   address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --db     SQLite database file (default ./cxkit.db; created when missing)
  --demo   create the demo project (keys pk_demo / sk_demo) and its surveys`;

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string', default: './cxkit.db' },
      demo: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, not "${args.port}"`);
  process.exit(2);
}

const server = await startServer({ port, hostname: args.host, db: args.db, demo: args.demo });
console.log(`cxkit server listening on ${server.url} (database ${args.db})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
