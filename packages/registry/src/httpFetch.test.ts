import { getEventListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@only1mcp/test-utils';
import { httpFetch } from './httpFetch';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real HTTP server whose handler each test sets; counts the TCP connections it accepted. */
let handler: Handler;
let server: Server;
let base: string;
let connections = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  connections = 0;
  server.closeIdleConnections();
});

it('sends the method, headers and body, and answers with status, headers and body', async () => {
  handler = (req, res, body) => {
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.writeHead(201, 'Made', { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        method: req.method,
        auth: req.headers.authorization,
        length: req.headers['content-length'],
        body,
      }),
    );
  };
  const headers = new Headers({ authorization: 'Bearer t' });
  const res = await httpFetch(new URL(`${base}/mcp`), { method: 'post', headers, body: '{"x":1}' });
  expect(res.status).toBe(201);
  expect(res.statusText).toBe('Made');
  expect(res.ok).toBe(true);
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  expect(await res.json()).toEqual({ method: 'POST', auth: 'Bearer t', length: '7', body: '{"x":1}' });
});

it('reuses one keep-alive connection for requests in sequence', async () => {
  handler = (_req, res) => res.end('ok');
  for (let i = 0; i < 5; i++) expect(await (await httpFetch(`${base}/`)).text()).toBe('ok');
  // An empty body (204) gives the socket back without being read.
  handler = (_req, res) => res.writeHead(204).end();
  for (let i = 0; i < 3; i++) expect((await httpFetch(`${base}/`, { method: 'DELETE' })).body).toBeNull();
  expect(connections).toBe(1);
});

it('sends again on a new connection when the server closed the idle one just before', async () => {
  handler = (_req, res) => res.end('ok');
  await (await httpFetch(`${base}/`)).text();
  const before = connections;
  server.closeIdleConnections(); // the client's agent still holds that socket as free
  expect(await (await httpFetch(`${base}/`, { method: 'POST', body: 'x' })).text()).toBe('ok');
  expect(connections).toBe(before + 1);
});

it("keeps an idle connection as long as the server's Keep-Alive says, when that is longer than 4 s", async () => {
  /**
   * A server keeping idle connections `keepAliveMs`. Node announces it (`Keep-Alive: timeout=N`),
   * except on answers that set `Connection` themselves, as the SDK's event-stream answers do (`/quiet`).
   */
  const serverKeeping = async (keepAliveMs: number) => {
    const own = createServer((req, res) => {
      if (req.url === '/quiet') res.setHeader('connection', 'keep-alive');
      res.end('ok');
    });
    own.keepAliveTimeout = keepAliveMs;
    let accepted = 0;
    own.on('connection', () => (accepted += 1));
    await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(own.address() as AddressInfo).port}`;
    return { url, accepted: () => accepted, own };
  };
  const long = await serverKeeping(30_000);
  const usual = await serverKeeping(5_000); // Node's default
  try {
    const ok = async (url: string) => expect(await (await httpFetch(url)).text()).toBe('ok');
    // The quiet answer last before the pause: the origin's earlier say holds.
    const afterAQuietSpell = async (url: string) => {
      await ok(`${url}/`);
      await ok(`${url}/quiet`);
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      await ok(`${url}/quiet`);
    };
    await Promise.all([afterAQuietSpell(long.url), afterAQuietSpell(usual.url)]);
    // 30 s announced: kept 29 s, so reused after 4.5 s. 5 s announced: kept 4 s, as before.
    expect(long.accepted()).toBe(1);
    expect(usual.accepted()).toBe(2);
  } finally {
    for (const { own } of [long, usual]) {
      own.closeAllConnections();
      await new Promise((resolve) => own.close(resolve));
    }
  }
}, 15_000);

it('streams the body as it arrives (an SSE stream is read before it ends)', async () => {
  let finish = () => {};
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: one\n\n');
    finish = () => res.end('data: two\n\n');
  };
  const res = await httpFetch(`${base}/sse`);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  expect((await reader.read()).value).toBe('data: one\n\n');
  finish();
  let rest = '';
  for (let r = await reader.read(); !r.done; r = await reader.read()) rest += r.value;
  expect(rest).toBe('data: two\n\n');
});

it('keeps a streamed response open while it is quiet longer than idle sockets are kept', async () => {
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: one\n\n');
    setTimeout(() => res.end('data: two\n\n'), 4_500); // the agent drops idle sockets after 4 s
  };
  const res = await httpFetch(`${base}/quiet`);
  expect(await res.text()).toBe('data: one\n\ndata: two\n\n');
}, 15_000);

it('rejects with the signal reason when aborted before the answer, and frees the signal', async () => {
  let seen: () => void;
  const arrived = new Promise<void>((resolve) => (seen = resolve));
  handler = () => seen(); // never answers
  const controller = new AbortController();
  const pending = httpFetch(`${base}/`, { signal: controller.signal });
  await arrived;
  const reason = new Error('client went away');
  controller.abort(reason);
  await expect(pending).rejects.toBe(reason);
  await expect(httpFetch(`${base}/`, { signal: controller.signal })).rejects.toBe(reason);
});

it('errors the body stream when aborted after the headers', async () => {
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: one\n\n');
  };
  const controller = new AbortController();
  const res = await httpFetch(`${base}/`, { signal: controller.signal });
  const reader = res.body!.getReader();
  await reader.read();
  controller.abort(new Error('stop'));
  await expect(reader.read()).rejects.toThrow();
});

it('leaves no listener on a long-lived signal once requests are done', async () => {
  handler = (_req, res) => res.end('ok');
  const controller = new AbortController();
  for (let i = 0; i < 20; i++) await (await httpFetch(`${base}/`, { signal: controller.signal })).text();
  await new Promise((resolve) => setImmediate(resolve));
  expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
});

it('fails as fetch does when nothing listens: TypeError "fetch failed" with the socket error', async () => {
  const port = await freePort();
  const err = (await httpFetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e)) as TypeError;
  expect(err).toBeInstanceOf(TypeError);
  expect(err.message).toBe('fetch failed');
  expect((err.cause as { code?: string }).code).toBe('ECONNREFUSED');
});

it("returns a redirect as it is (the SDK follows it), and rejects one under redirect: 'error'", async () => {
  handler = (_req, res) => res.writeHead(307, { location: '/elsewhere' }).end();
  const res = await httpFetch(`${base}/`, { redirect: 'manual' });
  expect(res.status).toBe(307);
  expect(res.headers.get('location')).toBe('/elsewhere');
  await expect(httpFetch(`${base}/`, { redirect: 'error' })).rejects.toThrow('fetch failed');
});

it('refuses what it cannot send: a streamed body, another protocol', async () => {
  await expect(httpFetch(`${base}/`, { method: 'POST', body: new ReadableStream() })).rejects.toThrow(TypeError);
  await expect(httpFetch('ftp://127.0.0.1/')).rejects.toThrow('fetch failed');
});

describe('a response that declares a small length', () => {
  const message = { jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'Echo: hi' }] } };
  const sendWhole = (type: string, body: string) => (_req: IncomingMessage, res: ServerResponse) =>
    res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);

  it('is read whole and answered with its bytes', async () => {
    handler = sendWhole('application/json', JSON.stringify(message));
    const res = await httpFetch(`${base}/mcp`, { method: 'POST', body: '{}' });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual(message);
  });

  it('is, when it is an event stream of one message event and nothing else, the JSON answer it carries', async () => {
    for (const framing of ['event: message\ndata: %s\n\n', 'data: %s\n\n', 'event: message\r\ndata:%s\r\n\r\n']) {
      const body = framing.replace('%s', JSON.stringify(message));
      handler = sendWhole('text/event-stream; charset=utf-8', body);
      const res = await httpFetch(`${base}/mcp`, { method: 'POST', body: '{}' });
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('content-length')).toBe(String(JSON.stringify(message).length));
      expect(await res.json()).toEqual(message);
    }
  });

  it('stays an event stream when it answers a GET (the SDK reads a GET stream as events, whatever it says)', async () => {
    const body = `event: message\ndata: ${JSON.stringify(message)}\n\n`;
    handler = sendWhole('text/event-stream', body);
    const res = await httpFetch(`${base}/mcp`);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(await res.text()).toBe(body);
  });

  it('stays an event stream when it holds more than one message event (an id, a second event)', async () => {
    const data = JSON.stringify(message);
    for (const body of [`id: 1\nevent: message\ndata: ${data}\n\n`, `data: ${data}\n\ndata: ${data}\n\n`]) {
      handler = sendWhole('text/event-stream', body);
      const res = await httpFetch(`${base}/mcp`, { method: 'POST', body: '{}' });
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      expect(await res.text()).toBe(body);
    }
  });

  it('rejects as fetch does when the connection drops before the declared end', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 100 });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    await expect(httpFetch(`${base}/`)).rejects.toThrow('fetch failed');
  });

  it('rejects with the signal reason when aborted before the declared end', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 100 });
      res.write('{"partial":');
    };
    const controller = new AbortController();
    const pending = httpFetch(`${base}/`, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});

it('serves many requests in flight on one signal with one listener, and aborts them all with it', async () => {
  // The SDK hands every request of a connection its transport's signal: no MaxListenersExceededWarning.
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  let arrived = 0;
  handler = () => (arrived += 1); // never answers
  const controller = new AbortController();
  try {
    const pending = Array.from({ length: 20 }, () =>
      httpFetch(`${base}/`, { method: 'POST', body: 'x', signal: controller.signal }).catch((e: unknown) => e),
    );
    while (arrived < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    const reason = new Error('transport closed');
    controller.abort(reason);
    expect(await Promise.all(pending)).toEqual(Array.from({ length: 20 }, () => reason));
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  } finally {
    process.off('warning', onWarning);
  }
});
