import { beforeEach, describe, expect, test } from 'vitest';
import type { ResponsesPage } from '../src/responses-api';
import { commitItems, PROJECT, response, testServer } from './read-side-fixtures';

let server: Awaited<ReturnType<typeof testServer>>;
beforeEach(async () => {
  server = await testServer();
});

async function page(query: string): Promise<ResponsesPage> {
  const answer = await server.get(`/v1/responses?${query}`);
  expect(answer.status).toBe(200);
  return (await answer.json()) as ResponsesPage;
}

async function seed() {
  await commitItems(server.storage, PROJECT.id, [
    response('2026-03-01T10:00:00Z', 'nps-main', 'nps', 10, { comment: 'Love the new editor' }),
    response('2026-03-02T10:00:00Z', 'nps-main', 'nps', 8),
    response('2026-03-03T10:00:00Z', 'nps-main', 'nps', 3, { comment: 'Export is 100% broken' }),
    response('2026-03-04T10:00:00Z', 'csat-support', 'csat', 2, { comment: 'Waited an hour' }),
    response('2026-03-05T10:00:00Z', 'csat-support', 'csat', 5),
    response('2026-03-06T10:00:00Z', 'ces-export', 'ces', 4, { comment: 'Easy enough' }),
    response('2026-03-07T10:00:00Z', 'ces-setup', 'ces', 4),
  ]);
}

describe('GET /v1/responses', () => {
  test('lists responses newest first with comment, bucket and survey name', async () => {
    await seed();
    const { responses, nextCursor } = await page('');
    expect(responses.map((r) => r.score)).toEqual([4, 4, 5, 2, 3, 8, 10]);
    expect(responses[4]).toMatchObject({
      surveyId: 'nps-main',
      surveyName: 'NPS',
      metric: 'nps',
      score: 3,
      bucket: 'negative',
      comment: 'Export is 100% broken',
      final: true,
      at: '2026-03-03T10:00:00.000Z',
    });
    // 4 on the 1–5 export survey is easy; 4 on the 1–7 setup survey is neutral.
    expect(responses.slice(0, 2).map((r) => [r.surveyId, r.bucket])).toEqual([
      ['ces-setup', 'neutral'],
      ['ces-export', 'positive'],
    ]);
    expect(nextCursor).toBeNull();
  });

  test('pages with the cursor through responses sharing a time, each exactly once', async () => {
    await commitItems(server.storage, 
      PROJECT.id,
      Array.from({ length: 23 }, (_, i) => response(`2026-03-0${1 + (i % 3)}T10:00:00Z`, 'nps-main', 'nps', i % 11)),
    );
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const next: ResponsesPage = await page(`limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...next.responses.map((r) => r.responseId));
      cursor = next.nextCursor;
      pages++;
    }
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(23);
    const all = (await page('limit=100')).responses.map((r) => r.responseId);
    expect(seen).toEqual(all);
  });

  test.each([
    ['survey=csat-support', [5, 2]],
    ['metric=ces', [4, 4]],
    ['bucket=negative', [2, 3]],
    ['bucket=positive', [4, 5, 10]],
    ['bucket=neutral&metric=nps', [8]],
    ['minScore=4&maxScore=8', [4, 4, 5, 8]],
    ['hasComment=true', [4, 2, 3, 10]],
    ['hasComment=false', [4, 5, 8]],
    ['q=100%25', [3]],
    ['q=EXPORT', [3]],
    ['from=2026-03-02&to=2026-03-04', [2, 3, 8]],
  ])('filters by %s', async (query, scores) => {
    await seed();
    expect((await page(query)).responses.map((r) => r.score)).toEqual(scores);
  });

  test('dates are local days of tz', async () => {
    // 20:00 UTC on 1 March is already 2 March in India.
    await commitItems(server.storage, PROJECT.id, [response('2026-03-01T20:00:00Z', 'nps-main', 'nps', 9)]);
    expect((await page('from=2026-03-02&to=2026-03-02')).responses).toHaveLength(0);
    expect((await page('from=2026-03-02&to=2026-03-02&tz=Asia/Kolkata')).responses).toHaveLength(1);
  });

  test.each([
    ['cursor=bm9wZQ', /cursor/],
    ['limit=0', /limit must be a whole number from 1 to 500/],
    ['bucket=angry', /bucket must be one of negative, neutral, positive/],
    ['hasComment=yes', /hasComment/],
    ['from=2026-03-09&to=2026-03-01', /after/],
    ['sort=score', /unknown parameter sort/],
  ])('?%s is answered 400', async (query, reason) => {
    const answer = await server.get(`/v1/responses?${query}`);
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: string }).error).toMatch(reason);
  });
});

describe('GET /v1/responses.csv', () => {
  const parse = (text: string) => text.replace(/^\ufeff/, '').split('\r\n');

  test('exports RFC 4180 CSV: header, CRLF, quoted commas, quotes and line breaks', async () => {
    await commitItems(server.storage, PROJECT.id, [
      response('2026-03-01T10:00:00Z', 'nps-main', 'nps', 9, { comment: 'Fast, "really" fast\nand cheap', userId: 'ada' }),
    ]);
    const answer = await server.get('/v1/responses.csv');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="acme-responses.csv"');
    const bytes = new Uint8Array(await answer.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = parse(text);
    expect(lines[0]).toBe('response_id,survey_id,survey_name,metric,score,bucket,comment,final,user_id,anonymous_id,answered_at');
    expect(text).toContain(',nps-main,NPS,nps,9,positive,"Fast, ""really"" fast\nand cheap",true,ada,anon,2026-03-01T10:00:00.000Z\r\n');
  });

  test('neutralises spreadsheet formulas: cells starting with = + - @ get an apostrophe', async () => {
    const comments = ['=HYPERLINK("http://evil.example","click")', '+1+1', '-2+3', '@SUM(A1)', 'fine = ok'];
    await commitItems(server.storage, 
      PROJECT.id,
      comments.map((comment, i) => response(`2026-03-0${i + 1}T10:00:00Z`, 'nps-main', 'nps', 5, { comment })),
    );
    const text = await (await server.get('/v1/responses.csv')).text();
    expect(text).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",`);
    expect(text).toContain(",'+1+1,");
    expect(text).toContain(",'-2+3,");
    expect(text).toContain(",'@SUM(A1),");
    expect(text).toContain(',fine = ok,');
  });

  test('exports every matching response across pages, newest first, with the filters applied', async () => {
    await commitItems(server.storage, 
      PROJECT.id,
      Array.from({ length: 2100 }, (_, i) => response(new Date(Date.parse('2026-03-01T00:00:00Z') + i * 60_000).toISOString(), 'nps-main', 'nps', i % 11)),
    );
    const all = parse(await (await server.get('/v1/responses.csv')).text()).filter(Boolean);
    expect(all).toHaveLength(2101);
    expect(new Set(all.slice(1).map((line) => line.split(',')[0])).size).toBe(2100);
    expect(all[1]).toContain('2026-03-02T10:59:00.000Z');
    const promoters = parse(await (await server.get('/v1/responses.csv?bucket=positive')).text()).filter(Boolean);
    // Scores i % 11 of 9 or 10: 190 full rounds of 11 give 380, the last 10 (scores 0–9) one more.
    expect(promoters).toHaveLength(1 + 381);
  });
});
