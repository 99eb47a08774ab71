/** Waiting for a started process to serve, failing at once (with its log) when it exits instead. */
import { PORT_TAKEN, freePort } from '@only1mcp/test-utils';
import { describeExit, type ManagedProcess } from './managedProcess';

/** How long a process may take to become ready: generous, a gateway starts its backends first. */
export const DEFAULT_START_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

/** True when GET `url` answers 2xx within `timeoutMs`. */
export async function answersOk(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Polls `check` until it is true; rejects when `proc` exits first or `timeoutMs` passes. */
export async function waitUntilReady(
  proc: ManagedProcess,
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = DEFAULT_START_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!proc.running()) throw new Error(describeExit(proc, await proc.exited));
    if (await check()) return;
    if (Date.now() > deadline) {
      const tail = proc.logTail().trim();
      throw new Error(
        `${proc.name} was not ${what} within ${timeoutMs} ms${tail ? `; its log ends with:\n${tail}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const PORT_ATTEMPTS = 3;

/** A process started on a port and how to tell it is ready. */
export interface PortStart {
  proc: ManagedProcess;
  /** What ready means, for messages (e.g. `serving metrics`). */
  what: string;
  check: () => Promise<boolean>;
}

/**
 * Starts a process on a free port and waits until it is ready. A free port may be taken by
 * another program before the process binds it (tests of other packages run alongside): then the
 * process is started again on another port. `track` hears of every process started, so the
 * caller can stop it whatever happens.
 */
export async function startOnFreePort(
  start: (port: number) => PortStart | Promise<PortStart>,
  track: (proc: ManagedProcess) => void,
): Promise<{ proc: ManagedProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const { proc, what, check } = await start(port);
    track(proc);
    try {
      await waitUntilReady(proc, what, check);
      return { proc, port };
    } catch (err) {
      // How the programs a cluster runs say it: Node, HAProxy, Redis, Prometheus, the worker.
      if (attempt >= PORT_ATTEMPTS || proc.running() || !PORT_TAKEN.test(proc.logTail())) throw err;
      await proc.stop();
    }
  }
}

/** {@link startOnFreePort} for a caller that owns one process: a start that fails stops it. */
export async function startOneOnFreePort(
  start: (port: number) => PortStart | Promise<PortStart>,
): Promise<{ proc: ManagedProcess; port: number }> {
  let last: ManagedProcess | undefined;
  try {
    return await startOnFreePort(start, (proc) => (last = proc));
  } catch (err) {
    await last?.stop();
    throw err;
  }
}
