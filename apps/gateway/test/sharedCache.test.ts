/**
 * The shared cache layer (issue 7/8): two gateway replicas on one real redis-server reuse each
 * other's cached results — a tool result computed by replica A's backend is served by replica B
 * from Redis, and counted as a Redis hit there.
 */
import { ConfigSchema } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { fixtureServerCommand, startRedis, type RedisHandle } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';

let redis: RedisHandle;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  redis = await startRedis();
  const parsed = ConfigSchema.parse({
    health: { enabled: false },
    servers: [{ id: 'fx', transport: 'stdio', ...fixtureServerCommand({ label: 'fx' }) }],
    redis: { url: redis.url, key_prefix: 'shared-cache-test:' },
    cache: { tools: [{ name: 'fx__whoami', ttl: '1m' }] },
  });
  for (let i = 0; i < 2; i++)
    gateways.push(await startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger));
}, 30_000);

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await redis?.stop();
});

async function whoami(gateway: RunningGateway): Promise<{ pid: number; calls: number }> {
  const res = await fetch(`${gateway.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'fx__whoami', arguments: {} },
    }),
  });
  const body = (await res.json()) as { result: { content: { text: string }[] } };
  return JSON.parse(body.result.content[0]!.text) as { pid: number; calls: number };
}

it('serves on replica B what replica A computed, from Redis', async () => {
  const [a, b] = gateways as [RunningGateway, RunningGateway];
  const computed = await whoami(a);
  const reused = await whoami(b);
  // The same answer, from A's backend process: B's own backend was never asked.
  expect(reused).toEqual(computed);
  const metrics = await (await fetch(`${b.url}/metrics`)).text();
  expect(metrics).toMatch(/^only1mcp_cache_requests_total\{layer="redis",outcome="hit"\} 1$/m);
  expect(metrics).toMatch(/^only1mcp_cache_requests_total\{layer="memory",outcome="miss"\} 1$/m);
});
