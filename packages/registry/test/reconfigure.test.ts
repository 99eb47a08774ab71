/**
 * Registry.reconfigure and setEnabled (hot reload, admin API) with a real stdio fixture backend.
 */
import { randomUUID } from 'node:crypto';
import { ConfigSchema } from '@only1mcp/config';
import { PROCFS, fixtureServerCommand, markedProcesses, waitFor } from '@only1mcp/test-utils';
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

describe('onReplicaConnected', () => {
  it('tells of each replica that connects once its backend is the one in place, a changed server’s included', async () => {
    const connected: string[] = [];
    const registry = new Registry(config, {
      logger: silentLogger,
      onReplicaConnected: (id, replica) => connected.push(`${id}#${replica}`),
    });
    try {
      await registry.start();
      expect(connected).toEqual(['a#0']);
      // A changed server gets a new backend: told of once it has replaced the old one, so what is
      // asked again (resource subscriptions) reaches the new process, not the one draining.
      const changed = ConfigSchema.parse({
        health: { enabled: false },
        servers: [{ id: 'a', transport: 'stdio', ...fixtureServerCommand({ label: 'a2' }) }],
      });
      expect(await registry.reconfigure(changed)).toMatchObject({ changed: ['a'] });
      expect(connected).toEqual(['a#0', 'a#0']);
    } finally {
      await registry.stop();
    }
  });
});

describe('reconfigurations that overlap', () => {
  it('run one at a time: a reload and an admin enable together leave one backend, and none after stop', async () => {
    const marker = `RECONFIGURE_TEST=${randomUUID()}`;
    const [key, value] = marker.split('=') as [string, string];
    const withServers = (...ids: string[]) =>
      ConfigSchema.parse({
        health: { enabled: false },
        servers: ids.map((id) => ({
          id,
          transport: 'stdio',
          ...fixtureServerCommand({ label: id }),
          env: { [key]: value },
        })),
      });
    const registry = new Registry(withServers('a'), { logger: silentLogger });
    try {
      await registry.start();
      // A reload that adds `b`, the admin disabling and re-enabling it, and another reload, all at once:
      // run together, each would start its own backend for `b` and all but the last would be orphaned.
      const results = await Promise.allSettled([
        registry.reconfigure(withServers('a', 'b')),
        registry.setEnabled('b', false),
        registry.setEnabled('b', true),
        registry.reconfigure(withServers('a', 'b')),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      // They ran in the order asked for: `b` was added, disabled, enabled, then left alone.
      expect(results.map((r) => (r as PromiseFulfilledResult<unknown>).value)).toEqual([
        expect.objectContaining({ added: ['b'] }),
        expect.objectContaining({ changed: ['b'] }),
        expect.objectContaining({ changed: ['b'] }),
        expect.objectContaining({ unchanged: ['a', 'b'] }),
      ]);
      expect(registry.catalog.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['a__echo', 'b__echo']));
      if (PROCFS) await waitFor('the replaced backends of b to end', () => markedProcesses(marker).length === 2);
    } finally {
      await registry.stop();
    }
    if (PROCFS) await waitFor('every backend process to end', () => markedProcesses(marker).length === 0);
  });

  it('a reconfiguration asked for while stopping is refused, and starts nothing', async () => {
    const marker = `RECONFIGURE_TEST=${randomUUID()}`;
    const [key, value] = marker.split('=') as [string, string];
    const next = ConfigSchema.parse({
      health: { enabled: false },
      servers: [{ id: 'late', transport: 'stdio', ...fixtureServerCommand({ label: 'late' }), env: { [key]: value } }],
    });
    const registry = new Registry(config, { logger: silentLogger });
    await registry.start();
    const stopping = registry.stop();
    await expect(registry.reconfigure(next)).rejects.toThrow(/registry has stopped/);
    await stopping;
    if (PROCFS) expect(markedProcesses(marker)).toEqual([]);
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
