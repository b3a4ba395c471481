import type { DropReason } from '@cxkit/protocol';
import { count } from './format';

/** What each drop code means, in short (the full text is in docs/protocol.md#reason-codes). */
const MEANINGS: Record<DropReason, string> = {
  expired: 'Queued more than 7 days and never delivered',
  queue_full: 'Evicted from a full queue (over 1,000 items or 5 MiB); events go before answers',
  not_serializable: 'Properties that cannot be turned into JSON (a cycle, a BigInt)',
  too_large: 'An item over the 32 KiB item limit, never queued',
  rejected: 'Refused by the server as invalid',
  payload_too_large: 'Refused as too large (413) even when sent alone',
};

/** Items devices gave up unsent in the range, by code, as their sdk reported them. */
export function Dropped({ dropped }: { dropped: Record<DropReason, number> }) {
  const codes = (Object.keys(MEANINGS) as DropReason[]).filter((code) => dropped[code] > 0);
  return (
    <article class="card wide" aria-label="Dropped on devices">
      <h3>Dropped on devices</h3>
      {codes.length === 0 ? (
        <p class="sub">No device reported dropping anything in this range.</p>
      ) : (
        <div class="table-scroll">
          <table class="surveys">
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col">Items</th>
              </tr>
            </thead>
            <tbody>
              {codes.map((code) => (
                <tr>
                  <th scope="row">
                    <code>{code}</code>
                    <div class="sub">{MEANINGS[code]}</div>
                  </th>
                  <td>{count(dropped[code])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
