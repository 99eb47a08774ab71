/**
 * 2025-11-25 sessions that survive a replica (issue 4/8), with a real redis-server: a client
 * initializes on gateway A, A stops, and the client's next calls with the same session id succeed
 * on gateway B; DELETE ends the session for every replica. Behind a load balancer that spreads one
 * session's requests over replicas, messages for the client reach the replica holding its GET
 * stream, and its answers reach the replica that asked.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ConfigSchema, type Config } from '@only1mcp/config';
import { createRedisClient, type RedisClient } from '@only1mcp/health';
import { silentLogger } from '@only1mcp/registry';
import {
  FIXTURE_RESOURCE_URI,
  fixtureServerCommand,
  startRedis,
  waitFor,
  type RedisHandle,
} from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';

let redis: RedisHandle;
let config: Config;
let observer: RedisClient;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  redis = await startRedis();
  observer = createRedisClient(redis.url, silentLogger);
  const parsed = ConfigSchema.parse({
    servers: [
      { id: 'fx', transport: 'stdio', ...fixtureServerCommand({ label: 'sessions' }) },
      {
        id: 'asker',
        transport: 'stdio',
        ...fixtureServerCommand({ label: 'asker' }),
        connection: { mode: 'per_session' },
      },
    ],
    health: { enabled: false },
    redis: { url: redis.url, key_prefix: 'sessions-test:' },
  });
  config = { ...parsed, server: { ...parsed.server, port: 0 } };
}, 30_000);

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await observer?.close();
  await redis?.stop();
});

async function gateway(): Promise<RunningGateway> {
  const started = await startGateway(config, silentLogger);
  gateways.push(started);
  return started;
}

/** True once some replica listens for the session's messages: it holds the client's GET stream. */
async function streamHeld(session: string): Promise<boolean> {
  const [, listeners] = (await observer.redis.pubsub('NUMSUB', `sessions-test:session-outbox:${session}`)) as [
    string,
    number,
  ];
  return Number(listeners) > 0;
}

/** One JSON-RPC request on a session, as a client would send it to whichever replica it reaches. */
async function call(url: string, session: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': session,
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

describe('sessions shared through Redis', () => {
  it('lets a client continue its session on another replica after its own stops, until it ends it', async () => {
    const a = await gateway();
    const b = await gateway();
    const client = new Client({ name: 'mover', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${a.url}/mcp`));
    await client.connect(transport);
    const session = transport.sessionId!;
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await a.stop();

    const echoed = await call(b.url, session, {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'fx__echo', arguments: { message: 'moved' } },
    });
    expect(echoed.status).toBe(200);
    expect(echoed.text).toContain('moved');
    expect((await call(b.url, session, { jsonrpc: '2.0', id: 2, method: 'tools/list' })).text).toContain('fx__echo');

    // DELETE ends it everywhere: B forgets it, and a new replica will not adopt it.
    const ended = await fetch(`${b.url}/mcp`, {
      method: 'DELETE',
      headers: { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' },
    });
    expect(ended.status).toBe(200);
    expect((await call(b.url, session, { jsonrpc: '2.0', id: 3, method: 'tools/list' })).status).toBe(404);
    const c = await gateway();
    expect((await call(c.url, session, { jsonrpc: '2.0', id: 4, method: 'tools/list' })).status).toBe(404);
    await client.close().catch(() => undefined);
  }, 60_000);

  it('ends a session on every replica that holds it when the client ends it on one', async () => {
    const a = await gateway();
    const b = await gateway();
    const client = new Client({ name: 'ender', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${a.url}/mcp`));
    await client.connect(transport);
    const session = transport.sessionId!;
    // B adopts it too: now both replicas hold the session.
    expect((await call(b.url, session, { jsonrpc: '2.0', id: 1, method: 'tools/list' })).status).toBe(200);
    const ended = await fetch(`${b.url}/mcp`, {
      method: 'DELETE',
      headers: { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' },
    });
    expect(ended.status).toBe(200);
    await waitFor(
      'A to drop the session',
      async () => (await call(a.url, session, { jsonrpc: '2.0', id: 2, method: 'tools/list' })).status === 404,
    );
    await client.close().catch(() => undefined);
  }, 60_000);

  it('answers 404 for a session id no replica ever opened', async () => {
    const d = await gateway();
    expect((await call(d.url, 'never-opened', { jsonrpc: '2.0', id: 1, method: 'tools/list' })).status).toBe(404);
  });

  it('delivers across replicas: updates to the stream on A, the client’s answers to the replica that asked', async () => {
    const a = await gateway();
    const b = await gateway();
    // A load balancer that spreads the session: its GET stream and its answers go to A, its requests to B.
    const spread = (input: string | URL | Request, init?: RequestInit) => {
      const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { method?: string }) : undefined;
      const toA = init?.method === 'GET' || (body !== undefined && body.method === undefined);
      const target = new URL(String(input instanceof Request ? input.url : input));
      const replica = new URL(toA ? a.url : b.url);
      target.host = replica.host;
      return fetch(target, init);
    };
    const updates: string[] = [];
    const client = new Client({ name: 'spread', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { answer: 'from A' } }));
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    const transport = new StreamableHTTPClientTransport(new URL(`${b.url}/mcp`), { fetch: spread });
    await client.connect(transport);
    await waitFor('A to hold the GET stream', () => streamHeld(transport.sessionId!));

    // B holds the subscription; the backend's update reaches the client on A's stream.
    await client.subscribeResource({ uri: FIXTURE_RESOURCE_URI });
    await client.callTool({ name: 'fx__touch', arguments: { uri: FIXTURE_RESOURCE_URI } });
    await waitFor('the update to arrive through A', () => updates.includes(FIXTURE_RESOURCE_URI));
    expect(updates).toEqual([FIXTURE_RESOURCE_URI]);

    // The backend on B asks the client; the client's answer goes to A, which hands it to B.
    const elicited = await client.callTool({ name: 'asker__elicit', arguments: { question: 'where?' } });
    expect((elicited as { content: { text: string }[] }).content[0]!.text).toBe('elicited: accept from A');
    await client.close().catch(() => undefined);
  }, 60_000);

  it('restores the client’s log level and subscriptions on a replica that adopts the session', async () => {
    const a = await gateway();
    const logs: string[] = [];
    const updates: string[] = [];
    const client = new Client({ name: 'restored', version: '1.0.0' });
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(String(n.params.data)));
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    let target = a.url;
    const follow = (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      url.host = new URL(target).host;
      return fetch(url, init);
    };
    const transport = new StreamableHTTPClientTransport(new URL(`${a.url}/mcp`), { fetch: follow });
    await client.connect(transport);
    await client.setLoggingLevel('error');
    await client.subscribeResource({ uri: FIXTURE_RESOURCE_URI });
    await a.stop();

    // The client's next requests (and its GET stream, reopened) reach B.
    const b = await gateway();
    target = b.url;
    const log = (level: string, message: string) =>
      client.callTool({ name: 'asker__log', arguments: { level, message } });
    await log('info', 'below the level');
    await log('error', 'at the level');
    expect(logs).toEqual(['at the level']);
    await waitFor('B to hold the GET stream', () => streamHeld(transport.sessionId!));
    await client.callTool({ name: 'fx__touch', arguments: { uri: FIXTURE_RESOURCE_URI } });
    await waitFor('the update on the subscription B took over', () => updates.includes(FIXTURE_RESOURCE_URI));
    await client.close().catch(() => undefined);
  }, 60_000);
});
