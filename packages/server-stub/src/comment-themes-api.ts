import { Hono } from 'hono';
import { requireReadKey, type ReadKeyEnv } from './auth.js';
import { commentThemes, holdsPhrase, MAX_PHRASE_WORDS, type BucketThemes } from './comment-themes.js';
import { answerErrors, BadRequest, parseIntegerParam, rejectUnknown } from './query-params.js';
import { filters, FILTERS, lister, type ListedResponse } from './responses-api.js';
import type { Storage } from './ports.js';

/** Themes are read from at most this many comments, the newest that match: a request stays fast. */
export const MAX_COMMENTS_READ = 5000;
const PAGE = 500;
const THEME_FILTERS = FILTERS.filter((name) => name !== 'hasComment');

export interface CommentThemesAnswer {
  /** Comments read, newest first; `truncated` when more matched than MAX_COMMENTS_READ. */
  comments: number;
  truncated: boolean;
  buckets: BucketThemes[];
}

export interface ThemeCommentsAnswer {
  phrase: string;
  /** Comments read that hold the phrase; `responses` lists the newest `limit` of them. */
  count: number;
  responses: ListedResponse[];
}

/**
 * GET /v1/comment-themes (the key phrases per bucket) and GET /v1/comment-themes/comments?phrase=
 * (the comments that hold one), read key; both take the responses list's filters.
 */
export function commentThemesApi(storage: Storage): Hono<ReadKeyEnv> {
  const api = new Hono<ReadKeyEnv>();
  api.onError(answerErrors);

  /** The newest comments that match the request's filters, listed, and whether more matched. */
  async function readComments(projectId: string, params: Record<string, string>) {
    const surveys = await storage.surveys.all(projectId);
    const query = { ...filters(params, surveys), hasComment: true, limit: PAGE };
    const list = lister(surveys);
    const read: ListedResponse[] = [];
    for (;;) {
      const rows = await storage.responses.list(projectId, { ...query, limit: Math.min(PAGE, MAX_COMMENTS_READ + 1 - read.length) });
      read.push(...rows.map(list));
      const last = rows[rows.length - 1];
      if (!last || rows.length < query.limit || read.length > MAX_COMMENTS_READ) break;
      query.before = { at: last.at, responseId: last.responseId };
    }
    return { comments: read.slice(0, MAX_COMMENTS_READ), truncated: read.length > MAX_COMMENTS_READ };
  }

  api.get('/comment-themes', requireReadKey(storage.projects), async (c) => {
    const params = c.req.query();
    rejectUnknown(params, [...THEME_FILTERS, 'limit']);
    const limit = parseIntegerParam('limit', params.limit, 1, 50) ?? 10;
    const { comments, truncated } = await readComments(c.get('project').id, params);
    const buckets = commentThemes(comments.map((r) => ({ bucket: r.bucket, comment: r.comment ?? '' })), limit);
    c.header('Cache-Control', 'private, no-cache');
    return c.json({ comments: comments.length, truncated, buckets } satisfies CommentThemesAnswer);
  });

  api.get('/comment-themes/comments', requireReadKey(storage.projects), async (c) => {
    const params = c.req.query();
    rejectUnknown(params, [...THEME_FILTERS, 'phrase', 'limit']);
    const phrase = params.phrase?.trim() ?? '';
    if (phrase === '' || phrase.split(/\s+/).length > MAX_PHRASE_WORDS) {
      throw new BadRequest(`phrase must be 1 to ${MAX_PHRASE_WORDS} words, as GET /v1/comment-themes names them`);
    }
    const limit = parseIntegerParam('limit', params.limit, 1, 500) ?? 50;
    const { comments } = await readComments(c.get('project').id, params);
    const holding = comments.filter((r) => holdsPhrase(r.comment ?? '', phrase));
    c.header('Cache-Control', 'private, no-cache');
    return c.json({ phrase, count: holding.length, responses: holding.slice(0, limit) } satisfies ThemeCommentsAnswer);
  });

  return api;
}
