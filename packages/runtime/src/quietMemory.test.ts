import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import { FAVOUR_MEMORY, FAVOUR_SPEED, HAND_BACK_MIN_BYTES, favourMemoryWhenQuiet } from './quietMemory';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The watchers' windows: long enough that what a loaded machine adds to an idle window (a
 * collection, this test's own polling, slowed by other processes) stays under 10 % of it. With
 * 20-ms windows, 2 ms of it made a quiet spell busy in a CI run, and a second one begin.
 */
const WINDOW_MS = 100;
/** The quiet spell the watchers wait for: three windows. */
const QUIET_FOR_MS = 300;

/** Holds the event loop for `ms`, as a burst of requests would. */
const block = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

/** Polls `condition` every 10 ms, up to `ms`. */
async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition() && performance.now() < deadline) await sleep(10);
  expect(condition()).toBe(true);
}

/** A logger keeping what it was given. */
function recordingLogger() {
  const lines: { message: string; fields?: Record<string, unknown> }[] = [];
  const at = (message: string, fields?: Record<string, unknown>) => void lines.push({ message, fields });
  return { lines, logger: { error: at, warn: at, info: at, debug: at } };
}

describe('favourMemoryWhenQuiet', () => {
  it('favours memory once the process has been quiet long enough, and speed at the first busy window', async () => {
    const flags: string[] = [];
    const { lines, logger } = recordingLogger();
    const started = performance.now();
    // The event loop's busy share as the test sets it: an idle window of this loaded machine could
    // read busy (the real reader is tested below, and in the hand-back of a real heap).
    let busy = false;
    const watcher = favourMemoryWhenQuiet(logger, {
      windowMs: WINDOW_MS,
      quietForMs: QUIET_FOR_MS,
      utilization: () => (busy ? 0.6 : 0.02),
      setFlags: (f) => flags.push(f),
      // The test runner's heap is left as it is (handing back is tested below).
      handBackMinBytes: Infinity,
    });
    try {
      expect(watcher.favoured).toBe(false);
      await until(() => watcher.favoured);
      expect(performance.now() - started).toBeGreaterThanOrEqual(QUIET_FOR_MS);
      expect(flags).toEqual([FAVOUR_MEMORY]);

      // A burst: a window the event loop spends busy.
      busy = true;
      await until(() => !watcher.favoured);
      busy = false;
      expect(flags).toEqual([FAVOUR_MEMORY, FAVOUR_SPEED]);

      // Quiet again: memory again, after the whole quiet spell, not at the first quiet window (the
      // spell as the watcher counts it: the test's own clock reads it late by its polling).
      await until(() => watcher.favoured);
      expect(lines[2]!.fields!.quietMs).toBeGreaterThanOrEqual(QUIET_FOR_MS);
      expect(flags).toEqual([FAVOUR_MEMORY, FAVOUR_SPEED, FAVOUR_MEMORY]);
      expect(lines).toEqual([
        { message: 'heap favours memory: the process is quiet', fields: { quietMs: expect.any(Number) } },
        { message: 'heap favours speed: the process is busy', fields: { utilization: expect.any(Number) } },
        { message: 'heap favours memory: the process is quiet', fields: { quietMs: expect.any(Number) } },
      ]);
      expect(lines[1]!.fields!.utilization).toBeGreaterThanOrEqual(0.1);
    } finally {
      watcher.stop();
    }
    // Stopped, V8 is left favouring speed, and nothing changes afterwards.
    expect(flags).toEqual([FAVOUR_MEMORY, FAVOUR_SPEED, FAVOUR_MEMORY, FAVOUR_SPEED]);
    expect(watcher.favoured).toBe(false);
    await sleep(QUIET_FOR_MS + WINDOW_MS);
    expect(flags).toHaveLength(4);
  });

  it('never favours memory while the event loop stays busy', async () => {
    const flags: string[] = [];
    const { logger } = recordingLogger();
    const watcher = favourMemoryWhenQuiet(logger, {
      windowMs: WINDOW_MS,
      quietForMs: QUIET_FOR_MS,
      setFlags: (f) => flags.push(f),
      handBackMinBytes: Infinity,
    });
    // Busy 15 ms of every 20 for longer than the quiet spell: no window is quiet.
    const busyUntil = performance.now() + 2 * QUIET_FOR_MS;
    while (performance.now() < busyUntil) {
      block(15);
      await sleep(5);
    }
    watcher.stop();
    expect(flags).toEqual([]);
  });

  describe('handing back what a busy spell left', () => {
    const MiB = 1024 * 1024;
    /**
     * A heap holding `unusedMiB` unused, a compaction that counts its calls, and an event loop
     * whose busy share the test sets (`heap.busy`): what these tests check does not hang on the
     * machine's own load, which could make an idle window read busy (a collection of the test
     * runner's, slowed by other processes) and begin a second quiet spell. `options` watch it.
     */
    function fakeHeap(unusedMiB: number) {
      const heap = { unused: unusedMiB * MiB, compactions: 0, busy: false };
      const options = {
        windowMs: WINDOW_MS,
        quietForMs: QUIET_FOR_MS,
        setFlags: () => undefined,
        utilization: () => (heap.busy ? 1 : 0),
        heapStatistics: () => ({ total_heap_size: 30 * MiB + heap.unused, used_heap_size: 30 * MiB }),
        compact: async () => {
          heap.compactions += 1;
          heap.unused = 0;
          return { ms: 42.4, rssBefore: 140 * MiB, rssAfter: 100 * MiB };
        },
      };
      return { heap, options };
    }

    it('compacts the heap on turning quiet when V8 holds enough of it unused, once per quiet spell', async () => {
      const { heap, options } = fakeHeap(36);
      const { lines, logger } = recordingLogger();
      const watcher = favourMemoryWhenQuiet(logger, options);
      try {
        await until(() => heap.compactions === 1);
        expect(lines).toContainEqual({
          message: 'heap handed back: the process is quiet',
          fields: { unusedMiB: 36, pauseMs: 42, rssBeforeMiB: 140, rssAfterMiB: 100 },
        });
        // Still quiet: nothing more, though the heap fills again.
        heap.unused = 20 * MiB;
        await sleep(QUIET_FOR_MS + WINDOW_MS);
        expect(heap.compactions).toBe(1);
        // Busy, then quiet again: handed back again.
        heap.busy = true;
        await until(() => !watcher.favoured);
        heap.busy = false;
        await until(() => heap.compactions === 2);
      } finally {
        watcher.stop();
      }
    });

    it(`leaves the heap alone when less than ${HAND_BACK_MIN_BYTES / MiB} MiB of it is unused`, async () => {
      const { heap, options } = fakeHeap(HAND_BACK_MIN_BYTES / MiB - 1);
      const { lines, logger } = recordingLogger();
      const watcher = favourMemoryWhenQuiet(logger, options);
      try {
        await until(() => watcher.favoured);
        await sleep(2 * WINDOW_MS);
        expect(heap.compactions).toBe(0);
        expect(lines.map((l) => l.message)).toEqual(['heap favours memory: the process is quiet']);
      } finally {
        watcher.stop();
      }
    });

    it('logs, and goes on watching, when the compaction fails', async () => {
      const { lines, logger } = recordingLogger();
      const compact = () => Promise.reject(new Error('no inspector'));
      const watcher = favourMemoryWhenQuiet(logger, {
        windowMs: WINDOW_MS,
        quietForMs: QUIET_FOR_MS,
        setFlags: () => undefined,
        heapStatistics: () => ({ total_heap_size: 64 * MiB, used_heap_size: 16 * MiB }),
        compact,
      });
      try {
        await until(() => lines.some((l) => l.message === 'heap not handed back'));
        expect(lines).toContainEqual({ message: 'heap not handed back', fields: { error: 'no inspector' } });
        block(60);
        await until(() => !watcher.favoured);
      } finally {
        watcher.stop();
      }
    });

    it('hands back a real heap: the young generation a burst grew shrinks', async () => {
      const { lines, logger } = recordingLogger();
      // A burst that keeps many young objects alive across scavenges grows the young generation.
      let keep: object[] = [];
      for (let i = 0; i < 400_000; i++) {
        keep.push({ i, s: `item ${i}` });
        if (keep.length > 150_000) keep = [];
      }
      keep = [];
      const newSpace = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_size;
      const grown = newSpace();
      const watcher = favourMemoryWhenQuiet(logger, {
        windowMs: WINDOW_MS,
        quietForMs: QUIET_FOR_MS,
        handBackMinBytes: 1,
      });
      try {
        await until(() => lines.some((l) => l.message === 'heap handed back: the process is quiet'), 10_000);
        expect(newSpace()).toBeLessThan(grown);
      } finally {
        watcher.stop();
      }
    });
  });

  it("sets flags this Node's V8 knows, and its timer does not hold the process", () => {
    const node = (script: string) => spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    // V8 reports a flag it does not know on stderr and goes on: that is what is checked.
    const unknown = node(`require('node:v8').setFlagsFromString('--no-such-flag-at-all')`);
    expect(unknown.stderr).toMatch(/unrecognized flag/);
    for (const flag of [FAVOUR_MEMORY, FAVOUR_SPEED]) {
      const set = node(`require('node:v8').setFlagsFromString(${JSON.stringify(flag)})`);
      expect({ flag, status: set.status, stderr: set.stderr }).toEqual({ flag, status: 0, stderr: '' });
    }
    // A process with nothing else to do exits while it watches (the built module, in a fresh Node).
    const module = JSON.stringify(join(__dirname, '..', 'dist', 'quietMemory.js'));
    const logger = '{ error() {}, warn() {}, info() {}, debug() {} }';
    const started = performance.now();
    expect(node(`require(${module}).favourMemoryWhenQuiet(${logger}, { quietForMs: 0 })`).status).toBe(0);
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});
