/**
 * The registry's side of active health checks (issue 4/8): the probes it offers (an MCP ping on
 * each replica's live connection) and what a health result does to routing.
 */
import { ConfigSchema } from '@only1mcp/config';
import {
  fixtureServerCommand,
  startHttpFixture,
  startModernFixture,
  type HttpFixture,
  type ModernFixture,
  waitFor,
} from '@only1mcp/test-utils';
import { Registry, silentLogger } from '../src';
import { repeat, tally, whoami } from './support';

describe('active health hooks', () => {
  let web: HttpFixture;
  let modern: ModernFixture;
  let registry: Registry;

  beforeAll(async () => {
    web = await startHttpFixture({ transport: 'http', label: 'web' });
    modern = await startModernFixture();
    registry = new Registry(
      ConfigSchema.parse({
        servers: [
          { id: 'pool', transport: 'stdio', ...fixtureServerCommand({ label: 'pool' }), replicas: 2 },
          { id: 'web', transport: 'http', url: web.url, connect_timeout: '2s' },
          { id: 'modern', transport: 'http', url: modern.url },
        ],
      }),
      { logger: silentLogger },
    );
    await registry.start();
    // Start-up does not wait for a backend that misses its connect_timeout (a loaded CI machine): it
    // reconnects, and the probes below are of replicas that are up.
    await waitFor(
      'every replica up',
      () => registry.status().every((s) => s.replicas.every((r) => r.state === 'up')),
      20_000,
    );
  }, 40_000);

  afterAll(async () => {
    await registry?.stop();
    await web?.stop();
    await modern?.stop();
  });

  const probe = (id: string) =>
    registry
      .healthPlans()
      .flatMap((p) => p.targets())
      .find((t) => t.id === id)!
      .probe(new AbortController().signal);

  it('offers one probe per replica, each a ping that answers while the replica is up', async () => {
    expect(
      registry
        .healthPlans()
        .flatMap((p) => p.targets())
        .map((t) => t.id),
    ).toEqual(['pool#0', 'pool#1', 'web#0', 'modern#0']);
    await expect(probe('pool#0')).resolves.toBeUndefined();
    await expect(probe('web#0')).resolves.toBeUndefined();
    // 2026-07-28 has no ping: the probe is server/discover.
    await expect(probe('modern#0')).resolves.toBeUndefined();
  });

  it('takes a replica marked unhealthy out of rotation, and puts it back when healthy', async () => {
    registry.applyHealth('pool#1', 'unhealthy');
    expect(registry.status()[0]!.replicas.map((r) => r.health)).toEqual(['unknown', 'unhealthy']);
    const during = tally(await repeat(20, 4, () => whoami(registry, 'pool__whoami')), (a) => a.pid);
    expect(during.size).toBe(1);

    registry.applyHealth('pool#1', 'healthy');
    const after = tally(await repeat(20, 4, () => whoami(registry, 'pool__whoami')), (a) => a.pid);
    expect(after.size).toBe(2);
  });

  it('ignores results for replicas it does not have', () => {
    expect(() => registry.applyHealth('nope#0', 'unhealthy')).not.toThrow();
    expect(() => registry.applyHealth('pool#9', 'unhealthy')).not.toThrow();
    expect(() => registry.applyHealth('garbage', 'unhealthy')).not.toThrow();
  });

  it('fails the probe of a backend that died', async () => {
    await web.kill();
    await expect(probe('web#0')).rejects.toBeDefined();
  });
});

describe('health plans', () => {
  it('groups servers by their effective settings and leaves out servers whose checks are off', () => {
    const registry = new Registry(
      ConfigSchema.parse({
        servers: [
          { id: 'a', transport: 'stdio', command: 'x', replicas: 2 },
          { id: 'b', transport: 'stdio', command: 'x', health: { interval: '1s', timeout: '500ms' } },
          { id: 'c', transport: 'stdio', command: 'x', health: { enabled: false } },
          { id: 'd', transport: 'stdio', command: 'x' },
        ],
        health: { interval: '10s', timeout: '5s', unhealthy_threshold: 3, healthy_threshold: 2 },
      }),
      { logger: silentLogger },
    );
    const plans = registry.healthPlans();
    expect(plans.map((p) => ({ settings: p.settings, ids: p.targets().map((t) => t.id) }))).toEqual([
      {
        settings: { interval: 10_000, timeout: 5_000, unhealthy_threshold: 3, healthy_threshold: 2 },
        ids: ['a#0', 'a#1', 'd#0'],
      },
      { settings: { interval: 1_000, timeout: 500, unhealthy_threshold: 3, healthy_threshold: 2 }, ids: ['b#0'] },
    ]);
  });
});
