import { expect, test } from 'vitest';
import { normalizeOrigin, originMatches } from '../src/origins';

test.each([
  ['*', 'https://anything.example', true],
  ['*', 'null', true],
  ['https://app.acme.com', 'https://app.acme.com', true],
  ['https://app.acme.com', 'http://app.acme.com', false],
  ['https://app.acme.com', 'https://app.acme.com:8443', false],
  ['https://app.acme.com', 'https://app.acme.com.evil.io', false],
  ['https://*.acme.com', 'https://eu.app.acme.com', true],
  ['https://*.acme.com', 'https://acme.com', false],
  ['https://*.acme.com', 'https://evilacme.com', false],
  ['https://*.acme.com', 'http://eu.acme.com', false],
  ['https://*.acme.com', 'https://eu.acme.com:8443', false],
  ['http://*.localhost:5173', 'http://tenant.localhost:5173', true],
  ['https://app.acme.com', 'null', false],
])('pattern %s admits %s: %s', (pattern, origin, admitted) => {
  expect(originMatches(pattern, origin)).toBe(admitted);
});

test.each([
  ['*', '*'],
  ['https://app.acme.com/', 'https://app.acme.com'],
  ['HTTPS://App.Acme.COM', 'https://app.acme.com'],
  ['https://app.acme.com:443', 'https://app.acme.com'],
  ['http://localhost:5173', 'http://localhost:5173'],
  ['https://*.Acme.com', 'https://*.acme.com'],
])('%s is stored as browsers send it: %s', (input, origin) => {
  expect(normalizeOrigin(input)).toBe(origin);
});

test.each([
  ['app.acme.com', /is not an origin/],
  ['https://app.acme.com/checkout', /use https:\/\/app\.acme\.com/],
  ['https://app.acme.com?x=1', /more than an origin/],
  ['ftp://files.acme.com', /not an http\(s\) origin/],
])('%s is refused with a reason', (input, reason) => {
  expect(() => normalizeOrigin(input)).toThrow(reason);
});
