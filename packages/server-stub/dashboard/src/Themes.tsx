import { useState } from 'preact/hooks';
import type { ScoreBucket } from '@cxkit/protocol';
import type { CommentThemesAnswer, ThemeCommentsAnswer } from '../../src/comment-themes-api';
import { getJson, query } from './api';
import type { RangePanelProps } from './App';
import { CommentItem, COLUMNS } from './Comments';
import { useLatest } from './use-latest';

/** The phrases most comments of each bucket share; a phrase opens the comments that hold it. */
export function Themes({ apiKey, filters, version, onError }: RangePanelProps) {
  const [answer, setAnswer] = useState<CommentThemesAnswer | null>(null);
  const [open, setOpen] = useState<{ bucket: ScoreBucket; comments: ThemeCommentsAnswer } | null>(null);
  const { from, to, tz, survey } = filters;
  const params = { from, to, tz, survey };

  useLatest(
    () => getJson<CommentThemesAnswer>(apiKey, `/v1/comment-themes?${query(params)}`),
    (loaded) => {
      setAnswer(loaded);
      setOpen(null);
    },
    onError,
    [apiKey, from, to, tz, survey, version],
  );

  async function show(bucket: ScoreBucket, phrase: string) {
    try {
      const comments = await getJson<ThemeCommentsAnswer>(apiKey, `/v1/comment-themes/comments?${query({ ...params, bucket, phrase, limit: 20 })}`);
      setOpen({ bucket, comments });
    } catch (error) {
      onError(error);
    }
  }

  return (
    <section class="card wide" aria-labelledby="themes-title">
      <div class="section-head">
        <h2 id="themes-title">Comment themes</h2>
        {answer?.truncated && <p class="sub">From the newest {answer.comments.toLocaleString('en')} comments in this range.</p>}
      </div>
      <div class="comment-columns">
        {COLUMNS.map(([bucket, title], index) => {
          const themes = answer?.buckets[index]?.themes;
          return (
            <div class={`comment-column ${bucket}`} aria-label={`${title} themes`}>
              <h3>{title}</h3>
              {themes?.length === 0 && <p class="sub">No phrase is shared by two comments in this range.</p>}
              <ul class="themes">
                {themes?.map(({ phrase, count }) => (
                  <li>
                    <button
                      type="button"
                      class="theme"
                      aria-pressed={open?.bucket === bucket && open.comments.phrase === phrase}
                      onClick={() => show(bucket, phrase)}
                    >
                      <span class="theme-phrase">{phrase}</span> <span class="theme-count">{count}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
      {open && (
        <div class="theme-comments" role="region" aria-label={`Comments that say “${open.comments.phrase}”`}>
          <div class="section-head">
            <h3>
              {open.comments.count} {open.comments.count === 1 ? 'comment says' : 'comments say'} “{open.comments.phrase}”
            </h3>
            <button type="button" class="quiet" onClick={() => setOpen(null)}>
              Close
            </button>
          </div>
          <ul>
            {open.comments.responses.map((r) => (
              <CommentItem response={r} tz={tz} />
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
