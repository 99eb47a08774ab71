/** startRedis with real redis-server processes: its own server answers, and a start that cannot serve says why. */
import { portTaken } from './freePort';
import { redisAnswersPing, startRedis, type RedisHandle } from './redisServer';

const running: RedisHandle[] = [];
afterAll(() => Promise.all(running.map((r) => r.stop())));

it('starts a server on a free port that answers PING, and stop ends it', async () => {
  const redis = await startRedis();
  expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
  expect(await redisAnswersPing(redis.port)).toBe(true);
  await redis.stop();
  expect(await redisAnswersPing(redis.port)).toBe(false);
});

it('fails on a port another Redis holds, saying so, rather than handing back that other server', async () => {
  const other = await startRedis();
  running.push(other);
  const attempt = startRedis({ port: other.port });
  await expect(attempt).rejects.toThrow(/redis-server exited at start: [\s\S]*Address already in use/);
  // The words onFreePort retries on when it chose the port.
  expect(portTaken(await attempt.catch((err: unknown) => err))).toBe(true);
  expect(await redisAnswersPing(other.port)).toBe(true);
});

it('fails at once, in Node’s words, when the binary cannot be run', async () => {
  await expect(startRedis({ binary: '/nonexistent/redis-server' })).rejects.toThrow(
    /spawn \/nonexistent\/redis-server ENOENT/,
  );
});
