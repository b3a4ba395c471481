// Starts the cxkit server (with the demo project) and the demo app, and prints where they are.
// Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { describeDb } from '../packages/server-stub/dist/open-storage.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.CXKIT_PORT ?? 8787);
// A SQLite file by default; DATABASE_URL (postgres://…) runs the demo's server on PostgreSQL.
const db = process.env.CXKIT_DB ?? process.env.DATABASE_URL ?? 'cxkit.db';
const serverUrl = `http://127.0.0.1:${port}`;

const server = spawn(process.execPath, ['packages/server-stub/dist/cli.js', '--port', String(port), '--db', db, '--demo', '--demo-history'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve, reject) => {
  server.once('exit', (code) => reject(new Error(`cxkit server exited with code ${code}`)));
  server.stdout.on('data', function ready(chunk) {
    process.stdout.write(chunk);
    if (String(chunk).includes('listening')) {
      server.stdout.off('data', ready);
      server.stdout.pipe(process.stdout);
      resolve();
    }
  });
});

process.env.CXKIT_SERVER = serverUrl;
const demo = await createServer({ configFile: `${root}/demo/vite.config.ts`, logLevel: 'warn' });
await demo.listen();
const demoUrl = demo.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/';

console.log(`
  Demo app      ${demoUrl}
  Dashboard     ${serverUrl}/dashboard   (sign in with the read key sk_demo)
  cxkit server  ${serverUrl}   (write key pk_demo, database ${describeDb(db)})

  In the demo, "Complete checkout" asks NPS, "Close support chat" CSAT, "Export report" CES.
  Ctrl-C stops both.
`);

async function stop() {
  server.kill('SIGTERM');
  await demo.close();
  process.exit(0);
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
