/**
 * Backend health shared through Redis (when `redis` is configured): the health-worker's results
 * are read at start and followed through pub/sub, and applied to routing. Records older than their
 * TTL (3 × `health.interval`) are treated as unknown; while no fresh record exists (the worker is
 * down, or Redis is), this gateway runs its own checks until the worker's results are fresh
 * again. Redis being unreachable never blocks or fails a request.
 */
import type { Config } from '@only1mcp/config';
import {
  RedisHealthStore,
  createRedisClient,
  createRedisKeys,
  isStale,
  recordTtlMs,
  type HealthRecord,
} from '@only1mcp/health';
import type { HealthCheckCounter } from '@only1mcp/metrics';
import type { Logger, Registry } from '@only1mcp/registry';
import { longestInterval, type HealthCheckers } from '@only1mcp/runtime';
import { startEmbeddedHealth } from './embeddedHealth';

/** The shared-health follower of one gateway. */
export interface SharedHealth {
  /** True while this gateway runs its own checks because no fresh shared result exists. */
  readonly fallingBack: boolean;
  /** True while Redis is reachable. */
  redisConnected(): boolean;
  stop(): Promise<void>;
}

/** How long a gateway starting with `redis` waits for it before it serves without (it keeps reconnecting). */
export const REDIS_START_WAIT_MS = 2_000;

/** Starts following the shared health state; `config.redis` must be set. */
export async function startSharedHealth(
  config: Config,
  registry: Registry,
  logger: Logger,
  healthChecks?: HealthCheckCounter,
): Promise<SharedHealth> {
  const redis = config.redis!;
  const ttlMs = recordTtlMs(longestInterval(registry, config));
  const client = createRedisClient(redis.url, logger, { name: 'gateway-health' });
  const store = new RedisHealthStore(client, { ttlMs, keys: createRedisKeys(redis.key_prefix), logger });
  // A moment for Redis at start, so a healthy deployment starts from the shared state; never longer.
  await client.whenReady(REDIS_START_WAIT_MS);
  const apply = (record: HealthRecord) => {
    if (!isStale(record, Date.now(), ttlMs)) registry.applyHealth(record.id, record.status);
  };
  const unsubscribe = await store.subscribe(apply);

  let own: HealthCheckers | undefined;
  // Reads the shared records (applying the fresh ones) and runs own checks only while none is fresh.
  const reconcile = async () => {
    const records = await store.getAll();
    const fresh = records.filter((r) => !isStale(r, Date.now(), ttlMs));
    for (const record of fresh) apply(record);
    if (fresh.length === 0 && !own) {
      logger.warn('no fresh shared health results (health-worker or Redis down): running own checks');
      own = startEmbeddedHealth(config, registry, logger, healthChecks);
    } else if (fresh.length > 0 && own) {
      logger.info('shared health results are fresh again: own checks stopped');
      const stopping = own;
      own = undefined;
      await stopping.stop();
    }
  };
  await reconcile();
  const timer = setInterval(() => void reconcile().catch(() => undefined), config.health.interval);
  timer.unref();
  return {
    get fallingBack() {
      return own !== undefined;
    },
    redisConnected: () => client.isConnected(),
    async stop() {
      clearInterval(timer);
      await own?.stop();
      await unsubscribe();
      await store.close();
      await client.close();
    },
  };
}
