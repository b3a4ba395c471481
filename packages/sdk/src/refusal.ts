import { REFUSAL_REASONS, type RefusalReason, type RefusalResponse } from '@cxkit/protocol';

/**
 * The server refused the write key, or this page's origin (401/403): asking again cannot help until
 * someone changes the project, so sending and survey loads stop until the next page load. The
 * first refusal is said once, whichever request met it, in the server's words: for an origin, which
 * one and the command that allows it.
 */
export interface Refusal {
  refused(): boolean;
  refuse(status: number, body: unknown): void;
}

export function createRefusal(): Refusal {
  let refused = false;
  return {
    refused: () => refused,
    refuse(status, body) {
      if (refused) return;
      refused = true;
      // The server's own words only in an answer the protocol defines; a proxy's error page is named by its status.
      const answer = body as Partial<RefusalResponse> | undefined;
      const why = typeof answer?.error === 'string' && REFUSAL_REASONS.includes(answer.reason as RefusalReason) ? answer.error : `write key refused (${status})`;
      console.warn(`[cxkit] ${why}: sending stopped until the next page load, items kept`);
    },
  };
}
