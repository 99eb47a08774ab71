/**
 * When to skip Redis and how to say so, for a feature that has a local fallback (the rate
 * limiter's memory buckets, the cache's memory layer): after a failed or late command Redis is
 * not asked for `retryMs`, so a frozen server costs one timeout per period, not one per request.
 * A dropped connection is the RedisClient's to report (once); a command can fail before the client
 * notices, so only a second failure in a row, one period later, on a connection that still looks
 * alive (a frozen server, a network black hole) is reported here — once per episode, with one
 * line when Redis answers again.
 */
import type { RedisClient } from './createRedisClient';
import { errorMessage, type Logger } from '@only1mcp/logger';
import { systemClock, type Clock } from './clock';

/** What a {@link RedisFallback} says, and where. */
export interface RedisFallbackOptions {
  client: RedisClient;
  retryMs: number;
  logger: Logger;
  /** The warning when Redis stops answering (e.g. "Rate limits enforced from local memory: Redis gave no decision"). */
  degraded: string;
  /** The line when it answers again. */
  restored: string;
  clock?: Clock;
}

/** Tracks whether to ask Redis now, and reports an episode of no answers once. */
export class RedisFallback {
  private skipUntil = 0;
  private strikes = 0;
  private reported = false;
  private readonly clock: Clock;

  constructor(private readonly options: RedisFallbackOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** True when Redis should be asked now (connected, and not within a retry period). */
  get usable(): boolean {
    return this.options.client.isConnected() && this.clock.now() >= this.skipUntil;
  }

  /** A command failed or was too late: skip Redis for a while; report a lasting silence once. */
  failed(err: unknown): void {
    this.skipUntil = this.clock.now() + this.options.retryMs;
    if (this.reported || !this.options.client.isConnected() || ++this.strikes < 2) return;
    this.reported = true;
    this.options.logger.warn(this.options.degraded, { error: errorMessage(err), retryInMs: this.options.retryMs });
  }

  /** A command answered. */
  recovered(): void {
    this.strikes = 0;
    if (!this.reported) return;
    this.reported = false;
    this.options.logger.info(this.options.restored);
  }
}

/** A Redis command that did not answer in time. */
export class RedisTimeoutError extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/**
 * Resolves or rejects like `promise`, or rejects with RedisTimeoutError after `ms`. A late outcome
 * is dropped (a command that still runs on Redis may take effect: callers must tolerate that).
 */
export function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisTimeoutError(ms)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
