import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createLocalValues } from '../src/local-values';
import type { SurveyDefinition, SurveysResponse } from '@cxkit/protocol';
import { createRefusal } from '../src/refusal';
import { createSurveySource, SURVEYS_TIMEOUT_MS } from '../src/surveys';

const URL = 'https://cx.example.com/v1/surveys?writeKey=pk_test';
const nps: SurveyDefinition = { id: 'nps', metric: 'nps', trigger: { event: 'checkout_completed' } };
const csat: SurveyDefinition = { id: 'csat', metric: 'csat', trigger: { event: 'chat_closed' } };
const history = { lastShownAt: 5, surveys: { nps: { displays: 1, answered: true, later: 0, lastShownAt: 5 } } };

beforeEach(() => {
  localStorage.clear();
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

type Fetch = (url: string, init: RequestInit) => Promise<Response>;
const answer = (body: unknown, status = 200) => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });

/** A page load: a new source over the same localStorage, answering with `server`. */
function load(server: Fetch, inline?: SurveyDefinition[], accountId?: () => string | undefined) {
  const fetch = vi.fn(server);
  const log = vi.fn();
  const source = createSurveySource({
    inline,
    url: URL,
    writeKey: 'pk_test',
    values: createLocalValues(),
    fetch: fetch as typeof globalThis.fetch,
    log,
    refusal: createRefusal(),
    accountId,
  });
  return { source, fetch, log };
}
const ids = (response: SurveysResponse) => response.surveys.map((s) => s.id);
const offline: Fetch = () => Promise.reject(new TypeError('Failed to fetch'));

test('fetches the definitions and the rules, without cookies; the next page load has them at once, before it revalidates', async () => {
  const first = load(async () => answer({ surveys: [nps], rules: { cooldownDays: 7, maxRemindLater: 1 } }));
  expect(first.source.current().surveys).toEqual([]);
  await first.source.load(undefined);
  expect(first.fetch).toHaveBeenCalledWith(URL, expect.objectContaining({ credentials: 'omit' }));
  expect(first.source.current()).toEqual({ surveys: [nps], rules: { cooldownDays: 7, maxRemindLater: 1 }, history: undefined });

  let revalidated!: (response: Response) => void;
  const next = load(() => new Promise((resolve) => (revalidated = resolve)));
  const loading = next.source.load(undefined);
  expect(ids(next.source.current())).toEqual(['nps']);
  // Revalidation brings the change made meanwhile: nps paused, csat added.
  revalidated(answer({ surveys: [csat] }));
  await loading;
  expect(ids(next.source.current())).toEqual(['csat']);
  expect(ids(load(offline).source.current())).toEqual(['csat']);
});

test('offline, the stored definitions are used', async () => {
  await load(async () => answer({ surveys: [nps] })).source.load(undefined);
  const { source, log } = load(offline);
  await source.load(undefined);
  expect(ids(source.current())).toEqual(['nps']);
  expect(log).toHaveBeenCalledWith('could not load surveys', expect.any(TypeError));
});

test.each([
  ['a 500', () => answer('oops', 500)],
  ['a body that is not JSON', () => answer('<html>captive portal</html>')],
  ['JSON without a survey list', () => answer({ surveys: 'none' })],
  ['null', () => answer('null')],
])('%s keeps the stored definitions', async (_, bad) => {
  await load(async () => answer({ surveys: [nps] })).source.load(undefined);
  const { source, log } = load(async () => bad());
  await source.load(undefined);
  expect(ids(source.current())).toEqual(['nps']);
  expect(ids(load(offline).source.current())).toEqual(['nps']);
  expect(log).toHaveBeenCalled();
});

test(`a server that does not answer is given up after ${SURVEYS_TIMEOUT_MS} ms, and the stored definitions stand`, async () => {
  await load(async () => answer({ surveys: [nps] })).source.load(undefined);
  // AbortSignal.timeout runs on the real clock: here it runs on the test's.
  vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms) => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(new DOMException('timed out', 'TimeoutError')), ms);
    return abort.signal;
  });
  const hanging: Fetch = (_, init) => new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
  const { source } = load(hanging);
  let done = false;
  void source.load(undefined);
  void source.ready().then(() => (done = true));
  await vi.advanceTimersByTimeAsync(SURVEYS_TIMEOUT_MS - 1);
  expect(done).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(done).toBe(true);
  expect(ids(source.current())).toEqual(['nps']);
});

test('an identified user gets their history from the server; it is never used for someone else', async () => {
  const { source, fetch } = load(async (url) => answer({ surveys: [nps], ...(url.includes('userId') ? { history } : {}) }));
  await source.load('ada@example.com');
  expect(fetch).toHaveBeenCalledWith(`${URL}&userId=ada%40example.com`, expect.anything());
  expect(source.current('ada@example.com').history).toEqual(history);
  expect(source.current('bob').history).toBeUndefined();
  expect(source.current(undefined).history).toBeUndefined();
  // Kept for the next load, for the same user only.
  expect(load(offline).source.current('ada@example.com').history).toEqual(history);
});

test('when a user signs in while the anonymous load is still out, the later load has the say', async () => {
  const pending: ((response: Response) => void)[] = [];
  const { source } = load(() => new Promise((resolve) => pending.push(resolve)));
  void source.load(undefined);
  const signedIn = source.load('ada');
  pending[1]!(answer({ surveys: [nps], history }));
  pending[0]!(answer({ surveys: [] }));
  await signedIn;
  await vi.advanceTimersByTimeAsync(0);
  expect(source.current('ada')).toMatchObject({ surveys: [nps], history });
});

test('inline definitions from init() are used as they are: nothing is fetched or stored', async () => {
  const { source, fetch } = load(offline, [csat]);
  await source.load('ada');
  expect(fetch).not.toHaveBeenCalled();
  expect(source.current()).toEqual({ surveys: [csat], rules: undefined, history: undefined });
  expect(localStorage.length).toBe(0);
});

test("surveys with account conditions come only from the server's answer for the device's account", async () => {
  const forTeams: SurveyDefinition = { ...csat, audience: { account: [{ key: 'plan', op: 'eq', value: 'team' }] } };
  let account: string | undefined = 'acme';
  // The server picked them for acme; another account's load would not list forTeams.
  const page = load(async (url) => answer({ surveys: url.includes('accountId=acme') ? [nps, forTeams] : [nps] }), undefined, () => account);
  await page.source.load('ada');
  expect(page.fetch).toHaveBeenCalledWith(`${URL}&userId=ada&accountId=acme`, expect.anything());
  expect(ids(page.source.current('ada'))).toEqual(['nps', 'csat']);
  // group() moved the device to globex: until the server answers for it, acme's pick is not used.
  account = 'globex';
  expect(ids(page.source.current('ada'))).toEqual(['nps']);
  // Nor on the next page load, from the stored copy, nor without an account.
  expect(ids(load(offline, undefined, () => 'globex').source.current('ada'))).toEqual(['nps']);
  expect(ids(load(offline).source.current('ada'))).toEqual(['nps']);
  expect(ids(load(offline, undefined, () => 'acme').source.current('ada'))).toEqual(['nps', 'csat']);
  // Inline definitions are not the server's pick: only the server can check an account's traits.
  expect(ids(load(offline, [nps, forTeams], () => 'acme').source.current())).toEqual(['nps']);
  expect(ids(load(offline, [nps, forTeams]).source.current())).toEqual(['nps']);
});
