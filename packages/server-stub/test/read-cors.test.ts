import { expect, test } from 'vitest';
import { OTHER, PROJECT, testServer } from './read-side-fixtures';

// What the secret read key reaches answers a page on another origin only where the project allows
// that origin for reading (none by default); the dashboard, served by the server itself, always.
const SERVER = 'https://cx.acme.com';
const ADMIN = 'https://admin.acme.com';

type Server = Awaited<ReturnType<typeof testServer>>;

const read = (server: Server, path: string, headers: Record<string, string> = {}, key = PROJECT.readKey) =>
  server.app.request(`${SERVER}${path}`, { headers: { Authorization: `Bearer ${key}`, ...headers } });

const putRules = (server: Server, origin: string, rules: unknown) =>
  server.app.request(`${SERVER}/v1/rules`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${PROJECT.readKey}`, 'Content-Type': 'application/json', Origin: origin },
    body: JSON.stringify(rules),
  });

const preflight = (server: Server, path: string, origin: string, method = 'GET') =>
  server.app.request(`${SERVER}${path}`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'authorization' },
  });

test('by default a page on another origin cannot read: 403 naming the origin and the command that allows it, and no Access-Control-Allow-Origin', async () => {
  const server = await testServer();
  for (const path of ['/v1/metrics', '/v1/responses', '/v1/responses.csv', '/v1/surveys', '/v1/rules', '/v1/time-zone', '/v1/retention']) {
    const answer = await read(server, path, { Origin: 'https://evil.example' });
    expect(answer.status, path).toBe(403);
    expect(answer.headers.get('Access-Control-Allow-Origin'), path).toBeNull();
    expect(((await answer.json()) as { error: string }).error).toBe(
      'origin https://evil.example may not use the read key of project acme; allow it with cxkit-server project set-read-origins acme --origin https://evil.example',
    );
  }
  // Another port or a look-alike host is another origin.
  for (const origin of ['https://cx.acme.com:8443', 'https://cx.acme.com.evil.example', 'null']) {
    expect((await read(server, '/v1/rules', { Origin: origin })).status, origin).toBe(403);
  }
});

test("the dashboard's own requests, on the server's origin, read and change as before", async () => {
  const server = await testServer();
  // Browsers send Origin on a same-origin PUT; a TLS proxy in front means the server itself sees http.
  for (const origin of [SERVER, 'http://cx.acme.com']) {
    const answer = await putRules(server, origin, { cooldownDays: 30, maxRemindLater: 1 });
    expect(answer.status, origin).toBe(200);
    expect(answer.headers.get('Access-Control-Allow-Origin')).toBeNull();
  }
  expect((await read(server, '/v1/metrics', { Origin: SERVER })).status).toBe(200);
  // A proxy that rewrites Host: the browser's Sec-Fetch-Site, which no page can set, still says same-origin.
  const proxied = await read(server, '/v1/rules', { Origin: 'https://dashboard.acme.com', 'Sec-Fetch-Site': 'same-origin' });
  expect(proxied.status).toBe(200);
});

test('requests without an Origin (servers, curl) read as before, without CORS headers', async () => {
  const server = await testServer();
  const answer = await read(server, '/v1/rules');
  expect(answer.status).toBe(200);
  expect(answer.headers.get('Access-Control-Allow-Origin')).toBeNull();
});

test('an origin the project allows for reading gets its own origin back, and Vary: Origin', async () => {
  const server = await testServer();
  await server.storage.projects.setReadOrigins(PROJECT.id, [ADMIN, 'https://*.acme.dev']);
  for (const origin of [ADMIN, 'https://eu.acme.dev']) {
    const answer = await read(server, '/v1/metrics', { Origin: origin });
    expect(answer.status, origin).toBe(200);
    expect(answer.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    expect(answer.headers.get('Vary')).toContain('Origin');
  }
  const put = await putRules(server, ADMIN, { cooldownDays: 7, maxRemindLater: 0 });
  expect(put.status).toBe(200);
  expect(put.headers.get('Access-Control-Allow-Origin')).toBe(ADMIN);
  // Allowed for one project is not allowed for another.
  expect((await read(server, '/v1/rules', { Origin: ADMIN }, OTHER.readKey)).status).toBe(403);
  // `*` in the list (not something the command stores) allows no page.
  await server.storage.projects.setReadOrigins(PROJECT.id, ['*']);
  expect((await read(server, '/v1/rules', { Origin: ADMIN })).status).toBe(403);
});

test('a cross-origin PUT or DELETE from an origin not allowed changes nothing, even sent without a preflight', async () => {
  const server = await testServer();
  const before = await server.storage.projects.rules(PROJECT.id);
  const answer = await putRules(server, 'https://evil.example', { cooldownDays: 0, maxRemindLater: 9 });
  expect(answer.status).toBe(403);
  expect(answer.headers.get('Access-Control-Allow-Origin')).toBeNull();
  expect(await server.storage.projects.rules(PROJECT.id)).toEqual(before);

  const deleted = await server.app.request(`${SERVER}/v1/surveys/nps-main`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${PROJECT.readKey}`, Origin: 'https://evil.example' },
  });
  expect(deleted.status).toBe(403);
  expect((await server.storage.surveys.active(PROJECT.id)).map((s) => s.id)).toContain('nps-main');
});

test('an unknown or missing read key is still 401, readable from any page: it tells nothing', async () => {
  const server = await testServer();
  const wrong = await read(server, '/v1/metrics', { Origin: 'https://evil.example' }, 'sk_guess');
  expect(wrong.status).toBe(401);
  expect(wrong.headers.get('Access-Control-Allow-Origin')).toBe('*');
  const missing = await server.app.request(`${SERVER}/v1/metrics`, { headers: { Origin: 'https://evil.example' } });
  expect(missing.status).toBe(401);
});

test("a preflight to a read key's path is answered only to an origin some project reads from", async () => {
  const server = await testServer();
  for (const [path, method] of [['/v1/metrics', 'GET'], ['/v1/rules', 'PUT'], ['/v1/surveys/nps-main', 'DELETE'], ['/v1/surveys', 'GET']]) {
    const refused = await preflight(server, path!, ADMIN, method);
    expect(refused.status, path).toBe(204);
    for (const header of ['Access-Control-Allow-Origin', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers']) {
      expect(refused.headers.get(header), `${path} ${header}`).toBeNull();
    }
  }

  await server.storage.projects.setReadOrigins(OTHER.id, [ADMIN]);
  const allowed = await preflight(server, '/v1/rules', ADMIN, 'PUT');
  expect(allowed.status).toBe(204);
  expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe(ADMIN);
  expect(allowed.headers.get('Vary')).toContain('Origin');
  expect(allowed.headers.get('Access-Control-Allow-Methods')).toBe('GET, POST, PUT, PATCH, DELETE, OPTIONS');
  expect(allowed.headers.get('Access-Control-Allow-Headers')).toBe('Content-Type, Authorization');
  expect((await preflight(server, '/v1/rules', 'https://evil.example', 'PUT')).headers.get('Access-Control-Allow-Origin')).toBeNull();
});

test("preflights to the write key's paths are answered as before, to every origin", async () => {
  const server = await testServer();
  for (const path of ['/v1/batch', `/v1/surveys?writeKey=${PROJECT.writeKey}`]) {
    const answer = await preflight(server, path, 'https://evil.example', path === '/v1/batch' ? 'POST' : 'GET');
    expect(answer.status, path).toBe(204);
    expect(answer.headers.get('Access-Control-Allow-Origin'), path).toBe('*');
    expect(answer.headers.get('Access-Control-Allow-Methods')).toBe('GET, POST, PUT, PATCH, DELETE, OPTIONS');
  }
  // And the write key's survey definitions still follow the write key's origins (allowedOrigins ['*'] here).
  const definitions = await server.app.request(`${SERVER}/v1/surveys?writeKey=${PROJECT.writeKey}`, { headers: { Origin: 'https://evil.example' } });
  expect(definitions.status).toBe(200);
  expect(definitions.headers.get('Access-Control-Allow-Origin')).toBe('*');
});

test('the origins in use for reading are every project\'s, each once; a project that does not exist is not changed', async () => {
  const server = await testServer();
  expect(await server.storage.projects.readOriginsInUse()).toEqual([]);
  await server.storage.projects.setReadOrigins(PROJECT.id, [ADMIN, 'https://*.acme.dev']);
  await server.storage.projects.setReadOrigins(OTHER.id, [ADMIN]);
  expect((await server.storage.projects.readOriginsInUse()).sort()).toEqual(['https://*.acme.dev', ADMIN]);
  expect((await server.storage.projects.byReadKey(PROJECT.readKey))?.readOrigins).toEqual([ADMIN, 'https://*.acme.dev']);
  expect(await server.storage.projects.setReadOrigins('nope', [ADMIN])).toBe(false);
  await server.storage.projects.setReadOrigins(PROJECT.id, []);
  expect(await server.storage.projects.readOriginsInUse()).toEqual([ADMIN]);
});
