/**
 * Active health checks inside the gateway (single node, no Redis): a replica that stops answering
 * without dropping its connection (frozen with SIGSTOP) is found by the checker's pings and taken
 * out of rotation; thawed, it is put back. Passive health alone would never notice: the connection
 * stays open.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ConfigSchema } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { startHealthPool, waitFor, type HttpFixture, answeringLabels, thaw } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';

let pool: Awaited<ReturnType<typeof startHealthPool>>;
let replicas: HttpFixture[];
let gateway: RunningGateway;
let client: Client;

beforeAll(async () => {
  pool = await startHealthPool();
  replicas = pool.replicas;
  const parsed = ConfigSchema.parse(pool.config);
  gateway = await startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger);
  client = new Client({ name: 'health-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
}, 30_000);

afterAll(async () => {
  thaw((replicas ?? []).map((r) => r.pid));
  await client?.close();
  await gateway?.stop();
  await pool?.stop();
});

const health = (index: number) => gateway.registry.status()[0]!.replicas[index]!.health;

const labels = (count: number) => answeringLabels(client, 'pool__whoami', count);

describe('active health checks in the gateway', () => {
  it('marks every answering replica healthy', async () => {
    await waitFor('both replicas to be healthy', () => health(0) === 'healthy' && health(1) === 'healthy');
    expect(await labels(10)).toEqual(new Set(['a', 'b']));
  });

  it('takes a frozen replica out of rotation while its connection stays open, and puts it back when it answers again', async () => {
    process.kill(replicas[1]!.pid, 'SIGSTOP');
    await waitFor('replica b to be marked unhealthy', () => health(1) === 'unhealthy');
    expect(gateway.registry.status()[0]!.replicas[1]!.state).toBe('up');
    expect(await labels(10)).toEqual(new Set(['a']));

    process.kill(replicas[1]!.pid, 'SIGCONT');
    await waitFor('replica b to be healthy again', () => health(1) === 'healthy');
    await waitFor('replica b to get calls again', async () => (await labels(4)).has('b'));
  }, 30_000);
});
