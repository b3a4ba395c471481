// The script-tag build (cxkit.js): takes over the loader's stub and replays what it queued.
import { createBrowserClient } from './browser';
import type { Cxkit } from './client';

interface Stub {
  q?: [keyof Cxkit, unknown[]][];
}

declare global {
  interface Window {
    cxkit?: Cxkit | Stub;
  }
}

const script = document.currentScript as HTMLScriptElement | null;
const base = script?.src || location.href;
// The widget chunk sits beside this file; import() by absolute URL finds it wherever we are hosted.
const client = createBrowserClient(() => import(/* @vite-ignore */ new URL('cxkit-widget.js', base).href), new URL(base).origin);

const stub = window.cxkit as Stub | undefined;
const queued = stub?.q ?? [];
// Host code may hold the stub (\`const cxkit = window.cxkit\` at startup): the stub itself becomes the
// client, or calls made through it after this point would land in a queue nobody reads.
if (stub) delete Object.assign(stub, client).q;
window.cxkit = stub ?? client;
// <script src=".../cxkit.js" data-write-key="pk_..."> works without the inline snippet (strict CSP pages).
const writeKey = script?.dataset.writeKey;
if (writeKey) client.init({ writeKey, host: script?.dataset.host, debug: script?.dataset.debug === 'true' });
for (const [method, args] of queued) {
  (client[method] as (...a: unknown[]) => unknown)?.(...args);
}
