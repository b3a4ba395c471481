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

const existing = window.cxkit as (Cxkit & Stub) | undefined;
// A page that loads cxkit.js twice (the snippet and a tag manager, say) keeps the first client:
// two would each stamp sessions and compete for the same queue. Only the loader's stub has `q`.
if (!existing || existing.q) boot(existing);

function boot(stub: Stub | undefined): void {
  const script = document.currentScript as HTMLScriptElement | null;
  const base = script?.src || location.href;
  // The definitions, targeting and widget chunks and the widget's language files sit beside this file; import() by
  // absolute URL finds them wherever we are hosted.
  const beside = (file: string) => new URL(file, base).href;
  const definitions = () => import(/* @vite-ignore */ beside('cxkit-definitions.js')) as Promise<typeof import('./survey-definitions')>;
  const client = createBrowserClient(
    // The widget loader comes with the definitions chunk, which a prompt needs first anyway.
    (locale) =>
      definitions().then(({ widgetLoader }) =>
        widgetLoader(
          () => import(/* @vite-ignore */ beside('cxkit-widget.js')),
          (language) => import(/* @vite-ignore */ beside(`cxkit-widget-${language}.js`)),
        )(locale),
      ),
    definitions,
    () => import(/* @vite-ignore */ beside('cxkit-surveys.js')),
    new URL(base).origin,
  );

  window.cxkit = client;
  // <script src=".../cxkit.js" data-write-key="pk_..."> works without the inline snippet (strict CSP pages).
  const writeKey = script?.dataset.writeKey;
  if (writeKey) client.init({ writeKey, host: script?.dataset.host, debug: script?.dataset.debug === 'true' });
  for (const [method, args] of stub?.q ?? []) {
    (client[method] as (...a: unknown[]) => unknown)?.(...args);
  }
  // Hosts may have kept the stub (const cxkit = window.cxkit): from now on it forwards to the client,
  // otherwise their calls would go on filling a queue that nobody reads.
  for (const method of Object.keys(stub ?? {})) {
    if (method !== 'q') (stub as Record<string, unknown>)[method] = (...args: unknown[]) => (client[method as keyof Cxkit] as (...a: unknown[]) => unknown)(...args);
  }
}
