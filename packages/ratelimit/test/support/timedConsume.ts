/** Measures how long decisions take, since "never waits on a dead Redis" is part of the contract. */
import type { RateLimitDecision, RateLimiter } from '../../src';

/** A decision and the milliseconds it took. */
export type TimedDecision = RateLimitDecision & { tookMs: number };

/** One consume, timed. */
export async function timedConsume(limiter: RateLimiter, key: string, cost?: number): Promise<TimedDecision> {
  const started = performance.now();
  const decision = await limiter.consume(key, cost);
  return { ...decision, tookMs: performance.now() - started };
}

/** `count` consumes of `key` one after the other. */
export async function consumeMany(limiter: RateLimiter, key: string, count: number): Promise<TimedDecision[]> {
  const decisions: TimedDecision[] = [];
  for (let i = 0; i < count; i++) decisions.push(await timedConsume(limiter, key));
  return decisions;
}

/**
 * `count` consumes of `key` sent at once: on one connection Redis runs them one after the other
 * within microseconds, so no token refills between them however slow the machine is (sent one by
 * one, a pause of one refill interval between two would let the next pass).
 */
export function consumeAtOnce(limiter: RateLimiter, key: string, count: number): Promise<RateLimitDecision[]> {
  return Promise.all(Array.from({ length: count }, () => limiter.consume(key)));
}

/** Sleeps. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
