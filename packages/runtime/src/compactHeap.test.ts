import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import { compactAfterStartUp, compactHeap, untilQuiet } from './compactHeap';

/** The young generation's reserved size, in bytes. */
const youngGeneration = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_size;

describe('compactHeap', () => {
  it('collects what start-up left behind, shrinking the young generation, and the process goes on', async () => {
    // Objects that survive young collections grow the young generation, as loading code does.
    let kept: unknown[] = [];
    for (let i = 0; i < 300_000; i++) kept.push({ i, text: `item ${i}`, pair: [i, i + 1] });
    kept = [];
    const grown = youngGeneration();
    const done = await compactHeap();
    expect(done).toBeDefined();
    expect(done!.ms).toBeGreaterThan(0);
    expect(done!.rssAfter).toBeGreaterThan(0);
    // V8's smallest young generation: one MiB per semi-space.
    expect(youngGeneration()).toBeLessThan(grown);
    expect(youngGeneration()).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(kept).toEqual([]);
  });

  it('after start-up, once the process is quiet, logs what the compaction gave back at debug level', async () => {
    const lines: { message: string; fields?: Record<string, unknown> }[] = [];
    const at = (message: string, fields?: Record<string, unknown>) => void lines.push({ message, fields });
    await compactAfterStartUp({ error: at, warn: at, info: at, debug: at }, { quietMs: 20 });
    expect(lines).toEqual([
      {
        message: 'start-up memory handed back',
        fields: { pauseMs: expect.any(Number), rssBeforeMiB: expect.any(Number), rssAfterMiB: expect.any(Number) },
      },
    ]);
  });

  it('waits while the event loop is busy, and leaves the heap to V8 if it stays busy', async () => {
    const lines: string[] = [];
    const at = (message: string) => void lines.push(message);
    const logger = { error: at, warn: at, info: at, debug: at };
    // Busy 9 ms of every 10 (a new gateway's first requests, as far as the event loop can tell).
    const busyFor = (ms: number) => {
      const until = performance.now() + ms;
      const timer = setInterval(() => {
        const end = Math.min(performance.now() + 9, until);
        while (performance.now() < end);
        if (performance.now() >= until) clearInterval(timer);
      }, 10);
      return new Promise((resolve) => setTimeout(resolve, ms + 20));
    };

    const busy = busyFor(300);
    const compacted = compactAfterStartUp(logger, { quietMs: 50, maxWaitMs: 5_000 }).then(() => performance.now());
    const quietSince = await busy.then(() => performance.now());
    expect(await compacted).toBeGreaterThan(quietSince - 40); // not during the busy 300 ms
    expect(lines).toEqual(['start-up memory handed back']);

    lines.length = 0;
    const stillBusy = busyFor(400);
    await compactAfterStartUp(logger, { quietMs: 50, maxWaitMs: 150 });
    expect(lines).toEqual(['start-up memory left to the garbage collector: the process was busy']);
    await stillBusy;
  });
});

describe('untilQuiet', () => {
  it('resolves at the end of the first quiet window, and its timers do not hold the process', async () => {
    const started = performance.now();
    expect(await untilQuiet(30, 1_000)).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(performance.now() - started).toBeLessThan(1_000);
    // A process with nothing else to do exits while it waits (the built module, in a fresh Node).
    const script = `require(${JSON.stringify(join(__dirname, '..', 'dist', 'compactHeap.js'))}).untilQuiet(60000, 600000)`;
    const exited = performance.now();
    expect(spawnSync(process.execPath, ['-e', script], { timeout: 30_000 }).status).toBe(0);
    expect(performance.now() - exited).toBeLessThan(30_000);
  });
});
