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
 * The flag is the process's own, and V8 reads it whenever it sizes the heap, so it applies from
 * the next collection. Set only by the command lines, which own their process (like
 * `compactAfterStartUp`); `startGateway` and the like, run in someone else's process, leave its
 * V8 flags alone.
 */

import { setFlagsFromString } from 'node:v8';
import type { Logger } from '@only1mcp/registry';
import { compactAfterStartUp, loopUtilizationReader, QUIET_UTILIZATION } from './compactHeap';

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
}

/** A running {@link favourMemoryWhenQuiet}. */
export interface QuietMemory {
  /** Whether V8 is favouring memory now. */
  readonly favoured: boolean;
  /** Stops watching, and leaves V8 favouring speed. */
  stop(): void;
}

/**
 * Watches the event loop's utilisation (`performance.eventLoopUtilization`) and sets V8 favouring
 * memory after `quietForMs` of quiet, favouring speed at the first busy window (both logged at
 * debug level). Its timer never holds the process open.
 */
export function favourMemoryWhenQuiet(
  logger: Logger,
  { windowMs = 1_000, quietForMs = 10_000, setFlags = setFlagsFromString }: QuietMemoryOptions = {},
): QuietMemory {
  let favoured = false;
  let quietSince = performance.now();
  const readUtilization = loopUtilizationReader();
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
 * health-worker): start-up's garbage handed back at the first quiet moment, and memory favoured
 * while the process stays quiet.
 */
export function tendOwnHeap(logger: Logger): QuietMemory {
  void compactAfterStartUp(logger);
  return favourMemoryWhenQuiet(logger);
}
