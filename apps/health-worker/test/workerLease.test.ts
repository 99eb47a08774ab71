/**
 * Two health-workers against one Redis (issue 4/8): exactly one probes at a time; stop it and the
 * other takes over.
 */
import { ConfigSchema } from '@only1mcp/config';
import { silentLogger } from '@only1mcp/registry';
import { fixtureServerCommand, startRedis, waitFor, type RedisHandle } from '@only1mcp/test-utils';
import { startHealthWorker, type RunningHealthWorker } from '../src';

let redis: RedisHandle;
const workers: RunningHealthWorker[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await redis?.stop();
});

it('lets exactly one of two workers probe, and the other take over when it stops', async () => {
  const config = ConfigSchema.parse({
    servers: [{ id: 'fx', transport: 'stdio', ...fixtureServerCommand({ label: 'lease' }) }],
    // The lease lasts one interval: 1 s, so a loaded CI machine's stalls do not lapse it.
    health: { interval: '1s', timeout: '500ms' },
    redis: { url: redis.url, key_prefix: 'lease-test:' },
  });
  workers.push(await startHealthWorker(config, silentLogger), await startHealthWorker(config, silentLogger));
  await waitFor('one worker to hold the lease', () => workers.some((w) => w.probing));
  // Well past a renewal period, still exactly one.
  await new Promise((r) => setTimeout(r, 2_500));
  expect(workers.filter((w) => w.probing)).toHaveLength(1);

  const holder = workers.find((w) => w.probing)!;
  const standby = workers.find((w) => w !== holder)!;
  await holder.stop();
  workers.splice(workers.indexOf(holder), 1);
  await waitFor('the standby worker to take over', () => standby.probing);
}, 30_000);
