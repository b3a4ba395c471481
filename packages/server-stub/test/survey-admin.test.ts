import { beforeEach, describe, expect, test } from 'vitest';
import type { SurveysResponse } from '@cxkit/protocol';
import type { AdminSurvey } from '../src/survey-admin';
import { COUNT_TTL_MS } from '../src/survey-serving';
import { commitItems, item, NOW, OTHER, PROJECT, response, shown, testServer } from './read-side-fixtures';

let server: Awaited<ReturnType<typeof testServer>>;
beforeEach(async () => {
  server = await testServer();
});

const CES_AFTER_EXPORT = {
  id: 'ces-first-export',
  name: 'CES after the first export',
  metric: 'ces',
  scaleMax: 7,
  texts: { en: { question: 'How easy was it to export your report?', followUp: { negative: 'What got in the way?' } } },
  trigger: { event: 'report_exported', where: [{ key: 'count', op: 'eq', value: 1 }] },
  delaySeconds: 2,
  sampleRate: 0.5,
  recontactDays: 90,
  maxDisplays: 1,
  audience: { traits: [{ key: 'plan', op: 'in', value: ['team', 'business'] }], minDaysSinceFirstSeen: 30 },
  placement: 'bottom-right',
};

const sdkSurveys = async (query = '') => {
  const answer = await server.app.request(`/v1/surveys?writeKey=${PROJECT.writeKey}${query}`);
  expect(answer.status).toBe(200);
  return { answer, body: (await answer.json()) as SurveysResponse };
};
const adminList = async () => ((await (await server.get('/v1/surveys')).json()) as { surveys: AdminSurvey[] }).surveys;

describe('survey admin', () => {
  test('lists every survey with its status, paused ones included', async () => {
    await server.storage.surveys.put(PROJECT.id, { id: 'paused-one', metric: 'nps' }, false);
    const surveys = await adminList();
    expect(surveys.map((s) => [s.id, s.status])).toEqual([
      ['ces-export', 'active'],
      ['ces-setup', 'active'],
      ['csat-support', 'active'],
      ['nps-main', 'active'],
      ['paused-one', 'paused'],
    ]);
  });

  test('creates a survey that the sdk receives on its next load', async () => {
    const created = await server.send('/v1/surveys', 'POST', CES_AFTER_EXPORT);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/v1/surveys/ces-first-export');
    expect(await created.json()).toEqual({ ...CES_AFTER_EXPORT, status: 'active' });
    const { body } = await sdkSurveys();
    expect(body.surveys.find((s) => s.id === 'ces-first-export')).toEqual(CES_AFTER_EXPORT);
    expect((await server.get('/v1/surveys/ces-first-export')).status).toBe(200);
  });

  test('a survey created paused is kept but never served to the sdk', async () => {
    await server.send('/v1/surveys', 'POST', { ...CES_AFTER_EXPORT, status: 'paused' });
    const { body } = await sdkSurveys();
    expect(body.surveys.map((s) => s.id)).not.toContain('ces-first-export');
    expect((await adminList()).find((s) => s.id === 'ces-first-export')!.status).toBe('paused');
  });

  test('pauses and resumes with PATCH; the sdk follows', async () => {
    const paused = await server.send('/v1/surveys/nps-main', 'PATCH', { status: 'paused' });
    expect(paused.status).toBe(200);
    expect(((await paused.json()) as AdminSurvey).status).toBe('paused');
    expect((await sdkSurveys()).body.surveys.map((s) => s.id)).not.toContain('nps-main');
    await server.send('/v1/surveys/nps-main', 'PATCH', { status: 'active' });
    expect((await sdkSurveys()).body.surveys.map((s) => s.id)).toContain('nps-main');
  });

  test('PATCH changes the status only', async () => {
    const answer = await server.send('/v1/surveys/nps-main', 'PATCH', { status: 'paused', name: 'x' });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: string }).error).toMatch(/status/);
  });

  test('PUT replaces the definition and keeps a paused survey paused', async () => {
    await server.send('/v1/surveys/nps-main', 'PATCH', { status: 'paused' });
    const replaced = await server.send('/v1/surveys/nps-main', 'PUT', { metric: 'nps', name: 'NPS, quarterly', recontactDays: 90 });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toEqual({ id: 'nps-main', metric: 'nps', name: 'NPS, quarterly', recontactDays: 90, status: 'paused', notServing: 'paused' });
  });

  test('PUT keeps the scale of a survey that has answers: they were given on it', async () => {
    await commitItems(server.storage, PROJECT.id, [response('2026-03-30T10:00:00Z', 'ces-export', 'ces', 4)]);
    for (const changed of [{ metric: 'ces', scaleMax: 7 }, { metric: 'ces' }, { metric: 'csat' }]) {
      const answer = await server.send('/v1/surveys/ces-export', 'PUT', changed);
      expect(answer.status).toBe(409);
      expect(((await answer.json()) as { error: string }).error).toMatch(/answers on CES 1–5.*new survey/);
    }
    // 4 of 5 is still easy; read on 1–7 it would not be.
    const metrics = (await (await server.get('/v1/metrics?metrics=ces&survey=ces-export')).json()) as { total: { ces: { easy: number } } };
    expect(metrics.total.ces.easy).toBe(1);
    expect((await server.send('/v1/surveys/ces-export', 'PUT', { metric: 'ces', scaleMax: 5, name: 'Export CES, renamed' })).status).toBe(200);
    // Before its first answer a survey's scale may still change.
    expect((await server.send('/v1/surveys/ces-setup', 'PUT', { metric: 'ces', scaleMax: 5 })).status).toBe(200);
  });

  test('PUT with another id in the body is refused', async () => {
    const answer = await server.send('/v1/surveys/nps-main', 'PUT', { id: 'other', metric: 'nps' });
    expect(answer.status).toBe(400);
  });

  test('DELETE removes it from the admin list and the sdk; its responses still count, and its id stays taken', async () => {
    await commitItems(server.storage, PROJECT.id, [response('2026-03-30T10:00:00Z', 'ces-export', 'ces', 4)]);
    expect((await server.send('/v1/surveys/ces-export', 'DELETE', '')).status).toBe(204);
    expect((await adminList()).map((s) => s.id)).not.toContain('ces-export');
    expect((await sdkSurveys()).body.surveys.map((s) => s.id)).not.toContain('ces-export');
    expect((await server.get('/v1/surveys/ces-export')).status).toBe(404);
    // The deleted survey asked on 1–5, so 4 still counts as easy.
    const metrics = (await (await server.get('/v1/metrics?metrics=ces&survey=ces-export')).json()) as { total: { ces: { easy: number } } };
    expect(metrics.total.ces.easy).toBe(1);
    const again = await server.send('/v1/surveys', 'POST', { id: 'ces-export', metric: 'ces' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toMatch(/deleted survey/);
  });

  test('creating an id that exists is a conflict', async () => {
    expect((await server.send('/v1/surveys', 'POST', { id: 'nps-main', metric: 'nps' })).status).toBe(409);
  });

  test.each(['PUT', 'PATCH', 'DELETE'])('%s of an unknown survey is 404', async (method) => {
    const answer = await server.send('/v1/surveys/nope', method, method === 'PATCH' ? { status: 'paused' } : { metric: 'nps' });
    expect(answer.status).toBe(404);
  });

  test.each([
    ['PUT', { metric: 'nps', name: 'Edited' }],
    ['PATCH', { status: 'active' }],
  ])('%s whose body is still arriving when the survey is deleted answers 404 and leaves it deleted', async (method, change) => {
    let finish!: () => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const text = JSON.stringify(change);
        controller.enqueue(new TextEncoder().encode(text.slice(0, 5)));
        finish = () => {
          controller.enqueue(new TextEncoder().encode(text.slice(5)));
          controller.close();
        };
      },
    });
    const editing = server.app.request('/v1/surveys/nps-main', {
      method,
      // With its length declared, as browsers send it: nothing waits for the body before the handler.
      headers: { Authorization: `Bearer ${PROJECT.readKey}`, 'Content-Type': 'application/json', 'Content-Length': String(JSON.stringify(change).length) },
      body,
      duplex: 'half',
    } as RequestInit);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await server.send('/v1/surveys/nps-main', 'DELETE', '')).status).toBe(204);
    finish();
    expect((await editing).status).toBe(404);
    expect((await adminList()).map((s) => s.id)).not.toContain('nps-main');
    expect((await sdkSurveys()).body.surveys.map((s) => s.id)).not.toContain('nps-main');
  });

  test('an invalid definition is refused with an error for every wrong field', async () => {
    const answer = await server.send('/v1/surveys', 'POST', {
      id: 'bad id!',
      metric: 'nps',
      scaleMax: 7,
      trigerr: { event: 'x' },
      sampleRate: 1.5,
      delaySeconds: -1,
      placement: 'inline',
      texts: { english: { question: '' } },
      trigger: { where: [{ key: 'plan', op: 'in', value: 'team' }] },
    });
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { error: string; issues: { path: string; message: string }[] };
    expect(body.error).toBe('the survey is not valid');
    const byPath = Object.fromEntries(body.issues.map((i) => [i.path, i.message]));
    expect(byPath).toMatchObject({
      id: expect.stringMatching(/letters, digits/),
      trigerr: expect.stringMatching(/not a survey field/),
      sampleRate: 'must be from 0 to 1',
      delaySeconds: 'must be at least 0',
      'texts.english': expect.stringMatching(/locales look like/),
      'texts.english.question': 'must not be empty',
      'trigger.where.0.value': expect.stringMatching(/list for op "in"/),
      'trigger.where': 'needs an event to apply to',
      // Rules across fields are reported alongside, not only once the rest is right.
      scaleMax: 'must be 10 for nps, 5 for csat, 5 or 7 for ces',
      target: 'is required for placement "inline"',
    });
  });

  test('cross-field rules: scale of the metric, faces only for CSAT, a target for inline', async () => {
    const answer = await server.send('/v1/surveys', 'POST', { id: 's', metric: 'nps', scaleMax: 7, scaleStyle: 'faces', placement: 'inline' });
    const { issues } = (await answer.json()) as { issues: { path: string; message: string }[] };
    expect(issues).toEqual([
      { path: 'scaleMax', message: 'must be 10 for nps, 5 for csat, 5 or 7 for ces' },
      { path: 'scaleStyle', message: 'applies to csat only' },
      { path: 'target', message: 'is required for placement "inline"' },
    ]);
  });

  test.each([
    ['not JSON', '{nope', 400],
    ['a __proto__ key', '{"id":"x","metric":"nps","__proto__":{"admin":true}}', 400],
    ['over 64 KiB', JSON.stringify({ id: 'x', metric: 'nps', name: 'x'.repeat(70_000) }), 413],
  ])('a body that is %s is refused', async (_, body, status) => {
    expect((await server.send('/v1/surveys', 'POST', body)).status).toBe(status);
  });
});

describe('schedule and caps', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  const HOUR = 3_600_000;

  test('a survey is served from its start until its end; the team sees why it is not served', async () => {
    let now = NOW;
    server = await testServer({ now: () => now });
    const window = { startsAt: iso(NOW + HOUR), endsAt: iso(NOW + 2 * HOUR) };
    expect((await server.send('/v1/surveys', 'POST', { id: 'launch', metric: 'nps', ...window })).status).toBe(201);
    const served = async () => (await sdkSurveys()).body.surveys.map((s) => s.id);
    const launch = async () => (await adminList()).find((s) => s.id === 'launch')!;

    expect(await served()).not.toContain('launch');
    expect(await launch()).toMatchObject({ ...window, status: 'active', notServing: 'not-started' });
    now = NOW + HOUR;
    expect(await served()).toContain('launch');
    expect((await launch()).notServing).toBeUndefined();
    now = NOW + 2 * HOUR;
    expect(await served()).not.toContain('launch');
    expect((await launch()).notServing).toBe('ended');
  });

  test('a survey with a cap is served until that many responses are stored, then no more', async () => {
    let now = NOW;
    server = await testServer({ now: () => now });
    expect((await server.send('/v1/surveys', 'POST', { id: 'capped', metric: 'csat', maxResponses: 2 })).status).toBe(201);
    const served = async () => (await sdkSurveys()).body.surveys.map((s) => s.id);
    const capped = async () => (await adminList()).find((s) => s.id === 'capped')!;
    expect(await served()).toContain('capped');
    expect(await capped()).toMatchObject({ maxResponses: 2, responseCount: 0 });

    // A response given in parts is one response; another survey's do not count.
    await commitItems(server.storage, PROJECT.id, [
      response(iso(NOW), 'capped', 'csat', 4, { responseId: 'r-a', final: false }),
      response(iso(NOW + 1), 'capped', 'csat', 4, { responseId: 'r-a', comment: 'ok' }),
      response(iso(NOW), 'nps-main', 'nps', 9),
    ]);
    expect(await capped()).toMatchObject({ responseCount: 1 });
    await commitItems(server.storage, PROJECT.id, [response(iso(NOW + 2), 'capped', 'csat', 5)]);
    // The team's view counts afresh; devices are served on a count at most COUNT_TTL_MS old.
    expect(await capped()).toMatchObject({ responseCount: 2, notServing: 'cap-reached' });
    expect(await served()).toContain('capped');
    now = NOW + COUNT_TTL_MS;
    expect(await served()).not.toContain('capped');
    // Raising the cap serves it again.
    expect((await server.send('/v1/surveys/capped', 'PUT', { id: 'capped', metric: 'csat', maxResponses: 3 })).status).toBe(200);
    now += COUNT_TTL_MS;
    expect(await served()).toContain('capped');
  });

  test('a schedule and a cap are checked when saved', async () => {
    const answer = await server.send('/v1/surveys', 'POST', {
      id: 's',
      metric: 'nps',
      startsAt: '2026-12-02T00:00:00Z',
      endsAt: '2026-12-01T00:00:00Z',
      maxResponses: 0,
    });
    expect(answer.status).toBe(400);
    const { issues } = (await answer.json()) as { issues: { path: string; message: string }[] };
    expect(issues).toEqual([
      { path: 'maxResponses', message: 'must be at least 1' },
      { path: 'endsAt', message: 'must be after startsAt' },
    ]);
    for (const startsAt of ['2026-12-01', '2026-12-01T09:00:00', 'tomorrow', '2026-02-30T09:00:00Z']) {
      const refused = await server.send('/v1/surveys', 'POST', { id: 's', metric: 'nps', startsAt });
      const [issue] = ((await refused.json()) as { issues: { path: string; message: string }[] }).issues;
      expect([startsAt, issue]).toEqual([startsAt, { path: 'startsAt', message: expect.stringMatching(/^must be a date and time/) }]);
    }
  });
});

describe('project rules', () => {
  test('start at a 14-day cooldown and 2 reminders; a change reaches the sdk on its next load', async () => {
    expect(await (await server.get('/v1/rules')).json()).toEqual({ cooldownDays: 14, maxRemindLater: 2 });
    const { answer, body } = await sdkSurveys();
    expect(body.rules).toEqual({ cooldownDays: 14, maxRemindLater: 2 });
    const tag = answer.headers.get('etag')!;

    const saved = await server.send('/v1/rules', 'PUT', { cooldownDays: 30, maxRemindLater: 0 });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ cooldownDays: 30, maxRemindLater: 0 });
    const revalidated = await server.app.request(`/v1/surveys?writeKey=${PROJECT.writeKey}`, { headers: { 'If-None-Match': tag } });
    expect(revalidated.status).toBe(200);
    expect(((await revalidated.json()) as SurveysResponse).rules).toEqual({ cooldownDays: 30, maxRemindLater: 0 });
  });

  test('are per project', async () => {
    await server.send('/v1/rules', 'PUT', { cooldownDays: 1, maxRemindLater: 1 });
    const other = await server.get('/v1/rules', OTHER.readKey);
    expect(await other.json()).toEqual({ cooldownDays: 14, maxRemindLater: 2 });
  });

  test('invalid rules are refused with every wrong field, and change nothing', async () => {
    const answer = await server.send('/v1/rules', 'PUT', { cooldownDays: -1, maxRemindLater: 2.5, cooldown: 3 });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({
      error: 'the rules are not valid',
      issues: [
        { path: 'cooldownDays', message: 'must be at least 0' },
        { path: 'maxRemindLater', message: 'must be a whole number' },
        { path: 'cooldown', message: 'is not a rule (see docs/surveys.md)' },
      ],
    });
    const partial = await server.send('/v1/rules', 'PUT', { cooldownDays: 7 });
    expect(partial.status).toBe(400);
    expect(((await partial.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['maxRemindLater']);
    expect((await server.send('/v1/rules', 'PUT', '{nope')).status).toBe(400);
    expect(await (await server.get('/v1/rules')).json()).toEqual({ cooldownDays: 14, maxRemindLater: 2 });
  });
});

describe('GET /v1/surveys for the sdk', () => {
  test('is revalidated on every load with an ETag, so changes reach the sdk at once', async () => {
    const { answer } = await sdkSurveys();
    expect(answer.headers.get('cache-control')).toBe('public, no-cache');
    const tag = answer.headers.get('etag')!;
    expect(tag).toBeTruthy();
    const again = await server.app.request(`/v1/surveys?writeKey=${PROJECT.writeKey}`, { headers: { 'If-None-Match': tag } });
    expect(again.status).toBe(304);
    await server.send('/v1/surveys/nps-main', 'PATCH', { status: 'paused' });
    const changed = await server.app.request(`/v1/surveys?writeKey=${PROJECT.writeKey}`, { headers: { 'If-None-Match': tag } });
    expect(changed.status).toBe(200);
  });

  test('with a userId it carries that user\'s history from every device, privately', async () => {
    await commitItems(server.storage, PROJECT.id, [
      // Before logging in on their laptop: shown NPS as anonymous "laptop", then identified as ada.
      shown('2026-03-01T10:00:00Z', 'nps-main', { anonymousId: 'laptop' }),
      item('2026-03-01T10:05:00Z', { type: 'identify', anonymousId: 'laptop', userId: 'ada' }),
      // On the phone, signed in: shown NPS again and answered, shown CSAT and chose "don't ask again".
      shown('2026-03-20T08:00:00Z', 'nps-main', { anonymousId: 'phone', userId: 'ada' }),
      response('2026-03-20T08:00:30Z', 'nps-main', 'nps', 9, { anonymousId: 'phone', userId: 'ada' }),
      shown('2026-03-25T08:00:00Z', 'csat-support', { anonymousId: 'phone', userId: 'ada' }),
      item('2026-03-25T08:00:10Z', { type: 'survey_dismissed', surveyId: 'csat-support', reason: 'never', anonymousId: 'phone', userId: 'ada' }),
      // Someone else.
      shown('2026-03-26T08:00:00Z', 'ces-setup', { anonymousId: 'other', userId: 'bob' }),
    ]);
    const { answer, body } = await sdkSurveys('&userId=ada');
    expect(answer.headers.get('cache-control')).toBe('private, no-cache');
    expect(body.history).toEqual({
      lastShownAt: Date.parse('2026-03-25T08:00:00Z'),
      surveys: {
        'nps-main': { displays: 2, lastShownAt: Date.parse('2026-03-20T08:00:00Z'), answered: true, later: 0 },
        'csat-support': { displays: 1, lastShownAt: Date.parse('2026-03-25T08:00:00Z'), answered: false, dismissed: 'never', later: 0 },
      },
    });
    expect((await sdkSurveys()).body.history).toBeUndefined();
    expect((await sdkSurveys('&userId=nobody')).body.history).toEqual({ surveys: {} });
  });
});

test('"remind me later" is counted, and describes the last display only until the survey is shown again', async () => {
  const server = await testServer();
  const ada = { anonymousId: 'phone', userId: 'ada' };
  await commitItems(server.storage, PROJECT.id, [
    shown('2026-03-01T10:00:00Z', 'nps-main', ada),
    item('2026-03-01T10:00:05Z', { type: 'survey_dismissed', surveyId: 'nps-main', reason: 'later', ...ada }),
    shown('2026-03-02T10:00:00Z', 'nps-main', ada),
    item('2026-03-02T10:00:05Z', { type: 'survey_dismissed', surveyId: 'nps-main', reason: 'later', ...ada }),
  ]);
  const history = async () =>
    ((await (await server.app.request(`/v1/surveys?writeKey=${PROJECT.writeKey}&userId=ada`)).json()) as SurveysResponse).history!;
  expect((await history()).surveys['nps-main']).toMatchObject({ displays: 2, dismissed: 'later', later: 2 });
  await commitItems(server.storage, PROJECT.id, [shown('2026-03-03T10:00:00Z', 'nps-main', ada)]);
  const third = (await history()).surveys['nps-main']!;
  expect(third).toMatchObject({ displays: 3, later: 2 });
  expect(third.dismissed).toBeUndefined();
});
