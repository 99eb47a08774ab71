/**
 * Metrics the gateway and the health-worker both export, defined once so the two processes can
 * never disagree on a name, a label or a meaning.
 */
import { Counter, Gauge, collectDefaultMetrics, type Registry } from 'prom-client';
import { METRIC, PROCESS_METRICS_PREFIX } from './metricNames';

/** One backend server's health as the gauges report it. */
export interface ServerHealth {
  id: string;
  /** At least one replica is up. */
  healthy: boolean;
}

/** Node.js process metrics (CPU, memory, event loop) under the `only1mcp_` prefix. */
export function registerProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry, prefix: PROCESS_METRICS_PREFIX });
}

/** `only1mcp_backend_health_status{server_id}`: 1 healthy, 0 not; read at scrape time. */
export function registerBackendHealthGauge(registry: Registry, servers: () => readonly ServerHealth[]): void {
  new Gauge({
    name: METRIC.backendHealthStatus,
    help: 'Backend server health: 1 healthy (a replica is up), 0 not.',
    labelNames: ['server_id'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of servers()) this.set({ server_id: s.id }, s.healthy ? 1 : 0);
    },
  });
}

/** `only1mcp_redis_connected`: 1 while Redis is reachable, 0 not; only for a process configured with Redis. */
export function registerRedisGauge(registry: Registry, connected: () => boolean): void {
  new Gauge({
    name: METRIC.redisConnected,
    help: 'Redis reachable from this process: 1 yes, 0 no.',
    registers: [registry],
    collect() {
      this.set(connected() ? 1 : 0);
    },
  });
}

/** `only1mcp_health_checks_total{server_id,outcome}`: active health probes run by this process. */
export class HealthCheckCounter {
  private readonly counter: Counter<'server_id' | 'outcome'>;

  constructor(registry: Registry) {
    this.counter = new Counter({
      name: METRIC.healthChecksTotal,
      help: 'Active health probes of backend replicas run by this process, by server and outcome (ok or failed).',
      labelNames: ['server_id', 'outcome'],
      registers: [registry],
    });
  }

  /** Records one probe of a replica of `serverId`. */
  observe(serverId: string, ok: boolean): void {
    this.counter.inc({ server_id: serverId, outcome: ok ? 'ok' : 'failed' });
  }
}
