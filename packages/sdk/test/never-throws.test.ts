// "Never throws into the host page", tested as the host sees it: every function the api object has
// (a new one is covered without touching this file), called with hostile arguments, while the
// client's own dependencies fail in every way they can. No call may throw, no returned promise may
// reject, and nothing may surface later from a timer or a page event. Returning the unguarded api
// from createClient fails this file.
import { afterEach, expect, test, vi } from 'vitest';
import { createBrowserClient } from '../src/browser';
import { createClient, type ClientDeps, type Cxkit } from '../src/client';
import type { QueueStorage } from '../src/storage';
import { loadDefinitions, loadRuntime } from './client-page';
import { fakeServer, freshPageEachTest, setVisibility } from './fakes';

const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);
const HOUR = 60 * 60 * 1000;

const broken = () => new Error('broken on purpose');
const fail = (): never => {
  throw broken();
};

/** An object every operation on which throws: reading, writing, enumerating, calling, `in`. */
function trap(): object {
  return new Proxy(function () {}, {
    get: fail,
    set: fail,
    has: fail,
    ownKeys: fail,
    getOwnPropertyDescriptor: fail,
    defineProperty: fail,
    deleteProperty: fail,
    getPrototypeOf: fail,
    setPrototypeOf: fail,
    isExtensible: fail,
    preventExtensions: fail,
    apply: fail,
    construct: fail,
  });
}

function hostileValues(): [string, unknown][] {
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  return [
    ['undefined', undefined],
    ['null', null],
    ['0', 0],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['true', true],
    ['a symbol', Symbol('hostile')],
    ['a BigInt', 10n],
    ['an empty string', ''],
    ['a 4 MiB string', 'x'.repeat(4 * 1024 * 1024)],
    ['an array', [1, 'two', {}]],
    ['a function', () => fail()],
    ['an object without a prototype', Object.create(null)],
    ['an object whose getters throw', { get writeKey() { return fail(); }, get event() { return fail(); }, get id() { return fail(); } }],
    ['an object whose toJSON throws', { toJSON: fail, plan: 'team' }],
    ['an object whose toString and valueOf throw', { toString: fail, valueOf: fail, [Symbol.toPrimitive]: fail }],
    ['a proxy that throws on every trap', trap()],
    ['a cyclic object', cyclic],
    // Valid where the api wants a key, and hostile in everything else it reads.
    ['options whose other fields throw', new Proxy({ writeKey: 'pk_test' }, { get: (target, key) => (key === 'writeKey' ? target.writeKey : fail()) })],
    ['options with a throwing debug flag', { writeKey: 'pk_test', host: 'https://cx.example.com', surveys: [], get debug() { return fail(); } }],
  ];
}

const throwingStorage = (): QueueStorage => ({ shared: true, put: fail, list: fail, remove: fail, clear: fail });
const rejectingStorage = (): QueueStorage => ({
  shared: true,
  put: () => Promise.reject(broken()),
  list: () => Promise.reject(broken()),
  remove: () => Promise.reject(broken()),
  clear: () => Promise.reject(broken()),
});

/** Clients whose dependencies fail, each in its own way. */
const setups: [string, () => Cxkit][] = [
  ['working dependencies', () => createClient({ storage: () => rejectingStorage(), makeRequest: fakeServer().makeRequest, loadWidget: fail, loadDefinitions, loadRuntime })],
  [
    'dependencies that throw at once',
    () =>
      createClient({
        storage: throwingStorage,
        makeRequest: fail,
        loadWidget: fail,
        loadDefinitions,
        loadRuntime: fail,
        fetch: fail,
        locks: { request: fail, query: fail } as unknown as LockManager,
        openChannel: fail,
        random: fail,
      }),
  ],
  [
    'dependencies that reject',
    () =>
      createClient({
        storage: rejectingStorage,
        makeRequest: () => Promise.reject(broken()),
        loadWidget: () => Promise.reject(broken()),
        loadDefinitions,
        loadRuntime: () => Promise.reject(broken()),
        fetch: () => Promise.reject(broken()),
        locks: { request: () => Promise.reject(broken()) } as unknown as LockManager,
        openChannel: () => ({ onmessage: null, postMessage: fail, close: fail }),
      }),
  ],
  [
    'dependencies that are traps',
    () =>
      createClient({
        storage: () => trap() as QueueStorage,
        makeRequest: trap() as ClientDeps['makeRequest'],
        loadWidget: trap() as ClientDeps['loadWidget'],
        loadDefinitions: trap() as ClientDeps['loadDefinitions'],
        loadRuntime: trap() as ClientDeps['loadRuntime'],
        fetch: trap() as typeof fetch,
        locks: trap() as LockManager,
        openChannel: () => trap() as never,
        random: trap() as () => number,
      }),
  ],
  [
    'the browser wiring, with localStorage, IndexedDB, crypto, BroadcastChannel and Web Locks broken',
    () => {
      vi.spyOn(window, 'localStorage', 'get').mockImplementation(fail);
      // As Firefox does where storage is blocked: reading the property throws.
      Object.defineProperty(window, 'indexedDB', { configurable: true, get: fail });
      vi.spyOn(crypto, 'getRandomValues').mockImplementation(fail);
      vi.spyOn(crypto, 'randomUUID').mockImplementation(fail);
      vi.stubGlobal('BroadcastChannel', function () {
        return fail();
      });
      Object.defineProperty(navigator, 'locks', { configurable: true, value: { request: fail } });
      vi.stubGlobal('fetch', fail);
      return createBrowserClient(fail, loadDefinitions, fail, 'https://cx.example.com');
    },
  ],
];

freshPageEachTest(T0);
afterEach(() => {
  vi.unstubAllGlobals();
  delete (navigator as { locks?: unknown }).locks;
  delete (window as { indexedDB?: unknown }).indexedDB;
});

/** What reached the host: a throw, a rejection, or an error reported to the window later. */
function watchHost() {
  const failures: string[] = [];
  const reported = (event: Event) => failures.push(`reported to the window: ${String((event as ErrorEvent).error ?? (event as PromiseRejectionEvent).reason)}`);
  window.addEventListener('error', reported);
  window.addEventListener('unhandledrejection', reported);
  const onUnhandled = (reason: unknown) => failures.push(`unhandled rejection: ${(reason as Error).stack}`);
  process.on('unhandledRejection', onUnhandled);

  async function call(label: string, run: () => unknown): Promise<unknown> {
    let result: unknown;
    try {
      result = run();
    } catch (error) {
      failures.push(`${label} threw ${(error as Error).stack}`);
      return;
    }
    if (result instanceof Promise) {
      try {
        await result;
      } catch (error) {
        failures.push(`${label} rejected with ${String(error)}`);
      }
    }
    return result;
  }

  function stop(): string[] {
    window.removeEventListener('error', reported);
    window.removeEventListener('unhandledrejection', reported);
    process.off('unhandledRejection', onUnhandled);
    return failures;
  }
  return { call, stop };
}

test.each(setups)('no public call throws or rejects, whatever the arguments, with %s', async (_, open) => {
  const host = watchHost();
  const client = (await host.call('creating the client', open)) as Cxkit;
  if (!client) expect(host.stop()).toEqual([]);
  const names = Object.keys(client).filter((name) => typeof client[name as keyof Cxkit] === 'function');
  // The documented api at least; anything else the object offers is called too.
  expect(names).toEqual(expect.arrayContaining(['init', 'identify', 'track', 'showSurvey', 'flush', 'optOut', 'optIn', 'reset', 'on']));
  const call = (name: string, args: unknown[]) => (client as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);

  // init first with hostile options, then with good ones, so the rest runs on an initialised client too.
  for (const [label, value] of hostileValues()) await host.call(`init(${label})`, () => call('init', [value]));
  await host.call('init(valid options)', () => call('init', [{ writeKey: 'pk_test', host: 'https://cx.example.com', surveys: [], debug: true }]));
  for (const name of names) {
    for (const [label, value] of hostileValues()) {
      for (const args of [[value], ['checkout', value], [value, value], ['sent', value]]) {
        const returned = await host.call(`${name}(${args.length === 1 ? label : `…, ${label}`})`, () => call(name, args));
        // on() hands back a function the host will call.
        if (typeof returned === 'function') await host.call(`the function ${name}() returned`, () => (returned as (...a: unknown[]) => unknown)(value));
      }
    }
  }
  // What runs later (sends, retries, page events) must not surface either.
  for (const [target, type] of [
    [document, 'visibilitychange'],
    [window, 'pagehide'],
    [window, 'online'],
    [window, 'storage'],
  ] as const) {
    setVisibility(type === 'online' ? 'visible' : 'hidden');
    await host.call(`a ${type} event`, () => target.dispatchEvent(new Event(type)));
  }
  await host.call('time passing', () => vi.advanceTimersByTimeAsync(HOUR));
  expect(host.stop()).toEqual([]);
}, 60_000);
