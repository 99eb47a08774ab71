import CircuitBreaker from 'opossum';
import { BucketRotation } from './bucketRotation';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A breaker whose window is ten 20 ms buckets turned by `rotation`, and whose every call fails. */
function failingBreaker(rotation: BucketRotation): CircuitBreaker<[], never> {
  const clock = rotation.controller(20);
  const breaker = new CircuitBreaker<[], never>(() => Promise.reject(new Error('down')), {
    rollingCountTimeout: 200,
    rollingCountBuckets: 10,
    volumeThreshold: 100,
    enableSnapshots: false,
    rotateBucketController: clock,
  });
  clock.follow(breaker.status);
  return breaker;
}

describe('BucketRotation', () => {
  const rotation = new BucketRotation();
  afterEach(() => rotation.stop());

  it('runs one timer per bucket length, whatever the number of breakers', () => {
    expect(rotation.controller(20)).not.toBe(rotation.controller(20));
    rotation.controller(50);
    expect(rotation.running.sort()).toEqual([20, 50]);
  });

  it('turns the windows of the breakers listening: failures leave the window once it has passed', async () => {
    const breakers = [failingBreaker(rotation), failingBreaker(rotation)];
    await Promise.allSettled(breakers.map((b) => b.fire()));
    expect(breakers.map((b) => b.stats.failures)).toEqual([1, 1]);
    await sleep(400);
    expect(breakers.map((b) => b.stats.failures)).toEqual([0, 0]);
    for (const b of breakers) b.shutdown();
  });

  it('leaves an empty window as it is, and turns it again from the first call', async () => {
    const breaker = failingBreaker(rotation);
    await breaker.fire().catch(() => undefined);
    await sleep(400);
    // The failure has left the window; no bucket is made for it any more.
    const quiet = breaker.status.window;
    expect(quiet.every((bucket) => bucket.failures === 0 && bucket.fires === 0)).toBe(true);
    await sleep(100);
    expect(breaker.status.window).toEqual(quiet);
    breaker.status.window.forEach((bucket, i) => expect(bucket).toBe(quiet[i]));
    // A call in the quiet spell counts, and turns with the window as ever.
    await breaker.fire().catch(() => undefined);
    expect(breaker.stats.failures).toBe(1);
    await sleep(100);
    expect(breaker.stats.failures).toBe(1);
    expect(breaker.status.window[0]).not.toBe(quiet[0]);
    await sleep(300);
    expect(breaker.stats.failures).toBe(0);
    breaker.shutdown();
  });

  it('turns every tick a window it was not given to follow', async () => {
    const clock = rotation.controller(20);
    let turns = 0;
    clock.on('rotate', () => (turns += 1));
    await sleep(110);
    expect(turns).toBeGreaterThanOrEqual(3);
    clock.removeAllListeners();
  });

  it('stops its timer once the last breaker has shut down', async () => {
    const breaker = failingBreaker(rotation);
    expect(rotation.running).toEqual([20]);
    breaker.shutdown();
    await sleep(60);
    expect(rotation.running).toEqual([]);
  });
});
