/**
 * Hands back the memory a process's start-up leaves behind. Loading the code and starting the
 * backends fills V8's old generation with garbage and grows its young generation to its largest
 * (32 MiB on Node 20, nearly all of it empty once start-up is over); V8 gives both back only when
 * its memory reducer runs, after 20–60 s of quiet, or never on a process kept a little busy (a
 * gateway with 100 HTTP backends and health checks sat at ~120 MiB RSS until then:
 * docs/BENCHMARKS.md). Nothing in Node's API asks for that collection but the inspector
 * protocol's `HeapProfiler.collectGarbage`, which V8 serves as under memory pressure: a full,
 * compacting collection that also shrinks the young generation. Asked once, after start-up, at
 * the process's first quiet moment, over an in-process inspector session (no port is opened): a
 * pause of some tens of milliseconds on a gateway's heap.
 */

import type * as Inspector from 'node:inspector';
import type { Logger } from '@only1mcp/registry';

/** What one {@link compactHeap} did. */
export interface HeapCompaction {
  /** How long the collection took, in ms (the process's pause). */
  ms: number;
  /** The resident set before and after, in bytes. */
  rssBefore: number;
  rssAfter: number;
}

/**
 * Asks V8 for a full, memory-reducing collection. Resolves with what it did, or undefined when
 * this Node has no inspector (built without it) or the collection failed; never rejects.
 */
export async function compactHeap(): Promise<HeapCompaction | undefined> {
  let session: Inspector.Session;
  try {
    // Loaded here: a Node built without the inspector throws on loading it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Session } = require('node:inspector') as typeof Inspector;
    session = new Session();
    session.connect();
  } catch {
    return undefined;
  }
  const rssBefore = process.memoryUsage.rss();
  const started = performance.now();
  return new Promise((resolve) => {
    session.post('HeapProfiler.collectGarbage', (err) => {
      const ms = performance.now() - started;
      // Disconnecting inside the callback of the session's own message hangs the process (Node 20).
      setImmediate(() => {
        session.disconnect();
        resolve(err ? undefined : { ms, rssBefore, rssAfter: process.memoryUsage.rss() });
      });
    });
  });
}

export const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/** When {@link compactAfterStartUp} asks for the collection. */
export interface StartUpCompactionOptions {
  /** The window the event loop must have spent nearly idle (under 10 % busy) first: 500 ms. */
  quietMs?: number;
  /** Still busy after this long, the heap is left to V8 (its own collections have run by then): 60 s. */
  maxWaitMs?: number;
}

/** The share of a window the event loop may be busy in and still count as quiet. */
export const QUIET_UTILIZATION = 0.1;

/**
 * A reader of the event loop's busy share (`performance.eventLoopUtilization`): each call returns
 * the share since the previous call, the first since the reader was made.
 */
export function loopUtilizationReader(): () => number {
  let since = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, since);
    since = now;
    return utilization;
  };
}

/**
 * Resolves true at the end of the first `quietMs` window in which the event loop was busy under a
 * tenth of the time (`performance.eventLoopUtilization`), false when none was by `maxWaitMs`. Its
 * timers never hold the process open.
 */
export function untilQuiet(quietMs: number, maxWaitMs: number): Promise<boolean> {
  const started = performance.now();
  return new Promise((resolve) => {
    const utilization = loopUtilizationReader();
    const check = () => {
      if (utilization() < QUIET_UTILIZATION) return resolve(true);
      if (performance.now() - started >= maxWaitMs) return resolve(false);
      setTimeout(check, quietMs).unref();
    };
    setTimeout(check, quietMs).unref();
  });
}

/**
 * Compacts the heap once a process has started (its backends connected and listed, its port
 * open) and then been quiet for a moment, and logs what it gave back at debug level. Not at once:
 * the collection pauses the process for some tens of milliseconds (73–85 ms on a gateway with 50
 * stdio backends), and the first requests a new gateway gets come right as it starts listening (a
 * client that was waiting for it, a load balancer's first probes); asked at once, it held up the
 * first `tools/list` by ~45 ms (docs/BENCHMARKS.md, twelfth pass). A process busy for
 * `maxWaitMs` from the start skips it: its own collections have taken start-up's garbage by then,
 * and its young generation is in use. For the command lines, which own their process (`only1mcp
 * start` and `stdio`, the health-worker): `startGateway` and the like, run in a process of someone
 * else's (a test runner, an embedder), leave its heap alone, where a full collection could be long
 * and would hold up whatever else that process runs. Never rejects.
 */
export async function compactAfterStartUp(
  logger: Logger,
  { quietMs = 500, maxWaitMs = 60_000 }: StartUpCompactionOptions = {},
): Promise<void> {
  if (!(await untilQuiet(quietMs, maxWaitMs))) {
    logger.debug('start-up memory left to the garbage collector: the process was busy', { waitedMs: maxWaitMs });
    return;
  }
  const done = await compactHeap();
  if (done)
    logger.debug('start-up memory handed back', {
      pauseMs: Math.round(done.ms),
      rssBeforeMiB: mib(done.rssBefore),
      rssAfterMiB: mib(done.rssAfter),
    });
}
