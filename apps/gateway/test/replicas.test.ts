/**
 * Replicas through the whole gateway, as a client sees them: an SDK v1 client over HTTP, three
 * Streamable HTTP fixture replicas of one backend and a stdio fixture that crashes.
 * Round robin spreads calls evenly; killing a replica loses no later call; a restarted replica
 * gets traffic again; a crashed stdio process is restarted and a client is never blamed for it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ConfigSchema } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { fixtureServerCommand, startHttpFixture, waitFor, type HttpFixture, type WhoAmI } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';

let replicas: HttpFixture[];
let gateway: RunningGateway;
let client: Client;

beforeAll(async () => {
  replicas = await Promise.all(['a', 'b', 'c'].map((label) => startHttpFixture({ transport: 'http', label })));
  const parsed = ConfigSchema.parse({
    servers: [
      { id: 'pool', transport: 'http', urls: replicas.map((r) => r.url), connect_timeout: '2s' },
      {
        id: 'fragile',
        transport: 'stdio',
        ...fixtureServerCommand({ label: 'fragile' }),
        restart: { initial_delay: '100ms', max_delay: '500ms' },
      },
    ],
  });
  gateway = await startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger);
  // Start-up waits connect_timeout at most; on a loaded machine a replica may connect after it.
  await waitFor(
    'every replica up',
    () => gateway.registry.status().every((server) => server.replicas.every((r) => r.state === 'up')),
    15_000,
  );
  client = new Client({ name: 'replicas-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
}, 60_000);

afterAll(async () => {
  await client?.close();
  await gateway?.stop();
  await Promise.all((replicas ?? []).map((r) => r.stop()));
});

async function whoami(tool = 'pool__whoami'): Promise<WhoAmI> {
  const result = (await client.callTool({ name: tool, arguments: {} })) as {
    content: { text: string }[];
    isError?: boolean;
  };
  expect(result.isError).toBeFalsy();
  return JSON.parse(result.content[0]!.text) as WhoAmI;
}

async function labels(count: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const { label } = await whoami();
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return counts;
}

describe('replicas behind the gateway', () => {
  it('spreads calls evenly over three replicas with round robin', async () => {
    const counts = await labels(90);
    expect([...counts.keys()].sort()).toEqual(['a', 'b', 'c']);
    for (const n of counts.values()) expect(n).toBeGreaterThanOrEqual(27); // within 10% of 30
  });

  it('keeps answering when a replica dies, and sends it traffic again once it is back', async () => {
    await replicas[1]!.kill();
    const during = await labels(30);
    expect(during.has('b')).toBe(false);
    expect([...during.keys()].sort()).toEqual(['a', 'c']);

    await replicas[1]!.restart();
    await waitFor('replica b to get traffic again', async () => (await whoami()).label === 'b', 20_000);
  }, 40_000);

  it('restarts a crashed stdio backend; the call that crashed it is a backend error, not the client’s', async () => {
    const before = await whoami('fragile__whoami');
    const crashed = client.callTool({ name: 'fragile__crash', arguments: {} });
    await expect(crashed).rejects.toMatchObject({ code: -32013 });
    await waitFor(
      'a new fragile process',
      async () => {
        try {
          return (await whoami('fragile__whoami')).pid !== before.pid;
        } catch {
          return false;
        }
      },
      20_000,
    );
    const status = gateway.registry.status().find((s) => s.id === 'fragile')!;
    expect(status.replicas[0]!.restarts).toBeGreaterThanOrEqual(1);
  }, 40_000);
});
