// One page of the origin loading the client, wired to fakes: what the client's test files share.
import { createClient, type ClientDeps } from '../src/client';
import type { Item } from '@cxkit/protocol';
import { memoryStorage, type QueueStorage } from '../src/storage';
import * as definitionsModule from '../src/survey-definitions';
import * as runtimeModule from '../src/survey-runtime';
import type { Answer, FakeServer } from './fakes';

export type TabDeps = Partial<Omit<ClientDeps, 'storage'>> & { storage?: QueueStorage };

/** The definitions and targeting chunks, loaded at once: a real import() would settle outside the fake clock. */
export const loadDefinitions = async () => definitionsModule;
export const loadRuntime = async () => runtimeModule;

export function openTab(server: FakeServer, deps: TabDeps = {}) {
  const storage = deps.storage ?? memoryStorage();
  return createClient({
    loadWidget: () => Promise.reject(new Error('no widget in this test')),
    loadDefinitions,
    loadRuntime,
    ...deps,
    storage: () => storage,
    makeRequest: server.makeRequest,
    random: () => 1,
  });
}

export const init = { writeKey: 'pk_test', host: 'https://cx.example.com/', surveys: [] };
export const fail500: Answer = () => ({ status: 500 });
export const types = (items: Item[]) => items.map((i) => i.type);
