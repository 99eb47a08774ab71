import { getEventListeners, once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { hangUpSignal } from './statelessFastPath';

/** A real loopback connection: the server's end (what the gateway sees) and the client's. */
async function connection(server: Server): Promise<{ served: Socket; client: Socket }> {
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const { port } = server.address() as { port: number };
  const client = connect(port, '127.0.0.1');
  const [[served]] = await Promise.all([accepted, once(client, 'connect')]);
  return { served, client };
}

describe('hangUpSignal', () => {
  let server: Server;
  beforeAll(async () => {
    server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(() => server.close());

  it('is one signal per connection, aborted when the client hangs up', async () => {
    const { served, client } = await connection(server);
    const signal = hangUpSignal(served);
    expect(hangUpSignal(served)).toBe(signal);
    expect(signal.aborted).toBe(false);
    client.destroy();
    await once(served, 'close');
    expect(signal.aborted).toBe(true);
  });

  it('gives each connection its own, and keeps no listener of its own on it', async () => {
    const a = await connection(server);
    const b = await connection(server);
    expect(hangUpSignal(a.served)).not.toBe(hangUpSignal(b.served));
    expect(getEventListeners(hangUpSignal(a.served), 'abort')).toHaveLength(0);
    b.client.destroy();
    await once(b.served, 'close');
    expect(hangUpSignal(a.served).aborted).toBe(false);
    a.client.destroy();
  });

  it('is aborted already for a connection that is gone (or none)', async () => {
    const { served, client } = await connection(server);
    client.destroy();
    await once(served, 'close');
    expect(hangUpSignal(served).aborted).toBe(true);
    expect(hangUpSignal(null).aborted).toBe(true);
  });
});
