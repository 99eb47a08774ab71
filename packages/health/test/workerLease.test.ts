/** WorkerLease against a real redis-server: one holder at a time, and takeover. */
import { startRedis, waitFor, type RedisHandle } from '@only1mcp/test-utils';
import { WorkerLease, createRedisClient, createRedisKeys, silentLogger, type RedisClient } from '../src';

describe('WorkerLease', () => {
  let redis: RedisHandle;
  const clients: RedisClient[] = [];
  const leases: WorkerLease[] = [];
  let prefixCounter = 0;

  async function newClient(): Promise<RedisClient> {
    const client = createRedisClient(redis.url, silentLogger, { retryBaseMs: 20, retryMaxMs: 100 });
    clients.push(client);
    await waitFor('client ready', () => client.isConnected());
    return client;
  }

  // 1 s: long enough that a loaded CI machine's stalls do not lapse a lease the test expects held.
  function pair(client: RedisClient, clientB: RedisClient = client, ttlMs = 1_000) {
    const keys = createRedisKeys(`lease${++prefixCounter}:`);
    const events: string[] = [];
    const make = (holderId: string, c: RedisClient) => {
      const lease = new WorkerLease(c, {
        holderId,
        ttlMs,
        keys,
        onAcquired: () => events.push(`${holderId} acquired`),
        onLost: () => events.push(`${holderId} lost`),
      });
      leases.push(lease);
      return lease;
    };
    return { a: make('a', client), b: make('b', clientB), events, keys };
  }

  beforeAll(async () => {
    redis = await startRedis();
  });

  afterAll(async () => {
    await Promise.all(leases.map((l) => l.stop()));
    await Promise.all(clients.map((c) => c.close()));
    await redis?.stop();
  });

  it('lets exactly one of two contenders hold the lease', async () => {
    const client = await newClient();
    const { a, b, keys } = pair(client, client, 60_000);
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    expect(await a.tryAcquire()).toBe(true); // renewal
    expect(await b.tryAcquire()).toBe(false);
    expect(await client.redis.get(keys.healthLease)).toBe('a');
  });

  it('running loops: one holder, and the other takes over when the holder stops', async () => {
    const client = await newClient();
    const { a, b, events } = pair(client);
    a.start();
    b.start();
    await waitFor('a holder', () => a.isHolder || b.isHolder, 5_000);
    for (let i = 0; i < 5; i++) {
      expect(Number(a.isHolder) + Number(b.isHolder)).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const [holder, other] = a.isHolder ? [a, b] : [b, a];
    await holder.stop();
    expect(holder.isHolder).toBe(false);
    await waitFor('takeover after release', () => other.isHolder, 5_000);
    expect(events).toHaveLength(3);
    expect(events[1]).toMatch(/ lost$/);
  });

  it('when the holder vanishes without releasing, the lease lapses and the other takes over', async () => {
    const clientA = await newClient();
    const clientB = await newClient();
    const { a, b } = pair(clientA, clientB);
    expect(await a.tryAcquire()).toBe(true);
    b.start();
    a.start();
    // Cut A off from Redis: it can neither renew nor release, as if its process had died.
    clientA.redis.disconnect();
    await waitFor('b to take over', () => b.isHolder, 5_000);
    await waitFor('a to notice it lapsed', () => !a.isHolder, 5_000);
  });

  it('a lapsed holder cannot renew or delete a lease someone else took', async () => {
    const client = await newClient();
    const { a, b, keys } = pair(client, client, 60_000);
    expect(await a.tryAcquire()).toBe(true);
    await client.redis.del(keys.healthLease); // as if it expired
    expect(await b.tryAcquire()).toBe(true);
    expect(await a.tryAcquire()).toBe(false); // renewal refused: not ours any more
    await a.release();
    expect(await client.redis.get(keys.healthLease)).toBe('b');
  });
});
