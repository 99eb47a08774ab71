/**
 * Quiet 2025-11-25 sessions sleep (`server.session_hibernate_after`) and wake on their next
 * request: the client keeps its session id and what it set (its log level), sees the same tools,
 * and cannot tell. Sessions with an open stream never sleep; a dormant session still closes when
 * idle for `session_idle_timeout`. A new session its client does not use sleeps soon after its
 * handshake (`server.session_hibernate_after_handshake`), and is answered its lists asleep.
 */
import { ConfigSchema } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { fixtureServerCommand, waitFor } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway, type SessionSummary } from '../src';

const ACCEPT = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

let gateway: RunningGateway;

beforeAll(async () => {
  const parsed = ConfigSchema.parse({
    server: { session_hibernate_after: '1s', session_idle_timeout: '6s' },
    // Per-session connections: a session that holds one must stay awake, and one opened after
    // waking must get the log level the client set before sleeping.
    servers: [
      {
        id: 'fx',
        transport: 'stdio',
        ...fixtureServerCommand(),
        connection: { mode: 'per_session', idle_timeout: '1s' },
      },
    ],
  });
  gateway = await startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger);
}, 30_000);

afterAll(() => gateway.stop());

const post = (body: unknown, headers: Record<string, string> = {}, on = gateway) =>
  fetch(`${on.url}/mcp`, { method: 'POST', headers: { ...ACCEPT, ...headers }, body: JSON.stringify(body) });

/** The JSON-RPC message of an SSE (or JSON) reply. */
async function reply(res: Response): Promise<{ result?: Record<string, unknown>; error?: { code: number } }> {
  const text = await res.text();
  // An SSE reply starts with a priming event without data; the message is the last event.
  const data = [...text.matchAll(/^data: ?(.+)$/gm)].pop()?.[1] ?? text;
  return JSON.parse(data) as { result?: Record<string, unknown>; error?: { code: number } };
}

async function openSession(name: string, on = gateway): Promise<Record<string, string>> {
  const init = await post(
    {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name, version: '1.2.3' } },
    },
    {},
    on,
  );
  await init.text();
  const headers = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
  expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers, on)).status).toBe(202);
  return headers;
}

async function summary(id: string, on = gateway): Promise<SessionSummary | undefined> {
  const res = await fetch(`${on.url}/api/v1/admin/sessions`);
  return ((await res.json()) as { sessions: SessionSummary[] }).sessions.find((s) => s.id === id);
}

/** Waits (bounded) until the admin API shows the session asleep. */
async function untilDormant(id: string, on = gateway): Promise<SessionSummary | undefined> {
  await waitFor(`session ${id} asleep`, async () => (await summary(id, on))?.dormant === true);
  return summary(id, on);
}

/** A gateway in front of the fixture server with these `server` settings. */
async function gatewayWith(server: Record<string, unknown>): Promise<RunningGateway> {
  const parsed = ConfigSchema.parse({ server, servers: [{ id: 'fx', transport: 'stdio', ...fixtureServerCommand() }] });
  return startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger);
}

describe('dormant sessions', () => {
  it('puts a quiet session to sleep and wakes it, unchanged, on its next request', async () => {
    const session = await openSession('sleeper');
    const id = session['mcp-session-id']!;
    const before = await reply(await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, session));
    expect(
      (
        await reply(
          await post({ jsonrpc: '2.0', id: 2, method: 'logging/setLevel', params: { level: 'error' } }, session),
        )
      ).result,
    ).toEqual({});

    const asleep = await untilDormant(id);
    expect(asleep).toMatchObject({ dormant: true, client: { name: 'sleeper', version: '1.2.3' } });

    const call = await post(
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'fx__echo', arguments: { message: 'awake' } } },
      session,
    );
    expect(call.status).toBe(200);
    expect(call.headers.get('mcp-session-id')).toBe(id);
    expect(JSON.stringify((await reply(call)).result)).toContain('awake');
    const after = await reply(await post({ jsonrpc: '2.0', id: 4, method: 'tools/list' }, session));
    expect(after.result).toEqual(before.result);
    // The level it set before sleeping still holds: the session's own backend connection, opened
    // after waking, ignores a warning below "error" (a session that set no level gets it logged).
    const log = async (headers: Record<string, string>) =>
      JSON.stringify(
        (
          await reply(
            await post(
              {
                jsonrpc: '2.0',
                id: 7,
                method: 'tools/call',
                params: { name: 'fx__log', arguments: { level: 'warning', message: 'hush' } },
              },
              headers,
            ),
          )
        ).result,
      );
    expect(await log(session)).toContain('ignored: warning is below error');
    // Read at once: the control session below starts a backend process of its own, which on a
    // loaded machine may take longer than session_hibernate_after (1 s).
    const awake = await summary(id);
    expect(awake).toMatchObject({ client: { name: 'sleeper' } });
    expect(awake?.dormant).toBeUndefined();
    expect(await log(await openSession('control'))).toContain('logged');
  }, 30_000);

  it('never puts a session with an open GET stream to sleep', async () => {
    const session = await openSession('listener');
    const controller = new AbortController();
    const stream = await fetch(`${gateway.url}/mcp`, { headers: { ...ACCEPT, ...session }, signal: controller.signal });
    expect(stream.status).toBe(200);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await summary(session['mcp-session-id']!))?.dormant).toBeUndefined();
    controller.abort();
  }, 30_000);

  it('ends a session on DELETE while it sleeps', async () => {
    const session = await openSession('leaver');
    await untilDormant(session['mcp-session-id']!);
    const del = await fetch(`${gateway.url}/mcp`, { method: 'DELETE', headers: { ...ACCEPT, ...session } });
    expect(del.status).toBe(200);
    expect(await summary(session['mcp-session-id']!)).toBeUndefined();
    const again = await post({ jsonrpc: '2.0', id: 5, method: 'ping' }, session);
    expect(again.status).toBe(404);
  }, 30_000);

  it('closes a dormant session left idle for session_idle_timeout', async () => {
    const session = await openSession('gone');
    await untilDormant(session['mcp-session-id']!);
    await waitFor(
      'the dormant session closed',
      async () => (await summary(session['mcp-session-id']!)) === undefined,
      15_000,
    );
    const res = await post({ jsonrpc: '2.0', id: 6, method: 'ping' }, session);
    expect(res.status).toBe(404);
  }, 30_000);
});

describe('new sessions', () => {
  // session_hibernate_after is a minute here: a session asleep within the test's bounds was put
  // to sleep by session_hibernate_after_handshake (its default, 200 ms), not by the reaper.
  let fresh: RunningGateway;
  beforeAll(async () => {
    fresh = await gatewayWith({ session_hibernate_after: '1m' });
  }, 30_000);
  afterAll(() => fresh.stop());

  it('sleep soon after their handshake, are answered their lists asleep, and wake on a call', async () => {
    const session = await openSession('fresh', fresh);
    const id = session['mcp-session-id']!;
    const asleep = await untilDormant(id, fresh);
    expect(asleep).toMatchObject({ dormant: true, client: { name: 'fresh', version: '1.2.3' } });

    // A list needs nothing of the session's server: answered (plain JSON) without waking it, and
    // counted as activity (its lastSeen moves, so session_idle_timeout counts from it).
    await new Promise((r) => setTimeout(r, 20));
    const list = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, session, fresh);
    expect(list.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.stringify((await reply(list)).result)).toContain('fx__echo');
    const listed = await summary(id, fresh);
    expect(listed?.dormant).toBe(true);
    expect(Date.parse(listed!.lastSeen)).toBeGreaterThan(Date.parse(asleep!.lastSeen));

    const call = await post(
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'fx__echo', arguments: { message: 'up' } } },
      session,
      fresh,
    );
    expect(call.headers.get('mcp-session-id')).toBe(id);
    expect(JSON.stringify((await reply(call)).result)).toContain('up');
    // Woken by a request, it now sleeps after session_hibernate_after like any used session.
    await new Promise((r) => setTimeout(r, 500));
    expect((await summary(id, fresh))?.dormant).toBeUndefined();
  }, 30_000);

  it('stay awake when their client uses them at once', async () => {
    const session = await openSession('busy', fresh);
    const call = await post(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'fx__echo', arguments: { message: 'now' } } },
      session,
      fresh,
    );
    expect(JSON.stringify((await reply(call)).result)).toContain('now');
    // Well past the 200 ms a new session is given.
    await new Promise((r) => setTimeout(r, 500));
    const summarised = await summary(session['mcp-session-id']!, fresh);
    expect(summarised).toMatchObject({ client: { name: 'busy' } });
    expect(summarised?.dormant).toBeUndefined();
  }, 30_000);

  it('sleep like any other session when session_hibernate_after_handshake is not shorter', async () => {
    const other = await gatewayWith({ session_hibernate_after: '1m', session_hibernate_after_handshake: '1m' });
    try {
      const session = await openSession('stay', other);
      await new Promise((r) => setTimeout(r, 500));
      const summarised = await summary(session['mcp-session-id']!, other);
      expect(summarised).toMatchObject({ client: { name: 'stay' } });
      expect(summarised?.dormant).toBeUndefined();
    } finally {
      await other.stop();
    }
  }, 30_000);
});
