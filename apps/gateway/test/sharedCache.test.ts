/**
 * The shared cache layer (issue 7/8): two gateway replicas on one real redis-server reuse each
 * other's cached results — a tool result computed by replica A's backend is served by replica B
 * from Redis, and counted as a Redis hit there.
 */
import { ConfigSchema } from '@only1mcp/config';
import { METRIC } from '@only1mcp/metrics';
import { silentLogger } from '@only1mcp/registry';
import { fixtureServerCommand, startRedis, waitFor, type RedisHandle } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';
import { sampleValue, scrape } from './support/metrics';

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

async function whoami(gateway: RunningGateway, round: number): Promise<{ pid: number; calls: number }> {
  const res = await fetch(`${gateway.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'fx__whoami', arguments: { round } },
    }),
  });
  const body = (await res.json()) as { result: { content: { text: string }[] } };
  return JSON.parse(body.result.content[0]!.text) as { pid: number; calls: number };
}

/** `gateway`'s cache lookups so far: memory misses and Redis hits. */
async function lookups(gateway: RunningGateway): Promise<[memoryMisses: number, redisHits: number]> {
  const body = await scrape(gateway.url);
  const count = (layer: string, outcome: string) =>
    sampleValue(body, `${METRIC.cacheRequestsTotal}{layer="${layer}",outcome="${outcome}"}`) ?? 0;
  return [count('memory', 'miss'), count('redis', 'hit')];
}

it('serves on replica B what replica A computed, from Redis', async () => {
  const [a, b] = gateways as [RunningGateway, RunningGateway];
  // Each round asks with arguments of its own: an entry of its own. A gateway waits 50 ms for a
  // Redis command, and on a loaded machine a first command may take longer (a quick miss then,
  // and Redis skipped a moment): such a round is asked again with a new entry.
  let round = 0;
  await waitFor('B to serve from Redis what A computed', async () => {
    round += 1;
    const computed = await whoami(a, round);
    const before = await lookups(b);
    const reused = await whoami(b, round);
    const after = await lookups(b);
    // The same answer, from A's backend process: B's own backend was never asked.
    if (reused.pid !== computed.pid || reused.calls !== computed.calls) return false;
    // One lookup on B: a miss in its memory, then a hit in Redis.
    expect([after[0] - before[0], after[1] - before[1]]).toEqual([1, 1]);
    return true;
  });
});
