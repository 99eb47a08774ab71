import { GatewayMetrics, METRIC, MetricsRegistry } from './index';

function build(
  state = {
    sessions: () => ({ streamable_http: 2 }),
    listenStreams: () => 3,
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

  it('reads sessions, listen streams, backend health and breaker state at scrape time', async () => {
    const metrics = build();
    const { body, contentType } = await metrics.exposition();
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toContain(`${METRIC.sessionsActive}{transport="streamable_http"} 2`);
    expect(body).toContain(`${METRIC.listenStreams} 3`);
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
      state: { sessions: () => ({}), listenStreams: () => 0, servers: () => [] },
    });
    expect((await metrics.exposition()).body).toContain('only1mcp_process_cpu_seconds_total');
  });

  it('reports Redis connectivity only when Redis is configured', async () => {
    const withRedis = new GatewayMetrics({
      registry: new MetricsRegistry(),
      state: { sessions: () => ({}), listenStreams: () => 0, servers: () => [], redisConnected: () => false },
      processMetrics: false,
    });
    expect((await withRedis.exposition()).body).toContain(`${METRIC.redisConnected} 0`);
    expect((await build().exposition()).body).not.toMatch(new RegExp(`^${METRIC.redisConnected} `, 'm'));
  });

  it('counts rate-limit refusals by client, tokens saved, and cache lookups with their hit ratio', async () => {
    const metrics = build();
    expect((await metrics.exposition()).body).toMatch(new RegExp(`^${METRIC.cacheHitRatio} 0$`, 'm'));
    metrics.observeRateLimited('ci-bot');
    metrics.addTokensSaved(1200);
    metrics.addTokensSaved(-5);
    metrics.observeCache('memory', true);
    metrics.observeCache('memory', true);
    metrics.observeCache('redis', true);
    metrics.observeCache('redis', false);
    const { body } = await metrics.exposition();
    expect(body).toContain(`${METRIC.rateLimitExceeded}{client_id="ci-bot"} 1`);
    expect(body).toMatch(new RegExp(`^${METRIC.contextTokensSaved} 1200$`, 'm'));
    expect(body).toContain(`${METRIC.cacheRequestsTotal}{layer="memory",outcome="hit"} 2`);
    expect(body).toContain(`${METRIC.cacheRequestsTotal}{layer="redis",outcome="miss"} 1`);
    expect(body).toMatch(new RegExp(`^${METRIC.cacheHitRatio} 0.75$`, 'm'));
  });

  it('reports connection pools by state and backend latency', async () => {
    const metrics = new GatewayMetrics({
      registry: new MetricsRegistry(),
      state: {
        sessions: () => ({}),
        listenStreams: () => 0,
        servers: () => [{ id: 'files', healthy: true, breaker: 'closed', pool: { active: 2, idle: 1, pending: 0 } }],
      },
      processMetrics: false,
    });
    metrics.observeBackendRequest('files', true, 0.02);
    const { body } = await metrics.exposition();
    expect(body).toContain(`${METRIC.connectionPoolSize}{server_id="files",state="active"} 2`);
    expect(body).toContain(`${METRIC.connectionPoolSize}{server_id="files",state="idle"} 1`);
    expect(body).toContain(`${METRIC.connectionPoolSize}{server_id="files",state="pending"} 0`);
    expect(body).toContain(`${METRIC.backendLatency}_bucket{le="0.025",server_id="files"} 1`);
  });

  it("reads the servers' state once a scrape for all three gauges, and afresh at the next", async () => {
    let readings = 0;
    let breaker: 'closed' | 'open' = 'closed';
    const metrics = new GatewayMetrics({
      registry: new MetricsRegistry(),
      state: {
        sessions: () => ({}),
        listenStreams: () => 0,
        servers: () => {
          readings += 1;
          return [{ id: 'files', healthy: breaker === 'closed', breaker, pool: { active: 0, idle: 1, pending: 0 } }];
        },
      },
      processMetrics: false,
    });
    const first = (await metrics.exposition()).body;
    expect(readings).toBe(1);
    expect(first).toContain(`${METRIC.backendHealthStatus}{server_id="files"} 1`);
    expect(first).toContain(`${METRIC.circuitBreakerState}{server_id="files"} 0`);
    breaker = 'open';
    const second = (await metrics.exposition()).body;
    expect(readings).toBe(2);
    expect(second).toContain(`${METRIC.backendHealthStatus}{server_id="files"} 0`);
    expect(second).toContain(`${METRIC.circuitBreakerState}{server_id="files"} 1`);
    expect(second).toContain(`${METRIC.connectionPoolSize}{server_id="files",state="idle"} 1`);
  });

  it('exports the servers the state holds at each scrape, and no longer one that went', async () => {
    let ids = ['files', 'git'];
    const metrics = new GatewayMetrics({
      registry: new MetricsRegistry(),
      state: {
        sessions: () => ({}),
        listenStreams: () => 0,
        servers: () =>
          ids.map((id) => ({
            id,
            healthy: true,
            breaker: 'closed' as const,
            pool: { active: 0, idle: 1, pending: 0 },
          })),
      },
      processMetrics: false,
    });
    const first = (await metrics.exposition()).body;
    for (const metric of [METRIC.backendHealthStatus, METRIC.circuitBreakerState])
      expect(first).toContain(`${metric}{server_id="git"}`);
    expect(first).toContain(`${METRIC.connectionPoolSize}{server_id="git",state="idle"} 1`);
    ids = ['files'];
    const second = (await metrics.exposition()).body;
    expect(second).not.toContain('server_id="git"');
    expect(second).toContain(`${METRIC.backendHealthStatus}{server_id="files"} 1`);
    // The help and type lines stay whatever the series (a scrape with none still declares them).
    ids = [];
    const third = (await metrics.exposition()).body;
    expect(third).toContain(`# TYPE ${METRIC.connectionPoolSize} gauge`);
    expect(third).not.toContain('server_id=');
  });

  it('records reloads and whether the last one succeeded', async () => {
    const metrics = build();
    metrics.observeReload(false);
    const { body } = await metrics.exposition();
    expect(body).toContain(`${METRIC.configReloadsTotal}{outcome="failure"} 1`);
    expect(body).toMatch(new RegExp(`^${METRIC.configLastReloadSuccess} 0$`, 'm'));
  });
});
