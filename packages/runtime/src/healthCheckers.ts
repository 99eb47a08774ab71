/**
 * Active health checks as every Only1MCP process runs them: the gateway in-process (the
 * single-node default, and the fallback while the health-worker's shared results are stale) and
 * the health-worker for every gateway replica. One HealthChecker per group of servers with the
 * same settings, probing every backend replica at its `health.interval`; where results go (memory,
 * Redis) and what a change does is the caller's.
 */
import type { Config } from '@only1mcp/config';
import { HealthChecker, type HealthRecord, type HealthStore } from '@only1mcp/health';
import type { HealthCheckCounter } from '@only1mcp/metrics';
import type { Logger, Registry } from '@only1mcp/registry';

/** Several checkers started and stopped as one. */
export interface HealthCheckers {
  stop(): Promise<void>;
}

/** What the checkers share: where results go, who they are, what to do on a change. */
export interface HealthCheckersDeps {
  store: HealthStore;
  checkedBy: string;
  onChange?: (record: HealthRecord) => void;
  /** Counts every probe by server (the target id is `serverId#index`). */
  healthChecks?: HealthCheckCounter;
  logger: Logger;
}

/** One HealthChecker per health plan of the registry (servers with the same settings); started at once. */
export function startHealthCheckers(registry: Registry, deps: HealthCheckersDeps): HealthCheckers {
  const checkers = registry.healthPlans().map(
    ({ settings, targets }) =>
      new HealthChecker(
        {
          intervalMs: settings.interval,
          timeoutMs: settings.timeout,
          unhealthyThreshold: settings.unhealthy_threshold,
          healthyThreshold: settings.healthy_threshold,
        },
        {
          targets,
          ...deps,
          onProbe: (id, ok) => deps.healthChecks?.observe(id.slice(0, id.lastIndexOf('#')), ok),
        },
      ),
  );
  for (const checker of checkers) checker.start();
  return { stop: async () => void (await Promise.all(checkers.map((c) => c.stop()))) };
}

/** The longest check interval of any plan: records are fresh for three of them. */
export function longestInterval(registry: Registry, config: Config): number {
  return Math.max(config.health.interval, ...registry.healthPlans().map((p) => p.settings.interval));
}
