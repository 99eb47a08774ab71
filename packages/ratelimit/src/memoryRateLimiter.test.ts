import type { Clock } from '@only1mcp/health';
import { gcraLimits } from './gcra';
import { MemoryRateLimiter } from './memoryRateLimiter';

/** A clock the test moves by hand. */
function manualClock(start = 1_760_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

describe('MemoryRateLimiter', () => {
  it('decides per key, from memory', async () => {
    const clock = manualClock();
    const limiter = new MemoryRateLimiter({ limits: gcraLimits(5, 3), clock });
    const a = [];
    for (let i = 0; i < 4; i++) a.push(await limiter.consume('a'));
    expect(a.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(a[3]).toEqual({ allowed: false, retryAfterMs: 200, remaining: 0, source: 'memory' });
    expect((await limiter.consume('b')).allowed).toBe(true);
  });

  it('forgets full buckets, so many client ids do not pile up', async () => {
    const clock = manualClock();
    const limiter = new MemoryRateLimiter({ limits: gcraLimits(10, 20), clock });
    for (let i = 0; i < 10_000; i++) await limiter.consume(`client:${i}`);
    expect(limiter.size()).toBe(10_000);
    // Refill time is 2 s: after it every bucket is full again, and the next sweep drops them.
    clock.advance(2_001);
    await limiter.consume('client:new');
    expect(limiter.size()).toBe(1);
  });

  it('keeps buckets that are not full yet', async () => {
    const clock = manualClock();
    const limiter = new MemoryRateLimiter({ limits: gcraLimits(1, 5), clock });
    for (let i = 0; i < 5; i++) await limiter.consume('busy');
    clock.advance(1_000);
    await limiter.consume('other');
    expect(limiter.size()).toBe(2);
    expect((await limiter.consume('busy')).allowed).toBe(true);
    expect((await limiter.consume('busy')).allowed).toBe(false);
  });

  it('rejects a cost above the burst', async () => {
    const limiter = new MemoryRateLimiter({ limits: gcraLimits(5, 3) });
    await expect(limiter.consume('a', 4)).rejects.toThrow(RangeError);
  });
});
