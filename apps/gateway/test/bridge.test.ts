/**
 * Bridging the generations (issue 3/8): a current-protocol (2026-07-28) backend that asks for
 * input by answering `input_required`, behind the gateway, used by a 2025-11-25 client (which gets
 * a real elicitation request on its stream) and by a 2026-07-28 client (which gets the
 * `input_required` result and retries with its answer). The requestState the client echoes is the
 * gateway's, signed: a forged one is refused.
 */
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { ConfigSchema } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { startModernFixture, type ModernFixture } from '@only1mcp/test-utils';
import { startGateway, type RunningGateway } from '../src';

let backend: ModernFixture;
let gateway: RunningGateway;

beforeAll(async () => {
  backend = await startModernFixture();
  const parsed = ConfigSchema.parse({ servers: [{ id: 'modern', transport: 'http', url: backend.url }] });
  gateway = await startGateway({ ...parsed, server: { ...parsed.server, port: 0 } }, silentLogger);
}, 30_000);

afterAll(async () => {
  await gateway?.stop();
  await backend?.stop();
});

const text = (result: unknown) => (result as { content: { text: string }[] }).content[0]!.text;

describe('a 2026-07-28 backend that answers input_required', () => {
  it('speaks the current protocol with the gateway', () => {
    expect(gateway.registry.status()[0]!.up).toBe(true);
  });

  it('becomes a real elicitation request for a 2025-11-25 client, and the answer completes the call', async () => {
    const client = new ClientV1({ name: 'old', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { answer: 'yes from v1' } };
    });
    await client.connect(new TransportV1(new URL(`${gateway.url}/mcp`)));
    try {
      const result = await client.callTool({ name: 'modern__confirm', arguments: { question: 'Deploy?' } });
      expect(asked).toEqual(['Deploy?']);
      expect(text(result)).toBe('confirmed: accept yes from v1 (state round-1)');
    } finally {
      await client.close();
    }
  });

  it('reaches a 2026-07-28 client as input_required; its retry with the answer completes the call', async () => {
    const client = new ClientV2(
      { name: 'new', version: '2.0.0' },
      { versionNegotiation: { mode: 'auto' }, capabilities: { elicitation: { form: {} } } },
    );
    const asked: string[] = [];
    client.setRequestHandler('elicitation/create', async (request) => {
      asked.push((request.params as { message: string }).message);
      return { action: 'accept', content: { answer: 'yes from v2' } };
    });
    await client.connect(new TransportV2(new URL(`${gateway.url}/mcp`)));
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const result = await client.callTool({ name: 'modern__confirm', arguments: { question: 'Ship?' } });
      expect(asked).toEqual(['Ship?']);
      expect(text(result)).toBe('confirmed: accept yes from v2 (state round-1)');
    } finally {
      await client.close();
    }
  });

  it('refuses a retry whose requestState the gateway did not sign', async () => {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
    };
    const res = await fetch(`${gateway.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'modern__confirm',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'modern__confirm',
          arguments: {},
          requestState: 'forged',
          inputResponses: { q: { action: 'accept', content: { answer: 'x' } } },
          _meta: meta,
        },
      }),
    });
    const body = await res.text();
    expect(body).toContain('Invalid or expired requestState');
  });
});
