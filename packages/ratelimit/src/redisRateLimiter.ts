/**
 * Buckets in Redis, shared by every gateway replica: one Lua script per decision (atomic, one key, so
 * Redis Cluster is fine), run by EVALSHA with EVAL when the server has not seen the script (first
 * use, or a restarted Redis). Time is Redis's own TIME, so replicas' clock skew does not matter.
 * The TAT key expires when the bucket is full again. No fallback here: errors reach the caller.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from '@only1mcp/health';
import { checkCost, type GcraLimits } from './gcra';
import { redisBucketKey } from './rateLimitKeys';
import type { RateLimitDecision, RateLimiter } from './rateLimiter';

/**
 * `gcra()` of gcra.ts in Lua (keep the two in step). KEYS[1]: the bucket; ARGV: interval and
 * tolerance in µs, cost. Epoch µs are exact in Lua's doubles; '%.0f' stores them without Lua's
 * default 14-digit rounding. Replies are integers: {allowed 0/1, retryAfterMs, remaining}.
 */
const GCRA_SCRIPT = `
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local start = tonumber(redis.call('GET', KEYS[1])) or now
if start < now then start = now end
local nextTat = start + cost * interval
local allowAt = nextTat - tolerance
if allowAt > now then
  return {0, math.ceil((allowAt - now) / 1000), math.floor((tolerance - (start - now)) / interval)}
end
redis.call('SET', KEYS[1], string.format('%.0f', nextTat), 'PX', math.ceil((nextTat - now) / 1000))
return {1, 0, math.floor((tolerance - (nextTat - now)) / interval)}
`;

const GCRA_SHA = createHash('sha1').update(GCRA_SCRIPT).digest('hex');

/** Settings of {@link RedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  client: RedisClient;
  limits: GcraLimits;
  /** The gateway's key prefix (config `redis.key_prefix`). */
  keyPrefix: string;
}

/** The reply checked, as a value read from Redis is untrusted until validated. */
function parseReply(reply: unknown): Omit<RateLimitDecision, 'source'> {
  if (!Array.isArray(reply) || reply.length !== 3 || !reply.every((n) => typeof n === 'number')) {
    throw new Error(`unexpected rate limit script reply: ${JSON.stringify(reply)}`);
  }
  const [allowed, retryAfterMs, remaining] = reply as [number, number, number];
  return { allowed: allowed === 1, retryAfterMs, remaining };
}

/** Token buckets in Redis. */
export class RedisRateLimiter implements RateLimiter {
  private readonly args: string[];

  constructor(private readonly options: RedisRateLimiterOptions) {
    this.args = [String(options.limits.intervalUs), String(options.limits.toleranceUs)];
  }

  /** Rejects when Redis does not answer (the caller decides what to do then). */
  async consume(key: string, cost = 1): Promise<RateLimitDecision> {
    checkCost(this.options.limits, cost);
    const redis = this.options.client.redis;
    const redisKey = redisBucketKey(this.options.keyPrefix, key);
    const args = [...this.args, String(cost)];
    let reply: unknown;
    try {
      reply = await redis.evalsha(GCRA_SHA, 1, redisKey, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      reply = await redis.eval(GCRA_SCRIPT, 1, redisKey, ...args);
    }
    return { ...parseReply(reply), source: 'redis' };
  }

  /** Nothing to release: the connection belongs to the caller. */
  async close(): Promise<void> {}
}
