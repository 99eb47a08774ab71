/**
 * The gateway's security parts, built from `auth`, `rate_limit`, `audit` and `server` settings
 * and swapped on reload: the AuthGate (who the client is, what it may use), the rate limiters
 * (per client, and per client per server; shared through Redis when configured), the audit log,
 * and the Admission every MCP request passes.
 */
import type { Config } from '@only1mcp/config';
import { createRedisClient, type RedisClient } from '@only1mcp/health';
import type { GatewayMetrics } from '@only1mcp/metrics';
import { createRateLimiter, type RateLimiter } from '@only1mcp/ratelimit';
import type { Logger } from '@only1mcp/registry';
import { createAuditLog, type AuditLog } from './audit';
import { Admission } from './http/admission';
import { AuthGate } from './http/authGate';

/** The security parts of one gateway. */
export interface Security {
  gate: AuthGate;
  admission: Admission;
  audit?: AuditLog;
  /** The per-client-per-server limiter (`rate_limit.per_server`), if configured. */
  perServer(): RateLimiter | undefined;
  /** Applies reloaded `auth` and `rate_limit` (a revoked key is refused from the next request on). */
  reconfigure(next: Config): void;
  close(): Promise<void>;
}

type Limits = NonNullable<Config['rate_limit']>;

/** Builds the security parts for `config`. */
export function createSecurity(config: Config, logger: Logger, metrics?: GatewayMetrics): Security {
  const gate = new AuthGate(config.auth);
  const audit = createAuditLog(config.audit);
  // Buckets are shared by every replica through Redis; each replica decides alone while it is down.
  let redis: RedisClient | undefined;
  const shared = () =>
    config.redis ? (redis ??= createRedisClient(config.redis.url, logger, { name: 'gateway-ratelimit' })) : undefined;
  const build = (limits: Pick<Limits, 'requests_per_second' | 'burst'> | undefined) =>
    limits
      ? createRateLimiter({
          requestsPerSecond: limits.requests_per_second,
          burst: limits.burst,
          redis: shared(),
          keyPrefix: config.redis?.key_prefix,
          logger,
        })
      : undefined;
  let settings = JSON.stringify(config.rate_limit ?? null);
  let perClient = build(config.rate_limit);
  let perServer = build(config.rate_limit?.per_server);
  const admission = new Admission({
    gate,
    metrics,
    limiter: () => perClient,
    audit,
    maxStreamsPerClient: config.server.max_streams_per_client,
  });
  return {
    gate,
    admission,
    audit,
    perServer: () => perServer,
    reconfigure(next) {
      gate.reconfigure(next.auth);
      if (JSON.stringify(next.rate_limit ?? null) === settings) return;
      settings = JSON.stringify(next.rate_limit ?? null);
      const old = [perClient, perServer];
      perClient = build(next.rate_limit);
      perServer = build(next.rate_limit?.per_server);
      for (const limiter of old) void limiter?.close();
    },
    async close() {
      await Promise.all([perClient?.close(), perServer?.close(), audit?.close()]);
      await redis?.close();
    },
  };
}
