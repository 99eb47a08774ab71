import { GatewayMetrics, METRIC, MetricsRegistry } from './index';

function build(
  state = {
    sessions: () => ({ streamable_http: 2 }),
    servers: () => [
      { id: 'files', healthy: true, breaker: 'closed' as const },
      { id: 'git', healthy: false, breaker: 'open' as const },
    ],
  },
) {
  return new GatewayMetrics({ registry: new MetricsRegistry(), state, processMetrics: false });
}

describe('GatewayMetrics', () => {
  it('counts requests by method and status and times them in the fixed buckets', async () => {
    const metrics = build();
    metrics.observeRequest('tools/call', 'ok', 0.003);
    metrics.observeRequest('tools/call', 'BackendTimeout', 2);
    const { body } = await metrics.exposition();
    expect(body).toContain(`${METRIC.requestsTotal}{method="tools/call",status="ok"} 1`);
    expect(body).toContain(`${METRIC.requestsTotal}{method="tools/call",status="BackendTimeout"} 1`);
    expect(body).toContain(`${METRIC.requestDuration}_bucket{le="0.005",method="tools/call"} 1`);
    expect(body).toContain(`${METRIC.requestDuration}_bucket{le="2.5",method="tools/call"} 2`);
  });

  it('reads sessions, backend health and breaker state at scrape time', async () => {
    const metrics = build();
    const { body, contentType } = await metrics.exposition();
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toContain(`${METRIC.sessionsActive}{transport="streamable_http"} 2`);
    expect(body).toContain(`${METRIC.backendHealthStatus}{server_id="files"} 1`);
    expect(body).toContain(`${METRIC.backendHealthStatus}{server_id="git"} 0`);
    expect(body).toContain(`${METRIC.circuitBreakerState}{server_id="git"} 1`);
  });

  it('counts backend requests by outcome', async () => {
    const metrics = build();
    metrics.observeBackendRequest('files', true);
    metrics.observeBackendRequest('files', false);
    const { body } = await metrics.exposition();
    expect(body).toContain(`${METRIC.backendRequestsTotal}{server_id="files",outcome="ok"} 1`);
    expect(body).toContain(`${METRIC.backendRequestsTotal}{server_id="files",outcome="error"} 1`);
  });

  it('exports process metrics under the only1mcp_ prefix when asked', async () => {
    const metrics = new GatewayMetrics({
      registry: new MetricsRegistry(),
      state: { sessions: () => ({}), servers: () => [] },
    });
    expect((await metrics.exposition()).body).toContain('only1mcp_process_cpu_seconds_total');
  });

  it('reports Redis connectivity only when Redis is configured', async () => {
    const withRedis = new GatewayMetrics({
      registry: new MetricsRegistry(),
      state: { sessions: () => ({}), servers: () => [], redisConnected: () => false },
      processMetrics: false,
    });
    expect((await withRedis.exposition()).body).toContain(`${METRIC.redisConnected} 0`);
    expect((await build().exposition()).body).not.toMatch(new RegExp(`^${METRIC.redisConnected} `, 'm'));
  });
});
