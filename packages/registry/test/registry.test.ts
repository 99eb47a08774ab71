/**
 * The registry against the real reference server (@modelcontextprotocol/server-everything) as a
 * stdio child process.
 */
import { ConfigSchema } from '@only1mcp/config';
import { Registry, silentLogger } from '../src';

const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

describe('Registry with real stdio backends', () => {
  const config = ConfigSchema.parse({
    servers: [
      { id: 'everything', transport: 'stdio', command: process.execPath, args: [everything, 'stdio'], replicas: 2 },
      {
        id: 'broken',
        transport: 'stdio',
        command: '/nonexistent/binary',
        connect_timeout: '2s',
        restart: { initial_delay: '50ms', max_delay: '100ms' },
      },
    ],
  });
  const registry = new Registry(config, { logger: silentLogger });

  beforeAll(() => registry.start(), 30_000);
  afterAll(() => registry.stop());

  it('aggregates tools under prefixed names and routes calls to the owner', async () => {
    expect(registry.catalog.tools.map((t) => t.name)).toContain('everything__echo');
    const result = await registry.callTool({ name: 'everything__echo', arguments: { message: 'hi' } });
    expect(result).toEqual({ content: [{ type: 'text', text: 'Echo: hi' }] });
  });

  it('reads resources and gets prompts through the owner', async () => {
    const uri = registry.catalog.resources[0]!.uri;
    const read = (await registry.routeByUri('resources/read', { uri })) as { contents: { uri: string }[] };
    expect(read.contents[0]!.uri).toBe(uri);
    const prompt = registry.catalog.prompts.find((p) => !(p.arguments ?? []).some((a) => a.required))!;
    const got = (await registry.getPrompt({ name: prompt.name })) as { messages: unknown[] };
    expect(got.messages.length).toBeGreaterThan(0);
  });

  it('passes on every progress notification, the last one too, though it arrives with the result', async () => {
    // The reference server writes its last step and its result back to back, so they usually reach
    // the gateway in one stdio chunk; the SDK alone then drops that step (notificationOrder.ts).
    for (let call = 0; call < 8; call++) {
      const steps: number[] = [];
      const result = await registry.callTool(
        { name: 'everything__trigger-long-running-operation', arguments: { duration: 0.1, steps: 2 } },
        { onProgress: (progress) => steps.push(progress.progress) },
      );
      expect(result).toMatchObject({ content: [{ text: expect.stringContaining('completed') }] });
      expect(steps).toEqual([1, 2]);
    }
  });

  it('names an unknown tool in its error', async () => {
    await expect(registry.callTool({ name: 'everything__nope' })).rejects.toMatchObject({
      codeName: 'InvalidParams',
      message: 'Unknown tool: everything__nope',
    });
  });

  it('reports each replica and keeps serving while a backend is broken', () => {
    const status = Object.fromEntries(registry.status().map((s) => [s.id, s]));
    expect(status.everything!.replicas.map((r) => r.state)).toEqual(['up', 'up']);
    expect(status.broken!.up).toBe(false);
    expect(status.broken!.replicas[0]!.lastError).toMatch(/ENOENT|Cannot connect/);
    expect(registry.ready).toBe(false);
  });

  it('answers InvalidParams for a URI no backend owns, even with its backends down', async () => {
    const only = new Registry(
      ConfigSchema.parse({
        servers: [{ id: 'down', transport: 'stdio', command: '/nonexistent/binary', connect_timeout: '1s' }],
      }),
      { logger: silentLogger },
    );
    await only.start();
    try {
      // Nothing is listed while it is down, so route through the backend directly.
      await expect(only.routeByUri('resources/read', { uri: 'x://y' })).rejects.toMatchObject({
        codeName: 'InvalidParams',
      });
    } finally {
      await only.stop();
    }
  });
});
