export interface PostgresServer {
  /** The server's `postgres` database as superuser `postgres` (trust auth). */
  url: string;
  /** Creates a database (cxkit_<random> when unnamed) and answers its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** Starts a fresh PostgreSQL 15 cluster (fsync on) in a temporary directory on a free 127.0.0.1 port. */
export function startPostgres(): Promise<PostgresServer>;

/** Creates a database on the server at `serverUrl` (cxkit_<random> when unnamed) and answers its URL. */
export function createDatabase(serverUrl: string, name?: string): Promise<string>;
