// Keeps the README's size table true: `node scripts/sizes.mjs` fails when the table differs
// from what size-limit measures now (and the limits fail on their own); `--write` rewrites it.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- sizes:start -->';
const END = '<!-- sizes:end -->';
const readme = new URL('../README.md', import.meta.url);

const results = JSON.parse(execFileSync('pnpm', ['exec', 'size-limit', '--json'], { encoding: 'utf8' }));
const kb = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;
const table = [
  '| file | gzip | budget |',
  '| --- | ---: | ---: |',
  ...results.map((r) => `| ${r.name} | ${r.size < 1000 ? `${r.size} B` : kb(r.size)} | ${r.sizeLimit < 1000 ? `${r.sizeLimit} B` : kb(r.sizeLimit)} |`),
].join('\n');

const text = readFileSync(readme, 'utf8');
const start = text.indexOf(START);
const end = text.indexOf(END);
if (start < 0 || end < 0) throw new Error(`README.md needs ${START} and ${END} around the size table`);
const current = text.slice(start + START.length, end).trim();

if (process.argv.includes('--write')) {
  writeFileSync(readme, `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`);
  console.log(table);
} else if (current !== table) {
  console.error(`README.md's size table is out of date. Run: node scripts/sizes.mjs --write\n\nMeasured now:\n${table}`);
  process.exit(1);
} else {
  console.log('README.md size table matches the build.');
}
