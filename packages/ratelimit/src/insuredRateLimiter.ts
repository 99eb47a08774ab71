/**
 * Redis first, this process's memory when Redis cannot answer in time: rate limiting is never
 * switched off by an outage, and a request never waits long on a dead Redis. The fallback is local:
 * during an outage each gateway replica enforces the limit on its own (a client spread over N replicas
 * gets up to N times the rate), starting from whatever its memory buckets last held (full for keys it
 * had not seen fail over before).
 */
import { RedisFallback, withinMs, type Clock, type Logger, type RedisClient } from '@only1mcp/health';
import type { MemoryRateLimiter } from './memoryRateLimiter';
import type { RedisRateLimiter } from './redisRateLimiter';
import type { RateLimitDecision, RateLimiter } from './rateLimiter';

/** Parts and tuning of {@link InsuredRateLimiter}. */
export interface InsuredRateLimiterOptions {
  client: RedisClient;
  redis: RedisRateLimiter;
  memory: MemoryRateLimiter;
  logger: Logger;
  /** Longest wait for a Redis decision before memory decides. */
  redisTimeoutMs: number;
  /** After a failed or late Redis decision, memory decides alone this long before Redis is tried again. */
  redisRetryMs: number;
  clock?: Clock;
}

/** The Redis limiter with a memory limiter as insurance. */
export class InsuredRateLimiter implements RateLimiter {
  private readonly fallback: RedisFallback;

  constructor(private readonly options: InsuredRateLimiterOptions) {
    this.fallback = new RedisFallback({
      client: options.client,
      retryMs: options.redisRetryMs,
      logger: options.logger,
      clock: options.clock,
      degraded: 'Rate limits enforced from local memory: Redis gave no decision',
      restored: 'Rate limits enforced through Redis again',
    });
  }

  async consume(key: string, cost = 1): Promise<RateLimitDecision> {
    const { redis, memory } = this.options;
    // Disconnected: the RedisClient knows it, has logged it, and would refuse the command anyway.
    if (!this.fallback.usable) return memory.consume(key, cost);
    try {
      const decision = await withinMs(redis.consume(key, cost), this.options.redisTimeoutMs);
      this.fallback.recovered();
      return decision;
    } catch (err) {
      // A cost no bucket can pass is the caller's mistake, not a Redis failure.
      if (err instanceof RangeError) throw err;
      this.fallback.failed(err);
      return memory.consume(key, cost);
    }
  }

  async close(): Promise<void> {
    await this.options.redis.close();
    await this.options.memory.close();
  }
}
