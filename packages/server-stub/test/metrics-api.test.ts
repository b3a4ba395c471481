import { beforeEach, describe, expect, test } from 'vitest';
import type { MetricsReport } from '../src/metrics';
import { summarizeNps } from '../src/nps';
import { commitItems, item, PROJECT, response, shown, testServer } from './read-side-fixtures';

let server: Awaited<ReturnType<typeof testServer>>;
beforeEach(async () => {
  server = await testServer();
});

const NPS_SCORES = [10, 10, 9, 9, 9, 8, 7, 6, 3, 0];

async function seedResponses() {
  await commitItems(server.storage, PROJECT.id, [
    ...NPS_SCORES.map((score, i) => response(`2026-03-0${1 + (i % 2)}T10:00:00Z`, 'nps-main', 'nps', score)),
    ...[5, 5, 4, 4, 4, 3, 2, 1].map((score) => response('2026-03-03T10:00:00Z', 'csat-support', 'csat', score)),
    ...[5, 4, 2].map((score) => response('2026-03-04T10:00:00Z', 'ces-export', 'ces', score)),
    ...Array.from({ length: 20 }, () => shown('2026-03-01T09:00:00Z', 'nps-main')),
  ]);
}

async function metrics(query: string): Promise<MetricsReport> {
  const answer = await server.get(`/v1/metrics?${query}`);
  expect(answer.status).toBe(200);
  return (await answer.json()) as MetricsReport;
}

describe('GET /v1/metrics', () => {
  test('reports NPS with counts and interval, CSAT, CES and response rate over the range', async () => {
    await seedResponses();
    const report = await metrics('from=2026-03-01&to=2026-03-07');
    expect(report).toMatchObject({ from: '2026-03-01', to: '2026-03-07', period: 'day', tz: 'UTC', survey: null });
    expect(report.total.nps).toEqual(summarizeNps(NPS_SCORES));
    expect(report.total.nps).toMatchObject({ n: 10, promoters: 5, passives: 2, detractors: 3, score: 20 });
    expect(report.total.csat).toMatchObject({ n: 8, score: 62.5, mean: 3.5, sumOverMax: 70 });
    // The export survey asks on 1–5: 5 and 4 are easy.
    expect(report.total.ces).toMatchObject({ n: 3, scaleMax: 5, easy: 2 });
    expect(report.total.ces!.score).toBeCloseTo(11 / 3, 10);
    expect(report.total.responseRate).toEqual({ shown: 20, responses: 21, rate: 105 });
  });

  test('cuts the range into days, each with its own figures', async () => {
    await seedResponses();
    const report = await metrics('from=2026-03-01&to=2026-03-07&metrics=nps');
    expect(report.series.map((p) => p.start)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07']);
    // Even positions went to 1 March: 10, 9, 9, 7, 3.
    expect(report.series[0]!.nps).toMatchObject({ n: 5, promoters: 3, passives: 1, detractors: 1 });
    expect(report.series[2]!.nps).toMatchObject({ n: 0, score: null, interval: null });
    expect(Object.keys(report.series[0]!)).toEqual(['start', 'end', 'nps']);
  });

  test('weeks start on Monday and months on the 1st; the first and last are cut to the range', async () => {
    const weeks = await metrics('from=2026-03-04&to=2026-03-20&period=week&metrics=nps');
    expect(weeks.series.map((p) => [p.start, p.end])).toEqual([
      ['2026-03-04', '2026-03-08'],
      ['2026-03-09', '2026-03-15'],
      ['2026-03-16', '2026-03-20'],
    ]);
    const months = await metrics('from=2026-01-15&to=2026-03-10&period=month&metrics=nps');
    expect(months.series.map((p) => [p.start, p.end])).toEqual([
      ['2026-01-15', '2026-01-31'],
      ['2026-02-01', '2026-02-28'],
      ['2026-03-01', '2026-03-10'],
    ]);
  });

  test('counts days in the given time zone', async () => {
    // 20:00 UTC on 1 March is 01:30 on 2 March in India.
    await commitItems(server.storage, PROJECT.id, [response('2026-03-01T20:00:00Z', 'nps-main', 'nps', 10)]);
    const utc = await metrics('from=2026-03-01&to=2026-03-02&metrics=nps');
    const india = await metrics('from=2026-03-01&to=2026-03-02&metrics=nps&tz=Asia/Kolkata');
    expect(utc.series.map((p) => p.nps!.n)).toEqual([1, 0]);
    expect(india.series.map((p) => p.nps!.n)).toEqual([0, 1]);
    expect(india.tz).toBe('Asia/Kolkata');
  });

  test.each(['Etc/UTC', 'GMT', 'utc'])('tz=%s is UTC: named so, and read from the day totals like UTC', async (name) => {
    await commitItems(server.storage, PROJECT.id, [item('2026-03-01T20:00:00Z', { anonymousId: 'a' })]);
    server.storage.activity.forEachSubjectDay = async () => {
      throw new Error('a UTC series must not regroup quarter hours');
    };
    const report = await metrics(`from=2026-03-01&to=2026-03-02&metrics=activity&tz=${name}`);
    expect(report.tz).toBe('UTC');
    expect(report.series.map((p) => p.activity!.dau)).toEqual([1, 0]);
  });

  test('one survey only', async () => {
    await seedResponses();
    const report = await metrics('from=2026-03-01&to=2026-03-07&survey=csat-support&metrics=nps,csat,responseRate');
    expect(report.survey).toBe('csat-support');
    expect(report.total.nps!.n).toBe(0);
    expect(report.total.csat!.n).toBe(8);
    expect(report.total.responseRate).toEqual({ shown: 0, responses: 8, rate: null });
  });

  test('DAU, MAU and stickiness per day, and their means per week', async () => {
    await commitItems(server.storage, PROJECT.id, [
      item('2026-03-02T08:00:00Z', { anonymousId: 'a', userId: 'ada' }),
      item('2026-03-02T09:00:00Z', { anonymousId: 'b', userId: 'bob' }),
      item('2026-03-03T08:00:00Z', { anonymousId: 'a', userId: 'ada' }),
    ]);
    const daily = await metrics('from=2026-03-02&to=2026-03-03&metrics=activity');
    expect(daily.series.map((p) => p.activity)).toEqual([
      { dau: 2, mau: 2, stickiness: 100 },
      { dau: 1, mau: 2, stickiness: 50 },
    ]);
    const weekly = await metrics('from=2026-03-02&to=2026-03-08&period=week&metrics=activity');
    // Mondays to Sunday: DAU 2, 1, then five days of 0, all with MAU 2.
    expect(weekly.series[0]!.activity!.dau).toBeCloseTo(3 / 7, 10);
    expect(weekly.series[0]!.activity!.mau).toBe(2);
    expect(weekly.series[0]!.activity!.stickiness).toBeCloseTo(150 / 7, 10);
  });

  test('defaults to the 30 days ending today, by day, in UTC', async () => {
    const report = await metrics('');
    expect(report).toMatchObject({ from: '2026-03-02', to: '2026-03-31', period: 'day', tz: 'UTC' });
    expect(report.series).toHaveLength(30);
  });

  test('a project reads only its own data', async () => {
    await seedResponses();
    const answer = await server.get('/v1/metrics?from=2026-03-01&to=2026-03-07&metrics=nps', 'sk_other');
    expect(((await answer.json()) as MetricsReport).total.nps!.n).toBe(0);
  });

  test.each([
    ['from=2026-02-30', /from must be a date/],
    ['to=yesterday', /to must be a date/],
    ['from=2026-03-10&to=2026-03-01', /after/],
    ['from=2020-01-01&to=2026-01-01', /at most 1096/],
    ['tz=Mars/Olympus', /IANA time zone/],
    ['period=hour', /period must be one of day, week, month/],
    ['metrics=nps,happiness', /metrics must be one of/],
    ['survey=nope', /no survey has the id "nope"/],
    ['form=2026-03-01', /unknown parameter form/],
    ['tz=Africa/Monrovia&from=1971-01-01&to=1971-01-02', /quarter hours/],
  ])('?%s is answered 400 with a clear reason', async (query, reason) => {
    const answer = await server.get(`/v1/metrics?${query}`);
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: string }).error).toMatch(reason);
  });
});
