// One tab of the origin sends; the others store their items and nudge it. The sending tab is the
// holder of a Web Lock: when it closes, the browser hands the lock to the next waiting tab.

export const LOCK_NAME = 'cxkit-sender';
export const CHANNEL_NAME = 'cxkit';

/** Keys another tab removed from the queue, or a nudge for the sending tab: 'stored' (send soon) or 'flush' (send now). */
export type TabMessage = string[] | 'stored' | 'flush';

/** The part of BroadcastChannel we use; injected, so tests link several "tabs" in one process. */
export interface TabChannel {
  postMessage(message: TabMessage): void;
  onmessage: ((event: MessageEvent) => void) | null;
  close(): void;
}

export interface Tabs {
  /**
   * Whether this tab sends: it holds the lock, or there is no lock to hold (no Web Locks or no
   * BroadcastChannel); then every tab sends, and the server's dedupe by item id keeps counts exact.
   */
  readonly leading: boolean;
  post(message: TabMessage): void;
  /** Leaves the election and closes the channel (pagehide), so the page may enter the back/forward cache. */
  stop(): void;
  /** Joins again (pageshow from the back/forward cache). */
  start(): void;
}

export interface TabsOptions {
  locks: LockManager | undefined;
  openChannel: ((name: string) => TabChannel) | undefined;
  /** This tab became the sending tab. */
  onLead: () => void;
  onMessage: (message: TabMessage) => void;
}

export function joinTabs({ locks, openChannel, onLead, onMessage }: TabsOptions): Tabs {
  // A leader nobody can nudge would leave other tabs' items waiting: without a channel, no election.
  const election = openChannel ? locks : undefined;
  let leading = !election;
  let channel: TabChannel | undefined;
  let leave: (() => void) | undefined;

  function start(): void {
    if (leave) return;
    channel = openChannel?.(CHANNEL_NAME);
    if (channel) channel.onmessage = (event) => onMessage(event.data as TabMessage);
    const abort = new AbortController();
    let release = () => {};
    leave = () => {
      leave = undefined;
      leading = !election;
      abort.abort();
      release();
      channel?.close();
      channel = undefined;
    };
    // The callback's promise is the lock: it stays held until leave() resolves it or the tab goes.
    election
      ?.request(LOCK_NAME, { signal: abort.signal }, () => {
        leading = true;
        onLead();
        return new Promise<void>((resolve) => (release = resolve));
      })
      .catch(() => undefined);
  }

  start();
  return {
    get leading() {
      return leading;
    },
    post(message) {
      try {
        channel?.postMessage(message);
      } catch {
        // A channel closed under us (pagehide) throws; the sending tab still finds the items at its next send.
      }
    },
    stop: () => leave?.(),
    start,
  };
}
