// The page events delivery reacts to, in one place.

export interface PageHandlers {
  /** The page is hidden (tab switched, app backgrounded, tab closing): it may never run again. */
  hidden(): void;
  /** pagehide: the page is being unloaded or put into the back/forward cache. */
  left(): void;
  /** pageshow from the back/forward cache. */
  returned(): void;
  online(): void;
  /** Another tab changed localStorage (null: cleared it). */
  storage(key: string | null): void;
}

export function watchPage(on: PageHandlers): void {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') on.hidden();
  });
  addEventListener('pagehide', () => {
    // Browsers without visibilitychange on unload (older Safari) still get the hidden work done.
    on.hidden();
    on.left();
  });
  addEventListener('pageshow', (event) => {
    if (event.persisted) on.returned();
  });
  addEventListener('online', () => on.online());
  addEventListener('storage', (event) => on.storage(event.key));
}
