/**
 * The two fronts besides /mcp, end to end with real processes: the 2024-11-05 HTTP+SSE front
 * (`GET /sse` + `POST /messages`) and the stdio front (the built `only1mcp stdio` bin), each
 * driven by the SDK v1 and the SDK v2 client, in front of the reference server over stdio.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ClientV2, SSEClientTransport as SseTransportV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioTransportV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport as SseTransportV1 } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport as StdioTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ConfigSchema } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { stringify as toYaml } from 'yaml';
import { PROCFS, appBin, markedProcesses, rawPost } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';
import { expectResourcesAndPrompts, type AnyClient } from './support/everythingChecks';

const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const BIN = appBin('@only1mcp/gateway');

/** Tools, resources and prompts through the gateway, the same for every front and client. */
async function exercise(client: AnyClient & { listTools(): Promise<{ tools: { name: string }[] }> }): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.length).toBeGreaterThan(0);
  for (const tool of tools) expect(tool.name).toMatch(/^everything__/);
  expect(await client.callTool({ name: 'everything__echo', arguments: { message: 'front' } })).toMatchObject({
    content: [{ type: 'text', text: 'Echo: front' }],
  });

  await expectResourcesAndPrompts(client);
}

const backend = (env: Record<string, string> = {}) => ({
  id: 'everything',
  transport: 'stdio',
  command: process.execPath,
  args: [everything, 'stdio'],
  env,
});

describe('legacy HTTP+SSE front (2024-11-05)', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    const parsed = ConfigSchema.parse({ server: { max_body_size: '64KB' }, servers: [backend()] });
    // Port 0 (a free port) is not valid in a file; tests set it after validation.
    gateway = await startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger);
  }, 30_000);

  afterAll(() => gateway.stop());

  /** Opens GET /sse by hand and resolves with the path the `endpoint` event names; the stream stays open until `close()`. */
  function openStream(
    headers: Record<string, string> = {},
  ): Promise<{ status?: number; endpoint?: string; response?: IncomingMessage; close(): void }> {
    return new Promise((resolve, reject) => {
      const req = request(`${gateway.url}/sse`, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        const close = () => req.destroy();
        if (res.statusCode !== 200) {
          res.resume();
          return resolve({ status: res.statusCode, close });
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          const match = /event: endpoint\ndata: (.+)\n/.exec(text);
          if (match) resolve({ status: res.statusCode, endpoint: match[1], response: res, close });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  const postMessage = (path: string, body: string) =>
    fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('announces /messages?sessionId=… as the first event', async () => {
    const stream = await openStream();
    expect(stream.endpoint).toMatch(/^\/messages\?sessionId=[0-9a-f-]{36}$/);
    stream.close();
  });

  it('serves the SDK v1 client: tools, resources, prompts', async () => {
    const client = new ClientV1({ name: 'test-v1-sse', version: '1.0.0' });
    await client.connect(new SseTransportV1(new URL(`${gateway.url}/sse`)));
    try {
      expect(client.getServerVersion()?.name).toBe('only1mcp');
      await exercise(client);
    } finally {
      // Left open, an SSE client reconnects for ever once the gateway stops, and jest never exits.
      await client.close();
    }
  });

  it('serves the SDK v2 client, which falls back to initialize (SSE is a 2025-era transport)', async () => {
    const client = new ClientV2({ name: 'test-v2-sse', version: '2.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new SseTransportV2(new URL(`${gateway.url}/sse`)));
    try {
      expect(client.getNegotiatedProtocolVersion()).toMatch(/^2025-/);
      await exercise(client);
    } finally {
      await client.close();
    }
  });

  it('answers a call posted with any Content-Type on the stream, and one for another stream with 404', async () => {
    const stream = await openStream();
    let received = '';
    stream.response!.on('data', (chunk: string) => (received += chunk));
    const post = (body: unknown, path = stream.endpoint!) =>
      fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify(body),
      });
    const init = { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'raw-sse', version: '1' } };
    expect((await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: init })).status).toBe(202);
    expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
    const call = {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'everything__echo', arguments: { message: 'old' } },
    };
    expect((await post(call)).status).toBe(202);
    for (const deadline = Date.now() + 5_000; !received.includes('Echo: old') && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 20));
    const replies = [...received.matchAll(/^data: (\{.*\})$/gm)].map((m) => JSON.parse(m[1]!) as { id?: number });
    expect(replies.find((r) => r.id === 2)).toEqual({
      jsonrpc: '2.0',
      id: 2,
      result: { content: [{ type: 'text', text: 'Echo: old' }] },
    });
    expect((await post(call, stream.endpoint!.replace(/[0-9a-f]{4}$/, '0000'))).status).toBe(404);
    stream.close();
  });

  it('answers an unknown or missing sessionId with 404 and SessionNotFound', async () => {
    for (const path of ['/messages?sessionId=no-such-session', '/messages']) {
      const res = await postMessage(path, JSON.stringify({ jsonrpc: '2.0', method: 'tools/list', id: 1 }));
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32040 } });
    }
  });

  it('rejects malformed JSON with 400 / -32700, a non-JSON-RPC body with 400 / -32600, a body over max_body_size with 413', async () => {
    const stream = await openStream();
    const malformed = await postMessage(stream.endpoint!, '{"jsonrpc": "2.0", ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: -32700 } });
    const invalid = await postMessage(stream.endpoint!, JSON.stringify({ hello: 'world' }));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: -32600 } });
    const large = await postMessage(
      stream.endpoint!,
      JSON.stringify({ jsonrpc: '2.0', method: 'ping', id: 2, params: { pad: 'x'.repeat(70_000) } }),
    );
    expect(large.status).toBe(413);
    stream.close();
  });

  it('applies the DNS-rebinding guard to /sse and /messages, answering Forbidden', async () => {
    expect((await openStream({ host: 'evil.example.com' })).status).toBe(403);
    expect((await openStream({ origin: 'http://evil.example.com' })).status).toBe(403);
    const rejected = await fetch(`${gateway.url}/sse`, { headers: { origin: 'http://evil.example.com' } });
    expect(await rejected.json()).toMatchObject({ error: { code: -32033 } });
    const stream = await openStream();
    const status = await rawPost(
      `${gateway.url}${stream.endpoint}`,
      { host: 'evil.example.com' },
      { jsonrpc: '2.0', method: 'ping', id: 3 },
    );
    expect(status).toBe(403);
    stream.close();
  });

  // Last: it stops the gateway (afterAll's stop() is then a no-op).
  it('ends open SSE streams when the gateway stops', async () => {
    const stream = await openStream();
    await Promise.all([gateway.stop(), new Promise((resolve) => stream.response!.once('end', resolve))]);
  });
});

/** Resolves once no process carries `marker` (the test's timeout bounds the wait). */
async function allGone(marker: string): Promise<void> {
  while (markedProcesses(marker).length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
}

const procfs = PROCFS;

describe('stdio front (only1mcp stdio)', () => {
  // Every process this test starts — the gateway and, through the config, its backend — carries this
  // variable (not ONLY1MCP_*: those are configuration overrides).
  const marker = `FRONTS_TEST_MARKER=${randomUUID()}`;
  const markerEnv = { [marker.split('=')[0]!]: marker.split('=')[1]! };
  let configFile: string;

  beforeAll(() => {
    // rate_limit is set: `start` would refuse it (not enforced yet); the stdio front runs and warns.
    const yaml = toYaml({
      servers: [backend(markerEnv)],
      rate_limit: { requests_per_second: 10, burst: 5 },
      logging: { level: 'debug' },
    });
    configFile = join(mkdtempSync(join(tmpdir(), 'only1mcp-stdio-')), 'only1mcp.yaml');
    writeFileSync(configFile, yaml);
  });

  afterEach(async () => {
    if (procfs) await allGone(marker);
  });

  const params = () => ({
    command: process.execPath,
    args: [BIN, 'stdio', '--config', configFile],
    env: markerEnv,
    stderr: 'pipe' as const,
  });

  it('serves the SDK v1 client over stdin/stdout and leaves no process behind', async () => {
    const transport = new StdioTransportV1(params());
    let stderr = '';
    transport.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new ClientV1({ name: 'test-v1-stdio', version: '1.0.0' });
    // The client rejects any line on stdout that is not JSON-RPC, so getting this far means stdout carried protocol only.
    await client.connect(transport);
    const gatewayPid = transport.pid!;
    try {
      expect(client.getServerVersion()?.name).toBe('only1mcp');
      await exercise(client);
      if (procfs) expect(markedProcesses(marker).length).toBeGreaterThanOrEqual(2);
    } finally {
      // Ends the gateway's process, whether the test passed or not.
      await client.close();
    }
    if (procfs) await allGone(marker);
    expect(() => process.kill(gatewayPid, 0)).toThrow();
    // Logs (debug level here) went to stderr, including the warning about the ignored section.
    expect(stderr).toContain('rate_limit configured but not applied by the stdio front');
  }, 30_000);

  it('serves the SDK v2 client, negotiating the current protocol', async () => {
    const transport = new StdioTransportV2(params());
    const client = new ClientV2({ name: 'test-v2-stdio', version: '2.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(transport);
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      await exercise(client);
    } finally {
      await client.close();
    }
    if (procfs) await allGone(marker);
  }, 30_000);
});
