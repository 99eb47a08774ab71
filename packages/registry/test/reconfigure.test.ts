/**
 * Registry.reconfigure and setEnabled (hot reload, admin API) with a real stdio fixture backend.
 */
import { ConfigSchema } from '@only1mcp/config';
import { fixtureServerCommand, waitFor } from '@only1mcp/test-utils';
import { Registry, silentLogger } from '../src';

const config = ConfigSchema.parse({
  health: { enabled: false },
  servers: [{ id: 'a', transport: 'stdio', ...fixtureServerCommand({ label: 'a' }) }],
});

describe('Registry.setEnabled', () => {
  it('removes a disabled server’s tools and brings them back when it is enabled again', async () => {
    const registry = new Registry(config, { logger: silentLogger });
    try {
      await registry.start();
      const count = registry.catalog.tools.length;
      expect(count).toBeGreaterThan(0);
      expect(await registry.setEnabled('a', false)).toMatchObject({ changed: ['a'] });
      expect(registry.catalog.tools).toHaveLength(0);
      // A disabled backend offers no lists; its (empty) read must not block the next one.
      await registry.setEnabled('a', true);
      expect(registry.catalog.tools).toHaveLength(count);
      expect(registry.status()[0]).toMatchObject({ enabled: true, up: true });
    } finally {
      await registry.stop();
    }
  });
});

describe('a restarted replica', () => {
  it('starts without the verdicts on the process that died (active health, breaker)', async () => {
    const registry = new Registry(
      ConfigSchema.parse({
        health: { enabled: false },
        servers: [
          {
            id: 'a',
            transport: 'stdio',
            ...fixtureServerCommand({ label: 'a' }),
            restart: { initial_delay: '50ms' },
          },
        ],
      }),
      { logger: silentLogger },
    );
    try {
      await registry.start();
      const whoami = async () =>
        JSON.parse(
          ((await registry.callTool({ name: 'a__whoami', arguments: {} })) as { content: { text: string }[] })
            .content[0]!.text,
        ) as { pid: number };
      const { pid } = await whoami();
      registry.applyHealth('a#0', 'unhealthy');
      expect(registry.status()[0]!.replicas[0]!.health).toBe('unhealthy');
      process.kill(pid, 'SIGKILL');
      await waitFor(
        'the replica to come back',
        () => registry.status()[0]!.replicas[0]!.state === 'up' && registry.status()[0]!.replicas[0]!.restarts > 0,
      );
      expect(registry.status()[0]!.replicas[0]!.health).toBe('unknown');
      expect((await whoami()).pid).not.toBe(pid);
    } finally {
      await registry.stop();
    }
  });
});
