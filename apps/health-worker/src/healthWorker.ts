/**
 * The health-worker: connects to every backend replica itself, probes them with the shared
 * HealthChecker and publishes each result to Redis (a record per replica with a TTL, a message on
 * every change), which every gateway replica reads. Several workers may run; the one holding the
 * lease probes, the others stand by and take over when it lapses.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Config } from '@only1mcp/config';
import { RedisHealthStore, WorkerLease, createRedisClient, createRedisKeys, recordTtlMs } from '@only1mcp/health';
import { MetricsRegistry, WorkerMetrics } from '@only1mcp/metrics';
import { Registry, type Logger } from '@only1mcp/registry';
import {
  ConfigReloader,
  longestInterval,
  restartRequired,
  startHealthCheckers,
  type HealthCheckers,
  type ReloadReport,
} from '@only1mcp/runtime';
import { serveMetrics } from './metricsServer';

/** Options of {@link startHealthWorker}. */
export interface HealthWorkerOptions {
  /** Where `GET /metrics` listens (port 0: a free one); without it the worker serves no metrics. */
  metrics?: { host: string; port: number };
  /** The file `config` came from: watched, so the worker probes the servers the gateways serve after a reload. */
  configFile?: string;
}

/** A running worker. */
export interface RunningHealthWorker {
  /** True while this worker holds the lease (and probes). */
  readonly probing: boolean;
  /** `http://host:port/metrics` when metrics are served. */
  readonly metricsUrl?: string;
  /** Re-reads the configuration file (SIGHUP); undefined without one. */
  reload?: () => Promise<ReloadReport>;
  /** Releases the lease, stops probing and closes backends and Redis. */
  stop(): Promise<void>;
}

/** Starts a worker for `config`, which must configure `redis`. */
export async function startHealthWorker(
  config: Config,
  logger: Logger,
  options: HealthWorkerOptions = {},
): Promise<RunningHealthWorker> {
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
  const metrics = new WorkerMetrics(new MetricsRegistry(), {
    servers: () => registry.status().map((s) => ({ id: s.id, healthy: s.up })),
    leading: () => probing,
    redisConnected: () => client.isConnected(),
  });
  const metricsServer = options.metrics ? await serveMetrics(metrics, options.metrics) : undefined;
  const startChecks = () =>
    startHealthCheckers(registry, { store, checkedBy: holderId, logger, healthChecks: metrics.healthChecks });
  // Servers and health settings follow the file; Redis and the lease keep what they started with.
  const reloader = options.configFile
    ? new ConfigReloader({
        file: options.configFile,
        logger,
        apply: async (next) => {
          const servers = await registry.reconfigure(next);
          if (checkers) {
            await checkers.stop();
            checkers = probing ? startChecks() : undefined;
          }
          return { servers, restartRequired: restartRequired(config, next) };
        },
      })
    : undefined;
  reloader?.watch();
  const lease = new WorkerLease(client, {
    holderId,
    // A lapsed lease is taken over within one interval.
    ttlMs: health.interval,
    keys,
    logger,
    onAcquired: () => {
      probing = true;
      logger.info('health-worker holds the lease: probing', { holder: holderId });
      checkers ??= startChecks();
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
    metricsUrl: metricsServer?.url,
    reload: reloader ? () => reloader.reload('signal') : undefined,
    async stop() {
      reloader?.close();
      await metricsServer?.close();
      await lease.stop();
      await checkers?.stop();
      await registry.stop();
      await store.close();
      await client.close();
    },
  };
}
