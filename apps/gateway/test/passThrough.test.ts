/**
 * What crosses the gateway besides requests and results (issue 3/8), end to end with real
 * processes and both SDK client generations: progress during a call, cancellation reaching the
 * backend, and list_changed when a backend's tools change.
 */
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport as SseTransportV1 } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { ConfigSchema } from '@only1mcp/config';
import { METRIC } from '@only1mcp/metrics';
import { Agent, request as httpRequest, type ClientRequest } from 'node:http';
import { silentLogger } from '@only1mcp/registry';
import { fixtureServerCommand, startHttpFixture, waitFor, type HttpFixture } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';
import { callsInFlight, untilInFlight } from './support/inFlight';
import { sampleValue, scrape } from './support/metrics';
import { untilStreamsOpen } from './support/sessionStreams';

const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

let gateway: RunningGateway;
let httpFixture: HttpFixture;

beforeAll(async () => {
  httpFixture = await startHttpFixture({ transport: 'http', label: 'remote' });
  const parsed = ConfigSchema.parse({
    servers: [
      { id: 'everything', transport: 'stdio', command: process.execPath, args: [everything, 'stdio'] },
      { id: 'fixture', transport: 'stdio', ...fixtureServerCommand({ label: 'local' }) },
      { id: 'remote', transport: 'http', url: httpFixture.url },
    ],
  });
  gateway = await startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger);
}, 30_000);

afterAll(async () => {
  await gateway?.stop();
  await httpFixture?.stop();
});

// The fixture pauses after each notification, the last one included: SDK clients drop a progress
// notification that reaches them in the same chunk as the result, whoever sends it.
const PROGRESS = { name: 'fixture__progress', arguments: { steps: 4 } };

async function v1(): Promise<ClientV1> {
  const client = new ClientV1({ name: 'pass-through-v1', version: '1.0.0' });
  await client.connect(new TransportV1(new URL(`${gateway.url}/mcp`)));
  return client;
}

async function v2(): Promise<ClientV2> {
  const client = new ClientV2({ name: 'pass-through-v2', version: '2.0.0' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(new TransportV2(new URL(`${gateway.url}/mcp`)));
  expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
  return client;
}

async function cancellations(tool: string, client: ClientV1 | ClientV2): Promise<number> {
  const result = (await client.callTool({ name: tool, arguments: {} })) as { content: { text: string }[] };
  return (JSON.parse(result.content[0]!.text) as { cancelled: number }).cancelled;
}

describe('progress during a call', () => {
  it('reaches an SDK v1 client (2025-11-25 session) under its own token, in order, before the result', async () => {
    const client = await v1();
    try {
      const seen: { progress: number; total?: number; message?: string }[] = [];
      const result = await client.callTool(PROGRESS, undefined, { onprogress: (p) => void seen.push(p) });
      expect(result.content).toEqual([{ type: 'text', text: 'done 4' }]);
      expect(seen).toEqual([1, 2, 3, 4].map((i) => ({ progress: i, total: 4, message: `step ${i} of 4` })));
    } finally {
      await client.close();
    }
  });

  it('reaches it from a Streamable HTTP backend too, whose answer streams (not read whole first)', async () => {
    const client = await v1();
    try {
      const seen: number[] = [];
      const result = await client.callTool({ ...PROGRESS, name: 'remote__progress' }, undefined, {
        onprogress: (p) => void seen.push(p.progress),
      });
      expect(result.content).toEqual([{ type: 'text', text: 'done 4' }]);
      expect(seen).toEqual([1, 2, 3, 4]);
    } finally {
      await client.close();
    }
  });

  it('reaches an SDK v2 client (2026-07-28, stateless)', async () => {
    const client = await v2();
    try {
      const seen: number[] = [];
      await client.callTool(PROGRESS, { onprogress: (p) => void seen.push(p.progress) });
      expect(seen).toEqual([1, 2, 3, 4]);
    } finally {
      await client.close();
    }
  });

  it('passes on every step of the reference server’s long-running operation, the last one before the result', async () => {
    // The server writes its last step and its result back to back, so they reach the gateway in
    // one chunk; the SDK's client alone would drop that step (registry's notificationOrder.ts).
    // Read off the wire: the SDK client at this end has the same race and may drop it again.
    const replies: Promise<string>[] = [];
    const recording: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (init?.method === 'POST') replies.push(res.clone().text());
      return res;
    };
    const client = new ClientV1({ name: 'pass-through-v1', version: '1.0.0' });
    await client.connect(new TransportV1(new URL(`${gateway.url}/mcp`), { fetch: recording }));
    try {
      for (let call = 0; call < 4; call++) {
        replies.length = 0;
        const result = await client.callTool(
          { name: 'everything__trigger-long-running-operation', arguments: { duration: 0.2, steps: 4 } },
          undefined,
          { onprogress: () => undefined },
        );
        expect(JSON.stringify(result.content)).toContain('Long running operation completed');
        const events = [...(await replies[0]!).matchAll(/^data: ?(\S.*)$/gm)].map((m) => {
          const message = JSON.parse(m[1]!) as { method?: string; params?: { progress?: number } };
          return message.method === 'notifications/progress' ? message.params!.progress : 'result';
        });
        expect(events).toEqual([1, 2, 3, 4, 'result']);
      }
    } finally {
      await client.close();
    }
  });
});

/** The gateway's `only1mcp_listen_streams` gauge. */
async function listenStreams(): Promise<number | undefined> {
  return sampleValue(await scrape(gateway.url), METRIC.listenStreams);
}

/** Waits until each of `clients` (SDK v1 sessions) has its GET stream open at the gateway (admin API). */
/**
 * Starts `call` (a `hang` tool call under `signal`), aborts it, and waits until `server`'s backend
 * has counted the cancellation.
 */
async function abortReachesBackend(
  client: ClientV1 | ClientV2,
  server: string,
  call: (signal: AbortSignal) => Promise<unknown>,
): Promise<void> {
  const before = await cancellations(`${server}__cancellations`, client);
  const controller = new AbortController();
  const busy = callsInFlight(gateway);
  const pending = call(controller.signal);
  await untilInFlight(gateway, busy + 1);
  controller.abort('user gave up');
  await expect(pending).rejects.toThrow();
  await waitFor(
    'the backend to see the cancellation',
    async () => (await cancellations(`${server}__cancellations`, client)) > before,
  );
}

/** The client goes on after a cancelled call: the next call is answered. */
async function expectNextCallAnswered(client: ClientV1 | ClientV2): Promise<void> {
  expect(await client.callTool({ name: 'fixture__echo', arguments: { message: 'after' } })).toMatchObject({
    content: [{ type: 'text', text: 'after' }],
  });
}

describe('cancellation', () => {
  it('reaches the backend when an SDK v1 client on the legacy SSE front cancels (a call the gateway answers itself)', async () => {
    const client = new ClientV1({ name: 'pass-through-sse', version: '1.0.0' });
    await client.connect(new SseTransportV1(new URL(`${gateway.url}/sse`)));
    try {
      await abortReachesBackend(client, 'fixture', (signal) =>
        client.callTool({ name: 'fixture__hang', arguments: {} }, undefined, { signal }),
      );
      // The stream goes on: the cancelled call's reply was not sent, the next call's is.
      await expectNextCallAnswered(client);
    } finally {
      await client.close();
    }
  });

  it.each([
    ['stdio', 'fixture'],
    ['Streamable HTTP', 'remote'],
  ])('reaches a %s backend when an SDK v1 client cancels, and the backend stays healthy', async (_kind, server) => {
    const client = await v1();
    try {
      await abortReachesBackend(client, server, (signal) =>
        client.callTool({ name: `${server}__hang`, arguments: {} }, undefined, { signal }),
      );
      const status = gateway.registry.status().find((s) => s.id === server)!;
      expect(status.replicas[0]!.breaker).toBe('closed');
    } finally {
      await client.close();
    }
  });

  it('reaches the backend when an SDK v2 client (2026-07-28) aborts its call, which hangs up its request', async () => {
    const client = await v2();
    try {
      await abortReachesBackend(client, 'fixture', (signal) =>
        client.callTool({ name: 'fixture__hang', arguments: {} }, { signal }),
      );
      // The connection's hang-up signal serves its next requests as before.
      await expectNextCallAnswered(client);
    } finally {
      await client.close();
    }
  });
});

/** A stateless POST (no session, no protocol header: the gateway's fast path) on `agent`; resolves with the parsed reply. */
function statelessPost(agent: Agent, body: unknown, sent?: (req: ClientRequest) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${gateway.url}/mcp`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(JSON.parse(text)));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
    sent?.(req);
  });
}

describe('cancellation of a stateless call', () => {
  it('reaches the backend when the client hangs up, after many calls on the same keep-alive connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const call = (name: string, id: number) =>
        ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } }) as const;
      const counted = async (id: number) => {
        const reply = (await statelessPost(agent, call('fixture__cancellations', id))) as {
          result: { content: { text: string }[] };
        };
        return (JSON.parse(reply.result.content[0]!.text) as { cancelled: number }).cancelled;
      };
      // Many calls on one connection first: they share its hang-up signal, which must still work after them.
      let before = 0;
      for (let id = 1; id <= 15; id++) before = await counted(id);
      const busy = callsInFlight(gateway);
      let sockets = 0;
      const hung = statelessPost(agent, call('fixture__hang', 99), (req) =>
        req.on('socket', () => {
          sockets += 1;
          void untilInFlight(gateway, busy + 1).then(() => req.destroy());
        }),
      );
      await expect(hung).rejects.toThrow();
      expect(sockets).toBe(1);
      await waitFor('the backend to see the cancellation', async () => (await counted(100)) > before);
    } finally {
      agent.destroy();
    }
  });
});

describe('list_changed', () => {
  it('tells a session on its GET stream and a current-protocol client on subscriptions/listen when a backend adds a tool', async () => {
    const session = await v1();
    const sessionHeard = new Promise<void>((resolve) =>
      session.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()),
    );
    const modern = new ClientV2(
      { name: 'listen-v2', version: '2.0.0' },
      {
        versionNegotiation: { mode: 'auto' },
        listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => modernHeard.resolve() } },
      },
    );
    const modernHeard = deferred();
    await modern.connect(new TransportV2(new URL(`${gateway.url}/mcp`)));
    try {
      // Both streams open, where list changes travel: the v1 session's GET stream, the v2 client's
      // subscriptions/listen stream (the gateway's only1mcp_listen_streams gauge).
      await untilStreamsOpen(gateway.url, session);
      await waitFor('the listen stream to open', async () => (await listenStreams()) === 1);
      await session.callTool({ name: 'fixture__add-tool', arguments: { name: 'fresh' } });
      await sessionHeard;
      await modernHeard.promise;
      const { tools } = await session.listTools();
      expect(tools.map((t) => t.name)).toContain('fixture__fresh');
      expect(await session.callTool({ name: 'fixture__fresh', arguments: {} })).toMatchObject({
        content: [{ text: 'added fresh' }],
      });
    } finally {
      await session.close();
      await modern.close();
    }
    await waitFor('the listen stream to be counted closed', async () => (await listenStreams()) === 0);
  });
});

describe('resource subscriptions', () => {
  const URI = 'fixture://info';

  async function backendSubscriptions(client: ClientV1): Promise<string[]> {
    const result = (await client.callTool({ name: 'fixture__subscriptions', arguments: {} })) as {
      content: { text: string }[];
    };
    return (JSON.parse(result.content[0]!.text) as { subscribed: string[] }).subscribed;
  }

  it('delivers an update only to the sessions subscribed to that URI, and releases the backend after the last one', async () => {
    const [a, b, c] = await Promise.all([v1(), v1(), v1()]);
    const heard = { a: [] as string[], b: [] as string[], c: [] as string[] };
    a.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void heard.a.push(n.params.uri));
    b.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void heard.b.push(n.params.uri));
    c.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void heard.c.push(n.params.uri));
    try {
      expect(a.getServerCapabilities()?.resources).toMatchObject({ subscribe: true });
      await a.subscribeResource({ uri: URI });
      await b.subscribeResource({ uri: URI });
      expect(await backendSubscriptions(a)).toEqual([URI]);
      // Both subscribers' GET streams open, where updates travel.
      await untilStreamsOpen(gateway.url, a, b);

      await c.callTool({ name: 'fixture__touch', arguments: { uri: URI } });
      await waitFor('both subscribers to hear the update', () => heard.a.length === 1 && heard.b.length === 1);
      expect(heard).toEqual({ a: [URI], b: [URI], c: [] });

      await a.unsubscribeResource({ uri: URI });
      expect(await backendSubscriptions(a)).toEqual([URI]); // b still holds it
      // b's session ends without unsubscribing: its subscription goes with it.
      await (b.transport as TransportV1).terminateSession();
      await waitFor(
        'the backend subscription to be released',
        async () => (await backendSubscriptions(a)).length === 0,
      );
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('subscribes again for its sessions when the backend restarts, so updates keep coming', async () => {
    const a = await v1();
    const heard: string[] = [];
    a.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void heard.push(n.params.uri));
    const replica = () => gateway.registry.status().find((s) => s.id === 'fixture')!.replicas[0]!;
    try {
      await a.subscribeResource({ uri: URI });
      await untilStreamsOpen(gateway.url, a);
      const restarts = replica().restarts;
      // The backend process dies: what it held, its subscriptions included, goes with it.
      await a.callTool({ name: 'fixture__crash', arguments: {} }).catch(() => undefined);
      await waitFor('the backend to be back', () => replica().restarts > restarts && replica().state === 'up', 15_000);
      await waitFor('the gateway to subscribe again', async () => (await backendSubscriptions(a)).includes(URI));
      await a.callTool({ name: 'fixture__touch', arguments: { uri: URI } });
      await waitFor('the subscriber to hear the update', () => heard.length === 1);
      expect(heard).toEqual([URI]);
    } finally {
      await a.close();
    }
  }, 30_000);
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
