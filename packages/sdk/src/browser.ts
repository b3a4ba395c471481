import type { WidgetModule } from '@cxkit/widget';
import { createClient, type Cxkit } from './client';
import { createQueue } from './queue';
import { idbStorage } from './storage';
import { fetchSend } from './transport';

/** The client wired to the real browser: IndexedDB queue, fetch transport. */
export function createBrowserClient(loadWidget: () => Promise<WidgetModule>, defaultHost?: string): Cxkit {
  return createClient({ queue: createQueue(idbStorage()), send: fetchSend, loadWidget, defaultHost });
}
