/**
 * Lets V8 favour memory over speed while a process is quiet, and speed again as soon as it is
 * busy. V8 lets its old generation grow, between major collections, by at least 8 MiB above what
 * the last one kept, unless it is told to favour memory (`--optimize-for-size`), when the step is
 * 2 MiB and the growing factor the conservative one. A gateway idle but for health checks keeps
 * that whole step filled with what each ping leaves behind: with 100 HTTP backends on Node 24 its
 * RSS climbed from 96 to 110 MiB and stayed there; favouring memory, 95–99 over ten minutes
 * (docs/BENCHMARKS.md, nineteenth pass). Under load the same flag costs dearly (2–3 times the
 * gateway's CPU per current-protocol call, from major collections every few megabytes), so it is
 * never left on while requests are served: it goes on after `quietForMs` of quiet and off at the
 * first window the event loop spent 10 % busy or more, at most `windowMs` late.
 *
 * Turning quiet, it also hands back what a busy spell left committed, when that is at least
 * `handBackMinBytes` of heap V8 holds but does not use: a burst grows V8's young generation to as
 * much as 128 MiB on Node 24, and V8 shrinks it only in a collection that reduces memory, which a
 * quiet process may not see for a long time (its memory reducer runs a couple of them after a
 * major collection, and then waits for the next). 20 s after 10,000 sessions were opened, the
 * idle gateway read 101–108 MiB when V8 had shrunk it and 136–138 (8 runs of 14) when it had
 * not; handed back, 101–105 every time (docs/BENCHMARKS.md, twentieth pass). The collection is
 * `compactHeap`'s: a pause of 60–90 ms there, as long as the memory reducer's own, once per quiet
 * spell at most.
 *
 * The flag is the process's own, and V8 reads it whenever it sizes the heap, so it applies from
 * the next collection. Set only by the command lines, which own their process (like
 * `compactAfterStartUp`); `startGateway` and the like, run in someone else's process, leave its
 * V8 flags alone.
 */

import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import type { Logger } from '@only1mcp/registry';
import {
  compactAfterStartUp,
  compactHeap,
  loopUtilizationReader,
  mib,
  QUIET_UTILIZATION,
  type HeapCompaction,
} from './compactHeap';

/** V8's flag for favouring memory over speed, and the flag turning it off. */
export const FAVOUR_MEMORY = '--optimize-for-size';
export const FAVOUR_SPEED = '--no-optimize-for-size';

/** How quiet a process must be, and for how long, before V8 favours memory. */
export interface QuietMemoryOptions {
  /** The event loop's busy share is read once per window: 1 s. */
  windowMs?: number;
  /** Memory is favoured after this long of windows each under 10 % busy: 10 s. */
  quietForMs?: number;
  /** Sets V8 flags (tests pass their own): `v8.setFlagsFromString`. */
  setFlags?: (flags: string) => void;
  /** Turning quiet, the heap is compacted when V8 holds at least this much of it unused: 8 MiB. */
  handBackMinBytes?: number;
  /** How much heap V8 holds, and how much of it is in use (tests pass their own): `v8.getHeapStatistics`. */
  heapStatistics?: () => { total_heap_size: number; used_heap_size: number };
  /** The compacting collection (tests pass their own): {@link compactHeap}. */
  compact?: () => Promise<HeapCompaction | undefined>;
  /** The event loop's busy share since the last call, read once a window (tests pass their own): {@link loopUtilizationReader}. */
  utilization?: () => number;
}

/** Unused heap worth a compaction's pause when a process turns quiet. */
export const HAND_BACK_MIN_BYTES = 8 * 1024 * 1024;

/** A running {@link favourMemoryWhenQuiet}. */
export interface QuietMemory {
  /** Whether V8 is favouring memory now. */
  readonly favoured: boolean;
  /** Stops watching, and leaves V8 favouring speed. */
  stop(): void;
}

/**
 * Watches the event loop's utilisation (`performance.eventLoopUtilization`) and sets V8 favouring
 * memory after `quietForMs` of quiet, handing back what the heap holds unused when that is worth
 * it, and favours speed at the first busy window (each logged at debug level). Its timer never
 * holds the process open.
 */
export function favourMemoryWhenQuiet(
  logger: Logger,
  {
    windowMs = 1_000,
    quietForMs = 10_000,
    setFlags = setFlagsFromString,
    handBackMinBytes = HAND_BACK_MIN_BYTES,
    heapStatistics = getHeapStatistics,
    compact = compactHeap,
    utilization: readUtilization = loopUtilizationReader(),
  }: QuietMemoryOptions = {},
): QuietMemory {
  let favoured = false;
  const handBack = async (unusedBytes: number) => {
    try {
      const done = await compact();
      if (done)
        logger.debug('heap handed back: the process is quiet', {
          unusedMiB: mib(unusedBytes),
          pauseMs: Math.round(done.ms),
          rssBeforeMiB: mib(done.rssBefore),
          rssAfterMiB: mib(done.rssAfter),
        });
    } catch (err) {
      logger.debug('heap not handed back', { error: (err as Error).message });
    }
  };
  let quietSince = performance.now();
  const favour = (memory: boolean, fields: Record<string, unknown>) => {
    favoured = memory;
    setFlags(memory ? FAVOUR_MEMORY : FAVOUR_SPEED);
    logger.debug(
      memory ? 'heap favours memory: the process is quiet' : 'heap favours speed: the process is busy',
      fields,
    );
  };
  const timer = setInterval(() => {
    const utilization = readUtilization();
    if (utilization >= QUIET_UTILIZATION) {
      quietSince = performance.now();
      if (favoured) favour(false, { utilization: Math.round(utilization * 100) / 100 });
    } else if (!favoured && performance.now() - quietSince >= quietForMs) {
      favour(true, { quietMs: Math.round(performance.now() - quietSince) });
      const heap = heapStatistics();
      const unused = heap.total_heap_size - heap.used_heap_size;
      if (unused >= handBackMinBytes) void handBack(unused);
    }
  }, windowMs);
  timer.unref();
  return {
    get favoured() {
      return favoured;
    },
    stop() {
      clearInterval(timer);
      if (favoured) favour(false, { stopped: true });
    },
  };
}

/**
 * What a command line does for the heap of the process it owns (`only1mcp start` and `stdio`, the
 * health-worker): start-up's garbage handed back at the first quiet moment, and memory favoured,
 * and what a busy spell left handed back, whenever the process turns quiet.
 */
export function tendOwnHeap(logger: Logger): QuietMemory {
  void compactAfterStartUp(logger);
  return favourMemoryWhenQuiet(logger);
}
