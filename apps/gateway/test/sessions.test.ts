/**
 * 2025-11-25 sessions on /mcp, spoken in raw HTTP as a client library would: SSE replies with
 * event ids, `Last-Event-ID` resumption on the GET stream, idle sessions closed, and /metrics fed
 * by the traffic.
 */
import { ConfigSchema } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { startGateway, type RunningGateway } from '../src';
import { callsInFlight, untilInFlight } from './support/inFlight';

const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const ACCEPT = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

let gateway: RunningGateway;

beforeAll(async () => {
  const parsed = ConfigSchema.parse({
    server: { session_idle_timeout: '1s' },
    servers: [{ id: 'everything', transport: 'stdio', command: process.execPath, args: [everything, 'stdio'] }],
  });
  gateway = await startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger);
}, 30_000);

afterAll(() => gateway.stop());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gateway.url}/mcp`, { method: 'POST', headers: { ...ACCEPT, ...headers }, body: JSON.stringify(body) });

/** Calls the reference server's echo tool in a session. */
const echo = (id: number, message: string, session: Record<string, string>) =>
  post(
    { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'everything__echo', arguments: { message } } },
    session,
  );

/** The echo call with a progress token: only an event stream can carry progress, so the session's SDK server answers it. */
const echoWithProgress = (id: number, message: string, session: Record<string, string>) =>
  post(
    {
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'everything__echo', arguments: { message }, _meta: { progressToken: `p${id}` } },
    },
    session,
  );

/** Opens a session the way SDK clients do (declaring `capabilities`) and returns the headers that address it. */
async function openSession(capabilities: Record<string, unknown> = {}): Promise<Record<string, string>> {
  const init = await post({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities, clientInfo: { name: 'raw', version: '1' } },
  });
  await init.text();
  const headers = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
  expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).status).toBe(202);
  return headers;
}

/** The `id:` and `data:` lines of an SSE body. */
function events(text: string): { id?: string; data: string }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => ({ id: /^id: (.*)$/m.exec(block)?.[1], data: /^data: ?(.*)$/m.exec(block)?.[1] ?? '' }));
}

/** Reads from a streaming response until `done(text)` or the bounded wait ends, then aborts it. */
async function readUntil(res: Response, controller: AbortController, done: (text: string) => boolean): Promise<string> {
  const reader = res.body!.getReader();
  let text = '';
  const deadline = Date.now() + 10_000;
  while (!done(text) && Date.now() < deadline) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += Buffer.from(value).toString('utf8');
  }
  controller.abort();
  return text;
}

describe('2025-11-25 sessions', () => {
  it('answers a session’s lists as plain JSON, the same reply for every session', async () => {
    const [one, two] = [await openSession(), await openSession()];
    const list = (session: Record<string, string>) =>
      post({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} }, session);
    const first = await list(one);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await first.text();
    const reply = JSON.parse(text) as { jsonrpc: string; id: number; result: { tools: { name: string }[] } };
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: 7 });
    expect(reply.result.tools.map((t) => t.name)).toContain('everything__echo');
    // Byte for byte what the other session is sent, and what JSON.stringify makes of it.
    expect(await (await list(two)).text()).toBe(text);
    expect(JSON.stringify(reply)).toBe(text);
    // A string id is echoed as a string; a bad cursor is an error reply, not a shared page.
    const named = await post({ jsonrpc: '2.0', id: 'x"1', method: 'prompts/list' }, one);
    expect(await named.json()).toMatchObject({ id: 'x"1', result: { prompts: expect.any(Array) } });
    const bad = await post({ jsonrpc: '2.0', id: 8, method: 'tools/list', params: { cursor: 'nope' } }, one);
    expect(await bad.json()).toMatchObject({ id: 8, error: { code: -32602 } });
  });

  it('answers a session’s plain calls as plain JSON, and a call that wants progress on an event stream', async () => {
    const session = await openSession();
    const call = await echo(9, 'hi', session);
    expect(call.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await call.json()).toEqual({
      jsonrpc: '2.0',
      id: 9,
      result: { content: [{ type: 'text', text: 'Echo: hi' }] },
    });
    // An unknown tool is the same error as on the session's SDK server.
    const unknown = await post(
      { jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 'nope', arguments: {} } },
      session,
    );
    expect(await unknown.json()).toMatchObject({ id: 10, error: { code: -32602 } });
    const progress = await echoWithProgress(11, 'slow', session);
    expect(progress.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(JSON.parse(events(await progress.text()).at(-1)!.data)).toMatchObject({
      id: 11,
      result: { content: [{ text: 'Echo: slow' }] },
    });
  });

  it('leaves the calls of a client that may be asked for input (sampling, elicitation, roots) to the SDK server', async () => {
    const session = await openSession({ elicitation: {} });
    const call = await echo(12, 'asked', session);
    expect(call.headers.get('content-type')).toMatch(/text\/event-stream/);
    await call.text();
  });

  it('cancels a call answered as JSON when the client sends notifications/cancelled; its request ends with 202', async () => {
    const session = await openSession();
    const busy = callsInFlight(gateway);
    const long = post(
      {
        jsonrpc: '2.0',
        id: 13,
        method: 'tools/call',
        params: { name: 'everything__trigger-long-running-operation', arguments: { duration: 10, steps: 2 } },
      },
      session,
    );
    await untilInFlight(gateway, busy + 1);
    const cancel = await post(
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 13, reason: 'gave up' } },
      session,
    );
    expect(cancel.status).toBe(202);
    const ended = await long;
    expect(ended.status).toBe(202);
    expect(await ended.text()).toBe('');
    // The session goes on; a cancellation of nothing known is the SDK server's (accepted, ignored).
    expect((await echo(14, 'after', session)).status).toBe(200);
    const stray = await post(
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 999 } },
      session,
    );
    expect(stray.status).toBe(202);
  }, 20_000);

  it('replays what a client missed when it resumes with Last-Event-ID', async () => {
    const session = await openSession();
    const res = await echoWithProgress(1, 'again', session);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const [priming, reply] = events(await res.text());
    expect(JSON.parse(reply!.data)).toMatchObject({ id: 1, result: { content: [{ text: 'Echo: again' }] } });

    // The client "lost" the stream right after the priming event: resuming replays the reply.
    const controller = new AbortController();
    const resumed = await fetch(`${gateway.url}/mcp`, {
      headers: { ...ACCEPT, ...session, 'last-event-id': priming!.id! },
      signal: controller.signal,
    });
    expect(resumed.status).toBe(200);
    const replayed = events(await readUntil(resumed, controller, (t) => t.includes('Echo: again')));
    expect(replayed.map((e) => e.id)).toContain(reply!.id);
  });

  it('needs a session for GET and DELETE', async () => {
    const res = await fetch(`${gateway.url}/mcp`, { headers: ACCEPT });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32600);
  });

  it('closes a session left idle, and its id then gets 404', async () => {
    const session = await openSession();
    // Probing the session would be activity, so watch the session gauge until the reaper ran.
    for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 250));
      const body = await (await fetch(`${gateway.url}/metrics`)).text();
      if (/^only1mcp_sessions_active\{transport="streamable_http"\} 0$/m.test(body)) break;
    }
    const status = await sessionStatus(session);
    expect(status).toBe(404);
  }, 30_000);

  it('keeps a session with an open GET stream, however long it stays quiet', async () => {
    const session = await openSession();
    const controller = new AbortController();
    const stream = await fetch(`${gateway.url}/mcp`, { headers: { ...ACCEPT, ...session }, signal: controller.signal });
    expect(stream.status).toBe(200);
    await new Promise((r) => setTimeout(r, 3000));
    controller.abort();
    expect(await sessionStatus(session)).toBe(200);
  }, 30_000);

  it('lets a client whose quiet GET stream dropped open a new one at once', async () => {
    const session = await openSession();
    for (let round = 0; round < 3; round++) {
      const controller = new AbortController();
      const stream = await fetch(`${gateway.url}/mcp`, {
        headers: { ...ACCEPT, ...session },
        signal: controller.signal,
      });
      // Not 409 "only one SSE stream": the dropped stream was forgotten when its connection closed.
      expect(stream.status).toBe(200);
      controller.abort();
      // The gateway sees the close as soon as the socket does; give the event loop that turn.
      await new Promise((r) => setTimeout(r, 100));
    }
    // A message with no request of its own now goes to the event store (the stream is gone), so
    // a resumed stream would replay it; the session itself is untouched.
    expect(await sessionStatus(session)).toBe(200);
  }, 30_000);
});

/** Whether the session still exists: a ping answers 200 while it does, 404 once it is closed. */
async function sessionStatus(session: Record<string, string>): Promise<number> {
  const res = await post({ jsonrpc: '2.0', id: 'probe', method: 'ping' }, session);
  await res.text();
  return res.status;
}

describe('/metrics', () => {
  it('counts the requests the gateway answered and reports backend health and sessions', async () => {
    await post(
      { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'nope__x' } },
      { accept: 'application/json' },
    );
    const res = await fetch(`${gateway.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = await res.text();
    expect(body).toMatch(/^only1mcp_requests_total\{method="tools\/call",status="ok"\} [1-9]/m);
    expect(body).toMatch(/^only1mcp_requests_total\{method="tools\/call",status="InvalidParams"\} [1-9]/m);
    expect(body).toMatch(/^only1mcp_request_duration_seconds_bucket\{le="0.005",method="tools\/call"\}/m);
    expect(body).toContain('only1mcp_backend_health_status{server_id="everything"} 1');
    expect(body).toMatch(/^only1mcp_backend_requests_total\{server_id="everything",outcome="ok"\} [1-9]/m);
    expect(body).toContain('only1mcp_circuit_breaker_state{server_id="everything"} 0');
    expect(body).toMatch(/^only1mcp_sessions_active\{transport="streamable_http"\} \d+/m);
    expect(body).toContain('only1mcp_process_resident_memory_bytes');
  });

  it('serves the same text under the admin API to loopback clients', async () => {
    const res = await fetch(`${gateway.url}/api/v1/admin/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('only1mcp_requests_total');
  });
});
