/**
 * Health shared through Redis (issue 4/8), with real parts: a redis-server on a free port, two
 * Streamable HTTP fixture replicas, the health-worker and a gateway. A replica frozen with SIGSTOP
 * (its connection stays open) is found by the worker, and the gateway stops routing to it; the
 * worker gone, the gateway's own checks take over; Redis gone, the gateway keeps answering, and
 * reconnects when Redis is back. It runs both apps in one process, so it lives with the cluster's
 * tests: neither app depends on the other.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ConfigSchema, type Config } from '@only1mcp/config';
import { startGateway, type RunningGateway } from '@only1mcp/gateway';
import { silentLogger } from '@only1mcp/health';
import { startHealthWorker, type RunningHealthWorker } from '@only1mcp/health-worker';
import {
  startHealthPool,
  startRedis,
  waitFor,
  type HttpFixture,
  type RedisHandle,
  answeringLabels,
  thaw,
} from '@only1mcp/test-utils';

let redis: RedisHandle;
let pool: Awaited<ReturnType<typeof startHealthPool>>;
let replicas: HttpFixture[];
let worker: RunningHealthWorker | undefined;
let gateway: RunningGateway;
let second: RunningGateway;
let client: Client;
let config: Config;

beforeAll(async () => {
  redis = await startRedis();
  pool = await startHealthPool();
  replicas = pool.replicas;
  config = ConfigSchema.parse({ ...pool.config, redis: { url: redis.url, key_prefix: 'test:' } });
  worker = await startHealthWorker(config, silentLogger, { metrics: { host: '127.0.0.1', port: 0 } });
  await waitFor('the worker to hold the lease', () => worker!.probing);
  gateway = await startGateway({ ...config, server: { ...config.server, port: 0 } }, silentLogger);
  // A second gateway replica on the same Redis: both must see the same health.
  second = await startGateway({ ...config, server: { ...config.server, port: 0 } }, silentLogger);
  client = new Client({ name: 'shared-health', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
}, 30_000);

afterAll(async () => {
  thaw((replicas ?? []).map((r) => r.pid));
  await client?.close();
  await gateway?.stop();
  await second?.stop();
  await worker?.stop();
  await pool?.stop();
  await redis?.stop();
});

const health = (index: number) => gateway.registry.status()[0]!.replicas[index]!.health;
const healthOnSecond = (index: number) => second.registry.status()[0]!.replicas[index]!.health;
const shared = async () =>
  ((await (await fetch(`${gateway.url}/health`)).json()) as { shared: Record<string, string> }).shared;
const metrics = async () => (await fetch(`${gateway.url}/metrics`)).text();

const labels = (count: number) => answeringLabels(client, 'pool__whoami', count);

async function freezeUntilUnhealthyThenThaw(): Promise<void> {
  process.kill(replicas[1]!.pid, 'SIGSTOP');
  await waitFor(
    'replica b to be marked unhealthy on both gateways',
    () => health(1) === 'unhealthy' && healthOnSecond(1) === 'unhealthy',
  );
  expect(await labels(6)).toEqual(new Set(['a']));
  process.kill(replicas[1]!.pid, 'SIGCONT');
  await waitFor(
    'replica b to be healthy again on both gateways',
    () => health(1) === 'healthy' && healthOnSecond(1) === 'healthy',
  );
}

describe('health shared through Redis', () => {
  it('applies the worker’s results: a frozen replica leaves rotation and comes back', async () => {
    await waitFor('both replicas healthy', () => health(0) === 'healthy' && health(1) === 'healthy');
    // Right after start the gateway may check by itself until the worker's first round is in.
    await waitFor('the gateway to follow the worker', async () => (await shared()).health_source === 'health-worker');
    expect(await shared()).toEqual({ redis: 'connected', health_source: 'health-worker' });
    expect(await metrics()).toMatch(/^only1mcp_redis_connected 1$/m);
    await freezeUntilUnhealthyThenThaw();
    // The worker's own /metrics: it leads, it probed (and saw failures while b was frozen), Redis answers.
    const own = await (await fetch(worker!.metricsUrl!)).text();
    expect(own).toMatch(/^only1mcp_health_worker_leader 1$/m);
    expect(own).toMatch(/^only1mcp_health_checks_total\{server_id="pool",outcome="ok"\} [1-9]/m);
    expect(own).toMatch(/^only1mcp_health_checks_total\{server_id="pool",outcome="failed"\} [1-9]/m);
    expect(own).toMatch(/^only1mcp_backend_health_status\{server_id="pool"\} 1$/m);
    expect(own).toMatch(/^only1mcp_redis_connected 1$/m);
    expect(own).toContain('only1mcp_process_resident_memory_bytes');
  }, 30_000);

  it('runs its own checks once the worker is gone and its records have expired', async () => {
    await worker!.stop();
    worker = undefined;
    await waitFor(
      'the gateway to fall back to its own checks',
      async () => (await shared()).health_source === 'own checks',
    );
    await freezeUntilUnhealthyThenThaw();
  }, 30_000);

  it('keeps answering while Redis is down, and reconnects by itself when it is back', async () => {
    await redis.stop();
    expect((await labels(4)).size).toBeGreaterThan(0);
    await waitFor('the outage to show in /health', async () => (await shared()).redis === 'unreachable');
    expect(await metrics()).toMatch(/^only1mcp_redis_connected 0$/m);

    redis = await startRedis({ port: redis.port });
    await waitFor('both gateways to reconnect', async () => {
      const both = await Promise.all(
        [gateway, second].map(async (g) =>
          (await (await fetch(`${g.url}/metrics`)).text()).includes('only1mcp_redis_connected 1'),
        ),
      );
      return both.every(Boolean);
    });
    expect((await shared()).redis).toBe('connected');
    // A worker started now is followed again: the gateways' subscriptions came back with the connection.
    worker = await startHealthWorker(config, silentLogger);
    await waitFor(
      'the gateway to follow the worker again',
      async () => (await shared()).health_source === 'health-worker',
    );
    await freezeUntilUnhealthyThenThaw();
  }, 60_000);
});
