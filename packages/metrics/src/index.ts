/**
 * @only1mcp/metrics: Prometheus metrics for the gateway and the health-worker, every name defined
 * once. Any new export here is public API.
 */
export { BREAKER_STATE_VALUE, METRIC, PROCESS_METRICS_PREFIX, REQUEST_DURATION_BUCKETS } from './metricNames';
export { GatewayMetrics } from './gatewayMetrics';
export type { GatewayMetricsOptions, MetricsStateSource, RequestStatus } from './gatewayMetrics';
export { Registry as MetricsRegistry } from 'prom-client';
