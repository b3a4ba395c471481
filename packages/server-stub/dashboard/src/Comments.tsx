import { useState } from 'preact/hooks';
import type { ScoreBucket } from '@cxkit/protocol';
import type { ListedResponse, ResponsesPage } from '../../src/responses-api';
import { getJson, query, request } from './api';
import type { RangePanelProps } from './App';
import { dateIn } from './format';
import { useLatest } from './use-latest';

export const COLUMNS: [ScoreBucket, string][] = [
  ['negative', 'Negative'],
  ['neutral', 'Neutral'],
  ['positive', 'Positive'],
];

/** The latest comments, by score bucket. Comments are user input: always rendered as text. */
export function Comments({ apiKey, filters, version, onError }: RangePanelProps) {
  const [pages, setPages] = useState<Partial<Record<ScoreBucket, ResponsesPage>>>({});
  const { from, to, tz, survey } = filters;
  const params = { from, to, tz, survey };

  useLatest(
    () =>
      Promise.all(
        COLUMNS.map(([bucket]) => getJson<ResponsesPage>(apiKey, `/v1/responses?${query({ ...params, bucket, hasComment: 'true', limit: 6 })}`)),
      ),
    (loaded) => setPages(Object.fromEntries(COLUMNS.map(([bucket], index) => [bucket, loaded[index]]))),
    onError,
    [apiKey, from, to, tz, survey, version],
  );

  async function exportCsv() {
    try {
      const blob = await (await request(apiKey, `/v1/responses.csv?${query(params)}`)).blob();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `responses-${from}-to-${to}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (error) {
      onError(error);
    }
  }

  return (
    <section class="card wide" aria-labelledby="comments-title">
      <div class="section-head">
        <h2 id="comments-title">Latest comments</h2>
        <button type="button" onClick={exportCsv}>
          Export responses (CSV)
        </button>
      </div>
      <div class="comment-columns">
        {COLUMNS.map(([bucket, title]) => (
          <div class={`comment-column ${bucket}`} aria-label={`${title} comments`}>
            <h3>{title}</h3>
            {pages[bucket]?.responses.length === 0 && <p class="sub">No comments in this range.</p>}
            <ul>
              {pages[bucket]?.responses.map((r) => (
                <CommentItem response={r} tz={tz} />
              ))}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}

/** One comment with its score, survey, time and user. */
export function CommentItem({ response: r, tz }: { response: ListedResponse; tz: string }) {
  return (
    <li class="comment">
      <p class="comment-text">{r.comment}</p>
      <p class="facts">
        <span class={`score ${r.bucket}`}>
          {r.metric.toUpperCase()} {r.score}
        </span>{' '}
        {r.surveyName ?? r.surveyId} · {dateIn(r.at, tz)}
        {r.userId && ` · ${r.userId}`}
      </p>
    </li>
  );
}
