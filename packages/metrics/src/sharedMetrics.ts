/**
 * Metrics the gateway and the health-worker both export, defined once so the two processes can
 * never disagree on a name, a label or a meaning.
 */
import {
  Counter,
  Gauge,
  collectDefaultMetrics,
  type GaugeConfiguration,
  type MetricObjectWithValues,
  type MetricValue,
  type Registry,
} from 'prom-client';
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

/** What a {@link StateGauge} is made with: a gauge's name, help and labels, and how to read its series. */
export type StateGaugeConfiguration<T extends string> = Pick<
  GaugeConfiguration<T>,
  'name' | 'help' | 'labelNames' | 'registers'
> & {
  /** Every series as it stands, read at each scrape (a series not returned is not exported). */
  read: () => MetricValue<T>[];
};

/**
 * A gauge whose series mirror live state, read at each scrape and handed to the registry as read.
 * A prom-client `Gauge` whose `collect()` resets it and sets each series anew keeps, per series and
 * scrape, a label key (the label names sorted, the values joined), an entry and a map slot that live
 * until the next scrape: long enough for V8 to promote them to its old generation, where they wait
 * for a full collection. With 100 backends that was about a quarter of a scrape's allocation
 * (docs/BENCHMARKS.md). Only for series that are all read at once: `set`, `inc` and `dec` on it are
 * not exported.
 */
export class StateGauge<T extends string> extends Gauge<T> {
  private readonly read: () => MetricValue<T>[];

  constructor({ read, ...config }: StateGaugeConfiguration<T>) {
    super(config);
    this.read = read;
  }

  override async get(): Promise<MetricObjectWithValues<MetricValue<T>>> {
    // Read before the first await: every gauge of a scrape reads in the same turn (gatewayMetrics.ts).
    const values = this.read();
    // prom-client's own answer (name, help, type, aggregator) with no series of its own, and these.
    return { ...(await super.get()), values };
  }
}

/** `only1mcp_backend_health_status{server_id}`: 1 healthy, 0 not; read at scrape time. */
export function registerBackendHealthGauge(registry: Registry, servers: () => readonly ServerHealth[]): void {
  new StateGauge({
    name: METRIC.backendHealthStatus,
    help: 'Backend server health: 1 healthy (a replica is up), 0 not.',
    labelNames: ['server_id'],
    registers: [registry],
    read: () => servers().map((s) => ({ labels: { server_id: s.id }, value: s.healthy ? 1 : 0 })),
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
