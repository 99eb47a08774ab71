/**
 * The clock of the circuit breakers' rolling windows, shared. Left to itself, every opossum
 * breaker starts two intervals of its own: one turns its window's buckets, the other computes and
 * emits a `snapshot` of its stats that nobody here listens to. With 100 HTTP backends that was 200
 * timers firing every second, each snapshot allocating a summary of the window. The breakers of a
 * registry skip the snapshots and take their bucket turns from one timer per bucket length
 * (opossum's `rotateBucketController`).
 *
 * And a breaker whose window is empty is not turned: a turn drops the oldest bucket and makes a new
 * one, so an idle breaker made a bucket a second for nothing. Each lives as long as the window
 * (10 s by default), long enough for V8 to move it to the old generation, where 100 idle backends'
 * buckets piled up as ~2.5 MiB of garbage every 100 s between major collections (docs/BENCHMARKS.md,
 * seventeenth pass). Turning an empty window leaves it as it was (empty buckets, in the same
 * order), so skipping the turn changes no count; the first call after a quiet spell lands in the
 * current bucket as ever, and the turns start again at the next tick.
 */
import { EventEmitter } from 'node:events';

/** The event opossum's breakers turn their buckets on. */
const ROTATE = 'rotate';

/** What a breaker's clock reads of its breaker: opossum's `breaker.status`. */
export interface RollingWindow {
  /** The buckets, newest first (opossum counts into the first one). */
  readonly window: readonly object[];
}

/** Whether a bucket holds nothing: every count 0, no latency, no other mark (opossum's `bucket()` as made). */
function isEmptyBucket(bucket: object): boolean {
  for (const value of Object.values(bucket) as unknown[]) {
    if (typeof value === 'number') {
      if (value !== 0) return false;
    } else if (Array.isArray(value)) {
      if (value.length > 0) return false;
    } else if (typeof value !== 'object' || value === null || Object.keys(value).length > 0) return false;
  }
  return true;
}

/**
 * One breaker's bucket controller: opossum listens on it for `rotate`. Give it the breaker's
 * status once the breaker exists ({@link follow}); until then every tick turns the window.
 */
export class BreakerClock extends EventEmitter {
  private status?: RollingWindow;
  /** Consecutive turns that found the newest bucket empty. */
  private quietTurns = 0;

  /** The window this clock turns: the breaker's `status`. */
  follow(status: RollingWindow): void {
    this.status = status;
  }

  /** One tick: turns the window unless it is empty (see the file's comment). */
  tick(): void {
    const window = this.status?.window;
    if (!window) {
      this.emit(ROTATE);
      return;
    }
    const newestEmpty = isEmptyBucket(window[0] ?? {});
    // Every older bucket was once the newest, found empty when turned: the whole window is empty.
    if (newestEmpty && this.quietTurns >= window.length - 1) return;
    this.emit(ROTATE);
    this.quietTurns = newestEmpty ? this.quietTurns + 1 : 0;
  }

  /** Whether its breaker still listens (a breaker shut down stops). */
  get listening(): boolean {
    return this.listenerCount(ROTATE) > 0;
  }
}

/** One shared bucket timer per bucket length, for the circuit breakers of one registry. */
export class BucketRotation {
  private readonly clocks = new Map<number, { breakers: Set<BreakerClock>; timer: NodeJS.Timeout }>();

  /**
   * A controller for one breaker whose buckets last `bucketMs`. The timer of that length starts
   * with the first breaker that asks and stops once the last has shut down (a reload may change
   * the window).
   */
  controller(bucketMs: number): BreakerClock {
    const clock = new BreakerClock();
    let entry = this.clocks.get(bucketMs);
    if (!entry) {
      const breakers = new Set<BreakerClock>();
      const timer = setInterval(() => {
        for (const breaker of breakers) {
          if (breaker.listening) breaker.tick();
          else breakers.delete(breaker);
        }
        if (breakers.size === 0) this.stopClock(bucketMs);
      }, bucketMs);
      // Breakers never keep the process alive (opossum's own timers are unref'd too).
      timer.unref();
      entry = { breakers, timer };
      this.clocks.set(bucketMs, entry);
    }
    entry.breakers.add(clock);
    return clock;
  }

  /** Bucket lengths with a running timer (for tests). */
  get running(): number[] {
    return [...this.clocks.keys()];
  }

  /** Stops every timer; breakers still listening no longer turn their buckets. */
  stop(): void {
    for (const bucketMs of [...this.clocks.keys()]) this.stopClock(bucketMs);
  }

  private stopClock(bucketMs: number): void {
    clearInterval(this.clocks.get(bucketMs)?.timer);
    this.clocks.delete(bucketMs);
  }
}
