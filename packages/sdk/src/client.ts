import { recordActivity } from './activity';
import { createBacklog } from './backlog';
import { createDropReports } from './drop-report';
import { createEmitter, type CxkitEventName, type CxkitEvents } from './events';
import { createIdentity } from './identity';
import { joinTabs, type TabChannel, type TabMessage, type Tabs } from './leader';
import { watchPage } from './lifecycle';
import { createLocalValues, KEYS } from './local-values';
import type { DropReason, Item, RejectReason, SurveyDefinition } from '@cxkit/protocol';
import { createQueue } from './queue';
import { createRefusal } from './refusal';
import { createSender, type Sender } from './sender';
import type { QueueStorage } from './storage';
import { deferSurveyCalls } from './survey-calls';
import { createTransport, type MakeRequest } from './transport';
import { uuidv7 } from './uuid';
import type { LoadWidget } from './widget-loader';

export interface InitOptions {
  writeKey: string;
  /** Origin of the cxkit server; defaults to where cxkit.js was loaded from (the page's origin in the npm build). */
  host?: string;
  /** Survey definitions given inline instead of fetched from the server. */
  surveys?: SurveyDefinition[];
  userId?: string;
  locale?: string;
  theme?: 'light' | 'dark' | 'auto';
  debug?: boolean;
}

type Log = (...args: unknown[]) => void;

export interface ClientDeps {
  /** Where the queue lives; given the debug log, to report a fallback. */
  storage: (log: Log) => QueueStorage;
  makeRequest: MakeRequest;
  loadWidget: LoadWidget;
  /** The definitions chunk (cxkit-definitions.js): loading and revalidating survey definitions, URL triggers. */
  loadDefinitions: () => Promise<typeof import('./survey-definitions')>;
  /** The targeting runtime (cxkit-surveys.js), loaded when a survey may be triggered. */
  loadRuntime: () => Promise<typeof import('./survey-runtime')>;
  /** For GET /v1/surveys; defaults to the browser's fetch. */
  fetch?: typeof fetch;
  /** Web Locks, to elect the one tab that sends. */
  locks?: LockManager;
  /** BroadcastChannel, for tabs to nudge the sending one. */
  openChannel?: (name: string) => TabChannel;
  /** Used when init() names no host. */
  defaultHost?: string;
  now?: () => number;
  /** Dice for the retry jitter. */
  random?: () => number;
}

export interface Cxkit {
  init(options: InitOptions): void;
  identify(userId: string, traits?: Record<string, unknown>): void;
  /** The user belongs to this account (company) from now on, on this device, until reset(); traits describe it. */
  group(accountId: string, traits?: Record<string, string | number | boolean | null>): void;
  track(event: string, properties?: Record<string, unknown>): void;
  showSurvey(idOrDefinition: string | SurveyDefinition): void;
  flush(): Promise<void>;
  /**
   * Stops all collection on this device, drops what is queued, and remembers the choice. With
   * `analytics: true` only analytics stop (sessions, activity, track(), identify items): surveys are
   * still shown and their answers sent.
   */
  optOut(options?: { analytics?: boolean }): void;
  optIn(): void;
  /** Logout: a new anonymous id and session, no user id. Queued items are still sent. */
  reset(): void;
  /** Returns the function that removes the listener. */
  on<E extends CxkitEventName>(event: E, listener: (data: CxkitEvents[E]) => void): () => void;
}

/** An item before the client stamps it with id, time, ids and context. */
export type Draft = DistributiveOmit<Item, 'id' | 'timestamp' | 'anonymousId' | 'sessionId'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export function createClient(deps: ClientDeps): Cxkit {
  const now = deps.now ?? Date.now;
  let options: InitOptions | undefined;
  let sender: Sender | undefined;
  let tabs: Tabs | undefined;
  // After pagehide: whatever is added now must leave at once, there may be no later.
  let leaving = false;

  const log: Log = (...args) => {
    if (options?.debug) console.warn('[cxkit]', ...args);
  };
  const host = () => (options?.host ?? deps.defaultHost ?? location.origin).replace(/\/$/, '');
  const locale = () => options?.locale || document.documentElement.lang || navigator.language || 'en';

  const values = createLocalValues();
  const identity = createIdentity(values);
  const events = createEmitter(log);
  const storage = deps.storage(log);
  // '1': nothing is collected; 'analytics': survey displays and answers only.
  const optedOut = () => values.read(KEYS.optOut) === '1';
  const analyticsOff = () => !!values.read(KEYS.optOut);
  // This tab sends when it leads, or when its storage is its own (memory) and nobody else can.
  const sending = () => !optedOut() && !!tabs && (tabs.leading || !storage.shared);

  const reports = createDropReports(values, uuidv7);
  const refusal = createRefusal();
  const onDropped = (count: number, code: DropReason, serverReason?: RejectReason) => {
    log('dropped', count, 'item(s):', code, serverReason ?? '');
    reports.add(count, code);
    events.emit('dropped', serverReason ? { count, code, serverReason } : { count, code });
  };
  const queue = createQueue({
    storage,
    now,
    log,
    onDropped,
    onStored: () => (sending() ? sender?.schedule() : tabs?.post('stored')),
    onRemoved: (keys) => tabs?.post(keys),
  });

  // Opened after init only: the definitions' address and cache are the write key's.
  const surveys = deferSurveyCalls(
    () =>
      deps.loadDefinitions().then(({ startSurveys }) =>
        startSurveys({
          deps,
          options: options!,
          host: host(),
          values,
          identity,
          refusal,
          enqueue,
          newId: uuidv7,
          now,
          log,
          locale,
          optedOut,
          closed(surveyId) {
            events.emit('survey_closed', { surveyId });
            void flush();
          },
        }),
      ),
    log,
  );

  function onMessage(message: TabMessage): void {
    if (Array.isArray(message)) queue.forget(message);
    else if (message === 'flush') void sender?.flush();
    else sender?.schedule();
  }

  function hidden(): void {
    calls.drain();
    values.persist();
    void queue.persist().then(() => {
      if (!sending()) tabs?.post('flush');
    });
    sender?.hide();
  }

  // Page events run our code outside any api call: a failure there would surface in the host page too.
  watchPage(guarded({
    hidden,
    left: () => {
      leaving = true;
      tabs?.stop();
    },
    returned: () => {
      leaving = false;
      tabs?.start();
    },
    online: () => sender?.retryNow(),
    storage(key) {
      values.changed(key);
      // Opted out in another tab: what this tab still holds goes too.
      if ((key === KEYS.optOut || key === null) && analyticsOff()) void queue.clear(!optedOut());
    },
  }, log));

  /** Activity at `at` (on the page at `url`): continues or starts the session, marks the day; returns the session id. */
  function touch(at: number, url: string): string {
    const { sessionId, sessionStarted, firstToday } = recordActivity(values, at, () => uuidv7(at));
    // Without analytics consent the session is kept on the device only, for targeting's rules.
    if (analyticsOff()) return sessionId;
    if (sessionStarted) stamp({ type: 'session_start' }, at, sessionId, url);
    if (firstToday) stamp({ type: 'active' }, at, sessionId, url);
    return sessionId;
  }

  /** Queues an item made now; the calls track() handed off go first, so that items keep their order. */
  function enqueue(draft: Draft): Item | undefined {
    calls.drain();
    const item = add(draft, now(), location.href);
    if (item?.type.startsWith('survey_')) events.emit(item.type as 'survey_shown', item as never);
    return item;
  }

  /** `properties`: the JSON snapshot track() took. */
  function add(draft: Draft, at: number, url: string, properties?: string): Item | undefined {
    if (optedOut() || (analyticsOff() && !draft.type.startsWith('survey_'))) return;
    const item = stamp(draft, at, touch(at, url), url, properties);
    if (leaving) sender?.hide();
    return item;
  }

  function stamp(draft: Draft, at: number, sessionId: string, url: string, properties?: string): Item {
    const userId = identity.userId();
    const accountId = identity.accountId();
    const item = {
      ...draft,
      id: uuidv7(at),
      timestamp: new Date(at).toISOString(),
      anonymousId: identity.anonymousId(),
      ...(userId && !('userId' in draft) ? { userId } : {}),
      ...(accountId && { accountId }),
      // An answer keeps the traits it was given with, so a later identify() does not regroup it;
      // not for a user who declined analytics, whose identify() traits are not sent.
      ...(draft.type === 'survey_response' && !analyticsOff() && { traits: identity.traits() }),
      sessionId,
      context: { url, locale: locale() },
    } as Item;
    queue.add(item, properties);
    return item;
  }

  // track() notes the time, the address and a snapshot of the properties; the item is made after the call.
  const calls = createBacklog<[at: number, event: string, properties: string | undefined, url: string]>(
    ([at, event, properties, url]) => add({ type: 'track', event }, at, url, properties),
    log,
  );

  async function flush(): Promise<void> {
    calls.drain();
    await queue.persist();
    if (sending()) return sender?.flush();
    tabs?.post('flush');
  }

  const api: Cxkit = {
    init(init) {
      if (options) return log('init called twice; ignored');
      if (!init || typeof init.writeKey !== 'string' || !init.writeKey) {
        console.warn('[cxkit] init needs a writeKey');
        return;
      }
      // A copy, read once: getters on the host's object must not run (and maybe throw) on every log.
      options = { ...init };
      const transport = createTransport({ url: `${host()}/v1/batch`, writeKey: init.writeKey, now }, deps.makeRequest);
      const created = createSender({
        queue,
        transport,
        active: sending,
        now,
        random: deps.random ?? Math.random,
        log,
        onSent: (count) => events.emit('sent', { count }),
        onDropped,
        reports,
        refusal,
      });
      sender = created;
      tabs = joinTabs({ locks: deps.locks, openChannel: deps.openChannel, onLead: () => created.schedule(0), onMessage });
      if (init.userId) api.identify(init.userId);
      calls.drain();
      if (!optedOut()) {
        // Loading the page is activity: the session goes on (or starts), the day counts.
        touch(now(), location.href);
        if (!values.read(KEYS.firstSeen)) values.write(KEYS.firstSeen, String(now()));
        // The definitions wait until the page is idle, unless surveys were given here.
        if (init.surveys) surveys.open();
        else if (typeof requestIdleCallback === 'function') requestIdleCallback(surveys.open, { timeout: IDLE_TIMEOUT_MS });
        else setTimeout(surveys.open);
      }
      // Items queued by earlier pages, or before init.
      if (sending()) created.schedule(0);
      else tabs.post('stored');
    },
    identify(userId, traits) {
      if (!valid(userId, traits)) return log('identify(userId, traits?)', NEEDS);
      if (optedOut()) return;
      calls.drain();
      const current = identity.userId();
      if (current === userId && !traits) return;
      if (current !== userId) {
        // Someone else signs in on this device without reset() between: never merge the two people.
        if (current) identity.forget();
        identity.setUserId(userId);
        // Their history from other devices comes with the definitions.
        surveys.load(userId);
      }
      if (traits) identity.addTraits(traits);
      enqueue({ type: 'identify', userId, ...(traits ? { traits } : {}) });
    },
    group(accountId, traits) {
      if (!valid(accountId, traits)) return log('group(accountId, traits?)', NEEDS);
      if (optedOut()) return;
      // track() calls made before this one are stamped before the account changes.
      calls.drain();
      const before = identity.accountId();
      identity.setAccountId(accountId);
      enqueue({ type: 'group', accountId, ...(traits ? { traits } : {}) });
      // Surveys for accounts with given traits are the server's to pick: asked again for the new account.
      if (before !== accountId) surveys.load(identity.userId());
    },
    track(event, properties) {
      if (!valid(event, properties)) return log('track(event, properties?)', NEEDS);
      if (!analyticsOff()) {
        // The properties as they are now: changing the object after the call changes nothing queued.
        let snapshot: string | undefined;
        try {
          snapshot = properties && JSON.stringify(properties);
          calls.add([now(), event, snapshot, location.href]);
          // After pagehide there may be no later: the item is made, and leaves, within the call.
          if (leaving) calls.drain();
        } catch {
          onDropped(1, 'not_serializable');
        }
      }
      surveys.event(event, properties);
    },
    showSurvey(idOrDefinition) {
      if (options && !optedOut()) surveys.open();
      surveys.show(idOrDefinition);
    },
    flush,
    optOut(choice) {
      calls.drain();
      if (choice?.analytics === true) {
        values.write(KEYS.optOut, 'analytics');
        return void queue.clear(true);
      }
      values.write(KEYS.optOut, '1');
      identity.forget();
      void queue.clear();
    },
    optIn() {
      // The session and day kept while analytics were off were never reported: the next activity starts and counts them.
      for (const key of [KEYS.optOut, KEYS.session, KEYS.activeDay]) values.write(key, undefined);
      surveys.load(identity.userId());
      if (options) surveys.open();
    },
    reset() {
      calls.drain();
      identity.forget();
    },
    on: (event, listener) => events.on(event, listener),
  };
  return guarded(api, log);
}

const NEEDS = 'needs a string and an object';

/** How long the definitions wait for an idle moment on a busy page. */
export const IDLE_TIMEOUT_MS = 2000;

/** A non-empty name, and an optional plain object (properties, traits). */
function valid(name: unknown, bag: unknown): boolean {
  return typeof name === 'string' && !!name && (bag === undefined || (typeof bag === 'object' && bag !== null && !Array.isArray(bag)));
}

/** The host page never sees an exception from cxkit: every public call is wrapped. */
function guarded<T extends object>(api: T, log: Log): T {
  const safe = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(api) as [string, (...args: unknown[]) => unknown][]) {
    safe[name] = (...args: unknown[]) => {
      try {
        const result = fn(...args);
        return result instanceof Promise ? result.catch((error) => log(name, 'failed', error)) : result;
      } catch (error) {
        log(name, 'failed', error);
      }
    };
  }
  return safe as T;
}
