/**
 * The one place Redis connections are made: retry policy, fail-fast commands and outage logging.
 * Health is advisory, so while Redis is down commands must fail at once (callers fail open) rather
 * than queue behind a dead connection and stall the requests that read them.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { errorMessage, type Logger } from './logger';

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
    this.logger.error('Redis unavailable; health state degrades to unknown until it returns', {
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

/** Connects to `url` (connection starts at once; `isConnected()` turns true when ready). */
export function createRedisClient(url: string, logger: Logger, options: RedisClientOptions = {}): RedisClient {
  const outages = new OutageLog(logger, redactUrl(url));
  const name = options.name ?? 'redis';
  return wrap(new Redis(url, toRedisOptions(options)), name, outages, options);
}

/**
 * Subscribes a connection of its own (pub/sub needs one) to `channel`. Offline queue on and
 * unlimited retries: a SUBSCRIBE issued during an outage waits for Redis instead of failing, and
 * ioredis re-subscribes by itself after every reconnect. Resolves once subscribed, or at once while
 * Redis is unreachable (waiting would block the caller). Close the returned connection to stop.
 */
export async function subscribeChannel(
  client: RedisClient,
  name: string,
  channel: string,
  onMessage: (message: string) => void,
  onError: (err: unknown) => void,
): Promise<RedisClient> {
  const subscriber = client.duplicate({ name, enableOfflineQueue: true, maxRetriesPerRequest: null });
  subscriber.redis.on('message', (from: string, message: string) => {
    if (from === channel) onMessage(message);
  });
  const subscribed = subscriber.redis.subscribe(channel).catch(onError);
  if (client.isConnected()) await subscribed;
  return subscriber;
}
