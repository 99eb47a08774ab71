/**
 * Replicas through the whole gateway, as a client sees them: an SDK v1 client over HTTP, three
 * Streamable HTTP fixture replicas of one backend, a stdio fixture that crashes and two stdio
 * replicas a session subscribes to resources of.
 * Round robin spreads calls evenly; killing a replica loses no later call; a restarted replica
 * gets traffic again; a crashed stdio process is restarted and a client is never blamed for it;
 * a resource subscription stays with the replica that took it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { ConfigSchema, type Config } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { fixtureServerCommand, startHttpFixture, waitFor, type HttpFixture, type WhoAmI } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';
import { untilStreamsOpen } from './support/sessionStreams';

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

describe('resource subscriptions with replicas', () => {
  const URI = 'fixture://info';
  // A gateway of its own: the fixture's resource URI is the same in every fixture server.
  let gateway: RunningGateway;
  /** The gateway's configuration: the fixture as `watched`, with `count` replicas. */
  function config(count: number): Config {
    const parsed = ConfigSchema.parse({
      servers: [
        {
          id: 'watched',
          transport: 'stdio',
          ...fixtureServerCommand({ label: 'watched' }),
          replicas: count,
          restart: { initial_delay: '100ms', max_delay: '500ms' },
        },
      ],
    });
    return { ...parsed, server: { ...parsed.server, port: 0 } };
  }
  const watched = () => gateway.registry.status().find((s) => s.id === 'watched')!;

  beforeAll(async () => {
    gateway = await startGateway(config(2), silentLogger);
    await waitFor('both replicas up', () => watched().replicas.every((r) => r.state === 'up'), 15_000);
  }, 30_000);

  afterAll(() => gateway?.stop());

  /** The URIs replica `replica` of `watched` is subscribed to, asked of that replica itself. */
  async function heldBy(replica: number): Promise<string[]> {
    const result = await gateway.registry.callTool(
      { name: 'watched__subscriptions', arguments: {} },
      { affinity: { replica } },
    );
    return (JSON.parse((result.content as { text: string }[])[0]!.text) as { subscribed: string[] }).subscribed;
  }

  /** The one replica holding the subscription (and that no other holds it). */
  async function holder(): Promise<number> {
    const held = await Promise.all(watched().replicas.map((_, i) => heldBy(i)));
    expect(held.flat()).toEqual([URI]);
    return held.findIndex((uris) => uris.length > 0);
  }

  it('releases a subscription on the replica that took it, renews it there after a restart, and moves it when that replica goes', async () => {
    const session = new Client({ name: 'replicas-subscriber', version: '1.0.0' });
    await session.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
    const heard: string[] = [];
    session.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void heard.push(n.params.uri));
    try {
      // Round robin sends the release to the other replica unless it is pinned to the one that took it.
      await session.subscribeResource({ uri: URI });
      await holder();
      await session.unsubscribeResource({ uri: URI });
      expect([await heldBy(0), await heldBy(1)]).toEqual([[], []]);

      // The holder restarts: it is asked again, and the other replica is not.
      await session.subscribeResource({ uri: URI });
      const owner = await holder();
      const restarts = watched().replicas[owner]!.restarts;
      await gateway.registry
        .callTool({ name: 'watched__crash', arguments: {} }, { affinity: { replica: owner } })
        .catch(() => undefined);
      const back = () => watched().replicas[owner]!;
      await waitFor('the replica to be back', () => back().restarts > restarts && back().state === 'up', 15_000);
      await waitFor('the subscription renewed', async () => (await heldBy(owner)).includes(URI));
      expect(await holder()).toBe(owner);
      await untilStreamsOpen(gateway.url, session);
      await gateway.registry.callTool(
        { name: 'watched__touch', arguments: { uri: URI } },
        { affinity: { replica: owner } },
      );
      await waitFor('the subscriber to hear the update', () => heard.length === 1);

      // A reload leaves one replica (index 0): a subscription held by replica 1 moves to it.
      if (owner === 0) {
        await session.unsubscribeResource({ uri: URI });
        await waitFor('a subscription taken by replica 1', async () => {
          await session.subscribeResource({ uri: URI });
          if ((await holder()) === 1) return true;
          await session.unsubscribeResource({ uri: URI });
          return false;
        });
      }
      await gateway.registry.reconfigure(config(1));
      await waitFor('the subscription moved to the remaining replica', async () => (await heldBy(0)).includes(URI));
      await gateway.registry.callTool({ name: 'watched__touch', arguments: { uri: URI } });
      await waitFor('the subscriber to hear the update', () => heard.length === 2);
      expect(heard).toEqual([URI, URI]);
    } finally {
      await session.close();
    }
  }, 60_000);
});
