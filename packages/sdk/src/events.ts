import type { DropReason, RejectReason, SurveyDismissedItem, SurveyResponseItem, SurveyShownItem } from '@cxkit/protocol';

/** What cxkit.on() can listen to, and what each listener receives. */
export interface CxkitEvents {
  /** A prompt appeared. */
  survey_shown: SurveyShownItem;
  /** A score was picked (final: false), or the follow-up comment was sent (final: true). */
  survey_response: SurveyResponseItem;
  /** The prompt was closed without a score. */
  survey_dismissed: SurveyDismissedItem;
  /** The prompt is gone, answered or not. */
  survey_closed: { surveyId: string };
  /** The server confirmed this many items (emitted in the tab that sent them). */
  sent: { count: number };
  /**
   * Items were given up unsent, and why (codes in docs/protocol.md): refused by the server, too large,
   * past the queue's bounds. For `rejected`, the server's own reason comes along.
   */
  dropped: { count: number; code: DropReason; serverReason?: RejectReason };
}

export type CxkitEventName = keyof CxkitEvents;

export interface Emitter {
  /** Returns the function that removes the listener. */
  on<E extends CxkitEventName>(event: E, listener: (data: CxkitEvents[E]) => void): () => void;
  emit<E extends CxkitEventName>(event: E, data: CxkitEvents[E]): void;
}

export function createEmitter(log: (...args: unknown[]) => void): Emitter {
  const listeners = new Map<string, Set<(data: never) => void>>();
  return {
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set.add(listener));
      return () => void set.delete(listener);
    },
    emit(event, data) {
      for (const listener of listeners.get(event) ?? []) {
        try {
          (listener as (data: unknown) => void)(data);
        } catch (error) {
          // The host's listener failed; cxkit goes on.
          log(event, 'listener failed', error);
        }
      }
    },
  };
}
