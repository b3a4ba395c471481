import { useEffect, useState } from 'preact/hooks';
import type { ListedResponse } from '../../src/responses-api';
import { getJson, query } from './api';
import { CommentItem } from './Comments';

const linked = () => /^#response=(.+)$/.exec(location.hash)?.[1];

/** The response an alert links to (`/dashboard#response=…`), above everything else until closed. */
export function LinkedResponse({ apiKey, tz, onError }: { apiKey: string; tz: string; onError: (error: unknown) => void }) {
  const [id, setId] = useState(linked);
  const [found, setFound] = useState<ListedResponse | null | undefined>(undefined);
  useEffect(() => {
    const follow = () => setId(linked());
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  useEffect(() => {
    if (id === undefined) return;
    getJson<{ responses: ListedResponse[] }>(apiKey, `/v1/responses?${query({ response: decodeURIComponent(id), limit: 1 })}`)
      .then((page) => setFound(page.responses[0] ?? null))
      .catch(onError);
  }, [apiKey, id]);
  if (id === undefined || found === undefined) return null;
  return (
    <section class="card wide" aria-label="Linked response">
      <div class="section-head">
        <h2>Response from an alert</h2>
        <button type="button" class="quiet" onClick={() => (history.replaceState(null, '', location.pathname + location.search), setId(undefined))}>
          Close
        </button>
      </div>
      {found ? (
        <ul class="comment-list">
          <CommentItem response={found} tz={tz} />
        </ul>
      ) : (
        <p class="sub">No response has the id {decodeURIComponent(id)}.</p>
      )}
    </section>
  );
}
