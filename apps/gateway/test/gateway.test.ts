/**
 * The gateway end to end: a real listening gateway in front of the reference server
 * (@modelcontextprotocol/server-everything, stdio), driven by plain HTTP (what curl sends),
 * the SDK v1 client (2025-11-25, sessions) and the SDK v2 client (2026-07-28, stateless).
 */
import { request } from 'node:http';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ConfigSchema } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { rawPost } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';
import { expectResourcesAndPrompts } from './support/everythingChecks';

const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

let gateway: RunningGateway;

beforeAll(async () => {
  const parsed = ConfigSchema.parse({
    server: { max_body_size: '64KB' },
    servers: [{ id: 'everything', transport: 'stdio', command: process.execPath, args: [everything, 'stdio'] }],
    routing: { page_size: 5 },
  });
  // Port 0 (a free port) is not valid in a file; tests set it after validation.
  const config = { ...parsed, server: { ...parsed.server, port: 0 } };
  gateway = await startGateway(config, silentLogger);
}, 30_000);

afterAll(() => gateway.stop());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gateway.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('plain HTTP (curl)', () => {
  it('answers tools/list without session or Accept header as plain JSON, paginated', async () => {
    const res = await post({ jsonrpc: '2.0', method: 'tools/list', id: 1 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { id: number; result: { tools: { name: string }[]; nextCursor?: string } };
    expect(body.id).toBe(1);
    expect(body.result.tools).toHaveLength(5);
    expect(body.result.tools[0]!.name).toMatch(/^everything__/);
    const next = (await (
      await post({ jsonrpc: '2.0', method: 'tools/list', id: 2, params: { cursor: body.result.nextCursor } })
    ).json()) as typeof body;
    expect(next.result.tools[0]!.name).not.toBe(body.result.tools[0]!.name);
  });

  it('rejects a cursor it did not issue with -32602', async () => {
    const body = (await (
      await post({ jsonrpc: '2.0', method: 'tools/list', id: 13, params: { cursor: 'not-a-cursor' } })
    ).json()) as { id: number; error: { code: number; message: string } };
    expect(body).toMatchObject({ id: 13, error: { code: -32602, message: 'Invalid cursor' } });
  });

  it('calls a tool statelessly', async () => {
    const body = await (
      await post({
        jsonrpc: '2.0',
        method: 'tools/call',
        id: 3,
        params: { name: 'everything__echo', arguments: { message: 'curl' } },
      })
    ).json();
    expect(body).toEqual({ jsonrpc: '2.0', id: 3, result: { content: [{ type: 'text', text: 'Echo: curl' }] } });
  });

  it('names an unknown tool in a JSON-RPC error', async () => {
    const body = (await (
      await post({ jsonrpc: '2.0', method: 'tools/call', id: 4, params: { name: 'nope__x' } })
    ).json()) as { error: { code: number; message: string } };
    expect(body.error).toMatchObject({ code: -32602, message: 'Unknown tool: nope__x' });
  });

  it('rejects malformed JSON with -32700 and HTTP 400', async () => {
    const res = await post('{"jsonrpc": "2.0", ');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });

  it('rejects a body over server.max_body_size with 413', async () => {
    const res = await post({
      jsonrpc: '2.0',
      method: 'tools/call',
      id: 5,
      params: { name: 'everything__echo', arguments: { message: 'x'.repeat(70_000) } },
    });
    expect(res.status).toBe(413);
  });

  it('rejects an unknown protocol version with 400 and -32022, listing the supported ones', async () => {
    const res = await post({ jsonrpc: '2.0', method: 'tools/list', id: 10 }, { 'mcp-protocol-version': '1999-01-01' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: number; data: { supported: string[] } } };
    expect(body.error.code).toBe(-32022);
    expect(body.error.data.supported).toEqual(expect.arrayContaining(['2026-07-28', '2025-11-25']));
  });

  it('rejects a current-protocol request whose Mcp-Method header disagrees with the body (400, -32020)', async () => {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const res = await post(
      { jsonrpc: '2.0', method: 'tools/list', id: 11, params: { _meta: meta } },
      {
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        accept: 'application/json, text/event-stream',
      },
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32020);
  });

  it('routes what comes with the current protocol header as the SDK classifies it, shortcut or not', async () => {
    const headers = { 'mcp-protocol-version': '2026-07-28', accept: 'application/json, text/event-stream' };
    const answer = async (body: unknown) => {
      const res = await post(body, headers);
      const text = await res.text();
      return {
        status: res.status,
        code: text ? (JSON.parse(text) as { error?: { code: number } }).error?.code : undefined,
      };
    };
    // A request without the envelope: the current protocol's handler rejects it.
    expect(await answer({ jsonrpc: '2.0', id: 30, method: 'tools/list' })).toEqual({ status: 400, code: -32602 });
    // Not a request (a response, a batch, a notification without the envelope): classified first,
    // answered as before the shortcut (checked against the commit before it).
    const outcomes = [
      await answer({ jsonrpc: '2.0', id: 31, result: {} }),
      await answer({ jsonrpc: '2.0', id: 32, result: {}, method: 'tools/list' }),
      await answer([{ jsonrpc: '2.0', id: 33, method: 'ping' }]),
      await answer({ jsonrpc: '2.0', method: 'notifications/cancelled', params: {} }),
    ];
    expect(outcomes).toEqual([
      { status: 400, code: -32000 },
      { status: 400, code: -32600 },
      { status: 400, code: -32000 },
      { status: 202, code: undefined },
    ]);
  });

  it('makes the same checks of a current-protocol POST (served ahead of Express) and answers it as the SDK does', async () => {
    const headers = {
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'everything__echo',
      accept: 'application/json, text/event-stream',
    };
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const call = (message: string, id: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'everything__echo', arguments: { message }, _meta: meta },
    });
    const ok = await post(call('hi', 20), headers);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      id: 20,
      result: { content: [{ type: 'text', text: 'Echo: hi' }], resultType: 'complete' },
    });
    expect((await post(call('x'.repeat(70_000), 21), headers)).status).toBe(413);
    const notJson = await post('{"jsonrpc": "2.0", ', headers);
    expect([notJson.status, ((await notJson.json()) as { error: { code: number } }).error.code]).toEqual([400, -32700]);
    expect((await post(call('hi', 22), { ...headers, 'content-type': 'text/plain' })).status).toBe(415);
    expect(await rawPost(`${gateway.url}/mcp`, { ...headers, host: 'evil.example.com' }, call('hi', 23))).toBe(403);
  });

  it('answers an unknown method with -32601 and a body that is not JSON-RPC with 400 and -32600', async () => {
    expect(
      ((await (await post({ jsonrpc: '2.0', method: 'nope/x', id: 12 })).json()) as { error: { code: number } }).error
        .code,
    ).toBe(-32601);
    const res = await post({ hello: 'world' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32600);
  });

  it('rejects an oversized body sent without Content-Length (chunked) with 413', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        `${gateway.url}/mcp`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.write(
        '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"everything__echo","arguments":{"message":"',
      );
      for (let i = 0; i < 8; i++) req.write('x'.repeat(10_000));
      req.end('"}}}');
    });
    expect(status).toBe(413);
  });

  it('hands what it does not route itself (ping, notifications) to the SDK, body and all', async () => {
    expect(await (await post({ jsonrpc: '2.0', method: 'ping', id: 14 })).json()).toEqual({
      jsonrpc: '2.0',
      id: 14,
      result: {},
    });
    expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
  });

  it('answers an unknown session with 404', async () => {
    const res = await post({ jsonrpc: '2.0', method: 'tools/list', id: 6 }, { 'mcp-session-id': 'no-such-session' });
    expect(res.status).toBe(404);
  });

  it('rejects a foreign Host header (DNS rebinding)', async () => {
    const status = await rawPost(
      `${gateway.url}/mcp`,
      { host: 'evil.example.com' },
      { jsonrpc: '2.0', method: 'tools/list', id: 7 },
    );
    expect(status).toBe(403);
  });

  it('serves /health and /ready', async () => {
    const health = (await (await fetch(`${gateway.url}/health`)).json()) as {
      status: string;
      servers: { id: string; up: boolean }[];
    };
    expect(health).toMatchObject({ status: 'ok', servers: [{ id: 'everything', up: true }] });
    expect((await fetch(`${gateway.url}/ready`)).status).toBe(200);
  });
});

describe('SDK v1 client (2025-11-25, session)', () => {
  it('initializes, lists, calls, reads resources, gets prompts, and ends its session', async () => {
    const client = new ClientV1({ name: 'test-v1', version: '1.0.0' });
    const transport = new TransportV1(new URL(`${gateway.url}/mcp`));
    await client.connect(transport);
    expect(transport.sessionId).toBeDefined();
    expect(client.getServerVersion()?.name).toBe('only1mcp');
    const { tools } = await client.listTools();
    expect(tools.length).toBe(5);
    const result = await client.callTool({ name: 'everything__get-sum', arguments: { a: 2, b: 3 } });
    expect(JSON.stringify(result.content)).toContain('5');
    await expectResourcesAndPrompts(client);
    const sessionId = transport.sessionId!;
    await transport.terminateSession();
    const after = await post({ jsonrpc: '2.0', method: 'tools/list', id: 8 }, { 'mcp-session-id': sessionId });
    expect(after.status).toBe(404);
    await client.close();
  });
});

describe('SDK v2 client (2026-07-28, stateless)', () => {
  it('negotiates the current protocol, lists, calls, reads resources and gets prompts', async () => {
    const client = new ClientV2({ name: 'test-v2', version: '2.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new TransportV2(new URL(`${gateway.url}/mcp`)));
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const { tools } = await client.listTools();
    expect(tools[0]!.name).toMatch(/^everything__/);
    const result = await client.callTool({ name: 'everything__echo', arguments: { message: 'v2' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: v2' }]);
    await expectResourcesAndPrompts(client);
    await client.close();
  });

  it('leaves the stack trace limit as it was once its per-request servers have closed', async () => {
    // Each request's server closes with stack traces off (GatewayServer._onclose) and puts them back.
    const limit = Error.stackTraceLimit;
    const client = new ClientV2({ name: 'test-v2', version: '2.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new TransportV2(new URL(`${gateway.url}/mcp`)));
    await client.callTool({ name: 'everything__echo', arguments: { message: 'v2' } });
    await client.close();
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('still traced').stack).toMatch(/\n\s+at /);
  });
});
