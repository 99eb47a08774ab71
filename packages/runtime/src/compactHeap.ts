/**
 * Hands back the memory a process's start-up leaves behind. Loading the code and starting the
 * backends fills V8's old generation with garbage and grows its young generation to its largest
 * (32 MiB on Node 20, nearly all of it empty once start-up is over); V8 gives both back only when
 * its memory reducer runs, after 20–60 s of quiet, or never on a process kept a little busy (a
 * gateway with 100 HTTP backends and health checks sat at ~120 MiB RSS until then:
 * docs/BENCHMARKS.md). Nothing in Node's API asks for that collection but the inspector
 * protocol's `HeapProfiler.collectGarbage`, which V8 serves as under memory pressure: a full,
 * compacting collection that also shrinks the young generation. Asked once, at the end of
 * start-up, over an in-process inspector session (no port is opened): a pause of some tens of
 * milliseconds on a gateway's heap.
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

const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/**
 * Compacts the heap once a process has started (its backends connected and listed, its port
 * open), and logs what it gave back at debug level. For the command lines, which own their
 * process (`only1mcp start` and `stdio`, the health-worker): `startGateway` and the like, run in a
 * process of someone else's (a test runner, an embedder), leave its heap alone, where a full
 * collection could be long and would hold up whatever else that process runs. Never rejects.
 */
export async function compactAfterStartUp(logger: Logger): Promise<void> {
  const done = await compactHeap();
  if (done)
    logger.debug('start-up memory handed back', {
      pauseMs: Math.round(done.ms),
      rssBeforeMiB: mib(done.rssBefore),
      rssAfterMiB: mib(done.rssAfter),
    });
}
