/**
 * The clock of the circuit breakers' rolling windows, shared. Left to itself, every opossum
 * breaker starts two intervals of its own: one turns its window's buckets, the other computes and
 * emits a `snapshot` of its stats that nobody here listens to. With 100 HTTP backends that was 200
 * timers firing every second, each snapshot allocating a summary of the window. The breakers of a
 * registry skip the snapshots and take their bucket turns from one timer per bucket length
 * (opossum's `rotateBucketController`).
 */
import { EventEmitter } from 'node:events';

/** The event opossum's breakers turn their buckets on. */
const ROTATE = 'rotate';

/** One shared bucket timer per bucket length, for the circuit breakers of one registry. */
export class BucketRotation {
  private readonly clocks = new Map<number, { emitter: EventEmitter; timer: NodeJS.Timeout }>();

  /**
   * The controller for breakers whose buckets last `bucketMs`. Its timer starts with the first
   * breaker that asks and stops once the last has shut down (a reload may change the window).
   */
  controller(bucketMs: number): EventEmitter {
    const existing = this.clocks.get(bucketMs);
    if (existing) return existing.emitter;
    const emitter = new EventEmitter();
    // Every breaker of every backend listens: the default limit of 10 would warn at the eleventh.
    emitter.setMaxListeners(0);
    const timer = setInterval(() => {
      if (emitter.listenerCount(ROTATE) > 0) emitter.emit(ROTATE);
      else this.stopClock(bucketMs);
    }, bucketMs);
    // Breakers never keep the process alive (opossum's own timers are unref'd too).
    timer.unref();
    this.clocks.set(bucketMs, { emitter, timer });
    return emitter;
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
