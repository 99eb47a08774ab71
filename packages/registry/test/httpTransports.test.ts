/**
 * Remote backends of both HTTP generations side by side: Streamable HTTP (sessionful) and the
 * legacy SSE transport (GET /sse + POST /messages), each an SDK v1 server in its own process.
 */
import { ConfigSchema } from '@only1mcp/config';
import { ErrorCode } from '@only1mcp/mcp-types';
import { FIXTURE_RESOURCE_URI, startHttpFixture, type HttpFixture } from '@only1mcp/test-utils';
import { Registry, silentLogger } from '../src';
import { waitFor, whoami } from './support';

describe('Streamable HTTP and SSE backends', () => {
  let stream: HttpFixture;
  let legacy: HttpFixture;
  let registry: Registry;
  const replica = (id: string) => registry.status().find((s) => s.id === id)!.replicas[0]!;

  beforeAll(async () => {
    [stream, legacy] = await Promise.all([
      startHttpFixture({ transport: 'http', label: 'stream' }),
      startHttpFixture({ transport: 'sse', label: 'legacy' }),
    ]);
    registry = new Registry(
      ConfigSchema.parse({
        servers: [
          { id: 'stream', transport: 'http', url: stream.url, connect_timeout: '3s', request_timeout: '5s' },
          { id: 'legacy', transport: 'sse', url: legacy.url, connect_timeout: '3s', request_timeout: '5s' },
        ],
      }),
      { logger: silentLogger },
    );
    await registry.start();
    // start() waits connect_timeout at most; on a loaded machine a backend may connect after it.
    // (A backend's lists are set all at once: its prompt listed means all its lists are.)
    await waitFor(
      'both backends up and listed',
      () =>
        registry.ready &&
        ['stream', 'legacy'].every((id) => registry.catalog.prompts.some((p) => p.name === `${id}__greet`)),
      15_000,
    );
  }, 30_000);
  afterAll(async () => {
    await registry?.stop();
    await Promise.all([stream?.stop(), legacy?.stop()]);
  });

  it('aggregates the tools, prompts and resources of both', () => {
    expect(registry.ready).toBe(true);
    const tools = registry.catalog.tools.map((t) => t.name);
    for (const name of ['whoami', 'echo', 'slow', 'hang', 'crash']) {
      expect(tools).toContain(`stream__${name}`);
      expect(tools).toContain(`legacy__${name}`);
    }
    expect(registry.catalog.prompts.map((p) => p.name).sort()).toEqual(['legacy__greet', 'stream__greet']);
    expect(registry.catalog.resources.map((r) => r.uri)).toContain(FIXTURE_RESOURCE_URI);
  });

  it('routes calls, prompts and reads to the owning backend', async () => {
    expect((await whoami(registry, 'stream__whoami')).label).toBe('stream');
    expect((await whoami(registry, 'legacy__whoami')).label).toBe('legacy');
    const echoed = await registry.callTool({ name: 'legacy__echo', arguments: { message: 'over sse' } });
    expect(echoed).toEqual({ content: [{ type: 'text', text: 'over sse' }] });
    const prompt = (await registry.getPrompt({ name: 'legacy__greet', arguments: { name: 'Ada' } })) as {
      messages: { content: { text: string } }[];
    };
    expect(prompt.messages[0]!.content.text).toBe('Hello Ada from legacy');
    // Both list the same URI; the first server in configuration order owns it.
    const read = (await registry.routeByUri('resources/read', { uri: FIXTURE_RESOURCE_URI })) as {
      contents: { text: string }[];
    };
    expect(read.contents[0]!.text).toBe('stream');
  });

  it('passes a backend’s own tool error through as a result, not as a gateway error', async () => {
    // An argument the tool rejects is the backend's answer to the client, and leaves the breaker alone.
    const result = (await registry.callTool({ name: 'stream__echo', arguments: { message: 42 } })) as {
      isError?: boolean;
    };
    expect(result.isError).toBe(true);
    expect(replica('stream').breaker).toBe('closed');
  });

  it('reports an SSE backend that died as unavailable, and reconnects when it is back', async () => {
    await legacy.kill();
    await expect(registry.callTool({ name: 'legacy__whoami', arguments: {} })).rejects.toMatchObject({
      code: ErrorCode.BackendUnavailable,
    });
    await waitFor('the SSE replica to be marked down', () => replica('legacy').state !== 'up');
    await legacy.restart();
    await waitFor('the SSE replica to reconnect', () => replica('legacy').state === 'up', 15_000);
    expect((await whoami(registry, 'legacy__whoami')).pid).toBe(legacy.pid);
  });
});
