/**
 * The health-worker's metrics: the probes it runs, the health it publishes, whether it leads, and
 * whether Redis answers; plus Node.js process metrics. Served on the worker's own `GET /metrics`.
 */
import { Gauge, type Registry } from 'prom-client';
import { ExposedMetrics } from './exposition';
import { METRIC } from './metricNames';
import {
  HealthCheckCounter,
  registerBackendHealthGauge,
  registerProcessMetrics,
  registerRedisGauge,
  type ServerHealth,
} from './sharedMetrics';

/** Live state the worker's gauges read at scrape time. */
export interface WorkerStateSource {
  servers(): readonly ServerHealth[];
  /** True while this worker holds the lease (and probes). */
  leading(): boolean;
  redisConnected(): boolean;
}

/** The health-worker's metrics on an injected registry. */
export class WorkerMetrics extends ExposedMetrics {
  /** Probes run by this worker. */
  readonly healthChecks: HealthCheckCounter;

  constructor(registry: Registry, state: WorkerStateSource, options: { processMetrics?: boolean } = {}) {
    super(registry);
    if (options.processMetrics ?? true) registerProcessMetrics(registry);
    this.healthChecks = new HealthCheckCounter(registry);
    registerBackendHealthGauge(registry, () => state.servers());
    registerRedisGauge(registry, () => state.redisConnected());
    new Gauge({
      name: METRIC.healthWorkerLeader,
      help: 'This health-worker holds the lease and probes: 1 yes, 0 standing by.',
      registers: [registry],
      collect() {
        this.set(state.leading() ? 1 : 0);
      },
    });
  }
}
