/** RedisHealthStore against a real redis-server: round trip, TTL, validation, pub/sub. */
import { startRedis, waitFor, type RedisHandle } from '@only1mcp/test-utils';
import {
  RedisHealthStore,
  createRedisClient,
  createRedisKeys,
  silentLogger,
  type HealthRecord,
  type RedisClient,
} from '../src';

const record = (id: string, status: HealthRecord['status'], lastCheck = 1): HealthRecord => ({
  id,
  status,
  lastCheck,
  checkedBy: 'gw-1',
  ...(status === 'healthy' ? { latencyMs: 3 } : { lastError: 'refused' }),
});

describe('RedisHealthStore', () => {
  let redis: RedisHandle;
  let client: RedisClient;
  let prefixCounter = 0;
  const stores: RedisHealthStore[] = [];

  // A fresh prefix per test keeps tests independent on one server.
  function newStore(ttlMs = 60_000): { store: RedisHealthStore; keys: ReturnType<typeof createRedisKeys> } {
    const keys = createRedisKeys(`t${++prefixCounter}:`);
    const store = new RedisHealthStore(client, { ttlMs, keys });
    stores.push(store);
    return { store, keys };
  }

  beforeAll(async () => {
    redis = await startRedis();
    client = createRedisClient(redis.url, silentLogger);
    await waitFor('redis client ready', () => client.isConnected());
  });

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await client?.close();
    await redis?.stop();
  });

  it('round-trips records through put and getAll', async () => {
    const { store } = newStore();
    await store.put(record('a#0', 'healthy'));
    await store.put(record('b#1', 'unhealthy'));
    await store.put(record('a#0', 'unhealthy', 2));
    const all = await store.getAll();
    expect(all.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      record('a#0', 'unhealthy', 2),
      record('b#1', 'unhealthy'),
    ]);
  });

  it('ignores malformed values and the lease key', async () => {
    const { store, keys } = newStore();
    await store.put(record('a#0', 'healthy'));
    await client.redis.set(keys.healthRecord('junk#0'), '{not json');
    await client.redis.set(keys.healthRecord('wrong#0'), JSON.stringify({ id: 'wrong#0', status: 'great' }));
    await client.redis.set(keys.healthLease, 'holder-1');
    expect(await store.getAll()).toEqual([record('a#0', 'healthy')]);
  });

  it('sets the TTL, and an expired record disappears', async () => {
    const { store, keys } = newStore(200);
    await store.put(record('a#0', 'healthy'));
    const ttl = await client.redis.pttl(keys.healthRecord('a#0'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(200);
    await waitFor('record to expire', async () => (await store.getAll()).length === 0, 5_000);
  });

  it('publishes status changes to subscribers, on any store sharing the prefix', async () => {
    const { store: writer, keys } = newStore();
    const reader = new RedisHealthStore(client, { ttlMs: 60_000, keys });
    stores.push(reader);
    const seen: HealthRecord[] = [];
    const unsubscribe = await reader.subscribe((r) => seen.push(r));

    await writer.put(record('a#0', 'healthy', 1));
    await writer.put(record('a#0', 'healthy', 2)); // same status: stored, not announced
    await writer.put(record('a#0', 'unhealthy', 3));
    await waitFor('two changes', () => seen.length >= 2, 5_000);
    // A malformed message on the channel is dropped, not delivered.
    await client.redis.publish(keys.healthChanges, '{oops');
    await writer.put(record('a#0', 'healthy', 4));
    await waitFor('third change', () => seen.length >= 3, 5_000);
    expect(seen.map((r) => [r.status, r.lastCheck])).toEqual([
      ['healthy', 1],
      ['unhealthy', 3],
      ['healthy', 4],
    ]);

    await unsubscribe();
    await writer.put(record('a#0', 'unhealthy', 5));
    // The subscription connection still runs; prove delivery happened elsewhere, then check ours did not.
    const other: HealthRecord[] = [];
    await writer.subscribe((r) => other.push(r));
    await writer.put(record('a#0', 'healthy', 6));
    await waitFor('delivery to the other subscriber', () => other.length >= 1, 5_000);
    expect(seen).toHaveLength(3);
  });
});
