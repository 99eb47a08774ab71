/**
 * The one place Redis connections are made: retry policy, fail-fast commands and outage logging.
 * Health is advisory, so while Redis is down commands must fail at once (callers fail open) rather
 * than queue behind a dead connection and stall the requests that read them.
 */
import type * as IoRedis from 'ioredis';
import type { Redis, RedisOptions } from 'ioredis';
import { errorMessage, type Logger } from '@only1mcp/logger';

/** Tuning for {@link createRedisClient}; the defaults suit the request path. */
export interface RedisClientOptions {
  /** Names the connection in logs (default `redis`). */
  name?: string;
  /** First reconnect delay; doubles per attempt (default 100 ms). */
  retryBaseMs?: number;
  /** Ceiling of the reconnect delay (default 5 s): reconnects never stop, they only slow down. */
  retryMaxMs?: number;
  /** Times a command is retried across reconnects before it fails (default 1). */
  maxRetriesPerRequest?: number | null;
  /** Queue commands while disconnected (default false: fail fast). */
  enableOfflineQueue?: boolean;
  /** Connect timeout (default 2 s). */
  connectTimeoutMs?: number;
}

/** A Redis connection plus what the rest of the package needs to know about it. */
export interface RedisClient {
  /** The ioredis connection, for commands. */
  readonly redis: Redis;
  /** True while the connection is ready for commands. */
  isConnected(): boolean;
  /**
   * A second connection to the same server (pub/sub needs its own), sharing this one's outage log
   * so that one outage is reported once however many connections notice it.
   */
  duplicate(options?: RedisClientOptions): RedisClient;
  /**
   * Resolves true once the connection is ready, or false after `timeoutMs` (Redis unreachable:
   * the caller goes on without it; the connection keeps trying).
   */
  whenReady(timeoutMs: number): Promise<boolean>;
  /** Closes the connection (QUIT, or disconnect when Redis is unreachable). */
  close(): Promise<void>;
}

/** Tracks which connections of one family are down, so an outage logs once and recovery once. */
class OutageLog {
  private readonly down = new Set<Redis>();
  private reported = false;

  constructor(
    private readonly logger: Logger,
    private readonly target: string,
  ) {}

  failed(connection: Redis, name: string, err: unknown): void {
    this.down.add(connection);
    if (this.reported) return;
    this.reported = true;
    this.logger.error('Redis unavailable; running on local state (health, sessions, rate limits) until it returns', {
      redis: this.target,
      connection: name,
      error: errorMessage(err),
    });
  }

  ready(connection: Redis): void {
    this.down.delete(connection);
    if (!this.reported || this.down.size > 0) return;
    this.reported = false;
    this.logger.info('Redis connection restored', { redis: this.target });
  }

  forget(connection: Redis): void {
    this.down.delete(connection);
  }
}

/** The URL without credentials, fit for logs. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable url)';
  }
}

function toRedisOptions(options: RedisClientOptions): RedisOptions {
  const base = options.retryBaseMs ?? 100;
  const max = options.retryMaxMs ?? 5_000;
  return {
    retryStrategy: (attempt) => Math.min(base * 2 ** Math.max(0, attempt - 1), max),
    maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? 1 : options.maxRetriesPerRequest,
    enableOfflineQueue: options.enableOfflineQueue ?? false,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
  };
}

function wrap(redis: Redis, name: string, outages: OutageLog, options: RedisClientOptions): RedisClient {
  redis.on('error', (err: unknown) => outages.failed(redis, name, err));
  redis.on('ready', () => outages.ready(redis));
  redis.on('end', () => outages.forget(redis));
  return {
    redis,
    isConnected: () => redis.status === 'ready',
    whenReady(timeoutMs) {
      if (redis.status === 'ready') return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (ready: boolean) => {
          clearTimeout(timer);
          redis.off('ready', onReady);
          resolve(ready);
        };
        const onReady = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        redis.once('ready', onReady);
      });
    },
    duplicate(overrides = {}) {
      const merged = { ...options, ...overrides };
      const copy = redis.duplicate(toRedisOptions(merged));
      return wrap(copy, merged.name ?? `${name}-duplicate`, outages, merged);
    },
    async close() {
      if (redis.status === 'end') return;
      if (redis.status !== 'ready') {
        redis.disconnect();
        return;
      }
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}

/**
 * ioredis, loaded by the first connection: a gateway configured without `redis` never makes one,
 * and would otherwise carry the client's ~40 modules in memory for nothing.
 */
function ioredis(): typeof IoRedis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('ioredis') as typeof IoRedis;
}

/** Connects to `url` (connection starts at once; `isConnected()` turns true when ready). */
export function createRedisClient(url: string, logger: Logger, options: RedisClientOptions = {}): RedisClient {
  const outages = new OutageLog(logger, redactUrl(url));
  const name = options.name ?? 'redis';
  return wrap(new (ioredis().Redis)(url, toRedisOptions(options)), name, outages, options);
}

/** A pub/sub connection serving several channels, each with its own listener. */
export interface ChannelSubscriber {
  /** Starts delivering `channel`'s messages to `onMessage` (replacing an earlier listener of it). */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<void>;
  /** Stops delivering `channel`. */
  unsubscribe(channel: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A connection of its own for pub/sub (Redis needs one). Offline queue on and unlimited retries:
 * a SUBSCRIBE issued during an outage waits for Redis instead of failing, and ioredis
 * re-subscribes by itself after every reconnect. `subscribe` resolves once subscribed, or at once
 * while Redis is unreachable (waiting would block the caller); failures go to `onError`.
 */
export function createSubscriber(
  client: RedisClient,
  name: string,
  onError: (err: unknown) => void,
): ChannelSubscriber {
  const subscriber = client.duplicate({ name, enableOfflineQueue: true, maxRetriesPerRequest: null });
  const listeners = new Map<string, (message: string) => void>();
  subscriber.redis.on('message', (from: string, message: string) => listeners.get(from)?.(message));
  return {
    async subscribe(channel, onMessage) {
      const known = listeners.has(channel);
      listeners.set(channel, onMessage);
      if (known) return;
      const subscribed = subscriber.redis.subscribe(channel).then(() => undefined, onError);
      if (client.isConnected()) await subscribed;
    },
    async unsubscribe(channel) {
      if (!listeners.delete(channel)) return;
      const done = subscriber.redis.unsubscribe(channel).then(() => undefined, onError);
      if (client.isConnected()) await done;
    },
    close: () => subscriber.close(),
  };
}

/** Subscribes a connection of its own to one `channel` (see {@link createSubscriber}). */
export async function subscribeChannel(
  client: RedisClient,
  name: string,
  channel: string,
  onMessage: (message: string) => void,
  onError: (err: unknown) => void,
): Promise<ChannelSubscriber> {
  const subscriber = createSubscriber(client, name, onError);
  await subscriber.subscribe(channel, onMessage);
  return subscriber;
}
