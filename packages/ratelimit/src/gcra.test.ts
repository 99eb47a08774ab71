import { checkCost, gcra, gcraLimits, type GcraLimits } from './gcra';

/** An epoch instant in µs, and milliseconds after it. */
const EPOCH_US = 1_760_000_000_000_000;
const at = (ms: number) => EPOCH_US + ms * 1000;

/** Sends up to `count` requests of cost 1 at `nowUs` until one is refused, threading the TAT. */
function burstAt(limits: GcraLimits, nowUs: number, count: number, tatUs?: number) {
  let passed = 0;
  let last = gcra(tatUs, nowUs, limits, 1);
  for (let i = 0; i < count; i++) {
    last = gcra(tatUs, nowUs, limits, 1);
    if (!last.allowed) break;
    tatUs = last.tatUs;
    passed++;
  }
  return { passed, last, tatUs };
}

describe('gcra (token bucket)', () => {
  it('lets `burst` through at once from a full bucket, then refuses with the wait for one token', () => {
    const { passed, last } = burstAt(gcraLimits(5, 3), at(0), 10);
    expect(passed).toBe(3);
    expect(last).toMatchObject({ allowed: false, retryAfterMs: 200, remaining: 0 });
  });

  it('refills at the rate: one token per interval, and the waited request passes', () => {
    const limits = gcraLimits(5, 3);
    const { tatUs } = burstAt(limits, at(0), 3);
    expect(gcra(tatUs, at(199.999), limits, 1)).toMatchObject({ allowed: false, retryAfterMs: 1 });
    const after = gcra(tatUs, at(200), limits, 1);
    expect(after).toMatchObject({ allowed: true, retryAfterMs: 0, remaining: 0 });
    // A full refill (burst · interval) brings the whole burst back, and never more.
    expect(burstAt(limits, at(800), 10, after.tatUs).passed).toBe(3);
    expect(burstAt(limits, at(60_000), 10, after.tatUs).passed).toBe(3);
  });

  it('reports the remaining whole tokens', () => {
    const limits = gcraLimits(10, 20);
    expect(gcra(undefined, at(0), limits, 1).remaining).toBe(19);
    expect(gcra(undefined, at(0), limits, 5).remaining).toBe(15);
  });

  it('sustains exactly the rate for a greedy client (10/s burst 20 over 60 s: 20 + 600)', () => {
    const limits = gcraLimits(10, 20);
    let tatUs: number | undefined;
    let passed = 0;
    for (let ms = 0; ms <= 60_000; ms += 7) {
      const r = burstAt(limits, at(ms), 100, tatUs);
      passed += r.passed;
      tatUs = r.tatUs;
    }
    expect(passed).toBeGreaterThanOrEqual(619);
    expect(passed).toBeLessThanOrEqual(620);
  });

  it('handles fractional rates and large bursts at epoch magnitude without drifting a token', () => {
    expect(burstAt(gcraLimits(3, 10_000), at(0), 20_000).passed).toBe(10_000);
    expect(burstAt(gcraLimits(0.3, 1_000), at(0), 2_000).passed).toBe(1_000);
    const slow = gcraLimits(0.5, 1);
    const { tatUs, last } = burstAt(slow, at(0), 5);
    expect(last.retryAfterMs).toBe(2000);
    expect(gcra(tatUs, at(2000), slow, 1).allowed).toBe(true);
  });

  it('charges a cost above 1 as that many tokens, and refuses it without charging anything', () => {
    const limits = gcraLimits(5, 3);
    const first = gcra(undefined, at(0), limits, 2);
    expect(first).toMatchObject({ allowed: true, remaining: 1 });
    const refused = gcra(first.tatUs, at(0), limits, 2);
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 200, remaining: 1 });
    expect(refused.tatUs).toBe(first.tatUs);
  });

  it('rejects settings and costs no bucket can serve', () => {
    expect(() => gcraLimits(0, 1)).toThrow(RangeError);
    expect(() => gcraLimits(Number.NaN, 1)).toThrow(RangeError);
    expect(() => gcraLimits(1, 0)).toThrow(RangeError);
    expect(() => gcraLimits(1, 1.5)).toThrow(RangeError);
    const limits = gcraLimits(5, 3);
    expect(() => checkCost(limits, 4)).toThrow(RangeError);
    expect(() => checkCost(limits, 0)).toThrow(RangeError);
    expect(() => checkCost(limits, 1.5)).toThrow(RangeError);
    expect(() => checkCost(limits, 3)).not.toThrow();
  });
});
