/**
 * Bookkeeping for child processes that tests start: waiting for them to end, ending them, and a
 * last-resort kill when the test process exits, so a failed test never leaves a server behind.
 */
import type { ChildProcess } from 'node:child_process';
import { waitFor } from './waitFor';

const living = new Set<ChildProcess>();
let exitHookInstalled = false;

/** True until the process has exited (or could not start). */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.pid !== undefined;
}

/** Tracks a child so it is SIGKILLed if the test process exits first. */
export function track(child: ChildProcess): ChildProcess {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of living) c.kill('SIGKILL');
    });
  }
  living.add(child);
  child.once('exit', () => living.delete(child));
  child.once('error', () => living.delete(child));
  return child;
}

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
}

/** Sends `signal`, escalating to SIGKILL after `graceMs`, and resolves once the child is gone. */
export async function endProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 3_000,
): Promise<void> {
  if (!isRunning(child)) return;
  const done = exited(child);
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}

/** True when a process with this pid exists (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Waits until `output()` (what the test collects of the child's output) holds `text`; fails at once,
 * quoting that output, when the child exits first, and after `timeoutMs` otherwise. A gateway whose
 * port was taken says so and exits 1, so a start wrapped in `onFreePort` is tried again at once.
 */
export async function untilWritten(
  child: ChildProcess,
  output: () => string,
  text: string,
  timeoutMs = 20_000,
): Promise<void> {
  await waitFor(
    `"${text}" from the process`,
    () => {
      if (output().includes(text)) return true;
      if (!isRunning(child))
        throw new Error(`exited (${child.exitCode ?? child.signalCode}) before "${text}": ${output()}`);
      return false;
    },
    timeoutMs,
  );
}
