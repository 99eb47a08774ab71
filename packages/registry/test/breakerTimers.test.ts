/**
 * What each backend costs while idle: its circuit breaker used to start two intervals of its own
 * (one turning its rolling window, one emitting stats snapshots nobody reads), so 100 HTTP backends
 * kept 200 timers firing every second. The breakers of a registry now share one timer.
 */
import { createHook } from 'node:async_hooks';
import { ConfigSchema } from '@only1mcp/config';
import { startHttpFixture, type HttpFixture } from '@only1mcp/test-utils';
import { Registry, silentLogger } from '../src';
import { waitFor, whoami } from './support';

/** How many timers (setTimeout or setInterval) `work` creates. */
function timersCreatedBy(work: () => void): number {
  let created = 0;
  const hook = createHook({
    init: (_id, type) => {
      if (type === 'Timeout') created += 1;
    },
  }).enable();
  try {
    work();
  } finally {
    hook.disable();
  }
  return created;
}

describe('circuit breakers of many backends', () => {
  let fixture: HttpFixture;
  let registry: Registry | undefined;

  beforeAll(async () => {
    fixture = await startHttpFixture({ transport: 'http', label: 'many' });
  }, 20_000);
  afterAll(async () => {
    await registry?.stop();
    await fixture?.stop();
  });

  it('share one timer instead of starting two per backend', async () => {
    const config = ConfigSchema.parse({
      servers: Array.from({ length: 20 }, (_, i) => ({
        id: `http${i}`,
        transport: 'http',
        url: fixture.url,
        connect_timeout: '5s',
      })),
    });
    const created = timersCreatedBy(() => {
      registry = new Registry(config, { logger: silentLogger });
    });
    expect(created).toBeLessThanOrEqual(1);
    // The breakers still guard calls.
    await registry!.start();
    // start() waits connect_timeout at most: on a loaded machine some of the 20 may connect after it.
    await waitFor(
      'every backend up and listed',
      () => registry!.ready && registry!.catalog.tools.filter((t) => t.name.endsWith('__whoami')).length === 20,
    );
    expect((await whoami(registry!, 'http7__whoami')).label).toBe('many');
  }, 30_000);
});
