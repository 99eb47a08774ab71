/**
 * The gateway's response cache: this process's memory first, then Redis shared by every replica.
 * Redis is an optimisation only: when it is down or slow, lookups are misses and writes are skipped
 * (its outage is logged once, by the RedisClient), so the cache never fails a request. Entries are
 * JSON: values must survive JSON.stringify/parse, and every hit is a fresh copy.
 */
import { DEFAULT_KEY_PREFIX, silentLogger, type Logger, type RedisClient } from '@only1mcp/health';
import { MemoryLayer } from './memoryLayer';
import { RedisLayer } from './redisLayer';

/** Where a lookup was answered. */
export type CacheLayer = 'memory' | 'redis';

/** A hit: the value and the layer that held it. */
export interface CacheLookup<T> {
  value: T;
  layer: CacheLayer;
}

/** What `getOrCompute` returns: the value and where it came from (`undefined`: computed now). */
export interface CacheResult<T> {
  value: T;
  cached: CacheLayer | undefined;
}

/** Bounds, Redis and hooks of a {@link TwoLayerCache}. */
export interface TwoLayerCacheOptions {
  /** Most entries in memory. */
  maxEntries: number;
  /** Most bytes in memory (UTF-8 length of the values' JSON); a value over a quarter of this stays out of memory. */
  maxBytes: number;
  /** The shared layer; none: memory only. Not closed by the cache (its owner closes it). */
  redis?: RedisClient;
  /** Prefix of every Redis key (default `only1mcp:`); entries are `<prefix>cache:<key>`. */
  keyPrefix?: string;
  /** Called once per layer asked, per lookup (a Redis that is down counts as a Redis miss): feeds hit/miss metrics. */
  onLookup?: (layer: CacheLayer, hit: boolean) => void;
  logger?: Logger;
  /** Longest wait for Redis per command (default 50 ms): a lookup never waits longer on a dead Redis. */
  redisTimeoutMs?: number;
  /** After a failed or late Redis command, Redis is not asked for this long (default 1 s). */
  redisRetryMs?: number;
}

/** Two cache layers (memory, then Redis) with single-flight computation. */
export class TwoLayerCache {
  private readonly memory: MemoryLayer;
  private readonly shared: RedisLayer | undefined;
  private readonly onLookup: (layer: CacheLayer, hit: boolean) => void;
  private readonly logger: Logger;
  /** Computations running, by key: concurrent misses of one key join the first. */
  private readonly inflight = new Map<string, Promise<CacheResult<unknown>>>();
  /** Redis writes not yet answered, awaited by `close`. */
  private readonly pending = new Set<Promise<void>>();
  /** Bumped by every invalidation: a computation that started before one must not store its result. */
  private generation = 0;
  private closed = false;

  constructor(options: TwoLayerCacheOptions) {
    this.memory = new MemoryLayer({ maxEntries: options.maxEntries, maxBytes: options.maxBytes });
    this.logger = options.logger ?? silentLogger;
    this.onLookup = options.onLookup ?? (() => undefined);
    if (options.redis) {
      this.shared = new RedisLayer({
        client: options.redis,
        keyPrefix: options.keyPrefix ?? DEFAULT_KEY_PREFIX,
        logger: this.logger,
        timeoutMs: options.redisTimeoutMs ?? 50,
        retryMs: options.redisRetryMs ?? 1_000,
      });
    }
  }

  /** Entry count and bytes held in memory. */
  get memoryStats(): { entries: number; bytes: number } {
    return this.memory.stats;
  }

  /** Memory first, then Redis; a Redis hit is copied into memory for what is left of its TTL. */
  async get<T>(key: string): Promise<CacheLookup<T> | undefined> {
    if (this.closed) return undefined;
    const local = this.memory.get(key);
    this.onLookup('memory', local !== undefined);
    if (local !== undefined) return { value: JSON.parse(local) as T, layer: 'memory' };
    if (!this.shared) return undefined;
    const generation = this.generation;
    const entry = await this.shared.get(key);
    const value = entry === undefined ? undefined : parseJson(entry.json);
    this.onLookup('redis', value !== undefined);
    if (entry === undefined || value === undefined) return undefined;
    // Not when an invalidation came in while Redis answered: the copy could outlive the deletion.
    if (generation === this.generation && !this.closed) this.memory.set(key, entry.json, entry.remainingTtlMs);
    return { value: value as T, layer: 'redis' };
  }

  /**
   * Stores `value` in both layers for `ttlMs` (values over maxBytes/4 only in Redis). Never throws for
   * Redis; a value JSON cannot represent (undefined, a cycle, a BigInt) is not stored.
   */
  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    const write = this.store(key, value, ttlMs);
    if (write) await write;
  }

  /**
   * The cached value, or `compute()`'s, stored when `cacheable(value)` (default: always) — return
   * false for results that must not be replayed, such as an MCP result with `isError: true`. A thrown
   * error is never stored. Concurrent calls for one key share one lookup and one computation (and its
   * outcome, the same value object, or the same error); only the first reaches `onLookup`.
   */
  async getOrCompute<T>(
    key: string,
    ttlMs: number,
    compute: () => Promise<T>,
    cacheable: (value: T) => boolean = () => true,
  ): Promise<CacheResult<T>> {
    assertTtl(ttlMs);
    const running = this.inflight.get(key);
    if (running) return running as Promise<CacheResult<T>>;
    const flight = this.lookupOrCompute(key, ttlMs, compute, cacheable);
    this.inflight.set(key, flight);
    try {
      return await flight;
    } finally {
      // An invalidation may have replaced or dropped this flight already.
      if (this.inflight.get(key) === flight) this.inflight.delete(key);
    }
  }

  /** Removes `key` from both layers (a computation of it still running will not store its result). */
  async delete(key: string): Promise<void> {
    this.invalidate((k) => k === key);
    this.memory.delete(key);
    await this.shared?.delete(key);
  }

  /**
   * Removes every key starting with `prefix` from both layers (see `cacheKeyPrefix`). Redis is scanned
   * (SCAN MATCH, bounded); what a failing Redis keeps expires with its TTL.
   */
  async deleteByPrefix(prefix: string): Promise<void> {
    this.invalidate((k) => k.startsWith(prefix));
    this.memory.deleteByPrefix(prefix);
    await this.shared?.deleteByPrefix(prefix);
  }

  /** Waits for Redis writes under way and empties memory. Does not close the RedisClient (its owner does). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pending]);
    this.memory.clear();
  }

  private async lookupOrCompute<T>(
    key: string,
    ttlMs: number,
    compute: () => Promise<T>,
    cacheable: (value: T) => boolean,
  ): Promise<CacheResult<T>> {
    const hit = await this.get<T>(key);
    if (hit) return { value: hit.value, cached: hit.layer };
    const generation = this.generation;
    const value = await compute();
    if (generation === this.generation && cacheable(value)) {
      // Memory is written now; the Redis write is not waited for (close() waits for it).
      void this.store(key, value, ttlMs);
    }
    return { value, cached: undefined };
  }

  /** Writes memory at once; returns the Redis write, if any. */
  private store(key: string, value: unknown, ttlMs: number): Promise<void> | undefined {
    assertTtl(ttlMs);
    if (this.closed) return undefined;
    const json = toJson(value);
    if (json === undefined) {
      this.logger.debug('Cache value not stored: JSON cannot represent it', { key });
      return undefined;
    }
    const ttl = Math.ceil(ttlMs);
    this.memory.set(key, json, ttl);
    if (!this.shared) return undefined;
    const write = this.shared.set(key, json, ttl).finally(() => this.pending.delete(write));
    this.pending.add(write);
    return write;
  }

  private invalidate(matches: (key: string) => boolean): void {
    this.generation++;
    for (const key of [...this.inflight.keys()]) if (matches(key)) this.inflight.delete(key);
  }
}

function assertTtl(ttlMs: number): void {
  if (!(Number.isFinite(ttlMs) && ttlMs > 0)) throw new RangeError(`ttlMs must be a positive number, got ${ttlMs}`);
}

/** JSON of `value`, or undefined when JSON cannot represent it. */
function toJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value) as string | undefined;
  } catch {
    return undefined;
  }
}

/** A Redis value that is not JSON (another writer, a corrupted entry) is a miss. */
function parseJson(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}
