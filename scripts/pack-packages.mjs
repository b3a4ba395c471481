// Packs the published packages with npm (not pnpm): what `npm publish` would upload.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The environment npm runs in here: without the npm_config_* variables of the package manager that
 * started this script (`pnpm test` sets pnpm's own, which npm warns about as unknown), so npm reads
 * its own configuration, as on a developer's machine.
 */
export const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name)));

/** The published packages, each before those that depend on it. */
export const PACKAGES = ['protocol', 'widget', 'sdk', 'server-stub'];

/** `npm pack` of one package directory into `destination`: the tarball's path and size in bytes. */
export async function packPackage(packageDir, destination) {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], { cwd: packageDir, env: npmEnv });
  const [{ filename, size }] = JSON.parse(stdout);
  return { file: join(destination, filename), size };
}
