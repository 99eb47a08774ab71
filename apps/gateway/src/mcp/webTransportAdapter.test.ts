import { once } from 'node:events';
import { Agent, createServer, request, type Server } from 'node:http';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { ErrorCode } from '@only1mcp/mcp-types';
import { waitFor } from '@only1mcp/test-utils';
import { serveWebHandler, serveWebTransport, type NodeTransportHandler } from './webTransportAdapter';

/** A transport that fails every request, as one whose server broke would. */
class BrokenTransport extends WebStandardStreamableHTTPServerTransport {
  override handleRequest(): Promise<Response> {
    return Promise.reject(new Error('broken'));
  }
}

const LIMIT = 64;

describe('serveWebTransport', () => {
  let server: Server;
  let url: string;
  const errors: Error[] = [];
  let serve: (handler: NodeTransportHandler) => void;

  beforeAll(async () => {
    let handler: NodeTransportHandler = async () => undefined;
    serve = (next) => {
      handler = next;
    };
    server = createServer((req, res) => {
      // The edge parsed a body only when the test says so (header), as the gateway's POST routes do.
      const parsed = req.headers['x-parsed'];
      void handler(req, res, typeof parsed === 'string' ? JSON.parse(parsed) : undefined);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`;
  });
  afterAll(() => server.close());

  it("answers a body over the limit with the gateway's 413 (-32600, the limit named), not the SDK's -32000", async () => {
    serve(
      serveWebTransport(new WebStandardStreamableHTTPServerTransport(), {
        maxRequestBodySize: LIMIT,
        onerror: (e) => errors.push(e),
      }),
    );
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(LIMIT * 2) } }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      jsonrpc: '2.0',
      error: { code: ErrorCode.InvalidRequest, message: `Request body is larger than ${LIMIT} bytes` },
    });
  });

  it("answers a transport failure with 500 / -32603 to the request's id, and reports it", async () => {
    errors.length = 0;
    serve(serveWebTransport(new BrokenTransport(), { maxRequestBodySize: LIMIT, onerror: (e) => errors.push(e) }));
    const message = { jsonrpc: '2.0', id: 'a-1', method: 'ping' };
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-parsed': JSON.stringify(message) },
      body: JSON.stringify(message),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      jsonrpc: '2.0',
      id: 'a-1',
      error: { code: ErrorCode.InternalError, message: 'Internal server error' },
    });
    expect(errors.map((e) => e.message)).toEqual(['broken']);
  });

  it('sends a JSON reply whole, with its length (not chunked), and an event stream as it comes', async () => {
    const message = { jsonrpc: '2.0', id: 2, result: {} };
    serve(
      serveWebHandler(
        (request) =>
          Promise.resolve(
            request.headers.get('accept') === 'text/event-stream'
              ? new Response(`data: ${JSON.stringify(message)}\n\n`, {
                  headers: { 'content-type': 'text/event-stream' },
                })
              : Response.json(message),
          ),
        { maxRequestBodySize: LIMIT, onerror: (e) => errors.push(e) },
      ),
    );
    const json = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.headers.get('content-length')).toBe(String(JSON.stringify(message).length));
    expect(json.headers.get('transfer-encoding')).toBeNull();
    expect(await json.json()).toEqual(message);
    const stream = await fetch(url, { method: 'POST', headers: { accept: 'text/event-stream' }, body: '{}' });
    expect(stream.headers.get('transfer-encoding')).toBe('chunked');
    expect(await stream.text()).toBe(`data: ${JSON.stringify(message)}\n\n`);
  });

  it('gives the handler the connection’s hang-up signal as request.signal when asked, one per connection', async () => {
    const signals: AbortSignal[] = [];
    serve(
      serveWebHandler(
        (request) => {
          signals.push(request.signal);
          return Promise.resolve(Response.json({}));
        },
        { maxRequestBodySize: LIMIT, onerror: (e) => errors.push(e), signal: 'connection' },
      ),
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = () =>
      new Promise<void>((resolve, reject) => {
        const req = request(url, { method: 'POST', agent }, (res) => res.resume().on('end', resolve));
        req.on('error', reject);
        req.end('{}');
      });
    await post();
    await post();
    expect(signals[0]).toBe(signals[1]);
    expect(signals[0]!.aborted).toBe(false);
    agent.destroy();
    await waitFor('the hang-up signal to abort', () => signals[0]!.aborted);
  });

  it('gives the handler a parsed body as parsedBody and a Request with the headers but no body (its framing dropped)', async () => {
    const seen: {
      parsedBody?: unknown;
      body: unknown;
      headers: Record<string, string>;
      url: string;
      method: string;
    }[] = [];
    serve(
      serveWebHandler(
        (request, extra) => {
          seen.push({
            parsedBody: extra.parsedBody,
            body: request.body,
            headers: Object.fromEntries(request.headers),
            url: request.url,
            method: request.method,
          });
          return Promise.resolve(Response.json({}));
        },
        { maxRequestBodySize: LIMIT, onerror: (e) => errors.push(e) },
      ),
    );
    const message = { jsonrpc: '2.0', id: 3, method: 'ping' };
    const res = await fetch(`${url}?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'mcp-method': 'ping', 'x-parsed': JSON.stringify(message) },
      body: JSON.stringify(message),
    });
    expect(res.status).toBe(200);
    const [parsed] = seen;
    expect(parsed!.parsedBody).toEqual(message);
    expect(parsed!.body).toBeNull();
    expect(parsed!.method).toBe('POST');
    expect(parsed!.url).toBe(`${url}?x=1`);
    expect(parsed!.headers).toMatchObject({ 'content-type': 'application/json', 'mcp-method': 'ping' });
    expect(parsed!.headers['content-length']).toBeUndefined();
    // Without a parsed body the request's own is read (toWebRequest) and handed over with it.
    seen.length = 0;
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(seen[0]!.parsedBody).toBeUndefined();
    expect(seen[0]!.headers['content-length']).toBe('7');
  });
});
