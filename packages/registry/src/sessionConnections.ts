/**
 * Per-session backend connections (`connection.mode: per_session`): each client session that calls
 * this backend gets a connection (for stdio, a process) of its own, opened on its first call,
 * declaring exactly the client's capabilities, and closed with the session or when idle. A
 * backend's request to the client (sampling, elicitation, roots) or log message on such a
 * connection can only be about that session's calls, so it goes to that client and no other.
 */
import { createHash } from 'node:crypto';
import type { ServerConfig } from '@only1mcp/config';
import {
  createBackendConnection,
  replicaTargets,
  type BackendConnection,
  type BackendRequestOptions,
  type SessionClient,
} from './backendConnection';
import type { Logger } from '@only1mcp/logger';

/** A client session as a backend call sees it. */
export interface CallingSession {
  /** Stable for the session's lifetime; names its connections. */
  key: string;
  client: SessionClient;
}

interface Open {
  connection: BackendConnection;
  ready: Promise<void>;
  lastUsed: number;
  inFlight: number;
}

/** The per-session connections of one backend server. */
export class SessionConnections {
  private readonly open = new Map<string, Open>();
  private readonly reaper: NodeJS.Timeout;

  constructor(
    private readonly config: ServerConfig,
    private readonly logger: Logger,
    private readonly connect: typeof createBackendConnection = createBackendConnection,
  ) {
    const idle = config.connection.idle_timeout;
    this.reaper = setInterval(() => this.reap(Date.now() - idle), Math.max(1000, Math.min(60_000, idle / 4)));
    this.reaper.unref();
  }

  /** Open connections (for status and tests). */
  get size(): number {
    return this.open.size;
  }

  /** True when the session has a connection open (or opening) here. */
  has(key: string): boolean {
    return this.open.has(key);
  }

  /** Sends a request on the session's own connection, opening it first if needed. */
  async request(
    session: CallingSession,
    method: string,
    params: Record<string, unknown> | undefined,
    options: BackendRequestOptions,
  ): Promise<Record<string, unknown>> {
    const entry = this.open.get(session.key) ?? this.openFor(session);
    entry.inFlight += 1;
    entry.lastUsed = Date.now();
    try {
      await entry.ready;
      return await entry.connection.request(method, params, options);
    } finally {
      entry.inFlight -= 1;
      entry.lastUsed = Date.now();
    }
  }

  private openFor(session: CallingSession): Open {
    // Replicas are spread by session, so one busy client does not pile onto one replica.
    const targets = replicaTargets(this.config);
    const index = createHash('sha256').update(session.key).digest().readUInt32BE(0) % targets.length;
    const id = `${this.config.id}#${index}@${session.key.slice(0, 8)}`;
    const connection = this.connect(id, targets[index]!.target, this.logger, {
      client: session.client,
      // A lost connection is forgotten; the session's next call opens a new one.
      onClose: () => {
        if (this.open.get(session.key)?.connection === connection) this.open.delete(session.key);
      },
    });
    const entry: Open = {
      connection,
      ready: connection.connect(this.config.connect_timeout),
      lastUsed: Date.now(),
      inFlight: 0,
    };
    // The session's log level holds on every connection it opens, not only those open when it was set.
    entry.ready = entry.ready.then(() => this.applyLogLevel(connection, session.client.logLevel));
    entry.ready.catch(() => {
      if (this.open.get(session.key) === entry) this.open.delete(session.key);
    });
    this.open.set(session.key, entry);
    this.logger.info('session connection opened', { replica: id });
    return entry;
  }

  /** Tells the backend, on the session's open connection, that the client's roots changed. */
  async rootsChanged(key: string): Promise<void> {
    const entry = this.open.get(key);
    if (!entry) return;
    await entry.ready;
    await entry.connection.notify('notifications/roots/list_changed');
  }

  /** Applies a session's new log level to its open connection, if any. */
  async setLogLevel(key: string, level: string): Promise<void> {
    const entry = this.open.get(key);
    if (!entry) return;
    await entry.ready;
    await this.applyLogLevel(entry.connection, level);
  }

  private async applyLogLevel(connection: BackendConnection, level: string | undefined): Promise<void> {
    if (level === undefined || connection.capabilities?.logging === undefined) return;
    await connection
      .request('logging/setLevel', { level }, { timeoutMs: this.config.request_timeout })
      .catch((err: Error) =>
        this.logger.debug('backend refused a log level', { replica: connection.replicaId, error: err.message }),
      );
  }

  /** Closes the session's connection (the session ended). */
  async release(key: string): Promise<void> {
    const entry = this.open.get(key);
    if (!entry) return;
    this.open.delete(key);
    await entry.connection.close();
  }

  private reap(cutoff: number): void {
    for (const [key, entry] of this.open) {
      if (entry.inFlight === 0 && entry.lastUsed < cutoff) {
        this.logger.info('session connection closed: idle', { replica: entry.connection.replicaId });
        void this.release(key);
      }
    }
  }

  /** Closes every connection and stops reaping. */
  async close(): Promise<void> {
    clearInterval(this.reaper);
    await Promise.all([...this.open.keys()].map((key) => this.release(key)));
  }
}
