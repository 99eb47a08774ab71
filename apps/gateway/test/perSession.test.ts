/**
 * Server-to-client requests through the gateway (issue 3/8): a backend with
 * `connection.mode: per_session` asks for sampling, elicitation and logs during calls of two
 * clients at once; each request reaches only the client whose call caused it.
 */
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ListRootsRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { ConfigSchema } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { fixtureServerCommand, waitFor } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';

let gateway: RunningGateway;

beforeAll(async () => {
  const parsed = ConfigSchema.parse({
    servers: [
      {
        id: 'asker',
        transport: 'stdio',
        ...fixtureServerCommand({ label: 'asker' }),
        connection: { mode: 'per_session' },
      },
      {
        id: 'everything',
        transport: 'stdio',
        command: process.execPath,
        args: [require.resolve('@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'],
        connection: { mode: 'per_session' },
      },
    ],
  });
  gateway = await startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger);
}, 30_000);

afterAll(() => gateway?.stop());

/** A 2025-11-25 client that answers sampling and elicitation as `name`, and records its log messages. */
async function client(name: string, capable = true): Promise<{ client: Client; asked: string[]; logs: string[] }> {
  const asked: string[] = [];
  const logs: string[] = [];
  const c = new Client({ name, version: '1.0.0' }, { capabilities: capable ? { sampling: {}, elicitation: {} } : {} });
  if (capable) {
    c.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      const content = request.params.messages[0]!.content as { text: string };
      asked.push(content.text);
      // Answer slowly, so the two clients' calls overlap.
      await new Promise((r) => setTimeout(r, 100));
      return { role: 'assistant', model: 'test', content: { type: 'text', text: `${name} says hi` } };
    });
    c.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { answer: `${name}'s answer` } };
    });
  }
  c.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(String(n.params.data)));
  await c.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
  return { client: c, asked, logs };
}

const text = (result: unknown) => (result as { content: { text: string }[] }).content[0]!.text;

describe('per-session backend connections', () => {
  it('sends each client only its own sampling and elicitation requests, with calls of two clients in flight', async () => {
    const [alice, bob] = await Promise.all([client('alice'), client('bob')]);
    try {
      const [a, b] = await Promise.all([
        alice.client.callTool({ name: 'asker__sample', arguments: { prompt: 'for alice' } }),
        bob.client.callTool({ name: 'asker__sample', arguments: { prompt: 'for bob' } }),
      ]);
      expect(text(a)).toBe('sampled: alice says hi');
      expect(text(b)).toBe('sampled: bob says hi');
      expect(alice.asked).toEqual(['for alice']);
      expect(bob.asked).toEqual(['for bob']);

      const elicited = await bob.client.callTool({ name: 'asker__elicit', arguments: { question: 'name?' } });
      expect(text(elicited)).toBe("elicited: accept bob's answer");
      expect(alice.asked).toEqual(['for alice']);
      expect(gateway.registry.status().find((s) => s.id === 'asker')!.sessionConnections).toBe(2);
    } finally {
      await Promise.all([alice.client.close(), bob.client.close()]);
    }
  });

  it('gives the backend a proper error when the client cannot sample', async () => {
    const plain = await client('plain', false);
    try {
      const result = (await plain.client.callTool({ name: 'asker__sample', arguments: { prompt: 'x' } })) as {
        isError?: boolean;
      };
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/Method not found|does not support/);
    } finally {
      await plain.client.close();
    }
  });

  it('forwards log messages to the client whose call logged, at or above the level it set', async () => {
    const [carol, dave] = await Promise.all([client('carol'), client('dave')]);
    try {
      await carol.client.setLoggingLevel('info');
      // Her connection opens after she set the level: it is applied when it opens.
      await carol.client.callTool({ name: 'asker__echo', arguments: { message: 'open my connection' } });
      // The level reached carol's own backend connection: the backend itself now skips debug.
      const quiet = await carol.client.callTool({
        name: 'asker__log',
        arguments: { level: 'debug', message: 'too quiet' },
      });
      expect(text(quiet)).toBe('ignored: debug is below info');
      await carol.client.callTool({ name: 'asker__log', arguments: { level: 'warning', message: 'for carol' } });
      await waitFor('carol to get her log message', () => carol.logs.length === 1);
      expect(carol.logs).toEqual(['for carol']);
      expect(dave.logs).toEqual([]);
      // A new level reaches the connection she already has.
      await carol.client.setLoggingLevel('error');
      const quieter = await carol.client.callTool({
        name: 'asker__log',
        arguments: { level: 'warning', message: 'x' },
      });
      expect(text(quieter)).toBe('ignored: warning is below error');
    } finally {
      await Promise.all([carol.client.close(), dave.client.close()]);
    }
  });

  it('closes a session’s connection when the session ends', async () => {
    const erin = await client('erin');
    await erin.client.callTool({ name: 'asker__echo', arguments: { message: 'hi' } });
    const before = gateway.registry.status().find((s) => s.id === 'asker')!.sessionConnections;
    await (erin.client.transport as StreamableHTTPClientTransport).terminateSession();
    await erin.client.close();
    await waitFor(
      'the session connection to close',
      () => gateway.registry.status().find((s) => s.id === 'asker')!.sessionConnections < before,
    );
  });

  it('turns the backend’s requests into input_required for a 2026-07-28 client, and its retries answer them', async () => {
    const modern = new ClientV2(
      { name: 'frank', version: '2.0.0' },
      { versionNegotiation: { mode: 'auto' }, capabilities: { sampling: {}, elicitation: { form: {} } } },
    );
    const asked: string[] = [];
    modern.setRequestHandler('sampling/createMessage', async (request) => {
      asked.push((request.params as { messages: { content: { text: string } }[] }).messages[0]!.content.text);
      return { role: 'assistant', model: 'test', content: { type: 'text', text: 'frank says hi' } };
    });
    modern.setRequestHandler('elicitation/create', async (request) => {
      asked.push((request.params as { message: string }).message);
      return { action: 'accept', content: { answer: "frank's answer" } };
    });
    await modern.connect(new TransportV2(new URL(`${gateway.url}/mcp`)));
    const before = gateway.registry.status().find((s) => s.id === 'asker')!.sessionConnections;
    try {
      expect(modern.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      // The SDK v2 client answers input_required with its own handlers and retries by itself.
      const sampled = await modern.callTool({ name: 'asker__sample', arguments: { prompt: 'for frank' } });
      expect(text(sampled)).toBe('sampled: frank says hi');
      const elicited = await modern.callTool({ name: 'asker__elicit', arguments: { question: 'frank?' } });
      expect(text(elicited)).toBe("elicited: accept frank's answer");
      expect(asked).toEqual(['for frank', 'frank?']);
      // Each parked call had its own backend connection, closed when the call ended.
      await waitFor(
        'the parked calls’ connections to close',
        () => gateway.registry.status().find((s) => s.id === 'asker')!.sessionConnections === before,
      );
    } finally {
      await modern.close();
    }
  });

  it('serves the reference server’s sampling tool, which it offers only to clients that can sample', async () => {
    const grace = await client('grace');
    try {
      const { tools } = await grace.client.listTools();
      expect(tools.map((t) => t.name)).toContain('everything__trigger-sampling-request');
      const result = await grace.client.callTool({
        name: 'everything__trigger-sampling-request',
        arguments: { prompt: 'for grace', maxTokens: 20 },
      });
      expect(text(result)).toContain('grace says hi');
      expect(grace.asked).toEqual(['Resource trigger-sampling-request context: for grace']);
    } finally {
      await grace.client.close();
    }
  });

  it('answers the backend’s roots/list from the client, and tells it when the client’s roots change', async () => {
    let roots = [{ uri: 'file:///first', name: 'first' }];
    const client = new Client({ name: 'heidi', version: '1.0.0' }, { capabilities: { roots: { listChanged: true } } });
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots }));
    await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
    const listed = async () => text(await client.callTool({ name: 'everything__get-roots-list', arguments: {} }));
    try {
      await waitFor('the backend to have the first roots', async () => (await listed()).includes('file:///first'));
      roots = [{ uri: 'file:///second', name: 'second' }];
      await client.sendRootsListChanged();
      await waitFor('the backend to have the new roots', async () => (await listed()).includes('file:///second'));
    } finally {
      await client.close();
    }
  });

  it('sends a 2026-07-28 client the log messages of its own call, at or above the level its request asks for', async () => {
    const modern = new ClientV2({ name: 'ivan', version: '2.0.0' }, { versionNegotiation: { mode: 'auto' } });
    const logs: string[] = [];
    modern.setNotificationHandler('notifications/message', (n) => void logs.push(String(n.params.data)));
    await modern.connect(new TransportV2(new URL(`${gateway.url}/mcp`)));
    try {
      const meta = { 'io.modelcontextprotocol/logLevel': 'info' };
      await modern.callTool({ name: 'asker__log', arguments: { level: 'debug', message: 'too quiet' }, _meta: meta });
      await modern.callTool({ name: 'asker__log', arguments: { level: 'warning', message: 'for ivan' }, _meta: meta });
      await waitFor('ivan to get his log message', () => logs.length > 0);
      expect(logs).toEqual(['for ivan']);
    } finally {
      await modern.close();
    }
  });

  it('passes a backend’s cancellation of its own request on to the client', async () => {
    const client = new Client({ name: 'judy', version: '1.0.0' }, { capabilities: { sampling: {} } });
    let aborted = false;
    let first = true;
    client.setRequestHandler(CreateMessageRequestSchema, (_request, extra) => {
      if (first) {
        first = false;
        return { role: 'assistant', model: 'test', content: { type: 'text', text: 'ok' } };
      }
      // Never answers by itself: only the backend's cancellation ends it.
      return new Promise((_resolve, reject) =>
        extra.signal.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('cancelled'));
        }),
      );
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
    try {
      // SDK v1 clients ignore a cancellation of request id 0 (a falsy-id check), so the request
      // that gets cancelled must not be the first one this session received.
      await client.callTool({ name: 'asker__sample', arguments: { prompt: 'warm-up' } });
      const result = await client.callTool({ name: 'asker__sample-abandoned', arguments: { after_ms: 200 } });
      expect(text(result)).toBe('abandoned');
      await waitFor('the client to see the cancellation', () => aborted);
    } finally {
      await client.close();
    }
  });
});
