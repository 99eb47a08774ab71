/**
 * How many backend processes start at once. A stdio backend's start is mostly CPU (a runtime
 * loading its code), so fifty started together on two cores share them: each takes as long as
 * all fifty, every one of them can miss `connect_timeout` together, and they all retry together
 * (measured: a gateway of 50 Node backends on 2 cores never finished starting). Taking turns
 * costs no more CPU in all, each start takes about as long as it would alone, and the first
 * backends are listed early.
 */
import { availableParallelism } from 'node:os';

/**
 * Starts at once by default: four per core, so one start takes about four times as long as it
 * would alone, and starts that mostly wait (a package manager fetching a server) still overlap.
 */
export const DEFAULT_CONCURRENT_STARTS = 4 * availableParallelism();

/** Runs at most `limit` tasks at once; the others wait for a turn, first come first served. */
export class StartGate {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(readonly limit: number = DEFAULT_CONCURRENT_STARTS) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`StartGate limit must be a positive integer: ${limit}`);
  }

  /** Runs `task` when a turn is free; resolves or rejects as it does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running += 1;
    // The finishing task hands its turn over, so `running` stays counted for the one woken.
    else await new Promise<void>((wake) => this.queue.push(wake));
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Tasks running now. */
  get active(): number {
    return this.running;
  }

  /** Tasks waiting for a turn. */
  get waiting(): number {
    return this.queue.length;
  }
}
