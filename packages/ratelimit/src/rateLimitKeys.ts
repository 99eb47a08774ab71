/**
 * Every name this package puts in Redis, and the bucket keys the gateway passes to `consume`. Ids are
 * URI-encoded so that no client id can forge another identity (`a:server:b` as a client id would
 * otherwise be the key of client `a` on server `b`).
 */

/** Segment after the gateway's key prefix (config `redis.key_prefix`) under which buckets live. */
const RATE_LIMIT_SEGMENT = 'ratelimit:';

/** The Redis key of bucket `key` under `prefix` (e.g. `only1mcp:ratelimit:client:alice`). */
export function redisBucketKey(prefix: string, key: string): string {
  return `${prefix}${RATE_LIMIT_SEGMENT}${key}`;
}

/** Bucket keys for {@link RateLimiter.consume}, one builder per kind of limit. */
export const rateLimitKeys = {
  /** One client's bucket: `client:<id>`. */
  client: (clientId: string): string => `client:${encodeURIComponent(clientId)}`,
  /** One client's bucket on one backend server: `client:<id>:server:<serverId>`. */
  clientServer: (clientId: string, serverId: string): string =>
    `client:${encodeURIComponent(clientId)}:server:${encodeURIComponent(serverId)}`,
} as const;
