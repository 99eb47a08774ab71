/**
 * Redis gone, frozen or never there: decisions keep coming from this process's memory, without
 * waiting on Redis, reported once; when Redis is back, decisions come from Redis again.
 */
import { createRedisClient, silentLogger, type RedisClient } from '@only1mcp/health';
import {
  freePort,
  loudLines,
  REDIS_NOT_ASKED_BOUND_MS,
  REDIS_OUTAGE_BOUND_MS,
  recordingLogger,
  startRedis,
  thaw,
  waitFor,
  type RedisHandle,
} from '@only1mcp/test-utils';
import { createRateLimiter, rateLimitKeys, type RateLimiter } from '../src';
import { consumeMany, timedConsume } from './support/timedConsume';

/** Bound on a decision while Redis is dead or frozen (see its definition). */
const FAST_MS = REDIS_OUTAGE_BOUND_MS;
/** Bound on a decision that does not ask Redis at all (microseconds in fact; room for a loaded machine). */
const NO_WAIT_MS = REDIS_NOT_ASKED_BOUND_MS;

describe('rate limiting when Redis fails', () => {
  const servers: { stop(): Promise<void>; pid: number }[] = [];
  const clients: RedisClient[] = [];
  const limiters: RateLimiter[] = [];

  afterAll(async () => {
    thaw(servers.map((s) => s.pid));
    await Promise.all(limiters.map((l) => l.close()));
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(servers.map((s) => s.stop()));
  });

  async function setup(server: RedisHandle | undefined, url = server?.url ?? '') {
    const logger = recordingLogger();
    const client = createRedisClient(url, logger, { retryBaseMs: 20, retryMaxMs: 100 });
    clients.push(client);
    const limiter = createRateLimiter({ requestsPerSecond: 5, burst: 3, redis: client, keyPrefix: 'test:', logger });
    limiters.push(limiter);
    return { logger, client, limiter };
  }

  /**
   * Waits for a decision from Redis, on a key of its own: the first call (the connection's first
   * command, the script's first load) may outlast the 50 ms timeout on two cores busy with the
   * other suites, and a fallback decision would have taken a token from the tested key's local bucket.
   */
  async function untilRedisDecides(limiter: RateLimiter): Promise<void> {
    const warmUp = rateLimitKeys.client('warm-up');
    await waitFor('a decision from Redis', async () => (await limiter.consume(warmUp)).source === 'redis');
  }

  it('falls back to memory at once when Redis stops, logs it once, and returns to Redis when it is back', async () => {
    const first = await startRedis();
    servers.push(first);
    const { logger, client, limiter } = await setup(first);
    await waitFor('client ready', () => client.isConnected());
    await untilRedisDecides(limiter);
    const key = rateLimitKeys.client('outage');

    await first.stop();
    // Straight away, before the client may have noticed, then for a while: every decision from memory, fast.
    const during = await consumeMany(limiter, key, 10);
    expect(during.every((d) => d.source === 'memory')).toBe(true);
    expect(Math.max(...during.map((d) => d.tookMs))).toBeLessThan(FAST_MS);
    // Still a limit: the local bucket starts full (3), then refuses.
    expect(during.map((d) => d.allowed)).toEqual([true, true, true, false, false, false, false, false, false, false]);
    await waitFor('client to notice', () => !client.isConnected(), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const later = await consumeMany(limiter, key, 20);
    expect(later.every((d) => d.source === 'memory' && d.tookMs < FAST_MS)).toBe(true);
    expect(loudLines(logger)).toEqual([{ level: 'error', message: expect.stringMatching(/^Redis unavailable/) }]);

    const second = await startRedis({ port: first.port });
    servers.push(second);
    await waitFor('client to reconnect', () => client.isConnected(), 10_000);
    await waitFor('decisions from Redis again', async () => (await limiter.consume(key)).source === 'redis', 5_000);
    // The outage is reported once. The new server's first decision loads the script and may, on two
    // cores busy with other suites, outlast the 50 ms timeout: that is a late decision, warned as
    // such (it failed a CI run once), not a second outage.
    const [outage, ...rest] = loudLines(logger);
    expect(outage).toEqual({ level: 'error', message: expect.stringMatching(/^Redis unavailable/) });
    expect(rest.filter((line) => line.level !== 'warn' || !/gave no decision/.test(line.message))).toEqual([]);
  });

  it('stops waiting for a frozen Redis after 50 ms, skips it for a while, and warns once it fails again', async () => {
    const server = await startRedis();
    servers.push(server);
    const { logger, client, limiter } = await setup(server);
    await waitFor('client ready', () => client.isConnected());
    await untilRedisDecides(limiter);
    const key = rateLimitKeys.client('frozen');

    // Frozen, the connection stays up: only the timeout can tell.
    process.kill(server.pid, 'SIGSTOP');
    try {
      const first = await timedConsume(limiter, key);
      expect(first.source).toBe('memory');
      expect(first.tookMs).toBeGreaterThanOrEqual(45);
      expect(first.tookMs).toBeLessThan(FAST_MS);
      // Within the retry period (1 s) Redis is not asked: no wait at all.
      const next = await consumeMany(limiter, key, 10);
      expect(next.every((d) => d.source === 'memory' && d.tookMs < NO_WAIT_MS)).toBe(true);
      expect(loudLines(logger)).toEqual([]);
      // Asked again after it, still no answer on a connection that looks alive: now it is reported, once.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const again = await consumeMany(limiter, key, 5);
      expect(again.every((d) => d.source === 'memory' && d.tookMs < FAST_MS)).toBe(true);
      expect(client.isConnected()).toBe(true);
      expect(loudLines(logger)).toEqual([{ level: 'warn', message: expect.stringMatching(/local memory/) }]);
    } finally {
      thaw([server.pid]);
    }
    await waitFor('decisions from Redis again', async () => (await limiter.consume(key)).source === 'redis', 5_000);
    expect(logger.lines.at(-1)).toEqual({ level: 'info', message: 'Rate limits enforced through Redis again' });
    expect(loudLines(logger)).toHaveLength(1);
  });

  it('decides from memory, without waiting, when Redis was never reachable', async () => {
    const { logger, limiter } = await setup(undefined, `redis://127.0.0.1:${await freePort()}`);
    const decisions = await consumeMany(limiter, rateLimitKeys.client('never'), 5);
    expect(decisions.map((d) => [d.allowed, d.source])).toEqual([
      [true, 'memory'],
      [true, 'memory'],
      [true, 'memory'],
      [false, 'memory'],
      [false, 'memory'],
    ]);
    expect(Math.max(...decisions.map((d) => d.tookMs))).toBeLessThan(FAST_MS);
    await waitFor('the outage to be logged', () => loudLines(logger).length === 1, 2_000);
  });

  it('decides from memory when no Redis is configured', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 5, burst: 3, logger: silentLogger });
    limiters.push(limiter);
    const decisions = await consumeMany(limiter, rateLimitKeys.client('solo'), 4);
    expect(decisions.map((d) => [d.allowed, d.source])).toEqual([
      [true, 'memory'],
      [true, 'memory'],
      [true, 'memory'],
      [false, 'memory'],
    ]);
    expect(decisions[3]!.retryAfterMs).toBeGreaterThan(0);
    expect(decisions[3]!.retryAfterMs).toBeLessThanOrEqual(200);
  });
});
