import pg from 'pg';

/** The channel a change to a project's settings or surveys is announced on; the payload is the project id. */
export const CHANGES_CHANNEL = 'cxkit_changes';
/** How long a dropped listening connection waits before connecting again. */
export const RECONNECT_MS = 250;

/** Announces a change to the project; sent when the calling transaction commits, not before. */
export async function announceChange(client: pg.ClientBase, projectId: string): Promise<void> {
  await client.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, projectId]);
}

export interface ChangeListener {
  /** Called with the project id of each change another process (or this one) committed. */
  changed(projectId: string): void;
  /** Called when listening starts (true) or stops (false): changes may have been missed in between. */
  listening(on: boolean): void;
}

/**
 * Keeps one connection listening on CHANGES_CHANNEL, connecting again after it drops. Resolves once
 * the first attempt to listen has succeeded or failed; a failed one keeps retrying in the background.
 */
export async function listenForChanges(config: pg.ClientConfig, listener: ChangeListener): Promise<{ close(): Promise<void> }> {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const next = new pg.Client(config);
    let dropped = false;
    const drop = () => {
      if (dropped) return;
      dropped = true;
      listener.listening(false);
      next.end().catch(() => {});
      if (client === next) client = undefined;
      if (!closed) retry = setTimeout(() => void connect(), RECONNECT_MS);
    };
    next.on('error', drop);
    next.on('end', drop);
    next.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL && message.payload) listener.changed(message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch {
      drop();
      return;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    listener.listening(true);
  }

  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const last = client;
      client = undefined;
      await last?.end().catch(() => {});
    },
  };
}
