import { HealthChecker, type HealthCheckerOptions, type HealthTarget } from './healthChecker';
import type { HealthRecord } from './healthRecord';
import { InMemoryHealthStore } from './inMemoryHealthStore';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** A target whose next answers the test decides. */
function switchable(id: string) {
  let healthy = true;
  const target: HealthTarget & { set(ok: boolean): void } = {
    id,
    set: (ok) => void (healthy = ok),
    probe: async () => {
      if (!healthy) throw new Error('connection refused');
    },
  };
  return target;
}

const options: HealthCheckerOptions = {
  intervalMs: 60_000,
  timeoutMs: 5_000,
  unhealthyThreshold: 3,
  healthyThreshold: 2,
};

function setup(targets: HealthTarget[], overrides: Partial<HealthCheckerOptions> = {}) {
  const clock = manualClock();
  const store = new InMemoryHealthStore();
  const changes: HealthRecord[] = [];
  const checker = new HealthChecker(
    { ...options, ...overrides },
    { targets: () => targets, store, checkedBy: 'gw-1', clock, onChange: (r) => changes.push(r) },
  );
  return { clock, store, changes, checker };
}

describe('HealthChecker', () => {
  it('lets the first result decide from unknown', async () => {
    const up = switchable('a#0');
    const down = switchable('b#0');
    down.set(false);
    const { checker, changes } = setup([up, down]);
    expect(checker.health('a#0')).toBeUndefined();
    await checker.runOnce();
    expect(checker.health('a#0')?.status).toBe('healthy');
    expect(checker.health('b#0')?.status).toBe('unhealthy');
    expect(changes.map((c) => [c.id, c.status])).toEqual([
      ['a#0', 'healthy'],
      ['b#0', 'unhealthy'],
    ]);
  });

  it('turns unhealthy after unhealthyThreshold failures and healthy after healthyThreshold successes', async () => {
    const target = switchable('a#0');
    const { checker, changes, store } = setup([target]);
    await checker.runOnce();
    target.set(false);
    await checker.runOnce();
    await checker.runOnce();
    expect(checker.health('a#0')).toMatchObject({ status: 'healthy', consecutiveFailures: 2 });
    await checker.runOnce();
    expect(checker.health('a#0')).toMatchObject({ status: 'unhealthy', consecutiveFailures: 3 });
    target.set(true);
    await checker.runOnce();
    expect(checker.health('a#0')).toMatchObject({ status: 'unhealthy', consecutiveSuccesses: 1 });
    await checker.runOnce();
    expect(checker.health('a#0')?.status).toBe('healthy');
    expect(changes.map((c) => c.status)).toEqual(['healthy', 'unhealthy', 'healthy']);
    // Every result is written, not only changes.
    expect((await store.getAll())[0]).toMatchObject({ id: 'a#0', status: 'healthy', checkedBy: 'gw-1' });
  });

  it('a success in the middle of failures resets the count', async () => {
    const target = switchable('a#0');
    const { checker } = setup([target]);
    await checker.runOnce();
    for (const ok of [false, false, true, false, false]) {
      target.set(ok);
      await checker.runOnce();
    }
    expect(checker.health('a#0')).toMatchObject({ status: 'healthy', consecutiveFailures: 2 });
  });

  it('records latency, lastCheck and lastError', async () => {
    let fail = false;
    // The probe moves the test's clock, so "latency" is exact; `s` is set before any probe runs.
    const target: HealthTarget = {
      id: 'a#0',
      probe: async () => {
        s.clock.advance(42);
        if (fail) throw new Error('boom');
      },
    };
    const s = setup([target]);
    const { clock } = s;
    await s.checker.runOnce();
    const [first] = await s.store.getAll();
    expect(first).toMatchObject({ latencyMs: 42, lastCheck: clock.now() });
    expect(first?.lastError).toBeUndefined();
    fail = true;
    await s.checker.runOnce();
    const [second] = await s.store.getAll();
    expect(second).toMatchObject({ lastError: 'boom', lastCheck: clock.now() });
    expect(second?.latencyMs).toBeUndefined();
  });

  it('aborts a probe that hangs past the timeout and counts it as a failure', async () => {
    let signalSeen: AbortSignal | undefined;
    const hanging: HealthTarget = {
      id: 'slow#0',
      probe: (signal) => {
        signalSeen = signal;
        return new Promise(() => {}); // never settles, ignores the signal
      },
    };
    const { checker } = setup([hanging], { timeoutMs: 20 });
    await checker.runOnce();
    expect(signalSeen?.aborted).toBe(true);
    expect(checker.health('slow#0')).toMatchObject({ status: 'unhealthy' });
    expect(checker.health('slow#0')?.lastError).toMatch(/timed out after 20 ms/);
  });

  it('stop() aborts probes in flight and discards their results', async () => {
    let signalSeen: AbortSignal | undefined;
    const hanging: HealthTarget = {
      id: 'slow#0',
      probe: (signal) => {
        signalSeen = signal;
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      },
    };
    const { checker, store } = setup([hanging], { timeoutMs: 60_000 });
    checker.start();
    await checker.stop();
    expect(signalSeen?.aborted).toBe(true);
    expect(checker.health('slow#0')).toBeUndefined();
    expect(await store.getAll()).toEqual([]);
  });

  it('forgets targets that are no longer listed', async () => {
    let targets: HealthTarget[] = [switchable('a#0'), switchable('b#0')];
    const store = new InMemoryHealthStore();
    const checker = new HealthChecker(options, { targets: () => targets, store, checkedBy: 'gw-1' });
    await checker.runOnce();
    targets = [switchable('a#0')];
    await checker.runOnce();
    expect(checker.healthAll().map((h) => h.id)).toEqual(['a#0']);
  });

  describe('on its timer', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    /** A checker started on four targets that count their probes, probing every 400 ms. */
    function startedOnFour() {
      const probes = new Map<string, number>();
      const targets: HealthTarget[] = ['a#0', 'b#0', 'c#0', 'd#0'].map((id) => ({
        id,
        probe: async () => void probes.set(id, (probes.get(id) ?? 0) + 1),
      }));
      const { checker } = setup(targets, { intervalMs: 400 });
      checker.start();
      const counts = () => targets.map((t) => probes.get(t.id) ?? 0);
      return { checker, counts };
    }

    it('probes every target at once first, then spreads each round evenly over the interval', async () => {
      const { checker, counts } = startedOnFour();
      await jest.advanceTimersByTimeAsync(0);
      expect(counts()).toEqual([1, 1, 1, 1]);
      // The second round begins at 400 ms: target k of 4 is probed k × 100 ms into it.
      await jest.advanceTimersByTimeAsync(400);
      expect(counts()).toEqual([2, 1, 1, 1]);
      await jest.advanceTimersByTimeAsync(100);
      expect(counts()).toEqual([2, 2, 1, 1]);
      await jest.advanceTimersByTimeAsync(200);
      expect(counts()).toEqual([2, 2, 2, 2]);
      // Each target once per interval, round after round.
      await jest.advanceTimersByTimeAsync(400 * 3);
      expect(counts()).toEqual([5, 5, 5, 5]);
      await checker.stop();
    });

    it('stop() cancels the probes of a round still waiting for their turn', async () => {
      const { checker, counts } = startedOnFour();
      await jest.advanceTimersByTimeAsync(400);
      expect(counts()).toEqual([2, 1, 1, 1]);
      await checker.stop();
      await jest.advanceTimersByTimeAsync(1_000);
      expect(counts()).toEqual([2, 1, 1, 1]);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('skips a target whose probe from the last round still runs, rather than probing it twice', async () => {
      let started = 0;
      const slow: HealthTarget = { id: 'slow#0', probe: () => (started++, new Promise(() => undefined)) };
      const { checker } = setup([slow], { intervalMs: 400, timeoutMs: 60_000 });
      checker.start();
      await jest.advanceTimersByTimeAsync(400 * 3);
      expect(started).toBe(1);
      await checker.stop();
    });
  });
});
