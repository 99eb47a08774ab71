/**
 * @only1mcp/metrics: Prometheus metrics for the gateway and the health-worker, every name defined
 * once. Any new export here is public API.
 */
export { BREAKER_STATE_VALUE, METRIC, PROCESS_METRICS_PREFIX, REQUEST_DURATION_BUCKETS } from './metricNames';
export { GatewayMetrics } from './gatewayMetrics';
export type { Exposition } from './exposition';
export type { CacheLayer, GatewayMetricsOptions, MetricsStateSource, PoolSizes, RequestStatus } from './gatewayMetrics';
export { WorkerMetrics } from './workerMetrics';
export type { WorkerStateSource } from './workerMetrics';
export { HealthCheckCounter } from './sharedMetrics';
export type { ServerHealth } from './sharedMetrics';
export { Registry as MetricsRegistry } from 'prom-client';
