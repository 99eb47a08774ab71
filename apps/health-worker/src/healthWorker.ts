/**
 * The health-worker: connects to every backend replica itself, probes them with the shared
 * HealthChecker and publishes each result to Redis (a record per replica with a TTL, a message on
 * every change), which every gateway replica reads. Several workers may run; the one holding the
 * lease probes, the others stand by and take over when it lapses.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Config } from '@only1mcp/config';
import { longestInterval, startHealthCheckers, type HealthCheckers } from '@only1mcp/gateway';
import { RedisHealthStore, WorkerLease, createRedisClient, createRedisKeys, recordTtlMs } from '@only1mcp/health';
import { Registry, type Logger } from '@only1mcp/registry';

/** A running worker. */
export interface RunningHealthWorker {
  /** True while this worker holds the lease (and probes). */
  readonly probing: boolean;
  /** Releases the lease, stops probing and closes backends and Redis. */
  stop(): Promise<void>;
}

/** Starts a worker for `config`, which must configure `redis`. */
export async function startHealthWorker(config: Config, logger: Logger): Promise<RunningHealthWorker> {
  if (!config.redis) throw new Error('the health-worker needs redis.url in the configuration: it publishes to Redis');
  const health = config.health;
  const keys = createRedisKeys(config.redis.key_prefix);
  const client = createRedisClient(config.redis.url, logger, { name: 'health-worker' });
  const registry = new Registry(config, { logger });
  const store = new RedisHealthStore(client, { ttlMs: recordTtlMs(longestInterval(registry, config)), keys, logger });
  await registry.start();
  const holderId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let checkers: HealthCheckers | undefined;
  let probing = false;
  const lease = new WorkerLease(client, {
    holderId,
    // A lapsed lease is taken over within one interval.
    ttlMs: health.interval,
    keys,
    logger,
    onAcquired: () => {
      probing = true;
      logger.info('health-worker holds the lease: probing', { holder: holderId });
      checkers ??= startHealthCheckers(registry, { store, checkedBy: holderId, logger });
    },
    onLost: () => {
      probing = false;
      logger.info('health-worker lost the lease: standing by', { holder: holderId });
      const stopping = checkers;
      checkers = undefined;
      void stopping?.stop();
    },
  });
  lease.start();
  return {
    get probing() {
      return probing;
    },
    async stop() {
      await lease.stop();
      await checkers?.stop();
      await registry.stop();
      await store.close();
      await client.close();
    },
  };
}
