/**
 * Failover across three Streamable HTTP replicas: one is killed (SIGKILL, as a crash), the others
 * carry every call made afterwards, and when it comes back on the same port the reconnect loop
 * brings it back into rotation.
 */
import { ConfigSchema } from '@only1mcp/config';
import { FIXTURE_PROMPT, FIXTURE_RESOURCE_URI, startHttpFixture, type HttpFixture } from '@only1mcp/test-utils';
import { Registry, silentLogger } from '../src';
import { repeat, tally, waitFor, whoami } from './support';

describe('failover between HTTP replicas', () => {
  let fixtures: HttpFixture[] = [];
  let registry: Registry;
  const replicaStates = () => registry.status()[0]!.replicas.map((r) => r.state);

  beforeAll(async () => {
    fixtures = await Promise.all(['a', 'b', 'c'].map((label) => startHttpFixture({ transport: 'http', label })));
    registry = new Registry(
      ConfigSchema.parse({
        servers: [
          {
            id: 'web',
            transport: 'http',
            urls: fixtures.map((f) => f.url),
            connect_timeout: '2s',
            request_timeout: '5s',
            // Failover here must come from the replica being marked down, not from the breaker.
            circuit_breaker: { enabled: false },
          },
        ],
        routing: { algorithm: 'round_robin' },
      }),
      { logger: silentLogger },
    );
    await registry.start();
    // start() waits connect_timeout at most; on a loaded machine a replica may connect after it.
    await waitFor('every replica up', () => replicaStates().every((state) => state === 'up'), 15_000);
  }, 30_000);
  afterAll(async () => {
    await registry?.stop();
    await Promise.all(fixtures.map((f) => f.stop()));
  });

  it('uses all three replicas while they are healthy', async () => {
    const answers = await repeat(30, 5, () => whoami(registry, 'web__whoami'));
    expect([...tally(answers, (a) => a.label).keys()].sort()).toEqual(['a', 'b', 'c']);
  });

  it('keeps answering every call made after a replica is killed', async () => {
    await fixtures[1]!.kill();
    // Idempotent requests (resources/read, prompts/get) are retried on another replica, so none fails,
    // not even those that meet the dead replica first.
    const reads = await repeat(12, 3, () => registry.routeByUri('resources/read', { uri: FIXTURE_RESOURCE_URI }));
    for (const read of reads) expect((read as { contents: { text: string }[] }).contents[0]!.text).toMatch(/^[ac]$/);
    const prompts = await repeat(6, 3, () => registry.getPrompt({ name: `web__${FIXTURE_PROMPT}` }));
    for (const prompt of prompts) expect((prompt as { messages: unknown[] }).messages).toHaveLength(1);
    const answers = await repeat(30, 5, () => whoami(registry, 'web__whoami'));
    expect(new Set(answers.map((a) => a.label))).toEqual(new Set(['a', 'c']));
    await waitFor('the killed replica to be marked down', () => replicaStates()[1] !== 'up');
  });

  it('brings the replica back into rotation when it is restarted on the same port', async () => {
    await fixtures[1]!.restart();
    await waitFor('the restarted replica to be up', () => replicaStates()[1] === 'up', 15_000);
    const answers = await repeat(30, 5, () => whoami(registry, 'web__whoami'));
    expect(tally(answers, (a) => a.label).get('b')).toBeGreaterThan(0);
    expect(replicaStates()).toEqual(['up', 'up', 'up']);
  });

  it('reconnects a replica that restarted between calls and forgot the session, failing no call', async () => {
    const before = fixtures[2]!.pid;
    await fixtures[2]!.restart();
    expect(fixtures[2]!.pid).not.toBe(before);
    // The first call to reach it gets 404 for the old session: it was never run, so it goes elsewhere.
    const answers = await repeat(30, 5, () => whoami(registry, 'web__whoami'));
    expect(answers).toHaveLength(30);
    await waitFor(
      'the replica to reconnect with a new session',
      () => replicaStates()[2] === 'up' && registry.status()[0]!.replicas[2]!.restarts > 0,
      15_000,
    );
    const after = await repeat(30, 5, () => whoami(registry, 'web__whoami'));
    expect(after.some((a) => a.label === 'c' && a.pid === fixtures[2]!.pid)).toBe(true);
  });
});
