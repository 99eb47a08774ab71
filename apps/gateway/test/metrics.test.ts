/**
 * Every gateway metric fed by real events (issue 5/8): a real SDK client drives calls, errors,
 * sessions, a slow call (an active connection), a backend that hangs until its breaker opens, a
 * reload, and the gateway's own health checks; each metric is then read back from `/metrics`.
 * (Rate limits, the cache and context optimization feed theirs in issues 6/8 and 7/8; their
 * methods are covered by packages/metrics' unit tests until then.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadConfig } from '@only1mcp/config';
import { METRIC } from '@only1mcp/metrics';
import { silentLogger } from '@only1mcp/registry';
import { fixtureServerCommand, onFreePort, waitFor } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';
import { sampleValue, scrape as scrapeMetrics } from './support/metrics';

let dir: string;
let gateway: RunningGateway;
let client: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'only1mcp-metrics-'));
  const file = join(dir, 'only1mcp.yaml');
  gateway = await onFreePort((port) => {
    writeFileSync(
      file,
      JSON.stringify({
        server: { port },
        health: { interval: '200ms', timeout: '500ms' },
        servers: [
          { id: 'fx', transport: 'stdio', ...fixtureServerCommand({ label: 'fx' }) },
          {
            id: 'stuck',
            transport: 'stdio',
            ...fixtureServerCommand({ label: 'stuck' }),
            request_timeout: '150ms',
            health: { enabled: false },
            circuit_breaker: { volume_threshold: 2, error_threshold_percentage: 50, reset_timeout: '60s' },
          },
        ],
      }),
    );
    return startGateway(loadConfig({ path: file }).config, silentLogger, { configFile: file });
  });
  // `stuck`'s lists are read under its 150 ms request_timeout, which a fixture still starting on a
  // loaded machine may miss once (they are read again then).
  await waitFor('stuck listed', () => gateway.registry.catalog.tools.some((t) => t.name === 'stuck__hang'), 10_000);
  client = new Client({ name: 'metrics', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
}, 30_000);

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const scrape = () => scrapeMetrics(gateway.url);

describe('gateway metrics, each fed by real events', () => {
  it('counts and times requests by method and outcome, and backend requests with their latency', async () => {
    await client.callTool({ name: 'fx__echo', arguments: { message: 'hi' } });
    await expect(client.callTool({ name: 'fx__nope', arguments: {} })).rejects.toThrow(/Unknown tool/);
    const body = await scrape();
    expect(sampleValue(body, `${METRIC.requestsTotal}{method="tools/call",status="ok"}`)).toBeGreaterThanOrEqual(1);
    expect(sampleValue(body, `${METRIC.requestsTotal}{method="tools/call",status="InvalidParams"}`)).toBe(1);
    expect(sampleValue(body, `${METRIC.requestDuration}_count{method="tools/call"}`)).toBeGreaterThanOrEqual(2);
    expect(sampleValue(body, `${METRIC.backendRequestsTotal}{server_id="fx",outcome="ok"}`)).toBeGreaterThanOrEqual(1);
    expect(sampleValue(body, `${METRIC.backendLatency}_count{server_id="fx"}`)).toBeGreaterThanOrEqual(1);
    expect(sampleValue(body, `${METRIC.backendLatency}_bucket{le="5",server_id="fx"}`)).toBeGreaterThanOrEqual(1);
  });

  it('reports sessions, health, the gateway’s own health checks and connection pools', async () => {
    await waitFor('a health check round', async () =>
      Boolean(sampleValue(await scrape(), `${METRIC.healthChecksTotal}{server_id="fx",outcome="ok"}`)),
    );
    // A call in flight makes the connection active; idle again afterwards.
    const slow = client.callTool({ name: 'fx__slow', arguments: { ms: 800 } });
    await waitFor(
      'the pool to show an active connection',
      async () => sampleValue(await scrape(), `${METRIC.connectionPoolSize}{server_id="fx",state="active"}`) === 1,
    );
    await slow;
    const body = await scrape();
    expect(sampleValue(body, `${METRIC.connectionPoolSize}{server_id="fx",state="idle"}`)).toBe(1);
    expect(sampleValue(body, `${METRIC.connectionPoolSize}{server_id="fx",state="pending"}`)).toBe(0);
    expect(sampleValue(body, `${METRIC.sessionsActive}{transport="streamable_http"}`)).toBe(1);
    expect(sampleValue(body, `${METRIC.backendHealthStatus}{server_id="fx"}`)).toBe(1);
    expect(sampleValue(body, `${METRIC.circuitBreakerState}{server_id="fx"}`)).toBe(0);
    expect(body).toContain('only1mcp_process_resident_memory_bytes');
  }, 20_000);

  it('shows a breaker that opened on a backend that stopped answering, and its errors', async () => {
    for (let i = 0; i < 8; i++) {
      await client.callTool({ name: 'stuck__hang', arguments: {} }).catch(() => undefined);
      if (gateway.registry.status()[1]!.replicas[0]!.breaker === 'open') break;
    }
    const body = await scrape();
    expect(sampleValue(body, `${METRIC.circuitBreakerState}{server_id="stuck"}`)).toBe(1);
    expect(
      sampleValue(body, `${METRIC.backendRequestsTotal}{server_id="stuck",outcome="error"}`),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sampleValue(body, `${METRIC.requestsTotal}{method="tools/call",status="BackendTimeout"}`),
    ).toBeGreaterThanOrEqual(1);
  }, 20_000);

  it('counts configuration reloads by outcome', async () => {
    await gateway.reload!('admin');
    const body = await scrape();
    expect(sampleValue(body, `${METRIC.configReloadsTotal}{outcome="success"}`)).toBe(1);
    expect(sampleValue(body, METRIC.configLastReloadSuccess)).toBe(1);
  });

  it('keeps label values bounded: an unknown tool name never becomes a label', async () => {
    await client.callTool({ name: 'fx__made-up-name-123', arguments: {} }).catch(() => undefined);
    expect(await scrape()).not.toContain('made-up-name-123');
  });
});
