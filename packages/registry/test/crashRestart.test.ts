/**
 * A stdio backend whose process dies: the call in flight gets a backend error (never a client
 * error), the process is restarted with backoff, and later calls succeed — every time it dies.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigSchema } from '@only1mcp/config';
import { ErrorCode } from '@only1mcp/mcp-types';
import { fixtureServerCommand, type FixtureServerOptions } from '@only1mcp/test-utils';
import { Registry, silentLogger } from '../src';
import { waitFor, whoami } from './support';

const FAST_RESTART = { initial_delay: '50ms', max_delay: '200ms' };

function stdioRegistry(options: FixtureServerOptions, restart: Record<string, string> = FAST_RESTART): Registry {
  return new Registry(
    ConfigSchema.parse({
      servers: [{ id: 'fx', transport: 'stdio', ...fixtureServerCommand(options), restart, connect_timeout: '5s' }],
    }),
    { logger: silentLogger },
  );
}

const replica = (registry: Registry) => registry.status()[0]!.replicas[0]!;

/**
 * Starts `registry` and waits for its backend to be up: on a loaded machine (CI) the first
 * connect may outlast `connect_timeout`, and `start()` resolves after that first failure while
 * the backend goes on connecting in the background.
 */
async function startedUp(registry: Registry): Promise<void> {
  await registry.start();
  await waitFor('the backend to be up', () => replica(registry).state === 'up');
}

describe('a crashing stdio backend', () => {
  const registries: Registry[] = [];
  const dirs: string[] = [];
  const track = (registry: Registry) => (registries.push(registry), registry);
  afterEach(async () => {
    await Promise.all(registries.splice(0).map((r) => r.stop()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('fails the call in flight as a backend error, restarts the process, and serves again, crash after crash', async () => {
    const registry = track(stdioRegistry({ label: 'crashy' }));
    await startedUp(registry);
    let pid = (await whoami(registry, 'fx__whoami')).pid;
    const before = replica(registry).restarts;
    for (let round = 1; round <= 2; round++) {
      const failure = registry.callTool({ name: 'fx__crash', arguments: {} });
      // The request reached the process, which died before answering: the backend's fault, code -32013.
      await expect(failure).rejects.toMatchObject({ codeName: 'BackendError', code: ErrorCode.BackendError });
      await waitFor(
        `restart #${round}`,
        () => replica(registry).state === 'up' && replica(registry).restarts >= before + round,
      );
      const next = await whoami(registry, 'fx__whoami');
      expect(next.pid).not.toBe(pid);
      pid = next.pid;
    }
  });

  it('answers calls while it is down with BackendUnavailable, not a client error', async () => {
    // crashAfter 0: the process dies on its first tool call; the long delay keeps it down meanwhile.
    const registry = track(stdioRegistry({ label: 'down', crashAfter: 0 }, { initial_delay: '30s', max_delay: '30s' }));
    await registry.start();
    await expect(registry.callTool({ name: 'fx__whoami', arguments: {} })).rejects.toMatchObject({
      codeName: 'BackendError',
    });
    await waitFor('the replica to be marked down', () => replica(registry).state === 'down');
    const whileDown = registry.callTool({ name: 'fx__whoami', arguments: {} });
    await expect(whileDown).rejects.toMatchObject({
      codeName: 'BackendUnavailable',
      code: ErrorCode.BackendUnavailable,
    });
    await expect(whileDown).rejects.not.toMatchObject({ code: ErrorCode.InvalidParams });
  });

  it('serves K calls, dies on the next, and the restarted process serves K more', async () => {
    const registry = track(stdioRegistry({ label: 'k', crashAfter: 2 }));
    await startedUp(registry);
    const before = replica(registry).restarts;
    const first = [await whoami(registry, 'fx__whoami'), await whoami(registry, 'fx__whoami')];
    expect(first.map((a) => a.calls)).toEqual([1, 2]);
    await expect(whoami(registry, 'fx__whoami')).rejects.toMatchObject({ codeName: 'BackendError' });
    await waitFor('the restart', () => replica(registry).state === 'up' && replica(registry).restarts > before);
    const again = await whoami(registry, 'fx__whoami');
    expect(again.calls).toBe(1);
    expect(again.pid).not.toBe(first[0]!.pid);
  });

  it('keeps restarting a process that dies at start, with backoff, until it stays up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'only1mcp-crash-'));
    dirs.push(dir);
    const healed = join(dir, 'healed');
    const registry = track(stdioRegistry({ label: 'phoenix', crashOnStartUnless: healed }));
    await registry.start();
    await waitFor('two failed restarts', () => replica(registry).restarts >= 2);
    expect(replica(registry).state).not.toBe('up');
    expect(registry.ready).toBe(false);
    writeFileSync(healed, '');
    await waitFor('the replica to stay up', () => replica(registry).state === 'up');
    // The catalogue is read when the replica comes up, so its tools are routable now.
    await waitFor('the catalogue', () => registry.catalog.tools.some((t) => t.name === 'fx__whoami'));
    expect((await whoami(registry, 'fx__whoami')).label).toBe('phoenix');
  });
});
