import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { keepResponsesBehindNotifications } from './notificationOrder';

const progress = (n: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params: { progressToken: 1, progress: n },
});
const result = (id: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: {} });
const request = (id: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, method: 'ping' });
const label = (m: JSONRPCMessage) =>
  'method' in m
    ? 'id' in m
      ? `request ${String(m.id)}`
      : `progress ${String(m.params?.progress)}`
    : `result ${String(m.id)}`;
const endOfTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A transport as the SDK leaves it after connect: `onmessage` set, here recording what it is handed. */
function connected(): { transport: Transport; seen: string[] } {
  const seen: string[] = [];
  // The SDK hands a notification to its handler a microtask late; recorded the same way.
  const onmessage = (m: JSONRPCMessage) => {
    if ('method' in m && !('id' in m)) queueMicrotask(() => seen.push(label(m)));
    else seen.push(label(m));
  };
  const transport = { onmessage } as unknown as Transport;
  keepResponsesBehindNotifications(transport);
  return { transport, seen };
}

describe('keepResponsesBehindNotifications', () => {
  it('hands on a turn without notifications at once', () => {
    const { transport, seen } = connected();
    transport.onmessage!(result(1));
    transport.onmessage!(request(2));
    transport.onmessage!(result(3));
    expect(seen).toEqual(['result 1', 'request 2', 'result 3']);
  });

  it('hands on a response behind the notifications of its turn, and what came after it in order', async () => {
    const { transport, seen } = connected();
    for (const m of [progress(1), progress(2), result(1), request(7), progress(3), result(2)]) transport.onmessage!(m);
    await endOfTurn();
    await endOfTurn();
    expect(seen).toEqual(['progress 1', 'progress 2', 'result 1', 'request 7', 'progress 3', 'result 2']);
  });

  it('lets responses through at once again in the next turn', async () => {
    const { transport, seen } = connected();
    transport.onmessage!(progress(1));
    await endOfTurn();
    transport.onmessage!(result(1));
    expect(seen).toEqual(['progress 1', 'result 1']);
  });
});
