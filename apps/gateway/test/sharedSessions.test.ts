/**
 * 2025-11-25 sessions that survive a replica (issue 4/8), with a real redis-server: a client
 * initializes on gateway A, A stops, and the client's next calls with the same session id succeed
 * on gateway B; DELETE ends the session for every replica.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ConfigSchema, type Config } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { fixtureServerCommand, startRedis, waitFor, type RedisHandle } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';

let redis: RedisHandle;
let config: Config;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  redis = await startRedis();
  const parsed = ConfigSchema.parse({
    servers: [{ id: 'fx', transport: 'stdio', ...fixtureServerCommand({ label: 'sessions' }) }],
    health: { enabled: false },
    redis: { url: redis.url, key_prefix: 'sessions-test:' },
  });
  config = { ...parsed, server: { ...parsed.server, port: 0 } };
}, 30_000);

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await redis?.stop();
});

async function gateway(): Promise<RunningGateway> {
  const started = await startGateway(config, silentLogger);
  gateways.push(started);
  return started;
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
});
