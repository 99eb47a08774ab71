/**
 * Active health checks run inside the gateway (the single-node default, and the fallback while the
 * health-worker's shared results are stale): the same health checkers the health-worker runs.
 * Results stay in memory and are applied to routing (an unhealthy replica gets no calls until it
 * is healthy again). Passive health (breakers, lost connections) stays as it is and combines with it.
 */
import type { Config } from '@only1mcp/config';
import { InMemoryHealthStore } from '@only1mcp/health';
import type { HealthCheckCounter } from '@only1mcp/metrics';
import type { Logger, Registry } from '@only1mcp/registry';
import { startHealthCheckers, type HealthCheckers } from '@only1mcp/runtime';

/** Starts the in-process checks, applied straight to routing. */
export function startEmbeddedHealth(
  _config: Config,
  registry: Registry,
  logger: Logger,
  healthChecks?: HealthCheckCounter,
): HealthCheckers {
  return startHealthCheckers(registry, {
    healthChecks,
    store: new InMemoryHealthStore(),
    checkedBy: `gateway:${process.pid}`,
    onChange: (record) => registry.applyHealth(record.id, record.status),
    logger,
  });
}
