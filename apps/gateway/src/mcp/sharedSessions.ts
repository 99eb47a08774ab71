/**
 * 2025-11-25 sessions that survive a gateway replica (with `redis`). What a replica needs to serve
 * a session lives in a Redis hash `<prefix>session:<id>` for `server.session_idle_timeout`,
 * refreshed as the session is used: the client's `initialize` (protocol version, client info and
 * capabilities), the log level it set, and its resource subscriptions with the replica that holds
 * each. A replica that receives a session it does not hold adopts it (see mcpEndpoint.ts).
 *
 * Messages cross replicas through pub/sub: a message for a client whose GET stream another replica
 * holds goes to `<prefix>session-outbox:<id>` (heard by that replica), and a client's answer to a
 * request some other replica sent goes to that replica's `<prefix>replica-inbox:<replica>`. A
 * replica is alive while it listens on its inbox, which is how orphaned subscriptions are found.
 * DELETE removes the record and tells every replica (`session-ended`). Redis failures never fail
 * a request: the session then simply cannot move (the client gets 404 and initializes again).
 */
import { randomUUID } from 'node:crypto';
import {
  createRedisClient,
  createRedisKeys,
  createSubscriber,
  type ChannelSubscriber,
  type RedisClient,
  type RedisKeys,
} from '@only1mcp/health';
import type { Logger } from '@only1mcp/registry';

/** What a replica adopting a session restores. */
export interface SessionRecord {
  initialize: Record<string, unknown>;
  /** The level the client set with `logging/setLevel`, if it did. */
  logLevel?: string;
  /** Subscribed resource URIs, each with the replica holding the subscription. */
  subscriptions: Map<string, string>;
  /** The authenticated client that opened the session (with `auth`); nobody else may use it. */
  clientId?: string;
}

/**
 * A message between replicas about one session: a JSON-RPC message for its client or from it, or
 * (`unsubscribe`) the client's unsubscribe from a URI whose subscription the receiving replica holds.
 */
export type RelayedMessage =
  { session: string; message: Record<string, unknown> } | { session: string; unsubscribe: string };

const FIELD = { initialize: 'initialize', logLevel: 'log_level', clientId: 'client_id', subscription: 'sub:' } as const;

/** Where session records live, and the pub/sub between replicas. */
export class SharedSessions {
  /** This process's name among the replicas (its inbox). */
  readonly replicaId = randomUUID();
  private readonly client: RedisClient;
  private readonly keys: RedisKeys;
  private readonly lastTouch = new Map<string, number>();
  private readonly subscriber: ChannelSubscriber;

  constructor(
    url: string,
    keyPrefix: string,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {
    this.client = createRedisClient(url, logger, { name: 'gateway-sessions' });
    this.keys = createRedisKeys(keyPrefix);
    this.subscriber = createSubscriber(this.client, 'gateway-sessions-subscriber', (err) =>
      this.logger.debug('session pub/sub failed', { error: (err as Error).message }),
    );
  }

  private failed(what: string): (err: Error) => undefined {
    return (err) => {
      this.logger.debug(`could not ${what}`, { error: err.message });
      return undefined;
    };
  }

  /** Resolves once Redis answers, or after `timeoutMs` (sessions then stay on their replica until it does). */
  async ready(timeoutMs: number): Promise<void> {
    await this.client.whenReady(timeoutMs);
  }

  /** Records a new session's initialize request, and the client that opened it. */
  async save(id: string, initialize: unknown, clientId?: string): Promise<void> {
    const key = this.keys.session(id);
    await this.client.redis
      .multi()
      .hset(key, {
        [FIELD.initialize]: JSON.stringify(initialize),
        ...(clientId === undefined ? {} : { [FIELD.clientId]: clientId }),
      })
      .pexpire(key, this.ttlMs)
      .exec()
      .catch(this.failed('save a session'));
    this.lastTouch.set(id, Date.now());
  }

  /** The record of a session, if any replica opened it and it has not ended or expired. */
  async load(id: string): Promise<SessionRecord | undefined> {
    try {
      const fields = await this.client.redis.hgetall(this.keys.session(id));
      const stored = fields[FIELD.initialize];
      const initialize = stored ? (JSON.parse(stored) as unknown) : undefined;
      if (typeof initialize !== 'object' || initialize === null) return undefined;
      const subscriptions = new Map<string, string>();
      for (const [field, owner] of Object.entries(fields))
        if (field.startsWith(FIELD.subscription)) subscriptions.set(field.slice(FIELD.subscription.length), owner);
      return {
        initialize: initialize as Record<string, unknown>,
        logLevel: fields[FIELD.logLevel],
        subscriptions,
        clientId: fields[FIELD.clientId],
      };
    } catch (err) {
      this.failed('load a session')(err as Error);
      return undefined;
    }
  }

  /** Remembers the log level a client set, for a replica that adopts its session later. */
  async setLogLevel(id: string, level: string): Promise<void> {
    await this.client.redis.hset(this.keys.session(id), FIELD.logLevel, level).catch(this.failed('save a log level'));
  }

  /** Records that this replica holds a subscription of the session. */
  async addSubscription(id: string, uri: string): Promise<void> {
    const field = `${FIELD.subscription}${uri}`;
    await this.client.redis
      .hset(this.keys.session(id), field, this.replicaId)
      .catch(this.failed('record a subscription'));
  }

  /**
   * The client unsubscribed from `uri`: the record forgets it, and the replica holding the
   * subscription, when another one, is told to release it.
   */
  async removeSubscription(id: string, uri: string): Promise<void> {
    const key = this.keys.session(id);
    const field = `${FIELD.subscription}${uri}`;
    try {
      const [[, owner]] = (await this.client.redis.multi().hget(key, field).hdel(key, field).exec()) as [
        [Error | null, string | null],
      ];
      if (owner && owner !== this.replicaId)
        await this.publish(this.keys.replicaInbox(owner), { session: id, unsubscribe: uri });
    } catch (err) {
      this.failed('remove a subscription')(err as Error);
    }
  }

  /** True while `replica` listens on its inbox (a replica that died stops listening). */
  async isAlive(replica: string): Promise<boolean> {
    if (replica === this.replicaId) return true;
    try {
      const reply = (await this.client.redis.pubsub('NUMSUB', this.keys.replicaInbox(replica))) as [string, number];
      return Number(reply[1]) > 0;
    } catch {
      // Unknown is treated as alive: taking over a live subscription would deliver updates twice.
      return true;
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

  /**
   * Starts listening: `ended` hears the id of every session a client ended on any replica, and
   * `inbox` every client answer relayed to this replica. Resolves once subscribed (or at once
   * while Redis is unreachable; subscriptions follow when it returns).
   */
  async listen(ended: (id: string) => void, inbox: (relayed: RelayedMessage) => void): Promise<void> {
    await Promise.all([
      this.subscriber.subscribe(this.keys.sessionEnded, ended),
      this.subscriber.subscribe(this.keys.replicaInbox(this.replicaId), (text) => {
        const relayed = parseRelayed(text);
        if (relayed) inbox(relayed);
      }),
    ]);
  }

  /**
   * Hands a message for a session's client to the replica holding its GET stream. Resolves true
   * when some replica took it, false when none listens (or Redis is unreachable).
   */
  async toClient(id: string, message: Record<string, unknown>): Promise<boolean> {
    return this.publish(this.keys.sessionOutbox(id), { session: id, message });
  }

  /** Hands a client's answer to the replica that sent the request; false when that replica is gone. */
  async toReplica(replica: string, relayed: RelayedMessage): Promise<boolean> {
    return this.publish(this.keys.replicaInbox(replica), relayed);
  }

  private async publish(channel: string, relayed: RelayedMessage): Promise<boolean> {
    try {
      return (await this.client.redis.publish(channel, JSON.stringify(relayed))) > 0;
    } catch (err) {
      this.failed('relay a message')(err as Error);
      return false;
    }
  }

  /** While this replica holds a session's GET stream: messages other replicas have for its client go to `deliver`. */
  async holdStream(id: string, deliver: (message: Record<string, unknown>) => void): Promise<void> {
    await this.subscriber.subscribe(this.keys.sessionOutbox(id), (text) => {
      const relayed = parseRelayed(text);
      if (relayed && 'message' in relayed) deliver(relayed.message);
    });
  }

  /** The GET stream of a session closed here. */
  async releaseStream(id: string): Promise<void> {
    await this.subscriber.unsubscribe(this.keys.sessionOutbox(id));
  }

  /** Forgets this replica's bookkeeping for a session it no longer holds (the record stays). */
  release(id: string): void {
    this.lastTouch.delete(id);
    void this.releaseStream(id);
  }

  async close(): Promise<void> {
    await this.subscriber.close();
    await this.client.close();
  }
}

function parseRelayed(text: string): RelayedMessage | undefined {
  try {
    const parsed = JSON.parse(text) as { session?: unknown; message?: unknown; unsubscribe?: unknown };
    if (typeof parsed.session !== 'string') return undefined;
    if (typeof parsed.message === 'object' && parsed.message !== null)
      return { session: parsed.session, message: parsed.message as Record<string, unknown> };
    if (typeof parsed.unsubscribe === 'string') return { session: parsed.session, unsubscribe: parsed.unsubscribe };
  } catch {
    // not ours
  }
  return undefined;
}
