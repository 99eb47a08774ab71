/** Failing open: Redis stops, the store neither throws nor floods the log; Redis returns, it recovers. */
import { startRedis, waitFor, type RedisHandle } from '@only1mcp/test-utils';
import { RedisHealthStore, createRedisClient, type HealthRecord, type RedisClient } from '../src';
import { recordingLogger } from './support/recordingLogger';

const record = (status: HealthRecord['status'], lastCheck: number): HealthRecord => ({
  id: 'a#0',
  status,
  lastCheck,
  checkedBy: 'gw-1',
});

describe('RedisHealthStore during a Redis outage', () => {
  let first: RedisHandle | undefined;
  let second: { stop(): Promise<void> } | undefined;
  let client: RedisClient | undefined;
  let store: RedisHealthStore | undefined;

  afterAll(async () => {
    await store?.close();
    await client?.close();
    await first?.stop();
    await second?.stop();
  });

  it('fails open while Redis is down, logs the outage once, and reconnects when it is back', async () => {
    first = await startRedis();
    const logger = recordingLogger();
    client = createRedisClient(first.url, logger, { retryBaseMs: 20, retryMaxMs: 100 });
    store = new RedisHealthStore(client, { ttlMs: 60_000, logger });
    await waitFor('client ready', () => client!.isConnected());
    const changes: HealthRecord[] = [];
    await store.subscribe((r) => changes.push(r));
    await store.put(record('healthy', 1));
    expect(await store.getAll()).toHaveLength(1);
    await waitFor('first change delivered', () => changes.length === 1, 5_000);

    await first.stop();
    await waitFor('client to notice', () => !client!.isConnected(), 5_000);
    for (let i = 0; i < 5; i++) {
      await expect(store.put(record('unhealthy', 10 + i))).resolves.toBeUndefined();
      await expect(store.getAll()).resolves.toEqual([]);
    }
    // Let several reconnect attempts fail: still one report.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const loud = logger.lines.filter((l) => l.level === 'error' || l.level === 'warn');
    expect(loud).toEqual([{ level: 'error', message: expect.stringMatching(/^Redis unavailable/) }]);

    // Same port, new (empty) server: the client finds it by itself.
    second = await startRedis({ port: first.port });
    await waitFor('client to reconnect', () => client!.isConnected(), 10_000);
    await waitFor('recovery logged', () => logger.lines.some((l) => l.message === 'Redis connection restored'), 10_000);
    await store.put(record('unhealthy', 20));
    expect(await store.getAll()).toEqual([record('unhealthy', 20)]);
    // The subscription came back too (ioredis re-subscribes after reconnecting).
    await waitFor('change after reconnect delivered', () => changes.some((c) => c.lastCheck === 20), 5_000);
    expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(1);
  });
});
