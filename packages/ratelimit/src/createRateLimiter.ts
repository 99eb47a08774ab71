/**
 * The one factory the gateway calls: Redis-backed buckets with memory insurance when a RedisClient is
 * given, memory-only otherwise. See gcra.ts for the algorithm (an exact token bucket) and why it is
 * not rate-limiter-flexible.
 */
import { DEFAULT_KEY_PREFIX, silentLogger, type Clock, type Logger, type RedisClient } from '@only1mcp/health';
import { gcraLimits } from './gcra';
import { InsuredRateLimiter } from './insuredRateLimiter';
import { MemoryRateLimiter } from './memoryRateLimiter';
import { RedisRateLimiter } from './redisRateLimiter';
import type { RateLimiter } from './rateLimiter';

/** Settings of {@link createRateLimiter} (config `rate_limit` and `redis`). */
export interface RateLimiterOptions {
  /** Sustained rate per key (`rate_limit.requests_per_second`); fractions allowed. */
  requestsPerSecond: number;
  /** Bucket capacity, an integer: requests that pass at once from a full bucket (`rate_limit.burst`). */
  burst: number;
  /** Shared buckets across gateway replicas; omitted: this process's memory only. */
  redis?: RedisClient;
  /** The gateway's Redis key prefix (`redis.key_prefix`, default `only1mcp:`); buckets go under `<prefix>ratelimit:`. */
  keyPrefix?: string;
  /** Reports a Redis that is connected but gives no decision (connection outages are the RedisClient's to log). */
  logger?: Logger;
  /** Longest wait for a Redis decision before the local bucket decides (default 50 ms). */
  redisTimeoutMs?: number;
  /** After a failed or late Redis decision, how long the local bucket decides alone (default 1 s). */
  redisRetryMs?: number;
  /** Time for the in-memory buckets (default: the system clock; Redis buckets use Redis's TIME). */
  clock?: Clock;
}

/** Builds a limiter; throws RangeError for a rate outside (0, 1e6] or a burst that is not an integer ≥ 1. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const limits = gcraLimits(options.requestsPerSecond, options.burst);
  const memory = new MemoryRateLimiter({ limits, clock: options.clock });
  if (!options.redis) return memory;
  return new InsuredRateLimiter({
    client: options.redis,
    redis: new RedisRateLimiter({ client: options.redis, limits, keyPrefix: options.keyPrefix ?? DEFAULT_KEY_PREFIX }),
    memory,
    logger: options.logger ?? silentLogger,
    redisTimeoutMs: options.redisTimeoutMs ?? 50,
    redisRetryMs: options.redisRetryMs ?? 1_000,
    clock: options.clock,
  });
}
