/**
 * Every metric name Only1MCP exports, defined once. Dashboards, alerts, docs and tests refer to
 * these names; renaming one is a breaking change for operators.
 */
export const METRIC = {
  requestsTotal: 'only1mcp_requests_total',
  requestDuration: 'only1mcp_request_duration_seconds',
  sessionsActive: 'only1mcp_sessions_active',
  listenStreams: 'only1mcp_listen_streams',
  backendHealthStatus: 'only1mcp_backend_health_status',
  backendRequestsTotal: 'only1mcp_backend_requests_total',
  circuitBreakerState: 'only1mcp_circuit_breaker_state',
  redisConnected: 'only1mcp_redis_connected',
  backendLatency: 'only1mcp_backend_latency_seconds',
  connectionPoolSize: 'only1mcp_connection_pool_size',
  rateLimitExceeded: 'only1mcp_rate_limit_exceeded_total',
  contextTokensSaved: 'only1mcp_context_tokens_saved_total',
  cacheHitRatio: 'only1mcp_cache_hit_ratio',
  cacheRequestsTotal: 'only1mcp_cache_requests_total',
  configReloadsTotal: 'only1mcp_config_reloads_total',
  configLastReloadSuccess: 'only1mcp_config_last_reload_successful',
  healthChecksTotal: 'only1mcp_health_checks_total',
  healthWorkerLeader: 'only1mcp_health_worker_leader',
} as const;

/** Buckets of `only1mcp_request_duration_seconds`, in seconds (fixed by the issue that defines it). */
export const REQUEST_DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

/** Prefix of the Node.js process metrics (`only1mcp_process_cpu_seconds_total`...). */
export const PROCESS_METRICS_PREFIX = 'only1mcp_';

/** Circuit-breaker states as the gauge reports them. */
export const BREAKER_STATE_VALUE = { closed: 0, open: 1, 'half-open': 2 } as const;
