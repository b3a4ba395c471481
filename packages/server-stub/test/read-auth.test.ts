import { expect, test } from 'vitest';
import { OTHER, PROJECT, testServer } from './read-side-fixtures';

// Everything a product team reads or changes takes the secret read key; the public write key,
// which every visitor's browser has, never does.
const ENDPOINTS: [method: string, path: string][] = [
  ['GET', '/v1/metrics'],
  ['GET', '/v1/responses'],
  ['GET', '/v1/responses.csv'],
  ['GET', '/v1/comment-themes'],
  ['GET', '/v1/comment-themes/comments?phrase=export'],
  ['GET', '/v1/surveys'],
  ['GET', '/v1/surveys/nps-main'],
  ['POST', '/v1/surveys'],
  ['PUT', '/v1/surveys/nps-main'],
  ['PATCH', '/v1/surveys/nps-main'],
  ['DELETE', '/v1/surveys/nps-main'],
  ['GET', '/v1/rules'],
  ['PUT', '/v1/rules'],
  ['GET', '/v1/time-zone'],
  ['PUT', '/v1/time-zone'],
];

const call = async (method: string, path: string, headers: Record<string, string>) =>
  (await testServer()).app.request(path, { method, headers, ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{"status":"paused"}' }) });

test.each(ENDPOINTS)('%s %s without a key is 401 with a hint', async (method, path) => {
  const answer = await call(method, path, {});
  expect(answer.status).toBe(401);
  expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="cxkit"');
  expect(((await answer.json()) as { error: string }).error).toMatch(/Authorization: Bearer/);
});

test.each(ENDPOINTS)('%s %s with a wrong key is 401', async (method, path) => {
  expect((await call(method, path, { Authorization: 'Bearer sk_guess' })).status).toBe(401);
});

test.each(ENDPOINTS)('%s %s with the write key is 401: a write key never reads', async (method, path) => {
  expect((await call(method, path, { Authorization: `Bearer ${PROJECT.writeKey}` })).status).toBe(401);
  const withQuery = path.includes('?') ? `${path}&writeKey=${PROJECT.writeKey}` : `${path}?writeKey=${PROJECT.writeKey}`;
  if (path !== '/v1/surveys') expect((await call(method, withQuery, {})).status).toBe(401);
});

test('the scheme is read as HTTP defines it, in any case: bearer sk_… reads too', async () => {
  for (const scheme of ['bearer', 'BEARER', 'Bearer ']) {
    expect((await call('GET', '/v1/rules', { Authorization: `${scheme} ${PROJECT.readKey}` })).status).toBe(200);
  }
});

test('another project\'s read key does not reach this project\'s surveys', async () => {
  const answer = await call('GET', '/v1/surveys/nps-main', { Authorization: `Bearer ${OTHER.readKey}` });
  expect(answer.status).toBe(404);
});
