// Checks each published package as npm would ship it: packs it with npm, lints the tarball with
// publint, checks its types under every TypeScript resolver with arethetypeswrong (node10, node16
// from CommonJS and from ESM, bundler), checks that the packages name each other by their shared
// version, and runs `npm publish --dry-run`. Prints each tarball's size.
// The packed tarballs are installed into a fresh app by e2e/packed-app.test.ts.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { npmEnv, PACKAGES, packPackage } from './pack-packages.mjs';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const attw = join(root, 'node_modules/.bin/attw');

const dir = await mkdtemp(join(tmpdir(), 'cxkit-packages-'));
const failures = [];
try {
  for (const name of PACKAGES) {
    const packageDir = join(root, 'packages', name);
    const { file, size } = await packPackage(packageDir, dir);
    const problems = [];

    const tarball = await readFile(file);
    const lint = await publint({ pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) }, level: 'suggestion', strict: true });
    for (const message of lint.messages) problems.push(`publint ${message.type}: ${formatMessage(message, lint.pkg)}`);

    // Released together (one fixed Changesets group): each names the others by their one version,
    // never a workspace: range, which only pnpm's own publish would rewrite.
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [dependency, range] of Object.entries(lint.pkg[field] ?? {})) {
        if (range.startsWith('workspace:')) problems.push(`${field}: ${dependency} is ${range}, which npm would publish as is`);
        else if (dependency.startsWith('@cxkit/') && range !== lint.pkg.version) problems.push(`${field}: ${dependency} is ${range}, not ${lint.pkg.version}, the version the packages share`);
      }
    }

    // Exits non-zero on any problem in any resolution mode.
    await run(attw, [file, '--format', 'table-flipped']).catch((error) => problems.push(`arethetypeswrong:\n${error.stdout}`));

    // Clean means no warning at all, but the one every dry run gets without an npm login.
    const { stderr } = await run('npm', ['publish', '--dry-run'], { cwd: packageDir, env: npmEnv });
    const warnings = stderr.split('\n').filter((line) => line.startsWith('npm warn') && !line.includes('requires you to be logged in'));
    if (warnings.length) problems.push(`npm publish --dry-run:\n${warnings.join('\n')}`);

    console.log(`${problems.length ? '✗' : '✓'} @cxkit/${name}  packed ${(size / 1000).toFixed(2)} kB`);
    for (const problem of problems) console.log(`  ${problem.replaceAll('\n', '\n  ')}`);
    if (problems.length) failures.push(name);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`package checks failed: ${failures.join(', ')}`);
  process.exit(1);
}
