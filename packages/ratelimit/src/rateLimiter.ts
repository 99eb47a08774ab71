/** The rate limiter's contract, shared by the Redis, in-memory and insured implementations. */

/** Where a decision came from: the bucket shared through Redis, or this process's own bucket. */
export type RateLimitSource = 'redis' | 'memory';

/** The answer to one {@link RateLimiter.consume}. */
export interface RateLimitDecision {
  /** True when the request may go on (its cost was taken from the bucket). */
  allowed: boolean;
  /**
   * When refused: milliseconds until the same request would pass (always ≥ 1); 0 when allowed.
   * HTTP `Retry-After` is this rounded up to whole seconds.
   */
  retryAfterMs: number;
  /** Whole requests (of cost 1) that would still pass right now. */
  remaining: number;
  /** Which bucket decided. */
  source: RateLimitSource;
}

/** Token buckets keyed by arbitrary strings (see `rateLimitKeys`), all with the same rate and burst. */
export interface RateLimiter {
  /**
   * Takes `cost` tokens (an integer from 1 to the burst; default 1) from `key`'s bucket, or refuses
   * without taking any. Never rejects because Redis is down (the local bucket decides instead); rejects
   * with RangeError for a cost that could never pass.
   */
  consume(key: string, cost?: number): Promise<RateLimitDecision>;
  /** Drops the in-memory buckets. The RedisClient passed in stays open: its owner closes it. */
  close(): Promise<void>;
}
