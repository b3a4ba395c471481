// The survey definitions the core knows: inline ones from init(), else the server's
// GET /v1/surveys, whose last good answer is kept in localStorage per write key. A page load starts
// from that copy and revalidates it (the server's ETag makes that a 304); offline, the copy is used.
import { abortAfter } from './abort-after';
import { parseJson, type LocalValues } from './local-values';
import type { Refusal } from './refusal';
import type { SurveyDefinition, SurveysResponse } from '@cxkit/protocol';

/** How long a load waits for the server before it gives up and the stored copy stands. */
export const SURVEYS_TIMEOUT_MS = 5000;

export interface SurveySourceOptions {
  /** From init({ surveys }): used as they are, nothing is fetched. */
  inline: SurveyDefinition[] | undefined;
  /** GET /v1/surveys?writeKey=… of the project; `&userId=…` is added for an identified user. */
  url: string;
  writeKey: string;
  values: LocalValues;
  fetch: typeof fetch;
  log: (...args: unknown[]) => void;
  /** Shared with sending: a refused key or origin is not asked again until the next page load. */
  refusal: Refusal;
  /** The account group() named on the device, if any: its surveys are the server's to pick. */
  accountId?: () => string | undefined;
}

export interface SurveySource {
  /** Fetches the definitions again, with the user's history when a user id is given. Never rejects. */
  load(userId: string | undefined): Promise<void>;
  /** Settles when the latest load has: the definitions are then as fresh as they can be. */
  ready(): Promise<void>;
  /** The definitions known now; the history only when it is this user's. */
  current(userId?: string): SurveysResponse;
}

/** What is kept: the server's answer, whose history it carries, and which account it was for. */
type Known = SurveysResponse & { userId?: string; accountId?: string };

export function createSurveySource({ inline, url, writeKey, values, fetch, log, refusal, accountId: account = () => undefined }: SurveySourceOptions): SurveySource {
  const key = `cxkit.surveys.${writeKey}`;
  let known: Known = inline ? { surveys: inline } : (parse(values.read(key)) ?? { surveys: [] });
  let latest = Promise.resolve();
  let loads = 0;

  async function fetchFresh(userId: string | undefined, load: number): Promise<void> {
    const accountId = account();
    try {
      const response = await fetch(url + (userId ? `&userId=${encodeURIComponent(userId)}` : '') + (accountId ? `&accountId=${encodeURIComponent(accountId)}` : ''), {
        credentials: 'omit',
        signal: abortAfter(SURVEYS_TIMEOUT_MS),
      });
      if (response.status === 401 || response.status === 403) return refusal.refuse(response.status, await response.json().catch(() => undefined));
      if (!response.ok) return log('could not load surveys:', response.status);
      const answer = parse(await response.text());
      if (!answer) return log('could not load surveys: not a survey list');
      // A load started since (another user signed in) has the say.
      if (load !== loads) return;
      known = { surveys: answer.surveys, rules: answer.rules, history: answer.history, userId, accountId };
      values.write(key, JSON.stringify(known));
    } catch (error) {
      log('could not load surveys', error);
    }
  }

  return {
    load(userId) {
      if (!inline && !refusal.refused()) latest = fetchFresh(userId, ++loads);
      return latest;
    },
    ready: () => latest,
    current: (userId) => ({
      // A survey with account conditions only from the server's answer for this very account: the
      // stored answer may be another account's (group() changed it since), and inline ones go unchecked.
      surveys: known.accountId && known.accountId === account() ? known.surveys : known.surveys.filter((survey) => !survey.audience?.account),
      rules: known.rules,
      history: known.userId === userId ? known.history : undefined,
    }),
  };
}

const parse = (text: string | undefined) => parseJson<Known>(text, (known) => Array.isArray(known?.surveys));
