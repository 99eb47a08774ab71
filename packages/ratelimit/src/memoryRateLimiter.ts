/**
 * Buckets in this process's memory: the limiter when no Redis is configured, and the insurance while
 * Redis is unreachable. A bucket whose TAT has passed is full, so forgetting it changes nothing: a
 * sweep drops those at most once per max(1 s, burst · interval), which bounds memory by the keys
 * active in about the last two refill times, however many client ids come and go.
 */
import { systemClock, type Clock } from '@only1mcp/health';
import { checkCost, gcra, type GcraLimits } from './gcra';
import type { RateLimitDecision, RateLimiter } from './rateLimiter';

/** Dependencies of {@link MemoryRateLimiter}. */
export interface MemoryRateLimiterOptions {
  limits: GcraLimits;
  /** Default: the system clock. */
  clock?: Clock;
}

/** Token buckets held in a Map of key → TAT. */
export class MemoryRateLimiter implements RateLimiter {
  /** Key → TAT in epoch microseconds. */
  private readonly tats = new Map<string, number>();
  private readonly limits: GcraLimits;
  private readonly clock: Clock;
  private readonly sweepEveryMs: number;
  private nextSweepAt: number;

  constructor(options: MemoryRateLimiterOptions) {
    this.limits = options.limits;
    this.clock = options.clock ?? systemClock;
    this.sweepEveryMs = Math.max(1_000, this.limits.toleranceUs / 1000);
    this.nextSweepAt = this.clock.now() + this.sweepEveryMs;
  }

  /** Decides at once: nothing here waits. */
  async consume(key: string, cost = 1): Promise<RateLimitDecision> {
    checkCost(this.limits, cost);
    const now = this.clock.now();
    this.sweep(now);
    const result = gcra(this.tats.get(key), Math.round(now * 1000), this.limits, cost);
    if (result.allowed) this.tats.set(key, result.tatUs);
    return {
      allowed: result.allowed,
      retryAfterMs: result.retryAfterMs,
      remaining: result.remaining,
      source: 'memory',
    };
  }

  /** Buckets currently held (full ones may linger until the next sweep). */
  size(): number {
    return this.tats.size;
  }

  async close(): Promise<void> {
    this.tats.clear();
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + this.sweepEveryMs;
    const nowUs = now * 1000;
    for (const [key, tatUs] of this.tats) if (tatUs <= nowUs) this.tats.delete(key);
  }
}
