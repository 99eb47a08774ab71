/**
 * registry.stop() ends every stdio process it started: replicas that are up, replicas waiting to
 * restart, and replicas still starting when stop() is called. Checked two ways: the pids the
 * fixture reported are gone, and no child of this process runs the fixture with that label.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { ConfigSchema } from '@only1mcp/config';
import { fixtureServerCommand, processAlive } from '@only1mcp/test-utils';
import { Registry, silentLogger } from '../src';
import { waitFor, whoami } from './support';

/** Pids of this process's children whose command line contains `marker` (Linux /proc). */
function childrenWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (ppid === process.pid && state !== 'Z' && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker))
        pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

const stdio = (id: string, label: string, extra: Record<string, unknown> = {}) => ({
  id,
  transport: 'stdio',
  ...fixtureServerCommand({ label }),
  ...extra,
});

describe('Registry.stop()', () => {
  it('leaves no fixture process behind: running replicas and ones waiting to restart', async () => {
    const registry = new Registry(
      ConfigSchema.parse({
        servers: [
          stdio('fx', 'stop-running', { replicas: 3 }),
          // Dies on its first call, then waits (long) to be restarted when stop() comes.
          {
            id: 'crashy',
            transport: 'stdio',
            ...fixtureServerCommand({ label: 'stop-crashing', crashAfter: 0 }),
            restart: { initial_delay: '20s' },
          },
        ],
      }),
      { logger: silentLogger },
    );
    try {
      await registry.start();
      const pids = new Set<number>();
      for (let i = 0; i < 3; i++) pids.add((await whoami(registry, 'fx__whoami')).pid);
      expect(pids.size).toBe(3);
      for (const pid of pids) expect(processAlive(pid)).toBe(true);
      await expect(registry.callTool({ name: 'crashy__whoami', arguments: {} })).rejects.toMatchObject({
        codeName: 'BackendError',
      });
      await waitFor(
        'the crashed backend to wait for its restart',
        () => registry.status()[1]!.replicas[0]!.state === 'down',
      );

      await registry.stop();
      for (const pid of pids) expect(processAlive(pid)).toBe(false);
      expect(childrenWith('stop-running')).toEqual([]);
      expect(childrenWith('stop-crashing')).toEqual([]);
      expect(registry.status().flatMap((s) => s.replicas.map((r) => r.state))).toEqual([
        'stopped',
        'stopped',
        'stopped',
        'stopped',
      ]);
    } finally {
      await registry.stop();
    }
  });

  it('ends replicas that were still starting when stop() was called', async () => {
    const registry = new Registry(ConfigSchema.parse({ servers: [stdio('fx', 'stop-starting', { replicas: 2 })] }), {
      logger: silentLogger,
    });
    const starting = registry.start();
    try {
      await waitFor('the processes to be spawned', () => childrenWith('stop-starting').length > 0);
      await registry.stop();
      expect(childrenWith('stop-starting')).toEqual([]);
      expect(registry.status()[0]!.replicas.map((r) => r.state)).toEqual(['stopped', 'stopped']);
    } finally {
      await starting;
      await registry.stop();
    }
  });
});
