/**
 * Two caches on one real Redis (two gateway replicas): entries are shared, invalidation reaches both
 * layers, and a Redis outage turns lookups into quick misses, reported once, until Redis is back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createRedisClient, type RedisClient } from '@only1mcp/health';
import {
  loudLines,
  REDIS_NOT_ASKED_BOUND_MS,
  REDIS_OUTAGE_BOUND_MS,
  recordingLogger,
  startRedis,
  thaw,
  waitFor,
  type RecordingLogger,
  type RedisHandle,
} from '@only1mcp/test-utils';
import { TwoLayerCache, cacheKey, cacheKeyPrefix, type CacheLayer } from '../src';

/** Bound on a lookup while Redis is dead or frozen (see its definition). */
const FAST_MS = REDIS_OUTAGE_BOUND_MS;
const TTL = 60_000;

describe('TwoLayerCache shared through Redis', () => {
  const servers: RedisHandle[] = [];
  const clients: RedisClient[] = [];
  const caches: TwoLayerCache[] = [];
  let server: RedisHandle;

  beforeAll(async () => {
    server = await startRedis();
    servers.push(server);
  });

  afterAll(async () => {
    thaw(servers.map((s) => s.pid));
    await Promise.all(caches.map((c) => c.close()));
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(servers.map((s) => s.stop()));
  });

  /**
   * `redisTimeoutMs`: 2 s for tests of what a command does (a first command of a fresh client may
   * take longer than the 50 ms default on a loaded CI machine); the tests of an outage pass the
   * default's 50 ms, which is what they are about.
   */
  async function replica(keyPrefix: string, logger: RecordingLogger = recordingLogger(), redisTimeoutMs = 2_000) {
    const client = createRedisClient(server.url, logger, { retryBaseMs: 20, retryMaxMs: 100 });
    clients.push(client);
    await waitFor('client ready', () => client.isConnected());
    const lookups: [CacheLayer, boolean][] = [];
    const cache = new TwoLayerCache({
      maxEntries: 100,
      maxBytes: 100_000,
      redis: client,
      keyPrefix,
      logger,
      redisRetryMs: 200,
      redisTimeoutMs,
      onLookup: (layer, hit) => lookups.push([layer, hit]),
    });
    caches.push(cache);
    return { client, cache, lookups, logger };
  }

  it('shares entries: a miss in B’s memory is a Redis hit, then a memory hit', async () => {
    const a = await replica('share:');
    const b = await replica('share:');
    const key = cacheKey({ scope: 'client-1', kind: 'tools/call', name: 'echo', args: { text: 'hi' } });
    const computed = await a.cache.getOrCompute(key, TTL, async () => ({ content: [{ type: 'text', text: 'hi' }] }));
    expect(computed.cached).toBeUndefined();
    await waitFor('shared write', async () => (await a.client.redis.exists(`share:cache:${key}`)) === 1, 2_000);

    expect(await b.cache.get(key)).toEqual({ value: computed.value, layer: 'redis' });
    expect(await b.cache.get(key)).toEqual({ value: computed.value, layer: 'memory' });
    expect(b.lookups).toEqual([
      ['memory', false],
      ['redis', true],
      ['memory', true],
    ]);
    // Copied with what is left of the TTL, not a fresh one.
    const pttl = await a.client.redis.pttl(`share:cache:${key}`);
    expect(pttl).toBeGreaterThan(TTL - 5_000);
    expect(pttl).toBeLessThanOrEqual(TTL);

    // Another scope is another entry.
    const other = cacheKey({ scope: 'client-2', kind: 'tools/call', name: 'echo', args: { text: 'hi' } });
    expect(await b.cache.get(other)).toBeUndefined();
  });

  it('keeps a large value in Redis only, and treats a malformed Redis value as a miss', async () => {
    const a = await replica('large:');
    const big = 'x'.repeat(30_000);
    await a.cache.set('big', big, TTL);
    expect(a.cache.memoryStats.entries).toBe(0);
    expect(await a.cache.get('big')).toEqual({ value: big, layer: 'redis' });
    expect(a.cache.memoryStats.entries).toBe(0);

    await a.client.redis.set('large:cache:junk', '{not json', 'PX', TTL);
    expect(await a.cache.get('junk')).toBeUndefined();
  });

  it('expires shared entries with their TTL', async () => {
    const a = await replica('ttl:');
    const b = await replica('ttl:');
    await a.cache.set('short', 'v', 1_000);
    expect((await b.cache.get('short'))?.layer).toBe('redis');
    await sleep(1_100);
    expect(await a.cache.get('short')).toBeUndefined();
    expect(await b.cache.get('short')).toBeUndefined();
  });

  it('computes once across 10 concurrent misses and shares the result', async () => {
    const a = await replica('flight:');
    let computed = 0;
    const compute = async () => {
      computed++;
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { n: computed };
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => a.cache.getOrCompute('k', TTL, compute)));
    expect(computed).toBe(1);
    expect(new Set(results.map((r) => r.value.n))).toEqual(new Set([1]));
  });

  it('does not share uncacheable results or errors', async () => {
    const a = await replica('errors:');
    const b = await replica('errors:');
    await a.cache.getOrCompute(
      'e',
      TTL,
      async () => ({ isError: true }),
      (r) => !r.isError,
    );
    await expect(a.cache.getOrCompute('t', TTL, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await a.cache.close(); // waits for Redis writes, if any had been started
    expect(await b.cache.get('e')).toBeUndefined();
    expect(await b.cache.get('t')).toBeUndefined();
    expect(await a.client.redis.keys('errors:*')).toEqual([]);
  });

  it('deletes by prefix in both layers of every replica, escaping glob characters', async () => {
    const a = await replica('del[1]:');
    const b = await replica('del[1]:');
    const key = (name: string, scope: string) => cacheKey({ scope, kind: 'tools/call', name });
    const keys = [
      key('gh__search', 's1'),
      key('gh__search', 's2'),
      key('gh__issues', 's1'),
      key('files__read', 's1'),
    ] as const;
    for (const k of keys) await a.cache.set(k, k, TTL);
    await a.cache.set('v1:tools/call:gh*', 'literal star', TTL);
    for (const k of keys) expect((await b.cache.get(k))?.layer).toBe('redis');

    await a.cache.deleteByPrefix(cacheKeyPrefix({ kind: 'tools/call', name: 'gh__search' }));
    expect(await b.cache.get(keys[0])).toEqual({ value: keys[0], layer: 'memory' }); // B's memory: not told
    await b.cache.deleteByPrefix(cacheKeyPrefix({ kind: 'tools/call', name: 'gh__search' }));
    expect(await b.cache.get(keys[0])).toBeUndefined();
    expect(await a.cache.get(keys[1])).toBeUndefined();
    expect(await a.cache.get(keys[2])).toEqual({ value: keys[2], layer: 'memory' });

    await a.cache.deleteByPrefix('v1:tools/call:gh');
    expect(await a.client.redis.exists(`del[1]:cache:${keys[3]}`)).toBe(1);
    expect(await a.client.redis.exists(`del[1]:cache:${keys[2]}`)).toBe(0);
    expect(await a.client.redis.exists('del[1]:cache:v1:tools/call:gh*')).toBe(0);

    await a.cache.delete(keys[3]);
    expect(await a.client.redis.exists(`del[1]:cache:${keys[3]}`)).toBe(0);
    expect(await a.cache.get(keys[3])).toBeUndefined();
  });

  it('turns lookups into quick misses while Redis is down, logs once, and shares again when it is back', async () => {
    const a = await replica('outage:', recordingLogger(), 50);
    const b = await replica('outage:', recordingLogger(), 50);
    // Shared before the outage. A first command of a fresh client may outlast 50 ms on a loaded
    // machine (a quick miss then, and a warning): asked again until it is shared, and what was
    // logged so far is left out of what the outage logs.
    await waitFor('shared before the outage', async () => {
      await a.cache.set('before', 'v', TTL);
      return (await b.cache.get('before'))?.layer === 'redis';
    });
    const logged = [a, b].map(({ logger }) => loudLines(logger).length);

    await server.stop();
    for (let i = 0; i < 10; i++) {
      const started = Date.now();
      expect(await a.cache.get(`missing-${i}`)).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(FAST_MS);
      const setStarted = Date.now();
      await a.cache.set(`during-${i}`, i, TTL);
      expect(Date.now() - setStarted).toBeLessThan(FAST_MS);
    }
    // Memory still serves what it holds, and what was written during the outage.
    expect((await b.cache.get('before'))?.layer).toBe('memory');
    expect((await a.cache.get('during-0'))?.layer).toBe('memory');
    expect(b.lookups.at(-1)).toEqual(['memory', true]);
    await waitFor('clients to notice', () => !a.client.isConnected() && !b.client.isConnected(), 5_000);
    const started = Date.now();
    expect(await b.cache.get('during-0')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(FAST_MS);
    expect(b.lookups.slice(-2)).toEqual([
      ['memory', false],
      ['redis', false],
    ]);

    // Restart only once both clients have failed to reconnect (and so reported the outage).
    await waitFor('outage reported', () => loudLines(a.logger).length > 0 && loudLines(b.logger).length > 0, 5_000);
    server = await startRedis({ port: server.port });
    servers.push(server);
    await waitFor('clients to reconnect', () => a.client.isConnected() && b.client.isConnected(), 10_000);
    await waitFor(
      'sharing again',
      async () => {
        await a.cache.set('after', 'v', TTL);
        return (await b.cache.get('after'))?.layer === 'redis';
      },
      5_000,
    );
    // Reported once per client, by the client, however many lookups failed.
    [a, b].forEach(({ logger }, i) => {
      expect(loudLines(logger).slice(logged[i])).toEqual([
        { level: 'error', message: expect.stringMatching(/^Redis unavailable/) },
      ]);
    });
  });

  it('stops waiting for a frozen Redis after 50 ms, skips it for a while, and warns once', async () => {
    const a = await replica('frozen:', recordingLogger(), 50);
    await a.cache.set('k', 'v', TTL);
    // Past any skip period (200 ms) a slow first command of the fresh client began, before Redis
    // freezes; what that logged is left out of what the freeze logs.
    await sleep(300);
    const logged = loudLines(a.logger).length;
    process.kill(server.pid, 'SIGSTOP');
    try {
      let started = Date.now();
      expect(await a.cache.get('other')).toBeUndefined();
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(45);
      expect(waited).toBeLessThan(FAST_MS);
      started = Date.now();
      expect(await a.cache.get('other')).toBeUndefined();
      // Within the retry period Redis is not asked: less than the 50 ms a command would wait.
      expect(Date.now() - started).toBeLessThan(REDIS_NOT_ASKED_BOUND_MS);
      await sleep(250);
      expect(await a.cache.get('other')).toBeUndefined();
      expect(loudLines(a.logger).slice(logged)).toEqual([
        { level: 'warn', message: expect.stringMatching(/^Response cache/) },
      ]);
    } finally {
      thaw([server.pid]);
    }
    await waitFor('shared again', async () => {
      await a.cache.set('after', 'v', TTL);
      return (await a.client.redis.get('frozen:cache:after')) === '"v"';
    });
    expect(a.logger.lines.at(-1)).toEqual({ level: 'info', message: 'Response cache shared through Redis again' });
  });
});
