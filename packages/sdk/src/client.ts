import type { WidgetModule } from '@cxkit/widget';
import type { Item, SurveyDefinition } from './protocol';
import { readValue, writeValue } from './identity';
import { joinTabs, type TabChannel, type TabMessage, type Tabs } from './leader';
import { watchPage } from './lifecycle';
import { createPrompter } from './prompt';
import { createQueue } from './queue';
import { createSender, type Sender } from './sender';
import { touchSession, type Session } from './session';
import type { QueueStorage } from './storage';
import { createSurveySource, type SurveySource } from './surveys';
import { createTransport, type MakeRequest } from './transport';
import { uuidv7 } from './uuid';

export interface InitOptions {
  writeKey: string;
  /** Origin of the cxkit server; defaults to where the script was loaded from. */
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
  loadWidget: () => Promise<WidgetModule>;
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
  track(event: string, properties?: Record<string, unknown>): void;
  showSurvey(idOrDefinition: string | SurveyDefinition): void;
  flush(): Promise<void>;
}

/** An item before the client stamps it with id, time, ids and context. */
export type Draft = DistributiveOmit<Item, 'id' | 'timestamp' | 'anonymousId' | 'sessionId'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const KEYS = { anonymousId: 'cxkit.anonymousId', userId: 'cxkit.userId', session: 'cxkit.session' };

export function createClient(deps: ClientDeps): Cxkit {
  const now = deps.now ?? Date.now;
  let options: InitOptions | undefined;
  let sender: Sender | undefined;
  let tabs: Tabs | undefined;
  // After pagehide: whatever is added now must leave at once, there may be no later.
  let leaving = false;
  let surveys: SurveySource | undefined;
  let surveysLoaded: Promise<void> = Promise.resolve();

  const log: Log = (...args) => {
    if (options?.debug) console.warn('[cxkit]', ...args);
  };
  const host = () => (options?.host ?? deps.defaultHost ?? location.origin).replace(/\/$/, '');
  const locale = () => options?.locale || document.documentElement.lang || navigator.language || 'en';

  const storage = deps.storage(log);
  // This tab sends when it leads, or when its storage is its own (memory) and nobody else can.
  const sending = () => !!tabs && (tabs.leading || !storage.shared);
  const onDropped = (count: number, reason: string) => log('dropped', count, 'item(s):', reason);
  const queue = createQueue({
    storage,
    now,
    log,
    onDropped,
    onStored: () => (sending() ? sender?.schedule() : tabs?.post('stored')),
    onRemoved: (keys) => tabs?.post(keys),
  });

  const prompter = createPrompter({
    loadWidget: deps.loadWidget,
    enqueue,
    locale,
    theme: () => options?.theme,
    onClosed: () => void flush(),
    log,
  });

  function onMessage(message: TabMessage): void {
    if (Array.isArray(message)) queue.forget(message);
    else if (message === 'flush') void sender?.flush();
    else sender?.schedule();
  }

  function hidden(): void {
    void queue.persist().then(() => {
      if (!sending()) tabs?.post('flush');
    });
    sender?.hide();
  }

  watchPage({
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
  });

  function anonymousId(): string {
    let id = readValue(KEYS.anonymousId);
    if (!id) writeValue(KEYS.anonymousId, (id = uuidv7()));
    return id;
  }

  function sessionId(at: number): string {
    let previous: Session | undefined;
    try {
      previous = JSON.parse(readValue(KEYS.session) ?? 'null') ?? undefined;
    } catch {
      previous = undefined;
    }
    const { session, started } = touchSession(previous, at, uuidv7);
    writeValue(KEYS.session, JSON.stringify(session));
    if (started) stamp({ type: 'session_start' }, at, session.id);
    return session.id;
  }

  function enqueue(draft: Draft): void {
    const at = now();
    stamp(draft, at, sessionId(at));
    if (leaving) sender?.hide();
  }

  function stamp(draft: Draft, at: number, session: string): void {
    const userId = readValue(KEYS.userId);
    const item = {
      ...draft,
      id: uuidv7(at),
      timestamp: new Date(at).toISOString(),
      anonymousId: anonymousId(),
      ...(userId && !('userId' in draft) ? { userId } : {}),
      sessionId: session,
      context: { url: location.href, locale: locale() },
    } as Item;
    queue.add(item);
  }

  async function flush(): Promise<void> {
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
      options = init;
      if (init.userId) writeValue(KEYS.userId, init.userId);
      const created = createSender({
        queue,
        transport: createTransport({ url: `${host()}/v1/batch`, writeKey: init.writeKey, now }, deps.makeRequest),
        active: sending,
        now,
        random: deps.random ?? Math.random,
        log,
        onSent: () => undefined,
        onDropped,
      });
      sender = created;
      tabs = joinTabs({ locks: deps.locks, openChannel: deps.openChannel, onLead: () => created.schedule(0), onMessage });
      surveys = createSurveySource(
        init.surveys,
        () => `${host()}/v1/surveys?writeKey=${encodeURIComponent(init.writeKey)}`,
        log,
      );
      surveysLoaded = surveys.load();
      // Items queued by earlier pages, or before init.
      if (sending()) created.schedule(0);
      else tabs.post('stored');
    },
    identify(userId, traits) {
      if (typeof userId !== 'string' || !userId) return log('identify needs a userId');
      writeValue(KEYS.userId, userId);
      enqueue({ type: 'identify', userId, ...(traits ? { traits } : {}) });
    },
    track(event, properties) {
      if (typeof event !== 'string' || !event) return log('track needs an event name');
      enqueue({ type: 'track', event, ...(properties ? { properties } : {}) });
      void surveysLoaded.then(() => {
        const survey = surveys?.forEvent(event);
        if (survey) return prompter.show(survey);
      });
    },
    showSurvey(idOrDefinition) {
      void surveysLoaded.then(() => {
        const survey = typeof idOrDefinition === 'string' ? surveys?.byId(idOrDefinition) : idOrDefinition;
        if (survey) return prompter.show(survey);
        log('no survey', idOrDefinition);
      });
    },
    flush,
  };
  return guarded(api, log);
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
