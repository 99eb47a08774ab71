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

/** Sleeps. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
