/**
 * Request timeouts and circuit breakers against a backend that never answers (the fixture's
 * `hang` tool): each hung call is a BackendTimeout, enough of them open the replica's breaker,
 * and then calls skip that replica, or get CircuitOpen when no other replica is left.
 */
import { ConfigSchema } from '@only1mcp/config';
import { ErrorCode } from '@only1mcp/mcp-types';
import { fixtureServerCommand } from '@only1mcp/test-utils';
import { Registry, silentLogger } from '../src';
import { repeat, waitFor, whoami } from './support';

function hangingRegistry(replicas: number, resetTimeout: string): Registry {
  return new Registry(
    ConfigSchema.parse({
      servers: [
        {
          id: 'fx',
          transport: 'stdio',
          ...fixtureServerCommand({ label: 'hang' }),
          replicas,
          request_timeout: '200ms',
          circuit_breaker: {
            volume_threshold: 3,
            error_threshold_percentage: 50,
            rolling_window: '30s',
            reset_timeout: resetTimeout,
          },
        },
      ],
      // Sticky routing sends every call of one session key to one replica, so only its breaker trips.
      routing: { algorithm: 'consistent_hash' },
    }),
    { logger: silentLogger },
  );
}

/**
 * Starts `registry` and waits until its tools are listed: its catalogue reads run under the same
 * 200 ms request_timeout, which a fixture still starting on a loaded machine may miss once (the
 * registry then reads them again).
 */
async function started(registry: Registry): Promise<void> {
  await registry.start();
  await waitFor('the tools listed', () => registry.catalog.tools.some((t) => t.name === 'fx__hang'), 10_000);
}

const hang = (registry: Registry, sessionKey?: string) =>
  registry.callTool({ name: 'fx__hang', arguments: {} }, { sessionKey });

/**
 * Calls `hang` until a call is refused without being sent (bounded): returns the error codes seen.
 * How many timeouts it takes depends on the breaker's rolling counts (catalogue reads are in them),
 * so the test asserts the sequence, not a number.
 */
async function hangUntilOpen(registry: Registry, sessionKey?: string): Promise<string[]> {
  const seen: string[] = [];
  for (
    let i = 0;
    i < 10 && !seen.includes('CircuitOpen') && !registry.status()[0]!.replicas.some((r) => r.breaker === 'open');
    i++
  ) {
    seen.push(
      await hang(registry, sessionKey).then(
        () => 'answered',
        (err: { codeName?: string }) => err.codeName ?? 'unknown',
      ),
    );
  }
  return seen;
}

describe('timeouts and circuit breakers', () => {
  const registries: Registry[] = [];
  afterEach(async () => {
    await Promise.all(registries.splice(0).map((r) => r.stop()));
  });

  it('times out a call that never answers, then opens the breaker and fails fast with CircuitOpen', async () => {
    const registry = hangingRegistry(1, '30s');
    registries.push(registry);
    await started(registry);
    await expect(hang(registry)).rejects.toMatchObject({ codeName: 'BackendTimeout', code: ErrorCode.BackendTimeout });
    const seen = await hangUntilOpen(registry);
    expect(new Set(seen)).toEqual(new Set(['BackendTimeout']));
    expect(registry.status()[0]!.replicas[0]!.breaker).toBe('open');
    // Even a call that would succeed is refused while the breaker is open: the backend is failing.
    await expect(registry.callTool({ name: 'fx__echo', arguments: { message: 'hi' } })).rejects.toMatchObject({
      codeName: 'CircuitOpen',
      code: ErrorCode.CircuitOpen,
    });
    // The process itself is fine: the breaker, not a disconnect, is what stops traffic.
    expect(registry.status()[0]!.replicas[0]!.state).toBe('up');
  });

  it('sends calls to the healthy replica while the other one is open, and back after reset_timeout', async () => {
    const registry = hangingRegistry(2, '1s');
    registries.push(registry);
    await started(registry);
    const key = 'sticky';
    const stuck = await whoami(registry, 'fx__whoami', { sessionKey: key });
    const seen = await hangUntilOpen(registry, key);
    expect(new Set(seen)).toEqual(new Set(['BackendTimeout']));
    const breakers = () => registry.status()[0]!.replicas.map((r) => r.breaker);
    expect(breakers().filter((b) => b === 'open')).toHaveLength(1);

    // The same key now lands on the other replica, and nothing fails.
    const moved = await repeat(10, 5, () => whoami(registry, 'fx__whoami', { sessionKey: key }));
    for (const answer of moved) expect(answer.pid).not.toBe(stuck.pid);

    // After reset_timeout the breaker lets calls try the replica again. Of a burst, one is the
    // trial call and the rest are refused by the breaker, so they must go to the other replica.
    await waitFor('the breaker to be half-open', () => breakers().includes('half-open'));
    const burst = await Promise.all(
      Array.from({ length: 6 }, () => whoami(registry, 'fx__whoami', { sessionKey: key })),
    );
    expect(burst).toHaveLength(6);
    await waitFor('the breaker to close after the trial call succeeded', () => breakers().every((b) => b === 'closed'));
    expect((await whoami(registry, 'fx__whoami', { sessionKey: key })).pid).toBe(stuck.pid);
  });
});
