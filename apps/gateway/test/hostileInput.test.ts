/**
 * Hostile and careless clients (issue 6/8): the wrong media types get the spec's 415/406, slow
 * clients are cut off, one client cannot hold unbounded streams, and a malformed path is the
 * client's error (400), never a 500. (Body size, JSON syntax, JSON-RPC shape and unknown methods
 * are in gateway.test.ts; random input in fuzz.test.ts.)
 */
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ConfigSchema } from '@only1mcp/config';
import { ErrorCode } from '@only1mcp/mcp-types';
import { silentLogger } from '@only1mcp/registry';
import { fixtureServerCommand, waitFor } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';

let gateway: RunningGateway;

beforeAll(async () => {
  const parsed = ConfigSchema.parse({
    server: { headers_timeout: '500ms', request_timeout: '1s', max_streams_per_client: 2 },
    health: { enabled: false },
    servers: [{ id: 'fx', transport: 'stdio', ...fixtureServerCommand({ label: 'fx' }) }],
  });
  gateway = await startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger);
}, 30_000);

afterAll(() => gateway?.stop());

const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
// Bytes, not a string: fetch would add `Content-Type: text/plain` to a string body.
const post = (headers: Record<string, string>, message: unknown = list) =>
  fetch(`${gateway.url}/mcp`, { method: 'POST', headers, body: new TextEncoder().encode(JSON.stringify(message)) });

/** Writes `text` on a raw socket and resolves with everything the server sent until it closed. */
function raw(text: string, keepOpenMs: number): Promise<string> {
  const { port } = new URL(gateway.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('close', () => resolve(received));
    socket.on('error', () => undefined);
    socket.write(text);
    setTimeout(() => socket.destroy(), keepOpenMs);
  });
}

describe('hostile input', () => {
  it('answers a body that says it is not JSON with 415, and an Accept of neither JSON nor SSE with 406', async () => {
    const form = await post({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(((await form.json()) as { error: { code: number } }).error.code).toBe(-32600);
    expect((await post({ 'content-type': 'application/json', accept: 'text/html' })).status).toBe(406);
    // Left out, they are not held against the client; JSON with a charset is JSON.
    expect((await post({})).status).toBe(200);
    expect((await post({ 'content-type': 'application/json; charset=utf-8', accept: '*/*' })).status).toBe(200);
  });

  /** An echo call carrying `message`, as the JSON text a client sends. */
  const echoCall = (id: number, message: string) =>
    JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'fx__echo', arguments: { message } } });
  /** POSTs `body` as JSON with `headers`, stateless (the hot path) and with a protocol version (the SDK's path). */
  const onEveryPath = (headers: Record<string, string>, body: Uint8Array) =>
    Promise.all(
      ([{}, { 'mcp-protocol-version': '2025-11-25' }] as Record<string, string>[]).map((extra) =>
        fetch(`${gateway.url}/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...headers, ...extra },
          body,
        }),
      ),
    );
  const expectEchoed = async (replies: Response[], message: string) => {
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      expect(await reply.text()).toContain(message);
    }
  };
  const expectRefused = async (replies: Response[], error: Record<string, unknown>) => {
    for (const reply of replies) {
      expect(reply.status).toBe(415);
      expect(await reply.json()).toMatchObject({ error: { code: -32600, ...error } });
    }
  };

  it('reads a body in the charset it declares, on every path, or refuses the charset (415)', async () => {
    const text = 'h\u00e9llo \u2713 \u65e5\u672c';
    const json = echoCall(2, text);
    const typed = (charset: string) => ({ 'content-type': `application/json; charset=${charset}` });
    await expectRefused(await onEveryPath(typed('Shift_JIS'), Buffer.from(json)), {
      message: 'Invalid request: unsupported charset "SHIFT_JIS"',
    });
    await expectEchoed(await onEveryPath(typed('utf-16le'), Buffer.from(json, 'utf16le')), text);
    await expectEchoed(await onEveryPath(typed('"UTF-8"'), Buffer.from(json, 'utf8')), text);
  });

  it('drops a UTF-8 byte-order mark before the JSON, on every path', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(echoCall(4, 'marked'))]);
    await expectEchoed(await onEveryPath({}, body), 'marked');
  });

  it('calls an empty body not JSON and a bare JSON value not JSON-RPC, on every path', async () => {
    for (const [body, code] of [
      ['', ErrorCode.ParseError],
      ['123', ErrorCode.InvalidRequest],
      ['"x"', ErrorCode.InvalidRequest],
    ] as const) {
      for (const reply of await onEveryPath({}, Buffer.from(body))) {
        expect(reply.status).toBe(400);
        expect(await reply.json()).toMatchObject({ error: { code } });
      }
    }
  });

  it('reads a compressed body on every path, and refuses an encoding it does not know (415)', async () => {
    const json = echoCall(3, 'zipped');
    await expectEchoed(await onEveryPath({ 'content-encoding': 'gzip' }, gzipSync(json)), 'zipped');
    await expectRefused(await onEveryPath({ 'content-encoding': 'x-unheard-of' }, Buffer.from(json)), {});
  });

  it('cuts off a client that sends its headers too slowly (slowloris)', async () => {
    const started = Date.now();
    const reply = await raw('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n', 5_000);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(reply === '' || reply.startsWith('HTTP/1.1 408')).toBe(true);
  }, 10_000);

  it('cuts off a client that never finishes its body', async () => {
    const started = Date.now();
    const reply = await raw(
      'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"jsonrpc"',
      5_000,
    );
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(reply === '' || reply.startsWith('HTTP/1.1 408')).toBe(true);
  }, 10_000);

  it('lets one client hold only max_streams_per_client streams at once', async () => {
    const controllers = [new AbortController(), new AbortController()];
    const open = await Promise.all(
      controllers.map((c) =>
        fetch(`${gateway.url}/sse`, { signal: c.signal, headers: { accept: 'text/event-stream' } }),
      ),
    );
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const third = await fetch(`${gateway.url}/sse`, { headers: { accept: 'text/event-stream' } });
    expect(third.status).toBe(429);
    expect(((await third.json()) as { error: { code: number } }).error.code).toBe(-32029);
    // A stream that closes frees its place.
    controllers[0]!.abort();
    // The gateway learns of it when the connection closes: asked again until it has.
    const again = new AbortController();
    await waitFor('a place freed', async () => {
      const res = await fetch(`${gateway.url}/sse`, { signal: again.signal });
      if (res.status === 200) return true;
      await res.body?.cancel();
      return false;
    });
    again.abort();
    controllers[1]!.abort();
  });

  it('answers params the SDK’s schemas refuse with -32602, not -32603', async () => {
    const res = await post({ 'content-type': 'application/json' }, { jsonrpc: '2.0', id: 1, method: 'initialize' });
    const body = (await res.json()) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(-32602);
    expect(body.error.message).toMatch(/^Invalid params for initialize/);
  });

  it.each([
    ['tools/call', { name: 'fx__echo', arguments: [[1]] }, /params\.arguments: .*expected record/],
    ['tools/call', { arguments: {} }, /params\.name: /],
    ['resources/read', {}, /params\.uri: /],
    ['tools/list', { cursor: 3 }, /params\.cursor: /],
  ])(
    'answers %s with params of the wrong shape with -32602, with and without a session',
    async (method, params, words) => {
      const message = { jsonrpc: '2.0', id: 3, method, params };
      const json = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      const init = await post(json, {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      });
      await init.text();
      const session = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
      for (const headers of [json, { ...json, ...session }]) {
        // Plain JSON when the gateway answers it itself, an event stream when the session's SDK server does.
        const text = await (await post(headers, message)).text();
        const data = [...text.matchAll(/^data: (.+)$/gm)].map((m) => m[1]!);
        const body = JSON.parse(data.at(-1) ?? text) as {
          id: number;
          error: { code: number; message: string };
        };
        expect(body).toMatchObject({ id: 3, error: { code: -32602 } });
        expect(body.error.message).toMatch(new RegExp(`^Invalid params for ${method}: `));
        expect(body.error.message).toMatch(words);
      }
    },
  );

  it('refuses prompt arguments that are not strings with -32602 before they reach a backend', async () => {
    const res = await post(
      { 'content-type': 'application/json' },
      { jsonrpc: '2.0', id: 2, method: 'prompts/get', params: { name: 'fx__greet', arguments: { name: { x: 1 } } } },
    );
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32602);
  });

  it('treats a malformed path as the client’s error, never a 500', async () => {
    const res = await fetch(`${gateway.url}/api/v1/admin/servers/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32600);
  });
});
