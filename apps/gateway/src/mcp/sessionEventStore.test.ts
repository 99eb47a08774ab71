import { SessionEventStore } from './sessionEventStore';

const msg = (id: number) => ({
  jsonrpc: '2.0' as const,
  method: 'notifications/progress',
  params: { progressToken: 't', progress: id },
});

async function replay(store: SessionEventStore, after: string) {
  const sent: [string, unknown][] = [];
  const stream = await store.replayEventsAfter(after, { send: async (id, message) => void sent.push([id, message]) });
  return { stream, sent };
}

describe('SessionEventStore', () => {
  it('replays the events of the same stream after the given id, in order', async () => {
    const store = new SessionEventStore();
    const first = await store.storeEvent('s1', msg(1));
    await store.storeEvent('other', msg(99));
    const second = await store.storeEvent('s1', msg(2));
    await store.storeEvent('s1', msg(3));
    expect(await store.getStreamIdForEventId(first)).toBe('s1');
    const { stream, sent } = await replay(store, first);
    expect(stream).toBe('s1');
    expect(sent.map(([id]) => id)).toEqual([second, 's1.4']);
  });

  it('keeps only the newest events when over capacity', async () => {
    const store = new SessionEventStore(2);
    const first = await store.storeEvent('s', msg(1));
    await store.storeEvent('s', msg(2));
    await store.storeEvent('s', msg(3));
    await store.storeEvent('s', msg(4));
    const { sent } = await replay(store, first);
    expect(sent.map(([id]) => id)).toEqual(['s.3', 's.4']);
  });

  it('rejects an id it never issued', async () => {
    await expect(new SessionEventStore().replayEventsAfter('garbage', { send: async () => undefined })).rejects.toThrow(
      'Unknown event id',
    );
  });
});
