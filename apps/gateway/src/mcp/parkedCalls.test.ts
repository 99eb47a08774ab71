import { ConfigSchema } from '@only1mcp/config';
import { Registry, silentLogger } from '@only1mcp/registry';
import { ParkedCalls } from './parkedCalls';

// A registry that is never started: parked calls only ask it to release session connections.
const registry = new Registry(ConfigSchema.parse({ servers: [{ id: 'x', transport: 'stdio', command: 'true' }] }), {
  logger: silentLogger,
});

describe('ParkedCalls', () => {
  it('hands each backend request out as input, feeds the answers back, and ends with the result', async () => {
    const parked = new ParkedCalls(registry);
    const first = await parked.start({ sampling: {} }, async (session) => {
      const a = await session.client.request('sampling/createMessage', { messages: [] });
      const b = await session.client.request('roots/list', undefined);
      return { content: [{ type: 'text', text: `${JSON.stringify(a)} ${JSON.stringify(b)}` }] };
    });
    expect(first).toMatchObject({ kind: 'input', key: 'r1', request: { method: 'sampling/createMessage' } });
    if (first.kind !== 'input') throw new Error('unreachable');
    const second = await parked.resume(first.parkId, { r1: { model: 'm' } });
    expect(second).toMatchObject({ kind: 'input', key: 'r2', request: { method: 'roots/list' } });
    const done = await parked.resume(first.parkId, { r2: { roots: [] } });
    expect(done).toEqual({ kind: 'done', result: { content: [{ type: 'text', text: '{"model":"m"} {"roots":[]}' }] } });
    expect(parked.size).toBe(0);
    parked.close();
  });

  it('refuses to resume a call it does not hold', async () => {
    const parked = new ParkedCalls(registry);
    await expect(parked.resume('nope', {})).rejects.toMatchObject({ codeName: 'InvalidParams' });
    parked.close();
  });

  it('fails the backend request when the retry carries no answer for it', async () => {
    const parked = new ParkedCalls(registry);
    const first = await parked.start({ elicitation: {} }, async (session) => {
      try {
        await session.client.request('elicitation/create', {});
        return { content: [] };
      } catch (err) {
        return { content: [{ type: 'text', text: (err as Error).message }] };
      }
    });
    if (first.kind !== 'input') throw new Error('expected input');
    const done = await parked.resume(first.parkId, {});
    expect(done).toEqual({
      kind: 'done',
      result: { content: [{ type: 'text', text: 'The retry carries no answer for r1' }] },
    });
    parked.close();
  });
});
