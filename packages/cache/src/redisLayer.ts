/**
 * The shared layer: one Redis string per entry (`<prefix>cache:<key>`, the value's JSON, PX ttl), so
 * every gateway replica reuses the others' work. It fails open: a Redis that is down, slow or
 * broken is a miss, never an error, and a lookup never waits longer than `timeoutMs`. A dropped
 * connection is the RedisClient's to report (once); this layer warns once per episode only when a
 * connection that looks alive fails (a frozen server, a network black hole).
 */
import { RedisFallback, withinMs, type Logger, type RedisClient } from '@only1mcp/health';

/** Namespace of cache entries under the key prefix. */
const CACHE_NAMESPACE = 'cache:';
/** Keys asked for per SCAN call by `deleteByPrefix`. */
const SCAN_COUNT = 500;
/** SCAN calls one `deleteByPrefix` makes at most (2,000 × 500 = a million keys looked at). */
const MAX_SCAN_CALLS = 2_000;

/** Parts and tuning of {@link RedisLayer}. */
export interface RedisLayerOptions {
  client: RedisClient;
  /** Prefix of every key (the gateway's Redis namespace). */
  keyPrefix: string;
  logger: Logger;
  /** Longest wait for one Redis reply. */
  timeoutMs: number;
  /** After a failed or late reply, Redis is not asked for this long (lookups are misses at once). */
  retryMs: number;
}

/** A hit of the shared layer. */
export interface RedisEntry {
  json: string;
  /** What is left of the entry's TTL. */
  remainingTtlMs: number;
}

/** Escapes Redis glob characters so a prefix like `app[1]:` matches itself only. */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, (c) => `\\${c}`);
}

/** The Redis layer of `TwoLayerCache`. */
export class RedisLayer {
  private readonly namespace: string;
  private readonly fallback: RedisFallback;

  constructor(private readonly options: RedisLayerOptions) {
    this.namespace = options.keyPrefix + CACHE_NAMESPACE;
    this.fallback = new RedisFallback({
      client: options.client,
      retryMs: options.retryMs,
      logger: options.logger,
      degraded: 'Response cache running on local memory: Redis gave no answer',
      restored: 'Response cache shared through Redis again',
    });
  }

  /** The entry under `key`, or undefined when absent, malformed or Redis cannot answer in time. */
  async get(key: string): Promise<RedisEntry | undefined> {
    const redisKey = this.namespace + key;
    const replies = await this.attempt(() => this.options.client.redis.multi().get(redisKey).pttl(redisKey).exec());
    if (!replies) return undefined;
    const [[getError, json], [ttlError, ttl]] = replies as [[Error | null, unknown], [Error | null, unknown]];
    if (getError || ttlError || typeof json !== 'string' || typeof ttl !== 'number') return undefined;
    // -1 (no TTL) cannot come from this layer's writes; -2 means it expired between the two commands.
    if (ttl <= 0) return undefined;
    return { json, remainingTtlMs: ttl };
  }

  /** Stores `json` for `ttlMs`; a failure is swallowed (the entry is simply not shared). */
  async set(key: string, json: string, ttlMs: number): Promise<void> {
    await this.attempt(() => this.options.client.redis.set(this.namespace + key, json, 'PX', ttlMs));
  }

  /** Deletes `key`; on failure the entry lives on in Redis until its TTL ends. */
  async delete(key: string): Promise<void> {
    await this.attempt(() => this.options.client.redis.unlink(this.namespace + key));
  }

  /**
   * Deletes every key starting with `prefix` (SCAN MATCH + UNLINK, at most MAX_SCAN_CALLS calls).
   * On failure or past the bound, entries left behind live on until their TTL ends.
   */
  async deleteByPrefix(prefix: string): Promise<void> {
    const match = escapeGlob(this.namespace + prefix) + '*';
    const redis = this.options.client.redis;
    let cursor = '0';
    for (let calls = 0; calls < MAX_SCAN_CALLS; calls++) {
      const reply = await this.attempt(() => redis.scan(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT));
      if (!reply) return;
      const [next, keys] = reply;
      if (keys.length > 0 && (await this.attempt(() => redis.unlink(...keys))) === undefined) return;
      if (next === '0') return;
      cursor = next;
    }
    this.options.logger.warn('Cache invalidation stopped early: too many Redis keys to scan; the rest expire by TTL', {
      prefix,
      scanCalls: MAX_SCAN_CALLS,
    });
  }

  /** Runs one command within the timeout; undefined when Redis is down, skipped, late or failing. */
  private async attempt<T>(command: () => Promise<T>): Promise<T | undefined> {
    // Disconnected: the RedisClient knows it, has logged it, and would refuse the command anyway.
    if (!this.fallback.usable) return undefined;
    try {
      const result = await withinMs(command(), this.options.timeoutMs);
      this.fallback.recovered();
      return result;
    } catch (err) {
      this.fallback.failed(err);
      return undefined;
    }
  }
}
