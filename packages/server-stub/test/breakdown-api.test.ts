// GET /v1/metrics?groupBy=…: answers grouped by a trait, a trigger property, the locale or the
// survey, as they were when given, on every storage engine (docs/metrics.md#breakdowns).
import { beforeEach, describe, expect, test } from 'vitest';
import type { Item } from '@cxkit/protocol';
import type { Breakdown, MetricsReport } from '../src/metrics';
import { npsDifference } from '../src/interval';
import { summarizeCsat } from '../src/csat';
import { summarizeNps } from '../src/nps';
import { commitItems, item, NOW, PROJECT, response, testServer } from './read-side-fixtures';

let server: Awaited<ReturnType<typeof testServer>>;
beforeEach(async () => {
  server = await testServer();
});

const DAY = '2026-03-02T10:00:00Z';
const RANGE = 'from=2026-03-01&to=2026-03-07';

async function breakdownOf(query: string): Promise<Breakdown> {
  const answer = await server.get(`/v1/metrics?${RANGE}&${query}`);
  expect(answer.status, await answer.clone().text()).toBe(200);
  return ((await answer.json()) as MetricsReport).breakdown!;
}

const npsBy = (traits: Record<string, unknown> | undefined, scores: number[], extra: Record<string, unknown> = {}) =>
  scores.map((score) => response(DAY, 'nps-main', 'nps', score, { ...(traits && { traits }), ...extra }));

/** POST /v1/batch with the project's write key, as the sdk sends. */
async function send(items: Record<string, unknown>[]) {
  const answer = await server.app.request('/v1/batch', {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain' },
    body: JSON.stringify({ writeKey: PROJECT.writeKey, sentAt: new Date(NOW).toISOString(), batch: items }),
  });
  expect(answer.status).toBe(200);
  return (await answer.json()) as { accepted: number; rejected: { index: number; reason: string; detail?: string }[] };
}

let sequence = 0;
const wire = (at: string, fields: Record<string, unknown>) => ({
  id: `w-${++sequence}`,
  timestamp: at,
  anonymousId: 'anon-1',
  userId: 'user-1',
  sessionId: 's-1',
  ...fields,
});

describe('groupBy', () => {
  test('trait:plan: each plan with the NPS, counts and interval of its answers; answers without the trait as none', async () => {
    await commitItems(server.storage, PROJECT.id, [
      ...npsBy({ plan: 'team', seats: 12 }, [10, 10, 9, 9, 9, 8, 7, 6, 3, 0]),
      ...npsBy({ plan: 'free' }, [0, 10]),
      ...npsBy(undefined, [9]),
      ...npsBy({ seats: 3 }, [6]),
    ]);
    const result = await breakdownOf('metrics=nps&groupBy=trait:plan');
    expect(result).toMatchObject({ groupBy: 'trait:plan', minAnswers: 30, maxGroups: 10 });
    expect(Object.keys(result)).toEqual(['groupBy', 'minAnswers', 'maxGroups', 'nps']);
    expect(result.nps!.groups).toEqual([
      { key: 'team', tooFew: true, ...summarizeNps([10, 10, 9, 9, 9, 8, 7, 6, 3, 0]) },
      { key: 'free', tooFew: true, ...summarizeNps([0, 10]) },
    ]);
    expect(result.nps!.none).toEqual({ tooFew: true, ...summarizeNps([9, 6]) });
    expect(result.nps!.other).toBeNull();
  });

  test('a number trait groups as text', async () => {
    await commitItems(server.storage, PROJECT.id, npsBy({ seats: 12 }, [10, 9]));
    expect((await breakdownOf('metrics=nps&groupBy=trait:seats')).nps!.groups.map((g) => [g.key, g.n])).toEqual([['12', 2]]);
  });

  test('a trait whose name has spaces, quotes or a backslash is grouped by like any other', async () => {
    const key = 'Company "size" \\ band';
    await commitItems(server.storage, PROJECT.id, npsBy({ [key]: '50–200' }, [10]));
    const result = await breakdownOf(`metrics=nps&groupBy=${encodeURIComponent(`trait:${key}`)}`);
    expect(result.groupBy).toBe(`trait:${key}`);
    expect(result.nps!.groups.map((g) => g.key)).toEqual(['50–200']);
  });

  test('event:<property> reads the properties of the event that triggered the prompt', async () => {
    await commitItems(server.storage, PROJECT.id, [
      ...npsBy(undefined, [10, 9], { trigger: { kind: 'event', event: 'checkout_completed', properties: { payment: 'card' } } }),
      ...npsBy(undefined, [2], { trigger: { kind: 'event', event: 'checkout_completed', properties: { payment: 'invoice' } } }),
      ...npsBy({ payment: 'card' }, [0]),
      ...npsBy(undefined, [10], { trigger: { kind: 'manual' } }),
    ]);
    const result = await breakdownOf('metrics=nps&groupBy=event:payment');
    expect(result.nps!.groups.map((g) => [g.key, g.n, g.score])).toEqual([
      ['card', 2, 100],
      ['invoice', 1, -100],
    ]);
    // A trait of the same name is not a property of the trigger; a prompt shown by showSurvey() has none.
    expect(result.nps!.none).toMatchObject({ n: 2 });
  });

  test('locale reads context.locale; survey the survey, each metric on its own', async () => {
    await commitItems(server.storage, PROJECT.id, [
      ...npsBy(undefined, [10, 10], { context: { locale: 'de-DE' } }),
      ...npsBy(undefined, [3], { context: { locale: 'en' } }),
      response(DAY, 'csat-support', 'csat', 5, { context: { locale: 'de-DE' } }),
      response(DAY, 'csat-support', 'csat', 2),
    ]);
    const locale = await breakdownOf('metrics=nps,csat&groupBy=locale');
    expect(locale.nps!.groups.map((g) => [g.key, g.n])).toEqual([
      ['de-DE', 2],
      ['en', 1],
    ]);
    expect(locale.csat!.groups).toEqual([{ key: 'de-DE', tooFew: true, ...summarizeCsat([5]) }]);
    expect(locale.csat!.none).toMatchObject({ n: 1 });
    const survey = await breakdownOf('groupBy=survey');
    expect(survey.nps!.groups.map((g) => [g.key, g.n])).toEqual([['nps-main', 3]]);
    expect(survey.csat!.groups.map((g) => [g.key, g.n])).toEqual([['csat-support', 2]]);
    expect(survey.ces!.groups).toEqual([]);
  });

  test('survey= narrows the breakdown as it narrows the totals; the range counts as for the totals', async () => {
    await commitItems(server.storage, PROJECT.id, [
      ...npsBy({ plan: 'team' }, [10]),
      response('2026-03-20T10:00:00Z', 'nps-main', 'nps', 0, { traits: { plan: 'team' } }),
      response(DAY, 'csat-support', 'csat', 5, { traits: { plan: 'team' } }),
    ]);
    const result = await breakdownOf('survey=nps-main&groupBy=trait:plan');
    expect(result.nps!.groups).toMatchObject([{ key: 'team', n: 1, score: 100 }]);
    expect(result.csat!.groups).toEqual([]);
  });

  test('compare: the difference of two groups with its interval, and whether it excludes 0', async () => {
    await commitItems(server.storage, PROJECT.id, [
      ...npsBy({ plan: 'team' }, [10, 10, 10, 10, 10, 9, 9, 9, 0, 0]),
      ...npsBy({ plan: 'free' }, [0, 0, 0, 0, 3, 3, 10, 10, 7, 8]),
    ]);
    const result = await breakdownOf('metrics=nps&groupBy=trait:plan&compare=team&compare=free');
    expect(result.nps!.comparison).toEqual({ a: 'team', b: 'free', ...npsDifference({ promoters: 8, detractors: 2, n: 10 }, { promoters: 2, detractors: 6, n: 10 }) });
    expect(result.nps!.comparison).toMatchObject({ difference: 100, significant: true });
  });

  test.each([
    ['groupBy=plan', 'groupBy must be trait:<key>, event:<key>, locale or survey, not "plan"'],
    ['groupBy=trait:', 'groupBy trait: needs a key of 1 to 64 characters'],
    [`groupBy=event:${'k'.repeat(65)}`, 'groupBy event: needs a key of 1 to 64 characters'],
    ['compare=a&compare=b', 'compare needs groupBy'],
    ['groupBy=locale&compare=a', 'compare must be given twice, once for each group, not 1 times'],
  ])('%s is refused: %s', async (query, error) => {
    const answer = await server.get(`/v1/metrics?${RANGE}&${query}`);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error });
  });

  test('without groupBy the report has no breakdown', async () => {
    const answer = await server.get(`/v1/metrics?${RANGE}&metrics=nps`);
    expect(await answer.json()).not.toHaveProperty('breakdown');
  });
});

describe('answers keep the traits they were given with', () => {
  test('a later plan change, and a later item of the same response, do not move an answer to another group', async () => {
    const at = (minute: number) => `2026-03-02T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const first = await send([
      wire(at(0), { type: 'identify', traits: { plan: 'free' } }),
      wire(at(1), { type: 'survey_response', surveyId: 'nps-main', responseId: 'r-1', metric: 'nps', score: 3, final: false, traits: { plan: 'free' } }),
    ]);
    expect(first).toMatchObject({ accepted: 2, rejected: [] });
    await send([
      wire(at(2), { type: 'identify', traits: { plan: 'team' } }),
      // The comment of the first answer, sent after the upgrade: its score counts, its traits do not.
      wire(at(3), { type: 'survey_response', surveyId: 'nps-main', responseId: 'r-1', metric: 'nps', score: 4, comment: 'ok', final: true, traits: { plan: 'team' } }),
      wire(at(4), { type: 'survey_response', surveyId: 'nps-main', responseId: 'r-2', metric: 'nps', score: 10, final: true, traits: { plan: 'team' } }),
    ]);
    const result = await breakdownOf('metrics=nps&groupBy=trait:plan');
    expect(result.nps!.groups.map((g) => [g.key, g.n, g.score])).toEqual([
      ['free', 1, -100],
      ['team', 1, 100],
    ]);
  });

  test('the same holds when both items of a response arrive in one batch, the later one first', async () => {
    const answer = (minute: number, plan: string, final: boolean) =>
      wire(`2026-03-02T10:0${minute}:00.000Z`, { type: 'survey_response', surveyId: 'nps-main', responseId: 'r-9', metric: 'nps', score: 9, final, traits: { plan } });
    await send([answer(1, 'free', false), answer(2, 'team', true)]);
    expect((await breakdownOf('metrics=nps&groupBy=trait:plan')).nps!.groups.map((g) => g.key)).toEqual(['free']);
  });

  test('traits and trigger that are not objects, or a trigger without its kind or event, are refused with where', async () => {
    const base = { type: 'survey_response', surveyId: 'nps-main', metric: 'nps', score: 9, final: true };
    const result = await send([
      wire(DAY, { ...base, responseId: 'a', traits: ['team'] }),
      wire(DAY, { ...base, responseId: 'b', trigger: { kind: 'event', properties: {} } }),
      wire(DAY, { ...base, responseId: 'c', trigger: { kind: 'event', event: 'x', properties: [1] } }),
      wire(DAY, { ...base, responseId: 'e', trigger: { event: 'x' } }),
      wire(DAY, { ...base, responseId: 'd', traits: { address: { city: 'Köln' }, plan: 'team' }, trigger: { kind: 'event', event: 'checkout_completed' } }),
      wire(DAY, { ...base, responseId: 'f', trigger: { kind: 'url', url: 'https://app.example.com/export' } }),
    ]);
    expect(result.rejected).toEqual([
      { index: 0, reason: 'invalid_field', detail: 'traits' },
      { index: 1, reason: 'missing_field', detail: 'trigger.event' },
      { index: 2, reason: 'invalid_field', detail: 'trigger.properties' },
      { index: 3, reason: 'missing_field', detail: 'trigger.kind' },
    ]);
    expect(result.accepted).toBe(2);
    // The object-valued trait is stored with the item but is nothing to group by.
    // SQLite keeps binary JSON, which json() writes out; PostgreSQL's jsonb comes back parsed.
    const column = server.storage.engine === 'sqlite' ? 'json(traits) AS traits' : 'traits';
    const rows = await server.storage.rows<{ traits: unknown }>(`SELECT ${column} FROM responses WHERE response_id = 'd'`);
    const traits = rows[0]!.traits;
    expect(typeof traits === 'string' ? JSON.parse(traits) : traits).toEqual({ plan: 'team' });
  });

  test('answers stored before responses kept their context count as none', async () => {
    await commitItems(server.storage, PROJECT.id, [item(DAY, { type: 'survey_response', surveyId: 'nps-main', metric: 'nps', score: 9, responseId: 'old', final: true } satisfies Partial<Item>)]);
    await server.storage.rows("UPDATE responses SET traits = NULL, locale = NULL WHERE response_id = 'old'");
    const result = await breakdownOf('metrics=nps&groupBy=trait:plan');
    expect(result.nps!.groups).toEqual([]);
    expect(result.nps!.none).toMatchObject({ n: 1 });
  });
});
