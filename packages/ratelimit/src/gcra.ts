/**
 * The token bucket, computed as GCRA (generic cell rate algorithm): the whole state of a bucket is one
 * number, its theoretical arrival time (TAT), the moment at which it will be full again. A bucket of
 * capacity `burst` refilled at `requestsPerSecond` gains one token every `interval = 1 s / rate`; a
 * request of cost c passes when `max(TAT, now) + c·interval − now ≤ burst·interval`. From a full
 * bucket `burst` requests pass at once, then one every interval: exactly a token bucket, fractional
 * rates and bursts below the rate included. A key whose TAT has passed is a full bucket, so it can be
 * forgotten (Redis: the key expires at its TAT; memory: swept).
 *
 * Times are whole microseconds: epoch µs (~1.8e15) are exact in a double and in Lua's numbers, so
 * neither side drifts however long the burst (fractional milliseconds added up at epoch magnitude
 * lose up to a token per few thousand). Rounding the interval to 1 µs changes the rate by < 1 ppm at
 * 10/s and < 0.5 % at the 1e6/s ceiling.
 *
 * Why not rate-limiter-flexible: its limiters are (enhanced) fixed windows of whole seconds in Redis.
 * The closest combination, BurstyRateLimiter(`rate` per 1 s + `burst − rate` per D s), measured with a
 * greedy client over 60 s at 10/s burst 20: 14.7/s sustained with D = 2 s (the refill time); 10.7/s
 * only with D = 10 s, and then a spent burst needs 10 s to come back instead of 2 s. Its Retry-After
 * is up to 1 s where a bucket says 1/rate, and a burst below the rate (5/s burst 3) cannot be
 * expressed (5 pass at once). This module and its Lua twin were the smaller risk.
 *
 * This module is the reference; `redisRateLimiter.ts` runs the same arithmetic in Lua.
 */

/** A bucket's settings in GCRA terms, in whole microseconds. */
export interface GcraLimits {
  /** Microseconds per token (1e6 / requestsPerSecond, rounded). */
  readonly intervalUs: number;
  /** How far the TAT may run ahead of now: burst · interval. */
  readonly toleranceUs: number;
  readonly burst: number;
}

/** One decision plus the bucket's next state. */
export interface GcraResult {
  allowed: boolean;
  /** Whole milliseconds until the same request would pass (≥ 1 when refused, else 0). */
  retryAfterMs: number;
  /** Whole tokens left after this decision. */
  remaining: number;
  /** The TAT to store (unchanged when refused). */
  tatUs: number;
}

/** Converts a rate and burst; throws RangeError for settings no bucket can have. */
export function gcraLimits(requestsPerSecond: number, burst: number): GcraLimits {
  if (!Number.isFinite(requestsPerSecond) || requestsPerSecond <= 0 || requestsPerSecond > 1e6) {
    throw new RangeError(`requestsPerSecond must be in (0, 1e6], got ${requestsPerSecond}`);
  }
  if (!Number.isInteger(burst) || burst < 1) throw new RangeError(`burst must be an integer ≥ 1, got ${burst}`);
  const intervalUs = Math.round(1e6 / requestsPerSecond);
  return { intervalUs, toleranceUs: intervalUs * burst, burst };
}

/** Throws RangeError unless `cost` could ever pass: an integer in [1, burst]. */
export function checkCost(limits: GcraLimits, cost: number): void {
  if (!Number.isInteger(cost) || cost < 1 || cost > limits.burst) {
    throw new RangeError(`cost must be an integer in [1, burst = ${limits.burst}], got ${cost}`);
  }
}

/** Decides a request of `cost` against a bucket whose stored TAT is `tatUs` (undefined: full). */
export function gcra(tatUs: number | undefined, nowUs: number, limits: GcraLimits, cost: number): GcraResult {
  const { intervalUs, toleranceUs } = limits;
  const start = tatUs === undefined || tatUs < nowUs ? nowUs : tatUs;
  const next = start + cost * intervalUs;
  const allowAt = next - toleranceUs;
  if (allowAt > nowUs) {
    const remaining = Math.floor((toleranceUs - (start - nowUs)) / intervalUs);
    return { allowed: false, retryAfterMs: Math.ceil((allowAt - nowUs) / 1000), remaining, tatUs: start };
  }
  return {
    allowed: true,
    retryAfterMs: 0,
    remaining: Math.floor((toleranceUs - (next - nowUs)) / intervalUs),
    tatUs: next,
  };
}
