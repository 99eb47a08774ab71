/** Buckets in a real Redis: token-bucket behaviour, one budget shared by replicas, keys that expire. */
import { createRedisClient, silentLogger, type RedisClient } from '@only1mcp/health';
import { startRedis, waitFor, type RedisHandle } from '@only1mcp/test-utils';
import { createRateLimiter, rateLimitKeys, type RateLimiter } from '../src';
import { consumeAtOnce, consumeMany, sleep } from './support/timedConsume';

describe('rate limiting through Redis', () => {
  let server: RedisHandle;
  const clients: RedisClient[] = [];
  const limiters: RateLimiter[] = [];

  /**
   * A gateway replica's view: its own connection and limiter (burst 3, 5/s unless a test asks for
   * a rate slow enough that no token refills while it runs, as a test of refusals does).
   */
  async function replica(keyPrefix = 'test:', requestsPerSecond = 5): Promise<RateLimiter> {
    const client = createRedisClient(server.url, silentLogger);
    clients.push(client);
    await waitFor('client ready', () => client.isConnected());
    // These tests are of what Redis decides, not of how long the limiter waits for it (redisOutage.test.ts
    // is): a first command on a loaded CI machine may take longer than the 50 ms default.
    const limiter = createRateLimiter({
      requestsPerSecond,
      burst: 3,
      redis: client,
      keyPrefix,
      redisTimeoutMs: 5_000,
    });
    limiters.push(limiter);
    return limiter;
  }

  beforeAll(async () => {
    server = await startRedis();
  });

  afterAll(async () => {
    await Promise.all(limiters.map((l) => l.close()));
    await Promise.all(clients.map((c) => c.close()));
    await server?.stop();
  });

  it('passes the burst at once, refuses the next until one token has refilled, then passes it', async () => {
    const limiter = await replica();
    const key = rateLimitKeys.client('burst');
    const sent = performance.now();
    const decisions = await consumeAtOnce(limiter, key, 4);
    expect(decisions.map((d) => [d.allowed, d.remaining, d.source])).toEqual([
      [true, 2, 'redis'],
      [true, 1, 'redis'],
      [true, 0, 'redis'],
      [false, 0, 'redis'],
    ]);
    const { retryAfterMs } = decisions[3]!;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(1000);
    await sleep(retryAfterMs);
    const after = await consumeAtOnce(limiter, key, 5);
    // One token per 200 ms: one has refilled by now, one more for each 200 ms the machine was late
    // (the time since the four were sent bounds what Redis saw pass), never more than the burst.
    const lateMs = performance.now() - sent - retryAfterMs;
    const refilled = after.filter((d) => d.allowed).length;
    expect(refilled).toBeGreaterThanOrEqual(1);
    expect(refilled).toBeLessThanOrEqual(Math.min(3, 1 + Math.floor(lateMs / 200)));
    expect(after.map((d) => d.allowed)).toEqual(after.map((_, i) => i < refilled));
    // The next is refused again, its wait at most one interval.
    expect(after[refilled]!.retryAfterMs).toBeGreaterThan(0);
    expect(after[refilled]!.retryAfterMs).toBeLessThanOrEqual(200);
  });

  it('sustains about the rate: a greedy client over ~1.2 s gets the burst plus ~6', async () => {
    const limiter = await replica();
    const key = rateLimitKeys.client('greedy');
    const deadline = Date.now() + 1_200;
    let passed = 0;
    while (Date.now() < deadline) {
      if ((await limiter.consume(key)).allowed) passed++;
      await sleep(5);
    }
    // 3 + 1.2 s · 5/s = 9, give or take the token in progress at either end.
    expect(passed).toBeGreaterThanOrEqual(7);
    expect(passed).toBeLessThanOrEqual(10);
  });

  it('shares one budget per key between replicas on the same Redis and prefix', async () => {
    // One token a minute: none refills while the test runs, however slow the machine.
    const [a, b] = [await replica('test:', 1 / 60), await replica('test:', 1 / 60)];
    const key = rateLimitKeys.client('shared');
    expect((await consumeMany(a, key, 2)).every((d) => d.allowed)).toBe(true);
    expect((await consumeMany(b, key, 2)).map((d) => d.allowed)).toEqual([true, false]);
    expect((await a.consume(key)).allowed).toBe(false);
    // Another prefix is another deployment: its own buckets.
    const other = await replica('other:', 1 / 60);
    expect((await consumeMany(other, key, 3)).every((d) => d.allowed)).toBe(true);
  });

  it('keeps keys independent, including a client on one server', async () => {
    const limiter = await replica('test:', 1 / 60);
    expect((await consumeMany(limiter, rateLimitKeys.client('x'), 4))[3]!.allowed).toBe(false);
    expect((await limiter.consume(rateLimitKeys.client('y'))).allowed).toBe(true);
    expect((await limiter.consume(rateLimitKeys.clientServer('x', 'github'))).allowed).toBe(true);
  });

  it('takes a cost of several tokens at once, and refuses a cost above the burst', async () => {
    const limiter = await replica('test:', 1 / 60);
    const key = rateLimitKeys.client('costly');
    expect(await limiter.consume(key, 3)).toMatchObject({ allowed: true, remaining: 0 });
    expect((await limiter.consume(key)).allowed).toBe(false);
    await expect(limiter.consume(key, 4)).rejects.toThrow(RangeError);
  });

  it('stores one key per bucket that expires when the bucket is full again', async () => {
    const limiter = await replica();
    await consumeMany(limiter, rateLimitKeys.client('ttl'), 3);
    const redis = clients[0]!.redis;
    const ttl = await redis.pttl('test:ratelimit:client:ttl');
    // Three tokens spent at 200 ms each: full again within 600 ms.
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(600);
    await waitFor('bucket key to expire', async () => (await redis.exists('test:ratelimit:client:ttl')) === 0, 2_000);
  });
});
