import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFUSAL_REASONS, type RefusalResponse } from '@cxkit/protocol';
import { afterEach, expect, test } from 'vitest';
import { batch, testApp, track } from './fixtures';

let server: Awaited<ReturnType<typeof testApp>>;
afterEach(() => server.storage.close());

test('a page on an origin the project allows may send, and may read the answer', async () => {
  server = await testApp();
  const response = await server.post(batch([track()], 'pk_acme'), { Origin: 'https://app.acme.com' });
  expect(response.status).toBe(200);
  expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://app.acme.com');
  expect(response.headers.get('Vary')).toContain('Origin');
  expect(await server.count()).toBe(1);
});

test('any subdomain is allowed by a wildcard origin', async () => {
  server = await testApp();
  const response = await server.post(batch([track()], 'pk_acme'), { Origin: 'https://eu.acme.dev' });
  expect(response.status).toBe(200);
  expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://eu.acme.dev');
});

test('a page on another origin is refused 403, readable by the page, with the code and the command that allows it, and nothing is stored', async () => {
  server = await testApp();
  for (const origin of ['https://evil.example', 'https://app.acme.com.evil.example', 'null']) {
    const response = await server.post(batch([track()], 'pk_acme'), { Origin: origin });
    expect(response.status).toBe(403);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(response.headers.get('Vary')).toContain('Origin');
    const refusal = (await response.json()) as RefusalResponse;
    expect(refusal).toEqual({ reason: 'origin_not_allowed', origin, error: expect.stringContaining(`origin ${origin} is not allowed for project acme`) });
    expect(REFUSAL_REASONS).toContain(refusal.reason);
    expect(refusal.error).toContain(`cxkit-server project set-origins acme --origin ${origin}`);
  }
  expect(await server.count()).toBe(0);
});

test('requests without an Origin (servers, scripts) are not browser requests and may send', async () => {
  server = await testApp();
  expect((await server.post(batch([track()], 'pk_acme'))).status).toBe(200);
});

test('a project that allows * answers any origin with Access-Control-Allow-Origin: *', async () => {
  server = await testApp();
  const response = await server.post(batch([track()]), { Origin: 'https://anywhere.example' });
  expect(response.status).toBe(200);
  expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
});

test('refusals made before the project is known stay readable, so the sdk can act on them', async () => {
  server = await testApp();
  const unknown = await server.post(batch([track()], 'pk_nope'), { Origin: 'https://evil.example' });
  expect(unknown.status).toBe(401);
  expect(unknown.headers.get('Access-Control-Allow-Origin')).toBe('*');
  expect(await unknown.json()).toEqual({ error: 'unknown write key', reason: 'unknown_write_key' });
  const tooMany = await server.post(batch(Array.from({ length: 501 }, () => track()), 'pk_acme'), {
    Origin: 'https://app.acme.com',
  });
  expect(tooMany.status).toBe(413);
  expect(tooMany.headers.get('Access-Control-Allow-Origin')).toBe('*');
});

test('a preflight is answered the same for every origin: every method of the API, with Content-Type and Authorization', async () => {
  server = await testApp();
  const response = await server.app.request('/v1/batch', {
    method: 'OPTIONS',
    headers: {
      Origin: 'https://app.acme.com',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type',
    },
  });
  expect(response.status).toBe(204);
  expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
  // The survey admin API (read key) also replaces, pauses and deletes from a page on another origin.
  expect(response.headers.get('Access-Control-Allow-Methods')).toBe('GET, POST, PUT, PATCH, DELETE, OPTIONS');
  expect(response.headers.get('Access-Control-Allow-Headers')).toBe('Content-Type, Authorization');
  expect(response.headers.get('Access-Control-Max-Age')).toBe('86400');
  expect(await server.count()).toBe(0);
});

test('survey definitions follow the same origin rules as the batch', async () => {
  server = await testApp();
  const allowed = await server.app.request('/v1/surveys?writeKey=pk_acme', { headers: { Origin: 'https://app.acme.com' } });
  expect(allowed.status).toBe(200);
  expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://app.acme.com');
  expect(allowed.headers.get('Vary')).toContain('Origin');

  const refused = await server.app.request('/v1/surveys?writeKey=pk_acme', { headers: { Origin: 'https://evil.example' } });
  expect(refused.status).toBe(403);
  expect(refused.headers.get('Access-Control-Allow-Origin')).toBe('*');
  expect(((await refused.json()) as RefusalResponse).reason).toBe('origin_not_allowed');

  const demo = await server.app.request('/v1/surveys?writeKey=pk_demo', { headers: { Origin: 'https://evil.example' } });
  expect(demo.status).toBe(200);
  expect(((await demo.json()) as { surveys: { id: string }[] }).surveys.map((s) => s.id)).toContain('nps-checkout');
  expect((await server.app.request('/v1/surveys?writeKey=pk_other')).status).toBe(401);
});

test("the sdk's script files stay importable from any page", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxkit-sdk-'));
  for (const chunk of ['cxkit-widget.js', 'cxkit-widget-ar.js', 'cxkit-definitions.js', 'cxkit-surveys.js']) writeFileSync(join(dir, chunk), 'export {}');
  server = await testApp({ sdkDir: dir });
  try {
    for (const chunk of ['cxkit-widget.js', 'cxkit-widget-ar.js', 'cxkit-definitions.js', 'cxkit-surveys.js']) {
      const response = await server.app.request(`/sdk/${chunk}`, { headers: { Origin: 'https://evil.example' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    }
    expect((await server.app.request('/sdk/../secrets.js')).status).toBe(404);
    expect((await server.app.request('/sdk/cxkit-widget-pt.js')).status).toBe(404);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
