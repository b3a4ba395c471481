// The server's tests run against a real PostgreSQL 15 (packages/server-stub/test/postgres-harness.ts).
// On a Debian/Ubuntu machine where it is missing and we are root, install Debian's package.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const pgCtl = '/usr/lib/postgresql/15/bin/pg_ctl';
if (existsSync(pgCtl)) process.exit(0);

const canApt = existsSync('/usr/bin/apt-get') && process.getuid?.() === 0;
if (!canApt) {
  console.error(
    `No PostgreSQL 15 at ${pgCtl}. Install it (Debian/Ubuntu: apt-get install postgresql), ` +
      'then run the tests again.',
  );
  process.exit(1);
}
console.log("PostgreSQL is missing; installing Debian's postgresql package for the server tests…");
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { stdio: 'inherit', env });
