/**
 * Active health checks run inside the gateway (the single-node default): the same HealthChecker
 * the health-worker runs, probing every backend replica with an MCP ping at `health.interval`, its
 * results kept in memory and applied to routing (an unhealthy replica gets no calls until it is
 * healthy again). Passive health (breakers, lost connections) stays as it is and combines with it.
 */
import type { Config } from '@only1mcp/config';
import { HealthChecker, InMemoryHealthStore } from '@only1mcp/health';
import type { Logger, Registry } from '@only1mcp/registry';

/** Starts the in-process checker; undefined when `health.enabled` is false. */
export function startEmbeddedHealth(config: Config, registry: Registry, logger: Logger): HealthChecker | undefined {
  const health = config.health;
  if (!health.enabled) return undefined;
  const checker = new HealthChecker(
    {
      intervalMs: health.interval,
      timeoutMs: health.timeout,
      unhealthyThreshold: health.unhealthy_threshold,
      healthyThreshold: health.healthy_threshold,
    },
    {
      targets: () => registry.healthTargets(health.timeout),
      store: new InMemoryHealthStore(),
      checkedBy: `gateway:${process.pid}`,
      onChange: (record) => registry.applyHealth(record.id, record.status),
      logger,
    },
  );
  checker.start();
  return checker;
}
