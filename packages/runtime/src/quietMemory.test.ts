import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FAVOUR_MEMORY, FAVOUR_SPEED, favourMemoryWhenQuiet } from './quietMemory';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    const watcher = favourMemoryWhenQuiet(logger, { windowMs: 20, quietForMs: 150, setFlags: (f) => flags.push(f) });
    try {
      expect(watcher.favoured).toBe(false);
      await until(() => watcher.favoured);
      expect(performance.now() - started).toBeGreaterThanOrEqual(150);
      expect(flags).toEqual([FAVOUR_MEMORY]);

      // A burst: one window the event loop spends busy.
      block(60);
      await until(() => !watcher.favoured);
      expect(flags).toEqual([FAVOUR_MEMORY, FAVOUR_SPEED]);

      // Quiet again: memory again, after the whole quiet spell, not at the first quiet window.
      const quietAgain = performance.now();
      await until(() => watcher.favoured);
      expect(performance.now() - quietAgain).toBeGreaterThanOrEqual(140);
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
    await sleep(250);
    expect(flags).toHaveLength(4);
  });

  it('never favours memory while the event loop stays busy', async () => {
    const flags: string[] = [];
    const { logger } = recordingLogger();
    const watcher = favourMemoryWhenQuiet(logger, { windowMs: 20, quietForMs: 100, setFlags: (f) => flags.push(f) });
    // Busy 15 ms of every 20 for 400 ms: no window is quiet for long.
    const busyUntil = performance.now() + 400;
    while (performance.now() < busyUntil) {
      block(15);
      await sleep(5);
    }
    watcher.stop();
    expect(flags).toEqual([]);
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
