/**
 * Load balancing over real replicas: stdio processes of the fixture server and HTTP fixtures in
 * their own processes. Who answered is read from the fixture's `whoami` tool.
 */
import { ConfigSchema } from '@only1mcp/config';
import { fixtureServerCommand, startHttpFixture, type HttpFixture } from '@only1mcp/test-utils';
import { Registry, silentLogger } from '../src';
import { repeat, tally, whoami } from './support';

describe('load balancing', () => {
  describe('round_robin over three stdio replicas', () => {
    const registry = new Registry(
      ConfigSchema.parse({
        servers: [{ id: 'fx', transport: 'stdio', ...fixtureServerCommand({ label: 'stdio' }), replicas: 3 }],
        routing: { algorithm: 'round_robin' },
      }),
      { logger: silentLogger },
    );
    beforeAll(() => registry.start(), 20_000);
    afterAll(() => registry.stop());

    it('spreads 300 calls evenly (each replica within ±10% of 100)', async () => {
      const answers = await repeat(300, 10, () => whoami(registry, 'fx__whoami'));
      const perProcess = tally(answers, (a) => a.pid);
      expect(perProcess.size).toBe(3);
      for (const count of perProcess.values()) {
        expect(count).toBeGreaterThanOrEqual(90);
        expect(count).toBeLessThanOrEqual(110);
      }
    });
  });

  describe('over three HTTP replicas', () => {
    let fixtures: HttpFixture[] = [];
    const registries: Registry[] = [];
    const start = async (algorithm: 'weighted' | 'consistent_hash'): Promise<Registry> => {
      const registry = new Registry(
        ConfigSchema.parse({
          servers: [{ id: 'web', transport: 'http', urls: fixtures.map((f, i) => ({ url: f.url, weight: i + 1 })) }],
          routing: { algorithm },
        }),
        { logger: silentLogger },
      );
      registries.push(registry);
      await registry.start();
      return registry;
    };

    beforeAll(async () => {
      fixtures = await Promise.all(
        ['one', 'two', 'three'].map((label) => startHttpFixture({ transport: 'http', label })),
      );
    }, 20_000);
    afterAll(async () => {
      await Promise.all(registries.map((r) => r.stop()));
      await Promise.all(fixtures.map((f) => f.stop()));
    });

    it('weighted: shares follow the weights 1:2:3', async () => {
      const registry = await start('weighted');
      const answers = await repeat(600, 10, () => whoami(registry, 'web__whoami'));
      const perLabel = tally(answers, (a) => a.label);
      // Smooth weighted round robin gives exact shares; the tolerance only guards the test itself.
      expect(perLabel.get('one')).toBeGreaterThanOrEqual(90);
      expect(perLabel.get('one')).toBeLessThanOrEqual(110);
      expect(perLabel.get('two')).toBeGreaterThanOrEqual(180);
      expect(perLabel.get('two')).toBeLessThanOrEqual(220);
      expect(perLabel.get('three')).toBeGreaterThanOrEqual(270);
      expect(perLabel.get('three')).toBeLessThanOrEqual(330);
    });

    it('consistent_hash: a session key always reaches the same replica, and keys spread', async () => {
      const registry = await start('consistent_hash');
      const owners = new Map<string, Set<string>>();
      for (let k = 0; k < 30; k++) {
        const sessionKey = `session-${k}`;
        const answers = await repeat(5, 5, () => whoami(registry, 'web__whoami', { sessionKey }));
        owners.set(sessionKey, new Set(answers.map((a) => a.label)));
      }
      for (const labels of owners.values()) expect(labels.size).toBe(1);
      const used = new Set([...owners.values()].flatMap((labels) => [...labels]));
      expect(used.size).toBeGreaterThan(1);
    });
  });
});
