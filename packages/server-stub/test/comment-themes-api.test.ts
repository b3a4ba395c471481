import { beforeEach, describe, expect, test } from 'vitest';
import { MAX_COMMENTS_READ, type CommentThemesAnswer, type ThemeCommentsAnswer } from '../src/comment-themes-api';
import { commitItems, OTHER, PROJECT, response, testServer } from './read-side-fixtures';

let server: Awaited<ReturnType<typeof testServer>>;
beforeEach(async () => {
  server = await testServer();
});

async function read<T>(path: string): Promise<T> {
  const answer = await server.get(path);
  expect(answer.status, await answer.clone().text()).toBe(200);
  return (await answer.json()) as T;
}

async function seed() {
  await commitItems(server.storage, PROJECT.id, [
    response('2026-03-01T10:00:00Z', 'nps-main', 'nps', 2, { comment: 'Export slow again' }),
    response('2026-03-02T10:00:00Z', 'nps-main', 'nps', 3, { comment: 'The export is so slow!' }),
    response('2026-03-03T10:00:00Z', 'csat-support', 'csat', 1, { comment: 'Support never answered; export slow' }),
    response('2026-03-04T10:00:00Z', 'nps-main', 'nps', 10, { comment: 'Love the new editor' }),
    response('2026-03-05T10:00:00Z', 'nps-main', 'nps', 9, { comment: 'New editor is great' }),
    response('2026-03-06T10:00:00Z', 'nps-main', 'nps', 9),
    // 4 on the 1–5 export survey is easy: positive, not neutral.
    response('2026-03-07T10:00:00Z', 'ces-export', 'ces', 4, { comment: 'Die Suche ist langsam' }),
    response('2026-03-08T10:00:00Z', 'ces-export', 'ces', 5, { comment: 'Die Suche ist sehr langsam' }),
  ]);
  await commitItems(server.storage, OTHER.id, [response('2026-03-01T10:00:00Z', 'nps-main', 'nps', 2, { comment: 'Export is slow' })]);
}

describe('GET /v1/comment-themes', () => {
  test('answers the key phrases of each bucket with their counts, from this project only', async () => {
    await seed();
    const answer = await read<CommentThemesAnswer>('/v1/comment-themes');
    expect(answer).toEqual({
      comments: 7,
      truncated: false,
      buckets: [
        { bucket: 'negative', comments: 3, themes: [{ phrase: 'export', count: 3 }, { phrase: 'slow', count: 3 }, { phrase: 'export slow', count: 2 }] },
        { bucket: 'neutral', comments: 0, themes: [] },
        { bucket: 'positive', comments: 4, themes: [{ phrase: 'new editor', count: 2 }, { phrase: 'langsam', count: 2 }, { phrase: 'suche', count: 2 }] },
      ],
    });
  });

  test('takes the responses list’s filters: survey, range, metric', async () => {
    await seed();
    const bySurvey = await read<CommentThemesAnswer>('/v1/comment-themes?survey=ces-export');
    expect(bySurvey.comments).toBe(2);
    expect(bySurvey.buckets[2]!.themes.map((t) => t.phrase)).toEqual(['langsam', 'suche']);
    const byRange = await read<CommentThemesAnswer>('/v1/comment-themes?from=2026-03-02&to=2026-03-03&metric=nps');
    expect(byRange.comments).toBe(1);
    const limited = await read<CommentThemesAnswer>('/v1/comment-themes?limit=1');
    expect(limited.buckets.map((b) => b.themes.length)).toEqual([1, 0, 1]);
  });

  test('reads the newest comments up to its bound, and says when more matched', async () => {
    const at = (i: number) => new Date(Date.parse('2026-03-01T00:00:00Z') + i * 1000).toISOString();
    // Only the two oldest comments say "oldest": a theme, were they not past the bound.
    await commitItems(server.storage, PROJECT.id, [
      response(at(0), 'nps-main', 'nps', 2, { comment: 'oldest' }),
      response(at(1), 'nps-main', 'nps', 2, { comment: 'oldest' }),
      ...Array.from({ length: MAX_COMMENTS_READ }, (_, i) => response(at(i + 2), 'nps-main', 'nps', 2, { comment: `slow export ${i}` })),
    ]);
    const answer = await read<CommentThemesAnswer>('/v1/comment-themes?limit=50');
    expect([answer.comments, answer.truncated]).toEqual([MAX_COMMENTS_READ, true]);
    expect(answer.buckets[0]!.themes[0]).toEqual({ phrase: 'slow export', count: MAX_COMMENTS_READ });
    expect(answer.buckets[0]!.themes.map((t) => t.phrase)).not.toContain('oldest');
  });

  test('refuses what it cannot answer with the reason', async () => {
    for (const [query, error] of [
      ['limit=0', /limit/],
      ['hasComment=false', /unknown parameter hasComment/],
      ['bucket=angry', /bucket/],
    ] as const) {
      const answer = await server.get(`/v1/comment-themes?${query}`);
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { error: string }).error).toMatch(error);
    }
  });
});

describe('GET /v1/comment-themes/comments', () => {
  test('lists the comments that hold the phrase, newest first, with their count', async () => {
    await seed();
    const answer = await read<ThemeCommentsAnswer>('/v1/comment-themes/comments?phrase=Export%20slow');
    expect(answer.count).toBe(2);
    expect(answer.responses.map((r) => r.comment)).toEqual(['Support never answered; export slow', 'Export slow again']);
    expect(answer.responses[0]).toMatchObject({ surveyId: 'csat-support', bucket: 'negative', score: 1 });
  });

  test('the count of a phrase is the count its theme showed, and the limit lists fewer', async () => {
    await seed();
    const themes = await read<CommentThemesAnswer>('/v1/comment-themes?bucket=negative');
    for (const { phrase, count } of themes.buckets[0]!.themes) {
      const comments = await read<ThemeCommentsAnswer>(`/v1/comment-themes/comments?bucket=negative&phrase=${encodeURIComponent(phrase)}`);
      expect([phrase, comments.count]).toEqual([phrase, count]);
    }
    const one = await read<ThemeCommentsAnswer>('/v1/comment-themes/comments?phrase=slow&limit=1');
    expect([one.count, one.responses.length]).toEqual([3, 1]);
  });

  test('a phrase is 1 to 3 words', async () => {
    for (const phrase of ['', '%20', 'one%20two%20three%20four']) {
      const answer = await server.get(`/v1/comment-themes/comments?phrase=${phrase}`);
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { error: string }).error).toMatch(/phrase must be 1 to 3 words/);
    }
  });
});
