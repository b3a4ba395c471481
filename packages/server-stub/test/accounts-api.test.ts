// Accounts on every engine: group items through the batch, traits merged as docs/accounts.md says
// (newer over older, null removes, an older change only fills gaps), each user's latest account,
// and the read-key API: get, list, PUT, and imports of JSON and CSV with per-row errors.
import { beforeEach, expect, test } from 'vitest';
import { batch, NOW, testApp, track } from './fixtures';

let server: Awaited<ReturnType<typeof testApp>>;
beforeEach(async () => {
  server = await testApp();
});

const read = (path: string, init: RequestInit = {}, key = 'sk_demo') =>
  server.app.request(path, { ...init, headers: { Authorization: `Bearer ${key}`, ...(init.headers ?? {}) } });
const account = async (id: string) => (await read(`/v1/accounts/${id}`)).json();
const group = (accountId: string, traits: Record<string, unknown> | undefined, secondsAgo: number, overrides: Record<string, unknown> = {}) =>
  track({ type: 'group', event: undefined, accountId, ...(traits && { traits }), timestamp: new Date(NOW - secondsAgo * 1000).toISOString(), ...overrides });
const put = (id: string, body: unknown) => read(`/v1/accounts/${id}`, { method: 'PUT', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

test('group() items make accounts with their traits; a later change is merged and a null removes a trait', async () => {
  const first = await server.post(batch([group('acme', { name: 'Acme Corp', plan: 'team', mrr: 1200 }, 60)]));
  expect(await first.json()).toMatchObject({ accepted: 1, rejected: [] });
  await server.post(batch([group('acme', { plan: 'business', mrr: null, beta: true }, 30)]));
  expect(await account('acme')).toEqual({
    id: 'acme',
    traits: { name: 'Acme Corp', plan: 'business', beta: true },
    createdAt: NOW - 60_000,
    updatedAt: NOW - 30_000,
    users: 1,
  });
});

test('a change older than the account\'s last one, from a device that was offline, only fills traits it lacks', async () => {
  await server.post(batch([group('acme', { plan: 'business' }, 10)]));
  await server.post(batch([group('acme', { plan: 'free', seats: 3, mrr: null }, 3600)]));
  expect((await account('acme')).traits).toEqual({ plan: 'business', seats: 3 });
  // Several changes in one batch end as they would one by one.
  await server.post(batch([group('globex', { plan: 'team', a: 1 }, 5), group('globex', { plan: 'free', b: 2, a: null }, 50), group('globex', { c: null }, 1)]));
  expect((await account('globex')).traits).toEqual({ plan: 'team', a: 1, b: 2 });
});

test('each user counts in the account of their latest group(); a newer one moves them, an older one does not', async () => {
  await server.post(
    batch([
      group('acme', {}, 100, { userId: 'u-1' }),
      group('acme', {}, 100, { userId: 'u-2' }),
      group('globex', {}, 100, { anonymousId: 'anon-9' }),
      group('globex', {}, 50, { userId: 'u-2' }),
    ]),
  );
  await server.post(batch([group('initech', {}, 500, { userId: 'u-1' })]));
  const list = (await (await read('/v1/accounts')).json()) as { accounts: { id: string; users: number }[] };
  expect(list.accounts.map((a) => [a.id, a.users])).toEqual([
    ['acme', 1],
    ['globex', 2],
    ['initech', 0],
  ]);
  expect(await server.storage.accounts.members('demo')).toEqual(new Map([['u-1', 'acme'], ['u-2', 'globex'], ['anon-9', 'globex']]));
});

test('a group item is validated like the others: its account id and flat traits, with the field named', async () => {
  const response = await server.post(
    batch([
      group('', {}, 1),
      group('acme', { nested: { plan: 'team' } }, 1),
      group('acme', ['team'] as unknown as Record<string, unknown>, 1),
      group('a'.repeat(201), {}, 1),
      track({ accountId: 7 }),
      group('acme', { plan: 'team' }, 1),
    ]),
  );
  expect(await response.json()).toMatchObject({
    accepted: 1,
    rejected: [
      { index: 0, reason: 'invalid_field', detail: 'accountId' },
      { index: 1, reason: 'invalid_field', detail: 'traits.nested' },
      { index: 2, reason: 'invalid_field', detail: 'traits' },
      { index: 3, reason: 'invalid_field', detail: 'accountId' },
      { index: 4, reason: 'invalid_field', detail: 'accountId' },
    ],
  });
});

test('PUT sets traits from the team\'s backend; other traits stay; bad bodies are 400 with the field', async () => {
  await server.post(batch([group('acme', { name: 'Acme Corp' }, 60)]));
  const response = await put('acme', { traits: { mrr: 1200, renewsOn: '2027-03-01' } });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ id: 'acme', traits: { name: 'Acme Corp', mrr: 1200, renewsOn: '2027-03-01' }, updatedAt: NOW });
  // A device's group() from before the PUT does not undo it.
  await server.post(batch([group('acme', { mrr: 10 }, 30)]));
  expect((await account('acme')).traits.mrr).toBe(1200);
  // An account the sdk never named can be made from the backend.
  expect((await (await put('initech', { traits: { plan: 'team' } })).json()).traits).toEqual({ plan: 'team' });

  for (const [body, field] of [
    [{ traits: { mrr: [1] } }, 'traits.mrr'],
    [{ traits: { mrr: 1 }, plan: 'x' }, 'plan'],
    [{ traits: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`t${i}`, i])) }, 'traits'],
  ] as const) {
    const bad = await put('acme', body);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field });
  }
  expect((await put('acme', 'not json')).status).toBe(400);
  expect((await read('/v1/accounts/nobody')).status).toBe(404);
});

test('imports a JSON list or a CSV, all or nothing, with the rows that are wrong', async () => {
  const json = await read('/v1/accounts/import', {
    method: 'POST',
    body: JSON.stringify({ accounts: [{ id: 'acme', traits: { plan: 'team', mrr: 1200 } }, { id: 'globex' }] }),
  });
  expect(await json.json()).toEqual({ imported: 2 });
  const csv = 'id,name,plan,mrr,churned\r\nacme,"Acme, Corp",business,2400.5,false\ninitech,"Initech ""IT""",free,,true\n';
  const imported = await read('/v1/accounts/import', { method: 'POST', body: csv, headers: { 'Content-Type': 'text/csv' } });
  expect(await imported.json()).toEqual({ imported: 2 });
  expect((await account('acme')).traits).toEqual({ name: 'Acme, Corp', plan: 'business', mrr: 2400.5, churned: false });
  expect((await account('initech')).traits).toEqual({ name: 'Initech "IT"', plan: 'free', churned: true });

  const wrong = await read('/v1/accounts/import', {
    method: 'POST',
    body: JSON.stringify([{ id: 'ok' }, { id: 'bad', traits: { x: {} } }, { traits: {} }, { id: 'ok' }]),
  });
  expect(wrong.status).toBe(400);
  expect(await wrong.json()).toMatchObject({
    issues: [
      { row: 2, field: 'traits.x' },
      { row: 3, field: 'id' },
      { row: 4, field: 'id', message: 'account ok is listed twice' },
    ],
  });
  expect((await read('/v1/accounts/ok')).status).toBe(404);
  const noId = await read('/v1/accounts/import', { method: 'POST', body: 'name,plan\nAcme,team\n', headers: { 'Content-Type': 'text/csv' } });
  expect(await noId.json()).toMatchObject({ error: expect.stringMatching(/"id" column/) });
  const ragged = await read('/v1/accounts/import', { method: 'POST', body: 'id,plan\nacme\n', headers: { 'Content-Type': 'text/csv' } });
  expect(await ragged.json()).toMatchObject({ issues: [{ row: 1, message: 'has 1 cells, the header 2' }] });
});

test('lists accounts in id order, paged; only the read key reads or writes them', async () => {
  await read('/v1/accounts/import', { method: 'POST', body: JSON.stringify(['c', 'a', 'b', 'd'].map((id) => ({ id }))) });
  const first = (await (await read('/v1/accounts?limit=3')).json()) as { accounts: { id: string }[]; next: string };
  expect([first.accounts.map((a) => a.id), first.next]).toEqual([['a', 'b', 'c'], 'c']);
  const second = await (await read(`/v1/accounts?limit=3&after=${first.next}`)).json();
  expect(second).toMatchObject({ accounts: [{ id: 'd' }], next: null });
  expect((await read('/v1/accounts?limit=0')).status).toBe(400);
  expect((await read('/v1/accounts?page=2')).status).toBe(400);
  // The write key, which every page holds, neither reads nor writes accounts.
  expect((await read('/v1/accounts/a', {}, 'pk_demo')).status).toBe(401);
  expect((await read('/v1/accounts/a', { method: 'PUT', body: '{"traits":{"x":1}}' }, 'pk_demo')).status).toBe(401);
  // Another project's read key sees and changes its own accounts only.
  expect((await read('/v1/accounts/a', {}, 'sk_acme')).status).toBe(404);
  expect((await read('/v1/accounts/a', { method: 'PUT', body: '{"traits":{"x":1}}' }, 'sk_acme')).status).toBe(200);
  expect((await account('a')).traits).toEqual({});
});

test('a survey with account conditions is served only to devices of an account that meets them', async () => {
  const survey = { id: 'team-nps', metric: 'nps', trigger: { event: 'report_exported' }, audience: { account: [{ key: 'plan', op: 'eq', value: 'team' }] } };
  expect((await read('/v1/surveys', { method: 'POST', body: JSON.stringify(survey), headers: { 'Content-Type': 'application/json' } })).status).toBe(201);
  await server.post(batch([group('acme', { name: 'Acme Corp', plan: 'team', mrr: 1200 }, 60), group('globex', { plan: 'free' }, 60)]));
  const served = async (query = '') => {
    const answer = await server.app.request(`/v1/surveys?writeKey=pk_demo${query}`);
    expect(answer.status).toBe(200);
    return { ids: ((await answer.json()) as { surveys: { id: string }[] }).surveys.map((s) => s.id), cache: answer.headers.get('cache-control') };
  };
  const everyone = (await served()).ids;
  expect(everyone).not.toContain('team-nps');
  expect(await served('&accountId=acme')).toEqual({ ids: [...everyone, 'team-nps'].sort(), cache: 'private, no-cache' });
  expect((await served('&accountId=globex')).ids).toEqual(everyone);
  expect((await served('&accountId=nobody')).ids).toEqual(everyone);
  // The team's backend moves Globex to the plan: it is served from the next load on.
  await put('globex', { traits: { plan: 'team' } });
  expect((await served('&accountId=globex&userId=u-1')).ids).toContain('team-nps');
  // The answer names surveys only, never the account's traits.
  expect(JSON.stringify(await (await server.app.request('/v1/surveys?writeKey=pk_demo&accountId=acme')).json())).not.toMatch(/Acme Corp|1200/);
  const bad = await server.app.request(`/v1/surveys?writeKey=pk_demo&accountId=${'x'.repeat(201)}`);
  expect([bad.status, ((await bad.json()) as { error: string }).error]).toEqual([400, expect.stringMatching(/accountId must be 1 to 200 characters/)]);
  // The conditions are checked on save like the others, with the field named.
  const wrong = await read('/v1/surveys', { method: 'POST', body: JSON.stringify({ ...survey, id: 'x', audience: { account: [{ key: 'plan', op: 'like' }] } }), headers: { 'Content-Type': 'application/json' } });
  expect(wrong.status).toBe(400);
  expect(JSON.stringify(await wrong.json())).toContain('audience.account');
});
