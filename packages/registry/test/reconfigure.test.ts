/**
 * Registry.reconfigure and setEnabled (hot reload, admin API) with a real stdio fixture backend.
 */
import { ConfigSchema } from '@only1mcp/config';
import { fixtureServerCommand } from '@only1mcp/test-utils';
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
