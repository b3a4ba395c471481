import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { DROP_REASONS, REFUSAL_REASONS, REJECT_REASONS } from '../src/index';

const docs = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

test.each([...REJECT_REASONS, ...DROP_REASONS, ...REFUSAL_REASONS])('%s is a snake_case code with its meaning in docs/protocol.md', (code) => {
  expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  expect(docs).toMatch(new RegExp(`^\\| \`${code}\` \\| \\S`, 'm'));
});

test('no code is listed twice', () => {
  expect(new Set(REJECT_REASONS).size).toBe(REJECT_REASONS.length);
  expect(new Set(DROP_REASONS).size).toBe(DROP_REASONS.length);
  expect(new Set(REFUSAL_REASONS).size).toBe(REFUSAL_REASONS.length);
});
