import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCALES } from '@cxkit/protocol';

const SDK_FILES = new Set([
  'cxkit.js',
  'cxkit-definitions.js',
  'cxkit-surveys.js',
  'cxkit-widget.js',
  'loader.js',
  ...LOCALES.filter((locale) => locale !== 'en').map((language) => `cxkit-widget-${language}.js`),
]);

/** Serves the sdk's script-tag build, so a self-hosted server is also the script's origin. */
export function sdkFiles(dir: string): (name: string) => Promise<string | undefined> {
  const cache = new Map<string, Promise<string | undefined>>();
  return (name) => {
    if (!SDK_FILES.has(name)) return Promise.resolve(undefined);
    let file = cache.get(name);
    if (!file) {
      file = readFile(join(dir, name), 'utf8').catch(() => undefined);
      cache.set(name, file);
    }
    return file;
  };
}
