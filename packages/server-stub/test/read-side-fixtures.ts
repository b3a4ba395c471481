// Builders shared by the read-side tests: a fresh in-memory server with the demo project, and
// items as the sdk would send them.
import type { Item, Metric, SurveyDefinition } from '@cxkit/protocol';
import { createApp, type AppOptions } from '../src/app';
import type { Storage } from '../src/ports';
import type { IngestResult, StoredItem } from '../src/storage';
import { openTestStorage } from './backend';

export const PROJECT = { id: 'acme', name: 'Acme', writeKey: 'pk_acme', readKey: 'sk_acme', allowedOrigins: ['*'] };
export const OTHER = { id: 'other', name: 'Other', writeKey: 'pk_other', readKey: 'sk_other', allowedOrigins: ['*'] };
export const NOW = Date.parse('2026-03-31T12:00:00Z');

export const SURVEYS: SurveyDefinition[] = [
  { id: 'nps-main', metric: 'nps', name: 'NPS', trigger: { event: 'checkout_completed' } },
  { id: 'csat-support', metric: 'csat', name: 'Support CSAT', trigger: { event: 'chat_closed' } },
  { id: 'ces-export', metric: 'ces', name: 'Export CES', scaleMax: 5, trigger: { event: 'export_done' } },
  { id: 'ces-setup', metric: 'ces', name: 'Setup CES', trigger: { event: 'setup_done' } },
];

/** `file` keeps a SQLite database on disk, to open again after a stop. */
export async function testServer(options: Partial<AppOptions> = {}, file?: string) {
  const storage = await openTestStorage(file);
  await storage.projects.ensure(PROJECT);
  await storage.projects.ensure(OTHER);
  for (const survey of SURVEYS) await storage.surveys.put(PROJECT.id, survey, true);
  const app = createApp({ storage, now: () => NOW, ...options });
  const get = (path: string, key: string | null = PROJECT.readKey) =>
    app.request(path, { headers: key === null ? {} : { Authorization: `Bearer ${key}` } });
  const send = (path: string, method: string, body: unknown, key = PROJECT.readKey) =>
    app.request(path, {
      method,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { storage, app, get, send };
}

let sequence = 0;
export function item(at: string | number, fields: Record<string, unknown>): StoredItem {
  sequence++;
  const time = typeof at === 'number' ? at : Date.parse(at);
  const built = {
    id: `it-${String(sequence).padStart(7, '0')}`,
    type: 'active',
    timestamp: new Date(time).toISOString(),
    anonymousId: 'anon',
    sessionId: 'session',
    ...fields,
  } as Item;
  return { item: built, json: JSON.stringify(built), at: time, receivedAt: time };
}

/** Commits one project's items as one request would; returns its counts. */
export async function commitItems(storage: Pick<Storage, 'ingest'>, projectId: string, items: StoredItem[]): Promise<IngestResult> {
  return (await storage.ingest.commit([{ projectId, items }]))[0]!;
}

export function response(at: string, surveyId: string, metric: Metric, score: number, extra: Record<string, unknown> = {}) {
  return item(at, { type: 'survey_response', surveyId, metric, score, responseId: `r-${sequence + 1}`, final: true, ...extra });
}

export function shown(at: string, surveyId: string, extra: Record<string, unknown> = {}) {
  return item(at, { type: 'survey_shown', surveyId, ...extra });
}
