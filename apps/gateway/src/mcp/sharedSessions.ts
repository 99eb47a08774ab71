/**
 * 2025-11-25 sessions that survive a gateway replica (with `redis`): what a replica needs to serve
 * a session — the client's `initialize` (protocol version, client info and capabilities) — is kept
 * in Redis under `<prefix>session:<id>` for `server.session_idle_timeout`, refreshed as the session
 * is used. A replica that receives a session it does not hold adopts it: it replays the stored
 * `initialize` into a new SDK session transport that takes the same id, then serves the request.
 * DELETE removes the record and tells every replica (pub/sub), so each drops the session and none
 * adopts it again. Redis failures never fail a
 * request: the session then simply cannot move (the client gets 404 and initializes again).
 */
import {
  createRedisClient,
  createRedisKeys,
  subscribeChannel,
  type RedisClient,
  type RedisKeys,
} from '@only1mcp/health';
import type { Logger } from '@only1mcp/registry';

/** Where session records live. */
export class SharedSessions {
  private readonly client: RedisClient;
  private readonly keys: RedisKeys;
  private readonly lastTouch = new Map<string, number>();
  private subscriber: RedisClient | undefined;

  constructor(
    url: string,
    keyPrefix: string,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {
    this.client = createRedisClient(url, logger, { name: 'gateway-sessions' });
    this.keys = createRedisKeys(keyPrefix);
  }

  /** Records a new session's initialize request. */
  async save(id: string, initialize: unknown): Promise<void> {
    await this.client.redis
      .set(this.keys.session(id), JSON.stringify({ initialize }), 'PX', this.ttlMs)
      .catch((err: Error) => this.logger.debug('could not save a session', { error: err.message }));
    this.lastTouch.set(id, Date.now());
  }

  /** The stored initialize request of a session this replica does not hold, if any. */
  async load(id: string): Promise<Record<string, unknown> | undefined> {
    try {
      const text = await this.client.redis.get(this.keys.session(id));
      if (!text) return undefined;
      const record = JSON.parse(text) as { initialize?: unknown };
      return typeof record.initialize === 'object' && record.initialize !== null
        ? (record.initialize as Record<string, unknown>)
        : undefined;
    } catch (err) {
      this.logger.debug('could not load a session', { error: (err as Error).message });
      return undefined;
    }
  }

  /** Keeps a used session's record alive; at most once per tenth of the TTL. */
  touch(id: string): void {
    const now = Date.now();
    if (now - (this.lastTouch.get(id) ?? 0) < this.ttlMs / 10) return;
    this.lastTouch.set(id, now);
    void this.client.redis.pexpire(this.keys.session(id), this.ttlMs).catch(() => undefined);
  }

  /** Forgets a session that ended (DELETE), on every replica: the record goes, and the others are told. */
  async remove(id: string): Promise<void> {
    this.lastTouch.delete(id);
    await this.client.redis.del(this.keys.session(id)).catch(() => undefined);
    await this.client.redis.publish(this.keys.sessionEnded, id).catch(() => undefined);
  }

  /** Calls `listener` with the id of every session a client ended on any replica. */
  async onEnded(listener: (id: string) => void): Promise<void> {
    this.subscriber = await subscribeChannel(this.client, 'session-ended', this.keys.sessionEnded, listener, (err) =>
      this.logger.debug('could not subscribe to ended sessions', { error: (err as Error).message }),
    );
  }

  /** Forgets this replica's bookkeeping for a session it no longer holds (the record stays). */
  release(id: string): void {
    this.lastTouch.delete(id);
  }

  async close(): Promise<void> {
    await this.subscriber?.close();
    await this.client.close();
  }
}
