// node scripts/size-treemap.mjs [entry] — where the bytes of a script-tag file come from: bundles the
// entry as packages/sdk/build.mjs does (minified, with a source map) and prints, per source file, the
// minified characters it accounts for and their gzip size on their own. Entries: src/cdn.ts (the
// core, default), src/survey-definitions.ts (the definitions chunk), src/survey-runtime.ts (the
// targeting chunk), src/loader.ts. Files compress better
// together than apart, so the per-file figures add up to more than the bundle's own gzip size.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const sdk = join(root, 'packages/sdk');
const entry = process.argv[2] ?? 'src/cdn.ts';
const out = mkdtempSync(join(tmpdir(), 'cxkit-treemap-'));

process.chdir(sdk);
await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    lib: { entry, formats: [entry.includes('survey-') ? 'es' : 'iife'], name: 'cxkitBundle', fileName: () => 'out.js' },
    target: 'es2020',
    outDir: out,
    emptyOutDir: true,
    sourcemap: true,
    minify: true,
    rolldownOptions: { output: { minify: true } },
  },
});
const code = readFileSync(join(out, 'out.js'), 'utf8');
const map = JSON.parse(readFileSync(join(out, 'out.js.map'), 'utf8'));
rmSync(out, { recursive: true });

/** Source-map VLQ: each segment's fields as deltas. */
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function decodeSegment(text) {
  const fields = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = DIGITS.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return fields;
}

const perSource = new Map();
const lines = code.split('\n');
let source = 0;
map.mappings.split(';').forEach((line, index) => {
  let column = 0;
  const segments = line ? line.split(',').map(decodeSegment) : [];
  const starts = segments.map((fields) => {
    column += fields[0];
    if (fields.length > 1) source += fields[1];
    return [column, fields.length > 1 ? source : -1];
  });
  starts.forEach(([start, from], n) => {
    const end = n + 1 < starts.length ? starts[n + 1][0] : lines[index].length;
    const name = from < 0 ? '(glue)' : relative(root, join(out, map.sources[from])).replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '');
    perSource.set(name, (perSource.get(name) ?? '') + lines[index].slice(start, end));
  });
});

console.log(`${entry}: ${code.length} B minified, ${gzipSync(code, { level: 9 }).length} B gzip (before build.mjs's terser pass)`);
console.log('minified   gzip alone   source');
for (const [name, text] of [...perSource].sort((a, b) => b[1].length - a[1].length)) {
  console.log(`${String(text.length).padStart(8)} ${String(gzipSync(text, { level: 9 }).length).padStart(12)}   ${name}`);
}
